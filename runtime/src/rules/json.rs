//! Parameters carried as JSON text: validation of a `String` that must hold a JSON object or
//! array (`json(object)`, `json(array)`), and the compact serialisation of serde types (`json`),
//! with the length of that text (`json, length(...)`).
//!
//! A serde type can fail to serialise (a map whose keys are not strings): [`to_wire`] then
//! returns the violation instead of panicking, `RpcParams` leaves the parameter off the wire, and
//! validation ([`serializes`], [`length`]) reports it, so in the default `Enforce` mode such a
//! request is never sent.

use std::{fmt, io};

use serde::de::{self, DeserializeOwned, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::{Actual, JsonKind, LengthUnit, Limit, Rule, RuleError};
use crate::validation::{Path, Report, Severity};

/// `value` is JSON text of the given top-level kind.
///
/// The text is walked with a visitor that keeps nothing, so checking a valid text allocates
/// nothing, however deeply nested (only a string with escapes is unescaped into a buffer).
/// Nesting is limited to serde_json's 128 levels.
///
/// ```
/// use popgen_runtime::rules::{json, JsonKind};
/// assert!(json::apply(r#"{"name":"张三"}"#, JsonKind::Object).is_ok());
/// assert!(json::apply("[1,2]", JsonKind::Object).is_err());
/// assert!(json::apply("{", JsonKind::Object).is_err());
/// ```
pub fn apply(value: &str, kind: JsonKind) -> Result<(), RuleError> {
    let limit = Limit::Json(kind);
    let found = match serde_json::from_str::<Kind>(value) {
        Ok(Kind(found)) => found,
        Err(e) => return Err(RuleError::reason(Rule::Json, limit, e.to_string())),
    };
    if kind == JsonKind::Any || kind == found {
        Ok(())
    } else {
        let what = match found {
            JsonKind::Object => "an object",
            JsonKind::Array => "an array",
            JsonKind::Any => "not an object or array",
        };
        Err(RuleError::reason(
            Rule::Json,
            limit,
            format!("found {what}"),
        ))
    }
}

/// The top-level kind of a JSON value, found without keeping any of it.
struct Kind(JsonKind);

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(KindVisitor).map(Kind)
    }
}

struct KindVisitor;

macro_rules! scalar {
    ($($method:ident: $t:ty),*) => {$(
        fn $method<E: de::Error>(self, _: $t) -> Result<JsonKind, E> {
            Ok(JsonKind::Any)
        }
    )*};
}

impl<'de> Visitor<'de> for KindVisitor {
    type Value = JsonKind;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    scalar!(visit_bool: bool, visit_i64: i64, visit_u64: u64, visit_f64: f64, visit_str: &str);

    fn visit_unit<E: de::Error>(self) -> Result<JsonKind, E> {
        Ok(JsonKind::Any)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<JsonKind, A::Error> {
        while seq.next_element::<Kind>()?.is_some() {}
        Ok(JsonKind::Array)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<JsonKind, A::Error> {
        while map.next_key::<IgnoredAny>()?.is_some() {
            map.next_value::<Kind>()?;
        }
        Ok(JsonKind::Object)
    }
}

/// `value` is a JSON object.
pub fn object(value: &str) -> Result<(), RuleError> {
    apply(value, JsonKind::Object)
}

/// `value` is a JSON array.
pub fn array(value: &str) -> Result<(), RuleError> {
    apply(value, JsonKind::Array)
}

/// `value` is any JSON text.
pub fn any(value: &str) -> Result<(), RuleError> {
    apply(value, JsonKind::Any)
}

/// `value` serialised as compact JSON, as the service expects for JSON-typed parameters.
///
/// ```
/// use std::collections::BTreeMap;
/// use popgen_runtime::rules::json;
/// let map = BTreeMap::from([("name", "张三"), ("code", "1234")]);
/// assert_eq!(json::to_wire(&map).unwrap(), r#"{"code":"1234","name":"张三"}"#);
/// // JSON object keys are strings: this map has no JSON text.
/// let error = json::to_wire(&BTreeMap::from([((1, 2), "x")])).unwrap_err();
/// assert_eq!(error.message(None), "must be a JSON text (key must be a string)");
/// ```
///
/// # Errors
/// A [`Rule::Json`] violation when the `Serialize` implementation fails, with serde_json's reason.
pub fn to_wire<T: Serialize + ?Sized>(value: &T) -> Result<String, RuleError> {
    serde_json::to_string(value).map_err(unserialisable)
}

/// `value` has a compact JSON text: what a `json` field checks when it has no other rule.
///
/// Serialises into a counter that keeps nothing, so a valid value costs no allocation.
///
/// ```
/// use std::collections::BTreeMap;
/// use popgen_runtime::rules::json;
/// assert!(json::serializes(&BTreeMap::from([("a", 1)])).is_ok());
/// assert!(json::serializes(&BTreeMap::from([((1, 2), 1)])).is_err());
/// ```
pub fn serializes<T: Serialize + ?Sized>(value: &T) -> Result<(), RuleError> {
    measure(value).map(drop)
}

/// The length of `value`'s compact JSON text (exactly what [`to_wire`] sends) lies within
/// `min..=max`, in UTF-8 bytes or characters; a value with no JSON text fails as in [`to_wire`].
///
/// The text is serialised once, into a counter, and never built: validating a valid value
/// allocates nothing. Only a violation builds the text, to show it.
///
/// ```
/// use std::collections::BTreeMap;
/// use popgen_runtime::rules::{LengthUnit, json};
/// let map = BTreeMap::from([("name", "张三")]); // {"name":"张三"}: 17 bytes, 13 characters
/// assert!(json::length(&map, LengthUnit::Bytes, None, Some(17)).is_ok());
/// assert!(json::length(&map, LengthUnit::Bytes, None, Some(16)).is_err());
/// assert!(json::length(&map, LengthUnit::Chars, Some(13), Some(13)).is_ok());
/// ```
pub fn length<T: Serialize + ?Sized>(
    value: &T,
    unit: LengthUnit,
    min: Option<usize>,
    max: Option<usize>,
) -> Result<(), RuleError> {
    let size = measure(value)?;
    let n = match unit {
        LengthUnit::Bytes => size.bytes,
        LengthUnit::Chars => size.chars,
    };
    super::length::count(n, unit, min, max)
}

/// Records a failure of [`serializes`] or [`length`] for `value` at `path`: with its JSON text
/// as the value (redacted when `sensitive`), or with no value when there is no JSON text.
#[cold]
pub fn record<T: Serialize + ?Sized>(
    report: &mut Report,
    path: &Path<'_>,
    error: RuleError,
    sensitive: bool,
    value: &T,
) {
    if error.rule == Rule::Json {
        report.record_without_value(path, error, Severity::Error);
    } else {
        let text = || to_wire(value).unwrap_or_default();
        report.record(path, error, Severity::Error, sensitive, &text);
    }
}

/// The size of a text written to it; keeps nothing else.
#[derive(Default)]
struct Size {
    bytes: usize,
    chars: usize,
}

impl io::Write for Size {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.bytes += buf.len();
        // Each UTF-8 character has exactly one byte that is not a continuation byte (0b10xx_xxxx),
        // so this counts characters even when one is split across writes.
        self.chars += buf.iter().filter(|&&b| (b as i8) >= -0x40).count();
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn measure<T: Serialize + ?Sized>(value: &T) -> Result<Size, RuleError> {
    let mut size = Size::default();
    serde_json::to_writer(&mut size, value).map_err(unserialisable)?;
    Ok(size)
}

#[cold]
fn unserialisable(e: serde_json::Error) -> RuleError {
    RuleError::reason(Rule::Json, Limit::Json(JsonKind::Any), e.to_string())
}

/// Parses a JSON-typed parameter back into its serde type.
pub fn from_wire<T: DeserializeOwned>(value: &str) -> Result<T, RuleError> {
    serde_json::from_str(value).map_err(|e| {
        RuleError::new(
            Rule::Parse,
            Limit::Type("JSON text of the parameter's type"),
            Actual::Reason(e.to_string().into()),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn kinds() {
        assert!(object("{}").is_ok());
        assert!(object("  \n{\"a\":[1,{}]}\t").is_ok());
        assert!(array("[]").is_ok());
        assert!(array("{}").is_err());
        assert!(
            object("\"{}\"").is_err(),
            "a JSON string holding braces is not an object"
        );
        assert!(object("null").is_err());
        assert!(any("null").is_ok());
    }

    #[test]
    fn invalid_texts() {
        assert!(any("").is_err());
        assert!(any("   ").is_err());
        assert!(object("{\"a\":1,}").is_err(), "trailing comma");
        assert!(object("{\"a\":1} {}").is_err(), "trailing value");
        assert!(object("{'a':1}").is_err(), "single quotes");
        assert!(object("{\"a\":[1,{\"b\":[]}]}").is_ok(), "nested");
        assert!(
            object(&format!("{}1{}", "[".repeat(200), "]".repeat(200))).is_err(),
            "too deep"
        );
        assert!(
            array("[\"\\u00e9\", 1.5e3, -0, true, null]").is_ok(),
            "scalars"
        );
        assert!(object("{\"a\":\"\\u00zz\"}").is_err(), "bad escape");
        let e = object("[1]").unwrap_err();
        assert_eq!(e.actual, Actual::Reason("found an array".into()));
    }

    #[test]
    fn compact_round_trip() {
        let map = BTreeMap::from([
            ("b".to_owned(), "x y".to_owned()),
            ("a".to_owned(), "\"".to_owned()),
        ]);
        let text = to_wire(&map).unwrap();
        assert_eq!(text, r#"{"a":"\"","b":"x y"}"#);
        let back: BTreeMap<String, String> = from_wire(&text).unwrap();
        assert_eq!(back, map);
        assert_eq!(
            from_wire::<BTreeMap<String, String>>("[1]")
                .unwrap_err()
                .rule,
            Rule::Parse
        );
    }

    #[test]
    fn measured_length_is_the_length_of_the_wire_text() {
        let texts: [&[(&str, &str)]; 4] = [
            &[],
            &[("name", "张三")],
            &[("emoji", "😀"), ("quote", "\"\n")],
            &[("k", "é"), ("long", "abcdefghij")],
        ];
        for pairs in texts {
            let map: BTreeMap<_, _> = pairs.iter().copied().collect();
            let text = to_wire(&map).unwrap();
            let (bytes, chars) = (text.len(), text.chars().count());
            for (unit, n) in [(LengthUnit::Bytes, bytes), (LengthUnit::Chars, chars)] {
                assert!(
                    length(&map, unit, Some(n), Some(n)).is_ok(),
                    "{text} {unit:?}"
                );
                let over = length(&map, unit, None, Some(n - 1)).unwrap_err();
                assert_eq!(over.actual, Actual::Length(n), "{text} {unit:?}");
                assert!(
                    length(&map, unit, Some(n + 1), None).is_err(),
                    "{text} {unit:?}"
                );
            }
        }
    }

    #[test]
    fn escapes_count_as_sent() {
        // `"` goes on the wire as `\"`: the service sees two bytes.
        let text = to_wire(&"\"").unwrap();
        assert_eq!(text, r#""\"""#);
        assert!(length(&"\"", LengthUnit::Bytes, None, Some(4)).is_ok());
        assert!(length(&"\"", LengthUnit::Bytes, None, Some(3)).is_err());
        let e = length(&"\"", LengthUnit::Chars, None, Some(3)).unwrap_err();
        assert_eq!(e.rule, Rule::LengthChars);
    }

    #[test]
    fn unserialisable_values_are_violations_not_panics() {
        let map = BTreeMap::from([(vec![1], "x")]);
        for e in [
            to_wire(&map).unwrap_err(),
            serializes(&map).unwrap_err(),
            length(&map, LengthUnit::Bytes, None, Some(1_000)).unwrap_err(),
        ] {
            assert_eq!(e.rule, Rule::Json);
            assert_eq!(e.actual, Actual::Reason("key must be a string".into()));
        }
        assert!(serializes(&BTreeMap::from([(1, "integer keys are quoted")])).is_ok());
    }

    #[test]
    fn record_shows_the_json_text_or_no_value() {
        let root = Path::root();
        let path = root.field("TtsParam");
        let map = BTreeMap::from([("a", "bc")]);
        let mut report = Report::new();
        let e = length(&map, LengthUnit::Bytes, None, Some(3)).unwrap_err();
        record(&mut report, &path, e.clone(), false, &map);
        record(&mut report, &path, e, true, &map);
        let bad = BTreeMap::from([(vec![1], "x")]);
        record(
            &mut report,
            &path,
            serializes(&bad).unwrap_err(),
            false,
            &bad,
        );
        let shown: Vec<_> = report
            .violations()
            .iter()
            .map(|v| v.value.as_deref())
            .collect();
        assert_eq!(shown, [Some(r#"{"a":"bc"}"#), Some("***"), None]);
        assert_eq!(
            report.to_string(),
            "TtsParam: length must be at most 3 bytes, got 10 bytes\n\
             TtsParam: length must be at most 3 bytes, got 10 bytes\n\
             TtsParam: must be a JSON text (key must be a string)"
        );
    }
}
