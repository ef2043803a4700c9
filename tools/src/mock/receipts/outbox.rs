//! The receipts waiting to be pushed, the batches waiting to be pushed again, and the log of
//! every push. Synchronous and free of I/O (the pusher in [`super::push`] sends); bounded: the
//! records held (waiting, in flight or waiting for a re-push) in count and bytes — a call whose
//! records do not fit is dropped with a note in the log — and the log in entries.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;

use serde::Serialize;

use super::simulate::Record;

/// After a failed push the service pushes again this long after the failure, then this long
/// after the second failure, then after the third; after a fourth failure it gives up (facts
/// §0: "1, 5 and 10 minutes later. After 3 failed re-pushes it gives up").
pub const RE_PUSH_AFTER_MS: [i64; 3] = [60_000, 5 * 60_000, 10 * 60_000];

/// Push-log entries kept (the oldest are evicted first).
pub const PUSH_LOG_CAPACITY: usize = 10_000;

/// What became of one push of a batch (or of a call's records that did not fit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PushOutcome {
    /// The receiver answered 200 with `{"code": 0}`: the records are delivered.
    Acknowledged,
    /// Anything else (another status or code, a timeout, no connection); pushed again at
    /// `next_attempt_ms`.
    Failed,
    /// The last re-push failed too: the records are given up.
    GaveUp,
    /// The queue was full: the call's records were never queued.
    Dropped,
}

/// One line of the push log (`GET /_mock/receipts`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReceiptPush {
    /// Increases by one per entry.
    pub seq: u64,
    /// Server time of the push (or of the drop), unix ms.
    pub time_ms: i64,
    /// The receipt message (`VoiceReport`).
    pub receipt: String,
    /// The batch pushed (the same on its re-pushes); 0 for a drop.
    pub batch: u64,
    /// 1 for the first push, 2 to 4 for the re-pushes; 0 for a drop.
    pub attempt: u32,
    /// Records in the batch (or dropped).
    pub records: usize,
    /// The call IDs of those records, in batch order (a call appears once per record).
    pub call_ids: Vec<String>,
    /// What became of them.
    pub outcome: PushOutcome,
    /// The receiver's HTTP status, when it answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    /// Why the push failed (no secret: the URL is not repeated).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// When the batch will be pushed again, server time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_attempt_ms: Option<i64>,
}

/// The push log's page and the queue's state (`GET /_mock/receipts`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReceiptLog {
    /// Records waiting for their time or for a slot.
    pub queued_records: usize,
    /// Records held in all (waiting, in flight, waiting for a re-push).
    pub held_records: usize,
    /// Bytes of records held.
    pub held_bytes: usize,
    /// Records dropped because the queue was full, since start (or reset).
    pub dropped_records: u64,
    /// Log entries evicted.
    pub evicted: u64,
    /// Entries after the `since` asked for, by `seq`.
    pub entries: Vec<ReceiptPush>,
}

/// Records of one receipt message pushed together.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Batch {
    pub(crate) id: u64,
    /// Index into `Api::receipts`.
    pub(crate) receipt: usize,
    pub(crate) records: Vec<Held>,
    /// Pushes made before this one.
    pub(crate) attempts: u32,
}

impl Batch {
    /// The push body: the records as a JSON array.
    pub(crate) fn body(&self) -> String {
        let mut out = String::with_capacity(self.bytes() + self.records.len() + 2);
        out.push('[');
        for (i, r) in self.records.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&r.json);
        }
        out.push(']');
        out
    }

    fn bytes(&self) -> usize {
        self.records.iter().map(|r| r.json.len()).sum()
    }
}

/// A record held until it is acknowledged or given up.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Held {
    pub(crate) json: String,
    pub(crate) call_id: String,
}

/// Limits of the outbox.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Caps {
    pub(crate) records: usize,
    pub(crate) bytes: usize,
    pub(crate) batch: usize,
}

#[derive(Debug, Default)]
struct State {
    /// Records by (due time, sequence), with their message.
    waiting: BTreeMap<(i64, u64), (usize, Held)>,
    /// Batches by (next push time, batch id).
    re_push: BTreeMap<(i64, u64), Batch>,
    held_records: usize,
    held_bytes: usize,
    next_record: u64,
    next_batch: u64,
    dropped_records: u64,
    log: VecDeque<ReceiptPush>,
    next_seq: u64,
    evicted: u64,
}

/// The outbox: see the module docs.
#[derive(Debug)]
pub(crate) struct Outbox {
    caps: Caps,
    names: Vec<&'static str>,
    state: Mutex<State>,
}

/// How a push ended, as the pusher saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pushed {
    pub(crate) acknowledged: bool,
    pub(crate) http_status: Option<u16>,
    pub(crate) error: Option<String>,
}

impl Outbox {
    /// An empty outbox for the messages `names` (indexed like `Api::receipts`).
    pub(crate) fn new(caps: Caps, names: Vec<&'static str>) -> Self {
        Outbox {
            caps,
            names,
            state: Mutex::new(State::default()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic elsewhere cannot leave the state half-changed in a way that matters more
        // than losing the mock: carry on with it.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Queues one call's records (`(message index, record)`), all or none: when they do not fit
    /// they are dropped and the log says so. Whether they were queued.
    pub(crate) fn offer(&self, call_id: &str, records: Vec<(usize, Record)>, now_ms: i64) -> bool {
        let count = records.len();
        let bytes: usize = records.iter().map(|(_, r)| r.json.len()).sum();
        let mut s = self.lock();
        if s.held_records + count > self.caps.records || s.held_bytes + bytes > self.caps.bytes {
            s.dropped_records += count as u64;
            let mut by_message: BTreeMap<usize, usize> = BTreeMap::new();
            for (m, _) in &records {
                *by_message.entry(*m).or_default() += 1;
            }
            for (m, n) in by_message {
                let entry = ReceiptPush {
                    seq: 0,
                    time_ms: now_ms,
                    receipt: self.names[m].to_owned(),
                    batch: 0,
                    attempt: 0,
                    records: n,
                    call_ids: vec![call_id.to_owned(); n.min(self.caps.batch)],
                    outcome: PushOutcome::Dropped,
                    http_status: None,
                    error: Some(format!(
                        "queue full: at most {} records and {} bytes are held",
                        self.caps.records, self.caps.bytes
                    )),
                    next_attempt_ms: None,
                };
                log(&mut s, entry);
            }
            return false;
        }
        s.held_records += count;
        s.held_bytes += bytes;
        for (m, r) in records {
            let n = s.next_record;
            s.next_record += 1;
            let held = Held {
                json: r.json,
                call_id: call_id.to_owned(),
            };
            s.waiting.insert((r.due_ms, n), (m, held));
        }
        true
    }

    /// Up to `slots` batches due at `now_ms`: re-pushes first, then waiting records of one
    /// message each, at most the batch size per batch, oldest first.
    pub(crate) fn due(&self, now_ms: i64, slots: usize) -> Vec<Batch> {
        let mut s = self.lock();
        let mut out = Vec::new();
        while out.len() < slots {
            let Some(entry) = s.re_push.first_entry() else {
                break;
            };
            if entry.key().0 > now_ms {
                break;
            }
            out.push(entry.remove());
        }
        // Due records, grouped by message in due order.
        let mut open: BTreeMap<usize, Vec<Held>> = BTreeMap::new();
        let mut full: Vec<(usize, Vec<Held>)> = Vec::new();
        while out.len() + full.len() + open.len() <= slots {
            let Some(entry) = s.waiting.first_entry() else {
                break;
            };
            if entry.key().0 > now_ms {
                break;
            }
            let m = entry.get().0;
            if !open.contains_key(&m) && out.len() + full.len() + open.len() == slots {
                break;
            }
            let (m, held) = entry.remove();
            let batch = open.entry(m).or_default();
            batch.push(held);
            if batch.len() >= self.caps.batch {
                if let Some(records) = open.remove(&m) {
                    full.push((m, records));
                }
            }
        }
        full.extend(open);
        for (receipt, records) in full {
            s.next_batch += 1;
            out.push(Batch {
                id: s.next_batch,
                receipt,
                records,
                attempts: 0,
            });
        }
        out
    }

    /// Records what a push of `batch`, made at `pushed_ms`, came to: delivered, pushed again
    /// later, or given up.
    pub(crate) fn settle(&self, mut batch: Batch, pushed_ms: i64, pushed: Pushed) {
        batch.attempts += 1;
        let mut s = self.lock();
        let retry_in = RE_PUSH_AFTER_MS
            .get(usize::try_from(batch.attempts - 1).unwrap_or(usize::MAX))
            .copied();
        let (outcome, next) = match (pushed.acknowledged, retry_in) {
            (true, _) => (PushOutcome::Acknowledged, None),
            (false, Some(after)) => (PushOutcome::Failed, Some(pushed_ms.saturating_add(after))),
            (false, None) => (PushOutcome::GaveUp, None),
        };
        let entry = ReceiptPush {
            seq: 0,
            time_ms: pushed_ms,
            receipt: self.names[batch.receipt].to_owned(),
            batch: batch.id,
            attempt: batch.attempts,
            records: batch.records.len(),
            call_ids: batch.records.iter().map(|r| r.call_id.clone()).collect(),
            outcome,
            http_status: pushed.http_status,
            error: pushed.error,
            next_attempt_ms: next,
        };
        log(&mut s, entry);
        match next {
            Some(at) => {
                s.re_push.insert((at, batch.id), batch);
            }
            None => {
                s.held_records = s.held_records.saturating_sub(batch.records.len());
                s.held_bytes = s.held_bytes.saturating_sub(batch.bytes());
            }
        }
    }

    /// The log after `since`, and the queue's state.
    pub(crate) fn page(&self, since: u64) -> ReceiptLog {
        let s = self.lock();
        ReceiptLog {
            queued_records: s.waiting.len(),
            held_records: s.held_records,
            held_bytes: s.held_bytes,
            dropped_records: s.dropped_records,
            evicted: s.evicted,
            entries: s.log.iter().filter(|e| e.seq > since).cloned().collect(),
        }
    }

    /// Forgets every record, batch and log entry (batches in flight are still settled; their
    /// records are not counted again).
    pub(crate) fn clear(&self) {
        let mut s = self.lock();
        let next_seq = s.next_seq;
        let next_batch = s.next_batch;
        *s = State {
            next_seq,
            next_batch,
            ..State::default()
        };
    }
}

fn log(s: &mut State, mut entry: ReceiptPush) {
    s.next_seq += 1;
    entry.seq = s.next_seq;
    if s.log.len() >= PUSH_LOG_CAPACITY {
        s.log.pop_front();
        s.evicted += 1;
    }
    s.log.push_back(entry);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outbox(records: usize, batch: usize) -> Outbox {
        let caps = Caps {
            records,
            bytes: 1 << 20,
            batch,
        };
        Outbox::new(caps, vec!["A", "B"])
    }

    fn rec(due_ms: i64) -> Record {
        Record {
            due_ms,
            json: format!("{{\"t\":{due_ms}}}"),
        }
    }

    #[test]
    fn records_wait_for_their_time_and_batch_per_message() {
        let o = outbox(100, 2);
        assert!(o.offer(
            "c1",
            vec![(0, rec(10)), (1, rec(20)), (0, rec(30)), (0, rec(40))],
            0
        ));
        assert!(o.due(5, 8).is_empty());
        let b = o.due(40, 8);
        let sizes: Vec<(usize, usize)> = b.iter().map(|b| (b.receipt, b.records.len())).collect();
        assert_eq!(sizes, [(0, 2), (0, 1), (1, 1)]);
        assert_eq!(b[0].body(), r#"[{"t":10},{"t":30}]"#);
    }

    #[test]
    fn failures_are_pushed_again_after_1_5_10_minutes_then_given_up() {
        let o = outbox(100, 10);
        o.offer("c1", vec![(0, rec(0))], 0);
        let failed = Pushed {
            acknowledged: false,
            http_status: Some(500),
            error: None,
        };
        let mut at = 0;
        for after in RE_PUSH_AFTER_MS {
            let batch = o.due(at, 1).pop().expect("due");
            o.settle(batch, at, failed.clone());
            assert!(o.due(at + after - 1, 1).is_empty());
            at += after;
        }
        let last = o.due(at, 1).pop().expect("the third re-push");
        assert_eq!(last.attempts, 3);
        o.settle(last, at, failed);
        let page = o.page(0);
        let outcomes: Vec<(u32, PushOutcome)> = page
            .entries
            .iter()
            .map(|e| (e.attempt, e.outcome))
            .collect();
        assert_eq!(outcomes[3], (4, PushOutcome::GaveUp));
        assert_eq!(outcomes[0], (1, PushOutcome::Failed));
        assert_eq!((page.held_records, page.held_bytes), (0, 0));
    }

    #[test]
    fn a_full_queue_drops_whole_calls_and_says_so() {
        let o = outbox(3, 10);
        assert!(o.offer("c1", vec![(0, rec(0)), (1, rec(0))], 0));
        assert!(!o.offer("c2", vec![(0, rec(0)), (1, rec(0))], 0));
        let page = o.page(0);
        assert_eq!(page.dropped_records, 2);
        assert_eq!(page.held_records, 2);
        assert!(
            page.entries
                .iter()
                .all(|e| e.outcome == PushOutcome::Dropped)
        );
        assert_eq!(page.entries.len(), 2);
    }
}
