//! `impl WireEnum` (+ `ToWire`, `FromWire`) for unit enums, with an optional
//! `#[popgen(other)] Unknown(String)` variant that keeps strings a newer service sends.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::model::WireEnum;

pub fn emit(e: &WireEnum) -> TokenStream {
    let ident = &e.ident;
    let (impl_generics, ty_generics, where_clause) = e.generics.split_for_impl();
    let names: Vec<_> = e.variants.iter().map(|(v, _)| v).collect();
    let wires: Vec<_> = e.variants.iter().map(|(_, w)| w).collect();
    let (other_as, other_from) = match &e.other {
        Some(other) => (
            quote!(Self::#other(__popgen_s) => ::core::convert::AsRef::<::core::primitive::str>::as_ref(__popgen_s),),
            quote!(__popgen_s => ::core::option::Option::Some(Self::#other(::core::convert::From::from(__popgen_s))),),
        ),
        None => (quote!(), quote!(_ => ::core::option::Option::None,)),
    };
    let params = quote!(::popgen_runtime::params);
    quote! {
        #[automatically_derived]
        impl #impl_generics #params::WireEnum for #ident #ty_generics #where_clause {
            const VARIANTS: &'static [&'static ::core::primitive::str] = &[#(#wires),*];

            #[inline]
            fn as_wire(&self) -> &::core::primitive::str {
                match self {
                    #(Self::#names => #wires,)*
                    #other_as
                }
            }

            #[inline]
            fn from_wire_str(__popgen_text: &::core::primitive::str) -> ::core::option::Option<Self> {
                match __popgen_text {
                    #(#wires => ::core::option::Option::Some(Self::#names),)*
                    #other_from
                }
            }
        }

        #[automatically_derived]
        impl #impl_generics #params::ToWire for #ident #ty_generics #where_clause {
            #[inline]
            fn to_wire(&self) -> ::std::borrow::Cow<'_, ::core::primitive::str> {
                ::std::borrow::Cow::Borrowed(#params::WireEnum::as_wire(self))
            }
        }

        #[automatically_derived]
        impl #impl_generics #params::FromWire for #ident #ty_generics #where_clause {
            #[inline]
            fn from_wire(
                __popgen_text: &::core::primitive::str,
            ) -> ::core::result::Result<Self, ::popgen_runtime::rules::RuleError> {
                #params::parse_enum(__popgen_text)
            }
        }
    }
}

pub fn stub(input: &DeriveInput) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let params = quote!(::popgen_runtime::params);
    quote! {
        impl #impl_generics #params::WireEnum for #ident #ty_generics #where_clause {
            const VARIANTS: &'static [&'static ::core::primitive::str] = &[];
            #[inline]
            fn as_wire(&self) -> &::core::primitive::str {
                ""
            }
            #[inline]
            fn from_wire_str(_: &::core::primitive::str) -> ::core::option::Option<Self> {
                ::core::option::Option::None
            }
        }
        impl #impl_generics #params::ToWire for #ident #ty_generics #where_clause {
            #[inline]
            fn to_wire(&self) -> ::std::borrow::Cow<'_, ::core::primitive::str> {
                ::std::borrow::Cow::Borrowed("")
            }
        }
        impl #impl_generics #params::FromWire for #ident #ty_generics #where_clause {
            #[inline]
            fn from_wire(
                __popgen_text: &::core::primitive::str,
            ) -> ::core::result::Result<Self, ::popgen_runtime::rules::RuleError> {
                #params::parse_enum(__popgen_text)
            }
        }
    }
}
