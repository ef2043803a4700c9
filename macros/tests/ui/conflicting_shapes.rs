use popgen_macros::Validate;

#[derive(Validate)]
struct Request {
    #[popgen(wire = "Numbers", json, list(separator = ","))]
    numbers: Vec<String>,
}

fn main() {}
