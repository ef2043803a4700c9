//! The request log: a line per request, for a person watching `dyvms mock` (on stderr unless
//! `--quiet`; off for programs unless [`MockConfig::request_log`](super::MockConfig::request_log)
//! says where).
//!
//! ```text
//! 2026-12-04T05:52:22.123Z SingleCallByTts callee=138****8000 200 OK 1.2 ms
//! 2026-12-04T05:52:23.456Z SingleCallByTts callee=138****8000 400 isv.BUSINESS_LIMIT_CONTROL 0.9 ms: 1/min for this callee; frees at 2026-12-04T05:53:23Z (in 60 s)
//! 2026-12-04T05:52:24.001Z QueryCallDetailByCallId no answer (stall fault) 5001.3 ms
//! ```
//!
//! Server time (the mock's clock, as the journal), the action, the callee of an action with
//! per-callee limits (masked: first 3 and last 4 characters), the HTTP status and `Code` (or the
//! fault that left it unanswered), the latency from the request's head to its answer, and a note
//! where the code needs one. Never a param value, a signature, a key or a token; what the client
//! sent (an action name, an injected code) is shown only as printable ASCII, cut short, so it
//! cannot forge a line.

use std::io::Write as _;
use std::time::Duration;

use super::config::RequestLog;
use super::gateway::Summary;

/// Longest text a log line takes from a request (an action name, a code).
const MAX_FIELD: usize = 64;

/// `text` as printable ASCII (anything else `?`), at most [`MAX_FIELD`] characters.
fn clean(text: &str) -> String {
    let mut out: String = text
        .chars()
        .take(MAX_FIELD)
        .map(|c| if c.is_ascii_graphic() { c } else { '?' })
        .collect();
    if text.chars().nth(MAX_FIELD).is_some() {
        out.push('…');
    }
    out
}

/// Server time `ms` as `yyyy-MM-ddTHH:mm:ss.SSSZ`.
pub(crate) fn time(ms: i64) -> String {
    let secs = u64::try_from(ms.div_euclid(1000)).unwrap_or(0);
    let stamp = popgen_runtime::sign::format_timestamp(secs);
    let millis = ms.rem_euclid(1000);
    match stamp.strip_suffix('Z') {
        Some(head) => format!("{head}.{millis:03}Z"),
        None => stamp,
    }
}

fn latency(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// The line for an API request.
pub(crate) fn request_line(summary: &Summary, took: Duration) -> String {
    let mut line = time(summary.time_ms);
    line.push(' ');
    line.push_str(&summary.action.as_deref().map_or_else(|| "-".into(), clean));
    if let Some(callee) = &summary.callee {
        line.push_str(" callee=");
        line.push_str(&clean(callee));
    }
    match (summary.status, &summary.code) {
        (Some(status), code) => {
            line.push_str(&format!(" {status}"));
            if let Some(code) = code {
                line.push(' ');
                line.push_str(&clean(code));
            }
            if let Some(fault) = &summary.fault {
                line.push_str(&format!(" ({} fault)", clean(fault)));
            }
        }
        (None, _) => {
            let fault = summary.fault.as_deref().map_or_else(|| "-".into(), clean);
            line.push_str(&format!(" no answer ({fault} fault)"));
        }
    }
    line.push(' ');
    line.push_str(&latency(took));
    if let Some(note) = &summary.note {
        line.push_str(": ");
        line.push_str(note);
    }
    line
}

/// The line for a control request (`GET /_mock/journal`).
pub(crate) fn control_line(
    time_ms: i64,
    method: &str,
    path: &str,
    status: u16,
    took: Duration,
) -> String {
    format!(
        "{} {} {} {status} {}",
        time(time_ms),
        clean(method),
        clean(path),
        latency(took)
    )
}

/// Writes the line `make` makes where `log` says (and makes none when the log is off).
pub(crate) fn emit(log: &RequestLog, make: impl FnOnce() -> String) {
    match log {
        RequestLog::Off => {}
        RequestLog::Stderr => {
            let mut text = make();
            text.push('\n');
            let _ = std::io::stderr().lock().write_all(text.as_bytes());
        }
        RequestLog::Each(each) => each(&make()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_says_time_action_callee_outcome_and_latency_and_nothing_else() {
        let summary = Summary {
            time_ms: 1_893_456_000_123,
            action: Some("SingleCallByTts".into()),
            callee: Some("138****8000".into()),
            status: Some(400),
            code: Some("isv.BUSINESS_LIMIT_CONTROL".into()),
            fault: None,
            note: Some("1/min for this callee; frees at 2030-01-01T00:01:00Z (in 60 s)".into()),
        };
        assert_eq!(
            request_line(&summary, Duration::from_micros(1_234)),
            "2030-01-01T00:00:00.123Z SingleCallByTts callee=138****8000 400 \
             isv.BUSINESS_LIMIT_CONTROL 1.2 ms: 1/min for this callee; frees at \
             2030-01-01T00:01:00Z (in 60 s)"
        );
        let stalled = Summary {
            time_ms: 0,
            action: Some("A\r\nforged line".into()),
            fault: Some("stall".into()),
            ..Summary::default()
        };
        assert_eq!(
            request_line(&stalled, Duration::from_millis(5)),
            "1970-01-01T00:00:00.000Z A??forged?line no answer (stall fault) 5.0 ms"
        );
        assert_eq!(
            control_line(0, "GET", "/_mock/journal", 200, Duration::ZERO),
            "1970-01-01T00:00:00.000Z GET /_mock/journal 200 0.0 ms"
        );
        assert_eq!(clean(&"x".repeat(100)).chars().count(), MAX_FIELD + 1);
    }
}
