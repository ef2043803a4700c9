//! Checks of what a product lays out for its actions and of the list and location keys of params:
//! areas are defined once and form a tree, actions name a defined area, an action's
//! `idempotency_param` is one of its string params, repeated params say what an element is,
//! item counts and exclusive bounds can be met, and `documented_required` says something.

use std::collections::{BTreeMap, BTreeSet};

use super::{Cx, unknown_name_hint};
use crate::diag::{Level, Seg};
use crate::model::{Action, AreaDef, Param, ParamLocation, ParamType, Range};
use crate::path;

impl Cx<'_> {
    /// The product's `areas`: unique ids of the right shape, parents that exist, no cycles.
    pub(super) fn areas(&mut self, areas: &[AreaDef]) {
        let base = path!["product", "areas"];
        let ids: BTreeMap<&str, usize> = areas
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.as_str(), i))
            .collect();
        let mut seen = BTreeSet::new();
        for (i, a) in areas.iter().enumerate() {
            let at = |k: &str| [base.as_slice(), &path![i, k]].concat();
            if !seen.insert(a.id.as_str()) {
                self.error(
                    &at("id"),
                    format!("the area `{}` is listed twice", a.id),
                    None,
                );
            }
            if a.id.is_empty()
                || !a
                    .id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                self.error(
                    &at("id"),
                    format!("`{}` is not an area id", a.id),
                    Some("use lower-case letters, digits and `-` (`voice-notification`)".into()),
                );
            }
            if let Some(parent) = &a.parent
                && !ids.contains_key(parent.as_str())
            {
                let hint = unknown_name_hint(parent, areas.iter().map(|a| &a.id), "areas", "areas");
                self.error(
                    &at("parent"),
                    format!("unknown area `{parent}`"),
                    Some(hint),
                );
            }
            if self.area_cycle(areas, &ids, i) {
                self.error(
                    &at("parent"),
                    format!("the area `{}` is its own ancestor", a.id),
                    Some("areas nest as a tree: follow the `parent`s and break the loop".into()),
                );
            }
        }
    }

    /// Whether following `parent` from area `start` comes back to it.
    fn area_cycle(&self, areas: &[AreaDef], ids: &BTreeMap<&str, usize>, start: usize) -> bool {
        let mut at = start;
        // More steps than areas means a loop, whichever area it passes through.
        for _ in 0..areas.len() {
            match areas[at].parent.as_deref().and_then(|p| ids.get(p)) {
                Some(&next) if next == start => return true,
                Some(&next) => at = next,
                None => return false,
            }
        }
        false
    }

    /// An action's `area` and `idempotency_param`.
    pub(super) fn action_layout(&mut self, base: &[Seg], a: &Action) {
        // Areas are optional: a small spec names them freely; a product that lists its areas
        // has every action name a listed one.
        let areas = &self.spec.product.areas;
        if let Some(area) = &a.area
            && !areas.is_empty()
            && !areas.iter().any(|d| &d.id == area)
        {
            let hint =
                unknown_name_hint(area, areas.iter().map(|d| &d.id), "areas", "product.areas");
            self.error(
                &[base, &path!["area"]].concat(),
                format!("unknown area `{area}`"),
                Some(hint),
            );
        }
        if let Some(name) = &a.idempotency_param {
            let at = [base, &path!["idempotency_param"]].concat();
            match a.params.iter().find(|p| &p.name == name) {
                None => {
                    let names: Vec<&str> = a.params.iter().map(|p| p.name.as_str()).collect();
                    let hint = match crate::shape::suggest(name, &names) {
                        Some(g) => format!("did you mean `{g}`?"),
                        None => format!("params here: {}", names.join(", ")),
                    };
                    self.error(
                        &at,
                        format!("`{name}` is not a param of this action"),
                        Some(hint),
                    );
                }
                Some(p) if p.ty != ParamType::String => self.error(
                    &at,
                    format!("`{name}` is not a string param"),
                    Some(
                        "the idempotency param carries the caller's own id for the call (`OutId`)"
                            .into(),
                    ),
                ),
                Some(_) => {}
            }
        }
    }

    /// A param's list keys (`element`, `min_items`), `location`, `documented_required` and the
    /// exclusive bounds of its range. `nested` is set for the members of a repeated param.
    pub(super) fn param_layout(&mut self, here: &[Seg], p: &Param, nested: bool) {
        let at = |k: &str| [here, &path![k]].concat();
        let repeated = p.ty == ParamType::Repeated;
        if repeated && !p.fields.is_empty() && p.element.is_some() {
            self.error(
                &at("element"),
                "a repeated param has either `fields` (`Name.N.Field`) or `element` (`Name.N`), not both".into(),
                Some("keep `fields` for a list of structs, `element` for a list of scalars".into()),
            );
        }
        for (k, set) in [
            ("element", p.element.is_some()),
            ("min_items", p.min_items.is_some()),
        ] {
            if set && !repeated {
                self.error(
                    &at(k),
                    format!("`{k}` only applies to `type: repeated` params"),
                    None,
                );
            }
        }
        if let (Some(min), Some(max)) = (p.min_items, p.max_items)
            && min > max
        {
            self.error(
                &at("min_items"),
                format!("`min_items` ({min}) is greater than `max_items` ({max})"),
                Some("swap them".into()),
            );
        }
        if let Some(e) = &p.element {
            let as_param = e.to_param(&p.name);
            self.param_layout(&at("element"), &as_param, true);
        }
        if nested && p.location != ParamLocation::Query {
            self.error(
                &at("location"),
                "only a top-level param has a `location`; its members travel with it".into(),
                None,
            );
        }
        if p.documented_required == Some(p.required) {
            self.report(
                Level::Warning,
                &at("documented_required"),
                "`documented_required` repeats `required`".into(),
                Some(
                    "it records only where the documentation and the gateway disagree: remove it"
                        .into(),
                ),
            );
        }
        if let Some(r) = &p.range {
            self.exclusive_bounds(&at("range"), r);
        }
    }

    /// An exclusive bound needs the bound, and a range whose bounds exclude everything is empty.
    fn exclusive_bounds(&mut self, here: &[Seg], r: &Range) {
        for (k, exclusive, bound) in [
            ("exclusive_min", r.exclusive_min, r.min),
            ("exclusive_max", r.exclusive_max, r.max),
        ] {
            if exclusive && bound.is_none() {
                self.error(
                    &[here, &path![k]].concat(),
                    format!("`{k}` without the bound it excludes"),
                    Some(format!(
                        "add `{}`, or remove `{k}`",
                        &k["exclusive_".len()..]
                    )),
                );
            }
        }
        if let (Some(min), Some(max)) = (r.min, r.max)
            && (r.exclusive_min || r.exclusive_max)
            && min.as_f64() >= max.as_f64()
        {
            self.error(
                here,
                "the range excludes every value: an exclusive bound equals the other bound".into(),
                Some("make the bounds inclusive, or widen the range".into()),
            );
        }
    }
}
