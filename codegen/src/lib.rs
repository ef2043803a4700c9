//! popgen: generate validated Rust clients and docs from an Alibaba Cloud RPC API spec; check and
//! diff specs. The library turns specs into text and does no I/O except in [`cli`], which the
//! binary calls.
#![warn(missing_docs)]

pub mod cli;
