use popgen_macros::Validate;

#[derive(Validate)]
struct Request {
    #[popgen(wire = "PlayTimes", range(min = 1, max = 3))]
    play_times: Option<String>,
}

fn main() {}
