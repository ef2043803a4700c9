//! The derives on an IvrCall-like request: every violation reported with its wire path, wire
//! pairs in field order, and parsing pairs back with every problem reported together.

use std::collections::BTreeMap;

use popgen_macros::{RedactedDebug, RpcParams, Validate, WireEnum};
use popgen_runtime::params::{RpcParams as _, ToWire};
use popgen_runtime::rules::{LengthUnit, Limit, Rule};
use popgen_runtime::validation::{Path, Report, Severity, Validate as _, ValidationMode};

#[derive(Debug, Clone, PartialEq, WireEnum)]
enum TaskStatus {
    #[popgen(wire = "RUNNING")]
    Running,
    #[popgen(wire = "STOP")]
    Stop,
}

#[derive(Debug, Clone, PartialEq, WireEnum)]
enum CallStatus {
    #[popgen(wire = "200000")]
    Ok,
    #[popgen(other)]
    Unknown(String),
}

#[derive(Debug, Clone, PartialEq, Validate, RpcParams)]
struct MenuKeyMap {
    #[popgen(wire = "Key", one_of("1", "2", "3"))]
    key: String,
    #[popgen(wire = "Code", pattern = "^TTS_[0-9]+$")]
    code: String,
}

fn ivr_call_rules(req: &IvrCallRequest, path: &Path<'_>, report: &mut Report) {
    if req.start_code.starts_with("TTS_") && req.start_tts_params.is_none() {
        report.custom(
            &path.field("StartTtsParams"),
            "is required when StartCode is a TTS template",
        );
    }
}

#[derive(Clone, PartialEq, RedactedDebug, Validate, RpcParams)]
#[popgen(rule = ivr_call_rules)]
struct IvrCallRequest {
    #[popgen(wire = "CalledShowNumber", sensitive, length(min = 11, max = 12, unit = bytes))]
    called_show_number: String,
    #[popgen(wire = "StartCode")]
    start_code: String,
    #[popgen(wire = "PlayTimes", range(min = 1, max = 3))]
    play_times: Option<i64>,
    #[popgen(wire = "PauseTime", range(min = 300, max = 1200), fallback)]
    pause_time: Option<i32>,
    #[popgen(wire = "OutId", length(min = 1, max = 15, unit = bytes))]
    out_id: Option<String>,
    #[popgen(wire = "TaskName", length(max = 3, unit = chars))]
    task_name: Option<String>,
    #[popgen(wire = "StartTtsParams", json)]
    start_tts_params: Option<BTreeMap<String, String>>,
    #[popgen(wire = "MenuKeyMap", repeated)]
    menu_key_map: Vec<MenuKeyMap>,
    #[popgen(wire = "Status")]
    status: TaskStatus,
    #[popgen(wire = "StartTime", datetime = "yyyy-MM-dd HH:mm:ss")]
    start_time: Option<String>,
    #[popgen(wire = "ScheduleTime", unix_millis)]
    schedule_time: Option<i64>,
    #[popgen(wire = "Numbers", list(separator = ",", max_items = 3, item(length(min = 11, max = 12, unit = bytes), pattern = "^[0-9]+$")))]
    numbers: Option<String>,
    #[popgen(wire = "Version", fixed = "2017-05-25")]
    version: Option<String>,
    #[popgen(wire = "Record")]
    record: Option<bool>,
    #[popgen(wire = "Speed")]
    speed: Option<f64>,
    #[popgen(wire = "LastStatus")]
    last_status: Option<CallStatus>,
}

fn valid() -> IvrCallRequest {
    IvrCallRequest {
        called_show_number: "05712345678".into(),
        start_code: "TTS_100".into(),
        play_times: Some(2),
        pause_time: Some(800),
        out_id: Some("order-1".into()),
        task_name: Some("张三丰".into()),
        start_tts_params: Some(BTreeMap::from([("name".into(), "张三".into())])),
        menu_key_map: vec![
            MenuKeyMap {
                key: "1".into(),
                code: "TTS_1".into(),
            },
            MenuKeyMap {
                key: "2".into(),
                code: "TTS_2".into(),
            },
        ],
        status: TaskStatus::Running,
        start_time: Some("2024-02-29 09:30:00".into()),
        schedule_time: Some(1_700_000_000_000),
        numbers: Some("13800000000,13900000000".into()),
        version: Some("2017-05-25".into()),
        record: Some(true),
        speed: Some(0.85),
        last_status: Some(CallStatus::Unknown("200010".into())),
    }
}

fn invalid() -> IvrCallRequest {
    IvrCallRequest {
        called_show_number: "123".into(),
        start_code: "TTS_100".into(),
        play_times: Some(5),
        pause_time: Some(10),
        out_id: Some("订单订单订单".into()),
        task_name: Some("张三丰李".into()),
        start_tts_params: None,
        menu_key_map: vec![
            MenuKeyMap {
                key: "1".into(),
                code: "TTS_1".into(),
            },
            MenuKeyMap {
                key: "9".into(),
                code: "SMS_2".into(),
            },
        ],
        status: TaskStatus::Stop,
        start_time: Some("2023-02-29 09:30:00".into()),
        schedule_time: Some(1_700_000_000),
        numbers: Some("13800000000,1390000000x,".into()),
        version: Some("2017-05-26".into()),
        record: None,
        speed: None,
        last_status: None,
    }
}

#[test]
fn a_valid_request_has_no_violation() {
    assert_eq!(valid().report().violations(), []);
    assert_eq!(valid().validate(), Ok(()));
}

#[test]
fn every_violation_is_reported_in_field_order_with_its_wire_path() {
    let report = invalid().report();
    let lines: Vec<String> = report.violations().iter().map(|v| v.to_string()).collect();
    assert_eq!(
        lines,
        [
            "CalledShowNumber: length must be 11–12 bytes, got 3 bytes",
            "PlayTimes: must be between 1 and 3, got 5",
            "PauseTime: must be between 300 and 1200, got 10 (warning)",
            "OutId: length must be 1–15 bytes, got 18 bytes",
            "TaskName: length must be at most 3 characters, got 4 characters",
            "MenuKeyMap.2.Key: must be one of: 1, 2, 3, got \"9\"",
            "MenuKeyMap.2.Code: must match ^TTS_[0-9]+$, got \"SMS_2\"",
            "StartTime: must be a date-time formatted yyyy-MM-dd HH:mm:ss (day 29 is past the end of the month (28)), got \"2023-02-29 09:30:00\"",
            "ScheduleTime: must be a Unix time in milliseconds, 946684800000–4102444800000 ms since 1970-01-01 UTC, got 1700000000",
            "Numbers: must be a list of at most 3 items separated by \",\" (item 3 is empty), got \"13800000000,1390000000x,\"",
            "Numbers[2]: must match ^[0-9]+$, got \"1390000000x\"",
            "Version: must be \"2017-05-25\", got \"2017-05-26\"",
            "StartTtsParams: is required when StartCode is a TTS template",
        ]
    );
    // Display is the same, one per line.
    assert_eq!(
        invalid().validate().unwrap_err().to_string(),
        lines.join("\n")
    );
}

#[test]
fn violations_carry_rule_limit_value_and_severity() {
    let report = invalid().report();
    let v = &report.violations()[3];
    assert_eq!(v.path, "OutId");
    assert_eq!(v.rule, Rule::LengthBytes);
    assert_eq!(
        v.limit,
        Limit::Length {
            min: Some(1),
            max: Some(15),
            unit: LengthUnit::Bytes
        }
    );
    assert_eq!(v.limit.to_string(), "1–15 bytes");
    assert_eq!(v.value.as_deref(), Some("订单订单订单"));
    assert_eq!(v.severity, Severity::Error);
    let pause = &report.violations()[2];
    assert_eq!(
        (pause.rule, pause.severity),
        (Rule::Range, Severity::Warning)
    );
}

#[test]
fn sensitive_values_are_redacted_in_violations_and_debug() {
    let report = invalid().report();
    let v = &report.violations()[0];
    assert_eq!(v.value.as_deref(), Some("***"));
    assert!(!report.to_string().contains("123,"));
    let mut req = invalid();
    req.called_show_number = "not-a-number-at-all".into();
    let debug = format!("{:?}", req);
    assert!(
        debug.starts_with("IvrCallRequest { called_show_number: ***, start_code: \"TTS_100\""),
        "{debug}"
    );
    assert!(!debug.contains("not-a-number"));
}

#[test]
fn warnings_alone_do_not_fail() {
    let mut req = valid();
    req.pause_time = Some(5);
    assert_eq!(req.validate(), Ok(()));
    assert_eq!(req.report().warnings().count(), 1);
    assert!(ValidationMode::Enforce.apply(&req).is_ok());
}

#[test]
fn validation_modes() {
    assert!(ValidationMode::Enforce.apply(&invalid()).is_err());
    assert!(ValidationMode::Warn.apply(&invalid()).is_ok());
    assert!(ValidationMode::Off.apply(&invalid()).is_ok());
    assert_eq!(ValidationMode::default(), ValidationMode::Enforce);
}

#[test]
fn pairs_are_in_field_order_with_optional_fields_left_out() {
    let mut req = valid();
    req.out_id = None;
    let pairs = req.to_owned_params();
    let expected: Vec<(String, String)> = [
        ("CalledShowNumber", "05712345678"),
        ("StartCode", "TTS_100"),
        ("PlayTimes", "2"),
        ("PauseTime", "800"),
        ("TaskName", "张三丰"),
        ("StartTtsParams", r#"{"name":"张三"}"#),
        ("MenuKeyMap.1.Key", "1"),
        ("MenuKeyMap.1.Code", "TTS_1"),
        ("MenuKeyMap.2.Key", "2"),
        ("MenuKeyMap.2.Code", "TTS_2"),
        ("Status", "RUNNING"),
        ("StartTime", "2024-02-29 09:30:00"),
        ("ScheduleTime", "1700000000000"),
        ("Numbers", "13800000000,13900000000"),
        ("Version", "2017-05-25"),
        ("Record", "true"),
        ("Speed", "0.85"),
        ("LastStatus", "200010"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    assert_eq!(pairs, expected);
}

#[test]
fn pairs_parse_back_to_the_same_request() {
    let req = valid();
    let pairs = req.to_owned_params();
    assert_eq!(IvrCallRequest::from_params(&pairs), Ok(req.clone()));
    // Order does not matter, and Python's booleans are accepted.
    let mut reversed: Vec<(String, String)> = pairs.into_iter().rev().collect();
    for (k, v) in &mut reversed {
        if k == "Record" {
            *v = "True".into();
        }
    }
    assert_eq!(IvrCallRequest::from_params(&reversed), Ok(req));
}

#[test]
fn parsing_reports_every_problem_together() {
    let pairs = [
        ("StartCode", "TTS_100"),
        ("PlayTimes", "x"),
        ("PauseTime", "10"),
        ("Record", "yes"),
        ("Status", "PAUSED"),
        ("MenuKeyMap.1.Key", "1"),
        ("MenuKeyMap.1.Code", "TTS_1"),
        ("MenuKeyMap.3.Key", "2"),
        ("MenuKeyMap.3.Code", "TTS_3"),
        ("OutId", "订单订单订单"),
        ("Volume", "5"),
        ("playtimes", "1"),
    ];
    let err = IvrCallRequest::from_params(&pairs).unwrap_err();
    assert_eq!(
        err.to_string(),
        [
            "CalledShowNumber: is required",
            "PlayTimes: expected a 64-bit integer, got \"x\"",
            "PauseTime: must be between 300 and 1200, got 10 (warning)",
            "OutId: length must be 1–15 bytes, got 18 bytes",
            "MenuKeyMap: has a bad repeated-parameter index (index 2 is missing before index 3)",
            "Status: must be one of: RUNNING, STOP, got \"PAUSED\"",
            "Record: expected a boolean (true or false), got \"yes\"",
            "Volume: is not a parameter of this request",
            "playtimes: is not a parameter of this request (did you mean PlayTimes?)",
        ]
        .join("\n")
    );
}

#[test]
fn repeated_index_zero_and_nested_unknown_keys() {
    let pairs = [
        ("CalledShowNumber", "05712345678"),
        ("StartCode", "x"),
        ("Status", "STOP"),
        ("MenuKeyMap.0.Key", "1"),
        ("MenuKeyMap.1.Key", "1"),
        ("MenuKeyMap.1.Code", "TTS_1"),
        ("MenuKeyMap.1.Cod", "TTS_1"),
    ];
    let err = IvrCallRequest::from_params(&pairs).unwrap_err();
    assert_eq!(
        err.to_string(),
        "MenuKeyMap: has a bad repeated-parameter index (index 0: repeated parameters are numbered from 1), got \"1\"\n\
         MenuKeyMap.1.Cod: is not a parameter of this request (did you mean Code?)"
    );
}

#[test]
fn parse_errors_of_sensitive_fields_are_redacted() {
    #[derive(Debug, Validate, RpcParams)]
    struct Secretive {
        #[popgen(wire = "Pin", sensitive)]
        pin: i64,
    }
    let err = Secretive::from_params(&[("Pin", "12ab")]).unwrap_err();
    assert_eq!(err.to_string(), "Pin: expected a 64-bit integer, got ***");
    assert_eq!(err.violations()[0].value.as_deref(), Some("***"));
}

#[test]
fn duplicates_are_reported() {
    let err =
        MenuKeyMap::from_params(&[("Key", "1"), ("Code", "TTS_1"), ("Key", "2")]).unwrap_err();
    assert_eq!(err.to_string(), "Key: is given more than once");
}

#[test]
fn wire_enums() {
    use popgen_runtime::params::{FromWire, WireEnum};
    assert_eq!(TaskStatus::VARIANTS, ["RUNNING", "STOP"]);
    assert_eq!(TaskStatus::Stop.to_wire(), "STOP");
    assert_eq!(TaskStatus::from_wire("STOP"), Ok(TaskStatus::Stop));
    let e = TaskStatus::from_wire("stop").unwrap_err();
    assert_eq!(e.rule, Rule::OneOf);
    assert_eq!(e.limit.to_string(), "one of: RUNNING, STOP");
    assert_eq!(CallStatus::from_wire("200000"), Ok(CallStatus::Ok));
    assert_eq!(
        CallStatus::from_wire("200010"),
        Ok(CallStatus::Unknown("200010".into()))
    );
    assert_eq!(CallStatus::Unknown("x".into()).to_wire(), "x");
    assert_eq!(CallStatus::VARIANTS, ["200000"]);
}

/// A list of scalars (`Ids.1`, `Ids.2`...): the element's rules are checked on each value, at
/// its own wire path, and the values go on the wire numbered from 1.
#[derive(Debug, Clone, PartialEq, Validate, RpcParams)]
struct TagRequest {
    #[popgen(wire = "Ids", repeated, length(max = 3, unit = chars), one_of("a", "bb", "toolong"))]
    ids: Vec<String>,
    #[popgen(wire = "Counts", repeated, range(min = 1, max = 9))]
    counts: Vec<i64>,
}

#[test]
fn a_list_of_scalars_checks_each_value_at_its_index() {
    let req = TagRequest {
        ids: vec!["a".into(), "toolong".into(), "c".into()],
        counts: vec![1, 10],
    };
    let text = req.validate().unwrap_err().to_string();
    assert!(text.contains("Ids.2: "), "{text}");
    assert!(text.contains("Ids.3: "), "{text}");
    assert!(text.contains("Counts.2: "), "{text}");
    assert!(
        !text.contains("Ids.1: ") && !text.contains("Counts.1: "),
        "{text}"
    );
    let pairs: Vec<(String, String)> = TagRequest {
        ids: vec!["a".into(), "bb".into()],
        counts: vec![],
    }
    .to_params()
    .into_iter()
    .map(|(k, v)| (k.into_owned(), v.into_owned()))
    .collect();
    assert_eq!(
        pairs,
        [
            ("Ids.1".to_owned(), "a".to_owned()),
            ("Ids.2".to_owned(), "bb".to_owned())
        ]
    );
}

#[derive(Debug, Clone, PartialEq, Validate, RpcParams)]
struct Ratio {
    #[popgen(wire = "Ratio", range(min = 0.0, max = 1.0, exclusive_min))]
    ratio: f64,
}

#[test]
fn an_exclusive_bound_excludes_itself_and_says_so() {
    assert!(Ratio { ratio: 1.0 }.validate().is_ok());
    let text = Ratio { ratio: 0.0 }.validate().unwrap_err().to_string();
    assert_eq!(text, "Ratio: must be greater than 0 and at most 1, got 0");
}

/// Element counts (`items`): a required list needs at least one element, every list at most
/// its `max`; an `optional` list may have none, and otherwise as many as its bounds say.
#[derive(Debug, Clone, PartialEq, Validate, RpcParams)]
struct TransferPool {
    #[popgen(wire = "Details", repeated, items(min = 1, max = 10))]
    details: Vec<MenuKeyMap>,
    #[popgen(wire = "Numbers", repeated, items(max = 2), length(max = 3, unit = chars))]
    numbers: Vec<String>,
    #[popgen(wire = "Pairs", repeated, items(optional, min = 2, max = 3))]
    pairs: Vec<i64>,
}

fn detail(n: usize) -> MenuKeyMap {
    MenuKeyMap {
        key: "1".into(),
        code: format!("TTS_{n}"),
    }
}

#[test]
fn a_required_list_without_elements_is_refused_naming_the_param() {
    let empty = TransferPool {
        details: vec![],
        numbers: vec![],
        pairs: vec![],
    };
    let err = empty.validate().unwrap_err();
    assert_eq!(
        err.to_string(),
        "Details: is required: 1–10 elements, got none"
    );
    let v = &err.violations()[0];
    assert_eq!(
        (v.rule, &v.limit, v.value.as_deref()),
        (
            Rule::Items,
            &Limit::Items {
                min: Some(1),
                max: Some(10)
            },
            None
        )
    );
    let one = TransferPool {
        details: vec![detail(1)],
        ..empty
    };
    assert_eq!(one.validate(), Ok(()));
}

#[test]
fn lists_longer_than_their_max_are_refused_and_each_element_still_checked() {
    let req = TransferPool {
        details: (1..=11).map(detail).collect(),
        numbers: vec!["a".into(), "b".into(), "long".into()],
        pairs: vec![1],
    };
    assert_eq!(
        req.validate().unwrap_err().to_string(),
        [
            "Details: must have 1–10 elements, got 11",
            "Numbers: must have at most 2 elements, got 3",
            "Numbers.3: length must be at most 3 characters, got 4 characters",
            "Pairs: must have 2–3 elements, got 1",
        ]
        .join("\n")
    );
    let within = TransferPool {
        details: (1..=10).map(detail).collect(),
        numbers: vec!["a".into(), "b".into()],
        pairs: vec![1, 2, 3],
    };
    assert_eq!(within.validate(), Ok(()));
}

#[test]
fn parsing_counts_the_elements_too() {
    // What `dyvms validate` and the mock do: no `Details.N.*` at all is a missing list.
    let err = TransferPool::from_params(&[("Numbers.1", "a")]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Details: is required: 1–10 elements, got none"
    );
    let mut pairs: Vec<(String, String)> = (1..=11)
        .flat_map(|n| {
            [
                (format!("Details.{n}.Key"), "1".to_owned()),
                (format!("Details.{n}.Code"), format!("TTS_{n}")),
            ]
        })
        .collect();
    pairs.push(("Pairs.1".into(), "7".into()));
    let err = TransferPool::from_params(&pairs).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Details: must have 1–10 elements, got 11\nPairs: must have 2–3 elements, got 1"
    );
}

/// Which wire params hold sensitive values, asked of the type by wire name (what the mock's
/// journal redacts), and the wire-name constants the derive defines.
#[test]
fn sensitivity_and_wire_names_are_asked_of_the_type() {
    #[derive(Clone, PartialEq, RedactedDebug, Validate, RpcParams)]
    struct Leg {
        #[popgen(wire = "Code", sensitive)]
        code: Option<String>,
        #[popgen(wire = "Key")]
        key: Option<String>,
    }
    #[derive(Clone, PartialEq, RedactedDebug, Validate, RpcParams)]
    struct Secretive {
        #[popgen(wire = "Key")]
        key: Option<String>,
    }
    #[derive(Clone, PartialEq, RedactedDebug, Validate, RpcParams)]
    struct Call {
        #[popgen(wire = "CalledNumber", sensitive)]
        called_number: String,
        #[popgen(wire = "OutId")]
        out_id: Option<String>,
        #[popgen(wire = "Pins", sensitive, repeated)]
        pins: Vec<String>,
        #[popgen(wire = "Menu", repeated)]
        menu: Vec<Leg>,
        #[popgen(wire = "Main", nested)]
        main: Option<Leg>,
        #[popgen(wire = "Vault", sensitive, nested)]
        vault: Option<Secretive>,
        #[popgen(wire = "type")]
        r#type: Option<String>,
    }
    let sensitive = [
        "CalledNumber",
        "Pins.1",
        "Pins.12",
        "Menu.1.Code",
        "Menu.30.Code",
        "Main.Code",
        "Vault.Key",
    ];
    let plain = [
        "OutId",
        "CalledNumber.1",
        "CalledNumberX",
        "Pins",
        "Pins.x",
        "Pins.1.Code",
        "Menu.1.Key",
        "Menu.x.Code",
        "Menu.Code",
        "Main.Key",
        "Main.1.Code",
        "Vault",
        "VaultKey",
        "type",
    ];
    for name in sensitive {
        assert!(Call::is_sensitive_param(name), "{name} is sensitive");
    }
    for name in plain {
        assert!(!Call::is_sensitive_param(name), "{name} is not sensitive");
    }
    assert!(!Secretive::is_sensitive_param("Key"));
    assert_eq!(
        [Call::CALLED_NUMBER, Call::OUT_ID, Call::MENU, Call::TYPE],
        ["CalledNumber", "OutId", "Menu", "type"]
    );
    assert_eq!((Leg::CODE, Leg::KEY), ("Code", "Key"));
}
