//! A small hand-written API for the mock's tests and load generator (the generated `dyvmsapi`
//! crate is not a dependency of popgen-tools), plus request signers and a minimal HTTP client.
#![allow(dead_code)]

use std::net::SocketAddr;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;
use popgen_macros::{RpcParams, Validate};
use popgen_runtime::action::{ActionMeta, CalleeLimit};
use popgen_runtime::registry::{ActionEntry, Api, ParamDoc, decode_response, parse_params};
use popgen_runtime::sign::{self, v1, v3};

pub const KEY_ID: &str = "mock-key-id";
pub const SECRET: &str = "mock-key-secret";
pub const VERSION: &str = "2017-05-25";

/// `ListItems`: read-only, no limits.
#[derive(Validate, RpcParams)]
pub struct ListItems {
    #[popgen(wire = "PageSize", range(min = 1, max = 50))]
    page_size: Option<i32>,
    #[popgen(wire = "Name", length(max = 8, unit = chars))]
    name: Option<String>,
    #[popgen(wire = "Verbose")]
    verbose: Option<bool>,
}

/// `QueryCallDetailByCallId`: read-only, as the official SDK calls it.
#[derive(Validate, RpcParams)]
pub struct QueryCallDetailByCallId {
    #[popgen(wire = "CallId")]
    call_id: String,
    #[popgen(wire = "ProdId")]
    prod_id: i64,
    #[popgen(wire = "QueryDate", unix_millis)]
    query_date: i64,
}

/// `SingleCallByTts`: places a call; QPS and per-callee limits.
#[derive(Validate, RpcParams)]
pub struct SingleCallByTts {
    #[popgen(wire = "CalledShowNumber", sensitive)]
    called_show_number: String,
    #[popgen(wire = "CalledNumber", sensitive, length(min = 11, max = 12, unit = bytes))]
    called_number: String,
    #[popgen(wire = "TtsCode", pattern = "^TTS_[0-9]+$")]
    tts_code: String,
    #[popgen(wire = "TtsParam", json(object))]
    tts_param: Option<String>,
    #[popgen(wire = "PlayTimes", range(min = 1, max = 3))]
    play_times: Option<i32>,
    #[popgen(wire = "Volume", range(min = 0, max = 100))]
    volume: Option<i32>,
    #[popgen(wire = "Speed", range(min = -500, max = 500), fallback)]
    speed: Option<i32>,
    #[popgen(wire = "OutId", length(max = 15, unit = bytes))]
    out_id: Option<String>,
}

/// `UploadNumbers`: a long list the spec bounds (300,000 numbers of at most 15 bytes), so its
/// requests may be larger than the mock's default body limit.
#[derive(Validate, RpcParams)]
pub struct UploadNumbers {
    #[popgen(wire = "TaskId")]
    task_id: i64,
    #[popgen(
        wire = "Numbers",
        list(separator = ",", max_items = 300000, item(length(max = 15, unit = bytes)))
    )]
    numbers: String,
}

pub static UPLOAD_NUMBERS: ActionMeta = ActionMeta {
    name: "UploadNumbers",
    success_code: "OK",
    side_effects: true,
    qps_per_user: None,
    callee_limit: None,
    idempotency_param: None,
};

/// What `popgen generate` derives for `UploadNumbers` (`codegen/src/size.rs`): `TaskId=` and
/// 20 digits; `Numbers=` and 300,000 items of 15 bytes, each byte at worst `%XX`, with 299,999
/// encoded commas.
pub const UPLOAD_NUMBERS_MAX_PARAMS_BYTES: u64 =
    (6 + 20 + 2) + (7 + 300_000 * 45 + 299_999 * 3 + 2);

pub static LIST_ITEMS: ActionMeta = ActionMeta {
    name: "ListItems",
    success_code: "OK",
    side_effects: false,
    qps_per_user: None,
    callee_limit: None,
    idempotency_param: None,
};

pub static QUERY_CALL_DETAIL: ActionMeta = ActionMeta {
    name: "QueryCallDetailByCallId",
    success_code: "OK",
    side_effects: false,
    qps_per_user: Some(100),
    callee_limit: None,
    idempotency_param: None,
};

pub const TTS_QPS: u32 = 5;

pub static SINGLE_CALL_BY_TTS: ActionMeta = ActionMeta {
    name: "SingleCallByTts",
    success_code: "OK",
    side_effects: true,
    qps_per_user: Some(TTS_QPS),
    callee_limit: Some(CalleeLimit {
        param: "CalledNumber",
        per_minute: 2,
        per_hour: 3,
        per_day: 4,
    }),
    idempotency_param: Some("OutId"),
};

const fn doc(name: &'static str, required: bool, sensitive: bool) -> ParamDoc {
    ParamDoc {
        name,
        type_name: "string",
        required,
        sensitive,
        constraints: &[],
        default: None,
        description: "",
    }
}

pub static API: Api = Api {
    product: "Dyvmsapi",
    version: VERSION,
    endpoint: "dyvmsapi.aliyuncs.com",
    actions: &[
        ActionEntry {
            meta: &LIST_ITEMS,
            summary: "Lists items.",
            params: &[
                doc("PageSize", false, false),
                doc("Name", false, false),
                doc("Verbose", false, false),
            ],
            rules: &[],
            examples: &[],
            success_body: r#"{"RequestId":"EXAMPLE","Code":"OK","Data":[{"Id":1,"Name":"a&b"},{"Id":2,"Name":"c"}],"Total":2}"#,
            max_params_bytes: None,
            receipts: &[],
            parse_params: parse_params::<ListItems>,
            is_sensitive_param:
                <ListItems as popgen_runtime::params::RpcParams>::is_sensitive_param,
            decode_response: decode_response::<serde_json::Value>,
        },
        ActionEntry {
            meta: &QUERY_CALL_DETAIL,
            summary: "Details of one call.",
            params: &[
                doc("CallId", true, false),
                doc("ProdId", true, false),
                doc("QueryDate", true, false),
            ],
            rules: &[],
            examples: &[],
            success_body: r#"{"RequestId":"X","Data":"{\"duration\":25,\"state\":\"200000\"}","Code":"OK","Message":"OK"}"#,
            max_params_bytes: None,
            receipts: &[],
            parse_params: parse_params::<QueryCallDetailByCallId>,
            is_sensitive_param:
                <QueryCallDetailByCallId as popgen_runtime::params::RpcParams>::is_sensitive_param,
            decode_response: decode_response::<serde_json::Value>,
        },
        ActionEntry {
            meta: &SINGLE_CALL_BY_TTS,
            summary: "Calls a number and reads a TTS template.",
            params: &[
                doc("CalledShowNumber", true, true),
                doc("CalledNumber", true, true),
                doc("TtsCode", true, false),
                doc("TtsParam", false, false),
                doc("PlayTimes", false, false),
                doc("Volume", false, false),
                doc("Speed", false, false),
                doc("OutId", false, false),
            ],
            rules: &[],
            examples: &[],
            success_body: r#"{"Code":"OK","Message":"OK","CallId":"116012354148^10281378****","RequestId":"D9CB3933-9FE3-4870-BA8E-2BEE91B69D23"}"#,
            max_params_bytes: None,
            receipts: &[],
            parse_params: parse_params::<SingleCallByTts>,
            is_sensitive_param:
                <SingleCallByTts as popgen_runtime::params::RpcParams>::is_sensitive_param,
            decode_response: decode_response::<serde_json::Value>,
        },
        ActionEntry {
            meta: &UPLOAD_NUMBERS,
            summary: "Uploads the numbers of a task.",
            params: &[doc("TaskId", true, false), doc("Numbers", true, false)],
            rules: &[],
            examples: &[],
            success_body: r#"{"RequestId":"X","Code":"OK"}"#,
            max_params_bytes: Some(UPLOAD_NUMBERS_MAX_PARAMS_BYTES),
            receipts: &[],
            parse_params: parse_params::<UploadNumbers>,
            is_sensitive_param:
                <UploadNumbers as popgen_runtime::params::RpcParams>::is_sensitive_param,
            decode_response: decode_response::<serde_json::Value>,
        },
    ],
    receipts: &[],
    pricing: None,
};

/// Valid `SingleCallByTts` params calling `number`.
pub fn tts_params(number: &str) -> Vec<(String, String)> {
    [
        ("CalledShowNumber", "057112345678"),
        ("CalledNumber", number),
        ("TtsCode", "TTS_10001"),
        ("TtsParam", r#"{"code":"12 34"}"#),
        ("PlayTimes", "2"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect()
}

/// A request ready to send.
#[derive(Debug, Clone)]
pub struct Wire {
    pub method: &'static str,
    /// Path and query.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Wire {
    /// The value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Replaces the value of header `name` (any case).
    pub fn set_header(&mut self, name: &str, value: impl Into<String>) {
        let value = value.into();
        for (k, v) in &mut self.headers {
            if k.eq_ignore_ascii_case(name) {
                v.clone_from(&value);
            }
        }
    }
}

/// Inputs of a v1 request.
#[derive(Debug, Clone)]
pub struct V1 {
    pub method: &'static str,
    pub action: String,
    pub params: Vec<(String, String)>,
    pub format: Option<String>,
    pub version: String,
    pub security_token: Option<String>,
    /// Extra common params (the legacy SDK's `RegionId`, `SignatureType`).
    pub extra: Vec<(String, String)>,
    pub key_id: String,
    pub secret: String,
    pub timestamp: String,
    pub nonce: String,
    pub placement: v1::Placement,
}

impl V1 {
    pub fn new(action: &str, params: Vec<(String, String)>) -> Self {
        V1 {
            method: "POST",
            action: action.into(),
            params,
            format: Some("JSON".into()),
            version: VERSION.into(),
            security_token: None,
            extra: Vec::new(),
            key_id: KEY_ID.into(),
            secret: SECRET.into(),
            timestamp: sign::now_timestamp(),
            nonce: sign::new_nonce(),
            placement: v1::Placement::Query,
        }
    }

    /// Signed with the runtime's v1 signer.
    pub fn wire(&self) -> Wire {
        let mut all: Vec<(&str, &str)> = self
            .params
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        all.extend([
            ("Action", self.action.as_str()),
            ("Version", self.version.as_str()),
            ("AccessKeyId", self.key_id.as_str()),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureVersion", "1.0"),
            ("SignatureNonce", self.nonce.as_str()),
            ("Timestamp", self.timestamp.as_str()),
        ]);
        if let Some(format) = &self.format {
            all.push(("Format", format));
        }
        if let Some(token) = &self.security_token {
            all.push(("SecurityToken", token));
        }
        all.extend(self.extra.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let signed = v1::sign(self.method, &all, &self.secret);
        let parts = v1::request_parts(&signed, self.placement);
        let mut headers = Vec::new();
        if let Some(ct) = parts.content_type {
            headers.push(("content-type".to_owned(), ct.to_owned()));
        }
        Wire {
            method: self.method,
            target: format!("/?{}", parts.query),
            headers,
            body: parts.body,
        }
    }
}

/// A V3 request as the official SDK sends it (params in the query, empty body), signed with the
/// runtime's V3 signer. `form` moves the params into a form body instead.
pub fn v3_wire(action: &str, params: &[(String, String)], secret: &str, form: bool) -> Wire {
    v3_wire_signing(action, params, secret, form, |_| true)
}

/// [`v3_wire`], signing only the headers `signed` keeps (by lower-case name): a request a
/// careless or hostile client could send.
pub fn v3_wire_signing(
    action: &str,
    params: &[(String, String)],
    secret: &str,
    form: bool,
    signed: impl Fn(&str) -> bool,
) -> Wire {
    let refs: Vec<(&str, &str)> = params
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let body = if form {
        v3::form_body(&refs)
    } else {
        String::new()
    };
    let query: &[(&str, &str)] = if form { &[] } else { &refs };
    let date = sign::now_timestamp();
    let nonce = sign::new_nonce();
    let headers = v3::official_headers(&v3::HeaderInputs {
        host: "127.0.0.1",
        action,
        version: VERSION,
        date: &date,
        nonce: &nonce,
        access_key_id: KEY_ID,
        security_token: None,
        user_agent: "popgen-tests",
        body: body.as_bytes(),
        form_body: form,
    });
    let header_refs: Vec<(&str, &str)> = headers
        .iter()
        .filter(|(k, _)| signed(k))
        .map(|(k, v)| (*k, v.as_str()))
        .collect();
    let signed = v3::sign(
        &v3::Request {
            method: "POST",
            path: "/",
            query,
            headers: &header_refs,
            body: body.as_bytes(),
        },
        KEY_ID,
        secret,
    );
    let mut headers: Vec<(String, String)> = headers
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
    headers.push(("authorization".into(), signed.authorization));
    Wire {
        method: "POST",
        target: format!("/?{}", signed.canonical_query),
        headers,
        body,
    }
}

/// An answer.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
    pub fn code(&self) -> String {
        self.json()["Code"].as_str().unwrap_or_default().to_owned()
    }
    pub fn message(&self) -> String {
        self.json()["Message"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
}

/// A keep-alive HTTP/1.1 connection.
pub struct Conn {
    sender: http1::SendRequest<Full<Bytes>>,
}

impl Conn {
    pub async fn open(addr: SocketAddr) -> std::io::Result<Conn> {
        let stream = tokio::net::TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        let (sender, conn) = http1::handshake(TokioIo::new(stream))
            .await
            .map_err(std::io::Error::other)?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        Ok(Conn { sender })
    }

    /// Sends `wire`; an error when the connection closed without an answer.
    pub async fn send(&mut self, wire: &Wire) -> Result<Reply, hyper::Error> {
        let mut builder = Request::builder()
            .method(wire.method)
            .uri(&wire.target)
            .header("host", "127.0.0.1");
        for (k, v) in &wire.headers {
            if !k.eq_ignore_ascii_case("host") {
                builder = builder.header(k.as_str(), v.as_str());
            }
        }
        let request = builder
            .body(Full::new(Bytes::from(wire.body.clone())))
            .expect("valid request");
        self.sender.ready().await?;
        let response = self.sender.send_request(request).await?;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let body = response.into_body().collect().await?.to_bytes();
        Ok(Reply {
            status,
            content_type,
            body: String::from_utf8_lossy(&body).into_owned(),
        })
    }
}

/// Sends `wire` on a fresh connection.
pub async fn send(addr: SocketAddr, wire: &Wire) -> Result<Reply, hyper::Error> {
    let mut conn = Conn::open(addr).await.expect("connect to the mock");
    conn.send(wire).await
}

/// A plain request (control endpoints).
pub fn plain(method: &'static str, target: &str, body: &str) -> Wire {
    Wire {
        method,
        target: target.to_owned(),
        headers: vec![("content-type".into(), "application/json".into())],
        body: body.to_owned(),
    }
}
