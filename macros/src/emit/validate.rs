//! `impl Validate`: each field's checks in declaration order, nested and repeated structs
//! validated at `Wire` / `Wire.N`, then the struct-level rule functions.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::model::{Field, Items, Shape, Struct};

pub fn emit(s: &Struct) -> TokenStream {
    let ident = &s.ident;
    let (impl_generics, ty_generics, where_clause) = s.generics.split_for_impl();
    let fields = s.fields.iter().map(field);
    let rules = &s.rules;
    quote! {
        #[automatically_derived]
        impl #impl_generics ::popgen_runtime::validation::Validate for #ident #ty_generics #where_clause {
            #[inline]
            fn validate_into(
                &self,
                __popgen_path: &::popgen_runtime::validation::Path<'_>,
                __popgen_report: &mut ::popgen_runtime::validation::Report,
            ) {
                #(#fields)*
                #(#rules(self, __popgen_path, __popgen_report);)*
            }
        }
    }
}

/// The checks of one field, with `__popgen_v: &T` and `__popgen_p` its path.
pub fn field_body(f: &Field, nested: bool) -> Option<TokenStream> {
    let v = quote!(__popgen_v);
    let p = quote!(__popgen_p);
    let checks = match &f.shape {
        // A list of scalars (`Wire.1`, `Wire.2`): each value's checks at `Wire.N`.
        Shape::RepeatedScalar { .. } => {
            let (e, at) = (quote!(__popgen_item), quote!(__popgen_at));
            let each = super::checks(&f.checks, &e, &at, f.sensitive);
            if each.is_empty() {
                each
            } else {
                quote! {
                    for (__popgen_i, #e) in ::core::iter::Iterator::enumerate(::core::iter::IntoIterator::into_iter(#v)) {
                        let #at = ::popgen_runtime::validation::Path::index(&#p, __popgen_i + 1);
                        #each
                    }
                }
            }
        }
        _ => super::checks(&f.checks, &v, &p, f.sensitive),
    };
    let count = f.items.map(|items| count(items, &v, &p));
    let checks = quote!(#count #checks);
    let validate = quote!(::popgen_runtime::validation::Validate::validate_into);
    let nested = match &f.shape {
        Shape::Nested { .. } if nested => quote!(#validate(#v, &#p, __popgen_report);),
        Shape::Repeated { .. } if nested => quote! {
            for (__popgen_i, __popgen_e) in ::core::iter::Iterator::enumerate(::core::iter::IntoIterator::into_iter(#v)) {
                let __popgen_at = ::popgen_runtime::validation::Path::index(&#p, __popgen_i + 1);
                #validate(__popgen_e, &__popgen_at, __popgen_report);
            }
        },
        _ => TokenStream::new(),
    };
    if checks.is_empty() && nested.is_empty() {
        return None;
    }
    Some(quote!(#checks #nested))
}

/// The element count of a repeated field, recorded at the field's path with no value.
fn count(items: Items, v: &TokenStream, p: &TokenStream) -> TokenStream {
    let (min, max) = (
        super::option_usize(items.min),
        super::option_usize(items.max),
    );
    let len = quote!(::std::vec::Vec::len(#v));
    let apply = quote!(::popgen_runtime::rules::items::apply(#len, #min, #max));
    let check = quote! {
        if let ::core::result::Result::Err(__popgen_e) = #apply {
            ::popgen_runtime::validation::ValidationErrors::record_without_value(
                __popgen_report,
                &#p,
                __popgen_e,
                ::popgen_runtime::validation::Severity::Error,
            );
        }
    };
    if items.optional {
        quote!(if #len != 0 { #check })
    } else {
        check
    }
}

fn field(f: &Field) -> TokenStream {
    let Some(body) = field_body(f, true) else {
        return TokenStream::new();
    };
    let ident = &f.ident;
    let wire = &f.wire;
    let access = if f.optional {
        quote!(if let ::core::option::Option::Some(__popgen_v) = &self.#ident { #body })
    } else {
        quote!(let __popgen_v = &self.#ident; #body)
    };
    quote!({
        let __popgen_p = ::popgen_runtime::validation::Path::field(__popgen_path, #wire);
        #access
    })
}

/// An impl that does nothing, emitted beside the errors so that uses of the type still compile.
pub fn stub(input: &DeriveInput) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        impl #impl_generics ::popgen_runtime::validation::Validate for #ident #ty_generics #where_clause {
            #[inline]
            fn validate_into(
                &self,
                _: &::popgen_runtime::validation::Path<'_>,
                _: &mut ::popgen_runtime::validation::Report,
            ) {
            }
        }
    }
}
