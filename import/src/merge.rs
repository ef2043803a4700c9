//! Several metadata snapshots of one product version, oldest first, become one document: the
//! newest snapshot's structured facts win (which actions and params exist, types, formats,
//! required flags, bounds, enums, styles, locations, methods), and prose — descriptions, titles,
//! summaries, examples, responses, error codes, response examples, directories — is kept from an
//! older snapshot wherever the newer has none. What changed between snapshots is returned as
//! notes for the spec.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

/// Keys of an action kept from older snapshots when the newer has none: prose and
/// documentation, and the operation tags that structure-only snapshots leave out (a missing
/// `operationType` there means "not exported", not "reads nothing").
const ACTION_PROSE: [&str; 11] = [
    "operationType",
    "systemTags",
    "title",
    "summary",
    "description",
    "responses",
    "errorCodes",
    "responseDemo",
    "requestParamsDescription",
    "responseParamsDescription",
    "extraInfo",
];

/// Keys of a schema that hold prose, kept from older snapshots when missing.
const SCHEMA_PROSE: [&str; 4] = ["description", "title", "example", "enumValueTitles"];

/// Structured keys of a param's schema whose changes are worth a note.
const STRUCTURED: [&str; 13] = [
    "type",
    "format",
    "required",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "maxItems",
    "minItems",
    "enum",
    "pattern",
];

/// A change between two snapshots: the action, the param (if any), and what changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The action.
    pub action: String,
    /// The param, when the change is about one.
    pub param: Option<String>,
    /// What the older snapshot said.
    pub before: String,
    /// What the newer one says.
    pub after: String,
}

/// Merges `docs` (oldest first, each with its label) into one document; returns it with the
/// changes between consecutive snapshots.
pub fn merge(docs: &[(String, Value)]) -> (Value, Vec<Change>) {
    let mut changes = Vec::new();
    let mut merged = match docs.first() {
        Some((_, d)) => d.clone(),
        None => return (Value::Object(Map::new()), changes),
    };
    for pair in docs.windows(2) {
        let (older_label, _) = &pair[0];
        let (newer_label, newer) = &pair[1];
        changes.extend(diff(&merged, newer, older_label, newer_label));
        merged = layer(&merged, newer);
    }
    (merged, changes)
}

/// The newer document, with prose filled in from the older.
fn layer(older: &Value, newer: &Value) -> Value {
    let mut out = newer.clone();
    let Some(obj) = out.as_object_mut() else {
        return out;
    };
    for key in ["directories", "endpoints", "info"] {
        fill(obj, older, key);
    }
    if let Some(old_schemas) = older
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    {
        let comps = obj
            .entry("components")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(c) = comps.as_object_mut() {
            let schemas = c
                .entry("schemas")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Some(s) = schemas.as_object_mut() {
                for (k, v) in old_schemas {
                    s.entry(k.clone()).or_insert_with(|| v.clone());
                }
            }
        }
    }
    if let Some(apis) = obj.get_mut("apis").and_then(Value::as_object_mut) {
        for (name, api) in apis.iter_mut() {
            if let Some(old) = older.get("apis").and_then(|a| a.get(name)) {
                layer_action(api, old);
            }
        }
    }
    out
}

fn layer_action(api: &mut Value, old: &Value) {
    let Some(obj) = api.as_object_mut() else {
        return;
    };
    for key in ACTION_PROSE {
        fill(obj, old, key);
    }
    let old_params: Vec<&Value> = old
        .get("parameters")
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    if let Some(params) = obj.get_mut("parameters").and_then(Value::as_array_mut) {
        for p in params {
            let name = p.get("name").and_then(Value::as_str).map(str::to_owned);
            let matched = old_params
                .iter()
                .find(|o| o.get("name").and_then(Value::as_str) == name.as_deref());
            if let (Some(o), Some(schema)) = (matched, p.get_mut("schema")) {
                layer_schema(schema, o.get("schema").unwrap_or(&Value::Null), 0);
            }
        }
    }
}

/// Fills a schema's prose (and its items' and properties') from the older schema.
fn layer_schema(schema: &mut Value, old: &Value, depth: usize) {
    // Deeper than any real schema: stop rather than recurse without bound.
    if depth > 32 {
        return;
    }
    let Some(obj) = schema.as_object_mut() else {
        return;
    };
    for key in SCHEMA_PROSE {
        fill(obj, old, key);
    }
    if let (Some(items), Some(old_items)) = (obj.get_mut("items"), old.get("items")) {
        layer_schema(items, old_items, depth + 1);
    }
    if let Some(props) = obj.get_mut("properties").and_then(Value::as_object_mut) {
        for (k, v) in props.iter_mut() {
            if let Some(o) = old.get("properties").and_then(|p| p.get(k)) {
                layer_schema(v, o, depth + 1);
            }
        }
    }
}

/// Copies `key` from `older` into `obj` when `obj` lacks it or has only blank text.
fn fill(obj: &mut Map<String, Value>, older: &Value, key: &str) {
    let missing = match obj.get(key) {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::Object(o)) => o.is_empty(),
        Some(_) => false,
    };
    if missing && let Some(v) = older.get(key).filter(|v| !v.is_null()) {
        obj.insert(key.to_owned(), v.clone());
    }
}

/// What changed from `older` to `newer`: actions and params added or removed, structured facts
/// of params changed.
fn diff(older: &Value, newer: &Value, older_label: &str, newer_label: &str) -> Vec<Change> {
    let names = |d: &Value| -> BTreeSet<String> {
        d.get("apis")
            .and_then(Value::as_object)
            .map(|a| a.keys().cloned().collect())
            .unwrap_or_default()
    };
    let (before, after) = (names(older), names(newer));
    let mut out = Vec::new();
    let change = |action: &str, param: Option<&str>, b: String, a: String| Change {
        action: action.to_owned(),
        param: param.map(str::to_owned),
        before: b,
        after: a,
    };
    for gone in before.difference(&after) {
        out.push(change(
            gone,
            None,
            format!("listed in {older_label}"),
            format!("not listed in {newer_label}"),
        ));
    }
    for new in after.difference(&before) {
        out.push(change(
            new,
            None,
            format!("not listed in {older_label}"),
            format!("listed in {newer_label}"),
        ));
    }
    for name in before.intersection(&after) {
        let params = |d: &Value| -> Vec<(String, Value)> {
            d.pointer(&format!(
                "/apis/{}/parameters",
                name.replace('~', "~0").replace('/', "~1")
            ))
            .and_then(Value::as_array)
            .map(|ps| {
                ps.iter()
                    .filter_map(|p| Some((p.get("name")?.as_str()?.to_owned(), p.clone())))
                    .collect()
            })
            .unwrap_or_default()
        };
        let (old_ps, new_ps) = (params(older), params(newer));
        for (pname, old) in &old_ps {
            match new_ps.iter().find(|(n, _)| n == pname) {
                None => out.push(change(
                    name,
                    Some(pname),
                    format!("a param in {older_label}"),
                    format!("not a param in {newer_label}"),
                )),
                Some((_, new)) => {
                    for key in STRUCTURED {
                        let (o, n) = (
                            old.pointer(&format!("/schema/{key}")),
                            new.pointer(&format!("/schema/{key}")),
                        );
                        if o != n {
                            let show = |v: Option<&Value>| {
                                v.map_or_else(|| "absent".to_owned(), Value::to_string)
                            };
                            out.push(change(
                                name,
                                Some(pname),
                                format!("{key} {} in {older_label}", show(o)),
                                format!("{key} {} in {newer_label}", show(n)),
                            ));
                        }
                    }
                }
            }
        }
        for (pname, _) in new_ps
            .iter()
            .filter(|(n, _)| !old_ps.iter().any(|(o, _)| o == n))
        {
            out.push(change(
                name,
                Some(pname),
                format!("not a param in {older_label}"),
                format!("a param in {newer_label}"),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn newer_structure_wins_and_older_prose_stays() {
        let older = json!({"apis": {"A": {"title": "标题", "parameters": [
            {"name": "P", "schema": {"type": "integer", "maximum": "3", "description": "次数。取值范围：1~3"}},
            {"name": "Gone", "schema": {"type": "string"}}
        ]}, "Old": {}}});
        let newer = json!({"apis": {"A": {"parameters": [
            {"name": "P", "schema": {"type": "integer", "maximum": "5"}},
            {"name": "New", "schema": {"type": "string"}}
        ]}}});
        let (merged, changes) = merge(&[("2024-08".into(), older), ("2025-12".into(), newer)]);
        assert_eq!(merged["apis"]["A"]["title"], "标题");
        assert_eq!(
            merged["apis"]["A"]["parameters"][0]["schema"]["maximum"],
            "5"
        );
        assert_eq!(
            merged["apis"]["A"]["parameters"][0]["schema"]["description"],
            "次数。取值范围：1~3"
        );
        assert!(
            merged["apis"].get("Old").is_none(),
            "the newest snapshot decides which actions exist"
        );
        let said: Vec<String> = changes
            .iter()
            .map(|c| format!("{} {:?}: {} -> {}", c.action, c.param, c.before, c.after))
            .collect();
        assert_eq!(
            said,
            [
                "Old None: listed in 2024-08 -> not listed in 2025-12",
                "A Some(\"P\"): maximum \"3\" in 2024-08 -> maximum \"5\" in 2025-12",
                "A Some(\"Gone\"): a param in 2024-08 -> not a param in 2025-12",
                "A Some(\"New\"): not a param in 2024-08 -> a param in 2025-12",
            ]
        );
    }
}
