//! The records a placed call produces, written from the receipts' `call` sections
//! ([`CallReceipt`]): which field carries the call ID, the outcome, the times. Pure: the outcome
//! is drawn from a seeded generator keyed by the call's number, so a seed and an order of calls
//! give the same receipts every run.

use popgen_runtime::call_receipt::{CallReceipt, ReceiptSent, RecordField};
use serde_json::{Map, Value};

use super::OutcomeMix;

/// Milliseconds from accepting the request to sending the call to the carrier.
const ORIGINATE_AFTER_MS: i64 = 1_000;
/// Milliseconds from originating to the phone ringing.
const RING_AFTER_MS: i64 = 2_000;
/// How long a call that never rings takes to fail.
const FAIL_AFTER_MS: i64 = 1_000;

/// What happened to a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Rang for `ring_s` seconds, was answered, talked `talk_s` seconds.
    Answered { ring_s: u32, talk_s: u32 },
    /// Rang for `ring_s` seconds (or was busy), nobody talked.
    Unanswered { ring_s: u32 },
    /// Never rang.
    Failed,
}

/// SplitMix64: a tiny, well-mixed generator step (the one `render.rs` uses for request ids).
fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The outcome of call number `n` under `mix`, and a number to pick its status code with.
pub(crate) fn outcome(mix: &OutcomeMix, n: u64) -> (Outcome, u64) {
    let r1 = mix64(mix.seed ^ mix64(n));
    let r2 = mix64(r1);
    let r3 = mix64(r2);
    let pick = mix64(r3);
    // 53 random bits as a number in [0, 1): a rate of 1 answers every call, 0 none.
    #[allow(clippy::cast_precision_loss)]
    let u = (r1 >> 11) as f64 / (1u64 << 53) as f64;
    let outcome = if u < mix.answer_rate {
        let (lo, hi) = mix.duration_secs;
        let span = u64::from(hi.saturating_sub(lo)) + 1;
        let talk_s = lo + u32::try_from(r3 % span).unwrap_or(0);
        let ring_s = 1 + u32::try_from(r2 % 5).unwrap_or(0);
        Outcome::Answered { ring_s, talk_s }
    } else if r2 & 1 == 0 {
        let ring_s = 5 + u32::try_from(r3 % 26).unwrap_or(0);
        Outcome::Unanswered { ring_s }
    } else {
        Outcome::Failed
    };
    (outcome, pick)
}

/// A call the mock accepted.
#[derive(Debug, Clone)]
pub(crate) struct PlacedCall<'a> {
    /// The ID the response carried.
    pub(crate) call_id: &'a str,
    /// The request's idempotency param (`OutId`), when it had one.
    pub(crate) out_id: Option<&'a str>,
    /// The request's callee param, when the action names one.
    pub(crate) callee: Option<&'a str>,
    /// Server time of acceptance, unix ms.
    pub(crate) placed_ms: i64,
    /// Messages the action lists with a condition the request did not meet
    /// (`VoiceRecordReport` of a SmartCall without `RecordFlag=true`): none are sent.
    pub(crate) withheld: &'a [&'static str],
}

/// One record, due at `due_ms`, as its JSON text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Record {
    /// When the service would send it (server time, unix ms).
    pub(crate) due_ms: i64,
    /// The record, a JSON object.
    pub(crate) json: String,
}

/// When each state of the call happened (server time, unix ms).
#[derive(Debug, Clone, Copy)]
struct Timeline {
    originate: i64,
    ring: Option<i64>,
    start: Option<i64>,
    end: i64,
    talk_s: u32,
}

fn timeline(call: &PlacedCall<'_>, outcome: Outcome) -> Timeline {
    let originate = call.placed_ms.saturating_add(ORIGINATE_AFTER_MS);
    let ring = originate.saturating_add(RING_AFTER_MS);
    let secs = |s: u32| i64::from(s) * 1_000;
    match outcome {
        Outcome::Answered { ring_s, talk_s } => {
            let start = ring.saturating_add(secs(ring_s));
            Timeline {
                originate,
                ring: Some(ring),
                start: Some(start),
                end: start.saturating_add(secs(talk_s)),
                talk_s,
            }
        }
        Outcome::Unanswered { ring_s } => Timeline {
            originate,
            ring: Some(ring),
            start: None,
            end: ring.saturating_add(secs(ring_s)),
            talk_s: 0,
        },
        Outcome::Failed => Timeline {
            originate,
            ring: None,
            start: None,
            end: originate.saturating_add(FAIL_AFTER_MS),
            talk_s: 0,
        },
    }
}

/// Server time `ms` as `yyyy-MM-dd HH:mm:ss` at `offset_minutes` from UTC.
pub(crate) fn local_time(ms: i64, offset_minutes: i16) -> String {
    let secs = ms
        .div_euclid(1_000)
        .saturating_add(i64::from(offset_minutes) * 60);
    let iso = popgen_runtime::sign::format_timestamp(u64::try_from(secs).unwrap_or(0));
    iso.trim_end_matches('Z').replacen('T', " ", 1)
}

/// Where the mock says a call's recording is: a host under `.invalid` (RFC 2606), which never
/// resolves, named after the call like the service's `<call id with _ for ^>.mp3`.
pub(crate) fn recording_url(call_id: &str) -> String {
    format!(
        "https://recordings.mock.invalid/{}.mp3",
        call_id.replace('^', "_")
    )
}

/// The records message `receipt` carries about `call`, whose outcome is `outcome`: none when
/// the message is only about answered calls and this one was not.
pub(crate) fn records(
    receipt: &CallReceipt,
    call: &PlacedCall<'_>,
    outcome: Outcome,
    pick: u64,
) -> Vec<Record> {
    if receipt.only_answered && !matches!(outcome, Outcome::Answered { .. }) {
        return Vec::new();
    }
    let t = timeline(call, outcome);
    match receipt.sent {
        ReceiptSent::EachState => states(receipt, call, outcome, &t),
        ReceiptSent::AtEnd => vec![at_end(receipt, call, outcome, pick, &t)],
    }
}

/// The fields every record of the call has: its ID and what the request echoes.
fn base(receipt: &CallReceipt, call: &PlacedCall<'_>) -> Map<String, Value> {
    let f = &receipt.fields;
    let mut out = Map::new();
    put(&mut out, Some(f.call_id), call.call_id);
    if let Some(out_id) = call.out_id {
        put(&mut out, f.out_id, out_id);
    }
    if let Some(callee) = call.callee {
        put(&mut out, f.callee, callee);
    }
    out
}

fn put(record: &mut Map<String, Value>, field: Option<RecordField>, value: &str) {
    if let Some(f) = field {
        record.insert(f.name.to_owned(), Value::String(value.to_owned()));
    }
}

fn record(due_ms: i64, fields: Map<String, Value>) -> Record {
    Record {
        due_ms,
        json: Value::Object(fields).to_string(),
    }
}

/// A record for each state the call passed that the message has a code for.
fn states(
    receipt: &CallReceipt,
    call: &PlacedCall<'_>,
    outcome: Outcome,
    t: &Timeline,
) -> Vec<Record> {
    let codes = &receipt.codes;
    let answered = matches!(outcome, Outcome::Answered { .. });
    let passed = [
        (Some(t.originate), codes.calling),
        (t.ring, codes.ringing),
        (t.start.filter(|_| answered), codes.answered),
        (Some(t.end), codes.ended),
    ];
    let f = &receipt.fields;
    passed
        .into_iter()
        .filter_map(|(at, codes)| Some((at?, *codes.first()?)))
        .map(|(at, code)| {
            let mut fields = base(receipt, call);
            put(&mut fields, f.status_code, code);
            put(
                &mut fields,
                f.status_time,
                &local_time(at, receipt.utc_offset_minutes),
            );
            record(at, fields)
        })
        .collect()
}

/// The one record at the end: outcome, times, duration.
fn at_end(
    receipt: &CallReceipt,
    call: &PlacedCall<'_>,
    outcome: Outcome,
    pick: u64,
    t: &Timeline,
) -> Record {
    let c = &receipt.codes;
    let codes = match outcome {
        Outcome::Answered { .. } => c.answered,
        Outcome::Unanswered { .. } => c.unanswered,
        Outcome::Failed => c.failed,
    };
    let f = &receipt.fields;
    let time = |ms: Option<i64>| {
        ms.map_or_else(String::new, |ms| local_time(ms, receipt.utc_offset_minutes))
    };
    let mut fields = base(receipt, call);
    if !codes.is_empty() {
        let i = usize::try_from(pick % codes.len() as u64).unwrap_or(0);
        put(&mut fields, f.status_code, codes[i]);
    }
    put(&mut fields, f.originate_time, &time(Some(t.originate)));
    put(&mut fields, f.ring_time, &time(t.ring));
    let start = time(t.start);
    put(&mut fields, f.start_time, &start);
    put(&mut fields, f.end_time, &time(Some(t.end)));
    if t.start.is_some() {
        put(&mut fields, f.recording_url, &recording_url(call.call_id));
        put(&mut fields, f.recording_began, &start);
    }
    if let Some(d) = f.duration {
        let value = if d.text {
            Value::String(t.talk_s.to_string())
        } else {
            Value::from(t.talk_s)
        };
        fields.insert(d.name.to_owned(), value);
    }
    record(t.end, fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mix(answer_rate: f64) -> OutcomeMix {
        OutcomeMix {
            answer_rate,
            duration_secs: (3, 7),
            seed: 42,
        }
    }

    #[test]
    fn rates_zero_and_one_are_exact_and_durations_stay_in_range() {
        for n in 0..2_000 {
            let (o, _) = outcome(&mix(1.0), n);
            let Outcome::Answered { talk_s, .. } = o else {
                panic!("rate 1 left call {n} unanswered: {o:?}")
            };
            assert!((3..=7).contains(&talk_s), "{talk_s}");
            assert!(!matches!(outcome(&mix(0.0), n).0, Outcome::Answered { .. }));
        }
    }

    #[test]
    fn half_answers_about_half_and_the_seed_decides() {
        let answered = (0..10_000)
            .filter(|&n| matches!(outcome(&mix(0.5), n).0, Outcome::Answered { .. }))
            .count();
        assert!((4_500..5_500).contains(&answered), "{answered}");
        let other = OutcomeMix {
            seed: 43,
            ..mix(0.5)
        };
        let same = (0..100).all(|n| outcome(&mix(0.5), n) == outcome(&mix(0.5), n));
        let differs = (0..100).any(|n| outcome(&mix(0.5), n) != outcome(&other, n));
        assert!(same && differs);
    }

    fn field(name: &'static str) -> Option<RecordField> {
        Some(RecordField { name, text: true })
    }

    /// A recording message: at the end, only about answered calls.
    fn recording() -> CallReceipt {
        use popgen_runtime::call_receipt::{CallCodes, CallFields};
        CallReceipt {
            sent: ReceiptSent::AtEnd,
            only_answered: true,
            call_id_from: "CallId",
            utc_offset_minutes: 0,
            fields: CallFields {
                call_id: RecordField {
                    name: "id",
                    text: true,
                },
                out_id: None,
                callee: None,
                status_code: field("code"),
                status_time: None,
                originate_time: None,
                ring_time: None,
                start_time: field("start"),
                end_time: None,
                duration: None,
                recording_url: field("url"),
                recording_began: field("began"),
            },
            codes: CallCodes {
                calling: &[],
                ringing: &[],
                answered: &["A"],
                ended: &[],
                unanswered: &[],
                failed: &[],
            },
        }
    }

    #[test]
    fn a_recording_message_is_sent_about_answered_calls_only() {
        let call = PlacedCall {
            withheld: &[],
            call_id: "100^7",
            out_id: None,
            callee: None,
            placed_ms: 1_678_090_872_000,
        };
        let receipt = recording();
        for outcome in [Outcome::Unanswered { ring_s: 9 }, Outcome::Failed] {
            assert_eq!(records(&receipt, &call, outcome, 0), [], "{outcome:?}");
        }
        let answered = Outcome::Answered {
            ring_s: 2,
            talk_s: 5,
        };
        let [one] = records(&receipt, &call, answered, 0).try_into().unwrap();
        let json: Value = serde_json::from_str(&one.json).unwrap();
        // Placed 08:21:12, originated 1 s later, rang 2 s later, answered after 2 s of ringing.
        assert_eq!(json["start"], "2023-03-06 08:21:17");
        assert_eq!(json["began"], json["start"]);
        assert_eq!(json["url"], "https://recordings.mock.invalid/100_7.mp3");
        assert_eq!(json["code"], "A");
        // Without `only_answered`, an unanswered call gets its record, with no recording.
        let every = CallReceipt {
            only_answered: false,
            ..recording()
        };
        let [one] = records(&every, &call, Outcome::Failed, 0)
            .try_into()
            .unwrap();
        let json: Value = serde_json::from_str(&one.json).unwrap();
        assert!(
            json.get("url").is_none() && json.get("began").is_none(),
            "{json}"
        );
    }

    #[test]
    fn times_are_written_in_the_receipts_zone() {
        // 2023-03-06 08:21:12 UTC is 16:21:12 in UTC+8.
        assert_eq!(local_time(1_678_090_872_000, 480), "2023-03-06 16:21:12");
        assert_eq!(local_time(1_678_090_872_999, 0), "2023-03-06 08:21:12");
    }
}
