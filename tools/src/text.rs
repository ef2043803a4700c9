//! Wording shared by the command line and the mock's messages.

/// `"s"` unless `n` is 1: `format!("{n} record{}", plural(n))`.
pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// `n` and `noun`, plural unless `n` is 1: `1 action`, `56 actions`, `0 actions`.
pub(crate) fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", plural(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_everything_else_plural() {
        assert_eq!(count(0, "action"), "0 actions");
        assert_eq!(count(1, "action"), "1 action");
        assert_eq!(count(56, "action"), "56 actions");
    }
}
