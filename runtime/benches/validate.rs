//! Criterion benchmarks: validating a SingleCallByTts-like request, building its wire pairs, and
//! parsing them back. Run: `cargo bench -p popgen-runtime --bench validate`.

use std::collections::BTreeMap;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use popgen_macros::{RpcParams, Validate};
use popgen_runtime::params::RpcParams as _;
use popgen_runtime::validation::Validate as _;

/// Written by hand the way `popgen generate` will write it.
#[derive(Debug, Clone, Validate, RpcParams)]
struct SingleCallByTts {
    #[popgen(wire = "CalledShowNumber", length(min = 11, max = 12, unit = bytes))]
    called_show_number: Option<String>,
    #[popgen(wire = "CalledNumber", sensitive, length(min = 11, max = 12, unit = bytes), pattern = "^[0-9]+$")]
    called_number: String,
    #[popgen(wire = "TtsCode", pattern = "^TTS_[0-9]+$")]
    tts_code: String,
    #[popgen(wire = "TtsParam", json)]
    tts_param: Option<BTreeMap<String, String>>,
    #[popgen(wire = "PlayTimes", range(min = 1, max = 3))]
    play_times: Option<i32>,
    #[popgen(wire = "Volume", range(min = 0, max = 100))]
    volume: Option<i32>,
    #[popgen(wire = "Speed", range(min = -500, max = 500))]
    speed: Option<i32>,
    #[popgen(wire = "OutId", length(min = 1, max = 15, unit = bytes))]
    out_id: Option<String>,
    #[popgen(wire = "TaskName", length(max = 30, unit = chars))]
    task_name: Option<String>,
    #[popgen(wire = "Format", one_of("json", "xml"))]
    format: Option<String>,
}

fn request() -> SingleCallByTts {
    SingleCallByTts {
        called_show_number: Some("05712345678".into()),
        called_number: "13800000000".into(),
        tts_code: "TTS_10001".into(),
        tts_param: Some(BTreeMap::from([
            ("name".into(), "张三".into()),
            ("code".into(), "1234".into()),
        ])),
        play_times: Some(2),
        volume: Some(100),
        speed: Some(-100),
        out_id: Some("order-20240229".into()),
        task_name: Some("提醒通知".into()),
        format: Some("json".into()),
    }
}

fn benches(c: &mut Criterion) {
    let valid = request();
    let mut invalid = request();
    invalid.play_times = Some(9);
    invalid.out_id = Some("order-2024022912345".into());
    invalid.tts_code = "SMS_1".into();
    assert!(valid.validate().is_ok());
    assert_eq!(invalid.report().len(), 3);
    let pairs = valid.to_owned_params();

    c.bench_function("validate/valid", |b| {
        b.iter(|| black_box(&valid).validate())
    });
    c.bench_function("validate/3_violations", |b| {
        b.iter(|| black_box(&invalid).validate())
    });
    c.bench_function("params/to_params", |b| {
        b.iter(|| black_box(&valid).to_params())
    });
    c.bench_function("params/from_params", |b| {
        b.iter(|| SingleCallByTts::from_params(black_box(&pairs)))
    });
}

criterion_group!(validate, benches);
criterion_main!(validate);
