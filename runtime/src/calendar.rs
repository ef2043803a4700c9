//! The proleptic Gregorian calendar and the UTC timestamp form of the RPC protocol, written once.
//!
//! Every date the toolkit reads or writes goes through here: the signers' `Timestamp`
//! ([`format_utc`]), the gateway's timestamp check and the CLI's `--timestamp` ([`parse_utc`]),
//! the date-time validation rules ([`days_in_month`]) and the receipt store's instants
//! ([`days_from_civil`], [`civil_from_days`]).
//!
//! Hand-written rather than a date-time crate: the toolkit needs four pure functions (Howard
//! Hinnant's `days_from_civil`/`civil_from_days` and the leap-year rule) and no time zones, and
//! the signer formats a timestamp on every request without allocating twice. The module's tests
//! walk every day from 0001-01-01 to 9999-12-31 both ways.

/// Seconds in a day (UTC has no leap seconds in Unix time).
pub const SECS_PER_DAY: u64 = 86_400;

/// Whether `year` has a 29th of February (the Gregorian rule).
///
/// ```
/// use popgen_runtime::calendar::is_leap_year;
/// assert!(is_leap_year(2024) && is_leap_year(2000));
/// assert!(!is_leap_year(1900) && !is_leap_year(2023));
/// ```
pub const fn is_leap_year(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// The number of days of `month` (1–12) in `year`; 31 for a month out of range.
///
/// ```
/// use popgen_runtime::calendar::days_in_month;
/// assert_eq!(days_in_month(2024, 2), 29);
/// assert_eq!(days_in_month(2023, 2), 28);
/// assert_eq!(days_in_month(2023, 11), 30);
/// ```
pub const fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a date (month 1–12, day 1–31; not checked), after Howard Hinnant's
/// `days_from_civil`. Negative before 1970.
///
/// ```
/// use popgen_runtime::calendar::days_from_civil;
/// assert_eq!(days_from_civil(1970, 1, 1), 0);
/// assert_eq!(days_from_civil(2000, 3, 1), 11_017);
/// assert_eq!(days_from_civil(1969, 12, 31), -1);
/// ```
pub const fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let (month, day) = (month as i64, day as i64);
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date (year, month, day) `days` after 1970-01-01: the inverse of [`days_from_civil`].
///
/// ```
/// use popgen_runtime::calendar::civil_from_days;
/// assert_eq!(civil_from_days(0), (1970, 1, 1));
/// assert_eq!(civil_from_days(11_017), (2000, 3, 1));
/// assert_eq!(civil_from_days(-1), (1969, 12, 31));
/// ```
pub const fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + if month <= 2 { 1 } else { 0 };
    (year, month as u32, day as u32)
}

/// Formats Unix seconds as the UTC timestamp both signature schemes send:
/// `yyyy-MM-ddTHH:mm:ssZ`.
///
/// ```
/// use popgen_runtime::calendar::format_utc;
/// assert_eq!(format_utc(0), "1970-01-01T00:00:00Z");
/// assert_eq!(format_utc(1_825_462_618), "2027-11-06T00:56:58Z");
/// ```
pub fn format_utc(unix_secs: u64) -> String {
    let days = i64::try_from(unix_secs / SECS_PER_DAY).unwrap_or(i64::MAX - 719_468);
    let secs_of_day = unix_secs % SECS_PER_DAY;
    let (year, month, day) = civil_from_days(days);
    let (h, m, s) = (secs_of_day / 3600, secs_of_day / 60 % 60, secs_of_day % 60);
    if year > 9999 {
        return format!("{year}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}Z");
    }
    // Every request formats one: digits by hand are ~20x cheaper than `format!`.
    let mut out = *b"0000-00-00T00:00:00Z";
    let mut put = |at: usize, value: u64, width: usize| {
        let mut v = value;
        for i in (at..at + width).rev() {
            out[i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    put(0, year.unsigned_abs(), 4);
    put(5, u64::from(month), 2);
    put(8, u64::from(day), 2);
    put(11, h, 2);
    put(14, m, 2);
    put(17, s, 2);
    String::from_utf8(out.to_vec()).unwrap_or_else(|_| unreachable!("ASCII digits"))
}

/// Parses the UTC timestamp form the gateway accepts, `yyyy-MM-ddTHH:mm:ssZ` with optional
/// fractional seconds (ignored), from 1970 on. Returns Unix seconds; `None` when the text is
/// not that form or names a day or time that does not exist.
///
/// ```
/// use popgen_runtime::calendar::{format_utc, parse_utc};
/// assert_eq!(parse_utc("2027-11-06T00:56:58Z"), Some(1_825_462_618));
/// assert_eq!(parse_utc("2027-11-06T00:56:58.250Z"), Some(1_825_462_618));
/// assert_eq!(parse_utc(&format_utc(951_782_400)), Some(951_782_400));
/// assert_eq!(parse_utc("2024-01-02 03:04:05"), None);
/// assert_eq!(parse_utc("2023-02-29T00:00:00Z"), None);
/// ```
pub fn parse_utc(text: &str) -> Option<u64> {
    let b = text.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' {
        return None;
    }
    if b[16] != b':' || *b.last()? != b'Z' {
        return None;
    }
    let fraction = &b[19..b.len() - 1];
    let fraction_ok = fraction.is_empty()
        || (fraction.len() > 1
            && fraction[0] == b'.'
            && fraction[1..].iter().all(u8::is_ascii_digit));
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let digits = &b[range];
        digits
            .iter()
            .all(u8::is_ascii_digit)
            .then(|| digits.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
    };
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    let year = i64::from(year);
    let valid = fraction_ok
        && year >= 1970
        && (1..=12).contains(&month)
        && (1..=days_in_month(year, month)).contains(&day)
        && hour < 24
        && minute < 60
        && second < 60;
    if !valid {
        return None;
    }
    let days = u64::try_from(days_from_civil(year, month, day)).ok()?;
    Some(days * SECS_PER_DAY + u64::from(hour * 3600 + minute * 60 + second))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_day_of_ten_millennia_reads_back_and_follows_the_one_before() {
        let first = days_from_civil(1, 1, 1);
        let last = days_from_civil(9999, 12, 31);
        let mut expected = (1, 1, 1);
        for days in first..=last {
            let date = civil_from_days(days);
            assert_eq!(date, expected, "day {days}");
            assert_eq!(days_from_civil(date.0, date.1, date.2), days);
            let (y, m, d) = date;
            expected = if d < days_in_month(y, m) {
                (y, m, d + 1)
            } else if m < 12 {
                (y, m + 1, 1)
            } else {
                (y + 1, 1, 1)
            };
        }
        assert_eq!(last - first + 1, 3_652_059);
    }

    #[test]
    fn timestamps_read_back_each_hour_of_four_centuries() {
        let mut secs = 0u64;
        let end = u64::try_from(days_from_civil(2370, 1, 1)).unwrap() * SECS_PER_DAY;
        while secs < end {
            let text = format_utc(secs);
            assert_eq!(parse_utc(&text), Some(secs), "{text}");
            secs += 3_607;
        }
    }

    #[test]
    fn impossible_timestamps_are_refused() {
        for bad in [
            "1969-12-31T23:59:59Z",
            "2024-13-01T00:00:00Z",
            "2024-04-31T00:00:00Z",
            "2024-01-01T24:00:00Z",
            "2024-01-01T00:60:00Z",
            "2024-01-01T00:00:60Z",
            "2024-01-01T00:00:00.Z",
            "2024-01-01T00:00:00",
            "2024-01-01t00:00:00Z",
            "+024-01-01T00:00:00Z",
        ] {
            assert_eq!(parse_utc(bad), None, "{bad}");
        }
    }

    #[test]
    fn timestamps_across_leap_years_and_centuries() {
        assert_eq!(format_utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(format_utc(4_107_542_399), "2100-02-28T23:59:59Z");
        assert_eq!(format_utc(1_698_647_186), "2023-10-30T06:26:26Z");
        assert_eq!(format_utc(253_402_300_799), "9999-12-31T23:59:59Z");
        assert_eq!(format_utc(253_402_300_800), "10000-01-01T00:00:00Z");
    }

    #[test]
    fn years_past_9999_are_written_in_full() {
        let secs = u64::try_from(days_from_civil(10_000, 1, 1)).unwrap() * SECS_PER_DAY;
        assert_eq!(format_utc(secs), "10000-01-01T00:00:00Z");
        assert!(format_utc(u64::MAX).ends_with('Z'));
    }
}
