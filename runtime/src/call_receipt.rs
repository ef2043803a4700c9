//! How a receipt message reports a call an action placed, field by field: what a mock needs to
//! write the records the service would send, and a receiver to link records to calls. Generated
//! crates fill one [`CallReceipt`] per receipt whose spec has a `call` section
//! ([`ReceiptEntry::call`](crate::registry::ReceiptEntry::call)).

/// How a receipt message reports a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallReceipt {
    /// When records are sent.
    pub sent: ReceiptSent,
    /// Whether records are sent only about calls that were answered (a recording message).
    pub only_answered: bool,
    /// The top-level response field of the placing action whose value the record's
    /// [`CallFields::call_id`] echoes (`CallId`).
    pub call_id_from: &'static str,
    /// The UTC offset, in minutes, of the record's times (`yyyy-MM-dd HH:mm:ss`, no zone on the
    /// wire).
    pub utc_offset_minutes: i16,
    /// Which record field carries what.
    pub fields: CallFields,
    /// The status codes records carry, by call event.
    pub codes: CallCodes,
}

/// When a receipt message is sent about a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReceiptSent {
    /// A record for each state the call passes: calling, ringing, answered, ended.
    EachState,
    /// One record when the call ends: its outcome, times and duration.
    AtEnd,
}

/// A record field: its wire name, and whether it holds text (a number is then written as a
/// numeric string).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordField {
    /// The field's wire name (`duration`).
    pub name: &'static str,
    /// Whether the spec types it as a string.
    pub text: bool,
}

/// The record fields that carry each fact about a call; `None` where the message has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallFields {
    /// The call's ID.
    pub call_id: RecordField,
    /// The placing request's idempotency param (`OutId`), echoed.
    pub out_id: Option<RecordField>,
    /// The number called (the value of the action's callee-limit param).
    pub callee: Option<RecordField>,
    /// The status code of the event or outcome.
    pub status_code: Option<RecordField>,
    /// When the state happened (each-state messages).
    pub status_time: Option<RecordField>,
    /// When the call was sent to the carrier.
    pub originate_time: Option<RecordField>,
    /// When the callee's phone began ringing; empty if it never rang.
    pub ring_time: Option<RecordField>,
    /// When the callee answered; empty if unanswered.
    pub start_time: Option<RecordField>,
    /// When the call ended.
    pub end_time: Option<RecordField>,
    /// Talk time in seconds; 0 if unanswered.
    pub duration: Option<RecordField>,
    /// Where the call's recording can be downloaded (a URL).
    pub recording_url: Option<RecordField>,
    /// When recording began.
    pub recording_began: Option<RecordField>,
}

/// The status codes a message reports call events with (each list may be empty).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallCodes {
    /// The call is being placed.
    pub calling: &'static [&'static str],
    /// The callee's phone rings.
    pub ringing: &'static [&'static str],
    /// The callee answered (at the end: answered and ended normally).
    pub answered: &'static [&'static str],
    /// The call ended.
    pub ended: &'static [&'static str],
    /// The callee was reached but did not talk (busy, no answer).
    pub unanswered: &'static [&'static str],
    /// The call never rang (invalid number, unreachable, powered off).
    pub failed: &'static [&'static str],
}
