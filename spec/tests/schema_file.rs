//! The checked-in JSON Schema (`spec/spec.schema.json`) must be what the model generates.
//! Run with `POPGEN_BLESS=1` to rewrite it after changing the model.

#[test]
fn checked_in_schema_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("spec.schema.json");
    let fresh = popgen_spec::schema::spec_file_schema_text();
    if std::env::var_os("POPGEN_BLESS").is_some() {
        std::fs::write(&path, &fresh).unwrap();
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == fresh,
        "spec/spec.schema.json is stale: run `POPGEN_BLESS=1 cargo test -p popgen-spec --test integration schema_file::`"
    );
}
