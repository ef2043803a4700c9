use popgen_macros::Validate;

struct Plain;

#[derive(Validate)]
struct Request {
    #[popgen(wire = "Status", known)]
    status: Plain,
}

fn main() {}
