use popgen_macros::Validate;

#[derive(Validate)]
struct Request {
    #[popgen(wire = "ScheduleTime", unix_millis)]
    schedule_time: String,
}

fn main() {}
