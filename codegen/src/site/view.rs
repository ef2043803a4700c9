//! The view model of the site: the spec resolved into what a page shows — constraints written out
//! with units (by [`popgen_spec::describe`], the same text rustdoc shows), repeated params in
//! their wire form, JSON-in-string shapes as trees, notes next to what they are about.

use popgen_spec::model::{
    Action, Code, CodeTable, CodeTableKind, Effect, EnumValue, Field, FieldType, Format,
    LifecycleState, Note, Param, ParamType, Receipt, Rule, Text,
};
use popgen_spec::{Spec, describe};
use serde::Serialize;

use super::Options;
use super::snippet;
use crate::ir::{ActionIr, Api};

/// Text in English with the reference's Chinese, when there is any.
#[derive(Debug, Clone, Serialize)]
pub struct Bi {
    en: String,
    zh: Option<String>,
}

impl From<&Text> for Bi {
    fn from(t: &Text) -> Self {
        Bi {
            en: crate::links::markdown(t.best().trim()),
            zh: t
                .zh
                .as_deref()
                .map(str::trim)
                .filter(|z| !z.is_empty())
                .map(crate::links::markdown),
        }
    }
}

impl Bi {
    /// The English text, for search results.
    pub fn line(&self) -> String {
        self.en.clone()
    }
}

impl ActionView {
    /// The summary, for search results.
    pub fn summary_line(&self) -> String {
        self.summary.line()
    }
}

impl ParamRow {
    /// The description's first sentence-ish line, for search results.
    pub fn summary_line(&self) -> String {
        let en = self.description.line();
        match en.char_indices().nth(90) {
            Some((i, _)) => format!("{}…", &en[..i]),
            None => en,
        }
    }
}

impl ReceiptView {
    /// The summary, for search results.
    pub fn summary_line(&self) -> String {
        self.summary.line()
    }
}

impl TableView {
    /// The title, for search results.
    pub fn title_line(&self) -> String {
        self.title.line()
    }
}

fn bi(t: Option<&Text>) -> Option<Bi> {
    t.map(Bi::from)
}

/// Everything the pages show.
#[derive(Debug, Serialize)]
pub struct Site {
    pub product: ProductView,
    pub areas: Vec<AreaView>,
    pub actions: Vec<ActionView>,
    pub receipts: Vec<ReceiptView>,
    pub tables: Vec<TableView>,
    pub common: Vec<ParamRow>,
    /// The Pricing page, when the spec has prices.
    pub pricing: Option<super::pricing::PricingView>,
}

#[derive(Debug, Serialize)]
pub struct ProductView {
    pub name: String,
    version: String,
    title: Bi,
    endpoint: String,
    crate_name: String,
    success_code: String,
    actions: usize,
    /// Whether the site has a Pricing page.
    pricing: bool,
    /// The command line's name (`dyvms`).
    cli: String,
}

#[derive(Debug, Serialize)]
pub struct AreaView {
    id: String,
    en: String,
    zh: String,
    actions: Vec<ActionSummary>,
}

#[derive(Debug, Serialize)]
pub struct ActionSummary {
    name: String,
    summary: Bi,
    qps: String,
    side_effects: bool,
    effect: &'static str,
    lifecycle: Option<&'static str>,
}

#[derive(Debug, Serialize)]
pub struct ActionView {
    pub name: String,
    pub summary: Bi,
    area_id: String,
    area_en: String,
    area_zh: String,
    description: Option<Bi>,
    source: Option<String>,
    qps_per_user: String,
    qps_api: String,
    qps_note: Option<Bi>,
    callee_limit: Option<String>,
    effect: &'static str,
    side_effects: bool,
    places_call: bool,
    on_timeout: String,
    success_code: String,
    lifecycle: Option<LifecycleView>,
    pub params: Vec<ParamRow>,
    rules: Vec<RuleView>,
    response: Vec<Node>,
    example_requests: Vec<ExampleRequest>,
    example_responses: Vec<ExampleResponse>,
    errors: Vec<CodeView>,
    receipts: Vec<ActionReceiptView>,
    /// The businesses it bills under, when the spec has prices.
    billing: Vec<super::pricing::BillingView>,
    /// Whether the spec has prices (an action billing under none says so).
    priced: bool,
    notes: Vec<NoteView>,
    /// The crate feature that compiles the action (its area's), if any.
    feature: Option<String>,
    pub rust: String,
    pub dyvms: String,
}

#[derive(Debug, Serialize)]
struct LifecycleView {
    state: &'static str,
    note: Bi,
    since: Option<String>,
}

/// One row of a parameter table; members of a repeated param follow it with `depth: 1`.
#[derive(Debug, Serialize)]
pub struct ParamRow {
    pub anchor: String,
    pub wire: String,
    depth: u8,
    ty: &'static str,
    required: bool,
    default: Option<String>,
    constraints: Vec<String>,
    example: Option<String>,
    description: Bi,
    values: Vec<ValueView>,
    json: Vec<Node>,
    json_label: Option<String>,
    notes: Vec<NoteView>,
    rules: Vec<RuleView>,
}

#[derive(Debug, Serialize)]
struct ValueView {
    value: String,
    meaning: Bi,
}

#[derive(Debug, Serialize)]
struct RuleView {
    kind: &'static str,
    warning: bool,
    description: Bi,
}

/// A node of a response tree or a JSON shape.
#[derive(Debug, Serialize)]
pub struct Node {
    name: String,
    ty: String,
    required: bool,
    sensitive: bool,
    description: Option<Bi>,
    example: Option<String>,
    values: Vec<ValueView>,
    notes: Vec<NoteView>,
    /// The children are the decoded content of a string carrying JSON.
    decoded: bool,
    children: Vec<Node>,
}

#[derive(Debug, Serialize)]
struct ExampleRequest {
    params: Vec<(String, String)>,
    notes: Vec<NoteView>,
}

#[derive(Debug, Serialize)]
struct ExampleResponse {
    format: &'static str,
    error: bool,
    body: String,
    notes: Vec<NoteView>,
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct NoteView {
    kind: &'static str,
    about: Option<String>,
    reference_says: String,
    chosen: String,
    why: String,
}

#[derive(Debug, Serialize)]
pub struct CodeView {
    pub code: String,
    pub anchor: String,
    http_status: Option<u16>,
    pub meaning: Bi,
    fix: Option<Bi>,
    retryable: bool,
}

#[derive(Debug, Serialize)]
pub struct TableView {
    pub id: String,
    title: Bi,
    description: Option<Bi>,
    kind: &'static str,
    pub codes: Vec<CodeView>,
    notes: Vec<NoteView>,
}

#[derive(Debug, Serialize)]
pub struct ReceiptView {
    pub name: String,
    pub summary: Bi,
    description: Option<Bi>,
    fields: Vec<Node>,
    examples: Vec<String>,
    notes: Vec<NoteView>,
    /// The actions that cause it, each with its condition.
    actions: Vec<ActionReceiptView>,
}

/// A receipt message and an action linked by the action's `receipts`: on an action page the
/// message's name, on the receipts page the action's; and the condition it is sent under.
#[derive(Debug, Serialize)]
pub struct ActionReceiptView {
    name: String,
    /// Sent only when the request's param `when.0` is `when.1`; `None`: about every call.
    when: Option<(String, String)>,
}

fn action_receipt(r: &popgen_spec::model::ActionReceipt) -> ActionReceiptView {
    ActionReceiptView {
        name: r.message().to_owned(),
        when: r.when().map(|w| (w.param.clone(), w.equals.to_wire())),
    }
}

/// Builds the view model.
pub fn site(spec: &Spec, opts: &Options) -> Site {
    let cli = crate::generate::cli_name(spec, &crate::generate::Options::default());
    let product = ProductView {
        name: spec.product.name.clone(),
        version: spec.product.version.clone(),
        title: (&spec.product.title).into(),
        endpoint: spec.product.endpoint.clone(),
        crate_name: opts.crate_name.clone(),
        success_code: spec.product.response.success_code.clone(),
        actions: spec.actions.len(),
        pricing: spec.pricing.is_some(),
        cli: cli.clone(),
    };
    let areas = spec
        .areas()
        .into_iter()
        .map(|g| AreaView {
            id: g.area.id,
            en: g.area.title.best().to_owned(),
            zh: g.area.title.zh.unwrap_or_default(),
            actions: g
                .actions
                .iter()
                .map(|n| summary(n, &spec.actions[*n]))
                .collect(),
        })
        .collect();
    let api = crate::ir::build(spec);
    Site {
        product,
        areas,
        actions: api
            .actions
            .iter()
            .map(|a| action(spec, opts, &api, a))
            .collect(),
        receipts: spec
            .receipts
            .iter()
            .map(|(n, r)| receipt(spec, n, r))
            .collect(),
        tables: spec
            .code_tables
            .iter()
            .map(|(id, t)| table(id, t))
            .collect(),
        common: {
            let mut rows = Vec::new();
            for p in &spec.product.common_params {
                param_rows(spec, p, None, &mut rows);
            }
            rows
        },
        pricing: super::pricing::view(spec, &cli),
    }
}

fn qps(n: Option<u32>) -> String {
    n.map_or_else(|| "—".to_owned(), |n| format!("{n}/s"))
}

fn effect_label(e: Effect) -> &'static str {
    match e {
        Effect::None => "read-only",
        Effect::PlacesCall => "places a phone call",
        Effect::CreatesTask => "creates a task or resource",
        Effect::ChangesTask => "changes a task or resource",
        Effect::ChangesConfig => "changes account configuration",
        Effect::SendsMessage => "sends a message to a person",
        Effect::IssuesToken => "issues a token",
        Effect::Writes => "changes something",
    }
}

fn lifecycle_label(s: LifecycleState) -> &'static str {
    match s {
        LifecycleState::Deprecated => "deprecated",
        LifecycleState::Withdrawn => "withdrawn",
    }
}

fn summary(name: &str, a: &Action) -> ActionSummary {
    let q = a.qps.as_ref();
    ActionSummary {
        name: name.to_owned(),
        summary: (&a.summary).into(),
        qps: qps(q.and_then(|q| q.per_user)),
        side_effects: a.effect.has_side_effects(),
        effect: effect_label(a.effect),
        lifecycle: a.lifecycle.as_ref().map(|l| lifecycle_label(l.state)),
    }
}

fn on_timeout(a: &Action) -> String {
    if a.effect.has_side_effects() {
        "The client never sends this request twice on its own: it is retried only when the \
         request provably never left the machine (DNS, connection refused, TLS). When it may have \
         reached the service but no answer came (a timeout, a dropped connection), the call fails \
         with `Error::OutcomeUnknown`, which carries the request's `OutId`: find out whether it \
         took effect before sending it again."
            .to_owned()
    } else {
        "Safe to repeat: it changes nothing, so the client retries network errors, 5xx and throttling answers on its own (bounded, with backoff and a retry budget).".to_owned()
    }
}

fn action(spec: &Spec, opts: &Options, api: &Api<'_>, air: &ActionIr<'_>) -> ActionView {
    let (name, a) = (air.name, air.spec);
    let q = a.qps.as_ref();
    // The action's notes, then those on a conditional receipt (why it is sent only then).
    let receipt_notes = a.receipts.iter().filter_map(|r| match r {
        popgen_spec::model::ActionReceipt::When(c) => Some(&c.notes),
        popgen_spec::model::ActionReceipt::Always(_) => None,
    });
    let mut notes: Vec<NoteView> = a
        .notes
        .iter()
        .chain(receipt_notes.flatten())
        .map(note)
        .collect();
    let mut params = Vec::new();
    for p in &a.params {
        param_rows(spec, p, None, &mut params);
    }
    // Action-level notes about a param are shown in its row too (the contradiction sits there).
    for row in &mut params {
        for n in notes
            .iter()
            .filter(|n| n.about.as_deref() == Some(&row.wire))
        {
            row.notes.push(n.clone());
        }
    }
    notes.retain(|n| {
        !n.about
            .as_deref()
            .is_some_and(|ab| params.iter().any(|r| r.wire == ab))
    });
    ActionView {
        name: name.to_owned(),
        summary: (&a.summary).into(),
        area_id: a
            .area
            .clone()
            .unwrap_or_else(|| popgen_spec::areas::OTHER.to_owned()),
        area_en: spec.area_title(a.area.as_deref()).best().to_owned(),
        area_zh: spec.area_title(a.area.as_deref()).zh.unwrap_or_default(),
        description: bi(a.description.as_ref()),
        source: a.source.as_ref().map(|s| {
            let mut out = s.title.clone();
            if let Some(v) = &s.version {
                out.push_str(&format!(" ({v})"));
            }
            if let Some(sec) = &s.section {
                out.push_str(&format!(", section {sec}"));
            }
            out
        }),
        qps_per_user: qps(q.and_then(|q| q.per_user)),
        qps_api: qps(q.and_then(|q| q.api)),
        qps_note: bi(q.and_then(|q| q.note.as_ref())),
        callee_limit: a.callee_limit.as_ref().map(describe::callee_limit),
        effect: effect_label(a.effect),
        side_effects: a.effect.has_side_effects(),
        places_call: a.effect == Effect::PlacesCall,
        on_timeout: on_timeout(a),
        success_code: a
            .success_code
            .clone()
            .unwrap_or_else(|| spec.product.response.success_code.clone()),
        lifecycle: a.lifecycle.as_ref().map(|l| LifecycleView {
            state: lifecycle_label(l.state),
            note: (&l.note).into(),
            since: l.since.clone(),
        }),
        params,
        rules: a.rules.iter().map(rule).collect(),
        response: a.response.iter().map(|f| node(spec, f, 0)).collect(),
        example_requests: a
            .examples
            .requests
            .iter()
            .map(|r| ExampleRequest {
                params: ordered_example(a, &r.params),
                notes: r.notes.iter().map(note).collect(),
            })
            .collect(),
        example_responses: a
            .examples
            .responses
            .iter()
            .map(|r| ExampleResponse {
                format: match r.format {
                    popgen_spec::model::ResponseFormat::Json => "JSON",
                    popgen_spec::model::ResponseFormat::Xml => "XML",
                },
                error: r.error,
                body: pretty_body(&r.body),
                notes: r.notes.iter().map(note).collect(),
            })
            .collect(),
        errors: a.errors.iter().map(code).collect(),
        receipts: a.receipts.iter().map(action_receipt).collect(),
        billing: super::pricing::billing(spec, name),
        priced: spec.pricing.is_some(),
        notes,
        feature: air.feature.clone(),
        rust: snippet::rust_snippet(api, &opts.crate_name, air),
        dyvms: snippet::dyvms_line(a, name),
    }
}

/// The example's params in the spec's param order (the reference's), then any others.
pub fn ordered_example(
    a: &Action,
    params: &std::collections::BTreeMap<String, String>,
) -> Vec<(String, String)> {
    let rank = |k: &str| {
        let head = k.split('.').next().unwrap_or(k);
        a.params
            .iter()
            .position(|p| p.name == head)
            .unwrap_or(usize::MAX)
    };
    let mut out: Vec<(String, String)> =
        params.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    out.sort_by_key(|(k, _)| rank(k));
    out
}

fn pretty_body(body: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(body) {
        Ok(_) => pretty_json(body),
        Err(_) => pretty_xml(body),
    }
}

/// Indents valid JSON text, keeping the reference's key order (a `Value` would sort the keys).
fn pretty_json(body: &str) -> String {
    let mut out = String::with_capacity(body.len() * 2);
    let mut depth = 0usize;
    let (mut in_str, mut escaped) = (false, false);
    let mut chars = body.trim().chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.push_str(&"  ".repeat(depth));
    };
    while let Some(c) = chars.next() {
        if in_str {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_str = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                while chars.peek().is_some_and(|n| n.is_whitespace()) {
                    chars.next();
                }
                if matches!(chars.peek(), Some('}' | ']')) {
                    out.push(chars.next().unwrap_or(c));
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out
}

/// One element per line, indented: enough for the reference's flat, re-joined XML bodies.
fn pretty_xml(body: &str) -> String {
    let mut out = String::new();
    let mut depth: usize = 0;
    let mut rest = body.trim();
    while let Some(start) = rest.find('<') {
        let text = rest[..start].trim();
        let Some(end) = rest[start..].find('>') else {
            break;
        };
        let tag = &rest[start..start + end + 1];
        rest = &rest[start + end + 1..];
        if !text.is_empty() {
            out.push_str(text);
        }
        if tag.starts_with("</") {
            depth = depth.saturating_sub(1);
            if text.is_empty() {
                out.push('\n');
                out.push_str(&"  ".repeat(depth));
            }
            out.push_str(tag);
        } else if tag.starts_with("<?") || tag.ends_with("/>") {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&"  ".repeat(depth));
            out.push_str(tag);
        } else {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&"  ".repeat(depth));
            out.push_str(tag);
            depth += 1;
        }
    }
    out.push_str(rest.trim());
    out
}

fn param_rows(spec: &Spec, p: &Param, parent: Option<&str>, out: &mut Vec<ParamRow>) {
    let wire = match parent {
        Some(parent) => format!("{parent}.N.{}", p.name),
        None => p.name.clone(),
    };
    let values = values(spec, p.enum_values.as_deref(), p.enum_ref.as_deref());
    let (json, json_label) = match &p.format {
        Some(Format::Json { schema }) => {
            let (label, children, _) = shape(spec, schema, 0);
            (children, Some(label))
        }
        _ => (Vec::new(), None),
    };
    out.push(ParamRow {
        anchor: format!("p-{wire}"),
        wire: wire.clone(),
        depth: u8::from(parent.is_some()),
        ty: describe::param_type(p),
        required: p.required,
        default: p.default.as_ref().map(|d| d.to_wire()),
        constraints: describe::constraints(spec, p),
        example: p.example.as_ref().map(|e| e.to_wire()),
        description: (&p.description).into(),
        values,
        json,
        json_label,
        notes: p.notes.iter().map(note).collect(),
        rules: p.rules.iter().map(rule).collect(),
    });
    if p.ty == ParamType::Repeated {
        for f in &p.fields {
            param_rows(spec, f, Some(&wire), out);
        }
    }
}

fn values(spec: &Spec, inline: Option<&[EnumValue]>, named: Option<&str>) -> Vec<ValueView> {
    let list = match (inline, named) {
        (Some(v), _) => v,
        (None, Some(n)) => spec.enums.get(n).map_or(&[][..], |e| &e.values[..]),
        _ => &[],
    };
    list.iter()
        .map(|v| ValueView {
            value: v.value.clone(),
            meaning: (&v.meaning).into(),
        })
        .collect()
}

fn rule(r: &Rule) -> RuleView {
    RuleView {
        kind: r.label(),
        warning: r.severity() == Some(popgen_spec::model::Severity::Warning),
        description: r.description().into(),
    }
}

pub(super) fn note(n: &Note) -> NoteView {
    NoteView {
        kind: match n.kind {
            popgen_spec::model::NoteKind::Contradiction => "contradiction",
            popgen_spec::model::NoteKind::Typo => "typo",
            popgen_spec::model::NoteKind::FormatMismatch => "format mismatch",
            popgen_spec::model::NoteKind::ExampleViolation => "example violation",
            popgen_spec::model::NoteKind::Ambiguity => "ambiguity",
            popgen_spec::model::NoteKind::Update => "update",
            popgen_spec::model::NoteKind::Unparsed => "unparsed",
            popgen_spec::model::NoteKind::Import => "import",
        },
        about: n.about.clone(),
        reference_says: n.reference_says.clone(),
        chosen: n.chosen.clone(),
        why: n.why.clone(),
    }
}

fn code(c: &Code) -> CodeView {
    CodeView {
        code: c.code.clone(),
        anchor: format!("c-{}", c.code),
        http_status: c.http_status,
        meaning: (&c.meaning).into(),
        fix: bi(c.fix.as_ref()),
        retryable: c.retryable,
    }
}

fn table(id: &str, t: &CodeTable) -> TableView {
    TableView {
        id: id.to_owned(),
        title: (&t.title).into(),
        description: bi(t.description.as_ref()),
        kind: match t.kind {
            CodeTableKind::ApiErrors => "API error codes",
            CodeTableKind::Status => "status codes",
        },
        codes: t.codes.iter().map(code).collect(),
        notes: t.notes.iter().map(note).collect(),
    }
}

fn receipt(spec: &Spec, name: &str, r: &Receipt) -> ReceiptView {
    ReceiptView {
        name: name.to_owned(),
        summary: (&r.summary).into(),
        description: bi(r.description.as_ref()),
        fields: r.fields.iter().map(|f| node(spec, f, 0)).collect(),
        examples: r.examples.iter().map(|e| pretty_body(e)).collect(),
        notes: r.notes.iter().map(note).collect(),
        actions: spec
            .actions
            .iter()
            .filter_map(|(n, a)| {
                let r = a.receipts.iter().find(|x| x.message() == name)?;
                Some(ActionReceiptView {
                    name: n.clone(),
                    when: action_receipt(r).when,
                })
            })
            .collect(),
    }
}

/// Deep enough for every real shape; stops a `type_ref` cycle.
const MAX_DEPTH: usize = 12;

fn node(spec: &Spec, f: &Field, depth: usize) -> Node {
    let (ty, children, decoded) = shape(spec, f, depth);
    let resolved = spec.resolve(f);
    Node {
        name: f.name.clone().unwrap_or_else(|| "(item)".to_owned()),
        ty,
        required: f.required,
        sensitive: f.sensitive,
        description: bi(f.description.as_ref().or(resolved.description.as_ref())),
        example: f.example.as_ref().map(|e| e.to_wire()),
        values: values(
            spec,
            resolved.enum_values.as_deref(),
            resolved.enum_ref.as_deref(),
        ),
        notes: f.notes.iter().map(note).collect(),
        decoded,
        children,
    }
}

/// A field's type label, its children, and whether they are decoded JSON text.
fn shape(spec: &Spec, f: &Field, depth: usize) -> (String, Vec<Node>, bool) {
    let r = spec.resolve(f);
    if depth > MAX_DEPTH {
        return ("…".to_owned(), Vec::new(), false);
    }
    let members = |fields: &[Field]| {
        fields
            .iter()
            .map(|m| node(spec, m, depth + 1))
            .collect::<Vec<_>>()
    };
    match r.ty {
        Some(FieldType::Object) => ("object".to_owned(), members(&r.fields), false),
        Some(FieldType::Array) => match &r.items {
            Some(items) => {
                let (label, children, decoded) = shape(spec, items, depth);
                (format!("array of {label}"), children, decoded)
            }
            None => ("array".to_owned(), Vec::new(), false),
        },
        Some(FieldType::Map) => match &r.values {
            Some(v) => {
                let (label, children, decoded) = shape(spec, v, depth);
                (format!("map of {label}"), children, decoded)
            }
            None => ("map".to_owned(), Vec::new(), false),
        },
        Some(FieldType::String) if r.json.is_some() => {
            let inner = r.json.as_deref().expect("checked above");
            let (label, children, _) = shape(spec, inner, depth);
            (format!("string (JSON {label})"), children, true)
        }
        Some(t) => {
            let base = match t {
                FieldType::String => "string",
                FieldType::Integer => "integer",
                FieldType::Long => "long",
                FieldType::Boolean => "boolean",
                FieldType::Float => "float",
                _ => "any",
            };
            let label = match &r.format {
                Some(Format::DateTime { pattern }) => format!("{base} (date-time {pattern})"),
                Some(Format::UnixMillis) => format!("{base} (Unix ms)"),
                _ => base.to_owned(),
            };
            (label, Vec::new(), false)
        }
        None => ("any".to_owned(), Vec::new(), false),
    }
}
