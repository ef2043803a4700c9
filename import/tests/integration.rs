//! The integration tests of `popgen-import` in one test binary: each file of `import/tests/` is a
//! module here (a binary each would link the whole dependency graph again). One file's tests:
//! `cargo test -p popgen-import --test integration FILE::`.

mod odd;
mod products;
