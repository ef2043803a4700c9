//! `popgen diff`: what changed between two versions of a spec, and what each change breaks — on
//! the wire (direction-aware: a request and a response tolerate opposite changes), in the
//! generated Rust API, and in the prices `dyvms cost` estimates with. Pure: two [`Spec`]s in, a sorted list of [`Change`]s out; rendering is in
//! [`render`], the ignore file in [`ignore`].

pub mod ignore;
mod pricing;
pub mod render;
mod request;
mod rust;
mod shape;
mod walk;

use std::fmt;

use popgen_spec::Spec;

/// How much a change matters to a client built from the old spec. Ordered: `Info` is the least.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Documentation and metadata: nothing a client does changes.
    Info,
    /// Old clients keep working.
    Compatible,
    /// Old clients keep working if they tolerate it (a new value in a response enum).
    Warning,
    /// Old clients, or requests they send, may fail.
    Breaking,
}

impl Severity {
    /// The lower-case name (`breaking`).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Compatible => "compatible",
            Severity::Warning => "warning",
            Severity::Breaking => "breaking",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which way the changed thing travels on the wire; decides what is breaking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Direction {
    /// Sent by the client: narrowing breaks.
    Request,
    /// Sent by the service (responses, receipts): removing breaks, new values must be tolerated.
    Response,
    /// A definition used both ways (a named enum or type).
    Both,
    /// Not on the wire: metadata, limits, documentation.
    None,
}

impl Direction {
    /// The lower-case name (`request`).
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Request => "request",
            Direction::Response => "response",
            Direction::Both => "both",
            Direction::None => "none",
        }
    }
}

/// What kind of change it is. Every kind has an [`inverse`](Kind::inverse): diffing the other
/// way round finds the same path with the inverse kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[allow(missing_docs)] // the names say it; `as_str` is the documented form
pub enum Kind {
    ActionAdded,
    ActionRemoved,
    ParamAdded,
    ParamRemoved,
    FieldAdded,
    FieldRemoved,
    MadeRequired,
    MadeOptional,
    TypeChanged,
    DefaultChanged,
    Narrowed,
    Widened,
    ConstraintChanged,
    EnumValueAdded,
    EnumValueRemoved,
    RuleAdded,
    RuleRemoved,
    RuleChanged,
    QpsChanged,
    CalleeLimitAdded,
    CalleeLimitRemoved,
    CalleeLimitChanged,
    EffectChanged,
    LifecycleChanged,
    SuccessCodeChanged,
    CodeAdded,
    CodeRemoved,
    CodeChanged,
    ReceiptAdded,
    ReceiptRemoved,
    ReceiptConditionChanged,
    DefinitionAdded,
    DefinitionRemoved,
    ProductChanged,
    SensitivityChanged,
    AvailabilityChanged,
    PriceRaised,
    PriceLowered,
    PriceAdded,
    PriceWithdrawn,
    BillingChanged,
    PriceListChanged,
    DocsChanged,
}

impl Kind {
    /// The kebab-case name used in every output format (`param-removed`).
    pub fn as_str(self) -> &'static str {
        use Kind::*;
        match self {
            ActionAdded => "action-added",
            ActionRemoved => "action-removed",
            ParamAdded => "param-added",
            ParamRemoved => "param-removed",
            FieldAdded => "field-added",
            FieldRemoved => "field-removed",
            MadeRequired => "made-required",
            MadeOptional => "made-optional",
            TypeChanged => "type-changed",
            DefaultChanged => "default-changed",
            Narrowed => "narrowed",
            Widened => "widened",
            ConstraintChanged => "constraint-changed",
            EnumValueAdded => "enum-value-added",
            EnumValueRemoved => "enum-value-removed",
            RuleAdded => "rule-added",
            RuleRemoved => "rule-removed",
            RuleChanged => "rule-changed",
            QpsChanged => "qps-changed",
            CalleeLimitAdded => "callee-limit-added",
            CalleeLimitRemoved => "callee-limit-removed",
            CalleeLimitChanged => "callee-limit-changed",
            EffectChanged => "effect-changed",
            LifecycleChanged => "lifecycle-changed",
            SuccessCodeChanged => "success-code-changed",
            CodeAdded => "code-added",
            CodeRemoved => "code-removed",
            CodeChanged => "code-changed",
            ReceiptAdded => "receipt-added",
            ReceiptRemoved => "receipt-removed",
            ReceiptConditionChanged => "receipt-condition-changed",
            DefinitionAdded => "definition-added",
            DefinitionRemoved => "definition-removed",
            ProductChanged => "product-changed",
            SensitivityChanged => "sensitivity-changed",
            AvailabilityChanged => "availability-changed",
            PriceRaised => "price-raised",
            PriceLowered => "price-lowered",
            PriceAdded => "price-added",
            PriceWithdrawn => "price-withdrawn",
            BillingChanged => "billing-changed",
            PriceListChanged => "price-list-changed",
            DocsChanged => "docs-changed",
        }
    }

    /// The kind the same change has when the two specs are swapped.
    pub fn inverse(self) -> Kind {
        use Kind::*;
        match self {
            ActionAdded => ActionRemoved,
            ActionRemoved => ActionAdded,
            ParamAdded => ParamRemoved,
            ParamRemoved => ParamAdded,
            FieldAdded => FieldRemoved,
            FieldRemoved => FieldAdded,
            MadeRequired => MadeOptional,
            MadeOptional => MadeRequired,
            Narrowed => Widened,
            Widened => Narrowed,
            EnumValueAdded => EnumValueRemoved,
            EnumValueRemoved => EnumValueAdded,
            RuleAdded => RuleRemoved,
            RuleRemoved => RuleAdded,
            CalleeLimitAdded => CalleeLimitRemoved,
            CalleeLimitRemoved => CalleeLimitAdded,
            CodeAdded => CodeRemoved,
            CodeRemoved => CodeAdded,
            ReceiptAdded => ReceiptRemoved,
            ReceiptRemoved => ReceiptAdded,
            DefinitionAdded => DefinitionRemoved,
            DefinitionRemoved => DefinitionAdded,
            PriceRaised => PriceLowered,
            PriceLowered => PriceRaised,
            PriceAdded => PriceWithdrawn,
            PriceWithdrawn => PriceAdded,
            other => other,
        }
    }
}

/// What a change does to the generated Rust API (what breaks a user's build, not the wire).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RustImpact {
    /// `Breaking`: code using the old item stops compiling; `Warning`: only exhaustive `match`es
    /// or struct literals break; `Compatible`: purely additive.
    pub severity: Severity,
    /// What changes, with Rust names (`field `tts_param` of `SingleCallByTtsRequest` removed`).
    pub what: String,
}

/// One change between two specs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Stable path of the changed thing, in the spec's diagnostic notation
    /// (`actions.SingleCallByTts.params[TtsParam].length.max`); the key of the ignore file.
    pub id: String,
    /// What kind of change.
    pub kind: Kind,
    /// Which way the changed thing travels.
    pub direction: Direction,
    /// The impact on the wire, for clients built from the old spec.
    pub severity: Severity,
    /// Why it has that severity, in words.
    pub why: String,
    /// The impact on the generated Rust API, when there is one.
    pub rust_impact: Option<RustImpact>,
    /// The old value or rule, rendered.
    pub old: Option<String>,
    /// The new value or rule, rendered.
    pub new: Option<String>,
    /// Set when an ignore file accepts the change: the reason given there.
    pub accepted: Option<String>,
}

impl Change {
    pub(crate) fn new(
        id: impl Into<String>,
        kind: Kind,
        direction: Direction,
        severity: Severity,
        why: impl Into<String>,
    ) -> Change {
        Change {
            id: id.into(),
            kind,
            direction,
            severity,
            why: why.into(),
            rust_impact: None,
            old: None,
            new: None,
            accepted: None,
        }
    }

    pub(crate) fn values(mut self, old: Option<String>, new: Option<String>) -> Change {
        self.old = old;
        self.new = new;
        self
    }

    pub(crate) fn rust(mut self, severity: Severity, what: impl Into<String>) -> Change {
        self.rust_impact = Some(RustImpact {
            severity,
            what: what.into(),
        });
        self
    }

    /// Whether the change counts toward the exit status at `threshold` (accepted ones never do).
    pub fn fails(&self, threshold: FailOn) -> bool {
        self.accepted.is_none()
            && match threshold {
                FailOn::Breaking => self.severity == Severity::Breaking,
                FailOn::Warning => self.severity >= Severity::Warning,
                FailOn::Never => false,
            }
    }
}

/// From which severity on `popgen diff` exits with status 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FailOn {
    /// Breaking changes fail (the default).
    #[default]
    Breaking,
    /// Breaking changes and warnings fail.
    Warning,
    /// Nothing fails.
    Never,
}

impl std::str::FromStr for FailOn {
    type Err = String;

    fn from_str(s: &str) -> Result<FailOn, String> {
        match s {
            "breaking" => Ok(FailOn::Breaking),
            "warning" => Ok(FailOn::Warning),
            "never" => Ok(FailOn::Never),
            _ => Err(format!(
                "unknown threshold `{s}` (breaking, warning, never)"
            )),
        }
    }
}

/// A spec version as shown in reports: product name, version and spec hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// Product name (`Dyvmsapi`).
    pub product: String,
    /// API version (`2017-05-25`).
    pub version: String,
    /// SHA-256 of the canonical model ([`crate::generate::spec_hash`]).
    pub hash: String,
}

impl Version {
    /// The version of `spec`.
    pub fn of(spec: &Spec) -> Version {
        Version {
            product: spec.product.name.clone(),
            version: spec.product.version.clone(),
            hash: crate::generate::spec_hash(spec),
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} (SHA-256 {}…)",
            self.product,
            self.version,
            &self.hash[..self.hash.len().min(16)]
        )
    }
}

/// A diff of two specs, ready to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The old spec.
    pub old: Version,
    /// The new spec.
    pub new: Version,
    /// Every change, sorted by id then kind.
    pub changes: Vec<Change>,
}

impl Report {
    /// Diffs `old` against `new`.
    pub fn new(old: &Spec, new: &Spec) -> Report {
        Report {
            old: Version::of(old),
            new: Version::of(new),
            changes: diff(old, new),
        }
    }

    /// How many unaccepted changes have `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.changes
            .iter()
            .filter(|c| c.accepted.is_none() && c.severity == severity)
            .count()
    }

    /// Whether some change fails the run at `threshold`.
    pub fn fails(&self, threshold: FailOn) -> bool {
        self.changes.iter().any(|c| c.fails(threshold))
    }
}

/// Every change from `old` to `new`, sorted by id, then kind (deterministic). The wire is
/// compared on the specs, the Rust API on their IRs ([`crate::ir::build`]).
pub fn diff(old: &Spec, new: &Spec) -> Vec<Change> {
    let (old, new) = (crate::ir::build(old), crate::ir::build(new));
    let mut changes = walk::Differ::new(&old, &new).run();
    changes.sort_by(|a, b| (&a.id, a.kind).cmp(&(&b.id, b.kind)));
    changes
}
