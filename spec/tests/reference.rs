//! The 2022-03-31 reference, as transcribed in `spec/versions/dyvmsapi-2022-03-31` (the spec
//! the bundled one was curated from), says what the reference says: concrete facts checked one
//! by one, and every action of the reference present under its exact name.

use popgen_spec::{
    Effect, LengthUnit, Number, OutOfRange, ParamType, load::load_paths, model::Action,
    model::Param,
};

fn spec() -> popgen_spec::Spec {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("versions/dyvmsapi-2022-03-31");
    match load_paths(&[dir]) {
        Ok(loaded) => loaded.spec,
        Err(diags) => panic!(
            "the reference spec does not load:\n{}",
            diags
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n\n")
        ),
    }
}

fn action<'a>(spec: &'a popgen_spec::Spec, name: &str) -> &'a Action {
    spec.actions
        .get(name)
        .unwrap_or_else(|| panic!("action {name} is missing"))
}

fn param<'a>(a: &'a Action, name: &str) -> &'a Param {
    a.params
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("param {name} is missing"))
}

#[test]
fn every_action_of_the_reference_is_there_by_its_exact_name() {
    // The reference's table of contents (sections 4–14), plus CancelCall.
    let expected = [
        "SingleCallByVoice",
        "SingleCallByTts",
        "AddVirtualNumberRelation",
        "QueryVirtualNumber",
        "QueryVirtualNumberRelation",
        "CreateCallTask",
        "ExecuteCallTask",
        "ListCallTask",
        "ListCallTaskDetail",
        "IvrCall",
        "SmartCall",
        "SmartCallOperate",
        "QueryRobotv2AllList",
        "CreateRobotTask",
        "UploadRobotTaskCalledFile",
        "StartRobotTask",
        "CancelOrderRobotTask",
        "StopRobotTask",
        "CancelRobotTask",
        "QueryRobotTaskList",
        "QueryRobotTaskDetail",
        "QueryRobotTaskCallList",
        "QueryRobotTaskCallDetail",
        "DeleteRobotTask",
        "QueryCallDetailByCallId",
        "SubmitHotlineTransferRegister",
        "ListHotlineTransferRegisterFile",
        "GetHotlineQualificationByOrder",
        "ListHotlineTransferNumber",
        "QueryCallInPoolTransferConfig",
        "QueryCallInTransferRecord",
        "SetTransferCalleePoolConfig",
        "SendVerification",
        "GetToken",
        "AddRtcAccount",
        "GetRtcToken",
        "GetCallInfo",
        "GetMqttToken",
        "RefreshMqttToken",
        "CancelCall",
    ];
    let spec = spec();
    let names: Vec<&str> = spec.actions.keys().map(String::as_str).collect();
    for name in expected {
        assert!(
            names.contains(&name),
            "{name} is missing; the spec has {names:?}"
        );
    }
    assert_eq!(
        spec.actions.len(),
        expected.len(),
        "unexpected extra actions: {names:?}"
    );
}

#[test]
fn ivr_call_play_times_is_1_to_3_and_menu_key_map_is_repeated() {
    let spec = spec();
    let ivr = action(&spec, "IvrCall");
    let play = param(ivr, "PlayTimes");
    let range = play.range.as_ref().expect("PlayTimes has a range");
    assert_eq!(
        (range.min, range.max),
        (Some(Number::Int(1)), Some(Number::Int(3)))
    );
    assert_eq!(range.out_of_range, OutOfRange::Error);
    let menu = param(ivr, "MenuKeyMap");
    assert_eq!(menu.ty, ParamType::Repeated);
    let members: Vec<&str> = menu.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(members, ["Key", "TtsParams", "Code"]);
    assert_eq!(ivr.effect, Effect::PlacesCall);
    assert_eq!(
        (
            ivr.qps.as_ref().unwrap().per_user,
            ivr.qps.as_ref().unwrap().api
        ),
        (Some(100), Some(500))
    );
}

#[test]
fn smart_call_pause_time_falls_back_to_800() {
    let spec = spec();
    let pause = param(action(&spec, "SmartCall"), "PauseTime");
    let range = pause.range.as_ref().unwrap();
    assert_eq!(
        (range.min, range.max),
        (Some(Number::Int(300)), Some(Number::Int(1200)))
    );
    assert_eq!(range.out_of_range, OutOfRange::Fallback);
    assert_eq!(
        pause.default.as_ref().map(|d| d.to_wire()),
        Some("800".to_owned())
    );
    let mute = param(action(&spec, "SmartCall"), "MuteTime");
    assert_eq!(
        mute.range.as_ref().unwrap().out_of_range,
        OutOfRange::Fallback
    );
}

#[test]
fn out_id_is_1_to_15_bytes_everywhere() {
    let spec = spec();
    let mut seen = 0;
    for (name, a) in &spec.actions {
        if let Some(p) = a.params.iter().find(|p| p.name == "OutId") {
            let l = p
                .length
                .as_ref()
                .unwrap_or_else(|| panic!("{name}.OutId has no length"));
            assert_eq!(
                (l.min, l.max, l.unit),
                (Some(1), Some(15), LengthUnit::Bytes),
                "{name}.OutId"
            );
            seen += 1;
        }
    }
    assert!(
        seen >= 4,
        "OutId appears in the call-placing actions; found it in {seen}"
    );
}

#[test]
fn create_robot_task_name_counts_characters() {
    let spec = spec();
    let l = param(action(&spec, "CreateRobotTask"), "TaskName")
        .length
        .clone()
        .unwrap();
    assert_eq!((l.max, l.unit), (Some(30), LengthUnit::Chars));
}

#[test]
fn execute_call_task_status_is_an_enum() {
    let spec = spec();
    let status = param(action(&spec, "ExecuteCallTask"), "Status");
    let values: Vec<&str> = status
        .enum_values
        .as_ref()
        .unwrap()
        .iter()
        .map(|v| v.value.as_str())
        .collect();
    assert_eq!(values, ["RUNNING", "TIMING", "STOP", "CANCEL"]);
}

#[test]
fn success_codes() {
    let spec = spec();
    assert_eq!(spec.product.response.success_code, "OK");
    assert_eq!(
        action(&spec, "ListCallTask").success_code.as_deref(),
        Some("200")
    );
    assert_eq!(action(&spec, "SingleCallByTts").success_code, None);
}

#[test]
fn call_placing_actions_are_marked() {
    let spec = spec();
    for name in [
        "SingleCallByVoice",
        "SingleCallByTts",
        "IvrCall",
        "SmartCall",
    ] {
        assert_eq!(action(&spec, name).effect, Effect::PlacesCall, "{name}");
        assert!(action(&spec, name).effect.has_side_effects());
    }
    for name in [
        "QueryCallDetailByCallId",
        "ListCallTask",
        "QueryRobotTaskList",
    ] {
        assert_eq!(action(&spec, name).effect, Effect::None, "{name}");
    }
}

#[test]
fn json_carrying_data_fields_declare_their_shape() {
    let spec = spec();
    for name in ["QueryCallDetailByCallId", "QueryRobotTaskList"] {
        let data = action(&spec, name)
            .response
            .iter()
            .find(|f| f.name.as_deref() == Some("Data"))
            .unwrap();
        assert!(
            data.json.is_some(),
            "{name}.Data carries JSON: it needs a `json` shape"
        );
    }
}

#[test]
fn phone_numbers_are_sensitive() {
    let spec = spec();
    for (name, a) in &spec.actions {
        for p in &a.params {
            if p.name == "CalledNumber" {
                assert!(p.sensitive, "{name}.CalledNumber must be sensitive");
            }
        }
    }
}

/// The sources, with all whitespace removed so that names the PDF broke across lines
/// (`CalledShowNumb` / `er`) read whole again.
fn sources() -> String {
    let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sources/reference");
    let mut text = String::new();
    for f in ["004_c6fde577e1d5d8ef.txt", "dyvms-facts.md"] {
        text.push_str(
            &std::fs::read_to_string(shared.join(f)).unwrap_or_else(|e| panic!("{f}: {e}")),
        );
    }
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Wire keys of a field and everything inside it. Array items and map values have no key (their
/// `name`, when set, names the element type), so only their members count.
fn field_names<'a>(f: &'a popgen_spec::Field, out: &mut Vec<&'a str>) {
    out.extend(f.name.as_deref());
    inner_names(f, out);
}

fn inner_names<'a>(f: &'a popgen_spec::Field, out: &mut Vec<&'a str>) {
    f.fields.iter().for_each(|m| field_names(m, out));
    for element in f
        .items
        .as_deref()
        .into_iter()
        .chain(f.values.as_deref())
        .chain(f.json.as_deref())
    {
        inner_names(element, out);
    }
}

#[test]
fn every_name_is_spelled_as_the_sources_spell_it() {
    let text = sources();
    let spec = spec();
    let mut missing = Vec::new();
    let mut check = |what: String, name: &str| {
        if !text.contains(name) {
            missing.push(format!("{what}: `{name}`"));
        }
    };
    for (action, a) in &spec.actions {
        check("action".into(), action);
        for p in &a.params {
            if p.ty == ParamType::Repeated {
                for m in &p.fields {
                    check(
                        format!("{action} param"),
                        &format!("{}.N.{}", p.name, m.name),
                    );
                }
            } else {
                check(format!("{action} param"), &p.name);
            }
        }
        let mut names = Vec::new();
        a.response.iter().for_each(|f| field_names(f, &mut names));
        for n in names {
            check(format!("{action} response field"), n);
        }
    }
    for (receipt, r) in &spec.receipts {
        check("receipt".into(), receipt);
        let mut names = Vec::new();
        r.fields.iter().for_each(|f| field_names(f, &mut names));
        for n in names {
            check(format!("{receipt} field"), n);
        }
    }
    assert!(
        missing.is_empty(),
        "{} names do not appear in the sources:\n{}",
        missing.len(),
        missing.join("\n")
    );
}
