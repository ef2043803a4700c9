use popgen_macros::Validate;

#[derive(Validate)]
struct Request {
    #[popgen(wire = "PauseTime", fallback)]
    pause_time: Option<i32>,
}

fn main() {}
