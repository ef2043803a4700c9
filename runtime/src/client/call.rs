//! The call loop: [`Client::call`] and its type-erased forms — attempts, each freshly signed,
//! retried as [`crate::retry`] decides, within the deadline and the retry budget, paced by the
//! optional rate limiter; an action with side effects that may have been sent ends in
//! [`Error::OutcomeUnknown`].

use std::time::Duration;

use serde::de::DeserializeOwned;
use tokio::time::Instant;
use tracing::Instrument as _;
use tracing::field::Empty;

use super::{
    Client, Error, HttpResponse, IdempotencyKey, OutcomeUnknown, Transport, TransportError,
    TransportErrorKind, check_envelope,
};
use crate::action::{ActionMeta, Operation};
use crate::params::RpcParams;
use crate::retry::{Failure, retryable};
use crate::validation::Validate;

/// Whether a tokio runtime (and so its timer) is available; without one the client neither
/// sleeps nor enforces a deadline, so it does not retry.
fn has_timer() -> bool {
    tokio::runtime::Handle::try_current().is_ok()
}

impl<T: Transport> Client<T> {
    /// Validates, signs and sends `request` as its own action ([`Operation::META`]) and decodes
    /// the response as its own response type: what each generated client method does. Retries,
    /// the deadline and rate limiting follow [`crate::client::Config`].
    pub async fn send<O: Operation>(&self, request: &O) -> Result<O::Response, Error> {
        self.call(O::META, request).await
    }

    /// [`Client::send`] with the action and response type given apart: for a request type that
    /// serves several actions, or a response read as another type (`serde_json::Value`). Nothing
    /// checks that `meta`, `R` and `Resp` belong together: prefer [`Client::send`].
    pub async fn call<R, Resp>(&self, meta: &ActionMeta, request: &R) -> Result<Resp, Error>
    where
        R: Validate + RpcParams,
        Resp: DeserializeOwned,
    {
        self.config
            .validation
            .apply(request)
            .map_err(Error::Validation)?;
        let params = request.to_params();
        let response = self.execute(meta, &params).await?;
        crate::decode::decode_body(self.config.format, &response.body).map_err(|error| {
            Error::Decode {
                status: response.status,
                error,
            }
        })
    }

    /// Sends wire params (already validated by the caller) through the same loop as
    /// [`Client::call`]: retries, deadline, rate limiting, and business errors by `Code`. Returns
    /// the successful response as received; decode it with the action's registry entry, or use
    /// [`Client::call_json`].
    pub async fn call_params(
        &self,
        meta: &ActionMeta,
        params: &[(String, String)],
    ) -> Result<HttpResponse, Error> {
        self.execute(meta, params).await
    }

    /// [`Client::call_params`], with the successful body decoded as untyped JSON (an XML body
    /// converted as [`crate::decode::xml_to_json`] does).
    pub async fn call_json(
        &self,
        meta: &ActionMeta,
        params: &[(String, String)],
    ) -> Result<serde_json::Value, Error> {
        let response = self.execute(meta, params).await?;
        crate::decode::decode_body(self.config.format, &response.body).map_err(|error| {
            Error::Decode {
                status: response.status,
                error,
            }
        })
    }

    /// The call loop: attempts until success, a failure that must not be retried, the attempt
    /// limit, the budget or the deadline. Returns a response whose `Code` is the success code.
    async fn execute<K, V>(
        &self,
        meta: &ActionMeta,
        params: &[(K, V)],
    ) -> Result<HttpResponse, Error>
    where
        K: AsRef<str> + Sync,
        V: AsRef<str> + Sync,
    {
        let span = tracing::info_span!(
            "popgen.call",
            action = meta.name,
            params = Empty,
            attempts = Empty,
            outcome = Empty,
        );
        if !span.is_disabled() {
            // Names only: values may be phone numbers.
            let names: Vec<&str> = params.iter().map(|(k, _)| k.as_ref()).collect();
            span.record("params", names.join(",").as_str());
        }
        let result = self.attempts(meta, params).instrument(span.clone()).await;
        let (result, attempts) = match result {
            Ok((response, attempts)) => (Ok(response), attempts),
            Err((error, attempts)) => (Err(error), attempts),
        };
        span.record("attempts", attempts);
        span.record("outcome", outcome_label(&result));
        result
    }

    async fn attempts<K, V>(
        &self,
        meta: &ActionMeta,
        params: &[(K, V)],
    ) -> Result<(HttpResponse, u32), (Error, u32)>
    where
        K: AsRef<str> + Sync,
        V: AsRef<str> + Sync,
    {
        let started = Instant::now();
        // A deadline too far away to represent (`Duration::MAX`, `u64::MAX` seconds from a
        // command line) is no deadline rather than an overflow.
        let deadline = self.config.deadline.and_then(|d| started.checked_add(d));
        let policy = &self.config.retry;
        let max_attempts = if policy.enabled {
            policy.max_attempts.max(1)
        } else {
            1
        };
        self.budget.on_call();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let waited = self.limiter.acquire(meta, deadline).await;
            if waited.is_err() || deadline.is_some_and(|d| Instant::now() >= d) {
                return Err((self.deadline_error(meta, attempt - 1), attempt - 1));
            }
            let failure = match self.attempt(meta, params, attempt, deadline).await {
                Ok(response) => return Ok((response, attempt)),
                Err(failure) => failure,
            };
            let retry = attempt < max_attempts && retryable(meta, &failure) && has_timer();
            let delay = policy.delay(attempt);
            // tokio's timer wakes on whole milliseconds, up to one after the instant asked for.
            let in_time = deadline.is_none_or(|d| {
                Instant::now()
                    .checked_add(delay.saturating_add(TIMER_TICK))
                    .is_some_and(|wake| wake < d)
            });
            if !(retry && in_time && self.budget.try_retry()) {
                return Err((self.give_up(meta, params, failure, attempt), attempt));
            }
            tracing::debug!(
                attempt,
                reason = failure.label(),
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                "popgen retrying"
            );
            tokio::time::sleep(delay).await;
        }
    }

    /// One attempt: sign afresh, send (cut short by the deadline), check the envelope.
    async fn attempt<K: AsRef<str>, V: AsRef<str>>(
        &self,
        meta: &ActionMeta,
        params: &[(K, V)],
        attempt: u32,
        deadline: Option<Instant>,
    ) -> Result<HttpResponse, Failure> {
        let span = tracing::debug_span!(
            "popgen.attempt",
            attempt,
            http_status = Empty,
            request_id = Empty,
            outcome = Empty,
        );
        let request = self.sign_params(meta, params);
        let send = self.transport.send(request);
        // `None`: the call's deadline passed first.
        let sent = match deadline {
            Some(at) if has_timer() => tokio::time::timeout_at(at, send)
                .instrument(span.clone())
                .await
                .ok(),
            _ => Some(send.instrument(span.clone()).await),
        };
        let result = match sent {
            None => Err(Failure::Deadline),
            Some(Err(e)) => Err(Failure::Transport(e)),
            Some(Ok(response)) => {
                span.record("http_status", response.status);
                match check_envelope(meta, self.config.format, &response) {
                    Ok(request_id) => {
                        if let Some(id) = request_id {
                            span.record("request_id", id.as_str());
                        }
                        Ok(response)
                    }
                    Err(error) => {
                        if let Error::Api(e) = &error {
                            span.record("request_id", e.request_id.as_str());
                            // The code only: a message may echo param values.
                            tracing::debug!(parent: &span, code = %e.code, "popgen API error");
                        }
                        Err(Failure::Answer {
                            status: response.status,
                            error,
                        })
                    }
                }
            }
        };
        span.record(
            "outcome",
            result.as_ref().map_or_else(Failure::label, |_| "ok"),
        );
        result
    }

    /// The error a call ends with after `failure` on attempt `attempts`.
    fn give_up<K: AsRef<str>, V: AsRef<str>>(
        &self,
        meta: &ActionMeta,
        params: &[(K, V)],
        failure: Failure,
        attempts: u32,
    ) -> Error {
        let cause = match failure {
            // A success status the service sent with a body that breaks off or is not what it
            // writes: it received the request and probably acted on it.
            Failure::Answer {
                status,
                error: Error::Decode { error, .. },
            } if meta.side_effects && (200..300).contains(&status) => TransportError::new(
                TransportErrorKind::MalformedAnswer,
                format!("HTTP {status}: {error}"),
            ),
            Failure::Answer { error, .. } => return error,
            Failure::Transport(e) if e.not_sent() || !meta.side_effects => {
                return Error::Transport(e);
            }
            Failure::Deadline if !meta.side_effects => {
                return self.deadline_error(meta, attempts);
            }
            Failure::Transport(e) => e,
            Failure::Deadline => TransportError::new(
                TransportErrorKind::Timeout,
                format!(
                    "the call's deadline of {:?} passed while waiting for the answer",
                    self.config.deadline.unwrap_or_default()
                ),
            ),
        };
        let idempotency_key = meta.idempotency_param.and_then(|param| {
            params
                .iter()
                .find(|(k, _)| k.as_ref() == param)
                .map(|(_, v)| IdempotencyKey {
                    param,
                    value: v.as_ref().to_owned(),
                })
        });
        tracing::warn!(
            action = meta.name,
            attempts,
            "popgen outcome unknown: the request may have reached the service; not sent again"
        );
        Error::OutcomeUnknown(Box::new(OutcomeUnknown {
            action: meta.name,
            idempotency_key,
            attempts,
            cause,
        }))
    }

    fn deadline_error(&self, meta: &ActionMeta, attempts: u32) -> Error {
        Error::DeadlineExceeded {
            action: meta.name,
            attempts,
            deadline: self.config.deadline.unwrap_or_default(),
        }
    }
}

/// The resolution of tokio's timer.
const TIMER_TICK: Duration = Duration::from_millis(1);

fn outcome_label(result: &Result<HttpResponse, Error>) -> &'static str {
    match result {
        Ok(_) => "ok",
        Err(Error::Validation(_)) => "invalid",
        Err(Error::Transport(_)) => "transport_error",
        Err(Error::OutcomeUnknown(_)) => "outcome_unknown",
        Err(Error::DeadlineExceeded { .. }) => "deadline",
        Err(Error::Api(_)) => "api_error",
        Err(Error::Decode { .. }) => "decode_error",
    }
}
