//! The cheapest mix of prepaid packages and post-paid for a volume: an exact search over how much
//! the packages cover, on the grid of the packages' greatest common size.
//!
//! Every amount `c` the packages could cover, in steps of the gcd of their sizes, gets the
//! cheapest set of packages covering exactly `c` (an unbounded-knapsack table); the plan is the
//! `c` whose packages plus the post-paid cost of what is left is smallest. Covering more than the
//! volume plus the largest package never helps (drop a package and it still covers the volume),
//! so the table stops there. Post-paid cost is not monotone with whole-volume tiers (more volume
//! can reach a cheaper tier), so every `c` is tried.

use rust_decimal::Decimal;

/// The largest table the search builds; beyond it the smallest packages are left out (and the
/// plan says so), which makes the grid coarser.
const MAX_STEPS: u64 = 1_000_000;

/// A package as the search sees it: size in base units, price.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Offer {
    pub size: u64,
    pub price: Decimal,
}

/// The cheapest plan found.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Chosen {
    /// How many of each offer, in the offers' order.
    pub counts: Vec<u64>,
    /// What the packages cover, in base units.
    pub covered: u64,
    /// Packages plus post-paid.
    pub cost: Decimal,
    /// Offers left out to keep the search small (indices).
    pub left_out: Vec<usize>,
}

/// The cheapest way to pay for `volume` base units with `offers` and post-paid (`post_paid(q)`
/// is the cost of `q` units not covered by packages).
pub(super) fn cheapest(
    volume: u64,
    offers: &[Offer],
    post_paid: impl Fn(u64) -> Decimal,
) -> Chosen {
    let mut usable: Vec<usize> = (0..offers.len()).filter(|&i| offers[i].size > 0).collect();
    let mut left_out = Vec::new();
    while !usable.is_empty() && steps(volume, offers, &usable) > MAX_STEPS {
        let smallest = *usable
            .iter()
            .min_by_key(|&&i| offers[i].size)
            .expect("usable is not empty");
        usable.retain(|&i| i != smallest);
        left_out.push(smallest);
    }
    let mut best = Chosen {
        counts: vec![0; offers.len()],
        covered: 0,
        cost: post_paid(volume),
        left_out: left_out.clone(),
    };
    if volume == 0 || usable.is_empty() {
        return best;
    }
    let step = grid(offers, &usable);
    let table = knapsack(volume, offers, &usable, step);
    for (k, cell) in table.iter().enumerate().skip(1) {
        let Some((packages, _)) = cell else { continue };
        let covered = k as u64 * step;
        let cost = *packages + post_paid(volume.saturating_sub(covered));
        if cost < best.cost {
            best.cost = cost;
            best.covered = covered;
            best.counts = counts_of(&table, k, offers, step);
        }
    }
    best
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

fn grid(offers: &[Offer], usable: &[usize]) -> u64 {
    usable.iter().fold(0, |g, &i| gcd(g, offers[i].size))
}

fn steps(volume: u64, offers: &[Offer], usable: &[usize]) -> u64 {
    let largest = usable.iter().map(|&i| offers[i].size).max().unwrap_or(0);
    (volume + largest) / grid(offers, usable).max(1)
}

/// `table[k]`: the cheapest packages covering exactly `k × step` (cost, last offer taken).
fn knapsack(
    volume: u64,
    offers: &[Offer],
    usable: &[usize],
    step: u64,
) -> Vec<Option<(Decimal, usize)>> {
    let largest = usable.iter().map(|&i| offers[i].size).max().unwrap_or(0);
    // Covering `volume + largest` or more never helps: one package could be dropped.
    let len = ((volume + largest - 1) / step + 1) as usize;
    let mut table: Vec<Option<(Decimal, usize)>> = vec![None; len];
    table[0] = Some((Decimal::ZERO, usize::MAX));
    for k in 1..len {
        for &i in usable {
            let n = (offers[i].size / step) as usize;
            if n > k {
                continue;
            }
            if let Some((base, _)) = table[k - n] {
                let cost = base + offers[i].price;
                if table[k].is_none_or(|(c, _)| cost < c) {
                    table[k] = Some((cost, i));
                }
            }
        }
    }
    table
}

/// How many of each offer the cheapest cover of `k` steps takes, walking back through the
/// last offer taken at each cell.
fn counts_of(
    table: &[Option<(Decimal, usize)>],
    mut k: usize,
    offers: &[Offer],
    step: u64,
) -> Vec<u64> {
    let mut counts = vec![0; offers.len()];
    while k > 0 {
        let Some((_, i)) = table[k] else { break };
        counts[i] += 1;
        k -= (offers[i].size / step) as usize;
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pricing::amount;

    fn offer(size: u64, price: u64) -> Offer {
        Offer {
            size,
            price: amount(price, 0),
        }
    }

    #[test]
    fn buys_packages_when_they_beat_post_paid() {
        // 500 units at 0.11 post-paid = 55; one package of 500 costs 45.
        let chosen = cheapest(500, &[offer(500, 45), offer(50, 5)], |q| {
            Decimal::from(q) * amount(11, 2)
        });
        assert_eq!(
            (chosen.counts, chosen.covered, chosen.cost),
            (vec![1, 0], 500, amount(45, 0))
        );
    }

    #[test]
    fn mixes_sizes_and_leaves_a_remainder_post_paid() {
        // 560 units: 500 + 50 in packages (50), 10 post-paid at 0.11 (1.10) = 51.10; eleven
        // 50-unit packages and 10 post-paid would be 56.10, two 500s 90.
        let chosen = cheapest(560, &[offer(500, 45), offer(50, 5)], |q| {
            Decimal::from(q) * amount(11, 2)
        });
        assert_eq!(chosen.counts, vec![1, 1]);
        assert_eq!(chosen.cost, amount(5110, 2));
    }

    #[test]
    fn stays_post_paid_when_packages_cost_more() {
        let chosen = cheapest(100, &[offer(500, 45)], |q| Decimal::from(q) * amount(11, 2));
        assert_eq!((chosen.covered, chosen.cost), (0, amount(1100, 2)));
    }

    #[test]
    fn leaves_out_the_smallest_packages_when_the_grid_would_be_too_fine() {
        let chosen = cheapest(5_000_000, &[offer(500_000, 42_500), offer(3, 0)], |q| {
            Decimal::from(q)
        });
        assert_eq!(chosen.left_out, vec![1]);
        assert_eq!(chosen.counts, vec![10, 0]);
    }
}
