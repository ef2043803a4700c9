//! The `popgen` command line: a thin shell over the `popgen` library and `popgen-spec`, which do
//! no I/O of their own.
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
        /// Spec files or directories (default: the bundled Dyvmsapi spec).
        paths: Vec<PathBuf>,
        /// Treat warnings as errors.
        #[arg(long)]
        deny_warnings: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check {
            paths,
            deny_warnings,
        } => popgen::cli::check(&paths, deny_warnings),
    }
}
