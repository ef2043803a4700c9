//! Secrets and STS tokens never reach logs, `Debug`, `Display` or error messages.
//!
//! Signs v1 and V3 requests with STS credentials under a TRACE-level subscriber that writes into
//! a buffer, then searches everything captured for the secret and the token in each form they
//! take on the wire (raw, percent-encoded once, and twice as in v1's string to sign).

use std::io::Write;
use std::sync::{Arc, Mutex};

use popgen_runtime::credentials::{CredentialSources, Credentials, resolve};
use popgen_runtime::encode::percent_encode;
use popgen_runtime::sign::{self, VerifyError, v1, v3};

const SECRET: &str = "kS3cr3t/Value+With=Specials";
const TOKEN: &str = "CAISstsTOKEN+/=abc";

/// Every test here signs, and the trace test installs a scoped subscriber: tracing's per-callsite
/// interest cache is global, and a callsite first hit by another test's thread while the scoped
/// subscriber registers can be cached as "never", losing the trace the test reads. The tests of
/// this file take turns.
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// An `io::Write` into a shared buffer, for `tracing_subscriber`'s `with_writer`.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("not poisoned").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().expect("not poisoned").clone()).expect("utf-8 logs")
    }
}

/// Every form in which `value` could leak.
fn forms(value: &str) -> [String; 3] {
    [
        value.to_owned(),
        percent_encode(value),
        percent_encode(&percent_encode(value)),
    ]
}

fn assert_no_leak(what: &str, text: &str) {
    for leaked in forms(SECRET).iter().chain(&forms(TOKEN)) {
        assert!(
            !text.contains(leaked.as_str()),
            "{what} leaks {leaked:?}:\n{text}"
        );
    }
}

fn sign_everything(creds: &Credentials) -> (v1::Signed, v3::Signed) {
    let action = [
        ("CalledNumber", "13800138000"),
        ("TtsCode", "TTS_1"),
        ("TtsParam", r#"{"a":"b c"}"#),
    ];
    let common = v1::CommonParams {
        action: "SingleCallByTts",
        version: "2017-05-25",
        format: "json",
        access_key_id: &creds.access_key_id,
        security_token: creds.security_token(),
        timestamp: "2024-01-02T03:04:05Z",
        signature_nonce: "0123456789abcdef0123456789abcdef",
    };
    let params = v1::signed_params(&action, &common);
    let signed_v1 = v1::sign("POST", &params, creds.access_key_secret.expose());

    let headers = v3::official_headers(&v3::HeaderInputs {
        host: "dyvmsapi.aliyuncs.com",
        action: "SingleCallByTts",
        version: "2017-05-25",
        date: "2024-01-02T03:04:05Z",
        nonce: "0123456789abcdef0123456789abcdef",
        access_key_id: &creds.access_key_id,
        security_token: creds.security_token(),
        user_agent: "popgen-test",
        body: b"",
        form_body: false,
    });
    let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let request = v3::Request {
        method: "POST",
        path: "/",
        query: &action,
        headers: &headers,
        body: b"",
    };
    let signed_v3 = v3::sign(
        &request,
        &creds.access_key_id,
        creds.access_key_secret.expose(),
    );
    (signed_v1, signed_v3)
}

#[test]
fn trace_logs_of_signing_and_credential_lookup_hold_no_secret_or_token() {
    let _serial = serial();
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();

    let creds = Credentials::new("LTAIredactiontest", SECRET).with_security_token(TOKEN);
    let (signed_v1, signed_v3) = tracing::subscriber::with_default(subscriber, || {
        let env = |name: &str| match name {
            "ALIBABA_CLOUD_ACCESS_KEY_ID" => Some("LTAIredactiontest".to_owned()),
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET" => Some(SECRET.to_owned()),
            "ALIBABA_CLOUD_SECURITY_TOKEN" => Some(TOKEN.to_owned()),
            _ => None,
        };
        let found = resolve(&CredentialSources {
            env: &env,
            home: None,
        })
        .expect("env credentials");
        assert_eq!(found.credentials, creds);
        sign_everything(&found.credentials)
    });

    // The token really is signed (so redaction is doing work, not vacuously passing)...
    assert!(
        signed_v1
            .canonical_query
            .contains(&format!("SecurityToken={}", percent_encode(TOKEN)))
    );
    assert!(
        signed_v3
            .canonical_request
            .contains(&format!("x-acs-security-token:{TOKEN}"))
    );

    // ...and the logs were captured, show the signing stages, and redact it.
    let logs = captured.text();
    assert!(logs.contains("popgen v1 signature computed"), "{logs}");
    assert!(logs.contains("popgen v3 signature computed"), "{logs}");
    assert!(logs.contains("popgen credentials found"), "{logs}");
    assert!(
        logs.contains("SecurityToken=%2A%2A%2A"),
        "v1 canonical query not traced redacted:\n{logs}"
    );
    assert!(
        logs.contains("SecurityToken%3D%252A%252A%252A"),
        "v1 string to sign not traced redacted:\n{logs}"
    );
    assert!(
        logs.contains("x-acs-security-token:***"),
        "v3 canonical request not traced redacted:\n{logs}"
    );
    assert!(
        logs.contains(&signed_v3.string_to_sign.replace('\n', "\\n")),
        "{logs}"
    );
    assert_no_leak("TRACE logs", &logs);
}

#[test]
fn debug_and_display_hide_secret_and_token() {
    let _serial = serial();
    let creds = Credentials::new("LTAIredactiontest", SECRET).with_security_token(TOKEN);
    assert_no_leak("Credentials Debug", &format!("{creds:?} {creds:#?}"));
    assert_no_leak(
        "Secret Display",
        &format!(
            "{} {}",
            creds.access_key_secret,
            creds.security_token.as_ref().expect("token")
        ),
    );
}

#[test]
fn v1_verify_error_redacts_the_token_in_the_string_to_sign() {
    let _serial = serial();
    let params = [
        ("Action", "GetToken"),
        ("AccessKeyId", "LTAIredactiontest"),
        ("SecurityToken", TOKEN),
        ("Signature", "AAAAAAAAAAAAAAAAAAAAAAAAAAA="),
    ];
    let err = v1::verify("GET", &params, SECRET).unwrap_err();
    let VerifyError::Mismatch { string_to_sign } = &err else {
        panic!("expected a mismatch, got {err:?}");
    };
    assert_eq!(
        string_to_sign,
        "GET&%2F&AccessKeyId%3DLTAIredactiontest%26Action%3DGetToken%26SecurityToken%3D%252A%252A%252A"
    );
    assert!(
        string_to_sign.contains(
            sign::REDACTED
                .chars()
                .map(|_| "%252A")
                .collect::<String>()
                .as_str()
        )
    );
    assert_no_leak("VerifyError", &format!("{err} {err:?}"));
}

/// Tokens whose characters JSON, percent-encoding or `Debug` escape.
const TRICKY_TOKENS: &[&str] = &[
    r#"my"token"#,
    r"back\slash\token",
    "令牌-unicode-ü-token",
    "line\nbreak-token",
    "CAIS+token/with=chars &more",
];

fn escaped_forms(value: &str) -> Vec<String> {
    let mut all = forms(value).to_vec();
    let mut form = String::new();
    popgen_runtime::encode::form_encode_into(&mut form, value);
    all.push(form);
    all.push(
        serde_json::to_string(value)
            .unwrap()
            .trim_matches('"')
            .to_owned(),
    );
    all.push(format!("{value:?}").trim_matches('"').to_owned());
    all
}

#[test]
fn a_prepared_request_shown_redacted_or_debug_printed_holds_no_token_in_any_encoding() {
    let _serial = serial();
    use popgen_runtime::action::ActionMeta;
    use popgen_runtime::client::{Client, Config, SignatureVersion};
    const META: ActionMeta = ActionMeta {
        name: "CancelCall",
        success_code: "OK",
        side_effects: true,
        qps_per_user: None,
        callee_limit: None,
        idempotency_param: None,
    };
    let params = [("CallId".to_owned(), "116012354148".to_owned())];
    for token in TRICKY_TOKENS {
        for signature in [SignatureVersion::V1, SignatureVersion::V3] {
            // The default puts params in the query; a tiny URL limit moves them to a form body.
            for max_url_len in [8 * 1024, 10] {
                let mut config = Config::new("https://dyvmsapi.aliyuncs.com", "2017-05-25");
                config.signature = signature;
                config.max_url_len = max_url_len;
                let creds = Credentials::new("STS.id", SECRET).with_security_token(*token);
                let client = Client::new((), creds, config);
                let (request, explain) = client.prepare_explained(&META, &params).unwrap();
                // The token really travels (so the checks below are not vacuous).
                let everywhere = format!(
                    "{}{}{}",
                    request.url,
                    request.body,
                    request
                        .headers
                        .iter()
                        .map(|(k, v)| format!("{k}:{v}"))
                        .collect::<String>()
                );
                assert!(
                    escaped_forms(token)
                        .iter()
                        .any(|f| everywhere.contains(f.as_str())),
                    "{token:?} {signature:?} {max_url_len}"
                );
                let shown = request.redacted(&[token]);
                let json = serde_json::json!({
                    "url": shown.url,
                    "headers": shown.headers,
                    "body": shown.body,
                })
                .to_string();
                let texts = [
                    json,
                    format!("{request:?} {request:#?}"),
                    format!("{shown:?}"),
                    format!("{}", explain.redacted(&[token])),
                    format!("{explain:?}"),
                ];
                for text in &texts {
                    for leaked in escaped_forms(token).iter().chain(&escaped_forms(SECRET)) {
                        assert!(
                            !text.contains(leaked.as_str()),
                            "{token:?} {signature:?} {max_url_len}: {leaked:?} in\n{text}"
                        );
                    }
                }
                assert!(texts[0].contains(sign::REDACTED), "{}", texts[0]);
            }
        }
    }
}
