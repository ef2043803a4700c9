//! [`Secret`]: a string that never prints, for AccessKey secrets and STS tokens.

use std::fmt;

use zeroize::Zeroize;

/// A secret string (AccessKey secret, STS token). `Debug` and `Display` print `***`; the value is
/// reachable only through [`Secret::expose`], so every use is visible in the code. The bytes are
/// zeroed when the value is dropped.
///
/// ```
/// use popgen_runtime::secret::Secret;
/// let s = Secret::new("hunter2");
/// assert_eq!(format!("{s:?} {s}"), "*** ***");
/// assert_eq!(s.expose(), "hunter2");
/// ```
#[derive(Clone, Default)]
pub struct Secret(String);

/// What every output of popgen shows in place of a secret or a sensitive value: `Debug` and
/// `Display` of [`Secret`], traced signing strings, validation messages of `sensitive` params.
pub const REDACTED: &str = "***";

impl Secret {
    /// What `Debug` and `Display` print instead of the value.
    pub const MASK: &'static str = REDACTED;

    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret value. Use it only to sign or to send, never to format.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the value is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(Self::MASK)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(Self::MASK)
    }
}

/// `text` with every form `value` takes in what popgen prints replaced by [`Secret::MASK`]: as
/// is, percent-encoded once (a URL's query) and twice (a v1 string to sign), form-encoded (`+`
/// for a space), and escaped as JSON and as Rust's `Debug` writes a string. Longer forms are
/// replaced first; an empty `value` changes nothing.
///
/// Redact *before* serialising, on the values themselves ([`crate::client::HttpRequest::redacted`]
/// does it by name first); this is the net under that, for any text a secret may have reached.
///
/// ```
/// use popgen_runtime::secret::redact_value;
/// assert_eq!(redact_value(r#"["x-acs-security-token","my\"token"]"#, "my\"token"),
///            r#"["x-acs-security-token","***"]"#);
/// assert_eq!(redact_value("SecurityToken=a%2Bb&x=1", "a+b"), "SecurityToken=***&x=1");
/// ```
pub fn redact_value(text: &str, value: &str) -> String {
    if value.is_empty() {
        return text.to_owned();
    }
    let percent = crate::encode::percent_encode(value);
    let twice = crate::encode::percent_encode(&percent);
    let mut form = String::new();
    crate::encode::form_encode_into(&mut form, value);
    let quoted = |escaped: String| -> String {
        escaped
            .strip_prefix('"')
            .and_then(|e| e.strip_suffix('"'))
            .map(str::to_owned)
            .unwrap_or(escaped)
    };
    let json = quoted(serde_json::to_string(value).unwrap_or_default());
    let debug = quoted(format!("{value:?}"));
    let mut forms = vec![value.to_owned(), percent, twice, form, json, debug];
    forms.retain(|f| !f.is_empty());
    forms.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    forms.dedup();
    let mut out = text.to_owned();
    for form in &forms {
        if out.contains(form.as_str()) {
            out = out.replace(form.as_str(), Secret::MASK);
        }
    }
    out
}

/// Constant-time in the length of the shorter value, so comparing a guessed secret does not leak
/// how many leading bytes were right.
impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (self.0.as_bytes(), other.0.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

impl Eq for Secret {}

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_formats_the_value() {
        let s = Secret::from("abc");
        assert_eq!(format!("{s:?}|{s}|{s:#?}|{s:>10}"), "***|***|***|***");
        assert_eq!(s, Secret::new(String::from("abc")));
        assert_ne!(s, Secret::new("abd"));
        assert_ne!(s, Secret::new("ab"));
    }
}
