//! A checked `pricing` section → the runtime's [`PriceBook`](popgen_runtime::pricing::PriceBook), the one type the estimator, the
//! command line and the generated crate's tables share.
//!
//! ```
//! let loaded = popgen_spec::load::load_bundled().unwrap();
//! let book = popgen_spec::pricing::book::build(&loaded.spec).expect("the bundled spec has prices");
//! let ivr = book.business("voice-ivr").unwrap();
//! assert_eq!(ivr.modes[0].post_paid.as_ref().unwrap().tiers[1].price.to_string(), "0.108");
//! ```

use std::borrow::Cow;
use std::str::FromStr;

use popgen_runtime::pricing as rt;
use popgen_runtime::pricing::Decimal;

use super::{
    Amount, Bounds, Business, DateBasis, Fee, Metering, Mode, Period, PostPaid, Pricing, Tier,
    TierVolume, Tiering, Unit,
};
use crate::load::Spec;

/// The amount a string holds: digits with an optional fraction (`"0.110"`, `"37500"`); `None`
/// for anything else (signs, exponents, separators).
pub fn parse_amount(a: &Amount) -> Option<Decimal> {
    let s = a.0.as_str();
    let (whole, frac) = s.split_once('.').unwrap_or((s, "0"));
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !digits(frac) {
        return None;
    }
    Decimal::from_str(s).ok()
}

/// The amount of a checked spec (the check rejects what does not parse).
fn dec(a: &Amount) -> Decimal {
    parse_amount(a).unwrap_or_default()
}

/// The spec's price book, when it has a `pricing` section.
pub fn build(spec: &Spec) -> Option<rt::PriceBook> {
    let p: &Pricing = spec.pricing.as_ref()?;
    Some(rt::PriceBook {
        product: spec.product.name.clone().into(),
        title: p.price_list.title.best().to_owned().into(),
        document: p.price_list.document.clone().into(),
        date: p.price_list.date.clone().into(),
        dated: match p.price_list.dated {
            DateBasis::Updated => rt::DateBasis::Updated,
            DateBasis::Retrieved => rt::DateBasis::Retrieved,
        },
        currency: p.currency.clone().into(),
        businesses: p.businesses.iter().map(business).collect::<Vec<_>>().into(),
        fees: p.fees.iter().map(fee).collect::<Vec<_>>().into(),
    })
}

fn text(t: &crate::model::Text) -> rt::Str {
    t.best().to_owned().into()
}

fn fee(f: &Fee) -> rt::Fee {
    rt::Fee {
        id: f.name.clone().into(),
        title: text(&f.title),
        price: dec(&f.price),
        started_month_in_full: f.started_month_in_full,
    }
}

fn business(b: &Business) -> rt::Business {
    rt::Business {
        id: b.name.clone().into(),
        title: text(&b.title),
        bills: b
            .bills
            .iter()
            .map(|a| rt::BilledAction {
                action: a.action.clone().into(),
                when: a.when.as_ref().map_or(Cow::Borrowed(""), text),
            })
            .collect::<Vec<_>>()
            .into(),
        receipt: b.receipt.as_ref().map(|r| rt::ReceiptUsage {
            message: r.message.clone().into(),
            seconds: r
                .seconds
                .iter()
                .map(|s| Cow::Owned(s.clone()))
                .collect::<Vec<_>>()
                .into(),
        }),
        unit: unit(b.unit),
        metering: metering(b.metering),
        legs: b.legs.unwrap_or(1),
        cost_decimals: b.cost_rounding.as_ref().map(|r| r.decimals),
        modes: b.modes.iter().map(mode).collect::<Vec<_>>().into(),
        add_ons: b
            .add_ons
            .iter()
            .map(|a| rt::AddOn {
                id: a.name.clone().into(),
                title: text(&a.title),
                price: dec(&a.price),
                optional: a.optional,
            })
            .collect::<Vec<_>>()
            .into(),
    }
}

/// The runtime's unit for a spec unit.
pub fn unit(u: Unit) -> rt::Unit {
    match u {
        Unit::Minute => rt::Unit::Minute,
        Unit::Call => rt::Unit::Call,
        Unit::Hour => rt::Unit::Hour,
        Unit::ThousandCalls => rt::Unit::ThousandCalls,
    }
}

fn metering(m: Metering) -> rt::Metering {
    match m {
        Metering::StartedMinute => rt::Metering::StartedMinute,
        Metering::ConnectedCall => rt::Metering::ConnectedCall,
        Metering::Second => rt::Metering::Second,
        Metering::SuccessfulCall => rt::Metering::SuccessfulCall,
    }
}

fn period(p: Period) -> rt::Period {
    match p {
        Period::Monthly => rt::Period::Monthly,
        Period::Daily => rt::Period::Daily,
    }
}

fn mode(m: &Mode) -> rt::Mode {
    let packages = m.packages.as_ref();
    rt::Mode {
        id: m.name.clone().into(),
        title: text(&m.title),
        template: m.template.as_ref().map_or(Cow::Borrowed(""), text),
        fees: m
            .fees
            .iter()
            .map(|f| Cow::Owned(f.clone()))
            .collect::<Vec<_>>()
            .into(),
        free: m.free.as_ref().map(|f| rt::FreeQuota {
            amount: dec(&f.amount),
            period: period(f.period),
        }),
        packages: packages
            .map(|p| {
                p.sizes
                    .iter()
                    .map(|s| rt::Package {
                        size: dec(&s.size),
                        price: dec(&s.price),
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
            .into(),
        package_months: packages.map_or(0, |p| p.valid_months),
        post_paid: m.post_paid.as_ref().map(post_paid),
        minimum_spend: m.minimum_spend.as_ref().map(|s| (dec(&s.from), dec(&s.to))),
    }
}

fn post_paid(p: &PostPaid) -> rt::PostPaid {
    // A flat price is one tier from 0 with no end.
    let flat = p.price.as_ref().map(|price| Tier {
        from: Amount("0".into()),
        to: None,
        price: price.clone(),
    });
    let tiers: Vec<rt::Tier> = flat
        .iter()
        .chain(&p.tiers)
        .map(|t| rt::Tier {
            from: dec(&t.from),
            to: t.to.as_ref().map(dec),
            price: dec(&t.price),
        })
        .collect();
    rt::PostPaid {
        period: period(p.period),
        tiering: match p.tiering {
            Tiering::Graduated => rt::Tiering::Graduated,
            Tiering::WholeVolume => rt::Tiering::WholeVolume,
        },
        tier_volume: match p.tier_volume {
            TierVolume::PostPaid => rt::TierVolume::PostPaid,
            TierVolume::AllUsage => rt::TierVolume::AllUsage,
        },
        bounds: match p.bounds {
            Bounds::UpperInclusive => rt::Bounds::UpperInclusive,
            Bounds::LowerInclusive => rt::Bounds::LowerInclusive,
            Bounds::WholeUnits => rt::Bounds::WholeUnits,
        },
        tiers: tiers.into(),
        destinations: p
            .destinations
            .iter()
            .map(|d| rt::Destination {
                code: d.code.clone().into(),
                name: text(&d.name),
                dialing_code: d.dialing_code.clone().into(),
                price: dec(&d.price),
            })
            .collect::<Vec<_>>()
            .into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_plain_decimals() {
        let ok = |s: &str| parse_amount(&Amount(s.into())).map(|d| d.to_string());
        assert_eq!(ok("0.110").as_deref(), Some("0.110"));
        assert_eq!(ok("37500").as_deref(), Some("37500"));
        for bad in ["", "-1", "1e3", "1_000", "1,000", ".5", "5.", "0.1.1", " 1"] {
            assert_eq!(ok(bad), None, "{bad:?}");
        }
    }
}
