//! Response decoding: the lenient helpers at their edges, JSON text fields, open enums, XML
//! bodies decoding into the same types as JSON, and malformed bodies failing without panics.

use popgen_macros::WireEnum;
use popgen_runtime::decode::{self, DecodeErrorKind, Format, JsonText, decode_body, xml_to_json};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

#[derive(Debug, Default, PartialEq, Deserialize)]
struct Scalars {
    #[serde(default, deserialize_with = "decode::option_i32")]
    i32: Option<i32>,
    #[serde(default, deserialize_with = "decode::option_i64")]
    i64: Option<i64>,
    #[serde(default, deserialize_with = "decode::option_f64")]
    f64: Option<f64>,
    #[serde(default, deserialize_with = "decode::option_bool")]
    bool: Option<bool>,
    #[serde(default, deserialize_with = "decode::option_string")]
    string: Option<String>,
}

/// `Scalars` from one JSON field, e.g. `one("i64", json!("12"))`.
fn one(field: &str, value: Value) -> Result<Scalars, String> {
    let body = json!({ field: value }).to_string();
    decode_body(Format::Json, &body).map_err(|e| e.to_string())
}

#[test]
fn integers_accept_numbers_and_numeric_strings() {
    for (value, expected) in [
        (json!(12), Some(12)),
        (json!("12"), Some(12)),
        (json!(" 12\n"), Some(12)),
        (json!("-7"), Some(-7)),
        (json!(12.0), Some(12)),
        (json!("12.0"), Some(12)),
        (json!(""), None),
        (json!("  "), None),
        (json!(null), None),
        (json!(i64::MAX.to_string()), Some(i64::MAX)),
        (json!(i64::MIN), Some(i64::MIN)),
    ] {
        assert_eq!(one("i64", value.clone()).unwrap().i64, expected, "{value}");
    }
    assert_eq!(one("i32", json!("2147483647")).unwrap().i32, Some(i32::MAX));
    assert_eq!(
        decode_body::<Scalars>(Format::Json, "{}").unwrap(),
        Scalars::default()
    );
}

#[test]
fn integers_reject_what_is_not_one_and_say_what_was_found() {
    for (value, found) in [
        (json!("abc"), r#""abc""#),
        (json!(12.5), "12.5"),
        (json!("1e400"), r#""1e400""#),
        (json!(true), "true"),
        (json!(u64::MAX), "18446744073709551615"),
        (json!({"a": 1}), "an object"),
        (json!([1]), "an array"),
    ] {
        let err = one("i64", value).unwrap_err();
        assert_eq!(err, format!("i64: expected an integer, found {found}"));
    }
    assert_eq!(
        one("i32", json!(3_000_000_000u64)).unwrap_err(),
        "i32: expected a 32-bit integer, found 3000000000"
    );
    let long = "9".repeat(100);
    let err = one("i64", json!(long)).unwrap_err();
    assert!(err.ends_with("... (100 characters)"), "{err}");
}

#[test]
fn floats_accept_numbers_and_finite_numeric_strings() {
    for (value, expected) in [
        (json!(0.85), Some(0.85)),
        (json!("0.85"), Some(0.85)),
        (json!(" -1.5e3 "), Some(-1500.0)),
        (json!(3), Some(3.0)),
        (json!(""), None),
        (json!(null), None),
    ] {
        assert_eq!(one("f64", value.clone()).unwrap().f64, expected, "{value}");
    }
    for text in ["NaN", "inf", "-infinity", "1,5", "１"] {
        let err = one("f64", json!(text)).unwrap_err();
        assert_eq!(err, format!("f64: expected a number, found {text:?}"));
    }
}

#[test]
fn booleans_accept_words_in_any_case_and_one_or_zero() {
    for (value, expected) in [
        (json!(true), Some(true)),
        (json!(false), Some(false)),
        (json!("true"), Some(true)),
        (json!("TRUE"), Some(true)),
        (json!(" False "), Some(false)),
        (json!(1), Some(true)),
        (json!(0), Some(false)),
        (json!("1"), Some(true)),
        (json!("0"), Some(false)),
        (json!(""), None),
        (json!(null), None),
    ] {
        assert_eq!(
            one("bool", value.clone()).unwrap().bool,
            expected,
            "{value}"
        );
    }
    for (value, found) in [
        (json!("yes"), r#""yes""#),
        (json!(2), "2"),
        (json!(1.0), "1.0"),
    ] {
        let err = one("bool", value).unwrap_err();
        assert_eq!(err, format!("bool: expected a boolean, found {found}"));
    }
}

#[test]
fn strings_take_numbers_booleans_and_structures_as_their_text() {
    for (value, expected) in [
        (json!("张三"), Some("张三")),
        (json!(""), Some("")),
        (json!(" x "), Some(" x ")),
        (json!(12), Some("12")),
        (json!(-3), Some("-3")),
        (json!(1.5), Some("1.5")),
        (json!(true), Some("true")),
        (json!(null), None),
    ] {
        let got = one("string", value.clone()).unwrap().string;
        assert_eq!(got.as_deref(), expected, "{value}");
    }
    // Structured data where a string is documented is kept as its JSON text, not fatal.
    assert_eq!(
        one("string", json!({"k": "v"})).unwrap().string.as_deref(),
        Some(r#"{"k":"v"}"#)
    );
    assert_eq!(
        one("string", json!(["1321111*****"]))
            .unwrap()
            .string
            .as_deref(),
        Some(r#"["1321111*****"]"#)
    );
}

#[derive(Debug, Clone, PartialEq, WireEnum)]
enum TaskStatus {
    #[popgen(wire = "INIT")]
    Init,
    #[popgen(wire = "RUNNING")]
    Running,
    #[popgen(wire = "200010")]
    Busy,
    #[popgen(other)]
    Unknown(String),
}

#[derive(Debug, Clone, PartialEq, WireEnum)]
enum Closed {
    #[popgen(wire = "A")]
    A,
    #[popgen(wire = "B")]
    B,
}

#[derive(Debug, PartialEq, Deserialize)]
struct Enums {
    #[serde(default, deserialize_with = "decode::option_open_enum")]
    status: Option<TaskStatus>,
    #[serde(default, deserialize_with = "decode::option_open_enum")]
    closed: Option<Closed>,
    #[serde(default, deserialize_with = "decode::vec_open_enum")]
    all: Vec<TaskStatus>,
}

fn enums(body: Value) -> Result<Enums, String> {
    decode_body(Format::Json, &body.to_string()).map_err(|e| e.to_string())
}

#[test]
fn open_enums_keep_unknown_values() {
    let got = enums(json!({"status": "PAUSED"})).unwrap();
    assert_eq!(got.status, Some(TaskStatus::Unknown("PAUSED".to_owned())));
    assert_eq!(
        enums(json!({"status": "INIT"})).unwrap().status,
        Some(TaskStatus::Init)
    );
    // A numeric code sent as a number is read as its text.
    assert_eq!(
        enums(json!({"status": 200010})).unwrap().status,
        Some(TaskStatus::Busy)
    );
    assert_eq!(
        enums(json!({"status": 7})).unwrap().status,
        Some(TaskStatus::Unknown("7".to_owned()))
    );
    for blank in [json!(""), json!(null)] {
        assert_eq!(enums(json!({"status": blank})).unwrap().status, None);
    }
    let all = enums(json!({"all": ["RUNNING", "", "NEW"]})).unwrap().all;
    assert_eq!(
        all,
        [TaskStatus::Running, TaskStatus::Unknown("NEW".to_owned())]
    );
    assert_eq!(
        enums(json!({"all": "INIT"})).unwrap().all,
        [TaskStatus::Init]
    );
}

#[test]
fn enums_without_an_other_variant_name_the_known_values() {
    assert_eq!(
        enums(json!({"closed": "B"})).unwrap().closed,
        Some(Closed::B)
    );
    assert_eq!(
        enums(json!({"closed": "C"})).unwrap_err(),
        r#"closed: unknown value "C", expected one of "A", "B""#
    );
    assert_eq!(
        enums(json!({"status": ["INIT"]})).unwrap_err(),
        "status: expected a string, found an array"
    );
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Called {
    #[serde(default, deserialize_with = "decode::option_string")]
    file_name: Option<String>,
    #[serde(default, deserialize_with = "decode::option_i64")]
    rows: Option<i64>,
}

#[derive(Debug, PartialEq, Deserialize)]
struct Lists {
    #[serde(default, deserialize_with = "decode::vec_one_or_many")]
    called: Vec<Called>,
    #[serde(default, deserialize_with = "decode::vec_string")]
    names: Vec<String>,
}

#[test]
fn vectors_take_one_element_many_or_none() {
    let list = |v: Value| decode_body::<Lists>(Format::Json, &v.to_string()).unwrap();
    let a = Called {
        file_name: Some("a".to_owned()),
        rows: Some(1),
    };
    assert_eq!(
        list(json!({"called": {"fileName": "a", "rows": "1"}})).called,
        std::slice::from_ref(&a)
    );
    assert_eq!(
        list(json!({"called": [{"fileName": "a", "rows": 1}, {}]})).called,
        [
            a,
            Called {
                file_name: None,
                rows: None
            }
        ]
    );
    for empty in [
        json!({}),
        json!({"called": null}),
        json!({"called": ""}),
        json!({"called": []}),
    ] {
        assert_eq!(list(empty).called, []);
    }
    assert_eq!(
        list(json!({"names": ["x", 1, true, null]})).names,
        ["x", "1", "true"]
    );
    assert_eq!(list(json!({"names": 5})).names, ["5"]);

    let err = decode_body::<Lists>(Format::Json, r#"{"called": [{}, {"rows": "x"}]}"#).unwrap_err();
    assert_eq!(err.path(), Some("called[1].rows"));
    assert_eq!(
        err.to_string(),
        r#"called[1].rows: expected an integer, found "x""#
    );
}

#[test]
fn xml_repeated_elements_fill_the_same_vec_as_one_element() {
    let one = "<R><called><fileName>a</fileName><rows>1</rows></called></R>";
    let many = "<R>\n  <called><fileName>a</fileName><rows>1</rows></called>\n  \
                <called><fileName>b</fileName></called>\n  <names>x</names><names>y</names>\n</R>";
    let one: Lists = decode_body(Format::Xml, one).unwrap();
    let many: Lists = decode_body(Format::Xml, many).unwrap();
    assert_eq!(one.called.len(), 1);
    assert_eq!(one.called[0].rows, Some(1));
    assert_eq!(many.called.len(), 2);
    assert_eq!(many.called[0], one.called[0]);
    assert_eq!(many.called[1].file_name.as_deref(), Some("b"));
    assert_eq!(many.names, ["x", "y"]);
    let empty: Lists = decode_body(Format::Xml, "<R><called/><names></names></R>").unwrap();
    assert_eq!((empty.called.len(), empty.names.len()), (0, 0));
}

#[test]
fn xml_converts_text_children_repeats_entities_and_empties() {
    let body = r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment -->
<ns:ListResponse xmlns:ns="urn:x" attr="ignored">
  <Code>OK</Code>
  <Message>a &amp; b &lt;c&gt; &#20013;&#x6587; &quot;q&quot;</Message>
  <Raw><![CDATA[<not> & parsed]]></Raw>
  <Blank>   </Blank>
  <Empty/>
  <Items>
    <Item id="1"><Name>x</Name></Item>
    <Item><Name>y</Name></Item>
  </Items>
</ns:ListResponse>"#;
    let (root, value) = xml_to_json(body).unwrap();
    assert_eq!(root, "ListResponse");
    assert_eq!(
        value,
        json!({
            "Code": "OK",
            "Message": "a & b <c> 中文 \"q\"",
            "Raw": "<not> & parsed",
            "Blank": null,
            "Empty": null,
            "Items": {"Item": [{"Name": "x"}, {"Name": "y"}]},
        })
    );
    let (root, value) = xml_to_json("<Error><Code>Throttling</Code></Error>").unwrap();
    assert_eq!(
        (root.as_str(), value),
        ("Error", json!({"Code": "Throttling"}))
    );
    let (_, value) = xml_to_json("\u{feff}<R>text only</R>").unwrap();
    assert_eq!(value, json!("text only"));
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TaskDetail {
    #[serde(default, deserialize_with = "decode::option_i64")]
    id: Option<i64>,
    #[serde(default, deserialize_with = "decode::option_string")]
    task_name: Option<String>,
    #[serde(default, deserialize_with = "decode::option_i64")]
    robot_id: Option<i64>,
    #[serde(default, deserialize_with = "decode::option_bool")]
    number_status_ident: Option<bool>,
    #[serde(default, deserialize_with = "decode::option_open_enum")]
    status: Option<TaskStatus>,
    #[serde(default, deserialize_with = "decode::option_i32")]
    recall_times: Option<i32>,
    #[serde(default, deserialize_with = "decode::vec_one_or_many")]
    called: Vec<Called>,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct QueryRobotTaskDetailResponse {
    #[serde(default, deserialize_with = "decode::option_string")]
    request_id: Option<String>,
    #[serde(default, deserialize_with = "decode::option_string")]
    code: Option<String>,
    #[serde(default, deserialize_with = "decode::option_string")]
    message: Option<String>,
    #[serde(default, deserialize_with = "decode::option_json_text")]
    data: Option<JsonText<TaskDetail>>,
}

const DETAIL_JSON: &str = r#"{
  "RequestId": "D9CB3933-9FE3-4870-BA8E-2BEE91B69D23",
  "Code": "OK",
  "Message": "OK",
  "Extra": {"ignored": [1, 2]},
  "Data": "{\"id\":1045001,\"taskName\":\"智能语音务\",\"robotId\":1000000075003,\"numberStatusIdent\":true,\"status\":\"INIT\",\"recallTimes\":2,\"retryType\":1,\"called\":[{\"fileName\":\"5102636f--robotCallApi\"}]}"
}"#;

const DETAIL_XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<QueryRobotTaskDetailResponse>
  <RequestId>D9CB3933-9FE3-4870-BA8E-2BEE91B69D23</RequestId>
  <Code>OK</Code>
  <Message>OK</Message>
  <Extra><ignored>1</ignored></Extra>
  <Data>{&quot;id&quot;:1045001,&quot;taskName&quot;:&quot;智能语音务&quot;,&quot;robotId&quot;:1000000075003,&quot;numberStatusIdent&quot;:true,&quot;status&quot;:&quot;INIT&quot;,&quot;recallTimes&quot;:2,&quot;retryType&quot;:1,&quot;called&quot;:[{&quot;fileName&quot;:&quot;5102636f--robotCallApi&quot;}]}</Data>
</QueryRobotTaskDetailResponse>"#;

fn expected_detail() -> TaskDetail {
    TaskDetail {
        id: Some(1_045_001),
        task_name: Some("智能语音务".to_owned()),
        robot_id: Some(1_000_000_075_003),
        number_status_ident: Some(true),
        status: Some(TaskStatus::Init),
        recall_times: Some(2),
        called: vec![Called {
            file_name: Some("5102636f--robotCallApi".to_owned()),
            rows: None,
        }],
    }
}

#[test]
fn a_realistic_response_decodes_the_same_from_json_and_xml() {
    let json: QueryRobotTaskDetailResponse = decode_body(Format::Json, DETAIL_JSON).unwrap();
    let xml: QueryRobotTaskDetailResponse = decode_body(Format::Xml, DETAIL_XML).unwrap();
    assert_eq!(json, xml);
    assert_eq!(json.code.as_deref(), Some("OK"));
    let data = json.data.unwrap();
    assert_eq!(data.decoded(), Ok(&expected_detail()));
    assert!(data.raw().starts_with(r#"{"id":1045001,"taskName""#));
}

#[test]
fn json_text_also_accepts_the_value_already_decoded() {
    // As the reference's example shows it: Data as an object, numbers as strings.
    let body = json!({
        "Code": "OK",
        "Data": {
            "id": "1045001", "taskName": "智能语音务", "robotId": 1_000_000_075_003_i64,
            "numberStatusIdent": "true", "status": "INIT", "recallTimes": "2",
            "called": {"fileName": "5102636f--robotCallApi"},
        },
    });
    let got: QueryRobotTaskDetailResponse = decode_body(Format::Json, &body.to_string()).unwrap();
    let data = got.data.unwrap();
    assert_eq!(data.value(), Some(&expected_detail()));
    // The raw text is the compact JSON of what was sent.
    let raw: Value = serde_json::from_str(data.raw()).unwrap();
    assert_eq!(raw, body["Data"]);

    // The same from XML with Data as nested elements.
    let xml = "<QueryRobotTaskDetailResponse><Code>OK</Code><Data><id>1045001</id>\
               <taskName>智能语音务</taskName><robotId>1000000075003</robotId>\
               <numberStatusIdent>true</numberStatusIdent><status>INIT</status>\
               <recallTimes>2</recallTimes><called><fileName>5102636f--robotCallApi</fileName>\
               </called></Data></QueryRobotTaskDetailResponse>";
    let got: QueryRobotTaskDetailResponse = decode_body(Format::Xml, xml).unwrap();
    assert_eq!(got.data.unwrap().value(), Some(&expected_detail()));
}

#[test]
fn invalid_inner_json_keeps_the_response_and_the_raw_text() {
    // Curly quotes and a full-width comma, as in the reference.
    let inner = "{“id”:1，\"taskName\":\"x\"}";
    let body = json!({"Code": "OK", "RequestId": "r", "Data": inner}).to_string();
    let got: QueryRobotTaskDetailResponse = decode_body(Format::Json, &body).unwrap();
    assert_eq!(got.code.as_deref(), Some("OK"));
    let data = got.data.unwrap();
    assert_eq!(data.raw(), inner);
    let err = data.decoded().unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::Syntax);
    assert_eq!(err.position(), Some((1, 2)));
    assert!(data.value().is_none());
    assert!(format!("{data:?}").contains("error"), "{data:?}");

    // Well-formed inner JSON of the wrong shape is kept too, with the path inside it.
    let body = json!({"Data": "{\"id\":\"x\"}"}).to_string();
    let got: QueryRobotTaskDetailResponse = decode_body(Format::Json, &body).unwrap();
    let err = got.data.unwrap().into_value().unwrap_err();
    assert_eq!(err.to_string(), r#"id: expected an integer, found "x""#);
}

#[test]
fn json_text_blank_is_none_and_round_trips_as_a_string() {
    for blank in [json!(""), json!(null), json!(" ")] {
        let body = json!({"Data": blank}).to_string();
        let got: QueryRobotTaskDetailResponse = decode_body(Format::Json, &body).unwrap();
        assert!(got.data.is_none());
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Holder {
        data: JsonText<Called>,
    }
    let called = Called {
        file_name: Some("f".to_owned()),
        rows: Some(3),
    };
    let holder = Holder {
        data: JsonText::encode(called.clone()).unwrap(),
    };
    let text = serde_json::to_string(&holder).unwrap();
    assert_eq!(text, r#"{"data":"{\"fileName\":\"f\",\"rows\":3}"}"#);
    let back: Holder = serde_json::from_str(&text).unwrap();
    assert_eq!(back, holder);
    assert_eq!(back.data.into_value(), Ok(called));

    // Invalid text round-trips unchanged as well.
    let bad = JsonText::<Called>::from_raw("{oops");
    assert_eq!(serde_json::to_value(&bad).unwrap(), json!("{oops"));
}

#[test]
fn data_errors_name_the_field_path_in_both_formats() {
    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Page {
        #[serde(default, deserialize_with = "decode::option_object")]
        data: Option<PageData>,
    }
    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct PageData {
        #[serde(default, deserialize_with = "decode::option_i64")]
        total: Option<i64>,
    }
    let json = decode_body::<Page>(Format::Json, r#"{"Data": {"Total": "x"}}"#).unwrap_err();
    let xml = decode_body::<Page>(Format::Xml, "<R><Data><Total>x</Total></Data></R>").unwrap_err();
    for err in [&json, &xml] {
        assert_eq!(err.kind(), DecodeErrorKind::Data);
        assert_eq!(err.path(), Some("Data.Total"));
        assert_eq!(err.message(), r#"expected an integer, found "x""#);
        assert_eq!(
            err.to_string(),
            r#"Data.Total: expected an integer, found "x""#
        );
    }
    assert_eq!((json.format(), xml.format()), (Format::Json, Format::Xml));

    // `""` for a nested object is "none", not an error.
    let page: Page = decode_body(Format::Json, r#"{"Data": ""}"#).unwrap();
    assert!(page.data.is_none());
    let page: Page = decode_body(Format::Xml, "<R><Data/></R>").unwrap();
    assert!(page.data.is_none());
    let page: Page = decode_body(Format::Json, r#"{"Data": {"Total": "4"}}"#).unwrap();
    assert_eq!(page.data.unwrap().total, Some(4));
}

#[test]
fn malformed_bodies_are_errors_that_say_where() {
    let cases: &[(Format, &str, DecodeErrorKind, &str)] = &[
        (
            Format::Json,
            "",
            DecodeErrorKind::Empty,
            "empty response body",
        ),
        (
            Format::Xml,
            " \n",
            DecodeErrorKind::Empty,
            "empty response body",
        ),
        (
            Format::Json,
            r#"{"Code": "OK", "Data": {"#,
            DecodeErrorKind::Syntax,
            "invalid JSON at line 1, column 24: EOF while parsing an object",
        ),
        (
            Format::Json,
            r#"{"Code": "OK"} trailing"#,
            DecodeErrorKind::Syntax,
            "invalid JSON at line 1, column 16: trailing characters",
        ),
        (
            Format::Xml,
            "<R><Code>OK</Code>\n<Data>",
            DecodeErrorKind::Syntax,
            "invalid XML at line 2, column 7: element <Data> is not closed",
        ),
        (
            Format::Xml,
            "<R><Code>OK</Cod></R>",
            DecodeErrorKind::Syntax,
            "invalid XML at line 1, column 12: ill-formed document: \
             expected `</Code>`, but `</Cod>` was found",
        ),
        (
            Format::Xml,
            "<R/><S/>",
            DecodeErrorKind::Syntax,
            "invalid XML at line 1, column 5: element <S> after the root element",
        ),
        (
            Format::Xml,
            "just text",
            DecodeErrorKind::Syntax,
            "invalid XML at line 1, column 1: text outside the root element",
        ),
        (
            Format::Xml,
            "<R>&bogus;</R>",
            DecodeErrorKind::Syntax,
            "invalid XML at line 1, column 4: at 1..6: unrecognized entity `bogus`",
        ),
        (
            Format::Json,
            r#"<?xml version="1.0"?><R/>"#,
            DecodeErrorKind::Syntax,
            "invalid JSON at line 1, column 1: expected value",
        ),
    ];
    for (format, body, kind, message) in cases {
        let err = decode_body::<Value>(*format, body).unwrap_err();
        assert_eq!(
            (err.kind(), err.to_string().as_str()),
            (*kind, *message),
            "{body:?}"
        );
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let xml = format!("{}{}", "<a>".repeat(10_000), "</a>".repeat(10_000));
    let err = decode_body::<Value>(Format::Xml, &xml).unwrap_err();
    assert!(err.to_string().contains("nested deeper than 128"), "{err}");
    let json = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let err = decode_body::<Value>(Format::Json, &json).unwrap_err();
    assert!(err.to_string().contains("recursion limit"), "{err}");
}

proptest! {
    #[test]
    fn arbitrary_bodies_never_panic(body in any::<String>()) {
        for format in [Format::Json, Format::Xml] {
            let _ = decode_body::<Value>(format, &body);
            let _ = decode_body::<QueryRobotTaskDetailResponse>(format, &body);
        }
    }

    #[test]
    fn markup_like_bodies_never_panic(body in r#"[<>/a-zA-Z0-9"{}\[\]:,&#;!? \n-]{0,80}"#) {
        for format in [Format::Json, Format::Xml] {
            let _ = decode_body::<QueryRobotTaskDetailResponse>(format, &body);
            let _ = decode_body::<Lists>(format, &body);
        }
    }

    #[test]
    fn integers_as_text_or_numbers_decode_the_same(n in any::<i64>()) {
        let as_number = one("i64", json!(n)).unwrap().i64;
        let as_text = one("i64", json!(n.to_string())).unwrap().i64;
        let xml: Scalars = decode_body(Format::Xml, &format!("<R><i64>{n}</i64></R>")).unwrap();
        prop_assert_eq!(as_number, Some(n));
        prop_assert_eq!(as_text, Some(n));
        prop_assert_eq!(xml.i64, Some(n));
    }
}
