//! Checks of the `pricing` section: amounts are decimals, names are unique and resolve (actions,
//! receipts and their fields, fees), units fit their metering, packages are well formed, and
//! post-paid tiers start at 0, are ordered and contiguous, the last one open.

use std::collections::BTreeSet;

use popgen_runtime::pricing::Decimal;

use super::{Cx, unknown_name_hint};
use crate::diag::Seg;
use crate::path;
use crate::pricing::book::parse_amount;
use crate::pricing::{
    Amount, Bounds, Business, Metering, Mode, Packages, PostPaid, Pricing, Tier, Unit,
};

/// A path below `base`.
fn at(base: &[Seg], rest: Vec<Seg>) -> Vec<Seg> {
    [base, &rest].concat()
}

impl Cx<'_> {
    pub(super) fn pricing(&mut self, p: &Pricing) {
        let base = path!["pricing"];
        self.price_list(&base, p);
        let fees: BTreeSet<&str> = p.fees.iter().map(|f| f.name.as_str()).collect();
        self.unique_names(
            &at(&base, path!["fees"]),
            p.fees.iter().map(|f| f.name.as_str()),
        );
        for (i, f) in p.fees.iter().enumerate() {
            self.positive(&at(&base, path!["fees", i, "price"]), &f.price);
        }
        let businesses = at(&base, path!["businesses"]);
        self.unique_names(&businesses, p.businesses.iter().map(|b| b.name.as_str()));
        for (i, b) in p.businesses.iter().enumerate() {
            self.business(&at(&businesses, path![i]), b, &fees);
        }
    }

    fn price_list(&mut self, base: &[Seg], p: &Pricing) {
        let date = &p.price_list.date;
        if !is_date(date) {
            self.error(
                &at(base, path!["price_list", "date"]),
                format!("`{date}` is not a date"),
                Some("write the price list's date as YYYY-MM-DD: prices change, the date says which ones these are".into()),
            );
        }
        if p.currency.len() != 3 || !p.currency.bytes().all(|c| c.is_ascii_uppercase()) {
            self.error(
                &at(base, path!["currency"]),
                format!("`{}` is not a currency code", p.currency),
                Some("use the ISO 4217 code, e.g. `CNY` for 元".into()),
            );
        }
    }

    /// Names of a list's elements: lower-case words joined by `-`, each once.
    fn unique_names<'n>(&mut self, list: &[Seg], names: impl Iterator<Item = &'n str>) {
        let mut seen = BTreeSet::new();
        for (i, name) in names.enumerate() {
            let here = at(list, path![i, "name"]);
            let kebab = name.split('-').all(|w| {
                !w.is_empty()
                    && w.bytes()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            });
            if !kebab {
                self.error(
                    &here,
                    format!("`{name}` is not a name"),
                    Some(
                        "names are lower-case words joined by `-`, e.g. `voice-notification`"
                            .into(),
                    ),
                );
            }
            if !seen.insert(name) {
                self.error(&here, format!("the name `{name}` is used twice"), None);
            }
        }
    }

    /// The amount, when it is one; an error at `here` otherwise.
    fn amount(&mut self, here: &[Seg], a: &Amount) -> Option<Decimal> {
        let parsed = parse_amount(a);
        if parsed.is_none() {
            self.error(
                here,
                format!("`{}` is not an amount", a.0),
                Some(
                    "write digits with an optional fraction, as a string: \"0.11\", \"37500\""
                        .into(),
                ),
            );
        }
        parsed
    }

    /// An amount that must be more than 0.
    fn positive(&mut self, here: &[Seg], a: &Amount) -> Option<Decimal> {
        let d = self.amount(here, a)?;
        if d.is_zero() {
            self.error(
                here,
                "the amount is 0".into(),
                Some("a free item is a free quota, not a price of 0".into()),
            );
        }
        Some(d)
    }

    fn business(&mut self, base: &[Seg], b: &Business, fees: &BTreeSet<&str>) {
        for (i, a) in b.bills.iter().enumerate() {
            if !self.spec.actions.contains_key(&a.action) {
                let hint =
                    unknown_name_hint(&a.action, self.spec.actions.keys(), "actions", "actions");
                self.error(
                    &at(base, path!["bills", i, "action"]),
                    format!(
                        "the business bills `{}`, which is not an action of the spec",
                        a.action
                    ),
                    Some(hint),
                );
            }
        }
        self.receipt_usage(base, b);
        self.unit_fits(base, b);
        if b.legs == Some(0) {
            self.error(
                &at(base, path!["legs"]),
                "`legs: 0` bills nothing".into(),
                Some("a call has 1 leg; a double call 2".into()),
            );
        }
        let modes = at(base, path!["modes"]);
        if b.modes.is_empty() {
            self.error(
                &modes,
                "a business needs at least one mode".into(),
                Some("name the one mode the price list has, e.g. `standard`".into()),
            );
        }
        self.unique_names(&modes, b.modes.iter().map(|m| m.name.as_str()));
        for (i, m) in b.modes.iter().enumerate() {
            self.mode(&at(&modes, path![i]), b, m, fees);
        }
        self.unique_names(
            &at(base, path!["add_ons"]),
            b.add_ons.iter().map(|a| a.name.as_str()),
        );
        for (i, a) in b.add_ons.iter().enumerate() {
            self.positive(&at(base, path!["add_ons", i, "price"]), &a.price);
        }
    }

    fn receipt_usage(&mut self, base: &[Seg], b: &Business) {
        let Some(r) = &b.receipt else { return };
        let here = at(base, path!["receipt"]);
        let Some(receipt) = self.spec.receipts.get(&r.message) else {
            let hint = unknown_name_hint(
                &r.message,
                self.spec.receipts.keys(),
                "receipts",
                "receipts",
            );
            return self.error(
                &at(&here, path!["message"]),
                format!("unknown receipt message `{}`", r.message),
                Some(hint),
            );
        };
        let fields: Vec<&str> = receipt
            .fields
            .iter()
            .filter_map(|f| f.name.as_deref())
            .collect();
        if r.seconds.is_empty() {
            self.error(&at(&here, path!["seconds"]), "no field holds the talk seconds".into(), Some("name the receipt's field with the call's duration in seconds, e.g. `[duration]`".into()));
        }
        let legs = b.legs.unwrap_or(1) as usize;
        if !r.seconds.is_empty() && r.seconds.len() != legs && legs > 0 {
            self.error(&at(&here, path!["seconds"]), format!("the receipt names {} fields of talk seconds, but the business bills {legs} leg(s) per call", r.seconds.len()), Some("name one field per billed leg, or set `legs`".into()));
        }
        for (i, s) in r.seconds.iter().enumerate() {
            if !fields.contains(&s.as_str()) {
                let hint = match crate::shape::suggest(s, &fields) {
                    Some(g) => format!("did you mean `{g}`?"),
                    None => format!("fields of {}: {}", r.message, fields.join(", ")),
                };
                self.error(
                    &at(&here, path!["seconds", i]),
                    format!("`{s}` is not a field of {}", r.message),
                    Some(hint),
                );
            }
        }
    }

    fn unit_fits(&mut self, base: &[Seg], b: &Business) {
        let fits = match b.metering {
            Metering::StartedMinute => b.unit == Unit::Minute,
            Metering::ConnectedCall => b.unit == Unit::Call,
            Metering::Second => b.unit == Unit::Hour,
            Metering::SuccessfulCall => matches!(b.unit, Unit::Call | Unit::ThousandCalls),
        };
        if !fits {
            self.error(
                &at(base, path!["metering"]),
                format!("`{}` metering does not fit the unit `{}`", kebab(b.metering), kebab(b.unit)),
                Some("started-minute bills minutes, connected-call calls, second hours (counted in seconds), successful-call calls or thousand-calls".into()),
            );
        }
    }

    fn mode(&mut self, base: &[Seg], b: &Business, m: &Mode, fees: &BTreeSet<&str>) {
        for (i, f) in m.fees.iter().enumerate() {
            if !fees.contains(f.as_str()) {
                let known: Vec<&str> = fees.iter().copied().collect();
                let hint = crate::shape::suggest(f, &known).map_or_else(
                    || format!("fees defined under `pricing.fees`: {}", known.join(", ")),
                    |g| format!("did you mean `{g}`?"),
                );
                self.error(
                    &at(base, path!["fees", i]),
                    format!("unknown fee `{f}`"),
                    Some(hint),
                );
            }
        }
        if m.packages.is_none() && m.post_paid.is_none() {
            self.error(
                base,
                "the mode has neither packages nor a post-paid price".into(),
                Some("add `packages:` or `post_paid:` as the price list gives them".into()),
            );
        }
        if let Some(f) = &m.free {
            self.positive(&at(base, path!["free", "amount"]), &f.amount);
        }
        if let Some(p) = &m.packages {
            self.packages(&at(base, path!["packages"]), b, p);
        }
        if let Some(p) = &m.post_paid {
            self.post_paid(&at(base, path!["post_paid"]), p);
        }
        if let Some(s) = &m.minimum_spend {
            let here = at(base, path!["minimum_spend"]);
            let from = self.amount(&at(&here, path!["from"]), &s.from);
            let to = self.amount(&at(&here, path!["to"]), &s.to);
            if let (Some(from), Some(to)) = (from, to) {
                if from > to {
                    self.error(
                        &here,
                        format!("the minimum spend's from ({from}) is more than its to ({to})"),
                        None,
                    );
                }
            }
        }
    }

    fn packages(&mut self, base: &[Seg], b: &Business, p: &Packages) {
        if p.valid_months == 0 {
            self.error(
                &at(base, path!["valid_months"]),
                "a package valid for 0 months cannot be used".into(),
                Some("`一年` is 12".into()),
            );
        }
        if p.sizes.is_empty() {
            self.error(
                &at(base, path!["sizes"]),
                "the package table lists no package".into(),
                None,
            );
        }
        let mut seen = BTreeSet::new();
        for (i, pkg) in p.sizes.iter().enumerate() {
            let here = at(base, path!["sizes", i]);
            self.positive(&at(&here, path!["price"]), &pkg.price);
            let Some(size) = self.positive(&at(&here, path!["size"]), &pkg.size) else {
                continue;
            };
            let base_units = size * Decimal::from(crate::pricing::book::unit(b.unit).size());
            if base_units.fract() != Decimal::ZERO {
                self.error(
                    &at(&here, path!["size"]),
                    format!(
                        "a package of {size} (unit `{}`) is not a whole number of billed units",
                        kebab(b.unit)
                    ),
                    Some("minutes, calls and seconds are billed whole".into()),
                );
            }
            if !seen.insert(size.normalize()) {
                self.error(
                    &at(&here, path!["size"]),
                    format!("a package of {size} is listed twice"),
                    Some("a package table lists each size once".into()),
                );
            }
        }
    }

    fn post_paid(&mut self, base: &[Seg], p: &PostPaid) {
        let given = [
            p.price.is_some(),
            !p.tiers.is_empty(),
            !p.destinations.is_empty(),
        ];
        if given.iter().filter(|g| **g).count() != 1 {
            return self.error(base, "a post-paid price needs exactly one of `price`, `tiers` and `destinations`".into(), Some("one price for any volume: `price`; prices by volume: `tiers`; by country: `destinations`".into()));
        }
        if let Some(price) = &p.price {
            self.positive(&at(base, path!["price"]), price);
        }
        self.tiers(&at(base, path!["tiers"]), p);
        let mut codes = BTreeSet::new();
        for (i, d) in p.destinations.iter().enumerate() {
            let here = at(base, path!["destinations", i]);
            self.positive(&at(&here, path!["price"]), &d.price);
            if !codes.insert(d.code.as_str()) {
                self.error(
                    &at(&here, path!["code"]),
                    format!("the destination `{}` is listed twice", d.code),
                    None,
                );
            }
        }
    }

    fn tiers(&mut self, base: &[Seg], p: &PostPaid) {
        let mut previous: Option<Decimal> = None;
        let last = p.tiers.len().saturating_sub(1);
        for (i, t) in p.tiers.iter().enumerate() {
            let here = at(base, path![i]);
            self.positive(&at(&here, path!["price"]), &t.price);
            let Some((from, to)) = self.tier_bounds(&here, t) else {
                previous = None;
                continue;
            };
            self.tier_start(&here, p.bounds, i, from, previous);
            self.tier_end(&here, i == last, from, to);
            previous = to;
        }
    }

    fn tier_bounds(&mut self, here: &[Seg], t: &Tier) -> Option<(Decimal, Option<Decimal>)> {
        let from = self.amount(&at(here, path!["from"]), &t.from);
        let to = match &t.to {
            Some(to) => Some(self.amount(&at(here, path!["to"]), to)?),
            None => None,
        };
        Some((from?, to))
    }

    fn tier_start(
        &mut self,
        here: &[Seg],
        bounds: Bounds,
        i: usize,
        from: Decimal,
        previous: Option<Decimal>,
    ) {
        let Some(prev) = previous else {
            if i == 0 && !from.is_zero() {
                self.error(
                    &at(here, path!["from"]),
                    format!("the first tier starts at {from}, not 0"),
                    Some("volumes below it would have no price".into()),
                );
            }
            return;
        };
        let expected = if bounds == Bounds::WholeUnits {
            prev + Decimal::ONE
        } else {
            prev
        };
        if from != expected {
            let gap = if from > expected {
                "a gap"
            } else {
                "an overlap"
            };
            let rule = if bounds == Bounds::WholeUnits {
                "with `bounds: whole-units` each tier starts at the previous `to` + 1"
            } else {
                "each tier starts where the previous one ends"
            };
            self.error(
                &at(here, path!["from"]),
                format!("the tiers are not contiguous: {gap} between {prev} and {from}"),
                Some(format!("{rule}: {expected}")),
            );
        }
    }

    fn tier_end(&mut self, here: &[Seg], last: bool, from: Decimal, to: Option<Decimal>) {
        match to {
            Some(to) if to <= from => self.error(&at(here, path!["to"]), format!("the tier ends at {to}, not above where it starts ({from})"), Some("list tiers from the lowest volume up".into())),
            Some(_) if last => self.error(&at(here, path!["to"]), "the last tier has an end".into(), Some("volumes above it would have no price: drop `to` on the last tier (`分钟数＞1000万`)".into())),
            None if !last => self.error(here, "only the last tier may be open-ended".into(), Some("give this tier its `to`".into())),
            _ => {}
        }
    }
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() != 10
        || b[4] != b'-'
        || b[7] != b'-'
        || !digits(0..4)
        || !digits(5..7)
        || !digits(8..10)
    {
        return false;
    }
    let (m, d): (u32, u32) = (s[5..7].parse().unwrap_or(0), s[8..10].parse().unwrap_or(0));
    (1..=12).contains(&m) && (1..=31).contains(&d)
}

fn kebab<T: serde::Serialize>(v: T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}
