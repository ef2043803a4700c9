//! The integration tests of `popgen-spec` in one test binary: each file of `spec/tests/` is a
//! module here (a binary each would link the whole dependency graph again). One file's tests:
//! `cargo test -p popgen-spec --test integration FILE::`.

mod broken;
mod bundled;
mod depth;
mod filesystem;
mod layered;
mod pricing;
mod proptest_loader;
mod reference;
mod schema_file;
mod write;
