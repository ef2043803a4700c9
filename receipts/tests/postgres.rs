//! The store's contract on a real PostgreSQL server: the URL in `POPGEN_TEST_POSTGRES_URL`
//! (`.ci/run` installs Debian's `postgresql`, starts it on 127.0.0.1 and sets it).
//!
//! Without the variable the tests are reported `ignored`, with SKIPPED and the reason in their
//! names (a custom harness, so the skip shows in the normal `cargo test` output); with
//! `CI=true` a missing variable is a failure, not a skip.

mod common;

use popgen_receipts::{Lookup, Store};
use serde_json::json;

const VAR: &str = "POPGEN_TEST_POSTGRES_URL";

type Check = fn(String);

fn main() -> std::process::ExitCode {
    let args = libtest_mimic::Arguments::from_args();
    let url = std::env::var(VAR).ok().filter(|u| !u.is_empty());
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    let skip = url.is_none() && !ci;
    let checks: [(&str, Check); 2] = [
        ("postgres_keeps_the_store_contract", contract),
        (
            "postgres_opens_twice_and_stores_one_copy_of_concurrent_pushes",
            concurrent,
        ),
    ];
    let trials = checks
        .into_iter()
        .map(|(name, check)| {
            let name = if skip {
                format!("{name} (SKIPPED: set {VAR}=postgres://USER:PASSWORD@127.0.0.1/DB)")
            } else {
                name.to_owned()
            };
            let url = url.clone();
            libtest_mimic::Trial::test(name, move || match url {
                Some(url) => {
                    check(url);
                    Ok(())
                }
                None => Err(format!("{VAR} is not set; .ci/run sets it").into()),
            })
            .with_ignored_flag(skip)
        })
        .collect();
    libtest_mimic::run(&args, trials).exit_code()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

fn contract(url: String) {
    runtime().block_on(async {
        let store = Store::open(&url).await.expect("open postgres");
        assert_eq!(store.backend(), "postgres");
        common::store_contract(store).await;
    });
}

fn concurrent(url: String) {
    runtime().block_on(async {
        // A second open finds the schema migrated and changes nothing.
        let a = Store::open(&url).await.expect("open");
        let b = Store::open(&url).await.expect("open again");
        let receiver_a = popgen_receipts::Receiver::new(common::API, a.clone());
        let receiver_b = popgen_receipts::Receiver::new(common::API, b.clone());
        let t = common::tag();
        let body: String = json!(
            (0..50)
                .map(|i| common::voice_report(
                    &format!("{t}^{i}"),
                    &format!("o-{t}-{i}"),
                    "200000",
                    i
                ))
                .collect::<Vec<_>>()
        )
        .to_string();
        // Two receivers (two replicas behind one URL) get the same push at once, twice each.
        let push = |r: popgen_receipts::Receiver, body: String| async move {
            let request = common::post("/receipts/VoiceReport", body);
            common::answer(r.handle(request).await).await.0
        };
        let answers = tokio::join!(
            push(receiver_a.clone(), body.clone()),
            push(receiver_b.clone(), body.clone()),
            push(receiver_a, body.clone()),
            push(receiver_b, body.clone()),
        );
        let answers = [answers.0, answers.1, answers.2, answers.3];
        // A push that lost a race on a key may fail its transaction: then it answers 503 and
        // the platform pushes it again; at least one commits, and no record is stored twice.
        assert!(answers.contains(&hyper::StatusCode::OK), "{answers:?}");
        for i in 0..50 {
            let found = a
                .lookup(Lookup::CallId(&format!("{t}^{i}")))
                .await
                .expect("lookup");
            assert_eq!(found.len(), 1, "call {i}");
        }
    });
}
