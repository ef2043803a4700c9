use popgen_macros::Validate;

#[derive(Validate)]
struct Request {
    #[popgen(wire = "Volume", range(min = 0, max = 3000000000))]
    volume: i32,
    #[popgen(wire = "Speed", range(max = 1.5))]
    speed: i32,
}

fn main() {}
