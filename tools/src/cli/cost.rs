//! `dyvms cost`: what a campaign will cost before it runs (`estimate`) and what calls did cost
//! from their receipts (`receipts`), priced with the price book the registry carries
//! ([`Api::pricing`], the spec's `pricing` section). Amounts are exact decimals, printed as
//! decimal strings in the table and in `--format json`.
//!
//! ```text
//! dyvms cost estimate --business voice-notification --mode public --calls 300000 \
//!     --answer-rate 0.7 --avg-seconds 40 [--month-volume N] [--format json]
//! dyvms cost receipts FILE... [--business ID]... [--mode ID] [--format json]
//! dyvms cost businesses
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::PathBuf;

use clap::Subcommand;
use popgen_runtime::pricing::{
    self, Business, Decimal, Estimate, EstimateError, Line, PriceBook, Request, Usage,
};
use popgen_runtime::receipts::Batch;
use popgen_runtime::registry::{Api, ReceiptEntry};
use serde::Serialize;
use serde_json::Value;

use super::Output;
use crate::text::plural;

#[derive(Debug, clap::Args)]
pub(super) struct CostArgs {
    #[command(subcommand)]
    command: CostCommand,
}

#[derive(Debug, Subcommand)]
enum CostCommand {
    /// Estimate a campaign: billed units, the post-paid cost at the tier reached, and the
    /// cheapest mix of prepaid packages against post-paid, each line explained.
    Estimate(EstimateArgs),
    /// Price calls that happened from receipt batches (a push body per file, or one per line):
    /// billed units per business with its rounding rule, and the cost. Records that cannot be
    /// priced are listed.
    Receipts(ReceiptsArgs),
    /// List the businesses of the price list, their modes, units and billed actions.
    Businesses {
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: OutFormat,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum OutFormat {
    Table,
    Json,
}

/// What a period holds besides the usage priced: shared by `estimate` and `receipts`.
#[derive(Debug, clap::Args)]
struct PeriodArgs {
    /// Post-paid volume already billed this month (settlement period), in the business's unit
    /// (minutes, calls): it counts toward the tier. With several businesses, for each.
    #[arg(long, value_parser = parse_decimal)]
    month_volume: Option<Decimal>,
    /// Free quota left, in the business's unit (default: the mode's whole quota).
    #[arg(long, value_parser = parse_decimal)]
    free_left: Option<Decimal>,
    /// The destination's code, for businesses priced per destination (`HK`).
    #[arg(long)]
    destination: Option<String>,
    /// An optional add-on to include (`recording`, `asr`); repeat for several. Add-ons that are
    /// not optional are always included.
    #[arg(long = "add-on")]
    add_ons: Vec<String>,
    /// Numbers rented, for the mode's fixed fees (one month of number rental).
    #[arg(long, default_value_t = 0)]
    numbers: u32,
}

#[derive(Debug, clap::Args)]
struct EstimateArgs {
    /// The business (`voice-notification`); `cost businesses` lists them.
    #[arg(long)]
    business: String,
    /// The mode (`public`, `dedicated`); may be left out when the business has one.
    #[arg(long)]
    mode: Option<String>,
    /// Calls placed (requests sent).
    #[arg(long)]
    calls: u64,
    /// The share of calls answered, 0 to 1 (`0.7`) or a percentage (`70%`); unanswered calls
    /// are free.
    #[arg(long, default_value = "1", value_parser = parse_rate)]
    answer_rate: Decimal,
    /// Average talk time of an answered call, in seconds (needed when the business bills time).
    #[arg(long, value_parser = parse_decimal)]
    avg_seconds: Option<Decimal>,
    #[command(flatten)]
    period: PeriodArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: OutFormat,
}

#[derive(Debug, clap::Args)]
struct ReceiptsArgs {
    /// Receipt files: each a push body (a JSON array of records, as the service POSTs it), or
    /// one push per line.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// The receipt message the files hold (default: the one the price list reads, `VoiceReport`).
    #[arg(long)]
    message: Option<String>,
    /// The business the calls bill under; repeat to allow several (a record goes to the one
    /// whose talk-time fields it carries, the most specific first). Without it, a record is
    /// priced only when its fields leave one business possible.
    #[arg(long)]
    business: Vec<String>,
    /// The mode, for businesses with more than one (`public`, `dedicated`).
    #[arg(long)]
    mode: Option<String>,
    #[command(flatten)]
    period: PeriodArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: OutFormat,
}

fn parse_decimal(text: &str) -> Result<Decimal, String> {
    let d: Decimal = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a decimal number"))?;
    if d.is_sign_negative() && !d.is_zero() {
        return Err(format!("`{text}` is negative"));
    }
    Ok(d)
}

fn parse_rate(text: &str) -> Result<Decimal, String> {
    let (number, percent) = match text.trim().strip_suffix('%') {
        Some(n) => (n, true),
        None => (text, false),
    };
    let mut d = parse_decimal(number)?;
    if percent {
        d /= Decimal::ONE_HUNDRED;
    }
    if d > Decimal::ONE {
        return Err(format!(
            "`{text}` is more than 1 (100%): give the share answered, like 0.7 or 70%"
        ));
    }
    Ok(d)
}

pub(super) fn run(api: &Api, args: CostArgs) -> Output {
    let Some(book) = api.pricing else {
        return Output::usage(format!(
            "error: the {} spec has no price list (a `pricing` section), so there is nothing to \
             price with\n",
            api.product
        ));
    };
    match args.command {
        CostCommand::Estimate(a) => estimate(book, a),
        CostCommand::Receipts(a) => receipts(api, book, a),
        CostCommand::Businesses { format } => Output::ok(businesses(book, format)),
    }
}

/// Every business with its modes, for error messages and `cost businesses`.
fn business_list(book: &PriceBook) -> String {
    let width = book
        .businesses
        .iter()
        .map(|b| b.id.len())
        .max()
        .unwrap_or(0);
    let modes = |b: &Business| {
        b.modes
            .iter()
            .map(|m| m.id.as_ref())
            .collect::<Vec<&str>>()
            .join("|")
    };
    let modes_width = book
        .businesses
        .iter()
        .map(|b| modes(b).len())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for b in book.businesses.iter() {
        let _ = writeln!(
            out,
            "  {:width$}  --mode {:modes_width$}  {}, per {}",
            b.id,
            modes(b),
            b.title,
            b.unit.name()
        );
    }
    out
}

/// The business called `id`, or an error naming the closest and listing them all.
fn find_business<'b>(book: &'b PriceBook, id: &str) -> Result<&'b Business, String> {
    if let Some(b) = book.business(id) {
        return Ok(b);
    }
    let mut message = format!(
        "error: the {} price list has no business `{id}`",
        book.product
    );
    let close = book
        .businesses
        .iter()
        .map(|b| (strsim::jaro_winkler(&b.id, &id.to_lowercase()), &b.id))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    if let Some((_, best)) = close {
        let _ = write!(message, "; did you mean `{best}`?");
    }
    let _ = write!(
        message,
        "\nthe businesses (--business) and their modes (--mode):\n{}",
        business_list(book)
    );
    Err(message)
}

/// The mode of `b` named `mode`, or its only one; an error listing its modes otherwise.
fn find_mode<'b>(b: &'b Business, mode: Option<&str>) -> Result<&'b str, String> {
    let modes: Vec<&str> = b.modes.iter().map(|m| m.id.as_ref()).collect();
    match mode {
        Some(m) if modes.contains(&m) => {
            Ok(b.modes.iter().find(|x| x.id == m).map_or("", |x| &x.id))
        }
        Some(m) => Err(format!(
            "error: business `{}` has no mode `{m}`; its modes (--mode): {}\n",
            b.id,
            modes.join(", ")
        )),
        None if b.modes.len() == 1 => Ok(&b.modes[0].id),
        None => Err(format!(
            "error: business `{}` is priced per mode: give one with --mode ({})\n",
            b.id,
            modes.join(", ")
        )),
    }
}

fn request(business: &str, mode: &str, period: &PeriodArgs) -> Request {
    Request {
        business: business.to_owned(),
        mode: mode.to_owned(),
        destination: period.destination.clone(),
        add_ons: period.add_ons.clone(),
        period_volume: period.month_volume.unwrap_or_default(),
        free_left: period.free_left,
        numbers: period.numbers,
    }
}

fn estimate_error(e: &EstimateError) -> String {
    format!("error: {e}\n")
}

fn estimate(book: &PriceBook, a: EstimateArgs) -> Output {
    let b = match find_business(book, &a.business) {
        Ok(b) => b,
        Err(message) => return Output::usage(message),
    };
    let mode = match find_mode(b, a.mode.as_deref()) {
        Ok(m) => m,
        Err(message) => return Output::usage(message),
    };
    let times = matches!(
        b.metering,
        pricing::Metering::StartedMinute | pricing::Metering::Second
    );
    let avg_seconds = match (a.avg_seconds, times) {
        (Some(s), _) => s,
        (None, false) => Decimal::ONE,
        (None, true) => {
            return Output::usage(format!(
                "error: `{}` bills talk time ({}): give the average seconds of an answered call \
                 with --avg-seconds\n",
                b.id,
                b.unit.base_name()
            ));
        }
    };
    let usage = Usage::Campaign {
        calls: a.calls,
        answer_rate: a.answer_rate,
        avg_seconds,
    };
    let request = request(&b.id, mode, &a.period);
    let e = match pricing::estimate(book, &request, &usage) {
        Ok(e) => e,
        Err(e) => return Output::usage(estimate_error(&e)),
    };
    if a.format == OutFormat::Json {
        let json = serde_json::json!({
            "price_list": price_list(book),
            "request": {
                "business": e.business,
                "mode": e.mode,
                "calls": a.calls,
                "answer_rate": a.answer_rate,
                "avg_seconds": a.avg_seconds,
                "month_volume": a.period.month_volume.unwrap_or_default(),
                "destination": a.period.destination,
                "add_ons": a.period.add_ons,
                "numbers": a.period.numbers,
            },
            "estimate": e,
        });
        return Output::ok(super::json_text(&json));
    }
    let mut out = heading(book);
    let _ = writeln!(
        out,
        "\n{} ({}), {} mode: {} calls, answer rate {}{}",
        b.title,
        b.id,
        e.mode,
        group(a.calls),
        a.answer_rate.normalize(),
        if times {
            format!(", {} s per answered call", avg_seconds.normalize())
        } else {
            String::new()
        }
    );
    estimate_text(&mut out, b, &e);
    Output::ok(out)
}

/// The price list's identity, for JSON output.
fn price_list(book: &PriceBook) -> Value {
    serde_json::json!({
        "product": book.product,
        "title": book.title,
        "date": book.date,
        "dated": book.dated,
        "document": book.document,
        "currency": book.currency,
    })
}

fn heading(book: &PriceBook) -> String {
    format!(
        "Prices: {} ({}), {} ({}); amounts in {}\n",
        book.title,
        book.product,
        book.date,
        match book.dated {
            pricing::DateBasis::Updated => "the list's date",
            pricing::DateBasis::Retrieved => "retrieved; the list carries no date",
        },
        book.currency
    )
}

/// An estimate as text: metering, then each plan line by line with its amount.
fn estimate_text(out: &mut String, b: &Business, e: &Estimate) {
    let _ = writeln!(out, "\nUsage");
    lines_text(out, &e.metering);
    let _ = writeln!(
        out,
        "  {:10}  {}{}",
        "total",
        units(b, e.billed),
        if e.free > 0 {
            format!(", of which {} free", units(b, e.free))
        } else {
            String::new()
        }
    );
    let _ = writeln!(
        out,
        "\nPost-paid only: {} {}",
        e.post_paid_only.total, e.currency
    );
    lines_text(out, &e.post_paid_only.lines);
    if e.cheapest.packages.is_empty() {
        let _ = writeln!(
            out,
            "\nCheapest: post-paid only, {} {} (no mix of prepaid packages costs less)",
            e.cheapest.total, e.currency
        );
    } else {
        let _ = writeln!(
            out,
            "\nCheapest: prepaid packages and post-paid, {} {} (saves {} against post-paid only)",
            e.cheapest.total, e.currency, e.saving
        );
        lines_text(out, &e.cheapest.lines);
        if e.cheapest.left_over > 0 {
            let _ = writeln!(
                out,
                "  {:10}  {} of the packages left for later in their validity",
                "left over",
                units(b, e.cheapest.left_over)
            );
        }
    }
    if !e.notes.is_empty() {
        let _ = writeln!(out, "\nNotes");
        for n in &e.notes {
            let _ = writeln!(out, "  - {n}");
        }
    }
}

fn lines_text(out: &mut String, lines: &[Line]) {
    let width = lines
        .iter()
        .filter_map(|l| l.amount.map(|a| a.to_string().len()))
        .max()
        .unwrap_or(0);
    for l in lines {
        match l.amount {
            Some(a) => {
                let _ = writeln!(out, "  {:10}  {a:>width$}  {}", l.what, l.detail);
            }
            None if width == 0 => {
                let _ = writeln!(out, "  {:10}  {}", l.what, l.detail);
            }
            None => {
                let _ = writeln!(out, "  {:10}  {:width$}  {}", l.what, "", l.detail);
            }
        }
    }
}

fn units(b: &Business, base: u64) -> String {
    let size = b.unit.size();
    if size == 1 {
        format!("{} {}", group(base), b.unit.base_name())
    } else {
        format!(
            "{} {} ({} {})",
            group(base),
            b.unit.base_name(),
            (Decimal::from(base) / Decimal::from(size))
                .round_dp(4)
                .normalize(),
            b.unit.name()
        )
    }
}

/// A whole number with thousands separators (`300,000`).
fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn businesses(book: &PriceBook, format: OutFormat) -> String {
    if format == OutFormat::Json {
        let list: Vec<Value> = book
            .businesses
            .iter()
            .map(|b| {
                serde_json::json!({
                    "id": b.id,
                    "title": b.title,
                    "unit": b.unit,
                    "metering": b.metering,
                    "modes": b.modes.iter().map(|m| serde_json::json!({"id": m.id, "title": m.title})).collect::<Vec<_>>(),
                    "bills": b.bills,
                    "receipt": b.receipt,
                })
            })
            .collect();
        return super::json_text(&serde_json::json!({
            "price_list": price_list(book),
            "businesses": list,
        }));
    }
    let mut out = heading(book);
    let _ = writeln!(out, "\nBusinesses (--business) and their modes (--mode):");
    out.push_str(&business_list(book));
    let _ = writeln!(out, "\nBilled actions:");
    for b in book.businesses.iter() {
        for a in b.bills.iter() {
            let when = if a.when.is_empty() {
                String::new()
            } else {
                format!(" ({})", a.when)
            };
            let _ = writeln!(out, "  {} → {}{when}", a.action, b.id);
        }
    }
    out
}

/// A record that could not be priced, and why.
#[derive(Debug, Serialize)]
struct Unpriced {
    /// The file it was read from.
    file: String,
    /// The push's line in the file, when the file holds one push per line.
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    /// Its index in the push, from 0.
    index: usize,
    /// Its `call_id`, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    call_id: Option<String>,
    /// Why it was not priced.
    reason: String,
}

/// The records one business and mode priced.
#[derive(Debug, Serialize)]
struct Priced {
    business: String,
    mode: String,
    /// Records priced.
    records: u64,
    /// Billed base units (minutes, calls, seconds).
    billed: u64,
    /// What the records cost post-paid (after any free quota), with add-ons and fees.
    cost: Decimal,
    /// The whole estimate: metering, post-paid only, the cheapest mix of packages.
    estimate: Estimate,
}

/// What the files held.
#[derive(Debug, Default, Serialize)]
struct FileSummary {
    file: String,
    pushes: usize,
    records: usize,
    /// Console connectivity tests (`{"json":"test-content"}`): no records.
    test_pushes: usize,
}

/// One record, as read: where it came from (the file's position among those given), its
/// fields as JSON.
struct Record {
    file: usize,
    line: Option<usize>,
    index: usize,
    value: Value,
}

impl Record {
    fn unpriced(&self, labels: &[String], reason: String) -> Unpriced {
        Unpriced {
            file: labels[self.file].clone(),
            line: self.line,
            index: self.index,
            call_id: call_id(&self.value),
            reason,
        }
    }
}

fn call_id(value: &Value) -> Option<String> {
    value
        .get("call_id")
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// Whole seconds in a record's field: a number or a string of digits.
enum Seconds {
    Missing,
    Value(u64),
    Bad(String),
}

fn seconds(record: &Value, field: &str) -> Seconds {
    match record.get(field) {
        None | Some(Value::Null) => Seconds::Missing,
        Some(Value::Number(n)) => match n.as_u64() {
            Some(s) => Seconds::Value(s),
            None => Seconds::Bad(format!("`{field}` is {n}, not whole seconds")),
        },
        Some(Value::String(s)) if s.trim().is_empty() => {
            Seconds::Bad(format!("`{field}` is empty, not a number of seconds"))
        }
        Some(Value::String(s)) => match s.trim().parse::<u64>() {
            Ok(n) => Seconds::Value(n),
            Err(_) => Seconds::Bad(format!("`{field}` is {s:?}, not whole seconds")),
        },
        Some(other) => Seconds::Bad(format!("`{field}` is {other}, not whole seconds")),
    }
}

fn receipts(api: &Api, book: &'static PriceBook, a: ReceiptsArgs) -> Output {
    let scope = match scope(api, book, &a) {
        Ok(s) => s,
        Err(message) => return Output::usage(message),
    };
    let labels: Vec<String> = a.files.iter().map(|p| p.display().to_string()).collect();
    let (files, records, mut unpriced) = match read_files(&scope, &a.files, &labels) {
        Ok(read) => read,
        Err(message) => return Output::usage(message),
    };
    // Each record to a business: of those it may bill under and whose talk-time fields it
    // carries, the most specific; then each business's records priced together, as one period.
    let mut groups: BTreeMap<usize, (Vec<Vec<u64>>, Vec<&Record>)> = BTreeMap::new();
    for record in &records {
        match assign(&scope.pool, record, scope.guessing) {
            Ok((i, legs)) => {
                let g = groups.entry(i).or_default();
                g.0.push(legs);
                g.1.push(record);
            }
            Err(reason) => unpriced.push(record.unpriced(&labels, reason)),
        }
    }
    let mut priced = Vec::new();
    for (i, (usage, members)) in groups {
        match price_group(book, scope.pool[i], &a, usage) {
            Ok(p) => priced.push(p),
            Err(reason) => {
                unpriced.extend(members.iter().map(|r| r.unpriced(&labels, reason.clone())))
            }
        }
    }
    unpriced.sort_by(|x, y| (&x.file, x.line, x.index).cmp(&(&y.file, y.line, y.index)));
    let total: Decimal = priced.iter().map(|p| p.cost).sum();
    if a.format == OutFormat::Json {
        let json = serde_json::json!({
            "price_list": price_list(book),
            "message": scope.message,
            "files": files,
            "businesses": priced,
            "total_post_paid": total,
            "unpriced": unpriced,
        });
        return Output::ok(super::json_text(&json));
    }
    Output::ok(receipts_text(
        book,
        &scope.message,
        &files,
        &priced,
        &unpriced,
        total,
    ))
}

/// What `cost receipts` reads and may bill under, checked before any file is read.
struct Scope<'b> {
    /// The receipt message the files hold.
    message: String,
    entry: &'static ReceiptEntry,
    /// The businesses a record may bill under.
    pool: Vec<&'b Business>,
    /// Whether the pool is every business that reads this message (no `--business`).
    guessing: bool,
}

fn scope<'b>(api: &Api, book: &'b PriceBook, a: &ReceiptsArgs) -> Result<Scope<'b>, String> {
    let mut chosen = Vec::new();
    for id in &a.business {
        chosen.push(find_business(book, id)?);
    }
    if let Some(mode) = &a.mode {
        let pool: Vec<&Business> = if chosen.is_empty() {
            book.businesses.iter().collect()
        } else {
            chosen.clone()
        };
        if !pool.iter().any(|b| b.mode(mode).is_some()) {
            let modes: BTreeSet<&str> = pool
                .iter()
                .flat_map(|b| b.modes.iter().map(|m| m.id.as_ref()))
                .collect();
            return Err(format!(
                "error: no business{} has a mode `{mode}`; the modes (--mode): {}\n",
                if chosen.is_empty() { "" } else { " given" },
                modes.into_iter().collect::<Vec<_>>().join(", ")
            ));
        }
    }
    let messages = || {
        api.receipts
            .iter()
            .map(|r| r.name)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let named: BTreeSet<&str> = book
        .businesses
        .iter()
        .filter_map(|b| b.receipt.as_ref().map(|r| r.message.as_ref()))
        .collect();
    let message = match (&a.message, named.len()) {
        (Some(m), _) => m.clone(),
        (None, 1) => named
            .iter()
            .next()
            .map(|m| (*m).to_owned())
            .unwrap_or_default(),
        (None, _) => {
            return Err(format!(
                "error: say which receipt message the files hold with --message ({})\n",
                messages()
            ));
        }
    };
    let Some(entry) = api.receipt(&message) else {
        return Err(format!(
            "error: {} has no receipt message `{message}`; its messages (--message): {}\n",
            api.product,
            messages()
        ));
    };
    let guessing = chosen.is_empty();
    let pool: Vec<&Business> = if guessing {
        book.businesses
            .iter()
            .filter(|b| b.receipt.as_ref().is_some_and(|r| r.message == message))
            .collect()
    } else {
        chosen
    };
    if pool.is_empty() {
        return Err(format!(
            "error: no business of the price list reads its talk time from {message}; say which \
             business the calls bill under with --business (`cost businesses` lists them)\n"
        ));
    }
    for id in &a.period.add_ons {
        if !pool
            .iter()
            .any(|b| b.add_ons.iter().any(|x| x.id == id.as_str()))
        {
            let known: BTreeSet<&str> = pool
                .iter()
                .flat_map(|b| b.add_ons.iter().map(|x| x.id.as_ref()))
                .collect();
            return Err(format!(
                "error: no business priced here has an add-on `{id}`; their add-ons (--add-on): {}\n",
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.into_iter().collect::<Vec<_>>().join(", ")
                }
            ));
        }
    }
    Ok(Scope {
        message,
        entry,
        pool,
        guessing,
    })
}

/// Every record of every file, in order, and the records the decoder rejected (as unpriced).
type Read = (Vec<FileSummary>, Vec<Record>, Vec<Unpriced>);

fn read_files(scope: &Scope<'_>, paths: &[PathBuf], labels: &[String]) -> Result<Read, String> {
    let message = &scope.message;
    let mut files = Vec::new();
    let mut unpriced = Vec::new();
    let mut records = Vec::new();
    for (file, (path, label)) in paths.iter().zip(labels).enumerate() {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("error: cannot read {label}: {e}\n"))?;
        let mut summary = FileSummary {
            file: label.clone(),
            ..FileSummary::default()
        };
        for (line, batch) in read_pushes(scope.entry, &text, label, message)? {
            summary.pushes += 1;
            summary.test_pushes += usize::from(batch.test);
            summary.records += batch.records.len() + batch.rejected.len();
            // Records in push order, the rejected ones where they were.
            let mut decoded = batch.records.into_iter();
            let mut rejected = batch.rejected.into_iter().peekable();
            let total = decoded.len() + rejected.len();
            for index in 0..total {
                match rejected.next_if(|r| r.index == index) {
                    Some(r) => {
                        let raw = serde_json::from_str(&r.raw).unwrap_or(Value::Null);
                        unpriced.push(Unpriced {
                            file: label.clone(),
                            line,
                            index,
                            call_id: call_id(&raw),
                            reason: format!("does not decode as a {message} record: {}", r.error),
                        });
                    }
                    None => records.extend(decoded.next().map(|value| Record {
                        file,
                        line,
                        index,
                        value,
                    })),
                }
            }
        }
        files.push(summary);
    }
    Ok((files, records, unpriced))
}

/// One business's records priced as one period, or why they cannot be.
fn price_group(
    book: &PriceBook,
    b: &Business,
    a: &ReceiptsArgs,
    usage: Vec<Vec<u64>>,
) -> Result<Priced, String> {
    let mode = find_mode(b, a.mode.as_deref().filter(|m| b.mode(m).is_some()))
        .map_err(|message| message.trim_start_matches("error: ").trim_end().to_owned())?;
    // Add-ons the business does not have are left to the businesses that do.
    let mut request = request(&b.id, mode, &a.period);
    request
        .add_ons
        .retain(|id| b.add_ons.iter().any(|x| x.id == id.as_str()));
    let e = pricing::estimate(book, &request, &Usage::Records(usage)).map_err(|e| e.to_string())?;
    Ok(Priced {
        business: e.business.clone(),
        mode: e.mode.clone(),
        records: e.calls,
        billed: e.billed,
        cost: e.post_paid_only.total,
        estimate: e,
    })
}

fn receipts_text(
    book: &PriceBook,
    message: &str,
    files: &[FileSummary],
    priced: &[Priced],
    unpriced: &[Unpriced],
    total: Decimal,
) -> String {
    let mut out = heading(book);
    let read: usize = files.iter().map(|f| f.records).sum();
    let tests: usize = files.iter().map(|f| f.test_pushes).sum();
    let _ = writeln!(
        out,
        "\nRead {} {message} record{} from {} file{}{}.",
        group(read as u64),
        plural(read),
        files.len(),
        plural(files.len()),
        if tests > 0 {
            format!(
                " ({tests} console test push{} without records)",
                if tests == 1 { "" } else { "es" }
            )
        } else {
            String::new()
        }
    );
    for p in priced {
        let Some(b) = book.business(&p.business) else {
            continue;
        };
        let _ = writeln!(
            out,
            "\n{} ({}), {} mode: {} record{} → {}; post-paid cost {} {}",
            b.title,
            b.id,
            p.mode,
            group(p.records),
            plural(p.records as usize),
            units(b, p.billed),
            p.cost,
            book.currency
        );
        lines_text(&mut out, &p.estimate.metering);
        lines_text(&mut out, &p.estimate.post_paid_only.lines);
        if !p.estimate.cheapest.packages.is_empty() {
            let bought: Vec<String> = p
                .estimate
                .cheapest
                .packages
                .iter()
                .map(|k| format!("{} × {} {}", k.count, k.size.normalize(), b.unit.name()))
                .collect();
            let _ = writeln!(
                out,
                "  {:10}  with prepaid packages ({}) the cheapest would have been {} {}",
                "packages",
                bought.join(" + "),
                p.estimate.cheapest.total,
                book.currency
            );
        }
    }
    let count: u64 = priced.iter().map(|p| p.records).sum();
    let _ = writeln!(
        out,
        "\nTotal post-paid: {total} {} for {} priced record{}",
        book.currency,
        group(count),
        plural(count as usize)
    );
    if !unpriced.is_empty() {
        let _ = writeln!(out, "\nNot priced ({}):", group(unpriced.len() as u64));
        for u in unpriced {
            let at = match u.line {
                Some(line) => format!("{}:{line} #{}", u.file, u.index),
                None => format!("{} #{}", u.file, u.index),
            };
            let id = u
                .call_id
                .as_deref()
                .map_or_else(String::new, |c| format!(" call_id {c}:"));
            let _ = writeln!(out, "  {at}{id} {}", u.reason);
        }
    }
    let notes: BTreeSet<&String> = priced
        .iter()
        .flat_map(|p| p.estimate.notes.iter())
        .collect();
    if !notes.is_empty() {
        let _ = writeln!(out, "\nNotes");
        for n in notes {
            let _ = writeln!(out, "  - {n}");
        }
    }
    out
}

/// The pushes of a file, each with its line when the file holds one per line.
type Pushes = Vec<(Option<usize>, Batch<Value>)>;

/// The pushes of a file: the whole text as one push body, else one push per non-empty line.
fn read_pushes(
    entry: &ReceiptEntry,
    text: &str,
    label: &str,
    message: &str,
) -> Result<Pushes, String> {
    let whole = match (entry.parse_batch)(text) {
        Ok(batch) => return Ok(vec![(None, batch)]),
        Err(e) => e,
    };
    let mut out = Vec::new();
    for (i, body) in text.lines().enumerate() {
        if body.trim().is_empty() {
            continue;
        }
        match (entry.parse_batch)(body) {
            Ok(batch) => out.push((Some(i + 1), batch)),
            // Not even the first push reads: the file is not pushes, say what is wrong with it.
            Err(_) if out.is_empty() => {
                return Err(format!(
                    "error: {label} is not a {message} push (a JSON array of records, or one \
                     push per line): {whole}\n"
                ));
            }
            Err(e) => {
                return Err(format!(
                    "error: {label}:{} is not a {message} push: {e}\n",
                    i + 1
                ));
            }
        }
    }
    if out.is_empty() {
        return Err(format!("error: {label} is empty: {whole}\n"));
    }
    Ok(out)
}

/// The business of `pool` a record bills under (its index) and its legs' seconds, or why none.
/// A business is possible when the record carries every talk-time field it reads; of the
/// possible ones, those reading the most fields win (a record with `a_duration` and
/// `b_duration` is a double call). Several left: the record does not say which.
fn assign(
    pool: &[&Business],
    record: &Record,
    guessing: bool,
) -> Result<(usize, Vec<u64>), String> {
    let fields = |b: &Business| -> Vec<String> {
        b.receipt
            .as_ref()
            .map(|r| r.seconds.iter().map(|s| s.to_string()).collect())
            .unwrap_or_default()
    };
    let mut possible: Vec<(usize, Vec<u64>)> = Vec::new();
    let mut bad: Vec<String> = Vec::new();
    for (i, b) in pool.iter().enumerate() {
        let names = fields(b);
        if names.is_empty() {
            continue;
        }
        let mut legs = Vec::new();
        let mut ok = true;
        for name in &names {
            match seconds(&record.value, name) {
                Seconds::Value(s) => legs.push(s),
                Seconds::Missing => ok = false,
                Seconds::Bad(why) => {
                    ok = false;
                    if !bad.contains(&why) {
                        bad.push(why);
                    }
                }
            }
        }
        if ok {
            possible.push((i, legs));
        }
    }
    let most = possible.iter().map(|(_, l)| l.len()).max().unwrap_or(0);
    possible.retain(|(_, l)| l.len() == most);
    match possible.len() {
        1 => Ok(possible.remove(0)),
        0 if !bad.is_empty() => Err(bad.join("; ")),
        0 => {
            let mut wanted: Vec<String> = Vec::new();
            for f in pool.iter().map(|b| fields(b).join(" and ")) {
                if !f.is_empty() && !wanted.contains(&f) {
                    wanted.push(f);
                }
            }
            Err(if wanted.is_empty() {
                "no business given reads talk time from a receipt".to_owned()
            } else {
                format!(
                    "carries no talk time the price list reads ({})",
                    wanted.join("; or ")
                )
            })
        }
        _ => {
            let ids: Vec<&str> = possible.iter().map(|(i, _)| pool[*i].id.as_ref()).collect();
            Err(format!(
                "could bill under {} (the receipt does not say which){}",
                ids.join(", "),
                if guessing {
                    ": give the business with --business"
                } else {
                    ""
                }
            ))
        }
    }
}
