use popgen_macros::WireEnum;

#[derive(WireEnum)]
enum Status {
    #[popgen(wire = "RUNNING")]
    Running,
    Paused,
    #[popgen(wire = "RUNNING")]
    Started,
    #[popgen(other)]
    Unknown,
}

fn main() {}
