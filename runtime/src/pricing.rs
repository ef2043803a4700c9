//! Price tables and the cost estimator: what a campaign will cost before it runs, and what it did
//! cost from its receipts. Money is exact ([`Decimal`]), never `f64`.
//!
//! A [`PriceBook`] is one product's price list: its businesses (voice notification, IVR...),
//! each with its billing unit and rounding ([`Metering`]), its modes (public, dedicated number)
//! with free quotas, prepaid packages and post-paid tiers, add-ons, and fixed fees. Generated
//! crates hold their book in a `static` (every list `Cow::Borrowed`); `popgen-spec` builds the
//! same type from a spec at run time.
//!
//! The estimator applies the deduction order every price list in the spec states: free quota,
//! then prepaid packages, then post-paid:
//!
//! ```
//! use popgen_runtime::pricing::{self, Usage};
//! # let book = pricing::example_book();
//! // 500 answered one-minute calls in public mode: a 500-minute package (45) beats
//! // post-paid (500 × 0.11 = 55).
//! let usage = Usage::from_seconds(std::iter::repeat_n(60, 500));
//! let estimate = pricing::estimate(&book, &pricing::Request::new("voice-notification", "public"), &usage).unwrap();
//! assert_eq!(estimate.post_paid_only.total.to_string(), "55.00");
//! assert_eq!(estimate.cheapest.total.to_string(), "45");
//! ```

use std::borrow::Cow;

use serde::Serialize;

pub use rust_decimal::Decimal;

mod estimate;
mod meter;
mod plan;
mod tiers;

pub use estimate::{
    Estimate, EstimateError, Line, Plan, PlanPackage, Request, estimate, price_plan,
};
pub use meter::{Usage, meter_seconds};
pub use tiers::{TierReached, post_paid_cost};

/// A string of a price table: borrowed in generated statics, owned when built at run time.
pub type Str = Cow<'static, str>;
/// A list of a price table: borrowed in generated statics, owned when built at run time.
pub type List<T> = Cow<'static, [T]>;

/// A non-negative amount written as digits and a scale (`amount(110, 3)` is `0.110`), usable in
/// `const` and `static` items.
pub const fn amount(digits: u64, scale: u32) -> Decimal {
    Decimal::from_parts(digits as u32, (digits >> 32) as u32, 0, false, scale)
}

/// One product's price list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PriceBook {
    /// The product (`Dyvmsapi`).
    pub product: Str,
    /// The price list's title, as the document names it.
    pub title: Str,
    /// The document the prices were read from (a path in the repository).
    pub document: Str,
    /// The date of the price list (`2025-02-19`); see [`dated`](Self::dated).
    pub date: Str,
    /// What [`date`](Self::date) is: the list's own date, or when it was retrieved.
    pub dated: DateBasis,
    /// The currency of every amount of the book (`CNY`).
    pub currency: Str,
    /// The businesses, in the document's order.
    pub businesses: List<Business>,
    /// Fixed fees (number rental) that modes refer to by id.
    pub fees: List<Fee>,
}

impl PriceBook {
    /// The business with id `id`.
    pub fn business(&self, id: &str) -> Option<&Business> {
        self.businesses.iter().find(|b| b.id == id)
    }

    /// The fee with id `id`.
    pub fn fee(&self, id: &str) -> Option<&Fee> {
        self.fees.iter().find(|f| f.id == id)
    }

    /// The businesses an action bills under (with the condition, when there is one).
    pub fn billing_of<'a>(
        &'a self,
        action: &'a str,
    ) -> impl Iterator<Item = (&'a Business, &'a BilledAction)> + 'a {
        self.businesses.iter().flat_map(move |b| {
            b.bills
                .iter()
                .filter(move |a| a.action == action)
                .map(move |a| (b, a))
        })
    }
}

/// What the date of a price list is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateBasis {
    /// The date the document says it was last updated.
    Updated,
    /// The document carries no date: the day it was retrieved.
    Retrieved,
}

/// One business of a product: what is billed, in which unit, and how.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Business {
    /// Id (`voice-notification`).
    pub id: Str,
    /// Title (`Voice notification / 语音通知`).
    pub title: Str,
    /// The actions that bill under it.
    pub bills: List<BilledAction>,
    /// Where receipts report the usage, when they do.
    pub receipt: Option<ReceiptUsage>,
    /// The unit prices, packages and tiers are written in.
    pub unit: Unit,
    /// How usage becomes billed units.
    pub metering: Metering,
    /// Legs billed per call (a double call bills both of its two legs).
    pub legs: u32,
    /// Each bill is rounded to this many decimals, half up (`None`: exact).
    pub cost_decimals: Option<u32>,
    /// Its modes (`public`, `dedicated`), each priced on its own.
    pub modes: List<Mode>,
    /// Priced extras on top of the call fee (ASR, recording).
    pub add_ons: List<AddOn>,
}

impl Business {
    /// The mode with id `id`.
    pub fn mode(&self, id: &str) -> Option<&Mode> {
        self.modes.iter().find(|m| m.id == id)
    }
}

/// An action that bills under a business.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BilledAction {
    /// The action's API name.
    pub action: Str,
    /// When it bills here (`with a voice verification template`); empty: always.
    pub when: Str,
}

/// Where a receipt reports the usage of a business.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReceiptUsage {
    /// The receipt message (`VoiceReport`).
    pub message: Str,
    /// Its fields holding talk seconds, one per billed leg (`duration`); 0 means unanswered.
    pub seconds: List<Str>,
}

/// The unit a business's prices, packages and tiers are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unit {
    /// A minute of talk time.
    Minute,
    /// One call.
    Call,
    /// An hour of audio, metered in seconds.
    Hour,
    /// A thousand calls.
    ThousandCalls,
}

impl Unit {
    /// How many metered base units (minutes, calls, seconds) one unit is.
    pub fn size(self) -> u64 {
        match self {
            Unit::Minute | Unit::Call => 1,
            Unit::Hour => 3600,
            Unit::ThousandCalls => 1000,
        }
    }

    /// The unit's name in English, singular (`minute`).
    pub fn name(self) -> &'static str {
        match self {
            Unit::Minute => "minute",
            Unit::Call => "call",
            Unit::Hour => "hour",
            Unit::ThousandCalls => "thousand calls",
        }
    }

    /// The metered base unit's name, plural (`seconds`).
    pub fn base_name(self) -> &'static str {
        match self {
            Unit::Minute => "minutes",
            Unit::Call | Unit::ThousandCalls => "calls",
            Unit::Hour => "seconds",
        }
    }
}

/// How usage becomes billed base units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Metering {
    /// Per started minute of an answered call (61 s = 2 minutes); unanswered calls are free.
    StartedMinute,
    /// One unit per answered call; unanswered calls are free.
    ConnectedCall,
    /// Per second of audio, a started second counting as one.
    Second,
    /// One unit per successful request; failed requests are free.
    SuccessfulCall,
}

/// A mode of a business (public or dedicated number): priced on its own; packages of one mode
/// do not serve another.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mode {
    /// Id (`public`).
    pub id: Str,
    /// Title.
    pub title: Str,
    /// The template kind that selects this mode, when the service chooses by template.
    pub template: Str,
    /// Ids of the fixed fees that apply ([`PriceBook::fees`]).
    pub fees: List<Str>,
    /// The free quota, applied first.
    pub free: Option<FreeQuota>,
    /// Prepaid packages, applied after the free quota.
    pub packages: List<Package>,
    /// How long a package lasts, in months.
    pub package_months: u32,
    /// Post-paid prices, for what free quota and packages do not cover.
    pub post_paid: Option<PostPaid>,
    /// A minimum spend per settlement period (`from`–`to`, set per account), when there is one.
    pub minimum_spend: Option<(Decimal, Decimal)>,
}

/// A free quota.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FreeQuota {
    /// How much, in the business's unit.
    pub amount: Decimal,
    /// Per which period it is granted.
    pub period: Period,
}

/// A prepaid package.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Package {
    /// Its size, in the business's unit.
    pub size: Decimal,
    /// Its price.
    pub price: Decimal,
}

/// A settlement period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Period {
    /// A calendar month.
    Monthly,
    /// A day.
    Daily,
}

/// Post-paid prices.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PostPaid {
    /// The settlement period whose volume picks the tier.
    pub period: Period,
    /// Slices priced per tier, or the whole volume at the tier reached.
    pub tiering: Tiering,
    /// Which volume picks the tier.
    pub tier_volume: TierVolume,
    /// Which tier a volume on a boundary belongs to.
    pub bounds: Bounds,
    /// The tiers, from 0 up (a flat price is one tier from 0); empty when priced per destination.
    pub tiers: List<Tier>,
    /// Prices per destination country or region (flat each), instead of tiers.
    pub destinations: List<Destination>,
}

/// How tiers price a volume.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Tiering {
    /// Each slice of the volume at its tier's price.
    Graduated,
    /// The whole period's volume at the price of the tier reached.
    WholeVolume,
}

/// Which volume picks the tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TierVolume {
    /// The period's post-paid volume.
    PostPaid,
    /// The period's whole usage: free quota and packages included.
    AllUsage,
}

/// Which tier a volume on a boundary belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bounds {
    /// `from < v ≤ to` (`5万＜分钟数≤10万`).
    UpperInclusive,
    /// `from ≤ v < to` (`12万 ~ 30万`, read as from 12万 up to but excluding 30万).
    LowerInclusive,
    /// Whole units `from ≤ v ≤ to`, the next tier starting at `to + 1` (`0 ~ 299`, `300 ~ 999`);
    /// a fraction between `to` and the next `from` stays in the lower tier.
    WholeUnits,
}

/// A post-paid tier, in the business's unit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Tier {
    /// Where it starts.
    pub from: Decimal,
    /// Where it ends (`None`: no end).
    pub to: Option<Decimal>,
    /// Price per unit.
    pub price: Decimal,
}

/// A destination's price (international calls).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Destination {
    /// ISO code (`HK`).
    pub code: Str,
    /// Name.
    pub name: Str,
    /// Country calling code (`852`).
    pub dialing_code: Str,
    /// Price per unit.
    pub price: Decimal,
}

/// A priced extra, per unit of the business, metered like the call fee.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AddOn {
    /// Id (`asr`, `recording`).
    pub id: Str,
    /// Title.
    pub title: Str,
    /// Price per unit.
    pub price: Decimal,
    /// Whether the user chooses it (else it is always billed).
    pub optional: bool,
}

/// A fixed fee (number rental).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fee {
    /// Id (`number-rental`).
    pub id: Str,
    /// Title.
    pub title: Str,
    /// Price per number per month.
    pub price: Decimal,
    /// Whether a started month is charged in full.
    pub started_month_in_full: bool,
}

/// A small book with the Alibaba public-mode voice notification prices, for examples and tests.
#[doc(hidden)]
pub fn example_book() -> PriceBook {
    const PACKAGES: &[Package] = &[Package {
        size: amount(500, 0),
        price: amount(45, 0),
    }];
    const TIERS: &[Tier] = &[Tier {
        from: amount(0, 0),
        to: None,
        price: amount(11, 2),
    }];
    const MODES: &[Mode] = &[Mode {
        id: Cow::Borrowed("public"),
        title: Cow::Borrowed("Public mode"),
        template: Cow::Borrowed(""),
        fees: Cow::Borrowed(&[]),
        free: None,
        packages: Cow::Borrowed(PACKAGES),
        package_months: 12,
        post_paid: Some(PostPaid {
            period: Period::Monthly,
            tiering: Tiering::Graduated,
            tier_volume: TierVolume::PostPaid,
            bounds: Bounds::UpperInclusive,
            tiers: Cow::Borrowed(TIERS),
            destinations: Cow::Borrowed(&[]),
        }),
        minimum_spend: None,
    }];
    PriceBook {
        product: "Example".into(),
        title: "Example".into(),
        document: "".into(),
        date: "2026-01-01".into(),
        dated: DateBasis::Retrieved,
        currency: "CNY".into(),
        businesses: vec![Business {
            id: "voice-notification".into(),
            title: "Voice notification".into(),
            bills: Cow::Borrowed(&[]),
            receipt: None,
            unit: Unit::Minute,
            metering: Metering::StartedMinute,
            legs: 1,
            cost_decimals: None,
            modes: Cow::Borrowed(MODES),
            add_ons: Cow::Borrowed(&[]),
        }]
        .into(),
        fees: Cow::Borrowed(&[]),
    }
}
