//! Metadata the importer has never seen, and metadata that is wrong: hand-made odd cases, each
//! with what the import makes of it, and a property test over generated metadata. Nothing
//! panics; every problem names its file and JSON path; what imports, checks.

use proptest::prelude::*;
use serde_json::{Value, json};

fn doc(apis: Value) -> Value {
    json!({"info": {"style": "RPC", "product": "Odd", "version": "2020-01-01"}, "apis": apis})
}

fn import(v: &Value) -> Result<popgen_import::Imported, Vec<popgen_spec::Diagnostic>> {
    popgen_import::import(&[("odd@2020-01-01.json".into(), v.to_string())])
}

fn spec(v: &Value) -> popgen_spec::Spec {
    let imported = import(v).unwrap_or_else(|d| panic!("{d:#?}"));
    let texts = imported.files.into_iter().collect();
    popgen_spec::load::load_texts(texts)
        .unwrap_or_else(|d| panic!("{d:#?}"))
        .spec
}

fn one_param(param: Value) -> Value {
    doc(json!({"Act": {"operationType": "read", "parameters": [param]}}))
}

#[test]
fn flat_style_arrays_of_objects_are_repeated_structs() {
    let s = spec(&one_param(
        json!({"name": "Cards", "in": "query", "style": "flat", "schema": {
        "type": "array", "maxItems": "5", "items": {"type": "object", "properties": {
            "Mobile": {"type": "string", "required": true}, "Url": {"type": "string"}}}}}),
    ));
    let p = &s.actions["Act"].params[0];
    assert_eq!(p.ty, popgen_spec::ParamType::Repeated);
    assert_eq!(p.max_items, Some(5));
    let names: Vec<&str> = p.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["Mobile", "Url"]);
    assert!(p.fields[0].required);
}

#[test]
fn ref_cycles_become_named_types() {
    let v = json!({"info": {"style": "RPC", "product": "Odd", "version": "2020-01-01"},
        "components": {"schemas": {"Node": {"type": "object", "properties": {
            "Name": {"type": "string"}, "Children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}}}}},
        "apis": {"Tree": {"operationType": "read", "parameters": [], "responses": {"200": {"schema": {
            "type": "object", "properties": {"RequestId": {"type": "string"}, "Root": {"$ref": "#/components/schemas/Node"}}}}}}}});
    let s = spec(&v);
    let root = s.actions["Tree"]
        .response
        .iter()
        .find(|f| f.name.as_deref() == Some("Root"))
        .expect("field");
    assert_eq!(root.type_ref.as_deref(), Some("Node"));
    let children = s.types["Node"]
        .fields
        .iter()
        .find(|f| f.name.as_deref() == Some("Children"))
        .expect("field");
    assert_eq!(
        children.items.as_ref().and_then(|i| i.type_ref.as_deref()),
        Some("Node")
    );
}

#[test]
fn a_dangling_ref_is_an_error_with_its_path() {
    let v = doc(
        json!({"Act": {"parameters": [], "responses": {"200": {"schema": {"type": "object",
        "properties": {"X": {"$ref": "#/components/schemas/Missing"}}}}}}}),
    );
    let errors = import(&v).expect_err("a reference to nothing");
    assert_eq!(errors[0].path, "apis.Act.responses.200.schema.properties.X");
    assert!(
        errors[0].message.contains("Missing"),
        "{}",
        errors[0].message
    );
}

#[test]
fn missing_descriptions_import_as_empty_text() {
    let s = spec(&one_param(
        json!({"name": "Bare", "in": "query", "schema": {"type": "string"}}),
    ));
    assert!(s.actions["Act"].params[0].description.is_empty());
    assert!(s.actions["Act"].summary.is_empty());
}

#[test]
fn enum_meanings_only_in_prose_become_an_enum_with_its_phrase() {
    let s = spec(&one_param(
        json!({"name": "Mode", "in": "query", "schema": {"type": "string",
        "description": "模式。取值：\n- **FAST**：快速。\n- **SAFE**：安全。"}}),
    ));
    let p = &s.actions["Act"].params[0];
    let values: Vec<&str> = p
        .enum_values
        .as_ref()
        .expect("enum")
        .iter()
        .map(|v| v.value.as_str())
        .collect();
    assert_eq!(values, ["FAST", "SAFE"]);
    assert!(
        p.prose
            .enum_values
            .as_deref()
            .is_some_and(|ph| ph.contains("**FAST**"))
    );
}

#[test]
fn exclusive_bounds_and_bounds_as_numbers_or_strings() {
    let s = spec(&one_param(
        json!({"name": "Ratio", "in": "query", "schema": {"type": "number",
        "format": "double", "minimum": 0, "exclusiveMinimum": true, "maximum": "1.5"}}),
    ));
    let r = s.actions["Act"].params[0].range.clone().expect("range");
    assert_eq!(
        (r.min, r.max, r.exclusive_min, r.exclusive_max),
        (
            Some(popgen_spec::Number::Int(0)),
            Some(popgen_spec::Number::Float(1.5)),
            true,
            false
        )
    );
}

#[test]
fn degenerate_bounds_are_dropped_with_a_note() {
    let s = spec(&one_param(
        json!({"name": "Id", "in": "query", "schema": {"type": "integer",
        "format": "int32", "minimum": "0", "maximum": "9223372036854775807"}}),
    ));
    let p = &s.actions["Act"].params[0];
    assert_eq!(p.range.as_ref().and_then(|r| r.max), None);
    assert!(
        p.notes
            .iter()
            .any(|n| n.reference_says.contains("9223372036854775807"))
    );
}

#[test]
fn a_directory_naming_a_missing_action_and_junk_children_are_harmless() {
    let mut v = one_param(json!({"name": "A", "in": "query", "schema": {"type": "string"}}));
    v["directories"] = json!([{"id": 7, "title": "组", "children": ["Act", "Nope", 42]}]);
    let imported = import(&v).expect("imports");
    assert!(
        imported
            .warnings
            .iter()
            .any(|w| w.path == "directories[0].children[2]"),
        "{:#?}",
        imported.warnings
    );
    assert!(imported.files.contains_key("area-7.yaml"));
}

#[test]
fn bad_inputs_are_errors_that_say_where() {
    let cases: Vec<(&str, String)> = vec![
        ("not JSON", "{\"apis\": ".into()),
        ("top-level array", "[1, 2]".into()),
        ("no apis", "{\"info\": {}}".into()),
        (
            "ROA product",
            json!({"info": {"style": "ROA"}, "apis": {}}).to_string(),
        ),
    ];
    for (what, text) in cases {
        let errors = popgen_import::import(&[("bad.json".into(), text)]).expect_err(what);
        assert!(
            errors.iter().all(|e| e.file == "bad.json"),
            "{what}: {errors:#?}"
        );
        assert!(!errors[0].message.is_empty(), "{what}");
    }
}

#[test]
fn a_huge_string_is_bounded_not_fatal() {
    let big = "长".repeat(17 * 1024 * 1024);
    let v = one_param(
        json!({"name": "Big", "in": "query", "schema": {"type": "string", "description": big}}),
    );
    let text = v.to_string();
    assert!(text.len() > 50 * 1024 * 1024);
    let imported = popgen_import::import(&[("big.json".into(), text)]).expect("imports");
    assert!(
        imported
            .warnings
            .iter()
            .any(|w| w.message.contains("cut to")),
        "{:#?}",
        imported.warnings
    );
    assert!(imported.files.values().all(|t| t.len() < 1024 * 1024));
    let too_big = format!("{{\"x\": \"{}\"}}", "a".repeat(popgen_import::MAX_INPUT));
    let errors = popgen_import::import(&[("huge.json".into(), too_big)]).expect_err("over the cap");
    assert!(errors[0].message.contains("bytes"), "{}", errors[0].message);
}

/// Metadata-shaped JSON with random shapes and values where the format has them.
fn any_schema() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(json!({"type": "string"})),
        Just(json!({"type": "integer", "format": "int32", "minimum": "1", "maximum": "3"})),
        Just(json!({"type": "integer", "minimum": 9, "maximum": 2})),
        Just(json!({"type": "boolean", "default": "maybe"})),
        Just(json!({"type": "number", "exclusiveMaximum": "yes"})),
        Just(json!({"type": 5})),
        Just(json!({"$ref": "#/components/schemas/S"})),
        Just(json!(null)),
        "[\\PC]{0,40}".prop_map(|d| json!({"type": "string", "description": d})),
    ];
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            inner
                .clone()
                .prop_map(|i| json!({"type": "array", "items": i})),
            prop::collection::btree_map("[A-Za-z]{1,6}", inner, 0..4)
                .prop_map(|p| json!({"type": "object", "properties": p})),
        ]
    })
}

fn any_param() -> impl Strategy<Value = Value> {
    (
        "[A-Za-z]{0,8}",
        prop_oneof![Just("query"), Just("formData"), Just("header"), Just("body")],
        prop_oneof![Just(Value::Null), Just(json!("repeatList")), Just(json!("flat")), Just(json!("json")), Just(json!("simple")), Just(json!(3))],
        any_schema(),
    )
        .prop_map(|(name, at, style, schema)| json!({"name": name, "in": at, "style": style, "schema": schema}))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn any_metadata_imports_or_says_why_and_never_panics(
        params in prop::collection::vec(any_param(), 0..6),
        response in any_schema(),
        schemas in prop::collection::btree_map("S|T", any_schema(), 0..2),
    ) {
        let v = json!({"info": {"style": "RPC", "product": "Gen", "version": "2020-01-01"},
            "components": {"schemas": schemas},
            "apis": {"Gen": {"parameters": params, "responses": {"200": {"schema": response}}}}});
        match popgen_import::import(&[("gen.json".into(), v.to_string())]) {
            Ok(imported) => {
                let texts = imported.files.into_iter().collect();
                let loaded = popgen_spec::load::load_texts(texts);
                prop_assert!(loaded.is_ok(), "imported, but does not check: {:#?}", loaded.err());
            }
            Err(errors) => {
                for e in errors {
                    prop_assert!(!e.file.is_empty() && !e.message.is_empty(), "{e:?}");
                }
            }
        }
    }
}
