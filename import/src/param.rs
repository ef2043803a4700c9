//! One metadata parameter → one spec param: where it travels, its wire shape (`repeatList` and
//! `flat` arrays become repeated params, `json` becomes JSON carried in a string, `simple` a
//! separated list), the gateway's and the documentation's required flags, structured bounds,
//! lengths, enums, patterns, defaults and examples, then what the description's prose adds.
//!
//! Structure beats prose: where both state a bound and disagree, the wider one is kept and the
//! disagreement noted (a client must never refuse a request the service accepts).

use popgen_spec::model::{
    EnumValue, Format, ItemRule, Length, LengthUnit, Note, NoteKind, Param, ParamLocation,
    ParamType, Range, Scalar, ScalarType, Text,
};

use crate::field::{self, Types};
use crate::prose;
use crate::read::{Cursor, Number, Sink};

/// Reads the parameter at `p` (an element of an action's `parameters`).
pub fn param(p: &Cursor<'_>, types: &mut Types, sink: &mut Sink) -> Option<Param> {
    let Some(name) = p.get("name").text(sink) else {
        sink.warn(p.path(), "a parameter without a name; ignored".into());
        return None;
    };
    let schema = p.get("schema");
    let mut out = blank(&name);
    out.location = location(&p.get("in"), sink, &mut out.notes, &name);
    out.description = Text {
        en: String::new(),
        zh: schema.get("description").text(sink),
    };
    let style = p.get("style").text(sink);
    shape(&mut out, &schema, style.as_deref(), types, sink);
    flags(&mut out, &schema, sink);
    if out.ty != ParamType::Repeated {
        scalar_rules(&mut out, &schema, sink);
    }
    let text = out.description.zh.clone().unwrap_or_default();
    apply_prose(&mut out, &prose::read(&text));
    Some(out)
}

/// An optional string param with nothing else said.
pub fn blank(name: &str) -> Param {
    ItemRule {
        ty: ScalarType::String,
        length: None,
        pattern: None,
        range: None,
        enum_values: None,
    }
    .to_param(name)
}

fn location(at: &Cursor<'_>, sink: &mut Sink, notes: &mut Vec<Note>, name: &str) -> ParamLocation {
    match at.text(sink).as_deref() {
        None | Some("query") => ParamLocation::Query,
        Some("formData" | "body") => ParamLocation::Form,
        Some(other) => {
            notes.push(import_note(
                name,
                format!("in: {other}"),
                "sent in the query, as RPC params are",
                "An RPC request carries its params in the query or a form body; the spec has no other place.",
            ));
            ParamLocation::Query
        }
    }
}

/// Type and wire shape, from `type`, `format`, `items` and the parameter's `style`.
fn shape(
    out: &mut Param,
    schema: &Cursor<'_>,
    style: Option<&str>,
    types: &mut Types,
    sink: &mut Sink,
) {
    let ty = schema.get("type").text(sink);
    match (ty.as_deref(), style) {
        (Some("array" | "object"), Some("json")) => {
            out.ty = ParamType::String;
            let inner = field::schema(None, schema, types, sink, 0);
            out.format = Some(Format::Json {
                schema: Box::new(inner),
            });
        }
        (Some("array"), Some("simple")) => {
            out.ty = ParamType::String;
            out.format = Some(Format::List {
                separator: ",".into(),
                max_items: count(&schema.get("maxItems"), sink),
                item: Box::new(item_rule(&schema.get("items"), sink)),
            });
        }
        (Some("array"), _) => repeated(out, schema, style, types, sink),
        (Some("object"), _) => {
            out.ty = ParamType::String;
            let inner = field::schema(None, schema, types, sink, 0);
            out.format = Some(Format::Json {
                schema: Box::new(inner),
            });
            out.notes.push(import_note(
                &out.name,
                format!("type: object, style: {}", style.unwrap_or("none")),
                "JSON carried in a string",
                "The spec has no flattened object param yet; the JSON form is the one the service documents for objects.",
            ));
        }
        (t, _) => out.ty = scalar_type(t, schema.get("format").text(sink).as_deref()).into(),
    }
}

/// `Name.1`, `Name.2`... (scalars) or `Name.1.Field` (objects).
fn repeated(
    out: &mut Param,
    schema: &Cursor<'_>,
    style: Option<&str>,
    types: &mut Types,
    sink: &mut Sink,
) {
    out.ty = ParamType::Repeated;
    out.max_items = count(&schema.get("maxItems"), sink);
    out.min_items = count(&schema.get("minItems"), sink).filter(|n| *n > 0);
    let items = schema.get("items");
    let props = items.get("properties");
    if items.get("type").text(sink).as_deref() == Some("object") || !props.is_null() {
        for (key, member) in props.entries(sink) {
            let mut f = blank(key);
            f.description = Text {
                en: String::new(),
                zh: member.get("description").text(sink),
            };
            shape(&mut f, &member, None, types, sink);
            flags(&mut f, &member, sink);
            if f.ty == ParamType::Repeated {
                // Nested lists have no flat wire form the spec knows: keep them as JSON.
                f.ty = ParamType::String;
                f.format = Some(Format::Json {
                    schema: Box::new(field::schema(None, &member, types, sink, 0)),
                });
            } else {
                scalar_rules(&mut f, &member, sink);
            }
            out.fields.push(f);
        }
        if out.fields.is_empty() {
            // Objects whose keys the metadata does not list: each element's keys are free.
            out.element = Some(Box::new(ItemRule {
                ty: ScalarType::String,
                length: None,
                pattern: None,
                range: None,
                enum_values: None,
            }));
            out.notes.push(import_note(
                &out.name,
                format!(
                    "items: object without properties (style: {})",
                    style.unwrap_or("repeatList")
                ),
                "repeated strings",
                "The metadata names no member of the elements; each element is sent as one value.",
            ));
        }
    } else {
        out.element = Some(Box::new(item_rule(&items, sink)));
    }
}

fn item_rule(items: &Cursor<'_>, sink: &mut Sink) -> ItemRule {
    let mut p = blank("");
    p.ty = scalar_type(
        items.get("type").text(sink).as_deref(),
        items.get("format").text(sink).as_deref(),
    )
    .into();
    scalar_rules(&mut p, items, sink);
    ItemRule {
        ty: p.ty.scalar().unwrap_or(ScalarType::String),
        length: p.length,
        pattern: p.pattern,
        range: p.range,
        enum_values: p.enum_values,
    }
}

/// The scalar type of a metadata `type`/`format`; unknown types are strings (which accept any
/// text the service accepts).
pub fn scalar_type(ty: Option<&str>, format: Option<&str>) -> ScalarType {
    match (ty, format) {
        (Some("integer"), Some("int32")) => ScalarType::Integer,
        (Some("integer"), _) => ScalarType::Long,
        (Some("number"), _) => ScalarType::Float,
        (Some("boolean"), _) => ScalarType::Boolean,
        _ => ScalarType::String,
    }
}

fn flags(out: &mut Param, schema: &Cursor<'_>, sink: &mut Sink) {
    out.required = schema.get("required").bool(sink).unwrap_or(false);
    if let Some(doc) = schema.get("docRequired").bool(sink)
        && doc != out.required
    {
        out.documented_required = Some(doc);
    }
}

fn count(c: &Cursor<'_>, sink: &mut Sink) -> Option<u32> {
    match c.number(sink)? {
        Number::Int(i) => u32::try_from(i).ok(),
        Number::Float(_) => None,
    }
}

/// Bounds, lengths, enum, pattern, default and example of a scalar.
fn scalar_rules(out: &mut Param, schema: &Cursor<'_>, sink: &mut Sink) {
    out.range = bounds(out, schema, sink);
    let (min, max) = (
        count(&schema.get("minLength"), sink),
        count(&schema.get("maxLength"), sink),
    );
    if (min.is_some() || max.is_some()) && out.ty == ParamType::String {
        out.length = Some(Length {
            min: min.filter(|m| *m > 0),
            max,
            unit: LengthUnit::Chars,
        });
        if out
            .length
            .as_ref()
            .is_some_and(|l| l.min.is_none() && l.max.is_none())
        {
            out.length = None;
        }
    }
    let values: Vec<String> = schema
        .get("enum")
        .items(sink)
        .iter()
        .filter_map(|v| v.str(sink))
        .collect();
    if !values.is_empty() {
        let titles = schema.get("enumValueTitles");
        out.enum_values = Some(
            dedup(values)
                .into_iter()
                .map(|v| EnumValue {
                    meaning: Text {
                        en: String::new(),
                        zh: titles.get(&v).text(sink),
                    },
                    value: v,
                    rust_name: None,
                })
                .collect(),
        );
    }
    if let Some(p) = schema.get("pattern").text(sink) {
        match regex::Regex::new(&p) {
            Ok(_) => out.pattern = Some(p),
            Err(_) => out.notes.push(import_note(
                &out.name,
                format!("pattern: {p}"),
                "no pattern",
                "The pattern is not a regular expression the client can check; enforcing a guess could refuse valid values.",
            )),
        }
    }
    out.default = schema
        .get("default")
        .str(sink)
        .and_then(|d| value_of(out, &d, "default"));
    out.example = schema
        .get("example")
        .str(sink)
        .and_then(|e| value_of(out, &e, "example"));
}

fn dedup(values: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    values
        .into_iter()
        .filter(|v| seen.insert(v.clone()))
        .collect()
}

/// The structured bounds; bounds that say nothing (0..2^63-1 on an int32) or do not fit the type
/// are dropped with a note.
fn bounds(out: &mut Param, schema: &Cursor<'_>, sink: &mut Sink) -> Option<Range> {
    if !matches!(
        out.ty,
        ParamType::Integer | ParamType::Long | ParamType::Float
    ) {
        return None;
    }
    let min = schema.get("minimum").number(sink);
    let max = schema.get("maximum").number(sink);
    let mut keep = |n: Option<Number>, key: &str| -> Option<Number> {
        let n = n?;
        let fits = match (out.ty, n) {
            (ParamType::Integer, Number::Int(i)) => i32::try_from(i).is_ok(),
            (ParamType::Integer | ParamType::Long, Number::Float(_)) => false,
            _ => true,
        };
        let degenerate = matches!(n, Number::Int(i) if i == i64::MAX || i == i64::MIN
            || (out.ty == ParamType::Integer && (i == i64::from(i32::MAX) || i == i64::from(i32::MIN))));
        if fits && !degenerate {
            return Some(n);
        }
        out.notes.push(import_note(
            &out.name,
            format!("{key}: {}", show(n)),
            "no bound",
            if fits {
                "The bound is the type's own limit: it says nothing about the values the service accepts."
            } else {
                "The bound does not fit the param's type."
            },
        ));
        None
    };
    let (min, max) = (keep(min, "minimum"), keep(max, "maximum"));
    if min.is_none() && max.is_none() {
        return None;
    }
    Some(Range {
        min: min.map(Number::to_spec),
        max: max.map(Number::to_spec),
        exclusive_min: min.is_some() && schema.get("exclusiveMinimum").bool(sink).unwrap_or(false),
        exclusive_max: max.is_some() && schema.get("exclusiveMaximum").bool(sink).unwrap_or(false),
        ..Range::default()
    })
}

fn show(n: Number) -> String {
    match n {
        Number::Int(i) => i.to_string(),
        Number::Float(f) => f.to_string(),
    }
}

/// A default or example as the param's type, or `None` with a note when it is not one.
fn value_of(out: &mut Param, text: &str, what: &str) -> Option<Scalar> {
    let parsed = match out.ty {
        ParamType::Integer | ParamType::Long => text.trim().parse::<i64>().ok().map(Scalar::Int),
        ParamType::Float => text
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(Scalar::Float),
        ParamType::Boolean => match text.trim().to_ascii_lowercase().as_str() {
            "true" => Some(Scalar::Bool(true)),
            "false" => Some(Scalar::Bool(false)),
            _ => None,
        },
        _ => Some(Scalar::Str(text.to_owned())),
    };
    if parsed.is_none() && what == "default" {
        out.notes.push(import_note(
            &out.name,
            format!("{what}: {text}"),
            format!("no {what}"),
            "The value is not of the param's type.",
        ));
    }
    parsed
}

/// What the description's prose adds (see [`crate::prose_rules`]).
fn apply_prose(out: &mut Param, f: &prose::Facts) {
    crate::prose_rules::apply(out, f);
}

/// A note of what the importer did with a fact it could not take as it is.
pub fn import_note(about: &str, says: String, chosen: impl Into<String>, why: &str) -> Note {
    Note {
        kind: NoteKind::Import,
        about: Some(about.to_owned()),
        reference_says: says,
        chosen: chosen.into(),
        why: why.to_owned(),
    }
}
