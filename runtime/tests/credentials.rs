//! The credentials chain: each source, their order, and errors a person can act on.
//!
//! Every test passes its own environment and home directory, so none reads the real ones.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use popgen_runtime::credentials::{
    CredentialSources, Credentials, CredentialsError, Resolved, resolve,
};

const ID: &str = "LTAI5tExampleKeyId00";
const SECRET: &str = "Sup3rS3cretValue+/=";
const TOKEN: &str = "CAIS-sts-token+/=";

/// A fresh, empty home directory for one test.
fn home(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("credentials-tests")
        .join(test);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("create temp home");
    dir
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().expect("has parent")).expect("create dir");
    fs::write(path, text).expect("write file");
}

fn run(env: &[(&str, &str)], home: Option<&Path>) -> Result<Resolved, CredentialsError> {
    let vars: HashMap<String, String> = env
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let lookup = move |name: &str| vars.get(name).cloned();
    resolve(&CredentialSources {
        env: &lookup,
        home: home.map(Path::to_owned),
    })
}

/// The Debug output, which must never show the secret or token, for snapshots.
fn shown(credentials: &Credentials) -> String {
    let text = format!("{credentials:#?}");
    assert!(!text.contains(SECRET) && !text.contains(TOKEN), "{text}");
    text
}

fn cli_config(home: &Path, text: &str) {
    write(&home.join(".aliyun/config.json"), text);
}

fn ini(home: &Path, text: &str) {
    write(&home.join(".alibabacloud/credentials"), text);
}

const CLI_JSON: &str = r#"{
  "current": "dev",
  "profiles": [
    {"name": "dev", "mode": "AK", "access_key_id": "LTAI5tExampleKeyId00", "access_key_secret": "Sup3rS3cretValue+/=", "region_id": "cn-hangzhou"},
    {"name": "sts", "mode": "StsToken", "access_key_id": "STS.id", "access_key_secret": "Sup3rS3cretValue+/=", "sts_token": "CAIS-sts-token+/="},
    {"name": "role", "mode": "RamRoleArn", "access_key_id": "x", "access_key_secret": "y", "ram_role_arn": "acs:ram::1:role/r"}
  ]
}"#;

const INI: &str = "# shared by Alibaba Cloud tools\n\
[default]\n\
type = access_key\n\
access_key_id = LTAI5tExampleKeyId00\n\
access_key_secret = Sup3rS3cretValue+/=\n\
\n\
; temporary\n\
[project]\n\
type = sts\n\
access_key_id = STS.project\n\
access_key_secret = Sup3rS3cretValue+/=\n\
security_token = CAIS-sts-token+/=\n\
\n\
[ecs]\n\
type = ecs_ram_role\n\
role_name = r\n";

#[test]
fn environment_access_key() {
    let found = run(
        &[
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", ID),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET),
        ],
        None,
    )
    .expect("found");
    assert_eq!(found.source, "environment");
    assert_eq!(found.credentials.access_key_secret.expose(), SECRET);
    assert_eq!(found.credentials.provider_name(), "static_ak");
    insta::assert_snapshot!("env_access_key", shown(&found.credentials));
}

#[test]
fn environment_sts() {
    let found = run(
        &[
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", ID),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET),
            ("ALIBABA_CLOUD_SECURITY_TOKEN", TOKEN),
        ],
        None,
    )
    .expect("found");
    assert_eq!(found.credentials.security_token(), Some(TOKEN));
    assert_eq!(found.credentials.provider_name(), "static_sts");
    insta::assert_snapshot!("env_sts", shown(&found.credentials));
}

#[test]
fn environment_beats_both_files() {
    let home = home("env_first");
    cli_config(&home, CLI_JSON);
    ini(&home, INI);
    let found = run(
        &[
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "from-env"),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET),
        ],
        Some(&home),
    )
    .expect("found");
    assert_eq!(found.credentials.access_key_id, "from-env");
}

#[test]
fn cli_profile_current_then_named_sts() {
    let home = home("cli");
    cli_config(&home, CLI_JSON);
    ini(&home, INI);
    let found = run(&[], Some(&home)).expect("found");
    assert_eq!(
        found.source,
        format!(
            "CLI profile \"dev\" in {}",
            home.join(".aliyun/config.json").display()
        )
    );
    insta::assert_snapshot!("cli_profile_ak", shown(&found.credentials));

    let found = run(&[("ALIBABA_CLOUD_PROFILE", "sts")], Some(&home)).expect("found");
    assert_eq!(found.credentials.security_token(), Some(TOKEN));
    insta::assert_snapshot!("cli_profile_sts", shown(&found.credentials));
}

#[test]
fn disabled_or_unsupported_cli_profile_falls_through_to_the_ini_file() {
    let home = home("cli_disabled");
    cli_config(&home, CLI_JSON);
    ini(&home, INI);
    let found = run(
        &[("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true")],
        Some(&home),
    )
    .expect("found");
    assert!(
        found.source.starts_with("profile [default] in "),
        "{}",
        found.source
    );
    insta::assert_snapshot!("ini_default", shown(&found.credentials));

    // `role` is RamRoleArn in config.json; the INI file has no [role] either.
    let err = run(&[("ALIBABA_CLOUD_PROFILE", "role")], Some(&home))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("has mode \"RamRoleArn\"; popgen supports AK and StsToken"),
        "{err}"
    );
    assert!(err.contains("no [role] section in"), "{err}");
}

#[test]
fn ini_profile_from_env_and_path_override() {
    let home = home("ini");
    ini(&home, INI);
    let found = run(&[("ALIBABA_CLOUD_PROFILE", "project")], Some(&home)).expect("found");
    assert_eq!(found.credentials.security_token(), Some(TOKEN));
    insta::assert_snapshot!("ini_sts", shown(&found.credentials));

    let elsewhere = home.join("elsewhere.ini");
    write(
        &elsewhere,
        "[default]\naccess_key_id = other\naccess_key_secret = s\n",
    );
    let path = elsewhere.to_str().expect("utf-8 path");
    let found = run(&[("ALIBABA_CLOUD_CREDENTIALS_FILE", path)], Some(&home)).expect("found");
    assert_eq!(found.credentials.access_key_id, "other");
    assert_eq!(found.source, format!("profile [default] in {path}"));
}

/// The error with the temp home replaced, so snapshots are stable.
fn error_text(err: &CredentialsError, home: &Path) -> String {
    let text = err
        .to_string()
        .replace(&home.display().to_string(), "$HOME");
    assert!(
        !text.contains("Sup3rS3cret") && !text.contains(TOKEN),
        "{text}"
    );
    text
}

#[test]
fn nothing_found_names_every_source_and_why() {
    let home = home("nothing");
    let err = run(&[("ALIBABA_CLOUD_ACCESS_KEY_ID", ID)], Some(&home)).unwrap_err();
    let CredentialsError::NotFound { attempts } = &err else {
        panic!("expected NotFound, got {err:?}");
    };
    assert_eq!(attempts.len(), 6);
    insta::assert_snapshot!("nothing_found", error_text(&err, &home));
}

#[test]
fn unsupported_configured_sources_say_so() {
    let err = run(
        &[
            ("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/r"),
            (
                "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
                "acs:ram::1:oidc-provider/p",
            ),
            ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", "/var/run/token"),
            ("ALIBABA_CLOUD_ECS_METADATA", "role"),
            ("ALIBABA_CLOUD_CREDENTIALS_URI", "http://127.0.0.1/creds"),
        ],
        None,
    )
    .unwrap_err()
    .to_string();
    insta::assert_snapshot!("unsupported_configured", err);
}

#[test]
fn ini_parse_error_names_file_and_line_without_content() {
    let home = home("ini_bad");
    // A secret pasted without its key: the message must give the line, not the text.
    ini(&home, "[default]\naccess_key_id = id\nSup3rS3cretValue+/\n");
    let err = run(&[], Some(&home)).unwrap_err();
    assert!(
        matches!(err, CredentialsError::File { line: Some(3), .. }),
        "{err:?}"
    );
    assert_eq!(
        error_text(&err, &home),
        "$HOME/.alibabacloud/credentials:3: expected `key = value`, `[section]` or a comment"
    );
}

#[test]
fn ini_profile_missing_a_key_names_the_section_line() {
    let home = home("ini_incomplete");
    ini(&home, "# x\n[default]\naccess_key_id = id\n");
    let err = run(&[], Some(&home)).unwrap_err();
    assert_eq!(
        error_text(&err, &home),
        "$HOME/.alibabacloud/credentials:2: [default] (type access_key) has no `access_key_secret`"
    );
}

#[test]
fn cli_config_parse_error_names_file_and_line_without_content() {
    let home = home("cli_bad");
    cli_config(
        &home,
        "{\n  \"current\": \"dev\",\n  \"profiles\": [ {\"access_key_secret\": \"Sup3rS3cretValue+/=\" ]\n}\n",
    );
    let err = run(&[], Some(&home)).unwrap_err();
    assert!(
        matches!(err, CredentialsError::File { line: Some(3), .. }),
        "{err:?}"
    );
    let text = error_text(&err, &home);
    assert!(
        text.starts_with("$HOME/.aliyun/config.json:3: invalid JSON"),
        "{text}"
    );
}

#[test]
fn missing_default_ini_is_fine_but_a_missing_override_is_reported() {
    let home = home("ini_missing");
    let err = run(
        &[(
            "ALIBABA_CLOUD_CREDENTIALS_FILE",
            "/nonexistent/popgen/credentials",
        )],
        Some(&home),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains(
            "/nonexistent/popgen/credentials (from ALIBABA_CLOUD_CREDENTIALS_FILE) does not exist"
        ),
        "{err}"
    );
}

#[test]
fn explicit_credentials() {
    let creds = Credentials::new(ID, SECRET).with_security_token(TOKEN);
    assert_eq!(creds.access_key_secret.expose(), SECRET);
    insta::assert_snapshot!("explicit_sts", shown(&creds));
}
