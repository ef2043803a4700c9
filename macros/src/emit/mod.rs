//! Stage 3: tokens from the checked model. Emitted code names everything by absolute path
//! (`::popgen_runtime::...`, `::core::option::Option`) so that user code shadowing `Option`,
//! `Result` or `String` cannot change its meaning, and it only calls runtime functions: the
//! logic lives in `popgen_runtime::rules`.

pub mod debug;
pub mod json;
pub mod names;
pub mod params;
pub mod validate;
pub mod wire_enum;

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};

use crate::model::{Check, JsonKind, Length, Unit};

/// `::core::option::Option::Some(x)` / `None` for an optional limit.
fn option(value: Option<TokenStream>) -> TokenStream {
    match value {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    }
}

fn option_usize(value: Option<usize>) -> TokenStream {
    option(value.map(|n| quote!(#n)))
}

/// Statements checking `value` (an expression of type `&T`, T the type inside `Option`)
/// and recording violations at the path held in the local `path`.
pub fn checks(
    checks: &[Check],
    value: &TokenStream,
    path: &TokenStream,
    sensitive: bool,
) -> TokenStream {
    checks
        .iter()
        .map(|c| check(c, value, path, sensitive))
        .collect()
}

fn check(check: &Check, v: &TokenStream, p: &TokenStream, sensitive: bool) -> TokenStream {
    let rules = quote!(::popgen_runtime::rules);
    let render =
        quote!(::std::borrow::Cow::into_owned(::popgen_runtime::params::ToWire::to_wire(#v)));
    let expr = match check {
        Check::Range {
            min,
            max,
            fallback,
            open,
        } => {
            let (min, max) = (option(min.clone()), option(max.clone()));
            let apply = match *open {
                (false, false) => quote!(#rules::range::apply(*#v, #min, #max)),
                (min_open, max_open) => {
                    quote!(#rules::range::apply_open(*#v, #min, #max, #min_open, #max_open))
                }
            };
            return record(apply, *fallback, p, sensitive, &render);
        }
        Check::Length(Length { unit, min, max }) => {
            let f = match unit {
                Unit::Bytes => quote!(bytes),
                Unit::Chars => quote!(chars),
            };
            let (min, max) = (option_usize(*min), option_usize(*max));
            quote!(#rules::length::#f(#v, #min, #max))
        }
        Check::JsonText(length) => return json_text(length.as_ref(), v, p, sensitive),
        Check::Known { ty, span } => {
            // The field type named in the call (its tokens keep their span), and the value
            // rendered through `WireEnum` alone: a type that is not a `WireEnum` is one error,
            // under the field's type, not a cascade under the derive.
            let apply = quote_spanned!(*span=> #rules::known::apply::<#ty>);
            let wire_enum = quote!(<#ty as ::popgen_runtime::params::WireEnum>);
            let render = quote!(::std::borrow::ToOwned::to_owned(#wire_enum::as_wire(#v)));
            return record(quote!(#apply(#v)), false, p, sensitive, &render);
        }
        Check::OneOf(values) => quote!(#rules::one_of::apply(#v, &[#(#values),*])),
        Check::Fixed(value) => quote!(#rules::fixed::apply(#v, #value)),
        Check::Pattern(source) => quote!({
            static __POPGEN_PATTERN: #rules::pattern::Pattern = #rules::pattern::Pattern::new(#source);
            __POPGEN_PATTERN.apply(#v)
        }),
        Check::DateTime(format) => quote!(#rules::datetime::apply(#v, #format)),
        Check::UnixMillis => quote!(#rules::unix_millis::apply(*#v)),
        Check::Json(kind) => {
            let kind = match kind {
                JsonKind::Any => quote!(Any),
                JsonKind::Object => quote!(Object),
                JsonKind::Array => quote!(Array),
            };
            quote!(#rules::json::apply(#v, #rules::JsonKind::#kind))
        }
        Check::List {
            separator,
            max_items,
            vec,
            item,
        } => {
            return list(separator, *max_items, *vec, item, v, p, sensitive);
        }
    };
    record(expr, false, p, sensitive, &render)
}

/// A `json` serde value: serialised once, into a counter, to check that it has a JSON text and
/// measure it; the text itself is built only to show a violation.
fn json_text(
    length: Option<&Length>,
    v: &TokenStream,
    p: &TokenStream,
    sensitive: bool,
) -> TokenStream {
    let json = quote!(::popgen_runtime::rules::json);
    let expr = match length {
        Some(Length { unit, min, max }) => {
            let unit = match unit {
                Unit::Bytes => quote!(Bytes),
                Unit::Chars => quote!(Chars),
            };
            let (min, max) = (option_usize(*min), option_usize(*max));
            quote!(#json::length(#v, ::popgen_runtime::rules::LengthUnit::#unit, #min, #max))
        }
        None => quote!(#json::serializes(#v)),
    };
    quote! {
        if let ::core::result::Result::Err(__popgen_e) = #expr {
            #json::record(__popgen_report, &#p, __popgen_e, #sensitive, #v);
        }
    }
}

/// Runs `expr` (a `Result<(), RuleError>`) and records its error at `p`.
fn record(
    expr: TokenStream,
    warning: bool,
    p: &TokenStream,
    sensitive: bool,
    render: &TokenStream,
) -> TokenStream {
    let severity = if warning {
        quote!(Warning)
    } else {
        quote!(Error)
    };
    quote! {
        if let ::core::result::Result::Err(__popgen_e) = #expr {
            ::popgen_runtime::validation::ValidationErrors::record(
                __popgen_report,
                &#p,
                __popgen_e,
                ::popgen_runtime::validation::Severity::#severity,
                #sensitive,
                &|| #render,
            );
        }
    }
}

fn list(
    separator: &str,
    max_items: Option<usize>,
    vec: bool,
    item: &[Check],
    v: &TokenStream,
    p: &TokenStream,
    sensitive: bool,
) -> TokenStream {
    let rules = quote!(::popgen_runtime::rules);
    let max = option_usize(max_items);
    let item_v = quote!(__popgen_item);
    let item_p = quote!(__popgen_item_path);
    let item_checks = checks(item, &item_v, &item_p, sensitive);
    let path = quote!(::popgen_runtime::validation::Path::item(&#p, __popgen_i + 1));
    if vec {
        let whole = record(
            quote!(#rules::list::apply_items(#v, #separator, #max)),
            false,
            p,
            sensitive,
            &quote!(#rules::list::join(#v, #separator)),
        );
        let each = (!item.is_empty()).then(|| {
            quote! {
                for (__popgen_i, __popgen_item) in ::core::iter::Iterator::enumerate(::core::iter::IntoIterator::into_iter(#v)) {
                    let __popgen_item: &::core::primitive::str = ::core::convert::AsRef::<::core::primitive::str>::as_ref(__popgen_item);
                    let #item_p = #path;
                    #item_checks
                }
            }
        });
        return quote!(#whole #each);
    }
    let render =
        quote!(::std::borrow::Cow::into_owned(::popgen_runtime::params::ToWire::to_wire(#v)));
    let whole = record(
        quote!(#rules::list::apply(#v, #separator, #max)),
        false,
        p,
        sensitive,
        &render,
    );
    let each = (!item.is_empty()).then(|| {
        quote! {
            for (__popgen_i, __popgen_item) in ::core::iter::Iterator::enumerate(#rules::list::items(#v, #separator)) {
                if ::core::primitive::str::is_empty(__popgen_item) {
                    continue;
                }
                let #item_p = #path;
                #item_checks
            }
        }
    });
    quote!(#whole #each)
}
