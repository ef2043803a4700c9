use popgen_macros::FromJson;

#[derive(FromJson)]
enum Reply {
    A,
}

fn main() {}
