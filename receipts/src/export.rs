//! Stored records written out: JSON lines of the records themselves (one record a line: what
//! `dyvms cost receipts` reads, each line a push of one), JSON with the store's columns, or CSV.

use std::fmt::Write as _;

use crate::store::StoredReceipt;
use crate::time::format_ms;

/// Each record's JSON on a line of its own.
pub fn jsonl(records: &[StoredReceipt]) -> String {
    let mut out = String::new();
    for r in records {
        out.push_str(&r.record.to_string());
        out.push('\n');
    }
    out
}

/// A JSON array of the stored rows: the record with its message, link columns, arrival and
/// error.
pub fn json(records: &[StoredReceipt]) -> String {
    let rows: Vec<serde_json::Value> = records
        .iter()
        .map(|r| {
            serde_json::json!({
                "message": r.message,
                "call_id": r.call_id,
                "out_id": r.out_id,
                "status_code": r.status_code,
                "received": format_ms(r.received_ms),
                "push_index": r.push_index,
                "error": r.error,
                "record": r.record,
                "key": r.key,
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&rows).unwrap_or_default();
    text.push('\n');
    text
}

/// The CSV header [`csv`] writes.
pub const CSV_HEADER: &str = "received,message,call_id,out_id,status_code,push_index,error,record";

/// RFC 4180 CSV with a header line; the record as JSON in the last column.
pub fn csv(records: &[StoredReceipt]) -> String {
    let mut out = String::from(CSV_HEADER);
    out.push_str("\r\n");
    for r in records {
        let fields = [
            format_ms(r.received_ms),
            r.message.clone(),
            r.call_id.clone().unwrap_or_default(),
            r.out_id.clone().unwrap_or_default(),
            r.status_code.clone().unwrap_or_default(),
            r.push_index.to_string(),
            r.error.clone().unwrap_or_default(),
            r.record.to_string(),
        ];
        for (i, field) in fields.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&csv_field(field));
        }
        out.push_str("\r\n");
    }
    out
}

/// A field, quoted when it holds a comma, a quote or a line break.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// A table for people: arrival, message, call, out ID, status, and the decode error if any.
pub fn table(records: &[StoredReceipt]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:24}  {:18}  {:28}  {:20}  {:8}  error",
        "received", "message", "call_id", "out_id", "status"
    );
    for r in records {
        let _ = writeln!(
            out,
            "{:24}  {:18}  {:28}  {:20}  {:8}  {}",
            format_ms(r.received_ms),
            r.message,
            r.call_id.as_deref().unwrap_or("-"),
            r.out_id.as_deref().unwrap_or("-"),
            r.status_code.as_deref().unwrap_or("-"),
            r.error.as_deref().unwrap_or("")
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_what_would_split_a_field() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\"\n"), "\"say \"\"hi\"\"\n\"");
    }
}
