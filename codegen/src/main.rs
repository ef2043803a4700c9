//! The `popgen` command line: a thin shell over the `popgen` library and `popgen-spec`, which do
//! no I/O of their own.
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

// Generation allocates many small token trees; glibc's malloc spent a third of the run time in
// allocation (perf), mimalloc roughly halves that.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Spec-driven toolkit for Alibaba Cloud RPC APIs.
#[derive(Parser)]
#[command(name = "popgen", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Load and check a spec; print every problem with file:line:column, or a summary.
    Check {
        /// Spec files or directories (default: every bundled spec, one after the other).
        paths: Vec<PathBuf>,
        /// The same as PATHS.
        #[arg(long = "spec")]
        spec: Vec<PathBuf>,
        /// Treat warnings as errors.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Generate the client crate from a spec (default: every bundled spec into generated/NAME).
    Generate {
        /// Spec files or directories (default: every bundled spec).
        paths: Vec<PathBuf>,
        /// The same as PATHS (kept for scripts that name the spec with a flag).
        #[arg(long = "spec")]
        spec: Vec<PathBuf>,
        /// The crate directory to write (default: generated/CRATE-NAME).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Write nothing; exit 1 and name the files that differ from what the spec produces.
        #[arg(long)]
        check: bool,
        /// The generated crate's name (default: the product name in lower case).
        #[arg(long)]
        crate_name: Option<String>,
        /// How headers name the spec (default: the --spec path as given; keep it relative:
        /// headers must not depend on the checkout).
        #[arg(long)]
        spec_label: Option<String>,
        /// Shadow the prelude in every module (tests that emitted paths are absolute).
        #[arg(long, hide = true)]
        shadow_prelude: bool,
        /// The command-line binary's name (feature `cli`); default: the product name in lower
        /// case without a trailing `api` (`dyvms`).
        #[arg(long)]
        cli_name: Option<String>,
        /// Make the crate's dependencies paths into this popgen checkout (for a crate outside
        /// the workspace, until popgen's crates are published).
        #[arg(long)]
        popgen_path: Option<PathBuf>,
    },
    /// Write the API reference: a static HTML site (works offline) and the same as Markdown.
    Docs {
        /// Spec files or directories (default: every bundled spec).
        paths: Vec<PathBuf>,
        /// The same as PATHS (kept for scripts that name the spec with a flag).
        #[arg(long = "spec")]
        spec: Vec<PathBuf>,
        /// The directory to write, with `html/` and `md/` in it (default: generated/CRATE-NAME/docs/).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Write nothing; exit 1 and name the files that differ from what the spec produces.
        #[arg(long)]
        check: bool,
        /// The client crate the Rust examples use (default: the product name in lower case).
        #[arg(long)]
        crate_name: Option<String>,
        /// How headers name the spec (default: the --spec path as given).
        #[arg(long)]
        spec_label: Option<String>,
    },
    /// Print the spec as one YAML file: what the generator reads once the curation is laid over
    /// the imported base.
    Merged {
        /// Spec files or directories (default: the bundled Dyvmsapi spec).
        paths: Vec<PathBuf>,
    },
    /// Turn Alibaba's API metadata (api-docs JSON) into a spec directory. Several files of one
    /// product version merge, oldest first: the newest structure wins, older prose is kept.
    Import {
        /// Metadata files, oldest snapshot first.
        #[arg(required = true)]
        metadata: Vec<PathBuf>,
        /// The spec directory to write (only popgen import writes in it).
        #[arg(long)]
        out: PathBuf,
        /// Write nothing; exit 1 naming every file that differs from what the metadata imports to.
        #[arg(long)]
        check: bool,
    },
    /// Write the curation that carries a hand-written spec over onto an imported one: what the
    /// old spec says and the imported base does not (the permissive reading wins disagreements,
    /// each recorded as a note).
    Curate {
        /// The hand-written spec (files or a directory).
        #[arg(long)]
        from: PathBuf,
        /// The imported base it is laid over.
        #[arg(long)]
        base: PathBuf,
        /// The curation directory to write (name it `curation`, beside the base).
        #[arg(long)]
        out: PathBuf,
        /// How notes name the hand-written spec.
        #[arg(long, default_value = "the hand-written spec")]
        label: String,
        /// Overwrite curation files that exist.
        #[arg(long)]
        force: bool,
    },
    /// Compare two spec versions: every change, and what it breaks on the wire and in Rust.
    /// Exit status: 0 compatible, 1 something fails `--fail-on`, 2 bad input.
    Diff {
        /// The old spec (a file or a directory of spec files).
        old: PathBuf,
        /// The new spec (a file or a directory of spec files).
        new: PathBuf,
        /// Output format.
        #[arg(long, default_value = "text", value_parser = ["text", "markdown", "json"])]
        format: String,
        /// Exit with status 1 from this severity on.
        #[arg(long, default_value = "breaking", value_parser = ["breaking", "warning", "never"])]
        fail_on: String,
        /// A YAML file of accepted changes (`accept: [{id, reason}]`); they are still listed.
        #[arg(long)]
        ignore: Option<PathBuf>,
        /// Add this diff as the newest section of a CHANGELOG file (created if missing).
        #[arg(long)]
        changelog: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check {
            mut paths,
            spec,
            deny_warnings,
        } => {
            paths.extend(spec);
            popgen::cli::check(&paths, deny_warnings)
        }
        Command::Generate {
            mut paths,
            spec,
            out,
            check,
            crate_name,
            spec_label,
            shadow_prelude,
            cli_name,
            popgen_path,
        } => {
            paths.extend(spec);
            let target = popgen::cli::Target {
                spec: paths,
                out,
                crate_name,
                spec_label,
            };
            popgen::cli::generate(target, check, shadow_prelude, cli_name, popgen_path)
        }
        Command::Docs {
            mut paths,
            spec,
            out,
            check,
            crate_name,
            spec_label,
        } => {
            paths.extend(spec);
            let target = popgen::cli::Target {
                spec: paths,
                out,
                crate_name,
                spec_label,
            };
            popgen::cli::docs(target, check)
        }
        Command::Merged { paths } => popgen::cli::merged(&paths),
        Command::Import {
            metadata,
            out,
            check,
        } => popgen::cli::import(&metadata, &out, check),
        Command::Curate {
            from,
            base,
            out,
            label,
            force,
        } => popgen::cli::curate(&from, &base, &out, &label, force),
        Command::Diff {
            old,
            new,
            format,
            fail_on,
            ignore,
            changelog,
        } => {
            let opts = popgen::cli::DiffOptions {
                format: format.parse().unwrap_or_default(),
                fail_on: fail_on.parse().unwrap_or_default(),
                ignore,
                changelog,
            };
            popgen::cli::diff(&old, &new, &opts)
        }
    }
}
