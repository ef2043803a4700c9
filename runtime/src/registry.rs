//! Type-erased entry points to a generated client's actions, so one tool (a command line, a mock
//! server, a test over every action) can serve all of them by name.

use serde::de::DeserializeOwned;

use crate::action::ActionMeta;
use crate::call_receipt::CallReceipt;
use crate::decode::{DecodeError, Format, FromJson, ToJson};
use crate::params::RpcParams;
use crate::pricing::PriceBook;
use crate::receipts::Batch;
use crate::validation::{Validate, ValidationErrors};

/// [`ActionEntry::parse_params`]: wire params in; re-encoded params (when readable) and every
/// problem out.
pub type ParseParams = fn(&[(&str, &str)]) -> (Option<Vec<(String, String)>>, ValidationErrors);

/// [`ActionEntry::decode_response`]: a body in; the typed response as JSON out.
pub type DecodeResponse = fn(Format, &str) -> Result<serde_json::Value, DecodeError>;

/// [`ReceiptEntry::parse_batch`]: a push body in; its records, typed and written back as JSON,
/// and the records that did not decode, out.
pub type ParseReceipts = fn(&str) -> Result<Batch<serde_json::Value>, DecodeError>;

/// A whole generated API: what a command line or a mock server serves.
#[derive(Debug, Clone, Copy)]
pub struct Api {
    /// The product code (`Dyvmsapi`).
    pub product: &'static str,
    /// The API version (`2017-05-25`), sent as `Version` / `x-acs-version`.
    pub version: &'static str,
    /// The default endpoint host (`dyvmsapi.aliyuncs.com`).
    pub endpoint: &'static str,
    /// Every action, in name order.
    pub actions: &'static [ActionEntry],
    /// Every receipt (callback) message, in name order.
    pub receipts: &'static [ReceiptEntry],
    /// The price list, when the spec has one: what `dyvms cost` prices with.
    pub pricing: Option<&'static PriceBook>,
}

impl Api {
    /// The action called `name` (exact, case-sensitive, as on the wire).
    pub fn action(&self, name: &str) -> Option<&'static ActionEntry> {
        self.actions
            .binary_search_by(|a| a.meta.name.cmp(name))
            .ok()
            .map(|i| &self.actions[i])
    }

    /// The receipt message called `name` (exact, as the service names it: `VoiceReport`).
    pub fn receipt(&self, name: &str) -> Option<&'static ReceiptEntry> {
        self.receipts
            .binary_search_by(|r| r.name.cmp(name))
            .ok()
            .map(|i| &self.receipts[i])
    }
}

/// One receipt (callback) message of a generated client.
#[derive(Debug, Clone, Copy)]
pub struct ReceiptEntry {
    /// The message's name (`VoiceReport`).
    pub name: &'static str,
    /// One-line summary (English).
    pub summary: &'static str,
    /// Parses one push of records with the generated record type (tolerant, like
    /// `dyvmsapi::receipts::parse_voice_report_batch`) and writes each record back as JSON.
    pub parse_batch: ParseReceipts,
    /// How the message reports a call an action placed (which field carries the call ID, the
    /// outcome, the times; which status codes), when the spec says: what a mock writes records
    /// from and a receiver links them by.
    pub call: Option<&'static CallReceipt>,
}

/// One action of a generated client.
#[derive(Debug, Clone, Copy)]
pub struct ActionEntry {
    /// Name, success code, retry safety, QPS, callee limits.
    pub meta: &'static ActionMeta,
    /// One-line summary (English).
    pub summary: &'static str,
    /// Every action param, in spec order: what `describe` shows.
    pub params: &'static [ParamDoc],
    /// Each cross-field rule in words (`required if (a warning): StartTtsParams is required
    /// when …`; a repeated param's rules prefixed with its pattern, `MenuKeyMap.N: …`), as
    /// `popgen_spec::describe::rule` writes them: what `describe` shows besides the params.
    pub rules: &'static [&'static str],
    /// The reference's example requests, each with the success body a server answers.
    pub examples: &'static [Example],
    /// The success body to answer with (compact JSON, shaped by the response schema): the
    /// reference's JSON example when it has one, else its XML example as JSON, else a body built
    /// from the response fields' examples.
    pub success_body: &'static str,
    /// The largest the action's params can be on the wire, form-encoded (`Name=value&…`), under
    /// the spec's limits, each value at its worst encoding; `None` when the spec leaves a param
    /// unbounded (a string without a length, a list without `max_items`). What a server must
    /// accept from a legitimate request, besides the common params.
    pub max_params_bytes: Option<u64>,
    /// Parses wire params into the request type, validates it, and encodes it again: the
    /// params as the client would send them (when every field could be read) and every
    /// problem (parse errors and validation violations, warnings included).
    pub parse_params: ParseParams,
    /// Whether a wire param of the request holds a `sensitive` value (`CalledNumber`,
    /// `Menu.1.Code`): the request type's [`RpcParams::is_sensitive_param`], for servers and tools
    /// that must not show it.
    pub is_sensitive_param: fn(&str) -> bool,
    /// The receipt messages a call of this action causes (names of [`Api::receipts`]), as
    /// the spec lists them, each with the condition on the request it is sent under, if any.
    pub receipts: &'static [ActionReceipt],
    /// Decodes a response body into the typed response and serializes it back to JSON (what a
    /// client shows to a user).
    pub decode_response: DecodeResponse,
}

/// A receipt message an action causes ([`ActionEntry::receipts`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionReceipt {
    /// The message's name (a name of [`Api::receipts`]).
    pub message: &'static str,
    /// Sent only about calls whose request met this condition; `None`: about every call.
    pub when: Option<ParamEquals>,
}

impl ActionReceipt {
    /// A message sent about every call.
    pub const fn always(message: &'static str) -> Self {
        ActionReceipt {
            message,
            when: None,
        }
    }

    /// A message sent only about calls whose request carried `param` with the value `equals`.
    pub const fn only_when(
        message: &'static str,
        param: &'static str,
        equals: &'static str,
    ) -> Self {
        ActionReceipt {
            message,
            when: Some(ParamEquals { param, equals }),
        }
    }

    /// Whether the message is sent about a call whose request carried `params` (wire name,
    /// value pairs, as the client sends them: a server re-encodes what it received through the
    /// request type first, [`ActionEntry::parse_params`], so `True` reads as `true`).
    ///
    /// ```
    /// use popgen_runtime::registry::{ActionReceipt, ParamEquals};
    /// let recording = ActionReceipt::only_when("VoiceRecordReport", "RecordFlag", "true");
    /// assert_eq!(
    ///     recording.when,
    ///     Some(ParamEquals { param: "RecordFlag", equals: "true" })
    /// );
    /// assert!(ActionReceipt::always("VoiceReport").sent_for(&[]));
    /// assert!(recording.sent_for(&[("RecordFlag", "true")]));
    /// assert!(!recording.sent_for(&[("RecordFlag", "false")]));
    /// assert!(!recording.sent_for(&[]), "a param left out does not meet the condition");
    /// ```
    pub fn sent_for(&self, params: &[(&str, &str)]) -> bool {
        self.when
            .is_none_or(|w| params.iter().any(|(k, v)| *k == w.param && *v == w.equals))
    }
}

/// A condition on a request: the param `param` was sent with the value `equals`, as the client
/// writes it on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamEquals {
    /// The param's wire name (`RecordFlag`).
    pub param: &'static str,
    /// The value as the request carries it (`true`).
    pub equals: &'static str,
}

/// One param of an action, for people: `dyvms describe` and error messages.
#[derive(Debug, Clone, Copy)]
pub struct ParamDoc {
    /// Wire name; repeated params in their pattern form (`MenuKeyMap.N.Key`).
    pub name: &'static str,
    /// The spec type (`string`, `integer`, `boolean`, `json`, ...).
    pub type_name: &'static str,
    /// Whether the request must carry it.
    pub required: bool,
    /// Whether its value is redacted in logs and errors.
    pub sensitive: bool,
    /// Each constraint in words (`1 to 3`, `1 to 15 bytes`, `one of: 0, 1`).
    pub constraints: &'static [&'static str],
    /// The value the service uses when the param is not sent, in its wire form.
    pub default: Option<&'static str>,
    /// What it is (English).
    pub description: &'static str,
}

/// An example request of the reference.
#[derive(Debug, Clone, Copy)]
pub struct Example {
    /// Action params (wire name, value), common params omitted, in wire-name order.
    pub params: &'static [(&'static str, &'static str)],
}

/// [`ActionEntry::parse_params`] for request type `R`.
pub fn parse_params<R: RpcParams + Validate>(
    pairs: &[(&str, &str)],
) -> (Option<Vec<(String, String)>>, ValidationErrors) {
    let (value, mut report) = R::from_params_report(pairs);
    let Some(value) = value else {
        return (None, report);
    };
    // `from_params_report` already ran the field rules; cross-field rules run in `Validate`.
    for v in value.report().into_violations() {
        if !report.violations().contains(&v) {
            report.push(v);
        }
    }
    (Some(value.to_owned_params()), report)
}

/// [`ActionEntry::decode_response`] for response type `T`.
pub fn decode_response<T: FromJson + ToJson>(
    format: Format,
    body: &str,
) -> Result<serde_json::Value, DecodeError> {
    crate::decode::from_body::<T>(format, body).map(|typed| typed.to_json())
}

/// [`ReceiptEntry::parse_batch`] for record type `T`.
pub fn parse_receipts<T: DeserializeOwned + ToJson>(
    body: &str,
) -> Result<Batch<serde_json::Value>, DecodeError> {
    let batch = crate::receipts::parse_batch::<T>(body)?;
    Ok(Batch {
        records: batch.records.iter().map(ToJson::to_json).collect(),
        rejected: batch.rejected,
        test: batch.test,
    })
}
