//! `impl RpcParams`: fields to ordered wire pairs (declaration order, `None` left out), and
//! wire pairs back to the struct, running the same checks as `Validate` on every field read.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::DeriveInput;

use crate::model::{Field, Shape, Struct};

pub fn emit(s: &Struct) -> TokenStream {
    let ident = &s.ident;
    let (impl_generics, ty_generics, where_clause) = s.generics.split_for_impl();
    let count = s
        .fields
        .iter()
        .filter(|f| !matches!(f.shape, Shape::Skip))
        .count();
    let writes = s.fields.iter().map(write);
    let reads = s.fields.iter().map(read);
    let locals: Vec<_> = s.fields.iter().map(local).collect();
    let names = s.fields.iter().map(|f| &f.ident);
    let rules = &s.rules;
    let unwrap = (!locals.is_empty()).then(|| {
        quote! {
            let (#(::core::option::Option::Some(#locals),)*) = (#(#locals,)*) else {
                return ::core::option::Option::None;
            };
        }
    });
    let sensitive = super::names::is_sensitive_param(s);
    let consts = super::names::consts(s);
    quote! {
        #consts
        #[automatically_derived]
        impl #impl_generics ::popgen_runtime::params::RpcParams for #ident #ty_generics #where_clause {
            const FIELD_COUNT: ::core::primitive::usize = #count;

            #sensitive

            #[inline]
            fn write_params<'__popgen_a>(
                &'__popgen_a self,
                __popgen_prefix: ::core::option::Option<&::core::primitive::str>,
                __popgen_out: &mut ::std::vec::Vec<::popgen_runtime::params::Pair<'__popgen_a>>,
            ) {
                #(#writes)*
            }

            #[inline]
            fn parse_params(
                __popgen_input: &mut ::popgen_runtime::params::ParamInput<'_>,
                __popgen_path: &::popgen_runtime::validation::Path<'_>,
                __popgen_report: &mut ::popgen_runtime::validation::Report,
            ) -> ::core::option::Option<Self> {
                #(#reads)*
                #unwrap
                let __popgen_value = Self { #(#names: #locals),* };
                #(#rules(&__popgen_value, __popgen_path, __popgen_report);)*
                ::core::option::Option::Some(__popgen_value)
            }
        }
    }
}

fn local(f: &Field) -> syn::Ident {
    format_ident!(
        "__popgen_f_{}",
        f.ident.to_string().trim_start_matches("r#")
    )
}

fn name(wire: &str) -> TokenStream {
    quote!(::popgen_runtime::params::wire_name(__popgen_prefix, #wire))
}

fn write(f: &Field) -> TokenStream {
    let ident = &f.ident;
    let wire = &f.wire;
    let params = quote!(::popgen_runtime::params);
    let v = quote!(__popgen_v);
    let push = |value: TokenStream| {
        let name = name(wire);
        quote!(__popgen_out.push((#name, #value));)
    };
    let body = match &f.shape {
        Shape::Skip => return TokenStream::new(),
        Shape::Scalar { .. } => push(quote!(#params::ToWire::to_wire(#v))),
        // A value with no JSON text is left off the wire; validation reports it.
        Shape::Json { .. } => {
            let push = push(quote!(::std::borrow::Cow::Owned(__popgen_text)));
            quote! {
                if let ::core::result::Result::Ok(__popgen_text) = ::popgen_runtime::rules::json::to_wire(#v) {
                    #push
                }
            }
        }
        Shape::JoinedList { separator } => push(
            quote!(::std::borrow::Cow::Owned(::popgen_runtime::rules::list::join(#v, #separator))),
        ),
        Shape::Nested { .. } => {
            quote!(#params::write_nested(__popgen_prefix, #wire, #v, __popgen_out);)
        }
        Shape::Repeated { .. } => {
            quote!(#params::write_repeated(__popgen_prefix, #wire, #v, __popgen_out);)
        }
        Shape::RepeatedScalar { .. } => {
            quote!(#params::write_repeated_scalars(__popgen_prefix, #wire, #v, __popgen_out);)
        }
    };
    if f.optional {
        quote!(if let ::core::option::Option::Some(#v) = &self.#ident { #body })
    } else {
        quote!({ let #v = &self.#ident; #body })
    }
}

/// `let __popgen_f_x: Option<FieldType> = ...;` reading, then checking, one field.
fn read(f: &Field) -> TokenStream {
    let local = local(f);
    let wire = &f.wire;
    let sensitive = f.sensitive;
    let args = quote!(#wire, __popgen_path, __popgen_report);
    let input = quote!(__popgen_input);
    let params = quote!(::popgen_runtime::params);
    let mode = if f.optional {
        quote!(optional)
    } else {
        quote!(required)
    };
    let taken = |parse: TokenStream| quote!(#input.#mode(#args, #sensitive, #parse));
    let value = match &f.shape {
        Shape::Skip => quote!(::core::option::Option::Some(
            ::core::default::Default::default()
        )),
        Shape::Scalar { ty } => taken(quote!(<#ty as #params::FromWire>::from_wire)),
        Shape::Json { ty } => taken(quote!(::popgen_runtime::rules::json::from_wire::<#ty>)),
        Shape::JoinedList { separator } => taken(quote!(|__popgen_t: &::core::primitive::str| {
            ::core::result::Result::Ok(::popgen_runtime::rules::list::split(__popgen_t, #separator))
        })),
        Shape::Nested { ty } => {
            let taken = quote!(#input.nested::<#ty>(#args));
            if f.optional {
                quote!(#params::Taken::into_optional(#taken))
            } else {
                quote!(#params::Taken::into_required(#taken, #args))
            }
        }
        Shape::Repeated { elem } => repeated(f, quote!(#input.repeated::<#elem>(#args))),
        Shape::RepeatedScalar { elem } => repeated(
            f,
            quote!(#input.repeated_scalars::<#elem>(#args, #sensitive)),
        ),
    };
    let check = super::validate::field_body(f, false).map(|body| {
        let pattern = if f.optional {
            quote!(::core::option::Option::Some(::core::option::Option::Some(
                __popgen_v
            )))
        } else {
            quote!(::core::option::Option::Some(__popgen_v))
        };
        quote! {
            if let #pattern = &#local {
                let __popgen_p = ::popgen_runtime::validation::Path::field(__popgen_path, #wire);
                #body
            }
        }
    });
    quote! {
        let #local = #value;
        #check
    }
}

/// A repeated field: `Vec` as read, or for `Option<Vec<_>>` `None` when there is no element.
fn repeated(f: &Field, read: TokenStream) -> TokenStream {
    if !f.optional {
        return read;
    }
    quote!(::core::option::Option::map(#read, |__popgen_items| {
        if __popgen_items.is_empty() {
            ::core::option::Option::None
        } else {
            ::core::option::Option::Some(__popgen_items)
        }
    }))
}

pub fn stub(input: &DeriveInput) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        impl #impl_generics ::popgen_runtime::params::RpcParams for #ident #ty_generics #where_clause {
            const FIELD_COUNT: ::core::primitive::usize = 0;
            #[inline]
            fn write_params<'__popgen_a>(
                &'__popgen_a self,
                _: ::core::option::Option<&::core::primitive::str>,
                _: &mut ::std::vec::Vec<::popgen_runtime::params::Pair<'__popgen_a>>,
            ) {
            }
            #[inline]
            fn parse_params(
                _: &mut ::popgen_runtime::params::ParamInput<'_>,
                _: &::popgen_runtime::validation::Path<'_>,
                _: &mut ::popgen_runtime::validation::Report,
            ) -> ::core::option::Option<Self> {
                ::core::option::Option::None
            }
        }
    }
}
