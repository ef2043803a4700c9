use popgen_macros::Validate;

#[derive(Validate)]
struct Request {
    #[popgen(wire = "OutId", wire = "OutID")]
    out_id: String,
}

fn main() {}
