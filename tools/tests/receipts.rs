//! The mock sends receipts: every call a call-placing action accepts produces the records the
//! service would push (VoiceCallReport states, then one VoiceReport), pushed in batches to a
//! receiver in the test (hyper, 127.0.0.1), pushed again 1, 5 and 10 minutes of the mock's clock
//! after a failure, and logged in `GET /_mock/receipts`. Over the real generated registry
//! (`dyvmsapi`), whose spec says how each receipt reports a call.

use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::{KEY_ID, SECRET, V1, plain, send, tts_params};
use bytes::Bytes;
use dyvmsapi::registry::API;
use http_body_util::{BodyExt, Full};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use popgen_runtime::calendar::parse_utc;
use popgen_tools::mock::{
    Fault, FaultKind, MockConfig, MockError, MockHandle, MockServer, OutcomeMix, PushOutcome,
    ReceiptConfig, ReceiptUrls,
};
use serde_json::Value;
use tokio::net::TcpListener;

/// What the test receiver got: (path, body) per push, in arrival order.
type Pushes = Arc<Mutex<Vec<(String, String)>>>;

/// A receiver that answers HTTP 500 to its first `failures` pushes, then `{"code":0}`.
struct Receiver {
    addr: SocketAddr,
    pushes: Pushes,
}

impl Receiver {
    async fn start(failures: usize) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let pushes: Pushes = Arc::default();
        let left = Arc::new(AtomicUsize::new(failures));
        let seen = Arc::clone(&pushes);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (seen, left) = (Arc::clone(&seen), Arc::clone(&left));
                let service = service_fn(move |req: Request<hyper::body::Incoming>| {
                    let (seen, left) = (Arc::clone(&seen), Arc::clone(&left));
                    async move {
                        let path = req.uri().path().to_owned();
                        let body = req.into_body().collect().await?.to_bytes();
                        seen.lock()
                            .unwrap()
                            .push((path, String::from_utf8_lossy(&body).into_owned()));
                        let fail = left
                            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1))
                            .is_ok();
                        let (status, answer) = if fail {
                            (500, r#"{"code":1,"msg":"down"}"#)
                        } else {
                            (200, r#"{"code":0,"msg":"ok"}"#)
                        };
                        let mut response = Response::new(Full::new(Bytes::from(answer)));
                        *response.status_mut() = hyper::StatusCode::from_u16(status).unwrap();
                        Ok::<_, hyper::Error>(response)
                    }
                });
                tokio::spawn(http1::Builder::new().serve_connection(TokioIo::new(stream), service));
            }
        });
        Receiver { addr, pushes }
    }

    fn base(&self) -> String {
        format!("http://{}/receipts", self.addr)
    }

    fn pushes(&self) -> Vec<(String, String)> {
        self.pushes.lock().unwrap().clone()
    }

    /// Every record received for `message`, in arrival order.
    fn records(&self, message: &str) -> Vec<Value> {
        let path = format!("/receipts/{message}");
        self.pushes()
            .iter()
            .filter(|(p, _)| *p == path)
            .flat_map(|(_, body)| match serde_json::from_str(body).unwrap() {
                Value::Array(records) => records,
                other => panic!("a push is a JSON array, got {other}"),
            })
            .collect()
    }
}

fn receipts(urls: &[String], answer_rate: f64, seed: u64) -> ReceiptConfig {
    ReceiptConfig {
        urls: ReceiptUrls::parse(urls).unwrap(),
        mix: OutcomeMix {
            answer_rate,
            duration_secs: (1, 3),
            seed,
        },
        ..ReceiptConfig::default()
    }
}

async fn start(receipts: ReceiptConfig) -> MockHandle {
    let mut config = MockConfig::new(KEY_ID, SECRET);
    config.enforce_qps = false;
    config.enforce_callee_limits = false;
    config.receipts = receipts;
    let mock = MockServer::start(&API, config).await.unwrap();
    mock.clock().freeze();
    mock
}

/// Places call `i` (OutId `out-<i>`); the answer's `Code` and `CallId`.
async fn place(mock: &MockHandle, i: usize) -> (String, Option<String>) {
    let mut params = tts_params(&format!("138{i:08}"));
    params.push(("OutId".into(), format!("out-{i}")));
    let reply = send(mock.addr(), &V1::new("SingleCallByTts", params).wire())
        .await
        .unwrap();
    let json = reply.json();
    let call_id = json["CallId"].as_str().map(str::to_owned);
    (reply.code(), call_id)
}

/// Waits (at most 10 s) until `done` holds.
async fn until(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..500 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("gave up waiting for {what}");
}

/// Waits for `calls` VoiceReports, then for whatever else is still due to arrive.
async fn settle(mock: &MockHandle, receiver: &Receiver, calls: usize) {
    until("a VoiceReport per call", || {
        receiver.records("VoiceReport").len() >= calls
    })
    .await;
    until("the queue to drain", || {
        mock.receipts(0).unwrap().held_records == 0
    })
    .await;
}

/// Places `n` calls and lets every record fall due; the call IDs by OutId.
async fn place_all(mock: &MockHandle, n: usize) -> BTreeMap<String, String> {
    let mut calls = BTreeMap::new();
    for i in 0..n {
        let (code, call_id) = place(mock, i).await;
        assert_eq!(code, "OK");
        calls.insert(format!("out-{i}"), call_id.expect("a CallId"));
    }
    // The longest call: originate 1 s, ring 2 s, up to 30 s unanswered or 5 s + 3 s talk.
    mock.clock().advance(Duration::from_secs(60));
    calls
}

#[tokio::test]
async fn every_placed_call_gets_one_voice_report_and_rejected_requests_none() {
    let receiver = Receiver::start(0).await;
    let mut config = receipts(&[receiver.base()], 0.5, 7);
    config.max_batch = 4;
    let mock = start(config).await;
    // Refused before placing anything: a missing param, an injected error.
    let mut invalid = tts_params("13800000000");
    invalid.retain(|(k, _)| k != "CalledNumber");
    let reply = send(mock.addr(), &V1::new("SingleCallByTts", invalid).wire())
        .await
        .unwrap();
    assert_eq!(reply.code(), "MissingParameter");
    mock.add_fault(
        Fault::error("ServiceUnavailable", 503)
            .on("SingleCallByTts")
            .times(1),
    );
    assert_eq!(place(&mock, 999).await.0, "ServiceUnavailable");
    for kind in [FaultKind::Drop, FaultKind::Malformed] {
        mock.add_fault(Fault::new(kind).on("SingleCallByTts").times(1));
        let wire = V1::new("SingleCallByTts", tts_params("13900000000")).wire();
        let answered = send(mock.addr(), &wire).await;
        assert!(
            answered.is_err() || answered.unwrap().body.len() < 60,
            "a fault answered"
        );
    }

    let calls = place_all(&mock, 20).await;
    let ids: BTreeSet<&String> = calls.values().collect();
    assert_eq!(ids.len(), 20, "every call gets its own CallId");
    settle(&mock, &receiver, 20).await;

    let reports = receiver.records("VoiceReport");
    assert_eq!(reports.len(), 20, "exactly one VoiceReport per placed call");
    for r in &reports {
        let out_id = r["out_id"].as_str().unwrap();
        assert_eq!(
            r["call_id"].as_str(),
            calls.get(out_id).map(String::as_str),
            "{r}"
        );
    }
    let states = receiver.records("VoiceCallReport");
    for (out_id, call_id) in &calls {
        let codes: Vec<&str> = states
            .iter()
            .filter(|s| s["call_id"] == call_id.as_str())
            .map(|s| {
                assert_eq!(s["out_id"], out_id.as_str());
                s["status_code"].as_str().unwrap()
            })
            .collect();
        assert_eq!(codes.first(), Some(&"200101"), "{out_id}: {codes:?}");
        assert_eq!(codes.last(), Some(&"200100"), "{out_id}: {codes:?}");
    }
    for (path, body) in receiver.pushes() {
        let message = path.trim_start_matches("/receipts/");
        let entry = API.receipt(message).expect("a message of the API");
        let batch = (entry.parse_batch)(&body).unwrap();
        assert!(batch.rejected.is_empty(), "{body}");
        assert!(
            (1..=4).contains(&batch.records.len()),
            "batches of at most 4"
        );
    }
    // The journal links each request to its call.
    let journaled: BTreeSet<String> = mock
        .journal()
        .into_iter()
        .filter_map(|e| e.call_id)
        .collect();
    assert_eq!(journaled, calls.values().cloned().collect());
}

/// VoiceRecordReport (`only_answered`, and listed by SmartCall `when RecordFlag = true`): one
/// record for each answered SmartCall that asked to be recorded, none for the others, pointing at
/// a recording; VoiceReport says which calls were answered.
#[tokio::test]
async fn answered_smart_calls_that_asked_for_it_alone_get_a_recording_record() {
    let receiver = Receiver::start(0).await;
    let mock = start(receipts(&[receiver.base()], 0.5, 11)).await;
    // Whether a call asks to be recorded: `true` (or `True`, the official Python SDK's
    // spelling), `false`, or RecordFlag left out.
    let mut calls = BTreeMap::new();
    let mut recorded = BTreeSet::new();
    let mut python_spelled = BTreeSet::new();
    for i in 0..30 {
        let mut params = vec![
            ("CalledShowNumber", "057112345678".to_owned()),
            ("CalledNumber", format!("138{i:08}")),
            ("VoiceCode", "welcome.wav".to_owned()),
            ("OutId", format!("out-{i}")),
        ];
        match i % 6 {
            0 => params.push(("RecordFlag", "true".to_owned())),
            3 => params.push(("RecordFlag", "True".to_owned())),
            1 | 4 => params.push(("RecordFlag", "false".to_owned())),
            _ => {}
        }
        let params = params.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        let reply = send(mock.addr(), &V1::new("SmartCall", params).wire())
            .await
            .unwrap();
        assert_eq!(reply.code(), "OK", "{}", reply.body);
        let call_id = reply.json()["CallId"].as_str().unwrap().to_owned();
        if i % 3 == 0 {
            recorded.insert(call_id.clone());
        }
        if i % 6 == 3 {
            python_spelled.insert(call_id.clone());
        }
        calls.insert(call_id, format!("out-{i}"));
    }
    mock.clock().advance(Duration::from_secs(60));
    settle(&mock, &receiver, 30).await;
    let answered: BTreeMap<String, Value> = receiver
        .records("VoiceReport")
        .into_iter()
        .filter(|r| ["200000", "200001"].contains(&r["status_code"].as_str().unwrap()))
        .map(|r| (r["call_id"].as_str().unwrap().to_owned(), r))
        .collect();
    assert!(
        (5..=25).contains(&answered.len()),
        "about half answered: {}",
        answered.len()
    );
    let expected: BTreeSet<&String> = answered.keys().filter(|c| recorded.contains(*c)).collect();
    assert!(
        !expected.is_empty() && expected.len() < answered.len(),
        "the seed answers some recorded calls and some others: {expected:?}"
    );
    assert!(
        expected.iter().any(|c| python_spelled.contains(*c)),
        "the seed answers a call sent with RecordFlag=True"
    );
    let recordings = receiver.records("VoiceRecordReport");
    let got: BTreeSet<&String> = recordings
        .iter()
        .map(|r| r["call_id"].as_str().unwrap())
        .map(|id| calls.get_key_value(id).unwrap().0)
        .collect();
    assert_eq!(
        got, expected,
        "one per answered call sent with RecordFlag=true"
    );
    assert_eq!(recordings.len(), expected.len());
    for r in &recordings {
        let call_id = r["call_id"].as_str().unwrap();
        let report = &answered[call_id];
        assert_eq!(r["out_id"].as_str(), calls.get(call_id).map(String::as_str));
        assert_eq!(r["start_time"], report["start_time"]);
        assert_eq!(r["record_begin_time"], report["start_time"]);
        assert_eq!(
            r["duration"].as_u64().map(|d| d.to_string()),
            report["duration"].as_str().map(str::to_owned)
        );
        let url = r["record_file"].as_str().unwrap();
        assert_eq!(
            url,
            format!(
                "https://recordings.mock.invalid/{}.mp3",
                call_id.replace('^', "_")
            )
        );
    }
    for (path, body) in receiver.pushes() {
        let message = path.trim_start_matches("/receipts/");
        let batch = (API.receipt(message).unwrap().parse_batch)(&body).unwrap();
        assert!(batch.rejected.is_empty(), "{body}");
    }
}

/// A `lost` fault: the call is placed and its receipts sent, but the answer never reaches the
/// client, which sees the connection close; the receipts say what became of the call.
#[tokio::test]
async fn a_lost_answer_still_places_the_call_and_its_receipts_tell() {
    let receiver = Receiver::start(0).await;
    let mock = start(receipts(&[receiver.base()], 1.0, 3)).await;
    mock.add_fault(Fault::new(FaultKind::Lost).on("SingleCallByTts").times(1));
    let mut params = tts_params("13800000001");
    params.push(("OutId".into(), "out-lost".into()));
    let answered = send(mock.addr(), &V1::new("SingleCallByTts", params).wire()).await;
    assert!(answered.is_err(), "the answer is lost: {answered:?}");
    let entry = mock.journal().pop().expect("journaled");
    assert_eq!(entry.fault.as_deref(), Some("lost"));
    let call_id = entry.call_id.expect("the call was placed");
    // The next request is answered as usual.
    assert_eq!(place(&mock, 1).await.0, "OK");
    mock.clock().advance(Duration::from_secs(60));
    until("the lost call's VoiceReport", || {
        receiver
            .records("VoiceReport")
            .iter()
            .any(|r| r["out_id"] == "out-lost")
    })
    .await;
    let report = receiver
        .records("VoiceReport")
        .into_iter()
        .find(|r| r["out_id"] == "out-lost")
        .unwrap();
    assert_eq!(report["call_id"].as_str(), Some(call_id.as_str()));
}

/// (status_code, duration, start_time) of each call's VoiceReport, by OutId; start_time as the
/// seconds from placing the call to its start (empty if unanswered).
async fn outcomes(answer_rate: f64, seed: u64) -> BTreeMap<String, (String, String, String)> {
    let receiver = Receiver::start(0).await;
    let url = format!("VoiceReport=http://{}/receipts/VoiceReport", receiver.addr);
    let mock = start(receipts(&[url], answer_rate, seed)).await;
    // Every call is placed at the same whole second; start times are compared as seconds after
    // it, so two runs that straddle a second still agree.
    let placed = mock.clock().now_ms().div_euclid(1_000);
    mock.clock().freeze_at(placed * 1_000);
    place_all(&mock, 30).await;
    until("30 VoiceReports", || {
        receiver.records("VoiceReport").len() >= 30
    })
    .await;
    assert!(
        receiver.records("VoiceCallReport").is_empty(),
        "only the message given a URL"
    );
    receiver
        .records("VoiceReport")
        .into_iter()
        .map(|r| {
            let text = |k: &str| r[k].as_str().unwrap_or_default().to_owned();
            let start = text("start_time");
            let after = if start.is_empty() {
                start
            } else {
                let local = parse_utc(&format!("{}Z", start.replacen(' ', "T", 1)))
                    .unwrap_or_else(|| panic!("a start time: {start:?}"));
                let zone = API.receipt("VoiceReport").and_then(|r| r.call).unwrap();
                let utc = i64::try_from(local).unwrap() - i64::from(zone.utc_offset_minutes) * 60;
                (utc - placed).to_string()
            };
            (
                text("out_id"),
                (text("status_code"), text("duration"), after),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_answer_rate_and_the_seed_decide_the_outcomes() {
    let answered = ["200000", "200001"];
    for (_, (code, duration, start)) in outcomes(1.0, 1).await {
        assert!(answered.contains(&code.as_str()), "{code}");
        assert!(("1"..="3").contains(&duration.as_str()), "{duration}");
        let after: i64 = start.parse().unwrap();
        assert!(
            (1..=10).contains(&after),
            "answered {after} s after placing"
        );
    }
    for (_, (code, duration, start)) in outcomes(0.0, 1).await {
        assert!(!answered.contains(&code.as_str()), "{code}");
        assert_eq!((duration.as_str(), start.as_str()), ("0", ""));
    }
    let half = outcomes(0.5, 11).await;
    assert_eq!(
        half,
        outcomes(0.5, 11).await,
        "a seed gives the same outcomes"
    );
    let talked = half
        .values()
        .filter(|(c, ..)| answered.contains(&c.as_str()))
        .count();
    assert!((5..=25).contains(&talked), "{talked} of 30 answered at 0.5");
    assert_ne!(
        half,
        outcomes(0.5, 12).await,
        "another seed, other outcomes"
    );
}

#[tokio::test]
async fn a_failing_receiver_gets_the_batch_again_after_1_then_5_minutes() {
    let receiver = Receiver::start(2).await;
    let url = format!("VoiceReport=http://{}/receipts/VoiceReport", receiver.addr);
    let mock = start(receipts(&[url], 1.0, 3)).await;
    place_all(&mock, 3).await;
    let log = |n: usize| {
        let page = mock.receipts(0).unwrap();
        page.entries.len() >= n
    };
    until("the first push", || log(1)).await;
    let first = mock.receipts(0).unwrap().entries[0].clone();
    assert_eq!((first.attempt, first.outcome), (1, PushOutcome::Failed));
    assert_eq!(first.records, 3);
    assert_eq!(first.http_status, Some(500));
    let pushed_at = first.time_ms;
    assert_eq!(first.next_attempt_ms, Some(pushed_at + 60_000));

    mock.clock().advance(Duration::from_secs(59));
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        receiver.pushes().len(),
        1,
        "nothing before the minute is up"
    );
    mock.clock().advance(Duration::from_secs(1));
    until("the 1-minute re-push", || log(2)).await;
    mock.clock().advance(Duration::from_secs(5 * 60));
    until("the 5-minute re-push", || log(3)).await;

    let page = mock.receipts(0).unwrap();
    let seen: Vec<(u32, PushOutcome)> = page
        .entries
        .iter()
        .map(|e| (e.attempt, e.outcome))
        .collect();
    assert_eq!(
        seen,
        [
            (1, PushOutcome::Failed),
            (2, PushOutcome::Failed),
            (3, PushOutcome::Acknowledged)
        ]
    );
    assert!(page.entries.iter().all(|e| e.batch == first.batch));
    let bodies: BTreeSet<String> = receiver.pushes().into_iter().map(|(_, b)| b).collect();
    assert_eq!(bodies.len(), 1, "the same batch each time");
    assert_eq!(page.held_records, 0);

    // The same log over HTTP.
    let reply = send(mock.addr(), &plain("GET", "/_mock/receipts?since=2", ""))
        .await
        .unwrap();
    let json = reply.json();
    assert_eq!(json["entries"].as_array().unwrap().len(), 1);
    assert_eq!(json["entries"][0]["outcome"], "acknowledged");
}

#[tokio::test]
async fn a_batch_is_given_up_after_three_re_pushes() {
    let receiver = Receiver::start(usize::MAX).await;
    let url = format!("VoiceReport=http://{}/receipts/VoiceReport", receiver.addr);
    let mock = start(receipts(&[url], 1.0, 3)).await;
    place_all(&mock, 1).await;
    let entries = |n: usize| mock.receipts(0).unwrap().entries.len() >= n;
    until("the first push", || entries(1)).await;
    for (i, minutes) in [1, 5, 10].into_iter().enumerate() {
        mock.clock().advance(Duration::from_secs(minutes * 60));
        until("a re-push", || entries(i + 2)).await;
    }
    mock.clock().advance(Duration::from_secs(3600));
    tokio::time::sleep(Duration::from_millis(200)).await;
    let page = mock.receipts(0).unwrap();
    let last = page.entries.last().unwrap();
    assert_eq!((last.attempt, last.outcome), (4, PushOutcome::GaveUp));
    assert_eq!(receiver.pushes().len(), 4, "nothing after giving up");
    assert_eq!((page.held_records, page.held_bytes), (0, 0));
}

#[tokio::test]
async fn a_full_queue_drops_calls_with_a_note_and_a_closed_port_is_a_failed_push() {
    // Nothing listens there: bind a port, then free it.
    let port = TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut config = receipts(&[format!("http://127.0.0.1:{port}/r")], 1.0, 5);
    // One answered call is 4 state records and a report.
    config.queue_records = 5;
    let mock = start(config).await;
    place_all(&mock, 2).await;
    until("a failed push", || {
        mock.receipts(0)
            .unwrap()
            .entries
            .iter()
            .any(|e| e.outcome == PushOutcome::Failed)
    })
    .await;
    let page = mock.receipts(0).unwrap();
    assert_eq!(page.dropped_records, 5);
    let dropped: Vec<_> = page
        .entries
        .iter()
        .filter(|e| e.outcome == PushOutcome::Dropped)
        .collect();
    assert_eq!(dropped.iter().map(|e| e.records).sum::<usize>(), 5);
    assert!(page.held_records <= 5);
    let failed = page
        .entries
        .iter()
        .find(|e| e.outcome == PushOutcome::Failed)
        .unwrap();
    assert_eq!(failed.http_status, None);
    assert!(
        failed.error.as_deref().unwrap().contains("connect"),
        "{failed:?}"
    );
}

#[tokio::test]
async fn bad_receipt_settings_are_refused_at_start() {
    let mut config = MockConfig::new(KEY_ID, SECRET);
    config.receipts = receipts(&["NoSuchReport=http://127.0.0.1:9/x".into()], 0.5, 0);
    let err = MockServer::start(&API, config.clone()).await.unwrap_err();
    assert!(
        matches!(&err, MockError::Config(m) if m.contains("NoSuchReport")),
        "{err}"
    );
    config.receipts = receipts(&["ftp://127.0.0.1/x".into()], 0.5, 0);
    assert!(MockServer::start(&API, config.clone()).await.is_err());
    config.receipts = receipts(&["http://127.0.0.1:9/x".into()], 1.5, 0);
    assert!(MockServer::start(&API, config).await.is_err());
    // Without a URL the mock sends nothing and says so.
    let plain_mock = MockServer::start(&API, MockConfig::new(KEY_ID, SECRET))
        .await
        .unwrap();
    assert!(plain_mock.receipts(0).is_none());
    let reply = send(plain_mock.addr(), &plain("GET", "/_mock/receipts", ""))
        .await
        .unwrap();
    assert_eq!(reply.status, 404);
}

#[test]
fn command_line_flags_make_the_receipt_config() {
    use clap::Parser;
    use popgen_tools::mock::MockArgs;
    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        mock: MockArgs,
    }
    let args = |extra: &[&str]| {
        let mut all = vec!["dyvms", "--access-key-id", "id", "--access-key-secret", "s"];
        all.extend_from_slice(extra);
        Cli::try_parse_from(all).map(|cli| cli.mock.config())
    };
    let config = args(&[
        "--receipt-url",
        "http://127.0.0.1:9000/receipts",
        "--receipt-url",
        "VoiceReport=http://127.0.0.1:9001/vr",
        "--answer-rate",
        "0.25",
        "--duration",
        "10..20",
        "--receipt-seed",
        "99",
        "--receipt-batch",
        "50",
        "--receipt-timeout",
        "2",
    ])
    .unwrap()
    .unwrap();
    let r = &config.receipts;
    assert_eq!(
        r.urls.base.as_deref(),
        Some("http://127.0.0.1:9000/receipts")
    );
    assert_eq!(r.urls.by_message["VoiceReport"], "http://127.0.0.1:9001/vr");
    assert_eq!(
        r.mix,
        OutcomeMix {
            answer_rate: 0.25,
            duration_secs: (10, 20),
            seed: 99
        }
    );
    assert_eq!((r.max_batch, r.push_timeout), (50, Duration::from_secs(2)));
    let off = args(&[]).unwrap().unwrap();
    assert!(off.receipts.urls.is_empty(), "no receipts unless asked");
    assert!(args(&["--duration", "20..10"]).is_err());
    let twice = args(&["--receipt-url", "http://a/x", "--receipt-url", "http://b/y"]).unwrap();
    assert!(twice.is_err(), "two base URLs");
}

#[tokio::test]
async fn a_receiver_that_does_not_answer_in_time_is_a_failed_push() {
    // Accepts connections and never answers.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let held = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            open.push(stream);
        }
    });
    let mut config = receipts(&[format!("VoiceReport=http://{addr}/vr")], 1.0, 5);
    config.push_timeout = Duration::from_millis(300);
    let mock = start(config).await;
    place_all(&mock, 1).await;
    until("the push to time out", || {
        !mock.receipts(0).unwrap().entries.is_empty()
    })
    .await;
    let entry = mock.receipts(0).unwrap().entries[0].clone();
    assert_eq!((entry.attempt, entry.outcome), (1, PushOutcome::Failed));
    assert_eq!(entry.error.as_deref(), Some("the push timed out"));
    assert!(entry.next_attempt_ms.is_some());
    held.abort();
}
