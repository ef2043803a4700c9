//! Alibaba's official Python SDKs (`alibabacloud-dyvmsapi20170525`, `alibabacloud-dysmsapi20170525`,
//! from PyPI) against our mock serving each generated registry, in both of their signing modes
//! (V3, the default, and `signature_algorithm='v2'`, RPC v1): the mock accepts exactly what the
//! official SDK sends — a public-mode SingleCallByTts without CalledShowNumber included — and
//! refuses a wrong secret with `SignatureDoesNotMatch`. The checks live in
//! `scripts/official-sdk-mock.py`.
//!
//! The SDK is installed on first use into a virtualenv (`target/sdk-venv`, or
//! `$POPGEN_SDK_VENV`), with pinned versions, so `cargo test --workspace` works on a fresh
//! machine that has Python 3 and reaches PyPI. Set `POPGEN_SKIP_OFFICIAL_SDK=1` to skip it
//! explicitly: a custom harness then reports it `ignored`, with the reason in its name.

use std::path::{Path, PathBuf};
use std::process::Command;

use popgen_runtime::registry::Api;
use popgen_tools::mock::{MockConfig, MockServer};

/// The versions the wire notes (`spec/sources/reference/official-sdk-wire.md`) were observed
/// with; the SMS SDK is the release that runs on the same `alibabacloud-tea-openapi`.
const PINS: &[&str] = &[
    "alibabacloud-dyvmsapi20170525==5.3.0",
    "alibabacloud-dysmsapi20170525==4.1.2",
    "alibabacloud-tea-openapi==0.4.6",
];

/// Each product: its name for the script, its registry, and the action with side effects that
/// must succeed in both schemes.
const PRODUCTS: [(&str, &Api, &str); 2] = [
    ("dyvmsapi", &dyvmsapi::registry::API, "SingleCallByTts"),
    ("dysmsapi", &dysmsapi::registry::API, "SendSms"),
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn venv() -> PathBuf {
    std::env::var_os("POPGEN_SDK_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/sdk-venv"))
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let output = cmd
        .output()
        .map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{cmd:?} failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// The venv's python with the SDK importable, installing it when needed.
fn sdk_python() -> Result<PathBuf, String> {
    let venv = venv();
    let python = venv.join("bin/python");
    let imports = |python: &Path| {
        run(Command::new(python).args([
            "-c",
            "import alibabacloud_dyvmsapi20170525, alibabacloud_dysmsapi20170525, alibabacloud_tea_openapi",
        ]))
        .is_ok()
    };
    if python.exists() && imports(&python) {
        return Ok(python);
    }
    if !python.exists() {
        run(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
    }
    run(Command::new(&python)
        .args(["-m", "pip", "install", "-q", "--disable-pip-version-check"])
        .args(PINS))?;
    if imports(&python) {
        Ok(python)
    } else {
        Err(format!("the SDK does not import in {}", venv.display()))
    }
}

fn main() -> std::process::ExitCode {
    let args = libtest_mimic::Arguments::from_args();
    let skip = std::env::var_os("POPGEN_SKIP_OFFICIAL_SDK").is_some();
    let trials = PRODUCTS
        .iter()
        .map(|&(product, api, action)| {
            let mut name =
                format!("the_official_python_sdk_of_{product}_is_accepted_in_both_signing_modes");
            if skip {
                name.push_str(" (SKIPPED: POPGEN_SKIP_OFFICIAL_SDK is set)");
            }
            libtest_mimic::Trial::test(name, move || {
                tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                    .expect("a tokio runtime")
                    .block_on(accepted_in_both_signing_modes(product, api, action));
                Ok(())
            })
            .with_ignored_flag(skip)
        })
        .collect();
    // One venv serves both products: install before the trials run side by side.
    let mut args = args;
    args.test_threads = Some(1);
    libtest_mimic::run(&args, trials).exit_code()
}

async fn accepted_in_both_signing_modes(product: &'static str, api: &'static Api, action: &str) {
    let python = tokio::task::spawn_blocking(sdk_python)
        .await
        .expect("setup task")
        .unwrap_or_else(|e| {
            panic!(
                "cannot set up the official Python SDK (needs python3 with venv and PyPI; \
                 POPGEN_SKIP_OFFICIAL_SDK=1 skips this test):\n{e}"
            )
        });
    let mock = MockServer::start(api, MockConfig::new("LTAI5tSdkTestKey", "sdk-test-secret"))
        .await
        .expect("mock starts");
    let endpoint = mock.addr().to_string();
    let script = root().join("scripts/official-sdk-mock.py");
    let output = tokio::task::spawn_blocking(move || {
        Command::new(python)
            .arg(script)
            .args(["--product", product])
            .args(["--endpoint", &endpoint])
            .args(["--access-key-id", "LTAI5tSdkTestKey"])
            .args(["--access-key-secret", "sdk-test-secret"])
            .output()
            .expect("python runs")
    })
    .await
    .expect("script task");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    // Both modes reached the mock, each with the scheme it signs with.
    let journal = mock.journal();
    for scheme in ["v1", "v3"] {
        assert!(
            journal.iter().any(|e| e.scheme.as_deref() == Some(scheme)
                && e.code.as_deref() == Some("OK")
                && e.action.as_deref() == Some(action)),
            "no successful {scheme} {action} in the journal:\n{stdout}"
        );
        assert!(
            journal.iter().any(|e| e.scheme.as_deref() == Some(scheme)
                && e.code.as_deref() == Some("SignatureDoesNotMatch")),
            "no refused {scheme} request in the journal:\n{stdout}"
        );
    }
}
