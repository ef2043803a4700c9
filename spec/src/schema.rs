//! The JSON Schema of the spec format, generated from the Rust model so it can never drift.
//!
//! Published as `spec/spec.schema.json` for editors (a test keeps the file current), and used by the
//! loader itself: structural errors (unknown keys, wrong types, missing keys) are found by walking
//! each YAML file against this schema, so all of them are reported in one run.

use std::sync::OnceLock;

/// The JSON Schema of one spec file, as a JSON value.
pub fn spec_file_schema() -> &'static serde_json::Value {
    static SCHEMA: OnceLock<serde_json::Value> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let schema = schemars::schema_for!(crate::model::SpecFile);
        serde_json::to_value(schema).expect("a schema is plain JSON")
    })
}

/// The schema as pretty-printed JSON text, ending with a newline (the content of
/// `spec/spec.schema.json`).
pub fn spec_file_schema_text() -> String {
    let mut text =
        serde_json::to_string_pretty(spec_file_schema()).expect("a schema is plain JSON");
    text.push('\n');
    text
}
