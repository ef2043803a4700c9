//! Stage 1: `#[popgen(...)]` attributes to raw, unchecked values, each kept with the tokens it
//! came from so that `check` can place every error under them. Errors are collected, never
//! returned early, except for malformed syntax inside one attribute.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::meta::ParseNestedMeta;
use syn::{Attribute, Expr, ExprLit, ExprUnary, Ident, Lit, LitInt, LitStr, UnOp};

/// Collected errors, folded with `syn::Error::combine`.
#[derive(Default)]
pub struct Errors(Option<syn::Error>);

impl Errors {
    pub fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(all) => all.combine(error),
            None => self.0 = Some(error),
        }
    }

    pub fn spanned(&mut self, tokens: impl ToTokens, message: impl std::fmt::Display) {
        self.push(syn::Error::new_spanned(tokens, message));
    }

    pub fn finish(self) -> Result<(), syn::Error> {
        self.0.map_or(Ok(()), Err)
    }
}

/// A value and the tokens of the attribute item that gave it (`range(min = 1, max = 3)`).
#[derive(Clone)]
pub struct Attr<T> {
    pub value: T,
    pub tokens: TokenStream,
}

/// A number literal, possibly negative.
#[derive(Clone)]
pub struct NumLit {
    pub tokens: TokenStream,
    pub value: f64,
    /// The exact value of an integer literal; `None` for a float literal.
    pub int: Option<i128>,
}

#[derive(Clone, Default)]
pub struct RawRange {
    pub min: Option<NumLit>,
    pub max: Option<NumLit>,
    /// `exclusive_min`: the value must be greater than `min`.
    pub exclusive_min: bool,
    /// `exclusive_max`: the value must be less than `max`.
    pub exclusive_max: bool,
}

#[derive(Clone, Default)]
pub struct RawLength {
    pub min: Option<Attr<usize>>,
    pub max: Option<Attr<usize>>,
    pub unit: Option<Attr<String>>,
}

/// The rules that apply to a text: on a field, or on each item of a list.
#[derive(Clone, Default)]
pub struct TextRules {
    pub length: Option<Attr<RawLength>>,
    pub one_of: Option<Attr<Vec<String>>>,
    pub fixed: Option<Attr<String>>,
    pub pattern: Option<Attr<LitStr>>,
    pub datetime: Option<Attr<LitStr>>,
}

/// `items(min = 1, max = 10)`, `items(optional, min = 2)`: the element count of a repeated field.
#[derive(Clone, Default)]
pub struct RawItems {
    pub min: Option<Attr<usize>>,
    pub max: Option<Attr<usize>>,
    /// The list may be empty (the parameter left out); the bounds apply when it is not.
    pub optional: bool,
}

#[derive(Clone, Default)]
pub struct RawList {
    pub separator: Option<Attr<String>>,
    pub max_items: Option<Attr<usize>>,
    pub item: TextRules,
}

/// `json`, `json(object)`, `json(array)`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum JsonArg {
    Any,
    Object,
    Array,
}

#[derive(Default)]
pub struct FieldAttrs {
    pub wire: Option<Attr<LitStr>>,
    pub sensitive: Option<Attr<()>>,
    pub fallback: Option<Attr<()>>,
    pub repeated: Option<Attr<()>>,
    pub nested: Option<Attr<()>>,
    pub skip: Option<Attr<()>>,
    pub unix_millis: Option<Attr<()>>,
    pub known: Option<Attr<()>>,
    pub json: Option<Attr<JsonArg>>,
    pub range: Option<Attr<RawRange>>,
    pub list: Option<Attr<RawList>>,
    pub items: Option<Attr<RawItems>>,
    /// `alias = "..."`, repeatable: other JSON member names `FromJson` reads the field from.
    pub aliases: Vec<Attr<LitStr>>,
    pub text: TextRules,
}

#[derive(Default)]
pub struct StructAttrs {
    pub rules: Vec<syn::Path>,
}

#[derive(Default)]
pub struct VariantAttrs {
    pub wire: Option<Attr<LitStr>>,
    pub other: Option<Attr<()>>,
}

pub const FIELD_KEYS: &[&str] = &[
    "wire",
    "alias",
    "sensitive",
    "fallback",
    "repeated",
    "nested",
    "skip",
    "unix_millis",
    "known",
    "json",
    "range",
    "list",
    "items",
    "length",
    "one_of",
    "fixed",
    "pattern",
    "datetime",
];
const TEXT_KEYS: &[&str] = &["length", "one_of", "fixed", "pattern", "datetime"];
const STRUCT_KEYS: &[&str] = &["rule"];
const VARIANT_KEYS: &[&str] = &["wire", "other"];

/// Reads every `#[popgen(...)]` of `attrs` with `each` called per key.
fn read(
    attrs: &[Attribute],
    errors: &mut Errors,
    mut each: impl FnMut(&ParseNestedMeta, &str, &mut Errors) -> syn::Result<()>,
) {
    for attr in attrs.iter().filter(|a| a.path().is_ident("popgen")) {
        let result = attr.parse_nested_meta(|meta| {
            let key = meta
                .path
                .get_ident()
                .map(Ident::to_string)
                .unwrap_or_default();
            each(&meta, &key, errors)
        });
        if let Err(e) = result {
            errors.push(e);
        }
    }
}

/// The "unknown key" error with a "did you mean" hint; skips the key's value so that parsing
/// goes on with the next key.
fn unknown(
    meta: &ParseNestedMeta,
    key: &str,
    known: &[&str],
    errors: &mut Errors,
) -> syn::Result<()> {
    let hint = known
        .iter()
        .map(|k| (strsim::jaro_winkler(key, k), *k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| format!("; did you mean `{k}`?"))
        .unwrap_or_else(|| format!("; expected one of: {}", known.join(", ")));
    let path = &meta.path;
    errors.spanned(
        path,
        format!(
            "unknown popgen attribute `{}`{hint}",
            path.to_token_stream()
        ),
    );
    if meta.input.peek(syn::Token![=]) {
        let _ = meta.value()?.parse::<Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        let _ = meta.input.parse::<proc_macro2::Group>()?;
    }
    Ok(())
}

/// Stores `value` in `slot`, or reports a duplicate key.
fn set<T>(
    slot: &mut Option<Attr<T>>,
    value: T,
    tokens: TokenStream,
    key: &str,
    errors: &mut Errors,
) {
    if slot.is_some() {
        errors.spanned(&tokens, format!("duplicate popgen attribute `{key}`"));
    } else {
        *slot = Some(Attr { value, tokens });
    }
}

/// The value of `key = value`, with the tokens of the whole item.
fn value<T: syn::parse::Parse + ToTokens>(meta: &ParseNestedMeta) -> syn::Result<(T, TokenStream)> {
    let value: T = meta.value()?.parse()?;
    let path = &meta.path;
    let tokens = quote!(#path = #value);
    Ok((value, tokens))
}

/// The parenthesised tokens of `key(...)`, with the tokens of the whole item.
fn group(meta: &ParseNestedMeta) -> syn::Result<TokenStream> {
    let group: proc_macro2::Group = meta.input.parse()?;
    let path = &meta.path;
    Ok(quote!(#path #group))
}

fn flag(meta: &ParseNestedMeta) -> TokenStream {
    meta.path.to_token_stream()
}

pub fn field_attrs(attrs: &[Attribute], errors: &mut Errors) -> FieldAttrs {
    let mut out = FieldAttrs::default();
    read(attrs, errors, |meta, key, errors| {
        match key {
            "wire" => {
                let (lit, tokens) = value::<LitStr>(meta)?;
                set(&mut out.wire, lit, tokens, key, errors);
            }
            "alias" => {
                let (value, tokens) = value::<LitStr>(meta)?;
                out.aliases.push(Attr { value, tokens });
            }
            "sensitive" => set(&mut out.sensitive, (), flag(meta), key, errors),
            "fallback" => set(&mut out.fallback, (), flag(meta), key, errors),
            "repeated" => set(&mut out.repeated, (), flag(meta), key, errors),
            "nested" => set(&mut out.nested, (), flag(meta), key, errors),
            "skip" => set(&mut out.skip, (), flag(meta), key, errors),
            "unix_millis" => set(&mut out.unix_millis, (), flag(meta), key, errors),
            "known" => set(&mut out.known, (), flag(meta), key, errors),
            "json" => {
                let (kind, tokens) = json(meta)?;
                set(&mut out.json, kind, tokens, key, errors);
            }
            "range" => {
                let (range, tokens) = range(meta, errors)?;
                set(&mut out.range, range, tokens, key, errors);
            }
            "list" => {
                let (list, tokens) = list(meta, errors)?;
                set(&mut out.list, list, tokens, key, errors);
            }
            "items" => {
                let (items, tokens) = items(meta, errors)?;
                set(&mut out.items, items, tokens, key, errors);
            }
            _ if TEXT_KEYS.contains(&key) => text_rule(meta, key, &mut out.text, errors)?,
            _ => unknown(meta, key, FIELD_KEYS, errors)?,
        }
        Ok(())
    });
    out
}

fn text_rule(
    meta: &ParseNestedMeta,
    key: &str,
    out: &mut TextRules,
    errors: &mut Errors,
) -> syn::Result<()> {
    match key {
        "length" => {
            let (length, tokens) = length(meta, errors)?;
            set(&mut out.length, length, tokens, key, errors);
        }
        "one_of" => {
            let tokens = group(meta)?;
            let values = syn::parse2::<OneOf>(tokens.clone())?.0;
            set(&mut out.one_of, values, tokens, key, errors);
        }
        "fixed" => {
            let (lit, tokens) = value::<LitStr>(meta)?;
            set(&mut out.fixed, lit.value(), tokens, key, errors);
        }
        "pattern" => {
            let (lit, tokens) = value::<LitStr>(meta)?;
            set(&mut out.pattern, lit, tokens, key, errors);
        }
        "datetime" => {
            let (lit, tokens) = value::<LitStr>(meta)?;
            set(&mut out.datetime, lit, tokens, key, errors);
        }
        _ => unknown(meta, key, TEXT_KEYS, errors)?,
    }
    Ok(())
}

/// `one_of("a", "b")`, parsed from the whole item.
struct OneOf(Vec<String>);

impl syn::parse::Parse for OneOf {
    fn parse(input: syn::parse::ParseStream) -> syn::Result<Self> {
        let _: Ident = input.parse()?;
        let content;
        syn::parenthesized!(content in input);
        let lits =
            content.parse_terminated(<LitStr as syn::parse::Parse>::parse, syn::Token![,])?;
        Ok(OneOf(lits.iter().map(LitStr::value).collect()))
    }
}

fn json(meta: &ParseNestedMeta) -> syn::Result<(JsonArg, TokenStream)> {
    if !meta.input.peek(syn::token::Paren) {
        return Ok((JsonArg::Any, flag(meta)));
    }
    let group: proc_macro2::Group = meta.input.fork().parse()?;
    let mut kind = JsonArg::Any;
    meta.parse_nested_meta(|inner| {
        kind = if inner.path.is_ident("object") {
            JsonArg::Object
        } else if inner.path.is_ident("array") {
            JsonArg::Array
        } else {
            return Err(inner.error("expected `object` or `array`"));
        };
        Ok(())
    })?;
    let path = &meta.path;
    Ok((kind, quote!(#path #group)))
}

fn range(meta: &ParseNestedMeta, errors: &mut Errors) -> syn::Result<(RawRange, TokenStream)> {
    let tokens = group(meta)?;
    let mut range = RawRange::default();
    nested(&tokens, |inner| {
        let slot = match inner.path.get_ident().map(Ident::to_string).as_deref() {
            Some("min") => &mut range.min,
            Some("max") => &mut range.max,
            Some("exclusive_min") => {
                range.exclusive_min = true;
                return Ok(());
            }
            Some("exclusive_max") => {
                range.exclusive_max = true;
                return Ok(());
            }
            _ => {
                let known = ["min", "max", "exclusive_min", "exclusive_max"];
                return unknown(&inner, &ident_of(&inner), &known, errors);
            }
        };
        let expr: Expr = inner.value()?.parse()?;
        let num = number(&expr)?;
        if slot.is_some() {
            errors.spanned(&expr, format!("duplicate `{}`", ident_of(&inner)));
        }
        *slot = Some(num);
        Ok(())
    })?;
    Ok((range, tokens))
}

fn length(meta: &ParseNestedMeta, errors: &mut Errors) -> syn::Result<(RawLength, TokenStream)> {
    let tokens = group(meta)?;
    let mut length = RawLength::default();
    nested(&tokens, |inner| {
        let key = ident_of(&inner);
        match key.as_str() {
            "min" | "max" => {
                let (lit, item) = value::<LitInt>(&inner)?;
                let n = lit.base10_parse::<usize>()?;
                let slot = if key == "min" {
                    &mut length.min
                } else {
                    &mut length.max
                };
                set(slot, n, item, &key, errors);
            }
            "unit" => {
                let (expr, item) = value::<Expr>(&inner)?;
                let unit = match &expr {
                    Expr::Path(p) => p.path.get_ident().map(Ident::to_string),
                    Expr::Lit(ExprLit {
                        lit: Lit::Str(s), ..
                    }) => Some(s.value()),
                    _ => None,
                };
                set(
                    &mut length.unit,
                    unit.unwrap_or_default(),
                    item,
                    &key,
                    errors,
                );
            }
            _ => unknown(&inner, &key, &["min", "max", "unit"], errors)?,
        }
        Ok(())
    })?;
    Ok((length, tokens))
}

fn list(meta: &ParseNestedMeta, errors: &mut Errors) -> syn::Result<(RawList, TokenStream)> {
    let tokens = group(meta)?;
    let mut list = RawList::default();
    nested(&tokens, |inner| {
        let key = ident_of(&inner);
        match key.as_str() {
            "separator" => {
                let (lit, item) = value::<LitStr>(&inner)?;
                set(&mut list.separator, lit.value(), item, &key, errors);
            }
            "max_items" => {
                let (lit, item) = value::<LitInt>(&inner)?;
                set(&mut list.max_items, lit.base10_parse()?, item, &key, errors);
            }
            "item" => inner.parse_nested_meta(|rule| {
                let key = ident_of(&rule);
                text_rule(&rule, &key, &mut list.item, errors)
            })?,
            _ => unknown(&inner, &key, &["separator", "max_items", "item"], errors)?,
        }
        Ok(())
    })?;
    Ok((list, tokens))
}

fn items(meta: &ParseNestedMeta, errors: &mut Errors) -> syn::Result<(RawItems, TokenStream)> {
    let tokens = group(meta)?;
    let mut items = RawItems::default();
    nested(&tokens, |inner| {
        let key = ident_of(&inner);
        match key.as_str() {
            "min" | "max" => {
                let (lit, item) = value::<LitInt>(&inner)?;
                let n = lit.base10_parse::<usize>()?;
                let slot = if key == "min" {
                    &mut items.min
                } else {
                    &mut items.max
                };
                set(slot, n, item, &key, errors);
            }
            "optional" => items.optional = true,
            _ => unknown(&inner, &key, &["min", "max", "optional"], errors)?,
        }
        Ok(())
    })?;
    Ok((items, tokens))
}

/// Runs `each` over the `key = value` / `key(...)` items of `name(...)` tokens.
fn nested(
    tokens: &TokenStream,
    each: impl FnMut(ParseNestedMeta) -> syn::Result<()>,
) -> syn::Result<()> {
    let parser = syn::meta::parser(each);
    let mut iter = tokens.clone().into_iter();
    let _name = iter.next();
    match iter.next() {
        Some(proc_macro2::TokenTree::Group(g)) => syn::parse::Parser::parse2(parser, g.stream()),
        _ => Err(syn::Error::new_spanned(tokens, "expected `(...)`")),
    }
}

fn ident_of(meta: &ParseNestedMeta) -> String {
    meta.path
        .get_ident()
        .map(Ident::to_string)
        .unwrap_or_default()
}

/// An integer or float literal, possibly negated.
fn number(expr: &Expr) -> syn::Result<NumLit> {
    let (negative, lit) = match expr {
        Expr::Lit(ExprLit { lit, .. }) => (false, lit),
        Expr::Unary(ExprUnary {
            op: UnOp::Neg(_),
            expr,
            ..
        }) => match &**expr {
            Expr::Lit(ExprLit { lit, .. }) => (true, lit),
            _ => return Err(syn::Error::new_spanned(expr, "expected a number literal")),
        },
        _ => return Err(syn::Error::new_spanned(expr, "expected a number literal")),
    };
    let sign = if negative { -1.0 } else { 1.0 };
    let (value, int) = match lit {
        Lit::Int(i) => {
            let n = i.base10_parse::<i128>()?;
            let n = if negative { -n } else { n };
            (n as f64, Some(n))
        }
        Lit::Float(f) => (sign * f.base10_parse::<f64>()?, None),
        _ => return Err(syn::Error::new_spanned(expr, "expected a number literal")),
    };
    Ok(NumLit {
        tokens: expr.to_token_stream(),
        value,
        int,
    })
}

pub fn struct_attrs(attrs: &[Attribute], errors: &mut Errors) -> StructAttrs {
    let mut out = StructAttrs::default();
    read(attrs, errors, |meta, key, errors| {
        match key {
            "rule" => out.rules.push(meta.value()?.parse()?),
            _ => unknown(meta, key, STRUCT_KEYS, errors)?,
        }
        Ok(())
    });
    out
}

pub fn variant_attrs(attrs: &[Attribute], errors: &mut Errors) -> VariantAttrs {
    let mut out = VariantAttrs::default();
    read(attrs, errors, |meta, key, errors| {
        match key {
            "wire" => {
                let (lit, tokens) = value::<LitStr>(meta)?;
                set(&mut out.wire, lit, tokens, key, errors);
            }
            "other" => set(&mut out.other, (), flag(meta), key, errors),
            _ => unknown(meta, key, VARIANT_KEYS, errors)?,
        }
        Ok(())
    });
    out
}
