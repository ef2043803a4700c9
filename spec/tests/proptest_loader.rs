//! The loader must never panic, whatever a half-edited spec looks like: random mutations of the
//! bundled spec's files (lines deleted, duplicated, swapped or re-indented, bytes replaced, files
//! truncated, YAML punctuation inserted) either load or fail with diagnostics that point into one
//! of the files. So must random bytes: YAML punctuation, tags, anchors, document markers, deep
//! runs of `- ` and `[`, byte-order marks and bytes that are not UTF-8, read as a file is read.
//! (Time stays linear in the input by construction, see `spec/benches/load.rs`; no test times.)
//!
//! 64 cases by default; for a longer run:
//! `PROPTEST_CASES=2000 cargo test -p popgen-spec --test integration proptest_loader::`.

use popgen_spec::Diagnostic;
use popgen_spec::load::{decode, load_texts};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::FileFailurePersistence;

/// The bundled spec's files as `(name, text)` (its imported base and its curation), sorted.
fn bundled_texts() -> Vec<(String, String)> {
    popgen_spec::load::read_texts(&[popgen_spec::bundled_dir()])
        .expect("the bundled spec is readable")
}

/// One edit of one file. Positions are [`Index`]es, scaled to the file when applied.
#[derive(Debug, Clone)]
enum Mutation {
    DeleteLine(Index),
    DuplicateLine(Index),
    SwapLines(Index, Index),
    /// Adds (positive) or removes (negative) leading spaces.
    Reindent(Index, i8),
    /// Replaces up to `len` bytes at a position with `text`.
    Replace(Index, usize, String),
    Truncate(Index),
    Insert(Index, &'static str),
    /// Replaces the value of a `key: value` line: the YAML stays valid, so the structural walk
    /// and the semantic checks see odd values.
    SetValue(Index, String),
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~]{0,12}",
        "[:\\-{}\\[\\]#&*!|>'\", \n]{1,6}",
        "\\PC{0,6}",
    ]
}

fn value() -> impl Strategy<Value = String> {
    let odd = [
        "0",
        "-1",
        "0571",
        "99999999999999999999",
        "1e400",
        "-0.5",
        "true",
        "~",
        "''",
        "[]",
        "{}",
        "[a, b]",
        "{kind: json}",
        "{min: 3, max: 1}",
        "TTS_1",
        "\"[0-9\"",
        "\"(a|\"",
        "yyyy-MM-dd hh",
        "\"2024-02-30 00:00:00\"",
        "\"<a><b></a>\"",
        "'{\"a\": 1'",
    ];
    prop_oneof![
        prop::sample::select(odd.to_vec()).prop_map(str::to_owned),
        "[A-Za-z0-9_-]{1,10}",
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<Index>().prop_map(Mutation::DeleteLine),
        any::<Index>().prop_map(Mutation::DuplicateLine),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        (any::<Index>(), -6i8..=6).prop_map(|(i, by)| Mutation::Reindent(i, by)),
        (any::<Index>(), 0usize..40, text()).prop_map(|(i, n, t)| Mutation::Replace(i, n, t)),
        any::<Index>().prop_map(Mutation::Truncate),
        (
            any::<Index>(),
            prop::sample::select(vec![": ", "- ", "{", "[", "&a ", "*a", "'", "\t", "\n  "])
        )
            .prop_map(|(i, s)| Mutation::Insert(i, s)),
        (any::<Index>(), value()).prop_map(|(i, v)| Mutation::SetValue(i, v)),
    ]
}

/// The byte offset `i` scaled to `text`, moved back to a character boundary.
fn boundary(text: &str, i: &Index) -> usize {
    let mut at = i.index(text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply(text: &str, m: &Mutation) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let n = lines.len().max(1);
    match m {
        Mutation::DeleteLine(i) if !lines.is_empty() => {
            lines.remove(i.index(n));
        }
        Mutation::DuplicateLine(i) if !lines.is_empty() => {
            let line = lines[i.index(n)].clone();
            lines.insert(i.index(n), line);
        }
        Mutation::SwapLines(a, b) if !lines.is_empty() => lines.swap(a.index(n), b.index(n)),
        Mutation::Reindent(i, by) if !lines.is_empty() => {
            let line = &mut lines[i.index(n)];
            *line = if *by >= 0 {
                format!("{}{line}", " ".repeat(*by as usize))
            } else {
                let strip = line.len() - line.trim_start_matches(' ').len();
                line[strip.min(by.unsigned_abs() as usize)..].to_owned()
            };
        }
        Mutation::Replace(i, len, with) => {
            let start = boundary(text, i);
            let mut end = (start + len).min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            return format!("{}{with}{}", &text[..start], &text[end..]);
        }
        Mutation::Truncate(i) => return text[..boundary(text, i)].to_owned(),
        Mutation::SetValue(i, v) => {
            let keyed: Vec<usize> = (0..lines.len())
                .filter(|&k| lines[k].contains(": "))
                .collect();
            if !keyed.is_empty() {
                let line = &mut lines[keyed[i.index(keyed.len())]];
                let key_end = line.find(": ").map_or(0, |at| at + 2);
                line.replace_range(key_end.., v);
            }
        }
        Mutation::Insert(i, s) => {
            let at = boundary(text, i);
            return format!("{}{s}{}", &text[..at], &text[at..]);
        }
        _ => {}
    }
    lines.join("\n") + "\n"
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64)
}

/// Every diagnostic names a file of the spec and a position that exists in it.
fn points_into_a_file(d: &Diagnostic, files: &[(String, String)]) -> Result<(), TestCaseError> {
    let Some((_, text)) = files.iter().find(|(name, _)| *name == d.file) else {
        return Err(TestCaseError::fail(format!(
            "the diagnostic names no file of the spec:\n{d}"
        )));
    };
    // Lines as YAML counts them: a lone `\r` ends one too.
    let lines = text.replace("\r\n", "\n").matches(['\n', '\r']).count() + 1;
    prop_assert!(
        d.pos.line >= 1 && d.pos.line <= lines + 1 && d.pos.col >= 1,
        "the position is not in the file ({lines} lines):\n{d}"
    );
    Ok(())
}

/// A piece of a random YAML file: YAML syntax, words YAML reads specially, runs that nest deep,
/// or any byte at all.
fn piece() -> impl Strategy<Value = Vec<u8>> {
    let syntax = [
        "- ",
        ": ",
        "\n",
        "  ",
        "[",
        "]",
        "{",
        "}",
        ", ",
        "---\n",
        "...\n",
        "!!binary ",
        "!x ",
        "!<tag:x> ",
        "&a ",
        "*a",
        "'",
        "\"",
        "# c",
        "\t",
        "? ",
        "|\n",
        ">-\n",
        "%YAML 1.1\n",
        "\r\n",
        "\r",
        "\u{feff}",
        "key",
        "On",
        "no",
        "~",
        "0x1F",
        "1e9",
        "actions",
        "product",
        "name",
        "params",
        "type",
        "张三",
    ];
    prop_oneof![
        4 => prop::sample::select(syntax.to_vec()).prop_map(|s| s.as_bytes().to_vec()),
        1 => any::<u8>().prop_map(|b| vec![b]),
        1 => (prop::sample::select(vec!["- ", "[", "{a: ", "  "]), 1usize..300)
            .prop_map(|(s, n)| s.repeat(n).into_bytes()),
    ]
}

fn random_file() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(piece(), 0..120).prop_map(|pieces| pieces.concat())
}

/// The minimal spec's files, so that random files meet a spec that otherwise loads.
fn minimal_texts() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
    popgen_spec::load::read_texts(&[dir]).expect("the minimal spec is readable")
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_bytes_never_panic_the_loader(
        files in prop::collection::vec(random_file(), 1..4),
        with_minimal in any::<bool>(),
    ) {
        let mut texts = if with_minimal { minimal_texts() } else { Vec::new() };
        let mut diagnostics = Vec::new();
        for (i, bytes) in files.into_iter().enumerate() {
            let name = format!("random-{i}.yaml");
            let lossy = String::from_utf8_lossy(&bytes).into_owned();
            match decode(&name, bytes) {
                Ok(text) => texts.push((name, text)),
                Err(e) => {
                    // Checked against the text as far as it decodes.
                    diagnostics.push(e);
                    texts.push((name, lossy));
                }
            }
        }
        let loaded = match load_texts(texts.clone()) {
            Ok(loaded) => loaded.warnings,
            Err(errors) => {
                prop_assert!(!errors.is_empty(), "the load failed without a diagnostic");
                errors
            }
        };
        diagnostics.extend(loaded);
        for d in &diagnostics {
            points_into_a_file(d, &texts)?;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        // A failure is reported with its minimal mutations; turn it into a fixture or a unit test.
        failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
        ..ProptestConfig::default()
    })]

    #[test]
    fn mutated_specs_never_panic_the_loader(
        edits in prop::collection::vec((any::<Index>(), mutation()), 1..4),
    ) {
        let mut files = bundled_texts();
        for (file, m) in &edits {
            let k = file.index(files.len());
            files[k].1 = apply(&files[k].1, m);
        }
        let diagnostics = match load_texts(files.clone()) {
            Ok(loaded) => loaded.warnings,
            Err(errors) => {
                prop_assert!(!errors.is_empty(), "the load failed without a diagnostic");
                errors
            }
        };
        for d in &diagnostics {
            points_into_a_file(d, &files)?;
        }
    }
}

#[test]
fn the_unmutated_bundled_spec_loads() {
    assert!(load_texts(bundled_texts()).is_ok());
}
