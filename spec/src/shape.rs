//! Structural check: walks a YAML tree against the JSON Schema generated from the model and
//! reports every unknown key, missing key, wrong type and unknown enum value, all in one pass.
//!
//! serde stops at the first error; a spec author fixing a file wants the whole list. Only when this
//! walk finds nothing is the file handed to serde, which then cannot fail for structural reasons.
//! The walker understands exactly the JSON Schema subset schemars emits for the model: `$ref`,
//! `anyOf` (options, untagged enums), `oneOf` (string enums, internally tagged enums), `type`,
//! `const`, `properties` / `required` / `additionalProperties`, `items`, `minimum` / `maximum`.

use serde_json::Value as J;

use crate::diag::Seg;
use crate::yaml::{Key, Node, Pos, Value};

/// A structural problem, before it is turned into a [`Diagnostic`](crate::diag::Diagnostic).
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Where.
    pub pos: Pos,
    /// The path to the offending node.
    pub path: Vec<Seg>,
    /// What.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

/// Checks `node` against `schema` (the root schema, holding `$defs`).
pub fn check(node: &Node, schema: &J) -> Vec<Problem> {
    walk_from(node, schema, schema, Vec::new(), false)
}

/// Checks a curation file: what is there must be known and well typed, but nothing is required
/// (the base it amends has the rest), and a key set to null (a removal) may be any known key.
pub fn check_relaxed(node: &Node, schema: &J) -> Vec<Problem> {
    walk_from(node, schema, schema, Vec::new(), true)
}

/// Checks `node` as the value found at `path` of a document (`actions.X.params[0]`): against
/// the part of the root schema that describes that place. Problem paths start with `path`.
/// Nothing is reported when the schema does not describe the place.
pub fn check_at(node: &Node, root: &J, path: &[Seg]) -> Vec<Problem> {
    match schema_at(root, path) {
        Some(schema) => walk_from(node, root, schema, path.to_vec(), false),
        None => Vec::new(),
    }
}

fn walk_from(node: &Node, root: &J, schema: &J, path: Vec<Seg>, relaxed: bool) -> Vec<Problem> {
    let mut walker = Walker {
        root,
        problems: Vec::new(),
        path,
        relaxed,
    };
    walker.walk(node, schema);
    walker.problems
}

/// The schema of the value at `path`, following `$ref`s, object properties, map values and list
/// items (an optional value's non-null branch).
fn schema_at<'s>(root: &'s J, path: &[Seg]) -> Option<&'s J> {
    let resolve = |mut s: &'s J| -> &'s J {
        loop {
            if let Some(r) = s.get("$ref").and_then(J::as_str) {
                s = &root["$defs"][r.trim_start_matches("#/$defs/")];
            } else if let Some(branches) = s.get("anyOf").and_then(J::as_array)
                && let [one] = branches
                    .iter()
                    .filter(|b| b.get("type").and_then(J::as_str) != Some("null"))
                    .collect::<Vec<_>>()
                    .as_slice()
            {
                // An optional value: its one non-null branch. Other alternatives (untagged
                // enums) stay whole, for the walker to try each.
                s = one;
            } else {
                return s;
            }
        }
    };
    let mut schema = resolve(root);
    for seg in path {
        let next = match seg {
            Seg::Key(k) => schema
                .get("properties")
                .and_then(|p| p.get(k))
                .or_else(|| schema.get("additionalProperties").filter(|a| a.is_object()))?,
            Seg::Index(_) => schema.get("items")?,
        };
        schema = resolve(next);
    }
    Some(schema)
}

struct Walker<'s> {
    root: &'s J,
    problems: Vec<Problem>,
    path: Vec<Seg>,
    /// Curation: no key is required, and null (a removal) stands for any value.
    relaxed: bool,
}

impl<'s> Walker<'s> {
    fn resolve(&self, mut schema: &'s J) -> &'s J {
        while let Some(r) = schema.get("$ref").and_then(J::as_str) {
            let name = r.trim_start_matches("#/$defs/");
            schema = &self.root["$defs"][name];
        }
        schema
    }

    fn report(&mut self, pos: Pos, message: String, hint: Option<String>) {
        self.problems.push(Problem {
            pos,
            path: self.path.clone(),
            message,
            hint,
        });
    }

    fn walk(&mut self, node: &Node, schema: &'s J) {
        let schema = self.resolve(schema);
        if let Some(branches) = schema
            .get("anyOf")
            .or_else(|| schema.get("oneOf"))
            .and_then(J::as_array)
        {
            return self.walk_alternatives(node, branches);
        }
        if let Some(expected) = schema.get("const") {
            return self.check_consts(node, std::slice::from_ref(expected));
        }
        if let Some(values) = schema.get("enum").and_then(J::as_array) {
            return self.check_consts(node, values);
        }
        if !self.check_type(node, schema) {
            return;
        }
        match &node.value {
            Value::Map(entries) => self.walk_object(node.pos, entries, schema),
            Value::Seq(items) => {
                if let Some(item_schema) = schema.get("items") {
                    for (i, item) in items.iter().enumerate() {
                        self.path.push(Seg::Index(i));
                        self.walk(item, item_schema);
                        self.path.pop();
                    }
                }
            }
            Value::Int(i) => self.check_bounds(node.pos, *i as f64, schema),
            Value::Float(f) => self.check_bounds(node.pos, *f, schema),
            _ => {}
        }
    }

    fn check_type(&mut self, node: &Node, schema: &J) -> bool {
        let types: Vec<&str> = match schema.get("type") {
            Some(J::String(t)) => vec![t.as_str()],
            Some(J::Array(ts)) => ts.iter().filter_map(J::as_str).collect(),
            _ => return true,
        };
        if types.iter().any(|t| type_accepts(t, &node.value)) {
            return true;
        }
        let expected = types
            .iter()
            .filter(|t| **t != "null")
            .map(|t| type_name(t))
            .collect::<Vec<_>>()
            .join(" or ");
        self.report(
            node.pos,
            format!("expected {expected}, found {}", node.value.kind()),
            mismatch_hint(&node.value, &types),
        );
        false
    }

    fn check_bounds(&mut self, pos: Pos, v: f64, schema: &J) {
        let min = schema.get("minimum").and_then(J::as_f64);
        let max = schema.get("maximum").and_then(J::as_f64);
        if min.is_some_and(|m| v < m) || max.is_some_and(|m| v > m) {
            let range = match (min, max) {
                (Some(a), Some(b)) => format!("between {a} and {b}"),
                (Some(a), None) => format!("at least {a}"),
                (None, Some(b)) => format!("at most {b}"),
                (None, None) => unreachable!("checked above"),
            };
            self.report(
                pos,
                format!("the number {v} is out of bounds: must be {range}"),
                None,
            );
        }
    }

    fn check_consts(&mut self, node: &Node, allowed: &[J]) {
        let names: Vec<&str> = allowed.iter().filter_map(J::as_str).collect();
        match &node.value {
            Value::Str(s) if names.contains(&s.as_str()) => {}
            Value::Str(s) => {
                let hint = suggest(s, &names)
                    .map(|g| format!("did you mean `{g}`?"))
                    .or_else(|| Some(format!("one of: {}", names.join(", "))));
                self.report(node.pos, format!("unknown value `{s}`"), hint);
            }
            other => self.report(
                node.pos,
                format!(
                    "expected one of {}, found {}",
                    names.join(", "),
                    other.kind()
                ),
                None,
            ),
        }
    }

    fn walk_object(&mut self, pos: Pos, entries: &[(Key, Node)], schema: &'s J) {
        let props = schema.get("properties").and_then(J::as_object);
        let additional = schema.get("additionalProperties");
        for (key, value) in entries {
            self.path.push(Seg::Key(key.name.clone()));
            let removal = self.relaxed && matches!(value.value, Value::Null);
            match (props.and_then(|p| p.get(&key.name)), additional) {
                (Some(_), _) if removal => {}
                (Some(sub), _) => self.walk(value, sub),
                (None, Some(sub)) if sub.is_object() => self.walk(value, sub),
                (None, Some(J::Bool(true))) => {}
                _ => {
                    let known: Vec<&str> = props
                        .map(|p| p.keys().map(String::as_str).collect())
                        .unwrap_or_default();
                    let hint = match suggest(&key.name, &known) {
                        Some(g) => format!("did you mean `{g}`?"),
                        None => format!("known keys here: {}", known.join(", ")),
                    };
                    self.report(key.pos, format!("unknown key `{}`", key.name), Some(hint));
                }
            }
            self.path.pop();
        }
        let required = schema
            .get("required")
            .and_then(J::as_array)
            .filter(|_| !self.relaxed);
        for name in required.into_iter().flatten().filter_map(J::as_str) {
            if !entries.iter().any(|(k, _)| k.name == name) {
                let what = props
                    .and_then(|p| p.get(name))
                    .and_then(|s| self.resolve(s).get("description").or(s.get("description")))
                    .and_then(J::as_str)
                    .map(|d| format!("`{name}`: {}", first_sentence(d)));
                self.report(pos, format!("missing required key `{name}`"), what);
            }
        }
    }

    fn walk_alternatives(&mut self, node: &Node, branches: &'s [J]) {
        let resolved: Vec<&'s J> = branches.iter().map(|b| self.resolve(b)).collect();
        let non_null: Vec<&'s J> = resolved
            .iter()
            .copied()
            .filter(|b| b.get("type").and_then(J::as_str) != Some("null"))
            .collect();
        if matches!(node.value, Value::Null) && non_null.len() < resolved.len() {
            return;
        }
        // A string enum: every branch is a constant.
        let consts: Vec<J> = non_null
            .iter()
            .filter_map(|b| b.get("const").cloned())
            .collect();
        if !consts.is_empty() && consts.len() == non_null.len() {
            return self.check_consts(node, &consts);
        }
        // An internally tagged enum: every branch pins `kind`.
        let tags: Vec<(&str, &'s J)> = non_null
            .iter()
            .filter_map(|b| Some((b.pointer("/properties/kind/const")?.as_str()?, *b)))
            .collect();
        if !tags.is_empty() && tags.len() == non_null.len() {
            return self.walk_tagged(node, &tags);
        }
        if let [only] = non_null.as_slice() {
            return self.walk(node, only);
        }
        // An untagged enum: accept if any branch accepts. When only one branch is of the
        // value's kind (a string or a mapping), what is wrong inside it is the problem.
        let mut of_kind = Vec::new();
        for branch in &non_null {
            let mut trial = Walker {
                root: self.root,
                problems: Vec::new(),
                path: self.path.clone(),
                relaxed: self.relaxed,
            };
            trial.walk(node, branch);
            if trial.problems.is_empty() {
                return;
            }
            if branch
                .get("type")
                .and_then(J::as_str)
                .is_some_and(|t| type_accepts(t, &node.value))
            {
                of_kind.push(trial.problems);
            }
        }
        if of_kind.len() == 1 {
            self.problems.extend(of_kind.remove(0));
            return;
        }
        let types: Vec<&str> = non_null
            .iter()
            .filter_map(|b| b.get("type").and_then(J::as_str))
            .collect();
        let expected: Vec<&str> = types.iter().map(|t| type_name(t)).collect();
        self.report(
            node.pos,
            format!(
                "expected {}, found {}",
                expected.join(" or "),
                node.value.kind()
            ),
            mismatch_hint(&node.value, &types),
        );
    }

    fn walk_tagged(&mut self, node: &Node, tags: &[(&str, &'s J)]) {
        let names: Vec<&str> = tags.iter().map(|(t, _)| *t).collect();
        let Value::Map(_) = &node.value else {
            return self.report(
                node.pos,
                format!(
                    "expected a mapping with `kind: {}`, found {}",
                    names.join(" | "),
                    node.value.kind()
                ),
                None,
            );
        };
        match node.get("kind") {
            None => self.report(
                node.pos,
                "missing required key `kind`".to_owned(),
                Some(format!("one of: {}", names.join(", "))),
            ),
            Some(Node {
                value: Value::Str(kind),
                pos,
            }) => match tags.iter().find(|(t, _)| t == kind) {
                Some((_, branch)) => self.walk(node, branch),
                None => {
                    self.path.push(Seg::Key("kind".into()));
                    let hint = suggest(kind, &names)
                        .map(|g| format!("did you mean `{g}`?"))
                        .unwrap_or_else(|| format!("one of: {}", names.join(", ")));
                    self.report(*pos, format!("unknown kind `{kind}`"), Some(hint));
                    self.path.pop();
                }
            },
            Some(other) => self.report(
                other.pos,
                format!("`kind` must be a string, found {}", other.value.kind()),
                Some(format!("one of: {}", names.join(", "))),
            ),
        }
    }
}

/// How to fix a value of the wrong JSON Schema type, when the usual cause is quoting.
fn mismatch_hint(v: &Value, types: &[&str]) -> Option<String> {
    let numeric = types.iter().any(|t| matches!(*t, "integer" | "number"));
    match v {
        Value::Int(_) | Value::Float(_) | Value::Bool(_) if types.contains(&"string") => Some(
            "write the value in quotes: YAML reads unquoted `0571`, `1.0` or `true` as numbers and booleans"
                .to_owned(),
        ),
        Value::Str(s) if types.contains(&"boolean") && crate::yaml::is_yaml11_boolean_word(s) => {
            Some(format!("write `true` or `false`: `{s}` is text in YAML 1.2, which popgen reads"))
        }
        Value::Str(s) if numeric && s.trim().parse::<f64>().is_ok() => {
            Some(format!("write the number without quotes: `{}`", s.trim()))
        }
        Value::Null => Some("the key has no value; remove it or give it one".to_owned()),
        _ => None,
    }
}

fn type_accepts(t: &str, v: &Value) -> bool {
    matches!(
        (t, v),
        ("string", Value::Str(_))
            | ("integer", Value::Int(_))
            | ("number", Value::Int(_) | Value::Float(_))
            | ("boolean", Value::Bool(_))
            | ("object", Value::Map(_))
            | ("array", Value::Seq(_))
            | ("null", Value::Null)
    )
}

fn type_name(t: &str) -> &'static str {
    match t {
        "string" => "a string",
        "integer" => "an integer",
        "number" => "a number",
        "boolean" => "a boolean",
        "object" => "a mapping",
        "array" => "a list",
        _ => "null",
    }
}

fn first_sentence(s: &str) -> &str {
    s.split_once(". ")
        .map_or(s, |(a, _)| a)
        .trim_end_matches('.')
}

/// The closest known name, if it is close enough to be a likely typo.
pub fn suggest<'a>(given: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(given, k), *k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}
