//! A client generated for a spec outside this repository is a crate of its own that builds:
//! `popgen generate --spec DIR --out DIR --popgen-path CHECKOUT` writes a Cargo.toml with its own
//! dependencies (paths into the checkout) and its own `[workspace]`, and `cargo build` works in
//! that directory. Built here from a temporary directory for the odd specs users write first and
//! importers produce (`tests/fixtures/odd`: one action, no error codes, no response fields;
//! lists of scalars, form params, exclusive bounds...) and for an imported product never
//! bundled (STS); and a bundled product with one area's feature only.
//!
//! Slow (a nested `cargo build`, in the workspace's target directory): run alone
//! with `cargo test -p popgen --test integration standalone::`.

use std::path::{Path, PathBuf};
use std::process::Command;

use popgen::generate::{Deps, Options, generate};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .expect("checkout")
}

/// Generates `spec` as crate `name` into a fresh temporary directory and builds it.
fn build_standalone(name: &str, spec: &popgen_spec::Spec, features: &[&str]) {
    let dir = std::env::temp_dir().join(format!("popgen-standalone-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let opts = Options {
        deps: Deps::Path(root().display().to_string()),
        crate_name: name.to_owned(),
        spec_label: format!("specs/{name}"),
        ..Options::default()
    };
    for (rel, content) in generate(spec, &opts) {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        std::fs::write(path, content).expect("write");
    }
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).expect("manifest");
    assert!(!manifest.contains("workspace = true"), "{manifest}");
    assert!(manifest.contains("\n[workspace]\n"), "{manifest}");
    // The checkout's lockfile: the same dependency versions, and no index lookup.
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).expect("lockfile");
    // The workspace's target directory, in the dev profile the workspace gives its dependencies
    // (no debug info): the dependencies `cargo test` already built are reused, not built again
    // in a directory of their own. No RUSTFLAGS (they would rebuild everything): the warnings
    // are read from cargo's JSON messages instead, replayed for units already built.
    let output = Command::new(env!("CARGO"))
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", root().join("target"))
        .env("CARGO_PROFILE_DEV_DEBUG", "false")
        .env_remove("RUSTFLAGS")
        .args(["build", "--offline", "--no-default-features"])
        .args(["--message-format", "json"])
        .args(features.iter().flat_map(|f| ["--features", f]))
        .output()
        .expect("cargo runs");
    let _ = std::fs::remove_dir_all(&dir);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let warnings: Vec<String> = stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-message" && m["message"]["level"] == "warning")
        .map(|m| m["message"]["rendered"].as_str().unwrap_or("?").to_owned())
        .collect();
    assert!(
        output.status.success(),
        "{name} does not build standalone:\n{}\n{}",
        String::from_utf8_lossy(&output.stderr),
        stdout
    );
    assert!(
        warnings.is_empty(),
        "{name} builds with warnings:\n{}",
        warnings.join("\n")
    );
}

fn load(dir: &Path) -> popgen_spec::Spec {
    popgen_spec::load::load_paths(&[dir.to_path_buf()])
        .unwrap_or_else(|d| panic!("{}: {d:#?}", dir.display()))
        .spec
}

/// The "A first spec" example of spec/README.md, as a user saves it.
fn readme_first_spec() -> popgen_spec::Spec {
    let readme = std::fs::read_to_string(root().join("spec/README.md")).expect("spec/README.md");
    let after = readme
        .split_once("Save this as `my-spec/vms.yaml`")
        .expect("the walkthrough's file")
        .1;
    let start = after.find("```yaml\n").expect("its YAML block") + "```yaml\n".len();
    let yaml = &after[start..start + after[start..].find("```").expect("closed")];
    popgen_spec::load::load_texts(vec![("my-spec/vms.yaml".into(), yaml.to_owned())])
        .unwrap_or_else(|d| panic!("the README's first spec: {d:#?}"))
        .spec
}

#[test]
fn odd_specs_and_an_unseen_product_build_as_crates_of_their_own() {
    build_standalone("vms", &readme_first_spec(), &["registry"]);
    let odd = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/odd");
    build_standalone("tiny", &load(&odd.join("minimal")), &[]);
    build_standalone("lists", &load(&odd.join("lists")), &["registry"]);
    let sts = root().join("spec/sources/metadata/sts@2015-04-01.2024-08.json");
    let text = std::fs::read_to_string(&sts).expect("vendored metadata");
    let imported = popgen_import::import(&[(sts.display().to_string(), text)]).expect("imports");
    let texts = imported.files.into_iter().collect();
    let spec = popgen_spec::load::load_texts(texts).expect("checks").spec;
    build_standalone("sts", &spec, &["registry"]);
}

/// A user who needs one area of a product turns the default features off and names it: the
/// crate then compiles that area's actions alone, without warnings (nothing of another area
/// left unused or unresolved).
#[test]
fn one_area_of_a_bundled_product_builds_alone() {
    let spec = popgen_spec::load::load_paths(&[popgen_spec::bundled_product("dyvmsapi")])
        .expect("dyvmsapi loads")
        .spec;
    let api = popgen::ir::build(&spec);
    let area = api
        .areas
        .iter()
        .find(|a| a.actions.contains(&"SmartCall"))
        .expect("SmartCall's area");
    assert_eq!(area.name, "area-intelligent-voice-interaction");
    let (one, rest) = (area.name.clone(), api.areas.len());
    assert!(rest > 1, "dyvmsapi has several areas");
    build_standalone("vms-one-area", &spec, &["http", &one]);
}
