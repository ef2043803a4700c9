#!/usr/bin/env bash
# What a program that uses a generated client pays to compile it: a small binary that places one
# call as the README's "Calling the service" does (`SingleCallByTts` through `Client::builder()`),
# built cold together with the client crate, for each revision given, side by side.
#
#   bash scripts/compile-time-user.sh HEAD~1 worktree      # before/after a change
#
# scripts/compile-time.sh times the client crate alone. Where a generated crate leaves code
# generation to the crates that call it (its `#[inline]` derives), that measure is not the whole
# story: this one adds the program that calls it, so the deferred cost is counted too.
#
# For each revision (a git revision, or `worktree` for the files as they are), the script copies
# Cargo.toml, Cargo.lock, generated/, runtime/, macros/, tools/ and receipts/ into
# target/compile-time/user/<n>/ (nothing in the repository is built or edited), writes the
# program beside them (a crate of its own, path dependency on the copy's generated/$CRATE), builds
# it once with its dependencies, then N times, revisions alternating:
#   - `cargo clean -p $CRATE -p user-program` and `cargo build` (client crate + program, cold);
#   - `cargo clean -p user-program` and `cargo build` (the program alone, the client built).
# Prints a Markdown table: median (min–max) of the wall-clock time of each cargo command.
#
# Environment knobs: N=3 (runs), CRATE=dyvmsapi (only dyvmsapi has the program written here),
# RELEASE=1 (every build in the release profile).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
# shellcheck source=scripts/lib/timing.sh
source scripts/lib/timing.sh
N=${N:-3}
RELEASE=${RELEASE:-0}
PROFILE=()
[[ $RELEASE == 1 ]] && PROFILE=(--release)
CRATE=${CRATE:-dyvmsapi}
SCRATCH=$ROOT/target/compile-time/user

die() { printf 'compile-time-user: %s\n' "$*" >&2; exit 1; }
[[ $# -ge 1 ]] || die "usage: bash scripts/compile-time-user.sh REV... (a git revision or 'worktree')"
[[ $N =~ ^[1-9][0-9]*$ ]] || die "N must be a positive integer"
[[ $CRATE == dyvmsapi ]] || die "only CRATE=dyvmsapi has a program written for it"

FILES=(Cargo.toml Cargo.lock generated runtime macros tools receipts)
revs=("$@")
for i in "${!revs[@]}"; do
    dir=$SCRATCH/$i
    rm -rf "$dir/ws" "$dir/program"
    mkdir -p "$dir/ws" "$dir/program/src"
    if [[ ${revs[$i]} == worktree ]]; then
        cp -r "${FILES[@]}" "$dir/ws/"
    else
        git rev-parse --verify --quiet "${revs[$i]}^{commit}" >/dev/null || die "no such revision: ${revs[$i]}"
        git archive "${revs[$i]}" "${FILES[@]}" | tar -x -C "$dir/ws"
    fi
    cp "$dir/ws/Cargo.lock" "$dir/program/Cargo.lock"
    cat >"$dir/program/Cargo.toml" <<EOF
[package]
name = "user-program"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
$CRATE = { path = "../ws/generated/$CRATE" }

[workspace]
EOF
    # The README's call, polled once with a no-op waker: every function the call needs is
    # instantiated, and nothing runs (no runtime, no network).
    cat >"$dir/program/src/main.rs" <<'EOF'
use dyvmsapi::{Client, Error, SingleCallByTtsRequest};
use std::future::Future;
use std::task::{Context, Waker};

async fn place_call() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder().build()?;
    let request = SingleCallByTtsRequest::new("13800138000", "TTS_100001").out_id("order-42");
    match client.single_call_by_tts(&request).await {
        Ok(response) => println!("CallId {:?}", response.call_id),
        Err(Error::OutcomeUnknown(unknown)) => eprintln!("check {:?}", unknown.idempotency_key),
        Err(e) => return Err(e.into()),
    }
    Ok(())
}

fn main() {
    if std::env::args().count() > 1 {
        let call = std::pin::pin!(place_call());
        let _ = call.poll(&mut Context::from_waker(Waker::noop()));
    }
}
EOF
done

program_cargo() { CARGO_TARGET_DIR=$SCRATCH/$1/target cargo "${@:2}" --quiet --manifest-path "$SCRATCH/$1/program/Cargo.toml"; }
for i in "${!revs[@]}"; do
    printf '== building %s (%s) with its dependencies\n' "$i" "${revs[$i]}" >&2
    program_cargo "$i" build "${PROFILE[@]}"
done

RESULTS=$SCRATCH/results.tsv
: >"$RESULTS"
load_before=$(uptime)
for round in $(seq 1 "$N"); do
    printf '== round %s/%s\n' "$round" "$N" >&2
    for i in "${!revs[@]}"; do
        program_cargo "$i" clean -p "$CRATE" -p user-program "${PROFILE[@]}"
        printf '%s\tboth\t%s\n' "$i" "$(timeit program_cargo "$i" build "${PROFILE[@]}")" >>"$RESULTS"
        program_cargo "$i" clean -p user-program "${PROFILE[@]}"
        printf '%s\tprogram\t%s\n' "$i" "$(timeit program_cargo "$i" build "${PROFILE[@]}")" >>"$RESULTS"
    done
done
load_after=$(uptime)

echo "## Compile time of a program that calls $CRATE"
echo
echo "- command: \`bash scripts/compile-time-user.sh $*\` (N=$N, RELEASE=$RELEASE)"
echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC'); $(nproc) cores; $(rustc --version)"
echo "- load before: \`$load_before\`"
echo "- load after:  \`$load_after\`"
echo "- wall-clock time of \`cargo build\`, dependencies of $CRATE already built; median (min–max) of $N"
echo
printf '| revision | cold: %s + the program | the program alone |\n|---|---|---|\n' "$CRATE"
for i in "${!revs[@]}"; do
    printf '| %s | %s | %s |\n' "${revs[$i]}" "$(stats "$RESULTS" "$i" both)" "$(stats "$RESULTS" "$i" program)"
done
