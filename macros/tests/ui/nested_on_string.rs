use popgen_macros::Validate;

#[derive(Validate)]
struct Request {
    #[popgen(wire = "Menu", nested)]
    menu: String,
}

fn main() {}
