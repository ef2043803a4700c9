use popgen_macros::{FromJson, Validate};

#[derive(Validate)]
struct Request {
    #[popgen(wire = "Count", alias = "count")]
    count: i64,
}

#[derive(Default, FromJson)]
struct Response {
    #[popgen(wire = "a", alias = "b")]
    a: Option<i64>,
    #[popgen(wire = "b", alias = "a", alias = "")]
    b: Option<i64>,
    #[popgen(skip, alias = "c")]
    c: Option<i64>,
}

fn main() {}
