//! The integration tests of `popgen-runtime` in one test binary: each file of `runtime/tests/` is a
//! module here (a binary each would link the whole dependency graph again). One file's tests:
//! `cargo test -p popgen-runtime --test integration FILE::`.

mod client_tracing;
mod common;
mod credentials;
mod decode;
mod decode_tree;
mod encoding;
mod http_transport;
mod redaction;
mod retry;
mod rules_props;
mod v3_signed_headers;
mod validation_derive;
mod vectors;
