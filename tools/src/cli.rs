//! The command line a generated crate ships as its binary (`dyvms` for Dyvmsapi): every action of
//! the API by wire name, checked by the same generated validation as the typed client.
//!
//! ```text
//! dyvms actions                          list the actions
//! dyvms describe ACTION                  params and constraints of one action
//! dyvms validate ACTION Key=Value ...    exit 0 when valid, 2 with every violation
//! dyvms call ACTION Key=Value ...        validate, sign, send, print the response as JSON
//!        [--dry-run [--explain]]         print the signed request instead of sending it
//! dyvms cost estimate --business ID ...  what a campaign will cost (see `cost`)
//! dyvms cost receipts FILE...            what calls did cost, from their receipts
//! dyvms receipts serve --store URL ...   receive the service's receipt pushes into a store
//! dyvms receipts show --out-id ID        a placed call's receipts: was it placed, how it ended
//! dyvms receipts list --since 2h ...     the stored receipts (table, json, jsonl, csv)
//! dyvms mock --listen 127.0.0.1:PORT ... the local mock server
//! dyvms completions bash|zsh|fish        a completion script
//! ```
//!
//! Params are `Key=Value` with wire names (`PlayTimes=3`), repeated params in their wire form
//! (`MenuKeyMap.1.Key=1`), booleans as `true`/`false` or `True`/`False`.
//!
//! Exit codes: 0 success; 1 the service (or the network) said no; 2 the command line or the
//! request is wrong (nothing was sent).
//!
//! Everywhere: `-v` shows the client's tracing spans on stderr (`-vv` more, `-vvv` every crate's;
//! `RUST_LOG`, when set, decides instead), `--color auto|always|never` (auto: on a terminal,
//! unless `NO_COLOR` is set), `--version`; `completions bash|zsh|fish|elvish|powershell` prints
//! a completion script.

mod cost;
mod receipts;
mod term;

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

use clap::{CommandFactory as _, FromArgMatches as _, Parser, Subcommand};
use popgen_runtime::registry::{ActionEntry, Api};
use popgen_runtime::validation::{Severity, ValidationErrors};

use term::{ColorArg, Colors};
pub use term::{Environment, Vars};

/// Runs the command line for `api` with the process arguments; a generated crate's binary is
/// `fn main() -> ExitCode { popgen_tools::cli::main(&dyvmsapi::registry::API) }`.
pub fn main(api: &'static Api) -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let out = run_with(api, &args, &Environment::process());
    let _ = std::io::stdout().write_all(out.stdout.as_bytes());
    let _ = std::io::stderr().write_all(out.stderr.as_bytes());
    ExitCode::from(out.code)
}

/// Runs one invocation (`args[0]` is the program name) as [`main`] would, but in-process: the
/// credential chain reads the process's environment and home directory, `RUST_LOG` and
/// `NO_COLOR` are ignored, nothing is coloured, and `-v` logs are collected into
/// [`Output::stderr`]. [`run_with`] takes all of that as an argument.
pub fn run(api: &'static Api, args: &[String]) -> Output {
    let process = Environment::process();
    let env = Environment {
        vars: std::sync::Arc::new(|name| {
            (name != "RUST_LOG" && name != "NO_COLOR")
                .then(|| std::env::var(name).ok())
                .flatten()
        }),
        stdout_is_terminal: false,
        stderr_is_terminal: false,
        logs_to_stderr: false,
        ..process
    };
    run_with(api, args, &env)
}

/// Runs one invocation in `env` (`args[0]` is the program name).
pub fn run_with(api: &'static Api, args: &[String], env: &Environment) -> Output {
    let bin = bin_name(api, args);
    let early = Colors::before_parsing(args, env);
    let parsed = clap_command(api, &bin)
        .try_get_matches_from(args)
        .and_then(|matches| Cli::from_arg_matches(&matches));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            let shown = matches!(
                e.kind(),
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion
            );
            let on = if shown { early.stdout } else { early.stderr };
            let rendered = e.render();
            let text = if on {
                rendered.ansi().to_string()
            } else {
                rendered.to_string()
            };
            return if shown {
                Output::ok(text)
            } else {
                Output::usage(text)
            };
        }
    };
    let colors = Colors::new(cli.color, env);
    let filter = term::log_filter(cli.verbose, env.var("RUST_LOG").as_deref());
    let mut secrets = Vec::new();
    let (out, logs, problem) = term::with_logs(filter.as_deref(), env, colors.stderr, || {
        dispatch(api, cli.command, env, &bin, &mut secrets)
    });
    // The net under every output's own redaction: no STS token in any encoding, logs included.
    let redact = |text: String| {
        secrets.iter().fold(text, |text, secret: &String| {
            popgen_runtime::secret::redact_value(&text, secret)
        })
    };
    let stderr = format!("{}{logs}{}", problem.unwrap_or_default(), out.stderr);
    Output {
        stdout: redact(out.stdout),
        stderr: term::paint(redact(stderr), colors.stderr),
        code: out.code,
    }
}

/// The program's name as typed (`dyvms`), or the API's product in lower case.
fn bin_name(api: &Api, args: &[String]) -> String {
    args.first()
        .and_then(|a| std::path::Path::new(a).file_stem())
        .and_then(|s| s.to_str())
        .filter(|s| !s.is_empty())
        .map_or_else(|| api.product.to_lowercase(), str::to_owned)
}

/// The full command, named `bin`, with the version (`dyvms 0.1.0 (Dyvmsapi 2017-05-25)`).
fn clap_command(api: &Api, bin: &str) -> clap::Command {
    Cli::command()
        .name(bin.to_owned())
        .bin_name(bin.to_owned())
        .version(format!(
            "{} ({} API {})",
            env!("CARGO_PKG_VERSION"),
            api.product,
            api.version
        ))
}

fn dispatch(
    api: &'static Api,
    command: Command,
    env: &Environment,
    bin: &str,
    secrets: &mut Vec<String>,
) -> Output {
    match command {
        Command::Actions { json } => Output::ok(actions(api, json)),
        Command::Describe { action, json } => match find(api, &action) {
            Ok(entry) => Output::ok(describe(entry, json)),
            Err(message) => Output::usage(message),
        },
        Command::Validate { action, params } => validate(api, &action, &params),
        Command::Call(args) => call(api, *args, env, secrets),
        Command::Cost(args) => cost::run(api, args),
        Command::Receipts(args) => receipts::run(api, args),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut clap_command(api, bin), bin, &mut script);
            Output::ok(String::from_utf8_lossy(&script).into_owned())
        }
        Command::Mock(args) => {
            let code = crate::mock::run(api, args);
            Output {
                code: if code == ExitCode::SUCCESS { 0 } else { 1 },
                ..Output::default()
            }
        }
    }
}

/// What one invocation printed and its exit code (so tests need no subprocess).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Output {
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
    /// Exit code: 0 success, 1 the service or the network said no, 2 bad input.
    pub code: u8,
}

impl Output {
    fn ok(stdout: String) -> Self {
        Output {
            stdout,
            stderr: String::new(),
            code: 0,
        }
    }

    fn usage(stderr: String) -> Self {
        Self::failed(2, stderr)
    }

    fn failed(code: u8, stderr: String) -> Self {
        Output {
            stdout: String::new(),
            stderr,
            code,
        }
    }
}

#[derive(Debug, Parser)]
#[command(about = "Validate, sign, send and mock the actions of an Alibaba Cloud RPC API.")]
struct Cli {
    /// Show the client's tracing spans on stderr (-vv: more; -vvv: every crate's). `RUST_LOG`,
    /// when set, decides instead. Secrets, STS tokens and param values are never in them.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    verbose: u8,
    /// Colour: auto (on a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, value_enum, default_value = "auto", global = true)]
    color: ColorArg,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// List the actions.
    Actions {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Show an action's params and their constraints.
    Describe {
        /// The action's wire name (`SingleCallByTts`).
        action: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Check params against the action's constraints; exit 2 listing every violation.
    Validate {
        /// The action's wire name.
        action: String,
        /// `Key=Value` params, wire names.
        params: Vec<String>,
    },
    /// Validate, sign and send a request; print the response as JSON.
    Call(Box<CallArgs>),
    /// What calls cost, from the spec's price list: estimate a campaign, or price receipts.
    Cost(cost::CostArgs),
    /// Receive the service's receipt pushes into a store; look calls up in it, list, export.
    Receipts(receipts::ReceiptsArgs),
    /// Run the local mock server.
    Mock(crate::mock::MockArgs),
    /// Print a completion script: `dyvms completions bash > ~/.local/share/bash-completion/completions/dyvms`.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, clap::Args)]
struct CallArgs {
    /// The action's wire name.
    action: String,
    /// `Key=Value` params, wire names.
    params: Vec<String>,
    /// Base URL (default: `https://` + the API's endpoint); `http://127.0.0.1:PORT` for the mock.
    #[arg(long)]
    endpoint: Option<String>,
    /// Response format to ask for.
    #[arg(long, value_enum, default_value = "json")]
    format: FormatArg,
    /// Signature scheme.
    #[arg(long, value_enum, default_value = "v3")]
    signature: SignatureArg,
    /// Print the signed request (method, URL, headers, body) as JSON instead of sending it.
    #[arg(long)]
    dry_run: bool,
    /// With --dry-run: add the canonical query or request and the string to sign.
    #[arg(long, requires = "dry_run")]
    explain: bool,
    /// The signature nonce to use (default: a fresh random one).
    #[arg(long)]
    nonce: Option<String>,
    /// The request time, `2026-11-30T08:00:00Z` or Unix seconds (default: now).
    #[arg(long, value_parser = parse_timestamp)]
    timestamp: Option<u64>,
    /// AccessKey ID (default: the usual credential sources: environment, CLI profile, INI file).
    #[arg(long, requires = "access_key_secret")]
    access_key_id: Option<String>,
    /// AccessKey secret; never printed.
    #[arg(long, requires = "access_key_id")]
    access_key_secret: Option<String>,
    /// STS token to go with --access-key-id/--access-key-secret; never printed.
    #[arg(long, requires = "access_key_id")]
    security_token: Option<String>,
    /// What to do with violations: refuse to send (enforce), send anyway (warn), skip checks (off).
    #[arg(long, value_enum, default_value = "enforce")]
    validation: ValidationArg,
    /// Total time for the call, retries included, in seconds (a value too large for the clock
    /// means no deadline).
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    deadline: u64,
    /// Seconds to wait for a connection (DNS, TCP, TLS).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..))]
    connect_timeout: u64,
    /// Seconds to wait for each read of the answer.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    read_timeout: u64,
    /// Attempts at most, the first included (1: no retry). Actions with side effects are only
    /// ever resent when the request provably never left the machine.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..))]
    max_attempts: u32,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum FormatArg {
    Json,
    Xml,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum SignatureArg {
    V1,
    V3,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ValidationArg {
    Enforce,
    Warn,
    Off,
}

/// The entry named `name`, or an error that suggests the closest names.
fn find(api: &'static Api, name: &str) -> Result<&'static ActionEntry, String> {
    if let Some(entry) = api.action(name) {
        return Ok(entry);
    }
    let mut message = format!("error: {} has no action `{name}`", api.product);
    let mut close: Vec<(f64, &str)> = api
        .actions
        .iter()
        .map(|a| {
            let score = strsim::jaro_winkler(&a.meta.name.to_lowercase(), &name.to_lowercase());
            (score, a.meta.name)
        })
        .filter(|(score, _)| *score > 0.8)
        .collect();
    close.sort_by(|a, b| b.0.total_cmp(&a.0));
    if let Some((_, best)) = close.first() {
        let _ = write!(message, "; did you mean `{best}`?");
    }
    message.push_str("\n(`actions` lists them all)\n");
    Err(message)
}

/// `Key=Value` arguments → pairs, or every malformed argument.
fn parse_pairs(params: &[String]) -> Result<Vec<(String, String)>, String> {
    let mut pairs = Vec::with_capacity(params.len());
    let mut errors = String::new();
    for (i, arg) in params.iter().enumerate() {
        match arg.split_once('=') {
            Some(("", _)) => {
                let _ = writeln!(errors, "error: param {} (`{arg}`) has no name", i + 1);
            }
            Some((key, value)) => {
                if pairs.iter().any(|(k, _): &(String, String)| k == key) {
                    let _ = writeln!(errors, "error: param `{key}` is given twice");
                } else {
                    pairs.push((key.to_owned(), value.to_owned()));
                }
            }
            None => {
                let _ = writeln!(
                    errors,
                    "error: param {} (`{arg}`) is not of the form Key=Value",
                    i + 1
                );
            }
        }
    }
    if errors.is_empty() {
        Ok(pairs)
    } else {
        Err(errors)
    }
}

/// Params as sent (wire name, value).
type Pairs = Vec<(String, String)>;

/// Parses and validates `params` for `entry`: the re-encoded params and the report, or the
/// errors' text (or a parse error) with the report.
fn check(
    entry: &ActionEntry,
    params: &[String],
) -> Result<(Pairs, ValidationErrors), (String, ValidationErrors)> {
    let pairs = parse_pairs(params).map_err(|e| (e, ValidationErrors::default()))?;
    let refs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let (encoded, report) = (entry.parse_params)(&refs);
    match encoded {
        Some(encoded) if !report.has_errors() => Ok((encoded, report)),
        _ => Err((violations_text(&report), report)),
    }
}

/// Every error, one per line, wire path first (warnings are [`warnings_text`]'s).
fn violations_text(report: &ValidationErrors) -> String {
    let mut text = String::new();
    for v in report
        .violations()
        .iter()
        .filter(|v| v.severity == Severity::Error)
    {
        let _ = writeln!(text, "{v}");
    }
    text
}

/// Every warning, one per line: `warning: path: message`, for stderr in every command.
fn warnings_text(report: &ValidationErrors) -> String {
    let mut text = String::new();
    for v in report
        .violations()
        .iter()
        .filter(|v| v.severity == Severity::Warning)
    {
        let _ = writeln!(text, "warning: {}: {}", v.shown_path(), v.message);
    }
    text
}

fn validate(api: &'static Api, action: &str, params: &[String]) -> Output {
    let entry = match find(api, action) {
        Ok(entry) => entry,
        Err(message) => return Output::usage(message),
    };
    if let Err(message) = parse_pairs(params) {
        return Output::usage(message);
    }
    match check(entry, params) {
        Ok((_, report)) => Output {
            stdout: format!("{action}: valid\n"),
            stderr: warnings_text(&report),
            code: 0,
        },
        // The verdict on stdout, warnings on stderr, as when the request is valid.
        Err((violations, report)) => Output {
            stdout: violations,
            stderr: warnings_text(&report),
            code: 2,
        },
    }
}

fn actions(api: &Api, json: bool) -> String {
    if json {
        let list: Vec<serde_json::Value> = api
            .actions
            .iter()
            .map(|a| {
                serde_json::json!({
                    "name": a.meta.name,
                    "summary": a.summary,
                    "side_effects": a.meta.side_effects,
                    "qps_per_user": a.meta.qps_per_user,
                })
            })
            .collect();
        return json_text(&serde_json::Value::Array(list));
    }
    let width = api
        .actions
        .iter()
        .map(|a| a.meta.name.len())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for a in api.actions {
        let mark = if a.meta.side_effects { "!" } else { " " };
        let _ = writeln!(out, "{mark} {:width$}  {}", a.meta.name, a.summary);
    }
    let _ = writeln!(
        out,
        "\n{} of {} {}; ! = has side effects (never retried once sent)",
        crate::text::count(api.actions.len(), "action"),
        api.product,
        api.version
    );
    out
}

fn describe(entry: &ActionEntry, json: bool) -> String {
    let meta = entry.meta;
    if json {
        let params: Vec<serde_json::Value> = entry
            .params
            .iter()
            .map(|p| {
                serde_json::json!({
                    "name": p.name,
                    "type": p.type_name,
                    "required": p.required,
                    "sensitive": p.sensitive,
                    "constraints": p.constraints,
                    "default": p.default,
                    "description": p.description,
                })
            })
            .collect();
        let limit = meta.callee_limit.map(|l| {
            serde_json::json!({
                "param": l.param,
                "per_minute": l.per_minute,
                "per_hour": l.per_hour,
                "per_day": l.per_day,
            })
        });
        return json_text(&serde_json::json!({
            "name": meta.name,
            "summary": entry.summary,
            "side_effects": meta.side_effects,
            "success_code": meta.success_code,
            "qps_per_user": meta.qps_per_user,
            "callee_limit": limit,
            "params": params,
            "rules": entry.rules,
            "receipts": entry.receipts.iter().map(|r| serde_json::json!({
                "message": r.message,
                "when": r.when.map(|w| serde_json::json!({"param": w.param, "equals": w.equals})),
            })).collect::<Vec<_>>(),
        }));
    }
    let mut out = format!("{}: {}\n", meta.name, entry.summary);
    if meta.side_effects {
        out.push_str("Has side effects: never retried once the request may have been sent.\n");
    }
    if let Some(qps) = meta.qps_per_user {
        let _ = writeln!(out, "QPS per user: {qps}");
    }
    if let Some(l) = meta.callee_limit {
        let _ = writeln!(
            out,
            "Per callee ({}): {}/minute, {}/hour, {}/day",
            l.param, l.per_minute, l.per_hour, l.per_day
        );
    }
    out.push_str("\nParams:\n");
    for p in entry.params {
        let required = if p.required { "required" } else { "optional" };
        let sensitive = if p.sensitive { ", sensitive" } else { "" };
        let default = p
            .default
            .map(|d| format!(", default {d}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {} ({}, {required}{default}{sensitive})",
            p.name, p.type_name
        );
        for c in p.constraints {
            let _ = writeln!(out, "      - {c}");
        }
        if !p.description.is_empty() {
            let _ = writeln!(out, "      {}", p.description);
        }
    }
    if !entry.rules.is_empty() {
        out.push_str("\nRules between params:\n");
        for r in entry.rules {
            let _ = writeln!(out, "  - {r}");
        }
    }
    if !entry.receipts.is_empty() {
        out.push_str("\nReceipts it causes:\n");
        for r in entry.receipts {
            match r.when {
                Some(w) => {
                    let _ = writeln!(
                        out,
                        "  - {} (only when {} is {})",
                        r.message, w.param, w.equals
                    );
                }
                None => {
                    let _ = writeln!(out, "  - {}", r.message);
                }
            }
        }
    }
    out
}

fn json_text(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// `2026-11-30T08:00:00Z` or Unix seconds → Unix seconds.
fn parse_timestamp(text: &str) -> Result<u64, String> {
    text.parse::<u64>()
        .ok()
        .or_else(|| popgen_runtime::calendar::parse_utc(text))
        .ok_or_else(|| {
            format!("`{text}` is neither Unix seconds nor a UTC time like 2026-11-30T08:00:00Z")
        })
}

/// The AccessKey ID a dry run signs with when no credentials are configured: plainly not a key.
pub const PLACEHOLDER_ACCESS_KEY_ID: &str = "LTAI-PLACEHOLDER-NOT-A-REAL-KEY";
/// The secret that goes with [`PLACEHOLDER_ACCESS_KEY_ID`].
const PLACEHOLDER_ACCESS_KEY_SECRET: &str = "placeholder-secret-not-a-real-key";

/// `call`. Every STS token it meets (from the command line or the credential chain) goes into
/// `tokens`, so that the caller takes it out of everything printed. The steps: the params
/// (checked as `--validation` says), the credentials, the client's configuration, then a dry
/// run or a real send.
fn call(api: &'static Api, args: CallArgs, env: &Environment, tokens: &mut Vec<String>) -> Output {
    match call_steps(api, args, env, tokens) {
        Ok(output) | Err(output) => output,
    }
}

fn call_steps(
    api: &'static Api,
    args: CallArgs,
    env: &Environment,
    tokens: &mut Vec<String>,
) -> Result<Output, Output> {
    use popgen_runtime::client::Client;

    let entry = find(api, &args.action).map_err(Output::usage)?;
    let mut warnings = String::new();
    let params = call_params(entry, &args, &mut warnings)?;
    tokens.extend(args.security_token.clone());
    let (credentials, placeholder) = call_credentials(&args, env, &mut warnings)?;
    tokens.extend(credentials.security_token().map(str::to_owned));
    let (config, entropy) = call_config(api, &args);
    if args.dry_run {
        let client = Client::new((), credentials, config).with_entropy(entropy);
        return Ok(dry_run(
            &client,
            entry,
            &params,
            &args,
            tokens,
            placeholder,
            warnings,
        ));
    }
    let http = popgen_runtime::http::HttpConfig {
        connect_timeout: std::time::Duration::from_secs(args.connect_timeout),
        read_timeout: std::time::Duration::from_secs(args.read_timeout),
        ..popgen_runtime::http::HttpConfig::default()
    };
    let transport = popgen_runtime::http::HttpTransport::new(&http)
        .map_err(|e| Output::failed(1, format!("{warnings}error: {e}\n")))?;
    let client = Client::new(transport, credentials, config).with_entropy(entropy);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            Output::failed(
                1,
                format!("{warnings}error: cannot start the async runtime: {e}\n"),
            )
        })?;
    let result = runtime.block_on(client.call_params(entry.meta, &params));
    Ok(answer_output(
        entry,
        client.config().format,
        result,
        warnings,
    ))
}

/// The params to send: checked as `--validation` says (warnings, and with `warn` the
/// violations, appended to `warnings`), encoded as the client would send them when they pass.
fn call_params(
    entry: &ActionEntry,
    args: &CallArgs,
    warnings: &mut String,
) -> Result<Vec<(String, String)>, Output> {
    if args.validation == ValidationArg::Off {
        return parse_pairs(&args.params).map_err(Output::usage);
    }
    match check(entry, &args.params) {
        Ok((encoded, report)) => {
            warnings.push_str(&warnings_text(&report));
            Ok(encoded)
        }
        Err((violations, report)) if args.validation == ValidationArg::Warn => {
            warnings.push_str(&warnings_text(&report));
            for line in violations.lines() {
                let _ = writeln!(warnings, "warning: {line}");
            }
            parse_pairs(&args.params).map_err(Output::usage)
        }
        Err((violations, report)) => Err(Output::failed(
            2,
            format!(
                "{}invalid request, nothing was sent:\n{violations}",
                warnings_text(&report)
            ),
        )),
    }
}

/// The credentials to sign with: the command line's, else the usual sources'; a dry run
/// without any signs with placeholder keys (`true`) and says so in `warnings`.
fn call_credentials(
    args: &CallArgs,
    env: &Environment,
    warnings: &mut String,
) -> Result<(popgen_runtime::credentials::Credentials, bool), Output> {
    use popgen_runtime::credentials::{CredentialSources, Credentials, CredentialsError, resolve};

    if let (Some(id), Some(secret)) = (&args.access_key_id, &args.access_key_secret) {
        let credentials = Credentials::new(id.clone(), secret.clone());
        return Ok(match &args.security_token {
            Some(token) => (credentials.with_security_token(token.clone()), false),
            None => (credentials, false),
        });
    }
    let vars = |name: &str| (env.vars)(name);
    let sources = CredentialSources {
        env: &vars,
        home: env.home.clone(),
    };
    match resolve(&sources) {
        Ok(resolved) => Ok((resolved.credentials, false)),
        // A dry run shows the request's shape, which needs no real key: sign with one that
        // says it is none, and say so.
        Err(e) if args.dry_run => {
            let reason = match e {
                CredentialsError::NotFound { .. } => "no credentials are configured".to_owned(),
                other => format!("the credentials cannot be used ({other})"),
            };
            let _ = writeln!(
                warnings,
                "note: {reason}; this dry run is signed with placeholder keys \
                 (AccessKey ID {PLACEHOLDER_ACCESS_KEY_ID}), so its signature is not one \
                 the service would accept"
            );
            let placeholder =
                Credentials::new(PLACEHOLDER_ACCESS_KEY_ID, PLACEHOLDER_ACCESS_KEY_SECRET);
            Ok((placeholder, true))
        }
        Err(e) => Err(Output::usage(format!(
            "{warnings}error: no credentials: {e}\n(or pass --access-key-id and --access-key-secret; a --dry-run needs none)\n"
        ))),
    }
}

/// The client's configuration and its clock and nonce source, from the flags.
fn call_config(
    api: &Api,
    args: &CallArgs,
) -> (
    popgen_runtime::client::Config,
    popgen_runtime::client::Entropy,
) {
    use popgen_runtime::client::{Config, Entropy, SignatureVersion};
    use std::sync::Arc;

    let endpoint = args
        .endpoint
        .clone()
        .unwrap_or_else(|| format!("https://{}", api.endpoint));
    let mut config = Config::new(endpoint, api.version);
    config.signature = match args.signature {
        SignatureArg::V1 => SignatureVersion::V1,
        SignatureArg::V3 => SignatureVersion::V3,
    };
    config.format = match args.format {
        FormatArg::Json => popgen_runtime::decode::Format::Json,
        FormatArg::Xml => popgen_runtime::decode::Format::Xml,
    };
    config.deadline = Some(std::time::Duration::from_secs(args.deadline));
    config.retry.max_attempts = args.max_attempts;
    let mut entropy = Entropy::default();
    if let Some(nonce) = args.nonce.clone() {
        entropy.nonce = Arc::new(move || nonce.clone());
    }
    if let Some(now) = args.timestamp {
        entropy.now = Arc::new(move || now);
    }
    (config, entropy)
}

/// `--dry-run`: the signed request as JSON (with `--explain`, how it was signed), every token
/// in `tokens` redacted.
fn dry_run(
    client: &popgen_runtime::client::Client<()>,
    entry: &ActionEntry,
    params: &[(String, String)],
    args: &CallArgs,
    tokens: &[String],
    placeholder: bool,
    warnings: String,
) -> Output {
    let (request, explain) = match client.prepare_explained(entry.meta, params) {
        Ok(prepared) => prepared,
        Err(e) => return Output::failed(2, format!("{warnings}error: {e}\n")),
    };
    // Redacted as values, before they become JSON text (where a `"` in a token would be `\"`
    // and escape a search for the token).
    let secrets: Vec<&str> = tokens.iter().map(String::as_str).collect();
    let request = request.redacted(&secrets);
    let explain = explain.redacted(&secrets);
    let mut json = serde_json::json!({
        "method": request.method,
        "url": request.url,
        "headers": request.headers.iter().map(|(k, v)| serde_json::json!([k, v])).collect::<Vec<_>>(),
        "body": request.body,
    });
    if args.explain {
        json["explain"] = explain_json(&explain);
    }
    if placeholder {
        json["credentials"] = serde_json::json!(format!(
            "placeholder (none configured): signed as {PLACEHOLDER_ACCESS_KEY_ID}, \
             a signature the service would refuse"
        ));
    }
    Output {
        stdout: json_text(&json),
        stderr: warnings,
        code: 0,
    }
}

/// What a sent call printed: the decoded answer, the service's error as JSON, or why nothing
/// (or nothing known) happened.
fn answer_output(
    entry: &ActionEntry,
    format: popgen_runtime::decode::Format,
    result: Result<popgen_runtime::client::HttpResponse, popgen_runtime::client::Error>,
    warnings: String,
) -> Output {
    match result {
        Ok(response) => match (entry.decode_response)(format, &response.body) {
            Ok(json) => Output {
                stdout: json_text(&json),
                stderr: warnings,
                code: 0,
            },
            Err(e) => Output::failed(
                1,
                format!(
                    "{warnings}error: the answer (HTTP {}) does not decode: {e}\n",
                    response.status
                ),
            ),
        },
        Err(popgen_runtime::client::Error::Api(api_error)) => Output {
            stdout: json_text(&serde_json::json!({
                "Code": api_error.code,
                "Message": api_error.message,
                "RequestId": api_error.request_id,
                "HostId": api_error.host_id,
                "Recommend": api_error.recommend,
                "HttpStatus": api_error.http_status,
            })),
            stderr: format!(
                "{warnings}error: {}: {}\n",
                api_error.code, api_error.message
            ),
            code: 1,
        },
        Err(popgen_runtime::client::Error::Validation(report)) => Output::failed(
            2,
            format!(
                "{warnings}invalid request, nothing was sent:\n{}",
                violations_text(&report)
            ),
        ),
        Err(e) => Output::failed(1, format!("{warnings}error: {e}\n")),
    }
}

fn explain_json(explain: &popgen_runtime::client::Explain) -> serde_json::Value {
    use popgen_runtime::client::Explain;
    match explain {
        Explain::V1 {
            canonical_query,
            string_to_sign,
        } => serde_json::json!({
            "signature": "RPC v1.0 (HMAC-SHA1)",
            "canonical_query": canonical_query,
            "string_to_sign": string_to_sign,
        }),
        Explain::V3 {
            canonical_request,
            hashed_canonical_request,
            string_to_sign,
        } => serde_json::json!({
            "signature": "V3 (ACS3-HMAC-SHA256)",
            "canonical_request": canonical_request,
            "hashed_canonical_request": hashed_canonical_request,
            "string_to_sign": string_to_sign,
        }),
    }
}
