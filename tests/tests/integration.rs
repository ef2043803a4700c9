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

/// Every action's Rust snippet of the checked-in docs sites (`generated/*/docs/md/actions/`),
/// as a reader copies it: gathered by `build.rs`, compiled with this binary against the
/// generated crates, so a snippet that no longer compiles fails the build of `cargo test`.
#[allow(dead_code, unused_imports)]
mod docs_snippets {
    include!(concat!(env!("OUT_DIR"), "/docs_snippets.rs"));
}
