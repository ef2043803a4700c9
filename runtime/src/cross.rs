//! Cross-field rules (a param required when another has some value, params that exclude each
//! other...). Generated code calls these from a request's struct-level rule function; each
//! records at most one violation, at the path of the param it is about.

use std::borrow::Cow;

use crate::rules::pattern::Pattern;
use crate::rules::{Limit, Rule};
use crate::validation::{Path, Severity, ValidationErrors, Violation};

/// The condition of [`required_if`] on the other param's wire value.
#[derive(Debug)]
pub enum Test {
    /// The value matches the pattern.
    Matches(&'static Pattern),
    /// The value equals this text.
    Equals(&'static str),
    /// The param is sent at all.
    Present,
}

impl Test {
    fn holds(&self, value: Option<&str>) -> bool {
        match (self, value) {
            (_, None) => false,
            (Test::Matches(p), Some(v)) => p.apply(v).is_ok(),
            (Test::Equals(e), Some(v)) => *e == v,
            (Test::Present, Some(_)) => true,
        }
    }
}

#[cold]
fn push(
    report: &mut ValidationErrors,
    path: &Path<'_>,
    at: &'static str,
    severity: Severity,
    message: String,
) {
    // The path names the param already: a rule's prose that starts with it (`StartTtsParams is
    // required when…`, as the spec's descriptions do) is shown from its verb.
    let message = match message.strip_prefix(at) {
        Some(rest) if rest.starts_with(' ') => rest.trim_start().to_owned(),
        _ => message,
    };
    report.push(Violation {
        path: path.field(at).to_string(),
        rule: Rule::Custom,
        limit: Limit::None,
        value: None,
        severity,
        message,
    });
}

/// A rule "`target` must be sent when `test` holds for `when`'s value", as static data: the
/// generated code declares one per rule and hands [`required_if`] the two values it reads.
#[derive(Debug)]
pub struct RequiredIf {
    /// The wire name of the param that must be sent.
    pub target: &'static str,
    /// The wire name of the param whose value decides.
    pub when: &'static str,
    /// What `when`'s value must satisfy for `target` to be required.
    pub test: Test,
    /// How much a violation weighs.
    pub severity: Severity,
    /// Why, for people.
    pub message: &'static str,
}

/// `rule.target` must be sent (`target_sent`) when `rule.test` holds for the value of
/// `rule.when` (`when_value`).
///
/// ```
/// use popgen_runtime::cross::{required_if, RequiredIf, Test};
/// use popgen_runtime::rules::pattern::Pattern;
/// use popgen_runtime::validation::{Path, Severity, ValidationErrors};
/// static TTS: Pattern = Pattern::new("^TTS_");
/// static RULE: RequiredIf = RequiredIf {
///     target: "StartTtsParams",
///     when: "StartCode",
///     test: Test::Matches(&TTS),
///     severity: Severity::Warning,
///     message: "required for TTS templates with variables",
/// };
/// let mut report = ValidationErrors::new();
/// required_if(&mut report, &Path::root(), &RULE, false, Some("TTS_1"));
/// assert_eq!(report.to_string(),
///     "StartTtsParams: required for TTS templates with variables (when StartCode is TTS_1) (warning)");
/// assert!(!report.has_errors());
///
/// // Prose that starts with the param's name is not shown twice.
/// static NAMED: RequiredIf = RequiredIf {
///     target: "StartTtsParams",
///     when: "StartCode",
///     test: Test::Matches(&TTS),
///     severity: Severity::Warning,
///     message: "StartTtsParams is required for TTS templates",
/// };
/// let mut report = ValidationErrors::new();
/// required_if(&mut report, &Path::root(), &NAMED, false, Some("TTS_1"));
/// assert_eq!(report.to_string(),
///     "StartTtsParams: is required for TTS templates (when StartCode is TTS_1) (warning)");
/// ```
#[inline]
pub fn required_if(
    report: &mut ValidationErrors,
    path: &Path<'_>,
    rule: &RequiredIf,
    target_sent: bool,
    when_value: Option<&str>,
) {
    if !target_sent && rule.test.holds(when_value) {
        let shown = when_value.unwrap_or_default();
        push(
            report,
            path,
            rule.target,
            rule.severity,
            format!("{} (when {} is {shown})", rule.message, rule.when),
        );
    }
}

/// At most one of `params` (wire name, sent?) may be sent.
#[inline]
pub fn mutually_exclusive(
    report: &mut ValidationErrors,
    path: &Path<'_>,
    params: &[(&'static str, bool)],
    severity: Severity,
    message: &'static str,
) {
    let sent: Vec<&str> = params.iter().filter(|(_, s)| *s).map(|(n, _)| *n).collect();
    if let [_, second, ..] = sent.as_slice() {
        push(
            report,
            path,
            second,
            severity,
            format!("{message} (sent: {})", sent.join(", ")),
        );
    }
}

/// At least one of `params` (wire name, sent?) must be sent.
#[inline]
pub fn at_least_one_of(
    report: &mut ValidationErrors,
    path: &Path<'_>,
    params: &[(&'static str, bool)],
    severity: Severity,
    message: &'static str,
) {
    if let Some((first, _)) = params.first()
        && !params.iter().any(|(_, s)| *s)
    {
        push(report, path, first, severity, message.to_owned());
    }
}

/// When all of `values` are sent, all match `pattern` or none does (both TTS templates or both
/// voice files).
#[inline]
pub fn same_kind(
    report: &mut ValidationErrors,
    path: &Path<'_>,
    values: &[(&'static str, Option<Cow<'_, str>>)],
    pattern: &Pattern,
    severity: Severity,
    message: &'static str,
) {
    let mut kinds = Vec::with_capacity(values.len());
    for (_, v) in values {
        match v {
            Some(v) => kinds.push(pattern.apply(v).is_ok()),
            None => return,
        }
    }
    if kinds.iter().any(|k| *k != kinds[0])
        && let Some((last, _)) = values.last()
    {
        push(report, path, last, severity, message.to_owned());
    }
}
