//! The integration tests of `popgen-receipts` in one test binary: each file of `receipts/tests/` is a
//! module here (a binary each would link the whole dependency graph again). One file's tests:
//! `cargo test -p popgen-receipts --test integration FILE::`.

mod common;
mod serve;
mod sqlite;
