use popgen_macros::Validate;

#[derive(Validate)]
struct Request {
    #[popgen(wire = "PlayTimes", length(max = 3, unit = bytes))]
    play_times: Option<i64>,
}

fn main() {}
