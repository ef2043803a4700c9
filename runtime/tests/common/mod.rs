//! Shared by the client tests: a request type, action metadata, and a scripted transport that
//! answers each attempt from a list and records what was sent and when.

#![allow(dead_code)] // Each test binary uses a different part.

use std::collections::VecDeque;
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use popgen_macros::{RpcParams, Validate};
use popgen_runtime::action::ActionMeta;
use popgen_runtime::client::{
    Client, Config, Entropy, HttpRequest, HttpResponse, Transport, TransportError,
    TransportErrorKind,
};
use popgen_runtime::credentials::Credentials;
use popgen_runtime::sign;
use tokio::time::Instant;

pub const SECRET: &str = "kS3cr3t/Value+With=Specials";
pub const TOKEN: &str = "CAISstsTOKEN+/=abc";
pub const PHONE: &str = "13812345678";

#[derive(Clone, Validate, RpcParams)]
pub struct Tts {
    #[popgen(wire = "CalledNumber", sensitive, pattern = "^[0-9]{11,12}$")]
    pub called_number: String,
    #[popgen(wire = "TtsCode", pattern = "^TTS_[0-9]+$")]
    pub tts_code: String,
    #[popgen(wire = "TtsParam")]
    pub tts_param: Option<String>,
    #[popgen(wire = "OutId", length(min = 1, max = 15, unit = bytes))]
    pub out_id: Option<String>,
}

pub fn tts() -> Tts {
    Tts {
        called_number: PHONE.into(),
        tts_code: "TTS_100001".into(),
        tts_param: None,
        out_id: Some("order-42".into()),
    }
}

/// An action with side effects (places a call).
pub const CALL: ActionMeta = ActionMeta {
    name: "SingleCallByTts",
    success_code: "OK",
    side_effects: true,
    qps_per_user: Some(10),
    callee_limit: None,
    idempotency_param: Some("OutId"),
};

/// An action without side effects.
pub const QUERY: ActionMeta = ActionMeta {
    name: "QueryCallDetailByCallId",
    success_code: "OK",
    side_effects: false,
    qps_per_user: Some(10),
    callee_limit: None,
    idempotency_param: None,
};

pub const OK_BODY: &str = r#"{"RequestId":"REQ-OK-1","Code":"OK","Message":"OK","CallId":"C1"}"#;

/// What the scripted transport does for one attempt.
#[derive(Clone, Copy)]
pub enum Step {
    Answer(u16, &'static str),
    Fail(TransportErrorKind),
    /// Never answers.
    Hang,
}

pub fn ok() -> Step {
    Step::Answer(200, OK_BODY)
}

pub fn api(status: u16, code: &'static str) -> Step {
    let body: &'static str = Box::leak(
        format!(r#"{{"RequestId":"REQ-{code}","Code":"{code}","Message":"no"}}"#).into_boxed_str(),
    );
    Step::Answer(status, body)
}

#[derive(Clone, Default)]
pub struct Scripted {
    steps: Arc<Mutex<VecDeque<Step>>>,
    /// Every request sent, with the (tokio) instant it was sent.
    pub sent: Arc<Mutex<Vec<(Instant, HttpRequest)>>>,
}

impl Scripted {
    pub fn new(steps: impl IntoIterator<Item = Step>) -> Self {
        Scripted {
            steps: Arc::new(Mutex::new(steps.into_iter().collect())),
            sent: Arc::default(),
        }
    }

    pub fn sent(&self) -> Vec<(Instant, HttpRequest)> {
        self.sent.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.sent.lock().unwrap().len()
    }
}

impl Transport for Scripted {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.sent.lock().unwrap().push((Instant::now(), request));
        let step = self.steps.lock().unwrap().pop_front().unwrap_or_else(ok);
        match step {
            Step::Answer(status, body) => Ok(HttpResponse {
                status,
                body: body.to_owned(),
            }),
            Step::Fail(kind) => Err(TransportError::new(kind, "scripted failure")),
            Step::Hang => std::future::pending().await,
        }
    }
}

pub fn config() -> Config {
    Config::new("https://dyvmsapi.aliyuncs.com", "2017-05-25")
}

/// A client with a clock that ticks one second per signature and real random nonces.
pub fn client<T>(transport: T, config: Config) -> Client<T> {
    let tick = Arc::new(AtomicU64::new(1_700_000_000));
    let credentials = Credentials::new("LTAI_TEST_ID", SECRET).with_security_token(TOKEN);
    Client::new(transport, credentials, config).with_entropy(Entropy {
        now: Arc::new(move || tick.fetch_add(1, Ordering::Relaxed)),
        nonce: Arc::new(sign::new_nonce),
    })
}

pub fn header<'a>(request: &'a HttpRequest, name: &str) -> Option<&'a str> {
    request
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// An `io::Write` into a shared buffer, for `tracing_subscriber`'s `with_writer` (the pattern of
/// `tests/redaction.rs`).
#[derive(Clone, Default)]
pub struct Captured(pub Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("not poisoned").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    pub fn text(&self) -> String {
        String::from_utf8(self.0.lock().expect("not poisoned").clone()).expect("utf-8 logs")
    }
}
