//! A YAML document as a tree whose every node knows its line and column, so that every error the
//! loader reports can point at the exact place in the file.
//!
//! serde_yaml drops positions once a value is deserialized; the loader needs them for structural
//! errors (unknown keys, wrong types) and for semantic ones (a range whose min exceeds its max), so
//! the document is parsed once into this tree with yaml-rust2's marked events.

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, ScanError, TScalarStyle};

/// A position in a source file: 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub col: usize,
}

impl Pos {
    fn from_marker(m: Marker) -> Pos {
        Pos {
            line: m.line(),
            col: m.col() + 1,
        }
    }
}

/// A YAML value with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Where the value starts.
    pub pos: Pos,
    /// The value.
    pub value: Value,
}

/// A YAML value. Scalars are resolved the way YAML 1.2's core schema (and serde_yaml) resolves
/// them: plain `true`, `12`, `1.5`, `~` become booleans, numbers, null; quoted scalars stay strings.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `~`, `null`, or nothing.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer that fits `i64`.
    Int(i64),
    /// A floating point number.
    Float(f64),
    /// A string.
    Str(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in document order; keys are strings (other key types are reported as errors).
    Map(Vec<(Key, Node)>),
}

/// A mapping key with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    /// Where the key starts.
    pub pos: Pos,
    /// The key text.
    pub name: String,
}

impl Value {
    /// A short name of the value's kind, for error messages ("a string", "a list").
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

impl Node {
    /// The member `key` of a mapping node.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Converts to JSON, the form serde deserializes the model from.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::Str(s) => J::String(s.clone()),
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => J::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.name.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }
}

/// A problem found while reading YAML syntax.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    /// Where.
    pub pos: Pos,
    /// What.
    pub message: String,
    /// How to fix it, when known.
    pub hint: Option<String>,
}

/// Parses one YAML document. Syntax errors stop the parse (the parser cannot resynchronise), but
/// duplicate keys, anchors and non-string keys are collected and returned with the tree.
pub fn parse(text: &str) -> Result<(Node, Vec<SyntaxError>), SyntaxError> {
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    parser
        .load(&mut builder, false)
        .map_err(|e| syntax_error(text, &e))?;
    let root = builder.root.unwrap_or(Node {
        pos: Pos { line: 1, col: 1 },
        value: Value::Null,
    });
    Ok((root, builder.problems))
}

/// A parser error with a hint for its usual causes.
fn syntax_error(text: &str, e: &ScanError) -> SyntaxError {
    let mut pos = Pos::from_marker(*e.marker());
    let info = e.info();
    let hint = if info.contains("tab") {
        pos = first_tab(text, pos).unwrap_or(pos);
        "YAML indents with spaces only; replace the tab with spaces"
    } else if info.contains("flow mapping") {
        "a `{` opened before this place is not closed with `}`, or two of its entries lack a `,` between them"
    } else if info.contains("flow sequence") {
        "a `[` opened before this place is not closed with `]`, or two of its items lack a `,` between them"
    } else {
        "check the indentation and quoting around this place"
    };
    SyntaxError {
        pos,
        message: format!("YAML syntax error: {info}"),
        hint: Some(hint.into()),
    }
}

/// The first tab at or after `from`. The scanner reports the start of the token it was reading,
/// which may end lines later, where the tab is.
fn first_tab(text: &str, from: Pos) -> Option<Pos> {
    let mut lines = text.lines().enumerate().skip(from.line.saturating_sub(1));
    lines.find_map(|(i, line)| {
        let skip = if i + 1 == from.line {
            from.col.saturating_sub(1)
        } else {
            0
        };
        let col = skip + line.chars().skip(skip).position(|c| c == '\t')?;
        Some(Pos {
            line: i + 1,
            col: col + 1,
        })
    })
}

/// Builds the tree from parser events.
#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    root: Option<Node>,
    problems: Vec<SyntaxError>,
}

enum Frame {
    Seq(Pos, Vec<Node>),
    Map(Pos, Vec<(Key, Node)>, Option<Key>),
}

impl Builder {
    fn push_value(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq(_, items)) => items.push(node),
            Some(Frame::Map(_, entries, pending)) => match pending.take() {
                None => {
                    let name = match node.value {
                        Value::Str(s) => s,
                        Value::Int(i) => i.to_string(),
                        Value::Bool(b) => b.to_string(),
                        Value::Float(f) => f.to_string(),
                        Value::Null => String::new(),
                        Value::Seq(_) | Value::Map(_) => {
                            self.problems.push(SyntaxError {
                                pos: node.pos,
                                message: "a mapping key must be a plain string".into(),
                                hint: None,
                            });
                            String::new()
                        }
                    };
                    if let Some((first, _)) = entries.iter().find(|(k, _)| k.name == name) {
                        self.problems.push(SyntaxError {
                            pos: node.pos,
                            message: format!("duplicate key `{name}`"),
                            hint: Some(format!(
                                "`{name}` is already defined at line {}; YAML would silently keep only one of them",
                                first.pos.line
                            )),
                        });
                    }
                    *pending = Some(Key {
                        pos: node.pos,
                        name,
                    });
                }
                Some(key) => entries.push((key, node)),
            },
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let pos = Pos::from_marker(mark);
        match ev {
            Event::Scalar(text, style, anchor, _tag) => {
                if anchor != 0 {
                    self.anchor_problem(pos);
                }
                let value = match style {
                    TScalarStyle::Plain => resolve_plain(text),
                    _ => Value::Str(text),
                };
                self.push_value(Node { pos, value });
            }
            Event::SequenceStart(anchor, _) => {
                if anchor != 0 {
                    self.anchor_problem(pos);
                }
                self.stack.push(Frame::Seq(pos, Vec::new()));
            }
            Event::MappingStart(anchor, _) => {
                if anchor != 0 {
                    self.anchor_problem(pos);
                }
                self.stack.push(Frame::Map(pos, Vec::new(), None));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let node = match self.stack.pop() {
                    Some(Frame::Seq(pos, items)) => Node {
                        pos,
                        value: Value::Seq(items),
                    },
                    // A block mapping's start mark is the `:` after its first key; point at the key.
                    Some(Frame::Map(pos, entries, _)) => Node {
                        pos: entries.first().map_or(pos, |(key, _)| key.pos.min(pos)),
                        value: Value::Map(entries),
                    },
                    None => return,
                };
                self.push_value(node);
            }
            Event::Alias(_) => {
                self.anchor_problem(pos);
                self.push_value(Node {
                    pos,
                    value: Value::Null,
                });
            }
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart
            | Event::DocumentEnd => {}
        }
    }
}

impl Builder {
    fn anchor_problem(&mut self, pos: Pos) {
        self.problems.push(SyntaxError {
            pos,
            message: "YAML anchors and aliases are not supported in spec files".into(),
            hint: Some(
                "write the value out, or use a named enum (`enum_ref`) or type (`type_ref`)".into(),
            ),
        });
    }
}

/// Resolves a plain scalar like YAML 1.2's core schema.
fn resolve_plain(text: String) -> Value {
    match text.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        t => {
            if let Ok(i) = t.parse::<i64>() {
                Value::Int(i)
            } else if looks_like_float(t) {
                t.parse::<f64>().map_or(Value::Str(text), Value::Float)
            } else {
                Value::Str(text)
            }
        }
    }
}

/// YAML 1.2 float syntax (`1.5`, `-2e3`, `.5`), which Rust's parser also accepts; excludes words
/// Rust parses but YAML does not treat as numbers (`inf`, `NaN`).
fn looks_like_float(t: &str) -> bool {
    let body = t.strip_prefix(['-', '+']).unwrap_or(t);
    !body.is_empty()
        && body.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based() {
        let (root, problems) = parse("a: 1\nb:\n  - x\n  - 'y'\n").unwrap();
        assert!(problems.is_empty());
        let b = root.get("b").unwrap();
        let Value::Seq(items) = &b.value else {
            panic!("not a seq")
        };
        assert_eq!(items[0].pos, Pos { line: 3, col: 5 });
        assert_eq!(items[1].value, Value::Str("y".into()));
        assert_eq!(root.get("a").unwrap().value, Value::Int(1));
    }

    #[test]
    fn a_block_mapping_starts_at_its_first_key() {
        let (root, _) = parse("top:\n  - name: a\n    type: b\n  - {name: c}\n").unwrap();
        assert_eq!(root.pos, Pos { line: 1, col: 1 });
        let Value::Seq(items) = &root.get("top").unwrap().value else {
            panic!("not a seq")
        };
        assert_eq!(items[0].pos, Pos { line: 2, col: 5 });
        assert_eq!(
            items[1].pos,
            Pos { line: 4, col: 5 },
            "a flow mapping starts at its brace"
        );
    }

    #[test]
    fn scalars_resolve_like_yaml_core() {
        let (root, _) =
            parse("a: 1.5\nb: '1.5'\nc: ~\nd: True\ne: 0571\nf: 1e3\ng: inf\n").unwrap();
        assert_eq!(root.get("a").unwrap().value, Value::Float(1.5));
        assert_eq!(root.get("b").unwrap().value, Value::Str("1.5".into()));
        assert_eq!(root.get("c").unwrap().value, Value::Null);
        assert_eq!(root.get("d").unwrap().value, Value::Bool(true));
        assert_eq!(root.get("e").unwrap().value, Value::Int(571));
        assert_eq!(root.get("f").unwrap().value, Value::Float(1000.0));
        assert_eq!(root.get("g").unwrap().value, Value::Str("inf".into()));
    }

    #[test]
    fn duplicate_keys_are_reported_with_both_lines() {
        let (_, problems) = parse("a: 1\nb: 2\na: 3\n").unwrap();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].pos.line, 3);
        assert!(problems[0].hint.as_ref().unwrap().contains("line 1"));
    }

    #[test]
    fn syntax_errors_have_a_position() {
        let err = parse("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(err.pos.line >= 1);
        assert!(err.message.starts_with("YAML syntax error"));
    }
}
