//! The estimate: usage of one business and mode → billed units, the post-paid-only cost at the
//! tier reached, and the cheapest mix of packages and post-paid, each line explained. Deduction
//! order: free quota, then prepaid packages, then post-paid.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

use super::meter::{self, Metered, Usage, group, units_words};
use super::plan::{self, Offer};
use super::tiers::{TierReached, post_paid_cost, round_bill};
use super::{Business, Mode, PostPaid, PriceBook, TierVolume, Tiering, Unit};

/// What to price: a business, one of its modes, and what else the period holds.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Request {
    /// The business's id (`voice-notification`).
    pub business: String,
    /// The mode's id (`public`).
    pub mode: String,
    /// The destination's code, for businesses priced per destination (`HK`).
    pub destination: Option<String>,
    /// Optional add-ons to include (`recording`); the others are always included.
    pub add_ons: Vec<String>,
    /// Post-paid volume already billed in the same period, in the business's unit: it counts
    /// toward the tier.
    pub period_volume: Decimal,
    /// Free quota left, in the business's unit (default: the mode's whole quota).
    pub free_left: Option<Decimal>,
    /// Numbers rented, for the mode's fixed fees (one month).
    pub numbers: u32,
}

impl Request {
    /// A request for `business` in `mode`, with nothing else in the period.
    pub fn new(business: &str, mode: &str) -> Request {
        Request {
            business: business.to_owned(),
            mode: mode.to_owned(),
            ..Request::default()
        }
    }
}

/// Why an estimate could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EstimateError {
    /// No business with that id.
    #[error("no business `{0}`; known: {1}")]
    UnknownBusiness(String, String),
    /// The business has no mode with that id.
    #[error("business `{0}` has no mode `{1}`; its modes: {2}")]
    UnknownMode(String, String, String),
    /// The mode is priced per destination and none (or an unknown one) was given.
    #[error("`{0}` is priced per destination: give one of {1}")]
    Destination(String, String),
    /// The business has no add-on with that id.
    #[error("business `{0}` has no add-on `{1}`; its add-ons: {2}")]
    UnknownAddOn(String, String, String),
    /// The mode has no post-paid price (only packages, or a console-only price).
    #[error("mode `{0}` of `{1}` has no post-paid price in the price list")]
    NoPostPaid(String, String),
    /// A value of the request is out of its range.
    #[error("{0}")]
    Invalid(String),
}

/// One explained line of an estimate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    /// What the line is about (`post-paid`, `package`).
    pub what: String,
    /// The arithmetic, in words.
    pub detail: String,
    /// The amount it adds, when it adds one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<Decimal>,
}

impl Line {
    pub(super) fn text(what: &str, detail: String) -> Line {
        Line {
            what: what.to_owned(),
            detail,
            amount: None,
        }
    }

    fn money(what: &str, detail: String, amount: Decimal) -> Line {
        Line {
            what: what.to_owned(),
            detail,
            amount: Some(amount),
        }
    }
}

/// Packages of one size in a plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanPackage {
    /// Size, in the business's unit.
    pub size: Decimal,
    /// Price of one.
    pub price: Decimal,
    /// How many.
    pub count: u64,
}

/// One way to pay: packages (maybe none) and post-paid for the rest, add-ons and fees.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    /// The packages bought.
    pub packages: Vec<PlanPackage>,
    /// Base units the packages cover (up to the volume).
    pub covered: u64,
    /// Base units of the packages left unused, valid for the rest of their validity.
    pub left_over: u64,
    /// Base units billed post-paid.
    pub post_paid_units: u64,
    /// What post-paid adds to the period's bill.
    pub post_paid: Decimal,
    /// The post-paid tier reached.
    pub tier: Option<TierReached>,
    /// Everything: packages, post-paid, add-ons, fees.
    pub total: Decimal,
    /// Each line, explained.
    pub lines: Vec<Line>,
}

/// An estimate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimate {
    /// The business's id.
    pub business: String,
    /// The mode's id.
    pub mode: String,
    /// The currency of every amount.
    pub currency: String,
    /// The business's unit.
    pub unit: Unit,
    /// Calls placed (or records read).
    pub calls: u64,
    /// Calls answered.
    pub answered: u64,
    /// Billed base units (minutes, calls or seconds).
    pub billed: u64,
    /// Base units the free quota took.
    pub free: u64,
    /// How the usage was metered.
    pub metering: Vec<Line>,
    /// Everything post-paid (after the free quota).
    pub post_paid_only: Plan,
    /// The cheapest mix of packages and post-paid.
    pub cheapest: Plan,
    /// What the cheapest plan saves against post-paid only.
    pub saving: Decimal,
    /// What the estimate leaves out or assumes.
    pub notes: Vec<String>,
}

/// Estimates what `usage` costs in `book` for `request`.
pub fn estimate(
    book: &PriceBook,
    request: &Request,
    usage: &Usage,
) -> Result<Estimate, EstimateError> {
    let (b, m) = find(book, request)?;
    check_usage(usage)?;
    let pp = m
        .post_paid
        .as_ref()
        .ok_or_else(|| EstimateError::NoPostPaid(m.id.to_string(), b.id.to_string()))?;
    let price = Pricer::new(book, b, m, pp, request)?;
    let metered = meter::meter(b, usage);
    let free = price.free_units(metered.units);
    let rest = metered.units - free;
    let post_paid_only = price.plan(&metered, free, rest, &vec![0; m.packages.len()], 0);
    let offers: Vec<Offer> = m
        .packages
        .iter()
        .map(|p| Offer {
            size: price.base(p.size),
            price: p.price,
        })
        .collect();
    let chosen = plan::cheapest(rest, &offers, |q| price.post_paid(metered.units, q).0);
    let cheapest = price.plan(&metered, free, rest, &chosen.counts, chosen.covered);
    let mut notes = price.notes(&metered);
    for i in chosen.left_out {
        notes.push(format!(
            "the {} {} package was left out of the search at this volume (it would make the search too long)",
            m.packages[i].size.normalize(),
            b.unit.name()
        ));
    }
    Ok(Estimate {
        business: b.id.to_string(),
        mode: m.id.to_string(),
        currency: book.currency.to_string(),
        unit: b.unit,
        calls: metered.calls,
        answered: metered.answered,
        billed: metered.units,
        free,
        metering: metered.lines,
        saving: post_paid_only.total - cheapest.total,
        post_paid_only,
        cheapest,
        notes,
    })
}

/// What `usage` costs when the packages `bought` (size in the business's unit, count) serve it,
/// the rest post-paid: how the price lists' own examples price a given purchase.
pub fn price_plan(
    book: &PriceBook,
    request: &Request,
    usage: &Usage,
    bought: &[(Decimal, u64)],
) -> Result<Plan, EstimateError> {
    let (b, m) = find(book, request)?;
    check_usage(usage)?;
    let pp = m
        .post_paid
        .as_ref()
        .ok_or_else(|| EstimateError::NoPostPaid(m.id.to_string(), b.id.to_string()))?;
    let price = Pricer::new(book, b, m, pp, request)?;
    let mut counts = vec![0; m.packages.len()];
    for (size, count) in bought {
        let i = m
            .packages
            .iter()
            .position(|p| p.size == *size)
            .ok_or_else(|| {
                EstimateError::Invalid(format!(
                    "mode `{}` of `{}` has no package of {size}",
                    m.id, b.id
                ))
            })?;
        counts[i] += count;
    }
    let metered = meter::meter(b, usage);
    let free = price.free_units(metered.units);
    let covered = m
        .packages
        .iter()
        .zip(&counts)
        .map(|(p, c)| price.base(p.size) * c)
        .sum();
    Ok(price.plan(&metered, free, metered.units - free, &counts, covered))
}

fn find<'b>(book: &'b PriceBook, r: &Request) -> Result<(&'b Business, &'b Mode), EstimateError> {
    let b = book.business(&r.business).ok_or_else(|| {
        let known: Vec<&str> = book.businesses.iter().map(|b| b.id.as_ref()).collect();
        EstimateError::UnknownBusiness(r.business.clone(), known.join(", "))
    })?;
    let m = b.mode(&r.mode).ok_or_else(|| {
        let known: Vec<&str> = b.modes.iter().map(|m| m.id.as_ref()).collect();
        EstimateError::UnknownMode(b.id.to_string(), r.mode.clone(), known.join(", "))
    })?;
    Ok((b, m))
}

fn check_usage(usage: &Usage) -> Result<(), EstimateError> {
    if let Usage::Campaign {
        answer_rate,
        avg_seconds,
        ..
    } = usage
    {
        if *answer_rate < Decimal::ZERO || *answer_rate > Decimal::ONE {
            return Err(EstimateError::Invalid(format!(
                "the answer rate must be between 0 and 1, got {answer_rate}"
            )));
        }
        if *avg_seconds < Decimal::ZERO {
            return Err(EstimateError::Invalid(format!(
                "the average talk time must not be negative, got {avg_seconds}"
            )));
        }
    }
    Ok(())
}

/// Everything fixed for one estimate: the tables, the request's choices, and the unit.
struct Pricer<'b> {
    book: &'b PriceBook,
    b: &'b Business,
    m: &'b Mode,
    pp: &'b PostPaid,
    request: &'b Request,
    /// The destination's price, when priced per destination.
    flat: Option<(Decimal, String)>,
    add_ons: Vec<(&'b super::AddOn, bool)>,
}

impl<'b> Pricer<'b> {
    fn new(
        book: &'b PriceBook,
        b: &'b Business,
        m: &'b Mode,
        pp: &'b PostPaid,
        request: &'b Request,
    ) -> Result<Pricer<'b>, EstimateError> {
        let flat = destination(b, pp, request)?;
        for id in &request.add_ons {
            if !b.add_ons.iter().any(|a| a.id == id.as_str()) {
                let known: Vec<&str> = b.add_ons.iter().map(|a| a.id.as_ref()).collect();
                let known = if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                };
                return Err(EstimateError::UnknownAddOn(
                    b.id.to_string(),
                    id.clone(),
                    known,
                ));
            }
        }
        let add_ons = b
            .add_ons
            .iter()
            .map(|a| {
                (
                    a,
                    !a.optional || request.add_ons.iter().any(|id| *id == a.id),
                )
            })
            .collect();
        Ok(Pricer {
            book,
            b,
            m,
            pp,
            request,
            flat,
            add_ons,
        })
    }

    /// An amount in the business's unit, in base units (rounded up to a whole base unit).
    fn base(&self, amount: Decimal) -> u64 {
        (amount * Decimal::from(self.b.unit.size()))
            .ceil()
            .to_u64()
            .unwrap_or(u64::MAX)
    }

    fn free_units(&self, units: u64) -> u64 {
        let quota = self
            .request
            .free_left
            .or_else(|| self.m.free.as_ref().map(|f| f.amount))
            .unwrap_or(Decimal::ZERO);
        self.base(quota).min(units)
    }

    /// What `q` post-paid base units add to the period's bill, and the tier reached, when the
    /// period's usage (free and prepaid included) is `usage`.
    fn post_paid(&self, usage: u64, q: u64) -> (Decimal, Option<TierReached>) {
        let size = self.b.unit.size();
        if let Some((price, _)) = &self.flat {
            let cost = round_bill(
                Decimal::from(q) * price / Decimal::from(size),
                self.b.cost_decimals,
            );
            return (cost, None);
        }
        let before = self.base(self.request.period_volume);
        let tier_at = match self.pp.tier_volume {
            TierVolume::PostPaid => before + q,
            TierVolume::AllUsage => before + usage,
        };
        post_paid_cost(self.pp, size, self.b.cost_decimals, q, before, tier_at)
    }

    /// A plan that buys `counts` packages covering `covered` of `rest` (after `free`).
    fn plan(&self, metered: &Metered, free: u64, rest: u64, counts: &[u64], covered: u64) -> Plan {
        let mut lines = Vec::new();
        if free > 0 {
            lines.push(Line::text(
                "free quota",
                format!("{} free first", units_words(self.b, free)),
            ));
        }
        let packages = self.packages(counts, &mut lines);
        let bought: u64 = packages.iter().map(|p| self.base(p.size) * p.count).sum();
        let used = covered.min(rest);
        let q = rest - used;
        let (post_paid, tier) = self.post_paid(metered.units, q);
        lines.push(Line::money(
            "post-paid",
            self.post_paid_words(q, tier),
            post_paid,
        ));
        let extras =
            self.add_on_lines(metered.add_on_units, &mut lines) + self.fee_lines(&mut lines);
        let bought_cost: Decimal = packages
            .iter()
            .map(|p| p.price * Decimal::from(p.count))
            .sum();
        Plan {
            left_over: bought - used,
            packages,
            covered: used,
            post_paid_units: q,
            post_paid,
            tier,
            total: bought_cost + post_paid + extras,
            lines,
        }
    }

    fn packages(&self, counts: &[u64], lines: &mut Vec<Line>) -> Vec<PlanPackage> {
        let mut out = Vec::new();
        for (p, &count) in self.m.packages.iter().zip(counts).filter(|(_, c)| **c > 0) {
            let cost = p.price * Decimal::from(count);
            lines.push(Line::money(
                "package",
                format!(
                    "{count} × {}-{} package at {} = {}, valid {} months",
                    group_dec(p.size),
                    self.b.unit.name(),
                    p.price,
                    cost,
                    self.m.package_months
                ),
                cost,
            ));
            out.push(PlanPackage {
                size: p.size,
                price: p.price,
                count,
            });
        }
        out
    }

    fn post_paid_words(&self, q: u64, tier: Option<TierReached>) -> String {
        let units = units_words(self.b, q);
        if let Some((price, code)) = &self.flat {
            return format!("{units} to {code} at {price} per {}", self.b.unit.name());
        }
        let Some(t) = tier else {
            return format!("{units}: no tier applies");
        };
        let rounding = match self.b.cost_decimals {
            Some(d) => format!("; the bill is rounded to {d} decimals"),
            None => String::new(),
        };
        if self.pp.tiers.len() == 1 {
            // A flat price: no tiers to speak of.
            return format!(
                "{units} at {} per {}{rounding}",
                t.tier.price,
                self.b.unit.name()
            );
        }
        let before = self.request.period_volume;
        let period = if before > Decimal::ZERO {
            let name = self.b.unit.name();
            let name = if before == Decimal::ONE || name.ends_with('s') {
                name.to_owned()
            } else {
                format!("{name}s")
            };
            format!(
                " (with {} {name} already billed this period)",
                group_dec(before)
            )
        } else {
            String::new()
        };
        let how = match self.pp.tiering {
            Tiering::Graduated => "graduated: each slice at its tier's price",
            Tiering::WholeVolume => "the whole period's volume at the tier reached",
        };
        format!(
            "{units}{period}, tier {} ({}) at {} per {}; {how}{rounding}",
            t.index + 1,
            tier_range(&t),
            t.tier.price,
            self.b.unit.name()
        )
    }

    fn add_on_lines(&self, units: u64, lines: &mut Vec<Line>) -> Decimal {
        let size = Decimal::from(self.b.unit.size());
        let mut total = Decimal::ZERO;
        for (a, _) in self.add_ons.iter().filter(|(_, on)| *on) {
            let cost = round_bill(Decimal::from(units) * a.price / size, self.b.cost_decimals);
            lines.push(Line::money(
                "add-on",
                format!(
                    "{}: {} (each call once, whatever its legs) at {} per {}",
                    a.title,
                    units_words(self.b, units),
                    a.price,
                    self.b.unit.name()
                ),
                cost,
            ));
            total += cost;
        }
        total
    }

    fn fee_lines(&self, lines: &mut Vec<Line>) -> Decimal {
        let mut total = Decimal::ZERO;
        if self.request.numbers == 0 {
            return total;
        }
        for fee in self.m.fees.iter().filter_map(|id| self.book.fee(id)) {
            let cost = fee.price * Decimal::from(self.request.numbers);
            lines.push(Line::money(
                "fee",
                format!(
                    "{}: {} number{} × {} for the month",
                    fee.title,
                    self.request.numbers,
                    if self.request.numbers == 1 { "" } else { "s" },
                    fee.price
                ),
                cost,
            ));
            total += cost;
        }
        total
    }

    fn notes(&self, metered: &Metered) -> Vec<String> {
        let mut notes = Vec::new();
        if metered.units > 0
            && matches!(metered.lines.first(), Some(l) if l.detail.contains("rate"))
        {
            notes.push(
                "every answered call is taken to last the average; real calls round up one by one, so longer and shorter calls can bill more".to_owned(),
            );
        }
        if !self.m.fees.is_empty() && self.request.numbers == 0 {
            notes.push(
                "number rental is not included: give the numbers rented to add it".to_owned(),
            );
        }
        if let Some((from, to)) = self.m.minimum_spend {
            notes.push(format!("a minimum spend of {from}–{to} per month applies, set by the console package; not included"));
        }
        for (a, on) in &self.add_ons {
            if !on {
                notes.push(format!(
                    "optional add-on not included: {} ({} per {})",
                    a.title,
                    a.price,
                    self.b.unit.name()
                ));
            }
        }
        notes.push(format!(
            "prices of {} as of {} ({}); they change",
            self.book.title,
            self.book.date,
            match self.book.dated {
                super::DateBasis::Updated => "the list's own date",
                super::DateBasis::Retrieved => "the day the list was retrieved; it carries no date",
            }
        ));
        notes
    }
}

fn destination(
    b: &Business,
    pp: &PostPaid,
    r: &Request,
) -> Result<Option<(Decimal, String)>, EstimateError> {
    if pp.destinations.is_empty() {
        return Ok(None);
    }
    let known = || {
        pp.destinations
            .iter()
            .map(|d| d.code.as_ref())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let code = r
        .destination
        .as_deref()
        .ok_or_else(|| EstimateError::Destination(b.id.to_string(), known()))?;
    let d = pp
        .destinations
        .iter()
        .find(|d| d.code.eq_ignore_ascii_case(code))
        .ok_or_else(|| EstimateError::Destination(b.id.to_string(), known()))?;
    Ok(Some((d.price, format!("{} ({})", d.name, d.code))))
}

fn tier_range(t: &TierReached) -> String {
    match t.tier.to {
        Some(to) => format!("{}–{}", group_dec(t.tier.from), group_dec(to)),
        None => format!("over {}", group_dec(t.tier.from)),
    }
}

fn group_dec(d: Decimal) -> String {
    match d.normalize().to_u64() {
        Some(n) if Decimal::from(n) == d => group(n),
        _ => d.normalize().to_string(),
    }
}
