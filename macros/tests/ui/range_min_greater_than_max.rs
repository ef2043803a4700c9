use popgen_macros::Validate;

#[derive(Validate)]
struct Request {
    #[popgen(wire = "PlayTimes", range(min = 3, max = 1))]
    play_times: i64,
}

fn main() {}
