//! Client for Alibaba Cloud Voice Messaging Service (Dyvmsapi 2017-05-25).
//!
//! This crate is written by `popgen generate`; the first generated version lands with the codegen
//! issue. Until then it only re-exports the runtime.
#![warn(missing_docs)]

pub use popgen_runtime as runtime;
