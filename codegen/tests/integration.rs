//! The integration tests of `popgen` in one test binary: each file of `codegen/tests/` is a
//! module here (a binary each would link the whole dependency graph again). One file's tests:
//! `cargo test -p popgen --test integration FILE::`.

mod curate;
mod diff;
mod generate;
mod site;
mod standalone;
