//! What `RpcParams` says about its fields' wire names besides reading and writing them: one
//! associated constant per field holding its wire name, so code that names a param (cross-field
//! rules, action metadata, logs) asks the type instead of repeating the text, and
//! `is_sensitive_param`, so a server that only has wire names can tell which to redact.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::{Field, Shape, Struct};

/// The name of the constant holding `field`'s wire name: its identifier in upper case
/// (`called_number` → `CALLED_NUMBER`). This is the derive's documented contract; the code
/// generator names the constants through the same rule.
pub fn const_ident(field: &syn::Ident) -> syn::Ident {
    let name = field.to_string();
    let name = name.strip_prefix("r#").unwrap_or(&name).to_uppercase();
    format_ident!("{}", name, span = field.span())
}

/// `impl Struct { pub const FIELD: &str = "Wire"; ... }` for every field on the wire.
pub fn consts(s: &Struct) -> TokenStream {
    let ident = &s.ident;
    let (impl_generics, ty_generics, where_clause) = s.generics.split_for_impl();
    let consts = s
        .fields
        .iter()
        .filter(|f| !matches!(f.shape, Shape::Skip))
        .map(|f| {
            let name = const_ident(&f.ident);
            let wire = &f.wire;
            let doc = format!("The wire name of `{}`: `{wire}`.", f.ident);
            quote! {
                #[doc = #doc]
                pub const #name: &'static ::core::primitive::str = #wire;
            }
        });
    quote! {
        #[automatically_derived]
        impl #impl_generics #ident #ty_generics #where_clause {
            #(#consts)*
        }
    }
}

/// `fn is_sensitive_param` of `impl RpcParams`, when some field is sensitive or nested (else
/// the trait's default, `false`, holds).
pub fn is_sensitive_param(s: &Struct) -> TokenStream {
    let tests: Vec<_> = s.fields.iter().filter_map(sensitive_test).collect();
    if tests.is_empty() {
        return TokenStream::new();
    }
    quote! {
        #[inline]
        fn is_sensitive_param(__popgen_name: &::core::primitive::str) -> ::core::primitive::bool {
            #(#tests)||*
        }
    }
}

/// Whether `__popgen_name` is (or is under) `f`, when that makes it sensitive.
fn sensitive_test(f: &Field) -> Option<TokenStream> {
    let wire = &f.wire;
    let name = quote!(__popgen_name);
    let under = |child: TokenStream| quote!(#name.strip_prefix(#wire).and_then(|r| r.strip_prefix('.')).is_some_and(#child));
    Some(match (&f.shape, f.sensitive) {
        (Shape::Skip, _) => return None,
        (Shape::Scalar { .. } | Shape::Json { .. } | Shape::JoinedList { .. }, true) => {
            quote!(#name == #wire)
        }
        (Shape::RepeatedScalar { .. }, true) => {
            quote!(::popgen_runtime::params::is_item_of(#name, #wire))
        }
        (Shape::Nested { .. } | Shape::Repeated { .. }, true) => {
            quote!(#name.strip_prefix(#wire).is_some_and(|r| r.starts_with('.')))
        }
        (Shape::Nested { ty }, false) => {
            under(quote!(<#ty as ::popgen_runtime::params::RpcParams>::is_sensitive_param))
        }
        (Shape::Repeated { elem }, false) => quote! {
            ::popgen_runtime::params::under_index(#name, #wire)
                .is_some_and(<#elem as ::popgen_runtime::params::RpcParams>::is_sensitive_param)
        },
        (Shape::Scalar { .. } | Shape::Json { .. } | Shape::JoinedList { .. }, false)
        | (Shape::RepeatedScalar { .. }, false) => return None,
    })
}
