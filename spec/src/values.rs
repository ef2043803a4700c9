//! Checking concrete values against the spec: a param value against its constraints, an example
//! request against an action's params, an example body (JSON or XML) against a response schema.
//!
//! The checks compare the reference's examples with the spec; generated clients enforce the same
//! constraints through `popgen-runtime`'s rule functions.

use std::collections::BTreeMap;

use crate::load::Spec;
use crate::model::*;
use crate::rules::{ItemCount, ValueRules};
use popgen_runtime::rules::list::Problem as ListProblem;

/// A value that breaks the spec: where (a wire name or field path) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The wire name (`PlayTimes`, `MenuKeyMap.2.Code`) or field path (`Data.konwledgeCount`).
    pub param: String,
    /// What is wrong.
    pub message: String,
}

/// Whether a value is masked by the reference (`1590****000`): content rules do not apply to it.
pub fn is_masked(v: &str) -> bool {
    v.contains("****")
}

/// Describes a mismatch between a YAML scalar and the param type, if any.
pub fn scalar_type_problem(ty: ParamType, v: &Scalar) -> Option<String> {
    let ok = matches!(
        (ty, v),
        (ParamType::String, Scalar::Str(_))
            | (ParamType::Integer | ParamType::Long, Scalar::Int(_))
            | (ParamType::Float, Scalar::Int(_) | Scalar::Float(_))
            | (ParamType::Boolean, Scalar::Bool(_))
    );
    if ok {
        return None;
    }
    let found = match v {
        Scalar::Bool(_) => "a boolean",
        Scalar::Int(_) => "an integer",
        Scalar::Float(_) => "a number",
        Scalar::Str(_) => "a string",
    };
    Some(format!(
        "is {found}, but the param is of type `{}`",
        ty.as_str()
    ))
}

/// Describes a field example that is neither of the field's type nor of a type in `also`.
pub fn field_example_problem(ty: ScalarType, also: &[ScalarType], v: &Scalar) -> Option<String> {
    let fits = |t: ScalarType| match (t, v) {
        (ScalarType::String, _) => true,
        (ScalarType::Integer | ScalarType::Long, Scalar::Int(_)) => true,
        (ScalarType::Integer | ScalarType::Long, Scalar::Str(s)) => {
            s.trim().parse::<i64>().is_ok() || is_masked(s)
        }
        (ScalarType::Float, Scalar::Int(_) | Scalar::Float(_)) => true,
        (ScalarType::Float, Scalar::Str(s)) => s.trim().parse::<f64>().is_ok(),
        (ScalarType::Boolean, Scalar::Bool(_)) => true,
        (ScalarType::Boolean, Scalar::Str(s)) => {
            matches!(s.as_str(), "true" | "false" | "True" | "False")
        }
        _ => false,
    };
    if fits(ty) || also.iter().any(|t| fits(*t)) {
        return None;
    }
    Some(format!(
        "`{}` does not read as the field's type `{ty:?}`",
        v.to_wire()
    ))
}

/// How to fix a typed scalar that does not match its param's type. `written` is the value as the
/// file spells it: YAML has already turned `0571123` into 571123, which is not what to quote.
pub fn type_hint(ty: ParamType, v: &Scalar, written: Option<&str>) -> Option<String> {
    match (ty, v) {
        (ParamType::String, _) => Some(format!(
            "quote it: `'{}'` (unquoted YAML numbers lose leading zeros, `0571` reads as 571)",
            written.map_or_else(|| v.to_wire(), str::to_owned)
        )),
        (_, Scalar::Str(_)) => Some("write it without quotes".into()),
        _ => None,
    }
}

/// Checks a wire value (as text) against a param's type and constraints: the rules
/// [`ValueRules::of`] gives the generated client, each evaluated by the runtime's rule function
/// of its kind. `skip_range` leaves the range out (a default the service falls back to).
pub fn param_value(spec: &Spec, p: &Param, v: &str, skip_range: bool) -> Vec<Problem> {
    let Some(rules) = ValueRules::of(spec, p) else {
        return Vec::new();
    };
    value_problems(spec, &rules, v, skip_range)
        .into_iter()
        .map(|message| Problem {
            param: p.name.clone(),
            message,
        })
        .collect()
}

/// A number read from the wire, as the generated client holds it.
#[derive(Clone, Copy)]
enum Read {
    Int(i64),
    Float(f64),
}

/// What `rules` find wrong with `v`; nothing more once the text does not read as its type (the
/// client has no value to check then either).
fn value_problems(spec: &Spec, rules: &ValueRules<'_>, v: &str, skip_range: bool) -> Vec<String> {
    use popgen_runtime::params::FromWire;
    use popgen_runtime::rules::{fixed, json, one_of, pattern};
    let mut out = Vec::new();
    let read = match rules.parse {
        Some(ScalarType::Integer) => i32::from_wire(v).map(|n| Some(Read::Int(n.into()))),
        Some(ScalarType::Long) => i64::from_wire(v).map(|n| Some(Read::Int(n))),
        Some(ScalarType::Float) => f64::from_wire(v).map(|x| Some(Read::Float(x))),
        Some(ScalarType::Boolean) => bool::from_wire(v).map(|_| None),
        Some(ScalarType::String) | None => Ok(None),
    };
    let number = match read {
        Ok(n) => n,
        Err(e) => return vec![e.message(Some(v))],
    };
    // An inverted range is reported on its own; every value would fail it.
    let inverted =
        |r: &Range| matches!((r.min, r.max), (Some(a), Some(b)) if a.as_f64() > b.as_f64());
    if let (Some(n), Some(r), false) = (number, rules.range, skip_range)
        && !inverted(r)
        && let Err(e) = range(n, r)
    {
        out.push(e.message(Some(v)));
    }
    let json_text = match rules.format {
        Some(Format::Json { .. }) => Some(json::any(v)),
        _ => None,
    };
    if let Some(l) = rules.length {
        // A JSON param is measured on the compact text the client sends, not as written.
        let compact = match &json_text {
            Some(Ok(())) => serde_json::from_str::<serde_json::Value>(v)
                .ok()
                .map(|value| value.to_string()),
            _ => None,
        };
        if let Some(m) = length_problem(l, compact.as_deref().unwrap_or(v)) {
            out.push(m);
        }
    }
    if let Some(values) = rules.values.as_ref().filter(|values| values.enforced)
        && !one_of::contains(&values.values, v)
    {
        out.push(format!("`{v}` is not one of: {}", values.values.join(", ")));
    }
    if let Some(expected) = &rules.fixed
        && !fixed::matches(v, expected)
    {
        out.push(format!("must be `{expected}`, got `{v}`"));
    }
    if let Some(p) = rules.pattern
        && let Ok(re) = regex::Regex::new(&pattern::whole(p))
        && !pattern::is_match(&re, v)
    {
        out.push(format!("`{v}` does not match the pattern `{p}`"));
    }
    match rules.format {
        Some(Format::DateTime { pattern }) => {
            let format = runtime_datetime_format(pattern);
            if let Err(reason) = popgen_runtime::rules::datetime::check(v, &format)
                && check_datetime_pattern(pattern).is_ok()
            {
                out.push(format!("`{v}` is not a date-time `{pattern}`: {reason}"));
            }
        }
        Some(Format::UnixMillis) => match i64::from_wire(v) {
            Ok(n) => {
                if let Err(e) = popgen_runtime::rules::unix_millis::apply(n) {
                    out.push(e.message(Some(v)));
                }
            }
            Err(e) => out.push(e.message(Some(v))),
        },
        Some(Format::Json { schema }) => match json_text {
            Some(Err(e)) => out.push(e.message(None)),
            _ => {
                let value: serde_json::Value = serde_json::from_str(v).unwrap_or_default();
                let mut found = Vec::new();
                reads_as(spec, schema, &value, "", &mut found);
                out.extend(found.into_iter().map(|p| {
                    if p.param.is_empty() {
                        p.message
                    } else {
                        format!("at `{}`: {}", p.param, p.message)
                    }
                }));
            }
        },
        Some(Format::List {
            separator,
            max_items,
            item,
        }) => {
            let max = max_items.map(|m| m as usize);
            match popgen_runtime::rules::list::check(v, separator, max) {
                Ok(()) => {}
                Err(ListProblem::EmptyItem(n)) => out.push(format!("item {n} is empty")),
                Err(ListProblem::TooMany(n)) => {
                    out.push(format!("has {n} items, more than {}", max.unwrap_or(0)))
                }
            }
            let each = ValueRules::list_item(item);
            let items = popgen_runtime::rules::list::items(v, separator);
            for (i, it) in items.enumerate().filter(|(_, it)| !it.is_empty()) {
                for m in value_problems(spec, &each, it, false) {
                    out.push(format!("item {} {m}", i + 1));
                }
            }
        }
        None => {}
    }
    out
}

/// Whether a JSON param's value reads as the type the generated client holds it in, as that
/// type reads it (serde, strictly: a string member is a JSON string, an integer fits its width,
/// a required member is there, `null` only where the member is optional; members the schema
/// does not name are ignored; an object may also come as the array of its members in order).
/// This is the client's rule for a JSON param; a response example is held to its schema by
/// [`json_body`] instead, where decoders are lenient and the spec wants every member named.
fn reads_as(spec: &Spec, f: &Field, v: &serde_json::Value, at: &str, out: &mut Vec<Problem>) {
    use serde_json::Value as J;
    let Some((ty, shape)) = resolve(spec, f) else {
        return;
    };
    let ok = match (ty, v) {
        (FieldType::Any, _) => true,
        (FieldType::Object, J::Object(map)) => {
            for m in &shape.fields {
                let Some(name) = m.name.as_deref() else {
                    continue;
                };
                let here = join(at, name);
                let found = std::iter::once(name)
                    .chain(m.aliases.iter().map(String::as_str))
                    .find_map(|k| map.get(k));
                match found {
                    None if member_required(spec, m) => out.push(problem(
                        &here,
                        format!("the required member `{name}` is missing"),
                    )),
                    Some(J::Null) if !m.required && !member_is_list(spec, m) => {}
                    Some(value) => reads_as(spec, m, value, &here, out),
                    None => {}
                }
            }
            true
        }
        // serde reads a struct from the array of its members, in order.
        (FieldType::Object, J::Array(items)) => {
            if items.len() > shape.fields.len() {
                out.push(problem(
                    at,
                    format!(
                        "an array of {} values for an object of {} members",
                        items.len(),
                        shape.fields.len()
                    ),
                ));
            }
            for (i, m) in shape.fields.iter().enumerate() {
                let here = format!("{at}[{i}]");
                match items.get(i) {
                    None if member_required(spec, m) => out.push(problem(
                        &here,
                        format!(
                            "the required member `{}` is missing",
                            m.name.as_deref().unwrap_or("")
                        ),
                    )),
                    Some(J::Null) if !m.required && !member_is_list(spec, m) => {}
                    Some(value) => reads_as(spec, m, value, &here, out),
                    None => {}
                }
            }
            true
        }
        (FieldType::Map, J::Object(map)) => {
            if let Some(values) = &shape.values {
                for (k, item) in map {
                    reads_as(spec, values, item, &join(at, k), out);
                }
            }
            true
        }
        (FieldType::Array, J::Array(items)) => {
            if let Some(item) = &shape.items {
                for (i, it) in items.iter().enumerate() {
                    reads_as(spec, item, it, &format!("{at}[{i}]"), out);
                }
            }
            true
        }
        (FieldType::String, J::String(_)) => true,
        (FieldType::Integer, J::Number(n)) => n.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
        (FieldType::Long, J::Number(n)) => n.is_i64(),
        (FieldType::Float, J::Number(_)) => true,
        (FieldType::Boolean, J::Bool(_)) => true,
        _ => false,
    };
    if !ok {
        out.push(problem(
            at,
            format!(
                "is {}, but the spec says {}",
                popgen_runtime::decode::json_kind(v),
                ty.as_str()
            ),
        ));
    }
}

/// A member serde needs: required, and not a list or an `any` (which have defaults).
fn member_required(spec: &Spec, m: &Field) -> bool {
    m.required && !member_is_list(spec, m)
}

/// A member held as a list, which is empty when missing (but not `null`).
fn member_is_list(spec: &Spec, m: &Field) -> bool {
    matches!(resolve(spec, m), Some((FieldType::Array, _)))
}

/// The range rule on a number read from the wire, with the runtime's function: integers
/// compared exactly when the bounds are integers, anything else as `f64` (NaN in no range).
fn range(n: Read, r: &Range) -> Result<(), popgen_runtime::rules::RuleError> {
    use popgen_runtime::rules::range::{Bounded, apply, apply_open};
    // As the derive calls them: `apply` for an inclusive range, `apply_open` otherwise.
    fn check<T: Bounded>(
        n: T,
        min: Option<T>,
        max: Option<T>,
        open: (bool, bool),
    ) -> Result<(), popgen_runtime::rules::RuleError> {
        match open {
            (false, false) => apply(n, min, max),
            (min_open, max_open) => apply_open(n, min, max, min_open, max_open),
        }
    }
    let int = |b: Option<Number>| match b {
        Some(Number::Int(i)) => Ok(Some(i)),
        None => Ok(None),
        Some(Number::Float(_)) => Err(()),
    };
    let open = (
        r.exclusive_min && r.min.is_some(),
        r.exclusive_max && r.max.is_some(),
    );
    if let (Read::Int(n), Ok(min), Ok(max)) = (n, int(r.min), int(r.max)) {
        return check(n, min, max, open);
    }
    let x = match n {
        Read::Int(i) => i as f64,
        Read::Float(x) => x,
    };
    let float = |b: Option<Number>| b.map(|b| b.as_f64());
    check(x, float(r.min), float(r.max), open)
}

fn length_problem(l: &Length, v: &str) -> Option<String> {
    use popgen_runtime::rules::length;
    if let (Some(min), Some(max)) = (l.min, l.max)
        && min > max
    {
        return None; // an inverted length is reported on its own; every value would fail it
    }
    let bound = |m: Option<u32>| m.map(|m| m as usize);
    let (min, max) = (bound(l.min), bound(l.max));
    let checked = match l.unit {
        LengthUnit::Bytes => length::bytes(v, min, max),
        LengthUnit::Chars => length::chars(v, min, max),
    };
    checked.err().map(|e| e.message(Some(v)))
}

/// Checks an example request's params against an action: names known, required present, values
/// valid (masked values are only checked for being there).
pub fn request_params(spec: &Spec, a: &Action, params: &BTreeMap<String, String>) -> Vec<Problem> {
    let mut out = Vec::new();
    let by_name: BTreeMap<&str, &Param> = a.params.iter().map(|p| (p.name.as_str(), p)).collect();
    let common: Vec<&str> = spec
        .product
        .common_params
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    let mut seen_repeated: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (name, value) in params {
        let element: Param;
        let (param, member) = match by_name.get(name.as_str()) {
            Some(p) => (*p, None),
            None => match split_repeated(name) {
                Some((prefix, n, field)) => match by_name.get(prefix) {
                    Some(p) if p.ty == ParamType::Repeated => {
                        seen_repeated.entry(&p.name).or_default().push(n);
                        let member = match (field, &p.element) {
                            // `Name.N`: one value of a list of scalars, with the element's rules.
                            (None, Some(e)) if p.fields.is_empty() => {
                                element = e.to_param(&p.name);
                                Some(&element)
                            }
                            (Some(field), _) => p.fields.iter().find(|f| f.name == field),
                            (None, _) => None,
                        };
                        match member {
                            Some(f) => (*p, Some(f)),
                            None => {
                                let message = match field {
                                    Some(field) => format!("`{prefix}` has no member `{field}`"),
                                    None => format!(
                                        "`{prefix}` is a list of members: write `{name}.<Field>`"
                                    ),
                                };
                                out.push(problem(name, message));
                                continue;
                            }
                        }
                    }
                    _ => {
                        out.push(problem(name, format!("unknown param `{name}`")));
                        continue;
                    }
                },
                None if common.contains(&name.as_str()) => continue,
                None => {
                    let known: Vec<&str> = by_name.keys().copied().collect();
                    let message = match crate::shape::suggest(name, &known) {
                        Some(g) => format!("unknown param `{name}` (did you mean `{g}`?)"),
                        None => format!("unknown param `{name}`"),
                    };
                    out.push(problem(name, message));
                    continue;
                }
            },
        };
        let target = member.unwrap_or(param);
        if target.ty == ParamType::Repeated {
            out.push(problem(
                name,
                format!("`{name}` is repeated: write `{name}.1.<Field>`"),
            ));
            continue;
        }
        if is_masked(value) {
            continue;
        }
        for mut p in param_value(spec, target, value, false) {
            p.param = name.clone();
            out.push(p);
        }
    }
    for p in a.params.iter().filter(|p| p.required) {
        let present = if p.ty == ParamType::Repeated {
            seen_repeated.contains_key(p.name.as_str())
        } else {
            params.contains_key(&p.name)
        };
        if !present {
            out.push(problem(
                &p.name,
                format!("the required param `{}` is missing", p.name),
            ));
        }
    }
    for (name, mut ns) in seen_repeated {
        ns.sort_unstable();
        ns.dedup();
        if ns.first() == Some(&0) {
            out.push(problem(name, format!("`{name}` is numbered from 1, not 0")));
        }
        if let Some(count) = by_name.get(name).and_then(|p| ItemCount::of(p))
            && let Err(e) = count.check(ns.len())
        {
            out.push(problem(name, format!("`{name}` {}", e.message(None))));
        }
    }
    let sent = |name: &str| params.get(name).map(String::as_str);
    for rule in &a.rules {
        if let Some(p) = rule_problem(rule, &sent) {
            out.push(p);
        }
    }
    out
}

/// Checks one cross-field rule against the params sent (by wire name); error-severity rules
/// only, since a warning-severity rule may hold for reasons the example does not show.
fn rule_problem<'v>(rule: &Rule, sent: &dyn Fn(&str) -> Option<&'v str>) -> Option<Problem> {
    let matches =
        |pattern: &str, v: &str| regex::Regex::new(pattern).is_ok_and(|re| re.is_match(v));
    match rule {
        Rule::RequiredIf {
            param,
            when,
            severity: Severity::Error,
            ..
        } => {
            let holds = sent(&when.param).is_some_and(|v| match (&when.matches, &when.equals) {
                (Some(m), _) => matches(m, v),
                (None, Some(e)) => e == v,
                (None, None) => true,
            });
            (holds && sent(param).is_none()).then(|| {
                problem(
                    param,
                    format!(
                        "`{param}` is required when `{}` is sent like this",
                        when.param
                    ),
                )
            })
        }
        Rule::MutuallyExclusive {
            params,
            severity: Severity::Error,
            ..
        } => {
            let both: Vec<&String> = params.iter().filter(|p| sent(p).is_some()).collect();
            (both.len() > 1)
                .then(|| problem(both[1], format!("{} exclude each other", params.join(", "))))
        }
        Rule::AtLeastOneOf {
            params,
            severity: Severity::Error,
            ..
        } => params.iter().all(|p| sent(p).is_none()).then(|| {
            problem(
                &params[0],
                format!("one of {} is required", params.join(", ")),
            )
        }),
        Rule::SameKind {
            params,
            pattern,
            severity: Severity::Error,
            ..
        } => {
            let values: Option<Vec<&str>> = params.iter().map(|p| sent(p)).collect();
            let values = values.filter(|v| !v.iter().any(|x| is_masked(x)))?;
            let kinds: Vec<bool> = values.iter().map(|v| matches(pattern, v)).collect();
            kinds.iter().any(|k| *k != kinds[0]).then(|| {
                problem(
                    &params[params.len() - 1],
                    format!("{} must be of the same kind", params.join(", ")),
                )
            })
        }
        _ => None,
    }
}

/// `MenuKeyMap.2.Code` → (`MenuKeyMap`, 2, `Code`); `Names.2` → (`Names`, 2, none).
fn split_repeated(name: &str) -> Option<(&str, usize, Option<&str>)> {
    let mut parts = name.splitn(3, '.');
    let prefix = parts.next()?;
    let n = parts.next()?.parse().ok()?;
    Some((prefix, n, parts.next()))
}

fn problem(param: &str, message: String) -> Problem {
    Problem {
        param: param.to_owned(),
        message,
    }
}

/// Checks an example JSON body against response fields.
pub fn json_body(spec: &Spec, fields: &[Field], value: &serde_json::Value) -> Vec<Problem> {
    let mut out = Vec::new();
    object_problems(spec, fields, value, "", &mut out);
    out
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

/// The field's shape ([`Spec::resolve`]) and its type, when it has one.
fn resolve<'a>(spec: &'a Spec, f: &'a Field) -> Option<(FieldType, &'a Field)> {
    let shape = spec.resolve(f);
    shape.ty.map(|t| (t, shape))
}

fn required_members(
    fields: &[Field],
    map: &serde_json::Map<String, serde_json::Value>,
    at: &str,
    out: &mut Vec<Problem>,
) {
    for f in fields.iter().filter(|f| f.required) {
        if let Some(name) = &f.name
            && !map.contains_key(name)
            && !f.aliases.iter().any(|a| map.contains_key(a))
        {
            out.push(problem(
                &join(at, name),
                format!("the required member `{name}` is missing"),
            ));
        }
    }
}

/// Whether `key` is the field's name or one of its aliases.
fn named(f: &Field, key: &str) -> bool {
    f.name.as_deref() == Some(key) || f.aliases.iter().any(|a| a == key)
}

fn object_problems(
    spec: &Spec,
    fields: &[Field],
    v: &serde_json::Value,
    at: &str,
    out: &mut Vec<Problem>,
) {
    let Some(map) = v.as_object() else {
        if !v.is_null() {
            out.push(problem(
                at,
                format!(
                    "expected an object, found {}",
                    popgen_runtime::decode::json_kind(v)
                ),
            ));
        }
        return;
    };
    required_members(fields, map, at, out);
    for (key, value) in map {
        let here = join(at, key);
        match fields.iter().find(|f| named(f, key)) {
            Some(f) => shape_problems(spec, f, value, &here, out),
            None => out.push(problem(
                &here,
                format!("the field `{key}` is not in the spec"),
            )),
        }
    }
}

fn shape_problems(spec: &Spec, f: &Field, v: &serde_json::Value, at: &str, out: &mut Vec<Problem>) {
    use serde_json::Value as J;
    let Some((ty, shape)) = resolve(spec, f) else {
        return;
    };
    if v.is_null() {
        return;
    }
    let also = |s: ScalarType| f.also.contains(&s);
    let ok = match (ty, v) {
        (FieldType::Any, _) => true,
        (FieldType::Object, J::Object(_)) => {
            object_problems(spec, &shape.fields, v, at, out);
            true
        }
        (FieldType::Map, J::Object(m)) => {
            if let Some(values) = &shape.values {
                for (k, item) in m {
                    shape_problems(spec, values, item, &join(at, k), out);
                }
            }
            true
        }
        (FieldType::Array, J::Array(items)) => {
            if let Some(item) = &shape.items {
                for (i, it) in items.iter().enumerate() {
                    shape_problems(spec, item, it, &format!("{at}[{i}]"), out);
                }
            }
            true
        }
        (FieldType::String, J::String(s)) => {
            if let Some(inner) = &shape.json {
                match serde_json::from_str::<J>(s) {
                    Ok(decoded) => shape_problems(spec, inner, &decoded, at, out),
                    Err(e) => out.push(problem(
                        at,
                        format!("should carry JSON text but does not parse: {e}"),
                    )),
                }
            }
            true
        }
        // A string that carries JSON may arrive already decoded (the reference's JSON examples
        // show both forms): decoders accept either, so the check does too.
        (FieldType::String, J::Object(_) | J::Array(_)) if shape.json.is_some() => {
            if let Some(inner) = &shape.json {
                shape_problems(spec, inner, v, at, out);
            }
            true
        }
        (FieldType::Integer | FieldType::Long, J::Number(n)) => n.is_i64() || n.is_u64(),
        (FieldType::Float, J::Number(_)) => true,
        (FieldType::Boolean, J::Bool(_)) => true,
        (_, J::String(s)) if also(ScalarType::String) => {
            // A number or boolean sent as text: it must still read as the declared type.
            !matches!(ty, FieldType::Integer | FieldType::Long | FieldType::Float)
                || s.parse::<f64>().is_ok()
                || s.is_empty()
        }
        (_, J::Number(n)) if also(ScalarType::Long) || also(ScalarType::Integer) => {
            n.is_i64() || n.is_u64()
        }
        (_, J::Number(_)) if also(ScalarType::Float) => true,
        (_, J::Bool(_)) if also(ScalarType::Boolean) => true,
        _ => false,
    };
    if !ok {
        let hint = if f.also.is_empty() {
            ""
        } else {
            " (nor any type listed in `also`)"
        };
        out.push(problem(
            at,
            format!(
                "is {}, but the spec says {}{hint}",
                popgen_runtime::decode::json_kind(v),
                ty.as_str()
            ),
        ));
    }
}

/// An XML element: name and children (text content is not kept).
#[derive(Debug, Default)]
struct Element {
    name: String,
    children: Vec<Element>,
}

/// How deep an example's XML may nest: serde_json's limit for JSON. The tree is walked (and
/// dropped) recursively, and an example body may be as large as its spec file.
const XML_DEPTH: usize = 128;

fn parse_xml(body: &str) -> Result<Element, String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(body);
    let mut stack: Vec<Element> = vec![Element::default()];
    loop {
        match reader.read_event() {
            Err(e) => return Err(format!("at byte {}: {e}", reader.buffer_position())),
            Ok(Event::Eof) => break,
            Ok(Event::Start(_)) if stack.len() > XML_DEPTH => {
                return Err(format!(
                    "at byte {}: the elements nest deeper than {XML_DEPTH} levels",
                    reader.buffer_position()
                ));
            }
            Ok(Event::Start(s)) => stack.push(Element {
                name: String::from_utf8_lossy(s.name().as_ref()).into_owned(),
                children: Vec::new(),
            }),
            Ok(Event::Empty(s)) => {
                let el = Element {
                    name: String::from_utf8_lossy(s.name().as_ref()).into_owned(),
                    children: Vec::new(),
                };
                stack.last_mut().ok_or("unbalanced")?.children.push(el);
            }
            Ok(Event::End(_)) => {
                let done = stack.pop().ok_or("unbalanced end tag")?;
                stack
                    .last_mut()
                    .ok_or("unbalanced end tag")?
                    .children
                    .push(done);
            }
            Ok(_) => {}
        }
    }
    let mut doc = stack.pop().ok_or("empty document")?;
    if !stack.is_empty() {
        return Err("an element is not closed".into());
    }
    match doc.children.len() {
        1 => Ok(doc.children.remove(0)),
        0 => Err("no root element".into()),
        n => Err(format!("{n} root elements")),
    }
}

/// Checks an example XML body: well-formed, root `{Action}Response`, every element a known field.
pub fn xml_body(
    spec: &Spec,
    action: &str,
    fields: &[Field],
    body: &str,
) -> Result<Vec<Problem>, String> {
    let root = parse_xml(body)?;
    let mut out = Vec::new();
    let expected = spec.product.response.xml_root.replace("{Action}", action);
    if root.name != expected && root.name != "Error" {
        out.push(problem(
            &root.name,
            format!("the root element is `{}`, expected `{expected}`", root.name),
        ));
    }
    xml_members(spec, fields, &root, "", &mut out);
    Ok(out)
}

fn xml_members(spec: &Spec, fields: &[Field], el: &Element, at: &str, out: &mut Vec<Problem>) {
    for child in &el.children {
        let here = join(at, &child.name);
        match fields.iter().find(|f| named(f, &child.name)) {
            Some(f) => xml_shape(spec, f, child, &here, out),
            None => out.push(problem(
                &here,
                format!("the element `{}` is not a field in the spec", child.name),
            )),
        }
    }
}

fn xml_shape(spec: &Spec, f: &Field, el: &Element, at: &str, out: &mut Vec<Problem>) {
    let Some((ty, shape)) = resolve(spec, f) else {
        return;
    };
    match ty {
        FieldType::Object => xml_members(spec, &shape.fields, el, at, out),
        // An array is a repeated element, or a wrapper whose children are the items.
        FieldType::Array => {
            let Some(item) = &shape.items else { return };
            if let Some((FieldType::Object, item_shape)) = resolve(spec, item) {
                let item_name = item.name.as_deref();
                let wrapped = !el.children.is_empty()
                    && el
                        .children
                        .iter()
                        .all(|c| Some(c.name.as_str()) == item_name || c.name == "item");
                if wrapped {
                    for c in &el.children {
                        xml_members(spec, &item_shape.fields, c, at, out);
                    }
                } else {
                    xml_members(spec, &item_shape.fields, el, at, out);
                }
            }
        }
        _ => {}
    }
}

/// The spec writes the ISO 8601 separators `T` and `Z` bare (`yyyy-MM-ddTHH:mm:ssZ`, as the
/// reference does); the runtime's Java-style formats quote literal letters (`'T'`). Other
/// letters are left alone, so an unsupported one (`hh`) is still reported.
pub fn runtime_datetime_format(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 4);
    for c in pattern.chars() {
        match c {
            'T' | 'Z' => {
                out.push('\'');
                out.push(c);
                out.push('\'');
            }
            _ => out.push(c),
        }
    }
    out
}

/// Checks a date-time pattern of the spec: the runtime's rule decides what is supported.
pub fn check_datetime_pattern(pattern: &str) -> Result<(), String> {
    popgen_runtime::rules::datetime::check_format(&runtime_datetime_format(pattern))
        .map_err(|e| e.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_patterns_use_the_runtime_rule() {
        assert_eq!(
            runtime_datetime_format("yyyy-MM-ddTHH:mm:ssZ"),
            "yyyy-MM-dd'T'HH:mm:ss'Z'"
        );
        assert!(check_datetime_pattern("yyyy-MM-ddTHH:mm:ssZ").is_ok());
        assert!(
            check_datetime_pattern("yyyy-MM-dd hh:mm").is_err(),
            "12-hour clock"
        );
        assert!(check_datetime_pattern("--").is_err());
        let format = runtime_datetime_format("yyyy-MM-ddTHH:mm:ssZ");
        assert!(popgen_runtime::rules::datetime::check("2018-03-29T12:00:00Z", &format).is_ok());
    }

    /// The constructs fixture: a param of every rule kind.
    fn fixture() -> Spec {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../codegen/tests/fixtures/constructs");
        crate::load::load_paths(&[dir]).unwrap().spec
    }

    fn problems(spec: &Spec, name: &str, v: &str) -> Vec<String> {
        let a = &spec.actions["EveryConstruct"];
        let p = a.params.iter().find(|p| p.name == name).unwrap();
        param_value(spec, p, v, false)
            .into_iter()
            .map(|p| p.message)
            .collect()
    }

    #[test]
    fn values_are_checked_by_the_runtime_rules() {
        let spec = fixture();
        // Unix milliseconds: a time in seconds is not one (the client's 2000–2100 rule).
        assert_eq!(
            problems(&spec, "At", "1700000000"),
            [
                "must be a Unix time in milliseconds, 946684800000–4102444800000 ms since 1970-01-01 UTC, got 1700000000"
            ]
        );
        assert!(problems(&spec, "At", "1700000000000").is_empty());
        // Exclusive bounds exclude themselves; NaN is in no range.
        assert_eq!(
            problems(&spec, "Share", "0"),
            ["must be greater than 0 and at most 1, got 0"]
        );
        assert!(problems(&spec, "Share", "0.5").is_empty());
        assert_eq!(
            problems(&spec, "Level", "10"),
            ["must be at least 1 and less than 10, got 10"]
        );
        assert_eq!(
            problems(&spec, "Ratio", "NaN"),
            ["must be between 0 and 1.5, got NaN"]
        );
        // Types read as the client reads them.
        assert_eq!(
            problems(&spec, "Count", "x"),
            [r#"expected a 64-bit integer, got "x""#]
        );
        assert_eq!(
            problems(&spec, "Pause", "3000000000"),
            [r#"expected a 32-bit integer, got "3000000000""#]
        );
        assert!(problems(&spec, "Flag", "True").is_empty());
        // Lengths in their unit.
        assert_eq!(
            problems(&spec, "OutId", "订单订单订单"),
            ["length must be 1–15 bytes, got 18 bytes"]
        );
        assert!(problems(&spec, "Name", &"张".repeat(30)).is_empty());
        // Enums: closed ones are enforced, open ones list the values known so far.
        assert_eq!(
            problems(&spec, "Mode", "FAST"),
            ["`FAST` is not one of: fast, slow"]
        );
        assert!(problems(&spec, "Phase", "MIDDLE").is_empty());
        // Patterns match the whole value.
        assert_eq!(
            problems(&spec, "Number", "138x"),
            ["`138x` does not match the pattern `[0-9]+`"]
        );
        // Lists: empty items, too many items, each item's text rules.
        assert_eq!(
            problems(&spec, "Numbers", "13800000000,"),
            ["item 2 is empty"]
        );
        assert!(problems(&spec, "Numbers", "").is_empty());
        assert_eq!(
            problems(&spec, "Numbers", "13800000000,1380000000x"),
            ["item 2 `1380000000x` does not match the pattern `[0-9]+`"]
        );
        // JSON: read as the client's type reads it.
        assert_eq!(
            problems(&spec, "Vars", "null"),
            ["is null, but the spec says map"]
        );
        assert_eq!(
            problems(&spec, "Vars", r#"{"a":1}"#),
            ["at `a`: is a number, but the spec says string"]
        );
        assert!(problems(&spec, "Who", r#"{"name":"x","extra":1}"#).is_empty());
        assert_eq!(
            problems(&spec, "Who", "{}"),
            ["at `name`: the required member `name` is missing"]
        );
    }

    #[test]
    fn deep_xml_is_an_error_not_a_crash() {
        let nested = |n: usize| format!("{}{}", "<a>".repeat(n), "</a>".repeat(n));
        assert!(parse_xml(&nested(XML_DEPTH)).is_ok());
        let err = parse_xml(&nested(XML_DEPTH + 1)).unwrap_err();
        assert!(
            err.ends_with("the elements nest deeper than 128 levels"),
            "{err}"
        );
        assert!(parse_xml(&nested(1_000_000)).is_err());
    }

    #[test]
    fn repeated_names_split() {
        assert_eq!(
            split_repeated("MenuKeyMap.10.Code"),
            Some(("MenuKeyMap", 10, Some("Code")))
        );
        assert_eq!(split_repeated("Names.2"), Some(("Names", 2, None)));
        assert_eq!(split_repeated("MenuKeyMap.x.Code"), None);
        assert_eq!(split_repeated("PlayTimes"), None);
    }
}
