//! What the command line takes from its surroundings besides its arguments ([`Environment`]),
//! and what it does with a terminal: the client's tracing spans on stderr (`-v`, `RUST_LOG`),
//! colour on a terminal only.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::format::FmtSpan;

/// Looks up an environment variable.
pub type Vars = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// What one invocation reads besides its arguments. [`Environment::process`] is the real one
/// (what `main` uses); a test builds its own, e.g. with no credentials anywhere.
#[derive(Clone)]
pub struct Environment {
    /// Looks up an environment variable: `RUST_LOG`, `NO_COLOR`, and the credential chain's
    /// (`ALIBABA_CLOUD_ACCESS_KEY_ID`...).
    pub vars: Vars,
    /// The home directory, where the credential chain's files are (`None`: no files).
    pub home: Option<PathBuf>,
    /// Whether standard output is a terminal (colour for help text).
    pub stdout_is_terminal: bool,
    /// Whether standard error is a terminal (colour for errors, warnings and logs).
    pub stderr_is_terminal: bool,
    /// Logs go straight to the process's stderr as they happen, through a process-wide
    /// subscriber (what `main` wants: a hanging call shows its spans at once); otherwise they are
    /// collected into [`super::Output::stderr`], ahead of what the command printed there.
    pub logs_to_stderr: bool,
}

impl std::fmt::Debug for Environment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Environment")
            .field("home", &self.home)
            .field("stdout_is_terminal", &self.stdout_is_terminal)
            .field("stderr_is_terminal", &self.stderr_is_terminal)
            .field("logs_to_stderr", &self.logs_to_stderr)
            .finish_non_exhaustive()
    }
}

impl Environment {
    /// The process's variables, home directory and terminals.
    pub fn process() -> Self {
        use std::io::IsTerminal as _;
        let sources = popgen_runtime::credentials::CredentialSources::from_process();
        Environment {
            vars: Arc::new(|name| std::env::var(name).ok()),
            home: sources.home,
            stdout_is_terminal: std::io::stdout().is_terminal(),
            stderr_is_terminal: std::io::stderr().is_terminal(),
            logs_to_stderr: true,
        }
    }

    /// Nothing: no variables, no home directory, no terminal, logs collected.
    pub fn isolated() -> Self {
        Environment {
            vars: Arc::new(|_| None),
            home: None,
            stdout_is_terminal: false,
            stderr_is_terminal: false,
            logs_to_stderr: false,
        }
    }

    pub(super) fn var(&self, name: &str) -> Option<String> {
        (self.vars)(name).filter(|v| !v.is_empty())
    }
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub(super) enum ColorArg {
    /// On a terminal, unless `NO_COLOR` is set.
    #[default]
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Whether stdout and stderr get colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Colors {
    pub(super) stdout: bool,
    pub(super) stderr: bool,
}

impl Colors {
    pub(super) fn new(choice: ColorArg, env: &Environment) -> Self {
        match choice {
            ColorArg::Always => Colors {
                stdout: true,
                stderr: true,
            },
            ColorArg::Never => Colors {
                stdout: false,
                stderr: false,
            },
            ColorArg::Auto => {
                let allowed = env.var("NO_COLOR").is_none();
                Colors {
                    stdout: allowed && env.stdout_is_terminal,
                    stderr: allowed && env.stderr_is_terminal,
                }
            }
        }
    }

    /// From the raw arguments, for what is printed before they parse (a usage error, `--help`):
    /// the last `--color` given.
    pub(super) fn before_parsing(args: &[String], env: &Environment) -> Self {
        let mut choice = ColorArg::Auto;
        let mut next_is_value = false;
        for arg in args.iter().skip(1) {
            let value = if next_is_value {
                next_is_value = false;
                Some(arg.as_str())
            } else if arg == "--color" {
                next_is_value = true;
                None
            } else {
                arg.strip_prefix("--color=")
            };
            match value {
                Some("always") => choice = ColorArg::Always,
                Some("never") => choice = ColorArg::Never,
                Some(_) => choice = ColorArg::Auto,
                None => {}
            }
        }
        Colors::new(choice, env)
    }
}

/// `text` with the `error:`, `warning:`, `note:` and `hint:` that start its lines in bold colour
/// (red, yellow, cyan, cyan), when `on`.
pub(super) fn paint(text: String, on: bool) -> String {
    const PREFIXES: [(&str, &str); 4] = [
        ("error:", "\x1b[1;31m"),
        ("warning:", "\x1b[1;33m"),
        ("note:", "\x1b[1;36m"),
        ("hint:", "\x1b[1;36m"),
    ];
    if !on {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 64);
    for line in text.split_inclusive('\n') {
        match PREFIXES.iter().find(|(p, _)| line.starts_with(p)) {
            Some((prefix, style)) => {
                let _ = write!(out, "{style}{prefix}\x1b[0m{}", &line[prefix.len()..]);
            }
            None => out.push_str(line),
        }
    }
    out
}

/// The tracing filter for `-v` repeated `verbose` times, or `RUST_LOG` when it is set (then it
/// decides alone, as users of other Rust tools expect); `None` when there is nothing to show.
///
/// `-v`: the client's spans and events (`popgen.call`, `popgen.attempt`, retries) at DEBUG;
/// `-vv`: popgen's at TRACE; `-vvv`: every crate's at TRACE.
pub(super) fn log_filter(verbose: u8, rust_log: Option<&str>) -> Option<String> {
    if let Some(filter) = rust_log.map(str::trim).filter(|f| !f.is_empty()) {
        return Some(filter.to_owned());
    }
    match verbose {
        0 => None,
        1 => Some("popgen_runtime=debug,popgen_tools=debug".to_owned()),
        2 => Some("popgen_runtime=trace,popgen_tools=trace".to_owned()),
        _ => Some("trace".to_owned()),
    }
}

/// An `io::Write` into a shared buffer.
#[derive(Clone, Default)]
struct Collected(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Collected {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Runs `command` with a tracing subscriber for `filter` (none when `None`): spans print when
/// they open and when they close, with every field recorded (attempts, outcome, HTTP status,
/// `RequestId`). What the client puts in spans holds no secret, no STS token and no param value
/// (names only); dependencies that log through the `log` crate (reqwest, rustls) are not
/// bridged, so no URL is printed.
///
/// With `env.logs_to_stderr` the subscriber is installed process-wide and writes to stderr as
/// it goes; otherwise what it wrote is returned, to go ahead of the command's own stderr.
pub(super) fn with_logs<R>(
    filter: Option<&str>,
    env: &Environment,
    ansi: bool,
    command: impl FnOnce() -> R,
) -> (R, String, Option<String>) {
    let Some(filter) = filter else {
        return (command(), String::new(), None);
    };
    let (filter, problem) = match EnvFilter::try_new(filter) {
        Ok(filter) => (filter, None),
        Err(e) => (
            EnvFilter::new("popgen_runtime=debug,popgen_tools=debug"),
            Some(format!(
                "warning: RUST_LOG: `{filter}` is not a tracing filter ({e}); showing popgen's \
                 spans at DEBUG instead\n"
            )),
        ),
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_span_events(FmtSpan::NEW | FmtSpan::CLOSE)
        .with_ansi(ansi);
    if env.logs_to_stderr {
        let subscriber = builder.with_writer(std::io::stderr).finish();
        // Fails only when one is installed already (a second call in one process): that one
        // stays, which is as good.
        let _ = tracing::subscriber::set_global_default(subscriber);
        return (command(), String::new(), problem);
    }
    let collected = Collected::default();
    let writer = collected.clone();
    let subscriber = builder.with_writer(move || writer.clone()).finish();
    let result = tracing::subscriber::with_default(subscriber, command);
    let bytes = collected
        .0
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    (
        result,
        String::from_utf8_lossy(&bytes).into_owned(),
        problem,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_log_decides_alone_and_verbosity_grows_by_crate_then_everything() {
        assert_eq!(log_filter(0, None), None);
        assert_eq!(log_filter(0, Some("  ")), None);
        assert_eq!(log_filter(0, Some("trace")).as_deref(), Some("trace"));
        assert_eq!(log_filter(3, Some("warn")).as_deref(), Some("warn"));
        assert_eq!(
            log_filter(1, None).as_deref(),
            Some("popgen_runtime=debug,popgen_tools=debug")
        );
        assert_eq!(
            log_filter(2, None).as_deref(),
            Some("popgen_runtime=trace,popgen_tools=trace")
        );
        assert_eq!(log_filter(9, None).as_deref(), Some("trace"));
        for filter in [
            log_filter(1, None),
            log_filter(2, None),
            log_filter(3, None),
        ] {
            assert!(EnvFilter::try_new(filter.unwrap()).is_ok());
        }
    }

    #[test]
    fn colour_follows_the_terminal_unless_no_color_or_a_choice_says_otherwise() {
        let tty = Environment {
            stdout_is_terminal: true,
            stderr_is_terminal: false,
            ..Environment::isolated()
        };
        let both = |c: Colors| (c.stdout, c.stderr);
        assert_eq!(both(Colors::new(ColorArg::Auto, &tty)), (true, false));
        assert_eq!(both(Colors::new(ColorArg::Always, &tty)), (true, true));
        assert_eq!(both(Colors::new(ColorArg::Never, &tty)), (false, false));
        let no_color = Environment {
            vars: Arc::new(|name| (name == "NO_COLOR").then(|| "1".to_owned())),
            ..tty.clone()
        };
        assert_eq!(both(Colors::new(ColorArg::Auto, &no_color)), (false, false));
        let args =
            |list: &[&str]| -> Vec<String> { list.iter().map(|s| (*s).to_owned()).collect() };
        let before = |list: &[&str]| both(Colors::before_parsing(&args(list), &tty));
        assert_eq!(before(&["dyvms", "--color", "always", "x"]), (true, true));
        assert_eq!(before(&["dyvms", "--color=never"]), (false, false));
        assert_eq!(before(&["dyvms", "x"]), (true, false));
    }

    #[test]
    fn paint_colours_line_prefixes_only_when_on() {
        let text = "warning: a\nerror: b\nplain error: c\n".to_owned();
        assert_eq!(paint(text.clone(), false), text);
        assert_eq!(
            paint(text, true),
            "\x1b[1;33mwarning:\x1b[0m a\n\x1b[1;31merror:\x1b[0m b\nplain error: c\n"
        );
    }
}
