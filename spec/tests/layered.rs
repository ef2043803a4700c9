//! A layered spec (`tests/fixtures/layered`: an imported base plus a curation directory) merges
//! the way spec/README.md says: curated keys amend, named elements merge by name, whole new
//! elements are added, partial ones the base lacks are stale and ignored, the curation wins an
//! override and the result records both values, and every questionable curation is a warning
//! pointing at the curation file.

use std::path::Path;

use popgen_spec::load::{Loaded, load_paths};
use popgen_spec::model::{Effect, LengthUnit, Number};

fn load() -> Loaded {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/layered");
    load_paths(&[dir]).unwrap_or_else(|d| panic!("the layered fixture loads: {d:#?}"))
}

/// The minimal fixture's product.yaml, for specs built in a test.
fn minimal_product() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal/product.yaml"),
    )
    .expect("fixture")
}

#[test]
fn curated_keys_amend_the_base() {
    let spec = load().spec;
    let call = &spec.actions["Call"];
    assert_eq!(call.summary.en, "Call one number.");
    assert_eq!(call.summary.zh.as_deref(), Some("给一个号码打电话。"));
    assert_eq!(call.effect, Effect::PlacesCall);
    assert_eq!(call.idempotency_param.as_deref(), Some("OutId"));
    let param = |name: &str| call.params.iter().find(|p| p.name == name);
    let called = param("CalledNumber").expect("kept");
    assert!(called.sensitive && called.required);
    assert_eq!(called.description.en, "The number to call.");
    assert_eq!(called.description.zh.as_deref(), Some("被叫号码。"));
    let out_id = param("OutId").expect("kept");
    assert_eq!(
        out_id.length.as_ref().map(|l| (l.max, l.unit)),
        Some((Some(15), LengthUnit::Bytes))
    );
    assert_eq!(out_id.notes.len(), 1);
    let voice = param("Voice").expect("kept");
    let values = voice.enum_values.as_ref().expect("an enum");
    assert_eq!(values.len(), 2, "enum values merge by value, none is added");
    assert_eq!(values[0].meaning.en, "Xiaoyun (female)");
    assert_eq!(values[0].meaning.zh.as_deref(), Some("小云"));
}

#[test]
fn the_curation_wins_an_override_and_both_values_are_kept() {
    let loaded = load();
    let spec = &loaded.spec;
    let range = spec.actions["Call"]
        .params
        .iter()
        .find(|p| p.name == "PlayTimes")
        .and_then(|p| p.range.clone())
        .expect("a range");
    assert_eq!(
        (range.min, range.max),
        (Some(Number::Int(1)), Some(Number::Int(2)))
    );
    let overrides: Vec<(&str, bool)> = spec
        .curation
        .overrides
        .iter()
        .map(|o| (o.path.as_str(), o.explained))
        .collect();
    assert_eq!(
        overrides,
        [
            ("actions.Call.effect", true),
            ("actions.Call.params[PlayTimes].range.max", false),
        ]
    );
    let o = &spec.curation.overrides[1];
    assert_eq!(
        (o.base.clone(), o.curated.clone()),
        (3.into(), Some(2.into()))
    );
    assert!(
        o.base_at.0.ends_with("imported/calls.yaml"),
        "{:?}",
        o.base_at
    );
    assert!(
        o.curated_at.0.ends_with("curation/calls.yaml"),
        "{:?}",
        o.curated_at
    );
}

#[test]
fn whole_elements_are_added_and_partial_ones_the_base_lacks_are_stale() {
    let spec = load().spec;
    assert!(spec.actions.contains_key("Hangup"));
    let names: Vec<&str> = spec.actions["Call"]
        .params
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "CalledShowNumber",
            "CalledNumber",
            "PlayTimes",
            "Speed",
            "Voice",
            "OutId",
            "Callback"
        ]
    );
    assert_eq!(
        spec.curation.added,
        ["actions.Call.params[Callback]", "actions.Hangup"]
    );
    assert_eq!(spec.curation.stale, ["actions.Call.params[TtsCode]"]);
}

#[test]
fn questionable_curation_is_a_warning_at_the_curation_file() {
    let loaded = load();
    let prefix = format!("{}/", env!("CARGO_MANIFEST_DIR"));
    let text = loaded
        .warnings
        .iter()
        .map(|d| d.to_string().replace(&prefix, ""))
        .collect::<Vec<_>>()
        .join("\n\n");
    insta::assert_snapshot!(text);
}

#[test]
fn a_curated_subtree_the_base_lacks_must_be_whole() {
    let base = minimal_product();
    let actions = "actions:\n  Ping:\n    summary: {en: Ping.}\n    effect: none\n    params:\n      - {name: N, type: string, description: {en: A number.}}\n";
    let curation = "actions:\n  Ping:\n    params:\n      - name: N\n        length: {max: 3}\n";
    let errors = popgen_spec::load::load_texts(vec![
        ("spec/product.yaml".into(), base),
        ("spec/actions.yaml".into(), actions.into()),
        ("spec/curation/ping.yaml".into(), curation.into()),
    ])
    .expect_err("a length without its unit is an error");
    let text = errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(text.contains("missing required key `unit`"), "{text}");
    assert!(text.contains("spec/curation/ping.yaml:5:"), "{text}");
}

/// An action's `receipts` (names and conditional entries, matched by no key) is one list: the
/// curation's replaces the base's whole, and notes on an entry explain the override.
#[test]
fn an_actions_receipts_are_replaced_whole_and_entry_notes_explain_it() {
    let product = minimal_product();
    let actions = "actions:\n  Ping:\n    summary: {en: Ping.}\n    effect: none\n    receipts:\n      - {message: PingRecord, when: {param: N, equals: a}}\n    params:\n      - {name: N, type: string, description: {en: A number.}}\nreceipts:\n  PingReport:\n    summary: {en: Report.}\n    fields: [{name: code, type: string, description: {en: Code.}}]\n  PingRecord:\n    summary: {en: Record.}\n    fields: [{name: code, type: string, description: {en: Code.}}]\n";
    let curated = |notes: &str| {
        format!(
            "actions:\n  Ping:\n    receipts:\n      - {{message: PingRecord, when: {{param: N, equals: b}}{notes}}}\n"
        )
    };
    let note =
        ", notes: [{kind: ambiguity, about: PingRecord, reference_says: b, chosen: b, why: b}]";
    for (notes, explained) in [(note, true), ("", false)] {
        let loaded = popgen_spec::load::load_texts(vec![
            ("spec/product.yaml".into(), product.clone()),
            ("spec/actions.yaml".into(), actions.into()),
            ("spec/curation/ping.yaml".into(), curated(notes)),
        ])
        .expect("loads");
        let receipts = &loaded.spec.actions["Ping"].receipts;
        assert_eq!(receipts.len(), 1, "replaced, not appended: {receipts:?}");
        let when = receipts[0].when().expect("a condition");
        assert_eq!(
            (receipts[0].message(), when.equals.to_wire().as_str()),
            ("PingRecord", "b")
        );
        let warned = loaded
            .warnings
            .iter()
            .any(|d| d.to_string().contains("actions.Ping.receipts"));
        assert_eq!(warned, !explained, "{:#?}", loaded.warnings);
    }
}
