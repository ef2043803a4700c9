//! The receiver: one push in, committed records and the platform's success answer out.
//!
//! Each receipt message of the API has its own path, `POST /receipts/{Message}`
//! ([`PATH_PREFIX`]), the URL configured in the console for that message. A push is read in
//! this order, and the first problem refuses it whole (nothing stored, an error the platform
//! answers with a re-push):
//!
//! 1. the path names one of [`Api::receipts`] (else 404) and the method is `POST` (else 405);
//! 2. the body is at most [`Receiver::max_body_bytes`] (else 413: by its declared length before
//!    a byte is read, or as soon as it passes the limit) and arrives within the body timeout
//!    (else 408);
//! 3. it is UTF-8 (else 400, with the offset of the first bad byte), JSON (else 400) and an
//!    array (else 400), but for the console's probe `{"json":"test-content"}`, answered as a
//!    success and not stored;
//! 4. every record is read by the registry's parser (and stored as it writes it back, with the
//!    fields it does not know kept): one that does not decode is stored raw with its error,
//!    never a reason to refuse the others;
//! 5. the records are stored in one transaction ([`Store::insert_batch`]), idempotently.
//!
//! Only after the commit is the answer `{"code":0,"msg":"成功"}` with status 200 ([`ACCEPTED`]);
//! a store that fails answers 503, so the platform pushes again (1, 5 and 10 minutes later).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full, LengthLimitError, Limited};
use hyper::header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use popgen_runtime::receipts::Batch;
use popgen_runtime::registry::{Api, ReceiptEntry};
use serde_json::Value;

use crate::key::record_key;
use crate::store::{Inserted, NewRecord, Store, StoreError};

/// The path under which each message is received: `/receipts/VoiceReport`.
pub const PATH_PREFIX: &str = "/receipts/";

/// The largest push read by default: 8 MiB, thousands of records.
pub const DEFAULT_MAX_BODY_BYTES: usize = 8 << 20;

/// How long a push's body may take to arrive by default.
pub const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(30);

/// The answer the platform reads as "received": HTTP 200 with this body.
pub const ACCEPTED: &str = r#"{"code":0,"msg":"成功"}"#;

/// The record fields copied into the store's lookup columns, for a message whose spec has no
/// `call` section to name them: the names every receipt message of Alibaba Cloud's
/// communication products uses.
pub mod link {
    /// The call's ID, as the call-placing action returned it.
    pub const CALL_ID: &str = "call_id";
    /// The `OutId` the request carried, echoed back.
    pub const OUT_ID: &str = "out_id";
    /// The carrier's result code.
    pub const STATUS_CODE: &str = "status_code";
}

/// The record fields a message's records are linked to calls by: the ones its spec `call`
/// section names, else the conventional [`link`] names.
struct Links {
    call_id: &'static str,
    out_id: &'static str,
    status_code: &'static str,
}

impl Links {
    fn of(entry: &ReceiptEntry) -> Self {
        let fields = entry.call.map(|c| &c.fields);
        Links {
            call_id: fields.map_or(link::CALL_ID, |f| f.call_id.name),
            out_id: fields
                .and_then(|f| f.out_id)
                .map_or(link::OUT_ID, |f| f.name),
            status_code: fields
                .and_then(|f| f.status_code)
                .map_or(link::STATUS_CODE, |f| f.name),
        }
    }
}

/// What became of an accepted push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Received {
    /// The console's connectivity probe: answered, nothing stored.
    Probe,
    /// A push, committed.
    Stored {
        /// The receipt message.
        message: &'static str,
        /// Records in the push.
        records: usize,
        /// Of them, records stored raw because they did not decode.
        undecoded: usize,
        /// Stored now, and skipped as stored already.
        inserted: Inserted,
    },
}

/// Why a push was refused; nothing of it is stored.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    /// The path is not `/receipts/{Message}`.
    #[error("no such path `{0}`: receipts are pushed to {PATH_PREFIX}{{Message}}")]
    NotFound(String),
    /// The path names no receipt message of the API.
    #[error("{product} has no receipt message `{name}`; its messages: {known}")]
    UnknownMessage {
        /// The API's product.
        product: &'static str,
        /// The name in the path.
        name: String,
        /// The messages it has, comma-separated.
        known: String,
    },
    /// Not a `POST`.
    #[error("receipts are pushed with POST, not {0}")]
    MethodNotAllowed(String),
    /// The body is larger than the limit.
    #[error("the push is larger than the limit of {limit} bytes")]
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// The body did not arrive in time.
    #[error("the push's body did not arrive within {} s", .0.as_secs_f64())]
    BodyTimeout(Duration),
    /// The body broke off.
    #[error("the push's body could not be read: {0}")]
    BodyUnreadable(String),
    /// The body is not UTF-8.
    #[error("the push is not UTF-8: invalid byte at offset {0}")]
    NotUtf8(usize),
    /// The body is not JSON.
    #[error("the push is not JSON: {0}")]
    MalformedJson(String),
    /// The body is JSON but not an array of records (nor the probe).
    #[error(
        "a push is a JSON array of records (or the probe {{\"json\":\"test-content\"}}), not {0}"
    )]
    NotAnArray(&'static str),
    /// The store failed: the push was not committed, and the platform will push it again.
    #[error("the push was not stored, push it again: {0}")]
    NotStored(#[from] StoreError),
}

impl Refusal {
    /// The HTTP status it is answered with.
    pub fn status(&self) -> StatusCode {
        match self {
            Refusal::NotFound(_) | Refusal::UnknownMessage { .. } => StatusCode::NOT_FOUND,
            Refusal::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            Refusal::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Refusal::BodyTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            Refusal::BodyUnreadable(_)
            | Refusal::NotUtf8(_)
            | Refusal::MalformedJson(_)
            | Refusal::NotAnArray(_) => StatusCode::BAD_REQUEST,
            Refusal::NotStored(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// Its answer's body: `{"code": <HTTP status>, "msg": <why>}`, the shape the platform
    /// reads.
    pub fn body(&self) -> String {
        serde_json::json!({"code": self.status().as_u16(), "msg": self.to_string()}).to_string()
    }
}

/// Receives the receipt pushes of one generated API into a [`Store`].
///
/// Mount it in your own server by handing it requests ([`Receiver::handle`]: any
/// `hyper::body::Body`, so axum's `Request` too), or give it the message and body yourself
/// ([`Receiver::receive`]); [`serve`](crate::serve::serve) runs it as a server of its own.
///
/// ```no_run
/// # async fn run(api: &'static popgen_runtime::registry::Api) -> Result<(), Box<dyn std::error::Error>> {
/// let store = popgen_receipts::Store::open("sqlite:receipts.db").await?;
/// let receiver = popgen_receipts::Receiver::new(api, store);
/// // In an axum router:
/// //   .route("/receipts/{message}", post(move |request: Request| async move { receiver.handle(request).await }))
/// # let _ = receiver; Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Receiver {
    api: &'static Api,
    store: Store,
    max_body_bytes: usize,
    body_timeout: Duration,
}

impl Receiver {
    /// A receiver for every receipt message of `api`, storing into `store`.
    pub fn new(api: &'static Api, store: Store) -> Self {
        Receiver {
            api,
            store,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            body_timeout: DEFAULT_BODY_TIMEOUT,
        }
    }

    /// Refuses pushes larger than `bytes` (default [`DEFAULT_MAX_BODY_BYTES`]).
    pub fn with_max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = bytes;
        self
    }

    /// Refuses pushes whose body takes longer than `timeout` (default
    /// [`DEFAULT_BODY_TIMEOUT`]).
    pub fn with_body_timeout(mut self, timeout: Duration) -> Self {
        self.body_timeout = timeout;
        self
    }

    /// The largest push it reads.
    pub fn max_body_bytes(&self) -> usize {
        self.max_body_bytes
    }

    /// The store it writes to.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The API whose receipts it receives.
    pub fn api(&self) -> &'static Api {
        self.api
    }

    /// Answers one HTTP request: [`ACCEPTED`] once the push is committed, else the refusal as
    /// JSON with its status.
    pub async fn handle<B>(&self, request: Request<B>) -> Response<Full<Bytes>>
    where
        B: hyper::body::Body,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        match self.handle_inner(request).await {
            Ok(received) => {
                if let Received::Stored {
                    message,
                    records,
                    undecoded,
                    inserted,
                } = &received
                {
                    tracing::info!(
                        message,
                        records,
                        undecoded,
                        new = inserted.new,
                        duplicate = inserted.duplicate,
                        "push stored"
                    );
                }
                json_response(StatusCode::OK, ACCEPTED.to_owned())
            }
            Err(refusal) => {
                tracing::warn!(
                    status = refusal.status().as_u16(),
                    "push refused: {refusal}"
                );
                let mut response = json_response(refusal.status(), refusal.body());
                if matches!(refusal, Refusal::TooLarge { .. } | Refusal::BodyTimeout(_)) {
                    // The rest of the body is not read: the connection cannot carry another
                    // request.
                    response
                        .headers_mut()
                        .insert(hyper::header::CONNECTION, HeaderValue::from_static("close"));
                }
                response
            }
        }
    }

    async fn handle_inner<B>(&self, request: Request<B>) -> Result<Received, Refusal>
    where
        B: hyper::body::Body,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let (parts, body) = request.into_parts();
        let path = parts.uri.path();
        let name = path
            .strip_prefix(PATH_PREFIX)
            .ok_or_else(|| Refusal::NotFound(path.to_owned()))?;
        let entry = self.entry(name)?;
        if parts.method != Method::POST {
            return Err(Refusal::MethodNotAllowed(parts.method.to_string()));
        }
        let limit = self.max_body_bytes;
        let declared = parts
            .headers
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
        if declared.is_some_and(|n| n > limit as u64) {
            return Err(Refusal::TooLarge { limit });
        }
        let read = tokio::time::timeout(self.body_timeout, Limited::new(body, limit).collect());
        let bytes = match read.await {
            Err(_) => return Err(Refusal::BodyTimeout(self.body_timeout)),
            Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => {
                return Err(Refusal::TooLarge { limit });
            }
            Ok(Err(e)) => return Err(Refusal::BodyUnreadable(e.to_string())),
            Ok(Ok(collected)) => collected.to_bytes(),
        };
        self.receive(entry, &bytes).await
    }

    /// The receipt message called `name`, or why there is none.
    pub fn entry(&self, name: &str) -> Result<&'static ReceiptEntry, Refusal> {
        self.api
            .receipt(name)
            .ok_or_else(|| Refusal::UnknownMessage {
                product: self.api.product,
                name: name.to_owned(),
                known: self
                    .api
                    .receipts
                    .iter()
                    .map(|r| r.name)
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// Reads and stores one push of `entry`'s records (steps 3 to 5 above); `Ok` once it is
    /// committed.
    pub async fn receive(
        &self,
        entry: &'static ReceiptEntry,
        body: &[u8],
    ) -> Result<Received, Refusal> {
        let Some(records) = read_push(entry, body)? else {
            return Ok(Received::Probe);
        };
        let undecoded = records.iter().filter(|r| r.error.is_some()).count();
        let inserted = self.store.insert_batch(&records, now_ms()).await?;
        Ok(Received::Stored {
            message: entry.name,
            records: records.len(),
            undecoded,
            inserted,
        })
    }
}

/// The records of a push, ready to store; `None` for the probe. Pure: no I/O.
pub fn read_push(entry: &ReceiptEntry, body: &[u8]) -> Result<Option<Vec<NewRecord>>, Refusal> {
    let text = std::str::from_utf8(body).map_err(|e| Refusal::NotUtf8(e.valid_up_to()))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let items = match serde_json::from_str::<Value>(text) {
        Err(e) => return Err(Refusal::MalformedJson(e.to_string())),
        Ok(Value::Array(items)) => items,
        Ok(Value::Object(map))
            if map.len() == 1
                && map.get("json").and_then(Value::as_str) == Some("test-content") =>
        {
            return Ok(None);
        }
        Ok(other) => {
            return Err(Refusal::NotAnArray(popgen_runtime::decode::json_kind(
                &other,
            )));
        }
    };
    let batch = (entry.parse_batch)(text).map_err(|e| Refusal::MalformedJson(e.to_string()))?;
    Ok(Some(pair(entry, items, batch)))
}

/// Each pushed item beside what the parser made of it.
fn pair(entry: &ReceiptEntry, items: Vec<Value>, batch: Batch<Value>) -> Vec<NewRecord> {
    let message = entry.name;
    let links = Links::of(entry);
    let consistent = batch.records.len() + batch.rejected.len() == items.len()
        && batch.rejected.iter().all(|r| r.index < items.len());
    let mut decoded = batch.records.into_iter();
    let mut rejected = batch.rejected.into_iter().peekable();
    items
        .into_iter()
        .enumerate()
        .map(|(index, raw)| {
            let (typed, error) = if !consistent {
                // Never seen: the parser read another number of records than the array has.
                // Every record is kept raw rather than matched wrongly.
                (
                    None,
                    Some("not decoded: the parser's records do not match the push".to_owned()),
                )
            } else {
                match rejected.next_if(|r| r.index == index) {
                    Some(r) => (None, Some(r.error.to_string())),
                    None => (decoded.next(), None),
                }
            };
            let read = typed.as_ref().unwrap_or(&raw);
            let field = |name: &str| link_field(read, name).or_else(|| link_field(&raw, name));
            NewRecord {
                key: record_key(message, &raw),
                message: message.to_owned(),
                call_id: field(links.call_id),
                out_id: field(links.out_id),
                status_code: field(links.status_code),
                push_index: i64::try_from(index).unwrap_or(i64::MAX),
                record: match &typed {
                    Some(typed) => with_unknown_fields(typed, &raw).to_string(),
                    None => raw.to_string(),
                },
                error,
            }
        })
        .collect()
}

/// The record as the generated type wrote it back, with the fields the type does not know
/// (added to the service after the spec was written) copied from the record as pushed.
fn with_unknown_fields(typed: &Value, raw: &Value) -> Value {
    let (Value::Object(typed), Value::Object(raw)) = (typed, raw) else {
        return typed.clone();
    };
    let mut merged = typed.clone();
    for (key, value) in raw {
        if !merged.contains_key(key) {
            merged.insert(key.clone(), value.clone());
        }
    }
    Value::Object(merged)
}

/// A record's field as text: a non-empty string, or a number.
fn link_field(record: &Value, name: &str) -> Option<String> {
    match record.get(name)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn json_response(status: StatusCode, body: String) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json;charset=utf-8"),
    );
    response
}

/// Now, in milliseconds since the Unix epoch.
fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use popgen_runtime::call_receipt::CallReceipt;

    fn voice_report() -> &'static ReceiptEntry {
        dyvmsapi::registry::API
            .receipt("VoiceReport")
            .expect("dyvmsapi has VoiceReport")
    }

    #[test]
    fn records_link_by_the_fields_the_spec_names_else_by_convention() {
        let push = br#"[{"cid": "spec-1", "call_id": "convention-1", "out_id": "o-1", "status_code": "200000"}]"#;
        // The spec's `call` section names the fields.
        let spec = voice_report();
        let call = spec.call.expect("VoiceReport has a call section");
        assert_eq!(call.fields.call_id.name, link::CALL_ID);
        let renamed: &'static CallReceipt = Box::leak(Box::new(CallReceipt {
            fields: popgen_runtime::call_receipt::CallFields {
                call_id: popgen_runtime::call_receipt::RecordField {
                    name: "cid",
                    ..call.fields.call_id
                },
                ..call.fields
            },
            ..*call
        }));
        let entry = ReceiptEntry {
            call: Some(renamed),
            ..*spec
        };
        let records = read_push(&entry, push).unwrap().unwrap();
        assert_eq!(records[0].call_id.as_deref(), Some("spec-1"));
        assert_eq!(records[0].out_id.as_deref(), Some("o-1"));
        // Without a `call` section, the conventional names.
        let plain = ReceiptEntry {
            call: None,
            ..*spec
        };
        let records = read_push(&plain, push).unwrap().unwrap();
        assert_eq!(records[0].call_id.as_deref(), Some("convention-1"));
        assert_eq!(records[0].status_code.as_deref(), Some("200000"));
    }
}
