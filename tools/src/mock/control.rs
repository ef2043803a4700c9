//! The control endpoints under `/_mock/`, so programs in any language (Python, curl) can read the
//! journal, inject faults and move the clock of a running mock. Documented in [`super`].

use http_body_util::BodyExt;
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::{Method, Response, StatusCode};
use popgen_runtime::encode::parse_query;
use serde::Deserialize;
use serde::Serialize;

use super::faults::Fault;
use super::gateway::Gateway;
use super::server::{HttpResponse, full};

/// `POST /_mock/clock`: every field optional, applied in this order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClockChange {
    /// Set the time, unix milliseconds.
    set_ms: Option<i64>,
    /// Set the time, `yyyy-MM-ddTHH:mm:ssZ`.
    set: Option<String>,
    /// Move the time by this many milliseconds.
    advance_ms: Option<i64>,
    /// Freeze (`true`) or let run (`false`).
    freeze: Option<bool>,
}

/// `POST /_mock/faults` takes one fault or a list.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Faults {
    One(Fault),
    Many(Vec<Fault>),
}

pub(crate) fn handle(
    gateway: &Gateway,
    method: &Method,
    path: &str,
    query: Option<&str>,
    body: &[u8],
) -> HttpResponse {
    let route = path.trim_end_matches('/');
    let result = match (method, route) {
        (&Method::GET, "/_mock/health") => Ok(json(
            StatusCode::OK,
            &serde_json::json!({
                "ok": true,
                "product": gateway.api.product,
                "version": gateway.api.version,
                "actions": gateway.api.actions.len(),
            }),
        )),
        (&Method::GET, "/_mock/journal") => journal(gateway, query),
        (&Method::DELETE, "/_mock/journal") => {
            gateway.journal.clear();
            Ok(ok())
        }
        (&Method::GET, "/_mock/receipts") => receipts(gateway, query),
        (&Method::GET, "/_mock/faults") => Ok(json(StatusCode::OK, &gateway.faults.list())),
        (&Method::POST, "/_mock/faults") => add_faults(gateway, body),
        (&Method::DELETE, "/_mock/faults") => {
            gateway.faults.clear();
            Ok(ok())
        }
        (&Method::DELETE, fault) if fault.starts_with("/_mock/faults/") => {
            remove_fault(gateway, &fault["/_mock/faults/".len()..])
        }
        (&Method::GET, "/_mock/clock") => Ok(json(StatusCode::OK, &gateway.clock.state())),
        (&Method::POST, "/_mock/clock") => change_clock(gateway, body),
        (&Method::POST, "/_mock/reset") => {
            gateway.reset();
            Ok(ok())
        }
        _ => Err((
            StatusCode::NOT_FOUND,
            format!("no control endpoint {method} {path}; see the popgen_tools::mock docs"),
        )),
    };
    result.unwrap_or_else(|(status, message)| error(status, &message))
}

type Answer = Result<HttpResponse, (StatusCode, String)>;

/// A control endpoint's error answer: `{"error": message}`.
pub(crate) fn error(status: StatusCode, message: &str) -> HttpResponse {
    json(status, &serde_json::json!({ "error": message }))
}

fn journal(gateway: &Gateway, query: Option<&str>) -> Answer {
    let params = parse_query(query.unwrap_or("")).map_err(bad_request)?;
    let mut since = 0;
    let mut action = None;
    for (k, v) in &params {
        match k.as_str() {
            "since" => since = v.parse().map_err(bad_request)?,
            "action" => action = Some(v.as_str()),
            other => return Err(bad_request(format!("unknown query param `{other}`"))),
        }
    }
    let stream = gateway.journal.stream(since, action);
    let mut response = Response::new(stream.boxed());
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    Ok(response)
}

fn receipts(gateway: &Gateway, query: Option<&str>) -> Answer {
    let params = parse_query(query.unwrap_or("")).map_err(bad_request)?;
    let mut since = 0;
    for (k, v) in &params {
        match k.as_str() {
            "since" => since = v.parse().map_err(bad_request)?,
            other => return Err(bad_request(format!("unknown query param `{other}`"))),
        }
    }
    match &gateway.receipts {
        Some(r) => Ok(json(StatusCode::OK, &r.outbox.page(since))),
        None => Err((
            StatusCode::NOT_FOUND,
            "this mock sends no receipts: start it with --receipt-url".into(),
        )),
    }
}

fn add_faults(gateway: &Gateway, body: &[u8]) -> Answer {
    let faults = match serde_json::from_slice(body).map_err(bad_request)? {
        Faults::One(fault) => vec![fault],
        Faults::Many(faults) => faults,
    };
    let ids: Vec<u64> = faults.into_iter().map(|f| gateway.faults.add(f)).collect();
    Ok(json(StatusCode::OK, &serde_json::json!({ "ids": ids })))
}

fn remove_fault(gateway: &Gateway, id: &str) -> Answer {
    let id: u64 = id.parse().map_err(bad_request)?;
    if gateway.faults.remove(id) {
        Ok(ok())
    } else {
        Err((StatusCode::NOT_FOUND, format!("no fault {id}")))
    }
}

fn change_clock(gateway: &Gateway, body: &[u8]) -> Answer {
    let change: ClockChange = serde_json::from_slice(body).map_err(bad_request)?;
    let clock = &gateway.clock;
    if let Some(ms) = change.set_ms {
        clock.set_ms(ms);
    }
    if let Some(text) = &change.set {
        let secs = popgen_runtime::calendar::parse_utc(text)
            .ok_or_else(|| bad_request(format!("`set` is not yyyy-MM-ddTHH:mm:ssZ: {text}")))?;
        clock.set_ms(i64::try_from(secs).unwrap_or(i64::MAX).saturating_mul(1000));
    }
    if let Some(ms) = change.advance_ms {
        clock.advance_ms(ms);
    }
    match change.freeze {
        Some(true) => clock.freeze(),
        Some(false) => clock.unfreeze(),
        None => {}
    }
    Ok(json(StatusCode::OK, &clock.state()))
}

fn bad_request(e: impl ToString) -> (StatusCode, String) {
    (StatusCode::BAD_REQUEST, e.to_string())
}

fn ok() -> HttpResponse {
    json(StatusCode::OK, &serde_json::json!({ "ok": true }))
}

fn json<T: Serialize + ?Sized>(status: StatusCode, value: &T) -> HttpResponse {
    let body = serde_json::to_vec(value).unwrap_or_default();
    let mut response = Response::new(full(body));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}
