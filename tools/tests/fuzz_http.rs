//! A seeded fuzz suite for the mock's HTTP front (issue 12, "keep it from coming back"): garbage
//! bytes, valid requests mutated byte by byte, and well-framed requests with random methods,
//! targets, headers and bodies, sent over raw TCP on 127.0.0.1. Every input is replayed from a
//! fixed seed, so a failure names the case that reproduces it (`case 17 of the mutated group`).
//!
//! What must hold for every input: no panic anywhere in the process (the mock runs in this test's
//! runtime; a panic hook counts them), an answer that is a well-formed HTTP status line below 500
//! or a closed connection, within the mock's timeouts; afterwards a normal signed request is still
//! served and the journal stays within its byte bound.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::common::*;
use popgen_tools::mock::{MockConfig, MockHandle, MockServer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// How many inputs each group replays.
const CASES: usize = 300;
/// The first seed; case `i` of a group uses `SEED + i` (and the group's own offset).
const SEED: u64 = 0x5eed_0012;

/// A small deterministic generator (SplitMix64): the corpus is the same on every machine.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Up to `max - 1` random bytes.
    fn bytes(&mut self, max: usize) -> Vec<u8> {
        let len = self.below(max);
        (0..len).map(|_| self.next() as u8).collect()
    }

    fn pick<'a, T>(&mut self, from: &'a [T]) -> &'a T {
        &from[self.below(from.len())]
    }

    /// Up to `max - 1` pieces of text from an alphabet that stresses the parsers: separators,
    /// escapes, non-ASCII.
    fn text(&mut self, max: usize) -> String {
        let len = self.below(max);
        const PIECES: &[&str] = &[
            "a",
            "Z",
            "0",
            "9",
            "=",
            "&",
            "%",
            "%2",
            "%ZZ",
            "%00",
            "%C3%A9",
            "+",
            ".",
            "N",
            ".1.",
            " ",
            "\t",
            "é",
            "电",
            "\u{1F600}",
            "\"",
            "'",
            "<",
            ">",
            "\\",
            "/",
            "?",
            "#",
            ";",
            ",",
            "Action",
            "Format",
            "Signature",
            "JSON",
            "CalledNumber",
            "-1",
            "1e9",
            "\u{0}",
        ];
        (0..len).map(|_| *self.pick(PIECES)).collect()
    }
}

/// Makes one input of a group from its case's generator.
type MakeInput = fn(&mut Rng) -> Vec<u8>;

static PANICS: AtomicUsize = AtomicUsize::new(0);

fn count_panics() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        PANICS.fetch_add(1, Ordering::SeqCst);
        previous(info);
    }));
}

async fn start() -> MockHandle {
    let mut config = MockConfig::new(KEY_ID, SECRET);
    config.header_timeout = Duration::from_millis(300);
    config.idle_timeout = Duration::from_millis(300);
    config.body_timeout = Duration::from_millis(300);
    config.journal_bytes = 256 * 1024;
    config.request_log = popgen_tools::mock::RequestLog::Off;
    MockServer::start(&API, config).await.expect("mock starts")
}

/// A valid request as the bytes a client writes.
fn raw(wire: &Wire) -> Vec<u8> {
    let mut out = format!(
        "{} {} HTTP/1.1\r\nhost: 127.0.0.1\r\n",
        wire.method, wire.target
    );
    for (k, v) in &wire.headers {
        if !k.eq_ignore_ascii_case("host") {
            out.push_str(&format!("{k}: {v}\r\n"));
        }
    }
    out.push_str(&format!("content-length: {}\r\n\r\n", wire.body.len()));
    out.push_str(&wire.body);
    out.into_bytes()
}

/// Writes `input`, closes the write half and reads what comes back (at most 1 MiB, 5 s).
async fn exchange(addr: SocketAddr, input: &[u8]) -> Vec<u8> {
    let mut stream = TcpStream::connect(addr).await.expect("connect to the mock");
    // The server may answer and close before reading everything: a failed write is fine.
    let _ = stream.write_all(input).await;
    let _ = stream.shutdown().await;
    let mut received = Vec::new();
    let mut buf = [0u8; 8192];
    let read = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    received.extend_from_slice(&buf[..n]);
                    if received.len() > 1 << 20 {
                        break;
                    }
                }
            }
        }
    })
    .await;
    assert!(
        read.is_ok(),
        "the mock neither answered nor closed within 5 s"
    );
    received
}

/// Every answer on the connection is a status line below 500 (hyper's own 400s included); the
/// first answer's status, if any, and whether an answer came from the gateway (an Alibaba-style
/// body with a `RequestId`).
fn check_answer(group: &str, case: usize, input: &[u8], answer: &[u8]) -> (Option<u16>, bool) {
    let text = String::from_utf8_lossy(answer);
    let mut at = 0;
    let mut statuses = 0;
    let mut first = None;
    while let Some(found) = text[at..].find("HTTP/1.1 ") {
        let start = at + found + "HTTP/1.1 ".len();
        let code: Option<u16> = text.get(start..start + 3).and_then(|c| c.parse().ok());
        let Some(code) = code else {
            break;
        };
        assert!(
            (100..500).contains(&code),
            "{group} case {case}: status {code} for input {:?}\nanswer: {text}",
            String::from_utf8_lossy(input)
        );
        statuses += 1;
        first = first.or(Some(code));
        at = start;
    }
    assert!(
        answer.is_empty() || statuses > 0,
        "{group} case {case}: an answer without a status line: {text}"
    );
    (first, text.contains("RequestId"))
}

/// A valid signed request, different per case (action, params, format, placement).
fn valid(rng: &mut Rng) -> Wire {
    match rng.below(3) {
        0 => V1::new("ListItems", vec![]).wire(),
        1 => {
            let number = format!("1380013{:04}", rng.below(10_000));
            V1::new("SingleCallByTts", tts_params(&number)).wire()
        }
        _ => v3_wire("QueryCallDetailByCallId", &[], SECRET, rng.below(2) == 0),
    }
}

/// One of the mutations a fuzzer applies to bytes.
fn mutate(rng: &mut Rng, mut bytes: Vec<u8>) -> Vec<u8> {
    let edits = 1 + rng.below(8);
    for _ in 0..edits {
        if bytes.is_empty() {
            bytes.push(rng.next() as u8);
            continue;
        }
        let at = rng.below(bytes.len());
        match rng.below(6) {
            0 => bytes[at] = rng.next() as u8,
            1 => bytes[at] ^= 1 << rng.below(8),
            2 => {
                bytes.remove(at);
            }
            3 => {
                let insert = rng.bytes(17);
                bytes.splice(at..at, insert);
            }
            4 => bytes.truncate(at),
            _ => {
                // Duplicate a slice: repeated headers, doubled params.
                let end = (at + 1 + rng.below(64)).min(bytes.len());
                let copy = bytes[at..end].to_vec();
                bytes.splice(end..end, copy);
            }
        }
    }
    bytes
}

/// A well-framed request with random parts.
fn framed(rng: &mut Rng) -> Vec<u8> {
    const METHODS: &[&str] = &[
        "GET", "POST", "PUT", "DELETE", "OPTIONS", "HEAD", "PATCH", "BREW",
    ];
    const TARGETS: &[&str] = &[
        "/",
        "/?",
        "/_mock/journal",
        "/_mock/faults",
        "/_mock/clock",
        "/_mock/reset",
        "/x/../..",
        "*",
    ];
    const HEADERS: &[&str] = &[
        "content-type",
        "accept",
        "x-acs-action",
        "x-acs-version",
        "x-acs-date",
        "x-acs-signature-nonce",
        "x-acs-content-sha256",
        "authorization",
        "transfer-encoding",
        "expect",
        "connection",
    ];
    let method = rng.pick(METHODS);
    let query = rng.text(40);
    let target = format!("{}{}", rng.pick(TARGETS), query.replace([' ', '\t'], "+"));
    let mut out = format!("{method} {target} HTTP/1.1\r\nhost: 127.0.0.1\r\n");
    for _ in 0..rng.below(6) {
        let name = rng.pick(HEADERS);
        let value: String = rng.text(24).chars().filter(|c| !c.is_control()).collect();
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    let body = match rng.below(4) {
        0 => Vec::new(),
        1 => rng.text(200).into_bytes(),
        2 => rng.bytes(512),
        _ => format!("[{{\"json\":\"{}\"}}]", rng.text(9)).into_bytes(),
    };
    // Sometimes a length that lies.
    let length = match rng.below(4) {
        0 => body.len() + rng.below(10),
        1 => body.len().saturating_sub(rng.below(10)),
        _ => body.len(),
    };
    out.push_str(&format!("content-length: {length}\r\n\r\n"));
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(&body);
    bytes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_and_mutated_http_never_panics_hangs_or_answers_5xx() {
    count_panics();
    let mock = start().await;
    let addr = mock.addr();

    let groups: [(&str, u64, MakeInput); 3] = [
        ("garbage", 1 << 32, |rng| rng.bytes(4096)),
        ("mutated", 2 << 32, |rng| {
            let wire = valid(rng);
            mutate(rng, raw(&wire))
        }),
        ("framed", 3 << 32, framed),
    ];
    for (group, offset, make) in groups {
        // Status → count, and connections closed without an answer (key 0).
        let mut seen = std::collections::BTreeMap::new();
        let mut gateway = 0;
        for case in 0..CASES {
            let mut rng = Rng::new(SEED + offset + case as u64);
            let input = make(&mut rng);
            let answer = exchange(addr, &input).await;
            let (status, from_gateway) = check_answer(group, case, &input, &answer);
            *seen.entry(status.unwrap_or(0)).or_insert(0usize) += 1;
            gateway += usize::from(from_gateway);
        }
        eprintln!(
            "{group}: first status of each of {CASES} exchanges (0 = closed): {seen:?}; \
             {gateway} answered by the gateway"
        );
        // The corpus reaches past the HTTP parser: some inputs get the gateway's own answers.
        if group != "garbage" {
            assert!(
                gateway > 0,
                "{group}: nothing reached the gateway: {seen:?}"
            );
        }
    }

    // Still serving, and the journal kept its bound through all of it.
    let reply = send(addr, &V1::new("ListItems", vec![]).wire())
        .await
        .expect("the mock still answers");
    assert_eq!(reply.status, 200, "{}", reply.body);
    let stats = mock.journal_stats();
    assert!(
        stats.bytes <= 256 * 1024,
        "journal holds {} bytes, over its bound",
        stats.bytes
    );
    assert_eq!(
        PANICS.load(Ordering::SeqCst),
        0,
        "a panic happened (see above)"
    );
    mock.shutdown().await;
}

/// The generator is deterministic: the same seed gives the same corpus on every run (the property
/// the failure messages rely on).
#[test]
fn the_corpus_is_replayable() {
    let make = |seed| {
        let mut rng = Rng::new(seed);
        (
            framed(&mut rng),
            mutate(&mut rng, b"GET / HTTP/1.1\r\n\r\n".to_vec()),
        )
    };
    assert_eq!(make(SEED), make(SEED));
    assert_ne!(make(SEED), make(SEED + 1));
}
