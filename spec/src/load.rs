//! Loading a spec: read files (or directories of them), check each file's structure against the
//! schema, merge the sections of all files (laying curation files over the base: see
//! [`crate::layer`]), deserialize, then run the semantic checks. Every problem of every file is
//! reported in one run; nothing panics on bad input.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crate::diag::{Diagnostic, Level, Seg, display_path, key_pos, locate};
use crate::layer::{self, Curation, Provenance, SourceFile};
use crate::model::{Action, CodeTable, Field, NamedEnum, Product, Receipt, SpecFile};
use crate::yaml::{Node, Pos};
use crate::{check, schema, shape, yaml};

mod files;

pub use files::{MAX_FILE_BYTES, MAX_SPEC_BYTES, decode, expand, read_texts};

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
    /// Prices, when the spec has a `pricing` section.
    pub pricing: Option<crate::pricing::Pricing>,
    /// What curation files did to the base (empty for a spec without curation).
    pub curation: Curation,
    /// The files it came from, for positions in diagnostics.
    pub sources: Sources,
}

/// The parsed files of a spec, kept so that later stages can point at lines.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
    provenance: Provenance,
}

impl Sources {
    /// The file and the node a spec path of the merged spec is written at, and whether the
    /// whole path exists there (else the node is the deepest one found on the way).
    fn find(&self, path: &[Seg]) -> Option<(&SourceFile, Vec<Seg>)> {
        let (file, written) = self.provenance.find(path)?;
        Some((self.files.get(file)?, written))
    }

    /// Builds a diagnostic for a spec path, finding the file and position that path lives at.
    pub fn diagnostic(
        &self,
        level: Level,
        path: &[Seg],
        message: String,
        hint: Option<String>,
    ) -> Diagnostic {
        match self.find(path) {
            Some((f, path)) => {
                // A missing key is reported at the mapping that lacks it.
                let pos = key_pos(&f.root, &path).unwrap_or_else(|| locate(&f.root, &path).0.pos);
                Diagnostic {
                    level,
                    file: f.name.clone(),
                    pos,
                    path: display_path(&f.root, &path),
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
        let (file, path) = self.find(path)?;
        let (node, found) = locate(&file.root, &path);
        if !found {
            return None;
        }
        let pos = node.pos;
        let line = file.text.lines().nth(pos.line.checked_sub(1)?)?;
        let token: String = line
            .chars()
            .skip(pos.col.checked_sub(1)?)
            .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ']' | '}' | '#'))
            .collect();
        (!token.is_empty()).then_some(token)
    }

    /// The name of the file a spec path of the merged spec is written in (`actions.IvrCall` →
    /// `spec/dyvmsapi/voice-ivr.yaml`).
    pub fn file_of(&self, path: &[Seg]) -> Option<&str> {
        self.find(path).map(|(f, _)| f.name.as_str())
    }

    /// The file names and contents, in load order (for content hashes).
    pub fn texts(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files
            .iter()
            .map(|f| (f.name.as_str(), f.text.as_str()))
    }
}

impl Spec {
    /// The spec as one file: what the generator reads after curation is laid over the base
    /// (`popgen merged` prints it).
    pub fn to_file(&self) -> SpecFile {
        SpecFile {
            product: Some(self.product.clone()),
            enums: self.enums.clone(),
            types: self.types.clone(),
            actions: self.actions.clone(),
            receipts: self.receipts.clone(),
            code_tables: self.code_tables.clone(),
            pricing: self.pricing.clone(),
        }
    }

    /// The `Code` a successful answer of `action` carries: its own `success_code`, else the
    /// product's. The one place that default is applied.
    pub fn success_code<'a>(&'a self, action: &'a Action) -> &'a str {
        action
            .success_code
            .as_deref()
            .unwrap_or(&self.product.response.success_code)
    }

    /// The shape a field has: the named type its `type_ref` names, else the field itself (also
    /// when the name is unknown, which the checker reports). The one place a `type_ref` is
    /// followed.
    pub fn resolve<'a>(&'a self, f: &'a Field) -> &'a Field {
        match (&f.ty, &f.type_ref) {
            (None, Some(r)) => self.types.get(r).unwrap_or(f),
            _ => f,
        }
    }
}

/// A spec that loaded, with the warnings found on the way.
#[derive(Debug)]
pub struct Loaded {
    /// The spec.
    pub spec: Spec,
    /// Warnings (the spec is usable).
    pub warnings: Vec<Diagnostic>,
}

/// Loads the spec made of `paths` (files and directories).
pub fn load_paths(paths: &[PathBuf]) -> Result<Loaded, Vec<Diagnostic>> {
    load_texts(read_texts(paths)?)
}

/// Loads the bundled Dyvmsapi spec.
pub fn load_bundled() -> Result<Loaded, Vec<Diagnostic>> {
    load_paths(&[crate::bundled_dir()])
}

/// Loads a spec from in-memory files `(name, text)`. Files under a `curation` directory are
/// laid over the others ([`crate::layer`]).
pub fn load_texts(texts: Vec<(String, String)>) -> Result<Loaded, Vec<Diagnostic>> {
    let (files, mut diagnostics) = parse_files(texts);
    if diagnostics.iter().any(|d| d.level == Level::Error) {
        return Err(diagnostics);
    }
    let merged = layer::merge(&files);
    diagnostics.extend(merged.diagnostics);
    let sources = Sources {
        files,
        provenance: merged.provenance,
    };
    let Some(spec) = build(merged.doc, merged.curation, sources, &mut diagnostics) else {
        return Err(diagnostics);
    };
    diagnostics.extend(check::check(&spec));
    finish(spec, diagnostics)
}

/// Parses and structurally checks every file, in order, until the spec's size limit.
fn parse_files(texts: Vec<(String, String)>) -> (Vec<SourceFile>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut files = Vec::new();
    let mut total = 0;
    for (name, text) in texts {
        total += text.len() as u64;
        if let Some(e) = files::size_problem(&name, text.len() as u64, total) {
            diagnostics.push(e);
            if total > MAX_SPEC_BYTES {
                break;
            }
            continue;
        }
        // Editors hide a byte-order mark; positions are counted without it, so the text kept
        // for quoting the author is too.
        let text = match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_owned(),
            None => text,
        };
        let curation = layer::is_curation(&name);
        if let Some(root) = parse_file(&name, &text, curation, &mut diagnostics) {
            files.push(SourceFile {
                name,
                root,
                text,
                curation,
            });
        }
    }
    (files, diagnostics)
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

/// Parses and structurally checks one file (a curation file needs no required key); `None` when
/// it has errors (they are pushed).
fn parse_file(name: &str, text: &str, curation: bool, out: &mut Vec<Diagnostic>) -> Option<Node> {
    let diag = |pos: Pos, path: String, message: String, hint: Option<String>| Diagnostic {
        level: Level::Error,
        file: name.to_owned(),
        pos,
        path,
        message,
        hint,
    };
    let doc = match yaml::read(text) {
        Ok(doc) => doc,
        Err(e) => {
            out.push(diag(e.pos, String::new(), e.message, e.hint));
            return None;
        }
    };
    let root = doc.root;
    for w in doc.warnings {
        out.push(Diagnostic {
            level: Level::Warning,
            ..diag(w.pos, String::new(), w.message, w.hint)
        });
    }
    let before = errors(out);
    // An alias is read as null: the structural walk would report that null again at its place.
    let reported: BTreeSet<Pos> = doc.errors.iter().map(|e| e.pos).collect();
    for e in doc.errors {
        out.push(diag(e.pos, String::new(), e.message, e.hint));
    }
    let sections = "a spec file is a mapping with any of: product, enums, types, actions, receipts, code_tables, pricing";
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
    let problems = if curation {
        shape::check_relaxed(&root, schema::spec_file_schema())
    } else {
        shape::check(&root, schema::spec_file_schema())
    };
    for p in problems {
        if !reported.contains(&p.pos) {
            out.push(diag(p.pos, display_path(&root, &p.path), p.message, p.hint));
        }
    }
    (errors(out) == before).then_some(root)
}

fn errors(diagnostics: &[Diagnostic]) -> usize {
    diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .count()
}

/// Deserializes the merged document into a spec; `None` (with the errors pushed) when it has no
/// product or does not fit the model.
fn build(
    doc: serde_json::Value,
    curation: Curation,
    sources: Sources,
    out: &mut Vec<Diagnostic>,
) -> Option<Spec> {
    if out.iter().any(|d| d.level == Level::Error) {
        return None;
    }
    let first = sources
        .files
        .first()
        .map(|f| f.name.clone())
        .unwrap_or_default();
    let file = match serde_json::from_value::<SpecFile>(doc) {
        Ok(file) => file,
        Err(e) => {
            // The structural walks should have caught this; report it rather than lose it.
            out.push(Diagnostic {
                level: Level::Error,
                file: first,
                pos: Pos { line: 1, col: 1 },
                path: String::new(),
                message: format!("cannot read the merged spec: {e}"),
                hint: None,
            });
            return None;
        }
    };
    let Some(product) = file.product else {
        out.push(Diagnostic {
            level: Level::Error,
            file: first,
            pos: Pos { line: 1, col: 1 },
            path: String::new(),
            message: "no file of the spec has a `product` section".into(),
            hint: Some("one file must say `product:` with name, version, endpoint, ... (see spec/README.md)".into()),
        });
        return None;
    };
    Some(Spec {
        product,
        enums: file.enums,
        types: file.types,
        actions: file.actions,
        receipts: file.receipts,
        code_tables: file.code_tables,
        pricing: file.pricing,
        curation,
        sources,
    })
}
