//! The price lists as encoded in the specs, priced: worked examples from both seeds with the
//! amounts computed by hand (the arithmetic is in the comments), and properties that must hold
//! for any volume: cost is monotone within a tier, tiers change exactly on the seed's numbers,
//! and metering follows the rounding rules.

use std::path::Path;
use std::sync::LazyLock;

use popgen_runtime::pricing::{
    self, Decimal, PriceBook, Request, Usage, amount, meter_seconds, post_paid_cost,
};
use popgen_spec::load::{load_bundled, load_paths};
use popgen_spec::pricing::book;
use proptest::prelude::*;

/// The bundled spec's price book, loaded once for every test and property case of this file.
fn alibaba() -> &'static PriceBook {
    static BOOK: LazyLock<PriceBook> = LazyLock::new(|| {
        let loaded = load_bundled().expect("the bundled spec loads");
        book::build(&loaded.spec).expect("the bundled spec has a pricing section")
    });
    &BOOK
}

/// The Tencent fixture's price book, loaded once.
fn tencent() -> &'static PriceBook {
    static BOOK: LazyLock<PriceBook> = LazyLock::new(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/tencent-asr");
        let loaded = load_paths(&[dir]).expect("the Tencent fixture loads");
        book::build(&loaded.spec).expect("the fixture has a pricing section")
    });
    &BOOK
}

/// `calls` answered calls of `seconds` each.
fn campaign(calls: u64, seconds: u64) -> Usage {
    Usage::Campaign {
        calls,
        answer_rate: Decimal::ONE,
        avg_seconds: Decimal::from(seconds),
    }
}

fn dec(s: &str) -> Decimal {
    s.parse().expect("a decimal")
}

fn estimate(book: &PriceBook, request: &Request, usage: &Usage) -> pricing::Estimate {
    pricing::estimate(book, request, usage).expect("the estimate is possible")
}

#[test]
fn ivr_minutes_are_all_billed_at_the_tier_the_month_reaches() {
    // 000, 语音IVR: 当月全部话费以最新阶梯扣费. 60,000 minutes are in 5万＜分钟数≤10万:
    // 60,000 × 0.108 = 6,480 yuan (not 50,000 × 0.110 + 10,000 × 0.108 = 6,580).
    let e = estimate(
        alibaba(),
        &Request::new("voice-ivr", "dedicated"),
        &campaign(60_000, 60),
    );
    assert_eq!(e.billed, 60_000);
    assert_eq!(e.post_paid_only.post_paid, dec("6480"));
    assert_eq!(e.post_paid_only.tier.unwrap().index, 1);
}

#[test]
fn a_500_minute_package_beats_500_post_paid_public_minutes() {
    // 000, 语音通知（公共模式）: post-paid 500 × 0.11 = 55 yuan; the 500-minute package costs 45.
    let e = estimate(
        alibaba(),
        &Request::new("voice-notification", "public"),
        &campaign(500, 60),
    );
    assert_eq!(e.post_paid_only.total, dec("55"));
    assert_eq!(e.cheapest.total, dec("45"));
    assert_eq!(e.cheapest.packages.len(), 1);
    assert_eq!(
        (e.cheapest.packages[0].size, e.cheapest.packages[0].count),
        (dec("500"), 1)
    );
    assert_eq!(e.saving, dec("10"));
}

#[test]
fn the_issues_campaign_of_300000_notifications() {
    // 300,000 calls × 0.7 = 210,000 answered; 40 s = 1 started minute each → 210,000 minutes.
    // Post-paid: 210,000 × 0.11 = 23,100. Cheapest: 2 × 100,000 (2 × 8,000) + 2 × 5,000
    // (2 × 425) = 16,850, which covers it exactly; saving 6,250.
    let usage = Usage::Campaign {
        calls: 300_000,
        answer_rate: dec("0.7"),
        avg_seconds: dec("40"),
    };
    let e = estimate(
        alibaba(),
        &Request::new("voice-notification", "public"),
        &usage,
    );
    assert_eq!((e.answered, e.billed), (210_000, 210_000));
    assert_eq!(e.post_paid_only.total, dec("23100"));
    assert_eq!(e.cheapest.total, dec("16850"));
    assert_eq!((e.cheapest.covered, e.cheapest.left_over), (210_000, 0));
}

#[test]
fn dedicated_notification_tiers_are_graduated() {
    // 000, 语音通知（专属号码）后付费 (no "whole month" sentence; the spec reads it graduated):
    // 50,000 × 0.110 + 10,000 × 0.108 = 5,500 + 1,080 = 6,580.
    let e = estimate(
        alibaba(),
        &Request::new("voice-notification", "dedicated"),
        &campaign(60_000, 60),
    );
    assert_eq!(e.post_paid_only.post_paid, dec("6580"));
}

#[test]
fn number_rental_is_35_a_number_a_month() {
    // 2 numbers × 35 = 70 on top of 500 minutes × 0.110 = 55.
    let request = Request {
        numbers: 2,
        ..Request::new("voice-notification", "dedicated")
    };
    let e = estimate(alibaba(), &request, &campaign(500, 30));
    assert_eq!(e.post_paid_only.total, dec("125"));
}

#[test]
fn an_unanswered_verification_call_costs_nothing() {
    // 000, 语音验证码（公共模式）: 0.06元/条，未接通的不扣费. Two unanswered, one answered: 0.06.
    let e = estimate(
        alibaba(),
        &Request::new("voice-verification", "public"),
        &Usage::from_seconds([0, 0, 35]),
    );
    assert_eq!((e.calls, e.answered, e.billed), (3, 1, 1));
    assert_eq!(e.post_paid_only.total, dec("0.06"));
}

#[test]
fn international_calls_are_priced_by_destination() {
    // 000, 国际/港澳台: 1,000 minutes to Hong Kong × 0.272 = 272.
    let request = Request {
        destination: Some("HK".into()),
        ..Request::new("international-voice-notification", "public")
    };
    let e = estimate(alibaba(), &request, &campaign(1_000, 55));
    assert_eq!(e.post_paid_only.total, dec("272"));
    let missing = pricing::estimate(
        alibaba(),
        &Request::new("international-voice-notification", "public"),
        &campaign(1, 1),
    );
    assert!(matches!(
        missing,
        Err(pricing::EstimateError::Destination(..))
    ));
}

#[test]
fn a_double_call_bills_both_legs_and_its_add_ons_once() {
    // Legs of 61 s and 59 s: 2 + 1 = 3 minutes × 0.110 = 0.33; recording bills the call's
    // longest leg once: 2 minutes × 0.05 = 0.10; total 0.43.
    let request = Request {
        add_ons: vec!["recording".into()],
        ..Request::new("double-call", "dedicated")
    };
    let e = estimate(alibaba(), &request, &Usage::Records(vec![vec![61, 59]]));
    assert_eq!(e.billed, 3);
    assert_eq!(e.post_paid_only.post_paid, dec("0.330"));
    assert_eq!(e.post_paid_only.total, dec("0.43"));
}

#[test]
fn tencent_file_recognition_takes_the_free_hours_first() {
    // 003, 后付费 示例一: 510 hours in a month, 10 free: (510 − 10) × 1.75 = 875.
    let e = estimate(
        tencent(),
        &Request::new("file-recognition", "standard"),
        &Usage::from_seconds([510 * 3600]),
    );
    assert_eq!(e.free, 10 * 3600);
    assert_eq!(e.post_paid_only.total, dec("875.00"));
}

#[test]
fn tencent_one_sentence_recognition_with_5000_free_calls_left() {
    // 003, 后付费 示例二: 215,000 calls in a day, 5,000 free left: (215000 − 5000) / 1000 × 3.2 = 672.
    let request = Request {
        free_left: Some(dec("5")),
        ..Request::new("sentence-recognition", "standard")
    };
    let e = estimate(tencent(), &request, &campaign(215_000, 1));
    assert_eq!(e.post_paid_only.total, dec("672.00"));
}

#[test]
fn tencent_real_time_recognition_at_the_tier_of_the_whole_day() {
    // 003, 后付费 示例三: 315 hours in a day, 5 free left: (315 − 5) × 2.8 = 868 (315 h is in 300 ~ 999).
    let request = Request {
        free_left: Some(dec("5")),
        ..Request::new("realtime-recognition", "standard")
    };
    let e = estimate(tencent(), &request, &Usage::from_seconds([315 * 3600]));
    assert_eq!(e.post_paid_only.total, dec("868.00"));
}

#[test]
fn tencent_prepaid_example_prices_the_overflow_at_the_tier_all_usage_reaches() {
    // 003, 预付费 示例二: 2,000,000 calls in a day, 3,000 free left, one 1,000-thousand package
    // (1,800): 1800 + (2000000 − 1000000 − 3000) / 1000 × 2.2 = 1800 + 2193.4 = 3993.4. The
    // 997,000 post-paid calls alone would be in 300 ~ 999 (2.8); all 2,000 thousand are in 1000 ~ 2999.
    let request = Request {
        free_left: Some(dec("3")),
        ..Request::new("sentence-recognition", "standard")
    };
    let plan = pricing::price_plan(
        tencent(),
        &request,
        &campaign(2_000_000, 1),
        &[(dec("1000"), 1)],
    )
    .expect("the package exists");
    assert_eq!(plan.total, dec("3993.40"));
    assert_eq!(plan.tier.unwrap().tier.price, dec("2.20"));
}

#[test]
fn tencent_two_packages_for_20000_real_time_hours() {
    // 003, 预付费 示例一: 2 × 15000 = 30000 for 20,000 hours (free quota used up).
    let request = Request {
        free_left: Some(Decimal::ZERO),
        ..Request::new("realtime-recognition", "standard")
    };
    let usage = Usage::from_seconds([20_000 * 3600]);
    let plan = pricing::price_plan(tencent(), &request, &usage, &[(dec("10000"), 2)]).unwrap();
    assert_eq!((plan.post_paid_units, plan.total), (0, dec("30000")));
}

#[test]
fn sixty_one_seconds_bill_two_minutes() {
    assert_eq!(meter_seconds(pricing::Metering::StartedMinute, 61), 2);
    let e = estimate(
        alibaba(),
        &Request::new("voice-ivr", "dedicated"),
        &Usage::from_seconds([61]),
    );
    assert_eq!(e.billed, 2);
}

/// The post-paid table of a business's mode.
fn table(book: &PriceBook, business: &str, mode: &str) -> pricing::PostPaid {
    let b = book.business(business).unwrap();
    b.mode(mode).unwrap().post_paid.clone().unwrap()
}

/// 000's tier boundaries, as printed: 5万, 10万, 50万, 100万, 500万, 1000万.
const ALIBABA_BOUNDS: [u64; 6] = [50_000, 100_000, 500_000, 1_000_000, 5_000_000, 10_000_000];
/// 003's daily tiers start at these hours (or thousand calls): 0 ~ 299, 300 ~ 999, ...
const TENCENT_STARTS: [u64; 4] = [300, 1_000, 3_000, 5_000];

proptest! {
    #[test]
    fn alibaba_tiers_change_exactly_past_the_seeds_numbers(v in 0u64..20_000_000) {
        // `5万＜分钟数≤10万`: a volume on a boundary is still in the lower tier.
        let pp = table(alibaba(), "voice-ivr", "dedicated");
        let (_, tier) = post_paid_cost(&pp, 1, None, v, 0, v);
        let expected = ALIBABA_BOUNDS.iter().filter(|b| v > **b).count();
        prop_assert_eq!(tier.unwrap().index, expected);
    }

    #[test]
    fn tencent_tiers_change_exactly_on_the_seeds_numbers(seconds in 0u64..(6_000 * 3600)) {
        // `0 ~ 299`, `300 ~ 999`: 299.9 hours are in the first tier, 300 in the second.
        let pp = table(tencent(), "realtime-recognition", "standard");
        let (_, tier) = post_paid_cost(&pp, 3600, Some(2), seconds, 0, seconds);
        let expected = TENCENT_STARTS.iter().filter(|s| seconds >= **s * 3600).count();
        prop_assert_eq!(tier.unwrap().index, expected);
    }

    #[test]
    fn cost_is_monotone_in_volume_within_a_tier(tier in 0usize..6, a in 0u64..1_000_000, b in 0u64..1_000_000) {
        let lo = if tier == 0 { 0 } else { ALIBABA_BOUNDS[tier - 1] + 1 };
        let span = ALIBABA_BOUNDS[tier] - lo;
        let (x, y) = (lo + a.min(b) % (span + 1), lo + a.max(b) % (span + 1));
        let (x, y) = (x.min(y), x.max(y));
        let book = alibaba();
        for (business, mode) in [("voice-ivr", "dedicated"), ("voice-notification", "dedicated")] {
            let pp = table(book, business, mode);
            let cx = post_paid_cost(&pp, 1, None, x, 0, x).0;
            let cy = post_paid_cost(&pp, 1, None, y, 0, y).0;
            prop_assert!(cx <= cy, "{business}: {x} costs {cx}, {y} costs {cy}");
        }
    }

    #[test]
    fn started_minutes_round_each_call_up(seconds in proptest::collection::vec(0u64..4_000, 0..50)) {
        let e = estimate(alibaba(), &Request::new("voice-ivr", "dedicated"), &Usage::from_seconds(seconds.clone()));
        let minutes: u64 = seconds.iter().map(|s| s.div_ceil(60)).sum();
        prop_assert_eq!(e.billed, minutes);
    }

    #[test]
    fn verification_bills_answered_calls_only(seconds in proptest::collection::vec(0u64..300, 0..50)) {
        // 0.06 per answered call, post-paid, public mode: unanswered calls add nothing.
        let e = estimate(alibaba(), &Request::new("voice-verification", "public"), &Usage::from_seconds(seconds.clone()));
        let answered = seconds.iter().filter(|s| **s > 0).count() as u64;
        prop_assert_eq!(e.post_paid_only.total, Decimal::from(answered) * amount(6, 2));
        prop_assert!(e.cheapest.total <= e.post_paid_only.total);
    }
}
