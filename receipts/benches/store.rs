//! Receipts stored per second: pushes of 100 `VoiceReport` records, each new, through the
//! receiver (UTF-8 and JSON checks, the generated parser, dedupe keys, one SQLite transaction
//! committed in WAL mode, with `synchronous = FULL`, the default, and `NORMAL`) into a file in a
//! temporary directory.
//!
//! `cargo bench -p popgen-receipts --bench store`; criterion prints the time per push of 100
//! records and the records per second (`thrpt`).

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use popgen_receipts::{Receiver, Store};
use serde_json::json;

const BATCH: usize = 100;

/// A push of `BATCH` records no other push has.
fn push(n: u64) -> Vec<u8> {
    let records: Vec<_> = (0..BATCH)
        .map(|i| {
            json!({
                "call_id": format!("{n}^{i}"),
                "out_id": format!("bench-{n}-{i}"),
                "status_code": "200000",
                "status_msg": "执行完成",
                "caller": "057188773344",
                "callee": "13800138000",
                "duration": "10",
                "originate_time": "2026-12-04 09:00:00",
                "ring_time": "2026-12-04 09:00:02",
                "start_time": "2026-12-04 09:00:05",
                "end_time": "2026-12-04 09:00:15",
                "hangup_direction": "用户",
                "toll_type": "UNKNOWN",
            })
        })
        .collect();
    serde_json::to_vec(&records).expect("JSON")
}

fn receive(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let api = &dyvmsapi::registry::API;
    let entry = api.receipt("VoiceReport").expect("VoiceReport");
    let mut group = c.benchmark_group("sqlite");
    group.throughput(Throughput::Elements(BATCH as u64));
    group.measurement_time(Duration::from_secs(10));
    // `full`: each commit waits for the disk (the default); `normal`: WAL without that wait.
    for synchronous in ["full", "normal"] {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!(
            "sqlite:{}?synchronous={synchronous}",
            dir.path().join("bench.db").display()
        );
        let store = runtime.block_on(Store::open(&url)).expect("open");
        let receiver = Receiver::new(api, store);
        let mut next = 0u64;
        let name = format!("receive_push_of_100_voice_reports/synchronous_{synchronous}");
        group.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let pushes: Vec<Vec<u8>> = (0..iters)
                    .map(|_| {
                        next += 1;
                        push(next)
                    })
                    .collect();
                let started = Instant::now();
                for body in &pushes {
                    let received = runtime
                        .block_on(receiver.receive(entry, body))
                        .expect("stored");
                    black_box(received);
                }
                started.elapsed()
            })
        });
    }
    group.finish();
}

/// The part without I/O: UTF-8, JSON, the generated parser, dedupe keys, rows to insert.
fn read(c: &mut Criterion) {
    let entry = dyvmsapi::registry::API
        .receipt("VoiceReport")
        .expect("VoiceReport");
    let body = push(1);
    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Elements(BATCH as u64));
    group.bench_function("read_push_of_100_voice_reports", |b| {
        b.iter(|| popgen_receipts::receiver::read_push(entry, black_box(&body)).expect("read"))
    });
    group.finish();
}

criterion_group!(benches, receive, read);
criterion_main!(benches);
