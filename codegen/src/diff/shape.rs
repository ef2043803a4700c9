//! Fields (responses, receipts, JSON carried by params, named types), enum values, formats and
//! numeric bounds, compared direction-aware: what narrows a request breaks it, what widens a
//! response must be tolerated by old clients.

use popgen_spec::model::{EnumValue, Field, FieldType, Format};

use super::walk::{Differ, pairs, spelled};
use super::{Change, Direction, Kind, Severity};
use crate::names::{camel, snake};

/// The generated struct that holds a list of fields (`SingleCallByTtsResponse`), for the Rust
/// impact. Names follow `ir.rs` (`{Action}{Path}`); a name the generator had to suffix to make it
/// unique is not known here.
#[derive(Debug, Clone)]
pub(super) struct Holder {
    pub action: String,
    pub rust: String,
    /// The struct name without the action prefix (`Data` for `QueryCallDetailByCallIdData`).
    pub local: String,
}

impl Holder {
    /// The context of the member `key`.
    pub fn member(&self, key: &str) -> Ctx {
        Ctx {
            action: self.action.clone(),
            parent: self.rust.clone(),
            field: snake(key),
            local: format!("{}{}", self.local, camel(key)),
        }
    }
}

/// A field in the generated code: the struct holding it, its Rust name, and the name of what is
/// generated for it (its struct or enum).
#[derive(Debug, Clone)]
pub(super) struct Ctx {
    pub action: String,
    pub parent: String,
    pub field: String,
    pub local: String,
}

impl Ctx {
    /// The struct or enum generated for the field's own shape or values.
    pub fn named(&self) -> String {
        format!("{}{}", self.action, self.local)
    }

    /// The holder of the field's members, when it is an object.
    pub fn holder(&self) -> Holder {
        Holder {
            action: self.action.clone(),
            rust: self.named(),
            local: self.local.clone(),
        }
    }

    /// The context of an array's items (named after the items, like `ir.rs` does).
    fn items(&self, name: Option<&str>) -> Ctx {
        Ctx {
            local: camel(name.unwrap_or("Item")),
            ..self.clone()
        }
    }

    /// "field `x` of `Parent`".
    pub fn at(&self) -> String {
        format!("field `{}` of `{}`", self.field, self.parent)
    }
}

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
        holder: Option<&Holder>,
        old: &[Field],
        new: &[Field],
    ) {
        let key = |f: &Field| f.name.clone().unwrap_or_else(|| "?".to_owned());
        for (name, o, n) in pairs(old, new, key) {
            let id = format!("{base}[{name}]");
            let ctx = holder.map(|h| h.member(&name));
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
                (Some(o), Some(n)) => self.field_pair(&id, dir, ctx.as_ref(), o, n),
                (None, None) => {}
            }
        }
    }

    /// One field present in both specs.
    pub fn field_pair(
        &mut self,
        id: &str,
        dir: Direction,
        ctx: Option<&Ctx>,
        o: &Field,
        n: &Field,
    ) {
        self.docs(format!("{id}.description"), &o.description, &n.description);
        self.docs(format!("{id}.example"), &o.example, &n.example);
        self.docs(format!("{id}.notes"), &o.notes, &n.notes);
        if o.sensitive != n.sensitive {
            self.push(
                Change::new(
                    format!("{id}.sensitive"),
                    Kind::SensitivityChanged,
                    Direction::None,
                    Severity::Info,
                    "whether it is redacted in Debug output and logs",
                )
                .values(Some(o.sensitive.to_string()), Some(n.sensitive.to_string()))
                .rust(Severity::Compatible, "Debug output changes"),
            );
        }
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
                c = c.rust(
                    Severity::Breaking,
                    format!("the type of {} is renamed after the shape", ctx.at()),
                );
            }
            self.push(c);
        }
        let resolve = |spec: &popgen_spec::Spec, f: &Field| -> Field {
            match (&f.ty, &f.type_ref) {
                (None, Some(r)) => spec.types.get(r).cloned().unwrap_or_else(|| f.clone()),
                _ => f.clone(),
            }
        };
        let (o, n) = (resolve(self.old, o), resolve(self.new, n));
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
                c = c.rust(Severity::Breaking, format!("{} changes type", ctx.at()));
            }
            self.push(c);
            return;
        }
        self.also(id, dir, &o, &n);
        let holder = ctx.map(Ctx::holder);
        self.fields(
            &format!("{id}.fields"),
            dir,
            holder.as_ref(),
            &o.fields,
            &n.fields,
        );
        let item_name = n.items.as_ref().and_then(|i| i.name.clone());
        let items_ctx = ctx.map(|c| c.items(item_name.as_deref()));
        for (part, a, b, sub_ctx) in [
            ("items", &o.items, &n.items, items_ctx.as_ref()),
            ("values", &o.values, &n.values, ctx),
            ("json", &o.json, &n.json, ctx),
        ] {
            let sub = format!("{id}.{part}");
            match (a, b) {
                (Some(a), Some(b)) => self.field_pair(&sub, dir, sub_ctx, a, b),
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
                        c = c.rust(Severity::Breaking, format!("{} changes type", ctx.at()));
                    }
                    self.push(c);
                }
            }
        }
        let name = last_name(id).to_owned();
        self.format(id, dir, &name, ctx, o.format.as_ref(), n.format.as_ref());
        let (old_spec, new_spec) = (self.old, self.new);
        self.enum_source(
            id,
            dir,
            ctx,
            Values::of(old_spec, &o.enum_values, &o.enum_ref),
            Values::of(new_spec, &n.enum_values, &n.enum_ref),
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
        ctx: Option<&Ctx>,
        o: Values<'_>,
        n: Values<'_>,
    ) {
        let rust_change = ctx.map(|c| {
            format!(
                "{} changes type between a scalar and a generated enum",
                c.at()
            )
        });
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
                        c = c.rust(
                            Severity::Breaking,
                            format!("the enum type of {} is renamed", ctx.at()),
                        );
                    }
                    self.push(c);
                }
                let rust = match (n, ctx) {
                    (Values::Named(e, _), _) => format!("`{}`", camel(e)),
                    (_, Some(ctx)) => format!("`{}`", ctx.named()),
                    _ => "the generated enum".to_owned(),
                };
                self.enum_values(
                    &format!("{id}.enum"),
                    dir,
                    &rust,
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
        rust_enum: &str,
        old: &[EnumValue],
        new: &[EnumValue],
    ) {
        for (value, a, b) in pairs(old, new, |v| v.value.clone()) {
            let id = format!("{base}[{value}]");
            let variant = |v: &EnumValue| camel(v.rust_name.as_deref().unwrap_or(&v.value));
            match (a, b) {
                (Some(a), None) => {
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
                    self.push(
                        Change::new(id, Kind::EnumValueRemoved, dir, severity, why)
                            .values(Some(value.clone()), None)
                            .rust(
                                Severity::Breaking,
                                format!("variant `{}` of {rust_enum} is removed", variant(a)),
                            ),
                    );
                }
                (None, Some(b)) => {
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
                    self.push(
                        Change::new(id, Kind::EnumValueAdded, dir, severity, why)
                            .values(None, Some(value.clone()))
                            .rust(
                                Severity::Warning,
                                format!(
                                    "variant `{}` is added to {rust_enum}: exhaustive matches \
                                     need an arm",
                                    variant(b)
                                ),
                            ),
                    );
                }
                (Some(a), Some(b)) => {
                    self.docs(format!("{id}.meaning"), &a.meaning, &b.meaning);
                    if variant(a) != variant(b) {
                        self.push(
                            Change::new(
                                format!("{id}.rust_name"),
                                Kind::ConstraintChanged,
                                Direction::None,
                                Severity::Info,
                                "only the Rust name changes; the wire value is the same",
                            )
                            .values(Some(variant(a)), Some(variant(b)))
                            .rust(
                                Severity::Breaking,
                                format!("a variant of {rust_enum} is renamed"),
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
        ctx: Option<&Ctx>,
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
