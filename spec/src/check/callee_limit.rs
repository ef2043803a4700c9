//! Checks of an action's `callee_limit`: the param it counts by is a required string param of
//! the action, the counts allow something and grow with the window, and the action places calls.

use super::{Cx, a_ty_name};
use crate::diag::{Level, Seg};
use crate::model::{Action, CalleeLimit, Effect, ParamType};
use crate::path;

impl Cx<'_> {
    pub(super) fn callee_limit(&mut self, base: &[Seg], a: &Action, l: &CalleeLimit) {
        let here = [base, &path!["callee_limit"]].concat();
        let at = |k: &str| [here.as_slice(), &path![k]].concat();
        self.callee_param(&at("param"), a, &l.param);
        let counts = [
            ("per_minute", l.per_minute),
            ("per_hour", l.per_hour),
            ("per_day", l.per_day),
        ];
        for (key, n) in counts {
            if n == 0 {
                self.error(
                    &at(key),
                    format!("`{key}: 0` allows no call at all"),
                    Some("give the limit the reference states, or remove `callee_limit` if there is none".into()),
                );
            }
        }
        for pair in counts.windows(2) {
            let ((short, s), (long, l)) = (pair[0], pair[1]);
            // A zero is reported above; comparing it again would only repeat that.
            if s > l && l > 0 {
                self.error(
                    &at(short),
                    format!("the callee limit allows more calls {} ({s}) than {} ({l})", window(short), window(long)),
                    Some("limits must not shrink as the window grows: per_minute ≤ per_hour ≤ per_day".into()),
                );
            }
        }
        if a.effect != Effect::PlacesCall {
            self.report(
                Level::Warning,
                &here,
                format!(
                    "a callee limit on an action that does not place calls (`effect: {}`)",
                    effect_name(a.effect)
                ),
                Some("callee limits count phone calls: set `effect: places-call`, or remove the limit".into()),
            );
        }
    }

    fn callee_param(&mut self, here: &[Seg], a: &Action, name: &str) {
        let Some(p) = a.params.iter().find(|p| p.name == name) else {
            let names: Vec<&str> = a.params.iter().map(|p| p.name.as_str()).collect();
            let hint = match crate::shape::suggest(name, &names) {
                Some(g) => format!("did you mean `{g}`?"),
                None if names.is_empty() => "the action has no params".to_owned(),
                None => format!("params here: {}", names.join(", ")),
            };
            return self.error(
                here,
                format!("the callee limit counts calls per `{name}`, which is not a param of this action"),
                Some(hint),
            );
        };
        if p.ty != ParamType::String || !p.required {
            let what = if p.ty == ParamType::String {
                "an optional string".to_owned()
            } else {
                a_ty_name(p.ty).to_owned()
            };
            self.error(
                here,
                format!("the callee limit counts calls per `{name}`, which must be a required string param, but it is {what}"),
                Some("name the param that carries the called number".into()),
            );
        }
    }
}

fn window(key: &str) -> &'static str {
    match key {
        "per_minute" => "per minute",
        "per_hour" => "per hour",
        _ => "per day",
    }
}

fn effect_name(e: Effect) -> String {
    serde_json::to_value(e)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}
