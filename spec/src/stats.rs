//! What a spec holds, counted: the summary `popgen check` prints on success.

use std::collections::BTreeMap;
use std::fmt;

use crate::load::Spec;
use crate::model::{Field, Format, Param, ParamType};

/// Counts of what a spec holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Actions.
    pub actions: usize,
    /// Request params (members of repeated params included, common params excluded).
    pub params: usize,
    /// Response fields at every depth (JSON-in-string shapes included).
    pub response_fields: usize,
    /// Constraints by kind (`range`, `length (bytes)`, `enum`, `format: json`...).
    pub constraints: BTreeMap<&'static str, usize>,
    /// Cross-field rules (machine-checkable and documented).
    pub rules: usize,
    /// Notes on contradictions and choices.
    pub notes: usize,
    /// Documented error codes (per action and in code tables).
    pub codes: usize,
    /// Receipt message types.
    pub receipts: usize,
    /// Example requests and responses.
    pub examples: usize,
    /// What curation files did, when the spec has any: (overrides, of which explained, added
    /// elements, stale curations).
    pub curation: Option<(usize, usize, usize, usize)>,
}

impl Summary {
    /// Counts a spec.
    pub fn of(spec: &Spec) -> Summary {
        let mut s = Summary {
            actions: spec.actions.len(),
            receipts: spec.receipts.len(),
            ..Summary::default()
        };
        let c = &spec.curation;
        if !(c.overrides.is_empty() && c.added.is_empty() && c.stale.is_empty()) {
            let explained = c.overrides.iter().filter(|o| o.explained).count();
            s.curation = Some((c.overrides.len(), explained, c.added.len(), c.stale.len()));
        }
        s.notes += spec.product.notes.len();
        for p in &spec.product.common_params {
            s.notes += p.notes.len();
        }
        for e in spec.enums.values() {
            s.notes += e.notes.len();
        }
        for t in spec.code_tables.values() {
            s.codes += t.codes.len();
            s.notes += t.notes.len();
        }
        for r in spec.receipts.values() {
            s.notes += r.notes.len();
            r.fields.iter().for_each(|f| s.count_field(f, false));
        }
        for a in spec.actions.values() {
            a.params.iter().for_each(|p| s.count_param(p));
            a.response.iter().for_each(|f| s.count_field(f, true));
            s.rules += a.rules.len();
            s.codes += a.errors.len();
            s.notes += a.notes.len();
            s.examples += a.examples.requests.len() + a.examples.responses.len();
            let ex_notes = a.examples.requests.iter().map(|e| e.notes.len());
            s.notes += ex_notes.sum::<usize>();
            s.notes += a
                .examples
                .responses
                .iter()
                .map(|e| e.notes.len())
                .sum::<usize>();
        }
        s
    }

    fn bump(&mut self, kind: &'static str) {
        *self.constraints.entry(kind).or_default() += 1;
    }

    fn count_param(&mut self, p: &Param) {
        if p.ty == ParamType::Repeated {
            self.bump("repeated");
            self.rules += p.rules.len();
            p.fields.iter().for_each(|f| self.count_param(f));
        } else {
            self.params += 1;
        }
        self.notes += p.notes.len();
        if p.required {
            self.bump("required");
        }
        if let Some(r) = &p.range {
            self.bump(match r.out_of_range {
                crate::model::OutOfRange::Error => "range",
                crate::model::OutOfRange::Fallback => "range (falls back to default)",
            });
        }
        if let Some(l) = &p.length {
            self.bump(match l.unit {
                crate::model::LengthUnit::Bytes => "length (bytes)",
                crate::model::LengthUnit::Chars => "length (characters)",
            });
        }
        if p.enum_values.is_some() || p.enum_ref.is_some() {
            self.bump("enum");
        }
        if p.fixed.is_some() {
            self.bump("fixed value");
        }
        if p.pattern.is_some() {
            self.bump("pattern");
        }
        if p.sensitive {
            self.bump("sensitive");
        }
        if p.unavailable.is_some() {
            self.bump("not available");
        }
        if let Some(f) = &p.format {
            self.bump(format_kind(f));
        }
    }

    fn count_field(&mut self, f: &Field, response: bool) {
        if response {
            self.response_fields += 1;
        }
        self.notes += f.notes.len();
        for child in f
            .fields
            .iter()
            .chain(f.items.as_deref())
            .chain(f.values.as_deref())
            .chain(f.json.as_deref())
        {
            self.count_field(child, response);
        }
    }
}

fn format_kind(f: &Format) -> &'static str {
    match f {
        Format::DateTime { .. } => "format: date-time",
        Format::UnixMillis => "format: unix-millis",
        Format::Json { .. } => "format: json",
        Format::List { .. } => "format: list",
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "actions:          {}", self.actions)?;
        writeln!(f, "request params:   {}", self.params)?;
        writeln!(f, "response fields:  {}", self.response_fields)?;
        writeln!(f, "constraints:")?;
        let width = self.constraints.keys().map(|k| k.len()).max().unwrap_or(0);
        for (kind, n) in &self.constraints {
            writeln!(f, "  {kind:<width$}  {n}")?;
        }
        writeln!(f, "cross-field rules: {}", self.rules)?;
        writeln!(f, "error/status codes: {}", self.codes)?;
        writeln!(f, "receipt messages: {}", self.receipts)?;
        writeln!(f, "examples:         {}", self.examples)?;
        write!(f, "notes:            {}", self.notes)?;
        if let Some((overrides, explained, added, stale)) = self.curation {
            write!(
                f,
                "\ncuration:         {overrides} override(s) of the base ({explained} explained by a note), {added} element(s) added, {stale} stale"
            )?;
        }
        Ok(())
    }
}
