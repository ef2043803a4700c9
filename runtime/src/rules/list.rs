//! Separated lists inside one parameter (`list(separator = ",", max_items = 1000, item(...))`),
//! e.g. `CalledNumber=13800000000,13900000000`. The item rules are ordinary rules applied to each
//! item; this module checks the list itself.
//!
//! An empty text is an empty list. Any empty item, including one left by a trailing or doubled
//! separator (`"a,b,"`), is a violation: the service would see an empty number.

use super::{Actual, Limit, Rule, RuleError};

/// The items of `value`: nothing for `""`, otherwise every piece between separators.
///
/// ```
/// use popgen_runtime::rules::list;
/// assert_eq!(list::items("a,b,", ",").collect::<Vec<_>>(), ["a", "b", ""]);
/// assert_eq!(list::items("", ",").count(), 0);
/// ```
pub fn items<'v>(value: &'v str, separator: &'v str) -> impl Iterator<Item = &'v str> {
    (!value.is_empty())
        .then(|| value.split(separator))
        .into_iter()
        .flatten()
}

/// `value` has at most `max_items` items and no empty item.
///
/// ```
/// use popgen_runtime::rules::list;
/// assert!(list::apply("1,2,3", ",", Some(3)).is_ok());
/// assert!(list::apply("1,2,3,4", ",", Some(3)).is_err());
/// assert!(list::apply("1,,3", ",", None).is_err());
/// ```
pub fn apply(
    value: &str,
    separator: &'static str,
    max_items: Option<usize>,
) -> Result<(), RuleError> {
    check(value, separator, max_items).map_err(|problem| {
        let limit = Limit::List {
            separator,
            max_items,
        };
        match problem {
            Problem::EmptyItem(n) => {
                RuleError::reason(Rule::List, limit, format!("item {n} is empty"))
            }
            Problem::TooMany(count) => RuleError::new(Rule::List, limit, Actual::Count(count)),
        }
    })
}

/// What is wrong with a separated list ([`check`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// The 1-based item that is empty (the first one).
    EmptyItem(usize),
    /// The number of items, more than allowed.
    TooMany(usize),
}

/// [`apply`] for a separator that is not `'static` (a spec checker's): the first problem of the
/// list, if any.
///
/// ```
/// use popgen_runtime::rules::list::{self, Problem};
/// let separator = String::from(",");
/// assert_eq!(list::check("1,2", &separator, Some(2)), Ok(()));
/// assert_eq!(list::check("1,,2", &separator, None), Err(Problem::EmptyItem(2)));
/// assert_eq!(list::check("1,2,3", &separator, Some(2)), Err(Problem::TooMany(3)));
/// ```
pub fn check(value: &str, separator: &str, max_items: Option<usize>) -> Result<(), Problem> {
    let mut count = 0;
    for item in items(value, separator) {
        if item.is_empty() {
            return Err(Problem::EmptyItem(count + 1));
        }
        count += 1;
    }
    if max_items.is_some_and(|max| count > max) {
        return Err(Problem::TooMany(count));
    }
    Ok(())
}

/// Like [`apply`] for a list kept as separate items (`Vec<String>`): at most `max_items`, and
/// no item empty or containing the separator (it would split on the wire).
pub fn apply_items<S: AsRef<str>>(
    items: &[S],
    separator: &'static str,
    max_items: Option<usize>,
) -> Result<(), RuleError> {
    let limit = || Limit::List {
        separator,
        max_items,
    };
    if let Some(i) = items.iter().position(|s| s.as_ref().is_empty()) {
        return Err(RuleError::reason(
            Rule::List,
            limit(),
            format!("item {} is empty", i + 1),
        ));
    }
    if let Some(i) = items.iter().position(|s| s.as_ref().contains(separator)) {
        let reason = format!("item {} contains the separator", i + 1);
        return Err(RuleError::reason(Rule::List, limit(), reason));
    }
    if max_items.is_some_and(|max| items.len() > max) {
        return Err(RuleError::new(
            Rule::List,
            limit(),
            Actual::Count(items.len()),
        ));
    }
    Ok(())
}

/// The items joined with `separator`, as they go on the wire.
pub fn join<S: AsRef<str>>(items: &[S], separator: &str) -> String {
    let mut out = String::with_capacity(
        items
            .iter()
            .map(|s| s.as_ref().len() + separator.len())
            .sum(),
    );
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        out.push_str(item.as_ref());
    }
    out
}

/// Splits a wire value back into owned items (`""` is no item).
pub fn split(value: &str, separator: &'static str) -> Vec<String> {
    items(value, separator).map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_and_doubled_separators() {
        assert!(apply("a,b,", ",", None).is_err());
        assert!(apply(",a", ",", None).is_err());
        assert!(apply("a,,b", ",", None).is_err());
        assert!(apply(",", ",", None).is_err());
        let e = apply("a,b,", ",", None).unwrap_err();
        assert_eq!(e.actual, Actual::Reason("item 3 is empty".into()));
    }

    #[test]
    fn empty_text_is_an_empty_list() {
        assert!(apply("", ",", Some(0)).is_ok());
        assert_eq!(split("", ","), Vec::<String>::new());
    }

    #[test]
    fn max_items_boundary() {
        let thousand = vec!["1"; 1000].join(",");
        assert!(apply(&thousand, ",", Some(1000)).is_ok());
        let more = format!("{thousand},1");
        let e = apply(&more, ",", Some(1000)).unwrap_err();
        assert_eq!(e.actual, Actual::Count(1001));
        assert_eq!(
            e.message(Some("x")),
            "must be a list of at most 1000 items separated by \",\", got 1001 items"
        );
    }

    #[test]
    fn multi_char_separator() {
        assert_eq!(items("a||b", "||").collect::<Vec<_>>(), ["a", "b"]);
    }

    #[test]
    fn vec_items() {
        assert!(apply_items(&["1", "2"], ",", Some(2)).is_ok());
        assert!(apply_items(&["1", "2", "3"], ",", Some(2)).is_err());
        assert!(apply_items(&["1,2"], ",", None).is_err());
        assert!(apply_items(&[""], ",", None).is_err());
        assert_eq!(join(&["a", "b"], ","), "a,b");
        assert_eq!(join::<&str>(&[], ","), "");
        assert_eq!(split("a,b", ","), ["a", "b"]);
    }
}
