//! Which stored record a pushed record is: its dedupe key.
//!
//! The key is the hex SHA-256 of the message name, a newline, and the record's canonical JSON
//! (object keys sorted, no whitespace, strings and numbers as `serde_json` writes them), taken
//! from the record *as pushed*, before the generated type reads it. A re-push carries the same
//! records, so it yields the same keys and stores nothing twice.
//!
//! Why not `call_id` + `status_code`: one call has several records of one message with the same
//! pair (a `VoiceCallReport` per state change may repeat a code, a `VoiceRTASRReport` per
//! sentence has none), and a record that does not decode may have neither. Two records whose
//! every field is equal report the same event, so storing one of them loses nothing.

use std::fmt::Write as _;

use serde_json::Value;
use sha2::{Digest, Sha256};

/// The dedupe key of `record`, pushed as a `message` record.
///
/// ```
/// use serde_json::json;
/// let a = popgen_receipts::key::record_key("VoiceReport", &json!({"call_id": "1", "duration": "10"}));
/// let b = popgen_receipts::key::record_key("VoiceReport", &json!({"duration": "10", "call_id": "1"}));
/// assert_eq!(a, b);
/// assert_ne!(a, popgen_receipts::key::record_key("VoiceCallReport", &json!({"call_id": "1", "duration": "10"})));
/// ```
pub fn record_key(message: &str, record: &Value) -> String {
    let mut text = String::with_capacity(256);
    text.push_str(message);
    text.push('\n');
    canonical(record, &mut text);
    let digest = Sha256::digest(text.as_bytes());
    let mut hex = String::with_capacity(64);
    for byte in digest {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// `value` as canonical JSON: object keys in byte order, whatever order the map keeps.
fn canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (key, value)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                canonical(value, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_key_order_and_whitespace_do_not_change_the_key() {
        let a: Value =
            serde_json::from_str(r#"{"b": {"y": 1, "x": [1, {"q": 2, "p": 3}]}, "a": "1"}"#)
                .unwrap();
        let b = json!({"a": "1", "b": {"x": [1, {"p": 3, "q": 2}], "y": 1}});
        assert_eq!(record_key("M", &a), record_key("M", &b));
    }

    #[test]
    fn a_different_value_or_type_changes_the_key() {
        let base = record_key("M", &json!({"duration": "10"}));
        assert_ne!(base, record_key("M", &json!({"duration": 10})));
        assert_ne!(base, record_key("M", &json!({"duration": "11"})));
        assert_eq!(base.len(), 64);
    }
}
