//! Date-time texts in Java `SimpleDateFormat` style (`yyyy-MM-dd HH:mm:ss`, `yyyyMMdd`, ...),
//! checked digit by digit with calendar ranges; no date library and no allocation.
//!
//! Supported letters: `yyyy` year (4 digits), `MM` month 01–12, `dd` day 01–28/29/30/31 for the
//! month (leap years by the Gregorian rule; any day up to 29 of February when the format has no
//! year, up to 31 when it has no month), `HH` hour 00–23, `mm` minute 00–59, `ss` second 00–59,
//! `SSS` milliseconds. Text in single quotes (`'T'`) and any character that is not an ASCII
//! letter are literals. Any other letter (e.g. `hh`, `a`, `Z`) is not supported.

use std::borrow::Cow;

use super::{Limit, Rule, RuleError};

/// One piece of a format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'f> {
    Field(Field),
    Literal(&'f str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Year,
    Month,
    Day,
    Hour,
    Minute,
    Second,
    Millis,
}

impl Field {
    const ALL: [(&'static str, Field); 7] = [
        ("yyyy", Field::Year),
        ("MM", Field::Month),
        ("dd", Field::Day),
        ("HH", Field::Hour),
        ("mm", Field::Minute),
        ("ss", Field::Second),
        ("SSS", Field::Millis),
    ];

    fn width(self) -> usize {
        match self {
            Field::Year => 4,
            Field::Millis => 3,
            _ => 2,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Field::Year => "year",
            Field::Month => "month",
            Field::Day => "day",
            Field::Hour => "hour",
            Field::Minute => "minute",
            Field::Second => "second",
            Field::Millis => "millisecond",
        }
    }

    fn max(self) -> u32 {
        match self {
            Field::Year => 9999,
            Field::Month => 12,
            Field::Day => 31,
            Field::Hour => 23,
            Field::Minute | Field::Second => 59,
            Field::Millis => 999,
        }
    }

    fn min(self) -> u32 {
        match self {
            Field::Year | Field::Month | Field::Day => 1,
            _ => 0,
        }
    }
}

/// Splits a format into tokens, calling `each` for every one; the error names the problem.
fn tokens<'f>(
    format: &'f str,
    mut each: impl FnMut(Token<'f>) -> Result<(), Cow<'static, str>>,
) -> Result<(), Cow<'static, str>> {
    let mut rest = format;
    while let Some(c) = rest.chars().next() {
        if c == '\'' {
            let end = rest[1..]
                .find('\'')
                .ok_or(Cow::Borrowed("unterminated quote in the format"))?;
            each(Token::Literal(&rest[1..=end]))?;
            rest = &rest[end + 2..];
        } else if c.is_ascii_alphabetic() {
            let run = rest.len() - rest.trim_start_matches(c).len();
            let (letters, field) = Field::ALL
                .iter()
                .find(|(letters, _)| rest[..run] == **letters)
                .ok_or_else(|| {
                    Cow::Owned(format!("unsupported pattern letters {:?}", &rest[..run]))
                })?;
            each(Token::Field(*field))?;
            rest = &rest[letters.len()..];
        } else {
            each(Token::Literal(&rest[..c.len_utf8()]))?;
            rest = &rest[c.len_utf8()..];
        }
    }
    Ok(())
}

/// Checks that `format` uses only the supported letters, each field at most once.
///
/// ```
/// use popgen_runtime::rules::datetime;
/// assert!(datetime::check_format("yyyy-MM-dd'T'HH:mm:ss").is_ok());
/// assert!(datetime::check_format("yyyy-MM-dd hh:mm").is_err()); // 12-hour clock
/// ```
pub fn check_format(format: &str) -> Result<(), Cow<'static, str>> {
    let mut seen = Vec::new();
    tokens(format, |token| match token {
        Token::Field(field) if seen.contains(&field) => {
            Err(format!("the {} appears twice", field.name()).into())
        }
        Token::Field(field) => {
            seen.push(field);
            Ok(())
        }
        Token::Literal(_) => Ok(()),
    })?;
    if seen.is_empty() {
        return Err("the format has no date or time field".into());
    }
    Ok(())
}

/// `value` is a valid date-time written in `format`.
///
/// ```
/// use popgen_runtime::rules::datetime;
/// assert!(datetime::apply("2024-02-29 23:59:59", "yyyy-MM-dd HH:mm:ss").is_ok());
/// assert!(datetime::apply("2023-02-29 23:59:59", "yyyy-MM-dd HH:mm:ss").is_err());
/// assert!(datetime::apply("20240131", "yyyyMMdd").is_ok());
/// ```
pub fn apply(value: &str, format: &'static str) -> Result<(), RuleError> {
    check(value, format)
        .map_err(|reason| RuleError::reason(Rule::DateTime, Limit::DateTime(format), reason))
}

/// [`apply`] for a format that is not `'static` (a spec checker's): why `value` does not match.
///
/// ```
/// use popgen_runtime::rules::datetime;
/// let format = String::from("yyyy-MM-dd");
/// assert!(datetime::check("2024-02-29", &format).is_ok());
/// assert_eq!(datetime::check("2023-02-29", &format).unwrap_err(), "day 29 is past the end of the month (28)");
/// ```
pub fn check(value: &str, format: &str) -> Result<(), Cow<'static, str>> {
    let mut rest = value.as_bytes();
    let (mut year, mut month, mut day) = (None, None, None);
    tokens(format, |token| {
        match token {
            Token::Literal(text) => {
                rest = rest
                    .strip_prefix(text.as_bytes())
                    .ok_or_else(|| Cow::Owned(format!("expected {text:?}")))?;
            }
            Token::Field(field) => {
                let n = number(&mut rest, field)?;
                match field {
                    Field::Year => year = Some(n),
                    Field::Month => month = Some(n),
                    Field::Day => day = Some(n),
                    _ => {}
                }
            }
        }
        Ok(())
    })?;
    if !rest.is_empty() {
        return Err("unexpected text after the date-time".into());
    }
    if let Some(day) = day {
        let last = days_in_month(year, month);
        if day > last {
            return Err(format!("day {day} is past the end of the month ({last})").into());
        }
    }
    Ok(())
}

fn number(rest: &mut &[u8], field: Field) -> Result<u32, Cow<'static, str>> {
    let width = field.width();
    let digits = rest
        .get(..width)
        .filter(|d| d.iter().all(u8::is_ascii_digit))
        .ok_or_else(|| Cow::Owned(format!("expected a {width}-digit {}", field.name())))?;
    let n = digits.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0'));
    *rest = &rest[width..];
    if n < field.min() || n > field.max() {
        let (min, max) = (field.min(), field.max());
        return Err(format!("{} {n} is not {min:0width$}–{max:0width$}", field.name()).into());
    }
    Ok(n)
}

/// The last day of `month` in `year`; when the format has no year, any year (29 in February);
/// when it has no month, any month (31).
fn days_in_month(year: Option<u32>, month: Option<u32>) -> u32 {
    match (year, month) {
        (_, None) => 31,
        (None, Some(2)) => 29,
        (None, Some(m)) => crate::calendar::days_in_month(2000, m),
        (Some(y), Some(m)) => crate::calendar::days_in_month(i64::from(y), m),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = "yyyy-MM-dd HH:mm:ss";

    fn reason(value: &str, format: &'static str) -> String {
        match apply(value, format).unwrap_err().actual {
            super::super::Actual::Reason(r) => r.into_owned(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn leap_years() {
        assert!(apply("2024-02-29 00:00:00", FULL).is_ok());
        assert!(apply("2000-02-29 00:00:00", FULL).is_ok());
        assert!(apply("1900-02-29 00:00:00", FULL).is_err());
        assert!(apply("2023-02-29 00:00:00", FULL).is_err());
        assert!(apply("2023-02-28 00:00:00", FULL).is_ok());
        assert_eq!(
            reason("2023-02-29 00:00:00", FULL),
            "day 29 is past the end of the month (28)"
        );
    }

    #[test]
    fn month_and_day_ranges() {
        assert!(apply("2024-13-01 00:00:00", FULL).is_err());
        assert!(apply("2024-00-01 00:00:00", FULL).is_err());
        assert!(apply("2024-04-31 00:00:00", FULL).is_err());
        assert!(apply("2024-12-31 00:00:00", FULL).is_ok());
        assert!(apply("2024-01-00 00:00:00", FULL).is_err());
        assert_eq!(reason("2024-13-01 00:00:00", FULL), "month 13 is not 01–12");
    }

    #[test]
    fn time_ranges() {
        assert!(apply("2024-01-01 23:59:59", FULL).is_ok());
        assert!(apply("2024-01-01 24:00:00", FULL).is_err());
        assert!(apply("2024-01-01 00:60:00", FULL).is_err());
        assert!(apply("2024-01-01 00:00:60", FULL).is_err());
    }

    #[test]
    fn shape_mismatches() {
        assert!(apply("", FULL).is_err());
        assert!(apply("2024-01-01", FULL).is_err());
        assert!(apply("2024-01-01 00:00:00 ", FULL).is_err());
        assert!(apply("2024/01/01 00:00:00", FULL).is_err());
        assert!(apply("2024-1-01 00:00:00", FULL).is_err());
        assert!(apply("２０２４-01-01 00:00:00", FULL).is_err());
        assert_eq!(reason("2024-01-01", FULL), r#"expected " ""#);
    }

    #[test]
    fn other_formats() {
        assert!(apply("20240229", "yyyyMMdd").is_ok());
        assert!(apply("20230229", "yyyyMMdd").is_err());
        assert!(apply("2024-02-29", "yyyy-MM-dd").is_ok());
        assert!(apply("2024-02-29T10:00:00.123", "yyyy-MM-dd'T'HH:mm:ss.SSS").is_ok());
        assert!(
            apply("02-29", "MM-dd").is_ok(),
            "no year: February 29 may exist"
        );
        assert!(apply("31", "dd").is_ok());
        assert!(apply("12:30", "HH:mm").is_ok());
    }

    #[test]
    fn formats() {
        assert!(check_format(FULL).is_ok());
        assert!(check_format("yyyyMMdd").is_ok());
        assert!(check_format("yyyy-MM-dd'T'HH:mm:ss'Z'").is_ok());
        assert_eq!(
            check_format("yyyy-MM-dd hh:mm").unwrap_err(),
            r#"unsupported pattern letters "hh""#
        );
        assert!(check_format("yy-MM-dd").is_err());
        assert!(check_format("yyyy-MM-dd 'T").is_err());
        assert!(check_format("yyyy yyyy").is_err());
        assert!(check_format("--").is_err());
    }
}
