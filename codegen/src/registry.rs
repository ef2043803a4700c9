//! Tokens for the registry module (feature `registry`): the whole API as one
//! `popgen_runtime::registry::Api` and every action as a type-erased `ActionEntry`, with what a
//! tool shows people (summary, params with their constraints in words, the reference's example
//! requests) and the success body a mock server answers with.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use popgen_spec::model::{FieldType, Format, Param, ParamType, Receipt, ReceiptCall, ReceiptSent};
use popgen_spec::{Spec, describe};

use crate::ir::{ActionIr, Api};
use crate::{body, size};

/// The registry module of the crate generated from `spec`.
pub fn registry(spec: &Spec, api: &Api<'_>) -> TokenStream {
    let entries = api.actions.iter().map(|a| entry(spec, a));
    let receipts = api.receipts.iter().map(|r| {
        let name = r.name;
        let ty = format_ident!("{}", r.name);
        let summary = r.spec.summary.best().trim();
        let call = match &r.spec.call {
            Some(c) => {
                let c = call_receipt(r.spec, c);
                quote!(::core::option::Option::Some(&#c))
            }
            None => quote!(::core::option::Option::None),
        };
        quote! {
            ::popgen_runtime::registry::ReceiptEntry {
                name: #name,
                summary: #summary,
                parse_batch: ::popgen_runtime::registry::parse_receipts::<crate::receipts::#ty>,
                call: #call,
            },
        }
    });
    let pricing = if spec.pricing.is_some() {
        quote!(::core::option::Option::Some(&crate::pricing::BOOK))
    } else {
        quote!(::core::option::Option::None)
    };
    quote! {
        //! Every action of the API, for tools that choose the action at run time (a command line,
        //! a mock server, tests over every action).

        /// The whole API: what a command line or a mock server serves.
        pub static API: ::popgen_runtime::registry::Api = ::popgen_runtime::registry::Api {
            product: crate::PRODUCT,
            version: crate::VERSION,
            endpoint: crate::ENDPOINT,
            actions: ACTIONS,
            receipts: RECEIPTS,
            pricing: #pricing,
        };

        /// Every action, in name order.
        pub static ACTIONS: &[::popgen_runtime::registry::ActionEntry] = &[#(#entries)*];

        /// Every receipt message, in name order: its records parsed by the generated types.
        pub static RECEIPTS: &[::popgen_runtime::registry::ReceiptEntry] = &[#(#receipts)*];

        /// The action called `name` (exact API name).
        pub fn find(name: &str) -> ::core::option::Option<&'static ::popgen_runtime::registry::ActionEntry> {
            API.action(name)
        }
    }
}

fn entry(spec: &Spec, a: &ActionIr<'_>) -> TokenStream {
    let req = format_ident!("{}", a.request);
    let resp = format_ident!("{}", a.response);
    let summary = a.spec.summary.best().trim();
    let params = param_docs(spec, &a.spec.params);
    let examples = a.spec.examples.requests.iter().map(|ex| {
        // A `BTreeMap`: already in wire-name order.
        let pairs = ex.params.iter().map(|(k, v)| quote!((#k, #v),));
        quote!(::popgen_runtime::registry::Example { params: &[#(#pairs)*] },)
    });
    let rules = a
        .spec
        .rules
        .iter()
        .map(describe::rule)
        .chain(a.spec.params.iter().flat_map(|p| {
            p.rules
                .iter()
                .map(move |r| format!("{}.N: {}", p.name, describe::rule(r)))
        }));
    let receipts = a.spec.receipts.iter().map(|r| {
        let message = r.message();
        match r.when() {
            Some(w) => {
                let (param, equals) = (&w.param, w.equals.to_wire());
                quote!(::popgen_runtime::registry::ActionReceipt::only_when(#message, #param, #equals))
            }
            None => quote!(::popgen_runtime::registry::ActionReceipt::always(#message)),
        }
    });
    let success_body = body::success_body(spec, a.spec);
    let max_params_bytes = match size::max_params_bytes(spec, &a.spec.params) {
        Some(bytes) => quote!(::core::option::Option::Some(#bytes)),
        None => quote!(::core::option::Option::None),
    };
    quote! {
        ::popgen_runtime::registry::ActionEntry {
            meta: <crate::#req as ::popgen_runtime::action::Operation>::META,
            summary: #summary,
            params: &[#(#params)*],
            rules: &[#(#rules),*],
            examples: &[#(#examples)*],
            success_body: #success_body,
            max_params_bytes: #max_params_bytes,
            receipts: &[#(#receipts),*],
            parse_params: ::popgen_runtime::registry::parse_params::<crate::#req>,
            is_sensitive_param: <crate::#req as ::popgen_runtime::params::RpcParams>::is_sensitive_param,
            decode_response: ::popgen_runtime::registry::decode_response::<crate::#resp>,
        },
    }
}

/// A receipt's `call` section as a `popgen_runtime::call_receipt::CallReceipt` expression.
fn call_receipt(r: &Receipt, c: &ReceiptCall) -> TokenStream {
    let sent = match c.sent {
        ReceiptSent::EachState => quote!(::popgen_runtime::call_receipt::ReceiptSent::EachState),
        ReceiptSent::AtEnd => quote!(::popgen_runtime::call_receipt::ReceiptSent::AtEnd),
    };
    let from = &c.call_id_from;
    let only_answered = c.only_answered;
    let offset = c.utc_offset_minutes;
    let field = |name: &str| {
        // A string field, or one whose type the spec leaves to its default (text).
        let text = r
            .fields
            .iter()
            .find(|f| f.name.as_deref() == Some(name))
            .is_none_or(|f| matches!(f.ty, None | Some(FieldType::String)));
        quote!(::popgen_runtime::call_receipt::RecordField { name: #name, text: #text })
    };
    let optional = |name: &Option<String>| match name {
        Some(n) => {
            let f = field(n);
            quote!(::core::option::Option::Some(#f))
        }
        None => quote!(::core::option::Option::None),
    };
    let f = &c.fields;
    let call_id = field(&f.call_id);
    let [
        out_id,
        callee,
        status_code,
        status_time,
        originate_time,
        ring_time,
        start_time,
        end_time,
        duration,
        recording_url,
        recording_began,
    ] = [
        &f.out_id,
        &f.callee,
        &f.status_code,
        &f.status_time,
        &f.originate_time,
        &f.ring_time,
        &f.start_time,
        &f.end_time,
        &f.duration,
        &f.recording_url,
        &f.recording_began,
    ]
    .map(optional);
    let k = &c.codes;
    let [calling, ringing, answered, ended, unanswered, failed] = [
        &k.calling,
        &k.ringing,
        &k.answered,
        &k.ended,
        &k.unanswered,
        &k.failed,
    ]
    .map(|codes| quote!(&[#(#codes),*]));
    quote! {
        ::popgen_runtime::call_receipt::CallReceipt {
            sent: #sent,
            only_answered: #only_answered,
            call_id_from: #from,
            utc_offset_minutes: #offset,
            fields: ::popgen_runtime::call_receipt::CallFields {
                call_id: #call_id,
                out_id: #out_id,
                callee: #callee,
                status_code: #status_code,
                status_time: #status_time,
                originate_time: #originate_time,
                ring_time: #ring_time,
                start_time: #start_time,
                end_time: #end_time,
                duration: #duration,
                recording_url: #recording_url,
                recording_began: #recording_began,
            },
            codes: ::popgen_runtime::call_receipt::CallCodes {
                calling: #calling,
                ringing: #ringing,
                answered: #answered,
                ended: #ended,
                unanswered: #unanswered,
                failed: #failed,
            },
        }
    }
}

/// One `ParamDoc` per wire name, in spec order; a repeated param is listed as its members in
/// pattern form (`MenuKeyMap.N.Key`), each with the repeated param's own constraints after its
/// own.
fn param_docs(spec: &Spec, params: &[Param]) -> Vec<TokenStream> {
    let mut out = Vec::new();
    for p in params {
        if p.ty == ParamType::Repeated {
            let outer = describe::constraints(spec, p);
            for m in &p.fields {
                let mut constraints = describe::constraints(spec, m);
                for c in &outer {
                    if !constraints.contains(c) {
                        constraints.push(c.clone());
                    }
                }
                let name = format!("{}.N.{}", p.name, m.name);
                let required = p.required && m.required;
                let sensitive = p.sensitive || m.sensitive;
                out.push(param_doc(&name, m, required, sensitive, &constraints));
            }
        } else {
            let constraints = describe::constraints(spec, p);
            out.push(param_doc(&p.name, p, p.required, p.sensitive, &constraints));
        }
    }
    out
}

fn param_doc(
    name: &str,
    p: &Param,
    required: bool,
    sensitive: bool,
    constraints: &[String],
) -> TokenStream {
    let type_name = match p.format {
        Some(Format::Json { .. }) => "json",
        _ => p.ty.as_str(),
    };
    let description = p.description.best().trim();
    let default = match &p.default {
        Some(d) => {
            let d = d.to_wire();
            quote!(::core::option::Option::Some(#d))
        }
        None => quote!(::core::option::Option::None),
    };
    quote! {
        ::popgen_runtime::registry::ParamDoc {
            name: #name,
            type_name: #type_name,
            required: #required,
            sensitive: #sensitive,
            constraints: &[#(#constraints),*],
            default: #default,
            description: #description,
        },
    }
}
