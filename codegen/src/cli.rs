//! The commands of the `popgen` binary: argument handling, file I/O and exit codes.

use std::path::PathBuf;
use std::process::ExitCode;

use popgen_spec::{Level, load, stats::Summary};

/// Prints a line to stdout; a closed pipe (`popgen check | head`) is not an error worth a panic.
macro_rules! say {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($t)*);
    }};
}

/// Prints a line to stderr, ignoring a closed pipe.
macro_rules! warn {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($t)*);
    }};
}

/// `popgen check [PATH...]`: prints every diagnostic to stderr; on success a summary to stdout.
/// Exit status: 0 valid, 1 errors (or warnings with `deny_warnings`).
pub fn check(paths: &[PathBuf], deny_warnings: bool) -> ExitCode {
    if paths.is_empty() {
        return popgen_spec::BUNDLED
            .iter()
            .map(|name| {
                say!("== {name}");
                check(&[popgen_spec::bundled_product(name)], deny_warnings)
            })
            .fold(ExitCode::SUCCESS, worst);
    }
    match load::load_paths(paths) {
        Ok(loaded) => {
            for w in &loaded.warnings {
                warn!("{w}\n");
            }
            say!("{}", Summary::of(&loaded.spec));
            if deny_warnings && !loaded.warnings.is_empty() {
                warn!(
                    "{} warning(s), denied by --deny-warnings",
                    loaded.warnings.len()
                );
                return ExitCode::FAILURE;
            }
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            for d in &diagnostics {
                warn!("{d}\n");
            }
            let errors = diagnostics
                .iter()
                .filter(|d| d.level == Level::Error)
                .count();
            let warnings = diagnostics.len() - errors;
            warn!("{errors} error(s), {warnings} warning(s): the spec was not loaded");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root of this source tree (where `generated/` lives).
fn workspace_root() -> PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), std::path::Path::to_path_buf)
}

fn load_or_report(paths: &[PathBuf]) -> Option<popgen_spec::Loaded> {
    let paths = if paths.is_empty() {
        vec![popgen_spec::bundled_dir()]
    } else {
        paths.to_vec()
    };
    match load::load_paths(&paths) {
        Ok(loaded) => Some(loaded),
        Err(diagnostics) => {
            for d in &diagnostics {
                warn!("{d}\n");
            }
            warn!("the spec has errors: nothing generated (run `popgen check` for details)");
            None
        }
    }
}

/// What `generate` and `docs` work on: a spec and where its output goes, every part optional.
#[derive(Debug, Clone, Default)]
pub struct Target {
    /// Spec files or directories; none: every bundled spec.
    pub spec: Vec<PathBuf>,
    /// Where to write; none: `generated/<crate>` (its `docs/` for the docs).
    pub out: Option<PathBuf>,
    /// The crate's name; none: the product name in lower case.
    pub crate_name: Option<String>,
    /// How headers name the spec; none: the spec path as given.
    pub spec_label: Option<String>,
}

/// One spec to generate from, loaded, with its output's names settled.
struct Job {
    loaded: popgen_spec::Loaded,
    crate_name: String,
    spec_label: String,
    out: Option<PathBuf>,
}

impl Target {
    /// The jobs: each bundled spec, or the one given; `None` when a spec does not load (its
    /// errors are printed).
    fn jobs(self) -> Option<Vec<Job>> {
        if self.spec.is_empty() {
            return popgen_spec::BUNDLED
                .iter()
                .map(|name| {
                    Some(Job {
                        loaded: load_or_report(&[popgen_spec::bundled_product(name)])?,
                        crate_name: (*name).to_owned(),
                        spec_label: format!("spec/{name}"),
                        out: None,
                    })
                })
                .collect();
        }
        let loaded = load_or_report(&self.spec)?;
        let crate_name = self
            .crate_name
            .unwrap_or_else(|| loaded.spec.product.name.to_ascii_lowercase());
        let spec_label = self.spec_label.unwrap_or_else(|| {
            self.spec
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(" ")
        });
        Some(vec![Job {
            loaded,
            crate_name,
            spec_label,
            out: self.out,
        }])
    }
}

/// The worse of two exit codes (failure over success).
fn worst(a: ExitCode, b: ExitCode) -> ExitCode {
    if a == ExitCode::SUCCESS { b } else { a }
}

/// `popgen generate [--spec PATH...] [--out DIR] [--check]`: each bundled spec into
/// `generated/<name>`, or the one given. A crate written inside this workspace takes its
/// dependencies from the workspace; one written elsewhere names them explicitly, as paths into
/// `popgen_path` when given.
/// Exit status: 0 written (or up to date with `--check`), 1 stale or spec errors, 2 I/O errors.
pub fn generate(
    target: Target,
    check: bool,
    shadow_prelude: bool,
    cli_name: Option<String>,
    popgen_path: Option<PathBuf>,
) -> ExitCode {
    let Some(jobs) = target.jobs() else {
        return ExitCode::FAILURE;
    };
    jobs.into_iter()
        .map(|job| {
            let out = job
                .out
                .clone()
                .unwrap_or_else(|| workspace_root().join("generated").join(&job.crate_name));
            let opts = crate::generate::Options {
                deps: deps_for(&out, popgen_path.as_deref()),
                spec_label: job.spec_label,
                crate_name: job.crate_name,
                shadow_prelude,
                cli_name: cli_name.clone(),
            };
            generate_one(&job.loaded.spec, &out, check, &opts)
        })
        .fold(ExitCode::SUCCESS, worst)
}

/// Where a crate at `out` gets popgen's crates from.
fn deps_for(out: &std::path::Path, popgen_path: Option<&std::path::Path>) -> crate::generate::Deps {
    if let Some(p) = popgen_path {
        return crate::generate::Deps::Path(p.display().to_string());
    }
    let absolute = std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf());
    if absolute.starts_with(workspace_root()) {
        crate::generate::Deps::Workspace
    } else {
        crate::generate::Deps::Published
    }
}

fn generate_one(
    spec: &popgen_spec::Spec,
    out: &std::path::Path,
    check: bool,
    opts: &crate::generate::Options,
) -> ExitCode {
    let files = crate::generate(spec, opts);
    let stale = stale_files(out, &files);
    if check {
        if stale.is_empty() {
            say!("{} is up to date ({} files)", out.display(), files.len());
            return ExitCode::SUCCESS;
        }
        for s in &stale {
            warn!("{s}");
        }
        warn!(
            "{} file(s) in {} differ from what the spec produces: run `cargo run -p popgen -- generate`",
            stale.len(),
            out.display()
        );
        return ExitCode::FAILURE;
    }
    match write_all(out, &files) {
        Ok(written) => {
            let actions = spec.actions.len();
            let changed = match written {
                0 => "all up to date".to_owned(),
                n => format!("wrote {n} that changed"),
            };
            say!(
                "{}: checked ({} action{}, no errors); {}: {} files, {changed}",
                opts.spec_label,
                actions,
                if actions == 1 { "" } else { "s" },
                out.display(),
                files.len(),
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            warn!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// Files that differ, are missing, or are left over from an older spec (generated `.rs` files
/// under `src/` that the spec no longer produces).
fn stale_files(out: &std::path::Path, files: &crate::Generated) -> Vec<String> {
    let mut stale = Vec::new();
    for (rel, content) in files {
        match std::fs::read_to_string(out.join(rel)) {
            Ok(on_disk) if &on_disk == content => {}
            Ok(_) => stale.push(format!("differs: {rel}")),
            Err(_) => stale.push(format!("missing: {rel}")),
        }
    }
    for rel in generated_leftovers(out, files) {
        stale.push(format!("left over: {rel}"));
    }
    stale
}

fn generated_leftovers(out: &std::path::Path, files: &crate::Generated) -> Vec<String> {
    let mut found = Vec::new();
    let mut dirs = vec![out.join("src")];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let path = e.path();
            if path.is_dir() {
                dirs.push(path);
            } else if let Ok(rel) = path.strip_prefix(out) {
                let rel = rel.to_string_lossy().replace('\\', "/");
                if rel.ends_with(".rs") && !files.contains_key(&rel) {
                    found.push(rel);
                }
            }
        }
    }
    found.sort();
    found
}

fn write_all(out: &std::path::Path, files: &crate::Generated) -> std::io::Result<usize> {
    let mut written = 0;
    for (rel, content) in files {
        let path = out.join(rel);
        if std::fs::read_to_string(&path).is_ok_and(|c| &c == content) {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, content)?;
        written += 1;
    }
    for rel in generated_leftovers(out, files) {
        std::fs::remove_file(out.join(&rel))?;
    }
    Ok(written)
}

/// Options of `popgen diff`.
#[derive(Debug, Clone, Default)]
pub struct DiffOptions {
    /// How the report is printed.
    pub format: crate::diff::render::Format,
    /// From which severity on the exit status is 1.
    pub fail_on: crate::diff::FailOn,
    /// An ignore file of accepted changes.
    pub ignore: Option<PathBuf>,
    /// A CHANGELOG to add this diff's section to.
    pub changelog: Option<PathBuf>,
}

/// `popgen diff OLD NEW`: prints every change between two spec versions to stdout.
/// Exit status: 0 nothing fails at `fail_on`, 1 something does, 2 bad input (spec errors, an
/// unreadable or invalid ignore file, a CHANGELOG that cannot be written).
pub fn diff(old: &std::path::Path, new: &std::path::Path, opts: &DiffOptions) -> ExitCode {
    use crate::diff::{Report, ignore::IgnoreFile, render};
    let bad_input = ExitCode::from(2);
    let load = |label: &str, path: &std::path::Path| match load::load_paths(&[path.to_path_buf()]) {
        Ok(loaded) => Some(loaded.spec),
        Err(diagnostics) => {
            for d in &diagnostics {
                warn!("{d}\n");
            }
            warn!(
                "the {label} spec ({}) has errors: nothing compared",
                path.display()
            );
            None
        }
    };
    let (Some(old_spec), Some(new_spec)) = (load("old", old), load("new", new)) else {
        return bad_input;
    };
    let mut report = Report::new(&old_spec, &new_spec);
    if let Some(path) = &opts.ignore {
        let parsed = std::fs::read_to_string(path)
            .map_err(|e| vec![e.to_string()])
            .and_then(|text| IgnoreFile::parse(&text));
        match parsed {
            Ok(file) => {
                for stale in file.apply(&mut report.changes) {
                    warn!(
                        "warning: {}: `{}` accepts no change (stale entry?)",
                        path.display(),
                        stale.id
                    );
                }
            }
            Err(errors) => {
                for e in errors {
                    warn!("error: {}: {e}", path.display());
                }
                return bad_input;
            }
        }
    }
    if let Some(path) = &opts.changelog {
        let existing = std::fs::read_to_string(path).unwrap_or_default();
        let updated = render::insert_changelog(&existing, &render::changelog_section(&report));
        if let Err(e) = std::fs::write(path, updated) {
            warn!("error: cannot write {}: {e}", path.display());
            return bad_input;
        }
    }
    {
        use std::io::Write as _;
        let _ = std::io::stdout().write_all(opts.format.render(&report).as_bytes());
    }
    if report.fails(opts.fail_on) {
        for c in report.changes.iter().filter(|c| c.fails(opts.fail_on)) {
            warn!(
                "error: {} ({}): {} → {}: {}",
                c.id,
                c.severity,
                c.old.as_deref().unwrap_or("-"),
                c.new.as_deref().unwrap_or("-"),
                c.why
            );
        }
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// `popgen docs [--spec PATH...] [--out DIR] [--check]`: the API reference as a static HTML site
/// (`DIR/html/`) and Markdown (`DIR/md/`), by default in the workspace's `generated/docs/`.
/// Exit status: 0 written (or up to date with `--check`), 1 stale or spec errors, 2 I/O errors.
pub fn docs(target: Target, check: bool) -> ExitCode {
    let Some(jobs) = target.jobs() else {
        return ExitCode::FAILURE;
    };
    jobs.into_iter()
        .map(|job| {
            let out = job.out.clone().unwrap_or_else(|| {
                workspace_root()
                    .join("generated")
                    .join(&job.crate_name)
                    .join("docs")
            });
            let opts = crate::site::Options {
                spec_label: job.spec_label,
                crate_name: job.crate_name,
            };
            docs_one(&job.loaded.spec, &out, check, &opts)
        })
        .fold(ExitCode::SUCCESS, worst)
}

fn docs_one(
    spec: &popgen_spec::Spec,
    out: &std::path::Path,
    check: bool,
    opts: &crate::site::Options,
) -> ExitCode {
    let out = out.to_path_buf();
    let files = crate::site::render(spec, opts);
    let leftovers = docs_leftovers(&out, &files);
    if check {
        let mut stale: Vec<String> = files
            .iter()
            .filter_map(
                |(rel, content)| match std::fs::read_to_string(out.join(rel)) {
                    Ok(on_disk) if &on_disk == content => None,
                    Ok(_) => Some(format!("differs: {rel}")),
                    Err(_) => Some(format!("missing: {rel}")),
                },
            )
            .collect();
        stale.extend(leftovers.iter().map(|rel| format!("left over: {rel}")));
        if stale.is_empty() {
            say!("{} is up to date ({} files)", out.display(), files.len());
            return ExitCode::SUCCESS;
        }
        for s in &stale {
            warn!("{s}");
        }
        warn!(
            "{} file(s) in {} differ from what the spec produces: run `cargo run -p popgen -- docs`",
            stale.len(),
            out.display()
        );
        return ExitCode::FAILURE;
    }
    let written = (|| -> std::io::Result<usize> {
        let mut written = 0;
        for (rel, content) in &files {
            let path = out.join(rel);
            if std::fs::read_to_string(&path).is_ok_and(|c| &c == content) {
                continue;
            }
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, content)?;
            written += 1;
        }
        for rel in &leftovers {
            std::fs::remove_file(out.join(rel))?;
        }
        Ok(written)
    })();
    match written {
        Ok(written) => {
            say!(
                "wrote {} of {} files to {} (open html/index.html, or serve it: python3 -m http.server -d {})",
                written,
                files.len(),
                out.display(),
                out.join("html").display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            warn!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// Files under `html/` and `md/` of a docs directory that the spec no longer produces (an action
/// that was removed): `popgen docs` deletes them, `--check` reports them.
fn docs_leftovers(out: &std::path::Path, files: &crate::site::Site) -> Vec<String> {
    let mut found = Vec::new();
    let mut dirs = vec![out.join("html"), out.join("md")];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let path = e.path();
            if path.is_dir() {
                dirs.push(path);
            } else if let Ok(rel) = path.strip_prefix(out) {
                let rel = rel.to_string_lossy().replace('\\', "/");
                if !files.contains_key(&rel) {
                    found.push(rel);
                }
            }
        }
    }
    found.sort();
    found
}

/// `popgen curate --from OLD --base BASE --out DIR`: writes the curation that carries the
/// hand-written spec OLD over onto BASE (an imported spec). Refuses to overwrite curation files
/// that exist (they are edited by hand) unless `force`.
/// Exit status: 0 written, 1 spec errors or files in the way, 2 I/O errors.
pub fn curate(
    from: &std::path::Path,
    base: &std::path::Path,
    out: &std::path::Path,
    label: &str,
    force: bool,
) -> ExitCode {
    let (Some(old), Some(base)) = (
        load_or_report(&[from.to_path_buf()]),
        load_or_report(&[base.to_path_buf()]),
    ) else {
        return ExitCode::FAILURE;
    };
    let files = crate::curate::curate(&old.spec, &base.spec, label);
    let in_the_way: Vec<String> = files
        .keys()
        .filter(|f| out.join(f).exists())
        .map(|f| out.join(f).display().to_string())
        .collect();
    if !force && !in_the_way.is_empty() {
        warn!(
            "error: curation files exist and may hold hand edits: {}\n  = hint: pass --force to overwrite them, or write elsewhere with --out",
            in_the_way.join(", ")
        );
        return ExitCode::FAILURE;
    }
    let written = std::fs::create_dir_all(out).and_then(|()| {
        files
            .iter()
            .try_for_each(|(name, text)| std::fs::write(out.join(name), text))
    });
    match written {
        Ok(()) => {
            say!(
                "wrote {} curation file(s) to {}",
                files.len(),
                out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            warn!("error: cannot write to {}: {e}", out.display());
            ExitCode::from(2)
        }
    }
}

/// The file that marks a directory as written by `popgen import` (so a re-import may remove
/// the spec files it no longer writes, and nothing else).
const IMPORT_MARK: &str = ".popgen-import";

/// `popgen import METADATA... --out DIR [--check]`: writes the spec of the metadata files into
/// DIR (or, with `check`, only compares). Exit status: 0 written (or up to date), 1 bad metadata,
/// a directory that is not an import's, or stale files with `check`; 2 I/O errors.
pub fn import(metadata: &[PathBuf], out: &std::path::Path, check: bool) -> ExitCode {
    let mut inputs = Vec::new();
    for path in metadata {
        match read_bounded(path, popgen_import::MAX_INPUT) {
            Ok(text) => inputs.push((path.display().to_string(), text)),
            Err(e) => {
                warn!("error: cannot read {}: {e}", path.display());
                return ExitCode::FAILURE;
            }
        }
    }
    let imported = match popgen_import::import(&inputs) {
        Ok(i) => i,
        Err(diagnostics) => {
            for d in &diagnostics {
                warn!("{d}\n");
            }
            let errors = diagnostics
                .iter()
                .filter(|d| d.level == Level::Error)
                .count();
            warn!("{errors} error(s): nothing written");
            return ExitCode::FAILURE;
        }
    };
    for d in &imported.warnings {
        warn!("{d}\n");
    }
    if check {
        return import_check(out, &imported.files);
    }
    if out.exists() && !out.join(IMPORT_MARK).exists() && dir_has_yaml(out) {
        warn!(
            "error: {} holds spec files `popgen import` did not write\n  = hint: import into an empty directory (curation goes in a `curation/` directory beside it)",
            out.display()
        );
        return ExitCode::FAILURE;
    }
    match write_import(out, &imported.files, &inputs) {
        Ok(()) => {
            say!(
                "wrote {} spec file(s) to {} ({} warning(s))",
                imported.files.len(),
                out.display(),
                imported.warnings.len()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            warn!("error: cannot write to {}: {e}", out.display());
            ExitCode::from(2)
        }
    }
}

/// Compares DIR with what the import writes: files that differ, are missing or are left over.
fn import_check(
    out: &std::path::Path,
    files: &std::collections::BTreeMap<String, String>,
) -> ExitCode {
    let mut stale: Vec<String> = files
        .iter()
        .filter(|(name, text)| {
            std::fs::read_to_string(out.join(name)).ok().as_deref() != Some(text.as_str())
        })
        .map(|(name, _)| name.clone())
        .collect();
    if let Ok(entries) = std::fs::read_dir(out) {
        stale.extend(
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".yaml") && !files.contains_key(n)),
        );
    }
    if stale.is_empty() {
        say!("{} is up to date ({} files)", out.display(), files.len());
        return ExitCode::SUCCESS;
    }
    for s in &stale {
        warn!("differs: {s}");
    }
    warn!(
        "{} file(s) in {} differ from what the metadata imports to: run `popgen import` without --check",
        stale.len(),
        out.display()
    );
    ExitCode::FAILURE
}

/// Reads a regular file of at most `limit` bytes (a FIFO or a device is refused, not waited on).
fn read_bounded(path: &std::path::Path, limit: usize) -> std::io::Result<String> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    if meta.len() > limit as u64 {
        return Err(std::io::Error::other(format!(
            "{} bytes, more than {limit}",
            meta.len()
        )));
    }
    std::fs::read_to_string(path)
}

fn dir_has_yaml(dir: &std::path::Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            e.path()
                .extension()
                .is_some_and(|x| x == "yaml" || x == "yml")
        })
    })
}

/// Writes the files, removes the `.yaml` files of an earlier import that this one no longer
/// writes, and marks the directory.
fn write_import(
    out: &std::path::Path,
    files: &std::collections::BTreeMap<String, String>,
    inputs: &[(String, String)],
) -> std::io::Result<()> {
    std::fs::create_dir_all(out)?;
    for entry in std::fs::read_dir(out)?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".yaml") && !files.contains_key(&name) {
            std::fs::remove_file(entry.path())?;
        }
    }
    for (name, text) in files {
        let path = out.join(name);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            std::fs::write(path, text)?;
        }
    }
    let sources: Vec<String> = inputs
        .iter()
        .map(|(n, _)| {
            std::path::Path::new(n)
                .file_name()
                .map_or_else(|| n.clone(), |f| f.to_string_lossy().into_owned())
        })
        .collect();
    std::fs::write(
        out.join(IMPORT_MARK),
        format!(
            "Written by `popgen import` from: {}\nRe-import to change these files; curate beside them.\n",
            sources.join(", ")
        ),
    )
}

/// `popgen merged [PATH...]`: the spec as one YAML file on stdout.
/// Exit status: 0 printed, 1 spec errors.
pub fn merged(paths: &[PathBuf]) -> ExitCode {
    let Some(loaded) = load_or_report(paths) else {
        return ExitCode::FAILURE;
    };
    let header = format!(
        "The {} {} spec as the generator reads it (`popgen merged`): the base with its\ncuration laid over it. Edit the spec files, not this.",
        loaded.spec.product.name, loaded.spec.product.version
    );
    say!(
        "{}",
        popgen_spec::write::to_yaml(&loaded.spec.to_file(), &header).trim_end()
    );
    ExitCode::SUCCESS
}
