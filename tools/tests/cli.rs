//! The command line over the real generated registry (`dyvmsapi`), in-process: numeric flags
//! never panic, whatever their value.

use std::net::SocketAddr;
use std::sync::OnceLock;

use dyvmsapi::registry::API;
use popgen_tools::cli::{Environment, Output, run, run_with};
use popgen_tools::mock::{Fault, FaultKind, MockConfig, MockHandle, MockServer};
use proptest::prelude::*;

const KEY_ID: &str = "cli-key-id";
const SECRET: &str = "cli-key-secret";

fn dyvms<S: AsRef<str>>(args: &[S]) -> Output {
    let mut argv = vec!["dyvms".to_owned()];
    argv.extend(args.iter().map(|s| s.as_ref().to_owned()));
    run(&API, &argv)
}

/// One mock for the whole file, on its own runtime (the CLI starts its own for each call).
fn mock() -> &'static MockHandle {
    static MOCK: OnceLock<(tokio::runtime::Runtime, MockHandle)> = OnceLock::new();
    &MOCK
        .get_or_init(|| {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .expect("a runtime");
            let mut config = MockConfig::new(KEY_ID, SECRET);
            config.enforce_qps = false;
            config.enforce_callee_limits = false;
            let handle = runtime
                .block_on(MockServer::start(&API, config))
                .expect("the mock starts");
            (runtime, handle)
        })
        .1
}

fn mock_addr() -> SocketAddr {
    mock().addr()
}

/// A read-only call to the mock with extra flags.
fn call_with(extra: &[String]) -> Output {
    let mut args: Vec<String> = [
        "call",
        "QueryCallDetailByCallId",
        "CallId=116012354148^10281378",
        "ProdId=11000000300006",
        "QueryDate=1577255564000",
        "--access-key-id",
        KEY_ID,
        "--access-key-secret",
        SECRET,
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    args.push("--endpoint".into());
    args.push(format!("http://{}", mock_addr()));
    args.extend(extra.iter().cloned());
    dyvms(&args)
}

#[test]
fn the_largest_deadline_is_no_deadline_not_a_panic() {
    let out = call_with(&["--deadline".into(), u64::MAX.to_string()]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let out = call_with(&[
        "--deadline".into(),
        u64::MAX.to_string(),
        "--connect-timeout".into(),
        u64::MAX.to_string(),
        "--read-timeout".into(),
        u64::MAX.to_string(),
        "--max-attempts".into(),
        u32::MAX.to_string(),
    ]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    // One past the largest is a usage error naming the flag, not a panic.
    let out = call_with(&["--deadline".into(), "18446744073709551616".into()]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--deadline"), "{}", out.stderr);
}

#[test]
fn zero_durations_and_attempts_are_usage_errors() {
    for flag in [
        "--deadline",
        "--connect-timeout",
        "--read-timeout",
        "--max-attempts",
    ] {
        let out = call_with(&[flag.into(), "0".into()]);
        assert_eq!(out.code, 2, "{flag}: {}{}", out.stdout, out.stderr);
        assert!(out.stderr.contains(flag), "{}", out.stderr);
    }
}

/// A value for a numeric flag: the edges, any number, or text that is not one.
fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("0".to_owned()),
        Just("1".to_owned()),
        Just(u32::MAX.to_string()),
        Just(u64::MAX.to_string()),
        Just(i64::MAX.to_string()),
        Just("18446744073709551616".to_owned()),
        Just("-1".to_owned()),
        Just(String::new()),
        any::<u64>().prop_map(|n| n.to_string()),
        any::<u32>().prop_map(|n| n.to_string()),
        (0u64..120).prop_map(|n| n.to_string()),
        "[0-9]{1,25}",
        "[-+ .eE0-9a-z]{1,8}",
    ]
}

const FLAGS: &[&str] = &[
    "--deadline",
    "--connect-timeout",
    "--read-timeout",
    "--max-attempts",
    "--timestamp",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    /// Any mix of numeric flags, with any values: an answer or a usage error, never a panic
    /// (nor a hang: the values that parse are bounded below by what the mock answers at once).
    #[test]
    fn numeric_flags_never_panic(
        values in proptest::collection::vec((0..FLAGS.len(), number()), 0..5),
        dry_run in any::<bool>(),
    ) {
        let mut extra = Vec::new();
        for (flag, value) in &values {
            extra.push(FLAGS[*flag].to_owned());
            extra.push(value.clone());
        }
        if dry_run {
            extra.push("--dry-run".into());
        }
        let out = call_with(&extra);
        prop_assert!(out.code <= 2, "{}{}", out.stdout, out.stderr);
        prop_assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
        prop_assert!(!out.stdout.contains(SECRET) && !out.stderr.contains(SECRET));
    }
}

/// Tokens whose characters JSON, percent-encoding or `Debug` escape.
const TRICKY_TOKENS: &[&str] = &[
    r#"my"token"#,
    r"back\slash\token",
    "令牌-unicode-ü-token",
    "line\nbreak-token",
    "CAIS+token/with=chars &more",
    "tab\tand'quote'<token>",
];

/// Every form in which `value` could show up in printed text.
fn leak_forms(value: &str) -> Vec<String> {
    use popgen_runtime::encode::{form_encode_into, percent_encode};
    let mut form = String::new();
    form_encode_into(&mut form, value);
    let json = serde_json::to_string(value).unwrap();
    let debug = format!("{value:?}");
    vec![
        value.to_owned(),
        percent_encode(value),
        percent_encode(&percent_encode(value)),
        form,
        json.trim_matches('"').to_owned(),
        debug.trim_matches('"').to_owned(),
    ]
}

#[test]
fn an_sts_token_never_shows_in_any_output_whatever_its_characters() {
    for token in TRICKY_TOKENS {
        for scheme in ["v1", "v3"] {
            for explain in [false, true] {
                let mut args: Vec<String> = [
                    "call",
                    "CancelCall",
                    "CallId=116012354148",
                    "--dry-run",
                    "--signature",
                    scheme,
                    "--access-key-id",
                    "STS.id",
                    "--access-key-secret",
                    "sts-secret-value",
                    "--security-token",
                    token,
                ]
                .iter()
                .map(|s| (*s).to_owned())
                .collect();
                if explain {
                    args.push("--explain".into());
                }
                let out = dyvms(&args);
                assert_eq!(out.code, 0, "{token:?} {scheme}: {}", out.stderr);
                let printed = format!("{}{}", out.stdout, out.stderr);
                for form in leak_forms(token)
                    .iter()
                    .chain(&leak_forms("sts-secret-value"))
                {
                    assert!(
                        !printed.contains(form.as_str()),
                        "{token:?} {scheme} explain={explain}: {form:?} in\n{printed}"
                    );
                }
                // The token was signed: it is shown redacted where it travels.
                let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
                if scheme == "v3" {
                    let headers = json["headers"].as_array().unwrap();
                    assert!(headers.iter().any(|h| h[0] == "x-acs-security-token"
                        && h[1] == popgen_runtime::sign::REDACTED));
                } else {
                    let url = json["url"].as_str().unwrap();
                    assert!(url.contains("&SecurityToken=***&"), "{url}");
                }
            }
        }
    }
}

#[test]
fn an_sts_token_never_shows_in_errors_from_the_service_or_the_network() {
    for token in TRICKY_TOKENS {
        // The mock refuses an unknown key; an unreachable port is a transport error.
        for endpoint in [
            format!("http://{}", mock_addr()),
            "http://127.0.0.1:9".into(),
        ] {
            let out = dyvms(&[
                "call",
                "CancelCall",
                "CallId=116012354148",
                "--signature",
                "v1",
                "--max-attempts",
                "1",
                "--endpoint",
                &endpoint,
                "--access-key-id",
                "STS.unknown",
                "--access-key-secret",
                "sts-secret-value",
                "--security-token",
                token,
            ]);
            assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
            let printed = format!("{}{}", out.stdout, out.stderr);
            for form in leak_forms(token) {
                assert!(!printed.contains(form.as_str()), "{form:?} in\n{printed}");
            }
        }
    }
}

#[test]
fn a_truncated_success_answer_to_a_call_says_it_was_probably_placed_with_its_out_id() {
    // Only this test calls SingleCallByTts on the shared mock.
    mock().add_fault(
        Fault::new(FaultKind::Malformed)
            .on("SingleCallByTts")
            .times(1),
    );
    let endpoint = format!("http://{}", mock_addr());
    let out = dyvms(&[
        "call",
        "SingleCallByTts",
        "CalledShowNumber=057112345678",
        "CalledNumber=13800138000",
        "TtsCode=TTS_10001",
        "OutId=order-77",
        "--endpoint",
        &endpoint,
        "--access-key-id",
        KEY_ID,
        "--access-key-secret",
        SECRET,
    ]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    for part in [
        "SingleCallByTts: the service answered with success, so the request probably took effect",
        "(a call placed",
        "truncated or malformed",
        "not sent again",
        "(OutId order-77)",
    ] {
        assert!(out.stderr.contains(part), "{part:?} not in {}", out.stderr);
    }
    assert!(!out.stderr.contains("cannot decode the response"));
    let sent = mock()
        .journal()
        .iter()
        .filter(|e| e.action.as_deref() == Some("SingleCallByTts"))
        .count();
    assert_eq!(sent, 1, "sent once");
}

fn args(list: &[&str]) -> Vec<String> {
    std::iter::once("dyvms")
        .chain(list.iter().copied())
        .map(str::to_owned)
        .collect()
}

/// A call of `QueryCallDetailByCallId` to the mock with an STS token.
fn verbose_call(token: &str, flag: &str) -> Vec<String> {
    let endpoint = format!("http://{}", mock_addr());
    let mut list = args(&[
        "call",
        "QueryCallDetailByCallId",
        "CallId=116012354148^10281378",
        "ProdId=11000000300006",
        "QueryDate=1577255564000",
        "--endpoint",
        &endpoint,
        "--access-key-id",
        KEY_ID,
        "--access-key-secret",
        SECRET,
        "--security-token",
        token,
    ]);
    if !flag.is_empty() {
        list.push(flag.to_owned());
    }
    list
}

#[test]
fn verbose_shows_the_clients_spans_on_stderr_without_secrets_tokens_or_values() {
    for token in TRICKY_TOKENS {
        for flag in ["-v", "-vv", "-vvv"] {
            let out = run(&API, &verbose_call(token, flag));
            // A token no HTTP header may carry (a newline) cannot be sent as V3's
            // `x-acs-security-token`: the request is not built, which the spans show too.
            let sendable = !token.bytes().any(|b| (b < b' ' && b != b'\t') || b == 0x7f);
            let (code, outcome) = if sendable {
                (0, "attempts=1 outcome=\"ok\"")
            } else {
                (1, "attempts=1 outcome=\"transport_error\"")
            };
            assert_eq!(out.code, code, "{token:?} {flag}: {}", out.stderr);
            for part in [
                "popgen.call{action=\"QueryCallDetailByCallId\"",
                "params=\"CallId,ProdId,QueryDate\"",
                "popgen.attempt{attempt=1",
                outcome,
                "close",
            ] {
                assert!(
                    out.stderr.contains(part),
                    "{flag}: {part:?} not in\n{}",
                    out.stderr
                );
            }
            let printed = format!("{}{}", out.stdout, out.stderr);
            for form in leak_forms(token).iter().chain(&leak_forms(SECRET)) {
                assert!(
                    !printed.contains(form.as_str()),
                    "{flag}: {form:?} in\n{printed}"
                );
            }
            // Param values stay out of the logs (the mock's answer echoes none of these).
            for value in ["116012354148", "11000000300006", "1577255564000"] {
                assert!(
                    !out.stderr.contains(value),
                    "{flag}: {value} in\n{}",
                    out.stderr
                );
            }
        }
    }
    // Without -v nothing is logged.
    let out = run(&API, &verbose_call("CAIS-token", ""));
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
}

#[test]
fn rust_log_decides_what_is_shown_and_a_bad_filter_is_named() {
    let env = |filter: &'static str| Environment {
        vars: std::sync::Arc::new(move |name| (name == "RUST_LOG").then(|| filter.to_owned())),
        ..Environment::isolated()
    };
    let out = run_with(&API, &verbose_call("CAIS\"tok", ""), &env("trace"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("popgen.attempt{attempt=1"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("CAIS") && !out.stderr.contains(SECRET));
    let out = run_with(
        &API,
        &verbose_call("CAIS-tok", ""),
        &env("popgen_runtime=info"),
    );
    assert!(out.stderr.contains("popgen.call{"), "{}", out.stderr);
    assert!(!out.stderr.contains("popgen.attempt"), "{}", out.stderr);
    let out = run_with(
        &API,
        &verbose_call("CAIS-tok", ""),
        &env("popgen_runtime=loud"),
    );
    assert_eq!(out.code, 0);
    assert!(
        out.stderr
            .starts_with("warning: RUST_LOG: `popgen_runtime=loud`"),
        "{}",
        out.stderr
    );
    // `run` ignores the process's RUST_LOG (tests must not depend on it).
    assert!(
        !run(&API, &verbose_call("CAIS-tok", ""))
            .stderr
            .contains("popgen.call")
    );
}

#[test]
fn a_dry_run_without_credentials_signs_with_placeholders_and_says_so() {
    for scheme in ["v1", "v3"] {
        let out = run_with(
            &API,
            &args(&[
                "call",
                "CancelCall",
                "CallId=116012354148",
                "--dry-run",
                "--explain",
                "--signature",
                scheme,
                "-v",
            ]),
            &Environment::isolated(),
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(
            out.stderr.starts_with(
                "note: no credentials are configured; this dry run is signed with placeholder keys \
                 (AccessKey ID LTAI-PLACEHOLDER-NOT-A-REAL-KEY)"
            ),
            "{}",
            out.stderr
        );
        let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
        assert!(
            json["credentials"]
                .as_str()
                .unwrap()
                .starts_with("placeholder")
        );
        assert!(
            out.stdout
                .contains(popgen_tools::cli::PLACEHOLDER_ACCESS_KEY_ID)
        );
        assert!(
            !out.stdout.contains("placeholder-secret")
                && !out.stderr.contains("placeholder-secret")
        );
    }
    // Sending still needs real credentials.
    let out = run_with(
        &API,
        &args(&[
            "call",
            "CancelCall",
            "CallId=116012354148",
            "--endpoint",
            "http://127.0.0.1:9",
        ]),
        &Environment::isolated(),
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.starts_with("error: no credentials:"),
        "{}",
        out.stderr
    );
    // With credentials configured, they are used and nothing is said.
    let configured = Environment {
        vars: std::sync::Arc::new(|name| match name {
            "ALIBABA_CLOUD_ACCESS_KEY_ID" => Some("LTAIconfigured".to_owned()),
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET" => Some("configured-secret".to_owned()),
            _ => None,
        }),
        ..Environment::isolated()
    };
    let out = run_with(
        &API,
        &args(&["call", "CancelCall", "CallId=1", "--dry-run"]),
        &configured,
    );
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    assert!(out.stdout.contains("Credential=LTAIconfigured,"));
    assert!(!out.stdout.contains("\"credentials\"") && !out.stdout.contains("configured-secret"));
}

#[test]
fn version_and_completions() {
    let out = dyvms(&["--version"]);
    assert_eq!(out.code, 0);
    assert_eq!(
        out.stdout,
        format!(
            "dyvms {} (Dyvmsapi API 2017-05-25)\n",
            env!("CARGO_PKG_VERSION")
        )
    );
    assert_eq!(dyvms(&["-V"]).stdout, out.stdout);
    for (shell, marker) in [
        ("bash", "_dyvms()"),
        ("zsh", "#compdef dyvms"),
        ("fish", "complete -c dyvms"),
        ("elvish", "dyvms"),
        ("powershell", "dyvms"),
    ] {
        let out = dyvms(&["completions", shell]);
        assert_eq!(out.code, 0, "{shell}: {}", out.stderr);
        assert!(out.stdout.contains(marker), "{shell}");
        for sub in ["call", "validate", "describe", "mock", "completions"] {
            assert!(out.stdout.contains(sub), "{shell}: {sub}");
        }
    }
    let out = dyvms(&["completions", "tcsh"]);
    assert_eq!(out.code, 2);
}

#[test]
fn colour_only_on_a_terminal_or_when_asked() {
    let bad = ["validate", "NoSuchAction"];
    // Captured output is not a terminal: plain.
    let out = dyvms(&bad);
    assert_eq!(out.code, 2);
    assert!(out.stderr.starts_with("error: ") && !out.stderr.contains('\x1b'));
    // A terminal gets colour, unless NO_COLOR is set or --color never says otherwise.
    let terminal = Environment {
        stdout_is_terminal: true,
        stderr_is_terminal: true,
        ..Environment::isolated()
    };
    let out = run_with(&API, &args(&bad), &terminal);
    assert!(
        out.stderr.starts_with("\x1b[1;31merror:\x1b[0m "),
        "{:?}",
        out.stderr
    );
    let mut never = args(&bad);
    never.push("--color=never".into());
    assert!(!run_with(&API, &never, &terminal).stderr.contains('\x1b'));
    let no_color = Environment {
        vars: std::sync::Arc::new(|name| (name == "NO_COLOR").then(|| "1".to_owned())),
        ..terminal.clone()
    };
    assert!(
        !run_with(&API, &args(&bad), &no_color)
            .stderr
            .contains('\x1b')
    );
    // --color always colours even captured output; clap's own errors and help too.
    let mut always = args(&bad);
    always.push("--color".into());
    always.push("always".into());
    assert!(dyvms(&always[1..]).stderr.contains("\x1b[1;31merror:"));
    let out = dyvms(&["--color", "always", "call"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains('\x1b'), "{:?}", out.stderr);
    let out = run_with(&API, &args(&["--help"]), &terminal);
    assert!(out.stdout.contains('\x1b'));
    assert!(!dyvms(&["--help"]).stdout.contains('\x1b'));
    // JSON stays plain, for other programs.
    let out = run_with(&API, &args(&["actions", "--json"]), &terminal);
    assert!(!out.stdout.contains('\x1b'));
}
