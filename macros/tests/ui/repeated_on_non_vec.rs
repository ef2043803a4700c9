use popgen_macros::Validate;

#[derive(Validate)]
struct Request {
    #[popgen(wire = "MenuKeyMap", repeated)]
    menu_key_map: String,
}

fn main() {}
