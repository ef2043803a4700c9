//! Reading an answer: the envelope every response shares (`Code`, `Message`, `RequestId`), and the
//! typed response.

use serde::de::DeserializeOwned;

use super::{ApiError, Error, HttpResponse};
use crate::action::ActionMeta;
use crate::decode::Format;

/// Decodes a response: an [`ApiError`] when the body's `Code` is not `meta`'s success code (or
/// the status is an error and the body says nothing), otherwise the typed body.
///
/// Never panics: a body that is not JSON (or XML), is empty or does not fit `Resp` is an
/// [`Error::Decode`].
pub fn decode_response<Resp: DeserializeOwned>(
    meta: &ActionMeta,
    format: Format,
    response: &HttpResponse,
) -> Result<Resp, Error> {
    check_envelope(meta, format, response)?;
    crate::decode::decode_body(format, &response.body).map_err(|error| Error::Decode {
        status: response.status,
        error,
    })
}

/// Reads the envelope (`Code`, `Message`, `RequestId`...) of a response: `Ok` with the
/// `RequestId` when it is a success, the [`ApiError`] (or [`Error::Decode`]) otherwise.
pub(crate) fn check_envelope(
    meta: &ActionMeta,
    format: Format,
    response: &HttpResponse,
) -> Result<Option<String>, Error> {
    let envelope: Envelope =
        crate::decode::decode_body(format, &response.body).map_err(|error| Error::Decode {
            status: response.status,
            error,
        })?;
    let ok_status = (200..300).contains(&response.status);
    match envelope.code.as_deref() {
        Some(code) if code == meta.success_code => Ok(envelope.request_id),
        None if ok_status => Ok(envelope.request_id),
        code => Err(Error::Api(Box::new(ApiError {
            code: code.unwrap_or("HttpError").to_owned(),
            message: envelope.message.unwrap_or_default(),
            request_id: envelope.request_id.unwrap_or_default(),
            host_id: envelope.host_id,
            recommend: envelope.recommend,
            http_status: response.status,
        }))),
    }
}

/// The fields every body (success or error) may carry.
#[derive(serde::Deserialize)]
struct Envelope {
    #[serde(
        rename = "Code",
        default,
        deserialize_with = "crate::decode::option_string"
    )]
    code: Option<String>,
    #[serde(
        rename = "Message",
        default,
        deserialize_with = "crate::decode::option_string"
    )]
    message: Option<String>,
    #[serde(
        rename = "RequestId",
        default,
        deserialize_with = "crate::decode::option_string"
    )]
    request_id: Option<String>,
    #[serde(
        rename = "HostId",
        default,
        deserialize_with = "crate::decode::option_string"
    )]
    host_id: Option<String>,
    #[serde(
        rename = "Recommend",
        default,
        deserialize_with = "crate::decode::option_string"
    )]
    recommend: Option<String>,
}
