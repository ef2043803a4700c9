//! `impl Debug` that prints `***` for `#[popgen(sensitive)]` fields (`Some(***)` when optional).
//! A separate derive, so that `Validate` and `RpcParams` never touch `Debug`: put
//! `RedactedDebug` in place of `Debug` on types with sensitive fields.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DataStruct, DeriveInput, Fields};

use crate::syntax::{self, Errors};
use crate::ty::FieldType;

pub fn expand(input: &DeriveInput) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let Data::Struct(DataStruct {
        fields: Fields::Named(named),
        ..
    }) = &input.data
    else {
        return syn::Error::new_spanned(
            ident,
            "`derive(RedactedDebug)` supports structs with named fields only",
        )
        .to_compile_error();
    };
    let fields = named.named.iter().map(|field| {
        // Only `sensitive` matters here; the other derives report attribute mistakes.
        let raw = syntax::field_attrs(&field.attrs, &mut Errors::default());
        let name = field.ident.as_ref().expect("named").to_string();
        let name = name.trim_start_matches("r#");
        let member = &field.ident;
        let redacted = quote!(::popgen_runtime::validation::Redacted);
        let value = match (raw.sensitive.is_some(), FieldType::of(&field.ty).optional) {
            (false, _) => quote!(&self.#member),
            (true, false) => quote!(&#redacted),
            (true, true) => quote!(&::core::option::Option::map(
                ::core::option::Option::as_ref(&self.#member),
                |_| #redacted,
            )),
        };
        quote!(::core::fmt::DebugStruct::field(&mut __popgen_s, #name, #value);)
    });
    let name = ident.to_string();
    quote! {
        #[automatically_derived]
        impl #impl_generics ::core::fmt::Debug for #ident #ty_generics #where_clause {
            #[inline]
            fn fmt(&self, __popgen_f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                let mut __popgen_s = ::core::fmt::Formatter::debug_struct(__popgen_f, #name);
                #(#fields)*
                ::core::fmt::DebugStruct::finish(&mut __popgen_s)
            }
        }
    }
}
