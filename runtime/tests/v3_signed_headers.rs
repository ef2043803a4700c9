//! V3 requests that leave a header unsigned are refused, whatever their signature.
//!
//! Alibaba's V3 documentation requires `host`, every `x-acs-*` header and (with a body)
//! `content-type` in `SignedHeaders`. A verifier that checked only the headers a request chose to
//! list would accept a captured request with its unsigned `x-acs-action` relabelled, its unsigned
//! nonce refreshed (a replay) or its unsigned date moved (a late replay). Here a seeded generator
//! builds 1,000 requests of each kind, each signed correctly over what its `SignedHeaders` lists,
//! tampers with the header left out, and checks that every one is refused as
//! `IncompleteSignature` — and that the same request with every header signed verifies.

use popgen_runtime::sign::verify::{self, Received, SignatureError};
use popgen_runtime::sign::{self, v3};

const SECRET: &str = "verifier-secret";
const KEY_ID: &str = "verifier-key";
const PER_KIND: usize = 1_000;

/// splitmix64: deterministic, dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    fn coin(&mut self) -> bool {
        self.next() & 1 == 1
    }
    fn text(&mut self, max: usize) -> String {
        const CHARS: &[char] = &[
            'a', 'Z', '0', ' ', '*', '~', '%', '+', '/', '=', '&', '中', '😀',
        ];
        (0..=self.below(max))
            .map(|_| CHARS[self.below(CHARS.len())])
            .collect()
    }
}

const ACTIONS: &[&str] = &[
    "QueryCallDetailByCallId",
    "SingleCallByTts",
    "IvrCall",
    "ListCallTask",
    "GetToken",
];

/// What the attacker changes in the header left unsigned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `x-acs-action` unsigned, relabelled to another action.
    Action,
    /// `x-acs-signature-nonce` unsigned, replaced by a fresh one (a replay).
    Nonce,
    /// `x-acs-date` unsigned, moved 32 minutes later (a late replay).
    Date,
    /// `SignedHeaders=host` alone, every `x-acs-*` header then rewritten.
    HostOnly,
    /// `x-acs-version` unsigned, changed.
    Version,
    /// `x-acs-security-token` unsigned, swapped for another token.
    SecurityToken,
    /// `x-acs-content-sha256` unsigned, body and hash both replaced.
    ContentSha256,
    /// `content-type` unsigned with a form body, changed so the body is no longer a form.
    ContentType,
    /// `host` unsigned (every other header signed), changed.
    Host,
}

const KINDS: &[Kind] = &[
    Kind::Action,
    Kind::Nonce,
    Kind::Date,
    Kind::HostOnly,
    Kind::Version,
    Kind::SecurityToken,
    Kind::ContentSha256,
    Kind::ContentType,
    Kind::Host,
];

/// A request as a client would send it: every header, which of them it signs, the query, the
/// body.
struct Built {
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: String,
}

fn build(rng: &mut Rng, kind: Kind) -> Built {
    let action = rng.pick(ACTIONS);
    let form = kind == Kind::ContentType || kind == Kind::ContentSha256 || rng.coin();
    let params: Vec<(String, String)> = (0..1 + rng.below(4))
        .map(|i| (format!("P{i}"), rng.text(12)))
        .collect();
    let body = if form {
        v3::form_body(&params)
    } else {
        String::new()
    };
    let query = if form { Vec::new() } else { params };
    let date = sign::format_timestamp(1_700_000_000 + rng.next() % 100_000_000);
    let nonce = format!("{:016x}{:016x}", rng.next(), rng.next());
    let token = (kind == Kind::SecurityToken || rng.coin()).then(|| format!("CAIS{}", rng.next()));
    let headers = v3::official_headers(&v3::HeaderInputs {
        host: rng.pick(&["dyvmsapi.aliyuncs.com", "127.0.0.1:8080"]),
        action,
        version: rng.pick(&["2017-05-25", "2022-03-31"]),
        date: &date,
        nonce: &nonce,
        access_key_id: KEY_ID,
        security_token: token.as_deref(),
        user_agent: "popgen-tests",
        body: body.as_bytes(),
        form_body: form,
    });
    let mut headers: Vec<(String, String)> = headers
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
    // Official SDKs differ in letter case; the verifier must not care.
    if rng.coin() {
        for (k, _) in &mut headers {
            *k = k.to_ascii_uppercase();
        }
    }
    Built {
        query,
        headers,
        body,
    }
}

/// The header (lower case) a kind leaves unsigned; `None` for [`Kind::HostOnly`].
fn left_out(kind: Kind) -> Option<&'static str> {
    Some(match kind {
        Kind::Action => "x-acs-action",
        Kind::Nonce => "x-acs-signature-nonce",
        Kind::Date => "x-acs-date",
        Kind::Version => "x-acs-version",
        Kind::SecurityToken => "x-acs-security-token",
        Kind::ContentSha256 => "x-acs-content-sha256",
        Kind::ContentType => "content-type",
        Kind::Host => "host",
        Kind::HostOnly => return None,
    })
}

/// Signs `built` over the headers `signed` keeps, then adds `Authorization`.
fn signed_over(built: &Built, signed: impl Fn(&str) -> bool) -> Vec<(String, String)> {
    let query: Vec<(&str, &str)> = built
        .query
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let to_sign: Vec<(&str, &str)> = built
        .headers
        .iter()
        .filter(|(k, _)| signed(&k.to_ascii_lowercase()))
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let request = v3::Request {
        method: "POST",
        path: "/",
        query: &query,
        headers: &to_sign,
        body: built.body.as_bytes(),
    };
    let authorization = v3::sign(&request, KEY_ID, SECRET).authorization;
    let mut headers = built.headers.clone();
    headers.push(("Authorization".into(), authorization));
    headers.push(("content-length".into(), built.body.len().to_string()));
    headers
}

/// The attacker's change to `headers` (and maybe the body) for `kind`.
fn tamper(rng: &mut Rng, kind: Kind, headers: &mut [(String, String)], body: &mut String) {
    let set = |headers: &mut [(String, String)], name: &str, value: String| {
        for (k, v) in headers.iter_mut() {
            if k.eq_ignore_ascii_case(name) {
                *v = value.clone();
            }
        }
    };
    let get = |headers: &[(String, String)], name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    match kind {
        Kind::Action => {
            let from = get(headers, "x-acs-action");
            let to = ACTIONS.iter().find(|a| **a != from).copied().unwrap_or("X");
            set(headers, "x-acs-action", to.into());
        }
        Kind::Nonce => set(
            headers,
            "x-acs-signature-nonce",
            format!("{:032x}", rng.next()),
        ),
        Kind::Date => {
            let at = popgen_runtime::calendar::parse_utc(&get(headers, "x-acs-date"))
                .expect("a valid date");
            set(headers, "x-acs-date", sign::format_timestamp(at + 32 * 60));
        }
        Kind::HostOnly => {
            set(headers, "x-acs-action", "SingleCallByTts".into());
            set(
                headers,
                "x-acs-date",
                sign::format_timestamp(rng.next() % 2_000_000_000),
            );
            set(
                headers,
                "x-acs-signature-nonce",
                format!("{:032x}", rng.next()),
            );
        }
        Kind::Version => set(headers, "x-acs-version", "2099-01-01".into()),
        Kind::SecurityToken => set(
            headers,
            "x-acs-security-token",
            format!("CAISother{}", rng.next()),
        ),
        Kind::ContentSha256 => {
            *body = format!("P0={}", rng.next());
            set(
                headers,
                "x-acs-content-sha256",
                v3::hashed_payload(body.as_bytes()),
            );
        }
        Kind::ContentType => set(headers, "content-type", "text/plain".into()),
        Kind::Host => set(headers, "host", "evil.example".into()),
    }
}

fn check(built: &Built, headers: &[(String, String)], body: &str) -> Result<(), SignatureError> {
    let query: Vec<(&str, &str)> = built
        .query
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let headers: Vec<(&str, &str)> = headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let received = Received {
        method: "POST",
        path: "/",
        query: &query,
        form: &[],
        headers: &headers,
        body: body.as_bytes(),
    };
    let claims = verify::claims(&received).expect("the claims read");
    verify::verify(&received, &claims, SECRET)
}

#[test]
fn every_request_with_a_required_header_unsigned_is_refused_whatever_the_tampering() {
    let mut rng = Rng(0x5EED_0012);
    for &kind in KINDS {
        let mut refused = 0;
        for i in 0..PER_KIND {
            let built = build(&mut rng, kind);
            // The control: the same request with every header signed verifies.
            let all = signed_over(&built, |_| true);
            assert_eq!(check(&built, &all, &built.body), Ok(()), "{kind:?} #{i}");
            // Signed over all but the header the kind leaves out (or over `host` alone)...
            let mut headers = match left_out(kind) {
                Some(out) => signed_over(&built, |name| name != out),
                None => signed_over(&built, |name| name == "host"),
            };
            // ...which is refused untouched, and tampered.
            let untouched = check(&built, &headers, &built.body);
            let mut body = built.body.clone();
            tamper(&mut rng, kind, &mut headers, &mut body);
            let tampered = check(&built, &headers, &body);
            for result in [untouched, tampered] {
                match result {
                    Err(e @ SignatureError::Incomplete(_)) => {
                        assert_eq!(e.code(), "IncompleteSignature");
                        let message = e.to_string();
                        if let Some(out) = left_out(kind) {
                            assert!(message.contains(&format!("`{out}`")), "{message}");
                        }
                        assert!(message.contains("must be signed"), "{message}");
                    }
                    other => panic!("{kind:?} #{i}: not refused as incomplete: {other:?}"),
                }
            }
            refused += 1;
        }
        assert_eq!(refused, PER_KIND, "{kind:?}");
    }
}

#[test]
fn headers_outside_the_rule_may_stay_unsigned() {
    // `accept` and `user-agent` are not required (the official SDK signs them; others need not),
    // and `content-type` without a body decodes nothing.
    let mut rng = Rng(7);
    let (mut with_body, mut without) = (0, 0);
    for _ in 0..50 {
        let built = build(&mut rng, Kind::Nonce);
        let mut headers = signed_over(&built, |name| name != "accept" && name != "user-agent");
        assert_eq!(check(&built, &headers, &built.body), Ok(()));
        if built.body.is_empty() {
            headers.push(("content-type".into(), "text/plain".into()));
            assert_eq!(check(&built, &headers, &built.body), Ok(()));
            without += 1;
        } else {
            with_body += 1;
        }
    }
    assert!(with_body > 0 && without > 0);
}
