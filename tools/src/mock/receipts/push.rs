//! The pusher: a task that, every few milliseconds of real time, reads the mock's clock, takes
//! the batches due from the outbox and POSTs each to its message's URL, at most
//! [`MAX_IN_FLIGHT`] at once, each within the push timeout. Because due times are server time,
//! a test that moves the clock makes records and re-pushes due at once.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::watch;

use super::outbox::{Batch, Pushed};
use crate::mock::gateway::Gateway;

/// Pushes in flight at once.
pub const MAX_IN_FLIGHT: usize = 8;

/// How often the pusher looks for due batches (real time).
const TICK: Duration = Duration::from_millis(20);

/// The most of a receiver's answer read (its `{"code": 0}` is a few bytes).
const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// Pushes until `shutdown` turns true.
pub(crate) async fn run(gateway: Arc<Gateway>, mut shutdown: watch::Receiver<bool>) {
    let Some(receipts) = gateway.receipts.as_ref() else {
        return;
    };
    let client = match reqwest::Client::builder()
        .no_proxy()
        .timeout(receipts.config.push_timeout)
        .build()
    {
        Ok(client) => client,
        Err(e) => {
            tracing::error!("receipt pusher cannot start: {e}");
            return;
        }
    };
    let in_flight = Arc::new(AtomicUsize::new(0));
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = shutdown.changed() => break,
        }
        let slots = MAX_IN_FLIGHT.saturating_sub(in_flight.load(Ordering::Acquire));
        if slots == 0 {
            continue;
        }
        let now_ms = gateway.clock.now_ms();
        for batch in receipts.outbox.due(now_ms, slots) {
            let Some(url) = receipts.urls[batch.receipt].clone() else {
                continue;
            };
            in_flight.fetch_add(1, Ordering::AcqRel);
            let (gateway, client, in_flight) =
                (Arc::clone(&gateway), client.clone(), Arc::clone(&in_flight));
            tokio::spawn(async move {
                let pushed = push(&client, url, &batch).await;
                if let Some(r) = gateway.receipts.as_ref() {
                    r.outbox.settle(batch, now_ms, pushed);
                }
                in_flight.fetch_sub(1, Ordering::AcqRel);
            });
        }
    }
}

/// One POST of `batch`; acknowledged only by a 200 whose body is a JSON object with `code` 0.
async fn push(client: &reqwest::Client, url: reqwest::Url, batch: &Batch) -> Pushed {
    let sent = client
        .post(url)
        .header("content-type", "application/json;charset=utf-8")
        .body(batch.body())
        .send()
        .await;
    let mut response = match sent {
        Ok(r) => r,
        Err(e) => {
            return Pushed {
                acknowledged: false,
                http_status: None,
                error: Some(describe(&e)),
            };
        }
    };
    let status = response.status().as_u16();
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) if body.len() + chunk.len() <= MAX_ANSWER_BYTES => {
                body.extend_from_slice(&chunk);
            }
            Ok(Some(_)) => break,
            Ok(None) => break,
            Err(e) => {
                return Pushed {
                    acknowledged: false,
                    http_status: Some(status),
                    error: Some(describe(&e)),
                };
            }
        }
    }
    let error = answer_error(status, &body);
    Pushed {
        acknowledged: error.is_none(),
        http_status: Some(status),
        error,
    }
}

/// Why an answer does not acknowledge a push; `None` when it does.
pub(crate) fn answer_error(status: u16, body: &[u8]) -> Option<String> {
    if status != 200 {
        return Some(format!("the receiver answered HTTP {status}"));
    }
    let code = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("code").cloned());
    match code {
        Some(c) if c.as_i64() == Some(0) => None,
        Some(c) => Some(format!("the receiver answered code {c}, not 0")),
        None => Some("the receiver's answer is not a JSON object with a numeric `code`".into()),
    }
}

/// A transport error in words, without the URL (it may carry a token in its query).
fn describe(e: &reqwest::Error) -> String {
    let what = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else {
        "failed"
    };
    format!("the push {what}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_200_with_code_0_acknowledges() {
        assert_eq!(answer_error(200, br#"{"code":0,"msg":"ok"}"#), None);
        assert!(answer_error(200, br#"{"code":1}"#).is_some());
        assert!(answer_error(200, br#"{"code":"0"}"#).is_some());
        assert!(answer_error(200, b"ok").is_some());
        assert!(answer_error(500, br#"{"code":0}"#).is_some());
    }
}
