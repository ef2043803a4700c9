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
