//! Constraints written out for people, with units: "1–15 bytes", "one of: RUNNING, STOP",
//! "300–1200 (out of range: the service uses the default 800)". Shared by rustdoc comments of the
//! generated client and the published reference docs, so both say the same thing.

use crate::load::Spec;
use crate::model::{
    CalleeLimit, Field, Format, ItemRule, Length, LengthUnit, Number, OutOfRange, Param, ParamType,
    Range, Rule, Scalar, Severity,
};

/// The wire type of a param as the reference names it.
pub fn param_type(p: &Param) -> &'static str {
    match p.ty {
        ParamType::String => "String",
        ParamType::Integer => "Integer",
        ParamType::Long => "Long",
        ParamType::Boolean => "Boolean",
        ParamType::Float => "Float",
        ParamType::Repeated => "Repeated",
    }
}

fn num(n: Number) -> String {
    match n {
        Number::Int(i) => i.to_string(),
        Number::Float(f) => f.to_string(),
    }
}

/// `1–3`, `≥ 2`, `≤ 30`.
pub fn range(r: &Range, default: Option<&Scalar>) -> String {
    let lower = |a| format!("{} {}", if r.exclusive_min { ">" } else { "≥" }, num(a));
    let upper = |b| format!("{} {}", if r.exclusive_max { "<" } else { "≤" }, num(b));
    let span = match (r.min, r.max) {
        (Some(a), Some(b)) if !r.exclusive_min && !r.exclusive_max => {
            format!("{}–{}", num(a), num(b))
        }
        (Some(a), Some(b)) => format!("{} and {}", lower(a), upper(b)),
        (Some(a), None) => lower(a),
        (None, Some(b)) => upper(b),
        (None, None) => "any".to_owned(),
    };
    match (r.out_of_range, default) {
        (OutOfRange::Fallback, Some(d)) => {
            format!(
                "{span} (out of range: the service uses the default {})",
                d.to_wire()
            )
        }
        (OutOfRange::Fallback, None) => {
            format!("{span} (out of range: the service uses its default)")
        }
        (OutOfRange::Error, _) => span,
    }
}

/// `1–15 bytes`, `at most 30 characters`.
pub fn length(l: &Length) -> String {
    let unit = match l.unit {
        LengthUnit::Bytes => "bytes",
        LengthUnit::Chars => "characters",
    };
    match (l.min, l.max) {
        (Some(a), Some(b)) => format!("{a}–{b} {unit}"),
        (Some(a), None) => format!("at least {a} {unit}"),
        (None, Some(b)) => format!("at most {b} {unit}"),
        (None, None) => format!("any length in {unit}"),
    }
}

/// The values a param or field accepts, if it is an enum.
pub fn enum_values<'a>(
    spec: &'a Spec,
    inline: Option<&'a [crate::model::EnumValue]>,
    named: Option<&str>,
) -> Option<Vec<&'a str>> {
    match (inline, named) {
        (Some(v), _) => Some(v.iter().map(|e| e.value.as_str()).collect()),
        (None, Some(n)) => spec
            .enums
            .get(n)
            .map(|e| e.values.iter().map(|v| v.value.as_str()).collect()),
        _ => None,
    }
}

fn format(spec: &Spec, f: &Format) -> String {
    match f {
        Format::DateTime { pattern } => format!("date-time `{pattern}`"),
        Format::UnixMillis => "Unix time in milliseconds".to_owned(),
        Format::Json { schema } => format!("JSON {}", shape(spec, schema)),
        Format::List {
            separator,
            max_items,
            item,
        } => {
            let max = max_items
                .map(|m| format!(", at most {m} items"))
                .unwrap_or_default();
            let each = item_rules(item);
            let each = if each.is_empty() {
                String::new()
            } else {
                format!("; each {}", each.join(", "))
            };
            format!("list separated by `{separator}`{max}{each}")
        }
    }
}

fn item_rules(i: &ItemRule) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(l) = &i.length {
        out.push(length(l));
    }
    if let Some(r) = &i.range {
        out.push(range(r, None));
    }
    if let Some(p) = &i.pattern {
        out.push(format!("matching `{p}`"));
    }
    if let Some(v) = &i.enum_values {
        out.push(format!(
            "one of: {}",
            v.iter()
                .map(|e| e.value.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    out
}

/// A short description of a JSON shape: `object {name, code}`, `array of object {...}`.
pub fn shape(spec: &Spec, f: &Field) -> String {
    use crate::model::FieldType as T;
    let f = spec.resolve(f);
    if let (None, Some(unknown)) = (&f.ty, &f.type_ref) {
        return unknown.clone();
    }
    match f.ty {
        Some(T::Object) => {
            let names: Vec<&str> = f.fields.iter().filter_map(|m| m.name.as_deref()).collect();
            format!("object {{{}}}", names.join(", "))
        }
        Some(T::Array) => match &f.items {
            Some(i) => format!("array of {}", shape(spec, i)),
            None => "array".to_owned(),
        },
        Some(T::Map) => match &f.values {
            Some(v) => format!("object mapping names to {}", shape(spec, v)),
            None => "object".to_owned(),
        },
        Some(T::String) => "string".to_owned(),
        Some(T::Integer | T::Long) => "integer".to_owned(),
        Some(T::Float) => "number".to_owned(),
        Some(T::Boolean) => "boolean".to_owned(),
        Some(T::Any) | None => "value".to_owned(),
    }
}

/// `at most 1 call per minute, 5 per hour and 20 per day to the same `CalledNumber``.
pub fn callee_limit(l: &CalleeLimit) -> String {
    format!(
        "at most {} call{} per minute, {} per hour and {} per day to the same `{}`",
        l.per_minute,
        if l.per_minute == 1 { "" } else { "s" },
        l.per_hour,
        l.per_day,
        l.param
    )
}

/// A cross-field rule in one line: its kind, whether a client only warns, and its words
/// (`required if (a warning): StartTtsParams is required when …`).
pub fn rule(r: &Rule) -> String {
    let how = match r.severity() {
        Some(Severity::Warning) => " (a warning)",
        _ => "",
    };
    format!("{}{how}: {}", r.label(), r.description().best().trim())
}

/// Every constraint of a param, one phrase each, in a stable order.
pub fn constraints(spec: &Spec, p: &Param) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(r) = &p.range {
        out.push(format!("range {}", range(r, p.default.as_ref())));
    }

    if let Some(l) = &p.length {
        out.push(format!("length {}", length(l)));
    }
    if let Some(values) = enum_values(spec, p.enum_values.as_deref(), p.enum_ref.as_deref()) {
        let open = p
            .enum_ref
            .as_ref()
            .and_then(|n| spec.enums.get(n))
            .is_some_and(|e| e.open);
        if open {
            // The list names the values known so far; other values are sent as they are.
            out.push(format!(
                "known values: {} (open: others are accepted)",
                values.join(", ")
            ));
        } else {
            out.push(format!("one of: {}", values.join(", ")));
        }
    }
    if let Some(f) = &p.fixed {
        out.push(format!("always `{}`", f.to_wire()));
    }
    if let Some(pat) = &p.pattern {
        out.push(format!("matches `{pat}`"));
    }
    if let Some(f) = &p.format {
        out.push(format(spec, f));
    }
    if p.ty == ParamType::Repeated {
        let count = crate::rules::ItemCount::of(p)
            .map(|c| c.describe())
            .unwrap_or_default();
        match &p.element {
            Some(e) if p.fields.is_empty() => {
                out.push(format!("repeated as `{}.N`, N from 1{count}", p.name));
                let each = item_rules(e);
                if !each.is_empty() {
                    out.push(format!("each item: {}", each.join("; ")));
                }
            }
            _ => out.push(format!("repeated as `{}.N.*`, N from 1{count}", p.name)),
        }
    }
    if p.sensitive {
        out.push("sensitive: redacted in Debug output and logs".to_owned());
    }
    if let Some(u) = &p.unavailable {
        out.push(format!("not available: {}", u.best()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_lengths_read_naturally() {
        let r = Range {
            min: Some(Number::Int(1)),
            max: Some(Number::Int(3)),
            ..Range::default()
        };
        assert_eq!(range(&r, None), "1–3");
        let r = Range {
            min: Some(Number::Int(0)),
            max: Some(Number::Int(100)),
            exclusive_min: true,
            ..Range::default()
        };
        assert_eq!(range(&r, None), "> 0 and ≤ 100");
        let r = Range {
            max: Some(Number::Float(1.5)),
            exclusive_max: true,
            ..Range::default()
        };
        assert_eq!(range(&r, None), "< 1.5");
        let r = Range {
            min: Some(Number::Int(300)),
            max: Some(Number::Int(1200)),
            out_of_range: OutOfRange::Fallback,
            ..Range::default()
        };
        assert_eq!(
            range(&r, Some(&Scalar::Int(800))),
            "300–1200 (out of range: the service uses the default 800)"
        );
        let l = Length {
            min: Some(1),
            max: Some(15),
            unit: LengthUnit::Bytes,
        };
        assert_eq!(length(&l), "1–15 bytes");
        let l = Length {
            min: None,
            max: Some(30),
            unit: LengthUnit::Chars,
        };
        assert_eq!(length(&l), "at most 30 characters");
    }

    #[test]
    fn callee_limits_name_the_param_and_every_window() {
        let l = CalleeLimit {
            param: "CalledNumber".to_owned(),
            per_minute: 1,
            per_hour: 5,
            per_day: 20,
        };
        assert_eq!(
            callee_limit(&l),
            "at most 1 call per minute, 5 per hour and 20 per day to the same `CalledNumber`"
        );
    }
}
