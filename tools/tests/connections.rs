//! The mock's connections are bounded in time and number (issue 12, item 3): idle and half-sent
//! connections are closed, a slow body is answered `RequestTimeout`, and a server at its
//! connection limit refuses cleanly and serves again once a connection frees. Short timeouts,
//! bounded loops, 127.0.0.1 only.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use crate::common::*;
use popgen_tools::mock::{Fault, FaultKind, MockConfig, MockHandle, MockServer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn config(header_ms: u64, idle_ms: u64) -> MockConfig {
    let mut config = MockConfig::new(KEY_ID, SECRET);
    config.header_timeout = Duration::from_millis(header_ms);
    config.idle_timeout = Duration::from_millis(idle_ms);
    config
}

async fn start(config: MockConfig) -> MockHandle {
    MockServer::start(&API, config).await.expect("mock starts")
}

/// Waits (at most 5 s) for the server to close `stream`; how long that took. Anything the server
/// sent before closing is returned too.
async fn closed_after(stream: &mut TcpStream) -> (Duration, String) {
    let started = Instant::now();
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let read = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buf))
            .await
            .expect("the server closes the connection within 5 s");
        match read {
            Ok(0) | Err(_) => break,
            Ok(n) => received.extend_from_slice(&buf[..n]),
        }
    }
    (
        started.elapsed(),
        String::from_utf8_lossy(&received).into_owned(),
    )
}

fn raw_request(wire: &Wire) -> String {
    let mut text = format!(
        "{} {} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: {}\r\n",
        wire.method,
        wire.target,
        wire.body.len()
    );
    for (k, v) in &wire.headers {
        text.push_str(&format!("{k}: {v}\r\n"));
    }
    text.push_str("\r\n");
    text.push_str(&wire.body);
    text
}

#[tokio::test]
async fn a_connection_that_sends_nothing_is_closed_after_the_header_timeout() {
    let mock = start(config(300, 10_000)).await;
    let mut idle = TcpStream::connect(mock.addr()).await.unwrap();
    let (waited, sent) = closed_after(&mut idle).await;
    assert!(sent.is_empty(), "{sent}");
    assert!(
        waited >= Duration::from_millis(250) && waited < Duration::from_secs(3),
        "{waited:?}"
    );
}

#[tokio::test]
async fn half_sent_headers_are_closed_after_the_header_timeout() {
    let mock = start(config(300, 10_000)).await;
    let mut slow = TcpStream::connect(mock.addr()).await.unwrap();
    // A slowloris: a header line now and then, never the blank line that ends them.
    slow.write_all(b"POST /?Action=ListItems HTTP/1.1\r\nhost: 127.0.0.1\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    for i in 0..3 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let _ = slow
            .write_all(format!("x-slow-{i}: 1\r\n").as_bytes())
            .await;
    }
    let (_, sent) = closed_after(&mut slow).await;
    let waited = started.elapsed();
    assert!(sent.is_empty(), "{sent}");
    assert!(
        waited >= Duration::from_millis(250) && waited < Duration::from_secs(3),
        "{waited:?}"
    );
    // Nothing was journaled: no request arrived.
    assert!(mock.journal().is_empty());
}

#[tokio::test]
async fn a_kept_alive_connection_is_closed_after_the_idle_timeout_not_while_in_use() {
    let mock = start(config(2_000, 400)).await;
    let mut conn = Conn::open(mock.addr()).await.unwrap();
    // Requests every 150 ms keep it open well past the idle timeout.
    let started = Instant::now();
    for _ in 0..6 {
        let reply = conn
            .send(&V1::new("ListItems", vec![]).wire())
            .await
            .unwrap();
        assert_eq!(reply.code(), "OK");
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    assert!(started.elapsed() > Duration::from_millis(800));
    // Then idle: closed after 400 ms, long before the 2 s header timeout.
    let mut raw = TcpStream::connect(mock.addr()).await.unwrap();
    raw.write_all(raw_request(&V1::new("ListItems", vec![]).wire()).as_bytes())
        .await
        .unwrap();
    let (waited, answer) = closed_after(&mut raw).await;
    assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
    assert!(
        waited >= Duration::from_millis(350) && waited < Duration::from_millis(1_800),
        "{waited:?}"
    );
    // The answer was whole, and the kept-alive client sees its connection closed too.
    assert!(answer.contains(r#""Code":"OK""#), "{answer}");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        conn.send(&V1::new("ListItems", vec![]).wire())
            .await
            .is_err()
    );
}

#[tokio::test]
async fn a_request_being_answered_is_never_timed_out() {
    let mock = start(config(200, 200)).await;
    mock.add_fault(Fault::new(FaultKind::Delay { ms: 700 }).times(1));
    let reply = send(mock.addr(), &V1::new("ListItems", vec![]).wire())
        .await
        .expect("answered after the delay");
    assert_eq!(reply.code(), "OK");
}

#[tokio::test]
async fn a_body_that_does_not_arrive_in_time_is_answered_request_timeout() {
    let mut config = config(2_000, 10_000);
    config.body_timeout = Duration::from_millis(300);
    let mock = start(config).await;
    let mut slow = TcpStream::connect(mock.addr()).await.unwrap();
    slow.write_all(
        b"POST /?Action=ListItems&Format=JSON HTTP/1.1\r\nhost: 127.0.0.1\r\n\
          content-type: application/x-www-form-urlencoded\r\ncontent-length: 100\r\n\r\nName=",
    )
    .await
    .unwrap();
    let (waited, answer) = closed_after(&mut slow).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("connection: close"), "{answer}");
    let body = &answer[answer.find("\r\n\r\n").unwrap() + 4..];
    let json: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(json["Code"], "RequestTimeout");
    assert!(json["RequestId"].is_string() && json["Message"].is_string());
    assert!(waited < Duration::from_secs(2), "{waited:?}");
    let entry = &mock.journal()[0];
    assert_eq!(entry.code.as_deref(), Some("RequestTimeout"));
    assert_eq!(entry.action.as_deref(), Some("ListItems"));
}

/// Opens `n` connections that send nothing.
async fn idle_connections(addr: SocketAddr, n: usize) -> Vec<TcpStream> {
    let mut held = Vec::new();
    for _ in 0..n {
        held.push(TcpStream::connect(addr).await.unwrap());
    }
    held
}

#[tokio::test]
async fn at_the_connection_limit_a_request_is_refused_cleanly_then_served_once_one_frees() {
    let mut config = config(1_000, 10_000);
    config.max_connections = 4;
    let mock = start(config).await;
    let held = idle_connections(mock.addr(), 4).await;
    // Let the server accept them all.
    tokio::time::sleep(Duration::from_millis(100)).await;

    let reply = send(mock.addr(), &V1::new("ListItems", vec![]).wire())
        .await
        .expect("a refusal is an answer");
    assert_eq!(
        (reply.status, reply.code()),
        (503, "ServiceUnavailable".into())
    );
    assert!(
        reply.message().contains("limit of 4 connections"),
        "{}",
        reply.message()
    );

    // Closing one frees its slot at once.
    drop(held);
    let mut served = None;
    for _ in 0..50 {
        let reply = send(mock.addr(), &V1::new("ListItems", vec![]).wire())
            .await
            .unwrap();
        if reply.status == 200 {
            served = Some(reply);
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(served.expect("served once a slot freed").code(), "OK");
}

#[tokio::test]
async fn a_flood_of_idle_connections_never_starves_a_normal_request() {
    let mut config = config(500, 10_000);
    config.max_connections = 8;
    let mock = start(config).await;
    // Far more than the limit and the refusals together: the rest are closed at once, and the
    // held ones time out; then a normal request is served.
    let mut flood = idle_connections(mock.addr(), 80).await;
    let started = Instant::now();
    let mut answer = None;
    for _ in 0..100 {
        if let Ok(Ok(reply)) = tokio::time::timeout(
            Duration::from_secs(2),
            send(mock.addr(), &V1::new("ListItems", vec![]).wire()),
        )
        .await
        {
            if reply.status == 200 {
                answer = Some(reply);
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(answer.expect("served").code(), "OK");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    // Every flooding connection has been closed by the server.
    for stream in &mut flood {
        let (_, sent) = closed_after(stream).await;
        assert!(
            sent.is_empty() || sent.starts_with("HTTP/1.1 503"),
            "{sent}"
        );
    }
}
