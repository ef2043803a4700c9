//! The rules a param's value obeys, decided once. Code generation turns them into the generated
//! client's `#[popgen(...)]` attributes; the checker ([`crate::values`]) applies them to the
//! reference's examples. Both evaluate them with `popgen-runtime`'s rule functions, so the
//! checker and a generated client cannot disagree about a value.

use crate::load::Spec;
use crate::model::{Format, ItemRule, Length, Param, ParamType, Range, ScalarType};

/// The rules a generated client checks on one value of a param: a scalar param, a member of the
/// elements of a repeated param, one value of a list of scalars (`Name.N`), or one item of a
/// separated list. Codegen writes them as attributes; the checker applies them to examples and
/// defaults; each is evaluated by the runtime's rule function of its kind.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueRules<'s> {
    /// The type the wire text is read as (`integer`: a 32-bit integer, `long`: 64-bit, `float`,
    /// `boolean`); `None` for text, and for a value held as an enum.
    pub parse: Option<ScalarType>,
    /// The listed values.
    pub values: Option<Values<'s>>,
    /// The numeric range (its `out_of_range` says whether a value outside is only a warning).
    pub range: Option<&'s Range>,
    /// The length, in bytes or characters (of the compact JSON text for a `json` format).
    pub length: Option<&'s Length>,
    /// The only value accepted, as sent.
    pub fixed: Option<String>,
    /// The pattern, as the spec writes it: it must match the whole value
    /// (`popgen_runtime::rules::pattern::whole`).
    pub pattern: Option<&'s str>,
    /// The format carried in the text. A `list` checks only its items' text rules
    /// ([`ValueRules::list_item`]).
    pub format: Option<&'s Format>,
}

/// The values a param lists (`enum`, or a named enum through `enum_ref`).
#[derive(Debug, Clone, PartialEq)]
pub struct Values<'s> {
    /// The values, as sent.
    pub values: Vec<&'s str>,
    /// Whether the value is held as a generated enum: then it is one of the listed values (or
    /// an unknown one), and no text rule applies (range, length, pattern, format).
    pub typed: bool,
    /// Whether a value outside the list is a violation. An open named enum (`open: true`) lists
    /// the values known so far, which the service may add to: neither the client nor the
    /// checker holds a value to it.
    pub enforced: bool,
}

impl<'s> ValueRules<'s> {
    /// The rules of `p`'s values; `None` for a repeated param whose elements are structs (its
    /// members have their own).
    pub fn of(spec: &'s Spec, p: &'s Param) -> Option<ValueRules<'s>> {
        if p.ty == ParamType::Repeated {
            return match &p.element {
                Some(e) if p.fields.is_empty() => Some(ValueRules::element(e)),
                _ => None,
            };
        }
        let values = match (&p.enum_values, &p.enum_ref) {
            (Some(values), _) => Some(Values {
                values: values.iter().map(|v| v.value.as_str()).collect(),
                typed: true,
                enforced: true,
            }),
            (None, Some(name)) => {
                let named = spec.enums.get(name);
                Some(Values {
                    values: named
                        .map(|e| e.values.iter().map(|v| v.value.as_str()).collect())
                        .unwrap_or_default(),
                    typed: true,
                    enforced: named.is_some_and(|e| !e.open),
                })
            }
            (None, None) => None,
        };
        let text = values.is_none();
        Some(ValueRules {
            parse: p.ty.scalar().filter(|t| text && *t != ScalarType::String),
            values,
            range: p.range.as_ref().filter(|_| text),
            length: p.length.as_ref().filter(|_| text),
            fixed: p.fixed.as_ref().map(|f| f.to_wire()),
            pattern: p.pattern.as_deref().filter(|_| text),
            format: p.format.as_ref().filter(|_| text),
        })
    }

    /// The rules of each value of a list of scalars (`Name.1`, `Name.2`, ...).
    pub fn element(e: &'s ItemRule) -> ValueRules<'s> {
        ValueRules {
            parse: Some(e.ty).filter(|t| *t != ScalarType::String),
            values: e.enum_values.as_ref().map(|values| Values {
                values: values.iter().map(|v| v.value.as_str()).collect(),
                typed: false,
                enforced: true,
            }),
            range: e.range.as_ref(),
            length: e.length.as_ref(),
            fixed: None,
            pattern: e.pattern.as_deref(),
            format: None,
        }
    }

    /// The rules of each item of a separated list (`list` format): the rules of text (length,
    /// pattern, values). An item's `type` and `range` are documentation: the items are text to
    /// a client, which checks neither.
    pub fn list_item(item: &'s ItemRule) -> ValueRules<'s> {
        ValueRules {
            parse: None,
            range: None,
            ..ValueRules::element(item)
        }
    }
}

/// How many elements a repeated param may have (`Details.1.*` ... `Details.N.*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemCount {
    /// The fewest elements when the list is sent; at least 1 for a required list.
    pub min: Option<u32>,
    /// The most elements.
    pub max: Option<u32>,
    /// Whether the list may be left out (no element at all): an optional list with a `min`.
    pub optional: bool,
}

impl ItemCount {
    /// The count rule of a repeated param, if it has one: a required list has at least one
    /// element (whatever `min_items` says), an optional one none or `min_items` up to
    /// `max_items`.
    pub fn of(p: &Param) -> Option<ItemCount> {
        if p.ty != ParamType::Repeated {
            return None;
        }
        let min = if p.required {
            Some(p.min_items.unwrap_or(1).max(1))
        } else {
            p.min_items.filter(|m| *m > 0)
        };
        let count = ItemCount {
            min,
            max: p.max_items,
            optional: !p.required && min.is_some(),
        };
        (count.min.is_some() || count.max.is_some()).then_some(count)
    }

    /// Checks `count` elements with the runtime's rule (an optional list may have none).
    pub fn check(&self, count: usize) -> Result<(), popgen_runtime::rules::RuleError> {
        if self.optional && count == 0 {
            return Ok(());
        }
        let bound = |n: Option<u32>| n.map(|n| n as usize);
        popgen_runtime::rules::items::apply(count, bound(self.min), bound(self.max))
    }

    /// In words, after `N from 1`: `; 1 to 10 elements`, `; at most 15 elements`,
    /// `; none or 2 to 5 elements`.
    pub fn describe(&self) -> String {
        let none = if self.optional { "none or " } else { "" };
        let unit = |n: u32| if n == 1 { "element" } else { "elements" };
        match (self.min, self.max) {
            (Some(a), Some(b)) if a == b => format!("; {none}exactly {a} {}", unit(a)),
            (Some(a), Some(b)) => format!("; {none}{a} to {b} elements"),
            (Some(a), None) => format!("; {none}at least {a} {}", unit(a)),
            (None, Some(b)) => format!("; at most {b} {}", unit(b)),
            (None, None) => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ItemRule, ScalarType};

    fn list(required: bool, min: Option<u32>, max: Option<u32>) -> Param {
        let mut p = ItemRule {
            ty: ScalarType::String,
            length: None,
            pattern: None,
            range: None,
            enum_values: None,
        }
        .to_param("Details");
        p.ty = ParamType::Repeated;
        p.required = required;
        p.min_items = min;
        p.max_items = max;
        p
    }

    #[test]
    fn a_required_list_has_at_least_one_element() {
        let count = ItemCount::of(&list(true, None, Some(10))).unwrap();
        assert_eq!(
            (count.min, count.max, count.optional),
            (Some(1), Some(10), false)
        );
        assert!(count.check(0).is_err());
        assert!(count.check(1).is_ok());
        assert!(count.check(10).is_ok());
        assert!(count.check(11).is_err());
        assert_eq!(count.describe(), "; 1 to 10 elements");
        let zero = ItemCount::of(&list(true, Some(0), None)).unwrap();
        assert_eq!(zero.min, Some(1));
    }

    #[test]
    fn an_optional_list_may_be_empty() {
        assert_eq!(ItemCount::of(&list(false, None, None)), None);
        let max = ItemCount::of(&list(false, None, Some(15))).unwrap();
        assert!(!max.optional);
        assert!(max.check(0).is_ok());
        assert!(max.check(16).is_err());
        assert_eq!(max.describe(), "; at most 15 elements");
        let min = ItemCount::of(&list(false, Some(2), Some(5))).unwrap();
        assert!(min.optional);
        assert!(min.check(0).is_ok());
        assert!(min.check(1).is_err());
        assert!(min.check(2).is_ok());
        assert_eq!(min.describe(), "; none or 2 to 5 elements");
    }
}
