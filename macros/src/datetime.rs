//! Compile-time check of `datetime = "..."` formats. It mirrors the tokenizer of
//! `popgen_runtime::rules::datetime` (which the macro cannot depend on: the runtime's tests use
//! the macro); the runtime's `check_format` tests pin the same cases.

const FIELDS: [(&str, &str); 7] = [
    ("yyyy", "year"),
    ("MM", "month"),
    ("dd", "day"),
    ("HH", "hour"),
    ("mm", "minute"),
    ("ss", "second"),
    ("SSS", "millisecond"),
];

/// `Ok` when `format` uses only `yyyy MM dd HH mm ss SSS`, quoted text and non-letters, each
/// field once and at least one field.
pub fn check_format(format: &str) -> Result<(), String> {
    let mut seen = Vec::new();
    let mut rest = format;
    while let Some(c) = rest.chars().next() {
        if c == '\'' {
            let end = rest[1..]
                .find('\'')
                .ok_or("unterminated quote in the format")?;
            rest = &rest[end + 2..];
        } else if c.is_ascii_alphabetic() {
            let run = rest.len() - rest.trim_start_matches(c).len();
            let letters = &rest[..run];
            let (_, name) = FIELDS.iter().find(|(l, _)| *l == letters).ok_or_else(|| {
                format!(
                    "unsupported pattern letters {letters:?}; use yyyy, MM, dd, HH, mm, ss, SSS"
                )
            })?;
            if seen.contains(name) {
                return Err(format!("the {name} appears twice"));
            }
            seen.push(*name);
            rest = &rest[run..];
        } else {
            rest = &rest[c.len_utf8()..];
        }
    }
    if seen.is_empty() {
        return Err("the format has no date or time field".to_owned());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert!(check_format("yyyy-MM-dd HH:mm:ss").is_ok());
        assert!(check_format("yyyyMMdd").is_ok());
        assert!(check_format("yyyy-MM-dd'T'HH:mm:ss.SSS").is_ok());
        assert!(
            check_format("yyyy-MM-dd hh:mm")
                .unwrap_err()
                .contains("\"hh\"")
        );
        assert!(check_format("yy").is_err());
        assert!(check_format("'x").is_err());
        assert!(check_format("dd dd").is_err());
        assert!(check_format("-").is_err());
    }
}
