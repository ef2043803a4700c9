//! Receipt (callback) messages: the service pushes batches of records, as a JSON array, to a
//! URL you configure (or you pull them from a queue). Decoding is tolerant: one record that does
//! not decode does not lose the others.

use serde::de::DeserializeOwned;

use crate::decode::{DecodeError, Format};

/// The records of one push.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch<T> {
    /// The records that decoded, in push order.
    pub records: Vec<T>,
    /// Records that did not decode: their index in the push, the raw JSON, and why.
    pub rejected: Vec<Rejected>,
    /// Whether this was the console's connectivity test (`{"json":"test-content"}`), which
    /// must be answered like a real push.
    pub test: bool,
}

/// A record of a push that did not decode.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejected {
    /// Its index in the pushed array.
    pub index: usize,
    /// Its JSON text, as received.
    pub raw: String,
    /// Why it did not decode.
    pub error: DecodeError,
}

/// Parses a push body: a JSON array of records (a single object is taken as a batch of one;
/// the console's test body is an empty test batch). Only a body that is not JSON at all is an
/// error.
///
/// ```
/// #[derive(serde::Deserialize, Debug, PartialEq)]
/// struct Report { call_id: String }
/// let batch = popgen_runtime::receipts::parse_batch::<Report>(
///     r#"[{"call_id":"a"}, {"call_id": 5}, {"call_id":"b"}]"#).unwrap();
/// assert_eq!(batch.records, [Report { call_id: "a".into() }, Report { call_id: "b".into() }]);
/// assert_eq!(batch.rejected[0].index, 1);
/// let test = popgen_runtime::receipts::parse_batch::<Report>(r#"{"json":"test-content"}"#).unwrap();
/// assert!(test.test && test.records.is_empty());
/// ```
pub fn parse_batch<T: DeserializeOwned>(body: &str) -> Result<Batch<T>, DecodeError> {
    let value: serde_json::Value = crate::decode::decode_body(Format::Json, body)?;
    let items = match value {
        serde_json::Value::Array(items) => items,
        serde_json::Value::Object(map)
            if map.len() == 1
                && map.get("json").and_then(|v| v.as_str()) == Some("test-content") =>
        {
            return Ok(Batch {
                records: Vec::new(),
                rejected: Vec::new(),
                test: true,
            });
        }
        other => vec![other],
    };
    let mut batch = Batch {
        records: Vec::with_capacity(items.len()),
        rejected: Vec::new(),
        test: false,
    };
    for (index, item) in items.into_iter().enumerate() {
        let raw = item.to_string();
        match crate::decode::decode_body::<T>(Format::Json, &raw) {
            Ok(record) => batch.records.push(record),
            Err(error) => batch.rejected.push(Rejected { index, raw, error }),
        }
    }
    Ok(batch)
}
