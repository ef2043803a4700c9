//! Several mistakes on one struct: each is reported under its own tokens, and the stub impls
//! keep the uses of the traits below free of follow-on errors.
use popgen_macros::{RpcParams, Validate};
use popgen_runtime::params::RpcParams as _;
use popgen_runtime::validation::Validate as _;

#[derive(Validate, RpcParams)]
#[popgen(rul = check)]
struct Request {
    #[popgen(wire = "PlayTimes", range(min = 5, max = 1))]
    play_times: i64,
    #[popgen(wire = "OutId", length(max = 15))]
    out_id: String,
    #[popgen(wire = "TaskName", sensitiv)]
    task_name: String,
}

fn main() {
    let request = Request {
        play_times: 1,
        out_id: String::new(),
        task_name: String::new(),
    };
    let _ = request.validate();
    let _ = request.to_params();
}
