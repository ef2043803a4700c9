//! The store: receipt records in SQLite (embedded, the default) or PostgreSQL (shared), one
//! schema for both (`receipts/migrations/`, applied on open), one set of queries for both (the
//! same SQL text, `$N` params, runs on each backend's pool).
//!
//! A push is stored in one transaction ([`Store::insert_batch`]): all of its records or none.
//! Records are keyed by [`record_key`](crate::key::record_key), and a record whose key is
//! stored already is skipped (`ON CONFLICT DO NOTHING`), so a re-pushed batch stores nothing
//! twice, even when two copies of a push arrive at once.

use std::borrow::Cow;
use std::str::FromStr as _;
use std::time::Duration;

use serde::Serialize;
use serde_json::Value;
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

/// The schema's migrations, embedded: the same text for SQLite and PostgreSQL.
const MIGRATIONS: &[(i64, &str, &str)] = &[(
    1,
    "receipts",
    include_str!("../migrations/0001_receipts.sql"),
)];

/// Why the store could not be opened, written or read.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The URL names no backend this store has.
    #[error(
        "unsupported store URL `{0}`: use sqlite:FILE (created when missing), sqlite::memory: or postgres://USER:PASSWORD@HOST/DB"
    )]
    UnsupportedUrl(String),
    /// The database refused or failed (connection, query, constraint).
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// The schema could not be brought up to date.
    #[error("migrating the schema failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// A record to store: what the receiver read out of a push.
#[derive(Debug, Clone, PartialEq)]
pub struct NewRecord {
    /// [`record_key`](crate::key::record_key) of the record as pushed.
    pub key: String,
    /// The receipt message (`VoiceReport`).
    pub message: String,
    /// The record's `call_id`, when it has one.
    pub call_id: Option<String>,
    /// The record's `out_id` (the `OutId` the call was placed with), when it has one.
    pub out_id: Option<String>,
    /// The record's `status_code`, when it has one.
    pub status_code: Option<String>,
    /// Its index in the push.
    pub push_index: i64,
    /// The record as JSON: as the generated type reads it, or raw when it did not decode.
    pub record: String,
    /// Why it did not decode; `None` when it did.
    pub error: Option<String>,
}

/// What storing a push did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Inserted {
    /// Records stored now.
    pub new: u64,
    /// Records skipped because they were stored already (a re-push).
    pub duplicate: u64,
}

/// A stored record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredReceipt {
    /// Its dedupe key.
    pub key: String,
    /// The receipt message (`VoiceReport`).
    pub message: String,
    /// Its `call_id`, when it has one.
    pub call_id: Option<String>,
    /// Its `out_id`, when it has one.
    pub out_id: Option<String>,
    /// Its `status_code`, when it has one.
    pub status_code: Option<String>,
    /// When its push was committed, milliseconds since the Unix epoch.
    pub received_ms: i64,
    /// Its index in its push.
    pub push_index: i64,
    /// The record (as the generated type reads it, or raw when it did not decode).
    pub record: Value,
    /// Why it did not decode; `None` when it did.
    pub error: Option<String>,
}

/// Which records [`Store::list`] returns; every condition given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Received at or after this instant (milliseconds since the Unix epoch).
    pub since_ms: Option<i64>,
    /// Received before this instant.
    pub until_ms: Option<i64>,
    /// With this `status_code`.
    pub status_code: Option<String>,
    /// Of this message.
    pub message: Option<String>,
    /// Only records that did not decode (stored raw with their error).
    pub undecoded: bool,
    /// At most this many (the oldest first).
    pub limit: Option<u64>,
}

/// How to find a placed call's records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup<'a> {
    /// By the `CallId` the action returned.
    CallId(&'a str),
    /// By the `OutId` the request carried (the idempotency key an `OutcomeUnknown` names).
    OutId(&'a str),
}

/// The backend's pool.
#[derive(Debug, Clone)]
enum Backend {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the backend's pool: the same code for both.
macro_rules! on_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.backend {
            Backend::Sqlite($pool) => $body,
            Backend::Postgres($pool) => $body,
        }
    };
}

/// A value bound to a query param.
#[derive(Debug, Clone)]
enum Bind {
    Int(i64),
    Text(String),
}

/// The columns every read selects, in [`Row`]'s order.
const COLUMNS: &str =
    "record_key, message, call_id, out_id, status_code, received_ms, push_index, record, error";

type Row = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
    i64,
    String,
    Option<String>,
);

/// Rows per `INSERT` statement: 9 params each, far below SQLite's 32,766 and PostgreSQL's
/// 65,535 params per statement. One statement per push of up to this many records, rather than
/// one per record, saves a round trip to the database per record.
const ROWS_PER_INSERT: usize = 500;

/// `INSERT` of `rows` rows, params `$1`..; rows whose key is stored already are skipped.
fn insert_sql(rows: usize) -> String {
    let mut sql = String::from(
        "INSERT INTO receipts (record_key, message, call_id, out_id, status_code, received_ms, \
         push_index, record, error) VALUES ",
    );
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for column in 0..9 {
            if column > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("${}", row * 9 + column + 1));
        }
        sql.push(')');
    }
    sql.push_str(" ON CONFLICT (record_key) DO NOTHING");
    sql
}

/// A receipt store: a pool of connections to SQLite or PostgreSQL, its schema up to date.
#[derive(Debug, Clone)]
pub struct Store {
    backend: Backend,
    /// SQLite takes one writer at a time: writers queue here rather than on its busy timeout.
    write: std::sync::Arc<tokio::sync::Mutex<()>>,
}

impl Store {
    /// Opens the store `url` names, creating a SQLite file when it is missing, and brings its
    /// schema up to date:
    ///
    /// - `sqlite:receipts.db` (or `sqlite://receipts.db`, `sqlite::memory:`): WAL mode,
    ///   `synchronous = FULL` (a committed push survives a crash of the process and of the
    ///   machine: each commit waits for the disk), a 5 s busy timeout. `?synchronous=normal`
    ///   trades the machine for speed: a commit survives a crash of the process, but a power
    ///   loss may take the last commits back (pushes already acknowledged, so lost);
    /// - `postgres://USER:PASSWORD@HOST[:PORT]/DB` (or `postgresql://`), without TLS.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let backend = if url.starts_with("sqlite:") {
            let (url, synchronous) = sqlite_synchronous(url)?;
            let options = SqliteConnectOptions::from_str(&url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(synchronous)
                .busy_timeout(Duration::from_secs(5));
            let pool = SqlitePoolOptions::new()
                .max_connections(4)
                .connect_with(options)
                .await?;
            Backend::Sqlite(pool)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = PgPoolOptions::new()
                .max_connections(8)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await?;
            Backend::Postgres(pool)
        } else {
            return Err(StoreError::UnsupportedUrl(url.to_owned()));
        };
        let store = Store {
            backend,
            write: std::sync::Arc::default(),
        };
        let migrator = Migrator::new(Embedded).await?;
        on_pool!(store, pool => migrator.run(pool).await?);
        Ok(store)
    }

    /// Which backend this is: `sqlite` or `postgres`.
    pub fn backend(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// Stores the records of one push in one transaction, `received_ms` as their arrival;
    /// records stored already are skipped. When it returns `Ok`, the push is committed.
    pub async fn insert_batch(
        &self,
        records: &[NewRecord],
        received_ms: i64,
    ) -> Result<Inserted, StoreError> {
        let _writer = self.write.lock().await;
        let mut inserted = Inserted::default();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            for chunk in records.chunks(ROWS_PER_INSERT) {
                let sql = insert_sql(chunk.len());
                let mut query = sqlx::query(&sql);
                for r in chunk {
                    query = query
                        .bind(&r.key)
                        .bind(&r.message)
                        .bind(&r.call_id)
                        .bind(&r.out_id)
                        .bind(&r.status_code)
                        .bind(received_ms)
                        .bind(r.push_index)
                        .bind(&r.record)
                        .bind(&r.error);
                }
                let new = query.execute(&mut *tx).await?.rows_affected();
                inserted.new += new;
                inserted.duplicate += chunk.len() as u64 - new.min(chunk.len() as u64);
            }
            tx.commit().await?;
        });
        Ok(inserted)
    }

    /// A placed call's records, oldest first: by the `CallId` the action returned or the
    /// `OutId` its request carried.
    pub async fn lookup(&self, by: Lookup<'_>) -> Result<Vec<StoredReceipt>, StoreError> {
        let (column, value) = match by {
            Lookup::CallId(id) => ("call_id", id),
            Lookup::OutId(id) => ("out_id", id),
        };
        let sql = format!(
            "SELECT {COLUMNS} FROM receipts WHERE {column} = $1 \
             ORDER BY received_ms, message, push_index, record_key"
        );
        self.select(&sql, vec![Bind::Text(value.to_owned())]).await
    }

    /// The records `filter` selects, oldest first.
    pub async fn list(&self, filter: &Filter) -> Result<Vec<StoredReceipt>, StoreError> {
        let mut conditions = Vec::new();
        let mut binds = Vec::new();
        let mut add = |condition: &str, bind: Bind| {
            binds.push(bind);
            conditions.push(format!("{condition} ${}", binds.len()));
        };
        if let Some(since) = filter.since_ms {
            add("received_ms >=", Bind::Int(since));
        }
        if let Some(until) = filter.until_ms {
            add("received_ms <", Bind::Int(until));
        }
        if let Some(status) = &filter.status_code {
            add("status_code =", Bind::Text(status.clone()));
        }
        if let Some(message) = &filter.message {
            add("message =", Bind::Text(message.clone()));
        }
        if filter.undecoded {
            conditions.push("error IS NOT NULL".to_owned());
        }
        let mut sql = format!("SELECT {COLUMNS} FROM receipts");
        if !conditions.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&conditions.join(" AND "));
        }
        sql.push_str(" ORDER BY received_ms, message, push_index, record_key");
        if let Some(limit) = filter.limit {
            sql.push_str(&format!(" LIMIT {}", limit.min(i64::MAX as u64)));
        }
        self.select(&sql, binds).await
    }

    /// How many records are stored.
    pub async fn count(&self) -> Result<u64, StoreError> {
        let (n,): (i64,) = on_pool!(self, pool => {
            sqlx::query_as("SELECT COUNT(*) FROM receipts").fetch_one(pool).await?
        });
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Closes the pool, waiting for connections in use.
    pub async fn close(&self) {
        on_pool!(self, pool => pool.close().await);
    }

    async fn select(&self, sql: &str, binds: Vec<Bind>) -> Result<Vec<StoredReceipt>, StoreError> {
        let rows: Vec<Row> = on_pool!(self, pool => {
            let mut query = sqlx::query_as::<_, Row>(sql);
            for bind in binds {
                query = match bind {
                    Bind::Int(n) => query.bind(n),
                    Bind::Text(s) => query.bind(s),
                };
            }
            query.fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(stored).collect())
    }
}

/// The URL without its `synchronous=full|normal` param (read here, not by sqlx), and the mode.
fn sqlite_synchronous(url: &str) -> Result<(String, SqliteSynchronous), StoreError> {
    let Some((base, query)) = url.split_once('?') else {
        return Ok((url.to_owned(), SqliteSynchronous::Full));
    };
    let mut synchronous = SqliteSynchronous::Full;
    let mut kept = Vec::new();
    for pair in query.split('&') {
        match pair.strip_prefix("synchronous=") {
            Some(v) if v.eq_ignore_ascii_case("full") => synchronous = SqliteSynchronous::Full,
            Some(v) if v.eq_ignore_ascii_case("normal") => synchronous = SqliteSynchronous::Normal,
            Some(_) => return Err(StoreError::UnsupportedUrl(url.to_owned())),
            None => kept.push(pair),
        }
    }
    let url = if kept.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    Ok((url, synchronous))
}

fn stored(row: Row) -> StoredReceipt {
    let (key, message, call_id, out_id, status_code, received_ms, push_index, record, error) = row;
    // Written by `insert_batch` as JSON; a row written by hand that is not JSON stays a string.
    let record = serde_json::from_str(&record).unwrap_or(Value::String(record));
    StoredReceipt {
        key,
        message,
        call_id,
        out_id,
        status_code,
        received_ms,
        push_index,
        record,
        error,
    }
}

/// What [`MigrationSource::resolve`] returns (sqlx's `BoxFuture`).
type Resolved<'s> = std::pin::Pin<
    Box<
        dyn std::future::Future<Output = Result<Vec<Migration>, sqlx::error::BoxDynError>>
            + Send
            + 's,
    >,
>;

/// The embedded migrations, as sqlx's migrator reads them.
#[derive(Debug)]
struct Embedded;

impl<'s> MigrationSource<'s> for Embedded {
    fn resolve(self) -> Resolved<'s> {
        Box::pin(async {
            Ok(MIGRATIONS
                .iter()
                .map(|&(version, description, sql)| {
                    Migration::new(
                        version,
                        Cow::Borrowed(description),
                        MigrationType::Simple,
                        Cow::Borrowed(sql),
                        false,
                    )
                })
                .collect())
        })
    }
}
