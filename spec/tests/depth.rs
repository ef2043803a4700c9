//! Nesting is limited where the YAML is read (`yaml::MAX_DEPTH`), so that no recursive stage
//! after it (the schema walk, building the JSON document, serde, the layering, the semantic
//! checks with their example bodies, dropping the trees) can run out of stack. These tests run on
//! a test thread's 2 MiB stack, in the debug build, with a spec nested as deep as the limit
//! allows: it must load, and with a mistake at the bottom it must be reported there.

use popgen_spec::load::load_texts;
use popgen_spec::yaml;

/// A named type `Deep` of `levels` objects, each the only field of the one above, written on one
/// line; the innermost object holds `leaf`.
fn deep_type(levels: usize, leaf: &str) -> String {
    let mut field = leaf.to_owned();
    for _ in 0..levels {
        field = format!("{{name: a, type: object, fields: [{field}]}}");
    }
    format!("types:\n  Deep: {{type: object, fields: [{field}]}}\n")
}

/// The deepest `Deep` the YAML limit lets through, with the number of its levels.
fn deepest(leaf: &str) -> (usize, String) {
    let fits = |n: usize| yaml::parse(&deep_type(n, leaf)).is_ok();
    let levels = (0..yaml::MAX_DEPTH)
        .take_while(|&n| fits(n))
        .last()
        .unwrap();
    let err = yaml::parse(&deep_type(levels + 1, leaf)).unwrap_err();
    assert!(err.message.contains("nests deeper"), "{}", err.message);
    (levels, deep_type(levels, leaf))
}

/// The minimal spec with a `Deep` field in its response, and example bodies as deep as it.
fn spec_with(types: String, levels: usize) -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
    let mut texts = popgen_spec::load::read_texts(&[dir]).expect("the minimal spec is readable");
    let json = format!(
        r#"{{"RequestId": "abc", "Code": "OK", "Deep": {}{{"z": "x"}}{}}}"#,
        r#"{"a": "#.repeat(levels),
        "}".repeat(levels)
    );
    let xml = format!(
        "<PingResponse><Code>OK</Code><Deep>{}<z>x</z>{}</Deep></PingResponse>",
        "<a>".repeat(levels),
        "</a>".repeat(levels)
    );
    for (_, text) in texts
        .iter_mut()
        .filter(|(name, _)| name.ends_with("actions.yaml"))
    {
        *text = text
            .replace(
                "      - name: Code\n",
                "      - {name: Deep, type_ref: Deep}\n      - name: Code\n",
            )
            .replace(
                r#"body: '{"RequestId": "abc", "Code": "OK"}'"#,
                &format!("body: '{json}'"),
            )
            .replace(
                "body: \"<PingResponse><RequestId>abc</RequestId><Code>OK</Code></PingResponse>\"",
                &format!("body: \"{xml}\""),
            );
    }
    texts.push(("types.yaml".into(), types));
    texts
}

#[test]
fn a_spec_nested_as_deep_as_the_limit_loads() {
    let (levels, types) = deepest("{name: z, type: string}");
    assert!(
        levels >= 25,
        "the limit leaves room for real specs: {levels} levels"
    );
    let texts = spec_with(types, levels);
    match load_texts(texts) {
        Ok(loaded) => assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings),
        Err(errors) => panic!("{}", errors[0]),
    }
}

#[test]
fn a_mistake_at_the_bottom_of_the_deepest_spec_is_reported_there() {
    let (levels, types) = deepest("{name: z, type: string, requried: true}");
    let errors = load_texts(spec_with(types, levels)).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].message, "unknown key `requried`");
    assert_eq!(errors[0].file, "types.yaml");
    assert!(
        errors[0].path.ends_with(".fields[z].requried"),
        "{}",
        errors[0].path
    );
}

#[test]
fn an_example_nested_deeper_than_the_spec_is_an_error_not_a_crash() {
    let (levels, types) = deepest("{name: z, type: string}");
    let mut texts = spec_with(types, levels);
    for (_, text) in texts
        .iter_mut()
        .filter(|(name, _)| name.ends_with("actions.yaml"))
    {
        *text = text.replace(
            r#""z": "x""#,
            &format!("\"z\": {}1{}", "[".repeat(500), "]".repeat(500)),
        );
    }
    let errors = load_texts(texts).unwrap_err();
    assert!(
        errors.iter().any(|e| e.message.contains("recursion limit")),
        "{errors:?}"
    );
}
