//! Every example of the reference against the generated client: each request example encodes to
//! exactly the params the reference shows, and each response example (JSON and XML) decodes
//! into the typed response without losing a field.

use std::collections::BTreeMap;

use popgen_runtime::decode::Format;
use popgen_spec::model::ResponseFormat;
use serde_json::Value;

fn spec() -> popgen_spec::Spec {
    popgen_spec::load::load_bundled()
        .expect("the bundled spec loads")
        .spec
}

#[test]
fn every_action_of_the_spec_is_in_the_registry() {
    let spec = spec();
    let names: Vec<&str> = dyvmsapi::registry::ACTIONS
        .iter()
        .map(|a| a.meta.name)
        .collect();
    let expected: Vec<&str> = spec.actions.keys().map(String::as_str).collect();
    assert_eq!(names, expected);
}

#[test]
fn request_examples_encode_to_exactly_the_reference_params() {
    let spec = spec();
    let mut failures = Vec::new();
    let mut checked = 0;
    for (name, action) in &spec.actions {
        let entry = dyvmsapi::registry::find(name).expect("registered");
        for (i, example) in action.examples.requests.iter().enumerate() {
            // An example the spec annotates as disagreeing with it cannot round-trip as printed.
            if !example.notes.is_empty() {
                continue;
            }
            // The reference masks digits (`1590****000`); a masked number is not a number, so
            // masks become zeros on both sides of the comparison.
            let unmasked: BTreeMap<String, String> = example
                .params
                .iter()
                .map(|(k, v)| (k.clone(), v.replace('*', "0")))
                .collect();
            let pairs: Vec<(&str, &str)> = unmasked
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let (encoded, report) = (entry.parse_params)(&pairs);
            match encoded {
                None => failures.push(format!("{name} example {i}: not readable:\n{report}")),
                Some(encoded) => {
                    let encoded: BTreeMap<String, String> = encoded.into_iter().collect();
                    if as_json(&encoded) != as_json(&unmasked) {
                        failures.push(format!(
                            "{name} example {i}: sent {encoded:?}, the reference shows {unmasked:?}"
                        ));
                    }
                }
            }
            checked += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        checked >= 30,
        "only {checked} request examples were checked"
    );
}

/// Every leaf of `original`, as text, by path (numbers and booleans sent as strings compare equal
/// to their typed form; strings carrying JSON are compared after decoding).
fn leaves(v: &Value, at: String, out: &mut BTreeMap<String, String>) {
    match v {
        Value::Object(m) => m
            .iter()
            .for_each(|(k, v)| leaves(v, format!("{at}.{k}"), out)),
        Value::Array(items) if items.len() == 1 => leaves(&items[0], at, out),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, v)| leaves(v, format!("{at}[{i}]"), out)),
        Value::String(s) => match serde_json::from_str::<Value>(s) {
            Ok(inner @ (Value::Object(_) | Value::Array(_))) => leaves(&inner, at, out),
            _ if s.is_empty() => {}
            _ => {
                out.insert(at, normalize(s));
            }
        },
        Value::Null => {}
        other => {
            out.insert(at, normalize(&other.to_string()));
        }
    }
}

fn normalize(s: &str) -> String {
    match s {
        "True" | "TRUE" => "true".into(),
        "False" | "FALSE" => "false".into(),
        _ => s
            .parse::<f64>()
            .map_or_else(|_| s.to_owned(), |n| n.to_string()),
    }
}

#[test]
fn response_examples_decode_without_loss() {
    let spec = spec();
    let mut failures = Vec::new();
    let mut checked = 0;
    for (name, action) in &spec.actions {
        let entry = dyvmsapi::registry::find(name).expect("registered");
        for (i, example) in action.examples.responses.iter().enumerate() {
            if example.error {
                continue;
            }
            let format = match example.format {
                ResponseFormat::Json => Format::Json,
                ResponseFormat::Xml => Format::Xml,
            };
            let decoded = match (entry.decode_response)(format, &example.body) {
                Ok(v) => v,
                Err(e) => {
                    failures.push(format!("{name} {:?} example {i}: {e}", example.format));
                    continue;
                }
            };
            let original = match format {
                Format::Json => match serde_json::from_str::<Value>(&example.body) {
                    Ok(v) => v,
                    Err(_) => continue, // the spec notes examples that are not JSON
                },
                Format::Xml => {
                    popgen_runtime::decode::xml_to_json(&example.body)
                        .expect("checked by popgen check")
                        .1
                }
            };
            let (mut want, mut got) = (BTreeMap::new(), BTreeMap::new());
            leaves(&original, String::new(), &mut want);
            leaves(&decoded, String::new(), &mut got);
            for (path, value) in &want {
                let field = path.trim_start_matches('.');
                let excused = example.notes.iter().any(|n| {
                    n.about
                        .as_deref()
                        .is_some_and(|a| field == a || field.starts_with(&format!("{a}.")))
                });
                if got.get(path) != Some(value) && !excused {
                    failures.push(format!(
                        "{name} {:?} example {i}: {path} = {value:?} was lost (decoded: {:?})",
                        example.format,
                        got.get(path)
                    ));
                }
            }
            checked += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "{} losses:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        checked >= 60,
        "only {checked} response examples were checked"
    );
}

#[test]
fn receipt_examples_parse_as_batches_without_rejects() {
    let spec = spec();
    type Parse = fn(&str) -> Result<usize, String>;
    fn count<T>(
        r: Result<popgen_runtime::receipts::Batch<T>, popgen_runtime::decode::DecodeError>,
    ) -> Result<usize, String> {
        let batch = r.map_err(|e| e.to_string())?;
        match batch.rejected.first() {
            Some(rej) => Err(format!("record {} rejected: {}", rej.index, rej.error)),
            None => Ok(batch.records.len()),
        }
    }
    let parsers: [(&str, Parse); 4] = [
        ("VoiceReport", |b| {
            count(dyvmsapi::receipts::parse_voice_report_batch(b))
        }),
        ("VoiceCallReport", |b| {
            count(dyvmsapi::receipts::parse_voice_call_report_batch(b))
        }),
        ("VoiceRecordReport", |b| {
            count(dyvmsapi::receipts::parse_voice_record_report_batch(b))
        }),
        ("VoiceRTASRReport", |b| {
            count(dyvmsapi::receipts::parse_voice_rtasr_report_batch(b))
        }),
    ];
    assert_eq!(
        parsers.len(),
        spec.receipts.len(),
        "a receipt type is not covered"
    );
    for (name, parse) in parsers {
        let receipt = &spec.receipts[name];
        assert!(!receipt.examples.is_empty(), "{name} has no example");
        for body in &receipt.examples {
            let records = parse(body).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(records > 0, "{name}: no records in {body}");
        }
    }
    let test = dyvmsapi::receipts::parse_voice_report_batch(r#"{"json":"test-content"}"#).unwrap();
    assert!(test.test && test.records.is_empty());
}

/// Params with JSON carried in strings as JSON values (the client writes JSON compactly with
/// sorted keys; an example may order keys otherwise or end with white space), the rest as text.
fn as_json(params: &BTreeMap<String, String>) -> BTreeMap<&str, serde_json::Value> {
    params
        .iter()
        .map(|(k, v)| {
            let value = match serde_json::from_str::<serde_json::Value>(v.trim()) {
                Ok(j) if j.is_object() || j.is_array() => j,
                _ => serde_json::Value::String(v.clone()),
            };
            (k.as_str(), value)
        })
        .collect()
}

/// `konwledgeCount` is the service's spelling in every example, `knowledgeCount` the reference
/// table's and the metadata's: the generated client reads either (the spec's `aliases`), in the
/// call detail and in the call list, and writes the service's spelling back.
#[test]
fn both_spellings_of_the_knowledge_count_decode() {
    use popgen_runtime::decode::ToJson;
    for key in ["konwledgeCount", "knowledgeCount"] {
        let data = format!(r#"{{\"taskId\": 1045001, \"{key}\": 4}}"#);
        let body = format!(r#"{{"Code": "OK", "RequestId": "r", "Data": "{data}"}}"#);
        let detail: dyvmsapi::QueryRobotTaskCallDetailResponse =
            popgen_runtime::decode::from_body(Format::Json, &body).unwrap();
        let value = detail.data.as_ref().and_then(|d| d.value()).unwrap();
        assert_eq!(value.konwledge_count, Some(4), "{key}");
        assert_eq!(value.to_json()["konwledgeCount"], 4, "{key}");
        let list = format!(r#"{{"Code": "OK", "RequestId": "r", "Data": "[{data}]"}}"#);
        let list: dyvmsapi::QueryRobotTaskCallListResponse =
            popgen_runtime::decode::from_body(Format::Json, &list).unwrap();
        let first = &list.data.as_ref().and_then(|d| d.value()).unwrap()[0];
        assert_eq!(first.konwledge_count, Some(4), "{key}");
    }
}
