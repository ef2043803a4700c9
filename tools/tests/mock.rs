//! The mock server over real HTTP on 127.0.0.1, against a small hand-written API: what a client
//! (ours or Alibaba's) sees, and what a test reads back from the journal.

use crate::common;

use std::time::{Duration, Instant};

use crate::common::*;
use popgen_runtime::decode::xml_to_json;
use popgen_runtime::sign::{self, v1};
use popgen_tools::mock::{Fault, FaultKind, MockConfig, MockHandle, MockServer, RequestLog};

async fn start() -> MockHandle {
    start_with(MockConfig::new(KEY_ID, SECRET)).await
}

async fn start_with(config: MockConfig) -> MockHandle {
    MockServer::start(&API, config).await.expect("mock starts")
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[tokio::test]
async fn v1_in_the_query_succeeds_with_a_fresh_request_id_in_key_order() {
    let mock = start().await;
    let reply = send(mock.addr(), &V1::new("ListItems", vec![]).wire())
        .await
        .unwrap();
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(reply.content_type.starts_with("application/json"));
    let json = reply.json();
    assert_eq!(json["Code"], "OK");
    let id = json["RequestId"].as_str().unwrap();
    assert_ne!(id, "EXAMPLE");
    assert_eq!(id.len(), 36);
    assert!(reply.body.starts_with(&format!(
        r#"{{"RequestId":"{id}","Code":"OK","Data":[{{"Id":1,"#
    )));
    let second = send(mock.addr(), &V1::new("ListItems", vec![]).wire())
        .await
        .unwrap();
    assert_ne!(second.json()["RequestId"], json["RequestId"]);
    let journal = mock.journal();
    assert_eq!(journal.len(), 2);
    assert_eq!(journal[0].scheme.as_deref(), Some("v1"));
    assert_eq!(journal[0].code.as_deref(), Some("OK"));
    assert_eq!(journal[0].http_status, Some(200));
    assert_eq!(journal[0].request_id.as_deref(), Some(id));
}

#[tokio::test]
async fn xml_is_the_default_and_format_is_case_insensitive() {
    let mock = start().await;
    for format in [None, Some("xml"), Some("XML")] {
        let mut request = V1::new("ListItems", vec![]);
        request.format = format.map(str::to_owned);
        let reply = send(mock.addr(), &request.wire()).await.unwrap();
        assert_eq!(reply.status, 200);
        assert!(reply.content_type.starts_with("text/xml"), "{format:?}");
        assert!(
            reply.body.starts_with(
                "<?xml version='1.0' encoding='UTF-8'?><ListItemsResponse><RequestId>"
            )
        );
        assert!(
            reply
                .body
                .contains("<Data><Id>1</Id><Name>a&amp;b</Name></Data><Data><Id>2</Id>")
        );
        let (root, value) = xml_to_json(&reply.body).unwrap();
        assert_eq!(root, "ListItemsResponse");
        assert_eq!(value["Data"][0]["Name"], "a&b");
        assert_eq!(value["Code"], "OK");
    }
    let mut lower = V1::new("ListItems", vec![]);
    lower.format = Some("json".into());
    let reply = send(mock.addr(), &lower.wire()).await.unwrap();
    assert_eq!(reply.code(), "OK");

    let mut bad = V1::new("ListItems", vec![]);
    bad.format = Some("XML".into());
    bad.secret = "wrong".into();
    let reply = send(mock.addr(), &bad.wire()).await.unwrap();
    let (root, value) = xml_to_json(&reply.body).unwrap();
    assert_eq!((root.as_str(), reply.status), ("Error", 400));
    assert_eq!(value["Code"], "SignatureDoesNotMatch");
    assert_eq!(value["HostId"], "dyvmsapi.aliyuncs.com");
}

#[tokio::test]
async fn v3_in_the_query_or_a_form_body_succeeds_as_json() {
    let mock = start().await;
    for form in [false, true] {
        let wire = v3_wire(
            "SingleCallByTts",
            &tts_params(&format!("1380013800{}", u8::from(form))),
            SECRET,
            form,
        );
        let reply = send(mock.addr(), &wire).await.unwrap();
        assert_eq!(
            (reply.status, reply.code()),
            (200, "OK".into()),
            "{}",
            reply.body
        );
        assert_eq!(reply.json()["CallId"], "116012354148^10281378****");
    }
    let journal = mock.journal();
    assert!(journal.iter().all(|e| e.scheme.as_deref() == Some("v3")));
    assert!(
        journal
            .iter()
            .all(|e| e.action.as_deref() == Some("SingleCallByTts"))
    );
    assert_eq!(journal[0].nonce.as_ref().map(String::len), Some(32));
}

#[tokio::test]
async fn v3_wrong_secret_or_changed_body_is_refused_with_the_servers_stages() {
    let mock = start().await;
    let wire = v3_wire("ListItems", &pairs(&[("Name", "x y")]), "wrong", false);
    let reply = send(mock.addr(), &wire).await.unwrap();
    assert_eq!(
        (reply.status, reply.code()),
        (400, "SignatureDoesNotMatch".into())
    );
    let message = reply.message();
    assert!(message.starts_with(
        "Specified signature is not matched with our calculation. server string to sign is:ACS3-HMAC-SHA256\n"
    ));
    assert!(
        message.contains(
            "server canonical request is:\nPOST\n/\nName=x%20y\naccept:application/json\n"
        )
    );

    let mut tampered = v3_wire("ListItems", &pairs(&[("Name", "x")]), SECRET, true);
    tampered.body = "Name=y".into();
    let reply = send(mock.addr(), &tampered).await.unwrap();
    assert_eq!(reply.code(), "SignatureDoesNotMatch");
    assert!(
        reply.message().contains("x-acs-content-sha256"),
        "{}",
        reply.message()
    );
}

/// Asserts `reply` refuses a V3 request for leaving `header` out of `SignedHeaders`.
fn assert_unsigned(reply: &Reply, header: &str) {
    assert_eq!(
        (reply.status, reply.code()),
        (400, "IncompleteSignature".into()),
        "{}",
        reply.body
    );
    let message = reply.message();
    assert!(message.contains(&format!("`{header}`")), "{message}");
    assert!(message.contains("must be signed"), "{message}");
    for key in ["RequestId", "HostId", "Recommend"] {
        assert!(reply.json()[key].is_string(), "{key}: {}", reply.body);
    }
}

#[tokio::test]
async fn v3_headers_left_out_of_signed_headers_are_refused() {
    let mock = start().await;
    let tts = tts_params("13800138009");
    // A request signed as QueryCallDetailByCallId with x-acs-action unsigned, relabelled.
    let mut relabelled = v3_wire_signing("QueryCallDetailByCallId", &tts, SECRET, false, |h| {
        h != "x-acs-action"
    });
    relabelled.set_header("x-acs-action", "SingleCallByTts");
    assert_unsigned(
        &send(mock.addr(), &relabelled).await.unwrap(),
        "x-acs-action",
    );

    // The nonce unsigned: no replay with fresh nonces (nor the first send).
    let mut replayed = v3_wire_signing("ListItems", &[], SECRET, false, |h| {
        h != "x-acs-signature-nonce"
    });
    for _ in 0..3 {
        assert_unsigned(
            &send(mock.addr(), &replayed).await.unwrap(),
            "x-acs-signature-nonce",
        );
        replayed.set_header("x-acs-signature-nonce", sign::new_nonce());
    }

    // The date unsigned: not accepted 32 minutes later.
    let mut late = v3_wire_signing("ListItems", &[], SECRET, false, |h| h != "x-acs-date");
    mock.clock().advance(Duration::from_secs(32 * 60));
    late.set_header(
        "x-acs-date",
        sign::format_timestamp(mock.clock().now_secs()),
    );
    assert_unsigned(&send(mock.addr(), &late).await.unwrap(), "x-acs-date");

    // `SignedHeaders=host` alone.
    let host_only = v3_wire_signing("ListItems", &[], SECRET, false, |h| h == "host");
    let authorization = host_only.header("authorization").unwrap_or_default();
    assert!(
        authorization.contains("SignedHeaders=host,"),
        "{authorization}"
    );
    let reply = send(mock.addr(), &host_only).await.unwrap();
    assert_eq!(reply.code(), "IncompleteSignature", "{}", reply.body);

    // content-type with a form body, and host.
    let form = v3_wire_signing("ListItems", &pairs(&[("Name", "x")]), SECRET, true, |h| {
        h != "content-type"
    });
    assert_unsigned(&send(mock.addr(), &form).await.unwrap(), "content-type");
    let no_host = v3_wire_signing("ListItems", &[], SECRET, false, |h| h != "host");
    assert_unsigned(&send(mock.addr(), &no_host).await.unwrap(), "host");

    // Nothing above reached an action; the same requests fully signed do.
    assert!(
        mock.journal()
            .iter()
            .all(|e| e.code.as_deref() == Some("IncompleteSignature"))
    );
    mock.reset();
    let fine = v3_wire("SingleCallByTts", &tts, SECRET, false);
    assert_eq!(send(mock.addr(), &fine).await.unwrap().code(), "OK");
}

#[tokio::test]
async fn hundreds_of_tampered_v3_requests_over_one_connection_are_all_refused() {
    let mock = start().await;
    let mut conn = Conn::open(mock.addr()).await.expect("connect");
    type Signs = fn(&str) -> bool;
    let kinds: [(&str, Signs); 4] = [
        ("x-acs-action", |h| h != "x-acs-action"),
        ("x-acs-signature-nonce", |h| h != "x-acs-signature-nonce"),
        ("x-acs-date", |h| h != "x-acs-date"),
        ("host only", |h| h == "host"),
    ];
    const PER_KIND: usize = 200;
    for (name, signed) in kinds {
        for i in 0..PER_KIND {
            let callee = format!("1380013{:04}", i);
            let mut wire = v3_wire_signing(
                "QueryCallDetailByCallId",
                &tts_params(&callee),
                SECRET,
                false,
                signed,
            );
            wire.set_header("x-acs-action", "SingleCallByTts");
            wire.set_header("x-acs-signature-nonce", sign::new_nonce());
            let reply = conn.send(&wire).await.expect("an answer");
            assert_eq!(
                (reply.status, reply.code()),
                (400, "IncompleteSignature".into()),
                "{name} #{i}: {}",
                reply.body
            );
        }
    }
    let journal = mock.journal();
    assert_eq!(journal.len(), 4 * PER_KIND);
    assert!(journal.iter().all(|e| e.http_status == Some(400)));
}

#[tokio::test]
async fn get_form_body_and_both_at_once_are_accepted() {
    let mock = start().await;
    let mut get = V1::new("ListItems", pairs(&[("PageSize", "10")]));
    get.method = "GET";
    assert_eq!(send(mock.addr(), &get.wire()).await.unwrap().code(), "OK");

    let mut form = V1::new("ListItems", pairs(&[("PageSize", "10")]));
    form.placement = v1::Placement::FormBody;
    let wire = form.wire();
    assert_eq!(wire.target, "/?");
    assert_eq!(send(mock.addr(), &wire).await.unwrap().code(), "OK");

    // Half the params in the query, half (with the signature) in the body: v1 signs them alike.
    let mut split = V1::new("ListItems", pairs(&[("PageSize", "10"), ("Name", "a b")]));
    split.placement = v1::Placement::FormBody;
    let mut wire = split.wire();
    let body = wire.body.clone();
    let (front, back): (Vec<&str>, Vec<&str>) = body
        .split('&')
        .partition(|p| p.starts_with('A') || p.starts_with('N'));
    wire.target = format!("/?{}", front.join("&"));
    wire.body = back.join("&");
    let reply = send(mock.addr(), &wire).await.unwrap();
    assert_eq!(reply.code(), "OK", "{}", reply.body);
    let params = &mock.journal()[2].params;
    assert_eq!(params.iter().filter(|(k, _)| k == "Name").count(), 1);
    assert!(params.contains(&("Name".into(), "a b".into())));
}

#[tokio::test]
async fn what_the_official_sdks_send_is_accepted() {
    let mock = start().await;
    // Current SDK, v2 mode: `+` for a space, `Format=json`, booleans `True`, POST with an empty body.
    let mut current = V1::new("ListItems", pairs(&[("Name", "a b"), ("Verbose", "True")]));
    current.format = Some("json".into());
    let mut wire = current.wire();
    assert!(wire.target.contains("a%20b"));
    wire.target = wire.target.replace("a%20b", "a+b");
    let reply = send(mock.addr(), &wire).await.unwrap();
    assert_eq!(reply.code(), "OK", "{}", reply.body);
    // Legacy SDK: GET, `Format=JSON`, `RegionId`, and an empty `SignatureType=` (signed).
    let mut legacy = V1::new("ListItems", pairs(&[("Name", "a b")]));
    legacy.method = "GET";
    legacy.extra = pairs(&[("RegionId", "cn-hangzhou"), ("SignatureType", "")]);
    let wire = legacy.wire();
    assert!(wire.target.contains("SignatureType=&"));
    let reply = send(mock.addr(), &wire).await.unwrap();
    assert_eq!(reply.code(), "OK", "{}", reply.body);
}

#[tokio::test]
async fn a_wrong_v1_signature_shows_the_servers_string_to_sign() {
    let mock = start().await;
    let mut request = V1::new("ListItems", pairs(&[("Name", "x y")]));
    request.secret = "wrong".into();
    let reply = send(mock.addr(), &request.wire()).await.unwrap();
    assert_eq!(
        (reply.status, reply.code()),
        (400, "SignatureDoesNotMatch".into())
    );
    let mut signed = vec![
        ("AccessKeyId", KEY_ID),
        ("Action", "ListItems"),
        ("Format", "JSON"),
        ("Name", "x y"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureNonce", request.nonce.as_str()),
        ("SignatureVersion", "1.0"),
        ("Timestamp", request.timestamp.as_str()),
        ("Version", VERSION),
    ];
    signed.sort();
    let expected = v1::string_to_sign("POST", &v1::canonical_query(&signed));
    assert_eq!(
        reply.message(),
        format!(
            "Specified signature is not matched with our calculation. server string to sign is:{expected}"
        )
    );
    let json = reply.json();
    let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 5);
    for key in ["RequestId", "HostId", "Code", "Message", "Recommend"] {
        assert!(json[key].is_string(), "{key}");
    }
}

#[tokio::test]
async fn unknown_keys_actions_versions_and_unsigned_requests_are_refused() {
    let mock = start().await;
    let mut unknown_key = V1::new("ListItems", vec![]);
    unknown_key.key_id = "someone-else".into();
    let reply = send(mock.addr(), &unknown_key.wire()).await.unwrap();
    assert_eq!(
        (reply.status, reply.code()),
        (400, "InvalidAccessKeyId.NotFound".into())
    );

    let reply = send(mock.addr(), &V1::new("NoSuchAction", vec![]).wire())
        .await
        .unwrap();
    assert_eq!(
        (reply.status, reply.code()),
        (404, "InvalidApi.NotFound".into())
    );

    let mut old = V1::new("ListItems", vec![]);
    old.version = "2014-01-01".into();
    let reply = send(mock.addr(), &old.wire()).await.unwrap();
    assert_eq!((reply.status, reply.code()), (400, "InvalidVersion".into()));

    let unsigned = plain("GET", "/?Action=ListItems&Format=JSON", "");
    let reply = send(mock.addr(), &unsigned).await.unwrap();
    assert_eq!(reply.code(), "MissingParameter");
}

#[tokio::test]
async fn timestamps_are_checked_against_the_server_clock() {
    let mock = start().await;
    let now = mock.clock().now_secs();
    let mut late = V1::new("ListItems", vec![]);
    late.timestamp = sign::format_timestamp(now - 16 * 60);
    let reply = send(mock.addr(), &late.wire()).await.unwrap();
    assert_eq!(reply.code(), "InvalidTimeStamp.Expired");

    let mut fine = V1::new("ListItems", vec![]);
    fine.timestamp = sign::format_timestamp(now - 14 * 60);
    assert_eq!(send(mock.addr(), &fine.wire()).await.unwrap().code(), "OK");

    let mut bad = V1::new("ListItems", vec![]);
    bad.timestamp = "2024-01-02 03:04:05".into();
    let reply = send(mock.addr(), &bad.wire()).await.unwrap();
    assert_eq!(reply.code(), "InvalidTimeStamp.Format");

    // A server clock 20 minutes ahead refuses a client's fresh timestamp.
    mock.clock().advance(Duration::from_secs(20 * 60));
    let reply = send(mock.addr(), &V1::new("ListItems", vec![]).wire())
        .await
        .unwrap();
    assert_eq!(reply.code(), "InvalidTimeStamp.Expired");
    assert!(reply.message().contains("the server clock says"));

    let mut offset = MockConfig::new(KEY_ID, SECRET);
    offset.clock_offset_ms = -30 * 60 * 1000;
    let behind = start_with(offset).await;
    let reply = send(behind.addr(), &V1::new("ListItems", vec![]).wire())
        .await
        .unwrap();
    assert_eq!(reply.code(), "InvalidTimeStamp.Expired");
}

#[tokio::test]
async fn a_replayed_nonce_is_refused_until_the_window_has_passed() {
    let mock = start().await;
    let request = V1::new("ListItems", vec![]);
    assert_eq!(
        send(mock.addr(), &request.wire()).await.unwrap().code(),
        "OK"
    );
    let reply = send(mock.addr(), &request.wire()).await.unwrap();
    assert_eq!(
        (reply.status, reply.code()),
        (400, "SignatureNonceUsed".into())
    );

    // 31 minutes later the nonce is forgotten (a fresh timestamp, the same nonce).
    mock.clock().advance(Duration::from_secs(31 * 60 + 1));
    let mut later = request.clone();
    later.timestamp = sign::format_timestamp(mock.clock().now_secs());
    assert_eq!(send(mock.addr(), &later.wire()).await.unwrap().code(), "OK");
    // A refused signature does not spend the nonce.
    let mut wrong = V1::new("ListItems", vec![]);
    wrong.secret = "wrong".into();
    wrong.timestamp = later.timestamp.clone();
    send(mock.addr(), &wrong.wire()).await.unwrap();
    wrong.secret = SECRET.into();
    assert_eq!(send(mock.addr(), &wrong.wire()).await.unwrap().code(), "OK");
}

#[tokio::test]
async fn invalid_params_are_listed_one_per_line_with_the_wire_path_first() {
    let mock = start().await;
    let params = pairs(&[
        ("CalledShowNumber", "057112345678"),
        ("CalledNumber", "123"),
        ("TtsCode", "SMS_1"),
        ("PlayTimes", "9"),
        ("Speed", "900"),
        ("Bogus", "1"),
    ]);
    let reply = send(mock.addr(), &V1::new("SingleCallByTts", params).wire())
        .await
        .unwrap();
    assert_eq!(
        (reply.status, reply.code()),
        (400, "InvalidParameter".into())
    );
    let message = reply.message();
    let lines: Vec<&str> = message.lines().collect();
    assert_eq!(lines.len(), 4, "{message}");
    assert!(
        lines[0].starts_with("CalledNumber: length must be 11–12 bytes"),
        "{message}"
    );
    assert!(lines[1].starts_with("TtsCode: "), "{message}");
    assert!(
        lines[2].starts_with("PlayTimes: must be between 1 and 3, got 9"),
        "{message}"
    );
    assert!(
        lines[3].starts_with("Bogus: is not a parameter"),
        "{message}"
    );
    assert!(
        !message.contains("Speed"),
        "warnings do not reject: {message}"
    );
    let entry = &mock.journal()[0];
    assert_eq!(entry.warnings.len(), 1);
    assert!(entry.warnings[0].starts_with("Speed: "));

    let reply = send(mock.addr(), &V1::new("SingleCallByTts", vec![]).wire())
        .await
        .unwrap();
    assert_eq!(reply.code(), "MissingParameter");
    assert_eq!(reply.message().lines().count(), 3, "{}", reply.message());

    // A warning alone does not reject.
    let mut params = tts_params("13800138000");
    params.push(("Speed".into(), "900".into()));
    let reply = send(mock.addr(), &V1::new("SingleCallByTts", params).wire())
        .await
        .unwrap();
    assert_eq!(reply.code(), "OK", "{}", reply.body);
}

#[tokio::test]
async fn unknown_params_can_be_ignored_like_the_real_gateway() {
    let mut config = MockConfig::new(KEY_ID, SECRET);
    config.reject_unknown_params = false;
    let mock = start_with(config).await;
    let params = pairs(&[("Bogus", "1"), ("OwnerId", "7")]);
    let reply = send(mock.addr(), &V1::new("ListItems", params).wire())
        .await
        .unwrap();
    assert_eq!(reply.code(), "OK", "{}", reply.body);
    // The SDK's owner params are tolerated even in strict mode.
    let strict = start().await;
    let params = pairs(&[("OwnerId", "7"), ("ResourceOwnerAccount", "me")]);
    let reply = send(strict.addr(), &V1::new("ListItems", params).wire())
        .await
        .unwrap();
    assert_eq!(reply.code(), "OK", "{}", reply.body);
}

#[tokio::test]
async fn per_user_qps_throttles_within_a_second_and_recovers_in_the_next() {
    let mock = start().await;
    mock.clock().freeze();
    for i in 0..TTS_QPS {
        let wire = V1::new("SingleCallByTts", tts_params(&format!("1390000000{i}"))).wire();
        assert_eq!(send(mock.addr(), &wire).await.unwrap().code(), "OK");
    }
    let wire = V1::new("SingleCallByTts", tts_params("13900000099")).wire();
    let reply = send(mock.addr(), &wire).await.unwrap();
    assert_eq!(
        (reply.status, reply.code()),
        (400, "Throttling.User".into())
    );
    // Another action has its own quota.
    assert_eq!(
        send(mock.addr(), &V1::new("ListItems", vec![]).wire())
            .await
            .unwrap()
            .code(),
        "OK"
    );
    mock.clock().advance(Duration::from_secs(1));
    let wire = V1::new("SingleCallByTts", tts_params("13900000099")).wire();
    assert_eq!(send(mock.addr(), &wire).await.unwrap().code(), "OK");
}

#[tokio::test]
async fn per_callee_limits_slide_over_minute_hour_and_day() {
    let mock = start().await;
    mock.clock().freeze();
    let call = || V1::new("SingleCallByTts", tts_params("13800138000"));
    let code = |reply: common::Reply| reply.code();
    // Limits: 2 per minute, 3 per hour, 4 per day.
    let mut outcomes = Vec::new();
    for step in [0, 0, 0, 61, 0, 3600, 0, 3600, 86_400] {
        mock.clock().advance(Duration::from_secs(step));
        let mut request = call();
        request.timestamp = sign::format_timestamp(mock.clock().now_secs());
        outcomes.push(code(send(mock.addr(), &request.wire()).await.unwrap()));
    }
    // Minute full; an hour window later the hour is full; then the day; a day later free again.
    let (ok, limited) = ("OK", "isv.BUSINESS_LIMIT_CONTROL");
    let outcomes: Vec<&str> = outcomes.iter().map(String::as_str).collect();
    assert_eq!(
        outcomes,
        [ok, ok, limited, ok, limited, ok, limited, limited, ok]
    );
    let journal = mock.journal();
    let refused = journal
        .iter()
        .filter(|e| e.code.as_deref() == Some(limited));
    assert_eq!(refused.count(), 4);
    // Another callee is not limited.
    let mut other = V1::new("SingleCallByTts", tts_params("13800138001"));
    other.timestamp = sign::format_timestamp(mock.clock().now_secs());
    assert_eq!(send(mock.addr(), &other.wire()).await.unwrap().code(), "OK");
}

/// A mock whose request log lines are collected.
async fn start_logged() -> (MockHandle, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    let lines = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut config = MockConfig::new(KEY_ID, SECRET);
    let sink = std::sync::Arc::clone(&lines);
    config.request_log = RequestLog::Each(std::sync::Arc::new(move |line: &str| {
        sink.lock().unwrap().push(line.to_owned());
    }));
    (start_with(config).await, lines)
}

#[tokio::test]
async fn callee_limit_messages_name_the_window_and_when_it_frees_and_so_does_the_log() {
    let (mock, lines) = start_logged().await;
    mock.clock().freeze();
    let now_ms = mock.clock().now_ms();
    let mut last = None;
    for _ in 0..3 {
        let mut request = V1::new("SingleCallByTts", tts_params("13700137000"));
        request.timestamp = sign::format_timestamp(mock.clock().now_secs());
        request.security_token = Some("sts-token-secret".into());
        last = Some(send(mock.addr(), &request.wire()).await.unwrap());
    }
    let frees = sign::format_timestamp(u64::try_from((now_ms + 60_000 + 999) / 1000).unwrap());
    let message = last.unwrap().message();
    assert!(
        message.contains("2 SingleCallByTts calls in the last minute, the most allowed (2/min)"),
        "{message}"
    );
    assert!(
        message.ends_with(&format!("it can be called again at {frees}, in 60 s.")),
        "{message}"
    );

    let lines = lines.lock().unwrap().clone();
    assert_eq!(lines.len(), 3, "{lines:#?}");
    assert!(
        lines[0].contains(" SingleCallByTts callee=137****7000 200 OK "),
        "{}",
        lines[0]
    );
    assert!(
        lines[2].contains(" SingleCallByTts callee=137****7000 400 isv.BUSINESS_LIMIT_CONTROL "),
        "{}",
        lines[2]
    );
    assert!(
        lines[2].ends_with(&format!(
            " ms: 2/min for this callee; frees at {frees} (in 60 s)"
        )),
        "{}",
        lines[2]
    );
    let all = lines.join("\n");
    for secret in [
        "13700137000",
        "sts-token-secret",
        SECRET,
        "Signature",
        "057112345678",
    ] {
        assert!(!all.contains(secret), "{secret} in the log:\n{all}");
    }
}

#[tokio::test]
async fn the_log_has_a_line_for_every_outcome() {
    let (mock, lines) = start_logged().await;
    let addr = mock.addr();
    send(addr, &plain("GET", "/_mock/health", ""))
        .await
        .unwrap();
    let mut wrong = V1::new("ListItems", vec![]);
    wrong.secret = "wrong".into();
    send(addr, &wrong.wire()).await.unwrap();
    mock.add_fault(Fault::new(FaultKind::Drop).times(1));
    let _ = send(addr, &V1::new("ListItems", vec![]).wire()).await;
    send(addr, &plain("POST", "/?Action=No%0D%0ASuch", ""))
        .await
        .unwrap();
    let lines = lines.lock().unwrap().clone();
    assert_eq!(lines.len(), 4, "{lines:#?}");
    assert!(lines[0].contains(" GET /_mock/health 200 "), "{}", lines[0]);
    assert!(
        lines[1].contains(" ListItems 400 SignatureDoesNotMatch "),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].contains(" ListItems no answer (drop fault) "),
        "{}",
        lines[2]
    );
    // What a client names is printed as printable ASCII only: no forged line.
    assert!(
        !lines[3].contains('\r') && !lines[3].contains('\n'),
        "{}",
        lines[3]
    );
    assert!(
        lines
            .iter()
            .all(|l| l.ends_with(" ms") || l.contains(" ms: ")),
        "{lines:#?}"
    );
}

#[tokio::test]
async fn error_faults_apply_n_times_then_stop() {
    let mock = start().await;
    mock.add_fault(
        Fault::error("ServiceUnavailable", 503)
            .on("ListItems")
            .times(2),
    );
    let mut codes = Vec::new();
    for _ in 0..3 {
        let reply = send(mock.addr(), &V1::new("ListItems", vec![]).wire())
            .await
            .unwrap();
        codes.push((reply.status, reply.code()));
    }
    assert_eq!(codes[0], (503, "ServiceUnavailable".into()));
    assert_eq!(codes[1], (503, "ServiceUnavailable".into()));
    assert_eq!(codes[2], (200, "OK".into()));
    // Other actions are untouched; the fault's requests spent their nonces and are journaled.
    let journal = mock.journal();
    assert_eq!(journal[0].fault.as_deref(), Some("error"));
    assert_eq!(journal[2].fault, None);
    assert!(mock.faults().is_empty());
}

#[tokio::test]
async fn delay_stall_drop_and_malformed_faults() {
    let mock = start().await;
    mock.add_fault(Fault::new(FaultKind::Delay { ms: 300 }).times(1));
    let started = Instant::now();
    let reply = send(mock.addr(), &V1::new("ListItems", vec![]).wire())
        .await
        .unwrap();
    assert_eq!(reply.code(), "OK");
    assert!(started.elapsed() >= Duration::from_millis(300));

    mock.add_fault(Fault::new(FaultKind::Drop).times(1));
    let dropped = send(mock.addr(), &V1::new("ListItems", vec![]).wire()).await;
    assert!(dropped.is_err(), "{dropped:?}");

    mock.add_fault(Fault::new(FaultKind::Malformed).times(1));
    let reply = send(mock.addr(), &V1::new("ListItems", vec![]).wire())
        .await
        .unwrap();
    assert_eq!(reply.status, 200);
    assert!(serde_json::from_str::<serde_json::Value>(&reply.body).is_err());
    assert!(reply.body.starts_with(r#"{"RequestId":""#));

    // A stall holds the request unanswered (a client times out), then closes the connection.
    mock.add_fault(Fault::new(FaultKind::Stall { ms: 60_000 }).times(1));
    let wire = V1::new("ListItems", vec![]).wire();
    let stalled = tokio::time::timeout(Duration::from_millis(400), send(mock.addr(), &wire)).await;
    assert!(stalled.is_err(), "expected no answer");
    mock.add_fault(Fault::new(FaultKind::Stall { ms: 200 }).times(1));
    let started = Instant::now();
    let closed = tokio::time::timeout(
        Duration::from_secs(5),
        send(mock.addr(), &V1::new("ListItems", vec![]).wire()),
    )
    .await
    .expect("closed within the stall bound");
    assert!(closed.is_err());
    assert!(started.elapsed() >= Duration::from_millis(200));

    let faults: Vec<Option<String>> = mock.journal().into_iter().map(|e| e.fault).collect();
    let names: Vec<Option<&str>> = faults.iter().map(Option::as_deref).collect();
    assert_eq!(
        names,
        [
            Some("delay"),
            Some("drop"),
            Some("malformed"),
            Some("stall"),
            Some("stall")
        ]
    );
    let statuses: Vec<Option<u16>> = mock.journal().iter().map(|e| e.http_status).collect();
    assert_eq!(statuses, [Some(200), None, Some(200), None, None]);
}

#[tokio::test]
async fn the_journal_redacts_tokens_and_sensitive_params() {
    let mock = start().await;
    let mut request = V1::new("SingleCallByTts", tts_params("13800138000"));
    request.security_token = Some("sts-token-secret".into());
    let reply = send(mock.addr(), &request.wire()).await.unwrap();
    assert_eq!(reply.code(), "OK", "{}", reply.body);
    let entry = &mock.journal()[0];
    let value = |name: &str| {
        entry
            .params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(value("SecurityToken"), Some("***"));
    assert_eq!(value("CalledNumber"), Some("***"));
    assert_eq!(value("CalledShowNumber"), Some("***"));
    assert_eq!(value("TtsCode"), Some("TTS_10001"));
    assert_eq!(value("TtsParam"), Some(r#"{"code":"12 34"}"#));
    assert_eq!(entry.nonce.as_deref(), Some(request.nonce.as_str()));
    assert_eq!(entry.access_key_id.as_deref(), Some(KEY_ID));
    assert_eq!(entry.method, "POST");
    assert_eq!(entry.seq, 1);
    let text = serde_json::to_string(&mock.journal()).unwrap();
    assert!(!text.contains("sts-token-secret") && !text.contains("13800138000"));
    // Invalid values of sensitive params are redacted in the error message too.
    let mut params = tts_params("123");
    params.retain(|(k, _)| k != "TtsCode");
    let reply = send(mock.addr(), &V1::new("SingleCallByTts", params).wire())
        .await
        .unwrap();
    assert!(!reply.message().contains("\"123\""), "{}", reply.message());
}

#[tokio::test]
async fn control_endpoints_drive_a_running_mock_over_http() {
    let mock = start().await;
    let addr = mock.addr();
    let health = send(addr, &plain("GET", "/_mock/health", ""))
        .await
        .unwrap();
    assert_eq!(health.json()["actions"], 4);

    let fault = r#"{"action":"ListItems","times":1,"kind":"error","code":"InternalError"}"#;
    let added = send(addr, &plain("POST", "/_mock/faults", fault))
        .await
        .unwrap();
    assert_eq!(added.status, 200, "{}", added.body);
    let listed = send(addr, &plain("GET", "/_mock/faults", ""))
        .await
        .unwrap()
        .json();
    assert_eq!(listed[0]["remaining"], 1);
    assert_eq!(listed[0]["fault"]["code"], "InternalError");
    let reply = send(addr, &V1::new("ListItems", vec![]).wire())
        .await
        .unwrap();
    assert_eq!((reply.status, reply.code()), (500, "InternalError".into()));

    let drop = send(
        addr,
        &plain("POST", "/_mock/faults", r#"[{"kind":"drop"}]"#),
    )
    .await
    .unwrap();
    let id = drop.json()["ids"][0].as_u64().unwrap();
    let removed = send(addr, &plain("DELETE", &format!("/_mock/faults/{id}"), ""))
        .await
        .unwrap();
    assert_eq!(removed.status, 200);
    assert_eq!(
        send(addr, &V1::new("ListItems", vec![]).wire())
            .await
            .unwrap()
            .code(),
        "OK"
    );

    let page = send(
        addr,
        &plain("GET", "/_mock/journal?since=1&action=ListItems", ""),
    )
    .await
    .unwrap()
    .json();
    let entries = page["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["seq"], 2);
    assert_eq!(entries[0]["code"], "OK");
    assert_eq!(page["dropped"], 0);

    let clock = send(
        addr,
        &plain(
            "POST",
            "/_mock/clock",
            r#"{"set":"2030-01-01T00:00:00Z","freeze":true}"#,
        ),
    )
    .await
    .unwrap()
    .json();
    assert_eq!(clock["now_ms"], 1_893_456_000_000_i64);
    assert_eq!(clock["frozen"], true);
    let clock = send(
        addr,
        &plain("POST", "/_mock/clock", r#"{"advance_ms":1500}"#),
    )
    .await
    .unwrap()
    .json();
    assert_eq!(clock["now_ms"], 1_893_456_001_500_i64);
    let reply = send(addr, &V1::new("ListItems", vec![]).wire())
        .await
        .unwrap();
    assert_eq!(reply.code(), "InvalidTimeStamp.Expired");

    let reset = send(addr, &plain("POST", "/_mock/reset", ""))
        .await
        .unwrap();
    assert_eq!(reset.status, 200);
    let clock = send(addr, &plain("GET", "/_mock/clock", ""))
        .await
        .unwrap()
        .json();
    assert_eq!(clock["frozen"], false);
    let page = send(addr, &plain("GET", "/_mock/journal", ""))
        .await
        .unwrap()
        .json();
    assert_eq!(page["entries"].as_array().map(Vec::len), Some(0));
    assert_eq!(
        send(addr, &V1::new("ListItems", vec![]).wire())
            .await
            .unwrap()
            .code(),
        "OK"
    );

    let missing = send(addr, &plain("GET", "/_mock/nothing", ""))
        .await
        .unwrap();
    assert_eq!(missing.status, 404);
    let bad = send(
        addr,
        &plain("POST", "/_mock/faults", r#"{"kind":"explode"}"#),
    )
    .await
    .unwrap();
    assert_eq!(bad.status, 400);
    assert!(bad.json()["error"].is_string());
}

#[tokio::test]
async fn keep_alive_connections_carry_many_requests_and_shutdown_closes_them() {
    let mock = start().await;
    let addr = mock.addr();
    let mut conn = Conn::open(addr).await.unwrap();
    for _ in 0..20 {
        let reply = conn
            .send(&V1::new("ListItems", vec![]).wire())
            .await
            .unwrap();
        assert_eq!(reply.code(), "OK");
    }
    mock.shutdown().await;
    assert!(
        conn.send(&V1::new("ListItems", vec![]).wire())
            .await
            .is_err()
    );
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}

#[tokio::test]
async fn other_methods_are_refused() {
    let mock = start().await;
    let mut wire = V1::new("ListItems", vec![]).wire();
    wire.method = "PUT";
    let reply = send(mock.addr(), &wire).await.unwrap();
    assert_eq!(
        (reply.status, reply.code()),
        (400, "UnsupportedHTTPMethod".into())
    );
}

#[test]
fn command_line_flags_make_the_config() {
    use clap::Parser;
    use popgen_tools::mock::MockArgs;
    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        mock: MockArgs,
    }
    let cli = Cli::parse_from([
        "dyvms",
        "--listen",
        "127.0.0.1:18080",
        "--access-key-id",
        "id",
        "--access-key-secret",
        "s3cret",
        "--clock-offset",
        "-90",
        "--no-qps-limits",
        "--allow-unknown-params",
        "--header-timeout",
        "5",
        "--max-connections",
        "64",
        "--journal-bytes",
        "1048576",
    ]);
    let config = cli.mock.config().unwrap();
    assert_eq!(config.listen.port(), 18080);
    assert_eq!(config.clock_offset_ms, -90_000);
    assert!(!config.enforce_qps && config.enforce_callee_limits && !config.reject_unknown_params);
    assert_eq!(config.credentials[0].access_key_secret.expose(), "s3cret");
    assert!(!format!("{:?}", cli.mock).contains("s3cret"));
    assert_eq!(config.header_timeout, Duration::from_secs(5));
    assert_eq!(config.idle_timeout, Duration::from_secs(120));
    assert_eq!(config.max_connections, 64);
    assert_eq!(config.journal_bytes, 1 << 20);
    assert_eq!(config.max_body_bytes, 8 << 20);
    assert!(
        config.request_log.is_on(),
        "a person runs `dyvms mock`: it logs"
    );
    let quiet = Cli::parse_from([
        "dyvms",
        "--access-key-id",
        "id",
        "--access-key-secret",
        "s",
        "--quiet",
    ]);
    assert!(!quiet.mock.config().unwrap().request_log.is_on());
    assert!(
        Cli::try_parse_from([
            "dyvms",
            "--access-key-id",
            "i",
            "--access-key-secret",
            "s",
            "--idle-timeout",
            "0"
        ])
        .is_err(),
        "a zero timeout is refused"
    );
}

/// A form body of `count` short params and one `Blob` of `blob` bytes (an action with neither:
/// the request is refused, and journaled).
fn large_body(count: usize, blob: usize) -> Wire {
    let mut body: Vec<String> = (0..count).map(|i| format!("P{i}=v{i:020}")).collect();
    body.push(format!("Blob={}", "x".repeat(blob)));
    Wire {
        method: "POST",
        target: "/?Action=ListItems&Format=JSON".into(),
        headers: vec![(
            "content-type".into(),
            "application/x-www-form-urlencoded".into(),
        )],
        body: body.join("&"),
    }
}

#[tokio::test]
async fn the_journal_is_bounded_in_bytes_and_keeps_every_requests_sizes() {
    use popgen_tools::mock::{MAX_ENTRY_BYTES, MAX_VALUE_BYTES, MIN_JOURNAL_BYTES};
    let mut config = MockConfig::new(KEY_ID, SECRET);
    config.journal_bytes = MIN_JOURNAL_BYTES;
    let mock = start_with(config).await;
    let wire = large_body(10_000, 100_000);
    let mut conn = Conn::open(mock.addr()).await.unwrap();
    for _ in 0..60 {
        let reply = conn.send(&wire).await.unwrap();
        assert_eq!(reply.code(), "MissingParameter");
        let stats = mock.journal_stats();
        assert!(stats.bytes <= stats.budget_bytes, "{stats:?}");
    }
    let stats = mock.journal_stats();
    assert_eq!(stats.budget_bytes, MIN_JOURNAL_BYTES);
    assert!(stats.dropped > 0, "{stats:?}");
    assert_eq!(stats.entries as u64 + stats.dropped, 60);
    let journal = mock.journal();
    assert_eq!(journal.last().unwrap().seq, 60, "the newest are kept");
    for entry in &journal {
        assert_eq!(entry.body_bytes, wire.body.len() as u64);
        assert_eq!(
            entry.params_total,
            10_000 + 1 + 2,
            "body params, Blob, Action, Format"
        );
        assert!(entry.truncated && entry.params.len() < 1_000);
        assert_eq!(entry.params[0], ("Action".into(), "ListItems".into()));
    }
    // A long value keeps its first bytes and its size.
    mock.clear_journal();
    let reply = conn.send(&large_body(0, 2_600_000)).await.unwrap();
    assert_eq!(reply.status, 400);
    let entry = &mock.journal()[0];
    let (_, blob) = entry.params.iter().find(|(k, _)| k == "Blob").unwrap();
    assert!(
        blob.ends_with("…[2600000 bytes]"),
        "{}",
        &blob[blob.len() - 30..]
    );
    assert!(blob.len() < MAX_VALUE_BYTES + 32);
    assert!(mock.journal_stats().bytes <= MAX_ENTRY_BYTES);

    // Over HTTP: streamed, the same page; DELETE frees it all.
    let page: popgen_tools::mock::JournalPage = serde_json::from_str(
        &conn
            .send(&plain("GET", "/_mock/journal", ""))
            .await
            .unwrap()
            .body,
    )
    .unwrap();
    assert_eq!(page, mock.journal_page(0, None));
    assert_eq!(page.bytes, mock.journal_stats().bytes);
    conn.send(&plain("DELETE", "/_mock/journal", ""))
        .await
        .unwrap();
    assert_eq!(mock.journal_stats().bytes, 0);
}

/// The error body's keys, as every gateway error has them.
fn assert_error_body(json: &serde_json::Value, code: &str) {
    assert_eq!(json["Code"], code, "{json}");
    for key in ["RequestId", "HostId", "Code", "Message", "Recommend"] {
        assert!(json[key].is_string(), "{key}: {json}");
    }
}

#[tokio::test]
async fn a_body_over_the_limit_gets_an_alibaba_error_body() {
    let mut config = MockConfig::new(KEY_ID, SECRET);
    config.max_body_bytes = 64 * 1024;
    let mock = start_with(config).await;
    // The action named in the query: refused by its Content-Length, before the body is read.
    let wire = large_body(0, 100_000);
    let reply = send(mock.addr(), &wire).await.unwrap();
    assert_eq!(reply.status, 413);
    assert!(reply.content_type.starts_with("application/json"));
    let json = reply.json();
    assert_error_body(&json, "RequestEntityTooLarge");
    assert!(
        reply.message().starts_with(&format!(
            "The request body is {} bytes; ListItems accepts at most 65536 bytes",
            wire.body.len()
        )),
        "{}",
        reply.message()
    );
    let entry = &mock.journal()[0];
    assert_eq!(
        (entry.code.as_deref(), entry.http_status, entry.body_bytes),
        (
            Some("RequestEntityTooLarge"),
            Some(413),
            wire.body.len() as u64
        )
    );
    // XML when the request does not ask for JSON, like every other error.
    let mut xml = large_body(0, 100_000);
    xml.target = "/?Action=ListItems".into();
    let reply = send(mock.addr(), &xml).await.unwrap();
    let (root, value) = xml_to_json(&reply.body).unwrap();
    assert_eq!((root.as_str(), reply.status), ("Error", 413));
    assert_eq!(value["Code"], "RequestEntityTooLarge");

    // The action named only in a signed form body: read, then refused by that action's limit.
    let mut form = V1::new("ListItems", pairs(&[("Name", &"x".repeat(100_000))]));
    form.placement = v1::Placement::FormBody;
    let wire = form.wire();
    assert_eq!(wire.target, "/?");
    let reply = send(mock.addr(), &wire).await.unwrap();
    assert_eq!(reply.status, 413, "{}", reply.body);
    assert_error_body(&reply.json(), "RequestEntityTooLarge");

    // A chunked body with no length: refused as soon as it passes the limit.
    let mut raw = tokio::net::TcpStream::connect(mock.addr()).await.unwrap();
    let chunk = "x".repeat(40_000);
    let request = format!(
        "POST /?Action=ListItems&Format=JSON HTTP/1.1\r\nhost: 127.0.0.1\r\n\
         content-type: application/x-www-form-urlencoded\r\ntransfer-encoding: chunked\r\n\r\n\
         {len:x}\r\nName={chunk}\r\n{len:x}\r\nName={chunk}\r\n0\r\n\r\n",
        len = chunk.len() + 5
    );
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    raw.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    tokio::time::timeout(Duration::from_secs(5), raw.read_to_string(&mut answer))
        .await
        .expect("answered and closed")
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(
        answer.contains(r#""Code":"RequestEntityTooLarge""#),
        "{answer}"
    );
    // Drained to its end, so its whole size is known.
    assert!(
        answer.contains("The request body is 80010 bytes"),
        "{answer}"
    );
}

#[tokio::test]
async fn an_action_whose_spec_allows_a_larger_request_is_served_up_to_its_bound() {
    let mut config = MockConfig::new(KEY_ID, SECRET);
    config.max_body_bytes = 64 * 1024;
    let mock = start_with(config).await;
    // 300,000 numbers, the most the spec allows: 3.6 MB in a form body.
    let numbers: Vec<String> = (0..300_000).map(|i| format!("138{i:08}")).collect();
    let mut upload = V1::new(
        "UploadNumbers",
        pairs(&[("TaskId", "7"), ("Numbers", &numbers.join(","))]),
    );
    upload.placement = v1::Placement::FormBody;
    let wire = upload.wire();
    assert!(wire.body.len() > 4_000_000, "{}", wire.body.len());
    let reply = send(mock.addr(), &wire).await.unwrap();
    assert_eq!(
        (reply.status, reply.code()),
        (200, "OK".into()),
        "{}",
        reply.message()
    );
    let entry = &mock.journal()[0];
    assert_eq!(entry.body_bytes, wire.body.len() as u64);
    assert!(
        entry.truncated,
        "the numbers are journaled cut, with their size"
    );

    // Past the action's derived limit: refused.
    let limit = UPLOAD_NUMBERS_MAX_PARAMS_BYTES * 5 / 4 + 64 * 1024;
    let mut over = large_body(0, usize::try_from(limit).unwrap());
    over.target = "/?Action=UploadNumbers&Format=JSON".into();
    let reply = send(mock.addr(), &over).await.unwrap();
    assert_eq!(reply.status, 413);
    assert_error_body(&reply.json(), "RequestEntityTooLarge");
    assert!(
        reply
            .message()
            .contains(&format!("UploadNumbers accepts at most {limit} bytes")),
        "{}",
        reply.message()
    );
}

#[tokio::test]
async fn an_invalid_request_lists_its_first_100_problems_and_counts_the_rest() {
    let mock = start().await;
    let params: Vec<(String, String)> = (0..150)
        .map(|i| (format!("Bogus{i}"), "1".into()))
        .collect();
    let reply = send(mock.addr(), &V1::new("ListItems", params).wire())
        .await
        .unwrap();
    assert_eq!(reply.code(), "InvalidParameter");
    let message = reply.message();
    let lines: Vec<&str> = message.lines().collect();
    assert_eq!(lines.len(), 101, "{message}");
    assert!(
        lines[0].starts_with("Bogus0: is not a parameter"),
        "{}",
        lines[0]
    );
    assert_eq!(lines[100], "… and 50 more problems");
}
