//! The largest an action's params can be on the wire under the spec's limits: what a server (the
//! mock) must accept from a legitimate request, emitted in the registry as
//! `ActionEntry::max_params_bytes`.
//!
//! Counted as the params form-encoded (`Name=value&…`, the larger of a query string and a form
//! body), each value at its worst: a character counts 4 UTF-8 bytes, each percent-encoded (12
//! bytes), a byte 3; a number its longest text; an enum its longest value; a separated list
//! `max_items` items and their separators; a repeated param `max_items` elements, each named
//! with the widest index. A value the spec does not bound (a string without a length, a list or
//! repeated param without `max_items`, JSON without a length) makes the whole action unbounded
//! (`None`): its size is whatever the server allows.

use popgen_spec::Spec;
use popgen_spec::model::{EnumValue, Format, LengthUnit, Param, ParamType, ScalarType};

/// Encoded bytes per byte, at worst (`%XX`).
const PER_BYTE: u64 = 3;
/// Encoded bytes per character, at worst (four UTF-8 bytes, each `%XX`).
const PER_CHAR: u64 = 4 * PER_BYTE;
/// The longest integer text (`-9223372036854775808`).
const INTEGER: u64 = 20;
/// A float's text at its longest (`-1.7976931348623157e308`), with room.
const FLOAT: u64 = 32;

/// The largest the params can be, form-encoded, or `None` when a param is unbounded.
pub fn max_params_bytes(spec: &Spec, params: &[Param]) -> Option<u64> {
    params.iter().try_fold(0u64, |sum, p| {
        Some(sum.saturating_add(param_bytes(spec, p)?))
    })
}

/// Decimal digits of `n`.
fn digits(n: u64) -> u64 {
    u64::from(n.checked_ilog10().unwrap_or(0) + 1)
}

/// `name=value&`, the name being ASCII as every wire name is.
fn pair(name: u64, value: u64) -> u64 {
    name.saturating_add(value).saturating_add(2)
}

fn len(text: &str) -> u64 {
    u64::try_from(text.len()).unwrap_or(u64::MAX)
}

/// Percent-encoded size of `text` (unreserved bytes as they are, every other as `%XX`).
fn encoded(text: &str) -> u64 {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                1
            } else {
                PER_BYTE
            }
        })
        .sum()
}

fn param_bytes(spec: &Spec, p: &Param) -> Option<u64> {
    if p.ty != ParamType::Repeated {
        return Some(pair(len(&p.name), value_bytes(spec, p)?));
    }
    let n = u64::from(p.max_items?);
    // `Name.N` with the widest index.
    let prefix = len(&p.name) + 1 + digits(n);
    let element = if p.fields.is_empty() {
        let element = p.element.as_ref()?;
        pair(prefix, value_bytes(spec, &element.to_param(&p.name))?)
    } else {
        p.fields.iter().try_fold(0u64, |sum, m| {
            let name = prefix + 1 + len(&m.name);
            Some(sum.saturating_add(pair(name, value_bytes(spec, m)?)))
        })?
    };
    Some(n.saturating_mul(element))
}

/// The longest a param's value can be, encoded.
fn value_bytes(spec: &Spec, p: &Param) -> Option<u64> {
    if let Some(fixed) = &p.fixed {
        return Some(encoded(&fixed.to_wire()));
    }
    let values: Option<&[EnumValue]> = match (&p.enum_values, &p.enum_ref) {
        (Some(values), _) => Some(values),
        (None, Some(name)) => spec.enums.get(name).map(|e| e.values.as_slice()),
        (None, None) => None,
    };
    if let Some(values) = values {
        return values.iter().map(|v| encoded(&v.value)).max();
    }
    let by_length = p.length.as_ref().and_then(|l| {
        let per = match l.unit {
            LengthUnit::Bytes => PER_BYTE,
            LengthUnit::Chars => PER_CHAR,
        };
        l.max.map(|max| u64::from(max).saturating_mul(per))
    });
    let by_kind = match p.ty.scalar()? {
        ScalarType::Integer | ScalarType::Long => Some(INTEGER),
        ScalarType::Boolean => Some(len("false")),
        ScalarType::Float => Some(FLOAT),
        ScalarType::String => match &p.format {
            Some(Format::DateTime { pattern }) => Some(len(pattern).saturating_mul(PER_BYTE)),
            Some(Format::UnixMillis) => Some(INTEGER),
            Some(Format::List {
                separator,
                max_items,
                item,
            }) => {
                let n = u64::from((*max_items)?);
                let item = value_bytes(spec, &item.to_param(&p.name))?;
                Some(
                    n.saturating_mul(item)
                        .saturating_add(n.saturating_sub(1).saturating_mul(encoded(separator))),
                )
            }
            Some(Format::Json { .. }) | None => None,
        },
    };
    match (by_length, by_kind) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use popgen_spec::model::{ItemRule, Length};

    fn spec() -> Spec {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/constructs");
        popgen_spec::load::load_paths(&[dir])
            .expect("the constructs fixture loads")
            .spec
    }

    fn param(name: &str, ty: ParamType) -> Param {
        let mut p = ItemRule {
            ty: ScalarType::String,
            length: None,
            pattern: None,
            range: None,
            enum_values: None,
        }
        .to_param(name);
        p.ty = ty;
        p
    }

    #[test]
    fn bounded_params_count_at_their_worst_encoding() {
        let spec = spec();
        let mut out_id = param("OutId", ParamType::String);
        out_id.length = Some(Length {
            min: None,
            max: Some(15),
            unit: LengthUnit::Bytes,
        });
        let mut name = param("TaskName", ParamType::String);
        name.length = Some(Length {
            min: None,
            max: Some(30),
            unit: LengthUnit::Chars,
        });
        let times = param("PlayTimes", ParamType::Integer);
        let flag = param("Ok", ParamType::Boolean);
        let total = max_params_bytes(&spec, &[out_id, name, times, flag]);
        // OutId=<45>& TaskName=<360>& PlayTimes=<20>& Ok=<5>&
        assert_eq!(
            total,
            Some((5 + 45 + 2) + (8 + 360 + 2) + (9 + 20 + 2) + (2 + 5 + 2))
        );
    }

    #[test]
    fn a_list_counts_its_items_and_separators_and_anything_unbounded_is_none() {
        let spec = spec();
        let mut numbers = param("Numbers", ParamType::String);
        numbers.format = Some(Format::List {
            separator: ",".into(),
            max_items: Some(300_000),
            item: Box::new(ItemRule {
                ty: ScalarType::String,
                length: Some(Length {
                    min: None,
                    max: Some(15),
                    unit: LengthUnit::Bytes,
                }),
                pattern: None,
                range: None,
                enum_values: None,
            }),
        });
        let per_item = 15 * 3;
        assert_eq!(
            max_params_bytes(&spec, std::slice::from_ref(&numbers)),
            Some(7 + 2 + 300_000 * per_item + 299_999 * 3)
        );
        let free = param("Free", ParamType::String);
        assert_eq!(max_params_bytes(&spec, &[numbers.clone(), free]), None);
        let Some(Format::List { max_items, .. }) = &mut numbers.format else {
            unreachable!()
        };
        *max_items = None;
        assert_eq!(max_params_bytes(&spec, &[numbers]), None);
    }

    #[test]
    fn repeated_params_count_every_element_with_the_widest_index() {
        let spec = spec();
        let mut menu = param("MenuKeyMap", ParamType::Repeated);
        let mut key = param("Key", ParamType::String);
        key.length = Some(Length {
            min: None,
            max: Some(1),
            unit: LengthUnit::Bytes,
        });
        menu.fields = vec![key, param("Code", ParamType::Long)];
        assert_eq!(max_params_bytes(&spec, std::slice::from_ref(&menu)), None);
        menu.max_items = Some(15);
        // MenuKeyMap.15.Key=<3>& MenuKeyMap.15.Code=<20>&
        let element = (17 + 3 + 2) + (18 + 20 + 2);
        assert_eq!(max_params_bytes(&spec, &[menu]), Some(15 * element));
    }
}
