use std::collections::BTreeMap;

use popgen_macros::Validate;

#[derive(Validate)]
struct Request {
    #[popgen(wire = "TtsParam", json, length(max = 999, unit = chars), pattern = "^\\{")]
    tts_param: Option<BTreeMap<String, String>>,
}

fn main() {}
