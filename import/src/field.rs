//! Metadata schemas (responses, and the inner shape of JSON carried in a string) → spec fields.
//! A `$ref` into `components.schemas` becomes a named type (`type_ref`), so a schema that refers
//! to itself is a reference, never an endless tree; a `$ref` to nothing is a diagnostic.

use std::collections::{BTreeMap, BTreeSet};

use popgen_spec::model::{EnumValue, Field, FieldType, Scalar, ScalarType, Text};
use serde_json::Value;

use crate::param::scalar_type;
use crate::read::{Cursor, Sink};

/// Schemas deeper than this are cut (with a warning): no real response nests so deep.
const MAX_DEPTH: usize = 24;

/// The named types: `components.schemas` of the metadata, converted when first referred to.
#[derive(Debug, Default)]
pub struct Types {
    /// The metadata's schemas by name.
    schemas: BTreeMap<String, Value>,
    /// Converted types, by name.
    pub done: BTreeMap<String, Field>,
    /// Names being converted (a reference to one of them is a cycle: kept as a reference).
    busy: BTreeSet<String>,
}

impl Types {
    /// The schemas of `components.schemas`.
    pub fn new(components: &Cursor<'_>, sink: &mut Sink) -> Types {
        let schemas = components
            .get("schemas")
            .entries(sink)
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.value.clone()))
            .collect();
        Types {
            schemas,
            ..Types::default()
        }
    }

    /// The type name a `$ref` points at, converting the schema the first time.
    fn reference(&mut self, r: &str, at: &str, sink: &mut Sink) -> Option<String> {
        let name = r.rsplit('/').next().unwrap_or(r).to_owned();
        if self.done.contains_key(&name) || self.busy.contains(&name) {
            return Some(name);
        }
        let Some(schema) = self.schemas.get(&name).cloned() else {
            sink.report(
                popgen_spec::Level::Error,
                at,
                format!("`$ref` to `{r}`, which `components.schemas` does not define"),
                Some("the metadata is incomplete; a reference must name a schema".into()),
            );
            return None;
        };
        self.busy.insert(name.clone());
        let root = Cursor::root(&schema);
        let field = schema_named(None, &root, self, sink, 0);
        self.busy.remove(&name);
        self.done.insert(name.clone(), field);
        Some(name)
    }
}

/// The field of a schema; `name` is its key in the parent object (none for items and roots).
pub fn schema(
    name: Option<&str>,
    s: &Cursor<'_>,
    types: &mut Types,
    sink: &mut Sink,
    depth: usize,
) -> Field {
    schema_named(name, s, types, sink, depth)
}

fn schema_named(
    name: Option<&str>,
    s: &Cursor<'_>,
    types: &mut Types,
    sink: &mut Sink,
    depth: usize,
) -> Field {
    let mut f = empty(name);
    f.description = s.get("description").text(sink).map(|zh| Text {
        en: String::new(),
        zh: Some(zh),
    });
    if let Some(r) = s.get("$ref").text(sink) {
        match types.reference(&r, s.path(), sink) {
            Some(t) => f.type_ref = Some(t),
            None => f.ty = Some(FieldType::Any),
        }
        return f;
    }
    if depth > MAX_DEPTH {
        sink.warn(
            s.path(),
            format!("the schema nests deeper than {MAX_DEPTH} levels; kept as any JSON"),
        );
        f.ty = Some(FieldType::Any);
        return f;
    }
    let ty = s.get("type").text(sink);
    match ty.as_deref() {
        Some("object") => object(&mut f, s, types, sink, depth),
        Some("array") => {
            f.ty = Some(FieldType::Array);
            let items = s.get("items");
            f.items = Some(Box::new(if items.is_null() {
                empty_typed(FieldType::Any)
            } else {
                schema_named(None, &items, types, sink, depth + 1)
            }));
        }
        None if !s.get("properties").is_null() => object(&mut f, s, types, sink, depth),
        None => f.ty = Some(FieldType::Any),
        t => {
            let scalar = scalar_type(t, s.get("format").text(sink).as_deref());
            f.ty = Some(field_type(scalar));
            f.example = s.get("example").str(sink).and_then(|e| example(scalar, &e));
            let values: Vec<String> = s
                .get("enum")
                .items(sink)
                .iter()
                .filter_map(|v| v.str(sink))
                .collect();
            if !values.is_empty() {
                f.enum_values = Some(
                    values
                        .into_iter()
                        .map(|v| EnumValue {
                            value: v,
                            meaning: Text::default(),
                            rust_name: None,
                        })
                        .collect(),
                );
            }
        }
    }
    f
}

fn object(f: &mut Field, s: &Cursor<'_>, types: &mut Types, sink: &mut Sink, depth: usize) {
    let props = s.get("properties");
    let extra = s.get("additionalProperties");
    if props.is_null() && extra.value.is_object() {
        f.ty = Some(FieldType::Map);
        f.values = Some(Box::new(schema_named(None, &extra, types, sink, depth + 1)));
        return;
    }
    let members: Vec<Field> = props
        .entries(sink)
        .into_iter()
        .map(|(k, v)| {
            let mut m = schema_named(Some(k), &v, types, sink, depth + 1);
            m.required = v.get("required").bool(sink).unwrap_or(false);
            m
        })
        .collect();
    if members.is_empty() {
        // An object the metadata does not describe: whatever it holds is kept.
        f.ty = Some(FieldType::Any);
    } else {
        f.ty = Some(FieldType::Object);
        f.fields = members;
    }
}

fn field_type(s: ScalarType) -> FieldType {
    match s {
        ScalarType::String => FieldType::String,
        ScalarType::Integer => FieldType::Integer,
        ScalarType::Long => FieldType::Long,
        ScalarType::Boolean => FieldType::Boolean,
        ScalarType::Float => FieldType::Float,
    }
}

/// An example as the field's type; `None` when it is not one (an example is documentation).
fn example(ty: ScalarType, text: &str) -> Option<Scalar> {
    let t = text.trim();
    match ty {
        ScalarType::Integer | ScalarType::Long => t.parse().ok().map(Scalar::Int),
        ScalarType::Float => t
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(Scalar::Float),
        ScalarType::Boolean => t.parse().ok().map(Scalar::Bool),
        ScalarType::String => Some(Scalar::Str(text.to_owned())),
    }
}

fn empty(name: Option<&str>) -> Field {
    let mut f = crate::rpc::string_field("", "");
    f.name = name.map(str::to_owned);
    f.ty = None;
    f.description = None;
    f
}

fn empty_typed(ty: FieldType) -> Field {
    let mut f = empty(None);
    f.ty = Some(ty);
    f
}
