//! Allocation counts (in this crate, not popgen-runtime, because allocation-counter replaces the
//! global allocator of every binary it is linked into): validating a valid request allocates nothing (paths are built only for
//! violations), and building wire pairs allocates a number that depends only on the params.

use std::collections::BTreeMap;

use popgen_macros::{RpcParams, Validate};
use popgen_runtime::params::RpcParams as _;
use popgen_runtime::validation::{Validate as _, ValidationMode};

#[derive(Validate, RpcParams)]
struct Menu {
    #[popgen(wire = "Key", one_of("1", "2"))]
    key: String,
    #[popgen(wire = "Code", pattern = "^TTS_[0-9]+$")]
    code: String,
}

#[derive(Validate, RpcParams)]
struct Call {
    #[popgen(wire = "CalledNumber", sensitive, length(min = 11, max = 12, unit = bytes), pattern = "^[0-9]+$")]
    called_number: String,
    #[popgen(wire = "TtsParam", json)]
    tts_param: Option<BTreeMap<String, String>>,
    #[popgen(wire = "Extra", json(object))]
    extra: Option<String>,
    #[popgen(wire = "PlayTimes", range(min = 1, max = 3))]
    play_times: Option<i64>,
    #[popgen(wire = "TaskName", length(max = 30, unit = chars))]
    task_name: Option<String>,
    #[popgen(wire = "StartTime", datetime = "yyyy-MM-dd HH:mm:ss")]
    start_time: Option<String>,
    #[popgen(wire = "Numbers", list(max_items = 10, item(length(min = 11, max = 11, unit = bytes))))]
    numbers: String,
    #[popgen(wire = "MenuKeyMap", repeated)]
    menu: Vec<Menu>,
}

fn call(menus: usize) -> Call {
    Call {
        called_number: "13800000000".into(),
        tts_param: Some(BTreeMap::from([("name".into(), "张三".into())])),
        extra: Some(r#"{"a":[1,2,{"b":null}]}"#.into()),
        play_times: Some(2),
        task_name: Some("提醒".into()),
        start_time: Some("2024-02-29 10:00:00".into()),
        numbers: "13800000000,13900000000".into(),
        menu: (0..menus)
            .map(|_| Menu {
                key: "1".into(),
                code: "TTS_1".into(),
            })
            .collect(),
    }
}

#[test]
fn validating_a_valid_request_does_not_allocate() {
    let request = call(3);
    // Warm up: regexes compile on first use.
    request.validate().unwrap();
    let info = allocation_counter::measure(|| {
        request.validate().unwrap();
        ValidationMode::Enforce.apply(&request).unwrap();
    });
    assert_eq!(info.count_total, 0);
}

#[test]
fn building_pairs_allocates_per_param_only() {
    let small = call(1);
    let large = call(11);
    let count = |c: &Call| allocation_counter::measure(|| drop(c.to_params())).count_total;
    let (small, large) = (count(&small), count(&large));
    // Per extra menu element: two flattened names, the element prefix, and maybe a vector
    // growth; nothing else depends on the element count.
    assert!(large - small <= 10 * 4, "{small} -> {large}");
    let none = allocation_counter::measure(|| drop(call(0).to_params())).count_total;
    assert!(none > 0);
}
