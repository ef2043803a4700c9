use popgen_macros::Validate;

#[derive(Validate)]
struct Request {
    #[popgen(wire = "OutId", lenght(max = 15, unit = bytes))]
    out_id: String,
}

fn main() {}
