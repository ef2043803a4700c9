//! Stage 2's output: the checked model the emitters take. Only `check` builds these, so an
//! emitter never sees an attribute that has not been checked.

use proc_macro2::{Span, TokenStream};
use syn::{Generics, Ident, Path, Type};

pub struct Struct {
    pub ident: Ident,
    pub generics: Generics,
    pub fields: Vec<Field>,
    /// Struct-level rule functions `fn(&Self, &Path<'_>, &mut Report)`.
    pub rules: Vec<Path>,
}

pub struct Field {
    pub ident: Ident,
    /// The wire name; `None` only for `Shape::Skip`.
    pub wire: String,
    pub optional: bool,
    pub sensitive: bool,
    pub shape: Shape,
    /// Rules on the value inside `Option` (the whole `Vec` for a `Vec` list).
    pub checks: Vec<Check>,
    /// The element count of a repeated field (`Shape::Repeated`, `Shape::RepeatedScalar`).
    pub items: Option<Items>,
}

/// `items(...)`: how many elements a repeated field may have; at least one bound is set.
#[derive(Clone, Copy)]
pub struct Items {
    pub min: Option<usize>,
    pub max: Option<usize>,
    /// An empty list passes (the parameter is left out); the bounds apply otherwise.
    pub optional: bool,
}

/// How a field goes on the wire.
pub enum Shape {
    /// One parameter through `ToWire` / `FromWire` (text, numbers, booleans, `WireEnum`s).
    Scalar { ty: Type },
    /// One parameter holding a serde type as compact JSON.
    Json { ty: Type },
    /// One parameter holding a `Vec<String>` joined with a separator.
    JoinedList { separator: String },
    /// A struct flattened under the wire name (`Wire.Key`).
    Nested { ty: Type },
    /// `Vec` of structs flattened 1-based (`Wire.1.Key`).
    Repeated { elem: Type },
    /// `Vec` of scalars flattened 1-based (`Wire.1`).
    RepeatedScalar { elem: Type },
    /// Not on the wire, not validated; `Default::default()` when parsing.
    Skip,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Bytes,
    Chars,
}

/// An inclusive length limit; at least one bound is set.
#[derive(Clone, Copy)]
pub struct Length {
    pub unit: Unit,
    pub min: Option<usize>,
    pub max: Option<usize>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum JsonKind {
    Any,
    Object,
    Array,
}

pub enum Check {
    /// Bounds are literal tokens already typed for the field.
    Range {
        min: Option<TokenStream>,
        max: Option<TokenStream>,
        fallback: bool,
        /// Whether the min and the max are exclusive.
        open: (bool, bool),
    },
    Length(Length),
    OneOf(Vec<String>),
    Fixed(String),
    Pattern(String),
    DateTime(String),
    UnixMillis,
    Json(JsonKind),
    /// A `Shape::Json` value has a JSON text, of this length when given; measured on the text.
    JsonText(Option<Length>),
    /// A `WireEnum` value of type `ty` is one of its known variants, not one kept by `other`;
    /// `span` is the `known` attribute's, given to the rule call.
    Known {
        ty: Type,
        span: Span,
    },
    /// A separated list: the list itself (a `String`, or a `Vec<String>` when `vec`), then
    /// `item` on each item.
    List {
        separator: String,
        max_items: Option<usize>,
        vec: bool,
        item: Vec<Check>,
    },
}

/// A checked `#[derive(WireEnum)]` input.
pub struct WireEnum {
    pub ident: Ident,
    pub generics: Generics,
    /// Unit variants and their wire strings, in declaration order.
    pub variants: Vec<(Ident, String)>,
    /// The `#[popgen(other)] Variant(String)` catching unknown strings.
    pub other: Option<Ident>,
}

/// A struct read from and written to JSON (`FromJson`, `ToJson`): its members and their wire
/// names, in declaration order.
pub struct JsonStruct {
    pub ident: Ident,
    pub generics: Generics,
    pub fields: Vec<JsonField>,
}

pub struct JsonField {
    pub ident: Ident,
    /// The JSON member name; `None` for `skip` (read as `Default`, never written).
    pub wire: Option<String>,
    /// Other member names read when `wire` is missing (never written).
    pub aliases: Vec<String>,
}
