//! Workspace-level integration tests; the tests themselves are in `tests/`.
//!
//! Under `cargo test --doc` this crate also compiles and runs every Rust block of the README, so
//! the README's code cannot drift from the crates it shows.

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
