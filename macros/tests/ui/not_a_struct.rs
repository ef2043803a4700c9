use popgen_macros::Validate;

#[derive(Validate)]
enum Request {
    A,
}

fn main() {}
