//! trybuild cases: every attribute mistake the derives diagnose (one case per message, with
//! its `.stderr`). Regenerate the `.stderr` files with
//! `TRYBUILD=overwrite cargo test -p popgen-macros --test ui` and review the diff.
//!
//! The code that must compile (`ui/pass`) is compiled and run with this binary instead, as
//! modules: trybuild then only runs `cargo check` (a pass case made it build and link every
//! dependency again in its own target directory).

#[test]
fn trybuild_compile_fail_cases() {
    trybuild::TestCases::new().compile_fail("tests/ui/*.rs");
}

#[path = "ui/pass/every_rule.rs"]
mod every_rule;
#[path = "ui/pass/shadowed_prelude.rs"]
mod shadowed_prelude;
