//! `receipts serve|show|list`: receive the service's receipt pushes into a store, look a placed
//! call up in it, list and export what it holds. The receiver and the store are
//! `popgen-receipts`; this is their command line.
//!
//! ```text
//! dyvms receipts serve --listen 0.0.0.0:8080 --store sqlite:receipts.db
//! dyvms receipts show --out-id order-1234            was it placed, and how did it end?
//! dyvms receipts list --since 2h --status 200000 --type VoiceReport --format jsonl
//! ```

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Duration;

use popgen_receipts::serve::{ServeConfig, serve};
use popgen_receipts::{Filter, Lookup, Receiver, Store, StoredReceipt, export};
use popgen_runtime::registry::Api;

use super::Output;

/// The store when `--store` is not given.
const DEFAULT_STORE: &str = "sqlite:receipts.db";

#[derive(Debug, clap::Args)]
pub(super) struct ReceiptsArgs {
    #[command(subcommand)]
    command: ReceiptsCommand,
}

#[derive(Debug, clap::Subcommand)]
enum ReceiptsCommand {
    /// Receive the service's receipt pushes: `POST /receipts/{Message}` for each message, each
    /// push answered `{"code":0,"msg":"成功"}` once committed to the store, stored once however
    /// often it is pushed. Configure `http://HOST:PORT/receipts/VoiceReport` (and so on) in the
    /// console.
    Serve(ServeArgs),
    /// A placed call's receipts, by the CallId the action returned or the OutId the request
    /// carried: whether it was placed and how it ended (exit 1 when the store has none).
    Show(ShowArgs),
    /// The stored receipts, oldest first, filtered; `--format jsonl` is what `cost receipts`
    /// reads.
    List(ListArgs),
}

#[derive(Debug, clap::Args)]
struct StoreArg {
    /// Where receipts are stored: `sqlite:FILE` (created on first use) or
    /// `postgres://USER:PASSWORD@HOST/DB`.
    #[arg(long, env = "POPGEN_RECEIPTS_STORE", default_value = DEFAULT_STORE)]
    store: String,
}

#[derive(Debug, clap::Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: std::net::SocketAddr,
    #[command(flatten)]
    store: StoreArg,
    /// Largest push accepted, in bytes; a larger one is answered 413.
    #[arg(long, default_value_t = popgen_receipts::receiver::DEFAULT_MAX_BODY_BYTES, value_parser = clap::value_parser!(usize))]
    max_body_bytes: usize,
    /// Connections served at once; more are answered 503.
    #[arg(long, default_value_t = 256, value_parser = clap::value_parser!(usize))]
    max_connections: usize,
    /// Seconds a request's headers may take to arrive.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    header_timeout: u64,
    /// Seconds a kept-alive connection may stay idle.
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=86400))]
    idle_timeout: u64,
}

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("call").required(true).args(["call_id", "out_id"])))]
struct ShowArgs {
    #[command(flatten)]
    store: StoreArg,
    /// The CallId the call-placing action returned.
    #[arg(long)]
    call_id: Option<String>,
    /// The OutId the request carried (what an outcome-unknown error names).
    #[arg(long)]
    out_id: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

#[derive(Debug, clap::Args)]
struct ListArgs {
    #[command(flatten)]
    store: StoreArg,
    /// Received at or after: `2026-12-04`, `2026-12-04 09:30:00` (UTC), or a time ago (`2h`).
    #[arg(long)]
    since: Option<String>,
    /// Received before (same forms as --since).
    #[arg(long)]
    until: Option<String>,
    /// With this status code (`200000`).
    #[arg(long)]
    status: Option<String>,
    /// Of this receipt message (`VoiceReport`).
    #[arg(long = "type")]
    message: Option<String>,
    /// Only the records that did not decode (stored raw with their error).
    #[arg(long)]
    undecoded: bool,
    /// At most this many.
    #[arg(long)]
    limit: Option<u64>,
    /// Output format: a table, the rows as JSON, the records as JSON lines (what `cost
    /// receipts` reads, with --type), or CSV.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Table,
    Json,
    Jsonl,
    Csv,
}

pub(super) fn run(api: &'static Api, args: ReceiptsArgs) -> Output {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => return Output::failed(1, format!("error: cannot start a runtime: {e}\n")),
    };
    runtime.block_on(async {
        match args.command {
            ReceiptsCommand::Serve(a) => serve_command(api, a).await,
            ReceiptsCommand::Show(a) => show(a).await,
            ReceiptsCommand::List(a) => list(api, a).await,
        }
    })
}

/// Opens the store for reading: a SQLite file must exist already.
async fn open_existing(url: &str) -> Result<Store, Output> {
    if let Some(path) = sqlite_file(url) {
        if !std::path::Path::new(&path).exists() {
            return Err(Output::failed(
                1,
                format!(
                    "error: no receipt store at {path} (`receipts serve --store {url}` creates it)\n"
                ),
            ));
        }
    }
    open(url).await
}

async fn open(url: &str) -> Result<Store, Output> {
    Store::open(url)
        .await
        .map_err(|e| Output::failed(1, format!("error: cannot open the receipt store: {e}\n")))
}

/// The file a `sqlite:` URL names, unless it is in memory.
fn sqlite_file(url: &str) -> Option<String> {
    let rest = url.strip_prefix("sqlite:")?;
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then(|| path.to_owned())
}

async fn serve_command(api: &'static Api, a: ServeArgs) -> Output {
    let store = match open(&a.store.store).await {
        Ok(store) => store,
        Err(out) => return out,
    };
    let listener = match tokio::net::TcpListener::bind(a.listen).await {
        Ok(listener) => listener,
        Err(e) => return Output::failed(1, format!("error: cannot listen on {}: {e}\n", a.listen)),
    };
    let addr = listener.local_addr().unwrap_or(a.listen);
    let receiver = Receiver::new(api, store.clone()).with_max_body_bytes(a.max_body_bytes);
    let config = ServeConfig {
        max_connections: a.max_connections,
        header_timeout: Duration::from_secs(a.header_timeout),
        idle_timeout: Duration::from_secs(a.idle_timeout),
    };
    {
        use std::io::Write as _;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(
            out,
            "receiving {} receipts on http://{addr}{}{{Message}} into {} ({})",
            api.product,
            popgen_receipts::receiver::PATH_PREFIX,
            redacted_url(&a.store.store),
            store.backend()
        );
        for r in api.receipts {
            let _ = writeln!(
                out,
                "  POST {}{}  {}",
                popgen_receipts::receiver::PATH_PREFIX,
                r.name,
                r.summary
            );
        }
        let _ = writeln!(out, "Ctrl-C stops (a push being stored is finished first)");
        let _ = out.flush();
    }
    let stop = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    serve(listener, Arc::new(receiver), config, stop).await;
    store.close().await;
    Output::default()
}

/// A store URL without its password.
fn redacted_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((user_info, host)) => {
            let user = user_info.split(':').next().unwrap_or("");
            let masked = if user_info.contains(':') {
                format!("{user}:{}", popgen_runtime::secret::REDACTED)
            } else {
                user.to_owned()
            };
            format!("{scheme}://{masked}@{host}")
        }
        None => url.to_owned(),
    }
}

async fn show(a: ShowArgs) -> Output {
    let store = match open_existing(&a.store.store).await {
        Ok(store) => store,
        Err(out) => return out,
    };
    let (by, what) = match (&a.call_id, &a.out_id) {
        (Some(id), _) => (Lookup::CallId(id), format!("CallId {id}")),
        (None, Some(id)) => (Lookup::OutId(id), format!("OutId {id}")),
        (None, None) => return Output::usage("error: give --call-id or --out-id\n".into()),
    };
    let found = store.lookup(by).await;
    store.close().await;
    let found = match found {
        Ok(found) => found,
        Err(e) => return Output::failed(1, format!("error: {e}\n")),
    };
    if found.is_empty() {
        return Output::failed(
            1,
            format!(
                "no receipt for {what} in {}: the call was not placed, or its receipts have not \
                 arrived yet (the service pushes them as the call progresses and when it ends, \
                 and again 1, 5 and 10 minutes after a failed push)\n",
                redacted_url(&a.store.store)
            ),
        );
    }
    let text = match a.format {
        Format::Table => format!("{}\n{}", outcome_text(&what, &found), export::table(&found)),
        other => formatted(other, &found),
    };
    Output::ok(text)
}

/// "placed", the receipts by message, each message's latest status.
fn outcome_text(what: &str, found: &[StoredReceipt]) -> String {
    let mut by_message: std::collections::BTreeMap<&str, (usize, Option<&str>)> =
        std::collections::BTreeMap::new();
    for r in found {
        let entry = by_message.entry(r.message.as_str()).or_default();
        entry.0 += 1;
        if r.status_code.is_some() {
            entry.1 = r.status_code.as_deref();
        }
    }
    let mut out = format!(
        "{what}: placed (the service reported it: {} receipt{})\n",
        found.len(),
        if found.len() == 1 { "" } else { "s" }
    );
    for (message, (count, status)) in by_message {
        let _ = writeln!(
            out,
            "  {message} ×{count}, latest status_code {}",
            status.unwrap_or("-")
        );
    }
    out
}

fn formatted(format: Format, records: &[StoredReceipt]) -> String {
    match format {
        Format::Table => export::table(records),
        Format::Json => export::json(records),
        Format::Jsonl => export::jsonl(records),
        Format::Csv => export::csv(records),
    }
}

async fn list(api: &'static Api, a: ListArgs) -> Output {
    if let Some(message) = &a.message {
        if api.receipt(message).is_none() {
            let known: Vec<&str> = api.receipts.iter().map(|r| r.name).collect();
            return Output::usage(format!(
                "error: {} has no receipt message `{message}`; its messages (--type): {}\n",
                api.product,
                known.join(", ")
            ));
        }
    }
    let now = popgen_receipts::time::now_ms();
    let instant = |text: &Option<String>, flag: &str| -> Result<Option<i64>, Output> {
        text.as_deref()
            .map(|t| popgen_receipts::time::parse_instant(t, now))
            .transpose()
            .map_err(|e| Output::usage(format!("error: {flag}: {e}\n")))
    };
    let filter = match (instant(&a.since, "--since"), instant(&a.until, "--until")) {
        (Ok(since_ms), Ok(until_ms)) => Filter {
            since_ms,
            until_ms,
            status_code: a.status.clone(),
            message: a.message.clone(),
            undecoded: a.undecoded,
            limit: a.limit,
        },
        (Err(out), _) | (_, Err(out)) => return out,
    };
    let store = match open_existing(&a.store.store).await {
        Ok(store) => store,
        Err(out) => return out,
    };
    let listed = store.list(&filter).await;
    store.close().await;
    match listed {
        Ok(records) => Output::ok(formatted(a.format, &records)),
        Err(e) => Output::failed(1, format!("error: {e}\n")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_url_is_printed_without_its_password() {
        assert_eq!(
            redacted_url("postgres://app:hunter2@db.internal/receipts"),
            format!(
                "postgres://app:{}@db.internal/receipts",
                popgen_runtime::secret::REDACTED
            )
        );
        assert_eq!(redacted_url("sqlite:receipts.db"), "sqlite:receipts.db");
        assert_eq!(
            sqlite_file("sqlite://a/b.db?mode=rwc").as_deref(),
            Some("a/b.db")
        );
        assert_eq!(sqlite_file("sqlite::memory:"), None);
    }
}
