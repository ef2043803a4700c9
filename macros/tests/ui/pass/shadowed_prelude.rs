//! User code that shadows prelude names cannot break the generated code: it names everything
//! by absolute path.
#![allow(dead_code, non_camel_case_types)]

use popgen_macros::{FromJson, RedactedDebug, RpcParams, ToJson, Validate, WireEnum};

struct Option;
struct Some;
struct None;
struct Result;
struct Ok;
struct Err;
struct String;
struct Vec;
struct Box;
struct Default;
struct Cow;
struct str;
struct usize;
struct Path;
struct Report;
mod popgen {}
mod rules {}
mod params {}

#[derive(Debug, WireEnum)]
enum Status {
    #[popgen(wire = "RUNNING")]
    Running,
    #[popgen(other)]
    Unknown(std::string::String),
}

#[derive(std::default::Default, FromJson, ToJson)]
struct Reply {
    #[popgen(wire = "Code", sensitive)]
    code: std::option::Option<std::string::String>,
    #[popgen(wire = "Statuses")]
    statuses: std::vec::Vec<Status>,
    #[popgen(skip)]
    local: i64,
}

#[derive(RedactedDebug, Validate, RpcParams)]
struct Item {
    #[popgen(wire = "Key", one_of("1"))]
    key: std::string::String,
}

#[derive(RedactedDebug, Validate, RpcParams)]
struct Request {
    #[popgen(wire = "Code", sensitive, pattern = "^x$", length(max = 3, unit = chars))]
    code: std::option::Option<std::string::String>,
    #[popgen(wire = "Times", range(min = 1, max = 3))]
    times: i64,
    #[popgen(wire = "Status")]
    status: Status,
    #[popgen(wire = "Items", repeated)]
    items: std::vec::Vec<Item>,
    #[popgen(wire = "Names", list(item(length(max = 2, unit = bytes))))]
    names: std::vec::Vec<std::string::String>,
    #[popgen(wire = "Text", list(max_items = 2, item(one_of("a"))))]
    text: std::string::String,
    #[popgen(wire = "Json", json)]
    json: std::vec::Vec<i64>,
    #[popgen(wire = "Inner", nested)]
    inner: std::option::Option<Item>,
    #[popgen(skip)]
    skipped: i64,
}

#[test]
fn compiles_and_runs() {
    use popgen_runtime::params::RpcParams as _;
    use popgen_runtime::validation::Validate as _;
    let request = Request {
        code: std::option::Option::None,
        times: 2,
        status: Status::Running,
        items: std::vec::Vec::new(),
        names: std::vec::Vec::new(),
        text: "a".into(),
        json: vec![1],
        inner: std::option::Option::None,
        skipped: 0,
    };
    request.validate().unwrap();
    assert_eq!(request.to_params().len(), 5);
}
