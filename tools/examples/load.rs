//! A bounded loopback load generator for the mock server: N keep-alive connections send freshly
//! v1-signed requests for a few seconds; prints requests/s and p50/p99 latency, then checks the
//! journal holds exactly the requests sent (no loss, no duplicates).
//!
//! ```text
//! cargo run --release -p popgen-tools --example load -- --connections 32 --seconds 3
//! ```
//!
//! By default the mock serves the generated Dyvmsapi registry and every request is a
//! `QueryCallDetailByCallId` (three params, validated by the generated code), with the per-user QPS
//! limit off (it would answer `Throttling.User` after 100 requests a second: the load measures
//! verifying and answering, not refusing). `--api test` serves the tests' three-action API instead.
//!
//! The mock runs in this process (on the same runtime as the clients, so the figure is a lower
//! bound for the mock alone) unless `--target ADDR` names one running in another process, which
//! `--serve ADDR` starts (until Ctrl-C).

#[path = "../tests/common/mod.rs"]
mod common;

use std::collections::HashSet;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use clap::Parser;
use common::{API, Conn, KEY_ID, SECRET, V1};
use popgen_tools::mock::{JournalPage, MockConfig, MockServer};

#[derive(Debug, Parser)]
struct Args {
    /// Concurrent keep-alive connections.
    #[arg(long, default_value_t = 32)]
    connections: usize,
    /// How long to send, in seconds (at most 60).
    #[arg(long, default_value_t = 3)]
    seconds: u64,
    /// Worker threads of the runtime.
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// Load a mock already listening here (serving the test API with the test key).
    #[arg(long)]
    target: Option<SocketAddr>,
    /// Only run the mock, here, until Ctrl-C.
    #[arg(long, conflicts_with = "target")]
    serve: Option<SocketAddr>,
    /// Which API the mock serves and the requests call.
    #[arg(long, value_enum, default_value = "dyvmsapi")]
    api: Which,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Which {
    /// The generated Dyvmsapi registry; requests are `QueryCallDetailByCallId`.
    Dyvmsapi,
    /// The tests' hand-written API; requests are `ListItems`.
    Test,
}

impl Which {
    fn api(self) -> &'static popgen_runtime::registry::Api {
        match self {
            Which::Dyvmsapi => &dyvmsapi::registry::API,
            Which::Test => &API,
        }
    }

    fn request(self) -> V1 {
        let pairs = |list: &[(&str, &str)]| {
            list.iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        match self {
            Which::Dyvmsapi => V1::new(
                "QueryCallDetailByCallId",
                pairs(&[
                    ("CallId", "116012354148^10281378"),
                    ("ProdId", "11000000300006"),
                    ("QueryDate", "1577255564000"),
                ]),
            ),
            Which::Test => V1::new("ListItems", pairs(&[("PageSize", "10")])),
        }
    }
}

/// What one connection did: latencies (µs) and the nonces it sent.
struct Sent {
    latencies: Vec<u32>,
    nonces: Vec<String>,
    failures: usize,
}

async fn connection(addr: SocketAddr, until: Instant, which: Which) -> Sent {
    let mut sent = Sent {
        latencies: Vec::new(),
        nonces: Vec::new(),
        failures: 0,
    };
    let Ok(mut conn) = Conn::open(addr).await else {
        sent.failures += 1;
        return sent;
    };
    while Instant::now() < until {
        let request = which.request();
        let wire = request.wire();
        let started = Instant::now();
        match conn.send(&wire).await {
            Ok(reply) if reply.status == 200 => {}
            _ => sent.failures += 1,
        }
        let micros = started.elapsed().as_micros();
        sent.latencies
            .push(u32::try_from(micros).unwrap_or(u32::MAX));
        sent.nonces.push(request.nonce);
    }
    sent
}

fn config(capacity: usize) -> MockConfig {
    let mut config = MockConfig::new(KEY_ID, SECRET);
    config.journal_capacity = capacity;
    // Every request must stay journaled: a budget no run reaches (about 1 KiB an entry).
    config.journal_bytes = capacity.saturating_mul(2048);
    config.max_nonces = capacity;
    config.enforce_qps = false;
    config
}

async fn remote_journal(addr: SocketAddr) -> JournalPage {
    let mut conn = Conn::open(addr).await.expect("connect for the journal");
    let reply = conn
        .send(&common::plain("GET", "/_mock/journal", ""))
        .await
        .expect("journal answer");
    serde_json::from_str(&reply.body).expect("journal JSON")
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    f64::from(sorted[rank]) / 1000.0
}

async fn run(args: Args) -> Result<(), String> {
    if let Some(listen) = args.serve {
        let mut config = config(5_000_000);
        config.listen = listen;
        let mock = MockServer::start(args.api.api(), config)
            .await
            .map_err(|e| e.to_string())?;
        println!("mock listening on {}", mock.endpoint());
        tokio::signal::ctrl_c().await.map_err(|e| e.to_string())?;
        mock.shutdown().await;
        return Ok(());
    }
    let seconds = args.seconds.clamp(1, 60);
    let local = match args.target {
        Some(_) => None,
        None => Some(
            MockServer::start(args.api.api(), config(5_000_000))
                .await
                .map_err(|e| e.to_string())?,
        ),
    };
    let addr = args
        .target
        .or_else(|| local.as_ref().map(|m| m.addr()))
        .ok_or("no target")?;
    let before = match &local {
        Some(mock) => mock.journal_page(0, None),
        None => remote_journal(addr).await,
    };
    let since = before.entries.last().map_or(0, |e| e.seq);

    let started = Instant::now();
    let until = started + Duration::from_secs(seconds);
    let tasks: Vec<_> = (0..args.connections.max(1))
        .map(|_| tokio::spawn(connection(addr, until, args.api)))
        .collect();
    let mut latencies = Vec::new();
    let mut nonces = Vec::new();
    let mut failures = 0;
    for task in tasks {
        let sent = task.await.map_err(|e| e.to_string())?;
        latencies.extend(sent.latencies);
        nonces.extend(sent.nonces);
        failures += sent.failures;
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort_unstable();
    let total = latencies.len();
    println!(
        "{total} requests in {elapsed:.2}s over {} connections: {:.0} requests/s, p50 {:.3} ms, p99 {:.3} ms, {failures} failed",
        args.connections,
        total as f64 / elapsed,
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.99),
    );

    let page = match &local {
        Some(mock) => mock.journal_page(since, None),
        None => {
            let mut page = remote_journal(addr).await;
            page.entries.retain(|e| e.seq > since);
            page
        }
    };
    let journaled: HashSet<&str> = page
        .entries
        .iter()
        .filter_map(|e| e.nonce.as_deref())
        .collect();
    let sent: HashSet<&str> = nonces.iter().map(String::as_str).collect();
    let seqs: HashSet<u64> = page.entries.iter().map(|e| e.seq).collect();
    let exact = page.entries.len() == total
        && seqs.len() == total
        && journaled == sent
        && sent.len() == total
        && page.dropped == 0;
    println!(
        "journal: {} entries for {total} requests sent, {} distinct nonces, {} evicted: {}",
        page.entries.len(),
        journaled.len(),
        page.dropped,
        if exact { "exact" } else { "MISMATCH" }
    );
    if let Some(mock) = local {
        mock.shutdown().await;
    }
    if exact && failures == 0 {
        Ok(())
    } else {
        Err("the journal does not match what was sent, or requests failed".into())
    }
}

fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(args.threads.max(1))
        .enable_all()
        .build()
        .expect("tokio runtime");
    match runtime.block_on(run(args)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
