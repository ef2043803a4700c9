//! Reading api-docs JSON leniently: every value is reached through a [`Cursor`] that knows its
//! JSON path (`apis.SendSms.parameters[2].schema.maximum`), so a value of the wrong type is a
//! diagnostic naming that path, never a panic and never the end of the import. Numbers may
//! arrive as strings and booleans as strings, as they do in Alibaba's metadata.

use popgen_spec::diag::{Diagnostic, Level};
use popgen_spec::yaml::Pos;
use serde_json::Value;

/// Where diagnostics go, with the name of the file being read.
#[derive(Debug)]
pub struct Sink {
    /// The metadata file's name, for diagnostics.
    pub file: String,
    /// What was found wrong, in the order found.
    pub diagnostics: Vec<Diagnostic>,
}

impl Sink {
    /// A sink for `file`.
    pub fn new(file: &str) -> Sink {
        Sink {
            file: file.to_owned(),
            diagnostics: Vec::new(),
        }
    }

    /// Reports a problem at a JSON path.
    pub fn report(&mut self, level: Level, path: &str, message: String, hint: Option<String>) {
        self.diagnostics.push(Diagnostic {
            level,
            file: self.file.clone(),
            pos: Pos { line: 1, col: 1 },
            path: path.to_owned(),
            message,
            hint,
        });
    }

    /// Reports a problem that stops nothing.
    pub fn warn(&mut self, path: &str, message: String) {
        self.report(Level::Warning, path, message, None);
    }
}

/// A value and its JSON path.
#[derive(Clone)]
pub struct Cursor<'v> {
    /// The value (`Null` when absent).
    pub value: &'v Value,
    path: String,
}

static NULL: Value = Value::Null;

/// The longest text (a description, an example) an import keeps, in bytes.
pub const MAX_TEXT: usize = 256 * 1024;

impl<'v> Cursor<'v> {
    /// The root of a document.
    pub fn root(value: &'v Value) -> Cursor<'v> {
        Cursor {
            value,
            path: String::new(),
        }
    }

    /// The JSON path of this value (`apis.SendSms.parameters[2]`).
    pub fn path(&self) -> &str {
        &self.path
    }

    fn child(&self, value: &'v Value, step: &str) -> Cursor<'v> {
        let path = if self.path.is_empty() || step.starts_with('[') {
            format!("{}{step}", self.path)
        } else {
            format!("{}.{step}", self.path)
        };
        Cursor { value, path }
    }

    /// The member `key` (null when absent or when this is not an object).
    pub fn get(&self, key: &str) -> Cursor<'v> {
        self.child(self.value.get(key).unwrap_or(&NULL), key)
    }

    /// Whether the value is absent (or null).
    pub fn is_null(&self) -> bool {
        self.value.is_null()
    }

    /// The members of an object, in file order; a non-object (but null) is reported.
    pub fn entries(&self, sink: &mut Sink) -> Vec<(&'v str, Cursor<'v>)> {
        match self.value {
            Value::Object(map) => map
                .iter()
                .map(|(k, v)| (k.as_str(), self.child(v, k)))
                .collect(),
            // PHP-converted metadata writes an empty object as `[]`.
            Value::Null => Vec::new(),
            Value::Array(a) if a.is_empty() => Vec::new(),
            other => {
                self.wrong(sink, "an object", other);
                Vec::new()
            }
        }
    }

    /// The items of an array; a non-array (but null) is reported.
    pub fn items(&self, sink: &mut Sink) -> Vec<Cursor<'v>> {
        match self.value {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| self.child(v, &format!("[{i}]")))
                .collect(),
            Value::Null => Vec::new(),
            other => {
                self.wrong(sink, "an array", other);
                Vec::new()
            }
        }
    }

    /// A string (numbers and booleans are written as text); absent is `None`. Text past
    /// [`MAX_TEXT`] bytes is cut there, with a warning: no documentation needs more, and a spec
    /// must not grow without bound.
    pub fn str(&self, sink: &mut Sink) -> Option<String> {
        match self.value {
            Value::String(s) if s.len() > MAX_TEXT => {
                let cut = (0..=MAX_TEXT)
                    .rev()
                    .find(|i| s.is_char_boundary(*i))
                    .unwrap_or(0);
                sink.warn(
                    &self.path,
                    format!("a text of {} bytes, cut to {MAX_TEXT}", s.len()),
                );
                Some(s[..cut].to_owned())
            }
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Null => None,
            other => {
                self.wrong(sink, "a string", other);
                None
            }
        }
    }

    /// A string that says something: blank text (the metadata's `" "`) counts as absent.
    pub fn text(&self, sink: &mut Sink) -> Option<String> {
        self.str(sink).filter(|s| !s.trim().is_empty())
    }

    /// A boolean, also from `"true"`/`"false"`; absent is `None`.
    pub fn bool(&self, sink: &mut Sink) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(*b),
            Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
            Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
            Value::Null => None,
            other => {
                self.wrong(sink, "a boolean", other);
                None
            }
        }
    }

    /// A number, also from a string (`"100"`); absent or blank is `None`.
    pub fn number(&self, sink: &mut Sink) -> Option<Number> {
        let text = match self.value {
            Value::Number(n) => n.to_string(),
            Value::String(s) if s.trim().is_empty() => return None,
            Value::String(s) => s.trim().to_owned(),
            Value::Null => return None,
            other => {
                self.wrong(sink, "a number", other);
                return None;
            }
        };
        let parsed = Number::parse(&text);
        if parsed.is_none() {
            sink.warn(&self.path, format!("`{text}` is not a number; ignored"));
        }
        parsed
    }

    fn wrong(&self, sink: &mut Sink, expected: &str, found: &Value) {
        let kind = popgen_runtime::decode::json_kind(found);
        sink.warn(
            &self.path,
            format!("expected {expected}, found {kind}; ignored"),
        );
    }
}

/// A number of the metadata: an integer when it is one, else a float.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    /// An integer that fits `i64`.
    Int(i64),
    /// Anything else that parses as a finite float.
    Float(f64),
}

impl Number {
    /// Parses `-3`, `100`, `1.5`, `1e3`; `None` for anything else (and for infinities).
    pub fn parse(text: &str) -> Option<Number> {
        if let Ok(i) = text.parse::<i64>() {
            return Some(Number::Int(i));
        }
        text.parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(Number::Float)
    }

    /// The value as `f64`.
    pub fn as_f64(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Float(f) => f,
        }
    }

    /// The spec's number.
    pub fn to_spec(self) -> popgen_spec::Number {
        match self {
            Number::Int(i) => popgen_spec::Number::Int(i),
            Number::Float(f) => popgen_spec::Number::Float(f),
        }
    }
}
