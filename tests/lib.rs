//! Workspace-level integration tests; the tests themselves are in `tests/`.
//!
//! Under `cargo test --doc` this crate also compiles and runs every Rust block of the README, so
//! the README's code cannot drift from the crates it shows.

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// Every action's Rust snippet of the checked-in docs sites (`generated/*/docs/md/actions/`),
/// as a reader copies it: gathered by `build.rs`, compiled with this crate's unit tests against
/// the generated crates, so a snippet that no longer compiles fails the build of `cargo test`.
#[cfg(test)]
#[allow(dead_code, unused_imports)]
mod docs_snippets {
    include!(concat!(env!("OUT_DIR"), "/docs_snippets.rs"));
}
