//! The docs site in a real browser: headless Chromium (driven through chromedriver's WebDriver
//! HTTP API) loads the index from a tiny file server on 127.0.0.1, types `IvrCall` into the
//! search, follows the result with the keyboard, checks the `MenuKeyMap.N.Key` row and the
//! `PlayTimes` range, switches to Chinese (and checks the choice survives a reload), and saves a
//! screenshot to `target/browser-test/ivr_call.png`. A second trial opens the Pricing page: its
//! offline estimator shows the issue's campaign priced as `dyvms cost estimate` prices it, and
//! its script gives the runtime estimator's figures for 21 campaigns of every business and mode.
//!
//! Needs `chromium` and `chromedriver` (Debian: `apt-get install chromium chromium-driver`).
//! Without them the test fails when `CI=true`; otherwise it is reported `ignored`, with the reason
//! in its name (a custom harness, so the skip shows in the normal `cargo test` output).

use std::io::{BufRead, BufReader, Read as _, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

fn target() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let root = root.canonicalize().unwrap_or(root);
    root.join("target/browser-test")
}

fn find(env: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(env) {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

/// Serves `root` on 127.0.0.1 for at most `max` requests (the test needs a handful).
fn serve(root: PathBuf, max: usize) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(max).flatten() {
            let _ = answer(&root, stream);
        }
    });
    port
}

fn answer(root: &Path, mut stream: TcpStream) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut line = String::new();
    BufReader::new(&stream).read_line(&mut line)?;
    let path = line.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let rel = path.trim_start_matches('/');
    let rel = if rel.is_empty() { "index.html" } else { rel };
    let file = root.join(rel);
    let (status, body, kind) = match (rel.contains(".."), std::fs::read(&file)) {
        (false, Ok(body)) => {
            let kind = match file.extension().and_then(|e| e.to_str()) {
                Some("html") => "text/html; charset=utf-8",
                Some("css") => "text/css; charset=utf-8",
                Some("js") => "text/javascript; charset=utf-8",
                _ => "application/octet-stream",
            };
            ("200 OK", body, kind)
        }
        _ => ("404 Not Found", b"not found".to_vec(), "text/plain"),
    };
    write!(
        stream,
        "HTTP/1.0 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(&body)
}

/// One WebDriver command over plain HTTP/1.1 (chromedriver answers with a Content-Length body
/// and closes the connection when asked to).
fn wd(port: u16, method: &str, path: &str, body: Option<Value>) -> Value {
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect to chromedriver");
    s.set_read_timeout(Some(Duration::from_secs(60))).ok();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .expect("send");
    // Read exactly Content-Length bytes: chromedriver may keep the connection open.
    let mut reader = BufReader::new(s);
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).expect("read a header");
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            length = v.trim().parse().expect("a numeric Content-Length");
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).expect("read the body");
    let json = String::from_utf8_lossy(&body);
    let v: Value = serde_json::from_str(&json).unwrap_or(Value::Null);
    if let Some(err) = v["value"].get("error") {
        panic!(
            "WebDriver {method} {path}: {err}: {}",
            v["value"]["message"]
        );
    }
    v["value"].clone()
}

struct Driver {
    child: Child,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

fn wait_for<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

struct Session {
    port: u16,
    id: String,
}

impl Session {
    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        wd(
            self.port,
            method,
            &format!("/session/{}{path}", self.id),
            body,
        )
    }
    fn js(&self, script: &str) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
    }
    fn element(&self, css: &str) -> String {
        let v = self.cmd(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        v.as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .expect("element reference")
            .to_owned()
    }
    fn displayed(&self, el: &str) -> bool {
        self.cmd("GET", &format!("/element/{el}/displayed"), None) == json!(true)
    }
    fn text(&self, el: &str) -> String {
        self.cmd("GET", &format!("/element/{el}/text"), None)
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
    fn keys(&self, el: &str, text: &str) {
        self.cmd(
            "POST",
            &format!("/element/{el}/value"),
            Some(json!({"text": text})),
        );
    }
    fn screenshot(&self, path: &Path) -> Vec<u8> {
        let b64 = self.cmd("GET", "/screenshot", None);
        let png = base64(b64.as_str().expect("base64 PNG"));
        std::fs::write(path, &png).expect("write screenshot");
        png
    }
}

fn base64(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let (mut out, mut acc, mut bits) = (Vec::new(), 0u32, 0);
    for v in s.bytes().filter_map(val) {
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

fn png_size(png: &[u8]) -> (u32, u32) {
    assert!(png.len() > 1000, "screenshot is tiny ({} bytes)", png.len());
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    assert_eq!(&png[12..16], b"IHDR");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&png[16..20]), be(&png[20..24]))
}

fn main() -> std::process::ExitCode {
    let args = libtest_mimic::Arguments::from_args();
    let tools = find(
        "CHROMIUM",
        &["chromium", "chromium-browser", "google-chrome"],
    )
    .zip(find("CHROMEDRIVER", &["chromedriver"]));
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    let skip = tools.is_none() && !ci;
    type Check = fn(&Session, u16, &Path);
    let checks: [(&str, Check); 2] = [
        (
            "search_follow_and_switch_language_in_chromium",
            search_follow_and_switch_language,
        ),
        (
            "pricing_estimator_agrees_with_the_runtime_in_chromium",
            pricing_estimator,
        ),
    ];
    let trials = checks
        .into_iter()
        .map(|(name, check)| {
            let name = if skip {
                format!(
                    "{name} (SKIPPED: needs chromium and chromedriver; Debian: apt-get install \
                     chromium chromium-driver)"
                )
            } else {
                name.to_owned()
            };
            let tools = tools.clone();
            let dir = name.split(' ').next().unwrap_or("site").to_owned();
            libtest_mimic::Trial::test(name, move || match tools {
                Some((chromium, driver)) => {
                    in_browser(&chromium, &driver, &dir, check);
                    Ok(())
                }
                // On CI a missing browser is a failure, not a skip.
                None => Err(
                    "chromium and chromedriver are needed for the docs browser test \
                     (Debian: apt-get install chromium chromium-driver)"
                        .into(),
                ),
            })
            .with_ignored_flag(skip)
        })
        .collect();
    libtest_mimic::run(&args, trials).exit_code()
}

/// Writes the site fresh from the spec into its own directory, serves it from 127.0.0.1,
/// starts chromedriver and a headless session, and runs `check` with the session, the site's
/// port and the output directory.
fn in_browser(chromium: &Path, driver: &Path, name: &str, check: fn(&Session, u16, &Path)) {
    // The site, written fresh from the spec, served from 127.0.0.1.
    let out = target();
    let site_dir = out.join(format!("site-{name}"));
    let _ = std::fs::remove_dir_all(&site_dir);
    let spec = popgen_spec::load::load_bundled().expect("loads").spec;
    for (rel, content) in popgen::site::render(&spec, &popgen::site::Options::default()) {
        if let Some(rel) = rel.strip_prefix("html/") {
            let path = site_dir.join(rel);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, content).expect("write site");
        }
    }
    let site = serve(site_dir, 200);

    let wd_port = free_port();
    let _driver = Driver {
        child: Command::new(driver)
            .arg(format!("--port={wd_port}"))
            .arg(format!(
                "--log-path={}",
                out.join(format!("chromedriver-{name}.log")).display()
            ))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver"),
    };
    wait_for("chromedriver", || {
        TcpStream::connect(("127.0.0.1", wd_port))
            .ok()
            .map(|_| wd(wd_port, "GET", "/status", None))
            .filter(|v| v["ready"] == json!(true))
    });
    let profile = out.join(format!("profile-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&profile);
    let caps = json!({"capabilities": {"alwaysMatch": {"goog:chromeOptions": {
        "binary": chromium,
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1280,900", format!("--user-data-dir={}", profile.display())]
    }}}});
    let created = wd(wd_port, "POST", "/session", Some(caps));
    let s = Session {
        port: wd_port,
        id: created["sessionId"]
            .as_str()
            .expect("session id")
            .to_owned(),
    };

    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&s, site, &out)));
    let _ = wd(wd_port, "DELETE", &format!("/session/{}", s.id), None);
    let _ = std::fs::remove_dir_all(&profile);
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

fn search_follow_and_switch_language(s: &Session, site: u16, out: &Path) {
    {
        s.cmd(
            "POST",
            "/url",
            Some(json!({"url": format!("http://127.0.0.1:{site}/index.html")})),
        );
        s.screenshot(&out.join("index.png"));
        let search = s.element("#search");
        s.keys(&search, "IvrCall");
        let first = wait_for("search results", || {
            let n =
                s.js("return document.querySelectorAll('#search-results li[role=option]').length");
            (n.as_u64() > Some(0)).then(|| s.element("#search-results li[role=option] a"))
        });
        assert!(
            s.text(&first).starts_with("IvrCall"),
            "first result: {}",
            s.text(&first)
        );
        // Keyboard only: arrow down to the first result, Enter to follow it.
        s.keys(&search, "\u{E015}\u{E007}");
        wait_for("the IvrCall page", || {
            s.cmd("GET", "/url", None)
                .as_str()
                .filter(|u| u.ends_with("/actions/IvrCall.html"))
                .map(str::to_owned)
        });
        let row = s.element(r#"tr[id="p-MenuKeyMap.N.Key"]"#);
        assert!(s.displayed(&row), "the MenuKeyMap.N.Key row is not visible");
        assert!(s.text(&row).contains("MenuKeyMap.N.Key"));
        let play = s.element(r#"tr[id="p-PlayTimes"]"#);
        assert!(s.displayed(&play));
        assert!(
            s.text(&play).contains("1–3"),
            "PlayTimes row: {}",
            s.text(&play)
        );

        let (en, zh) = (".summary .en", ".summary .zh");
        assert!(s.displayed(&s.element(en)) && !s.displayed(&s.element(zh)));
        s.cmd(
            "POST",
            &format!("/element/{}/click", s.element("#lang-toggle")),
            Some(json!({})),
        );
        assert!(s.displayed(&s.element(zh)) && !s.displayed(&s.element(en)));
        assert_eq!(s.text(&s.element(zh)), "向指定号码发起交互式语音通话。");
        s.cmd("POST", "/refresh", Some(json!({})));
        assert!(
            s.displayed(&s.element(zh)),
            "the language choice is not remembered"
        );

        let viewport = s.js(
            "return [window.innerWidth * devicePixelRatio, window.innerHeight * devicePixelRatio]",
        );
        let png = s.screenshot(&out.join("ivr_call.png"));
        let size = png_size(&png);
        assert_eq!(
            (u64::from(size.0), u64::from(size.1)),
            (
                viewport[0].as_f64().unwrap_or(0.0) as u64,
                viewport[1].as_f64().unwrap_or(0.0) as u64
            ),
            "the screenshot is not the viewport's size"
        );
        assert_eq!(size.0, 1280);

        // A phone-sized view, for people to look at.
        s.cmd(
            "POST",
            "/window/rect",
            Some(json!({"width": 390, "height": 844})),
        );
        s.screenshot(&out.join("ivr_call_phone.png"));
    }
}

/// What the page's estimator shows in the element `id`, once it shows `want`.
fn shown(s: &Session, id: &str, want: &str) -> String {
    let mut last = String::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        last = s
            .js(&format!(
                "var e = document.getElementById('{id}'); return e ? e.textContent : ''"
            ))
            .as_str()
            .unwrap_or_default()
            .to_owned();
        if last.contains(want) {
            return last;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("#{id} shows {last:?}, not {want:?}");
}

/// Sets a form field and tells the page, as typing or choosing would.
fn set(s: &Session, id: &str, value: &str) {
    s.js(&format!(
        "var e = document.getElementById('{id}'); e.value = {value:?}; \
         e.dispatchEvent(new Event('change', {{bubbles: true}})); \
         e.dispatchEvent(new Event('input', {{bubbles: true}}));"
    ));
}

fn pricing_estimator(s: &Session, site: u16, out: &Path) {
    use popgen_runtime::pricing::{self, Decimal, Request, Usage};

    s.cmd(
        "POST",
        "/url",
        Some(json!({"url": format!("http://127.0.0.1:{site}/pricing.html")})),
    );
    // The page opens on the issue's campaign: 300,000 calls × 0.7 = 210,000 answered, 40 s =
    // one started minute each; 210,000 × 0.11 = 23,100.00 post-paid; two 100,000-minute and two
    // 5,000-minute packages, 16,850.
    assert_eq!(shown(s, "est-billed", "210,000"), "210,000 minutes");
    assert_eq!(shown(s, "est-post-paid", "23,100"), "23,100.00 CNY");
    let cheapest = shown(s, "est-cheapest", "16,850");
    assert!(cheapest.starts_with("16,850.00 CNY with prepaid packages, saving 6,250.00"));
    assert!(
        shown(s, "estimate", "2 × 100,000-minute package").contains("2 × 5,000-minute package")
    );
    s.js("document.getElementById('estimate').scrollIntoView()");
    s.screenshot(&out.join("pricing.png"));
    // IVR: 60,000 minutes all at the tier reached, 60,000 × 0.108 = 6,480.00.
    set(s, "est-business", "voice-ivr");
    set(s, "est-calls", "60000");
    set(s, "est-rate", "1");
    set(s, "est-seconds", "60");
    assert_eq!(shown(s, "est-post-paid", "6,480"), "6,480.00 CNY");
    // International calls ask for a destination: Hong Kong, 1,000 minutes × 0.272 = 272.00.
    set(s, "est-business", "international-voice-notification");
    set(s, "est-calls", "1000");
    set(s, "est-seconds", "55");
    set(s, "est-destination", "HK");
    assert_eq!(shown(s, "est-post-paid", "272"), "272.00 CNY");
    set(s, "est-rate", "1.5");
    assert!(shown(s, "estimate", "answer rate").contains("between 0 and 1"));

    // The page's script against the runtime on a grid of campaigns, every business and mode.
    let spec = popgen_spec::load::load_bundled().expect("loads").spec;
    let book = popgen_spec::pricing::book::build(&spec).expect("prices");
    let mut inputs = Vec::new();
    for b in book.businesses.iter() {
        for m in b.modes.iter().filter(|m| m.post_paid.is_some()) {
            let destination = m
                .post_paid
                .as_ref()
                .and_then(|pp| pp.destinations.first())
                .map(|d| d.code.to_string());
            let optional: Vec<String> = b
                .add_ons
                .iter()
                .filter(|a| a.optional)
                .map(|a| a.id.to_string())
                .collect();
            // Volumes at the edges (none, one call, a part minute) and across tiers, each with a
            // few answer rates, talk times and volumes already billed; one large campaign (the
            // runtime's exact search is slow in a debug build).
            let combos = [
                ("1", "40", "0"),
                ("0.7", "61", "45000"),
                ("0.333", "125.5", "49990"),
                ("0.7", "1", "120000"),
            ];
            let campaigns = [0u64, 1, 59, 500, 12_345]
                .into_iter()
                .flat_map(|calls| combos.map(|c| (calls, c)))
                .chain([(300_000, ("0.7", "40", "0"))]);
            for (i, (calls, (rate, seconds, month))) in campaigns.enumerate() {
                inputs.push(json!({
                    "business": b.id, "mode": m.id, "destination": destination,
                    "calls": calls, "rate": rate, "seconds": seconds,
                    "monthVolume": month, "numbers": i % 3,
                    "addOns": if i % 2 == 0 { optional.clone() } else { Vec::new() },
                }));
            }
        }
    }
    let got = s.cmd(
        "POST",
        "/execute/sync",
        Some(json!({
            "script": "var book = JSON.parse(document.getElementById('price-book').textContent); \
                       return arguments[0].map(function (i) { \
                         var e = window.POPGEN_PRICING.estimate(book, i); \
                         return e.error ? {error: e.error} : {billed: e.billed, free: e.free, \
                           answered: e.answered, post_paid: e.postPaidOnly.total, \
                           cheapest: e.cheapest.total, tier: e.postPaidOnly.tier, \
                           packages: e.cheapest.packages.map(function (p) { return [p.size, p.count]; })}; \
                       });",
            "args": [inputs],
        })),
    );
    let got = got.as_array().expect("one result per input");
    assert_eq!(got.len(), inputs.len());
    let micro = |d: Decimal| {
        (d * Decimal::from(1_000_000))
            .round()
            .to_string()
            .parse::<i64>()
            .expect("micro-units")
    };
    let mut differ = Vec::new();
    for (input, js) in inputs.iter().zip(got) {
        let text = |k: &str| input[k].as_str().unwrap_or_default().to_owned();
        let request = Request {
            destination: input["destination"].as_str().map(str::to_owned),
            add_ons: input["addOns"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
            period_volume: text("monthVolume").parse().expect("a decimal"),
            numbers: input["numbers"].as_u64().unwrap_or(0) as u32,
            ..Request::new(&text("business"), &text("mode"))
        };
        let usage = Usage::Campaign {
            calls: input["calls"].as_u64().unwrap_or(0),
            answer_rate: text("rate").parse().expect("a decimal"),
            avg_seconds: text("seconds").parse().expect("a decimal"),
        };
        let e = pricing::estimate(&book, &request, &usage).expect("the runtime prices it");
        let want = json!({
            "billed": e.billed, "free": e.free, "answered": e.answered,
            "post_paid": micro(e.post_paid_only.total), "cheapest": micro(e.cheapest.total),
            "tier": e.post_paid_only.tier.map(|t| t.index),
            "packages": e.cheapest.packages.iter().map(|p| json!([micro(p.size), p.count])).collect::<Vec<_>>(),
        });
        if *js != want {
            differ.push(format!("{input}\n  page:    {js}\n  runtime: {want}"));
        }
    }
    assert!(
        differ.is_empty(),
        "{} of {} campaigns differ:\n{}",
        differ.len(),
        inputs.len(),
        differ
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
