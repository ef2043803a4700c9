//! The spec format: the Rust model every spec file deserializes into.
//!
//! A spec is one or more YAML files. Each file is a [`SpecFile`]; every section is optional and the
//! sections of all files merge into one [`Spec`](crate::Spec) (maps must not repeat a key across
//! files). `spec/README.md` shows one example per construct; `spec/spec.schema.json` is generated
//! from these types (see [`crate::schema`]).
//!
//! Naming: keys are `snake_case`; enum values are `kebab-case`; API names (actions, wire
//! parameters, response fields) are written exactly as the API spells them.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One spec file. All sections are optional so a spec can be split over several files (for
/// example one product file plus one file per area); a small spec can also be a single file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SpecFile {
    /// Product-level facts: name, version, endpoint, signing, common params, envelopes.
    /// Exactly one file of a spec must have it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<Product>,
    /// Reusable named enums, referenced from params and fields with `enum_ref`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub enums: BTreeMap<String, NamedEnum>,
    /// Reusable named object shapes, referenced from fields with `type_ref`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub types: BTreeMap<String, Field>,
    /// API actions, keyed by their exact API name (`SingleCallByTts`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub actions: BTreeMap<String, Action>,
    /// Receipt (callback) messages the service pushes, keyed by message type (`VoiceReport`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub receipts: BTreeMap<String, Receipt>,
    /// Code tables (error codes, status codes), keyed by a table id (`gateway-errors`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub code_tables: BTreeMap<String, CodeTable>,
    /// What calling the API costs, from one price list (see [`crate::pricing`]). At most one
    /// file of a spec has it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pricing: Option<crate::pricing::Pricing>,
}

/// Text in English and in the source's original Chinese.
///
/// Either may be missing: an imported spec carries the source's Chinese only until someone
/// writes the English (in a curation file); nothing invents a translation. Readers that need one
/// string ask [`Text::best`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// English text (a translation when the source is Chinese); empty when none exists yet.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub en: String,
    /// The source's Chinese text, kept verbatim (after undoubling the PDF's emphasis).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zh: Option<String>,
}

impl Text {
    /// English text only.
    pub fn en(text: impl Into<String>) -> Text {
        Text {
            en: text.into(),
            zh: None,
        }
    }

    /// The English text, or the Chinese when there is no English, or `""`.
    pub fn best(&self) -> &str {
        if self.en.is_empty() {
            self.zh.as_deref().unwrap_or_default()
        } else {
            &self.en
        }
    }

    /// Whether neither language has any text.
    pub fn is_empty(&self) -> bool {
        self.en.is_empty() && self.zh.as_deref().is_none_or(str::is_empty)
    }
}

/// Where a fact comes from in the source document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Document title.
    pub title: String,
    /// Document version or date (`2022-03-31`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Section number inside the document (`8.1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
}

/// Product-level facts shared by every action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Product {
    /// Product code as used on the wire and in SDK names (`Dyvmsapi`).
    pub name: String,
    /// API version (`2017-05-25`), sent as `Version`.
    pub version: String,
    /// Human title of the product.
    pub title: Text,
    /// Default endpoint host (`dyvmsapi.aliyuncs.com`).
    pub endpoint: String,
    /// Transport protocols the endpoint accepts, preferred first.
    pub protocols: Vec<Protocol>,
    /// HTTP methods the endpoint accepts.
    pub methods: Vec<HttpMethod>,
    /// Supported signature schemes.
    pub signatures: Vec<SignatureScheme>,
    /// Common request params (sent with every action), in the reference's order.
    pub common_params: Vec<Param>,
    /// The response envelope shared by every action.
    pub response: Envelope,
    /// The body of an error response (gateway or business error).
    pub error_body: Vec<Field>,
    /// The source document the spec was written from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// The product's areas (groups of actions, as its documentation arranges them), in display
    /// order. Every action's `area` names one of them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub areas: Vec<AreaDef>,
    /// Regional endpoints, as the source lists them (`endpoint` is the default).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub endpoints: Vec<RegionalEndpoint>,
    /// Notes on the product as a whole.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
}

/// A transport protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Protocol {
    /// HTTPS (recommended).
    Https,
    /// Plain HTTP.
    Http,
}

/// An HTTP method.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    /// GET with params in the query string.
    Get,
    /// POST with params in the query string or a form body.
    Post,
    /// PUT (rare in RPC APIs).
    Put,
    /// DELETE (rare in RPC APIs).
    Delete,
}

impl HttpMethod {
    /// The method as HTTP spells it (`POST`).
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Delete => "DELETE",
        }
    }
}

/// One area of a product: a group of actions, as the product's documentation arranges them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AreaDef {
    /// The id actions use in `area` (`voice-notification`; an imported spec uses the source's
    /// directory id, `"141310"`). Lower-case letters, digits and `-`.
    pub id: String,
    /// The area's title.
    pub title: Text,
    /// The enclosing area, for nested groups.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

/// An endpoint of one region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegionalEndpoint {
    /// The region id (`cn-hangzhou`).
    pub region: String,
    /// The endpoint host for that region.
    pub endpoint: String,
}

/// One supported signature scheme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SignatureScheme {
    /// Which scheme.
    pub scheme: SignatureKind,
    /// Whether clients use it unless told otherwise.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub default: bool,
    /// What the scheme is and who uses it.
    pub description: Text,
}

/// The signature schemes popgen knows how to produce and verify.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum SignatureKind {
    /// RPC signature v1.0 with HMAC-SHA1: the scheme the reference documents.
    RpcV1HmacSha1,
    /// V3 signature ACS3-HMAC-SHA256: the official SDKs' default today.
    Acs3HmacSha256,
}

/// The response envelope shared by every action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    /// Response formats the service can answer in, selected by the `Format` param.
    pub formats: Vec<ResponseFormat>,
    /// The format used when `Format` is not sent.
    pub default_format: ResponseFormat,
    /// The XML root element; `{Action}` is replaced by the action name (`{Action}Response`).
    pub xml_root: String,
    /// Fields every response carries (`RequestId`, `Code`, `Message`).
    pub fields: Vec<Field>,
    /// The `Code` value that means success unless an action says otherwise.
    pub success_code: String,
}

/// A response body format.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum ResponseFormat {
    /// JSON body.
    Json,
    /// XML body.
    Xml,
}

/// What an action changes in the world. Anything but `none` must never be retried blindly by a
/// client: a retried timeout can place a second real phone call.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Effect {
    /// Read-only: safe to retry.
    None,
    /// Places a phone call (or starts a call flow).
    PlacesCall,
    /// Creates a task, job or resource.
    CreatesTask,
    /// Starts, stops, cancels, changes or deletes a task or resource.
    ChangesTask,
    /// Changes account configuration.
    ChangesConfig,
    /// Sends a message (e-mail, SMS verification code) to a person.
    SendsMessage,
    /// Issues a credential or token (not harmful to repeat, but not a pure read).
    IssuesToken,
    /// Changes something the source does not name (an imported action whose metadata says only
    /// that it writes): treated as having side effects until someone says more.
    Writes,
}

impl Effect {
    /// Whether the action has a side effect that forbids blind retries.
    pub fn has_side_effects(self) -> bool {
        !matches!(self, Effect::None | Effect::IssuesToken)
    }
}

/// Per-second call limits.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Qps {
    /// Calls per second allowed for one user (account).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_user: Option<u32>,
    /// Calls per second allowed for the API as a whole, across users.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api: Option<u32>,
    /// Anything else the reference says about limits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}

/// How often one callee may be called through an action, counted per value of `param` in
/// sliding windows of a minute, an hour and a day (the reference's 同一个被叫，1次/分钟、5次/小时、
/// 20次/天). Clients do not enforce it; a mock server does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CalleeLimit {
    /// The action's param that names the callee (`CalledNumber`): a required string param.
    pub param: String,
    /// Calls allowed per callee per minute (more than 0, at most `per_hour`).
    pub per_minute: u32,
    /// Calls allowed per callee per hour (at most `per_day`).
    pub per_hour: u32,
    /// Calls allowed per callee per day (24 hours).
    pub per_day: u32,
}

/// Whether an action is still offered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Lifecycle {
    /// The state.
    pub state: LifecycleState,
    /// What the source says, and what to use instead.
    pub note: Text,
    /// Since when, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
}

/// Lifecycle state of an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum LifecycleState {
    /// Still works, but users should move away.
    Deprecated,
    /// No longer offered by the service.
    Withdrawn,
}

/// One API action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// The area it belongs to: the `id` of one of the product's `areas`. Actions without one are
    /// listed after every area.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    /// Where in the source it is documented.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// A short title (the metadata's `title`), when the source gives one besides the summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Text>,
    /// One line: what the action does.
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub summary: Text,
    /// Longer description: usage notes, prerequisites.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
    /// Call limits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qps: Option<Qps>,
    /// The service's flow control per callee: how often one value of a param (the called
    /// number) may be called through this action. Beyond it the service answers
    /// `isv.BUSINESS_LIMIT_CONTROL`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callee_limit: Option<CalleeLimit>,
    /// What calling it changes; drives the client's retry policy.
    pub effect: Effect,
    /// HTTP methods the action accepts, when they differ from the product's `methods`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub methods: Vec<HttpMethod>,
    /// The param whose value identifies one call to the caller (`OutId`): an outcome-unknown
    /// error reports it, so the caller can look the call up before trying again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_param: Option<String>,
    /// The `Code` that means success, when it differs from the envelope's (`"200"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_code: Option<String>,
    /// Deprecation or withdrawal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifecycle: Option<Lifecycle>,
    /// Request params (beyond the common ones), in the reference's order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<Param>,
    /// Cross-field rules over the params.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<Rule>,
    /// Response body fields (the whole body, envelope fields included, as the reference lists
    /// them). Empty when the source documents no response.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub response: Vec<Field>,
    /// Error codes documented for this action.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<Code>,
    /// Receipt messages this action causes (`VoiceReport`), each sent about every call or only
    /// when the request set a param to a value.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub receipts: Vec<ActionReceipt>,
    /// The reference's examples.
    #[serde(default, skip_serializing_if = "Examples::is_empty")]
    pub examples: Examples,
    /// Facts read from the description's prose rather than from structured data, each with
    /// the phrase it came from.
    #[serde(default, skip_serializing_if = "Prose::is_empty")]
    pub prose: Prose,
    /// Notes: where the reference contradicts itself and what the spec chose.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
}

/// The phrases of a source's prose that rules of an element were read from (an importer reads
/// `取值范围：**1~3**` as a range): each key names the rule it set, each value quotes the phrase.
/// A rule with a phrase here came from text, not from structured data; a reader can check it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Prose {
    /// The phrase `range` was read from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<String>,
    /// The phrase `length` was read from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<String>,
    /// The phrase `default` was read from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// The phrase `fixed` was read from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed: Option<String>,
    /// The phrase the enum values (or their meanings) were read from.
    #[serde(default, rename = "enum", skip_serializing_if = "Option::is_none")]
    pub enum_values: Option<String>,
    /// The phrase `format` (a separated list) was read from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// The phrase `max_items` was read from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<String>,
    /// The phrase `qps` was read from (actions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qps: Option<String>,
}

impl Prose {
    /// Whether no rule came from prose.
    pub fn is_empty(&self) -> bool {
        *self == Prose::default()
    }
}

/// Scalar wire types of request params and response fields.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum ScalarType {
    /// UTF-8 text.
    String,
    /// 32-bit signed integer (the reference's `Integer`).
    Integer,
    /// 64-bit signed integer (the reference's `Long`).
    Long,
    /// `true` / `false`.
    Boolean,
    /// Floating point number.
    Float,
}

/// The type of a request param.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ParamType {
    /// UTF-8 text.
    String,
    /// 32-bit signed integer.
    Integer,
    /// 64-bit signed integer.
    Long,
    /// `true` / `false`.
    Boolean,
    /// Floating point number.
    Float,
    /// A list flattened 1-based on the wire: structs as `Name.1.Field`, `Name.2.Field`... (their
    /// members in `fields`), or scalars as `Name.1`, `Name.2`... (their rules in `element`).
    Repeated,
}

impl ParamType {
    /// The type as a spec file writes it (`long`, `repeated`).
    pub fn as_str(self) -> &'static str {
        match self {
            ParamType::String => "string",
            ParamType::Integer => "integer",
            ParamType::Long => "long",
            ParamType::Boolean => "boolean",
            ParamType::Float => "float",
            ParamType::Repeated => "repeated",
        }
    }

    /// The scalar type, or `None` for `repeated`.
    pub fn scalar(self) -> Option<ScalarType> {
        Some(match self {
            ParamType::String => ScalarType::String,
            ParamType::Integer => ScalarType::Integer,
            ParamType::Long => ScalarType::Long,
            ParamType::Boolean => ScalarType::Boolean,
            ParamType::Float => ScalarType::Float,
            ParamType::Repeated => return None,
        })
    }
}

/// A scalar value: a default, an example, a fixed value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Scalar {
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A floating point number.
    Float(f64),
    /// A string.
    Str(String),
}

impl Scalar {
    /// The value as it is written on the wire.
    pub fn to_wire(&self) -> String {
        match self {
            Scalar::Bool(b) => b.to_string(),
            Scalar::Int(i) => i.to_string(),
            Scalar::Float(f) => f.to_string(),
            Scalar::Str(s) => s.clone(),
        }
    }
}

/// A number in a constraint: an integer, or a float for `float` params.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Number {
    /// An integer.
    Int(i64),
    /// A floating point number.
    Float(f64),
}

impl Number {
    /// The value as `f64` (exact for integers up to 2^53).
    pub fn as_f64(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Float(f) => f,
        }
    }
}

/// A request parameter (or a member of a repeated param's struct).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Param {
    /// The exact wire name (`PlayTimes`; for a repeated param its prefix, `MenuKeyMap`).
    pub name: String,
    /// The wire type.
    #[serde(rename = "type")]
    pub ty: ParamType,
    /// Where the param travels: the query string (the default, as the official SDKs send RPC
    /// params) or the form body.
    #[serde(default, skip_serializing_if = "ParamLocation::is_query")]
    pub location: ParamLocation,
    /// Whether the service rejects a request without it (the gateway's rule, which clients
    /// enforce).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    /// Whether the documentation calls it required, when that differs from `required`: shown to
    /// people, never enforced (a client must not refuse what the service accepts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub documented_required: Option<bool>,
    /// The value the service uses when the param is not sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Scalar>,
    /// The reference's example value (masked digits `****` are kept as the reference shows them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<Scalar>,
    /// What it means.
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub description: Text,
    /// Personal or secret data (phone numbers, identity-card numbers, verification codes,
    /// tokens): redacted in Debug output, logs and validation errors.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sensitive: bool,
    /// Documented as not available (the service ignores or rejects it); why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unavailable: Option<Text>,
    /// Numeric range (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<Range>,
    /// Length limit, in bytes or characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<Length>,
    /// Allowed values, written inline.
    #[serde(default, rename = "enum", skip_serializing_if = "Option::is_none")]
    pub enum_values: Option<Vec<EnumValue>>,
    /// Allowed values, from a named enum in `enums`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enum_ref: Option<String>,
    /// The only value accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed: Option<Scalar>,
    /// A regular expression (Rust `regex` syntax) the whole value must match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// A structured format carried in a string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<Format>,
    /// For `repeated` structs: the members of each element (`Key`, `Code`... of
    /// `MenuKeyMap.N.*`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<Param>,
    /// For `repeated` scalars (`Name.1`, `Name.2`...): the type and rules of each element.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub element: Option<Box<ItemRule>>,
    /// For `repeated`: the fewest elements the service accepts (a required list needs at least
    /// one whatever this says).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_items: Option<u32>,
    /// For `repeated`: the most elements the service accepts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<u32>,
    /// For `repeated`: cross-field rules between the members of one element.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<Rule>,
    /// Facts read from the description's prose, each with the phrase it came from.
    #[serde(default, skip_serializing_if = "Prose::is_empty")]
    pub prose: Prose,
    /// Notes: contradictions in the reference and what the spec chose.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
}

/// Where a request param travels.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ParamLocation {
    /// The query string (`POST /?Name=value`), as the official SDKs send RPC params.
    #[default]
    Query,
    /// An `application/x-www-form-urlencoded` body (the metadata's `formData`): long values
    /// such as file contents or large lists.
    Form,
}

impl ParamLocation {
    /// Whether it is the default, `query`.
    pub fn is_query(&self) -> bool {
        *self == ParamLocation::Query
    }
}

/// A numeric range, inclusive unless a bound is marked exclusive.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Range {
    /// Smallest accepted value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<Number>,
    /// Largest accepted value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Number>,
    /// Whether `min` itself is refused (the value must be greater).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub exclusive_min: bool,
    /// Whether `max` itself is refused (the value must be smaller).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub exclusive_max: bool,
    /// What the service does with a value outside the range.
    #[serde(default, skip_serializing_if = "OutOfRange::is_error")]
    pub out_of_range: OutOfRange,
}

/// What happens to a value outside its range.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum OutOfRange {
    /// The request is rejected: clients report an error.
    #[default]
    Error,
    /// The service silently uses the param's `default` instead: clients warn, not fail.
    Fallback,
}

impl OutOfRange {
    /// Whether it is the default, `error`.
    pub fn is_error(&self) -> bool {
        *self == OutOfRange::Error
    }
}

/// A length limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Length {
    /// Shortest accepted length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<u32>,
    /// Longest accepted length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
    /// What is counted. Always explicit: `OutId` counts bytes, `TaskName` characters.
    pub unit: LengthUnit,
}

/// The unit of a length limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum LengthUnit {
    /// UTF-8 bytes (`张` counts 3).
    Bytes,
    /// Unicode characters (scalar values; `张` counts 1).
    Chars,
}

/// One allowed value of an enum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnumValue {
    /// The value exactly as sent on the wire (numbers too are written as strings: `"1"`).
    pub value: String,
    /// What it means.
    pub meaning: Text,
    /// The Rust variant name, when the value does not make a good one (`"0"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
}

/// A reusable named enum.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NamedEnum {
    /// What the enum is.
    pub description: Text,
    /// The allowed values.
    pub values: Vec<EnumValue>,
    /// Whether the service may send values not listed (response enums): decoders keep them.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub open: bool,
    /// Notes: where sources disagree about the values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
}

/// A structured format carried in a string param or field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Format {
    /// A date-time written with a Java-style pattern (`yyyy-MM-dd HH:mm:ss`).
    DateTime {
        /// The pattern: `yyyy`, `MM`, `dd`, `HH`, `mm`, `ss`, `SSS`, and literal characters.
        pattern: String,
    },
    /// Milliseconds since the Unix epoch, as a decimal integer.
    UnixMillis,
    /// JSON text with a declared shape.
    Json {
        /// The decoded value's shape.
        schema: Box<Field>,
    },
    /// A separated list of items (`"138...,139..."`).
    List {
        /// The separator (`,`).
        separator: String,
        /// The most items accepted.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_items: Option<u32>,
        /// What each item must satisfy.
        item: Box<ItemRule>,
    },
}

/// Constraints on each item of a `list` format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemRule {
    /// Item type.
    #[serde(rename = "type")]
    pub ty: ScalarType,
    /// Item length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<Length>,
    /// Item pattern.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// Item range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<Range>,
    /// Item values.
    #[serde(default, rename = "enum", skip_serializing_if = "Option::is_none")]
    pub enum_values: Option<Vec<EnumValue>>,
}

impl ItemRule {
    /// The item as an unnamed optional param with the item's rules, so that one set of checks
    /// (and one emitter) serves params, list items and repeated scalars alike.
    pub fn to_param(&self, name: &str) -> Param {
        Param {
            name: name.to_owned(),
            ty: ParamType::from(self.ty),
            location: ParamLocation::Query,
            required: false,
            documented_required: None,
            default: None,
            example: None,
            description: Text::default(),
            sensitive: false,
            unavailable: None,
            range: self.range.clone(),
            length: self.length.clone(),
            enum_values: self.enum_values.clone(),
            enum_ref: None,
            fixed: None,
            pattern: self.pattern.clone(),
            format: None,
            fields: Vec::new(),
            element: None,
            min_items: None,
            max_items: None,
            rules: Vec::new(),
            prose: Prose::default(),
            notes: Vec::new(),
        }
    }
}

impl From<ScalarType> for ParamType {
    fn from(s: ScalarType) -> ParamType {
        match s {
            ScalarType::String => ParamType::String,
            ScalarType::Integer => ParamType::Integer,
            ScalarType::Long => ParamType::Long,
            ScalarType::Boolean => ParamType::Boolean,
            ScalarType::Float => ParamType::Float,
        }
    }
}

/// A cross-field rule. Machine-checkable kinds are enforced by generated clients; `documented`
/// rules are shown in docs only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Rule {
    /// `param` is required when `when` holds.
    RequiredIf {
        /// The param that becomes required.
        param: String,
        /// The condition.
        when: Condition,
        /// How sure the rule is: `warning` when the service may still accept the request
        /// (the condition is necessary but not sufficient).
        #[serde(default, skip_serializing_if = "Severity::is_error")]
        severity: Severity,
        /// The rule in words.
        description: Text,
    },
    /// At most one of `params` may be sent.
    MutuallyExclusive {
        /// The params.
        params: Vec<String>,
        /// How sure the rule is.
        #[serde(default, skip_serializing_if = "Severity::is_error")]
        severity: Severity,
        /// The rule in words.
        description: Text,
    },
    /// At least one of `params` must be sent.
    AtLeastOneOf {
        /// The params.
        params: Vec<String>,
        /// How sure the rule is.
        #[serde(default, skip_serializing_if = "Severity::is_error")]
        severity: Severity,
        /// The rule in words.
        description: Text,
    },
    /// When all of `params` are sent, either all of them match `pattern` or none does
    /// (e.g. `StartCode` and `ByeCode` are both TTS templates or both voice files).
    SameKind {
        /// The params.
        params: Vec<String>,
        /// The pattern that tells the kinds apart.
        pattern: String,
        /// How sure the rule is.
        #[serde(default, skip_serializing_if = "Severity::is_error")]
        severity: Severity,
        /// The rule in words.
        description: Text,
    },
    /// A rule stated by the reference that cannot be checked by a client.
    Documented {
        /// The params it is about.
        #[serde(default)]
        params: Vec<String>,
        /// The rule in words.
        description: Text,
    },
}

impl Rule {
    /// The kind in words: `required if`, `mutually exclusive`, ...
    pub fn label(&self) -> &'static str {
        match self {
            Rule::RequiredIf { .. } => "required if",
            Rule::MutuallyExclusive { .. } => "mutually exclusive",
            Rule::AtLeastOneOf { .. } => "at least one of",
            Rule::SameKind { .. } => "same kind",
            Rule::Documented { .. } => "documented (not checked)",
        }
    }

    /// How a client treats a broken rule; `None` for a `documented` rule, which no client checks.
    pub fn severity(&self) -> Option<Severity> {
        match self {
            Rule::RequiredIf { severity, .. }
            | Rule::MutuallyExclusive { severity, .. }
            | Rule::AtLeastOneOf { severity, .. }
            | Rule::SameKind { severity, .. } => Some(*severity),
            Rule::Documented { .. } => None,
        }
    }

    /// The rule in words.
    pub fn description(&self) -> &Text {
        match self {
            Rule::RequiredIf { description, .. }
            | Rule::MutuallyExclusive { description, .. }
            | Rule::AtLeastOneOf { description, .. }
            | Rule::SameKind { description, .. }
            | Rule::Documented { description, .. } => description,
        }
    }
}

/// A condition over one param's value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// The param the condition looks at.
    pub param: String,
    /// Holds when the param is sent and matches this pattern.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matches: Option<String>,
    /// Holds when the param is sent with this value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equals: Option<String>,
}

/// How a violated rule is reported.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// The request is invalid.
    #[default]
    Error,
    /// The request is probably invalid; it is sent with a warning.
    Warning,
}

impl Severity {
    /// Whether it is the default, `error`.
    pub fn is_error(&self) -> bool {
        *self == Severity::Error
    }
}

/// The type of a response field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FieldType {
    /// UTF-8 text.
    String,
    /// 32-bit signed integer.
    Integer,
    /// 64-bit signed integer.
    Long,
    /// Boolean.
    Boolean,
    /// Floating point number.
    Float,
    /// An object with `fields`.
    Object,
    /// An array of `items`.
    Array,
    /// An object with arbitrary keys whose values are `values`.
    Map,
    /// Any JSON value (kept as is).
    Any,
}

impl FieldType {
    /// The type as a spec file writes it (`object`, `map`).
    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Integer => "integer",
            FieldType::Long => "long",
            FieldType::Boolean => "boolean",
            FieldType::Float => "float",
            FieldType::Object => "object",
            FieldType::Array => "array",
            FieldType::Map => "map",
            FieldType::Any => "any",
        }
    }

    /// The scalar type, if the field is a scalar.
    pub fn scalar(self) -> Option<ScalarType> {
        Some(match self {
            FieldType::String => ScalarType::String,
            FieldType::Integer => ScalarType::Integer,
            FieldType::Long => ScalarType::Long,
            FieldType::Boolean => ScalarType::Boolean,
            FieldType::Float => ScalarType::Float,
            _ => return None,
        })
    }
}

/// A response field, a member of a JSON shape, or a receipt message field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// The exact key (`RequestId`, `call_id`). Array items and map values have no key; their
    /// `name`, when given, names the element type (the reference's `Array of Data`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The type. With `type_ref` set, omit it (the named type's shape applies).
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub ty: Option<FieldType>,
    /// Use the named shape from `types`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_ref: Option<String>,
    /// What it means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
    /// The reference's example value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<Scalar>,
    /// Other JSON types the service is seen sending for this field (a `string` in the table but
    /// a number in the examples): decoders accept these too.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<ScalarType>,
    /// Other keys the service is seen using for this field (a misspelling fixed in one version
    /// but not another, `konwledgeCount` / `knowledgeCount`): decoders accept each of them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// For `object`: the members.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<Field>,
    /// For `array`: the element shape.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Box<Field>>,
    /// For `map`: the value shape.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Box<Field>>,
    /// For a `string` that carries JSON text: the decoded shape.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub json: Option<Box<Field>>,
    /// For a `string` with a structured format (date-time, unix millis).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<Format>,
    /// Values, written inline.
    #[serde(default, rename = "enum", skip_serializing_if = "Option::is_none")]
    pub enum_values: Option<Vec<EnumValue>>,
    /// Values, from a named enum.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enum_ref: Option<String>,
    /// Whether the field must be present (in JSON shapes carried by request params).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    /// Personal or secret data: redacted in Debug output and logs.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sensitive: bool,
    /// Notes: contradictions in the reference and what the spec chose.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
}

/// A documented error or status code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Code {
    /// The code exactly as the service sends it.
    pub code: String,
    /// The HTTP status it comes with, when documented.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    /// What it means.
    pub meaning: Text,
    /// What to do about it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<Text>,
    /// Whether a client may retry on it (throttling, transient server errors) — for read-only
    /// actions only; actions with side effects never retry on a response.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub retryable: bool,
}

/// A table of codes: business error codes, gateway errors, carrier status codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeTable {
    /// The table's title.
    pub title: Text,
    /// What the codes are and where they appear.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
    /// What kind of codes these are.
    pub kind: CodeTableKind,
    /// The codes.
    pub codes: Vec<Code>,
    /// Notes on the table.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
}

/// What a code table lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CodeTableKind {
    /// `Code` values of API error responses (business or gateway): part of the error enum.
    ApiErrors,
    /// Codes that appear inside receipts or query results (carrier status codes).
    Status,
}

/// A receipt (callback) message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Receipt {
    /// One line: what the message reports.
    pub summary: Text,
    /// When it is sent and how it is delivered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
    /// The fields of one record (a push carries a JSON array of records).
    pub fields: Vec<Field>,
    /// Example bodies (JSON arrays of records).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<String>,
    /// How a call an action placed is reported in this message, field by field: what lets a
    /// mock write the records the service would, and a receiver link them to the call. Absent
    /// for messages a placed call alone does not produce.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call: Option<ReceiptCall>,
    /// Notes: contradictions between doc versions and what the spec chose.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
}

/// A receipt message an action causes: its name (`VoiceReport`), sent about every call; or a
/// mapping that names it and says when it is sent (`{message: VoiceRecordReport, when: {param:
/// RecordFlag, equals: true}}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum ActionReceipt {
    /// Sent about every call the action places: the message's name.
    Always(String),
    /// Sent only about calls whose request met a condition.
    When(ConditionalReceipt),
}

impl ActionReceipt {
    /// The message's name (a key of the spec's `receipts`).
    pub fn message(&self) -> &str {
        match self {
            ActionReceipt::Always(name) => name,
            ActionReceipt::When(c) => &c.message,
        }
    }

    /// The condition on the request, if the message is not sent about every call.
    pub fn when(&self) -> Option<&ParamEquals> {
        match self {
            ActionReceipt::Always(_) => None,
            ActionReceipt::When(c) => Some(&c.when),
        }
    }
}

/// A receipt message sent only about calls whose request met a condition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConditionalReceipt {
    /// The message's name (a key of the spec's `receipts`).
    pub message: String,
    /// The condition.
    pub when: ParamEquals,
    /// Where the condition comes from, and any doubt about it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
}

/// A condition on a request: the scalar param `param` was sent with the value `equals` (compared
/// with the value as the client sends it: `True`, as the official Python SDK spells it, reads as
/// `true`). A request that leaves the param out does not meet it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ParamEquals {
    /// The param's wire name (`RecordFlag`).
    pub param: String,
    /// The value, of the param's type.
    pub equals: Scalar,
}

/// How a receipt message reports a call that an action listing it in `receipts` placed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceiptCall {
    /// When records are sent: one per state change, or one when the call ends.
    pub sent: ReceiptSent,
    /// Whether records are sent only about calls that were answered: a recording message has
    /// nothing to report about a call nobody talked in.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub only_answered: bool,
    /// The top-level response field of the placing action whose value the `call_id` field
    /// echoes (`CallId`): what links a record to the call.
    pub call_id_from: String,
    /// The UTC offset of the record's times (`yyyy-MM-dd HH:mm:ss`, no zone on the wire), in
    /// minutes: 480 for China Standard Time.
    #[serde(default)]
    pub utc_offset_minutes: i16,
    /// Which record field carries what.
    pub fields: CallFields,
    /// The `status_code` values records carry, by call event; every code is in a `kind: status`
    /// code table.
    #[serde(default)]
    pub codes: CallCodes,
}

/// When a receipt message is sent about a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ReceiptSent {
    /// A record for each state the call passes (calling, ringing, answered, ended).
    EachState,
    /// One record when the call ends (its outcome, duration and times).
    AtEnd,
}

/// The record fields (by name) that carry each fact about a call. Only `call_id` is required.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CallFields {
    /// The call's ID (the value of the response field `call_id_from`).
    pub call_id: String,
    /// The value of the placing action's `idempotency_param` (`OutId`), echoed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out_id: Option<String>,
    /// The number called: the value of the action's `callee_limit` param.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callee: Option<String>,
    /// The status code of the event or outcome (from `codes`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_code: Option<String>,
    /// When the state (`each-state`) happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_time: Option<String>,
    /// When the call was sent to the carrier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub originate_time: Option<String>,
    /// When the callee's phone began ringing; empty if it never rang.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ring_time: Option<String>,
    /// When the callee answered; empty if unanswered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    /// When the call ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    /// Talk time in seconds; 0 if unanswered (a number, or text when the field is a string).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<String>,
    /// Where the call's recording can be downloaded (a URL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recording_url: Option<String>,
    /// When recording began.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recording_began: Option<String>,
}

/// The status codes a receipt message reports call events with. For `each-state` messages the
/// first code of `calling`, `ringing`, `answered` and `ended` marks each state; an `at-end`
/// message reports one of `answered` (talked), `unanswered` (rang or reached, no talk) or
/// `failed` (never rang).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CallCodes {
    /// The call is being placed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub calling: Vec<String>,
    /// The callee's phone rings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ringing: Vec<String>,
    /// The callee answered (for `at-end`: the call was answered and ended normally).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answered: Vec<String>,
    /// The call ended.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ended: Vec<String>,
    /// The callee was reached but did not talk (busy, no answer).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unanswered: Vec<String>,
    /// The call never rang (invalid number, unreachable, powered off).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failed: Vec<String>,
}

/// The reference's examples for an action.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    /// Example requests.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requests: Vec<RequestExample>,
    /// Example responses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub responses: Vec<ResponseExample>,
}

impl Examples {
    /// Whether there is no example at all.
    pub fn is_empty(&self) -> bool {
        self.requests.is_empty() && self.responses.is_empty()
    }
}

/// An example request: the action params as the reference shows them (common params omitted).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestExample {
    /// Wire name → value, exactly as the reference shows (masked values such as `1590****000`
    /// are kept; checks skip content rules on values containing `****`).
    pub params: BTreeMap<String, String>,
    /// Notes that explain where the example disagrees with the spec.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
}

/// An example response body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResponseExample {
    /// The body's format.
    pub format: ResponseFormat,
    /// The body text (re-joined where the PDF broke lines).
    pub body: String,
    /// Whether it is an error response.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub error: bool,
    /// Notes that explain where the example disagrees with the spec.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
}

/// A note about the source: where it contradicts itself or is unclear, and what the spec chose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Note {
    /// The kind of note.
    pub kind: NoteKind,
    /// The wire name or field path it is about (`PlayTimes`, `Data.konwledgeCount`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub about: Option<String>,
    /// What the reference says (quote it, Chinese included).
    pub reference_says: String,
    /// What the spec chose.
    pub chosen: String,
    /// Why.
    pub why: String,
}

/// The kind of a note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum NoteKind {
    /// Two places of the reference disagree (table vs example, text vs table).
    Contradiction,
    /// A misspelled name kept because the service uses it (`konwledgeCount`).
    Typo,
    /// A format string that disagrees with its example.
    FormatMismatch,
    /// An example that violates the reference's own constraint or enum.
    ExampleViolation,
    /// The reference is unclear; the spec made a choice.
    Ambiguity,
    /// Something newer sources say that the reference does not.
    Update,
    /// A phrase of the source's prose that looks like a rule but could not be read as one: kept
    /// for people, enforced by nothing.
    Unparsed,
    /// What an importer did with a fact it could not take as it is (a bound that means nothing,
    /// a value outside its type).
    Import,
}
