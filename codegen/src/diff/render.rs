//! A [`Report`] as readable text, as Markdown (for a changelog or a pull request) and as JSON
//! (for tools). Changes are grouped by severity, most severe first, and sorted by id inside a
//! group, so the output is deterministic.

use std::fmt::Write as _;

use super::{Change, Report, Severity};

const ORDER: [Severity; 4] = [
    Severity::Breaking,
    Severity::Warning,
    Severity::Compatible,
    Severity::Info,
];

fn group(report: &Report, severity: Severity) -> impl Iterator<Item = &Change> {
    report
        .changes
        .iter()
        .filter(move |c| c.severity == severity)
}

fn summary(report: &Report) -> String {
    if report.changes.is_empty() {
        return "no changes".to_owned();
    }
    let accepted = report
        .changes
        .iter()
        .filter(|c| c.accepted.is_some())
        .count();
    let rust = report
        .changes
        .iter()
        .filter(|c| {
            c.rust_impact
                .as_ref()
                .is_some_and(|r| r.severity == Severity::Breaking)
        })
        .count();
    format!(
        "{} change(s): {} breaking, {} warning(s), {} compatible, {} info; {} accepted; {} break \
         the generated Rust API",
        report.changes.len(),
        report.count(Severity::Breaking),
        report.count(Severity::Warning),
        report.count(Severity::Compatible),
        report.count(Severity::Info),
        accepted,
        rust,
    )
}

/// Readable text: one block per change.
pub fn text(report: &Report) -> String {
    let mut out = format!("{} -> {}\n{}\n", report.old, report.new, summary(report));
    for severity in ORDER {
        for c in group(report, severity) {
            let _ = write!(
                out,
                "\n{:<10} {}  ({}, {})\n",
                severity.as_str(),
                c.id,
                c.kind.as_str(),
                c.direction.as_str()
            );
            if let Some(reason) = &c.accepted {
                let _ = writeln!(out, "  accepted: {reason}");
            }
            if c.old.is_some() || c.new.is_some() {
                let _ = writeln!(out, "  old: {}", c.old.as_deref().unwrap_or("-"));
                let _ = writeln!(out, "  new: {}", c.new.as_deref().unwrap_or("-"));
            }
            let _ = writeln!(out, "  why: {}", c.why);
            if let Some(r) = &c.rust_impact {
                let _ = writeln!(out, "  rust ({}): {}", r.severity.as_str(), r.what);
            }
        }
    }
    out
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn md_code(s: &str) -> String {
    if s.contains('`') {
        format!("`` {s} ``")
    } else {
        format!("`{s}`")
    }
}

/// `why` as a sentence of its own: its first letter upper case.
fn sentence(why: &str) -> String {
    let mut chars = why.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// Markdown: a heading naming both versions, a summary, and one list per severity. `level` is
/// the heading level of the title (2 gives `##`).
pub fn markdown(report: &Report, level: usize) -> String {
    let h = "#".repeat(level.max(1));
    let mut out = format!(
        "{h} {} {} → {} {}\n\nOld spec sha256 `{}`, new spec sha256 `{}`.\n\n{}.\n",
        report.old.product,
        report.old.version,
        report.new.product,
        report.new.version,
        report.old.hash,
        report.new.hash,
        summary(report),
    );
    for severity in ORDER {
        let changes: Vec<&Change> = group(report, severity).collect();
        if changes.is_empty() {
            continue;
        }
        let title = match severity {
            Severity::Breaking => "Breaking",
            Severity::Warning => "Warnings",
            Severity::Compatible => "Compatible",
            Severity::Info => "Other changes",
        };
        let _ = write!(out, "\n{h}# {title}\n\n");
        for c in changes {
            let _ = write!(out, "- {} ({})", md_code(&c.id), c.kind.as_str());
            match (&c.old, &c.new) {
                (None, None) => {}
                (o, n) => {
                    let show = |v: &Option<String>| {
                        v.as_deref()
                            .map_or_else(|| "*none*".to_owned(), |v| md_code(&md_escape(v)))
                    };
                    let _ = write!(out, ": {} → {}", show(o), show(n));
                }
            }
            let _ = write!(out, ". {}.", md_escape(&sentence(&c.why)));
            if let Some(r) = &c.rust_impact {
                let _ = write!(
                    out,
                    " *Rust API ({}):* {}.",
                    r.severity.as_str(),
                    md_escape(&r.what)
                );
            }
            if let Some(reason) = &c.accepted {
                let _ = write!(out, " **Accepted:** {}", md_escape(reason));
            }
            out.push('\n');
        }
    }
    out
}

/// JSON for tools: both versions, the counts and every change.
pub fn json(report: &Report) -> String {
    let version = |v: &super::Version| serde_json::json!({"product": v.product, "version": v.version, "sha256": v.hash});
    let changes: Vec<serde_json::Value> = report
        .changes
        .iter()
        .map(|c| {
            serde_json::json!({
                "id": c.id,
                "kind": c.kind.as_str(),
                "direction": c.direction.as_str(),
                "severity": c.severity.as_str(),
                "why": c.why,
                "old": c.old,
                "new": c.new,
                "rust_impact": c.rust_impact.as_ref().map(|r| serde_json::json!({
                    "severity": r.severity.as_str(),
                    "what": r.what,
                })),
                "accepted": c.accepted,
            })
        })
        .collect();
    let value = serde_json::json!({
        "old": version(&report.old),
        "new": version(&report.new),
        "summary": {
            "breaking": report.count(Severity::Breaking),
            "warning": report.count(Severity::Warning),
            "compatible": report.count(Severity::Compatible),
            "info": report.count(Severity::Info),
            "accepted": report.changes.iter().filter(|c| c.accepted.is_some()).count(),
        },
        "changes": changes,
    });
    let mut s = serde_json::to_string_pretty(&value).expect("JSON values serialize");
    s.push('\n');
    s
}

/// The CHANGELOG section for `report`: its Markdown at heading level 2.
pub fn changelog_section(report: &Report) -> String {
    markdown(report, 2)
}

/// `existing` with `section` inserted as the newest entry: after the file's `# ` title (and
/// any text before the first `## `), or at the top when there is no title.
pub fn insert_changelog(existing: &str, section: &str) -> String {
    if !existing.starts_with("# ") {
        return if existing.is_empty() {
            format!("# Changelog\n\n{section}")
        } else {
            format!("{section}\n{existing}")
        };
    }
    let at = existing
        .match_indices("\n## ")
        .next()
        .map_or(existing.len(), |(i, _)| i + 1);
    let (head, tail) = existing.split_at(at);
    let head = head.trim_end();
    if tail.is_empty() {
        format!("{head}\n\n{section}")
    } else {
        format!("{head}\n\n{section}\n{tail}")
    }
}

/// An output format of `popgen diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Readable text (the default).
    #[default]
    Text,
    /// Markdown, ready for a changelog or a pull request.
    Markdown,
    /// JSON, for tools.
    Json,
}

impl Format {
    /// Renders `report` in this format.
    pub fn render(self, report: &Report) -> String {
        match self {
            Format::Text => text(report),
            Format::Markdown => markdown(report, 2),
            Format::Json => json(report),
        }
    }
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Format, String> {
        match s {
            "text" => Ok(Format::Text),
            "markdown" | "md" => Ok(Format::Markdown),
            "json" => Ok(Format::Json),
            _ => Err(format!("unknown format `{s}` (text, markdown, json)")),
        }
    }
}
