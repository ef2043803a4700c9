//! Post-paid prices: which tier a volume reaches, and what a volume costs, graduated (each slice
//! at its tier's price) or whole-volume (everything at the tier reached), with the bill rounded
//! where the price list says so.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

use super::{Bounds, PostPaid, Tier, Tiering};

/// The tier a volume reached.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TierReached {
    /// Its position, from 0.
    pub index: usize,
    /// The tier.
    #[serde(flatten)]
    pub tier: Tier,
}

/// Where tier `i` ends, in base units: where the next tier starts (`None`: no end).
fn end(pp: &PostPaid, size: Decimal, i: usize) -> Option<Decimal> {
    pp.tiers.get(i + 1).map(|t| t.from * size)
}

/// The tier that a volume of `volume` base units reaches (`size` base units per unit).
pub(super) fn tier_of(pp: &PostPaid, size: u64, volume: u64) -> Option<TierReached> {
    let (size, v) = (Decimal::from(size), Decimal::from(volume));
    let index = (0..pp.tiers.len()).find(|&i| match end(pp, size, i) {
        None => true,
        // `(from, to]`: a volume on the boundary stays below it.
        Some(next) if pp.bounds == Bounds::UpperInclusive => v <= next,
        Some(next) => v < next,
    })?;
    Some(TierReached {
        index,
        tier: pp.tiers[index],
    })
}

/// The graduated price of `volume` base units: each slice at its tier's price (before dividing
/// by the unit's size).
fn graduated(pp: &PostPaid, size: u64, volume: u64) -> Decimal {
    let (s, v) = (Decimal::from(size), Decimal::from(volume));
    let mut total = Decimal::ZERO;
    for (i, t) in pp.tiers.iter().enumerate() {
        let from = t.from * s;
        if v <= from {
            break;
        }
        let top = end(pp, s, i).map_or(v, |next| next.min(v));
        total += (top - from) * t.price;
    }
    total
}

/// The bill for `volume` base units in a period, when `tier_at` picks the tier.
fn bill(pp: &PostPaid, size: u64, volume: u64, tier_at: u64, decimals: Option<u32>) -> Decimal {
    let raw = match pp.tiering {
        Tiering::Graduated => graduated(pp, size, volume),
        Tiering::WholeVolume => tier_of(pp, size, tier_at)
            .map_or(Decimal::ZERO, |t| Decimal::from(volume) * t.tier.price),
    } / Decimal::from(size);
    round_bill(raw, decimals)
}

/// A bill rounded to `decimals`, half up (`四舍五入`), or as is.
pub(super) fn round_bill(amount: Decimal, decimals: Option<u32>) -> Decimal {
    match decimals {
        Some(d) => amount.round_dp_with_strategy(d, RoundingStrategy::MidpointAwayFromZero),
        None => amount,
    }
}

/// What `volume` more post-paid base units add to a period's bill that already holds `before`,
/// when `tier_at` (this volume included) picks the tier: the bill after minus the bill before.
/// With whole-volume tiers that is not `volume × price`: reaching a cheaper tier reprices what
/// came before too.
///
/// ```
/// use popgen_runtime::pricing::{self, Bounds, PostPaid, Period, Tier, Tiering, TierVolume, amount};
/// let pp = PostPaid {
///     period: Period::Monthly, tiering: Tiering::WholeVolume, tier_volume: TierVolume::PostPaid,
///     bounds: Bounds::UpperInclusive,
///     tiers: vec![
///         Tier { from: amount(0, 0), to: Some(amount(50_000, 0)), price: amount(110, 3) },
///         Tier { from: amount(50_000, 0), to: None, price: amount(108, 3) },
///     ].into(),
///     destinations: Default::default(),
/// };
/// // 60,000 minutes reach the second tier: all of them at 0.108.
/// let (cost, _) = pricing::post_paid_cost(&pp, 1, None, 60_000, 0, 60_000);
/// assert_eq!(cost, amount(6480, 0));
/// ```
pub fn post_paid_cost(
    pp: &PostPaid,
    size: u64,
    decimals: Option<u32>,
    volume: u64,
    before: u64,
    tier_at: u64,
) -> (Decimal, Option<TierReached>) {
    let after = bill(pp, size, before + volume, tier_at, decimals);
    let earlier = bill(pp, size, before, tier_at.saturating_sub(volume), decimals);
    (after - earlier, tier_of(pp, size, tier_at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pricing::{Period, TierVolume, amount};

    fn table(tiering: Tiering, bounds: Bounds) -> PostPaid {
        PostPaid {
            period: Period::Monthly,
            tiering,
            tier_volume: TierVolume::PostPaid,
            bounds,
            tiers: vec![
                Tier {
                    from: amount(0, 0),
                    to: Some(amount(100, 0)),
                    price: amount(3, 0),
                },
                Tier {
                    from: amount(100, 0),
                    to: Some(amount(200, 0)),
                    price: amount(2, 0),
                },
                Tier {
                    from: amount(200, 0),
                    to: None,
                    price: amount(1, 0),
                },
            ]
            .into(),
            destinations: Default::default(),
        }
    }

    #[test]
    fn a_boundary_belongs_to_the_tier_the_bounds_say() {
        let upper = table(Tiering::Graduated, Bounds::UpperInclusive);
        let lower = table(Tiering::Graduated, Bounds::LowerInclusive);
        assert_eq!(tier_of(&upper, 1, 100).unwrap().index, 0);
        assert_eq!(tier_of(&upper, 1, 101).unwrap().index, 1);
        assert_eq!(tier_of(&lower, 1, 99).unwrap().index, 0);
        assert_eq!(tier_of(&lower, 1, 100).unwrap().index, 1);
        assert_eq!(tier_of(&lower, 1, 5000).unwrap().index, 2);
    }

    #[test]
    fn graduated_prices_each_slice_and_whole_volume_prices_all_at_the_tier_reached() {
        // Graduated 150: 100 × 3 + 50 × 2 = 400; whole-volume 150: 150 × 2 = 300.
        let g = table(Tiering::Graduated, Bounds::UpperInclusive);
        let w = table(Tiering::WholeVolume, Bounds::UpperInclusive);
        assert_eq!(post_paid_cost(&g, 1, None, 150, 0, 150).0, amount(400, 0));
        assert_eq!(post_paid_cost(&w, 1, None, 150, 0, 150).0, amount(300, 0));
    }

    #[test]
    fn what_a_volume_adds_counts_what_the_period_already_billed() {
        // Graduated, 50 already billed: 50 more cost 50 × 3 = 150, the next 50 are at 2.
        let g = table(Tiering::Graduated, Bounds::UpperInclusive);
        assert_eq!(post_paid_cost(&g, 1, None, 100, 50, 150).0, amount(250, 0));
        // Whole-volume: 90 billed (270); 20 more reach tier 2, the bill is 110 × 2 = 220.
        let w = table(Tiering::WholeVolume, Bounds::UpperInclusive);
        assert_eq!(post_paid_cost(&w, 1, None, 20, 90, 110).0, -amount(50, 0));
    }

    #[test]
    fn bills_round_half_up_to_the_cent() {
        assert_eq!(round_bill(amount(12345, 3), Some(2)), amount(1235, 2));
        assert_eq!(round_bill(amount(12344, 3), Some(2)), amount(1234, 2));
        assert_eq!(round_bill(amount(12345, 3), None), amount(12345, 3));
    }
}
