//! Type-erased entry points to a generated client's actions, so one tool (a command line, a mock
//! server, a test over every action) can serve all of them by name.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::action::ActionMeta;
use crate::decode::{DecodeError, Format};
use crate::params::RpcParams;
use crate::validation::{Validate, ValidationErrors};

/// [`ActionEntry::parse_params`]: wire params in; re-encoded params (when readable) and every
/// problem out.
pub type ParseParams = fn(&[(&str, &str)]) -> (Option<Vec<(String, String)>>, ValidationErrors);

/// [`ActionEntry::decode_response`]: a body in; the typed response as JSON out.
pub type DecodeResponse = fn(Format, &str) -> Result<serde_json::Value, DecodeError>;

/// One action of a generated client.
#[derive(Debug, Clone, Copy)]
pub struct ActionEntry {
    /// Name, success code, retry safety, QPS.
    pub meta: &'static ActionMeta,
    /// Parses wire params into the request type, validates it, and encodes it again: the
    /// params as the client would send them (when every field could be read) and every
    /// problem (parse errors and validation violations, warnings included).
    pub parse_params: ParseParams,
    /// Decodes a response body into the typed response and serializes it back to JSON (what a
    /// client shows to a user).
    pub decode_response: DecodeResponse,
}

/// [`ActionEntry::parse_params`] for request type `R`.
pub fn parse_params<R: RpcParams + Validate>(
    pairs: &[(&str, &str)],
) -> (Option<Vec<(String, String)>>, ValidationErrors) {
    let (value, mut report) = R::from_params_report(pairs);
    let Some(value) = value else {
        return (None, report);
    };
    // `from_params_report` already ran the field rules; cross-field rules run in `Validate`.
    for v in value.report().into_violations() {
        if !report.violations().contains(&v) {
            report.push(v);
        }
    }
    (Some(value.to_owned_params()), report)
}

/// [`ActionEntry::decode_response`] for response type `T`.
pub fn decode_response<T: DeserializeOwned + Serialize>(
    format: Format,
    body: &str,
) -> Result<serde_json::Value, DecodeError> {
    let typed: T = crate::decode::decode_body(format, body)?;
    Ok(serde_json::to_value(&typed).unwrap_or(serde_json::Value::Null))
}
