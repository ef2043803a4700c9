//! Checks of a receipt's `call` section: the fields it names are fields of the record, its codes
//! are in a `kind: status` code table, and every action listing the receipt has the response
//! field the call ID is echoed from. And of an action's `receipts`: each names a message once,
//! and a condition names a scalar param of the action and a value the param accepts.

use super::Cx;
use super::unknown_name_hint;
use crate::diag::Seg;
use crate::model::{
    Action, CallCodes, CallFields, CodeTableKind, Format, ParamEquals, ParamType, Receipt,
    ReceiptCall,
};
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
            if !a.receipts.iter().any(|m| m.message() == name) {
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

    /// An action's `receipts`: known messages, each once; conditions on params it has.
    pub(super) fn action_receipts(&mut self, base: &[Seg], a: &Action) {
        for (i, r) in a.receipts.iter().enumerate() {
            let name = r.message();
            let here = [base, &path!["receipts", i]].concat();
            if !self.spec.receipts.contains_key(name) {
                let hint =
                    unknown_name_hint(name, self.spec.receipts.keys(), "receipts", "receipts");
                let at = match r.when() {
                    Some(_) => [here.as_slice(), &path!["message"]].concat(),
                    None => here.clone(),
                };
                self.error(&at, format!("unknown receipt message `{name}`"), Some(hint));
            }
            if a.receipts[..i].iter().any(|o| o.message() == name) {
                self.error(
                    &here,
                    format!("`{name}` is listed twice"),
                    Some("list each message once (with its condition, if any)".into()),
                );
            }
            if let Some(when) = r.when() {
                self.receipt_condition(&[here.as_slice(), &path!["when"]].concat(), a, when);
            }
        }
    }

    fn receipt_condition(&mut self, here: &[Seg], a: &Action, when: &ParamEquals) {
        let Some(p) = a.params.iter().find(|p| p.name == when.param) else {
            let names = a.params.iter().map(|p| &p.name);
            let hint = unknown_name_hint(&when.param, names, "params", "params");
            self.error(
                &[here, &path!["param"]].concat(),
                format!("`{}` is not a param of this action", when.param),
                Some(hint),
            );
            return;
        };
        let many = match &p.format {
            _ if p.ty == ParamType::Repeated => Some("is a repeated param"),
            Some(Format::Json { .. } | Format::List { .. }) => {
                Some("carries a list or JSON in its text")
            }
            _ => None,
        };
        if let Some(what) = many {
            self.error(
                &[here, &path!["param"]].concat(),
                format!(
                    "`{}` {what}; a condition compares one plain value",
                    when.param
                ),
                Some("name a scalar param without a list or JSON format".into()),
            );
            return;
        }
        let at = [here, &path!["equals"]].concat();
        if let Some(problem) = crate::values::scalar_type_problem(p.ty, &when.equals) {
            self.error(&at, format!("`equals` {problem}"), None);
            return;
        }
        let wire = when.equals.to_wire();
        if p.default.as_ref().is_some_and(|d| d.to_wire() == wire) {
            self.report(
                crate::diag::Level::Warning,
                &at,
                format!(
                    "`{wire}` is `{}`'s default: a request that leaves it out meets the condition \
                     at the service, but tools (the mock) read a missing param as not meeting it",
                    p.name
                ),
                Some("condition on the other value, or drop the param's `default`".into()),
            );
        }
        for problem in crate::values::param_value(self.spec, p, &wire, false) {
            self.error(
                &at,
                format!(
                    "`{wire}` is not a value `{}` accepts: {}",
                    p.name, problem.message
                ),
                Some(
                    "a request with it would be refused, so the message would never be sent".into(),
                ),
            );
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
