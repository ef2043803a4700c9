//! The `dyvms` command line over the generated registry, as a user types it (in-process: the
//! same `run` the binary's `main` calls). Calls against the mock are in `e2e.rs`.

use dyvmsapi::registry::API;
use popgen_tools::cli::{Output, run};

fn dyvms(args: &[&str]) -> Output {
    let mut argv = vec!["dyvms".to_owned()];
    argv.extend(args.iter().map(|s| (*s).to_owned()));
    run(&API, &argv)
}

const TTS_OK: &[&str] = &[
    "validate",
    "SingleCallByTts",
    "CalledShowNumber=057112345678",
    "CalledNumber=13800138000",
    "TtsCode=TTS_10001",
];

#[test]
fn a_valid_request_exits_0() {
    let out = dyvms(TTS_OK);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(out.stdout, "SingleCallByTts: valid\n");
    assert_eq!(out.stderr, "");
}

#[test]
fn every_violation_is_listed_one_per_line_wire_path_first_with_exit_2() {
    let mut args = TTS_OK.to_vec();
    args.extend(["PlayTimes=5", "OutId=0123456789abcdef", "Volume=101"]);
    let out = dyvms(&args);
    assert_eq!(out.code, 2);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", out.stdout);
    assert!(lines[0].starts_with("PlayTimes: "), "{}", out.stdout);
    assert!(lines.iter().any(|l| l.starts_with("OutId: ")));
    assert!(lines.iter().any(|l| l.starts_with("Volume: ")));
}

#[test]
fn missing_required_params_and_unknown_params_are_reported_together() {
    let out = dyvms(&["validate", "SingleCallByTts", "TtsCode=TTS_1", "PlayTime=2"]);
    assert_eq!(out.code, 2);
    assert!(out.stdout.contains("CalledNumber: "), "{}", out.stdout);
    // Public-mode calls send no CalledShowNumber: it is optional.
    assert!(!out.stdout.contains("CalledShowNumber: "), "{}", out.stdout);
    assert!(out.stdout.contains("PlayTime"), "{}", out.stdout);
}

#[test]
fn values_the_service_replaces_with_a_default_are_accepted_with_a_warning() {
    let out = dyvms(&[
        "validate",
        "SmartCall",
        "CalledShowNumber=057112345678",
        "CalledNumber=13800138000",
        "VoiceCode=abc.wav",
        "PauseTime=5000",
        "MuteTime=10",
    ]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("warning: PauseTime: "),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("warning: MuteTime: "), "{}", out.stderr);
}

/// A cross-field warning reads the same in `validate` and `call`, valid or not: on stderr,
/// `warning: Param: rule…` once (not the param's name twice, not marked twice), while the errors
/// of an invalid request are `validate`'s verdict on stdout.
#[test]
fn cross_field_warnings_go_to_stderr_once_worded_in_every_command() {
    let ivr = [
        "IvrCall",
        "CalledShowNumber=057112345678",
        "CalledNumber=13800138000",
        "StartCode=TTS_1",
        "MenuKeyMap.1.Key=1",
        "MenuKeyMap.1.Code=abc.wav",
    ];
    let expected = "warning: StartTtsParams: is required when StartCode is a TTS template";
    let check = |out: &Output, what: &str| {
        assert!(out.stderr.starts_with(expected), "{what}: {}", out.stderr);
        assert_eq!(out.stderr.matches("StartTtsParams").count(), 1, "{what}");
        assert!(!out.stderr.contains("(warning)"), "{what}: {}", out.stderr);
        assert!(
            !out.stdout.contains("StartTtsParams"),
            "{what}: {}",
            out.stdout
        );
    };

    let valid = dyvms(&[&["validate"][..], &ivr].concat());
    assert_eq!(valid.code, 0, "{}{}", valid.stdout, valid.stderr);
    check(&valid, "validate, valid");

    let invalid = dyvms(&[&["validate"][..], &ivr, &["PlayTimes=9"]].concat());
    assert_eq!(invalid.code, 2);
    assert!(
        invalid.stdout.starts_with("PlayTimes: "),
        "{}",
        invalid.stdout
    );
    check(&invalid, "validate, invalid");

    let dry = dyvms(&[&["call"][..], &ivr, &["--dry-run"]].concat());
    assert_eq!(dry.code, 0, "{}{}", dry.stdout, dry.stderr);
    check(&dry, "call --dry-run");

    let refused = dyvms(&[&["call"][..], &ivr, &["PlayTimes=9", "--dry-run"]].concat());
    assert_eq!(refused.code, 2);
    check(&refused, "call, invalid");
    assert!(refused.stderr.contains("PlayTimes: "), "{}", refused.stderr);
}

#[test]
fn booleans_are_accepted_as_the_official_sdks_spell_them() {
    for spelling in ["true", "false", "True", "False"] {
        let out = dyvms(&[
            "validate",
            "SmartCall",
            "CalledShowNumber=057112345678",
            "CalledNumber=13800138000",
            "VoiceCode=abc.wav",
            &format!("EarlyMediaAsr={spelling}"),
        ]);
        assert_eq!(out.code, 0, "{spelling}: {}", out.stdout);
    }
    let out = dyvms(&[
        "validate",
        "SmartCall",
        "CalledShowNumber=057112345678",
        "CalledNumber=13800138000",
        "VoiceCode=abc.wav",
        "EarlyMediaAsr=yes",
    ]);
    assert_eq!(out.code, 2);
    assert!(out.stdout.starts_with("EarlyMediaAsr: "), "{}", out.stdout);
}

#[test]
fn repeated_params_use_their_wire_form() {
    let out = dyvms(&[
        "validate",
        "IvrCall",
        "CalledShowNumber=057112345678",
        "CalledNumber=13800138000",
        "StartCode=TTS_1",
        "MenuKeyMap.1.Key=1",
        "MenuKeyMap.1.Code=TTS_2",
        "MenuKeyMap.2.Key=2",
        "MenuKeyMap.2.TtsParams=[1]",
    ]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(
        out.stdout
            .lines()
            .any(|l| l.starts_with("MenuKeyMap.2.TtsParams: expected JSON text")),
        "{}",
        out.stdout
    );
}

#[test]
fn a_required_list_needs_an_element_and_no_more_than_its_max() {
    let base = [
        "validate",
        "SetTransferCalleePoolConfig",
        "PhoneNumber=4001234567",
        "QualificationId=190",
        "CalledRouteMode=random",
    ];
    let out = dyvms(&base);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        out.stdout,
        "Details: is required: 1–10 elements, got none\n"
    );
    let mut one = base.to_vec();
    one.push("Details.1.Called=13800138000");
    let out = dyvms(&one);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let eleven: Vec<String> = (1..=11)
        .map(|n| format!("Details.{n}.Called=1380013800{}", n % 10))
        .collect();
    let mut many = base.to_vec();
    many.extend(eleven.iter().map(String::as_str));
    let out = dyvms(&many);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert_eq!(out.stdout, "Details: must have 1–10 elements, got 11\n");
}

#[test]
fn an_optional_list_may_be_empty_but_not_longer_than_its_max() {
    let base = [
        "validate",
        "IvrCall",
        "CalledShowNumber=057112345678",
        "CalledNumber=13800138000",
        "StartCode=abc.wav",
    ];
    let out = dyvms(&base);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let keys: Vec<String> = (1..=16)
        .map(|n| format!("MenuKeyMap.{n}.Key={}", n % 10))
        .collect();
    let mut many = base.to_vec();
    many.extend(keys.iter().map(String::as_str));
    let out = dyvms(&many);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .starts_with("MenuKeyMap: must have at most 15 elements, got 16\n"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_misspelt_action_gets_a_suggestion() {
    let out = dyvms(&["validate", "SingleCalByTts"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("did you mean `SingleCallByTts`?"),
        "{}",
        out.stderr
    );
}

#[test]
fn malformed_arguments_are_named() {
    let out = dyvms(&["validate", "CancelCall", "CallId", "=x", "A=1", "A=2"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("param 1 (`CallId`) is not of the form Key=Value"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("param 2 (`=x`) has no name"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("param `A` is given twice"),
        "{}",
        out.stderr
    );
}

#[test]
fn actions_lists_every_action_and_describe_shows_constraints() {
    let out = dyvms(&["actions"]);
    assert_eq!(out.code, 0);
    for entry in API.actions {
        assert!(out.stdout.contains(entry.meta.name), "{}", entry.meta.name);
    }
    let json: serde_json::Value =
        serde_json::from_str(&dyvms(&["actions", "--json"]).stdout).expect("JSON");
    assert_eq!(json.as_array().map(Vec::len), Some(API.actions.len()));

    let out = dyvms(&["describe", "SingleCallByTts"]);
    assert_eq!(out.code, 0);
    assert!(
        out.stdout.contains("PlayTimes (long, optional)") || out.stdout.contains("PlayTimes (")
    );
    assert!(out.stdout.contains("range 1–3"), "{}", out.stdout);
    assert!(
        out.stdout
            .contains("Per callee (CalledNumber): 1/minute, 5/hour, 20/day")
    );
    let json: serde_json::Value =
        serde_json::from_str(&dyvms(&["describe", "SingleCallByTts", "--json"]).stdout)
            .expect("JSON");
    assert_eq!(json["callee_limit"]["per_hour"], 5);
}

/// `describe` says what the docs say: defaults beside the type, and the rules between params
/// (the action's and a repeated param's, `documented` ones included), in text and JSON.
#[test]
fn describe_shows_defaults_and_cross_field_rules() {
    let out = dyvms(&["describe", "SmartCall"]);
    assert_eq!(out.code, 0);
    assert!(
        out.stdout
            .contains("TtsVolume (integer, optional, default 0)"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("\nRules between params:\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("  - documented (not checked): TtsStyle, TtsVolume and TtsSpeed"),
        "{}",
        out.stdout
    );
    // And the receipts a call causes, with the condition a message is sent under.
    assert!(
        out.stdout.contains(
            "\nReceipts it causes:\n  - VoiceReport\n  - VoiceCallReport\n  \
             - VoiceRecordReport (only when RecordFlag is true)\n"
        ),
        "{}",
        out.stdout
    );
    let json: serde_json::Value =
        serde_json::from_str(&dyvms(&["describe", "SmartCall", "--json"]).stdout).expect("JSON");
    assert_eq!(
        json["receipts"][2],
        serde_json::json!({
            "message": "VoiceRecordReport",
            "when": {"param": "RecordFlag", "equals": "true"}
        })
    );
    assert_eq!(json["receipts"][0]["when"], serde_json::Value::Null);
    let out = dyvms(&["describe", "IvrCall"]);
    assert!(
        out.stdout
            .contains("  - required if (a warning): StartTtsParams is required when StartCode"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("  - MenuKeyMap.N: required if (a warning): TtsParams"),
        "{}",
        out.stdout
    );
    let json: serde_json::Value =
        serde_json::from_str(&dyvms(&["describe", "IvrCall", "--json"]).stdout).expect("JSON");
    let rules = json["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), 4, "{rules:?}");
    let play_times = json["params"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "PlayTimes")
        .unwrap();
    assert_eq!(
        play_times["default"],
        serde_json::Value::Null,
        "IvrCall's PlayTimes has none"
    );
    // An action without rules prints no empty section.
    let plain = API
        .actions
        .iter()
        .find(|a| a.rules.is_empty())
        .expect("an action without rules");
    let out = dyvms(&["describe", plain.meta.name]);
    assert!(
        !out.stdout.contains("Rules between params"),
        "{}",
        out.stdout
    );
}

#[test]
fn dry_run_prints_the_signed_request_and_never_the_secret_or_token() {
    let base = [
        "call",
        "SingleCallByTts",
        "CalledShowNumber=057112345678",
        "CalledNumber=13800138000",
        "TtsCode=TTS_10001",
        "--dry-run",
        "--explain",
        "--nonce",
        "3f2a",
        "--timestamp",
        "2026-11-30T08:00:00Z",
        "--access-key-id",
        "LTAIdryrun",
        "--access-key-secret",
        "dry-run-secret",
    ];
    for scheme in ["v1", "v3"] {
        let mut args = base.to_vec();
        args.extend(["--signature", scheme]);
        let out = dyvms(&args);
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(!out.stdout.contains("dry-run-secret"));
        let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
        assert_eq!(json["method"], "POST");
        assert!(
            json["url"]
                .as_str()
                .unwrap()
                .starts_with("https://dyvmsapi.aliyuncs.com/?")
        );
        let explain = &json["explain"];
        if scheme == "v1" {
            assert!(
                json["url"]
                    .as_str()
                    .unwrap()
                    .contains("SignatureNonce=3f2a")
            );
            assert!(
                json["url"]
                    .as_str()
                    .unwrap()
                    .contains("Timestamp=2026-11-30T08%3A00%3A00Z")
            );
            assert!(
                explain["canonical_query"]
                    .as_str()
                    .unwrap()
                    .contains("AccessKeyId=LTAIdryrun")
            );
        } else {
            let headers = json["headers"].to_string();
            assert!(
                headers.contains(r#"["x-acs-signature-nonce","3f2a"]"#),
                "{headers}"
            );
            assert!(
                headers.contains(r#"["x-acs-date","2026-11-30T08:00:00Z"]"#),
                "{headers}"
            );
            assert!(
                explain["canonical_request"]
                    .as_str()
                    .unwrap()
                    .starts_with("POST\n/\n")
            );
        }
    }
}

#[test]
fn dry_run_refuses_an_invalid_request_and_bad_timestamps() {
    let out = dyvms(&[
        "call",
        "SingleCallByTts",
        "CalledShowNumber=057112345678",
        "CalledNumber=13800138000",
        "TtsCode=TTS_10001",
        "PlayTimes=9",
        "--dry-run",
        "--access-key-id",
        "id",
        "--access-key-secret",
        "s",
    ]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("PlayTimes: "), "{}", out.stderr);
    assert!(out.stdout.is_empty());
    let out = dyvms(&[
        "call",
        "CancelCall",
        "CallId=1",
        "--dry-run",
        "--timestamp",
        "2026-02-30T00:00:00Z",
    ]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("2026-02-30T00:00:00Z"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_repeated_param_sent_bare_is_explained() {
    let out = dyvms(&[
        "validate",
        "IvrCall",
        "CalledShowNumber=057112345678",
        "CalledNumber=13800138000",
        "StartCode=TTS_1",
        r#"MenuKeyMap=[{"Key":"1","Code":"TTS_2"}]"#,
    ]);
    assert_eq!(out.code, 2);
    assert!(
        out.stdout
            .contains("MenuKeyMap: is a repeated parameter: send each item numbered from 1"),
        "{}",
        out.stdout
    );
}

#[test]
fn an_sts_token_is_signed_but_never_printed() {
    for scheme in ["v1", "v3"] {
        let out = dyvms(&[
            "call",
            "CancelCall",
            "CallId=116012354148",
            "--dry-run",
            "--explain",
            "--signature",
            scheme,
            "--access-key-id",
            "STS.id",
            "--access-key-secret",
            "sts-secret",
            "--security-token",
            "CAIS+token/with=chars",
        ]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        for secret in [
            "sts-secret",
            "CAIS+token/with=chars",
            "CAIS%2Btoken",
            "CAIS%252Btoken",
        ] {
            assert!(
                !out.stdout.contains(secret),
                "{scheme}: {secret} in\n{}",
                out.stdout
            );
        }
        assert!(
            out.stdout.contains(popgen_runtime::sign::REDACTED),
            "{}",
            out.stdout
        );
    }
}
