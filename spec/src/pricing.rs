//! The `pricing` section of the spec format: what calling the API costs, as one price list says.
//!
//! A product's businesses (voice notification, IVR, ...) each bill some actions in one unit,
//! metered with one rounding rule (per started minute, per connected call, per second); each has
//! modes (public, dedicated number) priced on their own: a free quota, prepaid packages and
//! post-paid prices (tiers, graduated or whole-volume, or one price per destination), plus
//! add-ons and fixed fees. Every price is a decimal string in the section's currency and every
//! table quotes where in the price list it comes from. `spec/README.md` shows the section;
//! [`book`] turns it into the runtime's [`PriceBook`](popgen_runtime::pricing::PriceBook).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::{Note, Text};

pub mod book;

/// What an API costs, from one price list. At most one file of a spec has it (the bundled spec
/// keeps it in `pricing.yaml`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pricing {
    /// The price list the section encodes, and its date: prices change.
    pub price_list: PriceList,
    /// The currency of every price (ISO 4217: `CNY`).
    pub currency: String,
    /// Fixed fees (number rental) that modes refer to by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fees: Vec<Fee>,
    /// The businesses, in the price list's order.
    pub businesses: Vec<Business>,
    /// Notes on the price list as a whole.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
}

/// The document prices were read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceList {
    /// Its title.
    pub title: Text,
    /// Where it is vendored in the repository (`spec/sources/pricing/...`).
    pub document: String,
    /// Its date, `YYYY-MM-DD`.
    pub date: String,
    /// What `date` is: the list's own update date, or the day it was retrieved.
    pub dated: DateBasis,
}

/// What the date of a price list is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DateBasis {
    /// The date the document says it was last updated (`最近更新时间`).
    Updated,
    /// The document carries no date: the day it was retrieved.
    Retrieved,
}

/// A decimal amount, written as a string so that no digit is lost to floating point (`"0.110"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct Amount(pub String);

/// A fixed fee.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fee {
    /// Its name, as modes refer to it (`number-rental`).
    pub name: String,
    /// Its title.
    pub title: Text,
    /// The price per `per`.
    pub price: Amount,
    /// What the price is for.
    pub per: FeeUnit,
    /// Whether a started month is charged in full (`不满一月按一月扣费`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub started_month_in_full: bool,
    /// Where the price list says so (a short quote).
    pub source: String,
    /// Notes (what the price list leaves to the console).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
}

/// What a fixed fee is charged for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FeeUnit {
    /// One number for one month.
    NumberMonth,
}

/// A business: what is billed, in which unit, metered how, and its modes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Business {
    /// Its name (`voice-notification`): lower-case letters, digits and `-`.
    pub name: String,
    /// Its title.
    pub title: Text,
    /// What it is, when the title is not enough.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
    /// The actions that bill under it (an action may bill under several, by template or
    /// destination: say when in `when`). Empty for a business reached outside the API (SIP).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bills: Vec<BilledAction>,
    /// Where receipts report its usage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt: Option<ReceiptUsage>,
    /// The unit its prices, packages and tiers are written in.
    pub unit: Unit,
    /// How usage becomes billed units; must fit the unit.
    pub metering: Metering,
    /// Legs billed per call (a double call calls both parties: 2). Default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legs: Option<u32>,
    /// How each bill is rounded, when the price list says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_rounding: Option<CostRounding>,
    /// Its modes, each priced on its own; packages of one mode do not serve another.
    pub modes: Vec<Mode>,
    /// Priced extras on top of the call fee, per unit, metered like it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub add_ons: Vec<AddOn>,
    /// Notes: where the price list is unclear and what the spec chose.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
}

/// An action that bills under a business.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BilledAction {
    /// The action's API name.
    pub action: String,
    /// When it bills here (`with a voice verification code template`); absent: always.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Text>,
}

/// Where a receipt reports a business's usage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceiptUsage {
    /// The receipt message (`VoiceReport`).
    pub message: String,
    /// Its fields holding talk seconds, one per billed leg (`duration`); 0 means unanswered.
    pub seconds: Vec<String>,
}

/// The unit prices, packages and tiers are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Unit {
    /// A minute of talk time (`元/分钟`).
    Minute,
    /// One call (`元/条`).
    Call,
    /// An hour of audio (`元/小时`), metered in seconds.
    Hour,
    /// A thousand requests (`元/千次`).
    ThousandCalls,
}

/// How usage becomes billed units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Metering {
    /// Per started minute of talk (`不满一分钟按一分钟`): 61 s bill 2 minutes; unanswered calls
    /// are free. Unit `minute`.
    StartedMinute,
    /// One unit per connected call (`未接通的不扣费`). Unit `call`.
    ConnectedCall,
    /// Per second of audio, a started second counting in full (`不足1秒的按1秒计`). Unit `hour`.
    Second,
    /// One unit per successful request (`调用失败，均不计入费用`). Unit `call` or `thousand-calls`.
    SuccessfulCall,
}

/// How each bill is rounded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CostRounding {
    /// Decimals kept, half up (`四舍五入取...小数点后两位`: 2).
    pub decimals: u32,
    /// Where the price list says so (a short quote).
    pub source: String,
}

/// A mode of a business (public, dedicated number).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Mode {
    /// Its name (`public`, `dedicated`).
    pub name: String,
    /// Its title.
    pub title: Text,
    /// The template kind that selects this mode (the service picks the package by template).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<Text>,
    /// The fixed fees that apply, by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fees: Vec<String>,
    /// A free quota, applied first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub free: Option<FreeQuota>,
    /// Prepaid packages, applied after the free quota.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub packages: Option<Packages>,
    /// Post-paid prices, for what free quota and packages leave.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_paid: Option<PostPaid>,
    /// A minimum spend per period, set per account within a range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum_spend: Option<MinimumSpend>,
    /// Notes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
}

/// A free quota.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FreeQuota {
    /// How much, in the business's unit.
    pub amount: Amount,
    /// Per which period it is granted.
    pub period: Period,
    /// Where the price list says so.
    pub source: String,
}

/// A table of prepaid packages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Packages {
    /// The table's heading or a short quote.
    pub source: String,
    /// How long a package lasts, in months (`一年`: 12).
    pub valid_months: u32,
    /// The packages, as the table lists them.
    pub sizes: Vec<Package>,
    /// Notes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
}

/// A prepaid package.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Package {
    /// Its size, in the business's unit.
    pub size: Amount,
    /// Its price.
    pub price: Amount,
}

/// A settlement period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Period {
    /// A calendar month (`月结`, `分钟数/月`).
    Monthly,
    /// A day (`日结`).
    Daily,
}

/// Post-paid prices: one `price`, `tiers`, or `destinations`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PostPaid {
    /// The table's heading or a short quote.
    pub source: String,
    /// The settlement period whose volume picks the tier.
    pub period: Period,
    /// Graduated (the default) or whole-volume.
    #[serde(default, skip_serializing_if = "is_default")]
    pub tiering: Tiering,
    /// Which volume picks the tier (default: the period's post-paid volume).
    #[serde(default, skip_serializing_if = "is_default")]
    pub tier_volume: TierVolume,
    /// Which tier a boundary belongs to (default: `upper-inclusive`, `5万＜x≤10万`).
    #[serde(default, skip_serializing_if = "is_default")]
    pub bounds: Bounds,
    /// One price for any volume.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<Amount>,
    /// Tiers, from 0 up, contiguous; the last has no `to`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tiers: Vec<Tier>,
    /// One price per destination (international calls).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub destinations: Vec<Destination>,
    /// Notes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
}

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// How tiers price a volume.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Tiering {
    /// Each slice of the volume at its tier's price.
    #[default]
    Graduated,
    /// The whole period's volume at the price of the tier reached (`当月全部话费以最新阶梯扣费`).
    WholeVolume,
}

/// Which volume picks the tier.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum TierVolume {
    /// The period's post-paid volume (`根据当月后付费业务量确定阶梯`).
    #[default]
    PostPaid,
    /// The period's whole usage, free quota and packages included (`接口调用总量`).
    AllUsage,
}

/// Which tier a volume on a boundary belongs to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Bounds {
    /// `from < v ≤ to`; each tier starts where the previous ends.
    #[default]
    UpperInclusive,
    /// `from ≤ v < to`; each tier starts where the previous ends.
    LowerInclusive,
    /// Whole units `from ≤ v ≤ to` (`0 ~ 299`, `300 ~ 999`); each tier starts at the previous
    /// `to` + 1.
    WholeUnits,
}

/// A post-paid tier, in the business's unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    /// Where it starts (the first tier: `"0"`).
    pub from: Amount,
    /// Where it ends; absent on the last tier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Amount>,
    /// Price per unit.
    pub price: Amount,
}

/// A destination's price.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Destination {
    /// ISO 3166 code, as the price list gives it (`HK`).
    pub code: String,
    /// Its name.
    pub name: Text,
    /// The country calling code (`852`).
    pub dialing_code: String,
    /// Price per unit.
    pub price: Amount,
}

/// A priced extra.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AddOn {
    /// Its name (`asr`, `recording`).
    pub name: String,
    /// Its title.
    pub title: Text,
    /// Price per unit of the business.
    pub price: Amount,
    /// Whether the user chooses it (`可选`); otherwise every call bills it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub optional: bool,
    /// Where the price list says so.
    pub source: String,
    /// Notes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
}

/// A minimum spend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MinimumSpend {
    /// The lowest minimum offered.
    pub from: Amount,
    /// The highest minimum offered.
    pub to: Amount,
    /// Per which period.
    pub period: Period,
    /// Where the price list says so.
    pub source: String,
}
