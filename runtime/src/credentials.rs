//! Where AccessKeys come from: explicit values, the environment, and the files of Alibaba Cloud's
//! official tooling, tried in the official default chain's order.
//!
//! The chain ([`resolve`]) follows `aliyun/credentials-go`'s default provider:
//!
//! 1. environment: `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, and
//!    `ALIBABA_CLOUD_SECURITY_TOKEN` for STS;
//! 2. OIDC (RRSA): not supported, reported as skipped;
//! 3. the CLI profile in `~/.aliyun/config.json` (profile `ALIBABA_CLOUD_PROFILE`, else the file's
//!    `current`; modes `AK` and `StsToken`; skipped when `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true`);
//! 4. the INI file `~/.alibabacloud/credentials` (or `ALIBABA_CLOUD_CREDENTIALS_FILE`; profile
//!    `ALIBABA_CLOUD_PROFILE`, else `default`; `type = access_key` or `sts`);
//! 5. ECS instance RAM role and 6. credentials URI: need the network, not supported, reported.
//!
//! When nothing is found, the error lists every source with why it gave nothing. A file that
//! exists but cannot be parsed stops the chain with an error naming the file and line. No secret
//! ever reaches a `Debug` output or an error message.
//!
//! The chain reads the environment and the home directory only through [`CredentialSources`], so
//! tests can pass their own.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::secret::Secret;

/// `ALIBABA_CLOUD_ACCESS_KEY_ID`.
pub const ENV_ACCESS_KEY_ID: &str = "ALIBABA_CLOUD_ACCESS_KEY_ID";
/// `ALIBABA_CLOUD_ACCESS_KEY_SECRET`.
pub const ENV_ACCESS_KEY_SECRET: &str = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";
/// `ALIBABA_CLOUD_SECURITY_TOKEN`.
pub const ENV_SECURITY_TOKEN: &str = "ALIBABA_CLOUD_SECURITY_TOKEN";
/// `ALIBABA_CLOUD_PROFILE`: the profile to use in either file.
pub const ENV_PROFILE: &str = "ALIBABA_CLOUD_PROFILE";
/// `ALIBABA_CLOUD_CLI_PROFILE_DISABLED`: `true` skips `~/.aliyun/config.json`.
pub const ENV_CLI_PROFILE_DISABLED: &str = "ALIBABA_CLOUD_CLI_PROFILE_DISABLED";
/// `ALIBABA_CLOUD_CREDENTIALS_FILE`: overrides the INI file's path.
pub const ENV_CREDENTIALS_FILE: &str = "ALIBABA_CLOUD_CREDENTIALS_FILE";

/// An AccessKey pair, with an STS token for temporary credentials. `Debug` shows the AccessKey ID
/// only.
///
/// ```
/// use popgen_runtime::credentials::Credentials;
/// let c = Credentials::new("LTAIexample", "s3cret").with_security_token("t0ken");
/// let shown = format!("{c:?}");
/// assert!(shown.contains("LTAIexample") && !shown.contains("s3cret") && !shown.contains("t0ken"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The AccessKey ID (not secret: it is sent with every request).
    pub access_key_id: String,
    /// The AccessKey secret.
    pub access_key_secret: Secret,
    /// The STS security token, for temporary credentials.
    pub security_token: Option<Secret>,
}

impl Credentials {
    /// Long-term AccessKey credentials.
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<Secret>) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            access_key_secret: access_key_secret.into(),
            security_token: None,
        }
    }

    /// The same credentials with an STS token.
    pub fn with_security_token(mut self, token: impl Into<Secret>) -> Self {
        self.security_token = Some(token.into());
        self
    }

    /// The security token's value, if any (for signing).
    pub fn security_token(&self) -> Option<&str> {
        self.security_token.as_ref().map(Secret::expose)
    }

    /// What the V3 signer sends as `x-acs-credentials-provider`: `static_sts` or `static_ak`.
    pub fn provider_name(&self) -> &'static str {
        if self.security_token.is_some() {
            "static_sts"
        } else {
            "static_ak"
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &self.access_key_secret)
            .field("security_token", &self.security_token)
            .finish()
    }
}

/// What the chain reads: an environment lookup and the home directory.
pub struct CredentialSources<'a> {
    /// Looks up an environment variable.
    pub env: &'a dyn Fn(&str) -> Option<String>,
    /// The home directory (`~`); `None` skips the two files unless their paths are overridden.
    pub home: Option<PathBuf>,
}

fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

impl CredentialSources<'static> {
    /// The real process environment, and `$HOME` (or `%USERPROFILE%`) as the home directory.
    pub fn from_process() -> Self {
        let home = process_env("HOME")
            .or_else(|| process_env("USERPROFILE"))
            .filter(|h| !h.is_empty())
            .map(PathBuf::from);
        Self {
            env: &process_env,
            home,
        }
    }
}

impl CredentialSources<'_> {
    /// A variable's value, with unset and empty treated alike.
    fn var(&self, name: &str) -> Option<String> {
        (self.env)(name).filter(|v| !v.is_empty())
    }
}

/// Credentials and a description of where they were found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// The credentials.
    pub credentials: Credentials,
    /// Where they came from, e.g. `environment` or `CLI profile "dev" in /home/u/.aliyun/config.json`.
    pub source: String,
}

/// One source the chain tried, and why it gave nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// The source, e.g. `environment`.
    pub source: &'static str,
    /// Why it gave nothing.
    pub reason: String,
}

/// Why no credentials could be had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialsError {
    /// Every source was tried and none had credentials.
    NotFound {
        /// Each source, in chain order, with its reason.
        attempts: Vec<Attempt>,
    },
    /// A credentials file exists but cannot be used as it is.
    File {
        /// The file.
        path: PathBuf,
        /// 1-based line, when the problem has one.
        line: Option<usize>,
        /// What is wrong (never a value from the file).
        message: String,
    },
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotFound { attempts } => {
                f.write_str("no Alibaba Cloud credentials found; tried, in order:")?;
                for a in attempts {
                    write!(f, "\n  - {}: {}", a.source, a.reason)?;
                }
                Ok(())
            }
            Self::File {
                path,
                line: Some(line),
                message,
            } => write!(f, "{}:{line}: {message}", path.display()),
            Self::File {
                path,
                line: None,
                message,
            } => write!(f, "{}: {message}", path.display()),
        }
    }
}

impl std::error::Error for CredentialsError {}

/// What one source gave: credentials, nothing (with the reason), or a hard error.
enum Outcome {
    Found(Resolved),
    Skipped(String),
}

type SourceFn = fn(&CredentialSources<'_>) -> Result<Outcome, CredentialsError>;

/// The chain, in order, with the names [`Attempt::source`] uses.
const CHAIN: [(&str, SourceFn); 6] = [
    ("environment", from_env_source),
    ("OIDC (RRSA)", oidc_source),
    ("CLI profile (~/.aliyun/config.json)", cli_profile_source),
    ("credentials file (~/.alibabacloud/credentials)", ini_source),
    ("ECS instance RAM role", ecs_source),
    ("credentials URI", uri_source),
];

/// Runs the default chain over `sources`; the first source with credentials wins.
///
/// ```
/// use popgen_runtime::credentials::{resolve, CredentialSources};
/// let env = |name: &str| match name {
///     "ALIBABA_CLOUD_ACCESS_KEY_ID" => Some("LTAIexample".to_owned()),
///     "ALIBABA_CLOUD_ACCESS_KEY_SECRET" => Some("s3cret".to_owned()),
///     _ => None,
/// };
/// let found = resolve(&CredentialSources { env: &env, home: None }).unwrap();
/// assert_eq!(found.source, "environment");
/// assert_eq!(found.credentials.access_key_secret.expose(), "s3cret");
/// ```
pub fn resolve(sources: &CredentialSources<'_>) -> Result<Resolved, CredentialsError> {
    let mut attempts = Vec::new();
    for (source, try_source) in CHAIN {
        match try_source(sources)? {
            Outcome::Found(resolved) => {
                tracing::debug!(source = %resolved.source, access_key_id = %resolved.credentials.access_key_id, "popgen credentials found");
                return Ok(resolved);
            }
            Outcome::Skipped(reason) => attempts.push(Attempt { source, reason }),
        }
    }
    Err(CredentialsError::NotFound { attempts })
}

/// [`resolve`] over the real process environment and home directory.
pub fn resolve_from_process() -> Result<Resolved, CredentialsError> {
    resolve(&CredentialSources::from_process())
}

/// The environment source alone: `Ok(None)` when neither variable is set, an error when only one
/// of the pair is.
pub fn from_env(env: &dyn Fn(&str) -> Option<String>) -> Result<Option<Credentials>, String> {
    let get = |name: &str| env(name).filter(|v| !v.is_empty());
    match (get(ENV_ACCESS_KEY_ID), get(ENV_ACCESS_KEY_SECRET)) {
        (Some(id), Some(secret)) => {
            let creds = Credentials::new(id, secret);
            Ok(Some(match get(ENV_SECURITY_TOKEN) {
                Some(token) => creds.with_security_token(token),
                None => creds,
            }))
        }
        (None, None) => Ok(None),
        (Some(_), None) => Err(format!(
            "{ENV_ACCESS_KEY_ID} is set but {ENV_ACCESS_KEY_SECRET} is not"
        )),
        (None, Some(_)) => Err(format!(
            "{ENV_ACCESS_KEY_SECRET} is set but {ENV_ACCESS_KEY_ID} is not"
        )),
    }
}

fn from_env_source(sources: &CredentialSources<'_>) -> Result<Outcome, CredentialsError> {
    Ok(match from_env(sources.env) {
        Ok(Some(credentials)) => Outcome::Found(Resolved {
            credentials,
            source: "environment".to_owned(),
        }),
        Ok(None) => Outcome::Skipped(format!(
            "{ENV_ACCESS_KEY_ID} and {ENV_ACCESS_KEY_SECRET} are not set"
        )),
        Err(reason) => Outcome::Skipped(reason),
    })
}

fn oidc_source(sources: &CredentialSources<'_>) -> Result<Outcome, CredentialsError> {
    const VARS: [&str; 3] = [
        "ALIBABA_CLOUD_ROLE_ARN",
        "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
        "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
    ];
    let set = VARS.iter().filter(|v| sources.var(v).is_some()).count();
    Ok(Outcome::Skipped(if set == VARS.len() {
        "configured, but not supported by popgen (it needs a call to STS); set the AccessKey variables instead".to_owned()
    } else {
        format!(
            "not supported by popgen (and not configured: needs {})",
            VARS.join(", ")
        )
    }))
}

fn ecs_source(sources: &CredentialSources<'_>) -> Result<Outcome, CredentialsError> {
    Ok(Outcome::Skipped(match sources.var("ALIBABA_CLOUD_ECS_METADATA") {
        Some(_) => "ALIBABA_CLOUD_ECS_METADATA is set, but popgen does not query the instance metadata service".to_owned(),
        None => "not supported by popgen (needs the instance metadata service)".to_owned(),
    }))
}

fn uri_source(sources: &CredentialSources<'_>) -> Result<Outcome, CredentialsError> {
    Ok(Outcome::Skipped(match sources.var("ALIBABA_CLOUD_CREDENTIALS_URI") {
        Some(_) => "ALIBABA_CLOUD_CREDENTIALS_URI is set, but popgen does not fetch credentials over HTTP".to_owned(),
        None => "ALIBABA_CLOUD_CREDENTIALS_URI is not set".to_owned(),
    }))
}

/// Reads a file; `Ok(None)` if it does not exist.
fn read_optional(path: &Path) -> Result<Option<String>, CredentialsError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(CredentialsError::File {
            path: path.to_owned(),
            line: None,
            message: format!("cannot read: {e}"),
        }),
    }
}

fn cli_profile_source(sources: &CredentialSources<'_>) -> Result<Outcome, CredentialsError> {
    if sources
        .var(ENV_CLI_PROFILE_DISABLED)
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    {
        return Ok(Outcome::Skipped(format!(
            "disabled by {ENV_CLI_PROFILE_DISABLED}=true"
        )));
    }
    let Some(home) = &sources.home else {
        return Ok(Outcome::Skipped("no home directory".to_owned()));
    };
    let path = home.join(".aliyun").join("config.json");
    let Some(text) = read_optional(&path)? else {
        return Ok(Outcome::Skipped(format!(
            "{} does not exist",
            path.display()
        )));
    };
    cli_profile(&path, &text, sources.var(ENV_PROFILE).as_deref())
}

/// Picks a profile out of the CLI's `config.json` text. Errors never quote values from the file.
fn cli_profile(path: &Path, text: &str, wanted: Option<&str>) -> Result<Outcome, CredentialsError> {
    let file_error = |line, message: String| CredentialsError::File {
        path: path.to_owned(),
        line,
        message,
    };
    // Parse into an untyped value first: serde_json's syntax errors carry a line and no content,
    // while its type errors would quote the value (which may be a secret).
    let root: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        file_error(
            Some(e.line()),
            format!(
                "invalid JSON ({:?} error at column {})",
                e.classify(),
                e.column()
            ),
        )
    })?;
    let name = match wanted {
        Some(name) => name.to_owned(),
        None => match root.get("current").and_then(|v| v.as_str()) {
            Some(name) if !name.is_empty() => name.to_owned(),
            _ => {
                return Ok(Outcome::Skipped(format!(
                    "{ENV_PROFILE} is not set and {} has no `current` profile",
                    path.display()
                )));
            }
        },
    };
    let profiles = root.get("profiles").and_then(|p| p.as_array());
    let Some(profile) = profiles
        .into_iter()
        .flatten()
        .find(|p| p.get("name").and_then(|n| n.as_str()) == Some(&name))
    else {
        return Ok(Outcome::Skipped(format!(
            "no profile named {name:?} in {}",
            path.display()
        )));
    };
    let field = |key: &str| {
        profile
            .get(key)
            .and_then(|v| v.as_str())
            .filter(|v| !v.is_empty())
    };
    let mode = field("mode").unwrap_or("AK");
    let needed: &[&str] = match mode {
        "AK" => &["access_key_id", "access_key_secret"],
        "StsToken" => &["access_key_id", "access_key_secret", "sts_token"],
        other => {
            return Ok(Outcome::Skipped(format!(
                "profile {name:?} in {} has mode {other:?}; popgen supports AK and StsToken",
                path.display()
            )));
        }
    };
    if let Some(missing) = needed.iter().find(|k| field(k).is_none()) {
        return Err(file_error(
            None,
            format!("profile {name:?} (mode {mode}) has no `{missing}`"),
        ));
    }
    let mut credentials = Credentials::new(
        field("access_key_id").unwrap_or_default(),
        field("access_key_secret").unwrap_or_default(),
    );
    if mode == "StsToken" {
        credentials = credentials.with_security_token(field("sts_token").unwrap_or_default());
    }
    Ok(Outcome::Found(Resolved {
        credentials,
        source: format!("CLI profile {name:?} in {}", path.display()),
    }))
}

fn ini_source(sources: &CredentialSources<'_>) -> Result<Outcome, CredentialsError> {
    let (path, overridden) = match sources.var(ENV_CREDENTIALS_FILE) {
        Some(p) => (PathBuf::from(p), true),
        None => match &sources.home {
            Some(home) => (home.join(".alibabacloud").join("credentials"), false),
            None => return Ok(Outcome::Skipped("no home directory".to_owned())),
        },
    };
    let Some(text) = read_optional(&path)? else {
        let how = if overridden {
            format!(" (from {ENV_CREDENTIALS_FILE})")
        } else {
            String::new()
        };
        return Ok(Outcome::Skipped(format!(
            "{}{how} does not exist",
            path.display()
        )));
    };
    let name = sources
        .var(ENV_PROFILE)
        .unwrap_or_else(|| "default".to_owned());
    ini_profile(&path, &text, &name)
}

/// Picks a profile out of the INI credentials file's text.
fn ini_profile(path: &Path, text: &str, name: &str) -> Result<Outcome, CredentialsError> {
    let file_error = |line, message: String| CredentialsError::File {
        path: path.to_owned(),
        line,
        message,
    };
    let sections = ini::parse(text).map_err(|e| file_error(Some(e.line), e.message.to_owned()))?;
    let Some(section) = sections.iter().find(|s| s.name == name) else {
        return Ok(Outcome::Skipped(format!(
            "no [{name}] section in {}",
            path.display()
        )));
    };
    let kind = section.get("type").unwrap_or("access_key");
    let needed: &[&str] = match kind {
        "access_key" => &["access_key_id", "access_key_secret"],
        "sts" => &["access_key_id", "access_key_secret", "security_token"],
        other => {
            return Ok(Outcome::Skipped(format!(
                "[{name}] in {} has type {other:?}; popgen supports access_key and sts",
                path.display()
            )));
        }
    };
    if let Some(missing) = needed
        .iter()
        .find(|k| section.get(k).is_none_or(str::is_empty))
    {
        return Err(file_error(
            Some(section.line),
            format!("[{name}] (type {kind}) has no `{missing}`"),
        ));
    }
    let get = |k: &str| section.get(k).unwrap_or_default();
    let mut credentials = Credentials::new(get("access_key_id"), get("access_key_secret"));
    if kind == "sts" {
        credentials = credentials.with_security_token(get("security_token"));
    }
    Ok(Outcome::Found(Resolved {
        credentials,
        source: format!("profile [{name}] in {}", path.display()),
    }))
}

/// The small INI dialect of `~/.alibabacloud/credentials`: `[section]` headers, `key = value`
/// lines, whole-line comments starting with `#` or `;`, blank lines.
mod ini {
    pub(super) struct Section<'a> {
        pub(super) name: &'a str,
        /// 1-based line of the `[name]` header.
        pub(super) line: usize,
        entries: Vec<(&'a str, &'a str)>,
    }

    impl<'a> Section<'a> {
        /// The last value given for `key`.
        pub(super) fn get(&self, key: &str) -> Option<&'a str> {
            self.entries
                .iter()
                .rev()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| *v)
        }
    }

    pub(super) struct Error {
        pub(super) line: usize,
        pub(super) message: &'static str,
    }

    pub(super) fn parse(text: &str) -> Result<Vec<Section<'_>>, Error> {
        let mut sections: Vec<Section<'_>> = Vec::new();
        for (index, raw) in text.lines().enumerate() {
            let line = index + 1;
            let trimmed = raw.trim().trim_start_matches('\u{feff}');
            if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
                continue;
            }
            if let Some(header) = trimmed.strip_prefix('[') {
                let name = header.strip_suffix(']').ok_or(Error {
                    line,
                    message: "section header lacks a closing `]`",
                })?;
                let name = name.trim();
                if name.is_empty() {
                    return Err(Error {
                        line,
                        message: "empty section name",
                    });
                }
                sections.push(Section {
                    name,
                    line,
                    entries: Vec::new(),
                });
                continue;
            }
            let (key, value) = trimmed.split_once('=').ok_or(Error {
                line,
                message: "expected `key = value`, `[section]` or a comment",
            })?;
            let section = sections.last_mut().ok_or(Error {
                line,
                message: "`key = value` before any `[section]`",
            })?;
            let key = key.trim();
            if key.is_empty() {
                return Err(Error {
                    line,
                    message: "empty key before `=`",
                });
            }
            section.entries.push((key, unquote(value.trim())));
        }
        Ok(sections)
    }

    /// Strips one pair of matching surrounding quotes, as Python's and Go's INI readers accept.
    fn unquote(value: &str) -> &str {
        for q in ['"', '\''] {
            if let Some(inner) = value.strip_prefix(q).and_then(|v| v.strip_suffix(q)) {
                return inner;
            }
        }
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ini_errors_carry_the_line_and_no_content() {
        let err = ini::parse("[default]\naccess_key_id = x\nhunter2\n")
            .err()
            .unwrap();
        assert_eq!(
            (err.line, err.message),
            (3, "expected `key = value`, `[section]` or a comment")
        );
        assert_eq!(ini::parse("k = v").err().unwrap().line, 1);
        assert_eq!(ini::parse("\n[oops").err().unwrap().line, 2);
    }

    #[test]
    fn ini_reads_sections_comments_and_quotes() {
        let sections = ini::parse("# c\n; c\n[a]\nk = \"v 1\"\n\n[ b ]\nk=2\nk = 3\n")
            .ok()
            .unwrap();
        assert_eq!(sections.len(), 2);
        assert_eq!(
            (sections[0].name, sections[0].line, sections[0].get("k")),
            ("a", 3, Some("v 1"))
        );
        assert_eq!((sections[1].name, sections[1].get("k")), ("b", Some("3")));
    }
}
