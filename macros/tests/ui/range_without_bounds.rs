use popgen_macros::Validate;

#[derive(Validate)]
struct Request {
    #[popgen(wire = "PlayTimes", range())]
    play_times: i64,
}

fn main() {}
