//! `popgen curate`: the curation that carries a hand-written spec over onto an imported one.
//!
//! Given an older spec people wrote (the 2022 reference's) and a base an importer wrote from
//! today's metadata, this computes the smallest curation (see `popgen_spec::layer`) that puts
//! back what people knew and the metadata does not say — English texts, sensitive flags, callee
//! limits, receipts, code tables, notes, examples, constraints the metadata lacks, actions it no
//! longer lists — and nothing the base already says.
//!
//! Where the two disagree about a rule, the **permissive** reading wins: a validating client must
//! never refuse a request the service accepts. A range or a length becomes the wider of the two
//! (characters over bytes), an enum the union, `required` holds only if both say so; the base's
//! type, default, example, Chinese text and area stand. Every such disagreement is written down
//! as a note on the element, quoting both sources, so a reviewer sees what was chosen and why.
//! What people decided on purpose — the effect of an action (the metadata only knows "writes"),
//! its idempotency param — is curated over the base, explained by the same kind of note.
//!
//! Pure: specs in, YAML texts out.

use std::collections::BTreeMap;

use popgen_spec::Spec;
use popgen_spec::diag::Seg;
use popgen_spec::model::{Note, NoteKind};
use serde_yaml::{Mapping, Value};

/// The keys that name list elements, as the layered merge matches them.
const LABEL_KEYS: [&str; 6] = ["name", "code", "value", "scheme", "id", "region"];

/// The curation files: file name (the old spec's file the curated part came from) → YAML text.
pub fn curate(old: &Spec, base: &Spec, old_label: &str) -> BTreeMap<String, String> {
    let mut cx = Cx {
        old_label,
        old_enums: old
            .enums
            .iter()
            .map(|(k, e)| {
                (
                    k.clone(),
                    e.values.iter().map(|v| v.value.clone()).collect(),
                )
            })
            .collect(),
        files: BTreeMap::new(),
    };
    cx.product(old, base);
    cx.section(old, base, "enums", |s| to_map(&s.enums));
    cx.section(old, base, "types", |s| to_map(&s.types));
    cx.section(old, base, "actions", |s| to_map(&s.actions));
    cx.section(old, base, "receipts", |s| to_map(&s.receipts));
    cx.section(old, base, "code_tables", |s| to_map(&s.code_tables));
    cx.files
        .into_iter()
        .map(|(file, doc)| {
            let header = format!(
                "Curation: what {old_label} says and the imported base does not (written by\n`popgen curate`; review it, then edit it by hand: the import never touches it)."
            );
            (file, popgen_spec::write::value_to_yaml(&Value::Mapping(doc), &header))
        })
        .collect()
}

fn to_map<T: serde::Serialize>(m: &BTreeMap<String, T>) -> Vec<(String, Value)> {
    m.iter()
        .map(|(k, v)| {
            (
                k.clone(),
                serde_yaml::to_value(v).expect("the model serializes"),
            )
        })
        .collect()
}

struct Cx<'a> {
    old_label: &'a str,
    /// The old spec's named enums and their values.
    old_enums: BTreeMap<String, Vec<String>>,
    /// File name → its sections.
    files: BTreeMap<String, Mapping>,
}

impl Cx<'_> {
    fn file_name(&self, old: &Spec, path: &[&str]) -> String {
        let segs: Vec<Seg> = path.iter().map(|s| Seg::from(*s)).collect();
        let written = old.sources.file_of(&segs).unwrap_or("curation.yaml");
        std::path::Path::new(written).file_name().map_or_else(
            || "curation.yaml".to_owned(),
            |n| n.to_string_lossy().into_owned(),
        )
    }

    fn put(&mut self, file: String, section: &str, key: Option<&str>, value: Value) {
        let doc = self.files.entry(file).or_default();
        match key {
            None => {
                doc.insert(section.into(), value);
            }
            Some(k) => {
                let sec = doc
                    .entry(section.into())
                    .or_insert_with(|| Value::Mapping(Mapping::new()));
                if let Value::Mapping(m) = sec {
                    m.insert(k.into(), value);
                }
            }
        }
    }

    fn product(&mut self, old: &Spec, base: &Spec) {
        let o = serde_yaml::to_value(&old.product).expect("serializes");
        let b = serde_yaml::to_value(&base.product).expect("serializes");
        if let Some(c) = self.diff(&o, Some(&b), "product", &old.product.name) {
            let file = self.file_name(old, &["product"]);
            self.put(file, "product", None, c);
        }
    }

    fn section(
        &mut self,
        old: &Spec,
        base: &Spec,
        section: &str,
        entries: impl Fn(&Spec) -> Vec<(String, Value)>,
    ) {
        let base_entries: BTreeMap<String, Value> = entries(base).into_iter().collect();
        for (name, o) in entries(old) {
            let curated = match base_entries.get(&name) {
                Some(b) => self.diff(&o, Some(b), section, &name),
                None => Some(self.kept_whole(section, &name, o)),
            };
            if let Some(c) = curated {
                let file = self.file_name(old, &[section, &name]);
                self.put(file, section, Some(&name), c);
            }
        }
    }

    /// An entry of the old spec the base does not have, kept whole with a note saying so.
    fn kept_whole(&self, section: &str, name: &str, mut v: Value) -> Value {
        if section == "actions" {
            let note = self.note(
                NoteKind::Update,
                name,
                format!("{} documents `{name}`; the imported metadata does not list it.", self.old_label),
                "kept, as written by hand".into(),
                "Clients built from the old spec use it, and the service may still answer it; drop it here once it is known to be gone.".into(),
            );
            push_note(&mut v, note);
        }
        v
    }

    /// The curation that makes `base` say what `old` says (permissively), or `None` when the base
    /// already does. `about` names the element for notes.
    fn diff(&self, old: &Value, base: Option<&Value>, key: &str, about: &str) -> Option<Value> {
        let Some(base) = base else {
            return Some(old.clone());
        };
        if old == base {
            return None;
        }
        match (old, base) {
            // An action's receipts: one list, replaced whole by the curation (spec/src/layer.rs).
            (Value::Sequence(_), _) if key == "receipts" => Some(old.clone()),
            (Value::Mapping(o), Value::Mapping(b)) => self.diff_mapping(o, b, about),
            (Value::Sequence(o), Value::Sequence(b)) if keyed(o) => self.diff_keyed(o, b, key),
            (Value::Sequence(o), Value::Sequence(b)) if o.iter().all(Value::is_mapping) => {
                let missing: Vec<Value> = o.iter().filter(|v| !b.contains(v)).cloned().collect();
                (!missing.is_empty()).then_some(Value::Sequence(missing))
            }
            _ => Some(old.clone()),
        }
    }

    fn diff_mapping(&self, o: &Mapping, b: &Mapping, about: &str) -> Option<Value> {
        let mut out = Mapping::new();
        let mut notes = Vec::new();
        for (k, ov) in o {
            let key = k.as_str().unwrap_or_default();
            let d = self.decide(key, ov, b.get(k), about);
            if let Some(v) = d.curate {
                out.insert(k.clone(), v);
            }
            notes.extend(d.note);
        }
        if let Some(note) = self.named_over_inline(&mut out, b, about) {
            notes.push(note);
        }
        if !notes.is_empty() {
            let mut as_value = Value::Mapping(out);
            for n in notes {
                push_note(&mut as_value, n);
            }
            out = match as_value {
                Value::Mapping(m) => m,
                _ => unreachable!("a mapping stays a mapping"),
            };
        }
        (!out.is_empty()).then_some(Value::Mapping(out))
    }

    /// The old spec names an enum (`enum_ref`) where the base lists values inline: the named
    /// enum replaces the inline one when it has every value the base lists, else the inline one
    /// stays (the permissive reading). Either way a note says so.
    fn named_over_inline(&self, out: &mut Mapping, b: &Mapping, about: &str) -> Option<Value> {
        let named = out.get("enum_ref")?.as_str()?.to_owned();
        let inline: Vec<String> = b
            .get("enum")?
            .as_sequence()?
            .iter()
            .filter_map(|v| v.get("value")?.as_str().map(str::to_owned))
            .collect();
        let values = self.old_enums.get(&named)?;
        let missing: Vec<&String> = inline.iter().filter(|v| !values.contains(v)).collect();
        let (chosen, why) = if missing.is_empty() {
            out.insert("enum".into(), Value::Null);
            (
                format!("the named enum `{named}`"),
                "It has every value the metadata lists, with the meanings people wrote.".to_owned(),
            )
        } else {
            out.remove("enum_ref");
            (
                "the metadata's values".to_owned(),
                format!(
                    "The metadata lists values `{named}` lacks ({}): a client must not refuse them.",
                    missing
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        };
        Some(self.note(
            NoteKind::Contradiction,
            about,
            format!(
                "{} names the enum `{named}`; the imported metadata lists the values {}",
                self.old_label,
                inline.join(", ")
            ),
            chosen,
            why,
        ))
    }

    /// What to do with the old spec's `key: old` where the base has `base`.
    fn decide(&self, key: &str, old: &Value, base: Option<&Value>, about: &str) -> Decision {
        // A flag the model leaves out when false is false, not unknown.
        let unset = Value::Bool(false);
        let base = base.or((key == "required").then_some(&unset));
        let Some(b) = base else {
            return match key {
                // The base names its own source and areas.
                "source" | "area" => Decision::SAME,
                _ => Decision::curate(old.clone()),
            };
        };
        if old == b {
            return Decision::SAME;
        }
        match key {
            // The base's texts, examples, areas and sources stand without comment: its
            // Chinese is newer, and English it already has need not be replaced.
            "zh" | "en" | "area" | "source" | "title" | "example" => Decision::SAME,
            // The base's facts stand; the older value is kept in a note. `required` is the
            // gateway's rule: the service enforces it whatever the old documentation said.
            "type" | "default" | "success_code" | "format" | "pattern" | "fixed" | "qps"
            | "methods" | "location" | "required" => Decision::note(self.disagreement(
                key,
                old,
                b,
                about,
                "the metadata's",
                "The metadata is the service's own, newer description; the older value is kept here for review.",
            )),
            "range" => self.widest(key, old, b, about, wider_range),
            "length" => self.widest(key, old, b, about, wider_length),
            // What people decided on purpose: the metadata only knows "writes".
            "effect" | "idempotency_param" => Decision {
                curate: Some(old.clone()),
                note: Some(self.disagreement(
                    key,
                    old,
                    b,
                    about,
                    "the hand-written value",
                    "It says more than the metadata, which knows only whether an action writes; clients retry by it.",
                )),
            },
            "name" | "code" | "value" | "scheme" | "id" | "region" => Decision::SAME,
            _ => match self.diff(old, Some(b), key, about) {
                Some(v) => Decision::curate(v),
                None => Decision::SAME,
            },
        }
    }

    /// The wider of two bounds: curated when wider than the base's; a note either way.
    fn widest(
        &self,
        key: &str,
        old: &Value,
        base: &Value,
        about: &str,
        widen: fn(&Value, &Value) -> Value,
    ) -> Decision {
        let wide = widen(old, base);
        let note = self.disagreement(
            key,
            old,
            base,
            about,
            "the wider of the two",
            "Where the sources disagree about a rule, the permissive reading wins: a client must not refuse a value the service accepts.",
        );
        // Only the keys that widen: the rest of the base's bounds stand as they are.
        let changed = match (&wide, base) {
            (Value::Mapping(w), Value::Mapping(b)) => {
                let keep: Mapping = w
                    .iter()
                    .filter(|(k, v)| b.get(*k) != Some(*v))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                let dropped: Vec<&Value> = b.keys().filter(|k| !w.contains_key(*k)).collect();
                let mut keep = keep;
                for k in dropped {
                    keep.insert(k.clone(), Value::Null);
                }
                (!keep.is_empty()).then_some(Value::Mapping(keep))
            }
            _ => (&wide != base).then_some(wide.clone()),
        };
        Decision {
            curate: changed,
            note: Some(note),
        }
    }

    fn diff_keyed(&self, o: &[Value], b: &[Value], key: &str) -> Option<Value> {
        let mut out = Vec::new();
        for item in o {
            let name = label(item);
            let matched = b.iter().find(|x| label(x) == name);
            let about = name.map_or(key.to_owned(), |(_, n)| n.to_owned());
            match matched {
                None => out.push(item.clone()),
                Some(m) => {
                    if let Some(Value::Mapping(mut c)) = self.diff(item, Some(m), key, &about) {
                        // Name the element so the merge finds it.
                        if let Some((k, n)) = name {
                            let mut named = Mapping::new();
                            named.insert(k.into(), n.into());
                            named.extend(std::mem::take(&mut c));
                            c = named;
                        }
                        out.push(Value::Mapping(c));
                    }
                }
            }
        }
        (!out.is_empty()).then_some(Value::Sequence(out))
    }

    fn disagreement(
        &self,
        key: &str,
        old: &Value,
        base: &Value,
        about: &str,
        chosen: &str,
        why: &str,
    ) -> Value {
        let kind = match key {
            "effect" | "idempotency_param" => NoteKind::Update,
            _ => NoteKind::Contradiction,
        };
        self.note(
            kind,
            about,
            format!(
                "{}: `{key}` is {}; the imported metadata says {}",
                self.old_label,
                inline(old),
                inline(base)
            ),
            format!("{} ({chosen})", inline(&chosen_value(key, old, base))),
            why.into(),
        )
    }

    fn note(
        &self,
        kind: NoteKind,
        about: &str,
        says: String,
        chosen: String,
        why: String,
    ) -> Value {
        serde_yaml::to_value(Note {
            kind,
            about: Some(about.to_owned()),
            reference_says: says,
            chosen,
            why,
        })
        .expect("a note serializes")
    }
}

/// What to curate for one key, and the note that records a disagreement.
struct Decision {
    curate: Option<Value>,
    note: Option<Value>,
}

impl Decision {
    const SAME: Decision = Decision {
        curate: None,
        note: None,
    };

    fn curate(v: Value) -> Decision {
        Decision {
            curate: Some(v),
            note: None,
        }
    }

    fn note(n: Value) -> Decision {
        Decision {
            curate: None,
            note: Some(n),
        }
    }
}

/// What the permissive reading picks for `key`, for the note.
fn chosen_value(key: &str, old: &Value, base: &Value) -> Value {
    match key {
        "range" => wider_range(old, base),
        "length" => wider_length(old, base),
        "effect" | "idempotency_param" => old.clone(),
        _ => base.clone(),
    }
}

fn push_note(v: &mut Value, note: Value) {
    if let Value::Mapping(m) = v {
        let notes = m
            .entry("notes".into())
            .or_insert_with(|| Value::Sequence(Vec::new()));
        if let Value::Sequence(list) = notes {
            list.push(note);
        }
    }
}

/// The union of two ranges: the lower min, the higher max, a missing bound wins.
fn wider_range(a: &Value, b: &Value) -> Value {
    let num = |v: &Value, k: &str| v.get(k).and_then(Value::as_f64);
    let pick = |k: &str, lower: bool| -> Option<Value> {
        let (x, y) = (num(a, k)?, num(b, k)?);
        let keep_a = if lower { x <= y } else { x >= y };
        (if keep_a { a } else { b }).get(k).cloned()
    };
    let mut out = Mapping::new();
    if let Some(min) = pick("min", true) {
        out.insert("min".into(), min);
    }
    if let Some(max) = pick("max", false) {
        out.insert("max".into(), max);
    }
    for k in ["out_of_range"] {
        if let Some(v) = b.get(k).or_else(|| a.get(k)) {
            out.insert(k.into(), v.clone());
        }
    }
    Value::Mapping(out)
}

/// The union of two lengths: characters when either counts characters (a character is at least
/// a byte), the lower min, the higher max.
fn wider_length(a: &Value, b: &Value) -> Value {
    let mut out = match wider_range(a, b) {
        Value::Mapping(m) => m,
        _ => Mapping::new(),
    };
    out.remove("out_of_range");
    let chars = [a, b]
        .iter()
        .any(|v| v.get("unit").and_then(Value::as_str) == Some("chars"));
    out.insert("unit".into(), if chars { "chars" } else { "bytes" }.into());
    Value::Mapping(out)
}

fn label(v: &Value) -> Option<(&'static str, &str)> {
    LABEL_KEYS
        .iter()
        .find_map(|k| Some((*k, v.get(*k)?.as_str()?)))
}

fn keyed(items: &[Value]) -> bool {
    !items.is_empty() && items.iter().all(|i| label(i).is_some())
}

/// A value on one line, for notes.
fn inline(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => popgen_spec::write::one_line(other),
    }
}
