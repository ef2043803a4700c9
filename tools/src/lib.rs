//! Tools over any popgen-generated API, driven by its [`registry`](popgen_runtime::registry):
//! the local mock server ([`mock`]) and the command line ([`cli`]) that a generated crate's
//! binary (`dyvms` for Dyvmsapi) wraps in one line.

pub mod cli;
pub mod mock;
mod text;
