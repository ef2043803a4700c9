//! Fields (responses, receipts, JSON carried by params, named types), enum values, formats and
//! numeric bounds, compared direction-aware: what narrows a request breaks it, what widens a
//! response must be tolerated by old clients.

use popgen_spec::model::{EnumValue, Field, FieldType, Format};

use super::rust::{Ctx, Enums, Holder};
use super::walk::{Differ, pairs, spelled};
use super::{Change, Direction, Kind, Severity};

/// The severity of a change to the set of valid values, by direction. `narrows`: fewer values
/// are valid after the change.
pub(super) fn by_direction(dir: Direction, narrows: bool) -> (Severity, &'static str) {
    match (dir, narrows) {
        (Direction::Request | Direction::Both, true) => (
            Severity::Breaking,
            "requests valid before may now be rejected",
        ),
        (Direction::Request, false) => (
            Severity::Compatible,
            "more values are accepted; requests valid before stay valid",
        ),
        (Direction::Response, true) => (
            Severity::Compatible,
            "the service sends fewer kinds of values; old clients are unaffected",
        ),
        (Direction::Response | Direction::Both, false) => (
            Severity::Warning,
            "the service may send values clients built from the old spec do not expect; they \
             must tolerate them",
        ),
        (Direction::None, _) => (Severity::Info, "not used on the wire"),
    }
}

/// Where enum values come from.
#[derive(Clone, Copy)]
pub(super) enum Values<'s> {
    None,
    Inline(&'s [EnumValue]),
    Named(&'s str, &'s [EnumValue]),
}

impl<'s> Values<'s> {
    pub fn of(
        spec: &'s popgen_spec::Spec,
        inline: &'s Option<Vec<EnumValue>>,
        named: &'s Option<String>,
    ) -> Values<'s> {
        match (inline, named) {
            (Some(v), _) => Values::Inline(v),
            (None, Some(n)) => Values::Named(n, spec.enums.get(n).map_or(&[], |e| &e.values)),
            (None, None) => Values::None,
        }
    }

    fn list(self) -> Option<&'s [EnumValue]> {
        match self {
            Values::None => None,
            Values::Inline(v) | Values::Named(_, v) => Some(v),
        }
    }

    fn label(self) -> String {
        match self {
            Values::None => "any value".to_owned(),
            Values::Inline(v) => format!(
                "one of {}",
                v.iter()
                    .map(|v| v.value.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Values::Named(n, _) => format!("enum_ref {n}"),
        }
    }
}

/// The wire name in the last `[...]` of an id (`TtsParam` in `...params[TtsParam].format`).
pub(super) fn last_name(id: &str) -> &str {
    let Some(open) = id.rfind('[') else {
        return id;
    };
    let rest = &id[open + 1..];
    rest.find(']').map_or(rest, |close| &rest[..close])
}

fn field_type(t: FieldType) -> String {
    spelled(&t)
}

impl Differ<'_> {
    /// The fields of an object (or a response), matched by key.
    pub fn fields(
        &mut self,
        base: &str,
        dir: Direction,
        holder: Holder<'_>,
        old: &[Field],
        new: &[Field],
    ) {
        let key = |f: &Field| f.name.clone().unwrap_or_else(|| "?".to_owned());
        for (name, o, n) in pairs(old, new, key) {
            let id = format!("{base}[{name}]");
            let ctx = holder.member(&name);
            match (o, n) {
                (Some(_), None) => {
                    let why = match dir {
                        Direction::Response => "clients that read it get nothing",
                        _ => "values that carry it may now be rejected, or it is ignored",
                    };
                    let mut c = Change::new(id, Kind::FieldRemoved, dir, Severity::Breaking, why)
                        .values(Some(name.clone()), None);
                    if let Some(ctx) = ctx {
                        c = c.rust(Severity::Breaking, format!("{} is removed", ctx.at()));
                    }
                    self.push(c);
                }
                (None, Some(n)) => {
                    let (severity, why) = match dir {
                        Direction::Request | Direction::Both if n.required => (
                            Severity::Breaking,
                            "a new required member: values without it are rejected",
                        ),
                        Direction::Request | Direction::Both => {
                            (Severity::Compatible, "a new optional member")
                        }
                        _ => (
                            Severity::Compatible,
                            "a new field; clients built from the old spec ignore it",
                        ),
                    };
                    let mut c = Change::new(id, Kind::FieldAdded, dir, severity, why)
                        .values(None, Some(name.clone()));
                    if let Some(ctx) = ctx {
                        c = match dir {
                            Direction::Response => c.rust(
                                Severity::Compatible,
                                format!("{} is added (the struct is non-exhaustive)", ctx.at()),
                            ),
                            _ => c.rust(
                                Severity::Warning,
                                format!("{} is added: struct literals must set it", ctx.at()),
                            ),
                        };
                    }
                    self.push(c);
                }
                (Some(o), Some(n)) => {
                    let same_shape = o.type_ref == n.type_ref
                        && o.enum_ref == n.enum_ref
                        && self.old.resolve(o).ty == self.new.resolve(n).ty;
                    if let (Some(ctx), true) = (&ctx, same_shape) {
                        self.renamed(&id, ctx);
                    }
                    self.field_pair(&id, dir, ctx.as_ref(), o, n);
                }
                (None, None) => {}
            }
        }
    }

    /// One field present in both specs.
    pub fn field_pair(
        &mut self,
        id: &str,
        dir: Direction,
        ctx: Option<&Ctx<'_>>,
        o: &Field,
        n: &Field,
    ) {
        self.docs(format!("{id}.description"), &o.description, &n.description);
        self.docs(format!("{id}.example"), &o.example, &n.example);
        self.docs(format!("{id}.notes"), &o.notes, &n.notes);
        self.field_flags(id, dir, ctx, o, n);
        let (old_spec, new_spec) = (self.old, self.new);
        let (ro, rn) = (old_spec.resolve(o), new_spec.resolve(n));
        if o.type_ref.is_some() && o.type_ref == n.type_ref {
            // The shape itself is compared once, under `types`.
            return;
        }
        if o.type_ref != n.type_ref {
            let mut c = Change::new(
                format!("{id}.type_ref"),
                Kind::ConstraintChanged,
                dir,
                Severity::Info,
                "the shape is named differently; its members are compared here",
            )
            .values(o.type_ref.clone(), n.type_ref.clone());
            if let Some(ctx) = ctx {
                c = c.rust(Severity::Breaking, ctx.type_change());
            }
            self.push(c);
        }
        let (o, n) = (ro, rn);
        if o.ty != n.ty {
            let show = |t: Option<FieldType>| t.map_or_else(|| "?".to_owned(), field_type);
            let mut c = Change::new(
                format!("{id}.type"),
                Kind::TypeChanged,
                dir,
                Severity::Breaking,
                "values of the old type no longer fit",
            )
            .values(Some(show(o.ty)), Some(show(n.ty)));
            if let Some(ctx) = ctx {
                c = c.rust(Severity::Breaking, ctx.type_change());
            }
            self.push(c);
            return;
        }
        self.also(id, dir, o, n);
        let holder = ctx.map(Ctx::holder).unwrap_or_default();
        self.fields(&format!("{id}.fields"), dir, holder, &o.fields, &n.fields);
        self.field_parts(id, dir, ctx, o, n);
        let name = last_name(id).to_owned();
        self.format(id, dir, &name, ctx, o.format.as_ref(), n.format.as_ref());
        self.enum_source(
            id,
            dir,
            ctx,
            Values::of(old_spec, &o.enum_values, &o.enum_ref),
            Values::of(new_spec, &n.enum_values, &n.enum_ref),
        );
    }

    /// A param or field that becomes redacted (in `where_`), or stops being.
    pub fn sensitivity(&mut self, id: &str, old: bool, new: bool, where_: &str) {
        if old != new {
            self.push(
                Change::new(
                    format!("{id}.sensitive"),
                    Kind::SensitivityChanged,
                    Direction::None,
                    Severity::Info,
                    format!("whether it is redacted in {where_}"),
                )
                .values(Some(old.to_string()), Some(new.to_string()))
                .rust(Severity::Compatible, "Debug output changes"),
            );
        }
    }

    /// Whether the field is redacted, and (in a request) whether it is required.
    fn field_flags(
        &mut self,
        id: &str,
        dir: Direction,
        ctx: Option<&Ctx<'_>>,
        o: &Field,
        n: &Field,
    ) {
        self.sensitivity(id, o.sensitive, n.sensitive, "Debug output and logs");
        if matches!(dir, Direction::Request | Direction::Both) && o.required != n.required {
            let (kind, severity, why) = if n.required {
                (
                    Kind::MadeRequired,
                    Severity::Breaking,
                    "values without it are now rejected",
                )
            } else {
                (
                    Kind::MadeOptional,
                    Severity::Compatible,
                    "it may now be left out",
                )
            };
            let mut c = Change::new(format!("{id}.required"), kind, dir, severity, why)
                .values(Some(o.required.to_string()), Some(n.required.to_string()));
            if let Some(ctx) = ctx {
                c = c.rust(
                    Severity::Breaking,
                    format!("{} gains or loses `Option`", ctx.at()),
                );
            }
            self.push(c);
        }
    }

    /// Items, map values and JSON carried in a string, declared on both sides or on one.
    fn field_parts(
        &mut self,
        id: &str,
        dir: Direction,
        ctx: Option<&Ctx<'_>>,
        o: &Field,
        n: &Field,
    ) {
        // Items, map values and JSON carried in a string are the field's own type, one level
        // down: the context (whose holder and enum are under every wrapper) stays the same.
        for (part, a, b) in [
            ("items", &o.items, &n.items),
            ("values", &o.values, &n.values),
            ("json", &o.json, &n.json),
        ] {
            let sub = format!("{id}.{part}");
            match (a, b) {
                (Some(a), Some(b)) => self.field_pair(&sub, dir, ctx, a, b),
                (None, None) => {}
                _ => {
                    let json = part == "json";
                    let mut c = Change::new(
                        sub,
                        Kind::ConstraintChanged,
                        dir,
                        if json {
                            Severity::Info
                        } else {
                            Severity::Breaking
                        },
                        if json {
                            "whether the string is documented to carry JSON"
                        } else {
                            "the element shape is declared or dropped"
                        },
                    )
                    .values(
                        a.as_ref().map(|_| part.to_owned()),
                        b.as_ref().map(|_| part.to_owned()),
                    );
                    if let Some(ctx) = ctx {
                        c = c.rust(Severity::Breaking, ctx.type_change());
                    }
                    self.push(c);
                }
            }
        }
    }

    /// The struct or enum generated for a field whose shape did not change, renamed by the
    /// generator (another item now has the name it had, or it gets back its plain name).
    pub fn renamed(&mut self, id: &str, ctx: &Ctx<'_>) {
        let Some((old, new)) = ctx.renamed() else {
            return;
        };
        self.push(
            Change::new(
                format!("{id}.rust_name"),
                Kind::ConstraintChanged,
                Direction::None,
                Severity::Info,
                "only the generated Rust name changes; the wire is the same",
            )
            .values(Some(old.to_owned()), Some(new.to_owned()))
            .rust(
                Severity::Breaking,
                format!(
                    "`{old}`, the type of {}, is renamed `{new}`; code naming `{old}` now names \
                     another item or nothing",
                    ctx.at()
                ),
            ),
        );
    }

    /// Other JSON types the service is seen sending for a field.
    fn also(&mut self, id: &str, dir: Direction, o: &Field, n: &Field) {
        let show = |t: &popgen_spec::ScalarType| spelled(t);
        for (t, a, b) in pairs(&o.also, &n.also, show) {
            let narrows = b.is_none();
            if a.is_some() == b.is_some() {
                continue;
            }
            let (severity, why) = by_direction(dir, narrows);
            let kind = if narrows {
                Kind::Narrowed
            } else {
                Kind::Widened
            };
            self.push(
                Change::new(format!("{id}.also[{t}]"), kind, dir, severity, why)
                    .values(a.map(show), b.map(show)),
            );
        }
    }

    /// Where the values come from (inline, a named enum, none), then the values.
    pub fn enum_source(
        &mut self,
        id: &str,
        dir: Direction,
        ctx: Option<&Ctx<'_>>,
        o: Values<'_>,
        n: Values<'_>,
    ) {
        let rust_change = ctx.map(Ctx::type_change);
        match (o, n) {
            (Values::None, Values::None) => {}
            (Values::Named(a, _), Values::Named(b, _)) if a == b => {}
            (Values::None, _) | (_, Values::None) => {
                let narrows = matches!(o, Values::None);
                let key = match (o, n) {
                    (Values::Named(..), _) | (_, Values::Named(..)) => "enum_ref",
                    _ => "enum",
                };
                let (severity, why) = by_direction(dir, narrows);
                let kind = if narrows {
                    Kind::Narrowed
                } else {
                    Kind::Widened
                };
                let mut c = Change::new(format!("{id}.{key}"), kind, dir, severity, why)
                    .values(Some(o.label()), Some(n.label()));
                if let Some(r) = rust_change {
                    c = c.rust(Severity::Breaking, r);
                }
                self.push(c);
            }
            _ => {
                if matches!((o, n), (Values::Named(..), _) | (_, Values::Named(..))) {
                    let name = |v: Values<'_>| match v {
                        Values::Named(n, _) => n.to_owned(),
                        _ => "inline".to_owned(),
                    };
                    let mut c = Change::new(
                        format!("{id}.enum_ref"),
                        Kind::ConstraintChanged,
                        dir,
                        Severity::Info,
                        "the values come from another enum; they are compared one by one",
                    )
                    .values(Some(name(o)), Some(name(n)));
                    if let Some(ctx) = ctx {
                        c = c.rust(Severity::Breaking, ctx.type_change());
                    }
                    self.push(c);
                }
                let enums = match (ctx, n) {
                    (Some(ctx), _) => ctx.enums(),
                    (None, Values::Named(e, _)) => Enums::named(self.ir, e),
                    (None, _) => Enums::default(),
                };
                self.enum_values(
                    &format!("{id}.enum"),
                    dir,
                    enums,
                    o.list().unwrap_or_default(),
                    n.list().unwrap_or_default(),
                );
            }
        }
    }

    /// Enum values matched by value.
    pub fn enum_values(
        &mut self,
        base: &str,
        dir: Direction,
        enums: Enums<'_>,
        old: &[EnumValue],
        new: &[EnumValue],
    ) {
        for (value, a, b) in pairs(old, new, |v| v.value.clone()) {
            let id = format!("{base}[{value}]");
            let variant = enums.variant(&value);
            let of = |v: Option<&'_ str>| Some((v?.to_owned(), enums.label()?));
            match (a, b) {
                (Some(_), None) => {
                    let (severity, why) = match dir {
                        Direction::Request | Direction::Both => (
                            Severity::Breaking,
                            format!("requests that send `{value}` may now be rejected"),
                        ),
                        Direction::Response => (
                            Severity::Compatible,
                            format!(
                                "the service no longer sends `{value}`; old clients are unaffected"
                            ),
                        ),
                        Direction::None => (Severity::Info, "not used on the wire".to_owned()),
                    };
                    let mut c = Change::new(id, Kind::EnumValueRemoved, dir, severity, why)
                        .values(Some(value.clone()), None);
                    if let Some((v, e)) = of(variant.old) {
                        c = c.rust(
                            Severity::Breaking,
                            format!("variant `{v}` of {e} is removed"),
                        );
                    }
                    self.push(c);
                }
                (None, Some(_)) => {
                    let (severity, why) = match dir {
                        Direction::Request => (
                            Severity::Compatible,
                            "a new accepted value; requests valid before stay valid",
                        ),
                        Direction::Response | Direction::Both => (
                            Severity::Warning,
                            "the service may send a value clients built from the old spec do not \
                             know: they must tolerate it (generated clients keep it as `Unknown`)",
                        ),
                        Direction::None => (Severity::Info, "not used on the wire"),
                    };
                    let mut c = Change::new(id, Kind::EnumValueAdded, dir, severity, why)
                        .values(None, Some(value.clone()));
                    if let Some((v, e)) = of(variant.new) {
                        c = c.rust(
                            Severity::Warning,
                            format!(
                                "variant `{v}` is added to {e}: exhaustive matches need an arm"
                            ),
                        );
                    }
                    self.push(c);
                }
                (Some(a), Some(b)) => {
                    self.docs(format!("{id}.meaning"), &a.meaning, &b.meaning);
                    let renamed = match (variant.old, variant.new, enums.label()) {
                        (Some(va), Some(vb), Some(e)) if va != vb => Some((va, vb, e)),
                        _ => None,
                    };
                    if let Some((va, vb, e)) = renamed {
                        self.push(
                            Change::new(
                                format!("{id}.rust_name"),
                                Kind::ConstraintChanged,
                                Direction::None,
                                Severity::Info,
                                "only the Rust name changes; the wire value is the same",
                            )
                            .values(Some(va.to_owned()), Some(vb.to_owned()))
                            .rust(
                                Severity::Breaking,
                                format!("variant `{va}` of {e} is renamed `{vb}`"),
                            ),
                        );
                    }
                }
                (None, None) => {}
            }
        }
    }

    /// A structured format on a param or field.
    pub fn format(
        &mut self,
        id: &str,
        dir: Direction,
        name: &str,
        ctx: Option<&Ctx<'_>>,
        o: Option<&Format>,
        n: Option<&Format>,
    ) {
        let fid = format!("{id}.format");
        let kind_of = |f: &Format| match f {
            Format::DateTime { .. } => "date-time",
            Format::UnixMillis => "unix-millis",
            Format::Json { .. } => "json",
            Format::List { .. } => "list",
        };
        let changed = |d: &mut Self, sub: String, old: String, new: String| {
            let (severity, why) = match dir {
                Direction::Response => (
                    Severity::Warning,
                    "the service writes it differently; readers of the old format may fail",
                ),
                Direction::None => (Severity::Info, "not used on the wire"),
                _ => (
                    Severity::Breaking,
                    "values in the old format may now be rejected",
                ),
            };
            d.push(
                Change::new(sub, Kind::ConstraintChanged, dir, severity, why)
                    .values(Some(old), Some(new)),
            );
        };
        match (o, n) {
            (None, None) => {}
            (None, Some(_)) | (Some(_), None) => {
                let narrows = o.is_none();
                let (severity, why) = by_direction(dir, narrows);
                let kind = if narrows {
                    Kind::Narrowed
                } else {
                    Kind::Widened
                };
                self.push(Change::new(fid, kind, dir, severity, why).values(
                    o.map(|f| kind_of(f).to_owned()),
                    n.map(|f| kind_of(f).to_owned()),
                ));
            }
            (Some(a), Some(b)) if kind_of(a) != kind_of(b) => {
                changed(
                    self,
                    format!("{fid}.kind"),
                    kind_of(a).into(),
                    kind_of(b).into(),
                );
            }
            (Some(Format::DateTime { pattern: a }), Some(Format::DateTime { pattern: b }))
                if a != b =>
            {
                changed(self, format!("{fid}.pattern"), a.clone(), b.clone());
            }
            (Some(Format::Json { schema: a }), Some(Format::Json { schema: b })) => {
                self.field_pair(&format!("{fid}.schema"), dir, ctx, a, b);
            }
            (
                Some(Format::List {
                    separator: sa,
                    max_items: ma,
                    item: ia,
                }),
                Some(Format::List {
                    separator: sb,
                    max_items: mb,
                    item: ib,
                }),
            ) => {
                if sa != sb {
                    changed(self, format!("{fid}.separator"), sa.clone(), sb.clone());
                }
                let items = |m: &Option<u32>| m.map(f64::from);
                self.bound(
                    &format!("{fid}.max_items"),
                    dir,
                    name,
                    Bound::Max("items"),
                    items(ma),
                    items(mb),
                );
                let item_id = format!("{fid}.item");
                if ia.ty != ib.ty {
                    changed(
                        self,
                        format!("{item_id}.type"),
                        spelled(&ia.ty),
                        spelled(&ib.ty),
                    );
                }
                self.length(&item_id, dir, name, ia.length.as_ref(), ib.length.as_ref());
                self.range(&item_id, dir, name, ia.range.as_ref(), ib.range.as_ref());
                self.pattern(&item_id, dir, ia.pattern.as_ref(), ib.pattern.as_ref());
                self.enum_source(
                    &item_id,
                    dir,
                    None,
                    ia.enum_values
                        .as_deref()
                        .map_or(Values::None, Values::Inline),
                    ib.enum_values
                        .as_deref()
                        .map_or(Values::None, Values::Inline),
                );
            }
            _ => {}
        }
    }
}

/// Which end of a range a bound is, and the unit it counts in.
#[derive(Clone, Copy)]
pub(super) enum Bound {
    Min(&'static str),
    Max(&'static str),
}

impl Differ<'_> {
    /// One bound of a range, a length or a count: moving it inward narrows.
    pub fn bound(
        &mut self,
        id: &str,
        dir: Direction,
        name: &str,
        bound: Bound,
        old: Option<f64>,
        new: Option<f64>,
    ) {
        if old == new {
            return;
        }
        let (narrows, unit, word) = match bound {
            Bound::Min(unit) => (
                new.unwrap_or(f64::NEG_INFINITY) > old.unwrap_or(f64::NEG_INFINITY),
                unit,
                "at least",
            ),
            Bound::Max(unit) => (
                new.unwrap_or(f64::INFINITY) < old.unwrap_or(f64::INFINITY),
                unit,
                "at most",
            ),
        };
        let show = |v: Option<f64>| {
            Some(match v {
                Some(v) if unit.is_empty() => format!("{word} {v}"),
                Some(v) => format!("{word} {v} {unit}"),
                None => "no limit".to_owned(),
            })
        };
        let (severity, generic) = by_direction(dir, narrows);
        let why = match (dir, narrows, new) {
            (Direction::Request | Direction::Both, true, Some(v)) => {
                let cmp = match (bound, unit) {
                    (Bound::Max(_), "") => "greater than",
                    (Bound::Min(_), "") => "less than",
                    (Bound::Max(_), "items") => "with more than",
                    (Bound::Min(_), "items") => "with fewer than",
                    (Bound::Max(_), _) => "longer than",
                    (Bound::Min(_), _) => "shorter than",
                };
                let limit = if unit.is_empty() {
                    v.to_string()
                } else {
                    format!("{v} {unit}")
                };
                format!("`{name}` values {cmp} {limit}, accepted before, are now rejected")
            }
            _ => generic.to_owned(),
        };
        let kind = if narrows {
            Kind::Narrowed
        } else {
            Kind::Widened
        };
        self.push(Change::new(id, kind, dir, severity, why).values(show(old), show(new)));
    }
}
