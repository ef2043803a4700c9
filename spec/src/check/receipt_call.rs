//! Checks of a receipt's `call` section: the fields it names are fields of the record, its codes
//! are in a `kind: status` code table, and every action listing the receipt has the response
//! field the call ID is echoed from.

use super::Cx;
use crate::diag::Seg;
use crate::model::{CallCodes, CallFields, CodeTableKind, Receipt, ReceiptCall};
use crate::path;

impl Cx<'_> {
    pub(super) fn receipt_call(&mut self, base: &[Seg], name: &str, r: &Receipt, c: &ReceiptCall) {
        let here = [base, &path!["call"]].concat();
        let fields: Vec<&str> = r.fields.iter().filter_map(|f| f.name.as_deref()).collect();
        for (role, field) in named_fields(&c.fields) {
            if !fields.contains(&field) {
                let hint = match crate::shape::suggest(field, &fields) {
                    Some(g) => format!("did you mean `{g}`?"),
                    None => format!("fields here: {}", fields.join(", ")),
                };
                self.error(
                    &[here.as_slice(), &path!["fields", role]].concat(),
                    format!("`{field}` is not a field of the `{name}` record"),
                    Some(hint),
                );
            }
        }
        for (event, codes) in events(&c.codes) {
            for (i, code) in codes.iter().enumerate() {
                if !self.is_status_code(code) {
                    self.error(
                        &[here.as_slice(), &path!["codes", event, i]].concat(),
                        format!("status code `{code}` is in no `kind: status` code table"),
                        Some("add it to the table the reference lists it in".into()),
                    );
                }
            }
        }
        if c.only_answered {
            for (event, codes) in [
                ("unanswered", &c.codes.unanswered),
                ("failed", &c.codes.failed),
            ] {
                if !codes.is_empty() {
                    self.error(
                        &[here.as_slice(), &path!["codes", event]].concat(),
                        format!("`{name}` is sent only about answered calls (`only_answered`), so it never reports {event} ones"),
                        Some(format!("remove `{event}`, or `only_answered`")),
                    );
                }
            }
        }
        for (action, a) in &self.spec.actions {
            if !a.receipts.iter().any(|m| m == name) {
                continue;
            }
            if !a
                .response
                .iter()
                .any(|f| f.name.as_deref() == Some(&c.call_id_from))
            {
                self.error(
                    &[here.as_slice(), &path!["call_id_from"]].concat(),
                    format!(
                        "`{action}` lists `{name}` in its receipts but has no response field `{}` to echo the call ID from",
                        c.call_id_from
                    ),
                    Some("name the response field that carries the call's ID".into()),
                );
            }
        }
    }

    fn is_status_code(&self, code: &str) -> bool {
        self.spec
            .code_tables
            .values()
            .filter(|t| t.kind == CodeTableKind::Status)
            .any(|t| t.codes.iter().any(|c| c.code == code))
    }
}

/// Every field the section names, with its key.
fn named_fields(f: &CallFields) -> Vec<(&'static str, &str)> {
    let optional = [
        ("out_id", &f.out_id),
        ("callee", &f.callee),
        ("status_code", &f.status_code),
        ("status_time", &f.status_time),
        ("originate_time", &f.originate_time),
        ("ring_time", &f.ring_time),
        ("start_time", &f.start_time),
        ("end_time", &f.end_time),
        ("duration", &f.duration),
        ("recording_url", &f.recording_url),
        ("recording_began", &f.recording_began),
    ];
    let mut out = vec![("call_id", f.call_id.as_str())];
    out.extend(
        optional
            .into_iter()
            .filter_map(|(k, v)| v.as_deref().map(|v| (k, v))),
    );
    out
}

/// Every event's codes, with its key.
fn events(c: &CallCodes) -> [(&'static str, &[String]); 6] {
    [
        ("calling", &c.calling),
        ("ringing", &c.ringing),
        ("answered", &c.answered),
        ("ended", &c.ended),
        ("unanswered", &c.unanswered),
        ("failed", &c.failed),
    ]
}
