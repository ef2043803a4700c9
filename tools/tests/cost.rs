//! `dyvms cost` over the real generated registry (`dyvmsapi`, whose price book is the spec's
//! `pricing.yaml`), in-process. Every expected amount is worked out by hand from the price list
//! (`spec/sources/pricing/000_7f1582553b3ecd5c.txt`); the arithmetic is in the comments.

use std::path::PathBuf;

use dyvmsapi::registry::API;
use popgen_runtime::registry::Api;
use popgen_tools::cli::{Output, run};
use serde_json::Value;

fn dyvms<S: AsRef<str>>(args: &[S]) -> Output {
    dyvms_on(&API, args)
}

fn dyvms_on<S: AsRef<str>>(api: &'static Api, args: &[S]) -> Output {
    let mut argv = vec!["dyvms".to_owned()];
    argv.extend(args.iter().map(|s| s.as_ref().to_owned()));
    run(api, &argv)
}

fn ok(out: &Output) -> &str {
    assert_eq!(
        out.code, 0,
        "stderr: {}\nstdout: {}",
        out.stderr, out.stdout
    );
    &out.stdout
}

fn json(out: &Output) -> Value {
    serde_json::from_str(ok(out)).expect("the output is JSON")
}

/// A file holding `text` under a fresh directory of the target dir.
fn file(name: &str, text: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "cost-{}-{}",
        std::process::id(),
        name.replace('.', "-")
    ));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write the file");
    path
}

#[test]
fn the_issues_campaign_of_300000_notifications() {
    // 300,000 calls × 0.7 = 210,000 answered; 40 s is one started minute: 210,000 minutes.
    // Post-paid (公共模式 0.11元/分钟): 210,000 × 0.11 = 23,100.00.
    // Packages (语音通知套餐包（公共模式）): 2 × 100,000 at 8,000 + 2 × 5,000 at 425
    // = 16,000 + 850 = 16,850, which covers the 210,000 minutes exactly: 6,250.00 saved.
    let args = [
        "cost",
        "estimate",
        "--business",
        "voice-notification",
        "--mode",
        "public",
        "--calls",
        "300000",
        "--answer-rate",
        "0.7",
        "--avg-seconds",
        "40",
    ];
    let out = dyvms(&args);
    let text = ok(&out);
    for needle in [
        "300,000 calls × 0.7 answer rate: answered = 210,000",
        "each answered call talks 40 s = 1 minute",
        "Post-paid only: 23100.00 CNY",
        "210,000 minutes at 0.11 per minute",
        "Cheapest: prepaid packages and post-paid, 16850 CNY (saves 6250.00 against post-paid only)",
        "2 × 100,000-minute package at 8000 = 16000, valid 12 months",
        "2 × 5,000-minute package at 425 = 850, valid 12 months",
        "as of 2026-12-04",
    ] {
        assert!(text.contains(needle), "{needle:?} not in:\n{text}");
    }
    let mut with_json = args.to_vec();
    with_json.extend(["--format", "json"]);
    let j = json(&dyvms(&with_json));
    let e = &j["estimate"];
    assert_eq!(e["billed"], 210_000);
    assert_eq!(e["answered"], 210_000);
    assert_eq!(e["unit"], "minute");
    // Amounts are exact decimal strings, never floats.
    assert_eq!(e["post_paid_only"]["total"], "23100.00");
    assert_eq!(e["cheapest"]["total"], "16850");
    assert_eq!(e["saving"], "6250.00");
    let packages: Vec<(String, u64)> = e["cheapest"]["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|p| {
            (
                p["size"].as_str().expect("a size").to_owned(),
                p["count"].as_u64().expect("a count"),
            )
        })
        .collect();
    assert_eq!(packages, [("100000".to_owned(), 2), ("5000".to_owned(), 2)]);
    assert_eq!(j["request"]["answer_rate"], "0.7");
    assert_eq!(j["request"]["avg_seconds"], "40");
    assert_eq!(j["price_list"]["currency"], "CNY");
    assert_eq!(j["price_list"]["date"], "2026-12-04");
    // The same campaign, answer rate as a percentage.
    let mut percent = args.to_vec();
    percent[9] = "70%";
    assert!(ok(&dyvms(&percent)).contains("Post-paid only: 23100.00 CNY"));
}

#[test]
fn ivr_minutes_are_all_billed_at_the_tier_the_month_reaches() {
    // 语音IVR, 当月全部话费以最新阶梯扣费: 60,000 minutes reach 5万＜分钟数≤10万, so all of
    // them cost 0.108: 60,000 × 0.108 = 6,480.000 (graduated would be 6,580).
    let j = json(&dyvms(&[
        "cost",
        "estimate",
        "--business",
        "voice-ivr",
        "--calls",
        "60000",
        "--avg-seconds",
        "60",
        "--format",
        "json",
    ]));
    let e = &j["estimate"];
    assert_eq!(e["mode"], "dedicated", "the business's only mode");
    assert_eq!(e["billed"], 60_000);
    assert_eq!(e["post_paid_only"]["total"], "6480.000");
    assert_eq!(e["post_paid_only"]["tier"]["index"], 1);
    assert_eq!(e["post_paid_only"]["tier"]["price"], "0.108");
    // No package exists for IVR: the cheapest is post-paid.
    assert_eq!(e["cheapest"]["total"], "6480.000");
}

#[test]
fn a_500_minute_package_beats_500_post_paid_public_minutes() {
    // 500 × 0.11 = 55.00 post-paid; the 500-minute package costs 45.
    let out = dyvms(&[
        "cost",
        "estimate",
        "--business",
        "voice-notification",
        "--mode",
        "public",
        "--calls",
        "500",
        "--avg-seconds",
        "60",
    ]);
    let text = ok(&out);
    assert!(text.contains("Post-paid only: 55.00 CNY"), "{text}");
    assert!(text.contains("1 × 500-minute package at 45 = 45"), "{text}");
    assert!(text.contains("45 CNY (saves 10.00"), "{text}");
}

#[test]
fn the_month_volume_counts_toward_the_tier() {
    // Dedicated-number notifications (graduated) with 45,000 minutes already billed this month:
    // 10,000 more minutes are 5,000 × 0.110 + 5,000 × 0.108 = 550 + 540 = 1,090.000.
    // Two 5,000-minute dedicated packages (475 each) cost 950 and cover them all.
    let j = json(&dyvms(&[
        "cost",
        "estimate",
        "--business",
        "voice-notification",
        "--mode",
        "dedicated",
        "--calls",
        "10000",
        "--avg-seconds",
        "30",
        "--month-volume",
        "45000",
        "--format",
        "json",
    ]));
    let e = &j["estimate"];
    assert_eq!(e["post_paid_only"]["total"], "1090.000");
    assert_eq!(e["cheapest"]["total"], "950");
    assert_eq!(j["request"]["month_volume"], "45000");
}

#[test]
fn unanswered_verification_calls_are_free_and_need_no_talk_time() {
    // 1,000 calls, 80% answered: 800 connected calls × 0.06 = 48.00. Cheapest: the 500-call
    // package (25) and 300 × 0.06 = 18.00 post-paid = 43.00.
    let j = json(&dyvms(&[
        "cost",
        "estimate",
        "--business",
        "voice-verification",
        "--mode",
        "public",
        "--calls",
        "1000",
        "--answer-rate",
        "80%",
        "--format",
        "json",
    ]));
    let e = &j["estimate"];
    assert_eq!(
        (e["answered"].as_u64(), e["billed"].as_u64()),
        (Some(800), Some(800))
    );
    assert_eq!(e["unit"], "call");
    assert_eq!(e["post_paid_only"]["total"], "48.00");
    assert_eq!(e["cheapest"]["total"], "43.00");
}

#[test]
fn double_calls_bill_both_legs_plus_add_ons_and_rental() {
    // 1,000 double calls of 61 s: 2 started minutes × 2 legs = 4,000 minutes × 0.110 = 440.000;
    // recording bills the call once: 2,000 × 0.05 = 100.00; one number's rental 35.
    // Total 575.000.
    let text = ok(&dyvms(&[
        "cost",
        "estimate",
        "--business",
        "double-call",
        "--calls",
        "1000",
        "--avg-seconds",
        "61",
        "--add-on",
        "recording",
        "--numbers",
        "1",
    ]))
    .to_owned();
    for needle in [
        "= 2 minutes × 2 legs",
        "440.000  4,000 minutes",
        "100.00  Recording: 2,000 minutes",
        "35  Number rental (ordinary number): 1 number × 35",
        "Post-paid only: 575.000 CNY",
    ] {
        assert!(text.contains(needle), "{needle:?} not in:\n{text}");
    }
}

#[test]
fn unknown_businesses_and_modes_list_the_valid_ones() {
    let out = dyvms(&[
        "cost",
        "estimate",
        "--business",
        "voice-notif",
        "--calls",
        "1",
    ]);
    assert_eq!(out.code, 2);
    assert!(out.stdout.is_empty());
    for needle in [
        "no business `voice-notif`",
        "did you mean `voice-notification`?",
        "voice-ivr",
        "--mode public|dedicated",
        "international-voice-verification",
    ] {
        assert!(
            out.stderr.contains(needle),
            "{needle:?} not in {}",
            out.stderr
        );
    }
    let out = dyvms(&[
        "cost",
        "estimate",
        "--business",
        "voice-notification",
        "--mode",
        "shared",
        "--calls",
        "1",
        "--avg-seconds",
        "1",
    ]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("business `voice-notification` has no mode `shared`; its modes (--mode): public, dedicated"),
        "{}",
        out.stderr
    );
    let out = dyvms(&[
        "cost",
        "estimate",
        "--business",
        "voice-notification",
        "--calls",
        "1",
    ]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("give one with --mode (public, dedicated)")
    );
    let out = dyvms(&[
        "cost",
        "estimate",
        "--business",
        "voice-ivr",
        "--calls",
        "1",
    ]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--avg-seconds"), "{}", out.stderr);
    let out = dyvms(&[
        "cost",
        "estimate",
        "--business",
        "international-voice-notification",
        "--calls",
        "1",
        "--avg-seconds",
        "1",
    ]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("priced per destination: give one of HK, SG"),
        "{}",
        out.stderr
    );
    for bad in ["1.5", "-0.1", "abc", "150%"] {
        let out = dyvms(&[
            "cost",
            "estimate",
            "--business",
            "voice-ivr",
            "--calls",
            "1",
            "--avg-seconds",
            "1",
            &format!("--answer-rate={bad}"),
        ]);
        assert_eq!(out.code, 2, "--answer-rate {bad}");
        assert!(out.stderr.contains("--answer-rate"), "{}", out.stderr);
    }
}

#[test]
fn international_calls_are_priced_by_destination() {
    // 1,000 answered 55 s calls to Hong Kong: 1,000 minutes × 0.272 = 272.000.
    let j = json(&dyvms(&[
        "cost",
        "estimate",
        "--business",
        "international-voice-notification",
        "--destination",
        "HK",
        "--calls",
        "1000",
        "--avg-seconds",
        "55",
        "--format",
        "json",
    ]));
    assert_eq!(j["estimate"]["post_paid_only"]["total"], "272.000");
}

#[test]
fn businesses_are_listed_with_their_billed_actions() {
    let text = ok(&dyvms(&["cost", "businesses"])).to_owned();
    assert!(text.contains("IvrCall → voice-ivr"), "{text}");
    assert!(text.contains(
        "SingleCallByTts → voice-verification (with a voice verification code template)"
    ));
    let j = json(&dyvms(&["cost", "businesses", "--format", "json"]));
    assert_eq!(j["businesses"][0]["id"], "voice-notification");
    assert_eq!(j["businesses"][0]["receipt"]["seconds"][0], "duration");
}

#[test]
fn an_api_without_prices_says_so() {
    static NO_PRICES: Api = Api {
        product: "Dysmsapi",
        version: "2017-05-25",
        endpoint: "dysmsapi.aliyuncs.com",
        actions: &[],
        receipts: &[],
        pricing: None,
    };
    let out = dyvms_on(
        &NO_PRICES,
        &["cost", "estimate", "--business", "sms", "--calls", "1"],
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("the Dysmsapi spec has no price list"),
        "{}",
        out.stderr
    );
}

/// A push of six VoiceReport records (a plain call of 61 s, an unanswered one, 40 s sent as a
/// number, a double call, an empty duration, no talk time at all) and an element that is no
/// record.
const PUSH: &str = r#"[
  {"call_id": "c1", "duration": "61", "status_code": "200000", "callee": "1590****000"},
  {"call_id": "c2", "duration": "0", "status_code": "200005"},
  {"call_id": "c3", "duration": 40},
  {"call_id": "c4", "a_duration": "23", "b_duration": 8, "duration": "23"},
  {"call_id": "c5", "duration": ""},
  {"call_id": "c6", "status_code": "200000"},
  "not a record"
]"#;

/// Pushes one per line, with the console's test push between them.
const LINES: &str = "[{\"call_id\":\"d1\",\"duration\":\"120\"}]\n{\"json\":\"test-content\"}\n\n[{\"call_id\":\"d2\",\"duration\":\"121\"}]\n";

#[test]
fn receipts_are_billed_per_business_with_its_rounding() {
    let push = file("push.json", PUSH);
    let lines = file("pushes.jsonl", LINES);
    let (push, lines) = (push.to_str().unwrap(), lines.to_str().unwrap());
    // Public-mode notifications: 61 s → 2 minutes, 0 s → 0 (unanswered, free), 40 s → 1,
    // 120 s → 2, 121 s → 3: 8 minutes × 0.11 = 0.88.
    // The double call (a_duration and b_duration, the most specific match): 23 s → 1 minute and
    // 8 s → 1 minute on the two legs, 2 minutes × 0.110 = 0.220.
    // Total 0.88 + 0.220 = 1.100.
    let args = [
        "cost",
        "receipts",
        push,
        lines,
        "--business",
        "voice-notification",
        "--business",
        "double-call",
        "--mode",
        "public",
    ];
    let text = ok(&dyvms(&args)).to_owned();
    for needle in [
        "Read 9 VoiceReport records from 2 files (1 console test push without records).",
        "Voice notification (voice-notification), public mode: 5 records → 8 minutes; post-paid cost 0.88 CNY",
        "5 records: 4 answered, 1 not",
        "342 s of talk time",
        "Double call (double-call), dedicated mode: 1 record → 2 minutes; post-paid cost 0.220 CNY",
        "Total post-paid: 1.100 CNY for 6 priced records",
        "Not priced (3):",
        "push.json #4 call_id c5: `duration` is empty, not a number of seconds",
        "push.json #5 call_id c6: carries no talk time the price list reads (duration; or a_duration and b_duration)",
        "push.json #6 does not decode as a VoiceReport record",
    ] {
        assert!(text.contains(needle), "{needle:?} not in:\n{text}");
    }
    let mut with_json = args.to_vec();
    with_json.extend(["--format", "json"]);
    let j = json(&dyvms(&with_json));
    assert_eq!(j["total_post_paid"], "1.100");
    assert_eq!(j["businesses"][0]["business"], "voice-notification");
    assert_eq!(j["businesses"][0]["billed"], 8);
    assert_eq!(j["businesses"][0]["cost"], "0.88");
    assert_eq!(j["businesses"][1]["business"], "double-call");
    assert_eq!(j["businesses"][1]["billed"], 2);
    assert_eq!(j["files"][1]["pushes"], 3);
    assert_eq!(j["files"][1]["test_pushes"], 1);
    let unpriced: Vec<(Value, Value)> = j["unpriced"]
        .as_array()
        .expect("unpriced")
        .iter()
        .map(|u| (u["call_id"].clone(), u["index"].clone()))
        .collect();
    assert_eq!(
        unpriced,
        [
            (Value::from("c5"), Value::from(4)),
            (Value::from("c6"), Value::from(5)),
            (Value::Null, Value::from(6)),
        ]
    );
}

#[test]
fn receipts_that_could_bill_under_several_businesses_are_listed_not_dropped() {
    // Without --business a plain VoiceReport could be a notification, a verification code, an
    // IVR call...: only the double call is priced, every other record is listed with the reason.
    let push = file("ambiguous.json", PUSH);
    let j = json(&dyvms(&[
        "cost",
        "receipts",
        push.to_str().unwrap(),
        "--format",
        "json",
    ]));
    assert_eq!(j["businesses"].as_array().map(Vec::len), Some(1));
    assert_eq!(j["businesses"][0]["business"], "double-call");
    assert_eq!(j["total_post_paid"], "0.220");
    let unpriced = j["unpriced"].as_array().expect("unpriced");
    assert_eq!(unpriced.len(), 6, "{unpriced:?}");
    let c1 = &unpriced[0];
    assert_eq!(c1["call_id"], "c1");
    let reason = c1["reason"].as_str().expect("a reason");
    assert!(
        reason.starts_with("could bill under voice-notification, voice-verification, voice-ivr")
            && reason.ends_with("give the business with --business"),
        "{reason}"
    );
}

#[test]
fn unanswered_verification_receipts_cost_nothing() {
    // Verification codes bill per connected call: c1, c3 and c4 (which carries `duration` too)
    // connected, c2 (0 s) did not: 3 × 0.06 = 0.18.
    let push = file("verification.json", PUSH);
    let j = json(&dyvms(&[
        "cost",
        "receipts",
        push.to_str().unwrap(),
        "--business",
        "voice-verification",
        "--mode",
        "public",
        "--format",
        "json",
    ]));
    let b = &j["businesses"][0];
    assert_eq!(
        (b["records"].as_u64(), b["billed"].as_u64()),
        (Some(4), Some(3))
    );
    assert_eq!(b["cost"], "0.18");
}

#[test]
fn other_call_records_are_priced_under_the_business_given() {
    // VoiceRecordReport carries `duration` too (a number here): 10 s and 70 s of public-mode
    // notifications are 1 + 2 = 3 minutes × 0.11 = 0.33. No business of the price list reads
    // VoiceRecordReport on its own, so without --business nothing can be guessed.
    let push = file(
        "records.json",
        r#"[{"call_id":"r1","duration":10},{"call_id":"r2","duration":"70"}]"#,
    );
    let path = push.to_str().unwrap();
    let j = json(&dyvms(&[
        "cost",
        "receipts",
        path,
        "--message",
        "VoiceRecordReport",
        "--business",
        "voice-notification",
        "--mode",
        "public",
        "--format",
        "json",
    ]));
    assert_eq!(j["message"], "VoiceRecordReport");
    assert_eq!(j["businesses"][0]["billed"], 3);
    assert_eq!(j["total_post_paid"], "0.33");
    let out = dyvms(&["cost", "receipts", path, "--message", "VoiceRecordReport"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("no business of the price list reads its talk time from VoiceRecordReport"),
        "{}",
        out.stderr
    );
}

#[test]
fn receipt_errors_are_clear() {
    let out = dyvms(&["cost", "receipts", "/nonexistent/receipts.json"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("cannot read /nonexistent/receipts.json")
    );
    let junk = file("junk.json", "this is not json\nnor this\n");
    let out = dyvms(&["cost", "receipts", junk.to_str().unwrap()]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("is not a VoiceReport push"),
        "{}",
        out.stderr
    );
    let push = file("message.json", PUSH);
    let out = dyvms(&[
        "cost",
        "receipts",
        push.to_str().unwrap(),
        "--message",
        "SmsReport",
    ]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("no receipt message `SmsReport`; its messages (--message): VoiceCallReport"),
        "{}",
        out.stderr
    );
    let out = dyvms(&[
        "cost",
        "receipts",
        push.to_str().unwrap(),
        "--business",
        "voice-ivr",
        "--add-on",
        "recording",
    ]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("no business priced here has an add-on `recording`")
    );
}
