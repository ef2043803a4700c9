//! Response bodies (JSON or XML) into typed responses, tolerating what the service sends.
//!
//! The service and its reference disagree with the documented types in predictable ways: numbers
//! and booleans arrive as strings (`"Total": "12"`, `"Status": "true"`), empty strings stand for
//! absent numbers, a field documented as JSON text sometimes arrives already decoded, an array with
//! one element arrives as that element (always, in XML), and enums gain values. Generated response
//! types therefore make every field optional and read it by these rules:
//!
//! - [`FromJson`] / [`ToJson`] (`derive(FromJson, ToJson)` of `popgen-macros`, what generated
//!   types use): a type read from the parsed JSON tree by one plain call per field, and written
//!   back; [`from_body`] decodes a body. serde's traits on such types go through the tree.
//!
//! The same rules for hand-written serde types:
//!
//! - [`lenient`]: `deserialize_with` functions for scalars ([`option_i64`], [`option_bool`]...),
//!   open enums ([`option_open_enum`]) and arrays ([`vec_one_or_many`]).
//! - [`JsonText`]: a field carried as JSON text; its inner JSON failing to parse is kept beside
//!   the raw text instead of failing the whole response.
//! - [`xml_to_json`]: an XML body as a [`serde_json::Value`] (text leaves become strings), so one
//!   set of serde types decodes both formats.
//! - [`decode_body`]: the whole body, with a [`DecodeError`] that names the field path.
//!
//! ```
//! use popgen_runtime::decode::{self, Format};
//!
//! #[derive(serde::Deserialize)]
//! #[serde(rename_all = "PascalCase")]
//! struct Reply {
//!     #[serde(default, deserialize_with = "decode::option_i64")]
//!     total: Option<i64>,
//! }
//!
//! let json: Reply = decode::decode_body(Format::Json, r#"{"Total":"12"}"#).unwrap();
//! let xml: Reply = decode::decode_body(Format::Xml, "<R><Total>12</Total></R>").unwrap();
//! assert_eq!((json.total, xml.total), (Some(12), Some(12)));
//! ```

mod error;
mod json_text;
pub mod lenient;
mod tree;
mod xml;

use serde::de::DeserializeOwned;

pub use error::{DecodeError, DecodeErrorKind};
pub use json_text::{JsonText, option_json_text};
pub use lenient::{
    option_bool, option_f64, option_i32, option_i64, option_object, option_open_enum,
    option_string, vec_one_or_many, vec_open_enum, vec_string,
};
pub use tree::{
    FromJson, Member, Path, Slot, ToJson, deserialize, field, field_or_alias, fields_to_json,
    from_body, object, read_fields, serialize,
};
pub use xml::xml_to_json;

/// What kind of JSON value `value` is, as an error message names it: `null`, `a boolean`,
/// `a number`, `a string`, `an array`, `an object`.
///
/// ```
/// assert_eq!(popgen_runtime::decode::json_kind(&serde_json::json!([1])), "an array");
/// ```
pub fn json_kind(value: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The body format a request asked for with its `Format` parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Format {
    /// `Format=JSON`, the default.
    #[default]
    Json,
    /// `Format=XML`.
    Xml,
}

impl Format {
    /// The value of the `Format` request parameter: `JSON` or `XML`.
    pub fn as_param(self) -> &'static str {
        match self {
            Format::Json => "JSON",
            Format::Xml => "XML",
        }
    }
}

/// Decodes a response body of `format` into `T`.
///
/// JSON must be one value with nothing but whitespace after it. XML is converted with
/// [`xml_to_json`] and the root element's content is decoded (the root's name, `{Action}Response`
/// or `Error`, is not checked: call [`xml_to_json`] to see it). Never panics; a failure says
/// where, as the field path for data that does not fit `T`, as line and column for syntax.
pub fn decode_body<T: DeserializeOwned>(format: Format, body: &str) -> Result<T, DecodeError> {
    let body = body.strip_prefix('\u{feff}').unwrap_or(body);
    if body.trim().is_empty() {
        return Err(DecodeError::empty(format));
    }
    match format {
        Format::Json => from_json_str(body),
        Format::Xml => from_value(xml_to_json(body)?.1).map_err(|e| e.in_format(Format::Xml)),
    }
}

/// JSON text into `T`, with the field path on failure.
///
/// The text is parsed into a `serde_json::Value` first (not generic), and only the `Value`
/// deserializer meets `T`: every response type is then compiled against one deserializer, not
/// two (JSON text and XML-converted trees), which halves the code a generated crate compiles.
pub(crate) fn from_json_str<T: DeserializeOwned>(text: &str) -> Result<T, DecodeError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(DecodeError::from_json)?;
    from_value(value)
}

/// An already-parsed JSON tree into `T`, with the field path on failure.
///
/// A [`FromJson`] type met inside (its serde impl is [`deserialize`]) reports its error as text;
/// its path and kind are taken back here, so they are the same as from [`from_body`].
pub(crate) fn from_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, DecodeError> {
    tree::clear_last_error();
    serde_path_to_error::deserialize(value).map_err(|error| {
        match tree::take_last_error(error.inner()) {
            Some(inner) => inner.below(&error.path().to_string()),
            None => DecodeError::from_json_path(error),
        }
    })
}
