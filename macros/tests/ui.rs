//! trybuild cases: every attribute mistake the derives diagnose (one case per message, with
//! its `.stderr`), and code that must compile (`ui/pass`). Regenerate the `.stderr` files with
//! `TRYBUILD=overwrite cargo test -p popgen-macros --test ui` and review the diff.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
    t.compile_fail("tests/ui/*.rs");
}
