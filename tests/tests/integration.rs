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

/// With `autotests = false` (one test binary per crate), a file of a crate's `tests/` that is not
/// a module of its `tests/integration.rs` (nor a `[[test]]` of its own in its Cargo.toml) would
/// never be built. One check for every crate of the workspace.
#[test]
fn every_file_of_every_crates_tests_is_built() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut checked = 0;
    let mut missing = Vec::new();
    for krate in std::fs::read_dir(&root).expect("the workspace") {
        let krate = krate.expect("an entry").path();
        let Ok(here) = std::fs::read_to_string(krate.join("tests/integration.rs")) else {
            continue;
        };
        let manifest = std::fs::read_to_string(krate.join("Cargo.toml")).expect("Cargo.toml");
        checked += 1;
        for entry in std::fs::read_dir(krate.join("tests")).expect("tests/") {
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
                missing.push(krate.join("tests").join(name).display().to_string());
            }
        }
    }
    assert!(
        checked >= 7,
        "found only {checked} crates with tests/integration.rs"
    );
    assert!(
        missing.is_empty(),
        "not built: {missing:?}; add `mod NAME;` to that crate's tests/integration.rs"
    );
}
