//! Laying the facts read from a description's prose ([`crate::prose`]) onto a param whose
//! structured facts are already set. Prose fills what the structure lacks, each rule with the
//! phrase it came from (`prose:` in the spec); where both state a rule and disagree, the wider
//! reading wins and a note quotes both; a rule sentence that yields nothing becomes an
//! `unparsed` note.

use popgen_spec::model::{
    EnumValue, Format, ItemRule, Length, LengthUnit, Note, NoteKind, Number as SpecNumber, Param,
    ParamType, Range, Scalar, ScalarType, Text,
};

use crate::param::import_note;
use crate::prose::Facts;
use crate::read::Number;

/// Applies `f` to `p`.
pub fn apply(p: &mut Param, f: &Facts) {
    let numeric = matches!(
        p.ty,
        ParamType::Integer | ParamType::Long | ParamType::Float
    );
    if let Some((min, max, phrase)) = &f.range
        && numeric
    {
        range(p, *min, *max, phrase);
    }
    if let Some((min, max, bytes, phrase)) = &f.length
        && p.ty == ParamType::String
    {
        length(p, *min, *max, *bytes, phrase);
    }
    if let Some((value, phrase)) = &f.default
        && p.default.is_none()
    {
        match typed(p.ty, value) {
            Some(v) => {
                p.default = Some(v);
                p.prose.default = Some(phrase.clone());
            }
            None => unparsed(p, phrase),
        }
    }
    if let Some((value, phrase)) = &f.fixed
        && p.fixed.is_none()
        && p.enum_values.is_none()
        && let Some(v) = typed(p.ty, value)
    {
        p.fixed = Some(v);
        p.prose.fixed = Some(phrase.clone());
    }
    let list = f.list.as_ref().filter(|_| {
        p.ty == ParamType::String
            && p.format.is_none()
            && p.enum_values.is_none()
            && p.enum_ref.is_none()
    });
    match (list, &f.members) {
        // `多个状态使用半角逗号（,）分隔。取值：- **200010**：…`: a list whose items are the members.
        (Some((sep, most, phrase)), members) => {
            let items = members.as_ref().map(|(m, _)| {
                m.iter()
                    .map(|(v, meaning)| EnumValue {
                        value: v.clone(),
                        meaning: Text {
                            en: String::new(),
                            zh: (!meaning.is_empty()).then(|| meaning.clone()),
                        },
                        rust_name: None,
                    })
                    .collect()
            });
            p.format = Some(Format::List {
                separator: sep.clone(),
                max_items: *most,
                item: Box::new(ItemRule {
                    ty: ScalarType::String,
                    length: None,
                    pattern: None,
                    range: None,
                    enum_values: items,
                }),
            });
            p.prose.format = Some(phrase.clone());
            if let Some((_, members_phrase)) = members {
                p.prose.enum_values = Some(members_phrase.clone());
            }
        }
        (None, Some((members, phrase))) => enum_members(p, members, phrase),
        (None, None) => {}
    }
    for sentence in &f.unparsed {
        unparsed(p, sentence);
    }
}

fn range(p: &mut Param, min: Option<Number>, max: Option<Number>, phrase: &str) {
    let fits = |n: Option<Number>| match (p.ty, n) {
        (_, None) => true,
        (ParamType::Integer, Some(Number::Int(i))) => i32::try_from(i).is_ok(),
        (ParamType::Integer | ParamType::Long, Some(Number::Float(_))) => false,
        _ => true,
    };
    if !fits(min) || !fits(max) {
        return unparsed(p, phrase);
    }
    let from_prose = Range {
        min: min.map(Number::to_spec),
        max: max.map(Number::to_spec),
        ..Range::default()
    };
    match p.range.clone() {
        None => {
            p.range = Some(from_prose);
            p.prose.range = Some(phrase.to_owned());
        }
        Some(structured) => {
            let wide = wider(&structured, &from_prose);
            if wide != structured || wide != from_prose {
                p.notes.push(disagree(
                    &p.name,
                    "range",
                    phrase,
                    &describe(&structured),
                    &describe(&wide),
                ));
            }
            if wide != structured {
                p.range = Some(wide);
            }
        }
    }
}

/// The union of two ranges: a bound only one states is dropped (it is wider without).
fn wider(a: &Range, b: &Range) -> Range {
    let pick = |x: Option<SpecNumber>, y: Option<SpecNumber>, lower: bool| match (x, y) {
        (Some(x), Some(y)) if (x.as_f64() <= y.as_f64()) == lower => Some(x),
        (Some(_), Some(y)) => Some(y),
        _ => None,
    };
    Range {
        min: pick(a.min, b.min, true),
        max: pick(a.max, b.max, false),
        exclusive_min: a.exclusive_min && b.exclusive_min,
        exclusive_max: a.exclusive_max && b.exclusive_max,
        ..Range::default()
    }
}

fn describe(r: &Range) -> String {
    popgen_spec::describe::range(r, None)
}

fn length(p: &mut Param, min: Option<u32>, max: Option<u32>, bytes: bool, phrase: &str) {
    let from_prose = Length {
        min: min.filter(|m| *m > 0),
        max,
        unit: if bytes {
            LengthUnit::Bytes
        } else {
            LengthUnit::Chars
        },
    };
    match p.length.clone() {
        None => {
            p.length = Some(from_prose);
            p.prose.length = Some(phrase.to_owned());
        }
        Some(structured) => {
            // The structure has no unit; the prose names one. Characters are the wider count.
            let wide = Length {
                min: match (structured.min, from_prose.min) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    _ => None,
                },
                max: match (structured.max, from_prose.max) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    _ => None,
                },
                unit: if structured.unit == LengthUnit::Chars
                    || from_prose.unit == LengthUnit::Chars
                {
                    LengthUnit::Chars
                } else {
                    LengthUnit::Bytes
                },
            };
            if wide != structured {
                let (was, now) = (
                    popgen_spec::describe::length(&structured),
                    popgen_spec::describe::length(&wide),
                );
                p.notes
                    .push(disagree(&p.name, "length", phrase, &was, &now));
                p.length = Some(wide);
            }
        }
    }
}

/// Enum members from a `- **X**：meaning` list: meanings for the structured values; the values
/// themselves when the structure has none.
fn enum_members(p: &mut Param, members: &[(String, String)], phrase: &str) {
    if !matches!(
        p.ty,
        ParamType::String | ParamType::Integer | ParamType::Long
    ) {
        return;
    }
    if p.ty != ParamType::String && members.iter().any(|(v, _)| v.parse::<i64>().is_err()) {
        return;
    }
    let meaning = |m: &str| Text {
        en: String::new(),
        zh: (!m.is_empty()).then(|| m.to_owned()),
    };
    match &mut p.enum_values {
        Some(values) => {
            for v in values.iter_mut() {
                if let Some((_, m)) = members.iter().find(|(value, _)| *value == v.value)
                    && v.meaning.is_empty()
                {
                    v.meaning = meaning(m);
                }
            }
        }
        None if p.fixed.is_none() => {
            p.enum_values = Some(
                members
                    .iter()
                    .map(|(v, m)| EnumValue {
                        value: v.clone(),
                        meaning: meaning(m),
                        rust_name: None,
                    })
                    .collect(),
            );
            p.prose.enum_values = Some(phrase.to_owned());
        }
        None => {}
    }
}

/// The default or fixed value `text` as the param's type.
fn typed(ty: ParamType, text: &str) -> Option<Scalar> {
    let t = text.trim();
    match ty {
        ParamType::Integer | ParamType::Long => t.parse().ok().map(Scalar::Int),
        ParamType::Float => t
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(Scalar::Float),
        ParamType::Boolean => match t.to_ascii_lowercase().as_str() {
            "true" => Some(Scalar::Bool(true)),
            "false" => Some(Scalar::Bool(false)),
            _ => None,
        },
        ParamType::String => Some(Scalar::Str(t.to_owned())),
        ParamType::Repeated => None,
    }
}

fn unparsed(p: &mut Param, sentence: &str) {
    if p.notes.iter().any(|n| n.reference_says == sentence) {
        return;
    }
    p.notes.push(Note {
        kind: NoteKind::Unparsed,
        about: Some(p.name.clone()),
        reference_says: sentence.to_owned(),
        chosen: "kept as text; no rule".into(),
        why: "The sentence looks like a rule, but none of the recognised patterns reads it.".into(),
    });
}

fn disagree(name: &str, rule: &str, phrase: &str, structured: &str, chosen: &str) -> Note {
    let mut n = import_note(
        name,
        format!("the structured {rule} is {structured}; the description says \"{phrase}\""),
        format!("{chosen} (the wider)"),
        "Where the metadata disagrees with itself, the permissive reading wins: a client must not refuse a value the service accepts.",
    );
    n.kind = NoteKind::Contradiction;
    n
}
