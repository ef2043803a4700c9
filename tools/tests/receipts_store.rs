//! `receipts show` and `receipts list` over a SQLite store the receiver filled, in-process; the
//! JSON lines export read back by `cost receipts`.

use dyvmsapi::registry::API;
use popgen_receipts::{Receiver, Store};
use popgen_tools::cli::{Output, run};
use serde_json::{Value, json};

fn dyvms<S: AsRef<str>>(args: &[S]) -> Output {
    let mut argv = vec!["dyvms".to_owned()];
    argv.extend(args.iter().map(|s| s.as_ref().to_owned()));
    run(&API, &argv)
}

fn report(i: u32, status: &str, seconds: u32) -> Value {
    json!({
        "call_id": format!("1000{i}^2000{i}"),
        "out_id": format!("order-{i}"),
        "status_code": status,
        "duration": seconds.to_string(),
        "start_time": if seconds > 0 { "2026-12-04 09:00:05" } else { "" },
        "end_time": "2026-12-04 09:01:00",
        "callee": "13800138000",
    })
}

/// A store with three calls' VoiceReports (two answered, one not) and a VoiceCallReport of
/// the first; its URL.
fn filled(dir: &tempfile::TempDir) -> String {
    let url = format!("sqlite:{}", dir.path().join("receipts.db").display());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let store = Store::open(&url).await.unwrap();
        let receiver = Receiver::new(&API, store.clone());
        let reports = json!([report(1, "200000", 65), report(2, "200000", 30), report(3, "200005", 0)]);
        let states = json!([{"call_id": "10001^20001", "out_id": "order-1", "status_code": "200100", "status_time": "2026-12-04 09:00:02"}]);
        for (message, body) in [("VoiceCallReport", states), ("VoiceReport", reports)] {
            let entry = API.receipt(message).unwrap();
            receiver.receive(entry, body.to_string().as_bytes()).await.unwrap();
        }
        store.close().await;
    });
    url
}

#[test]
fn show_tells_whether_a_call_was_placed_and_how_it_ended() {
    let dir = tempfile::tempdir().unwrap();
    let url = filled(&dir);
    let out = dyvms(&["receipts", "show", "--store", &url, "--out-id", "order-1"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("OutId order-1: placed"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("VoiceReport ×1, latest status_code 200000"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("VoiceCallReport ×1, latest status_code 200100"),
        "{}",
        out.stdout
    );
    let out = dyvms(&[
        "receipts",
        "show",
        "--store",
        &url,
        "--call-id",
        "10003^20003",
        "--format",
        "json",
    ]);
    let rows: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(rows[0]["status_code"], "200005");
    assert_eq!(rows[0]["record"]["out_id"], "order-3");
    // Never placed (or not reported yet): exit 1, saying so.
    let out = dyvms(&["receipts", "show", "--store", &url, "--out-id", "order-9"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("no receipt for OutId order-9"),
        "{}",
        out.stderr
    );
}

#[test]
fn list_filters_and_exports_jsonl_that_cost_receipts_reads_and_csv() {
    let dir = tempfile::tempdir().unwrap();
    let url = filled(&dir);
    let out = dyvms(&[
        "receipts", "list", "--store", &url, "--status", "200000", "--format", "jsonl",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout.lines().count(), 2, "{}", out.stdout);
    let all = dyvms(&[
        "receipts",
        "list",
        "--store",
        &url,
        "--since",
        "1h",
        "--type",
        "VoiceReport",
        "--format",
        "jsonl",
    ]);
    assert_eq!(all.stdout.lines().count(), 3);
    let later = dyvms(&["receipts", "list", "--store", &url, "--since", "2999-01-01"]);
    assert_eq!(
        later.stdout.lines().count(),
        1,
        "only the header: {}",
        later.stdout
    );
    let path = dir.path().join("reports.jsonl");
    std::fs::write(&path, &all.stdout).unwrap();
    let cost = dyvms(&[
        "cost",
        "receipts",
        path.to_str().unwrap(),
        "--message",
        "VoiceReport",
        "--business",
        "voice-notification",
        "--mode",
        "public",
        "--format",
        "json",
    ]);
    assert_eq!(cost.code, 0, "{}", cost.stderr);
    let cost: Value = serde_json::from_str(&cost.stdout).unwrap();
    assert_eq!(cost["files"][0]["records"], 3);
    assert_eq!(cost["businesses"][0]["records"], 3);
    let csv = dyvms(&["receipts", "list", "--store", &url, "--format", "csv"]);
    let mut lines = csv.stdout.lines();
    assert_eq!(lines.next(), Some(popgen_receipts::export::CSV_HEADER));
    assert_eq!(lines.count(), 4);
}

#[test]
fn wrong_flags_are_refused_before_any_store_is_touched() {
    let dir = tempfile::tempdir().unwrap();
    let missing = format!("sqlite:{}", dir.path().join("none.db").display());
    let out = dyvms(&["receipts", "list", "--store", &missing]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("no receipt store at"), "{}", out.stderr);
    assert!(
        !dir.path().join("none.db").exists(),
        "reading created a store"
    );
    let out = dyvms(&[
        "receipts",
        "list",
        "--store",
        &missing,
        "--since",
        "yesterday",
    ]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--since"), "{}", out.stderr);
    let out = dyvms(&[
        "receipts",
        "list",
        "--store",
        &missing,
        "--type",
        "SmsReport",
    ]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("VoiceReport"), "{}", out.stderr);
    let out = dyvms(&["receipts", "show", "--store", &missing]);
    assert_eq!(out.code, 2, "neither --call-id nor --out-id");
    let out = dyvms(&["receipts", "list", "--store", "mysql://x"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("unsupported store URL"),
        "{}",
        out.stderr
    );
}
