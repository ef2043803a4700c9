//! The operation IR: the spec resolved into Rust names and types, with the wire name kept beside
//! each Rust name (so it is written exactly once in the output). Pure: no I/O, deterministic
//! (everything is ordered by the spec's lists or by `BTreeMap` keys).

use std::collections::BTreeMap;
use std::fmt;

use popgen_spec::Spec;
use popgen_spec::model::{
    Action, Code, CodeTableKind, EnumValue, Field, FieldType, Format, Param, ParamType, Rule,
    ScalarType,
};

use crate::names::{Namer, camel, snake};

/// A Rust type in generated code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    /// `String`.
    Str,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f64`.
    F64,
    /// `bool`.
    Bool,
    /// A generated enum.
    Enum(String),
    /// A generated struct.
    Struct(String),
    /// `Vec<T>`.
    Vec(Box<Ty>),
    /// `BTreeMap<String, T>`.
    Map(Box<Ty>),
    /// A request param carried as compact JSON text, typed `T` (`#[popgen(json)]`).
    Json(Box<Ty>),
    /// A response string carrying JSON: `JsonText<T>` keeps raw and decoded.
    JsonText(Box<Ty>),
    /// `serde_json::Value`.
    Any,
}

impl Ty {
    /// The type under every `Vec`, map and JSON wrapper: the struct or enum a field names, if any.
    pub fn innermost(&self) -> &Ty {
        match self {
            Ty::Vec(t) | Ty::Map(t) | Ty::Json(t) | Ty::JsonText(t) => t.innermost(),
            other => other,
        }
    }
}

/// The type in outline (`Vec<PingData>`, `Json<Value>`): what the IR's outline and the diff show.
impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ty::Str => f.write_str("String"),
            Ty::I32 => f.write_str("i32"),
            Ty::I64 => f.write_str("i64"),
            Ty::F64 => f.write_str("f64"),
            Ty::Bool => f.write_str("bool"),
            Ty::Enum(n) | Ty::Struct(n) => f.write_str(n),
            Ty::Vec(t) => write!(f, "Vec<{t}>"),
            Ty::Map(t) => write!(f, "Map<{t}>"),
            Ty::Json(t) => write!(f, "Json<{t}>"),
            Ty::JsonText(t) => write!(f, "JsonText<{t}>"),
            Ty::Any => f.write_str("Value"),
        }
    }
}

/// What a generated struct is for; decides its derives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// An action's request: `Validate` + `RpcParams`.
    Request,
    /// One element of a repeated param (`MenuKeyMap.N.*`).
    Element,
    /// A JSON value carried in a request param: serde both ways.
    JsonValue,
    /// A response body or a part of one: tolerant serde decoding.
    Response,
}

/// A generated struct.
#[derive(Debug, Clone)]
pub struct StructIr<'s> {
    /// Rust name.
    pub name: String,
    /// What it is for.
    pub role: Role,
    /// Its fields, in spec order.
    pub fields: Vec<FieldIr<'s>>,
    /// Doc text (first line is the summary).
    pub doc: String,
    /// Cross-field rules between its fields (a request's, or one repeated element's).
    pub rules: &'s [Rule],
}

/// A field of a generated struct.
#[derive(Debug, Clone)]
pub struct FieldIr<'s> {
    /// Rust name (snake case; may need a raw identifier).
    pub rust: String,
    /// Wire name or JSON key, exactly as the API spells it.
    pub wire: &'s str,
    /// Type (without the `Option` for optional fields).
    pub ty: Ty,
    /// Whether the field is an `Option` (or, for `Vec`s, may be empty).
    pub optional: bool,
    /// The request param it comes from, for constraints and docs.
    pub param: Option<&'s Param>,
    /// The response field it comes from.
    pub field: Option<&'s Field>,
}

impl FieldIr<'_> {
    /// The name of the associated constant holding the field's wire name, which
    /// `derive(RpcParams)` defines on the struct: the Rust name in upper case (`OUT_ID`). The
    /// derive documents that rule; generated code that names the constant only compiles when the
    /// two agree, which the drift check's build of every generated crate proves.
    pub fn wire_const(&self) -> String {
        self.rust.trim_start_matches("r#").to_uppercase()
    }
}

/// A generated enum.
#[derive(Debug, Clone)]
pub struct EnumIr<'s> {
    /// Rust name.
    pub name: String,
    /// The spec's name of a named enum (`enums.CallStatus`); `None` for an inline one.
    pub named: Option<&'s str>,
    /// Values: Rust variant name and the spec value.
    pub variants: Vec<(String, &'s EnumValue)>,
    /// Whether unknown values are kept (`Unknown(String)`) rather than rejected.
    pub open: bool,
    /// Doc text.
    pub doc: String,
}

/// One action, resolved.
#[derive(Debug, Clone)]
pub struct ActionIr<'s> {
    /// The API name (`IvrCall`).
    pub name: &'s str,
    /// Module name (`ivr_call`).
    pub module: String,
    /// The client method's name (`ivr_call`).
    pub method: String,
    /// The metadata constant's name (`IVR_CALL`), an `ActionMeta` at the crate root.
    pub meta_const: String,
    /// The spec.
    pub spec: &'s Action,
    /// Request struct name.
    pub request: String,
    /// Response struct name.
    pub response: String,
    /// Every struct of the action: request first, then elements, JSON values, response parts.
    pub structs: Vec<StructIr<'s>>,
    /// Enums defined for this action's inline enums.
    pub enums: Vec<EnumIr<'s>>,
    /// The cargo feature that compiles it (its area's), if it is in an area.
    pub feature: Option<String>,
}

/// A cargo feature of the generated crate that compiles one area's actions.
#[derive(Debug)]
pub struct AreaFeature<'s> {
    /// The feature's name: `area-` and the area's English title in lower case with `-` between
    /// words (`area-voice-notification`), else its id (`area-141310`).
    pub name: String,
    /// The area's title.
    pub title: String,
    /// Its actions' API names, in name order.
    pub actions: Vec<&'s str>,
}

/// The whole API, resolved.
#[derive(Debug)]
pub struct Api<'s> {
    /// The spec.
    pub spec: &'s Spec,
    /// Actions in name order.
    pub actions: Vec<ActionIr<'s>>,
    /// The cargo features that compile one area's actions each (none when no action is in an
    /// area).
    pub areas: Vec<AreaFeature<'s>>,
    /// Named enums of the spec.
    pub enums: Vec<EnumIr<'s>>,
    /// Receipt messages, in name order.
    pub receipts: Vec<ReceiptIr<'s>>,
    /// The `ErrorCode` enum's variants: Rust name and the documented code (code tables of kind
    /// `api-errors` and per-action errors), in code order; `Unknown` is taken by the catch-all.
    pub error_codes: Vec<(String, &'s Code)>,
}

/// A receipt (callback) message, resolved.
#[derive(Debug, Clone)]
pub struct ReceiptIr<'s> {
    /// The message type (`VoiceReport`), also the record struct's name.
    pub name: &'s str,
    /// The spec.
    pub spec: &'s popgen_spec::model::Receipt,
    /// The record struct first, then nested types.
    pub structs: Vec<StructIr<'s>>,
    /// Enums of its fields.
    pub enums: Vec<EnumIr<'s>>,
}

/// Resolves a spec.
pub fn build(spec: &Spec) -> Api<'_> {
    let enums = spec
        .enums
        .iter()
        .map(|(name, e)| EnumIr {
            named: Some(name.as_str()),
            ..enum_ir(
                camel(name),
                &e.values,
                true,
                e.description.best().to_owned(),
            )
        })
        .collect();
    let areas = area_features(spec);
    let actions = spec
        .actions
        .iter()
        .map(|(name, a)| {
            let area = areas.iter().find(|f| f.actions.contains(&name.as_str()));
            action(spec, name, a, area.map(|f| f.name.clone()))
        })
        .collect();
    let receipts = spec
        .receipts
        .iter()
        .map(|(name, r)| receipt(spec, name, r))
        .collect();
    Api {
        spec,
        actions,
        areas,
        enums,
        receipts,
        error_codes: error_codes(spec),
    }
}

/// Every documented error code, first documentation of each code wins, named uniquely.
fn error_codes(spec: &Spec) -> Vec<(String, &Code)> {
    let mut codes: BTreeMap<&str, &Code> = BTreeMap::new();
    let tables = spec
        .code_tables
        .values()
        .filter(|t| t.kind == CodeTableKind::ApiErrors)
        .flat_map(|t| &t.codes);
    for c in tables.chain(spec.actions.values().flat_map(|a| &a.errors)) {
        codes.entry(&c.code).or_insert(c);
    }
    let mut namer = Namer::default();
    namer.unique("Unknown");
    codes
        .into_values()
        .map(|c| (namer.unique(&camel(&c.code)), c))
        .collect()
}

/// Builds an enum, naming variants uniquely (`rust_name` from the spec wins).
pub fn enum_ir(name: String, values: &[EnumValue], open: bool, doc: String) -> EnumIr<'_> {
    let mut namer = Namer::default();
    if open {
        namer.unique("Unknown");
    }
    let variants = values
        .iter()
        .map(|v| {
            (
                namer.unique(&camel(v.rust_name.as_deref().unwrap_or(&v.value))),
                v,
            )
        })
        .collect();
    EnumIr {
        name,
        named: None,
        variants,
        open,
        doc,
    }
}

struct Builder<'s> {
    spec: &'s Spec,
    action: &'s str,
    types: Namer,
    structs: Vec<StructIr<'s>>,
    enums: Vec<EnumIr<'s>>,
}

fn receipt<'s>(spec: &'s Spec, name: &'s str, r: &'s popgen_spec::model::Receipt) -> ReceiptIr<'s> {
    let mut b = Builder {
        spec,
        action: name,
        types: Namer::default(),
        structs: Vec::new(),
        enums: Vec::new(),
    };
    let record = b.types.unique(name);
    let fields = b.response_fields(&r.fields, "");
    b.structs.insert(
        0,
        StructIr {
            rules: &[],
            name: record,
            role: Role::Response,
            fields,
            doc: format!("`{name}` receipt: {}", r.summary.best()),
        },
    );
    ReceiptIr {
        name,
        spec: r,
        structs: b.structs,
        enums: b.enums,
    }
}

/// One feature per area that has actions, in the order `Spec::areas` groups them (the
/// product's areas, then the ids actions name without the product listing them); the actions
/// that name no area have none (they are always compiled). Two areas whose titles give the
/// same name are told apart by their ids.
fn area_features(spec: &Spec) -> Vec<AreaFeature<'_>> {
    let slug = |text: &str| {
        let words: Vec<String> = text
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_ascii_lowercase)
            .collect();
        words.join("-")
    };
    let mut out: Vec<AreaFeature<'_>> = Vec::new();
    for group in spec.areas() {
        let in_area = group
            .actions
            .first()
            .is_some_and(|name| spec.actions[*name].area.is_some());
        let from_id = slug(&group.area.id);
        if !in_area || from_id.is_empty() {
            continue;
        }
        // An unlisted area's title is its id.
        let from_title = slug(&group.area.title.en);
        let word = if from_title.is_empty() {
            &from_id
        } else {
            &from_title
        };
        let mut name = format!("area-{word}");
        let taken = |name: &str| out.iter().any(|f| f.name == name);
        if taken(&name) {
            name = format!("area-{from_id}");
        }
        // An id spelled like another area's title: its position tells them apart.
        if taken(&name) {
            name = format!("area-{from_id}-{}", out.len() + 1);
        }
        out.push(AreaFeature {
            name,
            title: group.area.title.best().to_owned(),
            actions: group.actions,
        });
    }
    out
}

fn action<'s>(
    spec: &'s Spec,
    name: &'s str,
    a: &'s Action,
    feature: Option<String>,
) -> ActionIr<'s> {
    let mut b = Builder {
        spec,
        action: name,
        types: Namer::default(),
        structs: Vec::new(),
        enums: Vec::new(),
    };
    let request = b.types.unique(&format!("{name}Request"));
    let response = b.types.unique(&format!("{name}Response"));
    // The request goes first; reserve its slot so nested types follow it.
    b.structs.push(StructIr {
        rules: &a.rules,
        name: request.clone(),
        role: Role::Request,
        fields: Vec::new(),
        doc: String::new(),
    });
    let fields = a.params.iter().map(|p| b.param_field(p, "")).collect();
    b.structs[0].fields = fields;
    b.structs[0].doc = format!("Request of `{name}`: {}", a.summary.best());
    // Every body carries the envelope's fields (RequestId...), also where the action's own list
    // leaves them out (metadata often does).
    let missing: Vec<&'s Field> = spec
        .product
        .response
        .fields
        .iter()
        .filter(|e| !a.response.iter().any(|f| f.name == e.name))
        .collect();
    let mut response_fields = b.response_fields(&a.response, "");
    for e in missing {
        response_fields.extend(b.response_fields(std::slice::from_ref(e), ""));
    }
    b.structs.push(StructIr {
        rules: &[],
        name: response.clone(),
        role: Role::Response,
        fields: response_fields,
        doc: format!("Response of `{name}`."),
    });
    ActionIr {
        name,
        module: snake(name),
        method: snake(name),
        meta_const: snake(name).to_uppercase(),
        spec: a,
        request,
        response,
        structs: b.structs,
        enums: b.enums,
        feature,
    }
}

impl<'s> Builder<'s> {
    fn type_name(&mut self, parts: &[&str]) -> String {
        let joined: String = parts
            .iter()
            .filter(|p| !p.is_empty())
            .map(|p| camel(p))
            .collect();
        self.types.unique(&format!("{}{joined}", self.action))
    }

    fn param_field(&mut self, p: &'s Param, prefix: &str) -> FieldIr<'s> {
        let ty = match p.ty {
            // A list of scalars (`Name.1`, `Name.2`...): its element's type; the element's rules
            // are emitted for each value.
            ParamType::Repeated if p.fields.is_empty() && p.element.is_some() => {
                let e = p.element.as_deref().expect("checked above");
                Ty::Vec(Box::new(scalar(e.ty)))
            }
            ParamType::Repeated => {
                let name = self.type_name(&[prefix, &p.name]);
                let fields = p
                    .fields
                    .iter()
                    .map(|f| self.param_field(f, &p.name))
                    .collect();
                self.structs.push(StructIr {
                    rules: &p.rules,
                    name: name.clone(),
                    role: Role::Element,
                    fields,
                    doc: format!("One element of `{}.N.*`: {}", p.name, p.description.best()),
                });
                Ty::Vec(Box::new(Ty::Struct(name)))
            }
            _ => self.param_scalar(p, prefix),
        };
        FieldIr {
            rust: snake(&p.name),
            wire: &p.name,
            ty,
            optional: !p.required,
            param: Some(p),
            field: None,
        }
    }

    fn param_scalar(&mut self, p: &'s Param, prefix: &str) -> Ty {
        if let Some(values) = &p.enum_values {
            let name = self.type_name(&[prefix, &p.name]);
            let doc = format!("Values of `{}`.", p.name);
            // Open even in requests: a value the service accepts after this spec was written can
            // still be sent (`Unknown`), and validation reports it per the validation mode.
            let e = enum_ir(name.clone(), values, true, doc);
            self.enums.push(e);
            return Ty::Enum(name);
        }
        if let Some(r) = &p.enum_ref {
            return Ty::Enum(camel(r));
        }
        if let Some(Format::Json { schema }) = &p.format {
            let inner = self.shape(schema, &[prefix, &p.name], Role::JsonValue);
            return Ty::Json(Box::new(inner));
        }
        scalar(p.ty.scalar().unwrap_or(ScalarType::String))
    }

    /// The Rust type of a JSON shape (inside a request param or a response).
    fn shape(&mut self, f: &'s Field, path: &[&str], role: Role) -> Ty {
        let shape = self.spec.resolve(f);
        let Some(ty) = shape.ty else { return Ty::Any };
        match ty {
            FieldType::Object => {
                let type_path: Vec<&str> = match (&f.type_ref, &f.name) {
                    (Some(r), _) => vec![r.as_str()],
                    _ => path.to_vec(),
                };
                let name = self.type_name(&type_path);
                let fields = match role {
                    Role::Response => self.response_fields(&shape.fields, &name),
                    _ => shape
                        .fields
                        .iter()
                        .map(|m| self.json_member(m, &name))
                        .collect(),
                };
                let doc = shape
                    .description
                    .as_ref()
                    .map_or_else(|| format!("`{}`.", path.join(".")), |d| d.best().to_owned());
                self.structs.push(StructIr {
                    rules: &[],
                    name: name.clone(),
                    role,
                    fields,
                    doc,
                });
                Ty::Struct(name)
            }
            FieldType::Array => match &shape.items {
                Some(items) => {
                    let item_name = items.name.as_deref().unwrap_or("Item");
                    let mut p = path.to_vec();
                    p.push(item_name);
                    Ty::Vec(Box::new(self.shape(
                        items,
                        &p[p.len().saturating_sub(1)..],
                        role,
                    )))
                }
                None => Ty::Vec(Box::new(Ty::Any)),
            },
            FieldType::Map => match &shape.values {
                Some(v) => Ty::Map(Box::new(self.shape(v, path, role))),
                None => Ty::Map(Box::new(Ty::Any)),
            },
            FieldType::Any => Ty::Any,
            FieldType::String if role == Role::Response && shape.json.is_some() => {
                let inner = shape.json.as_deref().expect("checked above");
                Ty::JsonText(Box::new(self.shape(inner, path, role)))
            }
            _ => {
                if let Some(values) = &shape.enum_values {
                    let name = self.type_name(path);
                    let e = enum_ir(
                        name.clone(),
                        values,
                        true,
                        format!("Values of `{}`.", path.join(".")),
                    );
                    self.enums.push(e);
                    return Ty::Enum(name);
                }
                if let Some(r) = &shape.enum_ref {
                    return Ty::Enum(camel(r));
                }
                scalar(ty.scalar().unwrap_or(ScalarType::String))
            }
        }
    }

    fn json_member(&mut self, m: &'s Field, parent: &str) -> FieldIr<'s> {
        let key = m.name.as_deref().unwrap_or("value");
        let local = parent.strip_prefix(self.action).unwrap_or(parent);
        let ty = self.shape(m, &[local, key], Role::JsonValue);
        FieldIr {
            rust: snake(key),
            wire: m.name.as_deref().unwrap_or("value"),
            ty,
            optional: !m.required,
            param: None,
            field: Some(m),
        }
    }

    fn response_fields(&mut self, fields: &'s [Field], parent: &str) -> Vec<FieldIr<'s>> {
        let local = parent
            .strip_prefix(self.action)
            .unwrap_or(parent)
            .to_owned();
        fields
            .iter()
            .map(|f| {
                let key = f.name.as_deref().unwrap_or("value");
                let ty = self.shape(f, &[&local, key], Role::Response);
                FieldIr {
                    rust: snake(key),
                    wire: f.name.as_deref().unwrap_or("value"),
                    ty,
                    optional: true,
                    param: None,
                    field: Some(f),
                }
            })
            .collect()
    }
}

fn scalar(s: ScalarType) -> Ty {
    match s {
        ScalarType::String => Ty::Str,
        ScalarType::Integer => Ty::I32,
        ScalarType::Long => Ty::I64,
        ScalarType::Boolean => Ty::Bool,
        ScalarType::Float => Ty::F64,
    }
}

impl Api<'_> {
    /// The IR in outline, one line per item: every Rust name the generator will emit beside the
    /// wire name it stands for, and every field's type. A snapshot of it shows a review what a
    /// spec change does to the generated API without the generated code itself.
    pub fn outline(&self) -> String {
        let mut out = String::new();
        for e in &self.enums {
            outline_enum(&mut out, e, "");
        }
        for a in &self.actions {
            out.push_str(&format!("action {} (mod {})\n", a.name, a.module));
            for s in &a.structs {
                outline_struct(&mut out, s);
            }
            for e in &a.enums {
                outline_enum(&mut out, e, "  ");
            }
        }
        for r in &self.receipts {
            out.push_str(&format!("receipt {}\n", r.name));
            for s in &r.structs {
                outline_struct(&mut out, s);
            }
            for e in &r.enums {
                outline_enum(&mut out, e, "  ");
            }
        }
        out
    }
}

fn outline_struct(out: &mut String, s: &StructIr<'_>) {
    out.push_str(&format!("  struct {} ({:?})\n", s.name, s.role));
    for f in &s.fields {
        let optional = if f.optional { "?" } else { "" };
        out.push_str(&format!(
            "    {}{optional}: {} = {}\n",
            f.rust, f.ty, f.wire
        ));
    }
}

fn outline_enum(out: &mut String, e: &EnumIr<'_>, indent: &str) {
    let variants: Vec<String> = e
        .variants
        .iter()
        .map(|(rust, v)| {
            if *rust == v.value {
                rust.clone()
            } else {
                format!("{rust}={}", v.value)
            }
        })
        .collect();
    let open = if e.open { " (open)" } else { "" };
    out.push_str(&format!(
        "{indent}enum {}{open}: {}\n",
        e.name,
        variants.join(", ")
    ));
}
