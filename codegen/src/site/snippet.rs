//! The two ways to send an action's example request shown on its page: a Rust snippet against the
//! generated client (compiled by the site's tests) and a `dyvms call ... --dry-run` line.
//!
//! Values come from the reference's example request, else the param's example, else a
//! placeholder of the right type, so every snippet compiles whatever the spec holds.

use std::fmt::Write as _;

use popgen_spec::model::{Action, Param, ParamType};
use serde_json::Value;

use crate::ir::{ActionIr, Api, EnumIr, FieldIr, Role, StructIr, Ty};
use crate::names::ident;

/// The Rust snippet that sends `action`'s example request with the generated client.
pub fn rust_snippet(api: &Api<'_>, krate: &str, a: &ActionIr<'_>) -> String {
    let cx = Cx { api, krate, a };
    let example = a.spec.examples.requests.first().map(|r| &r.params);
    let request = &a.structs[0];
    let mut args = Vec::new();
    let mut setters = String::new();
    for f in &request.fields {
        let Some(p) = f.param else { continue };
        let value = example.and_then(|ex| example_value(p, ex));
        let constructor_arg = !f.optional && !matches!(f.ty, Ty::Vec(_));
        if constructor_arg {
            let v = value.or_else(|| p.example.as_ref().map(|e| Value::String(e.to_wire())));
            args.push(cx.arg(&f.ty, v.as_ref(), 2));
        } else if let Some(v) = value {
            match &f.ty {
                Ty::Vec(inner) => {
                    for item in v.as_array().into_iter().flatten() {
                        let _ = write!(
                            setters,
                            "\n        .push_{}({})",
                            f.rust.trim_start_matches("r#"),
                            cx.expr(inner, Some(item), 2)
                        );
                    }
                }
                ty => {
                    let _ = write!(
                        setters,
                        "\n        .{}({})",
                        ident(&f.rust),
                        cx.arg(ty, Some(&v), 2)
                    );
                }
            }
        }
    }
    let method = &a.method;
    let mut out = format!(
        "use {krate}::{{Client, Error, {req}}};\n\n\
         /// Sends `{name}` with the reference's example values.\n\
         pub async fn {method}<T: {krate}::runtime::client::Transport>(\n    client: &Client<T>,\n) -> Result<(), Error> {{\n    \
         let request = {req}::new({args}){setters};\n",
        req = request.name,
        name = a.name,
        args = args.join(", "),
    );
    if a.spec.effect.has_side_effects() {
        let _ = write!(
            out,
            "    match client.{method}(&request).await {{\n        \
             Ok(response) => println!(\"{{response:?}}\"),\n        \
             Err(Error::OutcomeUnknown(unknown)) => {{\n            \
             eprintln!(\"outcome unknown, check before sending again: {{unknown}}\")\n        }}\n        \
             Err(e) => return Err(e),\n    }}\n    Ok(())\n}}\n"
        );
    } else {
        let _ = write!(
            out,
            "    let response = client.{method}(&request).await?;\n    \
             println!(\"{{response:?}}\");\n    Ok(())\n}}\n"
        );
    }
    pretty(&out)
}

/// Formats the snippet like rustfmt would (prettyplease); unparsable text is a generator bug the
/// compile test reports, so it is returned as is.
fn pretty(code: &str) -> String {
    match syn::parse_file(code) {
        Ok(file) => prettyplease::unparse(&file),
        Err(_) => code.to_owned(),
    }
}

/// The value of `p` in an example request: the scalar as written; for a repeated param an array
/// of objects, from `Name.N.Member` keys or a JSON array written under `Name`.
fn example_value(p: &Param, ex: &std::collections::BTreeMap<String, String>) -> Option<Value> {
    if p.ty != ParamType::Repeated {
        return ex.get(&p.name).map(|v| Value::String(v.clone()));
    }
    if let Some(text) = ex.get(&p.name) {
        let parsed: Option<Value> = serde_json::from_str(text).ok();
        return parsed.filter(Value::is_array);
    }
    let prefix = format!("{}.", p.name);
    let mut items: std::collections::BTreeMap<u32, serde_json::Map<String, Value>> =
        std::collections::BTreeMap::new();
    for (k, v) in ex.range(prefix.clone()..) {
        let Some(rest) = k.strip_prefix(&prefix) else {
            break;
        };
        let Some((n, member)) = rest.split_once('.') else {
            continue;
        };
        if let Ok(n) = n.parse() {
            items
                .entry(n)
                .or_default()
                .insert(member.to_owned(), Value::String(v.clone()));
        }
    }
    (!items.is_empty()).then(|| Value::Array(items.into_values().map(Value::Object).collect()))
}

struct Cx<'c, 's> {
    api: &'c Api<'s>,
    krate: &'c str,
    a: &'c ActionIr<'s>,
}

fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// Masked digits (`1045****`) become zeros so the number parses.
fn number(v: Option<&Value>) -> Option<String> {
    let t = text(v)?.replace('*', "0");
    let t = t.trim();
    t.parse::<i64>().ok().map(|n| n.to_string())
}

impl Cx<'_, '_> {
    /// An argument of `new` or a setter: strings are taken as `impl Into<String>`.
    fn arg(&self, ty: &Ty, v: Option<&Value>, indent: usize) -> String {
        match ty {
            Ty::Str => format!("{:?}", text(v).unwrap_or_else(|| "...".to_owned())),
            _ => self.expr(ty, v, indent),
        }
    }

    fn expr(&self, ty: &Ty, v: Option<&Value>, indent: usize) -> String {
        match ty {
            Ty::Str => format!(
                "{:?}.to_owned()",
                text(v).unwrap_or_else(|| "...".to_owned())
            ),
            Ty::I32 => number(v)
                .filter(|n| n.parse::<i32>().is_ok())
                .unwrap_or_else(|| "1".to_owned()),
            Ty::I64 => number(v).unwrap_or_else(|| "1".to_owned()),
            Ty::F64 => format!(
                "{:?}",
                text(v).and_then(|t| t.parse::<f64>().ok()).unwrap_or(1.0)
            ),
            Ty::Bool => text(v)
                .filter(|t| t == "false")
                .unwrap_or_else(|| "true".to_owned()),
            Ty::Enum(name) => self.variant(name, text(v).as_deref()),
            Ty::Json(inner) => {
                let parsed = text(v).and_then(|t| serde_json::from_str::<Value>(&t).ok());
                self.expr(inner, parsed.as_ref().or(v), indent)
            }
            Ty::JsonText(inner) => self.expr(inner, v, indent),
            Ty::Vec(inner) => {
                let items: Vec<String> = v
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(|i| self.expr(inner, Some(i), indent))
                    .collect();
                format!("Vec::from([{}])", items.join(", "))
            }
            Ty::Map(inner) => {
                let entries: Vec<String> = v
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                    .map(|(k, x)| {
                        format!("({k:?}.to_owned(), {})", self.expr(inner, Some(x), indent))
                    })
                    .collect();
                format!("std::collections::BTreeMap::from([{}])", entries.join(", "))
            }
            Ty::Struct(name) => self.structure(name, v, indent),
            Ty::Any => "Default::default()".to_owned(),
        }
    }

    fn enum_ir(&self, name: &str) -> Option<&EnumIr<'_>> {
        self.a
            .enums
            .iter()
            .chain(&self.api.enums)
            .find(|e| e.name == name)
    }

    fn variant(&self, name: &str, wire: Option<&str>) -> String {
        let Some(e) = self.enum_ir(name) else {
            return format!("{}::{name}::default()", self.krate);
        };
        let chosen = e
            .variants
            .iter()
            .find(|(_, v)| Some(v.value.as_str()) == wire)
            .or_else(|| e.variants.first());
        match chosen {
            Some((variant, _)) => format!("{}::{name}::{variant}", self.krate),
            None => format!(
                "{}::{name}::Unknown({:?}.to_owned())",
                self.krate,
                wire.unwrap_or("")
            ),
        }
    }

    fn structure(&self, name: &str, v: Option<&Value>, indent: usize) -> String {
        let Some(s) = self.a.structs.iter().find(|s| s.name == name) else {
            return "Default::default()".to_owned();
        };
        match s.role {
            Role::Element | Role::Request => self.built(s, v, indent),
            _ => self.literal(s, v, indent),
        }
    }

    fn member<'v>(f: &FieldIr<'_>, v: Option<&'v Value>) -> Option<&'v Value> {
        v.and_then(|v| v.get(f.wire)).filter(|m| !m.is_null())
    }

    /// `Element::new(required...).setter(...)` for one element of a repeated param.
    fn built(&self, s: &StructIr<'_>, v: Option<&Value>, indent: usize) -> String {
        let mut args = Vec::new();
        let mut setters = String::new();
        for f in &s.fields {
            let own = Self::member(f, v).cloned().or_else(|| {
                f.param
                    .and_then(|p| p.example.as_ref())
                    .map(|e| Value::String(e.to_wire()))
            });
            if !f.optional && !matches!(f.ty, Ty::Vec(_)) {
                args.push(self.arg(&f.ty, own.as_ref(), indent + 1));
            } else if let Some(own) = own {
                let _ = write!(
                    setters,
                    "\n{}.{}({})",
                    "    ".repeat(indent + 1),
                    ident(&f.rust),
                    self.arg(&f.ty, Some(&own), indent + 1)
                );
            }
        }
        format!(
            "{}::{}::new({}){setters}",
            self.krate,
            s.name,
            args.join(", ")
        )
    }

    /// A struct literal for a JSON value carried in a param.
    fn literal(&self, s: &StructIr<'_>, v: Option<&Value>, indent: usize) -> String {
        let pad = "    ".repeat(indent + 1);
        let mut out = format!("{}::{} {{\n", self.krate, s.name);
        for f in &s.fields {
            let own = Self::member(f, v);
            let value = match (&f.ty, f.optional, own) {
                (Ty::Vec(_), _, _) | (_, false, _) => self.expr(&f.ty, own, indent + 1),
                (_, true, Some(_)) => format!("Some({})", self.expr(&f.ty, own, indent + 1)),
                (_, true, None) => "None".to_owned(),
            };
            let _ = writeln!(out, "{pad}{}: {value},", ident(&f.rust));
        }
        out.push_str(&"    ".repeat(indent));
        out.push('}');
        out
    }
}

/// `dyvms call IvrCall CalledNumber='1590****000' ... --dry-run`, from the first example request
/// (required params without an example value get a `...` placeholder).
pub fn dyvms_line(a: &Action, name: &str) -> String {
    let mut pairs: Vec<(String, String)> = a
        .examples
        .requests
        .first()
        .map(|r| super::view::ordered_example(a, &r.params))
        .unwrap_or_default();
    for p in a.params.iter().filter(|p| p.required) {
        if !pairs
            .iter()
            .any(|(k, _)| k == &p.name || k.starts_with(&format!("{}.", p.name)))
        {
            let value = p
                .example
                .as_ref()
                .map_or_else(|| "...".to_owned(), |e| e.to_wire());
            pairs.push((p.name.clone(), value));
        }
    }
    let mut line = format!("dyvms call {name}");
    for (k, v) in pairs {
        let _ = write!(line, " {k}={}", shell_quote(&v));
    }
    line.push_str(" --dry-run");
    line
}

fn shell_quote(v: &str) -> String {
    let plain = !v.is_empty()
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.,:/@%+=".contains(c));
    if plain {
        v.to_owned()
    } else {
        format!("'{}'", v.replace('\'', "'\\''"))
    }
}
