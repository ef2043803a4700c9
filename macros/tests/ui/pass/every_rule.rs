//! Every attribute on one request, nested and repeated types, a struct-level rule, and a
//! round trip through wire pairs.
use std::collections::BTreeMap;

use popgen_macros::{RedactedDebug, RpcParams, Validate, WireEnum};
use popgen_runtime::params::RpcParams as _;
use popgen_runtime::validation::{Path, Report, Validate as _};

#[derive(Debug, Clone, PartialEq, WireEnum)]
enum Status {
    #[popgen(wire = "RUNNING")]
    Running,
    #[popgen(wire = "STOP")]
    Stop,
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

fn rules(_: &Request, _: &Path<'_>, _: &mut Report) {}

#[derive(Clone, PartialEq, RedactedDebug, Validate, RpcParams)]
#[popgen(rule = rules, rule = rules)]
struct Request {
    #[popgen(wire = "CalledShowNumber", sensitive)]
    called_show_number: String,
    #[popgen(wire = "PlayTimes", range(min = 1, max = 3))]
    play_times: Option<i64>,
    #[popgen(wire = "PauseTime", range(min = 300, max = 1200), fallback)]
    pause_time: Option<i32>,
    #[popgen(wire = "Speed", range(min = -500, max = 500))]
    speed: Option<i32>,
    #[popgen(wire = "Ratio", range(min = -1, max = 1.5))]
    ratio: Option<f64>,
    #[popgen(wire = "Small", range(max = 200))]
    small: Option<u8>,
    #[popgen(wire = "OutId", length(min = 1, max = 15, unit = bytes))]
    out_id: Option<String>,
    #[popgen(wire = "TaskName", length(max = 30, unit = "chars"))]
    task_name: Option<String>,
    #[popgen(wire = "StartTtsParams", json)]
    start_tts_params: Option<BTreeMap<String, String>>,
    #[popgen(wire = "TtsParam", json, length(max = 18, unit = chars))]
    tts_param: Option<BTreeMap<String, String>>,
    #[popgen(wire = "Names", sensitive, json, length(min = 3, max = 40, unit = bytes))]
    names: Vec<String>,
    #[popgen(wire = "Extra", json(object))]
    extra: Option<String>,
    #[popgen(wire = "Items", json(array))]
    items: Option<String>,
    #[popgen(wire = "MenuKeyMap", repeated, items(min = 1, max = 15))]
    menu_key_map: Vec<MenuKeyMap>,
    #[popgen(wire = "Default", nested)]
    default: Option<MenuKeyMap>,
    #[popgen(wire = "Tag", repeated, items(optional, min = 2, max = 3))]
    tags: Vec<String>,
    #[popgen(wire = "Status")]
    status: Status,
    #[popgen(wire = "Phase", known)]
    phase: Status,
    #[popgen(wire = "NextPhase", known)]
    next_phase: Option<Status>,
    #[popgen(wire = "StartTime", datetime = "yyyy-MM-dd HH:mm:ss")]
    start_time: Option<String>,
    #[popgen(wire = "Day", datetime = "yyyyMMdd")]
    day: Option<String>,
    #[popgen(wire = "ScheduleTime", unix_millis)]
    schedule_time: Option<i64>,
    #[popgen(wire = "Numbers", list(separator = ",", max_items = 1000, item(length(min = 11, max = 12, unit = bytes), pattern = "^[0-9]+$")))]
    numbers: Option<String>,
    #[popgen(wire = "NumberList", list(separator = ",", max_items = 10))]
    number_list: Option<Vec<String>>,
    #[popgen(wire = "Version", fixed = "2017-05-25")]
    version: Option<String>,
    #[popgen(wire = "Record")]
    record: Option<bool>,
    #[popgen(skip)]
    local_note: String,
}

#[test]
fn compiles_and_runs() {
    let request = Request {
        called_show_number: "05712345678".into(),
        play_times: Some(1),
        pause_time: None,
        speed: Some(-500),
        ratio: Some(-0.5),
        small: Some(200),
        out_id: Some("x".into()),
        task_name: None,
        start_tts_params: Some(BTreeMap::from([("a".into(), "b".into())])),
        tts_param: Some(BTreeMap::from([("name".into(), "张三".into())])),
        names: vec!["张三".into()],
        extra: Some("{}".into()),
        items: Some("[]".into()),
        menu_key_map: vec![MenuKeyMap {
            key: "1".into(),
            code: "TTS_1".into(),
        }],
        default: Some(MenuKeyMap {
            key: "2".into(),
            code: "TTS_2".into(),
        }),
        tags: vec!["a".into(), "b".into()],
        status: Status::Unknown("PAUSED".into()),
        phase: Status::Running,
        next_phase: Some(Status::Stop),
        start_time: Some("2024-02-29 00:00:00".into()),
        day: Some("20240229".into()),
        schedule_time: Some(1_700_000_000_000),
        numbers: Some("13800000000".into()),
        number_list: Some(vec!["1".into(), "2".into()]),
        version: Some("2017-05-25".into()),
        record: Some(false),
        local_note: String::new(),
    };
    request.validate().unwrap();
    let pairs = request.to_owned_params();
    assert!(pairs.contains(&("Default.Key".into(), "2".into())));
    assert!(pairs.contains(&("Tag.2".into(), "b".into())));
    assert!(pairs.contains(&("NumberList".into(), "1,2".into())));
    assert_eq!(Request::from_params(&pairs).unwrap(), request);
    assert!(pairs.contains(&("TtsParam".into(), r#"{"name":"张三"}"#.into())));
    assert!(pairs.contains(&("Names".into(), r#"["张三"]"#.into())));
    assert!(format!("{request:?}").contains("called_show_number: ***"));

    // `json, length`: measured on the JSON text, shown as that text (or redacted).
    let mut long = request.clone();
    long.tts_param = Some(BTreeMap::from([("name".into(), "张三李四王五赵六".into())]));
    long.names = vec![];
    assert_eq!(
        long.validate().unwrap_err().to_string(),
        "TtsParam: length must be at most 18 characters, got 19 characters\n\
         Names: length must be 3–40 bytes, got 2 bytes",
    );
    let shown: Vec<_> = long.report().into_iter().map(|v| v.value).collect();
    assert_eq!(
        shown,
        [
            Some(r#"{"name":"张三李四王五赵六"}"#.into()),
            Some("***".into())
        ]
    );

    // `known`: an `other` value is an error when validating and when parsing, kept either way.
    let mut unknown = request.clone();
    unknown.phase = Status::Unknown("PAUSED".into());
    assert_eq!(
        unknown.validate().unwrap_err().to_string(),
        "Phase: must be one of: RUNNING, STOP, got \"PAUSED\""
    );
    let (parsed, report) = Request::from_params_report(&unknown.to_owned_params());
    assert_eq!(parsed.unwrap(), unknown);
    assert_eq!(
        report.to_string(),
        "Phase: must be one of: RUNNING, STOP, got \"PAUSED\""
    );
}
