//! The client's spans and events say what happened (action, attempt, HTTP status, RequestId,
//! outcome, param names) and never the secret, the STS token or a param value: calls with STS
//! credentials and a phone number, under a TRACE subscriber writing into a buffer (the pattern
//! of `tests/redaction.rs`), and every form those values take on the wire searched for.

use crate::common::*;
use popgen_runtime::client::{Error, SignatureVersion, TransportErrorKind};
use popgen_runtime::encode::percent_encode;
use tracing_subscriber::fmt::format::FmtSpan;

fn forms(value: &str) -> [String; 3] {
    [
        value.to_owned(),
        percent_encode(value),
        percent_encode(&percent_encode(value)),
    ]
}

#[tokio::test(start_paused = true)]
async fn traces_name_attempts_and_outcomes_but_never_secrets_or_param_values() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_span_events(FmtSpan::CLOSE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    // A server message that echoes the number must not reach the logs either.
    let echo: &'static str = Box::leak(
        format!(r#"{{"RequestId":"REQ-BAD","Code":"InvalidParameter","Message":"bad {PHONE}"}}"#)
            .into_boxed_str(),
    );
    for scheme in [SignatureVersion::V1, SignatureVersion::V3] {
        let mut config = config();
        config.signature = scheme;
        let transport = Scripted::new([
            api(503, "ServiceUnavailable"),
            Step::Fail(TransportErrorKind::Connect),
            ok(),
            Step::Fail(TransportErrorKind::Timeout),
            Step::Answer(400, echo),
        ]);
        let client = client(transport.clone(), config);
        let reply: serde_json::Value = client.call(&QUERY, &tts()).await.expect("third attempt");
        assert_eq!(reply["Code"], "OK");
        let err = client
            .call::<_, serde_json::Value>(&CALL, &tts())
            .await
            .unwrap_err();
        assert!(matches!(err, Error::OutcomeUnknown(_)), "{err:?}");
        let err = client
            .call::<_, serde_json::Value>(&QUERY, &tts())
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Api(_)), "{err:?}");
        assert_eq!(transport.count(), 5);
    }

    let text = captured.text();
    for leaked in forms(SECRET)
        .iter()
        .chain(&forms(TOKEN))
        .chain(&forms(PHONE))
    {
        assert!(
            !text.contains(leaked.as_str()),
            "logs leak {leaked:?}:\n{text}"
        );
    }
    for expected in [
        "popgen.call",
        "action=\"QueryCallDetailByCallId\"",
        "params=\"CalledNumber,TtsCode,OutId\"",
        "attempt=3",
        "http_status=503",
        "request_id=\"REQ-OK-1\"",
        "request_id=\"REQ-BAD\"",
        "outcome=\"maybe_sent\"",
        "outcome=\"outcome_unknown\"",
        "popgen retrying",
        "code=InvalidParameter",
    ] {
        assert!(text.contains(expected), "logs lack {expected:?}:\n{text}");
    }
}
