//! The bundled Dyvmsapi spec — Alibaba's API metadata imported into `spec/dyvmsapi/imported`
//! with people's curation in `spec/dyvmsapi/curation` — is today's API: every action the
//! metadata lists plus the seven it no longer lists that the official SDKs still ship, public-mode
//! calls need no CalledShowNumber, every phone number is sensitive, every action that places a
//! call says so and names its idempotency param, and it checks with no warning.

use popgen_spec::Effect;
use popgen_spec::load::load_bundled;

fn loaded() -> popgen_spec::Loaded {
    load_bundled().unwrap_or_else(|d| {
        panic!(
            "the bundled spec does not load:\n{}",
            d.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n\n")
        )
    })
}

#[test]
fn it_checks_with_no_warning() {
    let l = loaded();
    assert!(l.warnings.is_empty(), "{:#?}", l.warnings);
    assert!(
        l.spec.curation.stale.is_empty(),
        "{:?}",
        l.spec.curation.stale
    );
    assert!(l.spec.curation.overrides.iter().all(|o| o.explained));
}

#[test]
fn every_action_of_today_and_the_seven_kept() {
    let spec = loaded().spec;
    assert_eq!(spec.actions.len(), 56);
    for kept in [
        "CancelCall",
        "AddRtcAccount",
        "GetRtcToken",
        "GetCallInfo",
        "GetMqttToken",
        "RefreshMqttToken",
        "ListHotlineTransferNumber",
    ] {
        let a = &spec.actions[kept];
        assert!(!a.notes.is_empty(), "{kept} says why it stays");
    }
    for new in [
        "BatchRobotSmartCall",
        "QueryCallDetailByTaskId",
        "QueryRobotInfoList",
        "QueryVoiceFileAuditInfo",
        "RecoverCallInConfig",
        "StopCallInConfig",
        "SingleCallByVideo",
        "GetTemporaryFileUrl",
    ] {
        assert!(spec.actions.contains_key(new), "{new}");
    }
    assert!(
        spec.actions["SmartCall"]
            .params
            .iter()
            .any(|p| p.name == "NoiseThreshold")
    );
}

#[test]
fn public_mode_calls_send_no_called_show_number() {
    let spec = loaded().spec;
    for action in ["SingleCallByTts", "SingleCallByVoice", "SingleCallByVideo"] {
        let p = spec.actions[action]
            .params
            .iter()
            .find(|p| p.name == "CalledShowNumber")
            .expect("param");
        assert!(!p.required, "{action}");
        assert!(
            !p.notes.is_empty() || action == "SingleCallByVideo",
            "{action} keeps the contradiction's note"
        );
    }
}

#[test]
fn phone_numbers_are_sensitive() {
    let spec = loaded().spec;
    for (name, a) in &spec.actions {
        for p in &a.params {
            if matches!(
                p.name.as_str(),
                "CalledNumber" | "CalledShowNumber" | "Callee" | "Caller"
            ) {
                assert!(p.sensitive, "{name}.{} must be sensitive", p.name);
            }
        }
    }
}

#[test]
fn call_placing_actions_are_marked_and_name_their_out_id() {
    let spec = loaded().spec;
    for name in [
        "SingleCallByTts",
        "SingleCallByVoice",
        "SingleCallByVideo",
        "IvrCall",
        "SmartCall",
        "BatchRobotSmartCall",
    ] {
        assert_eq!(spec.actions[name].effect, Effect::PlacesCall, "{name}");
    }
    for (name, a) in &spec.actions {
        let has_out_id = a.params.iter().any(|p| p.name == "OutId");
        if a.effect == Effect::PlacesCall && has_out_id {
            assert_eq!(a.idempotency_param.as_deref(), Some("OutId"), "{name}");
        }
    }
}

#[test]
fn rules_read_from_prose_name_their_phrase() {
    let spec = loaded().spec;
    let play = spec.actions["SingleCallByTts"]
        .params
        .iter()
        .find(|p| p.name == "PlayTimes")
        .expect("param");
    assert_eq!(play.prose.range.as_deref(), Some("取值范围：**1~3**"));
    let out_id = spec.actions["SingleCallByTts"]
        .params
        .iter()
        .find(|p| p.name == "OutId")
        .expect("param");
    assert_eq!(
        out_id.length.as_ref().map(|l| l.unit),
        Some(popgen_spec::LengthUnit::Chars),
        "the wider of the metadata's characters and the reference's bytes"
    );
}
