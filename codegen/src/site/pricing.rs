//! The Pricing page's view: the spec's `pricing` section as the price list lays it out (fees,
//! then each business with its modes: packages, post-paid tiers or destinations, minimum spend,
//! add-ons), every table with the quote it comes from and the notes on it; the book the
//! estimator runs on, as JSON for the page's own script; and, per action, the businesses it
//! bills under.

use popgen_runtime::pricing::{self as rt, Decimal};
use popgen_spec::Spec;
use popgen_spec::pricing::{
    self as sp, Amount, Bounds, Metering, Period, Pricing, TierVolume, Tiering, Unit,
};
use serde::Serialize;

use super::view::{Bi, NoteView, note};

/// The Pricing page.
#[derive(Debug, Serialize)]
pub struct PricingView {
    title: Bi,
    document: String,
    date: String,
    dated: &'static str,
    currency: String,
    notes: Vec<NoteView>,
    fees: Vec<FeeView>,
    businesses: Vec<BusinessView>,
    /// The price book as JSON, for the estimator (`</` escaped: it sits in a script element).
    pub book_json: String,
    /// The `dyvms` line of the estimator's default campaign, and its figures.
    pub example: Option<ExampleView>,
}

#[derive(Debug, Serialize)]
pub struct ExampleView {
    business: String,
    mode: String,
    command: String,
    billed: String,
    post_paid: String,
    cheapest: String,
}

#[derive(Debug, Serialize)]
struct FeeView {
    id: String,
    title: Bi,
    price: String,
    per: &'static str,
    started_month_in_full: bool,
    source: String,
    notes: Vec<NoteView>,
}

#[derive(Debug, Serialize)]
struct BusinessView {
    id: String,
    title: Bi,
    description: Option<Bi>,
    unit: &'static str,
    unit_plural: &'static str,
    metering: &'static str,
    legs: u32,
    rounding: Option<String>,
    rounding_source: Option<String>,
    bills: Vec<BilledView>,
    receipt: Option<String>,
    modes: Vec<ModeView>,
    add_ons: Vec<AddOnView>,
    notes: Vec<NoteView>,
}

#[derive(Debug, Serialize)]
struct BilledView {
    action: String,
    /// Whether the spec has the action (a page to link to).
    known: bool,
    when: Option<Bi>,
}

#[derive(Debug, Serialize)]
struct ModeView {
    id: String,
    anchor: String,
    title: Bi,
    template: Option<Bi>,
    fees: Vec<String>,
    free: Option<FreeView>,
    packages: Option<PackagesView>,
    post_paid: Option<PostPaidView>,
    minimum_spend: Option<MinimumView>,
    notes: Vec<NoteView>,
}

#[derive(Debug, Serialize)]
struct FreeView {
    amount: String,
    period: &'static str,
    source: String,
}

#[derive(Debug, Serialize)]
struct PackagesView {
    source: String,
    valid_months: u32,
    rows: Vec<PackageRow>,
    notes: Vec<NoteView>,
}

#[derive(Debug, Serialize)]
struct PackageRow {
    size: String,
    price: String,
    per_unit: String,
}

#[derive(Debug, Serialize)]
struct PostPaidView {
    source: String,
    period: &'static str,
    how: String,
    flat: Option<String>,
    tiers: Vec<TierRow>,
    destinations: Vec<DestinationRow>,
    notes: Vec<NoteView>,
}

#[derive(Debug, Serialize)]
struct TierRow {
    range: String,
    price: String,
}

#[derive(Debug, Serialize)]
struct DestinationRow {
    code: String,
    name: Bi,
    dialing_code: String,
    price: String,
}

#[derive(Debug, Serialize)]
struct MinimumView {
    from: String,
    to: String,
    period: &'static str,
    source: String,
}

#[derive(Debug, Serialize)]
struct AddOnView {
    id: String,
    title: Bi,
    price: String,
    optional: bool,
    source: String,
    notes: Vec<NoteView>,
}

impl PricingView {
    /// Each business (id, title), for the search index.
    pub fn businesses(&self) -> impl Iterator<Item = (&str, String)> {
        self.businesses
            .iter()
            .map(|b| (b.id.as_str(), b.title.line()))
    }
}

/// Where an action bills, for its page.
#[derive(Debug, Serialize)]
pub struct BillingView {
    business: String,
    title: String,
    when: Option<String>,
}

/// The businesses `action` bills under (empty: none, or the spec has no prices).
pub fn billing(spec: &Spec, action: &str) -> Vec<BillingView> {
    let Some(p) = &spec.pricing else {
        return Vec::new();
    };
    p.businesses
        .iter()
        .flat_map(|b| {
            b.bills
                .iter()
                .filter(move |a| a.action == action)
                .map(move |a| BillingView {
                    business: b.name.clone(),
                    title: b.title.best().to_owned(),
                    when: a.when.as_ref().map(|w| w.best().to_owned()),
                })
        })
        .collect()
}

/// The page, when the spec has prices.
pub fn view(spec: &Spec, crate_cli: &str) -> Option<PricingView> {
    let p: &Pricing = spec.pricing.as_ref()?;
    let book = popgen_spec::pricing::book::build(spec)?;
    let json = serde_json::to_string(&book).expect("a price book serializes");
    Some(PricingView {
        title: (&p.price_list.title).into(),
        document: p.price_list.document.clone(),
        date: p.price_list.date.clone(),
        dated: match p.price_list.dated {
            sp::DateBasis::Updated => "the date the list gives for its last update",
            sp::DateBasis::Retrieved => {
                "the day the list was retrieved into the repository; it carries no date"
            }
        },
        currency: p.currency.clone(),
        notes: p.notes.iter().map(note).collect(),
        fees: p
            .fees
            .iter()
            .map(|f| FeeView {
                id: f.name.clone(),
                title: (&f.title).into(),
                price: f.price.0.clone(),
                per: match f.per {
                    sp::FeeUnit::NumberMonth => "number a month",
                },
                started_month_in_full: f.started_month_in_full,
                source: f.source.clone(),
                notes: f.notes.iter().map(note).collect(),
            })
            .collect(),
        businesses: p.businesses.iter().map(|b| business(spec, b)).collect(),
        book_json: json.replace("</", "<\\/"),
        example: example(&book, crate_cli),
    })
}

/// The estimator's default campaign (the first business and mode it can price, packages
/// preferred), as a `dyvms` line with the figures the command prints.
fn example(book: &rt::PriceBook, cli: &str) -> Option<ExampleView> {
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
    let usage = rt::Usage::Campaign {
        calls: 300_000,
        answer_rate: Decimal::new(7, 1),
        avg_seconds: Decimal::from(40),
    };
    let e = rt::estimate(book, &rt::Request::new(&b.id, &m.id), &usage).ok()?;
    Some(ExampleView {
        business: b.id.to_string(),
        mode: m.id.to_string(),
        command: format!(
            "{cli} cost estimate --business {} --mode {} --calls 300000 --answer-rate 0.7 --avg-seconds 40",
            b.id, m.id
        ),
        billed: format!("{} {}", group(e.billed), b.unit.base_name()),
        post_paid: e.post_paid_only.total.to_string(),
        cheapest: e.cheapest.total.to_string(),
    })
}

fn business(spec: &Spec, b: &sp::Business) -> BusinessView {
    let (unit, unit_plural) = unit_names(b.unit);
    BusinessView {
        id: b.name.clone(),
        title: (&b.title).into(),
        description: b.description.as_ref().map(Bi::from),
        unit,
        unit_plural,
        metering: match b.metering {
            Metering::StartedMinute => {
                "per started minute of talk (61 s bill 2 minutes); unanswered calls are free"
            }
            Metering::ConnectedCall => "per connected call; unanswered calls are free",
            Metering::Second => "per second of audio, a started second in full",
            Metering::SuccessfulCall => "per successful request; failed requests are free",
        },
        legs: b.legs.unwrap_or(1),
        rounding: b.cost_rounding.as_ref().map(|r| {
            format!(
                "each bill is rounded half up to {} decimal{}",
                r.decimals,
                if r.decimals == 1 { "" } else { "s" }
            )
        }),
        rounding_source: b.cost_rounding.as_ref().map(|r| r.source.clone()),
        bills: b
            .bills
            .iter()
            .map(|a| BilledView {
                action: a.action.clone(),
                known: spec.actions.contains_key(&a.action),
                when: a.when.as_ref().map(Bi::from),
            })
            .collect(),
        receipt: b
            .receipt
            .as_ref()
            .map(|r| format!("{} ({})", r.message, r.seconds.join(", "))),
        modes: b.modes.iter().map(|m| mode(b, m)).collect(),
        add_ons: b
            .add_ons
            .iter()
            .map(|a| AddOnView {
                id: a.name.clone(),
                title: (&a.title).into(),
                price: a.price.0.clone(),
                optional: a.optional,
                source: a.source.clone(),
                notes: a.notes.iter().map(note).collect(),
            })
            .collect(),
        notes: b.notes.iter().map(note).collect(),
    }
}

fn unit_names(u: Unit) -> (&'static str, &'static str) {
    match u {
        Unit::Minute => ("minute", "minutes"),
        Unit::Call => ("call", "calls"),
        Unit::Hour => ("hour", "hours"),
        Unit::ThousandCalls => ("thousand calls", "thousand calls"),
    }
}

fn period(p: Period) -> &'static str {
    match p {
        Period::Monthly => "month",
        Period::Daily => "day",
    }
}

fn mode(b: &sp::Business, m: &sp::Mode) -> ModeView {
    let (_, plural) = unit_names(b.unit);
    ModeView {
        id: m.name.clone(),
        anchor: format!("{}-{}", b.name, m.name),
        title: (&m.title).into(),
        template: m.template.as_ref().map(Bi::from),
        fees: m.fees.clone(),
        free: m.free.as_ref().map(|f| FreeView {
            amount: format!("{} {plural}", grouped(&f.amount)),
            period: period(f.period),
            source: f.source.clone(),
        }),
        packages: m.packages.as_ref().map(|p| PackagesView {
            source: p.source.clone(),
            valid_months: p.valid_months,
            rows: p
                .sizes
                .iter()
                .map(|s| PackageRow {
                    size: format!("{} {plural}", grouped(&s.size)),
                    price: s.price.0.clone(),
                    per_unit: per_unit(&s.price, &s.size),
                })
                .collect(),
            notes: p.notes.iter().map(note).collect(),
        }),
        post_paid: m.post_paid.as_ref().map(post_paid),
        minimum_spend: m.minimum_spend.as_ref().map(|s| MinimumView {
            from: s.from.0.clone(),
            to: s.to.0.clone(),
            period: period(s.period),
            source: s.source.clone(),
        }),
        notes: m.notes.iter().map(note).collect(),
    }
}

fn post_paid(pp: &sp::PostPaid) -> PostPaidView {
    let per = period(pp.period);
    let how = if !pp.destinations.is_empty() {
        "one price per destination, whatever the volume".to_owned()
    } else if pp.tiers.is_empty() {
        "one price, whatever the volume".to_owned()
    } else {
        let tiering = match pp.tiering {
            Tiering::Graduated => {
                format!("graduated: each slice of the {per}'s volume at its tier's price")
            }
            Tiering::WholeVolume => format!(
                "the whole {per}'s volume at the price of the tier it reaches (not slice by slice)"
            ),
        };
        let volume = match pp.tier_volume {
            TierVolume::PostPaid => format!("the {per}'s post-paid volume picks the tier"),
            TierVolume::AllUsage => {
                format!("the {per}'s whole usage (free quota and packages included) picks the tier")
            }
        };
        format!("{tiering}; {volume}")
    };
    let last = pp.tiers.len().saturating_sub(1);
    PostPaidView {
        source: pp.source.clone(),
        period: per,
        how,
        flat: pp.price.as_ref().map(|a| a.0.clone()),
        tiers: pp
            .tiers
            .iter()
            .enumerate()
            .map(|(i, t)| TierRow {
                range: range(pp.bounds, &t.from, t.to.as_ref(), i == 0, i == last),
                price: t.price.0.clone(),
            })
            .collect(),
        destinations: pp
            .destinations
            .iter()
            .map(|d| DestinationRow {
                code: d.code.clone(),
                name: (&d.name).into(),
                dialing_code: d.dialing_code.clone(),
                price: d.price.0.clone(),
            })
            .collect(),
        notes: pp.notes.iter().map(note).collect(),
    }
}

/// A tier's range in words, with its bounds (`over 50,000 up to 100,000`).
fn range(bounds: Bounds, from: &Amount, to: Option<&Amount>, first: bool, last: bool) -> String {
    let (from, to) = (grouped(from), to.map(grouped));
    match (bounds, to) {
        (Bounds::UpperInclusive, Some(to)) if first => format!("up to {to}"),
        (Bounds::UpperInclusive, Some(to)) => format!("over {from} up to {to}"),
        (Bounds::UpperInclusive, None) => format!("over {from}"),
        (Bounds::LowerInclusive, Some(to)) if first => format!("under {to}"),
        (Bounds::LowerInclusive, Some(to)) => format!("{from} to under {to}"),
        (Bounds::LowerInclusive, None) => format!("{from} and over"),
        (Bounds::WholeUnits, Some(to)) => format!("{from} – {to}"),
        (Bounds::WholeUnits, None) if last => format!("{from} and over"),
        (Bounds::WholeUnits, None) => format!("from {from}"),
    }
}

/// The price of one unit of a package (`37500` for `500000` → `0.075`).
fn per_unit(price: &Amount, size: &Amount) -> String {
    let (Some(p), Some(s)) = (
        popgen_spec::pricing::book::parse_amount(price),
        popgen_spec::pricing::book::parse_amount(size),
    ) else {
        return String::new();
    };
    if s.is_zero() {
        return String::new();
    }
    (p / s).round_dp(4).normalize().to_string()
}

/// An amount with thousands separators in its whole part (`500,000`, `0.110`).
fn grouped(a: &Amount) -> String {
    let (whole, frac) = match a.0.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (a.0.as_str(), None),
    };
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

fn group(n: u64) -> String {
    grouped(&Amount(n.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_say_which_tier_a_boundary_is_in() {
        let a = |s: &str| Amount(s.to_owned());
        let up = |from, to: Option<&str>, first, last| {
            range(
                Bounds::UpperInclusive,
                &a(from),
                to.map(a).as_ref(),
                first,
                last,
            )
        };
        assert_eq!(up("0", Some("50000"), true, false), "up to 50,000");
        assert_eq!(
            up("50000", Some("100000"), false, false),
            "over 50,000 up to 100,000"
        );
        assert_eq!(up("10000000", None, false, true), "over 10,000,000");
        assert_eq!(
            range(Bounds::WholeUnits, &a("300"), Some(&a("999")), false, false),
            "300 – 999"
        );
        assert_eq!(
            range(
                Bounds::LowerInclusive,
                &a("120000"),
                Some(&a("300000")),
                false,
                false
            ),
            "120,000 to under 300,000"
        );
    }

    #[test]
    fn package_prices_per_unit_are_exact() {
        let a = |s: &str| Amount(s.to_owned());
        assert_eq!(per_unit(&a("37500"), &a("500000")), "0.075");
        assert_eq!(per_unit(&a("0.3"), &a("3")), "0.1");
        assert_eq!(grouped(&a("1234567.50")), "1,234,567.50");
    }
}
