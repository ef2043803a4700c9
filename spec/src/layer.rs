//! Layered specs: a base (an imported spec, or any spec) plus hand-written **curation** files
//! that amend it. A file is curation when a directory on its path is named `curation`
//! (`spec/dyvmsapi/curation/voice.yaml`); every other file is base.
//!
//! Base files merge as always: every name is defined once. Then each curation file is laid
//! over the result, by spec path:
//! - a mapping merges key by key; a key set to null removes the base's key;
//! - a list of named elements (params and fields by `name`, codes by `code`, enum values by
//!   `value`, signatures by `scheme`, areas by `id`, endpoints by `region`) merges element by
//!   element, matched by name;
//! - other lists of mappings (notes, rules, examples) are appended to; lists of scalars,
//!   scalars and an action's `receipts` (names and conditional entries) replace the base's.
//!
//! What the curation adds must be whole (an action, a param, a field with every required key);
//! what it amends may be partial. A curated element the base does not have and that is not
//! whole is **stale** — the import dropped what it amends — and is ignored with a warning, so
//! re-importing a newer snapshot keeps every curated rule whose param still exists.
//!
//! Where the curation replaces a value the base has, the curation wins; the result records both
//! values ([`Override`]). An override is *explained* when a curated element on its path carries
//! notes; an unexplained one is a warning naming both places, and so is a curated value that
//! only repeats the base's.
//!
//! The merge works on the files' JSON values and keeps, for every merged part, the file and path
//! it was written at ([`Provenance`]), so later diagnostics point at the right file and line.

use std::collections::BTreeMap;

use serde_json::{Map, Value as J};

use crate::diag::{Diagnostic, Level, Seg, display_path, key_pos, locate};
use crate::yaml::{Node, Pos};
use crate::{schema, shape};

/// The sections of a spec file that are maps of named entries.
pub(crate) const SECTIONS: [&str; 5] = ["enums", "types", "actions", "receipts", "code_tables"];

/// The sections a spec has at most once, written whole in one file.
const SINGLES: [&str; 2] = ["product", "pricing"];

/// The keys that name the elements of a list, tried in order.
const LABEL_KEYS: [&str; 6] = ["name", "code", "value", "scheme", "id", "region"];

/// Whether the file at `name` is a curation file: a directory on its path is named `curation`.
pub fn is_curation(name: &str) -> bool {
    let path = std::path::Path::new(name);
    path.parent()
        .is_some_and(|dir| dir.components().any(|c| c.as_os_str() == "curation"))
}

/// One parsed spec file.
#[derive(Debug, Clone)]
pub(crate) struct SourceFile {
    /// The file name, as given.
    pub name: String,
    /// The positioned tree.
    pub root: Node,
    /// The text (for quoting what the author wrote).
    pub text: String,
    /// Whether it is a curation file.
    pub curation: bool,
}

/// For every merged part of a spec, the file and the path inside it where that part is written.
/// A path not listed is written where its longest listed prefix is, at the same relative path.
#[derive(Debug, Clone, Default)]
pub struct Provenance(BTreeMap<Vec<Seg>, (usize, Vec<Seg>)>);

impl Provenance {
    fn set(&mut self, merged: Vec<Seg>, file: usize, written: Vec<Seg>) {
        self.0.insert(merged, (file, written));
    }

    /// The file index and the path inside that file where the merged `path` is written.
    pub(crate) fn find(&self, path: &[Seg]) -> Option<(usize, Vec<Seg>)> {
        (0..=path.len()).rev().find_map(|n| {
            let (file, written) = self.0.get(&path[..n])?;
            Some((*file, [written.as_slice(), &path[n..]].concat()))
        })
    }
}

/// A value of the base that a curation file replaced (or removed).
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    /// The spec path (`actions.SingleCallByTts.params[CalledShowNumber].required`).
    pub path: String,
    /// Where the curation writes it: file, line and column.
    pub curated_at: (String, Pos),
    /// Where the base writes it.
    pub base_at: (String, Pos),
    /// The base's value.
    pub base: J,
    /// The curated value; `None` when the curation removes the key.
    pub curated: Option<J>,
    /// Whether a curated element on the path carries notes saying why.
    pub explained: bool,
}

/// What the curation did to the base.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Curation {
    /// Base values the curation replaced or removed.
    pub overrides: Vec<Override>,
    /// Spec paths of whole elements the curation added (`actions.CancelCall`).
    pub added: Vec<String>,
    /// Spec paths of curated elements ignored because the base no longer has them.
    pub stale: Vec<String>,
}

/// The merged document of a spec, where each part was written, and what the curation did.
#[derive(Debug)]
pub(crate) struct Merged {
    /// One spec file's worth of JSON: every section of every file.
    pub doc: J,
    pub provenance: Provenance,
    pub curation: Curation,
    pub diagnostics: Vec<Diagnostic>,
}

/// Merges base files, then lays the curation files over them.
pub(crate) fn merge(files: &[SourceFile]) -> Merged {
    let mut m = Merger {
        files,
        doc: Map::new(),
        provenance: Provenance::default(),
        curation: Curation::default(),
        diagnostics: Vec::new(),
    };
    for (i, f) in files.iter().enumerate().filter(|(_, f)| !f.curation) {
        m.base_file(i, &f.root.to_json());
    }
    for (i, f) in files.iter().enumerate().filter(|(_, f)| f.curation) {
        m.curation_file(i, &f.root.to_json());
    }
    Merged {
        doc: J::Object(m.doc),
        provenance: m.provenance,
        curation: m.curation,
        diagnostics: m.diagnostics,
    }
}

struct Merger<'f> {
    files: &'f [SourceFile],
    doc: Map<String, J>,
    provenance: Provenance,
    curation: Curation,
    diagnostics: Vec<Diagnostic>,
}

/// A place in the curation file being laid over the base: the file and the path inside it.
#[derive(Clone)]
struct Here {
    file: usize,
    path: Vec<Seg>,
    /// Whether a curated element on the way here carries notes.
    explained: bool,
}

impl Here {
    fn key(&self, k: &str) -> Here {
        Here {
            path: [self.path.as_slice(), &[Seg::Key(k.to_owned())]].concat(),
            ..self.clone()
        }
    }

    fn index(&self, i: usize) -> Here {
        Here {
            path: [self.path.as_slice(), &[Seg::Index(i)]].concat(),
            ..self.clone()
        }
    }
}

fn key(path: &[Seg], k: &str) -> Vec<Seg> {
    [path, &[Seg::Key(k.to_owned())]].concat()
}

impl Merger<'_> {
    fn base_file(&mut self, file: usize, root: &J) {
        let Some(sections) = root.as_object() else {
            return;
        };
        for single in SINGLES {
            if let Some(value) = sections.get(single) {
                self.base_single(file, single, value);
            }
        }
        for section in SECTIONS {
            let Some(entries) = sections.get(section).and_then(J::as_object) else {
                continue;
            };
            for (name, value) in entries {
                self.base_entry(file, section, name, value);
            }
        }
    }

    /// A section a spec has once (`product`, `pricing`): the first file to write it wins.
    fn base_single(&mut self, file: usize, section: &str, value: &J) {
        let p = vec![Seg::Key(section.into())];
        match self.provenance.find(&p) {
            Some((first, _)) if self.doc.contains_key(section) => {
                let first = self.files[first].name.clone();
                self.error_at(
                    file,
                    &p,
                    format!("`{section}` is defined in two files"),
                    Some(format!(
                        "it is also defined in {first}; a spec has one {section} section"
                    )),
                );
            }
            _ => {
                self.doc.insert(section.into(), value.clone());
                self.provenance.set(p.clone(), file, p);
            }
        }
    }

    fn base_entry(&mut self, file: usize, section: &str, name: &str, value: &J) {
        let path = vec![Seg::Key(section.into()), Seg::Key(name.into())];
        let target = self
            .doc
            .entry(section)
            .or_insert_with(|| J::Object(Map::new()));
        let map = target.as_object_mut().expect("sections are maps");
        if map.contains_key(name) {
            let first = self
                .provenance
                .find(&path)
                .map(|(f, _)| self.files[f].name.clone())
                .unwrap_or_default();
            return self.error_at(
                file,
                &path,
                format!("`{name}` is defined in two files"),
                Some(format!("it is also defined in {first}; keep one of them")),
            );
        }
        map.insert(name.into(), value.clone());
        self.provenance.set(path.clone(), file, path);
    }

    fn curation_file(&mut self, file: usize, root: &J) {
        let Some(sections) = root.as_object() else {
            return;
        };
        let here = Here {
            file,
            path: Vec::new(),
            explained: false,
        };
        for (section, value) in sections {
            if SINGLES.contains(&section.as_str()) {
                self.amend_or_add(&here, &[], section, value);
                continue;
            }
            let Some(entries) = value.as_object() else {
                continue;
            };
            let within = here.key(section);
            let mpath = vec![Seg::Key(section.clone())];
            for (name, entry) in entries {
                self.amend_or_add(&within, &mpath, name, entry);
            }
        }
    }

    /// Lays the curated `value` of key `k` over the mapping at merged path `mpath`.
    fn amend_or_add(&mut self, parent: &Here, mpath: &[Seg], k: &str, value: &J) {
        let target = key(mpath, k);
        let here = parent.key(k);
        if self.get(&target).is_some() {
            return self.overlay(&target, &here, value);
        }
        if self.whole(&target, &here) {
            self.insert(&target, &here, value.clone());
            self.curation.added.push(self.display(&here));
        } else {
            self.stale(&target, &here);
        }
    }

    /// Lays `cur` over the base value at `mpath`.
    fn overlay(&mut self, mpath: &[Seg], here: &Here, cur: &J) {
        let here = &Here {
            explained: here.explained
                || cur
                    .get("notes")
                    .and_then(J::as_array)
                    .is_some_and(|n| !n.is_empty()),
            ..here.clone()
        };
        let base = self.get(mpath).cloned().unwrap_or(J::Null);
        if let (J::Array(_), J::Array(c)) = (&base, cur)
            && is_action_receipts(mpath)
        {
            // An action's receipts are one list (names and conditional entries, matched by no
            // key): the curation's replaces the base's, explained by notes on any entry.
            let here = &Here {
                explained: here.explained || c.iter().any(|e| e.get("notes").is_some()),
                ..here.clone()
            };
            return self.replace(mpath, here, &base, Some(cur));
        }
        match (&base, cur) {
            (J::Object(_), J::Object(entries)) => {
                // The key that named a matched list element says nothing new, nor does the
                // `kind` that says which variant (of a format, a rule) is amended.
                let name = label(cur).map(|(k, _)| k);
                let base_kind = base.get("kind");
                for (k, v) in entries.iter().filter(|(k, v)| {
                    Some(k.as_str()) != name && !(k.as_str() == "kind" && Some(*v) == base_kind)
                }) {
                    self.overlay_key(mpath, here, k, v);
                }
            }
            (J::Array(b), J::Array(c)) if keyed(c) && (b.is_empty() || keyed(b)) => {
                self.overlay_keyed(mpath, here, c)
            }
            (J::Array(b), J::Array(c)) if objects(b) && objects(c) => self.append(mpath, here, c),
            _ => self.replace(mpath, here, &base, Some(cur)),
        }
    }

    fn overlay_key(&mut self, mpath: &[Seg], here: &Here, k: &str, v: &J) {
        let target = key(mpath, k);
        let at = here.key(k);
        match (self.get(&target).cloned(), v) {
            (Some(base), J::Null) => self.replace(&target, &at, &base, None),
            (None, J::Null) => self.warn(
                &at,
                format!("the curation removes `{k}`, which the base does not have"),
                Some("remove the line".into()),
            ),
            (Some(_), _) => self.overlay(&target, &at, v),
            (None, _) => {
                let problems = self.problems(&target, &at);
                if problems.is_empty() {
                    self.insert(&target, &at, v.clone());
                } else {
                    self.diagnostics.extend(problems);
                }
            }
        }
    }

    /// Appends curated elements (notes, rules, examples) to the base's list; each must be whole.
    fn append(&mut self, mpath: &[Seg], here: &Here, items: &[J]) {
        for (j, item) in items.iter().enumerate() {
            let at = self.get(mpath).and_then(J::as_array).map_or(0, Vec::len);
            let target = [mpath, &[Seg::Index(at)]].concat();
            let problems = self.problems(&target, &here.index(j));
            if problems.is_empty() {
                self.insert(&target, &here.index(j), item.clone());
            } else {
                self.diagnostics.extend(problems);
            }
        }
    }

    /// Merges a list of named elements by name; unmatched curated elements are additions.
    fn overlay_keyed(&mut self, mpath: &[Seg], here: &Here, cur: &[J]) {
        for (j, item) in cur.iter().enumerate() {
            // An element's own notes explain what it overrides; its parent's do not.
            let at = Here {
                explained: false,
                ..here.index(j)
            };
            let base = self
                .get(mpath)
                .and_then(J::as_array)
                .cloned()
                .unwrap_or_default();
            match base.iter().position(|b| label(b) == label(item)) {
                Some(i) => self.overlay(&[mpath, &[Seg::Index(i)]].concat(), &at, item),
                None => {
                    let target = [mpath, &[Seg::Index(base.len())]].concat();
                    if self.whole(&target, &at) {
                        self.insert(&target, &at, item.clone());
                        self.curation.added.push(self.display(&at));
                    } else {
                        self.stale(&target, &at);
                    }
                }
            }
        }
    }

    /// Replaces (or, with `None`, removes) the base value at `mpath` with the curated one.
    fn replace(&mut self, mpath: &[Seg], here: &Here, base: &J, cur: Option<&J>) {
        if cur == Some(base) {
            return self.warn(
                here,
                "the curation repeats what the base says".into(),
                Some("remove it: the base already has this value".into()),
            );
        }
        let o = Override {
            path: self.display(here),
            curated_at: self.position(here.file, &here.path),
            base_at: self.base_position(mpath),
            base: base.clone(),
            curated: cur.cloned(),
            explained: here.explained,
        };
        if !o.explained {
            let now = cur.map_or_else(|| "removed".to_owned(), |c| format!("`{}`", short(c)));
            self.warn(
                here,
                format!(
                    "the curation overrides the base: {now} here, `{}` at {}:{}:{}",
                    short(base),
                    o.base_at.0,
                    o.base_at.1.line,
                    o.base_at.1.col
                ),
                Some("say why in `notes` on this element (the import may be right), or drop the curated value".into()),
            );
        }
        self.curation.overrides.push(o);
        match cur {
            Some(c) => self.insert(mpath, here, c.clone()),
            None => self.remove(mpath),
        }
    }

    /// Whether the curated element at `here` is whole enough to add at merged path `target`.
    fn whole(&self, target: &[Seg], here: &Here) -> bool {
        self.problems(target, here).is_empty()
    }

    /// What the full schema finds wrong with the curated node at `here`, checked as the value at
    /// merged path `target`.
    fn problems(&self, target: &[Seg], here: &Here) -> Vec<Diagnostic> {
        let f = &self.files[here.file];
        let (node, found) = locate(&f.root, &here.path);
        if !found {
            return Vec::new();
        }
        shape::check_at(node, schema::spec_file_schema(), target)
            .into_iter()
            .map(|p| {
                let rel = &p.path[target.len().min(p.path.len())..];
                let written = [here.path.as_slice(), rel].concat();
                Diagnostic {
                    level: Level::Error,
                    file: f.name.clone(),
                    pos: p.pos,
                    path: display_path(&f.root, &written),
                    message: p.message,
                    hint: p.hint,
                }
            })
            .collect()
    }

    fn stale(&mut self, target: &[Seg], here: &Here) {
        let path = self.display(here);
        let missing: Vec<String> = self
            .problems(target, here)
            .into_iter()
            .map(|d| d.message)
            .collect();
        let what = if missing.is_empty() {
            String::new()
        } else {
            format!(" ({})", missing.join("; "))
        };
        self.warn(
            here,
            format!("the curation amends something the base does not have; ignored{what}"),
            Some("if the import dropped it, delete this curation; to add it, write it whole (every required key)".into()),
        );
        self.curation.stale.push(path);
    }

    fn get(&self, path: &[Seg]) -> Option<&J> {
        let mut v = self.doc.get(match path.first()? {
            Seg::Key(k) => k.as_str(),
            Seg::Index(_) => return None,
        })?;
        for seg in &path[1..] {
            v = match seg {
                Seg::Key(k) => v.get(k)?,
                Seg::Index(i) => v.get(*i)?,
            };
        }
        Some(v)
    }

    fn insert(&mut self, path: &[Seg], here: &Here, value: J) {
        let Some((last, parent)) = path.split_last() else {
            return;
        };
        // A section the base does not have (a curation that adds the first named enum).
        if let [Seg::Key(section)] = parent {
            self.doc
                .entry(section.clone())
                .or_insert_with(|| J::Object(Map::new()));
        }
        let Some(container) = self.get_mut(parent) else {
            return;
        };
        match (last, container) {
            (Seg::Key(k), J::Object(map)) => {
                map.insert(k.clone(), value);
            }
            (Seg::Index(i), J::Array(items)) if *i < items.len() => items[*i] = value,
            (Seg::Index(_), J::Array(items)) => items.push(value),
            _ => return,
        }
        self.provenance
            .set(path.to_vec(), here.file, here.path.clone());
    }

    fn remove(&mut self, path: &[Seg]) {
        if let Some((Seg::Key(k), parent)) = path.split_last()
            && let Some(J::Object(map)) = self.get_mut(parent)
        {
            map.remove(k);
        }
    }

    fn get_mut(&mut self, path: &[Seg]) -> Option<&mut J> {
        let (first, rest) = path.split_first()?;
        let Seg::Key(k) = first else { return None };
        let mut v = self.doc.get_mut(k)?;
        for seg in rest {
            v = match seg {
                Seg::Key(k) => v.get_mut(k)?,
                Seg::Index(i) => v.get_mut(*i)?,
            };
        }
        Some(v)
    }

    fn display(&self, here: &Here) -> String {
        display_path(&self.files[here.file].root, &here.path)
    }

    fn position(&self, file: usize, path: &[Seg]) -> (String, Pos) {
        let f = &self.files[file];
        let pos = key_pos(&f.root, path).unwrap_or_else(|| locate(&f.root, path).0.pos);
        (f.name.clone(), pos)
    }

    fn base_position(&self, mpath: &[Seg]) -> (String, Pos) {
        match self.provenance.find(mpath) {
            Some((file, written)) => self.position(file, &written),
            None => (String::new(), Pos::default()),
        }
    }

    fn warn(&mut self, here: &Here, message: String, hint: Option<String>) {
        let (file, pos) = self.position(here.file, &here.path);
        self.diagnostics.push(Diagnostic {
            level: Level::Warning,
            file,
            pos,
            path: self.display(here),
            message,
            hint,
        });
    }

    fn error_at(&mut self, file: usize, path: &[Seg], message: String, hint: Option<String>) {
        let (name, pos) = self.position(file, path);
        self.diagnostics.push(Diagnostic {
            level: Level::Error,
            file: name,
            pos,
            path: display_path(&self.files[file].root, path),
            message,
            hint,
        });
    }
}

/// Whether `path` is an action's `receipts` (`actions.<name>.receipts`).
fn is_action_receipts(path: &[Seg]) -> bool {
    matches!(path, [Seg::Key(a), Seg::Key(_), Seg::Key(r)] if a == "actions" && r == "receipts")
}

/// The name of a list element: the value of its first label key.
fn label(v: &J) -> Option<(&'static str, &str)> {
    LABEL_KEYS
        .iter()
        .find_map(|k| Some((*k, v.get(*k)?.as_str()?)))
}

/// Whether every element of a non-empty list is a mapping with a name.
fn keyed(items: &[J]) -> bool {
    !items.is_empty() && items.iter().all(|i| label(i).is_some())
}

fn objects(items: &[J]) -> bool {
    items.iter().all(J::is_object)
}

/// A value for a one-line message, cut short.
fn short(v: &J) -> String {
    let text = match v {
        J::String(s) => s.clone(),
        other => other.to_string(),
    };
    match text.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}
