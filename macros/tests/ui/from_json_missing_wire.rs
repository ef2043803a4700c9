use popgen_macros::{FromJson, ToJson};

#[derive(Default, FromJson, ToJson)]
struct Reply {
    #[popgen(sensitive)]
    code: Option<String>,
}

fn main() {
    // No cascade: the stub impls keep this compiling.
    let _ = popgen_runtime::decode::from_body::<Reply>(popgen_runtime::decode::Format::Json, "{}");
}
