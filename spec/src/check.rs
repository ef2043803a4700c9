//! Semantic checks of a merged spec: what the schema cannot say. Ranges and lengths are ordered,
//! defaults and examples satisfy their own constraints, references resolve, wire names are unique,
//! and every example request and response of the reference agrees with the spec (or carries a note
//! that explains why it does not).

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::{Diagnostic, Level, Seg};
use crate::load::Spec;
use crate::model::*;
use crate::path;
use crate::values::{self, Problem};

mod callee_limit;
mod layout;
mod pricing;
mod receipt_call;

/// Runs every semantic check; returns errors and warnings.
pub fn check(spec: &Spec) -> Vec<Diagnostic> {
    let mut cx = Cx {
        spec,
        out: Vec::new(),
    };
    cx.product(&spec.product);
    for (name, e) in &spec.enums {
        cx.named_enum(&path!["enums", name.as_str()], e);
    }
    for (name, t) in &spec.types {
        cx.field(&path!["types", name.as_str()], t, FieldRole::Named);
    }
    for (name, action) in &spec.actions {
        cx.action(name, action);
    }
    for (name, r) in &spec.receipts {
        let base = path!["receipts", name.as_str()];
        cx.fields(&base, "fields", &r.fields);
        if let Some(call) = &r.call {
            cx.receipt_call(&base, name, r, call);
        }
        for (i, body) in r.examples.iter().enumerate() {
            cx.receipt_example(
                &[base.clone(), path!["examples", i]].concat(),
                body,
                &r.fields,
                &r.notes,
            );
        }
    }
    for (name, t) in &spec.code_tables {
        cx.codes(&path!["code_tables", name.as_str(), "codes"], &t.codes);
    }
    if let Some(p) = &spec.pricing {
        cx.pricing(p);
    }
    cx.out
}

/// What a field is used for, which decides which keys it needs.
#[derive(Clone, Copy, PartialEq)]
enum FieldRole {
    /// A member of an object: needs a name.
    Member,
    /// An array item, map value or JSON root: a name is optional (it names the element type).
    Element,
    /// A named type in `types`.
    Named,
}

/// A name mentioned by a rule, with the path (relative to the rule) where it is written.
type Named<'r> = (&'r str, Vec<Seg>);

struct Cx<'a> {
    spec: &'a Spec,
    out: Vec<Diagnostic>,
}

impl<'a> Cx<'a> {
    fn report(&mut self, level: Level, path: &[Seg], message: String, hint: Option<String>) {
        let d = self.spec.sources.diagnostic(level, path, message, hint);
        self.out.push(d);
    }

    fn error(&mut self, path: &[Seg], message: String, hint: Option<String>) {
        self.report(Level::Error, path, message, hint);
    }

    fn product(&mut self, p: &Product) {
        let base = path!["product"];
        self.areas(&p.areas);
        if !p.signatures.iter().any(|s| s.default) {
            self.error(
                &[base.clone(), path!["signatures"]].concat(),
                "no signature scheme is marked `default: true`".into(),
                Some("clients need to know which scheme to use unless told otherwise".into()),
            );
        }
        if p.signatures.iter().filter(|s| s.default).count() > 1 {
            self.error(
                &[base.clone(), path!["signatures"]].concat(),
                "more than one signature scheme is marked `default: true`".into(),
                None,
            );
        }
        self.params(
            &[base.clone(), path!["common_params"]].concat(),
            &p.common_params,
        );
        self.fields(
            &[base.clone(), path!["response", "fields"]].concat(),
            "fields",
            &p.response.fields,
        );
        self.fields(&base, "error_body", &p.error_body);
    }

    fn named_enum(&mut self, base: &[Seg], e: &NamedEnum) {
        self.enum_values(&[base, &path!["values"]].concat(), &e.values);
    }

    fn enum_values(&mut self, base: &[Seg], values: &[EnumValue]) {
        if values.is_empty() {
            self.error(base, "an enum needs at least one value".into(), None);
        }
        let mut seen = BTreeSet::new();
        for (i, v) in values.iter().enumerate() {
            if !seen.insert(v.value.as_str()) {
                self.error(
                    &[base, &path![i]].concat(),
                    format!("the value `{}` is listed twice", v.value),
                    None,
                );
            }
        }
    }

    fn codes(&mut self, base: &[Seg], codes: &[Code]) {
        let mut seen = BTreeSet::new();
        for (i, c) in codes.iter().enumerate() {
            if !seen.insert(c.code.as_str()) {
                self.error(
                    &[base, &path![i]].concat(),
                    format!("the code `{}` is listed twice", c.code),
                    None,
                );
            }
        }
    }

    fn action(&mut self, name: &str, a: &Action) {
        let base = path!["actions", name];
        if !name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            || !name.chars().all(|c| c.is_ascii_alphanumeric())
        {
            self.error(
                &base,
                format!("`{name}` is not an API action name"),
                Some("actions are keyed by their exact API name, e.g. `SingleCallByTts`".into()),
            );
        }
        self.action_layout(&base, a);
        let params_path = [base.clone(), path!["params"]].concat();
        self.params(&params_path, &a.params);
        let common: BTreeSet<&str> = self
            .spec
            .product
            .common_params
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        for (i, p) in a.params.iter().enumerate() {
            if common.contains(p.name.as_str()) {
                self.error(
                    &[params_path.clone(), path![i, "name"]].concat(),
                    format!(
                        "`{}` is a common param; it must not be repeated per action",
                        p.name
                    ),
                    Some(
                        "common params (Action, Format, Version, ...) are sent with every request"
                            .into(),
                    ),
                );
            }
        }
        self.rules(
            &[base.clone(), path!["rules"]].concat(),
            &a.rules,
            &a.params,
        );
        if let Some(l) = &a.callee_limit {
            self.callee_limit(&base, a, l);
        }
        self.fields(&base, "response", &a.response);
        self.codes(&[base.clone(), path!["errors"]].concat(), &a.errors);
        self.action_receipts(&base, a);
        for (i, ex) in a.examples.requests.iter().enumerate() {
            self.request_example(
                &[base.clone(), path!["examples", "requests", i]].concat(),
                a,
                ex,
            );
        }
        for (i, ex) in a.examples.responses.iter().enumerate() {
            let p = [base.clone(), path!["examples", "responses", i, "body"]].concat();
            let fields = if ex.error {
                &self.spec.product.error_body
            } else {
                &a.response
            };
            // An action's own `example-violation` notes excuse every example of it: a layered
            // spec cannot attach notes to the base's examples one by one.
            let excuses: Vec<Note> = ex
                .notes
                .iter()
                .chain(
                    a.notes
                        .iter()
                        .filter(|n| n.kind == NoteKind::ExampleViolation),
                )
                .cloned()
                .collect();
            match ex.format {
                ResponseFormat::Json => self.json_example(&p, &ex.body, fields, &excuses),
                ResponseFormat::Xml => self.xml_example(&p, name, &ex.body, fields, &excuses),
            }
        }
    }

    fn params(&mut self, base: &[Seg], params: &[Param]) {
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, p) in params.iter().enumerate() {
            let here = [base, &path![i]].concat();
            if let Some(first) = seen.insert(p.name.as_str(), i) {
                self.error(
                    &[here.clone(), path!["name"]].concat(),
                    format!("the wire name `{}` is used twice", p.name),
                    Some(format!(
                        "it is also param #{} of this list; wire names are unique per action",
                        first + 1
                    )),
                );
            }
            self.param(&here, p);
            let nested = base.last() == Some(&Seg::Key("fields".into()));
            self.param_layout(&here, p, nested);
        }
    }

    /// One param: its name, then its constraints, its shape (repeated or not) and its
    /// `default`/`example`/`fixed` values against its own constraints.
    fn param(&mut self, here: &[Seg], p: &Param) {
        let at = |k: &str| [here, &path![k]].concat();
        if p.name.is_empty() || p.name.contains(|c: char| c.is_whitespace() || c == '.') {
            self.error(
                &at("name"),
                format!("`{}` is not a wire name", p.name),
                Some("write the exact API name; a repeated param is one `type: repeated` param with `fields`".into()),
            );
        }
        self.param_constraints(here, p);
        self.param_shape(here, p);
        self.param_values(here, p);
    }

    /// `range`, `length`, `enum`/`enum_ref`, `pattern` and `format`, each well formed and on a
    /// type it applies to.
    fn param_constraints(&mut self, here: &[Seg], p: &Param) {
        let at = |k: &str| [here, &path![k]].concat();
        let numeric = matches!(
            p.ty,
            ParamType::Integer | ParamType::Long | ParamType::Float
        );
        if let Some(r) = &p.range {
            self.range(&at("range"), r, p.ty.scalar());
            if !numeric {
                self.error(
                    &at("range"),
                    format!(
                        "`range` applies to numbers, but `{}` is {}",
                        p.name,
                        a_ty_name(p.ty)
                    ),
                    Some("use `length` for strings".into()),
                );
            }
            if r.out_of_range == OutOfRange::Fallback && p.default.is_none() {
                self.error(
                    &at("range"),
                    "`out_of_range: fallback` needs a `default` to fall back to".into(),
                    Some("add the `default` the service uses, or use `out_of_range: error`".into()),
                );
            }
        }
        if let Some(l) = &p.length {
            self.length(&at("length"), l);
            if p.ty != ParamType::String {
                self.error(
                    &at("length"),
                    format!(
                        "`length` applies to strings, but `{}` is {}",
                        p.name,
                        a_ty_name(p.ty)
                    ),
                    Some("use `range` for numbers".into()),
                );
            }
        }
        if p.enum_values.is_some() && p.enum_ref.is_some() {
            self.error(
                &at("enum_ref"),
                "`enum` and `enum_ref` are both set".into(),
                Some("keep one".into()),
            );
        }
        if let Some(values) = &p.enum_values {
            self.enum_values(&at("enum"), values);
        }
        self.enum_ref(&at("enum_ref"), p.enum_ref.as_deref());
        if let Some(pattern) = &p.pattern {
            self.pattern(&at("pattern"), pattern);
        }
        if let Some(f) = &p.format {
            let millis_on_integer = matches!(f, Format::UnixMillis)
                && matches!(p.ty, ParamType::Integer | ParamType::Long);
            if p.ty != ParamType::String && !millis_on_integer {
                self.error(
                    &at("format"),
                    format!(
                        "`format` applies to strings, but `{}` is {}",
                        p.name,
                        a_ty_name(p.ty)
                    ),
                    None,
                );
            }
            self.format(&at("format"), f);
        }
    }

    /// A repeated param's `element`, `fields`, `max_items` and `rules` (and no `default` or
    /// `example` of its own); those keys on any other param.
    fn param_shape(&mut self, here: &[Seg], p: &Param) {
        let at = |k: &str| [here, &path![k]].concat();
        if p.ty == ParamType::Repeated {
            if let Some(e) = &p.element {
                self.param(&at("element"), &e.to_param(&p.name));
            }
            if p.fields.is_empty() && p.element.is_none() {
                self.error(
                    here,
                    format!("the repeated param `{}` has no `fields` and no `element`", p.name),
                    Some(
                        "list the members of a struct element (`MenuKeyMap.N.Key` is a field `Key`), or give a scalar `element` (`Name.N`)"
                            .into(),
                    ),
                );
            }
            self.params(&at("fields"), &p.fields);
            if p.max_items == Some(0) {
                self.error(
                    &at("max_items"),
                    "`max_items: 0` accepts no element at all".into(),
                    Some("remove it, or give the real limit".into()),
                );
            }
            self.rules(&at("rules"), &p.rules, &p.fields);
            for k in ["default", "example"] {
                let set = if k == "default" {
                    p.default.is_some()
                } else {
                    p.example.is_some()
                };
                if set {
                    self.error(
                        &at(k),
                        format!("a repeated param has no `{k}`; set it on its fields"),
                        None,
                    );
                }
            }
        } else {
            for (k, set) in [
                ("fields", !p.fields.is_empty()),
                ("max_items", p.max_items.is_some()),
                ("rules", !p.rules.is_empty()),
            ] {
                if set {
                    self.error(
                        &at(k),
                        format!("`{k}` only applies to `type: repeated` params"),
                        None,
                    );
                }
            }
        }
    }

    /// `default`, `example` and `fixed`: of the param's type, and within its own constraints (an
    /// example the reference shows may break them, with a note).
    fn param_values(&mut self, here: &[Seg], p: &Param) {
        let at = |k: &str| [here, &path![k]].concat();
        for (key, value) in [
            ("default", &p.default),
            ("example", &p.example),
            ("fixed", &p.fixed),
        ] {
            let Some(v) = value else { continue };
            let masked = matches!(v, Scalar::Str(s) if values::is_masked(s));
            if key == "example" && masked {
                continue;
            }
            if let Some(problem) = values::scalar_type_problem(p.ty, v) {
                self.error(
                    &at(key),
                    format!("the {key} {problem}"),
                    values::type_hint(p.ty, v, self.spec.sources.written(&at(key)).as_deref()),
                );
                continue;
            }
            let excused = key == "example"
                && has_note(
                    &p.notes,
                    &p.name,
                    &[NoteKind::ExampleViolation, NoteKind::Contradiction],
                );
            if excused || (key == "example" && values::is_masked(&v.to_wire())) {
                continue;
            }
            let skip_range = key == "default"
                && p.range
                    .as_ref()
                    .is_some_and(|r| r.out_of_range == OutOfRange::Fallback);
            for problem in values::param_value(self.spec, p, &v.to_wire(), skip_range) {
                self.error(
                    &at(key),
                    format!("the {key} `{}` does not satisfy the param's own constraints: {}", v.to_wire(), problem.message),
                    (key == "example").then(|| "if the reference shows this example, keep it and add a note `{kind: example-violation, about: <param>, ...}`".into()),
                );
            }
        }
    }

    fn range(&mut self, here: &[Seg], r: &Range, ty: Option<ScalarType>) {
        if let (Some(min), Some(max)) = (r.min, r.max)
            && min.as_f64() > max.as_f64()
        {
            self.error(
                here,
                format!(
                    "the range's min ({}) is greater than its max ({})",
                    num(min),
                    num(max)
                ),
                Some("swap them".into()),
            );
        }
        if r.min.is_none() && r.max.is_none() {
            self.error(here, "a range needs `min`, `max` or both".into(), None);
        }
        for (k, n) in [("min", r.min), ("max", r.max)] {
            let Some(n) = n else { continue };
            let fits = match (ty, n) {
                (Some(ScalarType::Integer), Number::Int(i)) => i32::try_from(i).is_ok(),
                (Some(ScalarType::Integer | ScalarType::Long), Number::Float(_)) => false,
                _ => true,
            };
            if !fits {
                self.error(&[here, &path![k]].concat(), format!("the {k} {} does not fit the param's type", num(n)), Some("an `integer` is 32-bit; use `long` for larger values, `float` for fractions".into()));
            }
        }
    }

    fn length(&mut self, here: &[Seg], l: &Length) {
        if let (Some(min), Some(max)) = (l.min, l.max)
            && min > max
        {
            self.error(
                here,
                format!("the length's min ({min}) is greater than its max ({max})"),
                Some("swap them".into()),
            );
        }
        if l.min.is_none() && l.max.is_none() {
            self.error(here, "a length needs `min`, `max` or both".into(), None);
        }
    }

    fn pattern(&mut self, here: &[Seg], pattern: &str) {
        if let Err(e) = regex::Regex::new(pattern) {
            // regex's message ends with a line `error: <what>`; keep only the what.
            let text = e.to_string();
            let last = text.lines().last().unwrap_or_default().trim();
            let first = last.strip_prefix("error: ").unwrap_or(last).to_owned();
            self.error(
                here,
                format!("the pattern `{pattern}` is not a valid regular expression: {first}"),
                Some("patterns use Rust `regex` syntax and match the whole value".into()),
            );
        }
    }

    fn enum_ref(&mut self, here: &[Seg], name: Option<&str>) {
        let Some(name) = name else { return };
        if !self.spec.enums.contains_key(name) {
            let hint = unknown_name_hint(name, self.spec.enums.keys(), "named enums", "enums");
            self.error(here, format!("unknown enum `{name}`"), Some(hint));
        }
    }

    fn format(&mut self, here: &[Seg], f: &Format) {
        match f {
            Format::DateTime { pattern } => {
                if let Err(e) = values::check_datetime_pattern(pattern) {
                    self.error(&[here, &path!["pattern"]].concat(), format!("the date-time pattern `{pattern}` is invalid: {e}"), Some("use yyyy, MM, dd, HH, mm, ss, SSS and literal characters, e.g. `yyyy-MM-dd HH:mm:ss`".into()));
                }
            }
            Format::UnixMillis => {}
            Format::Json { schema } => self.field(
                &[here, &path!["schema"]].concat(),
                schema,
                FieldRole::Element,
            ),
            Format::List {
                separator,
                max_items,
                item,
            } => {
                if separator.is_empty() {
                    self.error(
                        &[here, &path!["separator"]].concat(),
                        "the list separator is empty".into(),
                        None,
                    );
                }
                if *max_items == Some(0) {
                    self.error(
                        &[here, &path!["max_items"]].concat(),
                        "`max_items: 0` accepts no list at all".into(),
                        None,
                    );
                }
                let ip = [here, &path!["item"]].concat();
                if let Some(l) = &item.length {
                    self.length(&[ip.clone(), path!["length"]].concat(), l);
                }
                if let Some(r) = &item.range {
                    let at = [ip.clone(), path!["range"]].concat();
                    self.range(&at, r, Some(item.ty));
                    self.report(
                        Level::Warning,
                        &at,
                        "a list item's `range` is not checked: the items of a list are text to \
                         clients and to the checker (length, pattern and enum are)"
                            .into(),
                        Some("say it in the description, or make the param `type: repeated` with an `element`, whose range is checked".into()),
                    );
                }
                if let Some(p) = &item.pattern {
                    self.pattern(&[ip.clone(), path!["pattern"]].concat(), p);
                }
                if let Some(v) = &item.enum_values {
                    self.enum_values(&[ip, path!["enum"]].concat(), v);
                }
            }
        }
    }

    fn rules(&mut self, base: &[Seg], rules: &[Rule], scope: &[Param]) {
        let names: Vec<&str> = scope.iter().map(|p| p.name.as_str()).collect();
        for (i, rule) in rules.iter().enumerate() {
            let here = [base, &path![i]].concat();
            let (params, pattern): (Vec<Named>, Option<Named>) = match rule {
                Rule::RequiredIf { param, when, .. } => {
                    if when.matches.is_some() == when.equals.is_some() {
                        self.error(
                            &[here.clone(), path!["when"]].concat(),
                            "a condition needs exactly one of `matches` and `equals`".into(),
                            Some("`matches` takes a pattern, `equals` one value; keep one".into()),
                        );
                    }
                    if let Some(p) = scope.iter().find(|p| &p.name == param)
                        && p.required
                    {
                        self.report(
                            Level::Warning,
                            &[here.clone(), path!["param"]].concat(),
                            format!("`{param}` is always required; the rule adds nothing"),
                            None,
                        );
                    }
                    (
                        vec![
                            (param.as_str(), path!["param"]),
                            (when.param.as_str(), path!["when", "param"]),
                        ],
                        when.matches
                            .as_deref()
                            .map(|m| (m, path!["when", "matches"])),
                    )
                }
                Rule::MutuallyExclusive { params, .. }
                | Rule::AtLeastOneOf { params, .. }
                | Rule::Documented { params, .. } => (
                    params
                        .iter()
                        .enumerate()
                        .map(|(j, p)| (p.as_str(), path!["params", j]))
                        .collect(),
                    None,
                ),
                Rule::SameKind {
                    params, pattern, ..
                } => (
                    params
                        .iter()
                        .enumerate()
                        .map(|(j, p)| (p.as_str(), path!["params", j]))
                        .collect(),
                    Some((pattern.as_str(), path!["pattern"])),
                ),
            };
            for (name, sub) in params {
                if !names.contains(&name) {
                    let hint = match crate::shape::suggest(name, &names) {
                        Some(g) => format!("did you mean `{g}`?"),
                        None => format!("params here: {}", names.join(", ")),
                    };
                    self.error(
                        &[here.clone(), sub].concat(),
                        format!("the rule names `{name}`, which is not a param here"),
                        Some(hint),
                    );
                }
            }
            if let Some((p, sub)) = pattern {
                self.pattern(&[here.clone(), sub].concat(), p);
            }
        }
    }

    fn fields(&mut self, base: &[Seg], key: &str, fields: &[Field]) {
        let mut seen = BTreeSet::new();
        for (i, f) in fields.iter().enumerate() {
            let here = [base, &path![key, i]].concat();
            if let Some(n) = &f.name
                && !seen.insert(n.as_str())
            {
                self.error(
                    &[here.clone(), path!["name"]].concat(),
                    format!("the field `{n}` is listed twice"),
                    None,
                );
            }
            self.field(&here, f, FieldRole::Member);
        }
        // An alias is another key of the same member: it must name no other member.
        let names: BTreeSet<&str> = fields.iter().filter_map(|f| f.name.as_deref()).collect();
        let mut aliases = BTreeSet::new();
        for (i, f) in fields.iter().enumerate() {
            for (j, a) in f.aliases.iter().enumerate() {
                if names.contains(a.as_str()) || !aliases.insert(a.as_str()) || a.is_empty() {
                    self.error(
                        &[base, &path![key, i, "aliases", j]].concat(),
                        format!("the alias `{a}` is empty or already a key of this object"),
                        Some("an alias is another spelling of this member's key only".into()),
                    );
                }
            }
        }
    }

    fn field(&mut self, here: &[Seg], f: &Field, role: FieldRole) {
        let at = |k: &str| [here, &path![k]].concat();
        if role == FieldRole::Member && f.name.is_none() {
            self.error(
                here,
                "missing `name`".into(),
                Some("a member of an object is named by its exact key".into()),
            );
        }
        let ty = match (&f.ty, &f.type_ref) {
            (Some(_), Some(_)) => {
                self.error(
                    &at("type_ref"),
                    "`type` and `type_ref` are both set".into(),
                    Some("with `type_ref` the named type's shape applies; drop `type`".into()),
                );
                None
            }
            (None, None) => {
                self.error(here, "missing `type` (or `type_ref`)".into(), None);
                None
            }
            (Some(t), None) => Some(*t),
            (None, Some(name)) => {
                if !self.spec.types.contains_key(name) {
                    let hint =
                        unknown_name_hint(name, self.spec.types.keys(), "named types", "types");
                    self.error(
                        &at("type_ref"),
                        format!("unknown type `{name}`"),
                        Some(hint),
                    );
                }
                None
            }
        };
        self.enum_ref(&at("enum_ref"), f.enum_ref.as_deref());
        if let Some(values) = &f.enum_values {
            self.enum_values(&at("enum"), values);
        }
        if f.enum_values.is_some() && f.enum_ref.is_some() {
            self.error(
                &at("enum_ref"),
                "`enum` and `enum_ref` are both set".into(),
                Some("keep one".into()),
            );
        }
        let Some(ty) = ty else { return };
        if let (Some(example), Some(scalar)) = (&f.example, ty.scalar())
            && let Some(problem) = values::field_example_problem(scalar, &f.also, example)
        {
            self.error(
                &at("example"),
                format!("the example {problem}"),
                Some("fix the example, or list the type the reference shows in `also`".into()),
            );
        }
        let wants = |k: &str, set: bool, ok: bool, cx: &mut Self| {
            if set && !ok {
                cx.error(
                    &at(k),
                    format!("`{k}` does not apply to a field of type `{}`", ty.as_str()),
                    None,
                );
            }
        };
        wants(
            "fields",
            !f.fields.is_empty(),
            ty == FieldType::Object,
            self,
        );
        wants("items", f.items.is_some(), ty == FieldType::Array, self);
        wants("values", f.values.is_some(), ty == FieldType::Map, self);
        wants("json", f.json.is_some(), ty == FieldType::String, self);
        let millis = matches!(f.format, Some(Format::UnixMillis))
            && matches!(ty, FieldType::Integer | FieldType::Long);
        wants(
            "format",
            f.format.is_some(),
            ty == FieldType::String || millis,
            self,
        );
        match ty {
            FieldType::Object if f.fields.is_empty() => self.error(
                here,
                "an object field needs `fields`".into(),
                Some("list its members, or use `type: map` / `type: any`".into()),
            ),
            FieldType::Array if f.items.is_none() => self.error(
                here,
                "an array field needs `items`".into(),
                Some("e.g. `items: {name: Data, type: object, fields: [...]}`".into()),
            ),
            FieldType::Map if f.values.is_none() => {
                self.error(here, "a map field needs `values`".into(), None)
            }
            _ => {}
        }
        self.fields(here, "fields", &f.fields);
        if let Some(items) = &f.items {
            self.field(&at("items"), items, FieldRole::Element);
        }
        if let Some(values) = &f.values {
            self.field(&at("values"), values, FieldRole::Element);
        }
        if let Some(json) = &f.json {
            self.field(&at("json"), json, FieldRole::Element);
        }
        if let Some(format) = &f.format {
            self.format(&at("format"), format);
        }
    }

    fn request_example(&mut self, here: &[Seg], a: &Action, ex: &RequestExample) {
        let problems = values::request_params(self.spec, a, &ex.params);
        for Problem { param, message } in problems {
            if has_note(&ex.notes, &param, &[]) {
                continue;
            }
            let p = if ex.params.contains_key(&param) {
                [here, &path!["params", param.as_str()]].concat()
            } else {
                [here, &path!["params"]].concat()
            };
            self.error(&p, format!("the example request disagrees with the spec: {message}"), Some(format!("if the reference really shows this, add a note to the example: `notes: [{{kind: example-violation, about: {param}, ...}}]`")));
        }
    }

    fn json_example(&mut self, here: &[Seg], body: &str, fields: &[Field], notes: &[Note]) {
        let value: serde_json::Value = match serde_json::from_str(body) {
            Ok(v) => v,
            Err(e) => {
                return self.error(
                    here,
                    format!("the example is not valid JSON: {e}"),
                    Some("re-join lines the PDF broke inside names and numbers".into()),
                );
            }
        };
        for Problem { param, message } in values::json_body(self.spec, fields, &value) {
            if !has_note(notes, &param, &[]) {
                self.error(here, format!("the example disagrees with the spec at `{param}`: {message}"), Some(format!("fix the spec, or add a note `{{kind: contradiction, about: {param}, ...}}` to the example")));
            }
        }
    }

    /// A receipt push is a JSON array of records (the console's test push is one object).
    fn receipt_example(&mut self, here: &[Seg], body: &str, fields: &[Field], notes: &[Note]) {
        match serde_json::from_str::<serde_json::Value>(body) {
            Ok(serde_json::Value::Array(records)) => {
                for (i, record) in records.iter().enumerate() {
                    for Problem { param, message } in values::json_body(self.spec, fields, record) {
                        if !has_note(notes, &param, &[]) {
                            self.error(here, format!("record {i} of the example disagrees with the spec at `{param}`: {message}"), None);
                        }
                    }
                }
            }
            Ok(_) => self.error(
                here,
                "a receipt example is a JSON array of records".into(),
                Some("the platform pushes batches: `[{...}, {...}]`".into()),
            ),
            Err(e) => self.error(here, format!("the example is not valid JSON: {e}"), None),
        }
    }

    fn xml_example(
        &mut self,
        here: &[Seg],
        action: &str,
        body: &str,
        fields: &[Field],
        notes: &[Note],
    ) {
        match values::xml_body(self.spec, action, fields, body) {
            Err(e) => self.error(
                here,
                format!("the example is not well-formed XML: {e}"),
                None,
            ),
            Ok(problems) => {
                for Problem { param, message } in problems {
                    if !has_note(notes, &param, &[]) {
                        self.error(here, format!("the example disagrees with the spec at `{param}`: {message}"), Some(format!("fix the spec, or add a note `{{kind: contradiction, about: {param}, ...}}` to the example")));
                    }
                }
            }
        }
    }
}

/// Whether a note excuses a problem about `about` (any note kind when `kinds` is empty).
fn has_note(notes: &[Note], about: &str, kinds: &[NoteKind]) -> bool {
    notes.iter().any(|n| {
        (kinds.is_empty() || kinds.contains(&n.kind))
            && n.about.as_deref().is_some_and(|a| {
                a == about
                    || about.starts_with(&format!("{a}."))
                    || about.starts_with(&format!("{a}["))
            })
    })
}

/// The hint for a reference to a name that is not defined: the likely typo, or what is defined.
pub(crate) fn unknown_name_hint<'k>(
    name: &str,
    defined: impl Iterator<Item = &'k String>,
    what: &str,
    section: &str,
) -> String {
    let known: Vec<&str> = defined.map(String::as_str).collect();
    match crate::shape::suggest(name, &known) {
        Some(g) => format!("did you mean `{g}`?"),
        None if known.is_empty() => format!("no {what} are defined; add one under `{section}:`"),
        None => format!("{what} defined: {}", known.join(", ")),
    }
}

fn num(n: Number) -> String {
    match n {
        Number::Int(i) => i.to_string(),
        Number::Float(f) => f.to_string(),
    }
}

fn a_ty_name(t: ParamType) -> &'static str {
    match t {
        ParamType::String => "a string",
        ParamType::Integer => "an integer",
        ParamType::Long => "a long",
        ParamType::Boolean => "a boolean",
        ParamType::Float => "a float",
        ParamType::Repeated => "a repeated param",
    }
}
