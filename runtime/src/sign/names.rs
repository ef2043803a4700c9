//! The wire names of the RPC protocol's common params and V3 headers, written once: the
//! signers, the verifier (the mock's gateway) and the client ask for them here, as aws-sigv4's
//! `header` and `param` modules do.

/// Common params of RPC v1 (query or form), as the official SDKs send them.
pub mod param {
    /// The action called (`SingleCallByTts`).
    pub const ACTION: &str = "Action";
    /// The API version (`2017-05-25`).
    pub const VERSION: &str = "Version";
    /// The response format asked for (`JSON`, `XML`).
    pub const FORMAT: &str = "Format";
    /// The AccessKey ID.
    pub const ACCESS_KEY_ID: &str = "AccessKeyId";
    /// `HMAC-SHA1`.
    pub const SIGNATURE_METHOD: &str = "SignatureMethod";
    /// `1.0`.
    pub const SIGNATURE_VERSION: &str = "SignatureVersion";
    /// A fresh random value per request (replay protection).
    pub const SIGNATURE_NONCE: &str = "SignatureNonce";
    /// Some official SDKs send it empty; never required.
    pub const SIGNATURE_TYPE: &str = "SignatureType";
    /// ISO 8601 UTC time of signing.
    pub const TIMESTAMP: &str = "Timestamp";
    /// The signature itself; never signed.
    pub const SIGNATURE: &str = "Signature";
    /// An STS token; signed, and redacted in every output.
    pub const SECURITY_TOKEN: &str = "SecurityToken";
    /// The region, which the official SDKs add to some products' requests.
    pub const REGION_ID: &str = "RegionId";
}

/// Headers of the V3 scheme (ACS3-HMAC-SHA256), in lower case as they are signed.
pub mod header {
    /// The host the request is sent to.
    pub const HOST: &str = "host";
    /// The API version.
    pub const VERSION: &str = "x-acs-version";
    /// The action called.
    pub const ACTION: &str = "x-acs-action";
    /// ISO 8601 UTC time of signing.
    pub const DATE: &str = "x-acs-date";
    /// A fresh random value per request (replay protection).
    pub const SIGNATURE_NONCE: &str = "x-acs-signature-nonce";
    /// Hex SHA-256 of the body.
    pub const CONTENT_SHA256: &str = "x-acs-content-sha256";
    /// `static_ak` or `static_sts`.
    pub const CREDENTIALS_PROVIDER: &str = "x-acs-credentials-provider";
    /// The AccessKey ID, sent with STS credentials.
    pub const ACCESS_KEY_ID: &str = "x-acs-accesskey-id";
    /// An STS token; signed, and redacted in every output.
    pub const SECURITY_TOKEN: &str = "x-acs-security-token";
    /// The prefix of every header the scheme requires to be signed.
    pub const ACS_PREFIX: &str = "x-acs-";
    /// `ACS3-HMAC-SHA256 Credential=...,SignedHeaders=...,Signature=...`.
    pub const AUTHORIZATION: &str = "authorization";
    /// The body's media type; signed when there is a body.
    pub const CONTENT_TYPE: &str = "content-type";
    /// What the client accepts.
    pub const ACCEPT: &str = "accept";
    /// The client's name and version.
    pub const USER_AGENT: &str = "user-agent";
}
