//! What a careless path does to `popgen check`: a FIFO named `*.yaml`, a symbolic link that
//! leads back up its directory, files past the size limits. Each is an error naming the path,
//! never a hang or a crash. These cannot be checked in as fixtures (git keeps no FIFOs, and a
//! link cycle in the repository trips other tools), so each test builds its directory, a copy of
//! `tests/fixtures/minimal/` with one mistake, in a fresh temporary directory; the output is
//! snapshotted like the broken fixtures' (`tests/snapshots/filesystem__*.snap`).

use std::fs::{self, File};
use std::path::{Path, PathBuf};

use popgen_spec::Level;
use popgen_spec::load::{MAX_FILE_BYTES, MAX_SPEC_BYTES, load_paths};

/// A copy of the minimal spec in a directory of its own, removed when dropped.
struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("popgen-fs-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let spec = dir.join("spec");
        fs::create_dir_all(&spec).expect("create the scratch directory");
        let minimal = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
        for file in ["product.yaml", "actions.yaml"] {
            fs::copy(minimal.join(file), spec.join(file)).expect("copy the minimal spec");
        }
        Scratch { dir }
    }

    fn spec(&self) -> PathBuf {
        self.dir.join("spec")
    }

    /// `popgen check` on the spec: the diagnostics as printed, with the scratch path removed.
    fn check(&self) -> (String, usize) {
        let diagnostics = match load_paths(&[self.spec()]) {
            Ok(loaded) => loaded.warnings,
            Err(d) => d,
        };
        let errors = diagnostics
            .iter()
            .filter(|d| d.level == Level::Error)
            .count();
        let text: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        let prefix = format!("{}/", self.dir.display());
        (text.join("\n\n").replace(&prefix, ""), errors)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// A file of `len` bytes that takes no disk space (all zeros, which is valid UTF-8).
fn sparse(path: &Path, len: u64) {
    File::create(path)
        .and_then(|f| f.set_len(len))
        .expect("create a sparse file");
}

#[cfg(unix)]
#[test]
fn a_fifo_named_yaml_is_refused_without_being_opened() {
    let s = Scratch::new("fifo");
    let fifo = s.spec().join("pipe.yaml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    // Opening a FIFO for reading blocks until a writer comes: a hang here is the bug.
    let (text, errors) = s.check();
    assert_eq!(errors, 1, "{text}");
    insta::assert_snapshot!("fifo-named-yaml", text);
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_cycle_is_reported_once_and_not_followed() {
    let s = Scratch::new("cycle");
    let sub = s.spec().join("areas");
    fs::create_dir_all(&sub).expect("create a subdirectory");
    std::os::unix::fs::symlink("..", sub.join("up")).expect("create the link");
    let (text, errors) = s.check();
    assert_eq!(errors, 1, "{text}");
    insta::assert_snapshot!("symlink-cycle", text);
}

#[test]
fn a_file_past_the_limit_is_refused_before_it_is_read() {
    let s = Scratch::new("large-file");
    sparse(&s.spec().join("huge.yaml"), MAX_FILE_BYTES + 1);
    let (text, errors) = s.check();
    assert_eq!(errors, 1, "{text}");
    insta::assert_snapshot!("file-too-large", text);
}

#[test]
fn files_together_past_the_limit_are_refused_once() {
    let s = Scratch::new("large-spec");
    let per_file = MAX_FILE_BYTES - 1;
    let files = MAX_SPEC_BYTES / per_file + 2;
    for i in 0..files {
        sparse(&s.spec().join(format!("z{i}.yaml")), per_file);
    }
    let (text, errors) = s.check();
    assert_eq!(errors, 1, "one error, not one per file:\n{text}");
    insta::assert_snapshot!("spec-too-large", text);
}

#[test]
fn files_with_a_byte_order_mark_load_as_without() {
    let s = Scratch::new("bom");
    for file in ["product.yaml", "actions.yaml"] {
        let path = s.spec().join(file);
        let text = fs::read_to_string(&path).expect("read the copy");
        fs::write(&path, format!("\u{feff}{text}")).expect("write the copy");
    }
    let (text, errors) = s.check();
    assert_eq!((errors, text.as_str()), (0, ""));
}

#[test]
fn a_missing_path_is_named_without_a_position_in_it() {
    let missing = std::env::temp_dir().join(format!("popgen-fs-{}-missing", std::process::id()));
    let Err(diagnostics) = load_paths(std::slice::from_ref(&missing)) else {
        panic!("a missing path loads");
    };
    let text = diagnostics[0].to_string();
    assert!(text.contains("no such file or directory"), "{text}");
    assert!(
        text.ends_with(&format!("--> {}", missing.display())),
        "no line and column for a file that is not there: {text}"
    );
}
