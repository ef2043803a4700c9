//! The integration tests of `popgen-tools` in one test binary: each file of `tools/tests/` is a
//! module here (a binary each would link the whole dependency graph again). One file's tests:
//! `cargo test -p popgen-tools --test integration FILE::`.

mod cli;
mod common;
mod connections;
mod cost;
mod fuzz_http;
mod mock;
mod receipts;
mod receipts_e2e;
mod receipts_store;
