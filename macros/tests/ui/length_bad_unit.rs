use popgen_macros::Validate;

#[derive(Validate)]
struct Request {
    #[popgen(wire = "OutId", length(max = 15, unit = words))]
    out_id: String,
}

fn main() {}
