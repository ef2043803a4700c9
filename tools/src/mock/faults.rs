//! Fault injection: make the mock answer an action (or every action) badly, for the next N
//! requests or always.

use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use serde::{Deserialize, Serialize};

/// The longest a stall fault may hold a connection, whatever it asks for.
pub const MAX_STALL_MS: u64 = 10 * 60 * 1000;

/// A fault to inject. JSON (for `POST /_mock/faults`) is flat:
/// `{"action": "SingleCallByTts", "times": 1, "kind": "error", "code": "ServiceUnavailable", "status": 503}`.
///
/// ```
/// use popgen_tools::mock::{Fault, FaultKind};
/// let f = Fault::error("ServiceUnavailable", 503).on("SingleCallByTts").times(2);
/// let json = serde_json::to_value(&f).unwrap();
/// assert_eq!(json["kind"], "error");
/// assert_eq!(serde_json::from_value::<Fault>(json).unwrap(), f);
/// let stall: Fault = serde_json::from_str(r#"{"kind":"stall","ms":2000}"#).unwrap();
/// assert_eq!(stall, Fault::new(FaultKind::Stall { ms: 2000 }));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    /// The action it applies to; every action when `None`.
    #[serde(default)]
    pub action: Option<String>,
    /// How many requests it applies to; always when `None`.
    #[serde(default)]
    pub times: Option<u32>,
    /// What happens.
    #[serde(flatten)]
    pub kind: FaultKind,
}

/// What a fault does to a request. It applies once the request has passed the gateway's
/// signature, timestamp and nonce checks (so its nonce is spent, as at the real gateway).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultKind {
    /// Answer this error body instead of handling the request.
    Error {
        /// `Code`, e.g. `ServiceUnavailable`, `Throttling.User`, `isv.BUSINESS_LIMIT_CONTROL`.
        code: String,
        /// HTTP status; by default 500 for `InternalError`, 503 for `ServiceUnavailable`, else 400.
        #[serde(default)]
        status: Option<u16>,
        /// `Message`; a default names the fault.
        #[serde(default)]
        message: Option<String>,
    },
    /// Wait this long, then handle the request as usual.
    Delay {
        /// Milliseconds.
        ms: u64,
    },
    /// Read the request, never answer, and close the connection after this long (at most
    /// [`MAX_STALL_MS`]).
    Stall {
        /// Milliseconds.
        ms: u64,
    },
    /// Close the connection without answering (the request is not handled: no call placed).
    Drop,
    /// Handle the request as usual — a call-placing action places its call and its receipts
    /// are sent — then close the connection without answering: the answer lost on its way
    /// back, the case a client meets as an outcome-unknown call and resolves from receipts.
    Lost,
    /// Answer HTTP 200 with the success body cut in half.
    Malformed,
}

impl FaultKind {
    /// `error`, `delay`, `stall`, `drop`, `lost` or `malformed` (what the journal records).
    pub fn name(&self) -> &'static str {
        match self {
            FaultKind::Error { .. } => "error",
            FaultKind::Delay { .. } => "delay",
            FaultKind::Stall { .. } => "stall",
            FaultKind::Drop => "drop",
            FaultKind::Lost => "lost",
            FaultKind::Malformed => "malformed",
        }
    }
}

impl Fault {
    /// `kind` on every action, always.
    pub fn new(kind: FaultKind) -> Self {
        Fault {
            action: None,
            times: None,
            kind,
        }
    }

    /// An error answer with `code` and HTTP `status`.
    pub fn error(code: impl Into<String>, status: u16) -> Self {
        Fault::new(FaultKind::Error {
            code: code.into(),
            status: Some(status),
            message: None,
        })
    }

    /// Only for `action`.
    pub fn on(mut self, action: impl Into<String>) -> Self {
        self.action = Some(action.into());
        self
    }

    /// Only for the next `n` matching requests.
    pub fn times(mut self, n: u32) -> Self {
        self.times = Some(n);
        self
    }
}

/// A fault in force, as `GET /_mock/faults` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActiveFault {
    /// Its id (for the journal and removal).
    pub id: u64,
    /// The fault.
    pub fault: Fault,
    /// Requests it still applies to; `None` for always.
    pub remaining: Option<u32>,
}

#[derive(Debug)]
struct Slot {
    id: u64,
    fault: Fault,
    /// `u32::MAX` for always.
    remaining: AtomicU32,
}

impl Slot {
    /// Claims one use; `false` when used up.
    fn claim(&self) -> bool {
        self.remaining
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| match n {
                0 => None,
                u32::MAX => Some(u32::MAX),
                n => Some(n - 1),
            })
            .is_ok()
    }
}

/// The faults in force. Requests read them under a read lock, skipped entirely (one atomic load)
/// while there are none.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    any: AtomicBool,
    next_id: AtomicU64,
    slots: RwLock<Vec<Arc<Slot>>>,
}

impl Faults {
    pub(crate) fn add(&self, fault: Fault) -> u64 {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        let remaining = AtomicU32::new(fault.times.map_or(u32::MAX, |n| n.min(u32::MAX - 1)));
        let mut slots = self.slots.write().unwrap_or_else(|e| e.into_inner());
        slots.retain(|s| s.remaining.load(Ordering::Acquire) > 0);
        slots.push(Arc::new(Slot {
            id,
            fault,
            remaining,
        }));
        self.any.store(true, Ordering::Release);
        id
    }

    /// The first fault in force for `action` (in the order added), with one use claimed.
    pub(crate) fn take(&self, action: &str) -> Option<(u64, FaultKind)> {
        if !self.any.load(Ordering::Acquire) {
            return None;
        }
        let slots = self.slots.read().unwrap_or_else(|e| e.into_inner());
        slots
            .iter()
            .filter(|s| s.fault.action.as_deref().is_none_or(|a| a == action))
            .find(|s| s.claim())
            .map(|s| (s.id, s.fault.kind.clone()))
    }

    pub(crate) fn list(&self) -> Vec<ActiveFault> {
        let slots = self.slots.read().unwrap_or_else(|e| e.into_inner());
        slots
            .iter()
            .map(|s| (s, s.remaining.load(Ordering::Acquire)))
            .filter(|(_, n)| *n > 0)
            .map(|(s, n)| ActiveFault {
                id: s.id,
                fault: s.fault.clone(),
                remaining: (n != u32::MAX).then_some(n),
            })
            .collect()
    }

    /// Removes fault `id`; whether it was there.
    pub(crate) fn remove(&self, id: u64) -> bool {
        let mut slots = self.slots.write().unwrap_or_else(|e| e.into_inner());
        let before = slots.len();
        slots.retain(|s| s.id != id);
        self.any.store(!slots.is_empty(), Ordering::Release);
        slots.len() != before
    }

    pub(crate) fn clear(&self) {
        let mut slots = self.slots.write().unwrap_or_else(|e| e.into_inner());
        slots.clear();
        self.any.store(false, Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counted_faults_run_out_and_the_next_one_applies() {
        let faults = Faults::default();
        faults.add(Fault::new(FaultKind::Drop).on("A").times(1));
        faults.add(Fault::new(FaultKind::Malformed));
        assert_eq!(faults.take("A").map(|f| f.1), Some(FaultKind::Drop));
        assert_eq!(faults.take("A").map(|f| f.1), Some(FaultKind::Malformed));
        assert_eq!(faults.take("B").map(|f| f.1), Some(FaultKind::Malformed));
        assert_eq!(faults.list().len(), 1);
        faults.clear();
        assert_eq!(faults.take("A"), None);
    }
}
