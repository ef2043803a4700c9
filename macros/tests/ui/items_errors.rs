use popgen_macros::Validate;

#[derive(Validate)]
struct Element {
    #[popgen(wire = "Key")]
    key: String,
}

#[derive(Validate)]
struct Request {
    #[popgen(wire = "Numbers", list(max_items = 3), items(max = 3))]
    numbers: Vec<String>,
    #[popgen(wire = "Count", items(min = 1))]
    count: i64,
    #[popgen(wire = "Keys", repeated, items(optional))]
    keys: Vec<Element>,
    #[popgen(wire = "Ids", repeated, items(min = 5, max = 2))]
    ids: Vec<i64>,
    #[popgen(wire = "Tags", repeated, items(most = 2))]
    tags: Vec<String>,
}

fn main() {}
