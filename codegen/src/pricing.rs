//! Tokens for the `pricing` module of a crate whose spec has a `pricing` section: the price book
//! as a `static` (every list `Cow::Borrowed`, every amount a `const` [`amount`]) and the
//! estimator re-exported, so a service can price a campaign before it starts it.
//!
//! The static is written from [`popgen_spec::pricing::book::build`], the same value the command
//! line and the docs site price with at run time: one source of truth, whichever reads it.
//!
//! [`amount`]: popgen_runtime::pricing::amount

use proc_macro2::TokenStream;
use quote::quote;

use popgen_runtime::pricing::{self as rt, Decimal, PriceBook, Request, Usage};
use popgen_spec::Spec;

/// The campaign of the module's example: the issue's 300,000 calls, 70% answered, 40 s each.
const EXAMPLE_CALLS: u64 = 300_000;

/// The `pricing` module of the crate generated from `spec`, or `None` when it has no prices.
pub fn module(spec: &Spec, krate: &str) -> Option<TokenStream> {
    let book = popgen_spec::pricing::book::build(spec)?;
    let value = book_tokens(&book);
    let doc = module_doc(spec, &book, krate);
    let doc = doc.lines().map(|l| {
        let l = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#![doc = #l])
    });
    let static_doc = format!(
        " The price list of the spec: {}, dated {} ({}), amounts in {}. Built from the spec's \
         `pricing` section by `popgen_spec::pricing::book::build`, like every other reader of \
         it.",
        book.title,
        book.date,
        date_basis(book.dated),
        book.currency
    );
    Some(quote! {
        #(#doc)*

        pub use ::popgen_runtime::pricing::*;

        #[doc = #static_doc]
        pub static BOOK: ::popgen_runtime::pricing::PriceBook = #value;
    })
}

fn date_basis(d: rt::DateBasis) -> &'static str {
    match d {
        rt::DateBasis::Updated => "the list's own date",
        rt::DateBasis::Retrieved => "the day the list was retrieved; it carries no date",
    }
}

/// The module's documentation, with an example computed here by the estimator it shows (the
/// doctest checks the generated static gives the same figures).
fn module_doc(spec: &Spec, book: &PriceBook, krate: &str) -> String {
    let mut doc = format!(
        "What calling {} costs, from the price list in its spec: [`BOOK`] and the estimator \
         over it\n(free quota first, then prepaid packages, then post-paid; exact decimals, \
         never `f64`).\n\n\
         Prices change: [`BOOK`] records the date of its list ({}, {}); the list itself is `{}`\n\
         in the popgen repository. `{} cost estimate` and `{} cost receipts` price with the same \
         book.\n",
        spec.product.name,
        book.date,
        date_basis(book.dated),
        book.document,
        crate_cli(spec),
        crate_cli(spec),
    );
    if let Some(example) = example(book, krate) {
        doc.push('\n');
        doc.push_str(&example);
    }
    doc
}

fn crate_cli(spec: &Spec) -> String {
    crate::generate::cli_name(spec, &crate::generate::Options::default())
}

/// A compiled example on the module page: the first business and mode that can be estimated
/// (post-paid, not priced per destination), preferring one with packages.
fn example(book: &PriceBook, krate: &str) -> Option<String> {
    let candidates = book.businesses.iter().flat_map(|b| {
        b.modes
            .iter()
            .filter(|m| {
                m.post_paid
                    .as_ref()
                    .is_some_and(|pp| pp.destinations.is_empty())
            })
            .map(move |m| (b, m))
    });
    let (b, m) = candidates
        .clone()
        .find(|(_, m)| !m.packages.is_empty())
        .or_else(|| candidates.clone().next())?;
    let usage = Usage::Campaign {
        calls: EXAMPLE_CALLS,
        answer_rate: Decimal::new(7, 1),
        avg_seconds: Decimal::from(40),
    };
    let e = rt::estimate(book, &Request::new(&b.id, &m.id), &usage).ok()?;
    let unit = b.unit.base_name();
    Some(format!(
        "Before starting a campaign of 300,000 calls, 70% answered, 40 seconds each ({}, mode \
         `{}`):\n\n\
         ```\n\
         use {krate}::pricing::{{self, Decimal, Request, Usage}};\n\
         \n\
         let usage = Usage::Campaign {{\n    \
         calls: 300_000,\n    \
         answer_rate: Decimal::new(7, 1), // 0.7\n    \
         avg_seconds: Decimal::from(40),\n\
         }};\n\
         let request = Request::new({:?}, {:?});\n\
         let estimate = pricing::estimate(&pricing::BOOK, &request, &usage).unwrap();\n\
         assert_eq!(estimate.billed, {}); // {unit}\n\
         // Everything post-paid, at the tier the month reaches:\n\
         assert_eq!(estimate.post_paid_only.total.to_string(), {:?});\n\
         // The cheapest mix of prepaid packages and post-paid:\n\
         assert_eq!(estimate.cheapest.total.to_string(), {:?});\n\
         for line in &estimate.cheapest.lines {{\n    \
         println!(\"{{}}: {{}}\", line.what, line.detail);\n\
         }}\n\
         ```",
        b.title,
        m.id,
        b.id,
        m.id,
        rust_int(e.billed),
        e.post_paid_only.total.to_string(),
        e.cheapest.total.to_string(),
    ))
}

/// A whole number as Rust writes it in source (`210_000`).
fn rust_int(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('_');
        }
        out.push(c);
    }
    out
}

fn cow_str(s: &str) -> TokenStream {
    quote!(::std::borrow::Cow::Borrowed(#s))
}

fn cow_list(items: impl IntoIterator<Item = TokenStream>) -> TokenStream {
    let items = items.into_iter();
    quote!(::std::borrow::Cow::Borrowed(&[#(#items),*]))
}

fn option<T>(v: Option<&T>, f: impl Fn(&T) -> TokenStream) -> TokenStream {
    match v {
        Some(v) => {
            let v = f(v);
            quote!(::core::option::Option::Some(#v))
        }
        None => quote!(::core::option::Option::None),
    }
}

/// An amount as a `const` expression that keeps its scale (`0.110` stays `0.110`).
fn dec(d: &Decimal) -> TokenStream {
    let scale = d.scale();
    match u64::try_from(d.mantissa()) {
        Ok(digits) => quote!(::popgen_runtime::pricing::amount(#digits, #scale)),
        Err(_) => {
            // Past 64 bits (or negative, which the check rejects): the parts as they are.
            let m = d.mantissa().unsigned_abs();
            let (lo, mid, hi) = (m as u32, (m >> 32) as u32, (m >> 64) as u32);
            let negative = d.is_sign_negative();
            quote!(::popgen_runtime::pricing::Decimal::from_parts(#lo, #mid, #hi, #negative, #scale))
        }
    }
}

fn book_tokens(b: &PriceBook) -> TokenStream {
    let (product, title, document, date, currency) = (
        cow_str(&b.product),
        cow_str(&b.title),
        cow_str(&b.document),
        cow_str(&b.date),
        cow_str(&b.currency),
    );
    let dated = match b.dated {
        rt::DateBasis::Updated => quote!(Updated),
        rt::DateBasis::Retrieved => quote!(Retrieved),
    };
    let businesses = cow_list(b.businesses.iter().map(business));
    let fees = cow_list(b.fees.iter().map(|f| {
        let (id, title, price, full) = (
            cow_str(&f.id),
            cow_str(&f.title),
            dec(&f.price),
            f.started_month_in_full,
        );
        quote! {
            ::popgen_runtime::pricing::Fee { id: #id, title: #title, price: #price, started_month_in_full: #full }
        }
    }));
    quote! {
        ::popgen_runtime::pricing::PriceBook {
            product: #product,
            title: #title,
            document: #document,
            date: #date,
            dated: ::popgen_runtime::pricing::DateBasis::#dated,
            currency: #currency,
            businesses: #businesses,
            fees: #fees,
        }
    }
}

fn business(b: &rt::Business) -> TokenStream {
    let (id, title) = (cow_str(&b.id), cow_str(&b.title));
    let bills = cow_list(b.bills.iter().map(|a| {
        let (action, when) = (cow_str(&a.action), cow_str(&a.when));
        quote!(::popgen_runtime::pricing::BilledAction { action: #action, when: #when })
    }));
    let receipt = option(b.receipt.as_ref(), |r| {
        let message = cow_str(&r.message);
        let seconds = cow_list(r.seconds.iter().map(|s| cow_str(s)));
        quote!(::popgen_runtime::pricing::ReceiptUsage { message: #message, seconds: #seconds })
    });
    let unit = match b.unit {
        rt::Unit::Minute => quote!(Minute),
        rt::Unit::Call => quote!(Call),
        rt::Unit::Hour => quote!(Hour),
        rt::Unit::ThousandCalls => quote!(ThousandCalls),
    };
    let metering = match b.metering {
        rt::Metering::StartedMinute => quote!(StartedMinute),
        rt::Metering::ConnectedCall => quote!(ConnectedCall),
        rt::Metering::Second => quote!(Second),
        rt::Metering::SuccessfulCall => quote!(SuccessfulCall),
    };
    let legs = b.legs;
    let cost_decimals = option(b.cost_decimals.as_ref(), |d| quote!(#d));
    let modes = cow_list(b.modes.iter().map(mode));
    let add_ons = cow_list(b.add_ons.iter().map(|a| {
        let (id, title, price, optional) =
            (cow_str(&a.id), cow_str(&a.title), dec(&a.price), a.optional);
        quote! {
            ::popgen_runtime::pricing::AddOn { id: #id, title: #title, price: #price, optional: #optional }
        }
    }));
    quote! {
        ::popgen_runtime::pricing::Business {
            id: #id,
            title: #title,
            bills: #bills,
            receipt: #receipt,
            unit: ::popgen_runtime::pricing::Unit::#unit,
            metering: ::popgen_runtime::pricing::Metering::#metering,
            legs: #legs,
            cost_decimals: #cost_decimals,
            modes: #modes,
            add_ons: #add_ons,
        }
    }
}

fn period(p: rt::Period) -> TokenStream {
    match p {
        rt::Period::Monthly => quote!(::popgen_runtime::pricing::Period::Monthly),
        rt::Period::Daily => quote!(::popgen_runtime::pricing::Period::Daily),
    }
}

fn mode(m: &rt::Mode) -> TokenStream {
    let (id, title, template) = (cow_str(&m.id), cow_str(&m.title), cow_str(&m.template));
    let fees = cow_list(m.fees.iter().map(|f| cow_str(f)));
    let free = option(m.free.as_ref(), |f| {
        let (amount, period) = (dec(&f.amount), period(f.period));
        quote!(::popgen_runtime::pricing::FreeQuota { amount: #amount, period: #period })
    });
    let packages = cow_list(m.packages.iter().map(|p| {
        let (size, price) = (dec(&p.size), dec(&p.price));
        quote!(::popgen_runtime::pricing::Package { size: #size, price: #price })
    }));
    let months = m.package_months;
    let post_paid = option(m.post_paid.as_ref(), post_paid);
    let minimum = option(m.minimum_spend.as_ref(), |(from, to)| {
        let (from, to) = (dec(from), dec(to));
        quote!((#from, #to))
    });
    quote! {
        ::popgen_runtime::pricing::Mode {
            id: #id,
            title: #title,
            template: #template,
            fees: #fees,
            free: #free,
            packages: #packages,
            package_months: #months,
            post_paid: #post_paid,
            minimum_spend: #minimum,
        }
    }
}

fn post_paid(p: &rt::PostPaid) -> TokenStream {
    let period = period(p.period);
    let tiering = match p.tiering {
        rt::Tiering::Graduated => quote!(Graduated),
        rt::Tiering::WholeVolume => quote!(WholeVolume),
    };
    let tier_volume = match p.tier_volume {
        rt::TierVolume::PostPaid => quote!(PostPaid),
        rt::TierVolume::AllUsage => quote!(AllUsage),
    };
    let bounds = match p.bounds {
        rt::Bounds::UpperInclusive => quote!(UpperInclusive),
        rt::Bounds::LowerInclusive => quote!(LowerInclusive),
        rt::Bounds::WholeUnits => quote!(WholeUnits),
    };
    let tiers = cow_list(p.tiers.iter().map(|t| {
        let (from, price) = (dec(&t.from), dec(&t.price));
        let to = option(t.to.as_ref(), dec);
        quote!(::popgen_runtime::pricing::Tier { from: #from, to: #to, price: #price })
    }));
    let destinations = cow_list(p.destinations.iter().map(|d| {
        let (code, name, dialing, price) = (
            cow_str(&d.code),
            cow_str(&d.name),
            cow_str(&d.dialing_code),
            dec(&d.price),
        );
        quote! {
            ::popgen_runtime::pricing::Destination { code: #code, name: #name, dialing_code: #dialing, price: #price }
        }
    }));
    quote! {
        ::popgen_runtime::pricing::PostPaid {
            period: #period,
            tiering: ::popgen_runtime::pricing::Tiering::#tiering,
            tier_volume: ::popgen_runtime::pricing::TierVolume::#tier_volume,
            bounds: ::popgen_runtime::pricing::Bounds::#bounds,
            tiers: #tiers,
            destinations: #destinations,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_keep_their_scale() {
        let d: Decimal = "0.110".parse().unwrap();
        assert_eq!(
            dec(&d).to_string(),
            ":: popgen_runtime :: pricing :: amount (110u64 , 3u32)"
        );
        let big = Decimal::from_i128_with_scale(1 << 70, 2);
        assert!(dec(&big).to_string().contains("from_parts"));
    }
}
