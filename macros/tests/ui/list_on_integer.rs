use popgen_macros::Validate;

#[derive(Validate)]
struct Request {
    #[popgen(wire = "Numbers", list(max_items = 3))]
    numbers: i64,
}

fn main() {}
