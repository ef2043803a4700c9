//! `popgen curate` carries a hand-written spec over onto an imported base: laid over the base,
//! the curation gives back the English, the flags and the rules people knew, takes the wider of
//! two disagreeing bounds, keeps the gateway's `required`, adds what the base lacks and records
//! every disagreement as a note — and the result checks with no warning about the curation.

use std::path::{Path, PathBuf};

use popgen_spec::load::load_paths;
use popgen_spec::model::{LengthUnit, Number};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/curate")
        .join(name)
}

/// Curates `old` over `base` into a fresh layered spec directory and returns it.
fn layered() -> (PathBuf, std::collections::BTreeMap<String, String>) {
    let old = load_paths(&[fixture("old")]).expect("old loads").spec;
    let base = load_paths(&[fixture("base")]).expect("base loads").spec;
    let files = popgen::curate::curate(&old, &base, "the 2022 reference");
    let dir = std::env::temp_dir().join(format!("popgen-curate-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("curation")).expect("temp dir");
    std::fs::create_dir_all(dir.join("imported")).expect("temp dir");
    for f in ["product.yaml", "calls.yaml"] {
        std::fs::copy(fixture("base").join(f), dir.join("imported").join(f)).expect("copy");
    }
    for (name, text) in &files {
        std::fs::write(dir.join("curation").join(name), text).expect("write");
    }
    (dir, files)
}

#[test]
fn the_curated_base_says_what_people_knew_permissively() {
    let (dir, files) = layered();
    let loaded = load_paths(std::slice::from_ref(&dir)).unwrap_or_else(|d| panic!("{d:#?}"));
    let _ = std::fs::remove_dir_all(&dir);
    assert!(loaded.warnings.is_empty(), "{:#?}", loaded.warnings);
    let call = &loaded.spec.actions["Call"];
    let p = |n: &str| call.params.iter().find(|p| p.name == n).expect(n);
    assert_eq!(call.summary.en, "Call one number.");
    assert_eq!(
        call.summary.zh.as_deref(),
        Some("给一个号码打电话。"),
        "the base's Chinese stands"
    );
    assert!(p("CalledNumber").sensitive);
    assert!(!p("PlayTimes").required, "the gateway's `required` stands");
    let range = p("PlayTimes").range.clone().expect("range");
    assert_eq!(
        (range.min, range.max),
        (Some(Number::Int(1)), Some(Number::Int(5)))
    );
    let length = p("OutId").length.clone().expect("length");
    assert_eq!((length.max, length.unit), (Some(15), LengthUnit::Chars));
    let voices: Vec<&str> = p("Voice")
        .enum_values
        .as_ref()
        .expect("enum")
        .iter()
        .map(|v| v.value.as_str())
        .collect();
    assert_eq!(
        voices,
        ["xiaoyun", "xiaomei", "xiaogang"],
        "the union of both enums"
    );
    assert!(
        call.params.iter().any(|p| p.name == "NoiseThreshold"),
        "the base's new param stays"
    );
    assert!(
        loaded.spec.actions.contains_key("Hangup"),
        "what the base lacks is added"
    );
    insta::assert_snapshot!(files["calls.yaml"]);
}
