//! Instants as the command line takes and prints them: UTC, milliseconds since the Unix epoch
//! inside.

use std::time::{SystemTime, UNIX_EPOCH};

use popgen_runtime::calendar::{civil_from_days, days_from_civil, days_in_month};

const MS_PER_DAY: i64 = 86_400_000;

/// Reads an instant, UTC: `2026-12-04`, `2026-12-04 09:30:00`, `2026-12-04T09:30:00Z`, or a
/// time before `now_ms`: `90s`, `30m`, `2h`, `7d` (that long ago).
///
/// ```
/// use popgen_receipts::time::parse_instant;
/// assert_eq!(parse_instant("1970-01-02", 0), Ok(86_400_000));
/// assert_eq!(parse_instant("2000-03-01T00:00:01Z", 0), Ok(951_868_801_000));
/// assert_eq!(parse_instant("2h", 10_000_000), Ok(10_000_000 - 7_200_000));
/// assert!(parse_instant("yesterday", 0).is_err());
/// ```
pub fn parse_instant(text: &str, now_ms: i64) -> Result<i64, String> {
    let text = text.trim();
    if let Some(ago) = relative(text) {
        return Ok(now_ms.saturating_sub(ago));
    }
    let wrong = || {
        format!(
            "`{text}` is not an instant: use 2026-12-04, 2026-12-04 09:30:00, \
             2026-12-04T09:30:00Z (UTC) or a time ago (30m, 2h, 7d)"
        )
    };
    let text = text.strip_suffix('Z').unwrap_or(text);
    let (date, time) = match text.split_once(['T', ' ']) {
        Some((date, time)) => (date, Some(time)),
        None => (text, None),
    };
    let mut ymd = date.splitn(3, '-');
    let (Some(Ok(y)), Some(Ok(m)), Some(Ok(d))) = (
        ymd.next().map(str::parse::<i64>),
        ymd.next().map(str::parse::<u32>),
        ymd.next().map(str::parse::<u32>),
    ) else {
        return Err(wrong());
    };
    if !(1..=12).contains(&m) || !(1..=days_in_month(y, m)).contains(&d) || !(1..=9999).contains(&y)
    {
        return Err(wrong());
    }
    let mut ms = days_from_civil(y, m, d) * MS_PER_DAY;
    if let Some(time) = time {
        let mut hms = time.splitn(3, ':').map(|p| p.parse::<i64>().ok());
        let (Some(Some(h)), Some(Some(min))) = (hms.next(), hms.next()) else {
            return Err(wrong());
        };
        let s = match hms.next() {
            None => 0,
            Some(Some(s)) => s,
            Some(None) => return Err(wrong()),
        };
        if !(0..24).contains(&h) || !(0..60).contains(&min) || !(0..60).contains(&s) {
            return Err(wrong());
        }
        ms += ((h * 60 + min) * 60 + s) * 1000;
    }
    Ok(ms)
}

/// `30m` → milliseconds.
fn relative(text: &str) -> Option<i64> {
    let unit = text.chars().last()?;
    let scale = match unit {
        's' => 1_000,
        'm' => 60_000,
        'h' => 3_600_000,
        'd' => MS_PER_DAY,
        _ => return None,
    };
    let n: i64 = text[..text.len() - 1].parse().ok()?;
    (n >= 0).then(|| n.saturating_mul(scale))
}

/// An instant as `2026-12-04T09:30:00.123Z`.
///
/// ```
/// assert_eq!(popgen_receipts::time::format_ms(951_868_801_005), "2000-03-01T00:00:01.005Z");
/// ```
pub fn format_ms(ms: i64) -> String {
    let days = ms.div_euclid(MS_PER_DAY);
    let rest = ms.rem_euclid(MS_PER_DAY);
    let (y, m, d) = civil_from_days(days);
    let (s, milli) = (rest / 1000, rest % 1000);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{milli:03}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// Now, in milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_reads_back_on_every_day_of_four_centuries() {
        let mut ms = days_from_civil(1900, 1, 1) * MS_PER_DAY + 3_723_000;
        for _ in 0..146_097 {
            let text = format_ms(ms);
            let whole = &text[..19];
            assert_eq!(parse_instant(whole, 0), Ok(ms), "{text}");
            ms += MS_PER_DAY;
        }
    }

    #[test]
    fn impossible_dates_and_times_are_refused() {
        for bad in [
            "2026-02-30",
            "2025-02-29",
            "2026-13-01",
            "2026-12-04 24:00:00",
            "2026-12",
            "",
            "5x",
        ] {
            assert!(parse_instant(bad, 0).is_err(), "{bad}");
        }
        assert_eq!(parse_instant("2024-02-29", 0).map(|_| ()), Ok(()));
    }
}
