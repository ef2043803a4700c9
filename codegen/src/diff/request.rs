//! Request params and cross-field rules, compared by wire name and by content: whatever makes a
//! request that was valid before invalid now is breaking.

use std::collections::BTreeMap;

use popgen_spec::model::{
    Length, LengthUnit, OutOfRange, Param, Range, Rule, Scalar, Severity as RuleSeverity,
};

use super::rust::{Ctx, Holder};
use super::shape::{Bound, Values, by_direction};
use super::walk::{Differ, pairs, spelled};
use super::{Change, Direction, Kind, Severity};

const REQ: Direction = Direction::Request;

impl Differ<'_> {
    /// Params matched by wire name. `holder` is the generated struct (none for common params,
    /// which the client sends itself).
    pub fn params(&mut self, base: &str, holder: Holder<'_>, old: &[Param], new: &[Param]) {
        for (name, o, n) in pairs(old, new, |p| p.name.clone()) {
            let id = format!("{base}[{name}]");
            let ctx = holder.member(&name);
            match (o, n) {
                (Some(o), None) => {
                    let mut c = Change::new(
                        id,
                        Kind::ParamRemoved,
                        REQ,
                        Severity::Breaking,
                        format!("requests that send `{name}` may be rejected, or it is ignored"),
                    )
                    .values(Some(name.clone()), None);
                    if let Some(ctx) = ctx {
                        let what = if o.required {
                            format!(
                                "{} and its argument of `{}::new` are removed",
                                ctx.at(),
                                ctx.parent()
                            )
                        } else {
                            format!("{} and its setter are removed", ctx.at())
                        };
                        c = c.rust(Severity::Breaking, what);
                    }
                    self.push(c);
                }
                (None, Some(n)) => {
                    let (severity, why) = if n.required {
                        (
                            Severity::Breaking,
                            format!("a new required param: requests without `{name}` are rejected"),
                        )
                    } else {
                        (
                            Severity::Compatible,
                            "a new optional param; requests valid before stay valid".to_owned(),
                        )
                    };
                    let mut c = Change::new(id, Kind::ParamAdded, REQ, severity, why)
                        .values(None, Some(name.clone()));
                    if let Some(ctx) = ctx {
                        c = if n.required {
                            c.rust(
                                Severity::Breaking,
                                format!(
                                    "`{}::new` takes a new argument `{}`",
                                    ctx.parent(),
                                    ctx.field()
                                ),
                            )
                        } else {
                            c.rust(
                                Severity::Warning,
                                format!(
                                    "{} is added: struct literals must set it; `new` and the \
                                     setters are unaffected",
                                    ctx.at()
                                ),
                            )
                        };
                    }
                    self.push(c);
                }
                (Some(o), Some(n)) => self.param_pair(&id, ctx.as_ref(), o, n),
                (None, None) => {}
            }
        }
    }

    fn param_pair(&mut self, id: &str, ctx: Option<&Ctx<'_>>, o: &Param, n: &Param) {
        let name = o.name.as_str();
        self.required(id, ctx, o, n);
        self.default(id, name, o.default.as_ref(), n.default.as_ref());
        if o.ty != n.ty {
            let show = |p: &Param| spelled(&p.ty);
            let mut c = Change::new(
                format!("{id}.type"),
                Kind::TypeChanged,
                REQ,
                Severity::Breaking,
                format!("`{name}` values of the old type may now be rejected"),
            )
            .values(Some(show(o)), Some(show(n)));
            if let Some(ctx) = ctx {
                c = c.rust(Severity::Breaking, ctx.type_change());
            }
            self.push(c);
            return;
        }
        let json = |p: &Param| matches!(p.format, Some(popgen_spec::Format::Json { .. }));
        let same_shape = o.enum_ref == n.enum_ref
            && o.enum_values.is_some() == n.enum_values.is_some()
            && json(o) == json(n);
        if let (Some(ctx), true) = (ctx, same_shape) {
            self.renamed(id, ctx);
        }
        self.range(id, REQ, name, o.range.as_ref(), n.range.as_ref());
        self.length(id, REQ, name, o.length.as_ref(), n.length.as_ref());
        let (old_spec, new_spec) = (self.old, self.new);
        self.enum_source(
            id,
            REQ,
            ctx,
            Values::of(old_spec, &o.enum_values, &o.enum_ref),
            Values::of(new_spec, &n.enum_values, &n.enum_ref),
        );
        self.fixed(id, name, o.fixed.as_ref(), n.fixed.as_ref());
        self.pattern(id, REQ, o.pattern.as_ref(), n.pattern.as_ref());
        let start = self.out.len();
        self.format(id, REQ, name, ctx, o.format.as_ref(), n.format.as_ref());
        if let (Some(ctx), true) = (ctx, json(o) != json(n)) {
            if let Some(c) = self.out[start..]
                .iter_mut()
                .find(|c| c.rust_impact.is_none())
            {
                *c = c.clone().rust(Severity::Breaking, ctx.type_change());
            }
        }
        self.param_flags(id, name, o, n);
        if !o.fields.is_empty() || !n.fields.is_empty() {
            let holder = ctx.map(Ctx::holder).unwrap_or_default();
            self.params(&format!("{id}.fields"), holder, &o.fields, &n.fields);
        }
        let items = |m: Option<u32>| m.map(f64::from);
        self.bound(
            &format!("{id}.max_items"),
            REQ,
            name,
            Bound::Max("items"),
            items(o.max_items),
            items(n.max_items),
        );
        self.rules(&format!("{id}.rules"), &o.rules, &n.rules);
        self.docs(format!("{id}.description"), &o.description, &n.description);
        self.docs(format!("{id}.example"), &o.example, &n.example);
        self.docs(format!("{id}.notes"), &o.notes, &n.notes);
    }

    fn required(&mut self, id: &str, ctx: Option<&Ctx<'_>>, o: &Param, n: &Param) {
        if o.required == n.required {
            return;
        }
        let name = &o.name;
        let (kind, severity, why) = if n.required {
            (
                Kind::MadeRequired,
                Severity::Breaking,
                format!("requests without `{name}`, valid before, are now rejected"),
            )
        } else {
            (
                Kind::MadeOptional,
                Severity::Compatible,
                format!("`{name}` may now be left out; requests valid before stay valid"),
            )
        };
        let mut c = Change::new(format!("{id}.required"), kind, REQ, severity, why)
            .values(Some(o.required.to_string()), Some(n.required.to_string()));
        if let Some(ctx) = ctx {
            let what = if n.required {
                format!(
                    "{} changes from `Option<T>` to `T` and becomes an argument of `{}::new`",
                    ctx.at(),
                    ctx.parent()
                )
            } else {
                format!(
                    "{} changes from `T` to `Option<T>` and leaves the arguments of `{}::new`",
                    ctx.at(),
                    ctx.parent()
                )
            };
            c = c.rust(Severity::Breaking, what);
        }
        self.push(c);
    }

    fn default(&mut self, id: &str, name: &str, o: Option<&Scalar>, n: Option<&Scalar>) {
        if o == n {
            return;
        }
        let (severity, why) = match (o, n) {
            (Some(_), Some(_)) => (
                Severity::Breaking,
                format!("requests that leave `{name}` out now get another value"),
            ),
            _ => (
                Severity::Warning,
                format!(
                    "what the service does when `{name}` is left out is documented differently"
                ),
            ),
        };
        self.push(
            Change::new(
                format!("{id}.default"),
                Kind::DefaultChanged,
                REQ,
                severity,
                why,
            )
            .values(o.map(Scalar::to_wire), n.map(Scalar::to_wire)),
        );
    }

    /// A numeric range: each bound, and what happens out of range.
    pub fn range(
        &mut self,
        id: &str,
        dir: Direction,
        name: &str,
        o: Option<&Range>,
        n: Option<&Range>,
    ) {
        let min = |r: Option<&Range>| r.and_then(|r| r.min).map(|m| m.as_f64());
        let max = |r: Option<&Range>| r.and_then(|r| r.max).map(|m| m.as_f64());
        let rid = format!("{id}.range");
        self.bound(
            &format!("{rid}.min"),
            dir,
            name,
            Bound::Min(""),
            min(o),
            min(n),
        );
        self.bound(
            &format!("{rid}.max"),
            dir,
            name,
            Bound::Max(""),
            max(o),
            max(n),
        );
        let oor = |r: Option<&Range>| r.map_or(OutOfRange::Error, |r| r.out_of_range);
        if oor(o) != oor(n) {
            let narrows = oor(n) == OutOfRange::Error;
            let (severity, _) = by_direction(dir, narrows);
            let why = if narrows {
                "out-of-range values, replaced by the default before, are now rejected"
            } else {
                "out-of-range values are now replaced by the default instead of rejected"
            };
            let show = |v: OutOfRange| Some(spelled(&v));
            let kind = if narrows {
                Kind::Narrowed
            } else {
                Kind::Widened
            };
            self.push(
                Change::new(format!("{rid}.out_of_range"), kind, dir, severity, why)
                    .values(show(oor(o)), show(oor(n))),
            );
        }
    }

    /// A length limit: each bound, and the unit (characters never outnumber bytes).
    pub fn length(
        &mut self,
        id: &str,
        dir: Direction,
        name: &str,
        o: Option<&Length>,
        n: Option<&Length>,
    ) {
        let unit = |l: Option<&Length>| match l.map(|l| l.unit) {
            Some(LengthUnit::Bytes) => "bytes",
            _ => "characters",
        };
        let lid = format!("{id}.length");
        if let (Some(a), Some(b)) = (o, n) {
            if a.unit != b.unit {
                let narrows = b.unit == LengthUnit::Bytes;
                let (severity, why) = by_direction(dir, narrows);
                let kind = if narrows {
                    Kind::Narrowed
                } else {
                    Kind::Widened
                };
                self.push(
                    Change::new(format!("{lid}.unit"), kind, dir, severity, why)
                        .values(Some(unit(o).to_owned()), Some(unit(n).to_owned())),
                );
            }
        }
        let min = |l: Option<&Length>| l.and_then(|l| l.min).map(f64::from);
        let max = |l: Option<&Length>| l.and_then(|l| l.max).map(f64::from);
        let u = unit(n.or(o));
        self.bound(
            &format!("{lid}.min"),
            dir,
            name,
            Bound::Min(u),
            min(o),
            min(n),
        );
        self.bound(
            &format!("{lid}.max"),
            dir,
            name,
            Bound::Max(u),
            max(o),
            max(n),
        );
    }

    fn fixed(&mut self, id: &str, name: &str, o: Option<&Scalar>, n: Option<&Scalar>) {
        if o == n {
            return;
        }
        let (kind, severity, why) = match (o, n) {
            (None, Some(_)) => (
                Kind::Narrowed,
                Severity::Breaking,
                format!("`{name}` now accepts one value only"),
            ),
            (Some(_), None) => (
                Kind::Widened,
                Severity::Compatible,
                format!("`{name}` is no longer limited to one value"),
            ),
            _ => (
                Kind::ConstraintChanged,
                Severity::Breaking,
                format!("`{name}` accepts another fixed value: the old one is rejected"),
            ),
        };
        self.push(
            Change::new(format!("{id}.fixed"), kind, REQ, severity, why)
                .values(o.map(Scalar::to_wire), n.map(Scalar::to_wire)),
        );
    }

    /// A pattern: adding or changing one may reject values that matched before.
    pub fn pattern(&mut self, id: &str, dir: Direction, o: Option<&String>, n: Option<&String>) {
        if o == n {
            return;
        }
        let (kind, narrows) = match (o, n) {
            (None, Some(_)) => (Kind::Narrowed, true),
            (Some(_), None) => (Kind::Widened, false),
            _ => (Kind::ConstraintChanged, true),
        };
        let (severity, why) = by_direction(dir, narrows);
        self.push(
            Change::new(format!("{id}.pattern"), kind, dir, severity, why)
                .values(o.cloned(), n.cloned()),
        );
    }

    fn param_flags(&mut self, id: &str, name: &str, o: &Param, n: &Param) {
        self.sensitivity(
            id,
            o.sensitive,
            n.sensitive,
            "Debug output, logs and validation errors",
        );
        if o.unavailable.is_some() != n.unavailable.is_some() {
            let (severity, why) = if n.unavailable.is_some() {
                (
                    Severity::Warning,
                    format!(
                        "`{name}` is documented as not usable: the service ignores or rejects it"
                    ),
                )
            } else {
                (Severity::Compatible, format!("`{name}` is usable again"))
            };
            let show = |p: &Param| {
                Some(
                    if p.unavailable.is_some() {
                        "unavailable"
                    } else {
                        "available"
                    }
                    .to_owned(),
                )
            };
            self.push(
                Change::new(
                    format!("{id}.unavailable"),
                    Kind::AvailabilityChanged,
                    REQ,
                    severity,
                    why,
                )
                .values(show(o), show(n)),
            );
        } else {
            self.docs(format!("{id}.unavailable"), &o.unavailable, &n.unavailable);
        }
    }

    /// Cross-field rules, matched by content (kind, params, condition or pattern).
    pub fn rules(&mut self, base: &str, old: &[Rule], new: &[Rule]) {
        let (old, new) = (keyed(old), keyed(new));
        for (key, o, n) in super::walk::map_pairs(&old, &new) {
            let id = format!("{base}[{key}]");
            match (o, n) {
                (Some(_), None) => self.push(
                    Change::new(
                        id,
                        Kind::RuleRemoved,
                        REQ,
                        Severity::Compatible,
                        "a rule less: requests valid before stay valid",
                    )
                    .values(Some(key.to_owned()), None)
                    .rust(Severity::Compatible, "the generated validation checks less"),
                ),
                (None, Some(n)) => {
                    let (severity, why) = match rule_severity(n) {
                        Some(RuleSeverity::Error) => (
                            Severity::Breaking,
                            "a new cross-field rule: requests that break it, accepted before, \
                             are now rejected",
                        ),
                        Some(RuleSeverity::Warning) => (
                            Severity::Warning,
                            "a new cross-field rule (warning): requests that break it are sent \
                             with a warning",
                        ),
                        None => (
                            Severity::Warning,
                            "a new restriction the client cannot check: the service may reject \
                             requests it accepted before",
                        ),
                    };
                    self.push(
                        Change::new(id, Kind::RuleAdded, REQ, severity, why)
                            .values(None, Some(key.to_owned()))
                            .rust(Severity::Compatible, "the generated validation checks more"),
                    );
                }
                (Some(a), Some(b)) => {
                    let (sa, sb) = (rule_severity(a), rule_severity(b));
                    if sa != sb {
                        let stricter = sb == Some(RuleSeverity::Error);
                        let (severity, why) = if stricter {
                            (Severity::Breaking, "breaking the rule is now an error")
                        } else {
                            (
                                Severity::Compatible,
                                "breaking the rule is now only a warning",
                            )
                        };
                        let show = |s: Option<RuleSeverity>| s.map(|s| spelled(&s));
                        self.push(
                            Change::new(
                                format!("{id}.severity"),
                                Kind::RuleChanged,
                                REQ,
                                severity,
                                why,
                            )
                            .values(show(sa), show(sb)),
                        );
                    }
                    self.docs(format!("{id}.description"), &rule_text(a), &rule_text(b));
                }
                (None, None) => {}
            }
        }
    }
}

fn rule_severity(r: &Rule) -> Option<RuleSeverity> {
    match r {
        Rule::RequiredIf { severity, .. }
        | Rule::MutuallyExclusive { severity, .. }
        | Rule::AtLeastOneOf { severity, .. }
        | Rule::SameKind { severity, .. } => Some(*severity),
        Rule::Documented { .. } => None,
    }
}

fn rule_text(r: &Rule) -> &popgen_spec::Text {
    match r {
        Rule::RequiredIf { description, .. }
        | Rule::MutuallyExclusive { description, .. }
        | Rule::AtLeastOneOf { description, .. }
        | Rule::SameKind { description, .. }
        | Rule::Documented { description, .. } => description,
    }
}

/// A rule's identity: what it checks, not how it is worded (`mutually-exclusive(A, B)`).
fn rule_key(r: &Rule) -> String {
    let list = |ps: &[String]| ps.join(", ");
    match r {
        Rule::RequiredIf { param, when, .. } => {
            let cond = match (&when.matches, &when.equals) {
                (_, Some(v)) => format!("{} = {v}", when.param),
                (Some(p), None) => format!("{} ~ {p}", when.param),
                (None, None) => format!("{} sent", when.param),
            };
            format!("required-if({param} when {cond})")
        }
        Rule::MutuallyExclusive { params, .. } => format!("mutually-exclusive({})", list(params)),
        Rule::AtLeastOneOf { params, .. } => format!("at-least-one-of({})", list(params)),
        Rule::SameKind {
            params, pattern, ..
        } => {
            format!("same-kind({} ~ {pattern})", list(params))
        }
        Rule::Documented { params, .. } => format!("documented({})", list(params)),
    }
}

/// Rules by key; a key repeated in one list gets `#2`, `#3`... in order.
fn keyed(rules: &[Rule]) -> BTreeMap<String, Rule> {
    let mut out = BTreeMap::new();
    for r in rules {
        let key = rule_key(r);
        let key = (1..)
            .map(|n| {
                if n == 1 {
                    key.clone()
                } else {
                    format!("{key}#{n}")
                }
            })
            .find(|k| !out.contains_key(k))
            .expect("an unbounded range always yields a free key");
        out.insert(key, r.clone());
    }
    out
}
