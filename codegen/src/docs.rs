//! Doc-comment text for generated items, from the spec: English first, the reference's Chinese
//! kept, constraints with units, QPS, side effects, examples.

use popgen_spec::model::{EnumValue, Field, Param, Text};
use popgen_spec::{Spec, describe};

use crate::ir::ActionIr;

fn text(t: &Text) -> String {
    match (t.en.trim(), t.zh.as_deref().map(str::trim)) {
        (en, Some(zh)) if !zh.is_empty() && !en.is_empty() => format!("{en}\n\n{zh}"),
        (en, _) if !en.is_empty() => en.to_owned(),
        (_, zh) => zh.unwrap_or_default().to_owned(),
    }
}

/// Spec text for rustdoc: links stay links (document ids and bare URLs resolved, see
/// [`crate::links`]); everything else rustdoc would read as Markdown or HTML is escaped.
pub fn escape(s: &str) -> String {
    use crate::links::Piece;
    crate::links::pieces(s)
        .into_iter()
        .map(|p| match p {
            Piece::Text(t) => escape_text(t),
            Piece::Link(label, address) if label == address => format!("<{address}>"),
            Piece::Link(label, address) => format!("[{}]({address})", escape_text(label)),
        })
        .collect()
}

fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '[' | ']' | '<' | '>' | '*' | '_' | '`' | '#' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

fn prose(t: &Text) -> String {
    escape(&text(t))
}

/// The doc of an action's request struct: what it does, limits, retry safety, an example.
pub fn request(spec: &Spec, a: &ActionIr<'_>) -> String {
    let s = a.spec;
    let mut out = format!("`{}`: {}\n", a.name, escape(s.summary.best().trim()));
    if let Some(zh) = s.summary.zh.as_ref().filter(|_| !s.summary.en.is_empty()) {
        out.push_str(&format!("\n{}\n", escape(zh.trim())));
    }
    if let Some(d) = &s.description {
        out.push_str(&format!("\n{}\n", prose(d)));
    }
    out.push_str("\n# Limits and retries\n\n");
    if let Some(q) = &s.qps {
        let per_user = q
            .per_user
            .map_or("not documented".to_owned(), |n| format!("{n}/s"));
        let api = q
            .api
            .map_or("not documented".to_owned(), |n| format!("{n}/s"));
        out.push_str(&format!(
            "- QPS: {per_user} per user, {api} for the whole API.\n"
        ));
    }
    if let Some(l) = &s.callee_limit {
        out.push_str(&format!(
            "- Per callee: {}; beyond it the service answers `isv.BUSINESS_LIMIT_CONTROL` (the \
             client does not count calls).\n",
            describe::callee_limit(l)
        ));
    }
    let effect = match s.effect {
        popgen_spec::Effect::None => "read-only; the client may retry it on transient errors",
        popgen_spec::Effect::PlacesCall => {
            "**places a phone call**: the client never retries it once the request may have left the machine"
        }
        popgen_spec::Effect::CreatesTask => "creates a task or resource: never retried blindly",
        popgen_spec::Effect::ChangesTask => "changes a task or resource: never retried blindly",
        popgen_spec::Effect::ChangesConfig => "changes configuration: never retried blindly",
        popgen_spec::Effect::SendsMessage => "sends a message to a person: never retried blindly",
        popgen_spec::Effect::IssuesToken => "issues a token; safe to repeat",
        popgen_spec::Effect::Writes => {
            "changes something (the source does not say what): never retried blindly"
        }
    };
    out.push_str(&format!("- Effect: {effect}.\n"));
    let success = spec.success_code(s);
    out.push_str(&format!("- Success `Code`: `{success}`.\n"));
    if let Some(l) = &s.lifecycle {
        out.push_str(&format!(
            "- Lifecycle: {:?}: {}\n",
            l.state,
            escape(l.note.best())
        ));
    }
    if let Some(ex) = s.examples.requests.first() {
        out.push_str("\n# Example (from the reference)\n\n```text\n");
        for (k, v) in &ex.params {
            out.push_str(&format!("{k}={v}\n"));
        }
        out.push_str("```\n");
    }
    out
}

/// The doc of a request field: meaning, type, constraints with units, default, example.
pub fn param(spec: &Spec, p: &Param) -> String {
    let required = if p.required { "required" } else { "optional" };
    let mut out = format!(
        "`{}` ({}, {required}): {}\n",
        p.name,
        describe::param_type(p),
        escape(p.description.best().trim())
    );
    // The first line shows the English, or the Chinese when there is no English.
    if let Some(zh) = p
        .description
        .zh
        .as_ref()
        .filter(|_| !p.description.en.is_empty())
    {
        out.push_str(&format!("\n{}\n", escape(zh.trim())));
    }
    // Constraint phrases quote spec text in backticks on purpose: not escaped.
    let mut facts = describe::constraints(spec, p);
    if let Some(d) = &p.default {
        facts.push(format!("default: `{}`", d.to_wire()));
    }
    let example = p.example.as_ref().map(|e| e.to_wire());
    let block = example
        .as_ref()
        .filter(|e| e.contains('\n') || e.contains('`'));
    if let Some(e) = example.as_ref().filter(|_| block.is_none()) {
        facts.push(format!("example: `{e}`"));
    }
    if !facts.is_empty() {
        out.push('\n');
        for f in facts {
            out.push_str(&format!("- {f}\n"));
        }
    }
    // An example over several lines (a JSON document) reads as a block, not inline code.
    if let Some(e) = block {
        out.push_str(&format!("\nExample:\n\n```text\n{}\n```\n", e.trim_end()));
    }
    out
}

/// The doc of a response field.
pub fn field(f: &Field) -> String {
    let name = f.name.as_deref().unwrap_or("value");
    let mut out = match &f.description {
        Some(d) => format!("`{name}`: {}", prose(d)),
        None => format!("`{name}`."),
    };
    if !f.aliases.is_empty() {
        let also: Vec<String> = f.aliases.iter().map(|a| format!("`{a}`")).collect();
        out.push_str(&format!("\n\nAlso read from {}.", also.join(", ")));
    }
    if let Some(e) = &f.example {
        let e = e.to_wire();
        if e.contains('\n') {
            out.push_str(&format!("\n\nExample:\n\n```text\n{}\n```", e.trim_end()));
        } else {
            out.push_str(&format!("\n\nExample: `{}`", e.replace('`', "'")));
        }
    }
    out
}

/// The doc of an enum variant.
pub fn enum_value(v: &EnumValue) -> String {
    format!("`{}`: {}", v.value, prose(&v.meaning))
}
