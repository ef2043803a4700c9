//! Where params travel (query string or form body, on both sides of `Config::max_url_len`), that
//! a server verifies the signature either way, and the type-erased and explaining variants of
//! `prepare`.

use std::sync::Arc;

use crate::common::*;
use popgen_runtime::client::{Client, Config, Entropy, Explain, HttpRequest, SignatureVersion};
use popgen_runtime::credentials::Credentials;
use popgen_runtime::encode::parse_query;
use popgen_runtime::params::RpcParams as _;
use popgen_runtime::sign::{self, v1, v3};

const FORM: &str = "application/x-www-form-urlencoded";

fn fixed(signature: SignatureVersion, max_url_len: usize, sts: bool) -> Client<()> {
    let config = Config {
        signature,
        max_url_len,
        ..Config::new("https://dyvmsapi.aliyuncs.com", "2017-05-25")
    };
    let mut credentials = Credentials::new("LTAI_TEST_ID", SECRET);
    if sts {
        credentials = credentials.with_security_token(TOKEN);
    }
    Client::new((), credentials, config).with_entropy(Entropy {
        now: Arc::new(|| 1_700_000_000),
        nonce: Arc::new(|| "0123456789abcdef0123456789abcdef".into()),
    })
}

/// A request whose `TtsParam` makes it about `size` bytes, with characters that need escaping.
fn sized(size: usize) -> Tts {
    Tts {
        tts_param: Some(format!(r#"{{"text":"{}"}}"#, "a b*张".repeat(size / 8))),
        ..tts()
    }
}

fn query_of(request: &HttpRequest) -> &str {
    request.url.split_once('?').map_or("", |(_, q)| q)
}

/// Checks the request as a server would: v1 over query and form params together.
fn verify_v1(request: &HttpRequest) {
    let mut params = parse_query(query_of(request)).unwrap();
    params.extend(parse_query(&request.body).unwrap());
    assert_eq!(v1::verify("POST", &params, SECRET), Ok(()));
}

/// Checks the request as a server would: V3 over the query, every header and the body.
fn verify_v3(request: &HttpRequest) {
    let query = parse_query(query_of(request)).unwrap();
    let query: Vec<(&str, &str)> = query
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let headers: Vec<(&str, &str)> = request
        .headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let received = v3::Request {
        method: "POST",
        path: "/",
        query: &query,
        headers: &headers,
        body: request.body.as_bytes(),
    };
    assert_eq!(v3::verify(&received, SECRET), Ok(()));
    assert_eq!(
        header(request, "x-acs-content-sha256"),
        Some(v3::hashed_payload(request.body.as_bytes()).as_str())
    );
}

#[test]
fn small_requests_carry_their_params_in_the_query_like_the_official_sdk() {
    for scheme in [SignatureVersion::V1, SignatureVersion::V3] {
        let request = fixed(scheme, 8192, true).prepare(&CALL, &tts()).unwrap();
        assert_eq!(request.method, "POST");
        assert!(request.body.is_empty(), "{scheme:?}");
        assert_eq!(header(&request, "content-type"), None);
        assert!(request.url.starts_with("https://dyvmsapi.aliyuncs.com/?"));
        let query = parse_query(query_of(&request)).unwrap();
        assert!(
            query.contains(&("CalledNumber".into(), PHONE.into())),
            "{scheme:?}"
        );
        match scheme {
            SignatureVersion::V1 => verify_v1(&request),
            SignatureVersion::V3 => verify_v3(&request),
        }
    }
}

#[test]
fn large_requests_send_a_signed_form_body() {
    let big = sized(9000);
    for scheme in [SignatureVersion::V1, SignatureVersion::V3] {
        let request = fixed(scheme, 8192, true).prepare(&CALL, &big).unwrap();
        assert_eq!(header(&request, "content-type"), Some(FORM), "{scheme:?}");
        let body = parse_query(&request.body).unwrap();
        assert!(body.contains(&("TtsParam".into(), big.tts_param.clone().unwrap())));
        assert!(request.url.len() < 200, "{scheme:?}: {}", request.url);
        match scheme {
            SignatureVersion::V1 => {
                assert_eq!(request.url, "https://dyvmsapi.aliyuncs.com/");
                verify_v1(&request);
            }
            SignatureVersion::V3 => {
                assert_eq!(request.url, "https://dyvmsapi.aliyuncs.com/?Format=JSON");
                assert!(!body.iter().any(|(k, _)| k == "Format"));
                verify_v3(&request);
            }
        }
    }
}

#[test]
fn the_url_limit_is_inclusive_on_both_schemes() {
    let request = sized(3000);
    for scheme in [SignatureVersion::V1, SignatureVersion::V3] {
        let unlimited = fixed(scheme, usize::MAX, false)
            .prepare(&QUERY, &request)
            .unwrap();
        let len = unlimited.url.len();
        assert!(unlimited.body.is_empty() && len > 3000, "{scheme:?}");

        let at = fixed(scheme, len, false).prepare(&QUERY, &request).unwrap();
        assert_eq!(
            at, unlimited,
            "{scheme:?}: a URL of exactly the limit stays a URL"
        );

        let over = fixed(scheme, len - 1, false)
            .prepare(&QUERY, &request)
            .unwrap();
        assert_eq!(header(&over, "content-type"), Some(FORM), "{scheme:?}");
        assert!(!over.body.is_empty() && over.url.len() < len, "{scheme:?}");
        match scheme {
            SignatureVersion::V1 => verify_v1(&over),
            SignatureVersion::V3 => verify_v3(&over),
        }
    }
}

#[test]
fn prepare_params_signs_exactly_like_prepare() {
    for scheme in [SignatureVersion::V1, SignatureVersion::V3] {
        let client = fixed(scheme, 8192, true);
        let typed = client.prepare(&CALL, &tts()).unwrap();
        let erased = client
            .prepare_params(&CALL, &tts().to_owned_params())
            .unwrap();
        assert_eq!(typed, erased, "{scheme:?}");
        let (explained, _) = client
            .prepare_explained(&CALL, &tts().to_owned_params())
            .unwrap();
        assert_eq!(typed, explained, "{scheme:?}");
    }
}

#[test]
fn explain_v1_gives_the_canonical_query_and_string_to_sign() {
    let client = fixed(SignatureVersion::V1, 8192, false);
    let (request, explain) = client
        .prepare_explained(&CALL, &tts().to_owned_params())
        .unwrap();
    let Explain::V1 {
        canonical_query,
        string_to_sign,
    } = &explain
    else {
        panic!("{explain:?}")
    };
    assert_eq!(string_to_sign, &v1::string_to_sign("POST", canonical_query));
    let signature = query_of(&request).rsplit_once("&Signature=").unwrap();
    assert_eq!(signature.0, canonical_query);
    assert_eq!(
        sign::v1::signature(SECRET, string_to_sign),
        parse_query(&format!("S={}", signature.1)).unwrap()[0].1
    );
    let text = explain.to_string();
    assert!(
        text.starts_with("signature: RPC v1.0 (HMAC-SHA1)\ncanonical query:\n"),
        "{text}"
    );
}

#[test]
fn explain_v3_gives_the_canonical_request_its_hash_and_string_to_sign() {
    let client = fixed(SignatureVersion::V3, 8192, false);
    let (request, explain) = client
        .prepare_explained(&CALL, &tts().to_owned_params())
        .unwrap();
    let Explain::V3 {
        canonical_request,
        hashed_canonical_request,
        string_to_sign,
    } = &explain
    else {
        panic!("{explain:?}")
    };
    assert_eq!(string_to_sign, &v3::string_to_sign(canonical_request));
    assert_eq!(
        string_to_sign,
        &format!("ACS3-HMAC-SHA256\n{hashed_canonical_request}")
    );
    assert!(canonical_request.starts_with(&format!("POST\n/\n{}\n", query_of(&request))));
    let signature = v3::signature(SECRET, string_to_sign);
    assert!(
        header(&request, "authorization")
            .unwrap()
            .ends_with(&signature)
    );
    assert!(explain.to_string().contains("hashed canonical request:\n"));
}

#[test]
fn explain_never_shows_the_sts_token_but_keeps_the_real_hash() {
    for scheme in [SignatureVersion::V1, SignatureVersion::V3] {
        let with_token = fixed(scheme, 8192, true);
        let (request, explain) = with_token
            .prepare_explained(&CALL, &tts().to_owned_params())
            .unwrap();
        let text = explain.to_string();
        for leaked in [
            TOKEN.to_owned(),
            popgen_runtime::encode::percent_encode(TOKEN),
        ] {
            assert!(!text.contains(&leaked), "{scheme:?}: {text}");
        }
        match &explain {
            Explain::V1 {
                canonical_query, ..
            } => assert!(canonical_query.contains("SecurityToken=%2A%2A%2A")),
            Explain::V3 {
                canonical_request,
                string_to_sign,
                ..
            } => {
                assert!(canonical_request.contains("\nx-acs-security-token:***\n"));
                // The string to sign is the real one: the signature sent is its HMAC.
                let signature = v3::signature(SECRET, string_to_sign);
                assert!(
                    header(&request, "authorization")
                        .unwrap()
                        .ends_with(&signature)
                );
            }
        }
    }
}
