//! The mock sends receipts: for every call a call-placing action accepts, the records the service
//! would push (each receipt message the action lists whose spec has a `call` section:
//! [`CallReceipt`](popgen_runtime::call_receipt::CallReceipt)), pushed in batches to the URL
//! configured for the message and pushed again on failure on the service's schedule, on the
//! mock's clock.
//!
//! - [`simulate`]: the records of one call (outcome drawn from [`OutcomeMix`], seeded);
//! - [`outbox`]: records waiting for their time, batches waiting for a re-push, the push log;
//! - [`push`]: the task that sends them.

pub(crate) mod outbox;
pub(crate) mod push;
pub(crate) mod simulate;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use popgen_runtime::registry::{ActionEntry, Api};

use outbox::{Caps, Outbox};
use simulate::PlacedCall;

/// The default [`ReceiptConfig::max_batch`]: 100 records per push.
pub const DEFAULT_MAX_BATCH: usize = 100;
/// The largest [`ReceiptConfig::max_batch`] accepted.
pub const MAX_BATCH_LIMIT: usize = 1_000;
/// The default [`ReceiptConfig::queue_records`].
pub const DEFAULT_QUEUE_RECORDS: usize = 100_000;
/// The default [`ReceiptConfig::queue_bytes`]: 64 MiB.
pub const DEFAULT_QUEUE_BYTES: usize = 64 << 20;

/// Which calls are answered, and for how long they talk.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OutcomeMix {
    /// The share of calls answered, 0 to 1. The others are split evenly, by the seed, between
    /// reached-but-not-answered (busy, no answer) and never rang (invalid number, unreachable).
    pub answer_rate: f64,
    /// Talk time of an answered call, seconds, inclusive range (low, high).
    pub duration_secs: (u32, u32),
    /// Seeds the outcome of each call: the same seed and order of calls give the same receipts.
    pub seed: u64,
}

impl Default for OutcomeMix {
    fn default() -> Self {
        OutcomeMix {
            answer_rate: 0.8,
            duration_secs: (5, 60),
            seed: 0,
        }
    }
}

/// Where receipts go: a base URL (each message to `<base>/<Message>`), and URLs per message,
/// which win over the base.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReceiptUrls {
    /// Each message to `<base>/<Message>`.
    pub base: Option<String>,
    /// Message name → URL.
    pub by_message: BTreeMap<String, String>,
}

impl ReceiptUrls {
    /// Reads `--receipt-url` values: `Message=URL` for one message, or a URL (each message to
    /// `URL/<Message>`).
    pub fn parse(values: &[String]) -> Result<Self, String> {
        let mut urls = ReceiptUrls::default();
        for v in values {
            match v.split_once('=') {
                Some((name, url))
                    if !name.is_empty()
                        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') =>
                {
                    if urls
                        .by_message
                        .insert(name.to_owned(), url.to_owned())
                        .is_some()
                    {
                        return Err(format!("--receipt-url names {name} twice"));
                    }
                }
                _ => {
                    if urls.base.replace(v.clone()).is_some() {
                        return Err("--receipt-url gives two base URLs".into());
                    }
                }
            }
        }
        Ok(urls)
    }

    /// Whether no URL is configured (the mock sends nothing).
    pub fn is_empty(&self) -> bool {
        self.base.is_none() && self.by_message.is_empty()
    }

    /// One URL (or none) per receipt of `api`, in its order; an unknown message name, a URL that
    /// does not parse or is not http(s) is an error.
    fn resolve(&self, api: &Api) -> Result<Vec<Option<reqwest::Url>>, String> {
        for name in self.by_message.keys() {
            if api.receipt(name).is_none() {
                let known: Vec<&str> = api.receipts.iter().map(|r| r.name).collect();
                return Err(format!(
                    "--receipt-url: {} has no receipt message {name} (it has: {})",
                    api.product,
                    known.join(", ")
                ));
            }
        }
        api.receipts
            .iter()
            .map(|r| {
                let text = match (self.by_message.get(r.name), &self.base) {
                    (Some(url), _) => url.clone(),
                    (None, Some(base)) => format!("{}/{}", base.trim_end_matches('/'), r.name),
                    (None, None) => return Ok(None),
                };
                let url = reqwest::Url::parse(&text)
                    .map_err(|e| format!("--receipt-url for {}: {e}", r.name))?;
                if !matches!(url.scheme(), "http" | "https") {
                    return Err(format!(
                        "--receipt-url for {}: only http and https URLs are pushed to",
                        r.name
                    ));
                }
                Ok(Some(url))
            })
            .collect()
    }
}

/// How the mock sends receipts. Off (no URL) by default.
#[derive(Debug, Clone, PartialEq)]
pub struct ReceiptConfig {
    /// Where each message goes; a message with no URL is not produced.
    pub urls: ReceiptUrls,
    /// Which calls are answered and how long they talk.
    pub mix: OutcomeMix,
    /// Records per push, at most ([`DEFAULT_MAX_BATCH`]; 1 to [`MAX_BATCH_LIMIT`]).
    pub max_batch: usize,
    /// Records held at most (waiting, in flight, waiting for a re-push); a call whose records
    /// do not fit is dropped, with a note in the push log.
    pub queue_records: usize,
    /// Bytes of records held at most.
    pub queue_bytes: usize,
    /// How long one push may take (connecting, sending, the answer) before it counts as failed.
    pub push_timeout: Duration,
}

impl Default for ReceiptConfig {
    fn default() -> Self {
        ReceiptConfig {
            urls: ReceiptUrls::default(),
            mix: OutcomeMix::default(),
            max_batch: DEFAULT_MAX_BATCH,
            queue_records: DEFAULT_QUEUE_RECORDS,
            queue_bytes: DEFAULT_QUEUE_BYTES,
            push_timeout: Duration::from_secs(5),
        }
    }
}

/// The receipts side of a running mock.
#[derive(Debug)]
pub(crate) struct Receipts {
    pub(crate) config: ReceiptConfig,
    pub(crate) outbox: Outbox,
    /// Per `Api::receipts` entry: where it goes.
    pub(crate) urls: Vec<Option<reqwest::Url>>,
    calls: AtomicU64,
    /// Distinguishes this server's call IDs from another run's.
    prefix: u64,
}

impl Receipts {
    /// The receipts side `config` describes, or `None` when it configures no URL.
    pub(crate) fn new(api: &'static Api, config: &ReceiptConfig) -> Result<Option<Self>, String> {
        if config.urls.is_empty() {
            return Ok(None);
        }
        let urls = config.urls.resolve(api)?;
        let rate = config.mix.answer_rate;
        if !(0.0..=1.0).contains(&rate) {
            return Err(format!("--answer-rate must be between 0 and 1, got {rate}"));
        }
        let (lo, hi) = config.mix.duration_secs;
        if lo > hi {
            return Err(format!(
                "--duration {lo}..{hi}: the low end is above the high end"
            ));
        }
        if !(1..=MAX_BATCH_LIMIT).contains(&config.max_batch) {
            return Err(format!("--receipt-batch must be 1 to {MAX_BATCH_LIMIT}"));
        }
        let caps = Caps {
            records: config.queue_records,
            bytes: config.queue_bytes,
            batch: config.max_batch,
        };
        let names = api.receipts.iter().map(|r| r.name).collect();
        let nonce = popgen_runtime::sign::new_nonce();
        Ok(Some(Receipts {
            config: config.clone(),
            outbox: Outbox::new(caps, names),
            urls,
            calls: AtomicU64::new(0),
            prefix: u64::from_str_radix(&nonce[..12], 16).unwrap_or(0) % 1_000_000_000_000,
        }))
    }

    /// The response field `action`'s calls are identified by, when it produces a receipt that is
    /// pushed somewhere: the one whose value the mock makes fresh for each call.
    pub(crate) fn call_id_field(&self, api: &Api, action: &ActionEntry) -> Option<&'static str> {
        self.produced(api, action, &[])
            .next()
            .map(|(_, c)| c.call_id_from)
    }

    /// The receipts `action` lists that report a call and have a URL, leaving out the messages
    /// named in `withheld`.
    fn produced<'a>(
        &'a self,
        api: &'a Api,
        action: &'a ActionEntry,
        withheld: &'a [&'static str],
    ) -> impl Iterator<Item = (usize, &'static popgen_runtime::call_receipt::CallReceipt)> + 'a
    {
        action.receipts.iter().filter_map(move |listed| {
            let name = listed.message;
            if withheld.contains(&name) {
                return None;
            }
            let i = api.receipts.binary_search_by(|r| r.name.cmp(name)).ok()?;
            let call = api.receipts[i].call?;
            self.urls[i].as_ref().map(|_| (i, call))
        })
    }

    /// A fresh call ID (`<12 digits>^<n>`, unique per server) and its number.
    pub(crate) fn next_call(&self) -> (String, u64) {
        let n = self.calls.fetch_add(1, Ordering::Relaxed);
        (format!("{:012}^{n}", self.prefix), n)
    }

    /// Queues the records of a call `action` placed: every message it lists with a `call`
    /// section and a URL, unless the request did not meet the message's condition.
    pub(crate) fn place(&self, api: &Api, action: &ActionEntry, call: &PlacedCall<'_>, n: u64) {
        let (outcome, pick) = simulate::outcome(&self.config.mix, n);
        let records: Vec<(usize, simulate::Record)> = self
            .produced(api, action, call.withheld)
            .flat_map(|(i, c)| {
                simulate::records(c, call, outcome, pick)
                    .into_iter()
                    .map(move |r| (i, r))
            })
            .collect();
        if !records.is_empty() {
            self.outbox.offer(call.call_id, records, call.placed_ms);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_per_message_or_a_base() {
        let urls = ReceiptUrls::parse(&[
            "http://127.0.0.1:9/r".into(),
            "VoiceReport=http://127.0.0.1:9/v?token=x".into(),
        ])
        .unwrap();
        assert_eq!(urls.base.as_deref(), Some("http://127.0.0.1:9/r"));
        assert_eq!(
            urls.by_message["VoiceReport"],
            "http://127.0.0.1:9/v?token=x"
        );
        assert!(ReceiptUrls::parse(&["a=http://x".into(), "a=http://y".into()]).is_err());
        assert!(ReceiptUrls::parse(&["http://x".into(), "http://y".into()]).is_err());
    }
}
