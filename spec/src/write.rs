//! Writing a spec file as YAML that people read and review: keys in the model's order, short
//! mappings and lists on one line (`{en: ..., zh: ...}`, `range: {min: 1, max: 3}`), longer ones
//! as blocks, multi-line text as literal blocks, and every string quoted exactly when a YAML
//! reader (1.2, or an older 1.1 one such as PyYAML) could take it for something else.
//!
//! The output is deterministic (the model's maps are `BTreeMap`s, its lists keep their order) and
//! loads back into the same model: `popgen import` writes specs with it, and re-importing the same
//! metadata writes the same bytes.

use serde_yaml::Value;

use crate::model::SpecFile;

/// The column past which a mapping or list is written as a block rather than on one line.
const WIDTH: usize = 100;

/// The YAML text of `file`, after `header` (comment lines, each written as `# line`).
pub fn to_yaml(file: &SpecFile, header: &str) -> String {
    let value = serde_yaml::to_value(file).expect("the spec model always serializes");
    value_to_yaml(&value, header)
}

/// The YAML text of any value in the spec's style (a partial spec file, such as a curation).
pub fn value_to_yaml(value: &Value, header: &str) -> String {
    let mut out = String::new();
    for line in header.lines() {
        out.push_str(if line.is_empty() { "#" } else { "# " });
        out.push_str(line);
        out.push('\n');
    }
    match value {
        Value::Mapping(m) if m.is_empty() => out.push_str("{}\n"),
        Value::Mapping(m) => block_mapping(m, 0, &mut out),
        other => {
            out.push_str(&flow(other).unwrap_or_default());
            out.push('\n');
        }
    }
    out
}

fn indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// `key: value` lines at `depth` spaces.
fn block_mapping(m: &serde_yaml::Mapping, depth: usize, out: &mut String) {
    for (k, v) in m {
        indent(out, depth);
        let key = scalar(k, false);
        out.push_str(&key);
        out.push(':');
        value_after_key(v, depth, depth + key.len() + 2, out);
    }
}

/// `- item` lines at `depth` spaces.
fn block_sequence(items: &[Value], depth: usize, out: &mut String) {
    for item in items {
        indent(out, depth);
        out.push_str("- ");
        match item {
            Value::Mapping(m) if !m.is_empty() && !fits(item, depth + 2) => {
                // The first key shares the dash's line; the others align under it.
                let mut first = String::new();
                block_mapping(m, depth + 2, &mut first);
                out.push_str(first.trim_start_matches(' '));
            }
            Value::Sequence(s) if !s.is_empty() && !fits(item, depth + 2) => {
                out.push('\n');
                block_sequence(s, depth + 2, out);
            }
            _ => line_value(item, depth + 2, depth + 2, out),
        }
    }
}

/// What follows `key:`: a value on the same line, or a block below it.
fn value_after_key(v: &Value, depth: usize, column: usize, out: &mut String) {
    match v {
        Value::Mapping(m) if !m.is_empty() && !fits(v, column) => {
            out.push('\n');
            block_mapping(m, depth + 2, out);
        }
        Value::Sequence(s) if !s.is_empty() && !fits(v, column) => {
            out.push('\n');
            block_sequence(s, depth + 2, out);
        }
        _ => {
            out.push(' ');
            line_value(v, depth + 2, column, out);
        }
    }
}

/// A value that starts on the current line (at `column`): a scalar (long prose folded, text with
/// line breaks as a literal block), or a flow mapping or list.
fn line_value(v: &Value, depth: usize, column: usize, out: &mut String) {
    match v {
        Value::String(s) if literal_block(s) => literal(s, depth, out),
        Value::String(s) if column + s.chars().count() > WIDTH && foldable(s) => {
            folded(s, depth, out)
        }
        Value::Mapping(_) | Value::Sequence(_) => {
            out.push_str(&flow(v).unwrap_or_default());
            out.push('\n');
        }
        _ => {
            out.push_str(&scalar(v, false));
            out.push('\n');
        }
    }
}

/// Whether `v` written on one line (flow style) ends before [`WIDTH`] when it starts at `column`.
fn fits(v: &Value, column: usize) -> bool {
    flow(v).is_some_and(|text| column + text.chars().count() <= WIDTH)
}

/// `v` on one line, in flow style (`{min: 1, max: 3}`); text with line breaks is quoted.
pub fn one_line(v: &Value) -> String {
    flow(v).unwrap_or_else(|| scalar(v, true))
}

/// `v` in flow style, or `None` when it cannot be written on one line (multi-line text).
fn flow(v: &Value) -> Option<String> {
    match v {
        Value::Mapping(m) => {
            let parts: Option<Vec<String>> = m
                .iter()
                .map(|(k, v)| Some(format!("{}: {}", scalar(k, true), flow(v)?)))
                .collect();
            Some(format!("{{{}}}", parts?.join(", ")))
        }
        Value::Sequence(items) => {
            let parts: Option<Vec<String>> = items.iter().map(flow).collect();
            Some(format!("[{}]", parts?.join(", ")))
        }
        Value::String(s) if literal_block(s) => None,
        other => Some(scalar(other, true)),
    }
}

/// A scalar as YAML writes it; strings plain when that reads back as the same string.
fn scalar(v: &Value, in_flow: bool) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) if plain_ok(s, in_flow) => s.clone(),
        Value::String(s) if s.chars().all(|c| !c.is_control()) => {
            format!("'{}'", s.replace('\'', "''"))
        }
        Value::String(s) => double_quoted(s),
        // The model has no tagged values; write what serde_yaml would.
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim_end()
            .to_owned(),
    }
}

/// Whether `s` can be written without quotes: it reads back as this string under YAML 1.2 and
/// under YAML 1.1 (no `yes`/`on`/`0x1F`...), starts with no indicator, and holds nothing that
/// would end or comment it.
fn plain_ok(s: &str, in_flow: bool) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if s.trim() != s || s.chars().any(char::is_control) {
        return false;
    }
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) || s.contains(": ") || s.contains(" #") {
        return false;
    }
    if s.ends_with(':') || (in_flow && s.contains([',', '[', ']', '{', '}'])) {
        return false;
    }
    !looks_like_non_string(s)
}

/// Whether a YAML 1.1 or 1.2 reader would take the plain scalar `s` for a null, a boolean, a
/// number or a date.
fn looks_like_non_string(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    const WORDS: [&str; 8] = [
        "~", "null", "true", "false", ".inf", "-.inf", "+.inf", ".nan",
    ];
    if WORDS.contains(&lower.as_str()) || crate::yaml::is_yaml11_boolean_word(s) {
        return true;
    }
    // Anything that starts like a number (digits, sign, dot) might be read as one in some
    // schema (`0x1F`, `1_000`, `1e3`, `12:30`, `2017-05-25`): quote it rather than guess.
    let numeric_start = s
        .trim_start_matches(['+', '-'])
        .starts_with(|c: char| c.is_ascii_digit() || c == '.');
    numeric_start
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-._:".contains(c))
}

/// Whether `s` is best written as a literal block (`|`): it has line breaks and nothing a block
/// cannot hold.
fn literal_block(s: &str) -> bool {
    s.contains('\n')
        && !s.chars().any(|c| c.is_control() && c != '\n')
        && !s.starts_with([' ', '\n'])
        && s.lines().all(|l| l.trim_end() == l)
}

/// Whether `s` can be folded (`>-`) at its spaces and read back unchanged: words separated by
/// single spaces, nothing else that folding would change.
fn foldable(s: &str) -> bool {
    s.contains(' ') && !s.contains("  ") && s.trim() == s && !s.chars().any(|c| c.is_control())
}

/// `>-` and the text broken at spaces into lines that end before [`WIDTH`].
fn folded(s: &str, depth: usize, out: &mut String) {
    out.push_str(">-\n");
    let room = WIDTH.saturating_sub(depth).max(20);
    let mut line = String::new();
    for word in s.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > room {
            indent(out, depth);
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    indent(out, depth);
    out.push_str(&line);
    out.push('\n');
}

/// `|-` (or `|`, `|+` by how many line breaks end it) and the text's lines, indented.
fn literal(s: &str, depth: usize, out: &mut String) {
    let body = s.trim_end_matches('\n');
    let trailing = s.len() - body.len();
    out.push_str(match trailing {
        0 => "|-\n",
        1 => "|\n",
        _ => "|+\n",
    });
    for line in body.split('\n') {
        if !line.is_empty() {
            indent(out, depth);
            out.push_str(line);
        }
        out.push('\n');
    }
    // `|+` keeps every line break after the text; the first was written with its last line.
    for _ in 1..trailing {
        out.push('\n');
    }
}

/// A double-quoted string with YAML escapes.
fn double_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reads_back(s: &str) {
        for in_flow in [false, true] {
            let text = format!("k: {}\n", scalar(&Value::String(s.into()), in_flow));
            let back: serde_yaml::Value = serde_yaml::from_str(&text).expect("valid YAML");
            assert_eq!(back["k"], Value::String(s.into()), "{text}");
        }
    }

    #[test]
    fn strings_that_look_like_something_else_are_quoted() {
        for s in [
            "0571****5678",
            "2017-05-25",
            "yes",
            "On",
            "null",
            "~",
            "1e3",
            "0x1F",
            "12:30",
            "- x",
            "a: b",
            "a #b",
            "[x]",
            "it's",
            "",
            " padded",
            "TTS_100001",
            "{Action}Response",
            "a,b",
        ] {
            reads_back(s);
        }
        assert_eq!(scalar(&Value::String("On".into()), false), "'On'");
        assert_eq!(
            scalar(&Value::String("TTS_100001".into()), false),
            "TTS_100001"
        );
        assert_eq!(scalar(&Value::String("a,b".into()), true), "'a,b'");
        assert_eq!(scalar(&Value::String("a,b".into()), false), "a,b");
    }

    #[test]
    fn long_prose_is_folded_and_reads_back() {
        let s = "Number shown to the callee. Leave it empty when the template uses public-mode (shared) outbound calling; with dedicated-number calling pass one number you have purchased: a #hash and 'quotes' stay.";
        let mut out = String::from("k: ");
        folded(s, 2, &mut out);
        assert!(out.lines().all(|l| l.chars().count() <= WIDTH), "{out}");
        let back: serde_yaml::Value = serde_yaml::from_str(&out).expect("valid YAML");
        assert_eq!(back["k"], Value::String(s.into()), "{out}");
    }

    #[test]
    fn multi_line_text_is_a_literal_block_that_reads_back() {
        for s in [
            "line 1\n- item\n\nlast",
            "ends\n",
            "ends twice\n\n",
            "取值范围：**1~3**。\n> 注意",
        ] {
            let mut out = String::from("k: ");
            literal(s, 2, &mut out);
            let back: serde_yaml::Value = serde_yaml::from_str(&out).expect("valid YAML");
            assert_eq!(back["k"], Value::String(s.into()), "{out}");
        }
    }
}
