//! `popgen import`: Alibaba Cloud's published API metadata (the "api-docs" JSON behind its
//! OpenAPI portal and SDK generator) → a popgen spec directory, for any RPC product.
//!
//! One pipeline, as the other front ends: read every file leniently, each problem with its JSON
//! path ([`read`]); merge the snapshots of one product version, newest structure first and older
//! prose where the newer has none ([`merge`]); map the result onto the spec model — params with
//! their wire shape and rules, structured and read from the Chinese prose with the phrase each
//! came from ([`param`], [`prose`], [`prose_rules`]), responses and shared types ([`field`]), the
//! product and its areas ([`map`]); then settle what the checker would refuse — the metadata's
//! examples that disagree with its schemas get notes ([`settle`]) — and write YAML with
//! [`popgen_spec::write`]. Pure: texts in, texts out; the same input writes the same bytes.
#![warn(missing_docs)]

pub mod field;
pub mod map;
pub mod merge;
pub mod param;
pub mod prose;
pub mod prose_rules;
pub mod read;
pub mod rpc;
pub mod settle;
pub mod synthetic;

use std::collections::BTreeMap;

use popgen_spec::Level;
use popgen_spec::diag::Diagnostic;
use popgen_spec::yaml::Pos;

/// The largest metadata file read (ECS's, the largest product, is 2.7 MB).
pub const MAX_INPUT: usize = 64 * 1024 * 1024;

/// An import's result: the spec files and what was found on the way.
#[derive(Debug)]
pub struct Imported {
    /// File name → YAML text.
    pub files: BTreeMap<String, String>,
    /// Warnings (the import is usable).
    pub warnings: Vec<Diagnostic>,
}

/// Imports metadata files `(name, text)` of one product version, oldest snapshot first. The
/// label of each snapshot (for notes) is its name without directories and extension.
pub fn import(inputs: &[(String, String)]) -> Result<Imported, Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let mut docs = Vec::new();
    for (name, text) in inputs {
        if let Some(doc) = parse(name, text, &mut diagnostics) {
            docs.push((label(name), doc));
        }
    }
    if docs.is_empty() || diagnostics.iter().any(|d| d.level == Level::Error) {
        return Err(diagnostics);
    }
    same_product(inputs, &docs, &mut diagnostics);
    let (doc, changes) = merge::merge(&docs);
    let labels: Vec<String> = docs.iter().map(|(l, _)| l.clone()).collect();
    let mut sink = read::Sink::new(inputs.last().map_or("", |(n, _)| n.as_str()));
    let mut files = map::map(&doc, &changes, &labels, &mut sink);
    diagnostics.extend(sink.diagnostics);
    if diagnostics.iter().any(|d| d.level == Level::Error) {
        return Err(diagnostics);
    }
    match settle::settle(&mut files) {
        Ok(texts) => Ok(Imported {
            files: texts,
            warnings: diagnostics,
        }),
        Err(errors) => {
            diagnostics.extend(errors);
            Err(diagnostics)
        }
    }
}

/// The snapshot's label: `dyvmsapi@2017-05-25.2024-08.json` → `dyvmsapi@2017-05-25.2024-08`.
fn label(name: &str) -> String {
    let base = std::path::Path::new(name)
        .file_name()
        .map_or_else(|| name.to_owned(), |n| n.to_string_lossy().into_owned());
    base.strip_suffix(".json").unwrap_or(&base).to_owned()
}

fn error(file: &str, pos: Pos, path: &str, message: String, hint: Option<String>) -> Diagnostic {
    Diagnostic {
        level: Level::Error,
        file: file.to_owned(),
        pos,
        path: path.to_owned(),
        message,
        hint,
    }
}

/// The JSON of one file, or the reason it is not metadata.
fn parse(name: &str, text: &str, out: &mut Vec<Diagnostic>) -> Option<serde_json::Value> {
    let start = Pos { line: 1, col: 1 };
    if text.len() > MAX_INPUT {
        out.push(error(
            name,
            start,
            "",
            format!(
                "the file is {} bytes, more than the {MAX_INPUT} an import reads",
                text.len()
            ),
            None,
        ));
        return None;
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let doc: serde_json::Value = match serde_json::from_str(text) {
        Ok(d) => d,
        Err(e) => {
            let pos = Pos {
                line: e.line(),
                col: e.column(),
            };
            out.push(error(
                name,
                pos,
                "",
                format!("not JSON: {e}"),
                Some("api-docs metadata is one JSON object".into()),
            ));
            return None;
        }
    };
    if !doc.is_object() {
        out.push(error(
            name,
            start,
            "",
            "the metadata must be a JSON object".into(),
            Some("api-docs metadata has `info`, `apis`, `directories`...".into()),
        ));
        return None;
    }
    if doc.get("apis").is_none_or(|a| !a.is_object()) {
        out.push(error(
            name,
            start,
            "apis",
            "no `apis` object: this is not api-docs metadata".into(),
            None,
        ));
        return None;
    }
    if let Some(style) = doc.pointer("/info/style").and_then(|s| s.as_str())
        && !style.eq_ignore_ascii_case("RPC")
    {
        out.push(error(
            name,
            start,
            "info.style",
            format!("the product's style is `{style}`; popgen serves RPC products"),
            Some("ROA (REST-style) products use paths and bodies popgen does not model yet".into()),
        ));
        return None;
    }
    Some(doc)
}

/// Snapshots of different products or versions do not merge: say so.
fn same_product(
    inputs: &[(String, String)],
    docs: &[(String, serde_json::Value)],
    out: &mut Vec<Diagnostic>,
) {
    let id = |d: &serde_json::Value| {
        (
            d.pointer("/info/product")
                .and_then(|v| v.as_str())
                .map(str::to_owned),
            d.pointer("/info/version")
                .and_then(|v| v.as_str())
                .map(str::to_owned),
        )
    };
    if let Some((_, first)) = docs.first() {
        for ((name, _), (_, d)) in inputs.iter().zip(docs).skip(1) {
            if id(d) != id(first) {
                out.push(Diagnostic {
                    level: Level::Warning,
                    file: name.clone(),
                    pos: Pos { line: 1, col: 1 },
                    path: "info".into(),
                    message: format!(
                        "{:?} is not the product and version of the first file ({:?})",
                        id(d),
                        id(first)
                    ),
                    hint: Some("import the snapshots of one product version together".into()),
                });
            }
        }
    }
}
