//! Request structs to the ordered `(wire name, value)` pairs the RPC protocol sends, and back.
//!
//! [`RpcParams`] is what `#[derive(popgen_macros::RpcParams)]` implements. Going out, fields are
//! written in declaration order, optional fields that are `None` are left out, repeated structs
//! are flattened 1-based (`MenuKeyMap.1.Key`), and JSON-carrying fields are compact JSON text.
//! Coming back (a mock server, a CLI), [`RpcParams::from_params`] parses pairs with the same
//! validation and reports every problem together: unknown keys, missing required parameters,
//! unparsable values, bad repeated indices, and every constraint violation.
//!
//! Scalars convert through [`ToWire`] / [`FromWire`]: integers in decimal, floats in the shortest
//! text that reads back to the same value (`0.85`), booleans as `true`/`false` (and `True`/`False`
//! accepted, which the official SDKs send).

use std::borrow::Cow;

use crate::rules::{Actual, Limit, Rule, RuleError, one_of};
use crate::validation::{Path, Report, Severity, ValidationErrors};

/// A value's text on the wire.
pub trait ToWire {
    /// The wire text; borrowed where the value already is text.
    fn to_wire(&self) -> Cow<'_, str>;
}

/// A value read back from its wire text.
pub trait FromWire: Sized {
    /// Parses the wire text; the error is a [`Rule::Parse`] (or [`Rule::OneOf`] for enums)
    /// violation without a path.
    fn from_wire(text: &str) -> Result<Self, RuleError>;
}

impl ToWire for str {
    fn to_wire(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl ToWire for String {
    fn to_wire(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl<T: ToWire + ?Sized> ToWire for &T {
    fn to_wire(&self) -> Cow<'_, str> {
        (**self).to_wire()
    }
}

impl FromWire for String {
    fn from_wire(text: &str) -> Result<Self, RuleError> {
        Ok(text.to_owned())
    }
}

fn parse_error(expected: &'static str) -> RuleError {
    RuleError::new(Rule::Parse, Limit::Type(expected), Actual::Value)
}

macro_rules! wire_number {
    ($($t:ty => $expected:literal),* $(,)?) => {$(
        impl ToWire for $t {
            fn to_wire(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }
        }

        impl FromWire for $t {
            fn from_wire(text: &str) -> Result<Self, RuleError> {
                text.parse().map_err(|_| parse_error($expected))
            }
        }
    )*};
}

wire_number! {
    i8 => "an 8-bit integer",
    i16 => "a 16-bit integer",
    i32 => "a 32-bit integer",
    i64 => "a 64-bit integer",
    u8 => "an 8-bit unsigned integer",
    u16 => "a 16-bit unsigned integer",
    u32 => "a 32-bit unsigned integer",
    u64 => "a 64-bit unsigned integer",
    // Rust's `Display` for floats is the shortest text that parses back to the same value.
    f32 => "a number",
    f64 => "a number",
}

impl ToWire for bool {
    fn to_wire(&self) -> Cow<'_, str> {
        Cow::Borrowed(if *self { "true" } else { "false" })
    }
}

impl FromWire for bool {
    /// `true`/`false`, and `True`/`False` as the official (Python) SDKs send them.
    fn from_wire(text: &str) -> Result<Self, RuleError> {
        match text {
            "true" | "True" => Ok(true),
            "false" | "False" => Ok(false),
            _ => Err(parse_error("a boolean (true or false)")),
        }
    }
}

/// A Rust enum whose variants are wire strings; implemented by
/// `#[derive(popgen_macros::WireEnum)]`, which also implements [`ToWire`] and [`FromWire`].
pub trait WireEnum: Sized {
    /// The wire strings of the known variants, in declaration order.
    const VARIANTS: &'static [&'static str];
    /// This variant's wire string.
    fn as_wire(&self) -> &str;
    /// The variant for a wire string; `None` when it is unknown (never, for an enum with an
    /// `#[popgen(other)]` variant).
    fn from_wire_str(text: &str) -> Option<Self>;
}

/// Parses a [`WireEnum`], with a [`Rule::OneOf`] violation listing the variants on failure.
pub fn parse_enum<T: WireEnum>(text: &str) -> Result<T, RuleError> {
    T::from_wire_str(text).ok_or_else(|| one_of::error(T::VARIANTS))
}

/// One wire parameter: its name (static for top-level fields, built for flattened ones) and its
/// value (borrowed from the request where it already is text).
pub type Pair<'a> = (Cow<'static, str>, Cow<'a, str>);

/// The wire name of parameter `wire` under `prefix` (`MenuKeyMap.1` + `Key`).
#[inline]
pub fn wire_name(prefix: Option<&str>, wire: &'static str) -> Cow<'static, str> {
    match prefix {
        None => Cow::Borrowed(wire),
        Some(prefix) => Cow::Owned(dotted(prefix, wire)),
    }
}

/// `prefix.part` in one allocation of the right size.
fn dotted(prefix: &str, part: &str) -> String {
    let mut name = String::with_capacity(prefix.len() + 1 + part.len());
    name.push_str(prefix);
    name.push('.');
    name.push_str(part);
    name
}

/// `prefix.index` in one allocation.
fn indexed(prefix: &str, index: usize) -> String {
    use std::fmt::Write as _;
    let mut name = String::with_capacity(prefix.len() + 21);
    name.push_str(prefix);
    let _ = write!(name, ".{index}");
    name
}

/// The rest of `name` after `wire` and a 1-based index: `Some("Code")` for `Menu.2.Code` under
/// `Menu`; `None` when `name` is not an item of `wire`. What a derived
/// [`RpcParams::is_sensitive_param`] asks of repeated structs.
///
/// ```
/// use popgen_runtime::params::under_index;
/// assert_eq!(under_index("Menu.2.Code", "Menu"), Some("Code"));
/// assert_eq!(under_index("Menu.x.Code", "Menu"), None);
/// assert_eq!(under_index("MenuMap.2.Code", "Menu"), None);
/// ```
pub fn under_index<'n>(name: &'n str, wire: &str) -> Option<&'n str> {
    let rest = name.strip_prefix(wire)?.strip_prefix('.')?;
    let (index, rest) = rest.split_once('.')?;
    is_index(index).then_some(rest)
}

/// Whether `name` is an item of the repeated scalar `wire` (`Name.3` under `Name`).
///
/// ```
/// use popgen_runtime::params::is_item_of;
/// assert!(is_item_of("Number.3", "Number"));
/// assert!(!is_item_of("Number.", "Number") && !is_item_of("Number.3.X", "Number"));
/// ```
pub fn is_item_of(name: &str, wire: &str) -> bool {
    name.strip_prefix(wire)
        .and_then(|rest| rest.strip_prefix('.'))
        .is_some_and(is_index)
}

/// A wire index: ASCII digits, at least one.
fn is_index(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// Writes a nested struct's parameters under `wire` (`Wire.Key`, ...).
pub fn write_nested<'a, T: RpcParams>(
    prefix: Option<&str>,
    wire: &'static str,
    value: &'a T,
    out: &mut Vec<Pair<'a>>,
) {
    value.write_params(Some(&wire_name(prefix, wire)), out);
}

/// Writes repeated structs flattened 1-based: `MenuKeyMap.1.Key`, `MenuKeyMap.1.Code`,
/// `MenuKeyMap.2.Key`, ...
pub fn write_repeated<'a, T: RpcParams>(
    prefix: Option<&str>,
    wire: &'static str,
    items: &'a [T],
    out: &mut Vec<Pair<'a>>,
) {
    let name = wire_name(prefix, wire);
    for (i, item) in items.iter().enumerate() {
        item.write_params(Some(&indexed(&name, i + 1)), out);
    }
}

/// Writes repeated scalars 1-based: `Name.1`, `Name.2`, ...
pub fn write_repeated_scalars<'a, T: ToWire>(
    prefix: Option<&str>,
    wire: &'static str,
    items: &'a [T],
    out: &mut Vec<Pair<'a>>,
) {
    let name = wire_name(prefix, wire);
    for (i, item) in items.iter().enumerate() {
        out.push((Cow::Owned(indexed(&name, i + 1)), item.to_wire()));
    }
}

/// A request type that converts to and from wire parameters; implemented by
/// `#[derive(popgen_macros::RpcParams)]`.
pub trait RpcParams: Sized {
    /// The number of top-level fields, a capacity hint for [`RpcParams::to_params`].
    const FIELD_COUNT: usize;

    /// Appends this value's parameters, each name under `prefix` when there is one.
    fn write_params<'a>(&'a self, prefix: Option<&str>, out: &mut Vec<Pair<'a>>);

    /// Reads this type's fields from `input` (names relative to this type), running every
    /// validation rule on what was read, and reporting all problems at paths below `path`.
    /// `None` when some field could not be read; the problems are then in `report`.
    fn parse_params(
        input: &mut ParamInput<'_>,
        path: &Path<'_>,
        report: &mut Report,
    ) -> Option<Self>;

    /// Whether the wire param `name` (relative to this type: `Menu.1.Code`, not prefixed) holds
    /// a value marked `sensitive`, which logs and journals show as
    /// [`REDACTED`](crate::secret::REDACTED). Derived from the `sensitive` flags (a sensitive
    /// nested struct makes all of its params sensitive); `false` for every name by default.
    fn is_sensitive_param(name: &str) -> bool {
        let _ = name;
        false
    }

    /// The ordered wire parameters of this value.
    fn to_params(&self) -> Vec<Pair<'_>> {
        let mut out = Vec::with_capacity(Self::FIELD_COUNT);
        self.write_params(None, &mut out);
        out
    }

    /// [`RpcParams::to_params`] with owned strings.
    fn to_owned_params(&self) -> Vec<(String, String)> {
        self.to_params()
            .into_iter()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    /// Parses wire parameters (any order) into the type; the value, if every field could be
    /// read, and every problem found (warnings included).
    fn from_params_report<K: AsRef<str>, V: AsRef<str>>(
        pairs: &[(K, V)],
    ) -> (Option<Self>, ValidationErrors) {
        let mut input = ParamInput::new(pairs.iter().map(|(k, v)| (k.as_ref(), v.as_ref())));
        let mut report = ValidationErrors::new();
        let root = Path::root();
        let value = Self::parse_params(&mut input, &root, &mut report);
        input.finish(&root, &mut report);
        (value, report)
    }

    /// Parses wire parameters into the type: `Err` with every problem when any is an error
    /// (warnings alone do not fail; see [`RpcParams::from_params_report`]).
    fn from_params<K: AsRef<str>, V: AsRef<str>>(
        pairs: &[(K, V)],
    ) -> Result<Self, ValidationErrors> {
        match Self::from_params_report(pairs) {
            (Some(value), report) if !report.has_errors() => Ok(value),
            (_, report) => Err(report),
        }
    }
}

/// What [`ParamInput::take`] found.
#[derive(Debug, Clone, PartialEq)]
pub enum Taken<T> {
    /// The parameter is not there.
    Absent,
    /// The parameter parsed.
    Present(T),
    /// The parameter is there but did not parse (already reported).
    Invalid,
}

impl<T> Taken<T> {
    /// For a required field: the value, or `None` with a "missing" violation at `path.wire`
    /// when absent (an invalid value is already reported).
    pub fn into_required(
        self,
        wire: &'static str,
        path: &Path<'_>,
        report: &mut Report,
    ) -> Option<T> {
        match self {
            Taken::Present(value) => Some(value),
            Taken::Absent => {
                report.missing(&path.field(wire));
                None
            }
            Taken::Invalid => None,
        }
    }

    /// For an optional field: `Some(None)` when absent, `None` when invalid.
    pub fn into_optional(self) -> Option<Option<T>> {
        match self {
            Taken::Present(value) => Some(Some(value)),
            Taken::Absent => Some(None),
            Taken::Invalid => None,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Entry<'k> {
    key: &'k str,
    value: &'k str,
    used: bool,
}

/// Wire parameters being read by [`RpcParams::parse_params`]: names relative to the struct
/// being read, each marked once a field has taken it, so that the rest can be reported unknown.
#[derive(Debug, Clone, Default)]
pub struct ParamInput<'k> {
    entries: Vec<Entry<'k>>,
    /// The wire names of the fields of the struct reading this input, for "did you mean".
    known: Vec<&'static str>,
}

impl<'k> ParamInput<'k> {
    /// Input from `(name, value)` pairs.
    pub fn new(pairs: impl IntoIterator<Item = (&'k str, &'k str)>) -> Self {
        let entries = pairs
            .into_iter()
            .map(|(key, value)| Entry {
                key,
                value,
                used: false,
            })
            .collect();
        ParamInput {
            entries,
            known: Vec::new(),
        }
    }

    /// Takes parameter `wire`, parsing it with `parse`; a duplicate or a parse failure is
    /// reported at `path.wire` (the value redacted when `sensitive`).
    pub fn take_with<T>(
        &mut self,
        wire: &'static str,
        path: &Path<'_>,
        report: &mut Report,
        sensitive: bool,
        parse: impl FnOnce(&str) -> Result<T, RuleError>,
    ) -> Taken<T> {
        self.known.push(wire);
        let here = path.field(wire);
        let mut found = None;
        for entry in self.entries.iter_mut().filter(|e| e.key == wire) {
            if found.is_some() {
                report.record(&here, duplicate(), Severity::Error, sensitive, &|| {
                    entry.value.to_owned()
                });
            }
            entry.used = true;
            found.get_or_insert(entry.value);
        }
        let Some(text) = found else {
            return Taken::Absent;
        };
        match parse(text) {
            Ok(value) => Taken::Present(value),
            Err(error) => {
                report.record(&here, error, Severity::Error, sensitive, &|| {
                    text.to_owned()
                });
                Taken::Invalid
            }
        }
    }

    /// [`ParamInput::take_with`] using [`FromWire`].
    pub fn take<T: FromWire>(
        &mut self,
        wire: &'static str,
        path: &Path<'_>,
        report: &mut Report,
        sensitive: bool,
    ) -> Taken<T> {
        self.take_with(wire, path, report, sensitive, T::from_wire)
    }

    /// A required field: `None` (and a report) when absent or invalid.
    pub fn required<T>(
        &mut self,
        wire: &'static str,
        path: &Path<'_>,
        report: &mut Report,
        sensitive: bool,
        parse: impl FnOnce(&str) -> Result<T, RuleError>,
    ) -> Option<T> {
        self.take_with(wire, path, report, sensitive, parse)
            .into_required(wire, path, report)
    }

    /// An optional field: `Some(None)` when absent, `None` when invalid (reported).
    pub fn optional<T>(
        &mut self,
        wire: &'static str,
        path: &Path<'_>,
        report: &mut Report,
        sensitive: bool,
        parse: impl FnOnce(&str) -> Result<T, RuleError>,
    ) -> Option<Option<T>> {
        self.take_with(wire, path, report, sensitive, parse)
            .into_optional()
    }

    /// Takes every parameter named `wire.<rest>`, as an input of `<rest>` names.
    fn sub_input(&mut self, wire: &'static str) -> Vec<Entry<'k>> {
        self.known.push(wire);
        let mut sub = Vec::new();
        for entry in &mut self.entries {
            if let Some(rest) = entry
                .key
                .strip_prefix(wire)
                .and_then(|r| r.strip_prefix('.'))
            {
                entry.used = true;
                sub.push(Entry {
                    key: rest,
                    value: entry.value,
                    used: false,
                });
            }
        }
        sub
    }

    /// A nested struct under `wire`: `Absent` when no `wire.*` parameter is there.
    pub fn nested<T: RpcParams>(
        &mut self,
        wire: &'static str,
        path: &Path<'_>,
        report: &mut Report,
    ) -> Taken<T> {
        let entries = self.sub_input(wire);
        if entries.is_empty() {
            return Taken::Absent;
        }
        let here = path.field(wire);
        let mut input = ParamInput {
            entries,
            known: Vec::new(),
        };
        let value = T::parse_params(&mut input, &here, report);
        input.finish(&here, report);
        value.map_or(Taken::Invalid, Taken::Present)
    }

    /// Repeated structs `wire.1.*`, `wire.2.*`...: `None` when an index is bad (0, not a
    /// number, a gap) or an element did not parse; all reported.
    pub fn repeated<T: RpcParams>(
        &mut self,
        wire: &'static str,
        path: &Path<'_>,
        report: &mut Report,
    ) -> Option<Vec<T>> {
        let entries = self.sub_input(wire);
        let here = path.field(wire);
        let (groups, mut ok) = group_by_index(entries, &here, report, true);
        let mut items = Vec::with_capacity(groups.len());
        for (index, entries) in groups {
            let at = here.index(index);
            let mut input = ParamInput {
                entries,
                known: Vec::new(),
            };
            match T::parse_params(&mut input, &at, report) {
                Some(item) => items.push(item),
                None => ok = false,
            }
            input.finish(&at, report);
        }
        ok.then_some(items)
    }

    /// Repeated scalars `wire.1`, `wire.2`...: `None` when an index is bad or a value did not
    /// parse; all reported.
    pub fn repeated_scalars<T: FromWire>(
        &mut self,
        wire: &'static str,
        path: &Path<'_>,
        report: &mut Report,
        sensitive: bool,
    ) -> Option<Vec<T>> {
        let entries = self.sub_input(wire);
        let here = path.field(wire);
        let (groups, mut ok) = group_by_index(entries, &here, report, false);
        let mut items = Vec::with_capacity(groups.len());
        for (index, entries) in groups {
            let text = entries[0].value;
            match T::from_wire(text) {
                Ok(item) => items.push(item),
                Err(error) => {
                    ok = false;
                    report.record(
                        &here.index(index),
                        error,
                        Severity::Error,
                        sensitive,
                        &|| text.to_owned(),
                    );
                }
            }
        }
        ok.then_some(items)
    }

    /// Reports every parameter no field took as unknown, with a "did you mean" when a field's
    /// wire name is close.
    pub fn finish(self, path: &Path<'_>, report: &mut Report) {
        for entry in self.entries.iter().filter(|e| !e.used) {
            let full = if path.is_root() {
                entry.key.to_owned()
            } else {
                format!("{path}.{}", entry.key)
            };
            let message = match closest(entry.key, &self.known) {
                // A repeated parameter sent bare (`MenuKeyMap=...`, or a JSON list).
                Some(near) if near == entry.key => format!(
                    "is a repeated parameter: send each item numbered from 1 \
                     (`{near}.1`, or `{near}.1.Field` for items with fields)"
                ),
                Some(near) => format!("is not a parameter of this request (did you mean {near}?)"),
                None => "is not a parameter of this request".to_owned(),
            };
            report.push(crate::validation::Violation {
                path: full,
                rule: Rule::Unknown,
                limit: Limit::None,
                value: Some(entry.value.to_owned()),
                severity: Severity::Error,
                message,
            });
        }
    }
}

#[cold]
fn duplicate() -> RuleError {
    RuleError::new(Rule::Duplicate, Limit::None, Actual::Missing)
}

type Groups<'k> = Vec<(usize, Vec<Entry<'k>>)>;

/// Groups `1.Key`, `1.Code`, `2.Key` (or `1`, `2` for scalars) by index, checking that the
/// indices are 1, 2, 3... with no gap.
/// The groups come back even when an index is bad, so that their contents are still checked;
/// the flag says whether every index was good.
fn group_by_index<'k>(
    entries: Vec<Entry<'k>>,
    here: &Path<'_>,
    report: &mut Report,
    structs: bool,
) -> (Groups<'k>, bool) {
    let mut groups: Groups<'k> = Vec::new();
    let mut ok = true;
    for entry in entries {
        let (index, rest) = match entry.key.split_once('.') {
            Some((index, rest)) => (index, rest),
            None => (entry.key, ""),
        };
        let parsed = index
            .parse::<usize>()
            .ok()
            .filter(|&i| i > 0 && !index.starts_with(['+', '0']));
        let shape_ok = if structs {
            !rest.is_empty()
        } else {
            rest.is_empty()
        };
        let Some(i) = parsed.filter(|_| shape_ok) else {
            ok = false;
            let reason = if index.parse::<usize>() == Ok(0) {
                "index 0: repeated parameters are numbered from 1".to_owned()
            } else {
                format!(
                    "{:?} is not a 1-based index{}",
                    entry.key,
                    if structs { " followed by a field" } else { "" }
                )
            };
            let error = RuleError::reason(Rule::Index, Limit::None, reason);
            report.record(here, error, Severity::Error, false, &|| {
                entry.value.to_owned()
            });
            continue;
        };
        let entry = Entry { key: rest, ..entry };
        match groups.iter_mut().find(|(g, _)| *g == i) {
            Some(_) if !structs => {
                report.record(&here.index(i), duplicate(), Severity::Error, false, &|| {
                    entry.value.to_owned()
                });
            }
            Some((_, group)) => group.push(entry),
            None => groups.push((i, vec![entry])),
        }
    }
    groups.sort_by_key(|(i, _)| *i);
    for (expected, (i, _)) in groups.iter().enumerate() {
        if *i != expected + 1 {
            ok = false;
            let reason = format!("index {} is missing before index {i}", expected + 1);
            report.record_without_value(
                here,
                RuleError::reason(Rule::Index, Limit::None, reason),
                Severity::Error,
            );
            break;
        }
    }
    (groups, ok)
}

/// The known name closest to `key`: same letters ignoring case, or at most two edits away.
fn closest(key: &str, known: &[&'static str]) -> Option<&'static str> {
    known
        .iter()
        .map(|k| {
            (
                edit_distance(&key.to_ascii_lowercase(), &k.to_ascii_lowercase()),
                *k,
            )
        })
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (prev + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_to_wire() {
        assert_eq!(42i64.to_wire(), "42");
        assert_eq!(i64::MIN.to_wire(), "-9223372036854775808");
        assert_eq!(0.85f64.to_wire(), "0.85");
        assert_eq!(0.1f64.to_wire(), "0.1");
        assert_eq!(1.0f64.to_wire(), "1");
        assert_eq!(true.to_wire(), "true");
        assert_eq!("张三".to_wire(), "张三");
    }

    #[test]
    fn scalars_from_wire() {
        assert_eq!(i64::from_wire("-9223372036854775808"), Ok(i64::MIN));
        assert!(i64::from_wire("9223372036854775808").is_err());
        assert!(i32::from_wire("2147483648").is_err());
        assert!(i64::from_wire("").is_err());
        assert!(i64::from_wire(" 1").is_err());
        assert_eq!(f64::from_wire("0.85"), Ok(0.85));
        for (text, value) in [
            ("true", true),
            ("True", true),
            ("false", false),
            ("False", false),
        ] {
            assert_eq!(bool::from_wire(text), Ok(value));
        }
        assert!(bool::from_wire("TRUE").is_err());
        assert!(bool::from_wire("1").is_err());
        let e = i64::from_wire("x").unwrap_err();
        assert_eq!(
            e.message(Some("x")),
            r#"expected a 64-bit integer, got "x""#
        );
    }

    #[test]
    fn float_text_round_trips() {
        for x in [0.85, 1e-7, 123456.789, f64::MAX, f64::MIN_POSITIVE, -0.0] {
            assert_eq!(f64::from_wire(&x.to_wire()), Ok(x));
        }
    }

    #[test]
    fn names_are_prefixed() {
        assert_eq!(wire_name(None, "Key"), "Key");
        assert_eq!(wire_name(Some("MenuKeyMap.1"), "Key"), "MenuKeyMap.1.Key");
    }

    #[test]
    fn did_you_mean() {
        assert_eq!(
            closest("playtimes", &["PlayTimes", "Volume"]),
            Some("PlayTimes")
        );
        assert_eq!(closest("PlayTime", &["PlayTimes"]), Some("PlayTimes"));
        assert_eq!(closest("Speed", &["PlayTimes"]), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn repeated_scalar_indices() {
        let pairs = [("N.1", "a"), ("N.3", "c"), ("N.0", "z")];
        let mut input = ParamInput::new(pairs);
        let mut report = Report::new();
        let got = input.repeated_scalars::<String>("N", &Path::root(), &mut report, false);
        assert_eq!(got, None);
        let text = report.to_string();
        assert!(text.contains("N: has a bad repeated-parameter index (index 0: repeated parameters are numbered from 1)"), "{text}");
        assert!(text.contains("index 2 is missing before index 3"), "{text}");

        let mut input = ParamInput::new([("N.2", "b"), ("N.1", "a")]);
        let got = input.repeated_scalars::<String>("N", &Path::root(), &mut report, false);
        assert_eq!(got, Some(vec!["a".to_owned(), "b".to_owned()]));
    }
}
