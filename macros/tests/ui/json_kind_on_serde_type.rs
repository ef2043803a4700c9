use popgen_macros::Validate;

#[derive(Validate)]
struct Request {
    #[popgen(wire = "TtsParam", json(object))]
    tts_param: std::collections::BTreeMap<String, String>,
}

fn main() {}
