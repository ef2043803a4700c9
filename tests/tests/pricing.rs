//! The generated crate's price book is the spec's, one source of truth: `dyvmsapi::pricing::BOOK`
//! (a `static` written by `popgen generate`) equals what `popgen_spec::pricing::book::build`
//! makes of the bundled spec at run time, to the last digit and scale; the registry hands the
//! same static to the command line; a crate whose spec has no prices has no book.

use popgen_spec::pricing::book;

fn built() -> popgen_runtime::pricing::PriceBook {
    let loaded = popgen_spec::load::load_bundled().expect("the bundled spec loads");
    book::build(&loaded.spec).expect("the bundled spec has prices")
}

#[test]
fn the_generated_book_is_the_one_the_spec_builds() {
    let built = built();
    assert_eq!(dyvmsapi::pricing::BOOK, built);
    // `Decimal`'s `==` ignores the scale (0.11 == 0.110); the JSON text does not, and every
    // amount is a string there, so this compares digit for digit.
    assert_eq!(
        serde_json::to_string(&dyvmsapi::pricing::BOOK).expect("serialises"),
        serde_json::to_string(&built).expect("serialises"),
    );
}

#[test]
fn the_registry_carries_the_generated_book() {
    let book = dyvmsapi::registry::API
        .pricing
        .expect("the Dyvmsapi registry has a price book");
    assert!(std::ptr::eq(book, &dyvmsapi::pricing::BOOK));
    assert!(dysmsapi::registry::API.pricing.is_none());
    let no_module = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../generated/dysmsapi/src/pricing.rs");
    assert!(
        !no_module.exists(),
        "a spec without prices gets no pricing module"
    );
}

#[test]
fn the_crate_estimates_a_campaign_before_it_starts() {
    use dyvmsapi::pricing::{self, Decimal, Request, Usage};
    // 300,000 calls × 0.7 = 210,000 answered, 40 s = 1 started minute each: 210,000 minutes.
    // Post-paid: 210,000 × 0.11 = 23,100.00. Packages: 2 × 100,000 (8,000 each) + 2 × 5,000
    // (425 each) = 16,850, covering the 210,000 minutes exactly.
    let usage = Usage::Campaign {
        calls: 300_000,
        answer_rate: Decimal::new(7, 1),
        avg_seconds: Decimal::from(40),
    };
    let e = pricing::estimate(
        &pricing::BOOK,
        &Request::new("voice-notification", "public"),
        &usage,
    )
    .expect("priced");
    assert_eq!(e.billed, 210_000);
    assert_eq!(e.post_paid_only.total.to_string(), "23100.00");
    assert_eq!(e.cheapest.total.to_string(), "16850");
}

#[test]
fn receipt_messages_parse_through_the_registry() {
    let api = &dyvmsapi::registry::API;
    let names: Vec<&str> = api.receipts.iter().map(|r| r.name).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted, "receipts are in name order");
    let spec = popgen_spec::load::load_bundled()
        .expect("the bundled spec loads")
        .spec;
    for (name, receipt) in &spec.receipts {
        let entry = api.receipt(name).expect("every receipt is in the registry");
        for example in &receipt.examples {
            let batch = (entry.parse_batch)(example).expect("the example parses");
            assert!(batch.rejected.is_empty(), "{name}: {:?}", batch.rejected);
            assert!(!batch.records.is_empty());
        }
    }
    // The double-call example's `b_duration` is a number; the typed record reads it anyway.
    let report = api.receipt("VoiceReport").expect("VoiceReport");
    let batch = (report.parse_batch)(r#"[{"call_id":"x","b_duration":8,"duration":"61"}]"#)
        .expect("parses");
    assert_eq!(batch.records[0]["b_duration"], "8");
    assert_eq!(batch.records[0]["duration"], "61");
}
