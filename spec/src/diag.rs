//! Diagnostics: what the loader and the checks report, each with file, line, column, the spec
//! path (`actions.IvrCall.params[MenuKeyMap].fields[Key]`) and, where one exists, a hint.

use std::fmt;

use crate::yaml::{Node, Pos, Value};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// The spec is wrong; nothing is generated from it.
    Error,
    /// Suspicious but usable.
    Warning,
}

/// One problem in a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub level: Level,
    /// The file, as given on the command line or found in a directory.
    pub file: String,
    /// Where in the file; line 0 when the diagnostic is about the file as a whole (missing,
    /// unreadable, too large).
    pub pos: Pos,
    /// The spec path (`actions.IvrCall.params[PlayTimes].range`); empty for the file as a whole.
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.level {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        writeln!(f, "{level}: {}", self.message)?;
        if self.pos.line == 0 {
            // About the file as a whole: no position to point at.
            write!(f, "  --> {}", self.file)?;
        } else {
            write!(f, "  --> {}:{}:{}", self.file, self.pos.line, self.pos.col)?;
        }
        if !self.path.is_empty() {
            write!(f, "\n   = at: {}", self.path)?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n   = hint: {hint}")?;
        }
        Ok(())
    }
}

/// A step of a spec path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Seg {
    /// A mapping key.
    Key(String),
    /// A list index.
    Index(usize),
}

impl From<&str> for Seg {
    fn from(key: &str) -> Seg {
        Seg::Key(key.to_owned())
    }
}

impl From<usize> for Seg {
    fn from(i: usize) -> Seg {
        Seg::Index(i)
    }
}

/// Builds a spec path by appending segments: `path!["actions", name, "params", 3]`.
#[macro_export]
macro_rules! path {
    ($($seg:expr),* $(,)?) => {
        ::std::vec![$($crate::diag::Seg::from($seg)),*]
    };
}

/// The key that names a list element in paths: `params[PlayTimes]` reads better than `params[4]`.
fn element_label(node: &Node) -> Option<&str> {
    ["name", "code", "value", "scheme"]
        .iter()
        .find_map(|k| match node.get(k) {
            Some(Node {
                value: Value::Str(s),
                ..
            }) => Some(s.as_str()),
            _ => None,
        })
}

/// Renders a path against the document it points into, naming list elements by their `name`.
pub fn display_path(root: &Node, path: &[Seg]) -> String {
    let mut out = String::new();
    let mut node = Some(root);
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
                node = node.and_then(|n| n.get(k));
            }
            Seg::Index(i) => {
                let item = node.and_then(|n| match &n.value {
                    Value::Seq(items) => items.get(*i),
                    _ => None,
                });
                match item.and_then(element_label) {
                    Some(label) => out.push_str(&format!("[{label}]")),
                    None => out.push_str(&format!("[{i}]")),
                }
                node = item;
            }
        }
    }
    out
}

/// The node a path points at, or the deepest existing node on the way (so a diagnostic about a
/// missing key points at the mapping that lacks it).
pub fn locate<'a>(root: &'a Node, path: &[Seg]) -> (&'a Node, bool) {
    let mut node = root;
    for seg in path {
        let next = match (seg, &node.value) {
            (Seg::Key(k), Value::Map(_)) => node.get(k),
            (Seg::Index(i), Value::Seq(items)) => items.get(*i),
            _ => None,
        };
        match next {
            Some(n) => node = n,
            None => return (node, false),
        }
    }
    (node, true)
}

/// Where a mapping key is written (better than the value's position for "unknown key" errors).
pub fn key_pos(root: &Node, path: &[Seg]) -> Option<Pos> {
    let (last, parent) = path.split_last()?;
    let (parent, found) = locate(root, parent);
    let (Seg::Key(k), Value::Map(entries), true) = (last, &parent.value, found) else {
        return None;
    };
    entries.entry(k).map(|(key, _)| key.pos)
}
