#!/usr/bin/env bash
# Compares popgen-runtime's signing / validation benches with Alibaba Cloud's official Python SDK
# on the same SingleCallByTts request, in one run, and prints a Markdown table.
#
#   bash scripts/bench-vs-official.sh            # from the repository root; ~2-4 minutes
#
# Needs Rust (cargo) and Python >= 3.9 with the venv module; pip fetches the SDK from PyPI into
# target/bench-venv the first time. Not part of CI (it is slow and its numbers depend on the
# machine). The Python side never sends anything: see scripts/bench_official_sdk.py.
#
# Environment knobs:
#   PYTHON=python3.11        interpreter that creates the venv (default: python3.11, else python3)
#   MEASUREMENT_TIME=5       criterion --measurement-time, seconds per bench (warm-up is 1 s)
#   PY_SAMPLES=60            SDK samples per case and pass (3 passes)
#   SDK_UNPINNED=1           install the newest SDK releases instead of the pinned ones below
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
CMDLINE="bash scripts/bench-vs-official.sh${*:+ $*}"
MEASUREMENT_TIME=${MEASUREMENT_TIME:-5}
PY_SAMPLES=${PY_SAMPLES:-60}

# Pinned so that re-runs compare against the same SDK; the table prints what was installed.
SDK_PINS=(alibabacloud-dyvmsapi20170525==5.3.0 alibabacloud-tea-openapi==0.4.6)
LEGACY_PINS=(aliyun-python-sdk-core==2.16.1)
if [[ -n "${SDK_UNPINNED:-}" ]]; then
    SDK_PINS=(alibabacloud-dyvmsapi20170525 alibabacloud-tea-openapi)
    LEGACY_PINS=(aliyun-python-sdk-core)
fi

log() { printf '== %s\n' "$*" >&2; }
die() { printf 'bench-vs-official: %s\n' "$*" >&2; exit 1; }

command -v cargo >/dev/null || die "cargo not found"
if [[ -z "${PYTHON:-}" ]]; then
    PYTHON=$(command -v python3.11 || command -v python3 || true)
fi
[[ -n "$PYTHON" ]] || die "no python3 found (set PYTHON=...)"
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 9))' \
    || die "$PYTHON is older than 3.9"

TARGET_DIR=$(cargo metadata --format-version 1 --no-deps \
    | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT="$TARGET_DIR/bench-vs-official/$STAMP"
mkdir -p "$OUT"
VENV="$TARGET_DIR/bench-venv"
VPY="$VENV/bin/python"

# --- Python side: venv and SDK -------------------------------------------------------------------
if [[ ! -x "$VPY" ]]; then
    log "creating $VENV"
    "$PYTHON" -m venv "$VENV" \
        || die "could not create a venv (Debian/Ubuntu: apt-get install python3.11-venv)"
fi
WANT="${SDK_PINS[*]} | ${LEGACY_PINS[*]}"
if [[ "$(cat "$VENV/.bench-pins" 2>/dev/null)" != "$WANT" ]]; then
    log "installing ${SDK_PINS[*]} ${LEGACY_PINS[*]} from PyPI"
    "$VPY" -m pip install --disable-pip-version-check -q "${SDK_PINS[@]}" \
        || die "pip install of the current SDK failed"
    # The legacy SDK is optional: its rows show "not run" without it.
    if "$VPY" -m pip install --disable-pip-version-check -q "${LEGACY_PINS[@]}"; then
        echo "$WANT" >"$VENV/.bench-pins"
    else
        log "warning: could not install ${LEGACY_PINS[*]}; skipping the legacy SDK rows"
    fi
fi
"$VPY" -c 'import alibabacloud_dyvmsapi20170525, alibabacloud_tea_openapi' \
    || die "the SDK does not import from $VPY"

# --- Rust side: build first so compiling does not overlap any measurement ------------------------
log "building the criterion benches (log: $OUT/cargo-build.log)"
cargo bench -p popgen-runtime --bench sign --bench validate --no-run >"$OUT/cargo-build.log" 2>&1 \
    || { tail -30 "$OUT/cargo-build.log" >&2; die "cargo bench --no-run failed"; }

# Criterion results older than this are stale (from an earlier run) and ignored by the table.
SINCE=$("$PYTHON" -c 'import time; print(time.time())')
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
T0=$SECONDS

py_pass() {  # $1: pass label
    log "official SDK, pass $1"
    "$VPY" "$ROOT/scripts/bench_official_sdk.py" measure --label "$1" --samples "$PY_SAMPLES" \
        >"$OUT/sdk-$1.jsonl" 2>>"$OUT/sdk.log" || { cat "$OUT/sdk.log" >&2; die "SDK pass $1 failed"; }
}
cargo_bench() {  # $1: bench target
    log "popgen criterion bench '$1' (log: $OUT/criterion-$1.log)"
    cargo bench -p popgen-runtime --bench "$1" -- \
        --warm-up-time 1 --measurement-time "$MEASUREMENT_TIME" --noplot \
        >"$OUT/criterion-$1.log" 2>&1 \
        || { tail -30 "$OUT/criterion-$1.log" >&2; die "cargo bench $1 failed"; }
}

# Interleaved so both sides see the same machine load: SDK, sign, SDK, validate, SDK.
py_pass A
cargo_bench sign
py_pass B
cargo_bench validate
py_pass C

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")

# --- Report --------------------------------------------------------------------------------------
{
    echo "## popgen-runtime vs the official Python SDK — SingleCallByTts"
    echo
    echo "- Date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "- Command: \`$CMDLINE\` (criterion: \`cargo bench -p popgen-runtime --bench sign|validate -- --warm-up-time 1 --measurement-time $MEASUREMENT_TIME --noplot\`; SDK: 3 passes × $PY_SAMPLES samples per case)"
    echo "- Commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$( [[ -n "$(GIT_OPTIONAL_LOCKS=0 git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ]] && echo ' (with uncommitted changes)')"
    echo "- Machine: $(uname -sm), $(nproc 2>/dev/null || echo '?') CPUs, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || echo '?'); load average $LOAD_BEFORE before, $LOAD_AFTER after"
    echo "- Toolchains: $(rustc --version); Python $("$VPY" -c 'import platform; print(platform.python_version())')"
    echo "- Measuring took $((SECONDS - T0)) s; raw data in \`${OUT#"$ROOT"/}\`"
    echo
    "$VPY" "$ROOT/scripts/bench_official_sdk.py" table --criterion-dir "$TARGET_DIR/criterion" \
        --since "$SINCE" "$OUT"/sdk-A.jsonl "$OUT"/sdk-B.jsonl "$OUT"/sdk-C.jsonl || true
    # Both sides must have signed the same text.
    RUST_STS=$(sed -n 's/^v1 string to sign: \([0-9]*\) bytes$/\1/p' "$OUT/criterion-sign.log" | head -1)
    PY_STS=$("$VPY" -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline()).get("v1_string_to_sign_bytes", ""))' "$OUT/sdk-A.jsonl")
    if [[ -n "$RUST_STS" && -n "$PY_STS" ]]; then
        if [[ "$RUST_STS" == "$PY_STS" ]]; then
            echo "v1 string to sign: $RUST_STS bytes on both sides."
        else
            echo "**WARNING: v1 string to sign is $RUST_STS bytes in the Rust bench, $PY_STS in the SDK: not the same request.**"
        fi
    fi
} | tee "$OUT/report.md"
log "report saved to $OUT/report.md"
