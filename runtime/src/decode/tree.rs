//! [`FromJson`] and [`ToJson`]: response types read from, and written to, a JSON tree by plain
//! functions, the lenient rules of [`lenient`](super::lenient) applied field by field.
//!
//! A body is parsed once into a [`serde_json::Value`] (XML through
//! [`xml_to_json`](super::xml_to_json)); a type then reads its fields from that tree. The code a
//! derive writes per type is one call per field into this module, not a serde visitor generic
//! over every deserializer: a generated crate with a hundred response types compiles a fraction of
//! the code. The types still implement serde's traits, by way of the tree ([`deserialize`],
//! [`serialize`]).
//!
//! ```
//! use popgen_runtime::decode::{self, Format, FromJson, Path};
//! use serde_json::Value;
//!
//! #[derive(Debug)]
//! struct Page {
//!     total: Option<i64>,
//!     names: Vec<String>,
//! }
//!
//! impl FromJson for Page {
//!     fn from_json(value: &Value, path: &Path<'_>) -> Result<Self, decode::DecodeError> {
//!         let object = decode::object(value, path)?;
//!         Ok(Page {
//!             total: decode::field(object, "Total", path)?,
//!             names: decode::field(object, "Names", path)?,
//!         })
//!     }
//! }
//!
//! let page: Page = decode::from_body(Format::Json, r#"{"Total": "12", "Names": "a"}"#).unwrap();
//! assert_eq!((page.total, page.names), (Some(12), vec!["a".to_owned()]));
//! let page: Page = decode::from_body(Format::Xml, "<R><Names>a</Names><Names>b</Names></R>").unwrap();
//! assert_eq!(page.names, ["a", "b"]);
//! let err = decode::from_body::<Page>(Format::Json, r#"{"Total": "x"}"#).unwrap_err();
//! assert_eq!(err.to_string(), r#"Total: expected an integer, found "x""#);
//! ```

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::lenient::{Found, open_enum};
use super::{DecodeError, Format, JsonText, xml_to_json};
use crate::params::WireEnum;

/// Where a value sits in the body (`Data.Total`, `called[1].rows`): a chain of borrowed
/// segments on the stack, rendered only when an error needs it.
#[derive(Debug, Clone, Copy)]
pub enum Path<'a> {
    /// The body itself (or the root of JSON text carried in a field).
    Root,
    /// A member of an object.
    Key(&'a Path<'a>, &'a str),
    /// An element of an array (0-based).
    Index(&'a Path<'a>, usize),
}

impl<'a> Path<'a> {
    /// The member `key` of the object at this path.
    pub fn key(&'a self, key: &'a str) -> Path<'a> {
        Path::Key(self, key)
    }

    /// The element `index` of the array at this path.
    pub fn index(&'a self, index: usize) -> Path<'a> {
        Path::Index(self, index)
    }

    /// The path as text, `None` at the root.
    fn render(&self) -> Option<String> {
        match self {
            Path::Root => None,
            _ => Some(self.to_string()),
        }
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Key(Path::Root, key) => f.write_str(key),
            Path::Key(parent, key) => write!(f, "{parent}.{key}"),
            Path::Index(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}

/// A type read from a JSON tree, tolerating what the service sends (see
/// [`lenient`](super::lenient) for the rules, which are the same).
///
/// Implemented for the field types of generated responses: `String`, `i32`, `i64`, `f64`,
/// `bool`, [`serde_json::Value`], every [`WireEnum`], [`JsonText<T>`], `Option<T>`, `Vec<T>`,
/// `BTreeMap<String, T>`; `derive(FromJson)` of `popgen-macros` implements it for structs.
pub trait FromJson: Sized {
    /// Reads a value that is present (not blank: see [`FromJson::is_blank`]); errors name `path`.
    fn from_json(value: &Value, path: &Path<'_>) -> Result<Self, DecodeError>;

    /// Whether `value` means "no value" where `Self` is optional or an element of a list:
    /// `null` and blank strings, except for text, where only `null` does.
    fn is_blank(value: &Value) -> bool {
        match value {
            Value::Null => true,
            Value::String(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

/// A type written as a JSON tree: what a decoded response looks like to a user (the command
/// line prints it). Absent optional fields and empty lists are left out.
pub trait ToJson {
    /// The value as JSON.
    fn to_json(&self) -> Value;

    /// Whether a field holding this value is left out of its object (`None`, an empty list).
    fn is_absent(&self) -> bool {
        false
    }
}

/// Decodes a response body of `format` into `T`: [`decode_body`](super::decode_body) for
/// [`FromJson`] types, with the same errors (field path, line and column).
pub fn from_body<T: FromJson>(format: Format, body: &str) -> Result<T, DecodeError> {
    let value = match format {
        Format::Json => super::decode_body::<Value>(format, body)?,
        Format::Xml => xml_to_json(body)?.1,
    };
    T::from_json(&value, &Path::Root).map_err(|e| e.in_format(format))
}

/// The object at `path`, for a struct's fields.
pub fn object<'v>(
    value: &'v Value,
    path: &Path<'_>,
) -> Result<&'v Map<String, Value>, DecodeError> {
    value
        .as_object()
        .ok_or_else(|| mismatch("an object", value, path))
}

/// The member `key` of `object`: `T::default()` when it is missing, else read as `T`.
pub fn field<T: FromJson + Default>(
    object: &Map<String, Value>,
    key: &str,
    path: &Path<'_>,
) -> Result<T, DecodeError> {
    field_or_alias(object, key, &[], path)
}

/// The member `key` of `object`, or when it is missing the first of `aliases` that is there
/// (another spelling the service is seen using, `konwledgeCount` / `knowledgeCount`):
/// `T::default()` when none is, else read as `T` at the key found.
///
/// ```
/// use popgen_runtime::decode::{self, Path};
/// let body: serde_json::Value = serde_json::from_str(r#"{"knowledgeCount": 2}"#).unwrap();
/// let object = decode::object(&body, &Path::Root).unwrap();
/// let n: Option<i64> = decode::field_or_alias(object, "konwledgeCount", &["knowledgeCount"], &Path::Root).unwrap();
/// assert_eq!(n, Some(2));
/// ```
pub fn field_or_alias<T: FromJson + Default>(
    object: &Map<String, Value>,
    key: &str,
    aliases: &[&str],
    path: &Path<'_>,
) -> Result<T, DecodeError> {
    match lookup(object, key, aliases) {
        None => Ok(T::default()),
        Some((k, value)) => T::from_json(value, &path.key(k)),
    }
}

/// The member `key` of `object`, else the first of `aliases` there, with the key it was found at.
fn lookup<'o, 'k>(
    object: &'o Map<String, Value>,
    key: &'k str,
    aliases: &[&'k str],
) -> Option<(&'k str, &'o Value)> {
    std::iter::once(key)
        .chain(aliases.iter().copied())
        .find_map(|k| object.get(k).map(|value| (k, value)))
}

/// A field being read by [`read_fields`]: a place that a JSON value is decoded into.
/// Implemented for every [`FromJson`] type; a derive hands each field over as `&mut dyn Slot`,
/// so the decoding of one struct is one non-generic call, not code per field.
pub trait Slot {
    /// Decodes `value` (found at `path`) into the place.
    fn read(&mut self, value: &Value, path: &Path<'_>) -> Result<(), DecodeError>;
}

impl<T: FromJson> Slot for T {
    fn read(&mut self, value: &Value, path: &Path<'_>) -> Result<(), DecodeError> {
        *self = T::from_json(value, path)?;
        Ok(())
    }
}

/// One field of a struct for [`read_fields`]: its member name, other spellings read when it is
/// missing ([`field_or_alias`]), and where its value goes.
pub struct Member<'a> {
    /// The JSON member name.
    pub key: &'static str,
    /// Other names read when `key` is missing, in order.
    pub aliases: &'static [&'static str],
    /// The field, holding its default until a member is read into it.
    pub slot: &'a mut dyn Slot,
}

/// Reads each of `members` from `object` as [`field`] and [`field_or_alias`] do (a missing
/// member leaves the field at its default; an error names the key that was read), in order,
/// stopping at the first error. What `derive(FromJson)` calls.
///
/// ```
/// use popgen_runtime::decode::{self, Member, Path};
/// let body: serde_json::Value = serde_json::from_str(r#"{"a": "3", "bee": true}"#).unwrap();
/// let object = decode::object(&body, &Path::Root).unwrap();
/// let (mut a, mut b, mut c): (Option<i64>, Option<bool>, Vec<String>) = Default::default();
/// decode::read_fields(object, &Path::Root, &mut [
///     Member { key: "a", aliases: &[], slot: &mut a },
///     Member { key: "b", aliases: &["bee"], slot: &mut b },
///     Member { key: "c", aliases: &[], slot: &mut c },
/// ]).unwrap();
/// assert_eq!((a, b, c), (Some(3), Some(true), vec![]));
/// ```
pub fn read_fields(
    object: &Map<String, Value>,
    path: &Path<'_>,
    members: &mut [Member<'_>],
) -> Result<(), DecodeError> {
    for member in members {
        if let Some((k, value)) = lookup(object, member.key, member.aliases) {
            member.slot.read(value, &path.key(k))?;
        }
    }
    Ok(())
}

/// A struct's fields as a JSON object, leaving out absent ones.
pub fn fields_to_json(fields: &[(&str, &dyn ToJson)]) -> Value {
    let mut object = Map::new();
    for (key, value) in fields {
        if !value.is_absent() {
            object.insert((*key).to_owned(), value.to_json());
        }
    }
    Value::Object(object)
}

/// `expected {what}, found {value}` at `path`.
fn mismatch(what: &str, value: &Value, path: &Path<'_>) -> DecodeError {
    DecodeError::data(
        path.render(),
        format!("expected {what}, found {}", Found::of(value)),
    )
}

/// A scalar converted by `convert`, or `expected {what}` naming what was found.
fn scalar<T>(
    value: &Value,
    path: &Path<'_>,
    what: &str,
    convert: impl FnOnce(&Found<'_>) -> Option<T>,
) -> Result<T, DecodeError> {
    convert(&Found::of(value)).ok_or_else(|| mismatch(what, value, path))
}

impl FromJson for String {
    /// A string as it is, anything else as its compact JSON text (see
    /// [`option_string`](super::option_string)).
    fn from_json(value: &Value, _: &Path<'_>) -> Result<Self, DecodeError> {
        Ok(match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
    }

    fn is_blank(value: &Value) -> bool {
        value.is_null()
    }
}

impl FromJson for i64 {
    fn from_json(value: &Value, path: &Path<'_>) -> Result<Self, DecodeError> {
        scalar(value, path, "an integer", |f| f.to_i64())
    }
}

impl FromJson for i32 {
    fn from_json(value: &Value, path: &Path<'_>) -> Result<Self, DecodeError> {
        scalar(value, path, "a 32-bit integer", |f| {
            f.to_i64().and_then(|v| i32::try_from(v).ok())
        })
    }
}

impl FromJson for f64 {
    fn from_json(value: &Value, path: &Path<'_>) -> Result<Self, DecodeError> {
        scalar(value, path, "a number", |f| f.to_f64())
    }
}

impl FromJson for bool {
    fn from_json(value: &Value, path: &Path<'_>) -> Result<Self, DecodeError> {
        scalar(value, path, "a boolean", |f| f.to_bool())
    }
}

impl FromJson for Value {
    fn from_json(value: &Value, _: &Path<'_>) -> Result<Self, DecodeError> {
        Ok(value.clone())
    }

    fn is_blank(value: &Value) -> bool {
        value.is_null()
    }
}

/// An open enum: a string, or a number or boolean read as its text (see
/// [`option_open_enum`](super::option_open_enum)).
impl<T: WireEnum> FromJson for T {
    fn from_json(value: &Value, path: &Path<'_>) -> Result<Self, DecodeError> {
        match open_enum(Found::of(value)) {
            Ok(Some(v)) => Ok(v),
            Ok(None) => Err(mismatch("a value", value, path)),
            Err(message) => Err(DecodeError::data(path.render(), message)),
        }
    }
}

impl<T: FromJson> FromJson for Option<T> {
    /// Blank (per `T`) is `None`.
    fn from_json(value: &Value, path: &Path<'_>) -> Result<Self, DecodeError> {
        if T::is_blank(value) {
            return Ok(None);
        }
        T::from_json(value, path).map(Some)
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    /// An array (blank elements skipped), a single element where an array is expected (always,
    /// from XML, when there is one), or nothing (`null`, `""`) (see
    /// [`vec_one_or_many`](super::vec_one_or_many)).
    fn from_json(value: &Value, path: &Path<'_>) -> Result<Self, DecodeError> {
        match value {
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    if !T::is_blank(item) {
                        out.push(T::from_json(item, &path.index(i))?);
                    }
                }
                Ok(out)
            }
            one if T::is_blank(one) => Ok(Vec::new()),
            one => Ok(vec![T::from_json(one, path)?]),
        }
    }
}

impl<T: FromJson> FromJson for BTreeMap<String, T> {
    /// An object of `T`s (blank members skipped).
    fn from_json(value: &Value, path: &Path<'_>) -> Result<Self, DecodeError> {
        let mut out = BTreeMap::new();
        for (key, item) in object(value, path)? {
            if !T::is_blank(item) {
                out.insert(key.clone(), T::from_json(item, &path.key(key))?);
            }
        }
        Ok(out)
    }
}

impl<T: FromJson> FromJson for JsonText<T> {
    /// JSON text in a string, or the value already decoded; inner errors are kept, not
    /// returned (see [`JsonText`]).
    fn from_json(value: &Value, _: &Path<'_>) -> Result<Self, DecodeError> {
        let read = |tree: &Value| T::from_json(tree, &Path::Root);
        Ok(match value {
            Value::String(raw) => {
                let decoded = serde_json::from_str::<Value>(raw)
                    .map_err(DecodeError::from_json)
                    .and_then(|tree| read(&tree));
                JsonText::from_parts(raw.clone(), decoded)
            }
            tree => JsonText::from_parts(tree.to_string(), read(tree)),
        })
    }
}

macro_rules! to_json_as_value {
    ($($ty:ty),*) => {$(
        impl ToJson for $ty {
            fn to_json(&self) -> Value {
                Value::from(self.clone())
            }
        }
    )*};
}

to_json_as_value!(String, i32, i64, bool, Value);

impl ToJson for f64 {
    /// A finite number; `null` otherwise, as serde_json writes it.
    fn to_json(&self) -> Value {
        serde_json::Number::from_f64(*self).map_or(Value::Null, Value::Number)
    }
}

impl<T: WireEnum> ToJson for T {
    fn to_json(&self) -> Value {
        Value::String(self.as_wire().to_owned())
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn to_json(&self) -> Value {
        self.as_ref().map_or(Value::Null, T::to_json)
    }

    fn is_absent(&self) -> bool {
        self.is_none()
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(T::to_json).collect())
    }

    fn is_absent(&self) -> bool {
        self.is_empty()
    }
}

impl<T: ToJson> ToJson for BTreeMap<String, T> {
    fn to_json(&self) -> Value {
        Value::Object(self.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
    }
}

impl<T> ToJson for JsonText<T> {
    /// The raw text, as a JSON string.
    fn to_json(&self) -> Value {
        Value::String(self.raw().to_owned())
    }
}

thread_local! {
    /// The last error [`deserialize`] turned into a serde error, so that
    /// [`decode_body`](super::decode_body) can give back its path and kind, which a serde error
    /// only carries as text.
    static LAST_ERROR: RefCell<Option<DecodeError>> = const { RefCell::new(None) };
}

/// serde's `Deserialize` for a [`FromJson`] type: the input as a [`Value`], then
/// [`FromJson::from_json`]. A failure is a custom error with the path in its message
/// (`Data.Total: expected an integer, found "x"`).
pub fn deserialize<'de, T: FromJson, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    let value = Value::deserialize(deserializer)?;
    T::from_json(&value, &Path::Root).map_err(|error| {
        let message = error.to_string();
        LAST_ERROR.with(|last| *last.borrow_mut() = Some(error));
        D::Error::custom(message)
    })
}

/// serde's `Serialize` for a [`ToJson`] type: its JSON tree (object keys in name order).
pub fn serialize<T: ToJson + ?Sized, S: Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    value.to_json().serialize(serializer)
}

/// Forgets the error [`deserialize`] last kept.
pub(super) fn clear_last_error() {
    LAST_ERROR.with(|last| last.borrow_mut().take());
}

/// The error [`deserialize`] last kept, if `error` is the serde error made from it.
pub(super) fn take_last_error(error: &serde_json::Error) -> Option<DecodeError> {
    let last = LAST_ERROR.with(|last| last.borrow_mut().take())?;
    (error.to_string() == last.to_string()).then_some(last)
}
