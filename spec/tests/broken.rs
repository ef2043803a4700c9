//! Every mistake a spec author makes must be reported the way `popgen check` prints it: the
//! problem in words, the file, line and column, the spec path and a hint. One fixture directory
//! per mistake under `tests/fixtures/broken/`, each a copy of `tests/fixtures/minimal/` with one
//! mistake; the full output is snapshotted in `tests/snapshots/`.
//!
//! A fixture whose mistake is only a warning loads, but fails `popgen check --deny-warnings`: its
//! warnings are snapshotted instead.
//!
//! A new fixture directory is picked up automatically; accept its snapshot after reading it with
//! `INSTA_UPDATE=always cargo test -p popgen-spec --test integration broken::`.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use popgen_spec::Level;
use popgen_spec::load::load_paths;

/// Fixtures whose one mistake is a warning: they load, and fail only with `--deny-warnings`.
const WARNING_ONLY: &[&str] = &[
    "57-callee-limit-on-action-without-calls",
    "95-yaml-1-1-booleans",
];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn broken_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixtures().join("broken"))
        .expect("tests/fixtures/broken exists")
        .map(|e| e.expect("readable fixture entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// Loads a fixture, which must fail (with errors, or with warnings under `--deny-warnings`), and
/// renders its diagnostics as `popgen check` prints them, with paths relative to the fixtures
/// directory. Also returns the number of errors.
fn render_failure(dir: &Path) -> (String, usize) {
    let diagnostics = match load_paths(&[dir.to_path_buf()]) {
        Ok(loaded) if loaded.warnings.is_empty() => {
            panic!("{} loaded without a diagnostic", dir.display())
        }
        Ok(loaded) => loaded.warnings,
        Err(d) => d,
    };
    let errors = diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .count();
    let text = diagnostics
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n\n");
    let prefix = format!("{}/", fixtures().display());
    (text.replace(&prefix, ""), errors)
}

fn name_of(dir: &Path) -> String {
    dir.file_name()
        .and_then(|n| n.to_str())
        .expect("UTF-8 fixture name")
        .to_owned()
}

#[test]
fn the_minimal_base_loads_without_diagnostics() {
    let loaded = load_paths(&[fixtures().join("minimal")]).unwrap_or_else(|errors| {
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        panic!("the minimal fixture must load:\n{}", text.join("\n\n"))
    });
    assert!(
        loaded.warnings.is_empty(),
        "unexpected warnings: {:?}",
        loaded.warnings
    );
    assert_eq!(loaded.spec.actions.len(), 1);
}

#[test]
fn every_broken_fixture_fails_with_the_snapshotted_diagnostics() {
    let dirs = broken_dirs();
    assert!(
        dirs.len() >= 24,
        "expected at least 24 broken fixtures, found {}",
        dirs.len()
    );
    // Run every fixture before failing, so that one run shows (and writes) every changed snapshot.
    let failed: Vec<String> = dirs
        .iter()
        .filter(|dir| {
            let name = name_of(dir);
            catch_unwind(AssertUnwindSafe(|| {
                let (text, errors) = render_failure(dir);
                if WARNING_ONLY.contains(&name.as_str()) {
                    assert_eq!(errors, 0, "{name}: expected warnings only");
                } else {
                    assert!(errors > 0, "{name}: no error reported");
                }
                insta::with_settings!({ description => format!("popgen check spec/tests/fixtures/broken/{name}") }, {
                    insta::assert_snapshot!(name.as_str(), text);
                });
            }))
            .is_err()
        })
        .map(|dir| name_of(dir))
        .collect();
    assert!(
        failed.is_empty(),
        "fixtures with a changed or missing snapshot: {failed:?}"
    );
}

/// A snapshot whose fixture was removed or renamed would otherwise linger unnoticed.
#[test]
fn every_snapshot_has_its_fixture() {
    let names: Vec<String> = broken_dirs().iter().map(|d| name_of(d)).collect();
    let snapshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    for entry in std::fs::read_dir(snapshots).expect("tests/snapshots exists") {
        let file = entry.expect("readable snapshot entry").file_name();
        let file = file.to_string_lossy();
        if let Some(fixture) = file
            .strip_prefix("broken__")
            .and_then(|f| f.strip_suffix(".snap"))
        {
            assert!(
                names.iter().any(|n| n == fixture),
                "{file} has no fixture directory; delete it"
            );
        }
    }
}

/// A spec author fixing a file wants the whole list, not one error per run.
#[test]
fn independent_mistakes_are_all_reported_in_one_run() {
    for name in ["40-four-structural-mistakes", "41-four-semantic-mistakes"] {
        let (text, errors) = render_failure(&fixtures().join("broken").join(name));
        assert!(
            errors >= 4,
            "{name}: expected 4 errors, got {errors}:\n{text}"
        );
    }
}
