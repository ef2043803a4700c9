//! Splitting a long list into the batches of separate calls, for params that carry many items
//! joined by a separator in one value: `UploadRobotTaskCalledFile` takes a task's up to 300,000
//! called numbers comma-separated in `CalledNumber`, "uploaded in batches".
//!
//! [`split`] keeps the items in order, never splits one, and fills each batch as far as both
//! limits allow (so no split into contiguous batches has fewer of them). Items that could never
//! be sent (empty, containing the separator, or longer than the byte limit on their own) are all
//! reported at once, before any batch is made.
//!
//! ```
//! use popgen_runtime::batch::{self, Limits};
//!
//! let numbers = ["13800000001", "13800000002", "13800000003"];
//! let batches = batch::split(&numbers, ',', Limits { max_items: 2, max_bytes: 1024 }).unwrap();
//! assert_eq!(batches[0].value, "13800000001,13800000002");
//! assert_eq!((batches[1].items.clone(), batches[1].value.as_str()), (2..3, "13800000003"));
//! ```

use std::fmt;
use std::ops::Range;

/// How big one batch may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Items per batch.
    pub max_items: usize,
    /// Bytes of a batch's joined value (items and separators, UTF-8), before any
    /// percent-encoding. A value too long for a URL is sent in a form body by the client.
    pub max_bytes: usize,
}

/// One batch: which items it holds and their joined value, ready to be a param.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    /// The indexes of its items in the input.
    pub items: Range<usize>,
    /// The items joined by the separator.
    pub value: String,
}

/// Why a list cannot be split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// `max_items` or `max_bytes` is zero.
    ZeroLimit(Limits),
    /// Items that fit in no batch, every one of them.
    Items(Vec<ItemProblem>),
}

/// An item that fits in no batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemProblem {
    /// Its index in the input.
    pub index: usize,
    /// What is wrong with it.
    pub kind: ItemProblemKind,
}

/// What makes an item unsendable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemProblemKind {
    /// It is empty: joined, it would vanish or read as a missing value.
    Empty,
    /// It contains the separator, so the service would read it as several items.
    ContainsSeparator,
    /// It alone is longer than `max_bytes`.
    TooLong {
        /// Its length in bytes.
        bytes: usize,
        /// The limit.
        max_bytes: usize,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::ZeroLimit(l) => write!(
                f,
                "batch limits must be positive (max_items {}, max_bytes {})",
                l.max_items, l.max_bytes
            ),
            Error::Items(problems) => {
                write!(f, "{} item(s) fit in no batch:", problems.len())?;
                for p in problems {
                    write!(f, "\n  item {}: ", p.index)?;
                    match p.kind {
                        ItemProblemKind::Empty => f.write_str("empty")?,
                        ItemProblemKind::ContainsSeparator => {
                            f.write_str("contains the separator")?;
                        }
                        ItemProblemKind::TooLong { bytes, max_bytes } => {
                            write!(f, "{bytes} bytes, longer than a batch's {max_bytes}")?;
                        }
                    }
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for Error {}

/// Splits `items` into batches of at most `limits.max_items` items whose values, joined by
/// `separator`, are at most `limits.max_bytes` bytes long. An empty input gives no batch.
pub fn split<S: AsRef<str>>(
    items: &[S],
    separator: char,
    limits: Limits,
) -> Result<Vec<Batch>, Error> {
    if limits.max_items == 0 || limits.max_bytes == 0 {
        return Err(Error::ZeroLimit(limits));
    }
    check_items(items, separator, limits)?;
    let sep_len = separator.len_utf8();
    let mut batches = Vec::new();
    let mut start = 0;
    let mut bytes = 0;
    for (i, item) in items.iter().enumerate() {
        let len = item.as_ref().len();
        let count = i - start;
        if count > 0 && (count == limits.max_items || bytes + sep_len + len > limits.max_bytes) {
            batches.push(join(items, start..i, separator, bytes));
            start = i;
        }
        bytes = if i == start {
            len
        } else {
            bytes + sep_len + len
        };
    }
    if start < items.len() {
        batches.push(join(items, start..items.len(), separator, bytes));
    }
    Ok(batches)
}

fn check_items<S: AsRef<str>>(items: &[S], separator: char, limits: Limits) -> Result<(), Error> {
    let problems: Vec<ItemProblem> = items
        .iter()
        .enumerate()
        .filter_map(|(index, item)| {
            let item = item.as_ref();
            let kind = if item.is_empty() {
                ItemProblemKind::Empty
            } else if item.contains(separator) {
                ItemProblemKind::ContainsSeparator
            } else if item.len() > limits.max_bytes {
                ItemProblemKind::TooLong {
                    bytes: item.len(),
                    max_bytes: limits.max_bytes,
                }
            } else {
                return None;
            };
            Some(ItemProblem { index, kind })
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Items(problems))
    }
}

fn join<S: AsRef<str>>(items: &[S], range: Range<usize>, separator: char, bytes: usize) -> Batch {
    let mut value = String::with_capacity(bytes);
    for (n, item) in items[range.clone()].iter().enumerate() {
        if n > 0 {
            value.push(separator);
        }
        value.push_str(item.as_ref());
    }
    Batch {
        items: range,
        value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(max_items: usize, max_bytes: usize) -> Limits {
        Limits {
            max_items,
            max_bytes,
        }
    }

    #[test]
    fn the_item_cap_and_the_byte_cap_each_close_a_batch() {
        let items = ["aa", "bb", "cc", "dd", "ee"];
        let by_count = split(&items, ',', limits(2, 100)).unwrap();
        let values: Vec<&str> = by_count.iter().map(|b| b.value.as_str()).collect();
        assert_eq!(values, ["aa,bb", "cc,dd", "ee"]);
        // "aa,bb" is 5 bytes: exactly at the cap fits, one more item does not.
        let by_bytes = split(&items, ',', limits(10, 5)).unwrap();
        let values: Vec<&str> = by_bytes.iter().map(|b| b.value.as_str()).collect();
        assert_eq!(values, ["aa,bb", "cc,dd", "ee"]);
        let ranges: Vec<Range<usize>> = by_bytes.iter().map(|b| b.items.clone()).collect();
        assert_eq!(ranges, [0..2, 2..4, 4..5]);
        assert_eq!(split(&items, ',', limits(10, 4)).unwrap().len(), 5);
    }

    #[test]
    fn every_unsendable_item_is_reported_at_once() {
        let items = ["ok", "", "a,b", "toolong", "ok"];
        let err = split(&items, ',', limits(10, 5)).unwrap_err();
        assert_eq!(
            err,
            Error::Items(vec![
                ItemProblem {
                    index: 1,
                    kind: ItemProblemKind::Empty
                },
                ItemProblem {
                    index: 2,
                    kind: ItemProblemKind::ContainsSeparator
                },
                ItemProblem {
                    index: 3,
                    kind: ItemProblemKind::TooLong {
                        bytes: 7,
                        max_bytes: 5
                    }
                },
            ])
        );
        assert_eq!(
            err.to_string(),
            "3 item(s) fit in no batch:\n  item 1: empty\n  item 2: contains the separator\n  \
             item 3: 7 bytes, longer than a batch's 5"
        );
        assert!(matches!(
            split(&items, ',', limits(0, 5)),
            Err(Error::ZeroLimit(_))
        ));
        assert_eq!(split::<&str>(&[], ',', limits(1, 1)).unwrap(), []);
    }

    #[test]
    fn three_hundred_thousand_numbers_in_batches_of_ten_thousand() {
        let numbers: Vec<String> = (0..300_000).map(|i| format!("138{i:08}")).collect();
        let batches = split(&numbers, ',', limits(10_000, 1 << 20)).unwrap();
        assert_eq!(batches.len(), 30);
        assert!(batches.iter().all(|b| b.value.len() == 10_000 * 12 - 1));
    }

    proptest::proptest! {
        #[test]
        fn batches_keep_every_item_in_order_within_both_caps_and_are_full(
            items in proptest::collection::vec("[0-9a-z张]{1,6}", 0..60),
            max_items in 1usize..8,
            max_bytes in 18usize..40,
        ) {
            let l = limits(max_items, max_bytes);
            let batches = split(&items, ',', l).unwrap();
            let mut next = 0;
            for (n, b) in batches.iter().enumerate() {
                proptest::prop_assert_eq!(b.items.start, next);
                proptest::prop_assert!(!b.items.is_empty());
                proptest::prop_assert!(b.items.len() <= max_items);
                proptest::prop_assert!(b.value.len() <= max_bytes);
                proptest::prop_assert_eq!(&b.value, &items[b.items.clone()].join(","));
                // Greedy: the next item would have broken a cap.
                if n + 1 < batches.len() {
                    let with_next = items[b.items.start..=b.items.end].join(",");
                    proptest::prop_assert!(
                        b.items.len() == max_items || with_next.len() > max_bytes
                    );
                }
                next = b.items.end;
            }
            proptest::prop_assert_eq!(next, items.len());
        }
    }
}
