//! End to end, over real HTTP on 127.0.0.1: the generated client (its validation, the runtime's
//! signing, retry loop and reqwest transport) against the mock server serving the same generated
//! registry. Each test starts its own mock on an ephemeral port; nothing leaves the machine.

use std::sync::Arc;
use std::time::Duration;

use dyvmsapi::registry::API;
use popgen_runtime::client::{
    Client, Config, Entropy, Error, Explain, HttpResponse, SignatureVersion, Transport,
};
use popgen_runtime::credentials::Credentials;
use popgen_runtime::http::{HttpConfig, HttpTransport};
use popgen_runtime::registry::ActionEntry;
use popgen_runtime::retry::RetryPolicy;
use popgen_tools::mock::{Fault, FaultKind, MockConfig, MockHandle, MockServer};

const KEY_ID: &str = "LTAI5tE2eTestKey000";
const SECRET: &str = "e2e-test-secret-value-0123";

async fn mock() -> Arc<MockHandle> {
    Arc::new(
        MockServer::start(&API, MockConfig::new(KEY_ID, SECRET))
            .await
            .expect("the mock starts on 127.0.0.1"),
    )
}

/// The client's clock follows the mock's, which tests move (minutes, hours) to open quota
/// windows; fresh random nonces as usual.
fn synced(mock: &Arc<MockHandle>) -> Entropy {
    let mock = Arc::clone(mock);
    Entropy {
        now: Arc::new(move || mock.clock().now_secs()),
        nonce: Arc::new(popgen_runtime::sign::new_nonce),
    }
}

fn transport(read_timeout: Duration) -> HttpTransport {
    HttpTransport::new(&HttpConfig {
        connect_timeout: Duration::from_secs(2),
        read_timeout,
        proxy_from_env: false,
    })
    .expect("reqwest client")
}

fn config(mock: &Arc<MockHandle>, signature: SignatureVersion) -> Config {
    let mut config = dyvmsapi::Client::<HttpTransport>::default_config();
    config.endpoint = mock.endpoint();
    config.signature = signature;
    config.deadline = Some(Duration::from_secs(20));
    config
}

fn core(mock: &Arc<MockHandle>, signature: SignatureVersion) -> Client<HttpTransport> {
    Client::new(
        transport(Duration::from_secs(5)),
        Credentials::new(KEY_ID, SECRET),
        config(mock, signature),
    )
    .with_entropy(synced(mock))
}

/// The generated, typed client pointed at the mock.
fn typed(mock: &Arc<MockHandle>, signature: SignatureVersion) -> dyvmsapi::Client<HttpTransport> {
    dyvmsapi::Client::with_config(
        transport(Duration::from_secs(5)),
        Credentials::new(KEY_ID, SECRET),
        config(mock, signature),
    )
    .with_entropy(synced(mock))
}

fn entry(name: &str) -> &'static ActionEntry {
    API.action(name).expect("action in the registry")
}

/// A valid `QueryCallDetailByCallId` (read-only): what the retry and replay tests send.
const QUERY_CALL_DETAIL: &[(&str, &str)] = &[
    ("CallId", "116012354148^10281378"),
    ("ProdId", "11000000300006"),
    ("QueryDate", "1577255564000"),
];

fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// Where the reference's example requests cannot be sent as printed (masked digits, an example
/// that disagrees with its own table; `tests/registry.rs` pins exactly which), the smallest edit
/// that makes them valid: `(action, param, Some(value) to set | None to remove)`.
const EXAMPLE_FIXES: &[(&str, &str, Option<&str>)] = &[
    ("CreateRobotTask", "DialogId", Some("100002390000")),
    ("ListCallTaskDetail", "TaskId", Some("1500010000")),
    ("StartRobotTask", "TaskId", Some("1045000000")),
    ("UploadRobotTaskCalledFile", "Id", Some("10450000")),
    ("QueryCallDetailByCallId", "ProdId", Some("11000000300006")),
    ("ExecuteCallTask", "TaskId", Some("1000")),
    ("QueryCallInTransferRecord", "PageSize", Some("10")),
    (
        "SubmitHotlineTransferRegister",
        "TransferPhoneNumberInfos",
        None,
    ),
    (
        "SubmitHotlineTransferRegister",
        "TransferPhoneNumberInfos.1.PhoneNumber",
        Some("15800000000"),
    ),
    (
        "SubmitHotlineTransferRegister",
        "TransferPhoneNumberInfos.1.PhoneNumberOwnerName",
        Some("A"),
    ),
    (
        "SubmitHotlineTransferRegister",
        "TransferPhoneNumberInfos.1.IdentityCard",
        Some("500000"),
    ),
];

fn example_params(entry: &ActionEntry, example: usize) -> Vec<(String, String)> {
    let mut params = owned(entry.examples[example].params);
    for (action, key, value) in EXAMPLE_FIXES {
        if *action != entry.meta.name {
            continue;
        }
        params.retain(|(k, _)| k != key);
        if let Some(value) = value {
            params.push(((*key).to_owned(), (*value).to_owned()));
        }
    }
    params
}

/// Validates `params` with the action's generated rules, as the CLI does, and returns them as
/// the client encodes them.
fn validated(entry: &ActionEntry, params: &[(String, String)]) -> Vec<(String, String)> {
    let refs: Vec<(&str, &str)> = params
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let (encoded, report) = (entry.parse_params)(&refs);
    assert!(
        !report.has_errors(),
        "{}: example does not validate:\n{report}",
        entry.meta.name
    );
    encoded.expect("readable params")
}

#[tokio::test]
async fn every_reference_example_succeeds_against_the_mock_in_both_schemes_and_formats() {
    let mock = mock().await;
    let mut sent = 0;
    for (i, entry) in API.actions.iter().enumerate() {
        assert!(
            !entry.examples.is_empty(),
            "{} has no example request",
            entry.meta.name
        );
        for example in 0..entry.examples.len() {
            let params = validated(entry, &example_params(entry, example));
            for (signature, format) in [
                (SignatureVersion::V1, popgen_runtime::decode::Format::Json),
                (SignatureVersion::V3, popgen_runtime::decode::Format::Xml),
            ] {
                let mut config = config(&mock, signature);
                config.format = format;
                let client = Client::new(
                    transport(Duration::from_secs(5)),
                    Credentials::new(KEY_ID, SECRET),
                    config,
                )
                .with_entropy(synced(&mock));
                let response = client
                    .call_params(entry.meta, &params)
                    .await
                    .unwrap_or_else(|e| panic!("{} ({signature:?}): {e}", entry.meta.name));
                let json = (entry.decode_response)(format, &response.body)
                    .unwrap_or_else(|e| panic!("{}: {e}\n{}", entry.meta.name, response.body));
                assert_eq!(
                    json["Code"].as_str(),
                    Some(entry.meta.success_code),
                    "{i}: {}",
                    entry.meta.name
                );
                sent += 1;
                // The per-callee limit allows one call a minute: let the mock's minute pass.
                mock.clock().advance(Duration::from_secs(61));
            }
        }
    }
    assert!(sent >= 2 * API.actions.len());
    let journal = mock.journal();
    assert_eq!(journal.len(), sent, "one request per call, no retries");
    assert!(journal.iter().all(|e| e.http_status == Some(200)));
}

#[tokio::test]
async fn the_typed_generated_client_places_a_call() {
    let mock = mock().await;
    let client = typed(&mock, SignatureVersion::V3);
    let request = dyvmsapi::SingleCallByTtsRequest::new("13800138000", "TTS_10001")
        .called_show_number("057112345678")
        .play_times(2)
        .out_id("order-42");
    let response = client.single_call_by_tts(&request).await.expect("placed");
    assert_eq!(response.code.as_deref(), Some("OK"));
    assert!(response.call_id.is_some());
    let journal = mock.journal();
    assert_eq!(journal.len(), 1);
    assert_eq!(journal[0].action.as_deref(), Some("SingleCallByTts"));
    assert_eq!(journal[0].scheme.as_deref(), Some("v3"));
    // Sensitive params never reach the journal in clear.
    let called = journal[0]
        .params
        .iter()
        .find(|(k, _)| k == "CalledNumber")
        .expect("CalledNumber journaled");
    assert_ne!(called.1, "13800138000");
}

#[tokio::test]
async fn an_invalid_request_never_leaves_the_client() {
    let mock = mock().await;
    let client = typed(&mock, SignatureVersion::V1);
    let request = dyvmsapi::SingleCallByTtsRequest::new("13800138000", "TTS_10001")
        .called_show_number("057112345678")
        .play_times(5);
    let Err(Error::Validation(report)) = client.single_call_by_tts(&request).await else {
        panic!("PlayTimes=5 must be refused before sending");
    };
    assert!(report.to_string().starts_with("PlayTimes: "), "{report}");
    assert!(mock.journal().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn a_wrong_secret_gets_signature_does_not_match_quoting_the_same_string_to_sign() {
    let mock = mock().await;
    for signature in [SignatureVersion::V1, SignatureVersion::V3] {
        let client = Client::new(
            transport(Duration::from_secs(5)),
            Credentials::new(KEY_ID, "not-the-secret"),
            config(&mock, signature),
        )
        .with_entropy(synced(&mock));
        let params = owned(&[("CallId", "116012354148^10281378****")]);
        let meta = entry("CancelCall").meta;
        let (_, explain) = client.prepare_explained(meta, &params).expect("signs");
        let Err(Error::Api(error)) = client.call_params(meta, &params).await else {
            panic!("a wrong secret must be refused");
        };
        assert_eq!(error.code, "SignatureDoesNotMatch", "{signature:?}");
        assert_eq!(error.http_status, 400);
        // The server's string to sign equals ours: the secret is what differs.
        let ours = match explain {
            Explain::V1 { string_to_sign, .. } => string_to_sign,
            Explain::V3 {
                canonical_request, ..
            } => canonical_request,
        };
        let prefix: String = ours.chars().take(40).collect();
        assert!(
            error.message.contains(&prefix),
            "{signature:?}: {}\nours: {ours}",
            error.message
        );
    }
}

/// Sends one prepared request as it is, twice if asked: what a replaying attacker (or a buggy
/// retry that reuses a nonce) does.
async fn send_raw(
    client: &Client<HttpTransport>,
    meta: &'static popgen_runtime::action::ActionMeta,
    params: &[(String, String)],
    times: usize,
) -> Vec<HttpResponse> {
    let request = client.prepare_params(meta, params).expect("signs");
    let mut out = Vec::new();
    for _ in 0..times {
        out.push(
            client
                .transport()
                .send(request.clone())
                .await
                .expect("answered"),
        );
    }
    out
}

fn code_of(response: &HttpResponse) -> String {
    let json: serde_json::Value = serde_json::from_str(&response.body).expect("JSON body");
    json["Code"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn a_replayed_request_is_refused_with_signature_nonce_used() {
    let mock = mock().await;
    for signature in [SignatureVersion::V1, SignatureVersion::V3] {
        let client = core(&mock, signature);
        let meta = entry("QueryCallDetailByCallId").meta;
        let params = validated(entry("QueryCallDetailByCallId"), &owned(QUERY_CALL_DETAIL));
        let replies = send_raw(&client, meta, &params, 2).await;
        assert_eq!(code_of(&replies[0]), "OK", "{}", replies[0].body);
        assert_eq!(code_of(&replies[1]), "SignatureNonceUsed", "{signature:?}");
    }
}

#[tokio::test]
async fn a_clock_more_than_15_minutes_off_gets_invalid_timestamp_expired() {
    let mock = mock().await;
    let skewed = mock.clock().now_secs() - 16 * 60;
    let client = core(&mock, SignatureVersion::V1).with_entropy(Entropy {
        now: Arc::new(move || skewed),
        nonce: Arc::new(popgen_runtime::sign::new_nonce),
    });
    let params = owned(&[("CallId", "116012354148^10281378****")]);
    let Err(Error::Api(error)) = client.call_params(entry("CancelCall").meta, &params).await else {
        panic!("a skewed clock must be refused");
    };
    assert_eq!(error.code, "InvalidTimeStamp.Expired");
    // 14 minutes off is still fine.
    let near = mock.clock().now_secs() - 14 * 60;
    let client = core(&mock, SignatureVersion::V1).with_entropy(Entropy {
        now: Arc::new(move || near),
        nonce: Arc::new(popgen_runtime::sign::new_nonce),
    });
    client
        .call_params(entry("CancelCall").meta, &params)
        .await
        .expect("within the window");
}

#[tokio::test]
async fn the_per_user_qps_throttles_and_recovers_the_next_second() {
    let mock = mock().await;
    mock.clock().freeze();
    // A side-effect action with a 20-per-second limit: throttling is never retried for it.
    let entry = API
        .actions
        .iter()
        .find(|a| a.meta.side_effects && a.meta.qps_per_user == Some(20))
        .or_else(|| {
            API.actions
                .iter()
                .filter(|a| a.meta.side_effects && a.meta.callee_limit.is_none())
                .min_by_key(|a| a.meta.qps_per_user.unwrap_or(u32::MAX))
        })
        .expect("an action with a QPS limit");
    let qps = entry.meta.qps_per_user.expect("documented QPS");
    let params = validated(entry, &example_params(entry, 0));
    let client = core(&mock, SignatureVersion::V3);
    for i in 0..qps {
        client
            .call_params(entry.meta, &params)
            .await
            .unwrap_or_else(|e| panic!("call {i} of {qps}: {e}"));
    }
    let Err(Error::Api(error)) = client.call_params(entry.meta, &params).await else {
        panic!("call {} in one second must be throttled", qps + 1);
    };
    assert_eq!(error.code, "Throttling.User");
    assert_eq!(
        mock.journal().len() as u32,
        qps + 1,
        "no retry of a side effect"
    );
    mock.clock().advance(Duration::from_secs(1));
    client
        .call_params(entry.meta, &params)
        .await
        .expect("a new second, a new quota");
}

#[tokio::test]
async fn the_per_callee_limit_allows_one_call_a_minute_five_an_hour() {
    let mock = mock().await;
    mock.clock().freeze();
    let client = core(&mock, SignatureVersion::V1);
    let meta = entry("SingleCallByTts").meta;
    let limit = meta
        .callee_limit
        .expect("SingleCallByTts documents a callee limit");
    assert_eq!(
        (limit.per_minute, limit.per_hour, limit.per_day),
        (1, 5, 20)
    );
    let params = owned(&[
        ("CalledShowNumber", "057112345678"),
        ("CalledNumber", "13800138000"),
        ("TtsCode", "TTS_10001"),
    ]);
    let other = owned(&[
        ("CalledShowNumber", "057112345678"),
        ("CalledNumber", "13900139000"),
        ("TtsCode", "TTS_10001"),
    ]);
    client.call_params(meta, &params).await.expect("first call");
    let Err(Error::Api(error)) = client.call_params(meta, &params).await else {
        panic!("a second call to the same callee within a minute must be refused");
    };
    assert_eq!(error.code, "isv.BUSINESS_LIMIT_CONTROL");
    // Which window, and when the callee frees (the clock stands still: a minute from now).
    assert!(
        error
            .message
            .contains("in the last minute, the most allowed (1/min)")
            && error.message.ends_with(", in 60 s."),
        "{}",
        error.message
    );
    client
        .call_params(meta, &other)
        .await
        .expect("another callee is not limited");
    for i in 2..=5 {
        mock.clock().advance(Duration::from_secs(61));
        client
            .call_params(meta, &params)
            .await
            .unwrap_or_else(|e| panic!("call {i} of the hour: {e}"));
    }
    mock.clock().advance(Duration::from_secs(61));
    let Err(Error::Api(error)) = client.call_params(meta, &params).await else {
        panic!("a sixth call within the hour must be refused");
    };
    assert_eq!(error.code, "isv.BUSINESS_LIMIT_CONTROL");
    mock.clock().advance(Duration::from_secs(3600));
    client
        .call_params(meta, &params)
        .await
        .expect("the hour has slid past");
    // Never retried: one journal entry per call.
    assert_eq!(mock.journal().len(), 9);
}

#[tokio::test]
async fn a_stalled_call_placing_request_is_outcome_unknown_and_sent_exactly_once() {
    let mock = mock().await;
    mock.add_fault(Fault::new(FaultKind::Stall { ms: 1500 }).on("SingleCallByTts"));
    let client = Client::new(
        transport(Duration::from_millis(400)),
        Credentials::new(KEY_ID, SECRET),
        config(&mock, SignatureVersion::V3),
    )
    .with_entropy(synced(&mock));
    let params = owned(&[
        ("CalledShowNumber", "057112345678"),
        ("CalledNumber", "13800138000"),
        ("TtsCode", "TTS_10001"),
        ("OutId", "order-77"),
    ]);
    let Err(Error::OutcomeUnknown(unknown)) = client
        .call_params(entry("SingleCallByTts").meta, &params)
        .await
    else {
        panic!("a read timeout after sending must be outcome-unknown");
    };
    assert_eq!(
        unknown
            .idempotency_key
            .as_ref()
            .map(|k| (k.param, k.value.as_str())),
        Some(("OutId", "order-77"))
    );
    assert_eq!(unknown.attempts, 1);
    // Let the stall end so the mock journals the request, then count.
    tokio::time::sleep(Duration::from_millis(1800)).await;
    let calls: Vec<_> = mock
        .journal()
        .into_iter()
        .filter(|e| e.action.as_deref() == Some("SingleCallByTts"))
        .collect();
    assert_eq!(calls.len(), 1, "{calls:?}");
}

#[tokio::test]
async fn read_only_actions_are_retried_with_a_fresh_nonce_each_time() {
    let mock = mock().await;
    mock.add_fault(
        Fault::error("ServiceUnavailable", 503)
            .on("QueryCallDetailByCallId")
            .times(2),
    );
    let mut config = config(&mock, SignatureVersion::V1);
    config.retry = RetryPolicy {
        base_delay: Duration::from_millis(10),
        ..RetryPolicy::default()
    };
    let client = Client::new(
        transport(Duration::from_secs(5)),
        Credentials::new(KEY_ID, SECRET),
        config,
    )
    .with_entropy(synced(&mock));
    let params = validated(entry("QueryCallDetailByCallId"), &owned(QUERY_CALL_DETAIL));
    client
        .call_params(entry("QueryCallDetailByCallId").meta, &params)
        .await
        .expect("third attempt succeeds");
    let journal = mock.journal();
    assert_eq!(journal.len(), 3);
    let codes: Vec<_> = journal
        .iter()
        .map(|e| e.code.clone().unwrap_or_default())
        .collect();
    assert_eq!(codes, ["ServiceUnavailable", "ServiceUnavailable", "OK"]);
    let mut nonces: Vec<_> = journal.iter().map(|e| e.nonce.clone()).collect();
    nonces.sort();
    nonces.dedup();
    assert_eq!(nonces.len(), 3, "every attempt freshly signed");
}

#[tokio::test]
async fn business_limit_control_is_never_retried_even_for_read_only_actions() {
    let mock = mock().await;
    mock.add_fault(Fault::error("isv.BUSINESS_LIMIT_CONTROL", 400).on("QueryCallDetailByCallId"));
    let client = core(&mock, SignatureVersion::V3);
    let params = owned(QUERY_CALL_DETAIL);
    let Err(Error::Api(error)) = client
        .call_params(entry("QueryCallDetailByCallId").meta, &params)
        .await
    else {
        panic!("the fault must surface");
    };
    assert_eq!(error.code, "isv.BUSINESS_LIMIT_CONTROL");
    assert_eq!(mock.journal().len(), 1);
}

#[tokio::test]
async fn a_malformed_body_and_a_dropped_connection_are_typed_errors() {
    let mock = mock().await;
    let client = core(&mock, SignatureVersion::V1);
    let meta = entry("SingleCallByTts").meta;
    mock.add_fault(
        Fault::new(FaultKind::Malformed)
            .on("SingleCallByTts")
            .times(1),
    );
    let params = owned(&[
        ("CalledShowNumber", "057112345678"),
        ("CalledNumber", "13800138000"),
        ("TtsCode", "TTS_10001"),
    ]);
    let result = client.call_params(meta, &params).await;
    assert!(
        matches!(&result, Err(Error::OutcomeUnknown(u)) if u.probably_took_effect()),
        "a truncated success answer to a call probably placed it: {result:?}"
    );
    mock.clock().advance(Duration::from_secs(61));
    mock.add_fault(Fault::new(FaultKind::Drop).on("SingleCallByTts").times(1));
    let result = client.call_params(meta, &params).await;
    assert!(
        matches!(result, Err(Error::OutcomeUnknown(_))),
        "a dropped connection after sending is outcome-unknown: {result:?}"
    );
}

/// The CLI over the same registry: `dyvms call` against the mock, and `--dry-run` reproducible.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_calls_the_mock_and_dry_runs_reproducibly() {
    let mock = mock().await;
    let endpoint = mock.endpoint();
    let run = |args: Vec<String>| {
        tokio::task::spawn_blocking(move || popgen_tools::cli::run(&API, &args))
    };
    let args = |extra: &[&str]| -> Vec<String> {
        let mut v: Vec<String> = [
            "dyvms",
            "call",
            "SingleCallByTts",
            "CalledShowNumber=057112345678",
            "CalledNumber=13800138000",
            "TtsCode=TTS_10001",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        v.extend(extra.iter().map(|s| (*s).to_owned()));
        v
    };
    let out = run(args(&[
        "--endpoint",
        &endpoint,
        "--access-key-id",
        KEY_ID,
        "--access-key-secret",
        SECRET,
    ]))
    .await
    .unwrap();
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON output");
    assert_eq!(json["Code"], "OK");
    assert!(!out.stdout.contains(SECRET) && !out.stderr.contains(SECRET));

    let dry = args(&[
        "--dry-run",
        "--explain",
        "--signature",
        "v1",
        "--nonce",
        "n-1",
        "--timestamp",
        "2026-11-30T08:00:00Z",
        "--access-key-id",
        KEY_ID,
        "--access-key-secret",
        SECRET,
    ]);
    let first = run(dry.clone()).await.unwrap();
    let second = run(dry).await.unwrap();
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(first.stdout, second.stdout, "reproducible");
    assert!(!first.stdout.contains(SECRET));
    let json: serde_json::Value = serde_json::from_str(&first.stdout).expect("JSON");
    assert_eq!(json["method"], "POST");
    assert!(
        json["explain"]["string_to_sign"]
            .as_str()
            .unwrap()
            .starts_with("POST&%2F&")
    );
    assert_eq!(mock.journal().len(), 1, "the dry runs sent nothing");
}

/// `n` distinct 11-digit numbers, comma-separated.
fn numbers(n: usize) -> String {
    (0..n)
        .map(|i| format!("138{i:08}"))
        .collect::<Vec<_>>()
        .join(",")
}

#[tokio::test]
async fn the_largest_robot_upload_the_reference_documents_is_served_and_a_larger_body_refused() {
    let mock = mock().await;
    let meta = entry("UploadRobotTaskCalledFile").meta;
    // 300,000 numbers, a task's maximum: 4.2 MB form-encoded, over the mock's old 4 MiB limit.
    let params = vec![
        ("Id".to_owned(), "10450000".to_owned()),
        ("CalledNumber".to_owned(), numbers(300_000)),
    ];
    let reply = core(&mock, SignatureVersion::V1)
        .call_params(meta, &params)
        .await
        .expect("the documented maximum is served");
    assert_eq!(reply.status, 200);
    assert!(reply.body.contains(r#""Code":"OK""#), "{}", reply.body);
    let entry = &mock.journal()[0];
    assert!(entry.body_bytes > 4_200_000, "{}", entry.body_bytes);
    assert_eq!(entry.code.as_deref(), Some("OK"));

    // 700,000 numbers (9.8 MB): over the 8 MiB the mock takes from an action the spec does not
    // bound; an Alibaba-style error the client reads like any other.
    let params = vec![
        ("Id".to_owned(), "10450000".to_owned()),
        ("CalledNumber".to_owned(), numbers(700_000)),
    ];
    let Err(Error::Api(error)) = core(&mock, SignatureVersion::V3)
        .call_params(meta, &params)
        .await
    else {
        panic!("an oversize body is refused");
    };
    assert_eq!(
        (error.code.as_str(), error.http_status),
        ("RequestEntityTooLarge", 413)
    );
    assert!(
        error
            .message
            .contains("UploadRobotTaskCalledFile accepts at most 8388608 bytes"),
        "{}",
        error.message
    );
    assert_eq!(error.request_id.len(), 36);
    assert_eq!(mock.journal().len(), 2, "sent once, journaled");
}
