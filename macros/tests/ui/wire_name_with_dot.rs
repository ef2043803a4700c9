use popgen_macros::Validate;

#[derive(Validate)]
struct Request {
    #[popgen(wire = "Menu.Key")]
    key: String,
}

fn main() {}
