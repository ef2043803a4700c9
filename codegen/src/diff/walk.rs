//! The walk over two specs: product, actions, named enums and types, receipts, code tables and
//! prices (`pricing.rs`).
//! Params are compared in `request.rs`, fields and enum values in `shape.rs`.

use std::collections::{BTreeMap, BTreeSet};

use popgen_spec::Spec;
use popgen_spec::describe;
use popgen_spec::model::{
    Action, ActionReceipt, CalleeLimit, Code, Field, Format, Lifecycle, LifecycleState, Param, Qps,
};

use super::rust::{self, Both, Enums, Holder};
use super::{Change, Direction, Kind, Severity};
use crate::ir::Api;

/// Where a named enum or type is used, over both specs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Use {
    pub request: bool,
    pub response: bool,
}

impl Use {
    pub fn direction(self) -> Direction {
        match (self.request, self.response) {
            (true, true) => Direction::Both,
            (true, false) => Direction::Request,
            (false, true) => Direction::Response,
            (false, false) => Direction::None,
        }
    }
}

/// The state of one diff run.
pub(super) struct Differ<'a> {
    pub old: &'a Spec,
    pub new: &'a Spec,
    /// The IR of each spec: where every Rust name of the report comes from.
    pub ir: Both<&'a Api<'a>>,
    pub enum_use: BTreeMap<String, Use>,
    pub type_use: BTreeMap<String, Use>,
    pub out: Vec<Change>,
}

/// The elements of two lists matched by key: `(key, old, new)`, in key order.
pub(super) fn pairs<'t, T>(
    old: &'t [T],
    new: &'t [T],
    key: impl Fn(&T) -> String,
) -> Vec<(String, Option<&'t T>, Option<&'t T>)> {
    let mut map: BTreeMap<String, (Option<&T>, Option<&T>)> = BTreeMap::new();
    for o in old {
        map.entry(key(o)).or_default().0.get_or_insert(o);
    }
    for n in new {
        map.entry(key(n)).or_default().1.get_or_insert(n);
    }
    map.into_iter().map(|(k, (o, n))| (k, o, n)).collect()
}

/// The entries of two maps matched by key.
/// A model value as the spec spells it (`places-call`, `json`, `GET`).
pub(super) fn spelled<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => "?".to_owned(),
    }
}

/// The entries of two maps matched by key.
pub(super) fn map_pairs<'t, T>(
    old: &'t BTreeMap<String, T>,
    new: &'t BTreeMap<String, T>,
) -> Vec<(&'t str, Option<&'t T>, Option<&'t T>)> {
    let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    keys.into_iter()
        .map(|k| (k.as_str(), old.get(k), new.get(k)))
        .collect()
}

impl<'a> Differ<'a> {
    pub fn new(old: &'a Api<'a>, new: &'a Api<'a>) -> Differ<'a> {
        let mut d = Differ {
            old: old.spec,
            new: new.spec,
            ir: Both {
                old: Some(old),
                new: Some(new),
            },
            enum_use: BTreeMap::new(),
            type_use: BTreeMap::new(),
            out: Vec::new(),
        };
        d.collect_uses(old.spec);
        d.collect_uses(new.spec);
        d
    }

    pub fn run(mut self) -> Vec<Change> {
        self.product();
        for (name, o, n) in map_pairs(&self.old.actions, &self.new.actions) {
            self.action(name, o, n);
        }
        self.named_enums();
        self.named_types();
        self.receipts();
        self.code_tables();
        self.pricing();
        self.out
    }

    pub fn push(&mut self, change: Change) {
        self.out.push(change);
    }

    /// A documentation-only difference (descriptions, examples, notes, sources).
    pub fn docs<T: PartialEq>(&mut self, id: String, old: &T, new: &T) {
        if old != new {
            self.push(Change::new(
                id,
                Kind::DocsChanged,
                Direction::None,
                Severity::Info,
                "documentation only",
            ));
        }
    }

    // ----- where named enums and types are used -----

    fn collect_uses(&mut self, spec: &Spec) {
        let mut types: Vec<(String, bool)> = Vec::new();
        for p in &spec.product.common_params {
            self.param_uses(p, &mut types);
        }
        let mut resp_fields: Vec<&Field> = spec.product.response.fields.iter().collect();
        resp_fields.extend(&spec.product.error_body);
        for a in spec.actions.values() {
            for p in &a.params {
                self.param_uses(p, &mut types);
            }
            resp_fields.extend(&a.response);
        }
        for r in spec.receipts.values() {
            resp_fields.extend(&r.fields);
        }
        for f in resp_fields {
            self.field_uses(f, false, &mut types);
        }
        // Named types carry their use to the enums and types inside them.
        let mut seen = BTreeSet::new();
        while let Some((t, request)) = types.pop() {
            if !seen.insert((t.clone(), request)) {
                continue;
            }
            if let Some(f) = spec.types.get(&t) {
                self.field_uses(f, request, &mut types);
            }
        }
    }

    fn param_uses(&mut self, p: &Param, types: &mut Vec<(String, bool)>) {
        if let Some(e) = &p.enum_ref {
            self.enum_use.entry(e.clone()).or_default().request = true;
        }
        if let Some(Format::Json { schema }) = &p.format {
            self.field_uses(schema, true, types);
        }
        for f in &p.fields {
            self.param_uses(f, types);
        }
    }

    fn field_uses(&mut self, f: &Field, request: bool, types: &mut Vec<(String, bool)>) {
        let mark = |u: &mut Use| {
            if request {
                u.request = true;
            } else {
                u.response = true;
            }
        };
        if let Some(e) = &f.enum_ref {
            mark(self.enum_use.entry(e.clone()).or_default());
        }
        if let Some(t) = &f.type_ref {
            mark(self.type_use.entry(t.clone()).or_default());
            types.push((t.clone(), request));
        }
        let nested = f.fields.iter().chain(
            [&f.items, &f.values, &f.json]
                .into_iter()
                .flatten()
                .map(|b| &**b),
        );
        for n in nested {
            self.field_uses(n, request, types);
        }
    }

    // ----- product -----

    fn product(&mut self) {
        self.product_meta();
        self.product_offers();
        self.product_parts();
    }

    /// Name, version, endpoint, the response's root, default format and success code.
    fn product_meta(&mut self) {
        let (o, n) = (&self.old.product, &self.new.product);
        let meta = |id: &str, old: String, new: String, sev: Severity, why: &str| {
            (old != new).then(|| {
                Change::new(id, Kind::ProductChanged, Direction::None, sev, why)
                    .values(Some(old), Some(new))
            })
        };
        let changes = [
            meta(
                "product.name",
                o.name.clone(),
                n.name.clone(),
                Severity::Info,
                "the product code names the API",
            ),
            meta(
                "product.version",
                o.version.clone(),
                n.version.clone(),
                Severity::Info,
                "a new API version",
            ),
            meta(
                "product.endpoint",
                o.endpoint.clone(),
                n.endpoint.clone(),
                Severity::Breaking,
                "clients built from the old spec call the old host",
            ),
            meta(
                "product.response.xml_root",
                o.response.xml_root.clone(),
                n.response.xml_root.clone(),
                Severity::Breaking,
                "XML responses have a different root element",
            ),
            meta(
                "product.response.default_format",
                spelled(&o.response.default_format),
                spelled(&n.response.default_format),
                Severity::Warning,
                "clients that do not send `Format` get the other body format",
            ),
        ];
        for c in changes.into_iter().flatten() {
            self.push(c);
        }
        if o.response.success_code != n.response.success_code {
            self.push(
                Change::new(
                    "product.response.success_code",
                    Kind::SuccessCodeChanged,
                    Direction::Response,
                    Severity::Breaking,
                    "clients built from the old spec take every success for an error (and the \
                     reverse) in actions that do not set their own success code",
                )
                .values(
                    Some(o.response.success_code.clone()),
                    Some(n.response.success_code.clone()),
                ),
            );
        }
    }

    /// Protocols, methods, signature schemes and response formats offered, and the default
    /// scheme.
    fn product_offers(&mut self) {
        let (o, n) = (&self.old.product, &self.new.product);
        self.offered(
            "product.protocols",
            o.protocols.iter().map(spelled),
            n.protocols.iter().map(spelled),
        );
        self.offered(
            "product.methods",
            o.methods.iter().map(spelled),
            n.methods.iter().map(spelled),
        );
        self.offered(
            "product.signatures",
            o.signatures.iter().map(|s| spelled(&s.scheme)),
            n.signatures.iter().map(|s| spelled(&s.scheme)),
        );
        self.offered(
            "product.response.formats",
            o.response.formats.iter().map(spelled),
            n.response.formats.iter().map(spelled),
        );
        let default_sig = |p: &popgen_spec::Product| {
            p.signatures
                .iter()
                .find(|s| s.default)
                .map(|s| spelled(&s.scheme))
        };
        if default_sig(o) != default_sig(n) {
            self.push(
                Change::new(
                    "product.signatures.default",
                    Kind::ProductChanged,
                    Direction::None,
                    Severity::Info,
                    "clients sign with another scheme unless told otherwise",
                )
                .values(default_sig(o), default_sig(n)),
            );
        }
    }

    /// Common params, response fields, the error body and the docs.
    fn product_parts(&mut self) {
        let (o, n) = (&self.old.product, &self.new.product);
        self.params(
            "product.common_params",
            Holder::default(),
            &o.common_params,
            &n.common_params,
        );
        self.fields(
            "product.response.fields",
            Direction::Response,
            Holder::default(),
            &o.response.fields,
            &n.response.fields,
        );
        self.fields(
            "product.error_body",
            Direction::Response,
            Holder::default(),
            &o.error_body,
            &n.error_body,
        );
        self.docs("product.title".into(), &o.title, &n.title);
        self.docs("product.source".into(), &o.source, &n.source);
        self.docs("product.notes".into(), &o.notes, &n.notes);
        self.docs(
            "product.signatures.description".into(),
            &o.signatures
                .iter()
                .map(|s| &s.description)
                .collect::<Vec<_>>(),
            &n.signatures
                .iter()
                .map(|s| &s.description)
                .collect::<Vec<_>>(),
        );
    }

    /// A list of offered options (protocols, methods, schemes): removing one breaks.
    fn offered(
        &mut self,
        id: &str,
        old: impl Iterator<Item = String>,
        new: impl Iterator<Item = String>,
    ) {
        let old: BTreeSet<String> = old.collect();
        let new: BTreeSet<String> = new.collect();
        for gone in old.difference(&new) {
            self.push(
                Change::new(
                    format!("{id}[{gone}]"),
                    Kind::Narrowed,
                    Direction::Request,
                    Severity::Breaking,
                    "no longer offered: clients that use it fail",
                )
                .values(Some(gone.clone()), None),
            );
        }
        for added in new.difference(&old) {
            self.push(
                Change::new(
                    format!("{id}[{added}]"),
                    Kind::Widened,
                    Direction::Request,
                    Severity::Compatible,
                    "a new option; existing clients are unaffected",
                )
                .values(None, Some(added.clone())),
            );
        }
    }

    // ----- actions -----

    fn action(&mut self, name: &str, old: Option<&Action>, new: Option<&Action>) {
        let id = format!("actions.{name}");
        let items = self.ir.map(|api| {
            let a = api.actions.iter().find(|a| a.name == name)?;
            Some(format!(
                "`{}`, `{}` and the client method `{}`",
                a.request, a.response, a.method
            ))
        });
        match (old, new) {
            (Some(_), None) => self.push(
                Change::new(
                    id,
                    Kind::ActionRemoved,
                    Direction::Request,
                    Severity::Breaking,
                    format!("callers of `{name}` get an error"),
                )
                .values(Some(name.to_owned()), None)
                .rust(
                    Severity::Breaking,
                    format!("{} are removed", items.old.unwrap_or_default()),
                ),
            ),
            (None, Some(_)) => self.push(
                Change::new(
                    id,
                    Kind::ActionAdded,
                    Direction::Request,
                    Severity::Compatible,
                    "a new action; existing clients are unaffected",
                )
                .values(None, Some(name.to_owned()))
                .rust(
                    Severity::Compatible,
                    format!("{} are added", items.new.unwrap_or_default()),
                ),
            ),
            (Some(o), Some(n)) => self.action_pair(name, &id, o, n),
            (None, None) => {}
        }
    }

    /// The action's area, and the cargo feature that compiles it (a crate that names only the
    /// old feature loses the action; with the default features nothing changes).
    fn area(&mut self, name: &str, id: &str, o: &Action, n: &Action) {
        let feature = self.ir.map(|api| {
            let a = api.actions.iter().find(|a| a.name == name)?;
            Some(a.feature.clone())
        });
        let (old, new) = (feature.old.flatten(), feature.new.flatten());
        if o.area == n.area && old == new {
            return;
        }
        let what = if o.area == n.area {
            "the action's area is renamed"
        } else {
            "the reference files the action under another area"
        };
        let mut change = Change::new(
            format!("{id}.area"),
            Kind::DocsChanged,
            Direction::None,
            Severity::Info,
            what,
        )
        .values(Some(spelled(&o.area)), Some(spelled(&n.area)));
        if old != new {
            let spell = |f: &Option<String>| match f {
                Some(f) => format!("`{f}`"),
                None => "none (always compiled)".to_owned(),
            };
            change = change.rust(
                Severity::Warning,
                format!(
                    "its feature becomes {} (was {}): a crate that turns the default features off and names the old one no longer compiles it",
                    spell(&new),
                    spell(&old)
                ),
            );
        }
        self.push(change);
    }

    fn action_pair(&mut self, name: &str, id: &str, o: &Action, n: &Action) {
        self.area(name, id, o, n);
        self.qps(id, o.qps.as_ref(), n.qps.as_ref());
        self.callee_limit(id, o.callee_limit.as_ref(), n.callee_limit.as_ref());
        self.effect(id, o, n);
        self.lifecycle(id, o.lifecycle.as_ref(), n.lifecycle.as_ref());
        self.success_code(id, o, n);
        let (request, response) = Holder::action(self.ir, name);
        self.params(&format!("{id}.params"), request, &o.params, &n.params);
        self.rules(&format!("{id}.rules"), &o.rules, &n.rules);
        self.fields(
            &format!("{id}.response"),
            Direction::Response,
            response,
            &o.response,
            &n.response,
        );
        self.codes(&format!("{id}.errors"), &o.errors, &n.errors);
        self.offered_receipts(id, &o.receipts, &n.receipts);
        self.docs(format!("{id}.summary"), &o.summary, &n.summary);
        self.docs(format!("{id}.description"), &o.description, &n.description);
        self.docs(format!("{id}.source"), &o.source, &n.source);
        self.docs(format!("{id}.examples"), &o.examples, &n.examples);
        self.docs(format!("{id}.notes"), &o.notes, &n.notes);
    }

    fn qps(&mut self, id: &str, o: Option<&Qps>, n: Option<&Qps>) {
        let default = Qps::default();
        let (o, n) = (o.unwrap_or(&default), n.unwrap_or(&default));
        for (key, old, new) in [("per_user", o.per_user, n.per_user), ("api", o.api, n.api)] {
            if old == new {
                continue;
            }
            let (severity, why) = match (old, new) {
                (Some(a), Some(b)) if b < a => (
                    Severity::Warning,
                    "a lower limit: callers near the old one get throttled",
                ),
                (None, Some(_)) => (
                    Severity::Warning,
                    "a limit is now documented: callers above it get throttled",
                ),
                _ => (Severity::Info, "a higher or no documented limit"),
            };
            self.push(
                Change::new(
                    format!("{id}.qps.{key}"),
                    Kind::QpsChanged,
                    Direction::None,
                    severity,
                    why,
                )
                .values(old.map(|v| format!("{v}/s")), new.map(|v| format!("{v}/s"))),
            );
        }
        self.docs(format!("{id}.qps.note"), &o.note, &n.note);
    }

    /// Per-callee limits: like QPS, a lower or new limit throttles callers that were fine before
    /// (`isv.BUSINESS_LIMIT_CONTROL`); a higher or removed one does not.
    fn callee_limit(&mut self, id: &str, o: Option<&CalleeLimit>, n: Option<&CalleeLimit>) {
        let at = format!("{id}.callee_limit");
        let text = |l: &CalleeLimit| describe::callee_limit(l);
        let change = match (o, n) {
            (None, Some(n)) => Change::new(
                at,
                Kind::CalleeLimitAdded,
                Direction::None,
                Severity::Warning,
                "a per-callee limit is now documented: calling one number more often is refused",
            )
            .values(None, Some(text(n))),
            (Some(o), None) => Change::new(
                at,
                Kind::CalleeLimitRemoved,
                Direction::None,
                Severity::Compatible,
                "no per-callee limit is documented any more",
            )
            .values(Some(text(o)), None),
            (Some(o), Some(n)) if o != n => {
                let (severity, why) = if o.param != n.param {
                    (
                        Severity::Warning,
                        "calls are counted per another param: callers within the old limit may be refused",
                    )
                } else if n.per_minute < o.per_minute
                    || n.per_hour < o.per_hour
                    || n.per_day < o.per_day
                {
                    (
                        Severity::Warning,
                        "a lower per-callee limit: callers near the old one are refused",
                    )
                } else {
                    (Severity::Compatible, "a higher per-callee limit")
                };
                Change::new(at, Kind::CalleeLimitChanged, Direction::None, severity, why)
                    .values(Some(text(o)), Some(text(n)))
            }
            _ => return,
        };
        self.push(change);
    }

    fn effect(&mut self, id: &str, o: &Action, n: &Action) {
        if o.effect == n.effect {
            return;
        }
        let (severity, why) = match (o.effect.has_side_effects(), n.effect.has_side_effects()) {
            (false, true) => (
                Severity::Warning,
                "the action now has side effects: clients built from the old spec may retry it \
                 blindly",
            ),
            (true, false) => (
                Severity::Info,
                "the action no longer has side effects: it may be retried",
            ),
            _ => (
                Severity::Info,
                "a different side effect; the retry policy is the same",
            ),
        };
        let show = |e: popgen_spec::Effect| spelled(&e);
        self.push(
            Change::new(
                format!("{id}.effect"),
                Kind::EffectChanged,
                Direction::None,
                severity,
                why,
            )
            .values(Some(show(o.effect)), Some(show(n.effect)))
            .rust(
                Severity::Compatible,
                "the generated retry policy of the client method changes",
            ),
        );
    }

    fn lifecycle(&mut self, id: &str, o: Option<&Lifecycle>, n: Option<&Lifecycle>) {
        let rank = |l: Option<&Lifecycle>| match l.map(|l| l.state) {
            None => 0,
            Some(LifecycleState::Deprecated) => 1,
            Some(LifecycleState::Withdrawn) => 2,
        };
        let show = |l: Option<&Lifecycle>| {
            Some(match l.map(|l| l.state) {
                None => "active".to_owned(),
                Some(LifecycleState::Deprecated) => "deprecated".to_owned(),
                Some(LifecycleState::Withdrawn) => "withdrawn".to_owned(),
            })
        };
        let (a, b) = (rank(o), rank(n));
        if a == b {
            self.docs(format!("{id}.lifecycle"), &o, &n);
            return;
        }
        let (severity, why) = match (a, b) {
            (_, 2) => (
                Severity::Breaking,
                "the action is withdrawn: the service no longer offers it",
            ),
            (_, 1) => (
                Severity::Warning,
                "the action is deprecated: it still works, move away from it",
            ),
            _ => (Severity::Compatible, "the action is offered again"),
        };
        self.push(
            Change::new(
                format!("{id}.lifecycle"),
                Kind::LifecycleChanged,
                Direction::None,
                severity,
                why,
            )
            .values(show(o), show(n)),
        );
    }

    fn success_code(&mut self, id: &str, o: &Action, n: &Action) {
        let eff = |s: &Spec, a: &Action| {
            a.success_code
                .clone()
                .unwrap_or_else(|| s.product.response.success_code.clone())
        };
        let (old, new) = (eff(self.old, o), eff(self.new, n));
        // A change of the envelope's code alone is reported once, at the product.
        let own = o.success_code.is_some() || n.success_code.is_some();
        if old != new && own {
            self.push(
                Change::new(
                    format!("{id}.success_code"),
                    Kind::SuccessCodeChanged,
                    Direction::Response,
                    Severity::Breaking,
                    "clients built from the old spec take every success for an error",
                )
                .values(Some(old), Some(new))
                .rust(
                    Severity::Compatible,
                    "the client method checks for the new code; no signature changes",
                ),
            );
        }
    }

    fn offered_receipts(&mut self, id: &str, o: &[ActionReceipt], n: &[ActionReceipt]) {
        /// How a listed message reads in a change: its name, and its condition if any.
        fn shown(r: &ActionReceipt) -> String {
            match r.when() {
                Some(w) => format!("{} when {} = {}", r.message(), w.param, w.equals.to_wire()),
                None => r.message().to_owned(),
            }
        }
        let key = |r: &ActionReceipt| r.message().to_owned();
        for (r, old, new) in pairs(o, n, key) {
            let (kind, why) = match (old, new) {
                (Some(_), None) => (Kind::ReceiptRemoved, "the action no longer causes it"),
                (None, Some(_)) => (Kind::ReceiptAdded, "the action now causes it"),
                (Some(a), Some(b)) if shown(a) != shown(b) => (
                    Kind::ReceiptConditionChanged,
                    "the requests it is sent about changed",
                ),
                _ => continue,
            };
            self.push(
                Change::new(
                    format!("{id}.receipts[{r}]"),
                    kind,
                    Direction::None,
                    Severity::Info,
                    why,
                )
                .values(old.map(shown), new.map(shown)),
            );
        }
    }

    // ----- named enums and types -----

    fn named_enums(&mut self) {
        for (name, o, n) in map_pairs(&self.old.enums, &self.new.enums) {
            let id = format!("enums.{name}");
            let enums = Enums::named(self.ir, name);
            let used = self.enum_use.get(name).copied().unwrap_or_default();
            match (o, n) {
                (Some(_), None) => self.push(
                    Change::new(
                        id,
                        Kind::DefinitionRemoved,
                        Direction::None,
                        Severity::Info,
                        "a definition; the params and fields that used it are reported where \
                         they are",
                    )
                    .rust(
                        Severity::Breaking,
                        format!("the enum {} is removed", enums.label().unwrap_or_default()),
                    ),
                ),
                (None, Some(_)) => self.push(
                    Change::new(
                        id,
                        Kind::DefinitionAdded,
                        Direction::None,
                        Severity::Info,
                        "a new definition",
                    )
                    .rust(
                        Severity::Compatible,
                        format!("the enum {} is added", enums.label().unwrap_or_default()),
                    ),
                ),
                (Some(o), Some(n)) => {
                    self.enum_values(
                        &format!("{id}.values"),
                        used.direction(),
                        enums,
                        &o.values,
                        &n.values,
                    );
                    self.docs(format!("{id}.description"), &o.description, &n.description);
                    self.docs(format!("{id}.notes"), &o.notes, &n.notes);
                    if o.open != n.open {
                        self.push(
                            Change::new(
                                format!("{id}.open"),
                                Kind::ConstraintChanged,
                                Direction::None,
                                Severity::Info,
                                "generated enums keep unknown values either way",
                            )
                            .values(Some(o.open.to_string()), Some(n.open.to_string())),
                        );
                    }
                }
                (None, None) => {}
            }
        }
    }

    fn named_types(&mut self) {
        for (name, o, n) in map_pairs(&self.old.types, &self.new.types) {
            let id = format!("types.{name}");
            let used = self.type_use.get(name).copied().unwrap_or_default();
            match (o, n) {
                (Some(_), None) => self.push(Change::new(
                    id,
                    Kind::DefinitionRemoved,
                    Direction::None,
                    Severity::Info,
                    "a definition; the fields that used it are reported where they are",
                )),
                (None, Some(_)) => self.push(Change::new(
                    id,
                    Kind::DefinitionAdded,
                    Direction::None,
                    Severity::Info,
                    "a new definition",
                )),
                (Some(o), Some(n)) => {
                    let dir = match used.direction() {
                        Direction::None => Direction::Both,
                        d => d,
                    };
                    self.field_pair(&id, dir, None, o, n);
                }
                (None, None) => {}
            }
        }
    }

    // ----- receipts and code tables -----

    fn receipts(&mut self) {
        for (name, o, n) in map_pairs(&self.old.receipts, &self.new.receipts) {
            let id = format!("receipts.{name}");
            let record = Holder::receipt(self.ir, name);
            let record_name = record.name().unwrap_or_default();
            match (o, n) {
                (Some(_), None) => self.push(
                    Change::new(
                        id,
                        Kind::ReceiptRemoved,
                        Direction::Response,
                        Severity::Breaking,
                        "the service no longer pushes it; consumers waiting for it get nothing",
                    )
                    .rust(
                        Severity::Breaking,
                        format!("the `{record_name}` record type and its batch parser are removed"),
                    ),
                ),
                (None, Some(_)) => self.push(
                    Change::new(
                        id,
                        Kind::ReceiptAdded,
                        Direction::Response,
                        Severity::Compatible,
                        "a new receipt message",
                    )
                    .rust(
                        Severity::Compatible,
                        format!("the `{record_name}` record type and its batch parser are added"),
                    ),
                ),
                (Some(o), Some(n)) => {
                    self.fields(
                        &format!("{id}.fields"),
                        Direction::Response,
                        record,
                        &o.fields,
                        &n.fields,
                    );
                    self.docs(format!("{id}.summary"), &o.summary, &n.summary);
                    self.docs(format!("{id}.description"), &o.description, &n.description);
                    self.docs(format!("{id}.examples"), &o.examples, &n.examples);
                    self.docs(format!("{id}.notes"), &o.notes, &n.notes);
                }
                (None, None) => {}
            }
        }
    }

    fn code_tables(&mut self) {
        for (name, o, n) in map_pairs(&self.old.code_tables, &self.new.code_tables) {
            let id = format!("code_tables.{name}");
            match (o, n) {
                (Some(o), None) => self.codes(&format!("{id}.codes"), &o.codes, &[]),
                (None, Some(n)) => self.codes(&format!("{id}.codes"), &[], &n.codes),
                (Some(o), Some(n)) => {
                    self.codes(&format!("{id}.codes"), &o.codes, &n.codes);
                    self.docs(format!("{id}.title"), &o.title, &n.title);
                    self.docs(format!("{id}.description"), &o.description, &n.description);
                    self.docs(format!("{id}.notes"), &o.notes, &n.notes);
                    if o.kind != n.kind {
                        self.push(
                            Change::new(
                                format!("{id}.kind"),
                                Kind::ConstraintChanged,
                                Direction::Response,
                                Severity::Info,
                                "the codes move between the error enum and the status tables",
                            )
                            .values(Some(spelled(&o.kind)), Some(spelled(&n.kind))),
                        );
                    }
                }
                (None, None) => {}
            }
        }
    }

    /// Documented codes: new ones may reach clients (which map them to `Unknown` until
    /// regenerated); removed ones are variants gone from the error enum.
    fn codes(&mut self, id: &str, o: &[Code], n: &[Code]) {
        for (code, old, new) in pairs(o, n, |c| c.code.clone()) {
            let cid = format!("{id}[{code}]");
            // The enum has a variant per code documented anywhere: one place less may leave it.
            let variant = match rust::error_code(self.ir, &code) {
                Both {
                    old: Some(a),
                    new: None,
                } => Some((Severity::Breaking, format!("`ErrorCode::{a}` is removed"))),
                Both {
                    old: None,
                    new: Some(b),
                } => Some((
                    Severity::Warning,
                    format!("`ErrorCode::{b}` is added (breaks exhaustive matches)"),
                )),
                Both {
                    old: Some(a),
                    new: Some(b),
                } if a != b => Some((
                    Severity::Breaking,
                    format!("`ErrorCode::{a}` is renamed `ErrorCode::{b}`"),
                )),
                _ => None,
            };
            let with_rust = |c: Change| match &variant {
                Some((severity, what)) => c.rust(*severity, what.clone()),
                None => c,
            };
            match (old, new) {
                (Some(_), None) => self.push(with_rust(
                    Change::new(
                        cid,
                        Kind::CodeRemoved,
                        Direction::Response,
                        Severity::Info,
                        "no longer documented",
                    )
                    .values(Some(code.clone()), None),
                )),
                (None, Some(_)) => self.push(with_rust(
                    Change::new(
                        cid,
                        Kind::CodeAdded,
                        Direction::Response,
                        Severity::Info,
                        "a newly documented code; old clients see it as `Unknown`",
                    )
                    .values(None, Some(code.clone())),
                )),
                (Some(a), Some(b)) if a != b => {
                    let retry = a.retryable != b.retryable;
                    self.push(
                        Change::new(
                            cid,
                            Kind::CodeChanged,
                            Direction::Response,
                            Severity::Info,
                            if retry {
                                "whether clients retry on it changes"
                            } else {
                                "its meaning, fix or HTTP status is documented differently"
                            },
                        )
                        .values(
                            retry.then(|| format!("retryable: {}", a.retryable)),
                            retry.then(|| format!("retryable: {}", b.retryable)),
                        ),
                    );
                }
                _ => {}
            }
        }
    }
}
