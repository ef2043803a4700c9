//! Prices: the `pricing` section compared as `dyvms cost` and `dyvmsapi::pricing` read it, on
//! the price book each spec builds (`popgen_spec::pricing::book::build`), so amounts compare as
//! numbers (`0.110` is `0.11`). For users of the estimator: a price raised is a warning, one
//! lowered compatible; a business, mode, package, tier or destination withdrawn breaks their
//! estimates (`dyvms cost --business X` fails, or a plan they chose is gone), one added is
//! compatible; how usage is billed changing is a warning; the price list's date is info.

use popgen_runtime::pricing::{
    AddOn, BilledAction, Business, Decimal, Fee, Mode, PostPaid, PriceBook, Tier, Unit,
};
use popgen_spec::pricing::{Mode as SpecMode, Pricing, book};

use super::walk::{Differ, pairs, spelled};
use super::{Change, Direction, Kind, Severity};

const NONE: Direction = Direction::None;

/// An amount as an id segment: no trailing zeros (`50000`, `0.5`).
fn key(d: &Decimal) -> String {
    d.normalize().to_string()
}

/// An amount of money with its currency and unit (`0.110 CNY per minute`).
fn money(d: &Decimal, currency: &str, per: Option<Unit>) -> String {
    match per {
        Some(u) => format!("{d} {currency} per {}", u.name()),
        None => format!("{d} {currency}"),
    }
}

/// What is priced, for the messages: the currency and the business's unit.
#[derive(Clone, Copy)]
struct Priced<'b> {
    currency: &'b str,
    unit: Option<Unit>,
}

impl Differ<'_> {
    /// The price books of both specs.
    pub fn pricing(&mut self) {
        let (old, new) = (book::build(self.old), book::build(self.new));
        match (&old, &new) {
            (None, None) => {}
            (Some(_), None) => self.offer(
                "pricing",
                Some("a price list".to_owned()),
                None,
                "the price list is withdrawn: `dyvms cost` and the generated `pricing` module have \
                 nothing to estimate with",
            ),
            (None, Some(_)) => self.offer(
                "pricing",
                None,
                Some("a price list".to_owned()),
                "the spec now has prices",
            ),
            (Some(o), Some(n)) => self.book(o, n),
        }
        if let (Some(o), Some(n)) = (&self.old.pricing, &self.new.pricing) {
            self.pricing_docs(o, n);
        }
    }

    /// What the book leaves out, for people: sources, notes, descriptions (documentation only).
    fn pricing_docs(&mut self, o: &Pricing, n: &Pricing) {
        self.docs("pricing.notes".into(), &o.notes, &n.notes);
        for (name, a, b) in pairs(&o.fees, &n.fees, |f| f.name.clone()) {
            if let (Some(a), Some(b)) = (a, b) {
                let id = format!("pricing.fees[{name}]");
                self.docs(format!("{id}.source"), &a.source, &b.source);
                self.docs(format!("{id}.notes"), &a.notes, &b.notes);
            }
        }
        for (name, a, b) in pairs(&o.businesses, &n.businesses, |b| b.name.clone()) {
            let (Some(a), Some(b)) = (a, b) else { continue };
            let id = format!("pricing.businesses[{name}]");
            self.docs(format!("{id}.description"), &a.description, &b.description);
            self.docs(format!("{id}.notes"), &a.notes, &b.notes);
            let rounding = |x: &popgen_spec::pricing::Business| {
                x.cost_rounding.as_ref().map(|r| r.source.clone())
            };
            self.docs(
                format!("{id}.cost_rounding.source"),
                &rounding(a),
                &rounding(b),
            );
            for (add_on, x, y) in pairs(&a.add_ons, &b.add_ons, |x| x.name.clone()) {
                if let (Some(x), Some(y)) = (x, y) {
                    let aid = format!("{id}.add_ons[{add_on}]");
                    self.docs(format!("{aid}.source"), &x.source, &y.source);
                    self.docs(format!("{aid}.notes"), &x.notes, &y.notes);
                }
            }
            for (mode, x, y) in pairs(&a.modes, &b.modes, |m| m.name.clone()) {
                if let (Some(x), Some(y)) = (x, y) {
                    self.mode_docs(&format!("{id}.modes[{mode}]"), x, y);
                }
            }
        }
    }

    fn mode_docs(&mut self, id: &str, a: &SpecMode, b: &SpecMode) {
        self.docs(format!("{id}.notes"), &a.notes, &b.notes);
        let free = |m: &SpecMode| m.free.as_ref().map(|f| f.source.clone());
        self.docs(format!("{id}.free.source"), &free(a), &free(b));
        let spend = |m: &SpecMode| m.minimum_spend.as_ref().map(|s| s.source.clone());
        self.docs(format!("{id}.minimum_spend.source"), &spend(a), &spend(b));
        let (x, y) = (a.packages.as_ref(), b.packages.as_ref());
        self.docs(
            format!("{id}.packages.source"),
            &x.map(|p| &p.source),
            &y.map(|p| &p.source),
        );
        self.docs(
            format!("{id}.packages.notes"),
            &x.map(|p| &p.notes),
            &y.map(|p| &p.notes),
        );
        let (x, y) = (a.post_paid.as_ref(), b.post_paid.as_ref());
        self.docs(
            format!("{id}.post_paid.source"),
            &x.map(|p| &p.source),
            &y.map(|p| &p.source),
        );
        self.docs(
            format!("{id}.post_paid.notes"),
            &x.map(|p| &p.notes),
            &y.map(|p| &p.notes),
        );
    }

    fn book(&mut self, o: &PriceBook, n: &PriceBook) {
        let list = [
            ("pricing.price_list.date", &o.date, &n.date),
            ("pricing.price_list.title", &o.title, &n.title),
            ("pricing.price_list.document", &o.document, &n.document),
        ];
        for (id, a, b) in list {
            self.setting(
                id,
                Kind::PriceListChanged,
                a,
                b,
                Severity::Info,
                "the price list is another one or of another date: prices may have changed",
            );
        }
        self.setting(
            "pricing.price_list.dated",
            Kind::PriceListChanged,
            &o.dated,
            &n.dated,
            Severity::Info,
            "the date means something else (updated or retrieved)",
        );
        self.setting(
            "pricing.currency",
            Kind::PriceListChanged,
            &o.currency,
            &n.currency,
            Severity::Breaking,
            "every amount is in another currency: estimates and budgets built on the old one are \
             wrong",
        );
        let priced = Priced {
            currency: &n.currency,
            unit: None,
        };
        for (id, a, b) in pairs(&o.fees, &n.fees, |f| f.id.to_string()) {
            self.fee(&format!("pricing.fees[{id}]"), priced, a, b);
        }
        for (id, a, b) in pairs(&o.businesses, &n.businesses, |b| b.id.to_string()) {
            let id = format!("pricing.businesses[{id}]");
            match (a, b) {
                (Some(a), Some(b)) => self.business(&id, &n.currency, a, b),
                _ => self.offer(
                    &id,
                    a.map(|b| b.title.to_string()),
                    b.map(|b| b.title.to_string()),
                    "the business is withdrawn: estimates for it (`dyvms cost --business`) fail",
                ),
            }
        }
    }

    fn fee(&mut self, id: &str, p: Priced<'_>, a: Option<&Fee>, b: Option<&Fee>) {
        let show = |f: &Fee| format!("{}: {}", f.title, money(&f.price, p.currency, None));
        let (Some(a), Some(b)) = (a, b) else {
            // Nobody picks a fee: what it costs is where a mode starts or stops charging it.
            let kind = if a.is_some() {
                Kind::PriceWithdrawn
            } else {
                Kind::PriceAdded
            };
            let why =
                "a fee of the price list; the modes that charge it are reported where they are";
            return self.push(
                Change::new(id, kind, NONE, Severity::Info, why).values(a.map(show), b.map(show)),
            );
        };
        self.price(&format!("{id}.price"), p, &a.price, &b.price);
        self.setting(
            &format!("{id}.started_month_in_full"),
            Kind::BillingChanged,
            &a.started_month_in_full,
            &b.started_month_in_full,
            Severity::Warning,
            "a started month is charged differently",
        );
        self.docs(format!("{id}.title"), &a.title, &b.title);
    }

    fn business(&mut self, id: &str, currency: &str, a: &Business, b: &Business) {
        self.docs(format!("{id}.title"), &a.title, &b.title);
        let billing = "usage becomes billed units differently: estimates of the same usage change";
        self.setting(
            &format!("{id}.unit"),
            Kind::BillingChanged,
            &a.unit,
            &b.unit,
            Severity::Warning,
            billing,
        );
        self.setting(
            &format!("{id}.metering"),
            Kind::BillingChanged,
            &a.metering,
            &b.metering,
            Severity::Warning,
            billing,
        );
        self.setting(
            &format!("{id}.legs"),
            Kind::BillingChanged,
            &a.legs,
            &b.legs,
            Severity::Warning,
            billing,
        );
        let rounding = |b: &Business| {
            b.cost_decimals
                .map_or_else(|| "not rounded".to_owned(), |d| format!("{d} decimals"))
        };
        self.setting(
            &format!("{id}.cost_decimals"),
            Kind::BillingChanged,
            &rounding(a),
            &rounding(b),
            Severity::Warning,
            "bills are rounded differently",
        );
        self.setting(
            &format!("{id}.receipt"),
            Kind::BillingChanged,
            &a.receipt,
            &b.receipt,
            Severity::Warning,
            "`dyvms cost receipts` reads usage from other receipt fields",
        );
        self.bills(id, &a.bills, &b.bills);
        let priced = Priced {
            currency,
            unit: Some(b.unit),
        };
        for (name, x, y) in pairs(&a.modes, &b.modes, |m| m.id.to_string()) {
            let mid = format!("{id}.modes[{name}]");
            match (x, y) {
                (Some(x), Some(y)) => self.mode(&mid, priced, x, y),
                _ => self.offer(
                    &mid,
                    x.map(|m| m.title.to_string()),
                    y.map(|m| m.title.to_string()),
                    "the mode is withdrawn: estimates in it (`dyvms cost --mode`) fail",
                ),
            }
        }
        for (name, x, y) in pairs(&a.add_ons, &b.add_ons, |m| m.id.to_string()) {
            self.add_on(&format!("{id}.add_ons[{name}]"), priced, x, y);
        }
    }

    /// The actions a business bills: which records `dyvms cost receipts` prices under it.
    fn bills(&mut self, id: &str, a: &[BilledAction], b: &[BilledAction]) {
        for (action, x, y) in pairs(a, b, |x| x.action.to_string()) {
            let show = |x: &BilledAction| {
                if x.when.is_empty() {
                    "billed".to_owned()
                } else {
                    format!("billed {}", x.when)
                }
            };
            let (severity, why) = match (x, y) {
                (Some(x), Some(y)) if x.when == y.when => continue,
                (Some(_), Some(_)) => (Severity::Info, "when it bills here is worded differently"),
                (Some(_), None) => (
                    Severity::Warning,
                    "its calls no longer bill under this business: estimates and receipts of them \
                     are priced elsewhere or not at all",
                ),
                _ => (
                    Severity::Compatible,
                    "its calls now bill under this business",
                ),
            };
            self.push(
                Change::new(
                    format!("{id}.bills[{action}]"),
                    Kind::BillingChanged,
                    NONE,
                    severity,
                    why,
                )
                .values(x.map(show), y.map(show)),
            );
        }
    }

    fn mode(&mut self, id: &str, p: Priced<'_>, a: &Mode, b: &Mode) {
        self.docs(format!("{id}.title"), &a.title, &b.title);
        self.docs(format!("{id}.template"), &a.template, &b.template);
        for (fee, x, y) in pairs(&a.fees, &b.fees, |f| f.to_string()) {
            let (kind, severity, why) = match (x, y) {
                (None, Some(_)) => (
                    Kind::PriceRaised,
                    Severity::Warning,
                    "the fee is now charged",
                ),
                (Some(_), None) => (
                    Kind::PriceLowered,
                    Severity::Compatible,
                    "the fee is no longer charged",
                ),
                _ => continue,
            };
            let show = |v: Option<&std::borrow::Cow<'static, str>>| {
                Some(
                    if v.is_some() {
                        "charged"
                    } else {
                        "not charged"
                    }
                    .to_owned(),
                )
            };
            self.push(
                Change::new(format!("{id}.fees[{fee}]"), kind, NONE, severity, why)
                    .values(show(x), show(y)),
            );
        }
        self.free(id, p, a, b);
        self.packages(id, p, a, b);
        match (&a.post_paid, &b.post_paid) {
            (Some(x), Some(y)) => self.post_paid(&format!("{id}.post_paid"), p, x, y),
            (None, None) => {}
            (x, y) => self.offer(
                &format!("{id}.post_paid"),
                x.as_ref().map(|_| "post-paid".to_owned()),
                y.as_ref().map(|_| "post-paid".to_owned()),
                "post-paid is withdrawn: what packages leave can no longer be estimated",
            ),
        }
        let spend = |s: Option<(Decimal, Decimal)>| {
            s.map(|(f, t)| format!("{f} to {t} {} per period", p.currency))
        };
        match (a.minimum_spend, b.minimum_spend) {
            (Some((af, at)), Some((bf, bt))) => {
                let cur = Priced { unit: None, ..p };
                self.price(&format!("{id}.minimum_spend.from"), cur, &af, &bf);
                self.price(&format!("{id}.minimum_spend.to"), cur, &at, &bt);
            }
            (None, None) => {}
            (x, y) => {
                let (kind, severity, why) = if y.is_some() {
                    (
                        Kind::PriceAdded,
                        Severity::Warning,
                        "a minimum spend now applies",
                    )
                } else {
                    (
                        Kind::PriceWithdrawn,
                        Severity::Compatible,
                        "no minimum spend any more",
                    )
                };
                self.push(
                    Change::new(format!("{id}.minimum_spend"), kind, NONE, severity, why)
                        .values(spend(x), spend(y)),
                );
            }
        }
    }

    fn free(&mut self, id: &str, p: Priced<'_>, a: &Mode, b: &Mode) {
        let fid = format!("{id}.free");
        let show = |q: &popgen_runtime::pricing::FreeQuota| {
            let unit = p.unit.map_or("", Unit::name);
            format!("{} × {unit} {}", q.amount, spelled(&q.period))
        };
        match (&a.free, &b.free) {
            (None, None) => {}
            (Some(x), Some(y)) => {
                self.setting(
                    &format!("{fid}.period"),
                    Kind::BillingChanged,
                    &x.period,
                    &y.period,
                    Severity::Warning,
                    "the free quota is granted per another period",
                );
                if x.amount != y.amount {
                    let less = y.amount < x.amount;
                    let (kind, severity, why) = if less {
                        (
                            Kind::Narrowed,
                            Severity::Warning,
                            "less is free: it costs more",
                        )
                    } else {
                        (Kind::Widened, Severity::Compatible, "more is free")
                    };
                    self.push(
                        Change::new(format!("{fid}.amount"), kind, NONE, severity, why)
                            .values(Some(show(x)), Some(show(y))),
                    );
                }
            }
            (x, y) => {
                let (kind, severity, why) = if y.is_some() {
                    (Kind::PriceAdded, Severity::Compatible, "a free quota")
                } else {
                    (
                        Kind::PriceWithdrawn,
                        Severity::Warning,
                        "no free quota any more: it costs more",
                    )
                };
                self.push(
                    Change::new(fid, kind, NONE, severity, why)
                        .values(x.as_ref().map(show), y.as_ref().map(show)),
                );
            }
        }
    }

    fn packages(&mut self, id: &str, p: Priced<'_>, a: &Mode, b: &Mode) {
        let unit = p.unit.map_or("", Unit::name);
        let show = |pk: &popgen_runtime::pricing::Package| {
            format!(
                "{} {unit} package for {}",
                pk.size,
                money(&pk.price, p.currency, None)
            )
        };
        for (size, x, y) in pairs(&a.packages, &b.packages, |pk| key(&pk.size)) {
            let pid = format!("{id}.packages[{size}]");
            match (x, y) {
                (Some(x), Some(y)) => {
                    let cur = Priced { unit: None, ..p };
                    self.price(&format!("{pid}.price"), cur, &x.price, &y.price);
                }
                _ => self.offer(
                    &pid,
                    x.map(show),
                    y.map(show),
                    "the package is withdrawn: it can no longer be bought, and plans that used it are gone",
                ),
            }
        }
        if !a.packages.is_empty() && !b.packages.is_empty() && a.package_months != b.package_months
        {
            let shorter = b.package_months < a.package_months;
            let (kind, severity, why) = if shorter {
                (
                    Kind::Narrowed,
                    Severity::Warning,
                    "packages expire sooner: what is left unused is lost earlier",
                )
            } else {
                (Kind::Widened, Severity::Compatible, "packages last longer")
            };
            let months = |m: u32| Some(format!("{m} months"));
            self.push(
                Change::new(format!("{id}.package_months"), kind, NONE, severity, why)
                    .values(months(a.package_months), months(b.package_months)),
            );
        }
    }

    fn post_paid(&mut self, id: &str, p: Priced<'_>, a: &PostPaid, b: &PostPaid) {
        let how = "post-paid volume is priced differently: estimates of the same usage change";
        self.setting(
            &format!("{id}.period"),
            Kind::BillingChanged,
            &a.period,
            &b.period,
            Severity::Warning,
            how,
        );
        self.setting(
            &format!("{id}.tiering"),
            Kind::BillingChanged,
            &a.tiering,
            &b.tiering,
            Severity::Warning,
            how,
        );
        self.setting(
            &format!("{id}.tier_volume"),
            Kind::BillingChanged,
            &a.tier_volume,
            &b.tier_volume,
            Severity::Warning,
            how,
        );
        self.setting(
            &format!("{id}.bounds"),
            Kind::BillingChanged,
            &a.bounds,
            &b.bounds,
            Severity::Warning,
            how,
        );
        let show = |t: &Tier| match &t.to {
            Some(to) => format!(
                "{} to {to}: {}",
                t.from,
                money(&t.price, p.currency, p.unit)
            ),
            None => format!("from {}: {}", t.from, money(&t.price, p.currency, p.unit)),
        };
        for (from, x, y) in pairs(&a.tiers, &b.tiers, |t| key(&t.from)) {
            let tid = format!("{id}.tiers[{from}]");
            match (x, y) {
                (Some(x), Some(y)) => {
                    self.price(&format!("{tid}.price"), p, &x.price, &y.price);
                    let end = |t: &Tier| t.to.map_or_else(|| "no end".to_owned(), |d| key(&d));
                    self.setting(
                        &format!("{tid}.to"),
                        Kind::BillingChanged,
                        &end(x),
                        &end(y),
                        Severity::Warning,
                        "the tier ends elsewhere: volumes near the boundary are priced differently",
                    );
                }
                _ => self.offer(
                    &tid,
                    x.map(show),
                    y.map(show),
                    "the tier is withdrawn: volumes in it are priced at another tier",
                ),
            }
        }
        for (code, x, y) in pairs(&a.destinations, &b.destinations, |d| d.code.to_string()) {
            let did = format!("{id}.destinations[{code}]");
            match (x, y) {
                (Some(x), Some(y)) => self.price(&format!("{did}.price"), p, &x.price, &y.price),
                _ => {
                    let show = |d: &popgen_runtime::pricing::Destination| {
                        format!("{}: {}", d.name, money(&d.price, p.currency, p.unit))
                    };
                    self.offer(
                        &did,
                        x.map(show),
                        y.map(show),
                        "the destination is withdrawn: calls to it can no longer be estimated",
                    );
                }
            }
        }
    }

    fn add_on(&mut self, id: &str, p: Priced<'_>, a: Option<&AddOn>, b: Option<&AddOn>) {
        let show = |x: &AddOn| format!("{}: {}", x.title, money(&x.price, p.currency, p.unit));
        let (Some(a), Some(b)) = (a, b) else {
            return self.offer(
                id,
                a.map(show),
                b.map(show),
                "the add-on is withdrawn: estimates that add it fail",
            );
        };
        self.price(&format!("{id}.price"), p, &a.price, &b.price);
        let (severity, why) = if b.optional {
            (Severity::Compatible, "it may now be left out")
        } else {
            (Severity::Warning, "every call now bills it")
        };
        self.setting(
            &format!("{id}.optional"),
            Kind::BillingChanged,
            &a.optional,
            &b.optional,
            severity,
            why,
        );
        self.docs(format!("{id}.title"), &a.title, &b.title);
    }

    /// A priced item offered in one spec only: withdrawn breaks, added is compatible.
    fn offer(&mut self, id: &str, old: Option<String>, new: Option<String>, gone: &str) {
        let (kind, severity, why) = match (&old, &new) {
            (Some(_), None) => (Kind::PriceWithdrawn, Severity::Breaking, gone.to_owned()),
            _ => (
                Kind::PriceAdded,
                Severity::Compatible,
                "newly offered; existing estimates are unaffected".to_owned(),
            ),
        };
        self.push(Change::new(id, kind, NONE, severity, why).values(old, new));
    }

    /// A price in both specs: raised is a warning, lowered compatible.
    fn price(&mut self, id: &str, p: Priced<'_>, old: &Decimal, new: &Decimal) {
        if old == new {
            return;
        }
        let (kind, severity, why) = if new > old {
            (
                Kind::PriceRaised,
                Severity::Warning,
                "it costs more: estimates and budgets made with the old price are too low",
            )
        } else {
            (Kind::PriceLowered, Severity::Compatible, "it costs less")
        };
        self.push(Change::new(id, kind, NONE, severity, why).values(
            Some(money(old, p.currency, p.unit)),
            Some(money(new, p.currency, p.unit)),
        ));
    }

    /// A setting of the price list or of how it bills, in both specs.
    fn setting<T: PartialEq + serde::Serialize>(
        &mut self,
        id: &str,
        kind: Kind,
        old: &T,
        new: &T,
        severity: Severity,
        why: &str,
    ) {
        if old != new {
            self.push(
                Change::new(id, kind, NONE, severity, why)
                    .values(Some(spelled(old)), Some(spelled(new))),
            );
        }
    }
}
