use popgen_macros::Validate;

#[derive(Validate)]
struct Request {
    #[popgen(wire = "StartTime", datetime = "yyyy-MM-dd hh:mm:ss")]
    start_time: String,
}

fn main() {}
