//! The published API reference: a static HTML site and the same content as Markdown, rendered
//! from a checked spec with the tera templates in `codegen/templates/site/`. Pure: spec in, file
//! contents out ([`render`]); `popgen docs` (in [`crate::cli`]) writes them.
//!
//! The HTML works from a plain file server or straight from disk: no external fonts, scripts or
//! CDNs; the search index is a small JavaScript file built here.

mod pricing;
mod search;
mod snippet;
mod view;

use std::collections::BTreeMap;

use popgen_spec::Spec;
use tera::{Context, Tera};

pub use snippet::{dyvms_line, rust_snippet};

/// Site files by path relative to the output directory (`html/index.html`, `md/README.md`).
pub type Site = BTreeMap<String, String>;

/// Options of a docs run.
#[derive(Debug, Clone)]
pub struct Options {
    /// The spec's location as shown in headers (`spec/dyvmsapi`), relative so that output does
    /// not depend on where the repository is checked out.
    pub spec_label: String,
    /// The client crate the Rust snippets use (`dyvmsapi`).
    pub crate_name: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            spec_label: "spec/dyvmsapi".to_owned(),
            crate_name: "dyvmsapi".to_owned(),
        }
    }
}

/// The templates, embedded so the binary needs no files at run time.
const TEMPLATES: &[(&str, &str)] = &[
    (
        "macros.html",
        include_str!("../../templates/site/macros.html"),
    ),
    ("base.html", include_str!("../../templates/site/base.html")),
    (
        "index.html",
        include_str!("../../templates/site/index.html"),
    ),
    (
        "action.html",
        include_str!("../../templates/site/action.html"),
    ),
    (
        "receipts.html",
        include_str!("../../templates/site/receipts.html"),
    ),
    (
        "codes.html",
        include_str!("../../templates/site/codes.html"),
    ),
    ("macros.md", include_str!("../../templates/site/macros.md")),
    ("index.md", include_str!("../../templates/site/index.md")),
    ("action.md", include_str!("../../templates/site/action.md")),
    (
        "receipts.md",
        include_str!("../../templates/site/receipts.md"),
    ),
    ("codes.md", include_str!("../../templates/site/codes.md")),
    (
        "pricing.html",
        include_str!("../../templates/site/pricing.html"),
    ),
    (
        "pricing.md",
        include_str!("../../templates/site/pricing.md"),
    ),
];

const CSS: &str = include_str!("../../templates/site/site.css");
const JS: &str = include_str!("../../templates/site/site.js");
const PRICING_JS: &str = include_str!("../../templates/site/pricing.js");

fn tera() -> Tera {
    let mut t = Tera::default();
    t.add_raw_templates(TEMPLATES.iter().copied())
        .unwrap_or_else(|e| panic!("the embedded templates parse: {}", error_chain(&e)));
    // Tera escapes `.html` templates itself; Markdown gets `md`, which keeps table cells whole.
    t.register_filter("md", md_filter);
    t.register_filter("ticks", ticks_filter);
    t
}

/// Escapes text for a Markdown table cell: pipes and line breaks would end the cell, `<`/`>`
/// would be read as HTML, and `*` outside code spans (masked digits, `1590****000`) as emphasis.
fn md_filter(
    value: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let s = value_text(value);
    let mut out = String::with_capacity(s.len());
    let mut in_code = false;
    for c in s.chars() {
        match c {
            '`' => {
                in_code = !in_code;
                out.push(c);
            }
            '|' => out.push_str("\\|"),
            '\n' | '\r' => out.push(' '),
            '<' if !in_code => out.push_str("&lt;"),
            '>' if !in_code => out.push_str("&gt;"),
            '*' if !in_code => out.push_str("\\*"),
            _ => out.push(c),
        }
    }
    Ok(tera::Value::String(out))
}

/// HTML-escapes text and turns its `code spans` into `<code>` elements (constraint phrases quote
/// values and patterns that way). The result is marked safe by the template.
fn ticks_filter(
    value: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let s = value_text(value);
    let mut out = String::with_capacity(s.len() + 16);
    let mut in_code = false;
    for c in s.chars() {
        match c {
            '`' => {
                out.push_str(if in_code { "</code>" } else { "<code>" });
                in_code = !in_code;
            }
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            _ => out.push(c),
        }
    }
    if in_code {
        out.push_str("</code>");
    }
    Ok(tera::Value::String(out))
}

fn value_text(value: &tera::Value) -> String {
    match value {
        tera::Value::String(s) => s.clone(),
        tera::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The do-not-edit header line, without comment markers. Only the index pages carry the
/// spec's hash (`with_hash`), so a one-value spec change rewrites only the pages it touches.
fn header_text(spec: &Spec, opts: &Options, with_hash: bool) -> String {
    let hash = if with_hash {
        format!(", SHA-256 {}", crate::generate::spec_hash(spec))
    } else {
        String::new()
    };
    format!(
        "@generated by `popgen docs` from the {} {} spec ({}{hash}). \
         Do not edit: change the spec and run `{}`.",
        spec.product.name,
        spec.product.version,
        opts.spec_label,
        crate::generate::regenerate("docs", &opts.spec_label, &opts.crate_name),
    )
}

/// Renders the whole site for `spec`.
pub fn render(spec: &Spec, opts: &Options) -> Site {
    let tera = tera();
    let header = header_text(spec, opts, false);
    let site = view::site(spec, opts);
    let mut base = Context::new();
    base.insert("header", &header);
    base.insert("product", &site.product);
    let mut out = Site::new();
    let mut page = |template: &str, path: String, root: &str, ctx: &Context| {
        let mut ctx = ctx.clone();
        ctx.insert("root", root);
        ctx.insert("page", &path);
        let body = tera
            .render(template, &ctx)
            .unwrap_or_else(|e| panic!("template {template}: {}", error_chain(&e)));
        out.insert(path, body);
    };
    let mut index = base.clone();
    index.insert("areas", &site.areas);
    index.insert("receipts", &site.receipts);
    index.insert("tables", &site.tables);
    index.insert("header", &header_text(spec, opts, true));
    page("index.html", "html/index.html".into(), "", &index);
    page("index.md", "md/README.md".into(), "", &index);
    let mut receipts = base.clone();
    receipts.insert("receipts", &site.receipts);
    page("receipts.html", "html/receipts.html".into(), "", &receipts);
    page("receipts.md", "md/receipts.md".into(), "", &receipts);
    let mut codes = base.clone();
    codes.insert("tables", &site.tables);
    codes.insert("common", &site.common);
    page("codes.html", "html/codes.html".into(), "", &codes);
    page("codes.md", "md/codes.md".into(), "", &codes);
    if let Some(pricing) = &site.pricing {
        let mut ctx = base.clone();
        ctx.insert("pricing", pricing);
        page("pricing.html", "html/pricing.html".into(), "", &ctx);
        page("pricing.md", "md/pricing.md".into(), "", &ctx);
    }
    for action in &site.actions {
        let mut ctx = base.clone();
        ctx.insert("action", action);
        let name = &action.name;
        page(
            "action.html",
            format!("html/actions/{name}.html"),
            "../",
            &ctx,
        );
        page("action.md", format!("md/actions/{name}.md"), "../", &ctx);
    }
    out.insert(
        "html/assets/site.css".to_owned(),
        format!("/* {header} */\n{CSS}"),
    );
    out.insert(
        "html/assets/site.js".to_owned(),
        format!("// {header}\n{JS}"),
    );
    if site.pricing.is_some() {
        out.insert(
            "html/assets/pricing.js".to_owned(),
            format!("// {header}\n{PRICING_JS}"),
        );
    }
    out.insert(
        "html/assets/search-index.js".to_owned(),
        format!("// {header}\n{}", search::index_js(&site)),
    );
    out
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}
