use popgen_macros::Validate;

#[derive(Validate)]
struct Request {
    #[popgen(wire = "Code", pattern = "^TTS_[0-9+$")]
    code: String,
}

fn main() {}
