//! The request journal: one entry per request the mock received, secrets redacted, appended
//! without a global lock (entries go to one of several shards by sequence number).

use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

/// Number of shards; a power of two so the shard is `seq & (SHARDS - 1)`.
const SHARDS: usize = 16;

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
    /// Every param that arrived (query, then form body), decoded, in arrival order; the values of
    /// `SecurityToken` and of the action's sensitive params are `***`.
    pub params: Vec<(String, String)>,
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
}

/// The journal. Readers get entries sorted by `seq`.
#[derive(Debug)]
pub(crate) struct Journal {
    next_seq: AtomicU64,
    dropped: AtomicU64,
    per_shard: usize,
    shards: Box<[Mutex<VecDeque<JournalEntry>>]>,
}

/// What `GET /_mock/journal` answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalPage {
    /// Entries evicted because the journal was full (oldest first).
    pub dropped: u64,
    /// The entries asked for, by `seq`.
    pub entries: Vec<JournalEntry>,
}

impl Journal {
    /// A journal keeping at most about `capacity` entries (evicting the oldest of a shard).
    pub(crate) fn new(capacity: usize) -> Self {
        Journal {
            next_seq: AtomicU64::new(1),
            dropped: AtomicU64::new(0),
            per_shard: capacity.div_ceil(SHARDS).max(1),
            shards: (0..SHARDS).map(|_| Mutex::new(VecDeque::new())).collect(),
        }
    }

    /// The sequence number for a request that just arrived.
    pub(crate) fn next_seq(&self) -> u64 {
        self.next_seq.fetch_add(1, Ordering::Relaxed)
    }

    pub(crate) fn append(&self, entry: JournalEntry) {
        let shard = &self.shards[usize::try_from(entry.seq).unwrap_or(0) & (SHARDS - 1)];
        let mut shard = shard.lock().unwrap_or_else(|e| e.into_inner());
        if shard.len() >= self.per_shard {
            shard.pop_front();
            self.dropped.fetch_add(1, Ordering::Relaxed);
        }
        shard.push_back(entry);
    }

    /// Entries with `seq > since` (all with 0), optionally only of `action`, by `seq`.
    pub(crate) fn page(&self, since: u64, action: Option<&str>) -> JournalPage {
        let mut entries = Vec::new();
        for shard in self.shards.iter() {
            let shard = shard.lock().unwrap_or_else(|e| e.into_inner());
            entries.extend(
                shard
                    .iter()
                    .filter(|e| e.seq > since)
                    .filter(|e| action.is_none_or(|a| e.action.as_deref() == Some(a)))
                    .cloned(),
            );
        }
        entries.sort_unstable_by_key(|e| e.seq);
        JournalPage {
            dropped: self.dropped.load(Ordering::Relaxed),
            entries,
        }
    }

    /// Forgets every entry (sequence numbers keep counting, so `since` stays meaningful).
    pub(crate) fn clear(&self) {
        for shard in self.shards.iter() {
            shard.lock().unwrap_or_else(|e| e.into_inner()).clear();
        }
        self.dropped.store(0, Ordering::Relaxed);
    }
}
