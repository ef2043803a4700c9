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

/// With `autotests = false` a file of `tests/` that is not a module here (nor a `[[test]]` of
/// its own in Cargo.toml) would never be built: every one is.
#[test]
fn every_file_of_tests_is_built() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests");
    let here = std::fs::read_to_string(format!("{dir}/integration.rs")).expect("this file");
    let manifest = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .expect("Cargo.toml");
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(dir).expect("tests/") {
        let name = entry
            .expect("an entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        let Some(stem) = name.strip_suffix(".rs") else {
            continue;
        };
        let declared = here.contains(&format!("\nmod {stem};"))
            || manifest.contains(&format!("[[test]]\nname = \"{stem}\""));
        if stem != "integration" && !declared {
            missing.push(name);
        }
    }
    assert!(
        missing.is_empty(),
        "not built: {missing:?}; add `mod NAME;` to tests/integration.rs"
    );
}
