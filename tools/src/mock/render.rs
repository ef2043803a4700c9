//! Response bodies: success bodies from the registry's JSON with a fresh `RequestId`, error
//! bodies with the gateway's keys, both as JSON or as XML rendered from the same JSON.
//!
//! Success bodies are split once, at start-up, around their `RequestId` value, so answering is
//! two copies and a generated id; the JSON keeps the registry's key order (it is read into an
//! ordered tree, not a `serde_json::Map`, which would sort it).

use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicU64, Ordering};

use popgen_runtime::decode::Format;
use popgen_runtime::registry::ActionEntry;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};

/// Stands in for the request id while templates are built.
/// Plain ASCII that neither JSON nor XML escapes, and no success body contains.
const PLACEHOLDER: &str = "@@popgen-request-id-7f3a9c@@";

/// Fresh request ids: `8-4-4-4-12` upper-case hex like the gateway's, from a per-server random
/// seed and a counter (unique, no lock, no syscall).
#[derive(Debug)]
pub(crate) struct RequestIds {
    seed: u64,
    counter: AtomicU64,
}

fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl RequestIds {
    pub(crate) fn new() -> Self {
        let nonce = popgen_runtime::sign::new_nonce();
        let seed = u64::from_str_radix(&nonce[..16], 16).unwrap_or(0x5eed);
        RequestIds {
            seed,
            counter: AtomicU64::new(0),
        }
    }

    pub(crate) fn next(&self) -> String {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        // splitmix64 is a bijection, so distinct counters give distinct high halves.
        let hi = splitmix64(self.seed ^ n);
        let lo = splitmix64(hi ^ self.seed.rotate_left(32));
        let hex = format!("{hi:016X}{lo:016X}");
        format!(
            "{}-{}-{}-{}-{}",
            &hex[..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        )
    }
}

/// A JSON value that keeps object keys in document order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Null,
    Bool(bool),
    /// A number, as text.
    Number(String),
    String(String),
    Array(Vec<Node>),
    Object(Vec<(String, Node)>),
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JSON")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Number(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Number(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Number(v.to_string()))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(Node::String(v.to_owned()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Node::Object(entries))
    }
}

impl Serialize for Node {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Node::Null => serializer.serialize_unit(),
            Node::Bool(b) => serializer.serialize_bool(*b),
            Node::Number(n) => match serde_json::from_str::<serde_json::Number>(n) {
                Ok(number) => number.serialize(serializer),
                Err(_) => serializer.serialize_str(n),
            },
            Node::String(s) => serializer.serialize_str(s),
            Node::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Node::Object(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

/// Escapes text for XML content.
fn xml_escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
}

const XML_DECLARATION: &str = "<?xml version='1.0' encoding='UTF-8'?>";

impl Node {
    /// The element `<name>…</name>` for this value: objects become child elements, arrays
    /// repeat the element (what the gateway's XML does, and what the runtime's XML decoder reads
    /// back as an array), `null` an empty element.
    fn write_xml(&self, out: &mut String, name: &str) {
        if let Node::Array(items) = self {
            for item in items {
                item.write_xml(out, name);
            }
            return;
        }
        let _ = write!(out, "<{name}>");
        match self {
            Node::Null | Node::Array(_) => {}
            Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Node::Number(n) => out.push_str(n),
            Node::String(s) => xml_escape_into(out, s),
            Node::Object(entries) => {
                for (k, v) in entries {
                    v.write_xml(out, k);
                }
            }
        }
        let _ = write!(out, "</{name}>");
    }

    /// A whole XML document with root element `root`.
    pub(crate) fn to_xml_document(&self, root: &str) -> String {
        let mut out = String::from(XML_DECLARATION);
        self.write_xml(&mut out, root);
        out
    }

    fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Stands in for a placed call's fresh ID while templates are built (like [`PLACEHOLDER`]).
const CALL_ID_PLACEHOLDER: &str = "@@popgen-call-id-2b8e41@@";

/// What fills a hole of a [`Template`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hole {
    RequestId,
    CallId,
}

/// A body with holes for the request id and, for an action that places calls, the call's ID.
#[derive(Debug, Clone)]
struct Template {
    /// Text, then the hole after it.
    pieces: Vec<(String, Hole)>,
    tail: String,
}

impl Template {
    fn new(text: &str) -> Self {
        let mut pieces = Vec::new();
        let mut rest = text;
        loop {
            let next = [
                (rest.find(PLACEHOLDER), PLACEHOLDER, Hole::RequestId),
                (
                    rest.find(CALL_ID_PLACEHOLDER),
                    CALL_ID_PLACEHOLDER,
                    Hole::CallId,
                ),
            ]
            .into_iter()
            .filter_map(|(at, marker, hole)| at.map(|at| (at, marker, hole)))
            .min_by_key(|(at, _, _)| *at);
            let Some((at, marker, hole)) = next else {
                break;
            };
            pieces.push((rest[..at].to_owned(), hole));
            rest = &rest[at + marker.len()..];
        }
        Template {
            pieces,
            tail: rest.to_owned(),
        }
    }

    fn fill(&self, request_id: &str, call_id: &str) -> String {
        let len = self.pieces.iter().map(|(t, _)| t.len() + 40).sum::<usize>() + self.tail.len();
        let mut out = String::with_capacity(len);
        for (text, hole) in &self.pieces {
            out.push_str(text);
            out.push_str(match hole {
                Hole::RequestId => request_id,
                Hole::CallId => call_id,
            });
        }
        out.push_str(&self.tail);
        out
    }
}

/// An action's success body, pre-rendered in both formats.
#[derive(Debug, Clone)]
pub(crate) struct SuccessBody {
    json: Template,
    xml: Template,
}

impl SuccessBody {
    /// From the entry's `success_body`, with `RequestId` (and `Code`, when missing) ensured, and
    /// a hole for a fresh call ID in the top-level field `call_id` (added when missing).
    pub(crate) fn new(entry: &ActionEntry, call_id: Option<&str>) -> Self {
        let mut node = serde_json::from_str::<Node>(entry.success_body)
            .ok()
            .filter(|n| matches!(n, Node::Object(_)))
            .unwrap_or(Node::Object(Vec::new()));
        if let Node::Object(entries) = &mut node {
            match entries.iter_mut().find(|(k, _)| k == "RequestId") {
                Some((_, v)) => *v = Node::String(PLACEHOLDER.to_owned()),
                None => entries.insert(0, ("RequestId".into(), Node::String(PLACEHOLDER.into()))),
            }
            if !entries.iter().any(|(k, _)| k == "Code") {
                entries.push(("Code".into(), Node::String(entry.meta.success_code.into())));
            }
            if let Some(field) = call_id {
                let hole = Node::String(CALL_ID_PLACEHOLDER.to_owned());
                match entries.iter_mut().find(|(k, _)| k == field) {
                    Some((_, v)) => *v = hole,
                    None => entries.push((field.to_owned(), hole)),
                }
            }
        }
        let root = format!("{}Response", entry.meta.name);
        SuccessBody {
            json: Template::new(&node.to_json()),
            xml: Template::new(&node.to_xml_document(&root)),
        }
    }

    /// The body with `request_id` and, when it has a call-ID hole, `call_id`.
    pub(crate) fn render(&self, format: Format, request_id: &str, call_id: &str) -> String {
        match format {
            Format::Json => self.json.fill(request_id, call_id),
            Format::Xml => self.xml.fill(request_id, call_id),
        }
    }
}

/// The gateway's error body, keys in the order the gateway sends them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ErrorBody<'a> {
    pub(crate) request_id: &'a str,
    pub(crate) host_id: &'a str,
    pub(crate) code: &'a str,
    pub(crate) message: &'a str,
    pub(crate) recommend: &'a str,
}

impl ErrorBody<'_> {
    pub(crate) fn render(&self, format: Format) -> String {
        match format {
            Format::Json => serde_json::to_string(self).unwrap_or_default(),
            Format::Xml => {
                let mut out = String::from(XML_DECLARATION);
                out.push_str("<Error>");
                for (name, value) in [
                    ("RequestId", self.request_id),
                    ("HostId", self.host_id),
                    ("Code", self.code),
                    ("Message", self.message),
                    ("Recommend", self.recommend),
                ] {
                    let _ = write!(out, "<{name}>");
                    xml_escape_into(&mut out, value);
                    let _ = write!(out, "</{name}>");
                }
                out.push_str("</Error>");
                out
            }
        }
    }
}

/// The `Content-Type` of a body in `format`.
pub(crate) fn content_type(format: Format) -> &'static str {
    match format {
        Format::Json => "application/json;charset=utf-8",
        Format::Xml => "text/xml;charset=utf-8",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use popgen_runtime::decode::xml_to_json;

    #[test]
    fn request_ids_are_unique_and_shaped_like_the_gateways() {
        let ids = RequestIds::new();
        let all: std::collections::HashSet<String> = (0..10_000).map(|_| ids.next()).collect();
        assert_eq!(all.len(), 10_000);
        let one = ids.next();
        assert_eq!(one.len(), 36);
        assert_eq!(one.matches('-').count(), 4);
    }

    #[test]
    fn a_call_id_hole_is_filled_in_both_formats() {
        let entry = ActionEntry {
            meta: &popgen_runtime::action::ActionMeta {
                name: "Call",
                success_code: "OK",
                side_effects: true,
                qps_per_user: None,
                callee_limit: None,
                idempotency_param: None,
            },
            summary: "",
            params: &[],
            rules: &[],
            examples: &[],
            success_body: r#"{"RequestId":"x","CallId":"example^1","Code":"OK"}"#,
            max_params_bytes: None,
            receipts: &[],
            parse_params: |_| (None, Default::default()),
            is_sensitive_param: |_| false,
            decode_response: |_, _| Ok(serde_json::Value::Null),
        };
        let body = SuccessBody::new(&entry, Some("CallId"));
        assert_eq!(
            body.render(Format::Json, "R-1", "7^2"),
            r#"{"RequestId":"R-1","CallId":"7^2","Code":"OK"}"#
        );
        assert!(
            body.render(Format::Xml, "R-1", "7^2")
                .contains("<CallId>7^2</CallId>")
        );
        let plain = SuccessBody::new(&entry, None);
        assert!(
            plain
                .render(Format::Json, "R-2", "unused")
                .contains("example^1")
        );
    }

    #[test]
    fn json_keeps_key_order_and_xml_reads_back_the_same() {
        let text = r#"{"RequestId":"x","Code":"OK","Data":[{"B":1,"A":"a<b"},{"B":2.5,"A":null}],"Ok":true}"#;
        let node: Node = serde_json::from_str(text).unwrap();
        assert_eq!(node.to_json(), text);
        let (root, back) = xml_to_json(&node.to_xml_document("TResponse")).unwrap();
        assert_eq!(root, "TResponse");
        assert_eq!(
            back,
            serde_json::json!({"RequestId":"x","Code":"OK","Data":[{"B":"1","A":"a<b"},{"B":"2.5","A":null}],"Ok":"true"})
        );
    }
}
