//! `deserialize_with` helpers that accept what the service actually sends for a documented type.
//!
//! Every scalar helper is for an `Option<T>` field with `#[serde(default)]`: a missing field,
//! `null`, and (for numbers, booleans and enums) an empty or blank string are `None`. Numbers
//! and booleans also arrive as strings (always, from XML), so both are accepted; anything else is
//! an error that names what was found:
//!
//! ```
//! #[derive(Debug, serde::Deserialize)]
//! struct Page {
//!     #[serde(default, deserialize_with = "popgen_runtime::decode::option_i64")]
//!     total: Option<i64>,
//! }
//!
//! let page: Page = serde_json::from_str(r#"{"total": " 12 "}"#).unwrap();
//! assert_eq!(page.total, Some(12));
//! let page: Page = serde_json::from_str(r#"{"total": ""}"#).unwrap();
//! assert_eq!(page.total, None);
//! let err = serde_json::from_str::<Page>(r#"{"total": "abc"}"#).unwrap_err();
//! assert!(err.to_string().starts_with(r#"expected an integer, found "abc""#));
//! ```

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{
    self, DeserializeSeed, Deserializer, IgnoredAny, IntoDeserializer, MapAccess, SeqAccess,
    Visitor,
};
use serde::{Deserialize, de::Error as _};

use crate::params::WireEnum;

/// A value as the wire had it, before the documented type is applied.
pub(super) enum Found<'de> {
    Null,
    Bool(bool),
    I64(i64),
    U64(u64),
    F64(f64),
    Str(Cow<'de, str>),
    Bytes,
    Array,
    Object,
}

impl<'v> Found<'v> {
    /// What a JSON tree node is, for the same conversions and messages as the serde helpers.
    pub(super) fn of(value: &'v serde_json::Value) -> Self {
        use serde_json::Value;
        match value {
            Value::Null => Found::Null,
            Value::Bool(b) => Found::Bool(*b),
            // serde_json's `Value` deserializer visits non-negative integers as `u64`.
            Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => Found::U64(u),
                (None, Some(i), _) => Found::I64(i),
                (None, None, f) => Found::F64(f.unwrap_or(f64::NAN)),
            },
            Value::String(s) => Found::Str(Cow::Borrowed(s)),
            Value::Array(_) => Found::Array,
            Value::Object(_) => Found::Object,
        }
    }

    /// `null`, or a string with nothing but whitespace: how the service says "no value".
    pub(super) fn is_blank(&self) -> bool {
        match self {
            Found::Null => true,
            Found::Str(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The value's text, for fields documented as text: strings as they are, numbers and
    /// booleans as JSON writes them; `None` for null, arrays and objects.
    pub(super) fn text(&self) -> Option<Cow<'_, str>> {
        match self {
            Found::Str(s) => Some(Cow::Borrowed(s)),
            Found::Bool(b) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
            Found::I64(v) => Some(Cow::Owned(v.to_string())),
            Found::U64(v) => Some(Cow::Owned(v.to_string())),
            Found::F64(v) => Some(Cow::Owned(float_text(*v))),
            Found::Null | Found::Bytes | Found::Array | Found::Object => None,
        }
    }

    pub(super) fn to_i64(&self) -> Option<i64> {
        match self {
            Found::I64(v) => Some(*v),
            Found::U64(v) => i64::try_from(*v).ok(),
            Found::F64(v) => integral(*v),
            Found::Str(s) => {
                let s = s.trim();
                s.parse().ok().or_else(|| integral(s.parse().ok()?))
            }
            _ => None,
        }
    }

    pub(super) fn to_f64(&self) -> Option<f64> {
        match self {
            Found::I64(v) => Some(*v as f64),
            Found::U64(v) => Some(*v as f64),
            Found::F64(v) => Some(*v),
            // Rust also parses "inf" and "NaN", which no JSON number can be.
            Found::Str(s) => s.trim().parse().ok().filter(|v: &f64| v.is_finite()),
            _ => None,
        }
    }

    pub(super) fn to_bool(&self) -> Option<bool> {
        match self {
            Found::Bool(b) => Some(*b),
            Found::I64(0) | Found::U64(0) => Some(false),
            Found::I64(1) | Found::U64(1) => Some(true),
            Found::Str(s) => match s.trim() {
                "1" => Some(true),
                "0" => Some(false),
                t if t.eq_ignore_ascii_case("true") => Some(true),
                t if t.eq_ignore_ascii_case("false") => Some(false),
                _ => None,
            },
            _ => None,
        }
    }
}

/// A float as JSON writes it (`1.5`, `1e300`), not as Rust's `Display` does (300 digits).
fn float_text(v: f64) -> String {
    serde_json::Number::from_f64(v).map_or_else(|| v.to_string(), |n| n.to_string())
}

/// `v` as an `i64` when it is a whole number in range (`12.0` is 12).
fn integral(v: f64) -> Option<i64> {
    // 2^63 is exact as f64; every whole float in [-2^63, 2^63) fits.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    (v.fract() == 0.0 && (-LIMIT..LIMIT).contains(&v)).then_some(v as i64)
}

impl fmt::Display for Found<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = 64;
        match self {
            Found::Null => f.write_str("null"),
            Found::Str(s) if s.chars().count() > SHOWN => {
                let head: String = s.chars().take(SHOWN).collect();
                write!(f, "{head:?}... ({} characters)", s.chars().count())
            }
            Found::Str(s) => write!(f, "{s:?}"),
            Found::Bytes => f.write_str("bytes"),
            Found::Array => f.write_str("an array"),
            Found::Object => f.write_str("an object"),
            scalar => f.write_str(&scalar.text().unwrap_or_default()),
        }
    }
}

impl<'de> Deserialize<'de> for Found<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(FoundVisitor)
    }
}

struct FoundVisitor;

impl<'de> Visitor<'de> for FoundVisitor {
    type Value = Found<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Found::Null)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Found::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        Found::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Found::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Found::I64(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Found::U64(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Found::F64(v))
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Found::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Found::Str(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Found::Str(Cow::Owned(v)))
    }
    fn visit_bytes<E>(self, _: &[u8]) -> Result<Self::Value, E> {
        Ok(Found::Bytes)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Found::Array)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Found::Object)
    }
}

/// Reads a [`Found`] and converts it: blank is `None`, a failed conversion is
/// `expected {expected}, found {what}`.
fn blank_or<'de, D: Deserializer<'de>, T>(
    deserializer: D,
    expected: &str,
    convert: impl FnOnce(&Found<'_>) -> Option<T>,
) -> Result<Option<T>, D::Error> {
    let found = Found::deserialize(deserializer)?;
    if found.is_blank() {
        return Ok(None);
    }
    match convert(&found) {
        Some(value) => Ok(Some(value)),
        None => Err(D::Error::custom(format_args!(
            "expected {expected}, found {found}"
        ))),
    }
}

/// An `Option<i32>` field: a JSON integer or a numeric string (trimmed; `"12.0"` is 12); `null`
/// and `""` are `None`; out of range is an error.
pub fn option_i32<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i32>, D::Error> {
    blank_or(deserializer, "a 32-bit integer", |f| {
        f.to_i64().and_then(|v| i32::try_from(v).ok())
    })
}

/// An `Option<i64>` field: a JSON integer or a numeric string (trimmed; `"12.0"` is 12); `null`
/// and `""` are `None`.
pub fn option_i64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    blank_or(deserializer, "an integer", |f| f.to_i64())
}

/// An `Option<f64>` field: a JSON number or a numeric string (trimmed, finite); `null` and `""`
/// are `None`.
pub fn option_f64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<f64>, D::Error> {
    blank_or(deserializer, "a number", |f| f.to_f64())
}

/// An `Option<bool>` field: `true`/`false`, the strings `"true"`/`"false"` in any case, `1`/`0`
/// and `"1"`/`"0"`; `null` and `""` are `None`.
pub fn option_bool<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
    blank_or(deserializer, "a boolean", |f| f.to_bool())
}

/// An `Option<String>` field: a string as it is (`""` stays `Some("")`), a number or boolean as
/// its JSON text (`12`, `1.5`, `true`), an array or object as its compact JSON text (the
/// reference shows `Data` documented as a string but sent as `["1321111*****"]`: keeping the
/// text loses nothing and does not fail the whole response); `null` is `None`.
///
/// An empty XML element converts to `null` (see [`xml_to_json`](super::xml_to_json)), so from
/// XML an empty string field is `None`.
pub fn option_string<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    Ok(match serde_json::Value::deserialize(deserializer)? {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s),
        other => Some(other.to_string()),
    })
}

/// An `Option<E>` field of an open enum (a [`WireEnum`] with an `#[popgen(other)]` variant):
/// a string, or a number or boolean read as its text; `null` and `""` are `None`.
///
/// The unknown-value error can only happen for an enum without an `other` variant; response
/// enums should always have one, so that a value added by the service is kept, not fatal.
pub fn option_open_enum<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: WireEnum,
{
    let found = Found::deserialize(deserializer)?;
    open_enum(found).map_err(D::Error::custom)
}

pub(super) fn open_enum<T: WireEnum>(found: Found<'_>) -> Result<Option<T>, String> {
    if found.is_blank() {
        return Ok(None);
    }
    let Some(text) = found.text() else {
        return Err(format!("expected a string, found {found}"));
    };
    T::from_wire_str(&text).map(Some).ok_or_else(|| {
        let variants: Vec<String> = T::VARIANTS.iter().map(|v| format!("{v:?}")).collect();
        format!(
            "unknown value {found}, expected one of {}",
            variants.join(", ")
        )
    })
}

/// A `Vec<T>` field that tolerates how arrays arrive: an array; a single element where an array
/// is expected (always, from XML, when there is one element); `null`, a missing field (with
/// `#[serde(default)]`) or `""` as an empty vector.
///
/// ```
/// #[derive(serde::Deserialize)]
/// struct Reply {
///     #[serde(default, deserialize_with = "popgen_runtime::decode::vec_one_or_many")]
///     ids: Vec<String>,
/// }
///
/// let one: Reply = serde_json::from_str(r#"{"ids": "a"}"#).unwrap();
/// let many: Reply = serde_json::from_str(r#"{"ids": ["a", "b"]}"#).unwrap();
/// assert_eq!((one.ids.len(), many.ids.len()), (1, 2));
/// ```
pub fn vec_one_or_many<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    deserializer.deserialize_any(OneOrMany::<Plain<T>>(PhantomData))
}

/// [`vec_one_or_many`] for a `Vec` of open enums: elements as in [`option_open_enum`], blank ones
/// skipped.
pub fn vec_open_enum<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: WireEnum,
{
    deserializer.deserialize_any(OneOrMany::<Enum<T>>(PhantomData))
}

/// [`vec_one_or_many`] for a `Vec<String>`: elements as in [`option_string`], `null` ones
/// skipped.
pub fn vec_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    deserializer.deserialize_any(OneOrMany::<Text>(PhantomData))
}

/// How one element of a [`OneOrMany`] is read; `None` skips it.
trait Element<'de> {
    type Out;
    fn read<D: Deserializer<'de>>(deserializer: D) -> Result<Option<Self::Out>, D::Error>;
}

struct Plain<T>(PhantomData<T>);
struct Enum<T>(PhantomData<T>);
struct Text;

impl<'de, T: Deserialize<'de>> Element<'de> for Plain<T> {
    type Out = T;
    fn read<D: Deserializer<'de>>(deserializer: D) -> Result<Option<T>, D::Error> {
        T::deserialize(deserializer).map(Some)
    }
}

impl<'de, T: WireEnum> Element<'de> for Enum<T> {
    type Out = T;
    fn read<D: Deserializer<'de>>(deserializer: D) -> Result<Option<T>, D::Error> {
        option_open_enum(deserializer)
    }
}

impl<'de> Element<'de> for Text {
    type Out = String;
    fn read<D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
        option_string(deserializer)
    }
}

struct Seed<E>(PhantomData<E>);

impl<'de, E: Element<'de>> DeserializeSeed<'de> for Seed<E> {
    type Value = Option<E::Out>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        E::read(deserializer)
    }
}

/// Visits an array, a single element, or nothing, into a `Vec`.
struct OneOrMany<E>(PhantomData<E>);

/// A single scalar element, handed to the element reader through a value deserializer so that
/// its own leniency applies.
macro_rules! one_scalar {
    ($($method:ident($ty:ty)),* $(,)?) => {$(
        fn $method<Err: de::Error>(self, v: $ty) -> Result<Self::Value, Err> {
            Ok(E::read(v.into_deserializer())?.into_iter().collect())
        }
    )*};
}

impl<'de, E: Element<'de>> Visitor<'de> for OneOrMany<E> {
    type Value = Vec<E::Out>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array, a single element, or null")
    }

    fn visit_unit<Err>(self) -> Result<Self::Value, Err> {
        Ok(Vec::new())
    }
    fn visit_none<Err>(self) -> Result<Self::Value, Err> {
        Ok(Vec::new())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }

    one_scalar!(
        visit_bool(bool),
        visit_i64(i64),
        visit_u64(u64),
        visit_f64(f64)
    );

    fn visit_str<Err: de::Error>(self, v: &str) -> Result<Self::Value, Err> {
        if v.trim().is_empty() {
            return Ok(Vec::new());
        }
        Ok(E::read(v.into_deserializer())?.into_iter().collect())
    }
    fn visit_borrowed_str<Err: de::Error>(self, v: &'de str) -> Result<Self::Value, Err> {
        if v.trim().is_empty() {
            return Ok(Vec::new());
        }
        let d = de::value::BorrowedStrDeserializer::new(v);
        Ok(E::read(d)?.into_iter().collect())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        // The size hint comes from the body: cap it so a lying one cannot reserve gigabytes.
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element_seed(Seed::<E>(PhantomData))? {
            out.extend(item);
        }
        Ok(out)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Ok(E::read(MapAccessDeserializer::new(map))?
            .into_iter()
            .collect())
    }
}

/// An `Option<T>` field holding a nested object, where the service may send `""` for "none":
/// `null`, `""` and blank strings are `None`, anything else is read as `T`.
pub fn option_object<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    deserializer.deserialize_any(Optional::<T>(PhantomData))
}

/// Visits a blank value as `None` and anything else as `Some(T)`.
struct Optional<T>(PhantomData<T>);

macro_rules! some_scalar {
    ($($method:ident($ty:ty)),* $(,)?) => {$(
        fn $method<Err: de::Error>(self, v: $ty) -> Result<Self::Value, Err> {
            T::deserialize(v.into_deserializer()).map(Some)
        }
    )*};
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for Optional<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object or null")
    }

    fn visit_unit<Err>(self) -> Result<Self::Value, Err> {
        Ok(None)
    }
    fn visit_none<Err>(self) -> Result<Self::Value, Err> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }

    some_scalar!(
        visit_bool(bool),
        visit_i64(i64),
        visit_u64(u64),
        visit_f64(f64)
    );

    fn visit_str<Err: de::Error>(self, v: &str) -> Result<Self::Value, Err> {
        if v.trim().is_empty() {
            return Ok(None);
        }
        T::deserialize(v.into_deserializer()).map(Some)
    }
    fn visit_borrowed_str<Err: de::Error>(self, v: &'de str) -> Result<Self::Value, Err> {
        if v.trim().is_empty() {
            return Ok(None);
        }
        T::deserialize(de::value::BorrowedStrDeserializer::new(v)).map(Some)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        T::deserialize(SeqAccessDeserializer::new(seq)).map(Some)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(Some)
    }
}
