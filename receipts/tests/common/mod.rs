//! What every store must do, run against SQLite (always) and PostgreSQL (when one is given):
//! pushes through the receiver, idempotency, lookups and listing.

#![allow(dead_code)]

use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper::{Request, Response, StatusCode};
use popgen_receipts::receiver::ACCEPTED;
use popgen_receipts::{Filter, Lookup, Receiver, Store};
use serde_json::{Value, json};

pub static API: &popgen_runtime::registry::Api = &dyvmsapi::registry::API;

/// A fresh tag per call, so records of different tests (sharing a PostgreSQL database) differ.
pub fn tag() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!(
        "{}-{}-{}",
        std::process::id(),
        popgen_receipts::time::now_ms(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// A VoiceReport record of a call `call`, answered for `seconds`.
pub fn voice_report(call: &str, out_id: &str, status: &str, seconds: u32) -> Value {
    json!({
        "call_id": call,
        "out_id": out_id,
        "status_code": status,
        "status_msg": "执行完成",
        "caller": "057188773344",
        "callee": "13800138000",
        "duration": seconds.to_string(),
        "start_time": "2026-12-04 09:00:00",
        "end_time": "2026-12-04 09:00:10",
        "hangup_direction": "用户",
        "toll_type": "UNKNOWN",
        "a_field_the_spec_does_not_know": {"kept": true},
    })
}

pub fn post(path: &str, body: impl Into<Bytes>) -> Request<Full<Bytes>> {
    Request::post(path)
        .header("content-type", "application/json")
        .body(Full::new(body.into()))
        .expect("request")
}

/// The answer's status and JSON body.
pub async fn answer(response: Response<Full<Bytes>>) -> (StatusCode, Value) {
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    let body = serde_json::from_slice(&bytes).unwrap_or_else(|e| {
        panic!(
            "answer is not JSON ({e}): {}",
            String::from_utf8_lossy(&bytes)
        )
    });
    (status, body)
}

/// How many stored records have a `call_id` starting with `prefix` (a shared database holds
/// other tests' records too).
pub async fn count_calls(store: &Store, prefix: &str) -> usize {
    let all = store.list(&Filter::default()).await.expect("list");
    all.iter()
        .filter(|r| r.call_id.as_deref().is_some_and(|c| c.starts_with(prefix)))
        .count()
}

/// Pushes, re-pushes and looks up through `store`; the receipts it writes are tagged so that
/// a shared database's other rows do not matter.
pub async fn store_contract(store: Store) {
    let t = tag();
    let receiver = Receiver::new(API, store.clone());
    let records: Vec<Value> = (0..5)
        .map(|i| {
            voice_report(
                &format!("{t}^{i}"),
                &format!("out-{t}-{i}"),
                "200000",
                10 + i,
            )
        })
        .collect();
    let mut push = Value::Array(records.clone());
    // One record the generated type cannot read, and one that is not even an object.
    push.as_array_mut()
        .unwrap()
        .push(json!(["not a record", t.clone()]));
    push.as_array_mut().unwrap().push(json!(7));
    let body = push.to_string();

    let (status, answered) = answer(
        receiver
            .handle(post("/receipts/VoiceReport", body.clone()))
            .await,
    )
    .await;
    assert_eq!(
        (status, answered.clone()),
        (
            StatusCode::OK,
            serde_json::from_str::<Value>(ACCEPTED).unwrap()
        )
    );
    let before = count_calls(&store, &format!("{t}^")).await;
    assert_eq!(before, 5);

    // The platform pushes again: nothing new, and still a success.
    let (status, _) = answer(
        receiver
            .handle(post("/receipts/VoiceReport", body.clone()))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // A copy with its keys reordered and spaced differently is the same records.
    let reordered: Vec<String> = push
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .map(|r| serde_json::to_string_pretty(r).unwrap())
        .collect();
    let reordered = format!("[{}]", reordered.join(" ,\n "));
    let (status, _) = answer(
        receiver
            .handle(post("/receipts/VoiceReport", reordered))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        count_calls(&store, &format!("{t}^")).await,
        before,
        "a re-push stored records twice"
    );
    // One record twice in one push (and 1,200 records, more than one INSERT statement holds).
    let twice = voice_report(&format!("{t}^twice"), "o", "200000", 1);
    let mut big: Vec<Value> = (0..1200)
        .map(|i| voice_report(&format!("{t}^big{i}"), "o", "200000", i))
        .collect();
    big.push(twice.clone());
    big.push(twice);
    let (status, _) = answer(
        receiver
            .handle(post("/receipts/VoiceReport", Value::Array(big).to_string()))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(count_calls(&store, &format!("{t}^")).await, before + 1201);
    let found = store
        .lookup(Lookup::CallId(&format!("{t}^twice")))
        .await
        .expect("lookup");
    assert_eq!(found.len(), 1);

    // By CallId and by OutId: the record as the generated type wrote it back, unknown fields kept.
    let found = store
        .lookup(Lookup::CallId(&format!("{t}^2")))
        .await
        .expect("lookup");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].message, "VoiceReport");
    assert_eq!(
        found[0].out_id.as_deref(),
        Some(format!("out-{t}-2").as_str())
    );
    assert_eq!(found[0].status_code.as_deref(), Some("200000"));
    assert_eq!(found[0].record["duration"], json!("12"));
    assert_eq!(
        found[0].record["a_field_the_spec_does_not_know"],
        json!({"kept": true})
    );
    assert_eq!(found[0].error, None);
    let by_out = store
        .lookup(Lookup::OutId(&format!("out-{t}-4")))
        .await
        .expect("lookup");
    assert_eq!(by_out.len(), 1);
    assert_eq!(
        by_out[0].call_id.as_deref(),
        Some(format!("{t}^4").as_str())
    );

    // The odd records are stored raw, with why they did not decode.
    let undecoded = store
        .list(&Filter {
            undecoded: true,
            ..Filter::default()
        })
        .await
        .expect("list");
    let odd: Vec<_> = undecoded
        .iter()
        .filter(|r| r.record == json!(["not a record", t.clone()]))
        .collect();
    assert_eq!(odd.len(), 1, "{undecoded:?}");
    assert!(
        odd[0].error.as_deref().is_some_and(|e| !e.is_empty()),
        "{odd:?}"
    );
    assert_eq!(odd[0].push_index, 5);
    assert!(undecoded.iter().all(|r| r.error.is_some()));
    assert!(undecoded.iter().any(|r| r.record == json!(7)));

    // Listing: by status and message, since a time; the tag's five decoded records are there.
    let since = popgen_receipts::time::now_ms() - 60_000;
    let listed = store
        .list(&Filter {
            since_ms: Some(since),
            status_code: Some("200000".into()),
            message: Some("VoiceReport".into()),
            ..Filter::default()
        })
        .await
        .expect("list");
    let mine: Vec<_> = listed
        .iter()
        .filter(|r| {
            r.call_id
                .as_deref()
                .is_some_and(|c| (0..5).any(|i| c == format!("{t}^{i}")))
        })
        .collect();
    assert_eq!(mine.len(), 5);
    let later = store
        .list(&Filter {
            since_ms: Some(popgen_receipts::time::now_ms() + 60_000),
            ..Filter::default()
        })
        .await
        .expect("list");
    assert!(later.is_empty());
}
