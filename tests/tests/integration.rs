//! The integration tests of `popgen-tests` in one test binary: each file of `tests/tests/` is a
//! module here (a binary each would link the whole dependency graph again). One file's tests:
//! `cargo test -p popgen-tests --test integration FILE::`.

mod allocations;
mod cli;
mod client;
mod dysms;
mod e2e;
mod pricing;
mod registry;
mod roundtrip;
mod rules_agree;
