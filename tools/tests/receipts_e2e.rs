//! The loop closed (issue 16): 1,000 calls placed on the mock by the generated client, whose receipts the mock pushes to
//! the real receiver (`popgen_receipts`) over 127.0.0.1 into a SQLite store; the receiver is
//! killed mid-stream (its task aborted, connections cut) and started again on the same port and
//! the same file; the mock pushes again on its clock. In the end the store holds exactly one
//! VoiceReport per call, matched to the call's OutId and CallId: nothing lost, nothing twice.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use crate::common::{KEY_ID, SECRET};
use dyvmsapi::registry::API;
use popgen_receipts::serve::{ServeConfig, serve};
use popgen_receipts::{Receiver, Store};
use popgen_tools::mock::{
    MockConfig, MockHandle, MockServer, OutcomeMix, PushOutcome, ReceiptConfig, ReceiptUrls,
};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

const CALLS: usize = 1_000;

/// The receiver serving `store_url` on `addr` (port 0: any), as a task to abort.
async fn receiver(addr: SocketAddr, store_url: &str) -> (SocketAddr, JoinHandle<()>) {
    let store = Store::open(store_url).await.expect("the store opens");
    let listener = TcpListener::bind(addr).await.expect("bind 127.0.0.1");
    let addr = listener.local_addr().unwrap();
    let receiver = Arc::new(Receiver::new(&API, store));
    let task = tokio::spawn(serve(
        listener,
        receiver,
        ServeConfig::default(),
        std::future::pending(),
    ));
    (addr, task)
}

/// Waits (at most 20 s) until `done` holds.
async fn until(what: &str, mut done: impl AsyncFnMut() -> bool) {
    for _ in 0..1_000 {
        if done().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("gave up waiting for {what}");
}

async fn start_mock(receiver: SocketAddr) -> MockHandle {
    let mut config = MockConfig::new(KEY_ID, SECRET);
    config.enforce_qps = false;
    config.enforce_callee_limits = false;
    config.receipts = ReceiptConfig {
        urls: ReceiptUrls::parse(&[format!("http://{receiver}/receipts")]).unwrap(),
        mix: OutcomeMix {
            answer_rate: 0.7,
            duration_secs: (1, 60),
            seed: 16,
        },
        // Small batches: many pushes, so the receiver dies with some still to come.
        max_batch: 10,
        ..ReceiptConfig::default()
    };
    let mock = MockServer::start(&API, config).await.unwrap();
    mock.clock().freeze();
    mock
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_calls_reach_the_store_once_each_across_a_receiver_restart() {
    let dir = tempfile::tempdir().unwrap();
    let store_url = format!("sqlite:{}", dir.path().join("receipts.db").display());
    let (addr, first) = receiver("127.0.0.1:0".parse().unwrap(), &store_url).await;
    let mock = start_mock(addr).await;

    // The generated client places the calls; the CallId each answer carries, by OutId.
    let client = dyvmsapi::Client::builder()
        .endpoint(mock.endpoint())
        .credentials(dyvmsapi::Credentials::new(KEY_ID, SECRET))
        .build()
        .expect("a client aimed at the mock");
    let mut calls = BTreeMap::new();
    for i in 0..CALLS {
        let out_id = format!("e2e-{i}");
        let request = dyvmsapi::SingleCallByTtsRequest::new(format!("139{i:08}"), "TTS_10001")
            .called_show_number("057112345678")
            .out_id(out_id.clone());
        let response = client
            .single_call_by_tts(&request)
            .await
            .expect("the mock places the call");
        calls.insert(out_id, response.call_id.expect("a CallId"));
    }

    // Every record falls due; the receiver dies once some have been stored.
    mock.clock().advance(Duration::from_secs(120));
    let reader = Store::open(&store_url).await.unwrap();
    until("the first receipts stored", async || {
        reader.count().await.unwrap() > 0
    })
    .await;
    first.abort();
    let _ = first.await;
    until("a push failing against the dead receiver", async || {
        let log = mock.receipts(0).unwrap();
        log.entries.iter().any(|e| e.outcome == PushOutcome::Failed)
    })
    .await;
    let stored_before = reader.count().await.unwrap();

    // Started again on the same port and file; the mock pushes again 1, 5, 10 minutes after a
    // failure, on its clock.
    let (_, second) = receiver(addr, &store_url).await;
    for minutes in [1, 5, 10, 10] {
        mock.clock().advance(Duration::from_secs(60 * minutes));
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    until("the mock's queue to drain", async || {
        mock.receipts(0).unwrap().held_records == 0
    })
    .await;
    let log = mock.receipts(0).unwrap();
    assert!(
        !log.entries.iter().any(|e| e.outcome == PushOutcome::GaveUp),
        "a batch was given up"
    );

    // Exactly one VoiceReport per call, matched to its OutId and CallId.
    let reports = reader
        .list(&popgen_receipts::store::Filter {
            message: Some("VoiceReport".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let mut by_out_id: BTreeMap<String, Vec<Option<String>>> = BTreeMap::new();
    for r in &reports {
        assert!(r.error.is_none(), "{r:?}");
        let out_id = r.out_id.clone().expect("an OutId");
        by_out_id.entry(out_id).or_default().push(r.call_id.clone());
    }
    assert_eq!(reports.len(), CALLS, "one VoiceReport per call, none twice");
    for (out_id, call_id) in &calls {
        assert_eq!(
            by_out_id.get(out_id),
            Some(&vec![Some(call_id.clone())]),
            "{out_id}"
        );
    }
    assert!(
        stored_before < reader.count().await.unwrap(),
        "the restart stored what the dead receiver missed"
    );
    second.abort();
    mock.shutdown().await;
}
