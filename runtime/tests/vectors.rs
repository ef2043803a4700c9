//! Every case of the signature vector files (produced by the official SDKs) matches at every stage.
//!
//! Vectors come from `runtime/tests/vectors/` (copied from the official SDKs' output, so a clone
//! of the repository alone runs them) and, when `POPGEN_VECTOR_DIR` is set, from that directory too. Files are dispatched by
//! name: `rpc-v1-*.json` and `v3-*.json`. Each stage function is fed the vector's own input for
//! that stage, so a failure names the first stage that is wrong; every failing case of every file
//! is reported, not just the first.

use std::fmt;
use std::path::{Path, PathBuf};

use popgen_runtime::sign::{v1, v3};
use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};

/// A JSON object read as `(key, value)` pairs in file order (the files shuffle them on purpose;
/// a `BTreeMap` would sort them and hide a signer that forgets to).
#[derive(Debug, Clone, Default)]
struct Pairs(Vec<(String, String)>);

impl<'de> Deserialize<'de> for Pairs {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PairsVisitor;
        impl<'de> Visitor<'de> for PairsVisitor {
            type Value = Pairs;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of strings")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Pairs, A::Error> {
                let mut pairs = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    pairs.push(entry);
                }
                Ok(Pairs(pairs))
            }
        }
        deserializer.deserialize_map(PairsVisitor)
    }
}

impl Pairs {
    fn refs(&self) -> Vec<(&str, &str)> {
        self.0
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    }
    fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Clone, Deserialize)]
struct V1Case {
    name: String,
    method: String,
    access_key_id: String,
    access_key_secret: String,
    params: Pairs,
    canonical_query: String,
    string_to_sign: String,
    signature: String,
}

#[derive(Debug, Clone, Deserialize)]
struct V3Case {
    name: String,
    method: String,
    path: String,
    host: String,
    query: Pairs,
    headers: Pairs,
    body: String,
    body_params: Option<Pairs>,
    access_key_id: String,
    access_key_secret: String,
    security_token: Option<String>,
    hashed_payload: String,
    signed_headers: String,
    canonical_request: String,
    string_to_sign: String,
    authorization: String,
}

/// One stage of one case that disagrees with the vector.
#[derive(Debug)]
struct Failure {
    file: String,
    case: String,
    stage: &'static str,
    detail: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} / {} / stage `{}`: {}",
            self.file, self.case, self.stage, self.detail
        )
    }
}

/// Collects the failures of one case.
struct Checker<'a> {
    file: &'a str,
    case: &'a str,
    failures: Vec<Failure>,
}

impl<'a> Checker<'a> {
    fn new(file: &'a str, case: &'a str) -> Self {
        Self {
            file,
            case,
            failures: Vec::new(),
        }
    }

    fn fail(&mut self, stage: &'static str, detail: String) {
        self.failures.push(Failure {
            file: self.file.to_owned(),
            case: self.case.to_owned(),
            stage,
            detail,
        });
    }

    fn eq(&mut self, stage: &'static str, actual: &str, expected: &str) {
        if actual != expected {
            self.fail(
                stage,
                format!("\n    expected: {expected:?}\n    actual:   {actual:?}"),
            );
        }
    }
}

fn check_v1(file: &str, case: &V1Case) -> Vec<Failure> {
    let mut c = Checker::new(file, &case.name);
    let params = case.params.refs();
    c.eq(
        "canonical_query",
        &v1::canonical_query(&params),
        &case.canonical_query,
    );
    let mut reversed = params.clone();
    reversed.reverse();
    c.eq(
        "canonical_query (params reversed)",
        &v1::canonical_query(&reversed),
        &case.canonical_query,
    );
    c.eq(
        "string_to_sign",
        &v1::string_to_sign(&case.method, &case.canonical_query),
        &case.string_to_sign,
    );
    c.eq(
        "signature",
        &v1::signature(&case.access_key_secret, &case.string_to_sign),
        &case.signature,
    );

    let signed = v1::sign(&case.method, &params, &case.access_key_secret);
    c.eq(
        "sign (canonical_query)",
        &signed.canonical_query,
        &case.canonical_query,
    );
    c.eq(
        "sign (string_to_sign)",
        &signed.string_to_sign,
        &case.string_to_sign,
    );
    c.eq("sign (signature)", &signed.signature, &case.signature);

    if case.params.get("AccessKeyId") != Some(case.access_key_id.as_str()) {
        c.fail(
            "access_key_id",
            "params.AccessKeyId differs from access_key_id".to_owned(),
        );
    }
    let mut received = params.clone();
    received.push(("Signature", &case.signature));
    if let Err(e) = v1::verify(&case.method, &received, &case.access_key_secret) {
        c.fail("verify", e.to_string());
    }
    // The query the request sends decodes back to exactly the signed params plus Signature.
    let parts = v1::request_parts(&signed, v1::Placement::Query);
    match popgen_runtime::encode::parse_query(&parts.query) {
        Ok(mut decoded) => {
            let mut expected: Vec<(String, String)> = received
                .iter()
                .map(|&(k, v)| (k.to_owned(), v.to_owned()))
                .collect();
            decoded.sort();
            expected.sort();
            if decoded != expected {
                c.fail(
                    "request_parts",
                    "query does not decode to the signed params".to_owned(),
                );
            }
        }
        Err(e) => c.fail("request_parts", e.to_string()),
    }
    c.failures
}

fn check_v3(file: &str, case: &V3Case) -> Vec<Failure> {
    let mut c = Checker::new(file, &case.name);
    let query = case.query.refs();
    let headers = case.headers.refs();
    let body = case.body.as_bytes();

    c.eq(
        "hashed_payload",
        &v3::hashed_payload(body),
        &case.hashed_payload,
    );
    let canonical_headers = v3::canonical_headers(&headers);
    c.eq(
        "signed_headers",
        &canonical_headers.signed_headers,
        &case.signed_headers,
    );
    let canonical_request = v3::canonical_request(
        &case.method,
        &case.path,
        &v3::canonical_query(&query),
        &canonical_headers,
        &case.hashed_payload,
    );
    c.eq(
        "canonical_request",
        &canonical_request,
        &case.canonical_request,
    );
    c.eq(
        "string_to_sign",
        &v3::string_to_sign(&case.canonical_request),
        &case.string_to_sign,
    );
    let signature = v3::signature(&case.access_key_secret, &case.string_to_sign);
    c.eq(
        "authorization",
        &v3::authorization(&case.access_key_id, &case.signed_headers, &signature),
        &case.authorization,
    );

    let request = v3::Request {
        method: &case.method,
        path: &case.path,
        query: &query,
        headers: &headers,
        body,
    };
    let signed = v3::sign(&request, &case.access_key_id, &case.access_key_secret);
    c.eq(
        "sign (hashed_payload)",
        &signed.hashed_payload,
        &case.hashed_payload,
    );
    c.eq(
        "sign (signed_headers)",
        &signed.headers.signed_headers,
        &case.signed_headers,
    );
    c.eq(
        "sign (canonical_request)",
        &signed.canonical_request,
        &case.canonical_request,
    );
    c.eq(
        "sign (string_to_sign)",
        &signed.string_to_sign,
        &case.string_to_sign,
    );
    c.eq(
        "sign (authorization)",
        &signed.authorization,
        &case.authorization,
    );

    let mut received = headers.clone();
    received.push(("Authorization", &case.authorization));
    received.push(("Content-Length", "0"));
    if let Err(e) = v3::verify(
        &v3::Request {
            headers: &received,
            ..request
        },
        &case.access_key_secret,
    ) {
        c.fail("verify", e.to_string());
    }
    if let Some(form) = &case.body_params {
        c.eq("form_body", &v3::form_body(&form.refs()), &case.body);
    }
    check_official_headers(&mut c, case);
    c.failures
}

/// Cases recorded from the official SDK (those with `accept`) have exactly its header set.
fn check_official_headers(c: &mut Checker<'_>, case: &V3Case) {
    if case.headers.get("accept").is_none() {
        return;
    }
    let header = |name: &str| case.headers.get(name).unwrap_or_default();
    let built = v3::official_headers(&v3::HeaderInputs {
        host: &case.host,
        action: header("x-acs-action"),
        version: header("x-acs-version"),
        date: header("x-acs-date"),
        nonce: header("x-acs-signature-nonce"),
        access_key_id: &case.access_key_id,
        security_token: case.security_token.as_deref(),
        user_agent: header("user-agent"),
        body: case.body.as_bytes(),
        form_body: case.body_params.is_some(),
    });
    let mut built: Vec<(String, String)> =
        built.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    let mut expected = case.headers.0.clone();
    built.sort();
    expected.sort();
    if built != expected {
        c.fail(
            "official_headers",
            format!("\n    expected: {expected:?}\n    actual:   {built:?}"),
        );
    }
}

/// The vector directories: the vendored `tests/vectors`, plus `POPGEN_VECTOR_DIR`.
fn vector_dirs() -> Vec<PathBuf> {
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")];
    if let Some(extra) = std::env::var_os("POPGEN_VECTOR_DIR").filter(|d| !d.is_empty()) {
        dirs.push(PathBuf::from(extra));
    }
    dirs
}

/// Runs every vector file in `dirs`; returns (cases checked per format, failures).
fn run_all(dirs: &[PathBuf]) -> ((usize, usize), Vec<Failure>) {
    let (mut v1_cases, mut v3_cases, mut failures) = (0, 0, Vec::new());
    for dir in dirs {
        let entries = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("cannot read vector dir {}: {e}", dir.display()));
        let mut files: Vec<PathBuf> = entries.map(|e| e.expect("dir entry").path()).collect();
        files.sort();
        for path in files {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_owned();
            if !name.ends_with(".json") {
                continue;
            }
            let text = || {
                std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            };
            let label = path.display().to_string();
            if name.starts_with("rpc-v1-") {
                let cases: Vec<V1Case> =
                    serde_json::from_str(&text()).unwrap_or_else(|e| panic!("{label}: {e}"));
                v1_cases += cases.len();
                failures.extend(cases.iter().flat_map(|case| check_v1(&label, case)));
            } else if name.starts_with("v3-") {
                let cases: Vec<V3Case> =
                    serde_json::from_str(&text()).unwrap_or_else(|e| panic!("{label}: {e}"));
                v3_cases += cases.len();
                failures.extend(cases.iter().flat_map(|case| check_v3(&label, case)));
            }
        }
    }
    ((v1_cases, v3_cases), failures)
}

#[test]
fn every_vector_matches_at_every_stage() {
    let ((v1_cases, v3_cases), failures) = run_all(&vector_dirs());
    // A missing or empty vector dir must fail, not pass having checked nothing.
    assert!(
        v1_cases >= 60,
        "expected at least 60 rpc-v1 cases, found {v1_cases}"
    );
    assert!(
        v3_cases >= 40,
        "expected at least 40 v3 cases, found {v3_cases}"
    );
    if !failures.is_empty() {
        let list: Vec<String> = failures.iter().map(ToString::to_string).collect();
        panic!("{} failing stage(s):\n{}", failures.len(), list.join("\n"));
    }
}

fn first_case<T: for<'de> Deserialize<'de>>(file: &str) -> T {
    let path = vector_dirs()[0].join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut cases: Vec<T> = serde_json::from_str(&text).expect("vector file parses");
    cases.remove(0)
}

fn stages(failures: &[Failure]) -> Vec<&'static str> {
    failures.iter().map(|f| f.stage).collect()
}

#[test]
fn a_corrupted_v1_vector_is_reported_by_file_case_and_stage() {
    let good: V1Case = first_case("rpc-v1-hmac-sha1.json");
    assert!(check_v1("rpc-v1-hmac-sha1.json", &good).is_empty());

    let mut bad = good.clone();
    bad.signature.replace_range(
        0..1,
        if bad.signature.starts_with('A') {
            "B"
        } else {
            "A"
        },
    );
    let failures = check_v1("rpc-v1-hmac-sha1.json", &bad);
    assert_eq!(
        stages(&failures)[..3],
        ["signature", "sign (signature)", "verify"]
    );
    let message = failures[0].to_string();
    assert!(
        message.starts_with(&format!(
            "rpc-v1-hmac-sha1.json / {} / stage `signature`",
            good.name
        )),
        "{message}"
    );

    let mut bad = good.clone();
    bad.params.0[0].1.push(' ');
    let failures = check_v1("f", &bad);
    assert!(
        stages(&failures).starts_with(&["canonical_query", "canonical_query (params reversed)"])
    );

    let mut bad = good;
    bad.string_to_sign.push('x');
    assert_eq!(
        stages(&check_v1("f", &bad))[..2],
        ["string_to_sign", "signature"]
    );
}

#[test]
fn a_corrupted_v3_vector_is_reported_by_stage() {
    let good: V3Case = first_case("v3-acs3-hmac-sha256.json");
    assert!(check_v3("v3.json", &good).is_empty());

    let mut bad = good.clone();
    bad.canonical_request.push('\n');
    // Each stage is fed the vector's own input, so only the stages that read it fail.
    assert_eq!(
        stages(&check_v3("v3.json", &bad)),
        [
            "canonical_request",
            "string_to_sign",
            "sign (canonical_request)"
        ]
    );

    let mut bad = good.clone();
    bad.headers.0.push(("x-extra".into(), "1".into()));
    let found = stages(&check_v3("v3.json", &bad));
    assert!(
        found.contains(&"signed_headers") && found.contains(&"official_headers"),
        "{found:?}"
    );

    let mut bad = good;
    bad.body.push('x');
    assert_eq!(stages(&check_v3("v3.json", &bad))[0], "hashed_payload");
}
