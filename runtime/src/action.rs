//! What a client needs to know about an action at run time: its wire name, the `Code` that means
//! success, whether it may be retried, its QPS. Generated crates define one constant per action.

/// Run-time facts about one API action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionMeta {
    /// The action's API name (`SingleCallByTts`), sent as `Action`.
    pub name: &'static str,
    /// The `Code` of a successful response (`OK` for most actions, `200` for some).
    pub success_code: &'static str,
    /// Whether calling it changes the world (places a call, creates or changes a task). Such
    /// actions are never retried once the request may have reached the service.
    pub side_effects: bool,
    /// Calls per second allowed per user, when documented.
    pub qps_per_user: Option<u32>,
    /// The per-callee call limits the service enforces (`isv.BUSINESS_LIMIT_CONTROL`), for
    /// actions that place calls and document them.
    pub callee_limit: Option<CalleeLimit>,
    /// The wire name of the param that carries the caller's own ID for the request (`OutId`),
    /// by which a call whose outcome is unknown can be looked up; `None` when the action has none.
    pub idempotency_param: Option<&'static str>,
}

/// An action's request type, tied to the action's metadata and its response type: what
/// [`Client::send`](crate::client::Client::send) takes, so a request can only be sent as its own
/// action and decoded as its own response. Generated crates implement it for every request type;
/// a hand-written request implements it the same way.
///
/// ```
/// use popgen_runtime::action::{ActionMeta, Operation};
/// use popgen_macros::{RpcParams, Validate};
///
/// #[derive(Debug, Validate, RpcParams)]
/// struct Echo {
///     #[popgen(wire = "Text")]
///     text: String,
/// }
///
/// const ECHO: ActionMeta = ActionMeta {
///     name: "Echo",
///     success_code: "OK",
///     side_effects: false,
///     qps_per_user: None,
///     callee_limit: None,
///     idempotency_param: None,
/// };
///
/// impl Operation for Echo {
///     type Response = serde_json::Value;
///     const META: &'static ActionMeta = &ECHO;
/// }
/// assert_eq!(<Echo as Operation>::META.name, "Echo");
/// ```
pub trait Operation: crate::validation::Validate + crate::params::RpcParams {
    /// What a successful response decodes to.
    type Response: serde::de::DeserializeOwned;
    /// The action's run-time facts (its wire name among them).
    const META: &'static ActionMeta;
}

/// How often one callee may be called through an action: the service counts calls per value of
/// [`param`](Self::param) in sliding windows of a minute, an hour and a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CalleeLimit {
    /// The wire name of the param that names the callee (`CalledNumber`).
    pub param: &'static str,
    /// Calls allowed per minute.
    pub per_minute: u32,
    /// Calls allowed per hour.
    pub per_hour: u32,
    /// Calls allowed per 24 hours.
    pub per_day: u32,
}
