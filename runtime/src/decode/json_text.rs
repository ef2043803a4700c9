//! Fields the wire carries as JSON text inside the response (`"Data": "{\"id\":1}"`).

use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::{DecodeError, from_json_str, from_value};

/// A value the wire carries as JSON text: the raw text, and `T` decoded from it, or why not.
///
/// Decoding accepts the documented form, a JSON string holding JSON text, and also the value
/// already decoded (an object or array in place of the string), which the service and its
/// reference's examples both show; the raw text is then that value's compact JSON (object keys
/// sorted). Inner text that does not decode as `T` (the reference shows curly quotes and
/// full-width commas in it) does not fail the response: the raw text is kept with the error, see
/// [`JsonText::decoded`]. Serializing writes the raw text as a JSON string.
///
/// ```
/// use popgen_runtime::decode::JsonText;
///
/// #[derive(serde::Deserialize)]
/// struct Reply {
///     #[serde(rename = "Data")]
///     data: JsonText<serde_json::Value>,
/// }
///
/// let r: Reply = serde_json::from_str(r#"{"Data": "{\"id\":1}"}"#).unwrap();
/// assert_eq!(r.data.raw(), r#"{"id":1}"#);
/// assert_eq!(r.data.decoded().unwrap()["id"], 1);
///
/// let r: Reply = serde_json::from_str(r#"{"Data": "{“id”:1}"}"#).unwrap();
/// assert!(r.data.decoded().is_err());
/// assert_eq!(r.data.raw(), "{“id”:1}");
/// ```
#[derive(Clone, PartialEq)]
pub struct JsonText<T> {
    raw: String,
    decoded: Result<T, DecodeError>,
}

impl<T: DeserializeOwned> JsonText<T> {
    /// Decodes `raw` as JSON text of `T`, keeping the error when it does not decode.
    pub fn from_raw(raw: impl Into<String>) -> Self {
        let raw = raw.into();
        let decoded = from_json_str(&raw);
        JsonText { raw, decoded }
    }

    /// What the wire had in the field: a string is JSON text, anything else is the value itself.
    fn from_wire(value: Value) -> Self {
        match value {
            Value::String(raw) => Self::from_raw(raw),
            tree => JsonText {
                raw: tree.to_string(),
                decoded: from_value(tree),
            },
        }
    }
}

impl<T: Serialize> JsonText<T> {
    /// The JSON text of `value` (for building responses: a mock server, tests); fails only where
    /// `serde_json` cannot write `T` (a map with non-string keys).
    pub fn encode(value: T) -> Result<Self, serde_json::Error> {
        let raw = serde_json::to_string(&value)?;
        Ok(JsonText {
            raw,
            decoded: Ok(value),
        })
    }
}

impl<T> JsonText<T> {
    /// The raw text and what decoding it gave.
    pub(super) fn from_parts(raw: String, decoded: Result<T, DecodeError>) -> Self {
        JsonText { raw, decoded }
    }

    /// The JSON text as the wire carried it (or the compact JSON of an already-decoded value).
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// The decoded value, or why the text did not decode as `T`.
    pub fn decoded(&self) -> Result<&T, &DecodeError> {
        self.decoded.as_ref()
    }

    /// The decoded value, if the text decoded as `T`.
    pub fn value(&self) -> Option<&T> {
        self.decoded.as_ref().ok()
    }

    /// Why the text did not decode as `T`, if it did not.
    pub fn error(&self) -> Option<&DecodeError> {
        self.decoded.as_ref().err()
    }

    /// The decoded value, or why the text did not decode.
    pub fn into_value(self) -> Result<T, DecodeError> {
        self.decoded
    }

    /// The raw JSON text.
    pub fn into_raw(self) -> String {
        self.raw
    }
}

impl<T: fmt::Debug> fmt::Debug for JsonText<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("JsonText");
        match &self.decoded {
            Ok(value) => s.field("value", value),
            Err(error) => s.field("raw", &self.raw).field("error", &error.to_string()),
        }
        .finish()
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for JsonText<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Value::deserialize(deserializer).map(Self::from_wire)
    }
}

impl<T> Serialize for JsonText<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.raw)
    }
}

/// An `Option<JsonText<T>>` field where `null`, `""` and blank strings are `None` (an empty
/// string is no JSON text, and would otherwise be kept as text that failed to decode).
pub fn option_json_text<'de, D, T>(deserializer: D) -> Result<Option<JsonText<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    Ok(match Value::deserialize(deserializer)? {
        Value::Null => None,
        Value::String(s) if s.trim().is_empty() => None,
        value => Some(JsonText::from_wire(value)),
    })
}
