//! The file system side of loading: which files a spec is made of, and their text. Everything a
//! careless path can do is an error naming the path, never a hang or a crash: a FIFO or device
//! named `*.yaml` is not opened, a symbolic link that leads back up its own directory tree is
//! not followed round, a file past [`MAX_FILE_BYTES`] (or a spec past [`MAX_SPEC_BYTES`]) is not
//! read, and a byte that is not UTF-8 is reported at its line and column.

use std::fs::{self, File};
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Level};
use crate::yaml::Pos;

/// The largest spec file read: far past any real spec (the bundled ones are below 200 KiB per
/// file), and small enough that parsing it stays well under a second and a few hundred MiB.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// The largest total size of the files of one spec.
pub const MAX_SPEC_BYTES: u64 = 32 * 1024 * 1024;

/// Lists the spec files of `paths`: files as given, directories expanded to their `*.yaml` /
/// `*.yml` files (recursively, sorted so the result does not depend on the file system).
pub fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Vec<Diagnostic>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found = Vec::new();
            let mut walk = Walk {
                out: &mut found,
                errors: &mut errors,
                ancestors: Vec::new(),
            };
            walk.dir(p);
            if found.is_empty() {
                errors.push(file_error(
                    p,
                    "the directory holds no `.yaml` or `.yml` file".into(),
                    None,
                ));
            }
            found.sort();
            out.extend(found);
        } else if p.exists() {
            out.push(p.clone());
        } else {
            errors.push(file_error(p, "no such file or directory".into(), None));
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// A walk down a directory tree, which knows the real directories it is inside.
struct Walk<'a> {
    out: &'a mut Vec<PathBuf>,
    errors: &'a mut Vec<Diagnostic>,
    /// The directories being walked, outermost first: as named, and their real paths.
    ancestors: Vec<(PathBuf, PathBuf)>,
}

impl Walk<'_> {
    fn dir(&mut self, dir: &Path) {
        let real = match fs::canonicalize(dir) {
            Ok(real) => real,
            Err(e) => return self.error(dir, format!("cannot read the directory: {e}"), None),
        };
        // A symbolic link to a directory the walk is inside would be followed round forever.
        if let Some((ancestor, _)) = self.ancestors.iter().find(|(_, a)| *a == real) {
            let message = format!(
                "a symbolic link cycle: this leads back to `{}`, which contains it",
                ancestor.display()
            );
            let hint = "remove the link, or point it outside the spec's directories";
            return self.error(dir, message, Some(hint.into()));
        }
        let entries = match fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => return self.error(dir, format!("cannot read the directory: {e}"), None),
        };
        self.ancestors.push((dir.to_path_buf(), real));
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                self.dir(&path);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml")
            ) {
                self.out.push(path);
            }
        }
        self.ancestors.pop();
    }

    fn error(&mut self, path: &Path, message: String, hint: Option<String>) {
        self.errors.push(file_error(path, message, hint));
    }
}

pub(crate) fn file_error(path: &Path, message: String, hint: Option<String>) -> Diagnostic {
    named_error(&path.display().to_string(), message, hint)
}

fn named_error(name: &str, message: String, hint: Option<String>) -> Diagnostic {
    Diagnostic {
        level: Level::Error,
        file: name.to_owned(),
        // Line 0: about the file as a whole (it is missing, unreadable, too large...).
        pos: Pos { line: 0, col: 0 },
        path: String::new(),
        message,
        hint,
    }
}

/// Reads the spec files of `paths` (directories expanded as [`expand`] does) as `(name, text)`,
/// the input of [`super::load_texts`]. Every file that cannot be read is reported.
pub fn read_texts(paths: &[PathBuf]) -> Result<Vec<(String, String)>, Vec<Diagnostic>> {
    let files = expand(paths)?;
    let mut texts = Vec::new();
    let mut errors = Vec::new();
    let mut total = 0;
    for f in &files {
        match read(f, &mut total) {
            Ok(t) => texts.push((f.display().to_string(), t)),
            Err(e) => errors.push(e),
        }
        // Past the total, every further file would be refused for the same reason.
        if total > MAX_SPEC_BYTES {
            break;
        }
    }
    if errors.is_empty() {
        Ok(texts)
    } else {
        Err(errors)
    }
}

/// One file's text, refused before it is opened when it is not a regular file or too large.
/// `total` counts the bytes of the spec's files read so far.
fn read(path: &Path, total: &mut u64) -> Result<String, Diagnostic> {
    let cannot = |e: std::io::Error| file_error(path, format!("cannot read the file: {e}"), None);
    let meta = fs::metadata(path).map_err(cannot)?;
    if !meta.is_file() {
        return Err(file_error(
            path,
            format!("not a regular file, but {}", kind(&meta.file_type())),
            Some("a spec is made of regular files (and directories of them); popgen does not read pipes or devices".into()),
        ));
    }
    *total += meta.len();
    if let Some(e) = size_problem(&path.display().to_string(), meta.len(), *total) {
        return Err(e);
    }
    let mut bytes = Vec::new();
    // The file may grow between the look and the read: never read past the limit.
    File::open(path)
        .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(cannot)?;
    if let Some(e) = size_problem(&path.display().to_string(), bytes.len() as u64, *total) {
        return Err(e);
    }
    decode(&path.display().to_string(), bytes)
}

/// What a file that is not a regular file is, for the error.
#[cfg(unix)]
fn kind(t: &fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if t.is_fifo() {
        "a named pipe (FIFO)"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_block_device() || t.is_char_device() {
        "a device"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn kind(_: &fs::FileType) -> &'static str {
    "a special file"
}

/// The error for a file of `len` bytes when the spec's files so far make `total`, if either is
/// past its limit.
pub(crate) fn size_problem(name: &str, len: u64, total: u64) -> Option<Diagnostic> {
    let mib = |n: u64| n / (1024 * 1024);
    let (message, hint) = if len > MAX_FILE_BYTES {
        (
            format!("the file is larger than {} MiB", mib(MAX_FILE_BYTES)),
            "split the spec into files (one per area, as the bundled specs are)",
        )
    } else if total > MAX_SPEC_BYTES {
        (
            format!(
                "the spec's files together are larger than {} MiB",
                mib(MAX_SPEC_BYTES)
            ),
            "check that the paths name only this spec's files",
        )
    } else {
        return None;
    };
    Some(named_error(name, message, Some(hint.into())))
}

/// A file's bytes as text. A byte that is not UTF-8 is reported at its line and column.
///
/// ```
/// let e = popgen_spec::load::decode("a.yaml", b"a: 1\nb: caf\xe9\n".to_vec()).unwrap_err();
/// assert_eq!((e.pos.line, e.pos.col), (2, 7));
/// assert_eq!(e.message, "the file is not UTF-8: byte 0xE9 is not a character here");
/// ```
pub fn decode(name: &str, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let at = e.utf8_error().valid_up_to();
        let (line, col) = line_col(&bytes[..at]);
        Diagnostic {
            pos: Pos { line, col },
            ..named_error(
                name,
                format!(
                    "the file is not UTF-8: byte 0x{:02X} is not a character here",
                    bytes[at]
                ),
                Some("spec files are UTF-8 text; convert this one (a GBK file: `iconv -f GBK -t UTF-8`)".into()),
            )
        }
    })
}

/// The line and column just past `before`, counted as the YAML parser counts them: a line ends
/// at `\n`, `\r\n` or a lone `\r`; a column is a character. `before` is valid UTF-8.
fn line_col(before: &[u8]) -> (usize, usize) {
    let text = String::from_utf8_lossy(before);
    let mut line = 1;
    let mut col = 1;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let crlf = c == '\r' && chars.peek() == Some(&'\n');
        if c == '\n' || (c == '\r' && !crlf) {
            line += 1;
            col = 1;
        } else if !crlf {
            col += 1;
        }
    }
    (line, col)
}
