//! Percent-encoding as Alibaba Cloud's signers use it, and the lenient decoder a server needs.
//!
//! The signing encoding keeps only the RFC 3986 unreserved bytes `A-Z a-z 0-9 - _ . ~` and writes
//! every other byte of the UTF-8 text as `%XX` with upper-case hex, so a space is `%20` (never `+`)
//! and `*` is `%2A`. Both signature versions use it for the canonical query; v1 applies it a second
//! time to the whole canonical query when building the string to sign.
//!
//! The encoders append to a caller-provided `String` so a signer can build a whole canonical query
//! in one pre-sized buffer: runs of unreserved bytes are copied as one slice, and nothing is
//! allocated per character.

use std::fmt;

const UPPER_HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Which bytes the signing encoding leaves as they are: `A-Z a-z 0-9 - _ . ~`.
const UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b'~');
        b += 1;
    }
    table
};

/// Appends `input` to `out`, percent-encoded for signing (`%20` for space, `%2A` for `*`).
///
/// ```
/// let mut out = String::new();
/// popgen_runtime::encode::percent_encode_into(&mut out, "a b*c~/张");
/// assert_eq!(out, "a%20b%2Ac~%2F%E5%BC%A0");
/// ```
pub fn percent_encode_into(out: &mut String, input: &str) {
    encode_with(out, input, "%20");
}

/// Returns `input` percent-encoded for signing; see [`percent_encode_into`].
///
/// ```
/// assert_eq!(popgen_runtime::encode::percent_encode("1+1=2"), "1%2B1%3D2");
/// ```
pub fn percent_encode(input: &str) -> String {
    let mut out = String::with_capacity(encoded_len_hint(input));
    percent_encode_into(&mut out, input);
    out
}

/// Appends `input` to `out` encoded as an `application/x-www-form-urlencoded` value the way the
/// official SDK writes form bodies: the signing encoding, except that a space becomes `+`.
///
/// ```
/// let mut out = String::new();
/// popgen_runtime::encode::form_encode_into(&mut out, "a b+c");
/// assert_eq!(out, "a+b%2Bc");
/// ```
pub fn form_encode_into(out: &mut String, input: &str) {
    encode_with(out, input, "+");
}

/// A capacity guess for the encoding of `input`: exact for unreserved text, and leaves room for a
/// few escapes otherwise, so the common case does not reallocate.
pub fn encoded_len_hint(input: &str) -> usize {
    input.len() + input.len() / 2 + 8
}

fn encode_with(out: &mut String, input: &str, space: &str) {
    out.reserve(input.len());
    let mut run_start = 0;
    for (i, &b) in input.as_bytes().iter().enumerate() {
        if UNRESERVED[usize::from(b)] {
            continue;
        }
        // A non-empty run is ASCII and ends before a byte we escape, so both of its ends are
        // char boundaries.
        if run_start < i {
            out.push_str(&input[run_start..i]);
        }
        run_start = i + 1;
        if b == b' ' {
            out.push_str(space);
        } else {
            out.extend(escape(b).map(char::from));
        }
    }
    out.push_str(&input[run_start..]);
}

/// Appends the signing encoding of `input` to a byte buffer (the fast path the signers use to
/// build a whole canonical query before validating it as UTF-8 once). Runs of unreserved bytes
/// are copied as one slice.
pub(crate) fn encode_bytes(out: &mut Vec<u8>, input: &str, space: &[u8]) {
    let bytes = input.as_bytes();
    out.reserve(bytes.len() * 3);
    let mut run_start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if UNRESERVED[usize::from(b)] {
            continue;
        }
        out.extend_from_slice(&bytes[run_start..i]);
        run_start = i + 1;
        if b == b' ' {
            out.extend_from_slice(space);
        } else {
            out.extend_from_slice(&escape(b));
        }
    }
    out.extend_from_slice(&bytes[run_start..]);
}

fn escape(b: u8) -> [u8; 3] {
    [
        b'%',
        UPPER_HEX[usize::from(b >> 4)],
        UPPER_HEX[usize::from(b & 0x0f)],
    ]
}

/// In one pass, appends the signing encoding of `input` to `once` and the encoding of that
/// encoding to `twice` (`%XX` becomes `%25XX`): v1 signs `enc(canonical_query)`, and building
/// both together saves a second scan of the canonical query.
pub(crate) fn encode_once_and_twice(once: &mut Vec<u8>, twice: &mut Vec<u8>, input: &str) {
    // The caller sizes both buffers for the whole query, so no per-value reserve here.
    let bytes = input.as_bytes();
    let mut run_start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if UNRESERVED[usize::from(b)] {
            continue;
        }
        let run = &bytes[run_start..i];
        once.extend_from_slice(run);
        twice.extend_from_slice(run);
        run_start = i + 1;
        let [_, hi, lo] = escape(b);
        once.extend_from_slice(&[b'%', hi, lo]);
        twice.extend_from_slice(&[b'%', b'2', b'5', hi, lo]);
    }
    let run = &bytes[run_start..];
    once.extend_from_slice(run);
    twice.extend_from_slice(run);
}

/// Why a query or form value could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// A `%` not followed by two hex digits, at this byte offset of the input.
    BadEscape {
        /// Byte offset of the `%`.
        offset: usize,
    },
    /// The decoded bytes are not UTF-8; the offset is of the first bad byte in the decoded bytes.
    InvalidUtf8 {
        /// Byte offset, in the decoded bytes, of the first byte that is not valid UTF-8.
        offset: usize,
    },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BadEscape { offset } => {
                write!(f, "`%` at byte {offset} is not followed by two hex digits")
            }
            Self::InvalidUtf8 { offset } => {
                write!(f, "decoded value is not UTF-8 (first bad byte at {offset})")
            }
        }
    }
}

impl std::error::Error for DecodeError {}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Decodes one query-string or form value: `%XX` escapes (either hex case) and `+` as a space.
///
/// The official SDKs send a space as `+` (current SDK) or `%20` (legacy SDK), and sign the decoded
/// value, so a server must accept both.
///
/// ```
/// use popgen_runtime::encode::{percent_decode, DecodeError};
/// assert_eq!(percent_decode("a+b%20c%2B").unwrap(), "a b c+");
/// assert_eq!(percent_decode("100%"), Err(DecodeError::BadEscape { offset: 3 }));
/// ```
pub fn percent_decode(input: &str) -> Result<String, DecodeError> {
    let bytes = input.as_bytes();
    if !bytes.iter().any(|&b| b == b'%' || b == b'+') {
        return Ok(input.to_owned());
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hi = bytes.get(i + 1).copied().and_then(hex_value);
                let lo = bytes.get(i + 2).copied().and_then(hex_value);
                let (Some(hi), Some(lo)) = (hi, lo) else {
                    return Err(DecodeError::BadEscape { offset: i });
                };
                out.push(hi << 4 | lo);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|e| DecodeError::InvalidUtf8 {
        offset: e.utf8_error().valid_up_to(),
    })
}

/// Splits a query string or form body into decoded `(name, value)` pairs, in their order.
///
/// Empty segments (`a=1&&b=2`) are skipped; a segment without `=` is a name with an empty value.
///
/// ```
/// let pairs = popgen_runtime::encode::parse_query("B=x+y&A=%E5%BC%A0&Empty=").unwrap();
/// assert_eq!(pairs, [("B".into(), "x y".into()), ("A".into(), "张".into()), ("Empty".into(), String::new())]);
/// ```
pub fn parse_query(input: &str) -> Result<Vec<(String, String)>, DecodeError> {
    let mut pairs = Vec::new();
    let mut offset = 0;
    for segment in input.split('&') {
        let start = offset;
        offset += segment.len() + 1;
        if segment.is_empty() {
            continue;
        }
        let (name, value) = segment.split_once('=').unwrap_or((segment, ""));
        let shift = |e: DecodeError, by: usize| match e {
            DecodeError::BadEscape { offset } => DecodeError::BadEscape {
                offset: offset + by,
            },
            other => other,
        };
        let name = percent_decode(name).map_err(|e| shift(e, start))?;
        let value =
            percent_decode(value).map_err(|e| shift(e, start + segment.len() - value.len()))?;
        pairs.push((name, value));
    }
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn once_and_twice_agree_with_encoding_twice() {
        for s in ["", "plain", "a b*c~/张😀", "%20+&=", "\u{0}\n"] {
            let (mut once, mut twice) = (Vec::new(), Vec::new());
            encode_once_and_twice(&mut once, &mut twice, s);
            let expected = percent_encode(s);
            assert_eq!(once, expected.as_bytes());
            assert_eq!(twice, percent_encode(&expected).as_bytes());
        }
    }

    #[test]
    fn keeps_only_unreserved() {
        let all: String = (0x20u8..0x7f).map(char::from).collect();
        let enc = percent_encode(&all);
        assert!(enc.contains("%20%21%22%23%24%25%26%27%28%29%2A%2B%2C"));
        assert!(enc.contains("-.%2F0123456789%3A"));
        assert!(enc.ends_with("xyz%7B%7C%7D~"));
    }

    #[test]
    fn encodes_multibyte_and_control() {
        assert_eq!(percent_encode("😀\n\0"), "%F0%9F%98%80%0A%00");
        assert_eq!(percent_encode(""), "");
    }

    #[test]
    fn decode_roundtrips_and_rejects() {
        for s in ["", "plain", "a b+c*d~e/f=g&h%i", "张三 😀", "%20%2B"] {
            assert_eq!(percent_decode(&percent_encode(s)).unwrap(), s);
            let mut form = String::new();
            form_encode_into(&mut form, s);
            assert_eq!(percent_decode(&form).unwrap(), s);
        }
        assert_eq!(
            percent_decode("%4"),
            Err(DecodeError::BadEscape { offset: 0 })
        );
        assert_eq!(
            percent_decode("ab%zz"),
            Err(DecodeError::BadEscape { offset: 2 })
        );
        assert_eq!(
            percent_decode("a%FF"),
            Err(DecodeError::InvalidUtf8 { offset: 1 })
        );
        assert_eq!(percent_decode("%e5%BC%a0").unwrap(), "张");
    }

    proptest::proptest! {
        #[test]
        fn any_text_roundtrips_and_encodes_to_unreserved_or_escapes(s in "\\PC*|[ -~]*") {
            let enc = percent_encode(&s);
            proptest::prop_assert!(enc.bytes().all(|b| UNRESERVED[usize::from(b)] || b == b'%'));
            proptest::prop_assert_eq!(percent_decode(&enc).unwrap(), s.clone());
            let mut form = String::new();
            form_encode_into(&mut form, &s);
            proptest::prop_assert_eq!(percent_decode(&form).unwrap(), s);
        }

        #[test]
        fn decoding_arbitrary_input_never_panics(s in "[%+a-fA-F0-9\\PC]{0,12}") {
            let _ = percent_decode(&s);
            let _ = parse_query(&s);
        }
    }

    #[test]
    fn parse_query_reports_offsets_in_the_whole_input() {
        assert_eq!(
            parse_query("a=1&b=%G0"),
            Err(DecodeError::BadEscape { offset: 6 })
        );
        assert_eq!(parse_query("&&").unwrap(), Vec::<(String, String)>::new());
        assert_eq!(parse_query("k").unwrap(), [("k".to_owned(), String::new())]);
    }
}
