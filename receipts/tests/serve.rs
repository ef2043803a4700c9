//! The receiver as a server of its own over 127.0.0.1: pushes over keep-alive, the connection
//! cap, the header and idle timeouts, a declared 100 MB body, and a clean shutdown.

use crate::common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use popgen_receipts::serve::{ServeConfig, serve};
use popgen_receipts::{Receiver, Store};
use serde_json::json;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

struct Running {
    addr: std::net::SocketAddr,
    store: Store,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
    _dir: tempfile::TempDir,
}

async fn start(config: ServeConfig) -> Running {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite:{}", dir.path().join("r.db").display());
    let store = Store::open(&url).await.expect("open");
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let receiver = Arc::new(Receiver::new(common::API, store.clone()));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(serve(listener, receiver, config, async {
        let _ = stopped.await;
    }));
    Running {
        addr,
        store,
        stop: Some(stop),
        task,
        _dir: dir,
    }
}

fn request(path: &str, body: &str) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nHost: receiver\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
}

/// Reads one answer (headers and a `Content-Length` body): its status and body.
async fn read_answer(stream: &mut TcpStream) -> (u16, String) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_string();
            let length: usize = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length: ")
                        .map(|v| v.trim().parse().unwrap())
                })
                .unwrap_or(0);
            if buf.len() >= end + 4 + length {
                let status = head[9..12].parse().expect("status");
                let body = String::from_utf8_lossy(&buf[end + 4..end + 4 + length]).to_string();
                return (status, body);
            }
        }
        assert!(Instant::now() < deadline, "no answer in 10 s");
        let n = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut chunk))
            .await
            .expect("answer in time")
            .expect("read");
        assert!(
            n > 0,
            "closed before answering: {}",
            String::from_utf8_lossy(&buf)
        );
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// Whether the server closes `stream` within `within`.
async fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    let mut byte = [0u8; 64];
    matches!(
        tokio::time::timeout(within, stream.read(&mut byte)).await,
        Ok(Ok(0) | Err(_))
    )
}

#[tokio::test]
async fn pushes_over_one_kept_alive_connection_are_stored_and_acknowledged() {
    let mut server = start(ServeConfig::default()).await;
    let mut stream = TcpStream::connect(server.addr).await.expect("connect");
    for i in 0..3 {
        let body = json!([common::voice_report(&format!("c^{i}"), "o", "200000", i)]).to_string();
        stream
            .write_all(request("/receipts/VoiceReport", &body).as_bytes())
            .await
            .unwrap();
        let (status, answer) = read_answer(&mut stream).await;
        assert_eq!(
            (status, answer.as_str()),
            (200, popgen_receipts::receiver::ACCEPTED)
        );
    }
    stream
        .write_all(request("/receipts/Nope", "[]").as_bytes())
        .await
        .unwrap();
    let (status, answer) = read_answer(&mut stream).await;
    assert_eq!(status, 404, "{answer}");
    assert_eq!(server.store.count().await.unwrap(), 3);
    let _ = server.stop.take().map(|s| s.send(()));
    tokio::time::timeout(Duration::from_secs(15), &mut server.task)
        .await
        .expect("stops")
        .unwrap();
}

#[tokio::test]
async fn a_declared_100_mb_body_is_refused_before_it_is_sent() {
    let server = start(ServeConfig::default()).await;
    let mut stream = TcpStream::connect(server.addr).await.expect("connect");
    let head = format!(
        "POST /receipts/VoiceReport HTTP/1.1\r\nHost: r\r\nContent-Length: {}\r\n\r\n[",
        100u64 << 20
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let (status, answer) = read_answer(&mut stream).await;
    assert_eq!(status, 413, "{answer}");
    assert!(answer.contains("\"code\":413"), "{answer}");
    assert_eq!(server.store.count().await.unwrap(), 0);
}

#[tokio::test]
async fn connections_over_the_cap_are_answered_503_and_idle_ones_closed() {
    let config = ServeConfig {
        max_connections: 1,
        header_timeout: Duration::from_millis(500),
        idle_timeout: Duration::from_millis(300),
    };
    let server = start(config).await;
    let mut first = TcpStream::connect(server.addr).await.expect("connect");
    first
        .write_all(request("/receipts/VoiceReport", "[]").as_bytes())
        .await
        .unwrap();
    assert_eq!(read_answer(&mut first).await.0, 200);
    // The first connection holds the only slot, idle: the second is refused.
    let mut second = TcpStream::connect(server.addr).await.expect("connect");
    second
        .write_all(request("/receipts/VoiceReport", "[]").as_bytes())
        .await
        .unwrap();
    let (status, answer) = read_answer(&mut second).await;
    assert_eq!(status, 503, "{answer}");
    assert!(closed_within(&mut second, Duration::from_secs(2)).await);
    // The idle one is closed by the idle timeout, and the slot is free again.
    assert!(
        closed_within(&mut first, Duration::from_secs(5)).await,
        "idle connection kept"
    );
    let mut third = TcpStream::connect(server.addr).await.expect("connect");
    third
        .write_all(request("/receipts/VoiceReport", "[]").as_bytes())
        .await
        .unwrap();
    assert_eq!(read_answer(&mut third).await.0, 200);
}

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_closed() {
    let config = ServeConfig {
        header_timeout: Duration::from_millis(300),
        ..ServeConfig::default()
    };
    let server = start(config).await;
    let mut silent = TcpStream::connect(server.addr).await.expect("connect");
    assert!(
        closed_within(&mut silent, Duration::from_secs(5)).await,
        "silent connection kept"
    );
    let mut slow = TcpStream::connect(server.addr).await.expect("connect");
    slow.write_all(b"POST /receipts/VoiceReport HTTP/1.1\r\nHost: r\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let mut rest = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), slow.read_to_end(&mut rest)).await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "slow headers kept"
    );
}
