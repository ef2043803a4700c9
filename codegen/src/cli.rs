//! The commands of the `popgen` binary: argument handling, file I/O and exit codes.

use std::path::PathBuf;
use std::process::ExitCode;

use popgen_spec::{Level, load, stats::Summary};

/// `popgen check [PATH...]`: prints every diagnostic to stderr; on success a summary to stdout.
/// Exit status: 0 valid, 1 errors (or warnings with `deny_warnings`).
pub fn check(paths: &[PathBuf], deny_warnings: bool) -> ExitCode {
    let paths = if paths.is_empty() {
        vec![popgen_spec::bundled_dir()]
    } else {
        paths.to_vec()
    };
    match load::load_paths(&paths) {
        Ok(loaded) => {
            for w in &loaded.warnings {
                eprintln!("{w}\n");
            }
            println!("{}", Summary::of(&loaded.spec));
            if deny_warnings && !loaded.warnings.is_empty() {
                eprintln!(
                    "{} warning(s), denied by --deny-warnings",
                    loaded.warnings.len()
                );
                return ExitCode::FAILURE;
            }
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            for d in &diagnostics {
                eprintln!("{d}\n");
            }
            let errors = diagnostics
                .iter()
                .filter(|d| d.level == Level::Error)
                .count();
            let warnings = diagnostics.len() - errors;
            eprintln!("{errors} error(s), {warnings} warning(s): the spec was not loaded");
            ExitCode::FAILURE
        }
    }
}
