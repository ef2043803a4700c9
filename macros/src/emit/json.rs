//! `impl FromJson` / `impl ToJson` (and serde's `Deserialize` / `Serialize` through them): one
//! runtime call per field, nothing generic over a deserializer, so that a crate of many response
//! types stays quick to compile. The lenient rules live in `popgen_runtime::decode`.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::model::JsonStruct;

pub fn from_json(model: &JsonStruct) -> TokenStream {
    let ident = &model.ident;
    let (impl_generics, ty_generics, where_clause) = model.generics.split_for_impl();
    let decode = quote!(::popgen_runtime::decode);
    let mut de_generics = model.generics.clone();
    de_generics.params.insert(0, syn::parse_quote!('de));
    let (de_impl_generics, _, _) = de_generics.split_for_impl();
    // Every field starts at its default; one call reads the members into them through
    // `&mut dyn Slot`, so a struct's decoding is a table, not code (and drop paths) per field.
    let inits = model.fields.iter().map(|f| {
        let member = &f.ident;
        quote!(#member: ::core::default::Default::default())
    });
    let members = model.fields.iter().filter_map(|f| {
        let (member, wire, aliases) = (&f.ident, f.wire.as_ref()?, &f.aliases);
        Some(quote! {
            #decode::Member { key: #wire, aliases: &[#(#aliases),*], slot: &mut __popgen_out.#member }
        })
    });
    quote! {
        #[automatically_derived]
        impl #impl_generics #decode::FromJson for #ident #ty_generics #where_clause {
            #[inline]
            fn from_json(
                __popgen_value: &::popgen_runtime::serde_json::Value,
                __popgen_path: &#decode::Path<'_>,
            ) -> ::core::result::Result<Self, #decode::DecodeError> {
                let __popgen_object = #decode::object(__popgen_value, __popgen_path)?;
                let mut __popgen_out = Self { #(#inits,)* };
                #decode::read_fields(__popgen_object, __popgen_path, &mut [#(#members),*])?;
                ::core::result::Result::Ok(__popgen_out)
            }
        }
        #[automatically_derived]
        impl #de_impl_generics ::popgen_runtime::serde::Deserialize<'de> for #ident #ty_generics #where_clause {
            fn deserialize<D: ::popgen_runtime::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                #decode::deserialize(deserializer)
            }
        }
    }
}

pub fn to_json(model: &JsonStruct) -> TokenStream {
    let ident = &model.ident;
    let (impl_generics, ty_generics, where_clause) = model.generics.split_for_impl();
    let decode = quote!(::popgen_runtime::decode);
    let fields = model.fields.iter().filter_map(|f| {
        let (member, wire) = (&f.ident, f.wire.as_ref()?);
        Some(quote!((#wire, &self.#member)))
    });
    quote! {
        #[automatically_derived]
        impl #impl_generics #decode::ToJson for #ident #ty_generics #where_clause {
            #[inline]
            fn to_json(&self) -> ::popgen_runtime::serde_json::Value {
                #decode::fields_to_json(&[#(#fields),*])
            }
        }
        #[automatically_derived]
        impl #impl_generics ::popgen_runtime::serde::Serialize for #ident #ty_generics #where_clause {
            fn serialize<S: ::popgen_runtime::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                #decode::serialize(self, serializer)
            }
        }
    }
}

/// What the derives emit beside attribute errors: impls that compile, so that code using the
/// type gets no follow-on errors.
pub fn from_json_stub(input: &DeriveInput) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let decode = quote!(::popgen_runtime::decode);
    quote! {
        impl #impl_generics #decode::FromJson for #ident #ty_generics #where_clause {
            #[inline]
            fn from_json(
                _: &::popgen_runtime::serde_json::Value,
                _: &#decode::Path<'_>,
            ) -> ::core::result::Result<Self, #decode::DecodeError> {
                ::core::unimplemented!()
            }
        }
    }
}

pub fn to_json_stub(input: &DeriveInput) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        impl #impl_generics ::popgen_runtime::decode::ToJson for #ident #ty_generics #where_clause {
            #[inline]
            fn to_json(&self) -> ::popgen_runtime::serde_json::Value {
                ::core::unimplemented!()
            }
        }
    }
}
