//! The receiver and the store on SQLite (a file in a temporary directory): the store's
//! contract, durability across reopening, and every kind of bad push refused whole.

use crate::common;

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use hyper::body::{Body, Frame};
use hyper::{Request, StatusCode};
use popgen_receipts::receiver::ACCEPTED;
use popgen_receipts::{Lookup, Receiver, Store};
use serde_json::{Value, json};

use crate::common::{API, answer, post, voice_report};

async fn temp_store() -> (tempfile::TempDir, String, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite:{}", dir.path().join("receipts.db").display());
    let store = Store::open(&url).await.expect("open");
    (dir, url, store)
}

#[tokio::test]
async fn sqlite_keeps_the_store_contract() {
    let (_dir, _, store) = temp_store().await;
    assert_eq!(store.backend(), "sqlite");
    common::store_contract(store).await;
}

#[tokio::test]
async fn a_committed_push_is_there_after_reopening_and_the_file_is_in_wal_mode() {
    let (dir, url, store) = temp_store().await;
    let receiver = Receiver::new(API, store.clone());
    let body = json!([voice_report("c^1", "o-1", "200005", 0)]).to_string();
    let (status, _) = answer(receiver.handle(post("/receipts/VoiceReport", body)).await).await;
    assert_eq!(status, StatusCode::OK);
    assert!(dir.path().join("receipts.db-wal").exists(), "no WAL file");
    store.close().await;
    let reopened = Store::open(&url)
        .await
        .expect("reopen (migrations run again)");
    let found = reopened
        .lookup(Lookup::CallId("c^1"))
        .await
        .expect("lookup");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].status_code.as_deref(), Some("200005"));
}

#[tokio::test]
async fn the_console_probe_is_answered_and_stores_nothing() {
    let (_dir, _, store) = temp_store().await;
    let receiver = Receiver::new(API, store.clone());
    for message in API.receipts {
        let path = format!("/receipts/{}", message.name);
        let (status, body) = answer(
            receiver
                .handle(post(&path, r#"{"json":"test-content"}"#))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(body, serde_json::from_str::<Value>(ACCEPTED).unwrap());
    }
    assert_eq!(store.count().await.unwrap(), 0);
}

#[tokio::test]
async fn every_receipt_message_of_the_registry_has_its_path() {
    let (_dir, _, store) = temp_store().await;
    let receiver = Receiver::new(API, store.clone());
    for (i, message) in API.receipts.iter().enumerate() {
        let body = json!([{"call_id": format!("call-{i}"), "out_id": "o"}]).to_string();
        let path = format!("/receipts/{}", message.name);
        let (status, _) = answer(receiver.handle(post(&path, body)).await).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        let found = store
            .lookup(Lookup::CallId(&format!("call-{i}")))
            .await
            .unwrap();
        assert_eq!(found[0].message, message.name);
    }
}

/// A body of `left` bytes of `[`, sent in 64 KiB frames, counting what was read of it.
struct Endless {
    left: u64,
    read: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl Body for Endless {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if self.left == 0 {
            return Poll::Ready(None);
        }
        let n = self.left.min(64 << 10);
        self.left -= n;
        self.read.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
        Poll::Ready(Some(Ok(Frame::data(Bytes::from(vec![b'['; n as usize])))))
    }
}

#[tokio::test]
async fn bad_pushes_are_refused_whole_with_a_json_error_and_store_nothing() {
    let (_dir, _, store) = temp_store().await;
    let receiver = Receiver::new(API, store.clone());
    let good = json!([voice_report("c", "o", "200000", 3)]).to_string();
    let mut not_utf8 = good.clone().into_bytes();
    not_utf8.insert(20, 0xff);
    let cases: Vec<(&str, Request<http_body_util::Full<Bytes>>, StatusCode, &str)> = vec![
        (
            "malformed JSON",
            post("/receipts/VoiceReport", r#"[{"call_id": "c""#),
            StatusCode::BAD_REQUEST,
            "not JSON",
        ),
        (
            "an object",
            post("/receipts/VoiceReport", r#"{"call_id":"c"}"#),
            StatusCode::BAD_REQUEST,
            "not an object",
        ),
        (
            "a number",
            post("/receipts/VoiceReport", "5"),
            StatusCode::BAD_REQUEST,
            "not a number",
        ),
        (
            "invalid UTF-8",
            post("/receipts/VoiceReport", not_utf8),
            StatusCode::BAD_REQUEST,
            "offset 20",
        ),
        (
            "an unknown message",
            post("/receipts/SmsReport", good.clone()),
            StatusCode::NOT_FOUND,
            "VoiceCallReport",
        ),
        (
            "another path",
            post("/push", good.clone()),
            StatusCode::NOT_FOUND,
            "/receipts/",
        ),
        (
            "GET",
            Request::get("/receipts/VoiceReport")
                .body(http_body_util::Full::new(Bytes::new()))
                .unwrap(),
            StatusCode::METHOD_NOT_ALLOWED,
            "POST",
        ),
        (
            "a declared 100 MB",
            Request::post("/receipts/VoiceReport")
                .header("content-length", (100u64 << 20).to_string())
                .body(http_body_util::Full::new(Bytes::from(good.clone())))
                .unwrap(),
            StatusCode::PAYLOAD_TOO_LARGE,
            "8388608 bytes",
        ),
        (
            "nesting too deep",
            post("/receipts/VoiceReport", "[".repeat(100_000)),
            StatusCode::BAD_REQUEST,
            "not JSON",
        ),
    ];
    for (what, request, status, says) in cases {
        let (got, body) = answer(receiver.handle(request).await).await;
        assert_eq!(got, status, "{what}: {body}");
        assert_eq!(body["code"], json!(status.as_u16()), "{what}");
        let msg = body["msg"].as_str().unwrap_or_default();
        assert!(msg.contains(says), "{what}: {msg:?} does not say {says:?}");
    }
    // 100 MB streamed without a length: refused once past the limit, the rest never read.
    let read = std::sync::Arc::default();
    let request = Request::post("/receipts/VoiceReport")
        .body(Endless {
            left: 100 << 20,
            read: std::sync::Arc::clone(&read),
        })
        .unwrap();
    let response = receiver.handle(request).await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(response.headers()["connection"], "close");
    let bytes_read = read.load(std::sync::atomic::Ordering::Relaxed);
    assert!(
        bytes_read <= (8 << 20) + (64 << 10),
        "read {bytes_read} bytes of a refused body"
    );
    assert_eq!(store.count().await.unwrap(), 0);
    // And the receiver still works.
    let (status, _) = answer(receiver.handle(post("/receipts/VoiceReport", good)).await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(store.count().await.unwrap(), 1);
}

#[tokio::test]
async fn a_store_that_fails_answers_503_so_the_platform_pushes_again() {
    let (_dir, _, store) = temp_store().await;
    let receiver = Receiver::new(API, store.clone());
    store.close().await;
    let body = json!([voice_report("c", "o", "200000", 3)]).to_string();
    let (status, answered) =
        answer(receiver.handle(post("/receipts/VoiceReport", body)).await).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(answered["code"], json!(503));
    assert!(answered["msg"].as_str().unwrap().contains("push it again"));
}

#[tokio::test]
async fn an_empty_push_is_accepted_and_a_smaller_limit_is_kept() {
    let (_dir, _, store) = temp_store().await;
    let receiver = Receiver::new(API, store.clone()).with_max_body_bytes(100);
    let (status, _) = answer(receiver.handle(post("/receipts/VoiceReport", "[]")).await).await;
    assert_eq!(status, StatusCode::OK);
    let body = json!([voice_report("c", "o", "200000", 3)]).to_string();
    let (status, answered) =
        answer(receiver.handle(post("/receipts/VoiceReport", body)).await).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{answered}");
    assert_eq!(store.count().await.unwrap(), 0);
}

#[tokio::test]
async fn the_synchronous_param_is_read_and_a_wrong_one_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("n.db");
    let normal = Store::open(&format!("sqlite:{}?synchronous=normal", path.display())).await;
    assert!(normal.is_ok(), "{normal:?}");
    let wrong = Store::open(&format!("sqlite:{}?synchronous=sometimes", path.display())).await;
    assert!(
        matches!(wrong, Err(popgen_receipts::StoreError::UnsupportedUrl(_))),
        "{wrong:?}"
    );
}
