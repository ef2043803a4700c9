//! The one error type of response decoding: what went wrong and where.

use std::fmt;

use super::Format;

/// What kind of problem a [`DecodeError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DecodeErrorKind {
    /// The body was empty or only whitespace.
    Empty,
    /// The body is not well-formed JSON or XML (truncated, an unclosed tag...).
    Syntax,
    /// The body is well-formed but a value does not fit the response type.
    Data,
}

/// A response body that could not be decoded: its kind, the field path (`Data.Total`) for data
/// errors, the line and column for syntax errors, and a message naming what was found.
///
/// ```
/// use popgen_runtime::decode::{DecodeErrorKind, Format, decode_body};
///
/// let err = decode_body::<serde_json::Value>(Format::Json, r#"{"Code": "OK""#).unwrap_err();
/// assert_eq!(err.kind(), DecodeErrorKind::Syntax);
/// assert_eq!(err.position(), Some((1, 13)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    kind: DecodeErrorKind,
    format: Format,
    path: Option<String>,
    message: String,
    position: Option<(usize, usize)>,
}

impl DecodeError {
    pub(crate) fn empty(format: Format) -> Self {
        DecodeError {
            kind: DecodeErrorKind::Empty,
            format,
            path: None,
            message: "empty response body".to_owned(),
            position: None,
        }
    }

    pub(crate) fn syntax(
        format: Format,
        message: String,
        position: Option<(usize, usize)>,
    ) -> Self {
        DecodeError {
            kind: DecodeErrorKind::Syntax,
            format,
            path: None,
            message,
            position,
        }
    }

    /// A value that does not fit its type, at `path` (`None` at the root).
    pub(crate) fn data(path: Option<String>, message: String) -> Self {
        DecodeError {
            kind: DecodeErrorKind::Data,
            format: Format::Json,
            path,
            message,
            position: None,
        }
    }

    /// The error of a value found at `outer` (a serde_path_to_error path, `.` for the root):
    /// its own path, if any, goes below `outer`.
    pub(crate) fn below(mut self, outer: &str) -> Self {
        if outer != "." {
            self.path = Some(match self.path.take() {
                None => outer.to_owned(),
                Some(inner) if inner.starts_with('[') => format!("{outer}{inner}"),
                Some(inner) => format!("{outer}.{inner}"),
            });
        }
        self
    }

    /// A serde_json error, classified, with its position when it has one.
    pub(crate) fn from_json(error: serde_json::Error) -> Self {
        let position = (error.line() > 0).then(|| (error.line(), error.column()));
        let kind = match error.classify() {
            serde_json::error::Category::Data => DecodeErrorKind::Data,
            _ => DecodeErrorKind::Syntax,
        };
        DecodeError {
            kind,
            format: Format::Json,
            path: None,
            message: bare_message(&error),
            position,
        }
    }

    /// A serde_json error with the path serde_path_to_error tracked to it.
    pub(crate) fn from_json_path(error: serde_path_to_error::Error<serde_json::Error>) -> Self {
        let path = error.path().to_string();
        let mut out = Self::from_json(error.into_inner());
        // serde_path_to_error writes the root as "."; a syntax error's place is its position.
        if out.kind == DecodeErrorKind::Data && path != "." {
            out.path = Some(path);
        }
        out
    }

    /// Marks an error as coming from an XML body (data errors are found in the JSON tree the XML
    /// was converted to).
    pub(crate) fn in_format(mut self, format: Format) -> Self {
        self.format = format;
        self
    }

    /// What kind of problem this is.
    pub fn kind(&self) -> DecodeErrorKind {
        self.kind
    }

    /// The format of the body (or of the JSON text) being decoded.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The path of the field that did not fit (`Data.Total`, `called[0].fileName`), for
    /// [`DecodeErrorKind::Data`] errors below the root.
    pub fn path(&self) -> Option<&str> {
        self.path.as_deref()
    }

    /// The 1-based line and column in the body, where the parser knows it.
    pub fn position(&self) -> Option<(usize, usize)> {
        self.position
    }

    /// The message without path or position (`expected an integer, found "x"`).
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            DecodeErrorKind::Empty => f.write_str(&self.message),
            DecodeErrorKind::Syntax => {
                write!(f, "invalid {}", self.format.as_param())?;
                if let Some((line, column)) = self.position {
                    write!(f, " at line {line}, column {column}")?;
                }
                write!(f, ": {}", self.message)
            }
            DecodeErrorKind::Data => match &self.path {
                Some(path) => write!(f, "{path}: {}", self.message),
                None => f.write_str(&self.message),
            },
        }
    }
}

impl std::error::Error for DecodeError {}

/// serde_json's message without the " at line L column C" it appends.
fn bare_message(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    match text.strip_suffix(&suffix) {
        Some(bare) if error.line() > 0 => bare.to_owned(),
        _ => text,
    }
}

/// The 1-based line and column (in characters) of byte `offset` in `text`.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}
