//! What every Alibaba Cloud RPC ("POP") product shares and its metadata does not repeat: the two
//! signature schemes, the common request params, the error body. Facts of the protocol, written
//! once here for every imported product (the runtime signs with the same names).

use popgen_spec::model::{
    EnumValue, Field, FieldType, Format, Param, ParamLocation, ParamType, Prose, Scalar,
    SignatureKind, SignatureScheme, Text,
};

/// The signature schemes every RPC product accepts; V3 is what the official SDKs use today.
pub fn signatures() -> Vec<SignatureScheme> {
    vec![
        SignatureScheme {
            scheme: SignatureKind::RpcV1HmacSha1,
            default: false,
            description: Text::en(
                "RPC signature v1.0 with HMAC-SHA1: every param signed in the query, the signature \
                 sent as the `Signature` param.",
            ),
        },
        SignatureScheme {
            scheme: SignatureKind::Acs3HmacSha256,
            default: true,
            description: Text::en(
                "V3 signature ACS3-HMAC-SHA256, the official SDKs' default: action, version, time \
                 and nonce travel as `x-acs-*` headers, the signature in `Authorization`.",
            ),
        },
    ]
}

fn param(name: &str, required: bool, en: &str) -> Param {
    Param {
        name: name.to_owned(),
        ty: ParamType::String,
        location: ParamLocation::Query,
        required,
        documented_required: None,
        default: None,
        example: None,
        description: Text::en(en),
        sensitive: false,
        unavailable: None,
        range: None,
        length: None,
        enum_values: None,
        enum_ref: None,
        fixed: None,
        pattern: None,
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

/// The common params of the RPC protocol (RPC v1 sends them all; V3 moves most into headers).
pub fn common_params(version: &str) -> Vec<Param> {
    let mut format = param(
        "Format",
        false,
        "Format of the response body; XML when not sent.",
    );
    format.default = Some(Scalar::Str("XML".into()));
    format.enum_values = Some(
        ["JSON", "XML"]
            .iter()
            .map(|v| EnumValue {
                value: (*v).to_owned(),
                meaning: Text::en(format!("{v} response body.")),
                rust_name: None,
            })
            .collect(),
    );
    let mut version_param = param("Version", true, "The API version.");
    version_param.fixed = Some(Scalar::Str(version.to_owned()));
    let mut method = param("SignatureMethod", true, "The signature method of RPC v1.");
    method.fixed = Some(Scalar::Str("HMAC-SHA1".into()));
    let mut sig_version = param("SignatureVersion", true, "The version of RPC signature v1.");
    sig_version.fixed = Some(Scalar::Str("1.0".into()));
    let mut timestamp = param("Timestamp", true, "When the request was signed, in UTC.");
    timestamp.format = Some(Format::DateTime {
        pattern: "yyyy-MM-ddTHH:mm:ssZ".into(),
    });
    let mut token = param(
        "SecurityToken",
        false,
        "The STS token, with temporary credentials.",
    );
    token.sensitive = true;
    vec![
        format,
        version_param,
        param("AccessKeyId", true, "The AccessKey ID of the caller."),
        param("Signature", true, "The signature of the request (RPC v1)."),
        method,
        timestamp,
        sig_version,
        param(
            "SignatureNonce",
            true,
            "A unique random value per request, against replays.",
        ),
        token,
    ]
}

/// A string field of the envelope or the error body.
pub fn string_field(name: &str, en: &str) -> Field {
    Field {
        name: Some(name.to_owned()),
        ty: Some(FieldType::String),
        type_ref: None,
        description: Some(Text::en(en)),
        example: None,
        also: Vec::new(),
        aliases: Vec::new(),
        fields: Vec::new(),
        items: None,
        values: None,
        json: None,
        format: None,
        enum_values: None,
        enum_ref: None,
        required: false,
        sensitive: false,
        notes: Vec::new(),
    }
}

/// The body of an error answer, from the gateway or the product.
pub fn error_body() -> Vec<Field> {
    vec![
        string_field("RequestId", "The request's ID."),
        string_field("HostId", "The endpoint that answered."),
        string_field("Code", "The error code."),
        string_field("Message", "What went wrong."),
        string_field("Recommend", "A link to diagnose the error."),
    ]
}
