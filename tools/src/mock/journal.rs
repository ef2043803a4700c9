//! The request journal: one entry per request the mock received, secrets redacted, appended
//! without a global lock (entries go to one of several shards by sequence number).
//!
//! Bounded in entries and in bytes, whatever the requests: an entry keeps at most
//! [`MAX_PARAMS_BYTES`] of params (a value longer than [`MAX_VALUE_BYTES`] keeps its first bytes
//! and its full size, `…[2600000 bytes]`; params past the budget are left out, `params_total`
//! counts them all), with the request body's full size and a `truncated` flag; so an entry costs
//! at most [`MAX_ENTRY_BYTES`]. The journal keeps at most `journal_bytes` of entries (their
//! accounted heap size), evicting the oldest of a shard first. Readers share entries
//! (`Arc`), so `GET /_mock/journal` streams them without copying the journal, and clearing it
//! frees its memory (the shards' buffers too).

use std::collections::VecDeque;
use std::convert::Infallible;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use bytes::Bytes;
use hyper::body::{Body, Frame};
use serde::{Deserialize, Serialize};

/// Number of shards; a power of two so the shard is `seq & (SHARDS - 1)`.
const SHARDS: usize = 16;

/// A param value longer than this (bytes) keeps its first bytes and its size.
pub const MAX_VALUE_BYTES: usize = 1024;

/// Params kept per entry: their names, values and per-param bookkeeping together, in bytes.
pub const MAX_PARAMS_BYTES: usize = 16 * 1024;

/// Any other text of an entry (action, nonce, AccessKey ID, a warning) is cut at this many bytes.
const MAX_TEXT_BYTES: usize = 256;

/// Warnings kept per entry (a last line says how many more there were).
const MAX_WARNINGS: usize = 20;

/// The most one entry can cost in the journal's accounting, whatever the request.
pub const MAX_ENTRY_BYTES: usize = 32 * 1024;

/// The smallest byte budget a journal takes: one largest entry per shard.
pub const MIN_JOURNAL_BYTES: usize = SHARDS * MAX_ENTRY_BYTES;

/// One request as the mock saw it and answered it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
    /// Arrival order, from 1; unique.
    pub seq: u64,
    /// Server clock at arrival, unix milliseconds.
    pub time_ms: i64,
    /// HTTP method.
    pub method: String,
    /// The action the request named, when it named one.
    pub action: Option<String>,
    /// `v1` or `v3`, when the request was signed.
    pub scheme: Option<String>,
    /// The AccessKey ID it claimed.
    pub access_key_id: Option<String>,
    /// Its `SignatureNonce` / `x-acs-signature-nonce`.
    pub nonce: Option<String>,
    /// The params that arrived (query, then form body), decoded, in arrival order; the values of
    /// `SecurityToken` and of the action's sensitive params are `***`. Cut to the entry's budget
    /// when `truncated`: a long value is its first [`MAX_VALUE_BYTES`] bytes followed by
    /// `…[N bytes]`, its full size; params past [`MAX_PARAMS_BYTES`] are left out.
    pub params: Vec<(String, String)>,
    /// How many params arrived (`params` holds fewer when some were left out).
    #[serde(default)]
    pub params_total: usize,
    /// Size of the request body as it arrived, in bytes (all of it, whatever was kept).
    #[serde(default)]
    pub body_bytes: u64,
    /// Whether anything of the request was cut to fit the entry: a value, params, a text.
    #[serde(default)]
    pub truncated: bool,
    /// `Code` of the answer; `None` when there was none (a drop or stall fault).
    pub code: Option<String>,
    /// HTTP status of the answer; `None` when there was none.
    pub http_status: Option<u16>,
    /// `RequestId` of the answer.
    pub request_id: Option<String>,
    /// The fault injected into this request (`error`, `delay`, `stall`, `drop`, `malformed`).
    pub fault: Option<String>,
    /// Warnings of the action's validation (they never reject), one line each.
    pub warnings: Vec<String>,
    /// The call ID the answer carried, for a call the mock placed while it sends receipts: what
    /// links the request to its receipts in `GET /_mock/receipts`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_id: Option<String>,
}

/// `text` cut to at most `max` bytes at a character boundary.
fn prefix(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut cut = max;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    &text[..cut]
}

/// Params as an entry keeps them: `(name, value)` pairs in order, cut to the entry's budget.
#[derive(Debug, Default)]
pub(crate) struct KeptParams {
    pub(crate) params: Vec<(String, String)>,
    pub(crate) total: usize,
    pub(crate) truncated: bool,
    bytes: usize,
}

impl KeptParams {
    /// Room for `n` params (as many as an entry can keep at most).
    pub(crate) fn with_capacity(n: usize) -> Self {
        let most = MAX_PARAMS_BYTES / std::mem::size_of::<(String, String)>();
        KeptParams {
            params: Vec::with_capacity(n.min(most)),
            ..KeptParams::default()
        }
    }

    /// Keeps one more param, if the budget allows.
    pub(crate) fn push(&mut self, name: &str, value: &str) {
        self.total += 1;
        let name_kept = prefix(name, MAX_TEXT_BYTES);
        let value_kept = if value.len() > MAX_VALUE_BYTES {
            format!("{}…[{} bytes]", prefix(value, MAX_VALUE_BYTES), value.len())
        } else {
            value.to_owned()
        };
        let cost = std::mem::size_of::<(String, String)>() + name_kept.len() + value_kept.len();
        if self.bytes + cost > MAX_PARAMS_BYTES {
            self.truncated = true;
            return;
        }
        self.truncated |= name_kept.len() < name.len() || value_kept.len() != value.len();
        self.bytes += cost;
        self.params.push((name_kept.to_owned(), value_kept));
    }
}

impl JournalEntry {
    /// Cuts every text to its budget and returns what the entry costs (at most
    /// [`MAX_ENTRY_BYTES`]).
    fn fit(&mut self) -> usize {
        let mut cut = false;
        for text in [
            &mut self.action,
            &mut self.scheme,
            &mut self.access_key_id,
            &mut self.nonce,
            &mut self.code,
            &mut self.request_id,
            &mut self.fault,
            &mut self.call_id,
        ]
        .into_iter()
        .flatten()
        .chain([&mut self.method])
        {
            if text.len() > MAX_TEXT_BYTES {
                let kept = prefix(text, MAX_TEXT_BYTES).len();
                text.truncate(kept);
                cut = true;
            }
            text.shrink_to_fit();
        }
        if self.warnings.len() > MAX_WARNINGS {
            let more = self.warnings.len() - (MAX_WARNINGS - 1);
            self.warnings.truncate(MAX_WARNINGS - 1);
            self.warnings.push(format!("… and {more} more warnings"));
            cut = true;
        }
        for warning in &mut self.warnings {
            if warning.len() > MAX_TEXT_BYTES {
                let kept = prefix(warning, MAX_TEXT_BYTES).len();
                warning.truncate(kept);
                cut = true;
            }
            warning.shrink_to_fit();
        }
        // The params were kept within their budget; a caller that did not is held to it here.
        let mut params_bytes = 0;
        let mut kept = self.params.len();
        for (i, (k, v)) in self.params.iter().enumerate() {
            params_bytes += std::mem::size_of::<(String, String)>() + k.len() + v.len();
            if params_bytes > MAX_PARAMS_BYTES || k.len() > MAX_TEXT_BYTES {
                kept = i;
                break;
            }
        }
        if kept < self.params.len() {
            self.params.truncate(kept);
            cut = true;
        }
        self.params_total = self.params_total.max(self.params.len());
        self.params.shrink_to_fit();
        self.warnings.shrink_to_fit();
        self.truncated |= cut;
        self.cost()
    }

    /// The entry's heap size, as the journal accounts it.
    fn cost(&self) -> usize {
        let text = |s: &Option<String>| s.as_ref().map_or(0, String::capacity);
        std::mem::size_of::<(usize, Arc<JournalEntry>)>()
            + 2 * std::mem::size_of::<usize>() // the Arc's counts
            + std::mem::size_of::<JournalEntry>()
            + self.method.capacity()
            + text(&self.action)
            + text(&self.scheme)
            + text(&self.access_key_id)
            + text(&self.nonce)
            + text(&self.code)
            + text(&self.request_id)
            + text(&self.fault)
            + text(&self.call_id)
            + self.params.capacity() * std::mem::size_of::<(String, String)>()
            + self
                .params
                .iter()
                .map(|(k, v)| k.capacity() + v.capacity())
                .sum::<usize>()
            + self.warnings.capacity() * std::mem::size_of::<String>()
            + self.warnings.iter().map(String::capacity).sum::<usize>()
    }
}

/// The journal's size and budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalStats {
    /// Entries kept.
    pub entries: usize,
    /// Their accounted size in bytes (never more than `budget_bytes`).
    pub bytes: usize,
    /// The byte budget ([`MockConfig::journal_bytes`](super::MockConfig::journal_bytes)).
    pub budget_bytes: usize,
    /// Entries evicted to stay within the budgets, oldest first, since the last clear.
    pub dropped: u64,
}

#[derive(Debug, Default)]
struct Shard {
    /// Entries by `seq`, each with its cost.
    entries: VecDeque<(usize, Arc<JournalEntry>)>,
    bytes: usize,
}

/// The journal. Readers get entries sorted by `seq`.
#[derive(Debug)]
pub(crate) struct Journal {
    next_seq: AtomicU64,
    dropped: AtomicU64,
    per_shard: usize,
    per_shard_bytes: usize,
    shards: Box<[Mutex<Shard>]>,
}

/// What `GET /_mock/journal` answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalPage {
    /// Entries evicted because the journal was full (oldest first).
    pub dropped: u64,
    /// The accounted size of every entry kept, in bytes.
    #[serde(default)]
    pub bytes: usize,
    /// The journal's byte budget.
    #[serde(default)]
    pub budget_bytes: usize,
    /// The entries asked for, by `seq`.
    pub entries: Vec<JournalEntry>,
}

fn lock(shard: &Mutex<Shard>) -> std::sync::MutexGuard<'_, Shard> {
    shard.lock().unwrap_or_else(|e| e.into_inner())
}

impl Journal {
    /// A journal keeping at most about `capacity` entries and at most `budget_bytes` bytes of
    /// them (at least [`MIN_JOURNAL_BYTES`]), evicting the oldest of a shard.
    pub(crate) fn new(capacity: usize, budget_bytes: usize) -> Self {
        Journal {
            next_seq: AtomicU64::new(1),
            dropped: AtomicU64::new(0),
            per_shard: capacity.div_ceil(SHARDS).max(1),
            per_shard_bytes: budget_bytes.max(MIN_JOURNAL_BYTES) / SHARDS,
            shards: (0..SHARDS).map(|_| Mutex::default()).collect(),
        }
    }

    /// The sequence number for a request that just arrived.
    pub(crate) fn next_seq(&self) -> u64 {
        self.next_seq.fetch_add(1, Ordering::Relaxed)
    }

    pub(crate) fn append(&self, mut entry: JournalEntry) {
        let cost = entry.fit();
        let seq = entry.seq;
        let shard = &self.shards[usize::try_from(seq).unwrap_or(0) & (SHARDS - 1)];
        let mut shard = lock(shard);
        while !shard.entries.is_empty()
            && (shard.entries.len() >= self.per_shard || shard.bytes + cost > self.per_shard_bytes)
        {
            if let Some((old, _)) = shard.entries.pop_front() {
                shard.bytes -= old;
            }
            self.dropped.fetch_add(1, Ordering::Relaxed);
        }
        // Entries arrive nearly in `seq` order (a slow request is journaled when answered).
        let at = shard
            .entries
            .iter()
            .rposition(|(_, e)| e.seq < seq)
            .map_or(0, |i| i + 1);
        shard.entries.insert(at, (cost, Arc::new(entry)));
        shard.bytes += cost;
    }

    /// The size and budget.
    pub(crate) fn stats(&self) -> JournalStats {
        let (mut entries, mut bytes) = (0, 0);
        for shard in self.shards.iter() {
            let shard = lock(shard);
            entries += shard.entries.len();
            bytes += shard.bytes;
        }
        JournalStats {
            entries,
            bytes,
            budget_bytes: self.per_shard_bytes * SHARDS,
            dropped: self.dropped.load(Ordering::Relaxed),
        }
    }

    /// Entries with `seq > since` (all with 0), optionally only of `action`, by `seq`: shared,
    /// not copied.
    pub(crate) fn select(&self, since: u64, action: Option<&str>) -> Vec<Arc<JournalEntry>> {
        let mut entries = Vec::new();
        for shard in self.shards.iter() {
            let shard = lock(shard);
            entries.extend(
                shard
                    .entries
                    .iter()
                    .map(|(_, e)| e)
                    .filter(|e| e.seq > since)
                    .filter(|e| action.is_none_or(|a| e.action.as_deref() == Some(a)))
                    .cloned(),
            );
        }
        entries.sort_unstable_by_key(|e| e.seq);
        entries
    }

    /// Entries with `seq > since`, optionally only of `action`, copied, by `seq`.
    pub(crate) fn page(&self, since: u64, action: Option<&str>) -> JournalPage {
        let stats = self.stats();
        JournalPage {
            dropped: stats.dropped,
            bytes: stats.bytes,
            budget_bytes: stats.budget_bytes,
            entries: self
                .select(since, action)
                .into_iter()
                .map(|e| JournalEntry::clone(&e))
                .collect(),
        }
    }

    /// `GET /_mock/journal`'s body: a [`JournalPage`] as JSON, written entry by entry as the
    /// client reads it.
    pub(crate) fn stream(&self, since: u64, action: Option<&str>) -> JournalStream {
        let entries = self.select(since, action);
        let stats = self.stats();
        let head = format!(
            r#"{{"dropped":{},"bytes":{},"budget_bytes":{},"entries":["#,
            stats.dropped, stats.bytes, stats.budget_bytes
        );
        JournalStream {
            head: Some(Bytes::from(head)),
            entries: entries.into_iter(),
            first: true,
            done: false,
        }
    }

    /// Forgets every entry and frees the shards' memory (sequence numbers keep counting, so
    /// `since` stays meaningful). Entries a stream is still writing are freed when it is done.
    pub(crate) fn clear(&self) {
        for shard in self.shards.iter() {
            *lock(shard) = Shard::default();
        }
        self.dropped.store(0, Ordering::Relaxed);
    }
}

/// About this many bytes of JSON per frame of a streamed journal.
const CHUNK_BYTES: usize = 64 * 1024;

/// The journal as a JSON body, serialized a chunk at a time; each entry is let go once written.
#[derive(Debug)]
pub(crate) struct JournalStream {
    head: Option<Bytes>,
    entries: std::vec::IntoIter<Arc<JournalEntry>>,
    first: bool,
    done: bool,
}

impl Body for JournalStream {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let this = self.get_mut();
        if let Some(head) = this.head.take() {
            return Poll::Ready(Some(Ok(Frame::data(head))));
        }
        if this.done {
            return Poll::Ready(None);
        }
        let mut chunk = Vec::with_capacity(CHUNK_BYTES + MAX_ENTRY_BYTES);
        while chunk.len() < CHUNK_BYTES {
            let Some(entry) = this.entries.next() else {
                chunk.extend_from_slice(b"]}");
                this.done = true;
                break;
            };
            if !std::mem::take(&mut this.first) {
                chunk.push(b',');
            }
            // Serializing plain strings and numbers into a Vec cannot fail.
            let _ = serde_json::to_writer(&mut chunk, &*entry);
        }
        Poll::Ready(Some(Ok(Frame::data(Bytes::from(chunk)))))
    }

    fn is_end_stream(&self) -> bool {
        self.done && self.head.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(seq: u64, params: usize, value_bytes: usize) -> JournalEntry {
        let mut kept = KeptParams::default();
        let value = "v".repeat(value_bytes);
        for i in 0..params {
            kept.push(&format!("P{i}"), &value);
        }
        JournalEntry {
            seq,
            time_ms: 0,
            method: "POST".into(),
            action: Some("A".repeat(10_000)),
            scheme: None,
            access_key_id: None,
            nonce: None,
            params: kept.params,
            params_total: kept.total,
            body_bytes: (params * (value_bytes + 8)) as u64,
            truncated: kept.truncated,
            code: None,
            http_status: None,
            request_id: None,
            fault: None,
            warnings: vec!["w".repeat(1_000); 100],
            call_id: None,
        }
    }

    #[test]
    fn a_huge_request_costs_at_most_one_entry_budget_and_keeps_its_sizes() {
        let mut big = entry(1, 100_000, 20);
        assert_eq!(big.params_total, 100_000);
        assert!(big.truncated);
        let cost = big.fit();
        assert!(cost <= MAX_ENTRY_BYTES, "{cost}");
        assert_eq!(big.action.as_ref().map(String::len), Some(MAX_TEXT_BYTES));
        assert_eq!(big.warnings.len(), MAX_WARNINGS);
        assert_eq!(big.warnings.last().unwrap(), "… and 81 more warnings");

        let mut long = entry(2, 1, 2_600_000);
        long.fit();
        let (_, value) = &long.params[0];
        assert!(value.starts_with("vvvv") && value.ends_with("…[2600000 bytes]"));
        assert_eq!(value.len(), MAX_VALUE_BYTES + "…[2600000 bytes]".len());
        assert!(long.truncated && long.params_total == 1);
    }

    #[test]
    fn the_journal_stays_within_its_byte_budget_evicting_the_oldest() {
        let journal = Journal::new(1_000_000, MIN_JOURNAL_BYTES);
        for _ in 0..500 {
            let seq = journal.next_seq();
            journal.append(entry(seq, 10_000, 20));
            let stats = journal.stats();
            assert!(stats.bytes <= stats.budget_bytes, "{stats:?}");
        }
        let stats = journal.stats();
        assert!(stats.dropped > 0 && stats.entries > 0, "{stats:?}");
        let kept = journal.select(0, None);
        // The newest are kept, in order.
        assert_eq!(kept.last().unwrap().seq, 500);
        assert!(kept.windows(2).all(|w| w[0].seq < w[1].seq));
        assert!(kept.iter().all(|e| e.params_total == 10_000 && e.truncated));
        journal.clear();
        assert_eq!(journal.stats().bytes, 0);
    }

    #[test]
    fn late_entries_take_their_place_by_seq() {
        let journal = Journal::new(100, MIN_JOURNAL_BYTES);
        for seq in [1, 17, 33, 49] {
            journal.append(entry(seq, 1, 1));
        }
        journal.append(entry(25, 1, 1));
        let seqs: Vec<u64> = journal.select(0, None).iter().map(|e| e.seq).collect();
        assert_eq!(seqs, [1, 17, 25, 33, 49]);
    }

    #[test]
    fn the_stream_is_the_page_as_json() {
        let journal = Journal::new(100, MIN_JOURNAL_BYTES);
        for _ in 0..40 {
            let seq = journal.next_seq();
            journal.append(entry(seq, 3, 10));
        }
        let mut stream = journal.stream(5, None);
        let mut json = Vec::new();
        let waker = std::task::Waker::noop();
        let mut cx = Context::from_waker(waker);
        while let Poll::Ready(Some(Ok(frame))) = Pin::new(&mut stream).poll_frame(&mut cx) {
            json.extend_from_slice(&frame.into_data().unwrap());
        }
        assert!(stream.is_end_stream());
        let page: JournalPage = serde_json::from_slice(&json).unwrap();
        assert_eq!(page, journal.page(5, None));
        assert_eq!(page.entries.len(), 35);
    }
}
