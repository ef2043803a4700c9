//! Stage 2: raw attributes plus the field types to the checked [`model`](crate::model). Every
//! mistake is reported, each under the tokens that caused it; the result is `Err` if there was
//! any, so the emitters only ever receive a model that passed every check.

use proc_macro2::{Literal, Span, TokenStream};
use quote::quote;
use syn::{Data, DataStruct, DeriveInput, Fields};

use crate::model::{
    Check, Field, Items, JsonField, JsonKind, JsonStruct, Length, Shape, Struct, Unit, WireEnum,
};
use crate::syntax::{
    self, Attr, Errors, FieldAttrs, JsonArg, NumLit, RawLength, RawRange, TextRules,
};
use crate::ty::{Base, FieldType};

/// The named fields of `input`; anything else gets the error every derive of this crate gives.
fn named_fields<'a>(
    input: &'a DeriveInput,
    derive: &str,
    errors: &mut Errors,
) -> Option<&'a syn::FieldsNamed> {
    if let Data::Struct(DataStruct {
        fields: Fields::Named(named),
        ..
    }) = &input.data
    {
        return Some(named);
    }
    errors.spanned(
        &input.ident,
        format!("`derive({derive})` supports structs with named fields only"),
    );
    None
}

pub fn check_struct(input: &DeriveInput, derive: &str) -> syn::Result<Struct> {
    let mut errors = Errors::default();
    let attrs = syntax::struct_attrs(&input.attrs, &mut errors);
    let Some(named) = named_fields(input, derive, &mut errors) else {
        return Err(errors.finish().unwrap_err());
    };
    let mut fields: Vec<Field> = Vec::new();
    for field in &named.named {
        let raw = syntax::field_attrs(&field.attrs, &mut errors);
        let checked = check_field(field, &raw, &mut errors);
        if let (Some(wire), Some(earlier)) = (
            &raw.wire,
            fields
                .iter()
                .find(|f| !f.wire.is_empty() && f.wire == checked.wire),
        ) {
            let message = format!(
                "duplicate wire name `{}`: field `{}` already uses it",
                checked.wire, earlier.ident
            );
            errors.spanned(&wire.tokens, message);
        }
        fields.push(checked);
    }
    errors.finish()?;
    Ok(Struct {
        ident: input.ident.clone(),
        generics: input.generics.clone(),
        fields,
        rules: attrs.rules,
    })
}

fn check_field(field: &syn::Field, raw: &FieldAttrs, errors: &mut Errors) -> Field {
    let ident = field.ident.clone().expect("named field");
    let ty = FieldType::of(&field.ty);
    let mut out = Field {
        ident,
        wire: String::new(),
        optional: ty.optional,
        sensitive: raw.sensitive.is_some(),
        shape: Shape::Skip,
        checks: Vec::new(),
        items: None,
    };
    if let Some(alias) = raw.aliases.first() {
        errors.spanned(
            &alias.tokens,
            "`alias` is read by `derive(FromJson)` only: a request sends each parameter under its one `wire` name",
        );
    }
    if raw.skip.is_some() {
        return out;
    }
    match &raw.wire {
        Some(wire) => out.wire = check_wire(wire, errors),
        None => errors.spanned(
            &out.ident,
            "missing `#[popgen(wire = \"...\")]`: every field needs its wire name (or `#[popgen(skip)]`)",
        ),
    }
    out.shape = shape(&ty, raw, errors);
    // A list of scalars (`Wire.1`, `Wire.2`) takes its element's rules, checked on each value.
    let scalar = matches!(
        out.shape,
        Shape::Scalar { .. } | Shape::RepeatedScalar { .. }
    );
    if let Some(range) = &raw.range {
        out.checks.extend(check_range(
            range,
            &ty,
            scalar,
            raw.fallback.is_some(),
            errors,
        ));
    } else if let Some(fallback) = &raw.fallback {
        errors.spanned(
            &fallback.tokens,
            "`fallback` only applies to `range`: add `range(...)` or remove it",
        );
    }
    // A `json` serde value is measured on its JSON text, the only text rule that makes sense
    // for it; the others are still misfits.
    let json_value = matches!(out.shape, Shape::Json { .. });
    let mut text = raw.text.clone();
    let json_length = text.length.take_if(|_| json_value);
    let text_fits = scalar && matches!(ty.base, Base::Str | Base::Other);
    let misfit = if json_value {
        format!(
            "needs a `String` field, found `{}`; on a `json` value only `length` applies (to its JSON text)",
            ty.name
        )
    } else {
        format!("needs a `String` field, found `{}`", ty.name)
    };
    out.checks
        .extend(text_checks(&text, text_fits, &misfit, errors));
    if let Some(millis) = &raw.unix_millis {
        let fits = scalar
            && matches!(
                ty.base,
                Base::Int {
                    signed: true,
                    bits: 64
                } | Base::Other
            );
        if fits {
            out.checks.push(Check::UnixMillis);
        } else {
            errors.spanned(
                &millis.tokens,
                format!("`unix_millis` needs an `i64` field, found `{}`", ty.name),
            );
        }
    }
    if let Some(known) = &raw.known {
        check_known(known, &ty, scalar, &mut out.checks, errors);
    }
    if json_value {
        let length = json_length.and_then(|l| check_length(&l, errors));
        out.checks.push(Check::JsonText(length));
    }
    if let (Some(json), Shape::Scalar { .. }) = (&raw.json, &out.shape) {
        let kind = match json.value {
            JsonArg::Any => JsonKind::Any,
            JsonArg::Object => JsonKind::Object,
            JsonArg::Array => JsonKind::Array,
        };
        out.checks.push(Check::Json(kind));
    }
    if let Some(list) = &raw.list {
        out.checks.extend(check_list(
            list,
            matches!(out.shape, Shape::JoinedList { .. }),
            errors,
        ));
    }
    if let Some(items) = &raw.items {
        let repeated = matches!(
            out.shape,
            Shape::Repeated { .. } | Shape::RepeatedScalar { .. }
        );
        out.items = check_items(items, repeated, &ty, errors);
    }
    out
}

/// `items(...)` counts the elements of a `repeated` field: some bound, the min not above the max.
fn check_items(
    items: &Attr<syntax::RawItems>,
    repeated: bool,
    ty: &FieldType,
    errors: &mut Errors,
) -> Option<Items> {
    if !repeated {
        errors.spanned(
            &items.tokens,
            format!(
                "`items` counts the elements of a `repeated` field, found `{}` without `repeated`; for a separated list use `list(max_items = ...)`",
                ty.name
            ),
        );
        return None;
    }
    let raw = &items.value;
    let (min, max) = (
        raw.min.as_ref().map(|a| a.value),
        raw.max.as_ref().map(|a| a.value),
    );
    if min.is_none() && max.is_none() {
        errors.spanned(&items.tokens, "`items` needs `min`, `max` or both");
        return None;
    }
    if let (Some(lo), Some(hi)) = (min, max) {
        if lo > hi {
            errors.spanned(
                &items.tokens,
                format!("`items` min ({lo}) is greater than max ({hi})"),
            );
            return None;
        }
    }
    Some(Items {
        min,
        max,
        optional: raw.optional,
    })
}

/// `known` fits a one-parameter field of a type that may be a `WireEnum`: not text, numbers,
/// booleans or collections (anything else the compiler checks against `WireEnum`).
fn check_known(
    known: &Attr<()>,
    ty: &FieldType,
    scalar: bool,
    checks: &mut Vec<Check>,
    errors: &mut Errors,
) {
    const COLLECTIONS: &[&str] = &[
        "Vec", "VecDeque", "BTreeMap", "HashMap", "BTreeSet", "HashSet",
    ];
    let fits = scalar && ty.base == Base::Other && !COLLECTIONS.contains(&ty.name.as_str());
    if fits {
        let span = known.tokens.clone().into_iter().next().map(|t| t.span());
        checks.push(Check::Known {
            ty: ty.inner.clone(),
            span: span.unwrap_or_else(Span::call_site),
        });
    } else {
        errors.spanned(
            &known.tokens,
            format!(
                "`known` needs a field whose type derives `WireEnum`, found `{}`",
                ty.name
            ),
        );
    }
}

fn check_wire(wire: &Attr<syn::LitStr>, errors: &mut Errors) -> String {
    let name = wire.value.value();
    let problem = if name.is_empty() {
        Some("a wire name cannot be empty")
    } else if name.contains('.') {
        Some("a wire name cannot contain `.`: `nested` and `repeated` build dotted names")
    } else if name
        .chars()
        .any(|c| c.is_whitespace() || matches!(c, '=' | '&' | '?' | '#'))
    {
        Some("a wire name cannot contain whitespace, `=`, `&`, `?` or `#`")
    } else {
        None
    };
    if let Some(problem) = problem {
        errors.spanned(&wire.tokens, problem);
    }
    name
}

/// How the field goes on the wire, from `json` / `list` / `repeated` / `nested` and its type.
fn shape(ty: &FieldType, raw: &FieldAttrs, errors: &mut Errors) -> Shape {
    let given: Vec<(&str, &TokenStream)> = [
        ("json", raw.json.as_ref().map(|a| &a.tokens)),
        ("list", raw.list.as_ref().map(|a| &a.tokens)),
        ("repeated", raw.repeated.as_ref().map(|a| &a.tokens)),
        ("nested", raw.nested.as_ref().map(|a| &a.tokens)),
    ]
    .into_iter()
    .filter_map(|(k, t)| t.map(|t| (k, t)))
    .collect();
    if let [(first, _), (second, tokens), ..] = given.as_slice() {
        errors.spanned(
            tokens,
            format!("`{second}` cannot be combined with `{first}`"),
        );
    }
    let inner = ty.inner.clone();
    let elem = || ty.elem.clone().expect("vec");
    let name = &ty.name;
    match given.first() {
        Some(("json", tokens)) => {
            let text = !ty.is_vec() && ty.base == Base::Str;
            if !text && raw.json.as_ref().is_some_and(|j| j.value != JsonArg::Any) {
                errors.spanned(
                    tokens,
                    format!("`json(object)` / `json(array)` check a `String` of JSON text, found `{name}`; for a serde type use plain `json`"),
                );
            }
            if text {
                Shape::Scalar { ty: inner }
            } else {
                Shape::Json { ty: inner }
            }
        }
        Some(("list", tokens)) => match (ty.is_vec(), ty.base) {
            (true, Base::Str) => Shape::JoinedList {
                separator: list_separator(raw),
            },
            (false, Base::Str | Base::Other) => Shape::Scalar { ty: inner },
            _ => {
                errors.spanned(
                    tokens,
                    format!("`list(...)` needs a `String` or `Vec<String>` field, found `{name}`"),
                );
                Shape::Scalar { ty: inner }
            }
        },
        Some(("repeated", tokens)) => match ty.base {
            _ if !ty.is_vec() => {
                errors.spanned(
                    tokens,
                    format!("`repeated` needs a `Vec` field, found `{name}`"),
                );
                Shape::Skip
            }
            Base::Other => Shape::Repeated { elem: elem() },
            _ => Shape::RepeatedScalar { elem: elem() },
        },
        Some((_, tokens)) => {
            if ty.is_vec() {
                errors.spanned(
                    tokens,
                    "`nested` is for one struct; for a `Vec` of structs use `repeated`",
                );
            } else if ty.base != Base::Other {
                errors.spanned(
                    tokens,
                    format!("`nested` needs a struct field, found `{name}`"),
                );
            }
            Shape::Nested { ty: inner }
        }
        None if ty.is_vec() => {
            errors.spanned(
                &ty.inner,
                "a `Vec` field needs `repeated` (Wire.1, Wire.2...), `list(...)` (one separated parameter) or `json`");
            Shape::Skip
        }
        None => Shape::Scalar { ty: inner },
    }
}

fn list_separator(raw: &FieldAttrs) -> String {
    raw.list
        .as_ref()
        .and_then(|l| l.value.separator.as_ref())
        .map_or_else(|| ",".to_owned(), |s| s.value.clone())
}

fn check_range(
    range: &Attr<RawRange>,
    ty: &FieldType,
    scalar: bool,
    fallback: bool,
    errors: &mut Errors,
) -> Option<Check> {
    let RawRange {
        min,
        max,
        exclusive_min,
        exclusive_max,
    } = &range.value;
    if !(scalar && (ty.base.is_number() || ty.base == Base::Other)) {
        errors.spanned(
            &range.tokens,
            format!(
                "`range` needs an integer or float field, found `{}`",
                ty.name
            ),
        );
        return None;
    }
    if min.is_none() && max.is_none() {
        errors.spanned(&range.tokens, "`range` needs `min`, `max` or both");
        return None;
    }
    if let (Some(lo), Some(hi)) = (min, max) {
        if lo.value > hi.value {
            let message = format!(
                "`range` min ({}) is greater than max ({})",
                lo.tokens, hi.tokens
            );
            errors.spanned(&range.tokens, message);
        }
    }
    let open = (
        *exclusive_min && min.is_some(),
        *exclusive_max && max.is_some(),
    );
    let min = min.as_ref().map(|n| bound(n, ty, errors));
    let max = max.as_ref().map(|n| bound(n, ty, errors));
    Some(Check::Range {
        min,
        max,
        fallback,
        open,
    })
}

/// The tokens of one bound, typed for the field: integers as written, floats as `f64`/`f32`.
fn bound(n: &NumLit, ty: &FieldType, errors: &mut Errors) -> TokenStream {
    match (ty.base, n.int) {
        (Base::Int { .. }, None) => {
            errors.spanned(
                &n.tokens,
                format!(
                    "`range` bound of an integer field must be an integer, found `{}`",
                    n.tokens
                ),
            );
        }
        (Base::Int { .. }, Some(i)) => {
            let (lo, hi) = ty.base.int_bounds().expect("int");
            if i < lo || i > hi {
                errors.spanned(
                    &n.tokens,
                    format!("`range` bound {i} does not fit `{}`", ty.name),
                );
            }
        }
        (Base::Float, _) => {
            let lit = Literal::f64_unsuffixed(n.value.abs());
            return if n.value < 0.0 {
                quote!(-#lit)
            } else {
                quote!(#lit)
            };
        }
        _ => {}
    }
    n.tokens.clone()
}

/// The checks of `rules`; when they do not `fit` the field, each is an error `` `key` misfit``.
fn text_checks(rules: &TextRules, fits: bool, misfit: &str, errors: &mut Errors) -> Vec<Check> {
    let mut checks = Vec::new();
    let misfit = |key: &str, tokens: &TokenStream, errors: &mut Errors| {
        errors.spanned(tokens, format!("`{key}` {misfit}"));
    };
    if let Some(length) = &rules.length {
        if !fits {
            misfit("length", &length.tokens, errors);
        } else if let Some(length) = check_length(length, errors) {
            checks.push(Check::Length(length));
        }
    }
    if let Some(one_of) = &rules.one_of {
        if !fits {
            misfit("one_of", &one_of.tokens, errors);
        } else if one_of.value.is_empty() {
            errors.spanned(&one_of.tokens, "`one_of` needs at least one value");
        } else {
            checks.push(Check::OneOf(one_of.value.clone()));
        }
    }
    if let Some(fixed) = &rules.fixed {
        if fits {
            checks.push(Check::Fixed(fixed.value.clone()));
        } else {
            misfit("fixed", &fixed.tokens, errors);
        }
    }
    if let Some(pattern) = &rules.pattern {
        let source = pattern.value.value();
        if !fits {
            misfit("pattern", &pattern.tokens, errors);
        } else if let Err(e) = regex::Regex::new(&source) {
            errors.spanned(&pattern.value, format!("invalid `pattern`: {e}"));
        } else {
            checks.push(Check::Pattern(source));
        }
    }
    if let Some(datetime) = &rules.datetime {
        let format = datetime.value.value();
        if !fits {
            misfit("datetime", &datetime.tokens, errors);
        } else if let Err(e) = crate::datetime::check_format(&format) {
            errors.spanned(&datetime.value, format!("invalid `datetime` format: {e}"));
        } else {
            checks.push(Check::DateTime(format));
        }
    }
    checks
}

fn check_length(length: &Attr<RawLength>, errors: &mut Errors) -> Option<Length> {
    let RawLength { min, max, unit } = &length.value;
    let unit = match unit {
        None => {
            errors.spanned(&length.tokens, "`length` needs `unit = bytes` or `unit = chars`: the spec says which the service counts");
            None
        }
        Some(u) if u.value == "bytes" => Some(Unit::Bytes),
        Some(u) if u.value == "chars" => Some(Unit::Chars),
        Some(u) => {
            errors.spanned(
                &u.tokens,
                "`unit` must be `bytes` (UTF-8 bytes) or `chars` (Unicode characters)",
            );
            None
        }
    };
    let (min, max) = (min.as_ref().map(|a| a.value), max.as_ref().map(|a| a.value));
    if min.is_none() && max.is_none() {
        errors.spanned(&length.tokens, "`length` needs `min`, `max` or both");
        return None;
    }
    if let (Some(lo), Some(hi)) = (min, max) {
        if lo > hi {
            errors.spanned(
                &length.tokens,
                format!("`length` min ({lo}) is greater than max ({hi})"),
            );
        }
    }
    unit.map(|unit| Length { unit, min, max })
}

fn check_list(list: &Attr<syntax::RawList>, vec: bool, errors: &mut Errors) -> Option<Check> {
    let raw = &list.value;
    let separator = raw
        .separator
        .as_ref()
        .map_or_else(|| ",".to_owned(), |s| s.value.clone());
    if let Some(s) = raw.separator.as_ref().filter(|s| s.value.is_empty()) {
        errors.spanned(&s.tokens, "`separator` cannot be empty");
    }
    if let Some(m) = raw.max_items.as_ref().filter(|m| m.value == 0) {
        errors.spanned(&m.tokens, "`max_items` must be at least 1");
    }
    let item = text_checks(&raw.item, true, "", errors);
    Some(Check::List {
        separator,
        max_items: raw.max_items.as_ref().map(|m| m.value),
        vec,
        item,
    })
}

pub fn check_enum(input: &DeriveInput) -> syn::Result<WireEnum> {
    let mut errors = Errors::default();
    let Data::Enum(data) = &input.data else {
        errors.spanned(&input.ident, "`derive(WireEnum)` supports enums only");
        return Err(errors.finish().unwrap_err());
    };
    let mut out = WireEnum {
        ident: input.ident.clone(),
        generics: input.generics.clone(),
        variants: Vec::new(),
        other: None,
    };
    for variant in &data.variants {
        let raw = syntax::variant_attrs(&variant.attrs, &mut errors);
        if let Some(other) = &raw.other {
            let one_field = matches!(&variant.fields, Fields::Unnamed(f) if f.unnamed.len() == 1);
            if !one_field {
                errors.spanned(
                    &other.tokens,
                    "an `other` variant holds the unknown string: `Unknown(String)`",
                );
            } else if out.other.is_some() {
                errors.spanned(&other.tokens, "only one variant can be `other`");
            }
            if let Some(wire) = &raw.wire {
                errors.spanned(
                    &wire.tokens,
                    "an `other` variant has no wire string of its own",
                );
            }
            out.other = Some(variant.ident.clone());
            continue;
        }
        if !matches!(variant.fields, Fields::Unit) {
            errors.spanned(&variant.ident, "`WireEnum` variants are unit variants, besides one `#[popgen(other)] Unknown(String)`");
        }
        let Some(wire) = &raw.wire else {
            errors.spanned(
                &variant.ident,
                "missing `#[popgen(wire = \"...\")]` on this variant",
            );
            continue;
        };
        let value = wire.value.value();
        if let Some((earlier, _)) = out.variants.iter().find(|(_, w)| *w == value) {
            errors.spanned(
                &wire.tokens,
                format!("duplicate wire string `{value}`: variant `{earlier}` already uses it"),
            );
        }
        out.variants.push((variant.ident.clone(), value));
    }
    errors.finish()?;
    Ok(out)
}

/// `derive(FromJson)` / `derive(ToJson)`: every field has a wire name (or `skip`), no two the
/// same. Other `#[popgen(...)]` items (the rules `Validate` reads, `sensitive`) are left to the
/// derives that use them.
pub fn check_json_struct(input: &DeriveInput, derive: &str) -> syn::Result<JsonStruct> {
    let mut errors = Errors::default();
    let Some(named) = named_fields(input, derive, &mut errors) else {
        return Err(errors.finish().unwrap_err());
    };
    let mut fields: Vec<JsonField> = Vec::new();
    for field in &named.named {
        let raw = syntax::field_attrs(&field.attrs, &mut errors);
        let ident = field.ident.clone().expect("named field");
        let wire = match (&raw.wire, &raw.skip) {
            (_, Some(_)) => None,
            (Some(wire), None) => {
                let name = wire.value.value();
                if name.is_empty() {
                    errors.spanned(&wire.tokens, "a wire name cannot be empty");
                } else if let Some(earlier) = fields
                    .iter()
                    .find(|f| f.wire.as_deref() == Some(&name) || f.aliases.contains(&name))
                {
                    let message = format!(
                        "duplicate wire name `{name}`: field `{}` already uses it",
                        earlier.ident
                    );
                    errors.spanned(&wire.tokens, message);
                }
                Some(name)
            }
            (None, None) => {
                errors.spanned(
                    &ident,
                    "missing `#[popgen(wire = \"...\")]`: every field needs its JSON member name (or `#[popgen(skip)]`)",
                );
                None
            }
        };
        let mut aliases = Vec::new();
        for alias in &raw.aliases {
            let name = alias.value.value();
            let taken = wire.as_deref() == Some(name.as_str())
                || aliases.contains(&name)
                || fields
                    .iter()
                    .any(|f| f.wire.as_deref() == Some(name.as_str()) || f.aliases.contains(&name));
            if wire.is_none() {
                errors.spanned(&alias.tokens, "a `skip` field has no JSON member to alias");
            } else if name.is_empty() {
                errors.spanned(&alias.tokens, "an alias cannot be empty");
            } else if taken {
                errors.spanned(
                    &alias.tokens,
                    format!("`{name}` is already a member name of this struct"),
                );
            }
            aliases.push(name);
        }
        fields.push(JsonField {
            ident,
            wire,
            aliases,
        });
    }
    errors.finish()?;
    Ok(JsonStruct {
        ident: input.ident.clone(),
        generics: input.generics.clone(),
        fields,
    })
}
