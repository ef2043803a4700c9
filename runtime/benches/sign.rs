//! Criterion benchmarks of request signing for a typical `SingleCallByTts` request.
//!
//! Floor on the reference machine: one HMAC-SHA1 over ~560 bytes is about 1.6 µs; targets are a
//! whole v1 signature ≤ 2.5 µs and a whole V3 signature ≤ 5 µs (medians).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use popgen_runtime::sign::{v1, v3};

/// Ten action params as a real `SingleCallByTts` call sends them.
const ACTION: [(&str, &str); 10] = [
    ("CalledShowNumber", "057112345678"),
    ("CalledNumber", "13800138000"),
    ("TtsCode", "TTS_123456789"),
    ("TtsParam", r#"{"name":"张三","code":"1234"}"#),
    ("PlayTimes", "2"),
    ("Volume", "100"),
    ("Speed", "0"),
    ("OutId", "order-000123"),
    ("OwnerId", "1234567"),
    ("ResourceOwnerId", "1234567"),
];

const COMMON: v1::CommonParams<'static> = v1::CommonParams {
    action: "SingleCallByTts",
    version: "2017-05-25",
    format: "json",
    access_key_id: "LTAI5tBenchmarkKeyId0000",
    security_token: None,
    timestamp: "2024-01-02T03:04:05Z",
    signature_nonce: "0123456789abcdef0123456789abcdef",
};

const SECRET: &str = "BenchmarkSecretValue0123456789";

fn bench_v1(c: &mut Criterion) {
    let params = v1::signed_params(&ACTION, &COMMON);
    let string_to_sign = v1::sign("POST", &params, SECRET).string_to_sign;
    eprintln!("v1 string to sign: {} bytes", string_to_sign.len());

    c.bench_function("v1/canonical_query", |b| {
        b.iter(|| v1::canonical_query(black_box(&params)))
    });
    c.bench_function("v1/signature_only(hmac+base64)", |b| {
        b.iter(|| v1::signature(black_box(SECRET), black_box(&string_to_sign)))
    });
    c.bench_function("v1/sign(full)", |b| {
        b.iter(|| v1::sign(black_box("POST"), black_box(&params), black_box(SECRET)))
    });
    c.bench_function("v1/params+sign+request_parts", |b| {
        b.iter(|| {
            let params = v1::signed_params(black_box(&ACTION), black_box(&COMMON));
            let signed = v1::sign("POST", &params, SECRET);
            v1::request_parts(&signed, v1::Placement::Query)
        })
    });
}

fn bench_v3(c: &mut Criterion) {
    let inputs = v3::HeaderInputs {
        host: "dyvmsapi.aliyuncs.com",
        action: "SingleCallByTts",
        version: "2017-05-25",
        date: "2024-01-02T03:04:05Z",
        nonce: "0123456789abcdef0123456789abcdef",
        access_key_id: "LTAI5tBenchmarkKeyId0000",
        security_token: None,
        user_agent: "AlibabaCloud (Linux; x86_64) popgen/0.1",
        body: b"",
        form_body: false,
    };
    let headers = v3::official_headers(&inputs);
    let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let request = v3::Request {
        method: "POST",
        path: "/",
        query: &ACTION,
        headers: &headers,
        body: b"",
    };
    c.bench_function("v3/sign(full)", |b| {
        b.iter(|| v3::sign(black_box(&request), "LTAI5tBenchmarkKeyId0000", SECRET))
    });
    c.bench_function("v3/official_headers+sign", |b| {
        b.iter(|| {
            let headers = v3::official_headers(black_box(&inputs));
            let headers: Vec<(&str, &str)> =
                headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let request = v3::Request {
                headers: &headers,
                ..request
            };
            v3::sign(&request, "LTAI5tBenchmarkKeyId0000", SECRET).authorization
        })
    });
}

criterion_group!(benches, bench_v1, bench_v3);
criterion_main!(benches);
