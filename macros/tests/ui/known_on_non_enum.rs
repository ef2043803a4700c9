use std::collections::BTreeMap;

use popgen_macros::Validate;

#[derive(Validate)]
struct Request {
    #[popgen(wire = "Name", known)]
    name: String,
    #[popgen(wire = "Count", known)]
    count: Option<i64>,
    #[popgen(wire = "Record", known)]
    record: bool,
    #[popgen(wire = "Tag", repeated, known)]
    tags: Vec<String>,
    #[popgen(wire = "TtsParam", json, known)]
    tts_param: Option<BTreeMap<String, String>>,
}

fn main() {}
