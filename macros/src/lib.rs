//! Derive macros for popgen request and response types: `Validate`, `RpcParams`, `WireEnum`,
//! `RedactedDebug`, and `FromJson` / `ToJson` (response types, read leniently from JSON or XML).
//!
//! `popgen generate` puts these derives on every request struct it writes, and you can put them on
//! your own types. `Validate` and `RpcParams` read the same `#[popgen(...)]` attributes; the code
//! they emit only calls functions of [`popgen_runtime`](../popgen_runtime/index.html) (rules in
//! `popgen_runtime::rules`, the report in `popgen_runtime::validation`, wire pairs in
//! `popgen_runtime::params`), by absolute paths.
//!
//! Every method they emit is `#[inline]`: machine code for it is generated only in the crates
//! that call it, so a crate of hundreds of derived types compiles quickly and a program pays the
//! code generation only for the types it uses.
//!
//! ```
//! use popgen_macros::{RedactedDebug, RpcParams, Validate, WireEnum};
//! use popgen_runtime::params::RpcParams as _;
//! use popgen_runtime::validation::Validate as _;
//!
//! #[derive(Clone, PartialEq, RedactedDebug, Validate, RpcParams)]
//! struct SingleCallByTts {
//!     #[popgen(wire = "CalledNumber", sensitive, length(min = 11, max = 12, unit = bytes))]
//!     called_number: String,
//!     #[popgen(wire = "PlayTimes", range(min = 1, max = 3))]
//!     play_times: Option<i64>,
//! }
//!
//! let call = SingleCallByTts { called_number: "138".into(), play_times: Some(5) };
//! assert_eq!(
//!     call.validate().unwrap_err().to_string(),
//!     "CalledNumber: length must be 11–12 bytes, got 3 bytes\n\
//!      PlayTimes: must be between 1 and 3, got 5",
//! );
//! assert_eq!(format!("{call:?}"), r#"SingleCallByTts { called_number: ***, play_times: Some(5) }"#);
//! let pairs = call.to_owned_params();
//! assert_eq!(pairs, [("CalledNumber".into(), "138".into()), ("PlayTimes".into(), "5".into())]);
//! ```
//!
//! # Field attributes
//!
//! A plain field is a required parameter; an `Option<T>` field is optional and left off the wire
//! when `None`. Every rule checks the value inside the `Option`. Validation reports every
//! violation, with its wire path (`MenuKeyMap.2.Code`), never only the first.
//!
//! | attribute | field type | meaning |
//! |---|---|---|
//! | `wire = "Name"` | any | the wire name; required on every field (except `skip`) |
//! | `sensitive` | any | the value is shown as `***` in violations and by `RedactedDebug` |
//! | `range(min = A, max = B)` | integers, `f32`, `f64` | inclusive range; `min`, `max` or both |
//! | `fallback` | with `range` | out of range is a *warning*: the service falls back to its default |
//! | `length(min = A, max = B, unit = bytes)` | `String` | length in UTF-8 bytes (`"张三"` is 6) |
//! | `length(min = A, max = B, unit = chars)` | `String` | length in characters (`"张三"` is 2) |
//! | `one_of("1", "2", "3")` | `String` | one of these strings |
//! | `fixed = "2017-05-25"` | `String` | exactly this string |
//! | `pattern = "^TTS_[0-9]+$"` | `String` | matches the regex (checked at compile time) |
//! | `datetime = "yyyy-MM-dd HH:mm:ss"` | `String` | a date-time in that Java-style format; `yyyy MM dd HH mm ss SSS`, quoted `'T'` |
//! | `unix_millis` | `i64` | Unix time in milliseconds, 2000-01-01 to 2100-01-01 |
//! | `json` | serde type | carried as compact JSON text; a value with no JSON text (a map with non-string keys) is a `json` violation and is left off the wire |
//! | `json, length(min = A, max = B, unit = bytes \| chars)` | serde type | the length of that JSON text, exactly as sent (`{"name":"张三"}` is 17 bytes, 13 characters) |
//! | `json` / `json(object)` / `json(array)` | `String` | the text is JSON / a JSON object / a JSON array |
//! | `list(separator = ",", max_items = N, item(...))` | `String`, `Vec<String>` | separated list; `item(...)` takes `length`, `one_of`, `fixed`, `pattern`, `datetime` |
//! | `repeated` | `Vec<Struct>` / `Vec<scalar>` | flattened 1-based: `Wire.1.Key`, `Wire.2.Key` / `Wire.1`; each element validated |
//! | `items(min = A, max = B)` | with `repeated` | the number of elements; `min = 1` for a required list (none sends nothing: `is required: 1–10 elements, got none`) |
//! | `items(optional, min = A, max = B)` | with `repeated` | no element at all (the parameter left out) is fine; otherwise `min` to `max` |
//! | `nested` | struct | flattened `Wire.Key`; validated at `Wire.…` |
//! | `known` | a `WireEnum` | the value is a variant this version knows, not one kept by `#[popgen(other)]`: `one of: ...` (an error; `fallback` does not apply) |
//! | `skip` | any (`Default`) | not a parameter, not validated |
//!
//! A field whose type derives [`WireEnum`] needs no rule: its membership is its type, and parsing
//! an unknown string is a `one of: ...` violation. An enum with an `#[popgen(other)]` variant
//! parses any string; add `known` to such a field to make an unknown one the same `one of: ...`
//! violation, both when validating and when parsing (which then still keeps the value).
//!
//! # Container attribute
//!
//! | attribute | meaning |
//! |---|---|
//! | `#[popgen(rule = path::to_fn)]` | cross-field rule `fn(&Self, &Path<'_>, &mut Report)`, run after the field rules; repeatable |
//!
//! # What `RpcParams` defines besides the trait
//!
//! - One associated constant per field on the wire, named after the field in upper case, holding
//!   its wire name: `Call::CALLED_NUMBER == "CalledNumber"` (`r#type` gives `TYPE`). Code that
//!   names a param — a cross-field rule, action metadata, a log — uses the constant, so the wire
//!   name is written once, in the attribute.
//! - `RpcParams::is_sensitive_param(name)`: whether the wire param `name` (`CalledNumber`,
//!   `Menu.2.Code`) holds a `sensitive` value, for servers and tools that see only wire names.
//!
//! ```
//! # use popgen_macros::RpcParams; use popgen_runtime::params::RpcParams as _;
//! #[derive(RpcParams)]
//! struct Call {
//!     #[popgen(wire = "CalledNumber", sensitive)]
//!     called_number: String,
//!     #[popgen(wire = "OutId")]
//!     out_id: Option<String>,
//! }
//! assert_eq!(Call::OUT_ID, "OutId");
//! assert!(Call::is_sensitive_param(Call::CALLED_NUMBER));
//! assert!(!Call::is_sensitive_param("OutId"));
//! ```
//!
//! # `WireEnum` variant attributes
//!
//! | attribute | meaning |
//! |---|---|
//! | `#[popgen(wire = "RUNNING")]` | the variant's wire string; required on unit variants |
//! | `#[popgen(other)]` | on one `Unknown(String)` variant: keeps strings this version does not know |
//!
//! # `Debug`
//!
//! `Validate` and `RpcParams` never implement `Debug`. Derive [`RedactedDebug`] instead of `Debug`
//! on a type with `sensitive` fields: it prints them as `***` (`Some(***)` when optional).
//!
//! # Examples, one per rule
//!
//! `range`, and `fallback` turning a violation into a warning that does not fail `validate()`:
//! ```
//! # use popgen_macros::Validate; use popgen_runtime::validation::Validate as _;
//! #[derive(Validate)]
//! struct Call {
//!     #[popgen(wire = "Speed", range(min = -500, max = 500))]
//!     speed: i32,
//!     #[popgen(wire = "PauseTime", range(min = 300, max = 1200), fallback)]
//!     pause_time: Option<i32>,
//!     #[popgen(wire = "Ratio", range(max = 1.0))]
//!     ratio: f64,
//! }
//! let call = Call { speed: -501, pause_time: Some(5), ratio: 0.5 };
//! assert_eq!(call.validate().unwrap_err().to_string(),
//!     "Speed: must be between -500 and 500, got -501\n\
//!      PauseTime: must be between 300 and 1200, got 5 (warning)");
//! let call = Call { speed: 0, pause_time: Some(5), ratio: 0.5 };
//! assert!(call.validate().is_ok());
//! assert_eq!(call.report().warnings().count(), 1);
//! ```
//!
//! `length` in bytes and in characters:
//! ```
//! # use popgen_macros::Validate; use popgen_runtime::validation::Validate as _;
//! #[derive(Validate)]
//! struct Task {
//!     #[popgen(wire = "OutId", length(min = 1, max = 15, unit = bytes))]
//!     out_id: Option<String>,
//!     #[popgen(wire = "TaskName", length(max = 2, unit = chars))]
//!     task_name: String,
//! }
//! let ok = Task { out_id: Some("订单1234".into()), task_name: "张三".into() };
//! assert!(ok.validate().is_ok());
//! let bad = Task { out_id: Some("订单订单订单".into()), task_name: "张三丰".into() };
//! assert_eq!(bad.validate().unwrap_err().to_string(),
//!     "OutId: length must be 1–15 bytes, got 18 bytes\n\
//!      TaskName: length must be at most 2 characters, got 3 characters");
//! ```
//!
//! `one_of`, `fixed` and `pattern`:
//! ```
//! # use popgen_macros::Validate; use popgen_runtime::validation::Validate as _;
//! #[derive(Validate)]
//! struct Menu {
//!     #[popgen(wire = "Key", one_of("1", "2", "3"))]
//!     key: String,
//!     #[popgen(wire = "Format", fixed = "json")]
//!     format: Option<String>,
//!     #[popgen(wire = "Code", pattern = "^TTS_[0-9]+$")]
//!     code: String,
//! }
//! let bad = Menu { key: "9".into(), format: Some("xml".into()), code: "SMS_1".into() };
//! assert_eq!(bad.validate().unwrap_err().to_string(),
//!     "Key: must be one of: 1, 2, 3, got \"9\"\n\
//!      Format: must be \"json\", got \"xml\"\n\
//!      Code: must match ^TTS_[0-9]+$, got \"SMS_1\"");
//! ```
//!
//! `datetime` and `unix_millis`:
//! ```
//! # use popgen_macros::Validate; use popgen_runtime::validation::Validate as _;
//! #[derive(Validate)]
//! struct Schedule {
//!     #[popgen(wire = "StartTime", datetime = "yyyy-MM-dd HH:mm:ss")]
//!     start_time: String,
//!     #[popgen(wire = "ScheduleTime", unix_millis)]
//!     schedule_time: i64,
//! }
//! assert!(Schedule { start_time: "2024-02-29 08:00:00".into(), schedule_time: 1_700_000_000_000 }
//!     .validate().is_ok());
//! let bad = Schedule { start_time: "2023-02-29 08:00:00".into(), schedule_time: 1_700_000_000 };
//! let errors = bad.validate().unwrap_err();
//! assert_eq!(errors.violations()[0].to_string(),
//!     "StartTime: must be a date-time formatted yyyy-MM-dd HH:mm:ss \
//!      (day 29 is past the end of the month (28)), got \"2023-02-29 08:00:00\"");
//! assert_eq!(errors.violations()[1].path, "ScheduleTime");
//! ```
//!
//! `json` on a serde type (sent as compact JSON) and `json(object)` on a `String`:
//! ```
//! # use popgen_macros::{RpcParams, Validate}; use popgen_runtime::{params::RpcParams as _, validation::Validate as _};
//! use std::collections::BTreeMap;
//! #[derive(Validate, RpcParams)]
//! struct Tts {
//!     #[popgen(wire = "TtsParam", json)]
//!     tts_param: Option<BTreeMap<String, String>>,
//!     #[popgen(wire = "Extra", json(object))]
//!     extra: Option<String>,
//! }
//! let tts = Tts { tts_param: Some(BTreeMap::from([("name".into(), "张三".into())])), extra: Some("[1]".into()) };
//! assert_eq!(tts.to_params()[0].1, r#"{"name":"张三"}"#);
//! assert_eq!(tts.validate().unwrap_err().to_string(),
//!     "Extra: must be a JSON object (found an array), got \"[1]\"");
//! ```
//!
//! `json, length` measures the JSON text that goes on the wire, and shows it in the violation:
//! ```
//! # use popgen_macros::{RpcParams, Validate}; use popgen_runtime::{params::RpcParams as _, validation::Validate as _};
//! use std::collections::BTreeMap;
//! #[derive(Validate, RpcParams)]
//! struct Tts {
//!     #[popgen(wire = "TtsParam", json, length(max = 16, unit = bytes))]
//!     tts_param: Option<BTreeMap<String, String>>,
//!     #[popgen(wire = "Slots", json)]
//!     slots: BTreeMap<(u8, u8), String>,
//! }
//! let name = |n: &str| Some(BTreeMap::from([("name".to_owned(), n.to_owned())]));
//! let ok = Tts { tts_param: name("Zhang"), slots: BTreeMap::new() };
//! assert!(ok.validate().is_ok());
//! assert_eq!(ok.to_params()[0].1, r#"{"name":"Zhang"}"#); // 16 bytes
//! let bad = Tts { tts_param: name("张三"), slots: BTreeMap::from([((1, 2), "x".into())]) };
//! assert_eq!(bad.validate().unwrap_err().to_string(),
//!     "TtsParam: length must be at most 16 bytes, got 17 bytes\n\
//!      Slots: must be a JSON text (key must be a string)");
//! assert_eq!(bad.report().violations()[0].value.as_deref(), Some(r#"{"name":"张三"}"#));
//! // A value with no JSON text is left off the wire (and reported by validation).
//! assert_eq!(bad.to_params().len(), 1);
//! ```
//!
//! `known` on a `WireEnum` that keeps unknown strings:
//! ```
//! # use popgen_macros::{RpcParams, Validate, WireEnum}; use popgen_runtime::{params::RpcParams as _, validation::Validate as _};
//! #[derive(Debug, Clone, PartialEq, WireEnum)]
//! enum TaskStatus {
//!     #[popgen(wire = "RUNNING")]
//!     Running,
//!     #[popgen(wire = "STOP")]
//!     Stop,
//!     #[popgen(other)]
//!     Unknown(String),
//! }
//! #[derive(Debug, PartialEq, Validate, RpcParams)]
//! struct Task {
//!     #[popgen(wire = "Status", known)]
//!     status: TaskStatus,
//!     #[popgen(wire = "Seen")]
//!     seen: Option<TaskStatus>,
//! }
//! let task = Task { status: TaskStatus::Unknown("PAUSED".into()), seen: Some(TaskStatus::Unknown("NEW".into())) };
//! assert_eq!(task.validate().unwrap_err().to_string(),
//!     "Status: must be one of: RUNNING, STOP, got \"PAUSED\"");
//! let (parsed, report) = Task::from_params_report(&[("Status", "PAUSED"), ("Seen", "NEW")]);
//! assert_eq!(report.to_string(), "Status: must be one of: RUNNING, STOP, got \"PAUSED\"");
//! assert_eq!(parsed, Some(task));
//! ```
//!
//! `list` with an item rule, on a `String` and on a `Vec<String>` (joined on the wire):
//! ```
//! # use popgen_macros::{RpcParams, Validate}; use popgen_runtime::{params::RpcParams as _, validation::Validate as _};
//! #[derive(Validate, RpcParams)]
//! struct Batch {
//!     #[popgen(wire = "Numbers", list(separator = ",", max_items = 2, item(length(min = 11, max = 11, unit = bytes), pattern = "^[0-9]+$")))]
//!     numbers: String,
//!     #[popgen(wire = "Tags", list(separator = ";", item(one_of("a", "b"))))]
//!     tags: Vec<String>,
//! }
//! let batch = Batch { numbers: "13800000000,1380000000x".into(), tags: vec!["a".into(), "c".into()] };
//! assert_eq!(batch.validate().unwrap_err().to_string(),
//!     "Numbers[2]: must match ^[0-9]+$, got \"1380000000x\"\n\
//!      Tags[2]: must be one of: a, b, got \"c\"");
//! assert_eq!(batch.to_params()[1].1, "a;c");
//! ```
//!
//! `repeated` (1-based, each element validated) and `nested`:
//! ```
//! # use popgen_macros::{RpcParams, Validate}; use popgen_runtime::{params::RpcParams as _, validation::Validate as _};
//! #[derive(Validate, RpcParams)]
//! struct MenuKeyMap {
//!     #[popgen(wire = "Key", one_of("1", "2"))]
//!     key: String,
//!     #[popgen(wire = "Code")]
//!     code: String,
//! }
//! #[derive(Validate, RpcParams)]
//! struct Ivr {
//!     #[popgen(wire = "MenuKeyMap", repeated, items(min = 1, max = 15))]
//!     menu_key_map: Vec<MenuKeyMap>,
//!     #[popgen(wire = "Default", nested)]
//!     default: Option<MenuKeyMap>,
//! }
//! let ivr = Ivr {
//!     menu_key_map: vec![
//!         MenuKeyMap { key: "1".into(), code: "a".into() },
//!         MenuKeyMap { key: "7".into(), code: "b".into() },
//!     ],
//!     default: None,
//! };
//! assert_eq!(ivr.validate().unwrap_err().violations()[0].path, "MenuKeyMap.2.Key");
//! let names: Vec<_> = ivr.to_params().into_iter().map(|(k, _)| k).collect();
//! assert_eq!(names, ["MenuKeyMap.1.Key", "MenuKeyMap.1.Code", "MenuKeyMap.2.Key", "MenuKeyMap.2.Code"]);
//! let none = Ivr { menu_key_map: vec![], default: None };
//! assert_eq!(none.validate().unwrap_err().to_string(), "MenuKeyMap: is required: 1–15 elements, got none");
//! ```
//!
//! A struct-level rule, `WireEnum`, and parsing wire pairs back with every problem reported:
//! ```
//! # use popgen_macros::{RpcParams, Validate, WireEnum}; use popgen_runtime::params::RpcParams as _;
//! use popgen_runtime::validation::{Path, Report};
//! #[derive(Debug, PartialEq, WireEnum)]
//! enum Status {
//!     #[popgen(wire = "RUNNING")]
//!     Running,
//!     #[popgen(wire = "STOP")]
//!     Stop,
//! }
//! fn tts_needs_params(r: &Start, path: &Path<'_>, report: &mut Report) {
//!     if r.code.starts_with("TTS_") && r.params.is_none() {
//!         report.custom(&path.field("StartTtsParams"), "is required when StartCode is a TTS template");
//!     }
//! }
//! #[derive(Debug, Validate, RpcParams)]
//! #[popgen(rule = tts_needs_params)]
//! struct Start {
//!     #[popgen(wire = "StartCode")]
//!     code: String,
//!     #[popgen(wire = "StartTtsParams")]
//!     params: Option<String>,
//!     #[popgen(wire = "Status")]
//!     status: Status,
//!     #[popgen(wire = "PlayTimes", range(min = 1, max = 3))]
//!     play_times: Option<i64>,
//! }
//! let err = Start::from_params(&[("StartCode", "TTS_1"), ("Status", "PAUSED"), ("PlayTimes", "x"), ("Volume", "1")])
//!     .unwrap_err();
//! assert_eq!(err.to_string(),
//!     "Status: must be one of: RUNNING, STOP, got \"PAUSED\"\n\
//!      PlayTimes: expected a 64-bit integer, got \"x\"\n\
//!      Volume: is not a parameter of this request");
//! let ok = Start::from_params(&[("StartCode", "TTS_1"), ("Status", "STOP"), ("StartTtsParams", "{}")]).unwrap();
//! assert_eq!(ok.status, Status::Stop);
//! let err = Start::from_params(&[("StartCode", "TTS_1"), ("Status", "STOP")]).unwrap_err();
//! assert_eq!(err.to_string(), "StartTtsParams: is required when StartCode is a TTS template");
//! ```

mod check;
mod datetime;
mod emit;
mod model;
mod syntax;
mod ty;

use proc_macro::TokenStream;
use proc_macro2::TokenStream as TokenStream2;
use quote::quote;
use syn::{DeriveInput, parse_macro_input};

/// Implements `popgen_runtime::validation::Validate` from the `#[popgen(...)]` field attributes;
/// see the [crate docs](crate) for the attribute table.
#[proc_macro_derive(Validate, attributes(popgen))]
pub fn derive_validate(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand_struct(
        &input,
        "Validate",
        emit::validate::emit,
        emit::validate::stub,
    )
    .into()
}

/// Implements `popgen_runtime::params::RpcParams`: the struct to ordered wire pairs and back;
/// see the [crate docs](crate).
#[proc_macro_derive(RpcParams, attributes(popgen))]
pub fn derive_rpc_params(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand_struct(&input, "RpcParams", emit::params::emit, emit::params::stub).into()
}

/// Implements `popgen_runtime::params::{WireEnum, ToWire, FromWire}` for a unit enum whose
/// variants carry `#[popgen(wire = "...")]`, with at most one `#[popgen(other)] Unknown(String)`.
#[proc_macro_derive(WireEnum, attributes(popgen))]
pub fn derive_wire_enum(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    match check::check_enum(&input) {
        Ok(model) => emit::wire_enum::emit(&model),
        Err(errors) => with_stub(errors, emit::wire_enum::stub(&input)),
    }
    .into()
}

/// Implements `Debug`, printing `#[popgen(sensitive)]` fields as `***`.
#[proc_macro_derive(RedactedDebug, attributes(popgen))]
pub fn derive_redacted_debug(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    emit::debug::expand(&input).into()
}

/// Implements `popgen_runtime::decode::FromJson` for a struct whose fields carry
/// `#[popgen(wire = "Name")]` (the JSON member name) or `#[popgen(skip)]`, and serde's
/// `Deserialize` through it. Every field reads its member leniently (numbers and booleans as
/// strings, one element for a list, blank for none: see `popgen_runtime::decode`); a missing
/// member is the field's `Default`; unknown members are ignored. `alias = "other"` (repeatable)
/// reads the field from another key when its `wire` key is missing (a service that spells a
/// member two ways); `ToJson` writes the `wire` key only.
///
/// ```
/// use popgen_macros::{FromJson, ToJson};
/// use popgen_runtime::decode::{self, Format};
///
/// #[derive(Debug, Default, PartialEq, FromJson, ToJson)]
/// struct Page {
///     #[popgen(wire = "Total")]
///     total: Option<i64>,
///     #[popgen(wire = "Items")]
///     items: Vec<Item>,
/// }
/// #[derive(Debug, Default, PartialEq, FromJson, ToJson)]
/// struct Item {
///     #[popgen(wire = "Id")]
///     id: Option<i64>,
/// }
///
/// let page: Page = decode::from_body(Format::Json, r#"{"Total": "2", "Items": {"Id": 7}}"#).unwrap();
/// assert_eq!(page, Page { total: Some(2), items: vec![Item { id: Some(7) }] });
/// let err = decode::from_body::<Page>(Format::Json, r#"{"Items": [{}, {"Id": true}]}"#).unwrap_err();
/// assert_eq!(err.to_string(), "Items[1].Id: expected an integer, found true");
/// assert_eq!(serde_json::to_string(&page).unwrap(), r#"{"Items":[{"Id":7}],"Total":2}"#);
/// ```
#[proc_macro_derive(FromJson, attributes(popgen))]
pub fn derive_from_json(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    match check::check_json_struct(&input, "FromJson") {
        Ok(model) => emit::json::from_json(&model),
        Err(errors) => with_stub(errors, emit::json::from_json_stub(&input)),
    }
    .into()
}

/// Implements `popgen_runtime::decode::ToJson` (fields under their `wire` names, `None` and
/// empty lists left out, `skip` fields never written) and serde's `Serialize` through it; see
/// [`FromJson`](derive@FromJson).
#[proc_macro_derive(ToJson, attributes(popgen))]
pub fn derive_to_json(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    match check::check_json_struct(&input, "ToJson") {
        Ok(model) => emit::json::to_json(&model),
        Err(errors) => with_stub(errors, emit::json::to_json_stub(&input)),
    }
    .into()
}

/// syntax -> check (-> model) -> emit; on any attribute error, every error plus a stub impl.
fn expand_struct(
    input: &DeriveInput,
    derive: &str,
    emit: fn(&model::Struct) -> TokenStream2,
    stub: fn(&DeriveInput) -> TokenStream2,
) -> TokenStream2 {
    match check::check_struct(input, derive) {
        Ok(model) => emit(&model),
        Err(errors) => with_stub(errors, stub(input)),
    }
}

fn with_stub(errors: syn::Error, stub: TokenStream2) -> TokenStream2 {
    let errors = errors.to_compile_error();
    quote!(#errors #stub)
}
