//! The second product, end to end over 127.0.0.1: the generated Dysmsapi client and `dysms`
//! command line against the mock serving the Dysmsapi registry. Every example request the
//! metadata gives validates and succeeds in both signature schemes and both formats; sending a
//! message is never retried blindly; phone numbers never reach the journal.

use std::sync::Arc;
use std::time::Duration;

use dysmsapi::registry::API;
use popgen_runtime::client::{Client, Config, Entropy, SignatureVersion};
use popgen_runtime::credentials::Credentials;
use popgen_runtime::decode::Format;
use popgen_runtime::http::{HttpConfig, HttpTransport};
use popgen_tools::mock::{MockConfig, MockHandle, MockServer};

const KEY_ID: &str = "LTAI5tSmsTestKey000";
const SECRET: &str = "sms-test-secret-value-0123";

async fn mock() -> Arc<MockHandle> {
    Arc::new(
        MockServer::start(&API, MockConfig::new(KEY_ID, SECRET))
            .await
            .expect("the mock starts on 127.0.0.1"),
    )
}

fn client(
    mock: &Arc<MockHandle>,
    signature: SignatureVersion,
    format: Format,
) -> Client<HttpTransport> {
    let mut config: Config = dysmsapi::Client::<HttpTransport>::default_config();
    config.endpoint = mock.endpoint();
    config.signature = signature;
    config.format = format;
    config.deadline = Some(Duration::from_secs(20));
    let transport = HttpTransport::new(&HttpConfig {
        connect_timeout: Duration::from_secs(2),
        read_timeout: Duration::from_secs(5),
        proxy_from_env: false,
    })
    .expect("reqwest client");
    let clock = Arc::clone(mock);
    Client::new(transport, Credentials::new(KEY_ID, SECRET), config).with_entropy(Entropy {
        now: Arc::new(move || clock.clock().now_secs()),
        nonce: Arc::new(popgen_runtime::sign::new_nonce),
    })
}

#[tokio::test]
async fn every_example_request_succeeds_in_both_schemes_and_formats() {
    let mock = mock().await;
    let mut sent = 0;
    let mut failures = Vec::new();
    for entry in API.actions {
        for example in entry.examples {
            // Masked digits (`1390000****`) are not numbers: they read as zeros.
            let params: Vec<(String, String)> = example
                .params
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.replace('*', "0")))
                .collect();
            let refs: Vec<(&str, &str)> = params
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let (encoded, report) = (entry.parse_params)(&refs);
            let Some(encoded) = encoded.filter(|_| !report.has_errors()) else {
                failures.push(format!(
                    "{}: the example does not validate:\n{report}",
                    entry.meta.name
                ));
                continue;
            };
            for (signature, format) in [
                (SignatureVersion::V1, Format::Json),
                (SignatureVersion::V3, Format::Xml),
            ] {
                let c = client(&mock, signature, format);
                match c.call_params(entry.meta, &encoded).await {
                    Ok(response) => match (entry.decode_response)(format, &response.body) {
                        Ok(json) if json["Code"].as_str() == Some(entry.meta.success_code) => {
                            sent += 1
                        }
                        Ok(json) => {
                            failures.push(format!("{}: Code {}", entry.meta.name, json["Code"]))
                        }
                        Err(e) => failures.push(format!("{}: {e}", entry.meta.name)),
                    },
                    Err(e) => failures.push(format!("{} ({signature:?}): {e}", entry.meta.name)),
                }
                // Per-user QPS and per-callee windows: let the mock's clock move on.
                mock.clock().advance(Duration::from_secs(61));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Every example, both ways. (The metadata gives an example for 32 of the 52 actions: where a
    // required param has none, no request is put together for it.)
    let examples: usize = API.actions.iter().map(|e| e.examples.len()).sum();
    assert!(examples >= 30, "only {examples} examples");
    assert_eq!(sent, 2 * examples);
}

#[tokio::test]
async fn send_sms_places_one_message_and_keeps_the_number_out_of_the_journal() {
    let mock = mock().await;
    let request = dysmsapi::SendSmsRequest::new("13800138000", "阿里云", "SMS_153055065")
        .template_param(r#"{"code":"1234"}"#)
        .out_id("order-7");
    let typed = dysmsapi::Client::with_config(
        HttpTransport::new(&HttpConfig::default()).expect("reqwest"),
        Credentials::new(KEY_ID, SECRET),
        {
            let mut c = dysmsapi::Client::<HttpTransport>::default_config();
            c.endpoint = mock.endpoint();
            c
        },
    );
    let response = typed.send_sms(&request).await.expect("SendSms succeeds");
    assert_eq!(response.code.as_deref(), Some("OK"));
    let meta = API.action("SendSms").expect("in the registry").meta;
    assert!(
        meta.side_effects,
        "sending a message is never retried blindly"
    );
    let journal = format!("{:?}", mock.journal());
    assert!(!journal.contains("13800138000"), "{journal}");
    assert_eq!(mock.journal().len(), 1, "one request, no retry");
}

#[test]
fn the_dysms_command_line_validates_and_describes() {
    let run = |args: &[&str]| {
        let mut argv = vec!["dysms".to_owned()];
        argv.extend(args.iter().map(|s| (*s).to_owned()));
        popgen_tools::cli::run(&API, &argv)
    };
    let ok = run(&[
        "validate",
        "SendSms",
        "PhoneNumbers=13800138000",
        "SignName=阿里云",
        "TemplateCode=SMS_1",
    ]);
    assert_eq!(ok.code, 0, "{}{}", ok.stdout, ok.stderr);
    let missing = run(&["validate", "SendSms", "SignName=阿里云"]);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stdout.contains("PhoneNumbers: ") && missing.stdout.contains("TemplateCode: "),
        "{}",
        missing.stdout
    );
    let described = run(&["describe", "SendSms"]);
    assert!(
        described.stdout.contains("PhoneNumbers"),
        "{}",
        described.stdout
    );
    assert!(
        described.stdout.contains("sensitive"),
        "{}",
        described.stdout
    );
}
