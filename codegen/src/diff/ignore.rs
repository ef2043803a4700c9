//! The ignore file: changes a team has accepted, each with a reason. Accepted changes are still
//! reported (marked accepted, with the reason) but do not count toward the exit status.
//!
//! ```yaml
//! accept:
//!   - id: actions.SingleCallByTts.params[TtsParam].length.max
//!     reason: The service has enforced 250 characters since 2023; the spec catches up.
//!   - id: actions.GetRtcToken*          # a trailing `*` accepts every change under the prefix
//!     kind: action-removed              # optional: only changes of this kind
//!     reason: Withdrawn by the service; nobody calls it.
//! ```

use super::Change;

fn syntax(e: &popgen_spec::yaml::SyntaxError) -> String {
    format!("{}:{}: {}", e.pos.line, e.pos.col, e.message)
}

/// One accepted change (or family of changes, with a trailing `*`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accept {
    /// The change id, or an id prefix followed by `*`.
    pub id: String,
    /// Only changes of this kind (`param-removed`), when set.
    pub kind: Option<String>,
    /// Why the change is acceptable; shown beside it.
    pub reason: String,
}

impl Accept {
    /// Whether this entry accepts `change`.
    pub fn matches(&self, change: &Change) -> bool {
        let id = match self.id.strip_suffix('*') {
            Some(prefix) => change.id.starts_with(prefix),
            None => change.id == self.id,
        };
        id && self
            .kind
            .as_deref()
            .is_none_or(|k| k == change.kind.as_str())
    }
}

/// A parsed ignore file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IgnoreFile {
    /// The accepted changes, in file order.
    pub accept: Vec<Accept>,
}

impl IgnoreFile {
    /// Parses the YAML text of an ignore file; every problem is reported, one per line.
    pub fn parse(text: &str) -> Result<IgnoreFile, Vec<String>> {
        let root = match popgen_spec::yaml::parse(text) {
            Ok((root, problems)) if problems.is_empty() => root.to_json(),
            Ok((_, problems)) => return Err(problems.iter().map(syntax).collect()),
            Err(e) => return Err(vec![syntax(&e)]),
        };
        let mut errors = Vec::new();
        let mut accept = Vec::new();
        let entries = match root.get("accept") {
            Some(serde_json::Value::Array(entries)) => entries.as_slice(),
            None if root.is_null() => &[],
            _ => return Err(vec!["expected a mapping with an `accept:` list".to_owned()]),
        };
        for (i, e) in entries.iter().enumerate() {
            let text = |key: &str| e.get(key).and_then(|v| v.as_str()).map(str::to_owned);
            if let Some(obj) = e.as_object() {
                for key in obj.keys() {
                    if !matches!(key.as_str(), "id" | "kind" | "reason") {
                        errors.push(format!(
                            "accept[{i}]: unknown key `{key}` (known: id, kind, reason)"
                        ));
                    }
                }
            }
            match (text("id"), text("reason")) {
                (Some(id), Some(reason)) if !reason.trim().is_empty() => accept.push(Accept {
                    id,
                    kind: text("kind"),
                    reason,
                }),
                (None, _) => errors.push(format!("accept[{i}]: missing `id`")),
                _ => errors.push(format!(
                    "accept[{i}]: missing `reason` (say why the change is acceptable)"
                )),
            }
        }
        if errors.is_empty() {
            Ok(IgnoreFile { accept })
        } else {
            Err(errors)
        }
    }

    /// Marks the changes an entry accepts (the first matching entry gives the reason); returns
    /// the entries that matched nothing, which are usually stale.
    pub fn apply(&self, changes: &mut [Change]) -> Vec<&Accept> {
        let mut used = vec![false; self.accept.len()];
        for c in changes.iter_mut() {
            if let Some(i) = self.accept.iter().position(|a| a.matches(c)) {
                used[i] = true;
                c.accepted = Some(self.accept[i].reason.clone());
            }
        }
        self.accept
            .iter()
            .zip(used)
            .filter(|(_, u)| !u)
            .map(|(a, _)| a)
            .collect()
    }
}
