//! The reqwest transport against tiny servers on 127.0.0.1 written here: a closed port (not
//! sent), a server that reads the request and never answers (read timeout: outcome unknown for an
//! action with side effects, sent once), one that hangs up, one that answers a canned response,
//! and a large request that goes as a signed form body. Every server handles a bounded number of
//! connections and stops by itself.
#![cfg(feature = "http")]

use std::net::SocketAddr;
use std::time::Duration;

use crate::common::*;
use popgen_runtime::client::{
    Client, Config, Error, HttpRequest, SignatureVersion, Transport, TransportErrorKind,
};
use popgen_runtime::encode::parse_query;
use popgen_runtime::http::{HttpConfig, HttpTransport};
use popgen_runtime::sign::{v1, v3};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use tokio::time::timeout;

type Reply = serde_json::Value;

/// What a test server does with each request it reads.
#[derive(Clone, Copy)]
enum Behaviour {
    /// Answers with this status and JSON body.
    Answer(u16, &'static str),
    /// Never answers; holds the connection until the client drops it (at most 5 s).
    Silent,
    /// Closes the connection without answering.
    HangUp,
    /// Writes a plain-text HTTP answer at once, before reading anything: to a TLS client, a
    /// failed handshake.
    NotTls,
}

/// A request as the server read it.
#[derive(Debug)]
struct Received {
    request_line: String,
    headers: Vec<(String, String)>,
    body: String,
}

/// Serves up to `max` connections on 127.0.0.1, one at a time, and returns what it read. Stops
/// when `max` is reached or when no connection comes for `idle` (10 s for the first).
async fn serve(
    behaviour: Behaviour,
    max: usize,
    idle: Duration,
) -> (SocketAddr, JoinHandle<Vec<Received>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let handle = tokio::spawn(async move {
        let mut received = Vec::new();
        for n in 0..max {
            let wait = if n == 0 {
                Duration::from_secs(10)
            } else {
                idle
            };
            let Ok(Ok((mut stream, _))) = timeout(wait, listener.accept()).await else {
                break;
            };
            if let Behaviour::NotTls = behaviour {
                let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n").await;
                continue;
            }
            let Some(request) = read_request(&mut stream).await else {
                continue;
            };
            received.push(request);
            match behaviour {
                Behaviour::Answer(status, body) => {
                    let response = format!(
                        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n\
                         content-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = stream.write_all(response.as_bytes()).await;
                }
                Behaviour::Silent => {
                    let mut sink = [0u8; 1024];
                    let _ = timeout(Duration::from_secs(5), stream.read(&mut sink)).await;
                }
                Behaviour::HangUp | Behaviour::NotTls => {}
            }
        }
        received
    });
    (addr, handle)
}

/// Reads one HTTP/1.1 request (head and `content-length` body, at most 1 MiB); `None` on EOF.
async fn read_request(stream: &mut TcpStream) -> Option<Received> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        let n = timeout(Duration::from_secs(5), stream.read(&mut chunk))
            .await
            .ok()?
            .ok()?;
        if n == 0 || buf.len() > 1 << 20 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8(buf[..head_end].to_vec()).ok()?;
    let mut lines = head.split("\r\n");
    let request_line = lines.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .map_or(0, |(_, v)| v.parse().unwrap_or(0));
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length.min(1 << 20) {
        let n = timeout(Duration::from_secs(5), stream.read(&mut chunk))
            .await
            .ok()?
            .ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Received {
        request_line,
        headers,
        body: String::from_utf8(body).ok()?,
    })
}

fn transport(read_timeout: Duration) -> HttpTransport {
    HttpTransport::new(&HttpConfig {
        connect_timeout: Duration::from_secs(2),
        read_timeout,
        proxy_from_env: false,
    })
    .expect("client builds")
}

fn http_client(addr: SocketAddr, read_timeout: Duration) -> Client<HttpTransport> {
    client(
        transport(read_timeout),
        Config::new(format!("http://{addr}"), "2017-05-25"),
    )
}

fn header<'a>(received: &'a Received, name: &str) -> Option<&'a str> {
    received
        .headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Verifies the V3 signature of what the server received, as a server would.
fn verify_v3(received: &Received) {
    let target = received.request_line.split(' ').nth(1).unwrap();
    let query = parse_query(target.split_once('?').map_or("", |(_, q)| q)).unwrap();
    let query: Vec<(&str, &str)> = query
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let headers: Vec<(&str, &str)> = received
        .headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let request = v3::Request {
        method: "POST",
        path: "/",
        query: &query,
        headers: &headers,
        body: received.body.as_bytes(),
    };
    assert_eq!(v3::verify(&request, SECRET), Ok(()));
}

#[tokio::test]
async fn a_refused_connection_is_not_sent_and_says_nothing_of_the_request() {
    let addr = {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        listener.local_addr().unwrap()
    };
    let request = HttpRequest {
        method: "POST",
        url: format!("http://{addr}/?CalledNumber={PHONE}&SecurityToken=tok"),
        headers: Vec::new(),
        body: String::new(),
    };
    let err = transport(Duration::from_secs(2))
        .send(request)
        .await
        .unwrap_err();
    assert_eq!(err.kind, TransportErrorKind::Connect, "{err}");
    assert!(err.not_sent());
    assert!(
        !err.message.contains(PHONE) && !err.message.contains("tok"),
        "{err}"
    );

    // A call with side effects may retry it: it was never sent.
    let err = http_client(addr, Duration::from_secs(2))
        .call::<_, Reply>(&CALL, &tts())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transport(e) if e.not_sent()),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_failed_tls_handshake_is_not_sent() {
    let (addr, server) = serve(Behaviour::NotTls, 1, Duration::ZERO).await;
    let request = HttpRequest {
        method: "POST",
        url: format!("https://{addr}/"),
        headers: Vec::new(),
        body: String::new(),
    };
    let err = transport(Duration::from_secs(2))
        .send(request)
        .await
        .unwrap_err();
    assert_eq!(err.kind, TransportErrorKind::Connect, "{err}");
    assert!(server.await.unwrap().is_empty());
}

#[tokio::test]
async fn no_answer_within_the_read_timeout_is_an_unknown_outcome_sent_once() {
    let (addr, server) = serve(Behaviour::Silent, 3, Duration::from_millis(500)).await;
    let err = http_client(addr, Duration::from_millis(300))
        .call::<_, Reply>(&CALL, &tts())
        .await
        .unwrap_err();
    match &err {
        Error::OutcomeUnknown(o) => {
            assert_eq!(
                (
                    o.idempotency_key
                        .as_ref()
                        .map(|k| (k.param, k.value.as_str())),
                    o.attempts,
                    o.cause.kind
                ),
                (Some(("OutId", "order-42")), 1, TransportErrorKind::Timeout)
            );
        }
        other => panic!("expected OutcomeUnknown, got {other:?}"),
    }
    let received = server.await.unwrap();
    assert_eq!(received.len(), 1, "sent exactly once");
    assert!(received[0].request_line.starts_with("POST /?"));
    assert!(received[0].request_line.contains("OutId=order-42"));

    // The same silence for a read-only action: retried, then a transport error.
    let (addr, server) = serve(Behaviour::Silent, 3, Duration::from_millis(500)).await;
    let mut config = Config::new(format!("http://{addr}"), "2017-05-25");
    config.retry.max_attempts = 2;
    let err = client(transport(Duration::from_millis(300)), config)
        .call::<_, Reply>(&QUERY, &tts())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transport(e) if e.kind == TransportErrorKind::Timeout),
        "{err:?}"
    );
    assert_eq!(server.await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_server_that_hangs_up_leaves_the_outcome_unknown() {
    let (addr, server) = serve(Behaviour::HangUp, 3, Duration::from_millis(500)).await;
    let err = http_client(addr, Duration::from_secs(2))
        .call::<_, Reply>(&CALL, &tts())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::OutcomeUnknown(o) if !o.cause.not_sent()),
        "{err:?}"
    );
    assert_eq!(server.await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_canned_answer_is_decoded_and_the_request_verifies() {
    let (addr, server) = serve(Behaviour::Answer(200, OK_BODY), 1, Duration::ZERO).await;
    let reply: Reply = http_client(addr, Duration::from_secs(2))
        .call(&CALL, &tts())
        .await
        .expect("decoded");
    assert_eq!(reply["CallId"], "C1");
    let received = server.await.unwrap();
    assert_eq!(received.len(), 1);
    assert!(received[0].body.is_empty());
    assert_eq!(
        header(&received[0], "host"),
        Some(addr.to_string().as_str())
    );
    verify_v3(&received[0]);

    let business = r#"{"RequestId":"R9","Code":"isv.BUSINESS_LIMIT_CONTROL","Message":"x"}"#;
    let (addr, _server) = serve(Behaviour::Answer(400, business), 1, Duration::ZERO).await;
    let err = http_client(addr, Duration::from_secs(2))
        .call::<_, Reply>(&CALL, &tts())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Api(e) if e.request_id == "R9"),
        "{err:?}"
    );

    let (addr, _server) = serve(Behaviour::Answer(200, "<html>"), 1, Duration::ZERO).await;
    let err = http_client(addr, Duration::from_secs(2))
        .call::<_, Reply>(&QUERY, &tts())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { status: 200, .. }), "{err:?}");
}

#[tokio::test]
async fn a_truncated_success_answer_to_a_call_says_the_call_was_probably_placed() {
    // The server's answer breaks off mid-body (its content-length is honest: nothing at the
    // HTTP level is wrong, only the JSON is cut).
    let cut = &OK_BODY[..OK_BODY.len() / 2];
    let (addr, server) = serve(Behaviour::Answer(200, cut), 3, Duration::from_millis(300)).await;
    let err = http_client(addr, Duration::from_secs(2))
        .call::<_, Reply>(&CALL, &tts())
        .await
        .unwrap_err();
    let Error::OutcomeUnknown(unknown) = &err else {
        panic!("expected OutcomeUnknown, got {err:?}");
    };
    assert!(unknown.probably_took_effect());
    assert_eq!(unknown.cause.kind, TransportErrorKind::MalformedAnswer);
    assert_eq!(
        (
            unknown.idempotency_key.as_ref().map(|k| k.value.as_str()),
            unknown.attempts
        ),
        (Some("order-42"), 1)
    );
    let message = err.to_string();
    for part in [
        "SingleCallByTts: the service answered with success, so the request probably took effect",
        "a call placed",
        "HTTP 200",
        "not sent again",
        "(OutId order-42)",
    ] {
        assert!(message.contains(part), "{part:?} not in {message}");
    }
    assert_eq!(server.await.unwrap().len(), 1, "sent exactly once");

    // A read-only action with the same answer: a decode error, as before.
    let (addr, _server) = serve(Behaviour::Answer(200, cut), 1, Duration::ZERO).await;
    let err = http_client(addr, Duration::from_secs(2))
        .call::<_, Reply>(&QUERY, &tts())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { status: 200, .. }), "{err:?}");
}

#[tokio::test]
async fn a_large_request_goes_as_a_signed_form_body() {
    let big = Tts {
        tts_param: Some(format!(r#"{{"text":"{}"}}"#, "长文本 ".repeat(1500))),
        ..tts()
    };
    for scheme in [SignatureVersion::V3, SignatureVersion::V1] {
        let (addr, server) = serve(Behaviour::Answer(200, OK_BODY), 1, Duration::ZERO).await;
        let mut config = Config::new(format!("http://{addr}"), "2017-05-25");
        config.signature = scheme;
        let reply: Reply = client(transport(Duration::from_secs(2)), config)
            .call(&CALL, &big)
            .await
            .expect("decoded");
        assert_eq!(reply["Code"], "OK");
        let received = server.await.unwrap();
        let r = &received[0];
        assert_eq!(
            header(r, "content-type"),
            Some("application/x-www-form-urlencoded")
        );
        let form = parse_query(&r.body).unwrap();
        assert!(form.contains(&("TtsParam".into(), big.tts_param.clone().unwrap())));
        match scheme {
            SignatureVersion::V3 => {
                assert_eq!(r.request_line, "POST /?Format=JSON HTTP/1.1");
                verify_v3(r);
            }
            SignatureVersion::V1 => {
                assert_eq!(r.request_line, "POST / HTTP/1.1");
                assert_eq!(v1::verify("POST", &form, SECRET), Ok(()));
            }
        }
    }
}
