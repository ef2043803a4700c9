//! Why a call failed: [`Error`], with the service's [`ApiError`] and [`OutcomeUnknown`] for a
//! request that may have taken effect.

use std::fmt;
use std::time::Duration;

use super::{TransportError, TransportErrorKind};
use crate::decode::DecodeError;
use crate::validation::ValidationErrors;

/// An error body of the API (business or gateway error).
#[derive(Debug, Clone, PartialEq, Eq, Default, thiserror::Error)]
#[error("{code}: {message} (RequestId {request_id}, HTTP {http_status})")]
pub struct ApiError {
    /// `Code`, exactly as sent (`isv.BUSINESS_LIMIT_CONTROL`, `Throttling.User`).
    pub code: String,
    /// `Message`.
    pub message: String,
    /// `RequestId`.
    pub request_id: String,
    /// `HostId`, when sent.
    pub host_id: Option<String>,
    /// `Recommend` (a troubleshooting link), when sent.
    pub recommend: Option<String>,
    /// The HTTP status the error came with.
    pub http_status: u16,
}

/// Everything a call can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The request broke the spec's constraints; nothing was sent.
    #[error("invalid request, nothing was sent:\n{0}")]
    Validation(ValidationErrors),
    /// No response, after every retry the policy allowed. For an action with side effects this
    /// is always an error that proves the request was never sent (otherwise the call fails with
    /// [`Error::OutcomeUnknown`]).
    #[error("transport: {0}")]
    Transport(TransportError),
    /// An action with side effects may have reached the service, but no answer came (a timeout
    /// or a dropped connection after the request may have been written), or a success status
    /// came with a truncated or malformed body ([`TransportErrorKind::MalformedAnswer`]: then it
    /// probably took effect). The client does not send it again: find out whether it took effect
    /// (by its `OutId`, a query action or the receipts) before sending it again.
    #[error("{0}")]
    OutcomeUnknown(Box<OutcomeUnknown>),
    /// The call's deadline ([`Config::deadline`](super::Config::deadline)) passed before an answer came, for an action
    /// without side effects (or before an action with side effects was sent at all).
    #[error("{action}: no answer within the deadline of {deadline:?} ({attempts} attempt(s))")]
    DeadlineExceeded {
        /// The action called.
        action: &'static str,
        /// How many attempts were sent.
        attempts: u32,
        /// The deadline that passed.
        deadline: Duration,
    },
    /// The service answered with an error `Code`.
    #[error("API error {0}")]
    Api(Box<ApiError>),
    /// The body could not be decoded.
    #[error("cannot decode the response (HTTP {status}): {error}")]
    Decode {
        /// HTTP status.
        status: u16,
        /// What went wrong, and where.
        error: DecodeError,
    },
}

/// The caller's own ID of a request, in the param the action declares for it
/// ([`ActionMeta::idempotency_param`](crate::action::ActionMeta::idempotency_param)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey {
    /// The param's wire name (`OutId`).
    pub param: &'static str,
    /// The value the request carried.
    pub value: String,
}

/// What [`Error::OutcomeUnknown`] knows about a request that may or may not have taken effect.
///
/// Its message says what happened, that the request was not sent again, and the idempotency key
/// (`OutId`) to look it up by; after a success status with an unreadable body
/// ([`TransportErrorKind::MalformedAnswer`]) it says the request probably took effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeUnknown {
    /// The action called.
    pub action: &'static str,
    /// The request's idempotency param (`OutId`), when the action has one and the request set it:
    /// the caller's own ID, to look the call up by.
    pub idempotency_key: Option<IdempotencyKey>,
    /// How many attempts were made (the earlier ones provably never sent).
    pub attempts: u32,
    /// What happened to the last attempt.
    pub cause: TransportError,
}

impl OutcomeUnknown {
    /// Whether the service answered with a success status whose body did not decode: the
    /// request reached it and probably took effect (for a call-placing action, the call was
    /// probably placed).
    pub fn probably_took_effect(&self) -> bool {
        self.cause.kind == TransportErrorKind::MalformedAnswer
    }
}

impl fmt::Display for OutcomeUnknown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let action = self.action;
        if self.probably_took_effect() {
            write!(
                f,
                "{action}: the service answered with success, so the request probably took effect \
                 (a call placed, a message sent), but the answer is truncated or malformed ({}); \
                 not sent again, check whether it took effect before sending it again",
                self.cause.message
            )?;
        } else {
            write!(
                f,
                "{action}: outcome unknown after {} attempt(s), the request may have reached the \
                 service ({}); not sent again, check whether it took effect",
                self.attempts, self.cause
            )?;
        }
        if let Some(key) = &self.idempotency_key {
            write!(f, " ({} {})", key.param, key.value)?;
        }
        Ok(())
    }
}

impl std::error::Error for OutcomeUnknown {}
