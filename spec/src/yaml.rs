//! A YAML document as a tree whose every node knows its line and column, so that every error the
//! loader reports can point at the exact place in the file.
//!
//! serde_yaml drops positions once a value is deserialized; the loader needs them for structural
//! errors (unknown keys, wrong types) and for semantic ones (a range whose min exceeds its max), so
//! the document is parsed once into this tree with yaml-rust2's marked events.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, Parser, Tag};
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
    Map(Mapping),
}

/// A mapping key with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    /// Where the key starts.
    pub pos: Pos,
    /// The key text.
    pub name: String,
}

/// The entries of a mapping in document order (it derefs to them), with an index by key once
/// the mapping is large, so that finding a key stays cheap in a mapping of 40,000 keys: every
/// diagnostic looks its path up.
#[derive(Debug, Clone, Default)]
pub struct Mapping {
    entries: Vec<(Key, Node)>,
    /// Key → index of its first entry; only for mappings past [`Mapping::INDEXED`] entries.
    index: Option<HashMap<String, usize>>,
}

impl Mapping {
    /// The size from which a mapping keeps an index; smaller ones are searched in order.
    const INDEXED: usize = 16;

    /// A mapping of `entries`, indexed when large.
    pub fn new(entries: Vec<(Key, Node)>) -> Mapping {
        let index = (entries.len() > Self::INDEXED).then(|| {
            let mut index = HashMap::with_capacity(entries.len());
            for (i, (k, _)) in entries.iter().enumerate() {
                index.entry(k.name.clone()).or_insert(i);
            }
            index
        });
        Mapping { entries, index }
    }

    /// The value of the first entry named `key`.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.index {
            Some(index) => index.get(key).map(|&i| &self.entries[i].1),
            None => self
                .entries
                .iter()
                .find(|(k, _)| k.name == key)
                .map(|(_, v)| v),
        }
    }

    /// The entry named `key`, with its key's position.
    pub fn entry(&self, key: &str) -> Option<&(Key, Node)> {
        match &self.index {
            Some(index) => index.get(key).map(|&i| &self.entries[i]),
            None => self.entries.iter().find(|(k, _)| k.name == key),
        }
    }
}

impl std::ops::Deref for Mapping {
    type Target = [(Key, Node)];

    fn deref(&self) -> &[(Key, Node)] {
        &self.entries
    }
}

impl PartialEq for Mapping {
    fn eq(&self, other: &Mapping) -> bool {
        self.entries == other.entries
    }
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
            Value::Map(m) => m.get(key),
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

impl SyntaxError {
    fn new(pos: Pos, message: impl Into<String>, hint: impl Into<String>) -> SyntaxError {
        SyntaxError {
            pos,
            message: message.into(),
            hint: Some(hint.into()),
        }
    }
}

/// How deep lists and mappings may nest in one file. The bundled specs nest at most 14 levels;
/// the limit keeps every recursive stage after parsing (the schema walk, serde, the checks, the
/// generator, and dropping the tree) far from the end of a thread's stack, whatever the input.
pub const MAX_DEPTH: usize = 64;

/// A parsed document: its tree, the problems that make it unusable, and warnings.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The root node.
    pub root: Node,
    /// Duplicate keys, anchors, aliases, tags and non-string keys: the tree is built, but it is
    /// not what the author meant.
    pub errors: Vec<SyntaxError>,
    /// Plain scalars that YAML 1.1 readers take for booleans (`On`, `no`, `y`).
    pub warnings: Vec<SyntaxError>,
}

/// Parses one YAML document. A syntax error, nesting deeper than [`MAX_DEPTH`] or a second
/// document stops the parse (nothing after that place can be trusted); duplicate keys, anchors,
/// tags and non-string keys are collected and returned with the tree, and so are warnings. A
/// leading byte-order mark is skipped, as editors do. Time and memory are linear in the text.
pub fn read(text: &str) -> Result<Document, SyntaxError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut builder = Builder::default();
    // Events are pulled one by one: yaml-rust2's own `load` recurses once per level of nesting.
    let mut parser = Parser::new_from_str(text);
    loop {
        let (event, mark) = parser.next_token().map_err(|e| syntax_error(text, &e))?;
        if builder.event(event, mark)? {
            break;
        }
    }
    Ok(Document {
        root: builder.root.unwrap_or(Node {
            pos: Pos { line: 1, col: 1 },
            value: Value::Null,
        }),
        errors: builder.problems,
        warnings: builder.warnings,
    })
}

/// [`read`] without the warnings: the tree and the problems found beside it.
pub fn parse(text: &str) -> Result<(Node, Vec<SyntaxError>), SyntaxError> {
    read(text).map(|d| (d.root, d.errors))
}

/// A parser error with a hint for its usual causes.
fn syntax_error(text: &str, e: &ScanError) -> SyntaxError {
    let mut pos = Pos::from_marker(*e.marker());
    let info = e.info();
    // The scanner stops `[[[...` at 255 levels, before the events reach the builder's limit.
    if info.contains("recursion limit") {
        return too_deep(pos);
    }
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
    SyntaxError::new(pos, format!("YAML syntax error: {info}"), hint)
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

/// Builds the tree from parser events, one open list or mapping per frame.
#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    root: Option<Node>,
    problems: Vec<SyntaxError>,
    warnings: Vec<SyntaxError>,
}

enum Frame {
    Seq(Pos, Vec<Node>),
    Map(MapFrame),
}

/// An open mapping: its entries so far, the key waiting for its value, and the line of every
/// key, so that a duplicate is found in constant time however many keys the mapping has.
struct MapFrame {
    pos: Pos,
    entries: Vec<(Key, Node)>,
    pending: Option<Key>,
    lines: HashMap<String, usize>,
}

impl Builder {
    /// Takes one event; `Ok(true)` once the stream has ended.
    fn event(&mut self, event: Event, mark: Marker) -> Result<bool, SyntaxError> {
        let pos = Pos::from_marker(mark);
        match event {
            Event::StreamEnd => return Ok(true),
            Event::DocumentStart if self.root.is_some() => return Err(second_document(pos)),
            Event::Scalar(text, style, anchor, tag) => {
                self.properties(pos, anchor, tag.as_ref());
                let value = match style {
                    TScalarStyle::Plain => {
                        self.truthy(pos, &text);
                        resolve_plain(text)
                    }
                    _ => Value::Str(text),
                };
                self.push_value(Node { pos, value });
            }
            Event::SequenceStart(anchor, tag) => {
                self.properties(pos, anchor, tag.as_ref());
                self.open(Frame::Seq(pos, Vec::new()), pos)?;
            }
            Event::MappingStart(anchor, tag) => {
                self.properties(pos, anchor, tag.as_ref());
                let map = MapFrame {
                    pos,
                    entries: Vec::new(),
                    pending: None,
                    lines: HashMap::new(),
                };
                self.open(Frame::Map(map), pos)?;
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(),
            Event::Alias(_) => {
                self.anchor_problem(pos);
                self.push_value(Node {
                    pos,
                    value: Value::Null,
                });
            }
            Event::Nothing | Event::StreamStart | Event::DocumentStart | Event::DocumentEnd => {}
        }
        Ok(false)
    }

    fn open(&mut self, frame: Frame, pos: Pos) -> Result<(), SyntaxError> {
        if self.stack.len() == MAX_DEPTH {
            return Err(too_deep(pos));
        }
        self.stack.push(frame);
        Ok(())
    }

    fn close(&mut self) {
        let node = match self.stack.pop() {
            Some(Frame::Seq(pos, items)) => Node {
                pos,
                value: Value::Seq(items),
            },
            // A block mapping's start mark is the `:` after its first key; point at the key.
            Some(Frame::Map(m)) => Node {
                pos: m
                    .entries
                    .first()
                    .map_or(m.pos, |(key, _)| key.pos.min(m.pos)),
                value: Value::Map(Mapping::new(m.entries)),
            },
            None => return,
        };
        self.push_value(node);
    }

    fn push_value(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq(_, items)) => items.push(node),
            Some(Frame::Map(m)) => match m.pending.take() {
                Some(key) => m.entries.push((key, node)),
                None => {
                    let (key, problem) = map_key(node, &mut m.lines);
                    m.pending = Some(key);
                    self.problems.extend(problem);
                }
            },
        }
    }

    /// Anchors and tags on a node: both are errors in a spec file.
    fn properties(&mut self, pos: Pos, anchor: usize, tag: Option<&Tag>) {
        if anchor != 0 {
            self.anchor_problem(pos);
        }
        if let Some(tag) = tag {
            self.problems.push(SyntaxError::new(
                pos,
                format!("YAML tags are not supported in spec files: `{}`", show_tag(tag)),
                "remove the tag: every value is read as its key's type says (quote a value that must stay text)",
            ));
        }
    }

    fn anchor_problem(&mut self, pos: Pos) {
        self.problems.push(SyntaxError::new(
            pos,
            "YAML anchors and aliases are not supported in spec files",
            "write the value out, or use a named enum (`enum_ref`) or type (`type_ref`)",
        ));
    }

    /// yamllint's `truthy`: a plain `On` is text to popgen (YAML 1.2) but a boolean to YAML 1.1
    /// readers such as PyYAML, and formatters built on them rewrite it to `true`.
    fn truthy(&mut self, pos: Pos, text: &str) {
        if is_yaml11_boolean_word(text) {
            self.warnings.push(SyntaxError::new(
                pos,
                format!("`{text}` is text here, but YAML 1.1 readers (PyYAML, some formatters) read it as a boolean"),
                format!("quote it (`\"{text}\"`) so that every YAML reader sees the same text; write `true` or `false` for a boolean"),
            ));
        }
    }
}

/// The key a scalar node makes, and the problem when it is a duplicate or not a scalar.
fn map_key(node: Node, lines: &mut HashMap<String, usize>) -> (Key, Option<SyntaxError>) {
    let pos = node.pos;
    let (name, mut problem) = match node.value {
        Value::Str(s) => (s, None),
        Value::Int(i) => (i.to_string(), None),
        Value::Bool(b) => (b.to_string(), None),
        Value::Float(f) => (f.to_string(), None),
        Value::Null => (String::new(), None),
        Value::Seq(_) | Value::Map(_) => {
            let message = "a mapping key must be a plain string".to_owned();
            let problem = SyntaxError {
                pos,
                message,
                hint: None,
            };
            (String::new(), Some(problem))
        }
    };
    match lines.get(&name) {
        Some(first) if problem.is_none() => {
            problem = Some(SyntaxError::new(
                pos,
                format!("duplicate key `{name}`"),
                format!(
                    "`{name}` is already defined at line {first}; YAML would silently keep only one of them"
                ),
            ));
        }
        Some(_) => {}
        None => {
            lines.insert(name.clone(), pos.line);
        }
    }
    (Key { pos, name }, problem)
}

fn too_deep(pos: Pos) -> SyntaxError {
    SyntaxError::new(
        pos,
        format!("the YAML nests deeper than {MAX_DEPTH} levels"),
        "a spec nests a few levels deep; look for a `[` or `{` that is never closed, or a run of `- - -`",
    )
}

fn second_document(pos: Pos) -> SyntaxError {
    SyntaxError::new(
        pos,
        "a second YAML document: a spec file holds one",
        "remove this `---` and what follows it, or move that to a file of its own",
    )
}

/// A tag as the author wrote it (`!!binary`, `!custom`).
fn show_tag(tag: &Tag) -> String {
    match tag.handle.as_str() {
        "tag:yaml.org,2002:" => format!("!!{}", tag.suffix),
        handle => format!("{handle}{}", tag.suffix),
    }
}

/// Whether a YAML 1.1 reader takes the plain scalar `text` for a boolean although YAML 1.2 reads
/// it as text: `yes`, `no`, `on`, `off`, `y`, `n`, in any case.
pub fn is_yaml11_boolean_word(text: &str) -> bool {
    ["yes", "no", "on", "off", "y", "n"]
        .iter()
        .any(|w| w.eq_ignore_ascii_case(text))
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
    fn nesting_up_to_the_limit_parses_and_one_more_level_is_an_error() {
        let at_limit = format!("{}x\n", "- ".repeat(MAX_DEPTH));
        assert!(parse(&at_limit).is_ok());
        let over = format!("{}x\n", "- ".repeat(MAX_DEPTH + 1));
        let err = parse(&over).unwrap_err();
        assert_eq!(err.message, "the YAML nests deeper than 64 levels");
        assert_eq!(
            err.pos,
            Pos {
                line: 1,
                col: 2 * MAX_DEPTH + 1
            }
        );
    }

    #[test]
    fn ten_thousand_levels_are_an_error_not_a_crash() {
        for text in [
            format!("{}x\n", "- ".repeat(10_000)),
            format!("a: {}{}\n", "[".repeat(10_000), "]".repeat(10_000)),
            format!("a: {}\n", "{a: ".repeat(10_000)),
        ] {
            let err = parse(&text).unwrap_err();
            assert!(err.message.contains("nests deeper"), "{}", err.message);
        }
    }

    #[test]
    fn a_second_document_is_an_error_at_its_start() {
        for (text, line) in [("a: 1\n---\nb: 2\n", 2), ("---\na: 1\n---\n", 3)] {
            let err = parse(text).unwrap_err();
            assert_eq!(err.message, "a second YAML document: a spec file holds one");
            assert_eq!(err.pos.line, line, "{text:?}");
        }
        assert!(parse("---\na: 1\n...\n").is_ok(), "one explicit document");
    }

    #[test]
    fn tags_are_errors_named_as_written() {
        let (_, problems) = parse("a: !!binary aGVsbG8=\nb: !custom x\nc: !!map {}\n").unwrap();
        let messages: Vec<(usize, &str)> = problems
            .iter()
            .map(|p| (p.pos.line, p.message.as_str()))
            .collect();
        assert_eq!(
            messages,
            [
                (1, "YAML tags are not supported in spec files: `!!binary`"),
                (2, "YAML tags are not supported in spec files: `!custom`"),
                (3, "YAML tags are not supported in spec files: `!!map`"),
            ]
        );
    }

    #[test]
    fn yaml_1_1_booleans_are_text_with_a_warning() {
        let doc = read("rust_name: On\nb: 'Off'\nc: [yes, N]\nd: true\nno: x\ne: ony\n").unwrap();
        assert_eq!(
            doc.root.get("rust_name").unwrap().value,
            Value::Str("On".into())
        );
        assert!(doc.errors.is_empty());
        let warned: Vec<Pos> = doc.warnings.iter().map(|w| w.pos).collect();
        let expected = [(1, 12), (3, 5), (3, 10), (5, 1)].map(|(line, col)| Pos { line, col });
        assert_eq!(
            warned, expected,
            "quoted, `true` and longer words are not warned"
        );
        assert!(doc.warnings[0].hint.as_ref().unwrap().contains(r#"`"On"`"#));
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let (root, problems) = parse("\u{feff}a: 1\n").unwrap();
        assert!(problems.is_empty());
        assert_eq!(root.get("a").unwrap().pos, Pos { line: 1, col: 4 });
    }

    #[test]
    fn duplicate_keys_are_found_among_many() {
        let mut text: String = (0..5_000).map(|i| format!("k{i}: 1\n")).collect();
        text.push_str("k17: 2\n");
        let (_, problems) = parse(&text).unwrap();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].pos.line, 5_001);
        assert!(problems[0].hint.as_ref().unwrap().contains("line 18"));
    }

    #[test]
    fn syntax_errors_have_a_position() {
        let err = parse("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(err.pos.line >= 1);
        assert!(err.message.starts_with("YAML syntax error"));
    }
}
