//! XML response bodies as a JSON tree, so that one set of serde types decodes both formats.

use quick_xml::Reader;
use quick_xml::events::Event;
use serde_json::{Map, Value};

use super::error::line_column;
use super::{DecodeError, Format};

/// Deeper nesting than any response has; the limit keeps hostile input from overflowing the
/// stack when the tree is decoded or dropped (serde_json's own parser stops at 128 too).
const MAX_DEPTH: usize = 128;

/// Converts an XML body into its root element's name and a JSON tree of its content.
///
/// - An element with only text is a string (entities and character references decoded, CDATA
///   kept as is); an element with child elements is an object of them, and text between them
///   (indentation) is dropped.
/// - A child name that repeats becomes an array, in document order; a name seen once stays a
///   single value, which [`vec_one_or_many`](super::vec_one_or_many) accepts where an array is
///   expected.
/// - An empty element (`<A/>`, `<A></A>`, or only whitespace) is `null`.
/// - Attributes, comments, processing instructions and the declaration are ignored; names are
///   taken without a namespace prefix.
///
/// ```
/// let (root, value) = popgen_runtime::decode::xml_to_json(
///     "<R><Code>OK</Code><Item><N>1</N></Item><Item><N>2</N></Item><Empty/></R>",
/// ).unwrap();
/// assert_eq!(root, "R");
/// assert_eq!(value, serde_json::json!({
///     "Code": "OK", "Item": [{"N": "1"}, {"N": "2"}], "Empty": null,
/// }));
/// ```
pub fn xml_to_json(body: &str) -> Result<(String, Value), DecodeError> {
    let body = body.strip_prefix('\u{feff}').unwrap_or(body);
    if body.trim().is_empty() {
        return Err(DecodeError::empty(Format::Xml));
    }
    let mut reader = Reader::from_str(body);
    reader.config_mut().trim_text(false);
    let mut tree = Tree::default();
    loop {
        // Where the event starts: the place to point at when its content is the problem.
        let at = offset(reader.buffer_position());
        let event = reader
            .read_event()
            .map_err(|e| syntax(body, offset(reader.error_position()), e.to_string()))?;
        let step = match event {
            Event::Start(e) => tree.open(name(e.local_name().as_ref())?),
            Event::Empty(e) => tree
                .open(name(e.local_name().as_ref())?)
                .and_then(|()| tree.close()),
            Event::End(_) => tree.close(),
            Event::Text(t) => {
                let text = t.unescape().map_err(|e| syntax(body, at, e.to_string()))?;
                tree.text(&text)
            }
            Event::CData(c) => {
                let text = c.decode().map_err(|e| syntax(body, at, e.to_string()))?;
                tree.text(&text)
            }
            Event::Eof => return tree.finish().map_err(|m| syntax(body, at, m)),
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => Ok(()),
        };
        step.map_err(|m| syntax(body, at, m))?;
    }
}

fn offset(position: u64) -> usize {
    usize::try_from(position).unwrap_or(usize::MAX)
}

fn syntax(body: &str, at: usize, message: String) -> DecodeError {
    DecodeError::syntax(Format::Xml, message, Some(line_column(body, at)))
}

fn name(bytes: &[u8]) -> Result<String, DecodeError> {
    std::str::from_utf8(bytes)
        .map(str::to_owned)
        .map_err(|_| DecodeError::syntax(Format::Xml, "element name is not UTF-8".to_owned(), None))
}

/// An element being read: its name, the children seen so far, and its text.
struct Open {
    name: String,
    children: Map<String, Value>,
    text: String,
}

/// The elements open so far, innermost last, and the root once it has closed.
#[derive(Default)]
struct Tree {
    open: Vec<Open>,
    root: Option<(String, Value)>,
}

impl Tree {
    fn open(&mut self, name: String) -> Result<(), String> {
        if self.root.is_some() {
            return Err(format!("element <{name}> after the root element"));
        }
        if self.open.len() >= MAX_DEPTH {
            return Err(format!("elements nested deeper than {MAX_DEPTH}"));
        }
        self.open.push(Open {
            name,
            children: Map::new(),
            text: String::new(),
        });
        Ok(())
    }

    /// Closes the innermost element (quick-xml has checked the end tag's name).
    fn close(&mut self) -> Result<(), String> {
        let Some(element) = self.open.pop() else {
            return Err("end tag without a start tag".to_owned());
        };
        let value = if !element.children.is_empty() {
            Value::Object(element.children)
        } else if element.text.trim().is_empty() {
            Value::Null
        } else {
            Value::String(element.text)
        };
        match self.open.last_mut() {
            Some(parent) => add_child(&mut parent.children, element.name, value),
            None => self.root = Some((element.name, value)),
        }
        Ok(())
    }

    fn text(&mut self, text: &str) -> Result<(), String> {
        match self.open.last_mut() {
            Some(element) => element.text.push_str(text),
            None if text.trim().is_empty() => {}
            None => return Err("text outside the root element".to_owned()),
        }
        Ok(())
    }

    fn finish(self) -> Result<(String, Value), String> {
        if let Some(unclosed) = self.open.last() {
            return Err(format!("element <{}> is not closed", unclosed.name));
        }
        self.root.ok_or_else(|| "no root element".to_owned())
    }
}

/// Adds a child, turning a repeated name into an array. Element values are never arrays
/// otherwise, so an array already there can only come from repetition.
fn add_child(children: &mut Map<String, Value>, name: String, value: Value) {
    match children.get_mut(&name) {
        None => {
            children.insert(name, value);
        }
        Some(Value::Array(items)) => items.push(value),
        Some(first) => {
            let first = first.take();
            children.insert(name, Value::Array(vec![first, value]));
        }
    }
}
