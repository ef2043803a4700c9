//! The request pipeline: every check the real gateway makes, in its order, then the action's own
//! validation and limits, then an answer; every request journaled. Synchronous and free of I/O
//! (the HTTP layer in [`super::server`] carries out delays, stalls and drops).
//!
//! Order of checks (the first failure answers):
//! 1. the query and form body decode (`InvalidParameter`); the body fits the action's limit
//!    (`RequestEntityTooLarge`, 413; the HTTP layer refuses most oversize bodies before reading
//!    them); the method is GET or POST (`UnsupportedHTTPMethod`);
//! 2. the request is signed, and its scheme's params or headers are there
//!    (`MissingParameter`, `IncompleteSignature`, `InvalidSignatureMethod`);
//! 3. the action exists (`InvalidApi.NotFound`, 404) and the version is the API's
//!    (`InvalidVersion`); `Format`, when sent, is JSON or XML (`InvalidParameter`);
//! 4. the AccessKey ID is known (`InvalidAccessKeyId.NotFound`);
//! 5. the timestamp is well formed (`InvalidTimeStamp.Format`);
//! 6. the signature matches (`SignatureDoesNotMatch`, with the server's string to sign); a V3
//!    request must sign `host`, every `x-acs-*` header it sends and, with a body, `content-type`
//!    (`IncompleteSignature` otherwise, naming the header);
//! 7. the timestamp is within the skew (`InvalidTimeStamp.Expired`);
//! 8. the nonce is fresh (`SignatureNonceUsed`) — from here on the nonce is spent;
//! 9. an injected fault, if one applies;
//! 10. the action's params validate (`MissingParameter` / `InvalidParameter`);
//! 11. the user's QPS for the action (`Throttling.User`);
//! 12. the callee's minute/hour/day limits (`isv.BUSINESS_LIMIT_CONTROL`);
//! 13. success: the action's success body with a fresh `RequestId`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::time::Duration;

use popgen_runtime::decode::Format;
use popgen_runtime::encode::parse_query;
use popgen_runtime::registry::{ActionEntry, Api};
use popgen_runtime::rules::Rule;
use popgen_runtime::secret::Secret;
use popgen_runtime::sign::v1::{FORM_CONTENT_TYPE, SECURITY_TOKEN_PARAM};
use popgen_runtime::sign::verify::{self, Claims, Received};
use popgen_runtime::validation::{REDACTED, Severity, Violation};

use super::clock::MockClock;
use super::config::MockConfig;
use super::faults::{FaultKind, Faults, MAX_STALL_MS};
use super::journal::{Journal, JournalEntry, KeptParams};
use super::limits::{CalleeLimiter, NonceStore, QpsLimiter, body_limit};
use super::receipts::Receipts;
use super::receipts::simulate::PlacedCall;
use super::render::{ErrorBody, RequestIds, SuccessBody};

/// Problems listed in one `InvalidParameter` message; more are counted in a last line.
const MAX_PROBLEM_LINES: usize = 100;

/// Server time `ms` as `yyyy-MM-ddTHH:mm:ssZ` (seconds rounded up, so "frees at" is never early).
fn timestamp_ms(ms: i64) -> String {
    let secs = u64::try_from(ms.saturating_add(999).div_euclid(1000)).unwrap_or(0);
    popgen_runtime::sign::format_timestamp(secs)
}

/// Params the current official SDK offers on most actions though the reference does not document
/// them; tolerated (and ignored) when the action does not declare them.
const SDK_OWNER_PARAMS: &[&str] = &["OwnerId", "ResourceOwnerAccount", "ResourceOwnerId"];

/// A request as the HTTP layer hands it over.
#[derive(Debug, Clone)]
pub(crate) struct Incoming<'a> {
    pub(crate) method: &'a str,
    pub(crate) path: &'a str,
    /// The raw query string, without `?`.
    pub(crate) query: &'a str,
    pub(crate) headers: Vec<(&'a str, &'a str)>,
    pub(crate) body: &'a [u8],
    /// The body's size as it arrived: `body.len()`, or more when it was not read.
    pub(crate) body_bytes: u64,
}

/// What the HTTP layer does with a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Answer, after waiting `delay`.
    Answer {
        status: u16,
        format: Format,
        body: String,
        request_id: String,
        delay: Option<Duration>,
    },
    /// Close the connection without answering; the fault that asked it (`drop`, `lost`).
    Drop(&'static str),
    /// Hold the connection this long, then close it without answering.
    Stall(Duration),
}

/// A refusal: HTTP status, `Code`, `Message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reject {
    pub(crate) status: u16,
    code: Cow<'static, str>,
    pub(crate) message: String,
    /// A delay fault still applies to a refusal.
    delay: Option<Duration>,
    /// What the request log adds to the code (`1/min; frees at …`).
    note: Option<String>,
}

impl Reject {
    /// A refusal with HTTP `status`.
    pub(crate) fn new(
        status: u16,
        code: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
    ) -> Self {
        Reject {
            status,
            code: code.into(),
            message: message.into(),
            delay: None,
            note: None,
        }
    }
}

fn reject(code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Reject {
    Reject::new(400, code, message)
}

/// `RequestEntityTooLarge` (HTTP 413): a body of `bytes` (all of it when `whole`, else at least
/// that) over `limit`. The reference lists no gateway code for an oversize body; this is the
/// HTTP status's own name, as `UnsupportedHTTPMethod` names the method check.
pub(crate) fn too_large(action: Option<&str>, bytes: u64, whole: bool, limit: usize) -> Reject {
    let size = if whole {
        format!("{bytes} bytes")
    } else {
        format!("more than {} bytes", bytes.saturating_sub(1))
    };
    let whose = match action {
        Some(name) => format!("{name} accepts"),
        None => "this mock accepts".to_owned(),
    };
    Reject::new(
        413,
        "RequestEntityTooLarge",
        format!(
            "The request body is {size}; {whose} at most {limit} bytes (the largest its params \
             can be under the spec, with room for the common params, and at least the mock's \
             max_body_bytes)."
        ),
    )
}

fn missing(name: &str) -> Reject {
    reject(
        "MissingParameter",
        format!(
            "The input parameter \"{name}\" that is mandatory for processing this request is not supplied."
        ),
    )
}

/// What the request log says about a request: no param values, no secrets, the callee masked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Summary {
    /// Server time at arrival, unix ms.
    pub(crate) time_ms: i64,
    /// The action it named, when it named one.
    pub(crate) action: Option<String>,
    /// The callee of an action with per-callee limits, masked (`138****8000`).
    pub(crate) callee: Option<String>,
    /// HTTP status and `Code` of the answer (`None` when there was none).
    pub(crate) status: Option<u16>,
    pub(crate) code: Option<String>,
    /// The fault injected.
    pub(crate) fault: Option<String>,
    /// More about the answer (which callee window is full and when it frees).
    pub(crate) note: Option<String>,
}

/// What a request's checks learned for the log besides the journal entry.
#[derive(Debug, Default)]
struct Seen {
    callee: Option<String>,
    note: Option<String>,
}

/// `value` with all but its first 3 and last 4 characters hidden (`138****8000`); `***` when
/// that would show most of it.
pub(crate) fn mask(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() < 9 {
        return REDACTED.to_owned();
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}****{tail}")
}

/// What survives the checks: the action, and a fault to apply to the answer.
struct Admitted {
    index: usize,
    fault: Option<FaultKind>,
    echo: Echo,
}

/// What a placed call's receipts echo from its request.
#[derive(Debug, Default)]
struct Echo {
    /// The value of the action's idempotency param (`OutId`).
    out_id: Option<String>,
    /// The value of its callee param.
    callee: Option<String>,
    /// The receipt messages the action lists with a condition the request did not meet.
    withheld: Vec<&'static str>,
}

/// Per action, prepared at start-up.
#[derive(Debug)]
struct ActionState {
    success: SuccessBody,
    /// Whether a wire param holds a sensitive value: the request type's own answer
    /// (`RpcParams::is_sensitive_param`, derived from its `sensitive` flags).
    is_sensitive: fn(&str) -> bool,
    /// Wire names the action declares (to tell an owner param it declares from one it does not).
    declared: Vec<&'static str>,
    /// The largest body accepted.
    body_limit: usize,
    /// Whether an accepted request places a call the mock sends receipts for (its answer then
    /// carries a fresh call ID).
    places_calls: bool,
}

impl ActionState {
    fn new(entry: &ActionEntry, max_body_bytes: usize, call_id: Option<&str>) -> Self {
        ActionState {
            body_limit: body_limit(entry.max_params_bytes, max_body_bytes),
            places_calls: call_id.is_some(),
            success: SuccessBody::new(entry, call_id),
            is_sensitive: entry.is_sensitive_param,
            declared: entry.params.iter().map(|p| p.name).collect(),
        }
    }
}

/// Everything a request is checked against; shared by all connections.
#[derive(Debug)]
pub(crate) struct Gateway {
    pub(crate) api: &'static Api,
    pub(crate) config: MockConfig,
    pub(crate) clock: MockClock,
    pub(crate) journal: Journal,
    pub(crate) faults: Faults,
    /// Receipts of the calls placed, when a receipt URL is configured.
    pub(crate) receipts: Option<Receipts>,
    secrets: HashMap<String, Secret>,
    nonces: NonceStore,
    qps: QpsLimiter,
    callees: CalleeLimiter,
    ids: RequestIds,
    actions: Vec<ActionState>,
    /// The largest body limit of any action.
    largest_body_limit: usize,
}

impl Gateway {
    /// The gateway `config` describes; an error when its receipt settings are not usable.
    pub(crate) fn new(api: &'static Api, config: MockConfig) -> Result<Self, String> {
        let window_ms = i64::try_from(config.nonce_window.as_millis()).unwrap_or(i64::MAX);
        let receipts = Receipts::new(api, &config.receipts)?;
        let call_id = |a: &ActionEntry| receipts.as_ref().and_then(|r| r.call_id_field(api, a));
        Ok(Gateway {
            api,
            clock: MockClock::new(config.clock_offset_ms),
            journal: Journal::new(config.journal_capacity, config.journal_bytes),
            faults: Faults::default(),
            secrets: config
                .credentials
                .iter()
                .map(|c| (c.access_key_id.clone(), c.access_key_secret.clone()))
                .collect(),
            nonces: NonceStore::new(window_ms, config.max_nonces),
            qps: QpsLimiter::new(),
            callees: CalleeLimiter::new(),
            ids: RequestIds::new(),
            actions: api
                .actions
                .iter()
                .map(|a| ActionState::new(a, config.max_body_bytes, call_id(a)))
                .collect(),
            largest_body_limit: api
                .actions
                .iter()
                .map(|a| body_limit(a.max_params_bytes, config.max_body_bytes))
                .max()
                .unwrap_or(config.max_body_bytes),
            receipts,
            config,
        })
    }

    /// Forgets spent nonces, rate-limit windows, the journal and the faults; the clock goes
    /// back to real time plus the configured offset.
    pub(crate) fn reset(&self) {
        self.nonces.clear();
        self.qps.clear();
        self.callees.clear();
        self.journal.clear();
        self.faults.clear();
        if let Some(r) = &self.receipts {
            r.outbox.clear();
        }
        self.clock.reset(self.config.clock_offset_ms);
    }

    /// The largest body a request of `action` may have: the action's limit, or the largest of
    /// all when the action is not known yet (it may be named in the body).
    pub(crate) fn body_limit(&self, action: Option<&str>) -> usize {
        action
            .and_then(|a| self.action_index(a))
            .map_or(self.largest_body_limit, |i| self.actions[i].body_limit)
    }

    fn action_index(&self, name: &str) -> Option<usize> {
        self.api
            .actions
            .binary_search_by(|a| a.meta.name.cmp(name))
            .ok()
    }

    /// Checks and answers one request, and journals it; what the request log says about it.
    pub(crate) fn handle(&self, request: &Incoming<'_>) -> (Outcome, Summary) {
        self.answer(request, None)
    }

    /// Answers `request` with `refusal` unchecked (the HTTP layer's own refusals: a full server,
    /// a body too large or too slow), and journals it with what its query and headers say.
    pub(crate) fn refuse(&self, request: &Incoming<'_>, refusal: Reject) -> (Outcome, Summary) {
        self.answer(request, Some(refusal))
    }

    fn answer(&self, request: &Incoming<'_>, refusal: Option<Reject>) -> (Outcome, Summary) {
        let seq = self.journal.next_seq();
        let now_ms = self.clock.now_ms();
        let mut entry = JournalEntry {
            seq,
            time_ms: now_ms,
            method: request.method.to_owned(),
            action: None,
            scheme: None,
            access_key_id: None,
            nonce: None,
            params: Vec::new(),
            params_total: 0,
            body_bytes: request.body_bytes,
            truncated: false,
            code: None,
            http_status: None,
            request_id: None,
            fault: None,
            warnings: Vec::new(),
            call_id: None,
        };
        let mut seen = Seen::default();
        let outcome = match refusal {
            None => self.process(request, now_ms, &mut entry, &mut seen),
            Some(refusal) => self.refused(request, &mut entry, &refusal),
        };
        if let Outcome::Answer {
            status, request_id, ..
        } = &outcome
        {
            entry.http_status = Some(*status);
            entry.request_id = Some(request_id.clone());
        }
        // Only a log reads the summary: nothing is copied for it when there is none.
        let summary = if self.config.request_log.is_on() {
            Summary {
                time_ms: now_ms,
                action: entry.action.clone(),
                callee: seen.callee,
                status: entry.http_status,
                code: entry.code.clone(),
                fault: entry.fault.clone(),
                note: seen.note,
            }
        } else {
            Summary::default()
        };
        self.journal.append(entry);
        (outcome, summary)
    }

    fn process(
        &self,
        request: &Incoming<'_>,
        now_ms: i64,
        entry: &mut JournalEntry,
        seen: &mut Seen,
    ) -> Outcome {
        let header = |name: &str| {
            request
                .headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| *v)
        };
        let mut format = default_format(header("accept"));
        let decoded = decode_params(request, header("content-type"));
        let (query, form) = match decoded {
            Ok(params) => params,
            Err(message) => return self.error(format, entry, &reject("InvalidParameter", message)),
        };
        let query_refs: Vec<(&str, &str)> = query
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let form_refs: Vec<(&str, &str)> =
            form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let received = Received {
            method: request.method,
            path: request.path,
            query: &query_refs,
            form: &form_refs,
            headers: &request.headers,
            body: request.body,
        };
        if let Some(asked) = received.param("Format").and_then(parse_format) {
            format = asked;
        }
        let named = header("x-acs-action").or_else(|| received.param("Action"));
        if let Some(index) = named.and_then(|a| self.action_index(a)) {
            let limit = self.actions[index].body_limit;
            if request.body_bytes > limit as u64 {
                entry.action = named.map(str::to_owned);
                self.journal_params(&received, Some(index), entry);
                let refusal = too_large(named, request.body_bytes, true, limit);
                return self.error(format, entry, &refusal);
            }
        }
        if !matches!(request.method, "GET" | "POST") {
            let message = format!(
                "The HTTP method {} is not supported; use GET or POST.",
                request.method
            );
            return self.error(format, entry, &reject("UnsupportedHTTPMethod", message));
        }
        let checked = self.check(&received, now_ms, entry, &mut format, seen);
        let action = entry.action.as_deref().and_then(|a| self.action_index(a));
        self.journal_params(&received, action, entry);
        match checked {
            Ok(admitted) => self.admitted(admitted, format, entry),
            Err(refusal) => {
                seen.note.clone_from(&refusal.note);
                self.error(format, entry, &refusal)
            }
        }
    }

    /// An unchecked refusal: the format, action and params its query and headers name.
    fn refused(
        &self,
        request: &Incoming<'_>,
        entry: &mut JournalEntry,
        refusal: &Reject,
    ) -> Outcome {
        let header = |name: &str| {
            request
                .headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| *v)
        };
        let query = parse_query(request.query).unwrap_or_default();
        let refs: Vec<(&str, &str)> = query
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let received = Received {
            method: request.method,
            path: request.path,
            query: &refs,
            form: &[],
            headers: &request.headers,
            body: &[],
        };
        let format = received
            .param("Format")
            .and_then(parse_format)
            .unwrap_or_else(|| default_format(header("accept")));
        let action = header("x-acs-action").or_else(|| received.param("Action"));
        entry.action = action.map(str::to_owned);
        self.journal_params(&received, action.and_then(|a| self.action_index(a)), entry);
        self.error(format, entry, refusal)
    }

    /// Gateway checks, then the action's own (steps 2 to 12).
    fn check(
        &self,
        received: &Received<'_>,
        now_ms: i64,
        entry: &mut JournalEntry,
        format: &mut Format,
        seen: &mut Seen,
    ) -> Result<Admitted, Reject> {
        let claims = verify::claims(received).map_err(|e| reject(e.code(), e.to_string()))?;
        entry.scheme = Some(claims.scheme.as_str().to_owned());
        entry.access_key_id = Some(claims.access_key_id.to_owned());
        entry.nonce = Some(claims.nonce.to_owned());
        let name = claims
            .action
            .ok_or_else(|| missing(popgen_runtime::sign::names::param::ACTION))?;
        entry.action = Some(name.to_owned());
        let index = self.route(&claims, name, format)?;
        self.authenticate(received, &claims, now_ms)?;
        let fault = self.faults.take(name).map(|(_, kind)| kind);
        let delay = match &fault {
            None => None,
            Some(FaultKind::Delay { ms }) => Some(Duration::from_millis(*ms)),
            // Handled in full; only the answer is lost.
            Some(FaultKind::Lost) => None,
            Some(other) => {
                entry.fault = Some(other.name().to_owned());
                let echo = Echo::default();
                return Ok(Admitted { index, fault, echo });
            }
        };
        entry.fault = fault.as_ref().map(|f| f.name().to_owned());
        let echo = self
            .admit(received, &claims, index, now_ms, entry, seen)
            .map_err(|refusal| Reject { delay, ..refusal })?;
        Ok(Admitted { index, fault, echo })
    }

    /// Step 3: the format, the action and the version.
    fn route(&self, claims: &Claims<'_>, name: &str, format: &mut Format) -> Result<usize, Reject> {
        if let Some(sent) = claims.format {
            *format = parse_format(sent).ok_or_else(|| {
                reject(
                    "InvalidParameter",
                    format!("Format: must be one of: JSON, XML (any case), got \"{sent}\""),
                )
            })?;
        }
        let index = self.action_index(name).ok_or_else(|| {
            Reject::new(
                404,
                "InvalidApi.NotFound",
                format!(
                    "Specified api is not found, please check your url and method. (Action \"{name}\" is not an action of {} {}.)",
                    self.api.product, self.api.version
                ),
            )
        })?;
        let version = claims.version.ok_or_else(|| missing("Version"))?;
        if version != self.api.version {
            return Err(reject(
                "InvalidVersion",
                format!(
                    "Specified parameter Version is not valid: \"{version}\" (this API is {}).",
                    self.api.version
                ),
            ));
        }
        Ok(index)
    }

    /// Steps 4 to 8: key, timestamp form, signature, skew, nonce.
    fn authenticate(
        &self,
        received: &Received<'_>,
        claims: &Claims<'_>,
        now_ms: i64,
    ) -> Result<(), Reject> {
        let secret = self.secrets.get(claims.access_key_id).ok_or_else(|| {
            reject(
                "InvalidAccessKeyId.NotFound",
                format!(
                    "Specified access key is not found: \"{}\".",
                    claims.access_key_id
                ),
            )
        })?;
        if popgen_runtime::calendar::parse_utc(claims.timestamp).is_none() {
            let e = verify::TimestampError::Format(claims.timestamp.to_owned());
            return Err(reject(e.code(), e.to_string()));
        }
        verify::verify(received, claims, secret.expose())
            .map_err(|e| reject(e.code(), e.to_string()))?;
        let now_secs = u64::try_from(now_ms.div_euclid(1000)).unwrap_or(0);
        verify::check_timestamp(claims.timestamp, now_secs, self.config.max_skew.as_secs())
            .map_err(|e| reject(e.code(), e.to_string()))?;
        if !self.nonces.spend(claims.nonce, now_ms) {
            return Err(reject(
                "SignatureNonceUsed",
                format!(
                    "Specified signature nonce was used already: \"{}\".",
                    claims.nonce
                ),
            ));
        }
        Ok(())
    }

    /// Steps 10 to 12: validation, QPS, callee limits; what a placed call's receipts echo.
    fn admit(
        &self,
        received: &Received<'_>,
        claims: &Claims<'_>,
        index: usize,
        now_ms: i64,
        entry: &mut JournalEntry,
        seen: &mut Seen,
    ) -> Result<Echo, Reject> {
        let action = &self.api.actions[index];
        let declared = &self.actions[index].declared;
        let params: Vec<(&str, &str)> = received
            .query
            .iter()
            .chain(received.form)
            .copied()
            // A gateway param the action declares itself (RegionId of Dysmsapi's tag actions)
            // is the action's.
            .filter(|(k, _)| !verify::is_common_param(k) || declared.contains(k))
            .filter(|(k, _)| !SDK_OWNER_PARAMS.contains(k) || declared.contains(k))
            .collect();
        if let Some(limit) = action.meta.callee_limit {
            seen.callee = params
                .iter()
                .find(|(k, _)| *k == limit.param)
                .map(|(_, v)| mask(v));
        }
        let (canonical, report) = (action.parse_params)(&params);
        let reject_unknown = self.config.reject_unknown_params;
        let errors: Vec<&Violation> = report
            .errors()
            .filter(|v| reject_unknown || v.rule != Rule::Unknown)
            .collect();
        entry.warnings = report
            .violations()
            .iter()
            .filter(|v| v.severity == Severity::Warning)
            .map(ToString::to_string)
            .collect();
        if !errors.is_empty() {
            let only_missing = errors.iter().all(|v| v.rule == Rule::Required);
            let code = if only_missing {
                "MissingParameter"
            } else {
                "InvalidParameter"
            };
            let mut lines: Vec<String> = errors
                .iter()
                .take(MAX_PROBLEM_LINES)
                .map(ToString::to_string)
                .collect();
            if errors.len() > MAX_PROBLEM_LINES {
                lines.push(format!(
                    "… and {} more problems",
                    errors.len() - MAX_PROBLEM_LINES
                ));
            }
            return Err(reject(code, lines.join("\n")));
        }
        self.limit(&params, claims, action, now_ms)?;
        let value = |name: Option<&str>| {
            let name = name?;
            params
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        };
        Ok(Echo {
            out_id: value(action.meta.idempotency_param),
            callee: value(action.meta.callee_limit.map(|l| l.param)),
            withheld: withheld(action, canonical.as_deref()),
        })
    }

    fn limit(
        &self,
        params: &[(&str, &str)],
        claims: &Claims<'_>,
        action: &ActionEntry,
        now_ms: i64,
    ) -> Result<(), Reject> {
        let meta = action.meta;
        if let Some(qps) = meta.qps_per_user.filter(|_| self.config.enforce_qps) {
            if !self.qps.admit(claims.access_key_id, meta.name, qps, now_ms) {
                return Err(reject(
                    "Throttling.User",
                    format!(
                        "Request was denied due to user flow control: at most {qps} {} calls per second per user.",
                        meta.name
                    ),
                ));
            }
        }
        let Some(limit) = meta
            .callee_limit
            .filter(|_| self.config.enforce_callee_limits)
        else {
            return Ok(());
        };
        let Some(callee) = params
            .iter()
            .find(|(k, _)| *k == limit.param)
            .map(|(_, v)| *v)
        else {
            return Ok(());
        };
        self.callees
            .admit(meta.name, callee, &limit, now_ms)
            .map_err(|refusal| {
                let frees = timestamp_ms(refusal.frees_at_ms);
                let wait = (refusal.frees_at_ms - now_ms + 999) / 1000;
                let rate = refusal.rate();
                Reject {
                    note: Some(format!(
                        "{rate} for this callee; frees at {frees} (in {wait} s)"
                    )),
                    ..reject(
                        "isv.BUSINESS_LIMIT_CONTROL",
                        format!(
                            "Business flow control: this callee ({}) has had {} {} calls in the last {}, the most allowed ({rate}); it can be called again at {frees}, in {wait} s.",
                            limit.param, refusal.limit, meta.name, refusal.window
                        ),
                    )
                }
            })
    }

    /// Step 13, or the fault that replaces it.
    fn admitted(
        &self,
        mut admitted: Admitted,
        format: Format,
        entry: &mut JournalEntry,
    ) -> Outcome {
        let fault = admitted.fault.take();
        let action = &self.api.actions[admitted.index];
        let request_id = self.ids.next();
        let success = |delay, entry: &mut JournalEntry| {
            let call_id = self.place_call(&admitted, entry);
            Outcome::Answer {
                status: 200,
                format,
                body: self.actions[admitted.index].success.render(
                    format,
                    &request_id,
                    call_id.as_deref().unwrap_or_default(),
                ),
                request_id: request_id.clone(),
                delay,
            }
        };
        let success_code = Some(action.meta.success_code.to_owned());
        match fault {
            None => {
                entry.code = success_code;
                success(None, entry)
            }
            Some(FaultKind::Delay { ms }) => {
                entry.code = success_code;
                success(Some(Duration::from_millis(ms)), entry)
            }
            Some(FaultKind::Drop) => Outcome::Drop("drop"),
            Some(FaultKind::Lost) => {
                entry.code = success_code;
                // The call is placed (and its receipts queued); no answer is written.
                let _call_id = self.place_call(&admitted, entry);
                Outcome::Drop("lost")
            }
            Some(FaultKind::Stall { ms }) => {
                Outcome::Stall(Duration::from_millis(ms.min(MAX_STALL_MS)))
            }
            Some(FaultKind::Malformed) => {
                entry.code = success_code;
                // The fault skips the params' checks, so it places no call (and sends no receipt).
                let full = self.actions[admitted.index]
                    .success
                    .render(format, &request_id, "");
                let mut cut = full.len() / 2;
                while !full.is_char_boundary(cut) {
                    cut -= 1;
                }
                Outcome::Answer {
                    status: 200,
                    format,
                    body: full[..cut].to_owned(),
                    request_id,
                    delay: None,
                }
            }
            Some(FaultKind::Error {
                code,
                status,
                message,
            }) => {
                let status = status.unwrap_or(match code.as_str() {
                    "InternalError" => 500,
                    "ServiceUnavailable" => 503,
                    _ => 400,
                });
                let message = message
                    .unwrap_or_else(|| format!("Injected fault: {code} for {}.", action.meta.name));
                let refusal = Reject::new(status, code, message);
                self.error(format, entry, &refusal)
            }
        }
    }

    /// For an action whose calls the mock sends receipts for: a fresh call ID, journaled, and
    /// the call's records queued.
    fn place_call(&self, admitted: &Admitted, entry: &mut JournalEntry) -> Option<String> {
        let receipts = self.receipts.as_ref()?;
        if !self.actions[admitted.index].places_calls {
            return None;
        }
        let (call_id, n) = receipts.next_call();
        let call = PlacedCall {
            call_id: &call_id,
            out_id: admitted.echo.out_id.as_deref(),
            callee: admitted.echo.callee.as_deref(),
            placed_ms: entry.time_ms,
            withheld: &admitted.echo.withheld,
        };
        receipts.place(self.api, &self.api.actions[admitted.index], &call, n);
        entry.call_id = Some(call_id.clone());
        Some(call_id)
    }

    fn error(&self, format: Format, entry: &mut JournalEntry, refusal: &Reject) -> Outcome {
        let request_id = self.ids.next();
        let recommend = format!(
            "https://api.aliyun.com/troubleshoot?q={}&product={}&requestId={request_id}",
            refusal.code, self.api.product
        );
        let body = ErrorBody {
            request_id: &request_id,
            host_id: self.api.endpoint,
            code: &refusal.code,
            message: &refusal.message,
            recommend: &recommend,
        }
        .render(format);
        entry.code = Some(refusal.code.clone().into_owned());
        Outcome::Answer {
            status: refusal.status,
            format,
            body,
            request_id,
            delay: refusal.delay,
        }
    }

    /// Every param that arrived, `SecurityToken` and the action's sensitive params redacted, as
    /// much of them as an entry keeps.
    fn journal_params(
        &self,
        received: &Received<'_>,
        action: Option<usize>,
        entry: &mut JournalEntry,
    ) {
        let state = action.map(|i| &self.actions[i]);
        let arrived = received.query.len() + received.form.len();
        let mut kept = KeptParams::with_capacity(arrived);
        for &(k, v) in received.query.iter().chain(received.form) {
            let secret = k == SECURITY_TOKEN_PARAM || state.is_some_and(|s| (s.is_sensitive)(k));
            kept.push(k, if secret { REDACTED } else { v });
        }
        entry.params = kept.params;
        entry.params_total = kept.total;
        entry.truncated |= kept.truncated;
    }
}

/// The format when the request does not say: JSON when it accepts JSON (the V3 SDKs send
/// `accept: application/json`), else XML, the gateway's default.
fn default_format(accept: Option<&str>) -> Format {
    match accept {
        Some(a) if a.to_ascii_lowercase().contains("json") => Format::Json,
        _ => Format::Xml,
    }
}

/// `Format`, in any case (the current SDK sends `json`, the legacy one `JSON`).
fn parse_format(sent: &str) -> Option<Format> {
    if sent.eq_ignore_ascii_case("json") {
        Some(Format::Json)
    } else if sent.eq_ignore_ascii_case("xml") {
        Some(Format::Xml)
    } else {
        None
    }
}

type Pairs = Vec<(String, String)>;

/// Decodes the query string, and the body when it is a form.
fn decode_params(
    request: &Incoming<'_>,
    content_type: Option<&str>,
) -> Result<(Pairs, Pairs), String> {
    let query = parse_query(request.query)
        .map_err(|e| format!("The query string is not well encoded: {e}."))?;
    let is_form = content_type.is_some_and(|ct| {
        ct.split(';')
            .next()
            .is_some_and(|t| t.trim().eq_ignore_ascii_case(FORM_CONTENT_TYPE))
    });
    if !is_form || request.body.is_empty() {
        return Ok((query, Vec::new()));
    }
    let body = std::str::from_utf8(request.body)
        .map_err(|e| format!("The form body is not UTF-8: {e}."))?;
    let form = parse_query(body).map_err(|e| format!("The form body is not well encoded: {e}."))?;
    Ok((query, form))
}

/// The receipt messages `action` lists with a condition the request did not meet, judged on its
/// params as the client would send them (`params`, re-encoded by the request type: `True`, the
/// official Python SDK's spelling, reads as `true`).
fn withheld(action: &ActionEntry, params: Option<&[(String, String)]>) -> Vec<&'static str> {
    // Most actions list no conditional message: nothing to judge, nothing to allocate.
    if action.receipts.iter().all(|r| r.when.is_none()) {
        return Vec::new();
    }
    let pairs: Vec<(&str, &str)> = params
        .unwrap_or_default()
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    action
        .receipts
        .iter()
        .filter(|r| !r.sent_for(&pairs))
        .map(|r| r.message)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_defaults_follow_accept_then_xml() {
        assert_eq!(default_format(Some("application/json")), Format::Json);
        assert_eq!(default_format(Some("*/*")), Format::Xml);
        assert_eq!(default_format(None), Format::Xml);
        assert_eq!(parse_format("json"), Some(Format::Json));
        assert_eq!(parse_format("Xml"), Some(Format::Xml));
        assert_eq!(parse_format("yaml"), None);
    }
}
