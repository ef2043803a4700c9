//! The call loop over a scripted transport, under tokio's paused clock: what is retried, after
//! how long, how often, and what is never sent twice.

use crate::common;

use std::time::Duration;

use crate::common::*;
use popgen_runtime::action::ActionMeta;
use popgen_runtime::client::{Error, OutcomeUnknown, TransportErrorKind};
use popgen_runtime::rate_limit::RateLimit;
use popgen_runtime::retry::{BudgetPolicy, RetryPolicy};
use tokio::time::Instant;

type Reply = serde_json::Value;

fn retrying(max_attempts: u32) -> popgen_runtime::client::Config {
    let mut config = config();
    config.retry.max_attempts = max_attempts;
    config
}

/// The gaps between consecutive sends.
fn gaps(sent: &[(Instant, popgen_runtime::client::HttpRequest)]) -> Vec<Duration> {
    sent.windows(2).map(|w| w[1].0 - w[0].0).collect()
}

#[tokio::test(start_paused = true)]
async fn read_only_calls_retry_5xx_throttling_and_network_errors_with_growing_delays() {
    let transport = Scripted::new([
        api(503, "ServiceUnavailable"),
        api(400, "Throttling.User"),
        Step::Fail(TransportErrorKind::Timeout),
        ok(),
    ]);
    let client = client(transport.clone(), retrying(4));
    let reply: Reply = client
        .call(&QUERY, &tts())
        .await
        .expect("fourth attempt succeeds");
    assert_eq!(reply["CallId"], "C1");

    let sent = transport.sent();
    assert_eq!(sent.len(), 4);
    let policy = RetryPolicy::default();
    for (retry, gap) in (1..).zip(gaps(&sent)) {
        let (low, high) = policy.delay_bounds(retry);
        assert!(low <= gap && gap <= high, "retry {retry}: {gap:?}");
    }
    let g = gaps(&sent);
    assert!(g[0] < g[1] && g[1] < g[2], "delays grow: {g:?}");

    // Every attempt is signed afresh: its own nonce, timestamp and signature.
    let distinct = |name: &str| {
        let mut values: Vec<&str> = sent.iter().map(|(_, r)| header(r, name).unwrap()).collect();
        values.sort_unstable();
        values.dedup();
        values.len()
    };
    assert_eq!(distinct("x-acs-signature-nonce"), 4);
    assert_eq!(distinct("x-acs-date"), 4);
    assert_eq!(distinct("authorization"), 4);
}

#[tokio::test(start_paused = true)]
async fn a_side_effect_action_that_may_have_been_sent_is_never_sent_again() {
    for kind in [TransportErrorKind::Timeout, TransportErrorKind::Interrupted] {
        let transport = Scripted::new([Step::Fail(kind), ok()]);
        let client = client(transport.clone(), retrying(5));
        match client.call::<_, Reply>(&CALL, &tts()).await {
            Err(Error::OutcomeUnknown(o)) => {
                assert_eq!(
                    (o.action, key(&o), o.attempts, o.cause.kind),
                    ("SingleCallByTts", Some(("OutId", "order-42")), 1, kind)
                );
                let text = o.to_string();
                assert!(
                    text.contains("OutId order-42") && text.contains("outcome unknown"),
                    "{text}"
                );
                assert!(!text.contains(PHONE), "{text}");
            }
            other => panic!("{kind:?}: expected OutcomeUnknown, got {other:?}"),
        }
        assert_eq!(transport.count(), 1, "{kind:?}: exactly one send");
    }
    // Without an OutId there is nothing to carry, and still one send.
    let transport = Scripted::new([Step::Fail(TransportErrorKind::Timeout)]);
    let request = Tts {
        out_id: None,
        ..tts()
    };
    let err = client(transport.clone(), retrying(5))
        .call::<_, Reply>(&CALL, &request)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::OutcomeUnknown(o) if o.idempotency_key.is_none()),
        "{err:?}"
    );
    assert_eq!(transport.count(), 1);
    // The runtime knows no product's param names: an action that declares no idempotency param
    // carries none, whatever the request's params are called.
    let undeclared = ActionMeta {
        idempotency_param: None,
        ..CALL
    };
    let transport = Scripted::new([Step::Fail(TransportErrorKind::Timeout)]);
    let err = client(transport.clone(), retrying(5))
        .call::<_, Reply>(&undeclared, &tts())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::OutcomeUnknown(o) if o.idempotency_key.is_none()),
        "{err:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_side_effect_action_that_was_provably_not_sent_is_retried() {
    let transport = Scripted::new([
        Step::Fail(TransportErrorKind::Connect),
        Step::Fail(TransportErrorKind::ConnectTimeout),
        ok(),
    ]);
    let client = client(transport.clone(), retrying(3));
    let reply: Reply = client
        .call(&CALL, &tts())
        .await
        .expect("third attempt succeeds");
    assert_eq!(reply["Code"], "OK");
    assert_eq!(transport.count(), 3);

    // Not sent every time: the last error is a transport error that says so.
    let transport = Scripted::new([Step::Fail(TransportErrorKind::Connect); 3]);
    let err = client_for(&transport, retrying(3))
        .call::<_, Reply>(&CALL, &tts())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transport(e) if e.not_sent()),
        "{err:?}"
    );
    assert_eq!(transport.count(), 3);
}

fn client_for(
    transport: &Scripted,
    config: popgen_runtime::client::Config,
) -> popgen_runtime::client::Client<Scripted> {
    client(transport.clone(), config)
}

#[tokio::test(start_paused = true)]
async fn error_answers_to_a_side_effect_action_are_not_retried() {
    for step in [api(503, "ServiceUnavailable"), api(400, "Throttling.User")] {
        let transport = Scripted::new([step, ok()]);
        let err = client_for(&transport, retrying(3))
            .call::<_, Reply>(&CALL, &tts())
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Api(_)), "{err:?}");
        assert_eq!(transport.count(), 1);
    }
}

#[tokio::test(start_paused = true)]
async fn business_limit_control_is_never_retried() {
    for (meta, status) in [(&CALL, 400), (&QUERY, 400), (&QUERY, 503), (&CALL, 200)] {
        let transport = Scripted::new([api(status, "isv.BUSINESS_LIMIT_CONTROL"), ok()]);
        let err = client_for(&transport, retrying(5))
            .call::<_, Reply>(meta, &tts())
            .await
            .unwrap_err();
        match err {
            Error::Api(e) => assert_eq!(
                (e.code.as_str(), e.request_id.as_str(), e.http_status),
                (
                    "isv.BUSINESS_LIMIT_CONTROL",
                    "REQ-isv.BUSINESS_LIMIT_CONTROL",
                    status
                )
            ),
            other => panic!("expected the API error, got {other:?}"),
        }
        assert_eq!(transport.count(), 1, "{} HTTP {status}", meta.name);
    }
}

#[tokio::test(start_paused = true)]
async fn the_deadline_stops_retries_and_cuts_a_hanging_attempt_short() {
    // Always 503: retries go on until the next delay would overrun the 250 ms deadline.
    let transport = Scripted::new(vec![api(503, "ServiceUnavailable"); 20]);
    let mut config = retrying(20);
    config.deadline = Some(Duration::from_millis(250));
    let started = Instant::now();
    let err = client_for(&transport, config.clone())
        .call::<_, Reply>(&QUERY, &tts())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Api(e) if e.code == "ServiceUnavailable"),
        "{err:?}"
    );
    assert!(Instant::now() - started < Duration::from_millis(250));
    let sends = transport.count();
    assert!((2..=3).contains(&sends), "{sends} sends in 250 ms");

    // An attempt that never answers: read-only ends as DeadlineExceeded at the deadline...
    let transport = Scripted::new([Step::Hang]);
    let started = Instant::now();
    let err = client_for(&transport, config.clone())
        .call::<_, Reply>(&QUERY, &tts())
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::DeadlineExceeded { attempts: 1, .. }),
        "{err:?}"
    );
    assert_eq!(Instant::now() - started, Duration::from_millis(250));

    // ...and with side effects as an unknown outcome, sent once.
    let transport = Scripted::new([Step::Hang, ok()]);
    let err = client_for(&transport, config)
        .call::<_, Reply>(&CALL, &tts())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::OutcomeUnknown(o) if o.cause.kind == TransportErrorKind::Timeout),
        "{err:?}"
    );
    assert_eq!(transport.count(), 1);
}

#[tokio::test(start_paused = true)]
async fn the_retry_budget_is_shared_by_clones_and_runs_out() {
    let mut config = retrying(3);
    config.retry.budget = BudgetPolicy {
        capacity: 2,
        percent: 0,
    };
    let transport = Scripted::new(vec![api(500, "InternalError"); 10]);
    let first = client_for(&transport, config);
    let second = first.clone();
    assert!(first.call::<_, Reply>(&QUERY, &tts()).await.is_err());
    assert_eq!(transport.count(), 3, "two retries from the budget");
    assert!(second.call::<_, Reply>(&QUERY, &tts()).await.is_err());
    assert_eq!(transport.count(), 4, "the clone found the budget empty");
}

#[tokio::test(start_paused = true)]
async fn retries_can_be_turned_off() {
    let transport = Scripted::new([Step::Fail(TransportErrorKind::Connect), ok()]);
    let mut config = config();
    config.retry = RetryPolicy::disabled();
    let err = client_for(&transport, config)
        .call::<_, Reply>(&QUERY, &tts())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(transport.count(), 1);
}

#[tokio::test(start_paused = true)]
async fn the_rate_limiter_spaces_calls_to_the_documented_qps() {
    let transport = Scripted::new([]);
    let mut config = config();
    config.rate_limit = RateLimit {
        enabled: true,
        ..RateLimit::default()
    };
    let client = client_for(&transport, config);
    for _ in 0..4 {
        client.call::<_, Reply>(&CALL, &tts()).await.expect("ok");
    }
    // QUERY has its own schedule: it goes at once.
    client.call::<_, Reply>(&QUERY, &tts()).await.expect("ok");
    let sent = transport.sent();
    let g = gaps(&sent);
    assert_eq!(g[..3], [Duration::from_millis(100); 3], "10 QPS");
    assert_eq!(g[3], Duration::ZERO);

    // Off (the default): back to back.
    let transport = Scripted::new([]);
    let client = client_for(&transport, common::config());
    for _ in 0..3 {
        client.call::<_, Reply>(&CALL, &tts()).await.expect("ok");
    }
    assert!(gaps(&transport.sent()).iter().all(|g| g.is_zero()));
}

#[tokio::test(start_paused = true)]
async fn malformed_bodies_are_typed_errors_and_a_5xx_page_is_retried_when_safe() {
    for body in [
        "",
        "<html>502 Bad Gateway</html>",
        "{\"Code\":",
        "null",
        "[1,2]",
    ] {
        let transport = Scripted::new([Step::Answer(200, body)]);
        let err = client_for(&transport, retrying(3))
            .call::<_, Reply>(&QUERY, &tts())
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::Decode { status: 200, .. } | Error::Api(_)),
            "{body:?}: {err:?}"
        );
        assert_eq!(transport.count(), 1, "{body:?}: a 200 is not retried");
    }
    let transport = Scripted::new([Step::Answer(502, "<html>Bad Gateway</html>"), ok()]);
    let reply: Reply = client_for(&transport, retrying(3))
        .call(&QUERY, &tts())
        .await
        .expect("retried after the proxy's page");
    assert_eq!(reply["Code"], "OK");
}

#[tokio::test(start_paused = true)]
async fn an_unreadable_success_to_a_side_effect_action_is_an_outcome_that_probably_took_effect() {
    let params: Vec<(String, String)> = [("CalledNumber", PHONE), ("OutId", "o-8")]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    for body in ["", "{\"Code\":\"OK\",\"Call", "<html>", "null"] {
        let transport = Scripted::new([Step::Answer(200, body), ok()]);
        let err = client_for(&transport, retrying(3))
            .call_params(&CALL, &params)
            .await
            .unwrap_err();
        let Error::OutcomeUnknown(unknown) = &err else {
            panic!("{body:?}: expected OutcomeUnknown, got {err:?}");
        };
        assert!(unknown.probably_took_effect(), "{body:?}");
        assert_eq!(key(unknown), Some(("OutId", "o-8")));
        assert!(err.to_string().contains("probably took effect"), "{err}");
        assert!(err.to_string().ends_with("(OutId o-8)"), "{err}");
        assert_eq!(transport.count(), 1, "{body:?}: never sent twice");
    }
    // A business error is still an answer, and an error status with an unreadable body is not
    // a success: neither is "probably took effect".
    let transport = Scripted::new([api(400, "InvalidParameter")]);
    let err = client_for(&transport, retrying(3))
        .call_params(&CALL, &params)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Api(_)), "{err:?}");
    let transport = Scripted::new([Step::Answer(502, "<html>")]);
    let err = client_for(&transport, retrying(3))
        .call_params(&CALL, &params)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { status: 502, .. }), "{err:?}");
}

#[tokio::test(start_paused = true)]
async fn type_erased_calls_run_the_same_loop() {
    let params: Vec<(String, String)> = [("CalledNumber", PHONE), ("OutId", "o-7")]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let transport = Scripted::new([api(503, "ServiceUnavailable"), ok()]);
    let client = client_for(&transport, retrying(3));
    let json = client.call_json(&QUERY, &params).await.expect("retried");
    assert_eq!(json["RequestId"], "REQ-OK-1");
    assert_eq!(transport.count(), 2);

    let transport = Scripted::new([Step::Fail(TransportErrorKind::Interrupted), ok()]);
    let client = client_for(&transport, retrying(3));
    let err = client.call_params(&CALL, &params).await.unwrap_err();
    assert!(
        matches!(&err, Error::OutcomeUnknown(o) if key(o) == Some(("OutId", "o-7"))),
        "{err:?}"
    );
    assert_eq!(transport.count(), 1);
}

#[test]
fn without_a_tokio_runtime_a_call_is_sent_once_and_never_panics() {
    // An executor without tokio's timer cannot sleep between attempts: no retry, no deadline.
    let transport = Scripted::new([api(503, "ServiceUnavailable"), ok()]);
    let client = client_for(&transport, retrying(3));
    let request = tts();
    let mut call = std::pin::pin!(client.call::<_, Reply>(&QUERY, &request));
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    match call.as_mut().poll(&mut cx) {
        std::task::Poll::Ready(Err(Error::Api(e))) => assert_eq!(e.http_status, 503),
        other => panic!("expected the 503 at once, got {other:?}"),
    }
    assert_eq!(transport.count(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_deadline_too_far_for_the_clock_is_no_deadline_not_an_overflow() {
    for deadline in [Duration::MAX, Duration::from_secs(u64::MAX)] {
        let transport = Scripted::new([api(503, "ServiceUnavailable"), ok()]);
        let mut config = retrying(u32::MAX);
        config.deadline = Some(deadline);
        config.retry.max_delay = Duration::MAX;
        config.retry.base_delay = Duration::MAX;
        let client = client(transport.clone(), config);
        let reply: Reply = client
            .call(&QUERY, &tts())
            .await
            .expect("the retry succeeds");
        assert_eq!(reply["CallId"], "C1");
        assert_eq!(transport.count(), 2);
    }
}

/// The idempotency param and value an unknown outcome carries.
fn key(o: &OutcomeUnknown) -> Option<(&'static str, &str)> {
    o.idempotency_key
        .as_ref()
        .map(|k| (k.param, k.value.as_str()))
}
