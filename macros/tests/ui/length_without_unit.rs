use popgen_macros::Validate;

#[derive(Validate)]
struct Request {
    #[popgen(wire = "OutId", length(min = 1, max = 15))]
    out_id: String,
}

fn main() {}
