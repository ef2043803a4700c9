//! The generated client end to end over an in-memory transport: validation stops bad requests
//! before anything is sent, requests are signed, responses decode (JSON and XML), business
//! errors are detected whatever the HTTP status, and phone numbers never print.

use std::sync::{Arc, Mutex};

use dyvmsapi::{Client, Credentials, ErrorCode, ListCallTaskRequest, SingleCallByTtsRequest};
use popgen_runtime::client::{
    Config, Entropy, Error, HttpRequest, HttpResponse, SignatureVersion, Transport, TransportError,
};
use popgen_runtime::decode::Format;
use popgen_runtime::validation::{Validate, ValidationMode};

/// Records every request and answers with a canned response.
#[derive(Clone)]
struct Recorder {
    sent: Arc<Mutex<Vec<HttpRequest>>>,
    status: u16,
    body: String,
}

impl Recorder {
    fn answering(status: u16, body: &str) -> Self {
        Recorder {
            sent: Arc::default(),
            status,
            body: body.to_owned(),
        }
    }
    fn sent(&self) -> Vec<HttpRequest> {
        self.sent.lock().unwrap().clone()
    }
}

impl Transport for Recorder {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.sent.lock().unwrap().push(request);
        Ok(HttpResponse {
            status: self.status,
            body: self.body.clone(),
        })
    }
}

fn client(
    transport: Recorder,
    signature: SignatureVersion,
    format: Format,
    mode: ValidationMode,
) -> Client<Recorder> {
    let config = Config {
        signature,
        format,
        validation: mode,
        endpoint: "http://127.0.0.1:9".into(),
        ..Client::<Recorder>::default_config()
    };
    let credentials = Credentials::new("LTAI_TEST_ID", "s3cr3t-value");
    Client::with_config(transport, credentials, config).with_entropy(Entropy {
        now: Arc::new(|| 1_700_000_000),
        nonce: Arc::new(|| "0123456789abcdef0123456789abcdef".into()),
    })
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    // The transport answers immediately; a no-op waker is all the executor needed.
    let mut f = std::pin::pin!(f);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    match f.as_mut().poll(&mut cx) {
        std::task::Poll::Ready(v) => v,
        std::task::Poll::Pending => panic!("the in-memory transport never waits"),
    }
}

const OK_JSON: &str =
    r#"{"RequestId":"D9CB3933","Code":"OK","Message":"OK","CallId":"116012354148^10281378****"}"#;

fn tts() -> SingleCallByTtsRequest {
    SingleCallByTtsRequest::new("13800138000", "TTS_100001").called_show_number("0571000000")
}

#[test]
fn a_wrong_play_times_never_places_a_call() {
    let transport = Recorder::answering(200, OK_JSON);
    let c = client(
        transport.clone(),
        SignatureVersion::V3,
        Format::Json,
        ValidationMode::Enforce,
    );
    let request = tts().play_times(5);
    assert_eq!(
        request.validate().unwrap_err().to_string(),
        "PlayTimes: must be between 1 and 3, got 5"
    );
    match block_on(c.single_call_by_tts(&request)) {
        Err(Error::Validation(v)) => assert!(v.to_string().starts_with("PlayTimes:"), "{v}"),
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert!(transport.sent().is_empty(), "nothing may be sent");
}

#[test]
fn every_violation_is_reported_at_once() {
    // OutId counts characters (1–15): the metadata's unit, wider than the 2022 reference's bytes.
    let request = tts()
        .play_times(0)
        .volume(101)
        .out_id("订单订单订单订单订单订单订单订单");
    let text = request.validate().unwrap_err().to_string();
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(
        text.contains("PlayTimes:") && text.contains("Volume:") && text.contains("OutId:"),
        "{text}"
    );
}

#[test]
fn validation_mode_off_sends_what_an_older_spec_would_block() {
    let transport = Recorder::answering(200, OK_JSON);
    let c = client(
        transport.clone(),
        SignatureVersion::V3,
        Format::Json,
        ValidationMode::Off,
    );
    block_on(c.single_call_by_tts(&tts().play_times(5))).expect("sent and answered");
    assert_eq!(transport.sent().len(), 1);
    assert!(transport.sent()[0].url.contains("PlayTimes=5"));
}

#[test]
fn v3_requests_carry_the_official_headers_and_decode() {
    let transport = Recorder::answering(200, OK_JSON);
    let c = client(
        transport.clone(),
        SignatureVersion::V3,
        Format::Json,
        ValidationMode::Enforce,
    );
    let response = block_on(c.single_call_by_tts(&tts().play_times(2))).expect("ok");
    assert_eq!(
        response.call_id.as_deref(),
        Some("116012354148^10281378****")
    );
    let sent = &transport.sent()[0];
    let header = |name: &str| {
        sent.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(header("x-acs-action").as_deref(), Some("SingleCallByTts"));
    assert_eq!(header("x-acs-version").as_deref(), Some("2017-05-25"));
    assert!(
        header("authorization")
            .unwrap()
            .starts_with("ACS3-HMAC-SHA256 Credential=LTAI_TEST_ID,")
    );
    assert!(sent.url.contains("CalledNumber=13800138000") && sent.url.contains("PlayTimes=2"));
    let dump = format!("{sent:?}");
    assert!(
        !dump.contains("s3cr3t-value"),
        "the secret never appears in a request"
    );
}

#[test]
fn v1_requests_are_signed_with_the_common_params() {
    let transport = Recorder::answering(200, OK_JSON);
    let c = client(
        transport.clone(),
        SignatureVersion::V1,
        Format::Json,
        ValidationMode::Enforce,
    );
    block_on(c.single_call_by_tts(&tts())).expect("ok");
    // Small requests carry their params in the query, as the official SDK sends them.
    let sent = &transport.sent()[0];
    assert!(sent.body.is_empty());
    let body = &sent.url;
    for part in [
        "Action=SingleCallByTts",
        "Version=2017-05-25",
        "SignatureMethod=HMAC-SHA1",
        "SignatureNonce=0123456789abcdef0123456789abcdef",
        "Timestamp=2023-11-14T22%3A13%3A20Z",
        "Signature=",
    ] {
        assert!(body.contains(part), "{part} missing from {body}");
    }
}

#[test]
fn xml_responses_decode_too() {
    let xml = "<SingleCallByTtsResponse><RequestId>R1</RequestId><Code>OK</Code><Message>OK</Message><CallId>C1</CallId></SingleCallByTtsResponse>";
    let transport = Recorder::answering(200, xml);
    let c = client(
        transport,
        SignatureVersion::V3,
        Format::Xml,
        ValidationMode::Enforce,
    );
    let response = block_on(c.single_call_by_tts(&tts())).expect("ok");
    assert_eq!(
        (response.request_id.as_deref(), response.call_id.as_deref()),
        (Some("R1"), Some("C1"))
    );
}

#[test]
fn a_business_error_is_an_error_whatever_the_http_status() {
    let body =
        r#"{"RequestId":"R2","Code":"isv.BUSINESS_LIMIT_CONTROL","Message":"触发分钟级流控"}"#;
    for status in [200, 400] {
        let c = client(
            Recorder::answering(status, body),
            SignatureVersion::V3,
            Format::Json,
            ValidationMode::Enforce,
        );
        match block_on(c.single_call_by_tts(&tts())) {
            Err(Error::Api(e)) => {
                assert_eq!(
                    (e.code.as_str(), e.request_id.as_str(), e.http_status),
                    ("isv.BUSINESS_LIMIT_CONTROL", "R2", status)
                );
                assert_eq!(ErrorCode::of(&e), ErrorCode::IsvBusinessLimitControl);
                assert!(
                    !ErrorCode::of(&e).is_retryable(),
                    "flow control per callee is never retried"
                );
            }
            other => panic!("HTTP {status}: expected an API error, got {other:?}"),
        }
    }
}

#[test]
fn the_success_code_is_per_action() {
    // ListCallTask answers Code 200 on success (the spec's success_code).
    let body = r#"{"RequestId":"R3","Code":"200","Total":0,"Data":[]}"#;
    let c = client(
        Recorder::answering(200, body),
        SignatureVersion::V3,
        Format::Json,
        ValidationMode::Enforce,
    );
    let request = ListCallTaskRequest::new().page_number(1).page_size(10);
    let response = block_on(c.list_call_task(&request)).expect("200 is success for ListCallTask");
    assert_eq!(response.code.as_deref(), Some("200"));
    // ...while "200" from an action whose success code is OK is an error.
    let c = client(
        Recorder::answering(200, body),
        SignatureVersion::V3,
        Format::Json,
        ValidationMode::Enforce,
    );
    assert!(matches!(
        block_on(c.single_call_by_tts(&tts())),
        Err(Error::Api(_))
    ));
}

#[test]
fn a_malformed_body_is_a_typed_error() {
    let c = client(
        Recorder::answering(200, "{\"Code\": \"OK\""),
        SignatureVersion::V3,
        Format::Json,
        ValidationMode::Enforce,
    );
    // A success status with a body that breaks off: the call was probably placed.
    assert!(matches!(
        block_on(c.single_call_by_tts(&tts())),
        Err(Error::OutcomeUnknown(u)) if u.probably_took_effect()
    ));
}

#[test]
fn phone_numbers_are_redacted_in_debug_output() {
    let dump = format!("{:?}", tts());
    assert!(
        !dump.contains("13800138000") && !dump.contains("0571000000"),
        "{dump}"
    );
    assert!(dump.contains("tts_code: \"TTS_100001\""), "{dump}");
}
