//! Loading a spec: read files (or directories of them), check each file's structure against the
//! schema, deserialize, merge the sections of all files, then run the semantic checks. Every
//! problem of every file is reported in one run; nothing panics on bad input.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Level, Seg, display_path, key_pos, locate};
use crate::model::{Action, CodeTable, Field, NamedEnum, Product, Receipt, SpecFile};
use crate::yaml::{Node, Pos};
use crate::{check, schema, shape, yaml};

/// A loaded, checked spec: all files merged.
#[derive(Debug, Clone)]
pub struct Spec {
    /// Product-level facts.
    pub product: Product,
    /// Named enums.
    pub enums: BTreeMap<String, NamedEnum>,
    /// Named types.
    pub types: BTreeMap<String, Field>,
    /// Actions by API name.
    pub actions: BTreeMap<String, Action>,
    /// Receipt messages by type.
    pub receipts: BTreeMap<String, Receipt>,
    /// Code tables by id.
    pub code_tables: BTreeMap<String, CodeTable>,
    /// The files it came from, for positions in diagnostics.
    pub sources: Sources,
}

/// The parsed files of a spec, kept so that later stages can point at lines.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

#[derive(Debug, Clone)]
struct SourceFile {
    name: String,
    root: Node,
    text: String,
}

impl Sources {
    /// Builds a diagnostic for a spec path, finding the file and position that path lives at.
    pub fn diagnostic(
        &self,
        level: Level,
        path: &[Seg],
        message: String,
        hint: Option<String>,
    ) -> Diagnostic {
        let found = self.files.iter().find(|f| locate(&f.root, path).1);
        let file = found.or_else(|| {
            // The deepest partial match: a missing key is reported at the mapping that lacks it.
            self.files.iter().max_by_key(|f| depth_found(&f.root, path))
        });
        match file {
            Some(f) => {
                let pos = key_pos(&f.root, path).unwrap_or_else(|| locate(&f.root, path).0.pos);
                Diagnostic {
                    level,
                    file: f.name.clone(),
                    pos,
                    path: display_path(&f.root, path),
                    message,
                    hint,
                }
            }
            None => Diagnostic {
                level,
                file: String::new(),
                pos: Pos::default(),
                path: String::new(),
                message,
                hint,
            },
        }
    }

    /// The plain scalar at `path` exactly as the file spells it (`0571123`, which YAML reads as the
    /// number 571123), for hints that must quote what the author wrote.
    pub fn written(&self, path: &[Seg]) -> Option<String> {
        let file = self.files.iter().find(|f| locate(&f.root, path).1)?;
        let pos = locate(&file.root, path).0.pos;
        let line = file.text.lines().nth(pos.line.checked_sub(1)?)?;
        let token: String = line
            .chars()
            .skip(pos.col.checked_sub(1)?)
            .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ']' | '}' | '#'))
            .collect();
        (!token.is_empty()).then_some(token)
    }

    /// The file names and contents, in load order (for content hashes).
    pub fn texts(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files
            .iter()
            .map(|f| (f.name.as_str(), f.text.as_str()))
    }
}

fn depth_found(root: &Node, path: &[Seg]) -> usize {
    (0..=path.len())
        .rev()
        .find(|&n| locate(root, &path[..n]).1)
        .unwrap_or(0)
}

/// A spec that loaded, with the warnings found on the way.
#[derive(Debug)]
pub struct Loaded {
    /// The spec.
    pub spec: Spec,
    /// Warnings (the spec is usable).
    pub warnings: Vec<Diagnostic>,
}

/// Lists the spec files of `paths`: files as given, directories expanded to their `*.yaml` /
/// `*.yml` files (recursively, sorted so the result does not depend on the file system).
pub fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Vec<Diagnostic>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found = Vec::new();
            collect_dir(p, &mut found, &mut errors);
            if found.is_empty() {
                errors.push(file_error(
                    p,
                    "the directory holds no `.yaml` or `.yml` file".into(),
                    None,
                ));
            }
            found.sort();
            out.extend(found);
        } else if p.exists() {
            out.push(p.clone());
        } else {
            errors.push(file_error(p, "no such file or directory".into(), None));
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn collect_dir(dir: &Path, out: &mut Vec<PathBuf>, errors: &mut Vec<Diagnostic>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            return errors.push(file_error(
                dir,
                format!("cannot read the directory: {e}"),
                None,
            ));
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_dir(&path, out, errors);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        ) {
            out.push(path);
        }
    }
}

fn file_error(path: &Path, message: String, hint: Option<String>) -> Diagnostic {
    Diagnostic {
        level: Level::Error,
        file: path.display().to_string(),
        pos: Pos { line: 1, col: 1 },
        path: String::new(),
        message,
        hint,
    }
}

/// Loads the spec made of `paths` (files and directories).
pub fn load_paths(paths: &[PathBuf]) -> Result<Loaded, Vec<Diagnostic>> {
    let files = expand(paths)?;
    let mut texts = Vec::new();
    let mut errors = Vec::new();
    for f in &files {
        match std::fs::read_to_string(f) {
            Ok(t) => texts.push((f.display().to_string(), t)),
            Err(e) => errors.push(file_error(f, format!("cannot read the file: {e}"), None)),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    load_texts(texts)
}

/// Loads the bundled Dyvmsapi spec.
pub fn load_bundled() -> Result<Loaded, Vec<Diagnostic>> {
    load_paths(&[crate::bundled_dir()])
}

/// Loads a spec from in-memory files `(name, text)`.
pub fn load_texts(texts: Vec<(String, String)>) -> Result<Loaded, Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let mut parsed = Vec::new();
    for (name, text) in texts {
        if let Some(file) = parse_file(&name, &text, &mut diagnostics) {
            parsed.push((
                SourceFile {
                    name,
                    root: file.1,
                    text,
                },
                file.0,
            ));
        }
    }
    if diagnostics.iter().any(|d| d.level == Level::Error) {
        return Err(diagnostics);
    }
    let (spec, merge_errors) = merge(parsed);
    diagnostics.extend(merge_errors);
    let Some(spec) = spec else {
        return Err(diagnostics);
    };
    diagnostics.extend(check::check(&spec));
    finish(spec, diagnostics)
}

fn finish(spec: Spec, mut diagnostics: Vec<Diagnostic>) -> Result<Loaded, Vec<Diagnostic>> {
    diagnostics.sort_by(|a, b| (&a.file, a.pos, &a.message).cmp(&(&b.file, b.pos, &b.message)));
    diagnostics.dedup();
    if diagnostics.iter().any(|d| d.level == Level::Error) {
        Err(diagnostics)
    } else {
        Ok(Loaded {
            spec,
            warnings: diagnostics,
        })
    }
}

/// Parses and structurally checks one file; `None` when it has errors (they are pushed).
fn parse_file(name: &str, text: &str, out: &mut Vec<Diagnostic>) -> Option<(SpecFile, Node)> {
    let diag = |pos: Pos, path: String, message: String, hint: Option<String>| Diagnostic {
        level: Level::Error,
        file: name.to_owned(),
        pos,
        path,
        message,
        hint,
    };
    let (root, syntax) = match yaml::parse(text) {
        Ok(r) => r,
        Err(e) => {
            out.push(diag(e.pos, String::new(), e.message, e.hint));
            return None;
        }
    };
    let before = out.len();
    // An alias is read as null: the structural walk would report that null again at its place.
    let reported: Vec<Pos> = syntax.iter().map(|e| e.pos).collect();
    for e in syntax {
        out.push(diag(e.pos, String::new(), e.message, e.hint));
    }
    let sections = "a spec file is a mapping with any of: product, enums, types, actions, receipts, code_tables";
    match &root.value {
        yaml::Value::Null => {
            out.push(diag(
                root.pos,
                String::new(),
                "the file is empty".into(),
                Some(sections.into()),
            ));
            return None;
        }
        yaml::Value::Map(_) => {}
        other => {
            let message = format!(
                "a spec file must be a mapping, but this one is {}",
                other.kind()
            );
            out.push(diag(
                root.pos,
                String::new(),
                message,
                Some(sections.into()),
            ));
            return None;
        }
    }
    for p in shape::check(&root, schema::spec_file_schema()) {
        if !reported.contains(&p.pos) {
            out.push(diag(p.pos, display_path(&root, &p.path), p.message, p.hint));
        }
    }
    if out.len() > before {
        return None;
    }
    match serde_json::from_value::<SpecFile>(root.to_json()) {
        Ok(file) => Some((file, root)),
        Err(e) => {
            // The structural walk should have caught this; report it rather than lose it.
            out.push(diag(
                root.pos,
                String::new(),
                format!("cannot read the spec: {e}"),
                None,
            ));
            None
        }
    }
}

/// Merges the files' sections; a name defined twice is an error naming both places.
fn merge(files: Vec<(SourceFile, SpecFile)>) -> (Option<Spec>, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    let mut product: Option<(Product, String)> = None;
    let mut enums = BTreeMap::new();
    let mut types = BTreeMap::new();
    let mut actions = BTreeMap::new();
    let mut receipts = BTreeMap::new();
    let mut code_tables = BTreeMap::new();
    let mut origins: BTreeMap<(&'static str, String), String> = BTreeMap::new();
    let mut sources = Sources::default();
    for (source, file) in files {
        let name = source.name.clone();
        let mut dup = |section: &'static str, key: &str, errors: &mut Vec<Diagnostic>| {
            let pos = key_pos(
                &source.root,
                &[Seg::Key(section.into()), Seg::Key(key.into())],
            )
            .unwrap_or_default();
            if let Some(first) = origins.insert((section, key.to_owned()), name.clone()) {
                errors.push(Diagnostic {
                    level: Level::Error,
                    file: name.clone(),
                    pos,
                    path: format!("{section}.{key}"),
                    message: format!("`{key}` is defined in two files"),
                    hint: Some(format!("it is also defined in {first}; keep one of them")),
                });
            }
        };
        if let Some(p) = file.product {
            match &product {
                Some((_, first)) => errors.push(Diagnostic {
                    level: Level::Error,
                    file: name.clone(),
                    pos: key_pos(&source.root, &[Seg::Key("product".into())]).unwrap_or_default(),
                    path: "product".into(),
                    message: "`product` is defined in two files".into(),
                    hint: Some(format!(
                        "it is also defined in {first}; a spec has one product section"
                    )),
                }),
                None => product = Some((p, name.clone())),
            }
        }
        macro_rules! merge_section {
            ($field:ident, $target:ident) => {
                for (k, v) in file.$field {
                    dup(stringify!($field), &k, &mut errors);
                    $target.entry(k).or_insert(v);
                }
            };
        }
        merge_section!(enums, enums);
        merge_section!(types, types);
        merge_section!(actions, actions);
        merge_section!(receipts, receipts);
        merge_section!(code_tables, code_tables);
        sources.files.push(source);
    }
    let Some((product, _)) = product else {
        let file = sources
            .files
            .first()
            .map(|f| f.name.clone())
            .unwrap_or_default();
        errors.push(Diagnostic {
            level: Level::Error,
            file,
            pos: Pos { line: 1, col: 1 },
            path: String::new(),
            message: "no file of the spec has a `product` section".into(),
            hint: Some("one file must say `product:` with name, version, endpoint, ... (see spec/README.md)".into()),
        });
        return (None, errors);
    };
    let spec = Spec {
        product,
        enums,
        types,
        actions,
        receipts,
        code_tables,
        sources,
    };
    (Some(spec), errors)
}
