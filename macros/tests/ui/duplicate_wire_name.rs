use popgen_macros::Validate;

#[derive(Validate)]
struct Request {
    #[popgen(wire = "OutId")]
    out_id: String,
    #[popgen(wire = "OutId")]
    other_id: String,
}

fn main() {}
