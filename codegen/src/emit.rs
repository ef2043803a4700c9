//! Tokens for one action's module: the request (validated, encoded by the derives), its
//! constructor and setters, cross-field rules, nested types, enums, the response types and the
//! action's metadata. Every path is absolute, so user code that shadows `Option` cannot break it.

use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens as _, format_ident, quote};

use popgen_runtime::rules::pattern;
use popgen_spec::Spec;
use popgen_spec::model::{
    Condition, Format, LengthUnit, Number, OutOfRange, Param, Rule, Severity,
};
use popgen_spec::rules::{ItemCount, ValueRules};

use crate::docs;
use crate::ir::{ActionIr, EnumIr, FieldIr, Role, StructIr, Ty};
use crate::names::{ident, snake};

/// The Rust type of `ty` (without `Option`).
pub fn ty_tokens(ty: &Ty) -> TokenStream {
    match ty {
        Ty::Str => quote!(::std::string::String),
        Ty::I32 => quote!(i32),
        Ty::I64 => quote!(i64),
        Ty::F64 => quote!(f64),
        Ty::Bool => quote!(bool),
        Ty::Enum(name) | Ty::Struct(name) => {
            let i = format_ident!("{}", name);
            quote!(crate::#i)
        }
        Ty::Vec(inner) => {
            let t = ty_tokens(inner);
            quote!(::std::vec::Vec<#t>)
        }
        Ty::Map(inner) => {
            let t = ty_tokens(inner);
            quote!(::std::collections::BTreeMap<::std::string::String, #t>)
        }
        Ty::Json(inner) => ty_tokens(inner),
        Ty::JsonText(inner) => {
            let t = ty_tokens(inner);
            quote!(::popgen_runtime::decode::JsonText<#t>)
        }
        Ty::Any => quote!(::popgen_runtime::serde_json::Value),
    }
}

fn field_type(f: &FieldIr<'_>) -> TokenStream {
    let t = ty_tokens(&f.ty);
    match (&f.ty, f.optional) {
        (Ty::Vec(_), _) => t,
        (_, true) => quote!(::core::option::Option<#t>),
        (_, false) => t,
    }
}

fn doc_attrs(text: &str) -> TokenStream {
    let mut lines = Vec::new();
    let (mut in_list, mut in_code) = (false, false);
    for raw in text.lines() {
        // Source text may hold tabs and trailing blanks (metadata examples do): rustdoc and
        // clippy want neither.
        let raw = raw.replace('\t', "    ");
        if raw.trim_start().starts_with("```") {
            in_code = !in_code;
        }
        // Outside code blocks the sources' indentation is dropped: their Markdown nests lists
        // and JSON by eye, which rustdoc reads as overindented list items.
        let l = if in_code { raw.trim_end() } else { raw.trim() };
        let item = !in_code && is_list_item(l);
        // A line after a list item that is not one would continue it lazily: end the list.
        if in_list && !item && !l.is_empty() {
            lines.push(String::new());
        }
        in_list = item;
        lines.push(if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        });
    }
    let lines = lines.iter().map(|l| quote!(#[doc = #l]));
    quote!(#(#lines)*)
}

/// Whether a Markdown line starts a list item (`- x`, `* x`, `1. x`).
fn is_list_item(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("- ")
        || t.starts_with("* ")
        || t.starts_with("+ ")
        || t.split_once(". ")
            .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The module of one action.
pub fn action(spec: &Spec, a: &ActionIr<'_>) -> TokenStream {
    let structs = a.structs.iter().map(|s| match s.role {
        Role::Request => param_struct(spec, s, &docs::request(spec, a)),
        Role::Element => param_struct(spec, s, &s.doc),
        Role::JsonValue => json_struct(s),
        Role::Response => response_struct(s),
    });
    let enums = a.enums.iter().map(enum_tokens);
    let meta = meta(spec, a);
    quote! {
        #(#structs)*
        #(#enums)*
        #meta
    }
}

fn meta(spec: &Spec, a: &ActionIr<'_>) -> TokenStream {
    let name = a.name;
    let konst = format_ident!("{}", a.meta_const);
    let (req, resp) = (
        format_ident!("{}", a.request),
        format_ident!("{}", a.response),
    );
    let success = spec.success_code(a.spec);
    let side_effects = a.spec.effect.has_side_effects();
    let per_user = match a.spec.qps.as_ref().and_then(|q| q.per_user) {
        Some(n) => quote!(::core::option::Option::Some(#n)),
        None => quote!(::core::option::Option::None),
    };
    // The request's own constants name its params (the spec check proves both are params).
    let request = &a.structs[0];
    let param = |wire: &str| match find(&request.fields, wire) {
        Some(f) => wire_of(&req, f),
        None => quote!(#wire),
    };
    let callee_limit = match &a.spec.callee_limit {
        Some(l) => {
            let (param, minute, hour, day) = (param(&l.param), l.per_minute, l.per_hour, l.per_day);
            quote!(::core::option::Option::Some(::popgen_runtime::action::CalleeLimit {
                param: #param,
                per_minute: #minute,
                per_hour: #hour,
                per_day: #day,
            }))
        }
        None => quote!(::core::option::Option::None),
    };
    let idempotency = match &a.spec.idempotency_param {
        Some(p) => {
            let p = param(p);
            quote!(::core::option::Option::Some(#p))
        }
        None => quote!(::core::option::Option::None),
    };
    let doc = format!(
        " Metadata of `{name}`: wire name, success code, retry safety, QPS, per-callee limit, \
         idempotency param."
    );
    quote! {
        #[doc = #doc]
        pub const #konst: ::popgen_runtime::action::ActionMeta = ::popgen_runtime::action::ActionMeta {
            name: #name,
            success_code: #success,
            side_effects: #side_effects,
            qps_per_user: #per_user,
            callee_limit: #callee_limit,
            idempotency_param: #idempotency,
        };

        impl ::popgen_runtime::action::Operation for #req {
            type Response = #resp;
            const META: &'static ::popgen_runtime::action::ActionMeta = &#konst;
        }
    }
}

/// `#[popgen(...)]` items for a param: its wire name and shape, then the rules of its values as
/// [`ValueRules`] decides them (for a list of scalars, its element's, checked on each value) —
/// the rules the spec checker applies to the same param — and the count of a repeated param.
fn constraint_attrs(spec: &Spec, f: &FieldIr<'_>, p: &Param) -> Vec<TokenStream> {
    let mut items = Vec::new();
    let wire = f.wire;
    items.push(quote!(wire = #wire));
    if p.sensitive {
        items.push(quote!(sensitive));
    }
    if matches!(f.ty, Ty::Vec(_)) {
        items.push(quote!(repeated));
    }
    if let Some(rules) = ValueRules::of(spec, p) {
        debug_assert_eq!(
            rules.values.as_ref().is_some_and(|v| v.typed),
            matches!(f.ty, Ty::Enum(_)),
            "{}: a value held as an enum is exactly one of listed values",
            p.name
        );
        value_attrs(&rules, &mut items);
    }
    if let Some(count) = ItemCount::of(p) {
        items.push(items_attr(count));
    }
    items
}

/// The attributes of [`ValueRules`].
fn value_attrs(rules: &ValueRules<'_>, items: &mut Vec<TokenStream>) {
    // Generated enums keep unknown values (`Unknown`); sending one is a violation unless the
    // enum is open or the validation mode says otherwise.
    if rules.values.as_ref().is_some_and(|v| v.typed && v.enforced) {
        items.push(quote!(known));
    }
    if let Some(r) = rules.range {
        items.push(range_attr(r));
        if r.out_of_range == OutOfRange::Fallback {
            items.push(quote!(fallback));
        }
    }
    if let Some(l) = rules.length {
        items.push(length_attr(l));
    }
    if let Some(s) = &rules.fixed {
        items.push(quote!(fixed = #s));
    }
    if let Some(pat) = rules.pattern {
        let pat = pattern::whole(pat);
        items.push(quote!(pattern = #pat));
    }
    match rules.format {
        Some(Format::DateTime { pattern }) => {
            let pat = popgen_spec::values::runtime_datetime_format(pattern);
            items.push(quote!(datetime = #pat));
        }
        Some(Format::UnixMillis) => items.push(quote!(unix_millis)),
        Some(Format::Json { .. }) => items.push(quote!(json)),
        Some(Format::List {
            separator,
            max_items,
            item,
        }) => {
            let mut parts = vec![quote!(separator = #separator)];
            if let Some(m) = max_items {
                let m = Literal::u32_unsuffixed(*m);
                parts.push(quote!(max_items = #m));
            }
            let mut item_parts = Vec::new();
            value_attrs(&ValueRules::list_item(item), &mut item_parts);
            if !item_parts.is_empty() {
                parts.push(quote!(item(#(#item_parts),*)));
            }
            items.push(quote!(list(#(#parts),*)));
        }
        None => {}
    }
    if let Some(values) = rules.values.as_ref().filter(|v| !v.typed && v.enforced) {
        let v = &values.values;
        items.push(quote!(one_of(#(#v),*)));
    }
}

/// `range(min = 1, max = 3)`, with `exclusive_min` / `exclusive_max`.
fn range_attr(r: &popgen_spec::model::Range) -> TokenStream {
    let bound = |n: Option<Number>| {
        n.map(|n| match n {
            Number::Int(i) => Literal::i64_unsuffixed(i).into_token_stream(),
            Number::Float(x) => Literal::f64_unsuffixed(x).into_token_stream(),
        })
    };
    let mut parts: Vec<TokenStream> = [("min", bound(r.min)), ("max", bound(r.max))]
        .into_iter()
        .filter_map(|(k, v)| {
            let k = format_ident!("{}", k);
            v.map(|v| quote!(#k = #v))
        })
        .collect();
    parts.extend(
        [
            ("exclusive_min", r.exclusive_min),
            ("exclusive_max", r.exclusive_max),
        ]
        .into_iter()
        .filter(|(_, set)| *set)
        .map(|(k, _)| {
            let k = format_ident!("{}", k);
            quote!(#k)
        }),
    );
    quote!(range(#(#parts),*))
}

/// `items(min = 1, max = 10)`: the element count of a repeated param.
fn items_attr(count: ItemCount) -> TokenStream {
    let mut parts = Vec::new();
    if count.optional {
        parts.push(quote!(optional));
    }
    for (key, bound) in [("min", count.min), ("max", count.max)] {
        if let Some(n) = bound {
            let key = format_ident!("{}", key);
            let n = Literal::u32_unsuffixed(n);
            parts.push(quote!(#key = #n));
        }
    }
    quote!(items(#(#parts),*))
}

fn length_attr(l: &popgen_spec::model::Length) -> TokenStream {
    let mut parts = Vec::new();
    if let Some(m) = l.min {
        let m = Literal::u32_unsuffixed(m);
        parts.push(quote!(min = #m));
    }
    if let Some(m) = l.max {
        let m = Literal::u32_unsuffixed(m);
        parts.push(quote!(max = #m));
    }
    let unit = match l.unit {
        LengthUnit::Bytes => quote!(bytes),
        LengthUnit::Chars => quote!(chars),
    };
    parts.push(quote!(unit = #unit));
    quote!(length(#(#parts),*))
}

/// A request struct or one element of a repeated param: the derives, the fields with their
/// constraint attributes, the constructor and setters, and the cross-field rule function.
fn param_struct(spec: &Spec, s: &StructIr<'_>, doc: &str) -> TokenStream {
    let name = format_ident!("{}", s.name);
    let doc = doc_attrs(doc);
    let fields = s.fields.iter().map(|f| param_field(spec, f));
    let rules_fn = format_ident!("{}_rules", snake(&s.name));
    let rules = rules_tokens(s.rules, &s.fields, &name, &rules_fn);
    let rule_attr = (!rules.is_empty()).then(|| quote!(#[popgen(rule = #rules_fn)]));
    let ctor = constructor(&name, &s.fields);
    let default = s
        .fields
        .iter()
        .all(|f| f.optional || matches!(f.ty, Ty::Vec(_)))
        .then(|| quote!(::core::default::Default,));
    quote! {
        #doc
        #[derive(::core::clone::Clone, ::core::cmp::PartialEq, #default ::popgen_macros::RedactedDebug, ::popgen_macros::Validate, ::popgen_macros::RpcParams)]
        #rule_attr
        pub struct #name {
            #(#fields)*
        }
        #ctor
        #rules
    }
}

fn param_field(spec: &Spec, f: &FieldIr<'_>) -> TokenStream {
    let p = f.param.expect("request fields come from params");
    let doc = doc_attrs(&docs::param(spec, p));
    let attrs = constraint_attrs(spec, f, p);
    let name = ident(&f.rust);
    let ty = field_type(f);
    quote! {
        #doc
        #[popgen(#(#attrs),*)]
        pub #name: #ty,
    }
}

/// `new(required...)` plus one chainable setter per optional field.
fn constructor(name: &proc_macro2::Ident, fields: &[FieldIr<'_>]) -> TokenStream {
    let required: Vec<&FieldIr<'_>> = fields
        .iter()
        .filter(|f| !f.optional && !matches!(f.ty, Ty::Vec(_)))
        .collect();
    let args = required.iter().map(|f| {
        let n = ident(&f.rust);
        match &f.ty {
            Ty::Str => quote!(#n: impl ::core::convert::Into<::std::string::String>),
            t => {
                let t = ty_tokens(t);
                quote!(#n: #t)
            }
        }
    });
    let inits = fields.iter().map(|f| {
        let n = ident(&f.rust);
        match (&f.ty, f.optional) {
            (Ty::Vec(_), _) => quote!(#n: ::std::vec::Vec::new()),
            (_, true) => quote!(#n: ::core::option::Option::None),
            (Ty::Str, false) => quote!(#n: ::core::convert::Into::into(#n)),
            (_, false) => quote!(#n),
        }
    });
    let setters = fields.iter().filter(|f| f.optional || matches!(f.ty, Ty::Vec(_))).map(|f| {
        let n = ident(&f.rust);
        let doc = format!(" Sets `{}`.", f.wire);
        match &f.ty {
            Ty::Vec(inner) => {
                let t = ty_tokens(inner);
                let doc = format!(" Appends one element of `{}`.", f.wire);
                let push = format_ident!("push_{}", f.rust.trim_start_matches("r#"));
                quote! {
                    #[doc = #doc]
                    #[must_use]
                    #[inline]
                    pub fn #push(mut self, value: #t) -> Self {
                        self.#n.push(value);
                        self
                    }
                }
            }
            Ty::Str => quote! {
                #[doc = #doc]
                #[must_use]
                #[inline]
                pub fn #n(mut self, value: impl ::core::convert::Into<::std::string::String>) -> Self {
                    self.#n = ::core::option::Option::Some(::core::convert::Into::into(value));
                    self
                }
            },
            t => {
                let t = ty_tokens(t);
                quote! {
                    #[doc = #doc]
                    #[must_use]
                    #[inline]
                    pub fn #n(mut self, value: #t) -> Self {
                        self.#n = ::core::option::Option::Some(value);
                        self
                    }
                }
            }
        }
    });
    let args: Vec<TokenStream> = args.collect();
    let new_doc = if args.is_empty() {
        " Creates the request; it has no required params.".to_owned()
    } else {
        " Creates the request from its required params; set optional ones with the methods below."
            .to_owned()
    };
    // Clippy's limit is 7 arguments: allow more only where there are more.
    let allow = (args.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        impl #name {
            #[doc = #new_doc]
            #allow
            #[inline]
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits),* }
            }
            #(#setters)*
        }
    }
}

/// The struct-level rule function for `rules`, if any.
fn rules_tokens(
    rules: &[Rule],
    fields: &[FieldIr<'_>],
    owner: &proc_macro2::Ident,
    fn_name: &proc_macro2::Ident,
) -> TokenStream {
    let checks: Vec<TokenStream> = rules
        .iter()
        .filter_map(|r| rule_tokens(r, fields, owner))
        .collect();
    // `documented` rules check nothing: no function, and no attribute pointing at one.
    if checks.is_empty() {
        return quote!();
    }
    let doc = " Cross-field rules of the spec, run by `Validate` after the field rules.";
    quote! {
        #[doc = #doc]
        #[inline]
        fn #fn_name(
            req: &#owner,
            path: &::popgen_runtime::validation::Path<'_>,
            report: &mut ::popgen_runtime::validation::ValidationErrors,
        ) {
            #(#checks)*
        }
    }
}

fn severity(s: Severity) -> TokenStream {
    match s {
        Severity::Error => quote!(::popgen_runtime::validation::Severity::Error),
        Severity::Warning => quote!(::popgen_runtime::validation::Severity::Warning),
    }
}

fn find<'a, 'f>(fields: &'a [FieldIr<'f>], wire: &str) -> Option<&'a FieldIr<'f>> {
    fields.iter().find(|f| f.wire == wire)
}

/// `true` when the field is sent.
fn present(f: &FieldIr<'_>) -> TokenStream {
    let n = ident(&f.rust);
    match (&f.ty, f.optional) {
        (Ty::Vec(_), _) => quote!(!req.#n.is_empty()),
        (_, true) => quote!(req.#n.is_some()),
        (_, false) => quote!(true),
    }
}

/// The field's wire text, if sent: `Option<Cow<str>>`.
fn wire_text(f: &FieldIr<'_>) -> TokenStream {
    let n = ident(&f.rust);
    match (&f.ty, f.optional) {
        (Ty::Vec(_) | Ty::Json(_), _) => quote!(::core::option::Option::None),
        (_, true) => {
            quote!(::core::option::Option::map(::core::option::Option::as_ref(&req.#n), ::popgen_runtime::params::ToWire::to_wire))
        }
        (_, false) => {
            quote!(::core::option::Option::Some(::popgen_runtime::params::ToWire::to_wire(&req.#n)))
        }
    }
}

/// `Owner::WIRE_CONST`: the field's wire name, asked of the struct that carries it.
fn wire_of(owner: &proc_macro2::Ident, f: &FieldIr<'_>) -> TokenStream {
    let konst = format_ident!("{}", f.wire_const());
    quote!(#owner::#konst)
}

fn rule_tokens(
    rule: &Rule,
    fields: &[FieldIr<'_>],
    owner: &proc_macro2::Ident,
) -> Option<TokenStream> {
    Some(match rule {
        Rule::RequiredIf {
            param,
            when,
            severity: sev,
            description,
        } => {
            let target = find(fields, param)?;
            let cond = find(fields, &when.param)?;
            let target_present = present(target);
            let cond_value = wire_text(cond);
            let (statics, test) = condition(when);
            let (t, c) = (wire_of(owner, target), wire_of(owner, cond));
            let (msg, sev) = (description.best(), severity(*sev));
            quote! {
                {
                    #statics
                    static RULE: ::popgen_runtime::cross::RequiredIf = ::popgen_runtime::cross::RequiredIf {
                        target: #t,
                        when: #c,
                        test: #test,
                        severity: #sev,
                        message: #msg,
                    };
                    ::popgen_runtime::cross::required_if(report, path, &RULE, #target_present, #cond_value.as_deref());
                }
            }
        }
        Rule::MutuallyExclusive {
            params,
            severity: sev,
            description,
        }
        | Rule::AtLeastOneOf {
            params,
            severity: sev,
            description,
        } => {
            let pairs: Option<Vec<TokenStream>> = params
                .iter()
                .map(|p| {
                    let f = find(fields, p)?;
                    let (w, pr) = (wire_of(owner, f), present(f));
                    Some(quote!((#w, #pr)))
                })
                .collect();
            let pairs = pairs?;
            let func = if matches!(rule, Rule::MutuallyExclusive { .. }) {
                quote!(mutually_exclusive)
            } else {
                quote!(at_least_one_of)
            };
            let (msg, sev) = (description.best(), severity(*sev));
            quote!(::popgen_runtime::cross::#func(report, path, &[#(#pairs),*], #sev, #msg);)
        }
        Rule::SameKind {
            params,
            pattern,
            severity: sev,
            description,
        } => {
            let values: Option<Vec<TokenStream>> = params
                .iter()
                .map(|p| {
                    let f = find(fields, p)?;
                    let (w, v) = (wire_of(owner, f), wire_text(f));
                    Some(quote!((#w, #v)))
                })
                .collect();
            let values = values?;
            let (msg, sev) = (description.best(), severity(*sev));
            quote! {
                {
                    static PATTERN: ::popgen_runtime::rules::pattern::Pattern = ::popgen_runtime::rules::pattern::Pattern::new(#pattern);
                    let values: &[(&'static str, ::core::option::Option<::std::borrow::Cow<'_, str>>)] = &[#(#values),*];
                    ::popgen_runtime::cross::same_kind(report, path, values, &PATTERN, #sev, #msg);
                }
            }
        }
        Rule::Documented { .. } => return None,
    })
}

/// The `Test` of a `required_if` rule as an expression, after the statics it needs.
fn condition(when: &Condition) -> (TokenStream, TokenStream) {
    match (&when.matches, &when.equals) {
        (Some(m), _) => (
            quote! {
                static PATTERN: ::popgen_runtime::rules::pattern::Pattern = ::popgen_runtime::rules::pattern::Pattern::new(#m);
            },
            quote!(::popgen_runtime::cross::Test::Matches(&PATTERN)),
        ),
        (None, Some(e)) => (
            TokenStream::new(),
            quote!(::popgen_runtime::cross::Test::Equals(#e)),
        ),
        (None, None) => (
            TokenStream::new(),
            quote!(::popgen_runtime::cross::Test::Present),
        ),
    }
}

fn json_struct(s: &StructIr<'_>) -> TokenStream {
    let name = format_ident!("{}", s.name);
    let doc = doc_attrs(&s.doc);
    let fields = s.fields.iter().map(|f| {
        let n = ident(&f.rust);
        let wire = f.wire;
        let ty = field_type(f);
        let doc = doc_attrs(
            &f.field
                .and_then(|x| x.description.as_ref())
                .map_or_else(|| format!("`{wire}`."), |d| d.best().to_owned()),
        );
        let skip = (f.optional && !matches!(f.ty, Ty::Vec(_)))
            .then(|| quote!(, default, skip_serializing_if = "::core::option::Option::is_none"));
        let skip = skip.or_else(|| matches!(f.ty, Ty::Vec(_)).then(|| quote!(, default)));
        let aliases = f.field.map_or(&[][..], |x| &x.aliases[..]);
        quote! {
            #doc
            #[serde(rename = #wire #(, alias = #aliases)* #skip)]
            pub #n: #ty,
        }
    });
    quote! {
        #doc
        #[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::cmp::PartialEq, ::popgen_runtime::serde::Serialize, ::popgen_runtime::serde::Deserialize)]
        #[serde(crate = "::popgen_runtime::serde")]
        pub struct #name {
            #(#fields)*
        }
    }
}

/// A response type: every field optional (or a list), read leniently by `derive(FromJson)` under
/// its wire name and written back by `derive(ToJson)` (both also give serde's traits).
fn response_struct(s: &StructIr<'_>) -> TokenStream {
    let name = format_ident!("{}", s.name);
    let doc = doc_attrs(&s.doc);
    let fields = s.fields.iter().map(|f| {
        let n = ident(&f.rust);
        let wire = f.wire;
        let ty = field_type(f);
        let doc = doc_attrs(&f.field.map_or_else(String::new, docs::field));
        let sensitive = f
            .field
            .is_some_and(|x| x.sensitive)
            .then(|| quote!(, sensitive));
        let aliases = f.field.map_or(&[][..], |x| &x.aliases[..]);
        quote! {
            #doc
            #[popgen(wire = #wire #(, alias = #aliases)* #sensitive)]
            pub #n: #ty,
        }
    });
    quote! {
        #doc
        #[derive(::core::clone::Clone, ::core::cmp::PartialEq, ::core::default::Default, ::popgen_macros::RedactedDebug, ::popgen_macros::FromJson, ::popgen_macros::ToJson)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }
    }
}

/// A generated enum: closed for request values, with `Unknown(String)` when open.
pub fn enum_tokens(e: &EnumIr<'_>) -> TokenStream {
    let name = format_ident!("{}", e.name);
    let doc = doc_attrs(&e.doc);
    let variants = e.variants.iter().map(|(rust, v)| {
        let r = format_ident!("{}", rust);
        let wire = &v.value;
        let doc = doc_attrs(&docs::enum_value(v));
        quote! {
            #doc
            #[popgen(wire = #wire)]
            #r,
        }
    });
    let unknown = e.open.then(|| {
        quote! {
            /// A value this version of the spec does not know; kept as sent.
            #[popgen(other)]
            Unknown(::std::string::String),
        }
    });
    let copy = (!e.open).then(|| quote!(::core::marker::Copy,));
    let serde = quote! {
        impl ::popgen_runtime::serde::Serialize for #name {
            fn serialize<S: ::popgen_runtime::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                ::popgen_runtime::enum_serde::serialize(self, serializer)
            }
        }
        impl<'de> ::popgen_runtime::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::popgen_runtime::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                ::popgen_runtime::enum_serde::deserialize(deserializer)
            }
        }
    };
    quote! {
        #doc
        #[derive(::core::clone::Clone, #copy ::core::fmt::Debug, ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::hash::Hash, ::popgen_macros::WireEnum)]
        pub enum #name {
            #(#variants)*
            #unknown
        }
        #serde
    }
}

/// Receipt (callback) messages: one tolerant record type each, and a batch parser.
pub fn receipts(receipts: &[crate::ir::ReceiptIr<'_>]) -> TokenStream {
    let items = receipts.iter().map(|r| {
        let structs = r.structs.iter().map(response_struct);
        let enums = r.enums.iter().map(enum_tokens);
        let name = format_ident!("{}", r.name);
        let parse = format_ident!("parse_{}_batch", snake(r.name));
        let doc = format!(
            " Parses one push of `{0}` records (a JSON array). A record that does not decode is \
             reported in `Batch::rejected` and does not fail the others; the console's test \
             push (`{{\"json\":\"test-content\"}}`) is a batch with no records.",
            r.name
        );
        quote! {
            #(#structs)*
            #(#enums)*
            #[doc = #doc]
            #[inline]
            pub fn #parse(body: &str) -> ::core::result::Result<::popgen_runtime::receipts::Batch<#name>, ::popgen_runtime::decode::DecodeError> {
                ::popgen_runtime::receipts::parse_batch(body)
            }
        }
    });
    quote! {
        //! Receipt (callback) messages the service pushes: one record type per message type, and a
        //! batch parser for each.
        #(#items)*
    }
}

/// The generated client: one async method per action over the runtime's client core.
pub fn client(spec: &Spec, actions: &[ActionIr<'_>]) -> TokenStream {
    let methods = actions.iter().map(|a| {
        let method = ident(&a.method);
        let req = format_ident!("{}", a.request);
        let resp = format_ident!("{}", a.response);
        let mut doc = format!("`{}`: {}", a.name, crate::docs::escape(a.spec.summary.best().trim()));
        if a.spec.effect.has_side_effects() {
            doc.push_str("\n\nThis action has side effects: the client never sends it twice on its own.");
        }
        doc.push_str(&format!("\n\nSee [`{0}`](crate::{0}) for its params and constraints.", a.request));
        if let Some(f) = &a.feature {
            doc.push_str(&format!("\n\nCompiled with the feature `{f}` (on by default)."));
        }
        let doc = doc_attrs(&doc);
        let cfg = crate::generate::feature_cfg(a);
        quote! {
            #doc
            #cfg
            pub async fn #method(&self, request: &crate::#req) -> ::core::result::Result<crate::#resp, ::popgen_runtime::client::Error> {
                self.inner.send(request).await
            }
        }
    });
    let user_agent = format!(
        "popgen/{} ({})",
        env!("CARGO_PKG_VERSION"),
        spec.product.name
    );
    quote! {
        //! The client: one async method per action.

        /// A client of the API over a transport `T`.
        #[derive(::core::fmt::Debug, ::core::clone::Clone)]
        pub struct Client<T> {
            inner: ::popgen_runtime::client::Client<T>,
        }

        impl<T: ::popgen_runtime::client::Transport> Client<T> {
            /// A client with the default configuration: HTTPS to the spec's endpoint, V3
            /// signatures, JSON responses, validation enforced.
            pub fn new(transport: T, credentials: ::popgen_runtime::credentials::Credentials) -> Self {
                Self::with_config(transport, credentials, Self::default_config())
            }

            /// A client with a configuration of your own (endpoint, signature, validation mode...).
            pub fn with_config(
                transport: T,
                credentials: ::popgen_runtime::credentials::Credentials,
                config: ::popgen_runtime::client::Config,
            ) -> Self {
                Self { inner: ::popgen_runtime::client::Client::new(transport, credentials, config) }
            }

            /// The default configuration, to adjust and pass to [`Client::with_config`] (also
            /// [`default_config`], which needs no transport type).
            pub fn default_config() -> ::popgen_runtime::client::Config {
                default_config()
            }

            /// Replaces the clock and nonce source (reproducible signatures in tests and dry runs).
            #[must_use]
            pub fn with_entropy(self, entropy: ::popgen_runtime::client::Entropy) -> Self {
                Self { inner: self.inner.with_entropy(entropy) }
            }

            /// The runtime client core (prepare requests without sending them, and more).
            pub fn core(&self) -> &::popgen_runtime::client::Client<T> {
                &self.inner
            }

            #(#methods)*
        }

        impl<T> ::core::convert::From<::popgen_runtime::client::Client<T>> for Client<T> {
            fn from(inner: ::popgen_runtime::client::Client<T>) -> Self {
                Self { inner }
            }
        }

        /// The default configuration: HTTPS to the spec's endpoint, V3 signatures, JSON
        /// responses, validation enforced. The same as `Client::<T>::default_config()`, without
        /// naming a transport.
        pub fn default_config() -> ::popgen_runtime::client::Config {
            let mut config = ::popgen_runtime::client::Config::new(
                ::std::format!("https://{}", crate::ENDPOINT),
                crate::VERSION,
            );
            config.user_agent = ::std::string::String::from(#user_agent);
            config
        }

        #[cfg(feature = "http")]
        impl Client<::popgen_runtime::http::HttpTransport> {
            /// A client over HTTPS, aimed and bounded in one expression:
            /// `Client::builder().endpoint("http://127.0.0.1:8080").build()?`. Starts from
            /// [`default_config`]; without `.credentials(...)`, `build` finds them as Alibaba's
            /// tools do (environment, CLI profile, credentials file).
            pub fn builder() -> ::popgen_runtime::builder::Builder<Self> {
                ::popgen_runtime::builder::Builder::new(default_config())
            }

            /// A client over HTTPS (reqwest with rustls) with the default configuration and
            /// transport timeouts: what most programs want. Credentials usually come from
            /// `popgen_runtime::credentials::resolve_from_process()` (environment, CLI profile,
            /// credentials file).
            pub fn https(
                credentials: ::popgen_runtime::credentials::Credentials,
            ) -> ::core::result::Result<Self, ::popgen_runtime::http::HttpSetupError> {
                let transport = ::popgen_runtime::http::HttpTransport::new(
                    &::popgen_runtime::http::HttpConfig::default(),
                )?;
                ::core::result::Result::Ok(Self::new(transport, credentials))
            }
        }
    }
}

/// Every documented error code (the IR's [`Api::error_codes`](crate::ir::Api::error_codes)) as
/// an open enum, so callers can match on them.
pub fn error_codes(codes: &[(String, &popgen_spec::model::Code)]) -> TokenStream {
    let variants: Vec<(proc_macro2::Ident, &str, String, bool)> = codes
        .iter()
        .map(|(rust, c)| {
            let name = format_ident!("{rust}");
            let mut doc = format!(
                "`{}`: {}",
                c.code,
                crate::docs::escape(c.meaning.best().trim())
            );
            if let Some(fix) = &c.fix {
                doc.push_str(&format!(
                    "\n\nWhat to do: {}",
                    crate::docs::escape(fix.best().trim())
                ));
            }
            (name, c.code.as_str(), doc, c.retryable)
        })
        .collect();
    let defs = variants.iter().map(|(name, code, doc, _)| {
        let doc = doc_attrs(doc);
        quote! { #doc #[popgen(wire = #code)] #name, }
    });
    let retryable: Vec<TokenStream> = variants
        .iter()
        .filter(|v| v.3)
        .map(|(name, ..)| quote!(ErrorCode::#name))
        .collect();
    // `matches!(self,)` does not compile: a spec with no retryable code says so plainly.
    let is_retryable = if retryable.is_empty() {
        quote!(false)
    } else {
        quote!(::core::matches!(self, #(#retryable)|*))
    };
    quote! {
        //! Documented error codes.

        /// An API error code: the documented ones, and `Unknown` for the rest.
        #[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::hash::Hash, ::popgen_macros::WireEnum)]
        pub enum ErrorCode {
            #(#defs)*
            /// A code this version of the spec does not document; kept as sent.
            #[popgen(other)]
            Unknown(::std::string::String),
        }

        impl ErrorCode {
            /// The code of an API error.
            #[inline]
            pub fn of(error: &::popgen_runtime::client::ApiError) -> Self {
                <Self as ::popgen_runtime::params::WireEnum>::from_wire_str(&error.code)
                    .unwrap_or_else(|| ErrorCode::Unknown(::core::clone::Clone::clone(&error.code)))
            }

            /// Whether the spec marks the code as transient (throttling, server errors): a
            /// read-only action may be retried after it.
            #[inline]
            pub fn is_retryable(&self) -> bool {
                #is_retryable
            }
        }
    }
}
