//! Receives the receipt (callback) pushes of any popgen-generated API and stores them durably.
//!
//! The platform pushes each receipt message (`VoiceReport`, `VoiceCallReport`, ...) as an HTTP
//! POST of a JSON array of records to the URL configured for it, and pushes again 1, 5 and 10
//! minutes later unless it is answered `{"code":0,...}` with status 200. A [`Receiver`] answers
//! so only once the push is committed to the [`Store`] (SQLite or PostgreSQL), and stores every
//! record once however often it is pushed (records are keyed by [`key::record_key`]).
//!
//! Driven by the API's registry ([`popgen_runtime::registry::Api::receipts`]): one path per
//! message it declares, its records read by the generated types. A separate crate so that sqlx
//! and the database drivers compile only for the command line and for users who receive.
//!
//! - [`receiver`]: one push → committed records and the answer; [`Receiver::handle`] mounts in
//!   any hyper or axum service.
//! - [`serve`]: the receiver as a server of its own, connections capped and timed out.
//! - [`store`]: the schema, the idempotent batch insert, lookups by `CallId`/`OutId`, listing.
//! - [`export`]: stored records as JSON lines (what `dyvms cost receipts` reads) or CSV.
//! - [`time`]: the instants `list --since` takes.

#![warn(missing_docs)]

pub mod export;
pub mod key;
pub mod receiver;
pub mod serve;
pub mod store;
pub mod time;

pub use receiver::{Received, Receiver, Refusal};
pub use store::{Filter, Lookup, Store, StoreError, StoredReceipt};
