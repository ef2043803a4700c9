use popgen_macros::Validate;

#[derive(Validate)]
struct Request {
    #[popgen(range(min = 1, max = 3))]
    play_times: i64,
}

fn main() {}
