//! popgen: generate validated Rust clients and docs from an Alibaba Cloud RPC API spec; check and
//! diff specs.
//!
//! The generator is a library that turns a checked spec into file contents with no I/O
//! ([`generate()`]); the binary ([`cli`]) reads specs and writes files.
#![warn(missing_docs)]

pub mod body;
pub mod cli;
pub mod curate;
pub mod diff;
pub mod docs;
pub mod emit;
pub mod generate;
pub mod ir;
pub mod links;
pub mod names;
pub mod pricing;
pub mod registry;
pub mod site;
pub mod size;

pub use generate::{Generated, generate};
