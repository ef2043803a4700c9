//! Metering: usage (a planned campaign, or the talk seconds of receipts) → billed base units
//! (minutes, calls, seconds), with each business's rounding rule, and the words that explain it.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

use super::estimate::Line;
use super::{Business, Metering};

/// What was used in one settlement period, before any price applies.
#[derive(Debug, Clone, PartialEq)]
pub enum Usage {
    /// A planned campaign: calls placed, the share answered (or, for per-request billing, that
    /// succeeds), and the talk time of an answered call.
    Campaign {
        /// Calls placed (requests sent).
        calls: u64,
        /// The share answered, 0 to 1.
        answer_rate: Decimal,
        /// Average talk seconds of an answered call (per leg).
        avg_seconds: Decimal,
    },
    /// Calls that happened: the talk seconds of each leg of each call (0: unanswered).
    Records(Vec<Vec<u64>>),
}

impl Usage {
    /// Calls of one leg each, from their talk seconds.
    pub fn from_seconds(seconds: impl IntoIterator<Item = u64>) -> Usage {
        Usage::Records(seconds.into_iter().map(|s| vec![s]).collect())
    }
}

/// The billed base units of one leg of `seconds` talk time: started minutes (61 s = 2), one
/// connected call, or whole seconds; an unanswered leg (0 s) is free.
///
/// ```
/// use popgen_runtime::pricing::{Metering, meter_seconds};
/// assert_eq!(meter_seconds(Metering::StartedMinute, 61), 2);
/// assert_eq!(meter_seconds(Metering::ConnectedCall, 0), 0);
/// ```
pub fn meter_seconds(metering: Metering, seconds: u64) -> u64 {
    match metering {
        Metering::StartedMinute => seconds.div_ceil(60),
        Metering::ConnectedCall | Metering::SuccessfulCall => u64::from(seconds > 0),
        Metering::Second => seconds,
    }
}

/// Usage metered for one business.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Metered {
    pub calls: u64,
    pub answered: u64,
    /// Billed base units, every leg included.
    pub units: u64,
    /// Base units add-ons bill: each call's longest leg, once.
    pub add_on_units: u64,
    pub lines: Vec<Line>,
}

pub(super) fn meter(b: &Business, usage: &Usage) -> Metered {
    match usage {
        Usage::Campaign {
            calls,
            answer_rate,
            avg_seconds,
        } => campaign(b, *calls, *answer_rate, *avg_seconds),
        Usage::Records(records) => records_of(b, records),
    }
}

fn campaign(b: &Business, calls: u64, rate: Decimal, avg: Decimal) -> Metered {
    let answered = (Decimal::from(calls) * rate)
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
        .to_u64()
        .unwrap_or(0);
    let whole_seconds = avg.ceil().to_u64().unwrap_or(0);
    let per_leg = if answered == 0 {
        0
    } else {
        meter_seconds(b.metering, whole_seconds.max(1))
    };
    let units = answered * per_leg * u64::from(b.legs);
    let mut lines = vec![Line::text(
        "answered",
        format!(
            "{} calls × {} {} = {}",
            group(calls),
            rate.normalize(),
            answered_word(b.metering),
            group(answered)
        ),
    )];
    lines.push(Line::text("billed", per_call_words(b, avg, per_leg, units)));
    Metered {
        calls,
        answered,
        units,
        add_on_units: answered * per_leg,
        lines,
    }
}

fn answered_word(m: Metering) -> &'static str {
    match m {
        Metering::SuccessfulCall => "success rate: succeeded",
        _ => "answer rate: answered",
    }
}

fn per_call_words(b: &Business, avg: Decimal, per_leg: u64, units: u64) -> String {
    let legs = if b.legs > 1 {
        format!(" × {} legs", b.legs)
    } else {
        String::new()
    };
    let rule = rule_words(b.metering);
    match b.metering {
        Metering::StartedMinute | Metering::Second => format!(
            "each answered call talks {} s = {}{legs} ({rule}) → {}",
            avg.normalize(),
            count_words(b, per_leg),
            units_words(b, units)
        ),
        _ => format!("{rule} → {}", units_words(b, units)),
    }
}

/// The business's rounding rule in words.
pub(super) fn rule_words(m: Metering) -> &'static str {
    match m {
        Metering::StartedMinute => "a started minute counts in full; unanswered calls are free",
        Metering::ConnectedCall => "one unit per connected call; unanswered calls are free",
        Metering::Second => "a started second counts in full",
        Metering::SuccessfulCall => "one unit per successful request; failures are free",
    }
}

fn records_of(b: &Business, records: &[Vec<u64>]) -> Metered {
    let answered = records
        .iter()
        .filter(|legs| legs.iter().any(|s| *s > 0))
        .count() as u64;
    let units: u64 = records
        .iter()
        .flat_map(|legs| legs.iter())
        .map(|s| meter_seconds(b.metering, *s))
        .sum();
    let seconds: u64 = records.iter().flat_map(|legs| legs.iter()).sum();
    let add_on_units = records
        .iter()
        .map(|legs| meter_seconds(b.metering, legs.iter().copied().max().unwrap_or(0)))
        .sum();
    let lines = vec![
        Line::text(
            "answered",
            format!(
                "{} record{}: {} answered, {} not",
                group(records.len() as u64),
                if records.len() == 1 { "" } else { "s" },
                group(answered),
                group(records.len() as u64 - answered)
            ),
        ),
        Line::text(
            "billed",
            format!(
                "{} s of talk time, metered leg by leg ({}) → {}",
                group(seconds),
                rule_words(b.metering),
                units_words(b, units)
            ),
        ),
    ];
    Metered {
        calls: records.len() as u64,
        answered,
        units,
        add_on_units,
        lines,
    }
}

/// `n` base units in words, singular for one (`1 minute`, `2 minutes`).
pub(super) fn count_words(b: &Business, n: u64) -> String {
    let name = b.unit.base_name();
    if n == 1 {
        format!("1 {}", name.strip_suffix('s').unwrap_or(name))
    } else {
        format!("{} {name}", group(n))
    }
}

/// Base units in words, with the business's unit when it differs (`1,080,000 seconds (300 hours)`).
pub(super) fn units_words(b: &Business, base: u64) -> String {
    let size = b.unit.size();
    if size == 1 {
        return count_words(b, base);
    }
    let in_unit = (Decimal::from(base) / Decimal::from(size)).round_dp(4);
    format!(
        "{} {} ({} × {})",
        group(base),
        b.unit.base_name(),
        in_unit.normalize(),
        b.unit.name()
    )
}

/// A whole number with thousands separators (`300,000`).
pub(super) fn group(n: u64) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn started_minutes_round_up_and_silence_is_free() {
        let m = Metering::StartedMinute;
        let cases = [(0, 0), (1, 1), (60, 1), (61, 2), (120, 2), (121, 3)];
        for (seconds, minutes) in cases {
            assert_eq!(meter_seconds(m, seconds), minutes, "{seconds} s");
        }
    }

    #[test]
    fn a_connected_call_is_one_unit_and_an_unanswered_one_none() {
        assert_eq!(meter_seconds(Metering::ConnectedCall, 0), 0);
        assert_eq!(meter_seconds(Metering::ConnectedCall, 1), 1);
        assert_eq!(meter_seconds(Metering::ConnectedCall, 3600), 1);
    }

    #[test]
    fn groups_thousands() {
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(1000), "1,000");
        assert_eq!(group(300000), "300,000");
        assert_eq!(group(12345678), "12,345,678");
    }
}
