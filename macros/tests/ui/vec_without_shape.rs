use popgen_macros::Validate;

#[derive(Validate)]
struct Request {
    #[popgen(wire = "Numbers")]
    numbers: Vec<String>,
}

fn main() {}
