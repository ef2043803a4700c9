//! `derive(FromJson, ToJson)` response types: the same lenient rules and error messages as the
//! serde helpers (`decode.rs`), field paths through nesting, lists and JSON text, the same result
//! from JSON and XML, and serde's traits through the tree keeping the path and kind of errors.

use popgen_macros::{FromJson, ToJson, WireEnum};
use popgen_runtime::decode::{
    self, DecodeErrorKind, Format, FromJson as _, JsonText, Path, ToJson as _, decode_body,
    from_body,
};
use serde_json::{Value, json};

#[derive(Debug, Clone, PartialEq, WireEnum)]
enum Status {
    #[popgen(wire = "INIT")]
    Init,
    #[popgen(wire = "200010")]
    Busy,
    #[popgen(other)]
    Unknown(String),
}

#[derive(Debug, Clone, PartialEq, WireEnum)]
enum Closed {
    #[popgen(wire = "A")]
    A,
}

#[derive(Debug, Clone, Default, PartialEq, FromJson, ToJson)]
struct Called {
    #[popgen(wire = "fileName")]
    file_name: Option<String>,
    #[popgen(wire = "rows")]
    rows: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, FromJson, ToJson)]
struct Detail {
    #[popgen(wire = "i32")]
    i32: Option<i32>,
    #[popgen(wire = "i64")]
    i64: Option<i64>,
    #[popgen(wire = "f64")]
    f64: Option<f64>,
    #[popgen(wire = "bool")]
    bool: Option<bool>,
    #[popgen(wire = "string")]
    string: Option<String>,
    #[popgen(wire = "status")]
    status: Option<Status>,
    #[popgen(wire = "closed")]
    closed: Option<Closed>,
    #[popgen(wire = "all")]
    all: Vec<Status>,
    #[popgen(wire = "called")]
    called: Vec<Called>,
    #[popgen(wire = "names")]
    names: Vec<String>,
    #[popgen(wire = "first", sensitive)]
    first: Option<Called>,
    #[popgen(wire = "any")]
    any: Option<Value>,
    #[popgen(skip)]
    local: u8,
}

#[derive(Debug, Clone, Default, PartialEq, FromJson, ToJson)]
struct Response {
    #[popgen(wire = "Code")]
    code: Option<String>,
    #[popgen(wire = "Data")]
    data: Option<JsonText<Detail>>,
    #[popgen(wire = "Page")]
    page: Option<Detail>,
}

fn detail(body: Value) -> Result<Detail, String> {
    from_body(Format::Json, &body.to_string()).map_err(|e| e.to_string())
}

#[test]
fn scalars_follow_the_lenient_rules_and_name_what_was_found() {
    let got = detail(json!({
        "i32": "2147483647", "i64": " 12\n", "f64": "-1.5e3", "bool": "TRUE",
        "string": 12, "status": 200010, "closed": "", "any": {"k": [1]},
    }))
    .unwrap();
    assert_eq!(got.i32, Some(i32::MAX));
    assert_eq!(got.i64, Some(12));
    assert_eq!(got.f64, Some(-1500.0));
    assert_eq!(got.bool, Some(true));
    assert_eq!(got.string.as_deref(), Some("12"));
    assert_eq!(got.status, Some(Status::Busy));
    assert_eq!(got.closed, None);
    assert_eq!(got.any, Some(json!({"k": [1]})));
    // Blank is none for numbers, booleans and enums; an empty string stays text.
    let blank = detail(json!({"i64": "", "bool": " ", "status": null, "string": ""})).unwrap();
    assert_eq!((blank.i64, blank.bool, blank.status), (None, None, None));
    assert_eq!(blank.string.as_deref(), Some(""));
    assert_eq!(detail(json!({})).unwrap(), Detail::default());

    for (field, value, message) in [
        (
            "i64",
            json!("abc"),
            r#"i64: expected an integer, found "abc""#,
        ),
        ("i64", json!(12.5), "i64: expected an integer, found 12.5"),
        (
            "i64",
            json!(u64::MAX),
            "i64: expected an integer, found 18446744073709551615",
        ),
        (
            "i64",
            json!([1]),
            "i64: expected an integer, found an array",
        ),
        (
            "i32",
            json!(3_000_000_000u64),
            "i32: expected a 32-bit integer, found 3000000000",
        ),
        (
            "f64",
            json!("NaN"),
            r#"f64: expected a number, found "NaN""#,
        ),
        ("bool", json!(1.0), "bool: expected a boolean, found 1.0"),
        (
            "status",
            json!(["INIT"]),
            "status: expected a string, found an array",
        ),
        (
            "closed",
            json!("C"),
            r#"closed: unknown value "C", expected one of "A""#,
        ),
        ("first", json!(7), "first: expected an object, found 7"),
    ] {
        assert_eq!(detail(json!({ field: value })).unwrap_err(), message);
    }
    let long = "9".repeat(100);
    let err = detail(json!({ "i64": long })).unwrap_err();
    assert!(err.ends_with("... (100 characters)"), "{err}");
}

#[test]
fn lists_take_one_element_many_or_none_and_errors_carry_the_index() {
    let got = detail(json!({
        "all": ["INIT", "", "NEW"], "called": {"fileName": "a", "rows": "1"},
        "names": ["x", 1, true, null, ""],
    }))
    .unwrap();
    assert_eq!(got.all, [Status::Init, Status::Unknown("NEW".to_owned())]);
    assert_eq!(
        got.called,
        [Called {
            file_name: Some("a".to_owned()),
            rows: Some(1)
        }]
    );
    assert_eq!(got.names, ["x", "1", "true", ""]);
    for empty in [json!(null), json!(""), json!([])] {
        assert_eq!(detail(json!({ "called": empty })).unwrap().called, []);
    }
    let err: decode::DecodeError =
        from_body::<Detail>(Format::Json, r#"{"called": [{}, {"rows": "x"}]}"#).unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::Data);
    assert_eq!(err.path(), Some("called[1].rows"));
    assert_eq!(err.message(), r#"expected an integer, found "x""#);
}

const INNER: &str = r#"{"i64":"7","called":[{"fileName":"f"}]}"#;

fn expected_inner() -> Detail {
    Detail {
        i64: Some(7),
        called: vec![Called {
            file_name: Some("f".to_owned()),
            rows: None,
        }],
        ..Detail::default()
    }
}

#[test]
fn json_text_decodes_keeps_its_raw_text_and_keeps_inner_errors() {
    let body = json!({"Code": "OK", "Extra": [1], "Data": INNER}).to_string();
    let got: Response = from_body(Format::Json, &body).unwrap();
    let data = got.data.unwrap();
    assert_eq!(data.raw(), INNER);
    assert_eq!(data.value(), Some(&expected_inner()));

    // Already decoded in the body: the raw text is its compact JSON.
    let body = json!({"Data": {"i64": 7, "called": {"fileName": "f"}}}).to_string();
    let data = from_body::<Response>(Format::Json, &body)
        .unwrap()
        .data
        .unwrap();
    assert_eq!(data.value(), Some(&expected_inner()));
    assert_eq!(data.raw(), r#"{"called":{"fileName":"f"},"i64":7}"#);

    let body = json!({"Code": "OK", "Data": "{“id”:1}"}).to_string();
    let got: Response = from_body(Format::Json, &body).unwrap();
    assert_eq!(got.code.as_deref(), Some("OK"));
    let err = got.data.unwrap().into_value().unwrap_err();
    assert_eq!(
        (err.kind(), err.position()),
        (DecodeErrorKind::Syntax, Some((1, 2)))
    );

    let body = json!({"Data": "{\"i64\":\"x\"}"}).to_string();
    let data = from_body::<Response>(Format::Json, &body)
        .unwrap()
        .data
        .unwrap();
    assert_eq!(
        data.error().unwrap().to_string(),
        r#"i64: expected an integer, found "x""#
    );

    for blank in [json!(""), json!(null), json!(" ")] {
        let body = json!({ "Data": blank }).to_string();
        assert!(
            from_body::<Response>(Format::Json, &body)
                .unwrap()
                .data
                .is_none()
        );
    }
}

#[test]
fn xml_decodes_into_the_same_value_as_json() {
    let json =
        json!({"Code": "OK", "Page": {"i64": 5, "bool": true, "called": [{"rows": 1}, {"rows": 2}],
        "names": "x"}, "Data": INNER})
        .to_string();
    let xml = "<R><Code>OK</Code><Page><i64>5</i64><bool>true</bool><called><rows>1</rows></called>\
               <called><rows>2</rows></called><names>x</names></Page>\
               <Data>{&quot;i64&quot;:&quot;7&quot;,&quot;called&quot;:[{&quot;fileName&quot;:&quot;f&quot;}]}</Data></R>";
    let from_json: Response = from_body(Format::Json, &json).unwrap();
    let from_xml: Response = from_body(Format::Xml, xml).unwrap();
    assert_eq!(from_json, from_xml);
    assert_eq!(from_xml.page.as_ref().unwrap().called.len(), 2);

    let err = from_body::<Response>(Format::Xml, "<R><Page><i64>x</i64></Page></R>").unwrap_err();
    assert_eq!((err.format(), err.path()), (Format::Xml, Some("Page.i64")));
    let err = from_body::<Response>(Format::Xml, "<R><Page>").unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::Syntax);
    assert_eq!(
        from_body::<Response>(Format::Json, " ").unwrap_err().kind(),
        DecodeErrorKind::Empty
    );
    assert_eq!(
        from_body::<Response>(Format::Json, "[1]")
            .unwrap_err()
            .to_string(),
        "expected an object, found an array"
    );
}

#[test]
fn serde_deserialize_goes_through_the_tree_and_keeps_path_and_kind() {
    let body = r#"{"Page": {"called": [{}, {"rows": "x"}]}}"#;
    for err in [
        decode_body::<Response>(Format::Json, body).unwrap_err(),
        from_body::<Response>(Format::Json, body).unwrap_err(),
    ] {
        assert_eq!(err.kind(), DecodeErrorKind::Data);
        assert_eq!(err.path(), Some("Page.called[1].rows"));
        assert_eq!(
            err.to_string(),
            r#"Page.called[1].rows: expected an integer, found "x""#
        );
    }
    // Inside a serde type of your own, the path goes on from where serde met it.
    #[derive(Debug, serde::Deserialize)]
    struct Outer {
        #[allow(dead_code)]
        items: Vec<Response>,
    }
    let err = decode_body::<Outer>(Format::Json, r#"{"items": [{}, {"Page": {"i64": []}}]}"#)
        .unwrap_err();
    assert_eq!(err.path(), Some("items[1].Page.i64"));
    assert_eq!(err.message(), "expected an integer, found an array");
    // serde_json alone: the message carries the path.
    let err = serde_json::from_str::<Response>(r#"{"Page": {"bool": 2}}"#).unwrap_err();
    assert_eq!(err.to_string(), "Page.bool: expected a boolean, found 2");
    let ok: Response = serde_json::from_str(r#"{"Code": 200}"#).unwrap();
    assert_eq!(ok.code.as_deref(), Some("200"));
}

#[test]
fn to_json_leaves_out_absent_fields_and_round_trips() {
    let response = Response {
        code: Some("OK".to_owned()),
        data: Some(JsonText::from_raw(INNER)),
        page: Some(Detail {
            f64: Some(0.5),
            status: Some(Status::Unknown("NEW".to_owned())),
            all: vec![Status::Init],
            local: 9,
            ..Detail::default()
        }),
    };
    let tree = response.to_json();
    assert_eq!(
        tree,
        json!({"Code": "OK", "Data": INNER, "Page": {"f64": 0.5, "status": "NEW", "all": ["INIT"]}})
    );
    assert_eq!(serde_json::to_value(&response).unwrap(), tree);
    let mut back = Response::from_json(&tree, &Path::Root).unwrap();
    back.page.as_mut().unwrap().local = 9;
    assert_eq!(back, response);
    assert_eq!(Response::default().to_json(), json!({}));
}

/// A member the service spells two ways: read from either key (the `wire` one first), written
/// under `wire`, and an error is placed at the key that was read.
#[derive(Debug, Clone, Default, PartialEq, FromJson, ToJson)]
struct Counts {
    #[popgen(
        wire = "konwledgeCount",
        alias = "knowledgeCount",
        alias = "knowledge_count"
    )]
    knowledge: Option<i64>,
    #[popgen(wire = "sureCount")]
    sure: Option<i64>,
}

#[test]
fn aliases_are_read_and_the_wire_name_is_written() {
    for key in ["konwledgeCount", "knowledgeCount", "knowledge_count"] {
        let counts: Counts = from_body(Format::Json, &format!(r#"{{"{key}": "3"}}"#)).unwrap();
        assert_eq!(counts.knowledge, Some(3), "{key}");
        assert_eq!(counts.to_json(), json!({"konwledgeCount": 3}));
    }
    let both: Counts = from_body(
        Format::Json,
        r#"{"knowledgeCount": 1, "konwledgeCount": 2}"#,
    )
    .unwrap();
    assert_eq!(both.knowledge, Some(2), "the wire name wins");
    let err = from_body::<Counts>(Format::Json, r#"{"knowledgeCount": "x"}"#).unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"knowledgeCount: expected an integer, found "x""#
    );
    let xml: Counts = from_body(Format::Xml, "<R><knowledgeCount>5</knowledgeCount></R>").unwrap();
    assert_eq!(xml.knowledge, Some(5));
}
