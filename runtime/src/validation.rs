//! The validation report: every violation of a request, each with its wire path, rule, limit,
//! value and severity, and the [`ValidationMode`] that decides what a client does with them.
//!
//! Paths are built lazily: a [`Path`] is a linked list of stack frames (`MenuKeyMap` -> `2` ->
//! `Code`), and it is turned into a `String` only when a violation is recorded, so validating a
//! valid request allocates nothing.

use std::borrow::Cow;
use std::fmt;

use crate::rules::{Actual, Limit, Rule, RuleError};

/// How bad a violation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Severity {
    /// The service will accept the request anyway (e.g. it falls back to a default for an
    /// out-of-range value, the `fallback` attribute). Never blocks a request.
    Warning,
    /// The service will reject the request; [`ValidationMode::Enforce`] blocks it. The default:
    /// a rule is an error unless marked `fallback`.
    #[default]
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One segment of a [`Path`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Segment {
    Root,
    /// A wire name (`MenuKeyMap`, `Code`).
    Name(&'static str),
    /// A 1-based index of a repeated parameter, written `.2`, as on the wire.
    Index(usize),
    /// A 1-based item of a separated list inside one parameter, written `[2]`.
    Item(usize),
}

/// A wire path (`MenuKeyMap.2.Code`) kept as a linked list of stack frames until it is needed.
///
/// ```
/// use popgen_runtime::validation::Path;
/// let root = Path::root();
/// let list = root.field("MenuKeyMap");
/// let second = list.index(2);
/// assert_eq!(second.field("Code").to_string(), "MenuKeyMap.2.Code");
/// assert_eq!(root.field("Numbers").item(3).to_string(), "Numbers[3]");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    segment: Segment,
}

impl Path<'static> {
    /// The path of the request itself (displayed as the empty string).
    pub const fn root() -> Self {
        Path {
            parent: None,
            segment: Segment::Root,
        }
    }
}

impl<'a> Path<'a> {
    /// The path of the parameter `wire` inside this one.
    pub const fn field(&'a self, wire: &'static str) -> Path<'a> {
        self.child(Segment::Name(wire))
    }

    /// The path of the 1-based element `index` of this repeated parameter.
    pub const fn index(&'a self, index: usize) -> Path<'a> {
        self.child(Segment::Index(index))
    }

    /// The path of the 1-based item `index` of this separated-list parameter.
    pub const fn item(&'a self, index: usize) -> Path<'a> {
        self.child(Segment::Item(index))
    }

    /// `true` for [`Path::root`].
    pub const fn is_root(&self) -> bool {
        matches!(self.segment, Segment::Root)
    }

    const fn child(&'a self, segment: Segment) -> Path<'a> {
        Path {
            parent: Some(self),
            segment,
        }
    }

    /// Writes the path; returns whether anything was written (the root writes nothing).
    fn write(&self, f: &mut fmt::Formatter<'_>) -> Result<bool, fmt::Error> {
        let wrote = match self.parent {
            Some(parent) => parent.write(f)?,
            None => false,
        };
        match self.segment {
            Segment::Root => return Ok(wrote),
            Segment::Item(i) => write!(f, "[{i}]")?,
            Segment::Name(name) if wrote => write!(f, ".{name}")?,
            Segment::Name(name) => f.write_str(name)?,
            Segment::Index(i) if wrote => write!(f, ".{i}")?,
            Segment::Index(i) => write!(f, "{i}")?,
        }
        Ok(true)
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f).map(|_| ())
    }
}

/// The text shown instead of the value of a `sensitive` field.
pub use crate::secret::REDACTED;

/// Prints [`REDACTED`] whatever it stands for: what `#[derive(RedactedDebug)]` shows in place
/// of a sensitive field.
///
/// ```
/// assert_eq!(format!("{:?}", popgen_runtime::validation::Redacted), "***");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

/// One broken constraint.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Violation {
    /// The wire path, e.g. `MenuKeyMap.2.Code` or `TtsParam` (empty for a whole-request rule).
    pub path: String,
    /// Which rule was broken.
    pub rule: Rule,
    /// The limit of the rule, with its unit (`1–15 bytes`, `one of: RUNNING, STOP`).
    pub limit: Limit,
    /// The offending value as it would go on the wire, [`REDACTED`] for a sensitive field, `None`
    /// where there is no value (a missing parameter).
    pub value: Option<String>,
    /// Whether the violation blocks the request.
    pub severity: Severity,
    /// A sentence for a person, without the path: `must be between 1 and 3, got 5`.
    pub message: String,
}

impl Violation {
    /// The path as people read it: the wire path, or `(request)` for a rule about the whole
    /// request.
    pub fn shown_path(&self) -> &str {
        if self.path.is_empty() {
            "(request)"
        } else {
            &self.path
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.shown_path(), self.message)?;
        if self.severity == Severity::Warning {
            f.write_str(" (warning)")?;
        }
        Ok(())
    }
}

/// Every violation found in a request, in field order. Also the accumulator the derived
/// `Validate` and `RpcParams` code writes into (see the [`Report`] alias).
///
/// `Display` writes one violation per line, wire path first:
/// `PlayTimes: must be between 1 and 3, got 5`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ValidationErrors {
    violations: Vec<Violation>,
}

/// The name used for [`ValidationErrors`] while it is being filled (struct-level rule functions
/// take `&mut Report`).
pub type Report = ValidationErrors;

impl ValidationErrors {
    /// An empty report. Does not allocate.
    pub const fn new() -> Self {
        ValidationErrors {
            violations: Vec::new(),
        }
    }

    /// All violations, errors and warnings, in the order they were found.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// Consumes the report, returning its violations.
    pub fn into_violations(self) -> Vec<Violation> {
        self.violations
    }

    /// No violation at all.
    pub fn is_empty(&self) -> bool {
        self.violations.is_empty()
    }

    /// The number of violations, errors and warnings.
    pub fn len(&self) -> usize {
        self.violations.len()
    }

    /// At least one error-severity violation.
    pub fn has_errors(&self) -> bool {
        self.violations
            .iter()
            .any(|v| v.severity == Severity::Error)
    }

    /// The error-severity violations.
    pub fn errors(&self) -> impl Iterator<Item = &Violation> {
        self.violations
            .iter()
            .filter(|v| v.severity == Severity::Error)
    }

    /// The warning-severity violations.
    pub fn warnings(&self) -> impl Iterator<Item = &Violation> {
        self.violations
            .iter()
            .filter(|v| v.severity == Severity::Warning)
    }

    /// Adds a fully built violation.
    pub fn push(&mut self, violation: Violation) {
        self.violations.push(violation);
    }

    /// Records `result` of a rule for the value at `path`: nothing on `Ok`, a violation on `Err`.
    /// `value` is rendered (or redacted when `sensitive`) only on failure.
    #[inline]
    pub fn check<V: crate::params::ToWire + ?Sized>(
        &mut self,
        path: &Path<'_>,
        result: Result<(), RuleError>,
        severity: Severity,
        sensitive: bool,
        value: &V,
    ) {
        if let Err(error) = result {
            self.record(path, error, severity, sensitive, &|| {
                value.to_wire().into_owned()
            });
        }
    }

    /// Records a rule failure at `path`; `value` renders the offending value and is not called
    /// for a sensitive one.
    #[cold]
    pub fn record(
        &mut self,
        path: &Path<'_>,
        error: RuleError,
        severity: Severity,
        sensitive: bool,
        value: &dyn Fn() -> String,
    ) {
        let shown = match error.actual {
            Actual::Missing => None,
            _ if sensitive => Some(REDACTED.to_owned()),
            _ => Some(value()),
        };
        let message = error.message(shown.as_deref());
        self.violations.push(Violation {
            path: path.to_string(),
            rule: error.rule,
            limit: error.limit,
            value: shown,
            severity,
            message,
        });
    }

    /// Records a rule failure at `path` that has no value to show (a gap in repeated indices).
    #[cold]
    pub fn record_without_value(&mut self, path: &Path<'_>, error: RuleError, severity: Severity) {
        self.violations.push(Violation {
            path: path.to_string(),
            message: error.message(None),
            rule: error.rule,
            limit: error.limit,
            value: None,
            severity,
        });
    }

    /// Records a required parameter that is absent.
    #[cold]
    pub fn missing(&mut self, path: &Path<'_>) {
        self.record(
            path,
            RuleError::new(Rule::Required, Limit::None, Actual::Missing),
            Severity::Error,
            false,
            &String::new,
        );
    }

    /// Records the failure of a struct-level (cross-field) rule at `path`, e.g.
    /// `report.custom(&path.field("StartTtsParams"), "is required when StartCode is a TTS template")`.
    #[cold]
    pub fn custom(&mut self, path: &Path<'_>, message: impl Into<Cow<'static, str>>) {
        self.violations.push(Violation {
            path: path.to_string(),
            rule: Rule::Custom,
            limit: Limit::None,
            value: None,
            severity: Severity::Error,
            message: message.into().into_owned(),
        });
    }

    /// Turns the report into a result: `Err` when there is at least one error, `Ok` with the
    /// (possibly empty) report of warnings otherwise.
    pub fn into_result(self) -> Result<ValidationErrors, ValidationErrors> {
        if self.has_errors() {
            Err(self)
        } else {
            Ok(self)
        }
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, violation) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{violation}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

impl IntoIterator for ValidationErrors {
    type Item = Violation;
    type IntoIter = std::vec::IntoIter<Violation>;
    fn into_iter(self) -> Self::IntoIter {
        self.violations.into_iter()
    }
}

/// A type whose values can be checked against the constraints of its wire parameters;
/// implemented by `#[derive(popgen_macros::Validate)]`.
pub trait Validate {
    /// Appends every violation of `self`, with paths below `path`, to `report`.
    fn validate_into(&self, path: &Path<'_>, report: &mut Report);

    /// Every violation, errors and warnings; empty when the value is valid.
    fn report(&self) -> ValidationErrors {
        let mut report = ValidationErrors::new();
        self.validate_into(&Path::root(), &mut report);
        report
    }

    /// `Err` with every violation (warnings included) when at least one is an error; warnings
    /// alone do not fail (use [`Validate::report`] to see them).
    fn validate(&self) -> Result<(), ValidationErrors> {
        self.report().into_result().map(|_| ())
    }
}

impl<T: Validate + ?Sized> Validate for &T {
    fn validate_into(&self, path: &Path<'_>, report: &mut Report) {
        (**self).validate_into(path, report);
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate_into(&self, path: &Path<'_>, report: &mut Report) {
        if let Some(value) = self {
            value.validate_into(path, report);
        }
    }
}

/// What a client does with violations before sending a request.
///
/// A client generated from an older spec must not block values the service has since started
/// to accept, so users can relax validation per client or per call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ValidationMode {
    /// Errors block the request; warnings are logged with `tracing::warn!`. The default.
    #[default]
    Enforce,
    /// Everything is logged with `tracing::warn!` and the request is sent anyway.
    Warn,
    /// No validation at all (not even run).
    Off,
}

impl ValidationMode {
    /// Validates `value` as this mode says: `Err` only in [`ValidationMode::Enforce`] and only
    /// when there is an error-severity violation; everything else is logged.
    ///
    /// ```
    /// use popgen_runtime::validation::{Path, Report, Validate, ValidationMode};
    /// use popgen_runtime::rules::range;
    /// struct PlayTimes(i64);
    /// impl Validate for PlayTimes {
    ///     fn validate_into(&self, path: &Path<'_>, report: &mut Report) {
    ///         let p = path.field("PlayTimes");
    ///         report.check(&p, range::apply(self.0, Some(1), Some(3)), Default::default(), false, &self.0);
    ///     }
    /// }
    /// let err = ValidationMode::Enforce.apply(&PlayTimes(5)).unwrap_err();
    /// assert_eq!(err.to_string(), "PlayTimes: must be between 1 and 3, got 5");
    /// assert!(ValidationMode::Warn.apply(&PlayTimes(5)).is_ok());
    /// assert!(ValidationMode::Off.apply(&PlayTimes(5)).is_ok());
    /// ```
    pub fn apply<T: Validate + ?Sized>(self, value: &T) -> Result<(), ValidationErrors> {
        if self == ValidationMode::Off {
            return Ok(());
        }
        let mut report = ValidationErrors::new();
        value.validate_into(&Path::root(), &mut report);
        if report.is_empty() {
            return Ok(());
        }
        if self == ValidationMode::Enforce && report.has_errors() {
            return Err(report);
        }
        for violation in report.violations() {
            tracing::warn!(
                path = %violation.path,
                severity = %violation.severity,
                "request parameter violates its constraint, sending anyway: {violation}"
            );
        }
        Ok(())
    }
}
