//! The whole request path of the client core, as a user pays it: validate a typical
//! `SingleCallByTts` request, encode its params, add the common params, sign, and build the HTTP
//! request (`Client::prepare`), for both signature schemes; and decoding a response.
//!
//! `cargo bench -p popgen-runtime --bench client`

use std::collections::BTreeMap;
use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use popgen_macros::{RedactedDebug, RpcParams, Validate};
use popgen_runtime::action::ActionMeta;
use popgen_runtime::client::{
    Client, Config, Entropy, HttpRequest, HttpResponse, SignatureVersion, Transport, TransportError,
};
use popgen_runtime::credentials::Credentials;
use popgen_runtime::decode::Format;
use popgen_runtime::validation::ValidationMode;

/// The same params, values and constraints as the `sign` bench's request.
#[derive(Clone, PartialEq, RedactedDebug, Validate, RpcParams)]
struct SingleCallByTts {
    #[popgen(wire = "CalledShowNumber", sensitive, length(min = 1, max = 20, unit = bytes))]
    called_show_number: String,
    #[popgen(wire = "CalledNumber", sensitive, pattern = "^[0-9]{11,12}$")]
    called_number: String,
    #[popgen(wire = "TtsCode", pattern = "^TTS_[0-9]+$")]
    tts_code: String,
    #[popgen(wire = "TtsParam", json, length(max = 999, unit = chars))]
    tts_param: Option<BTreeMap<String, String>>,
    #[popgen(wire = "PlayTimes", range(min = 1, max = 3))]
    play_times: Option<i32>,
    #[popgen(wire = "Volume", range(min = 0, max = 100))]
    volume: Option<i32>,
    #[popgen(wire = "Speed", range(min = -500, max = 500))]
    speed: Option<i32>,
    #[popgen(wire = "OutId", length(min = 1, max = 15, unit = bytes))]
    out_id: Option<String>,
    #[popgen(wire = "OwnerId")]
    owner_id: Option<i64>,
    #[popgen(wire = "ResourceOwnerId")]
    resource_owner_id: Option<i64>,
}

const META: ActionMeta = ActionMeta {
    name: "SingleCallByTts",
    success_code: "OK",
    side_effects: true,
    qps_per_user: Some(1000),
    callee_limit: None,
    idempotency_param: None,
};

struct NoTransport;

impl Transport for NoTransport {
    async fn send(&self, _: HttpRequest) -> Result<HttpResponse, TransportError> {
        unreachable!("the bench only prepares requests")
    }
}

fn request() -> SingleCallByTts {
    SingleCallByTts {
        called_show_number: "057112345678".into(),
        called_number: "13800138000".into(),
        tts_code: "TTS_123456789".into(),
        tts_param: Some(BTreeMap::from([
            ("name".into(), "张三".into()),
            ("code".into(), "1234".into()),
        ])),
        play_times: Some(2),
        volume: Some(100),
        speed: Some(0),
        out_id: Some("order-000123".into()),
        owner_id: Some(1_234_567),
        resource_owner_id: Some(1_234_567),
    }
}

fn client(signature: SignatureVersion) -> Client<NoTransport> {
    let config = Config {
        signature,
        format: Format::Json,
        validation: ValidationMode::Enforce,
        user_agent: "popgen-bench".into(),
        ..Config::new("https://dyvmsapi.aliyuncs.com", "2017-05-25")
    };
    let credentials =
        Credentials::new("LTAI5tBenchmarkKeyId0000", "BenchmarkSecretValue0123456789");
    Client::new(NoTransport, credentials, config).with_entropy(Entropy {
        now: Arc::new(|| 1_704_164_645),
        nonce: Arc::new(|| "0123456789abcdef0123456789abcdef".to_owned()),
    })
}

fn bench(c: &mut Criterion) {
    let req = request();
    for (name, scheme) in [
        ("client/prepare_v1", SignatureVersion::V1),
        ("client/prepare_v3", SignatureVersion::V3),
    ] {
        let client = client(scheme);
        client.prepare(&META, &req).expect("valid");
        c.bench_function(name, |b| b.iter(|| client.prepare(&META, black_box(&req))));
    }
    let body = r#"{"RequestId":"D9CB3933-9FE3-4870-BA8E-2BEE91B69D23","Code":"OK","Message":"OK","CallId":"116012354148^10281378****"}"#;
    let response = HttpResponse {
        status: 200,
        body: body.to_owned(),
    };
    c.bench_function("client/decode_response", |b| {
        b.iter(|| {
            popgen_runtime::client::decode_response::<serde_json::Value>(
                &META,
                Format::Json,
                black_box(&response),
            )
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
