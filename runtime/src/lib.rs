//! Runtime support for popgen-generated Alibaba Cloud RPC ("POP") clients.
//!
//! Everything the generated code and the derive macros of `popgen-macros` call into lives here, so
//! the logic is written once and unit-tested once:
//!
//! - [`rules`]: the validation rule functions (range, length in bytes or characters, enum, pattern,
//!   formats...), and [`validation`]: the error type that collects every violation.
//! - [`params`]: turning request structs into the ordered `(wire name, value)` pairs of the RPC
//!   protocol, and back.
//! - [`sign`]: RPC signature v1.0 (HMAC-SHA1) and V3 (ACS3-HMAC-SHA256), as pure functions.
//! - [`credentials`]: where AccessKeys come from, and [`secret`]: a string that never prints.
//! - [`client`]: the client core (validate, sign, send, decode), with [`retry`] (retries that
//!   never resend an action with side effects once it may have been sent, a retry budget, a
//!   deadline), [`rate_limit`] (optional pacing to each action's QPS) and, with the `http`
//!   feature (on by default), `http`: the reqwest + rustls transport, and `builder`: a client
//!   aimed and bounded in one expression.
//! - [`batch`]: splitting a long list param into batches of separate calls.
//! - [`pricing`]: price tables and the cost estimator (exact decimals).
//! - [`calendar`]: dates and the protocol's UTC timestamp, once; with the `server` feature,
//!   `conn`: connection bounds (caps, header and idle timeouts) for servers built on the runtime.
#![warn(missing_docs)]

/// serde, re-exported so generated crates need no direct dependency on it.
pub use serde;
/// serde_json, re-exported so generated crates need no direct dependency on it.
pub use serde_json;

pub mod action;
pub mod batch;
#[cfg(feature = "http")]
pub mod builder;
pub mod calendar;
pub mod call_receipt;
pub mod client;
#[cfg(feature = "server")]
pub mod conn;
pub mod credentials;
pub mod cross;
pub mod decode;
pub mod encode;
pub mod enum_serde;
#[cfg(feature = "http")]
pub mod http;
pub mod params;
pub mod pricing;
pub mod rate_limit;
pub mod receipts;
pub mod registry;
pub mod retry;
pub mod rules;
pub mod secret;
pub mod sign;
pub mod validation;
