#!/usr/bin/env bash
# Compile time of a generated crate beside the client that progenitor (a mainstream OpenAPI
# generator, from crates.io) produces for an equivalent OpenAPI document, measured the same way in
# the same run. Prints a Markdown table.
#
#   bash scripts/compile-time.sh                  # the bundled dyvmsapi; ~5-10 minutes the first time
#   CRATE=dysmsapi bash scripts/compile-time.sh   # another bundled crate
#   SYNTHETIC=350 bash scripts/compile-time.sh    # a synthetic product of 350 actions (ECS's size),
#                                                 # imported and generated first
#
# What it does:
#   1. `popgen merged` prints the crate's spec as one file; scripts/openapi_from_spec.py writes
#      target/compile-time/openapi.json from it (same operations, params with their constraints,
#      response schemas). With SYNTHETIC=N, `popgen import` first imports synthetic metadata of N
#      actions (popgen-import's `synthetic` example) and `popgen generate` writes its crate.
#   2. A scratch generator (target/compile-time/progenitor-gen, progenitor's documented
#      `Generator` + prettyplease approach, run once) writes the client's Rust source into the
#      scratch crate target/compile-time/progenitor-client/src/lib.rs, so that both sides then
#      compile plain Rust source (no generation inside the timed builds).
#   3. Copies the crate and the workspace crates it depends on (generated/, runtime/, macros/,
#      the root Cargo.toml and Cargo.lock) into target/compile-time/ours/, a workspace of their
#      own: the repository itself is never built or edited by this script, and other cargo runs in
#      the workspace (its target/ lock, a half-edited manifest of another crate) cannot disturb
#      the timed builds. SOURCE=HEAD takes those files from the last commit instead of the work
#      tree (read-only `git archive`).
#   4. Builds both crates once with their dependencies, then, N times and alternating ours/theirs:
#      - cold:  `cargo clean -p <crate>` then `cargo build -p <crate>` (dependencies stay built);
#      - check: the same with `cargo check` (front end only: expansion, name resolution, types);
#      - touch: `touch` one action file (ours: the crate's first action module; theirs: lib.rs,
#               the only file it has), then `cargo build` (incremental);
#      - edit:  append a small function to that file, then `cargo build` (incremental; the file
#               is restored from a copy afterwards).
#      (all in the copies under target/compile-time/)
#      RELEASE=1 adds the cold build in the release profile.
#   Reports median and min-max of the wall-clock time of each cargo command.
#
# Not part of CI: it is slow and its numbers depend on the machine and its load (printed).
# It writes nothing outside target/compile-time/ (scratch crates, copies, target directories).
#
# Environment knobs:
#   N=3                 runs of each measurement (default 3)
#   RELEASE=1           also measure cold release builds (builds release dependencies once)
#   AREA=area-1000      also measure ours built with that area's feature only (the default
#                       features off, `http` on), cold
#   INTERFACE=builder   progenitor's builder interface instead of its default (positional)
#   TIMINGS=1           also write cargo --timings reports (cargo-timings/ in each target
#                       directory) from one extra cold build of each crate
#   SOURCE=HEAD         measure the committed generated/, runtime/, macros/ (default: work tree)
#   REPORT_ONLY=1       print the table of the last run again (target/compile-time/results.tsv)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
# shellcheck source=scripts/lib/timing.sh
source scripts/lib/timing.sh
CMDLINE="bash scripts/compile-time.sh${*:+ $*}"
N=${N:-3}
RELEASE=${RELEASE:-0}
AREA=${AREA:-}
INTERFACE=${INTERFACE:-positional}
TIMINGS=${TIMINGS:-0}
PROGENITOR_VERSION=0.15.1
CRATE=${CRATE:-dyvmsapi}
SYNTHETIC=${SYNTHETIC:-}
[[ -n $SYNTHETIC ]] && CRATE=synthetic

SCRATCH=$ROOT/target/compile-time
GEN=$SCRATCH/progenitor-gen
THEIRS=$SCRATCH/progenitor-client
DOC=$SCRATCH/openapi.json
SOURCE=${SOURCE:-worktree}
OURS=$SCRATCH/ours
OURS_TARGET=$SCRATCH/target-ours
OURS_CRATE=$OURS/generated/$CRATE
THEIRS_FILE=$THEIRS/src/lib.rs
RESULTS=$SCRATCH/results.tsv

log() { printf '== %s\n' "$*" >&2; }
die() { printf 'compile-time: %s\n' "$*" >&2; exit 1; }

command -v cargo >/dev/null || die "cargo not found"
command -v python3 >/dev/null || die "python3 not found"
python3 -c 'import yaml' 2>/dev/null || die "PyYAML missing: pip install pyyaml"
[[ $N =~ ^[1-9][0-9]*$ ]] || die "N must be a positive integer"

mkdir -p "$SCRATCH"

META=$SCRATCH/run.env
if [[ ${REPORT_ONLY:-0} == 1 ]]; then
    [[ -s $RESULTS && -s $META ]] || die "REPORT_ONLY=1: no results of an earlier run in $SCRATCH"
    # shellcheck disable=SC1090
    source "$META"
else
# --- our side: a copy of the crate and the workspace crates it depends on ----------------------
# tools/ (and receipts/, which tools/ names) is copied only because generated/ names it as an
# optional dependency (feature `cli`); neither is a member and neither is built here.
OURS_PATHS=(Cargo.toml Cargo.lock generated runtime macros tools receipts)
# The `popgen` binary and the synthetic-metadata example (`--examples` alone builds no binary).
cargo build --release --quiet -p popgen --bin popgen
cargo build --release --quiet -p popgen-import --examples
POPGEN=$ROOT/target/release/popgen
log "copy of ${OURS_PATHS[*]} ($SOURCE) into $OURS"
rm -rf "$OURS"
mkdir -p "$OURS"
case $SOURCE in
    worktree)
        cp -a "${OURS_PATHS[@]}" "$OURS"/   # -a keeps mtimes: unchanged files stay built
        SOURCE_DESC="work tree"
        if command -v git >/dev/null && git rev-parse --git-dir >/dev/null 2>&1; then
            SOURCE_DESC="work tree at $(git rev-parse --short HEAD)"
            [[ -z $(git status --porcelain -- "${OURS_PATHS[@]}") ]] || SOURCE_DESC+=" with uncommitted changes in ${OURS_PATHS[*]}"
        fi
        ;;
    HEAD)
        git archive HEAD "${OURS_PATHS[@]}" | tar -x -C "$OURS"
        SOURCE_DESC="HEAD $(git rev-parse --short HEAD)"
        ;;
    *) die "SOURCE must be worktree or HEAD" ;;
esac
# Only the crates the client needs are members; the rest of the root manifest (workspace package
# fields, dependencies, lints, profiles) is kept as it is.
if [[ -n $SYNTHETIC ]]; then
    log "synthetic product of $SYNTHETIC actions: metadata, import, generate"
    "$ROOT/target/release/examples/synthetic" "$SYNTHETIC" >"$SCRATCH/synthetic.json"
    rm -rf "$SCRATCH/synthetic-spec"
    "$POPGEN" import "$SCRATCH/synthetic.json" --out "$SCRATCH/synthetic-spec/imported" >&2
    "$POPGEN" generate --spec "$SCRATCH/synthetic-spec" --out "$OURS_CRATE" --crate-name synthetic \
        --spec-label spec/synthetic >&2
    # A crate generated outside the workspace is its own; here it is a member like the others.
    python3 - "$OURS_CRATE/Cargo.toml" <<'PY'
import re, sys
p = sys.argv[1]; s = open(p).read()
s = re.sub(r'version = "0.1.0"\nedition = "2024"\nrust-version = "1.85"\n',
           'version.workspace = true\nedition.workspace = true\nrust-version.workspace = true\n', s)
s = re.sub(r'popgen-(runtime|macros|tools) = \{ path = "[^"]*"', r'popgen-\1 = { workspace = true', s)
s = s.replace(', default-features = false }', ' }').replace('\n[workspace]\n', '\n')
open(p, 'w').write(s)
PY
    SPEC_SOURCE=$SCRATCH/synthetic-spec
else
    SPEC_SOURCE=$ROOT/spec/$CRATE
fi
[[ -d $OURS_CRATE ]] || die "no crate at $OURS_CRATE"
OURS_FILE=$(find "$OURS_CRATE/src/actions" -name '*.rs' ! -name mod.rs | sort | sed -n 1p) # sed, not head: no SIGPIPE under pipefail
[[ $CRATE == dyvmsapi ]] && OURS_FILE=$OURS_CRATE/src/actions/ivr_call.rs
sed -i "s#^members = \[.*\]\$#members = [\"generated/$CRATE\", \"runtime\", \"macros\"]#" "$OURS/Cargo.toml"
grep -q "^members = \[\"generated/$CRATE\", \"runtime\", \"macros\"\]\$" "$OURS/Cargo.toml" ||
    die "could not rewrite the members line of $OURS/Cargo.toml"

# --- 1. the OpenAPI document --------------------------------------------------------------------
log "OpenAPI document from $SPEC_SOURCE"
"$POPGEN" merged "$SPEC_SOURCE" >"$SCRATCH/spec.yaml"
python3 scripts/openapi_from_spec.py "$SCRATCH/spec.yaml" "$DOC"

# --- 2. progenitor's output, generated once ------------------------------------------------------
log "progenitor $PROGENITOR_VERSION generator (scratch crate, built once)"
mkdir -p "$GEN/src"
cat >"$GEN/Cargo.toml" <<EOF
[package]
name = "progenitor-gen"
version = "0.0.0"
edition = "2024"
publish = false

[workspace]

[dependencies]
progenitor = { version = "=$PROGENITOR_VERSION", default-features = false }
progenitor-impl = "=$PROGENITOR_VERSION"
openapiv3 = "2"
serde_json = "1"
syn = "2"
prettyplease = "0.2"
EOF
cat >"$GEN/src/main.rs" <<'EOF'
//! Scratch generator written by scripts/compile-time.sh (never committed): progenitor's
//! documented build.rs recipe (Generator -> tokens -> syn -> prettyplease), run once.
//! Usage: progenitor-gen <openapi.json> <out lib.rs> [positional|builder]
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (input, output) = (&args[1], &args[2]);
    let style = args.get(3).map(String::as_str).unwrap_or("positional");
    let spec: openapiv3::OpenAPI =
        serde_json::from_reader(std::fs::File::open(input).expect("open spec")).expect("parse spec");
    let mut settings = progenitor::GenerationSettings::default();
    settings.with_interface(match style {
        "builder" => progenitor::InterfaceStyle::Builder,
        _ => progenitor::InterfaceStyle::Positional,
    });
    let mut generator = progenitor::Generator::new(&settings);
    let tokens = generator.generate_tokens(&spec).expect("generate");
    let ast: syn::File = syn::parse2(tokens).expect("parse tokens");
    let content = progenitor_impl::space_out_items(prettyplease::unparse(&ast)).expect("space out");
    std::fs::write(output, content).expect("write");
}
EOF
(cd "$GEN" && cargo build --release --quiet)

mkdir -p "$THEIRS/src"
cat >"$THEIRS/Cargo.toml" <<EOF
# Scratch crate written by scripts/compile-time.sh (never committed): progenitor's output for
# target/compile-time/openapi.json, with the dependencies progenitor's README lists.
[package]
name = "vms-progenitor"
version = "0.0.0"
edition = "2024"
publish = false

[workspace]

[dependencies]
progenitor-client = "=$PROGENITOR_VERSION"
reqwest = { version = "0.13", default-features = false, features = ["json", "query", "stream"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
futures = "0.3"
regress = "0.12"
EOF
"$GEN/target/release/progenitor-gen" "$DOC" "$THEIRS_FILE" "$INTERFACE"

# --- helpers --------------------------------------------------------------------------------------
ours_cargo() { CARGO_TARGET_DIR=$OURS_TARGET cargo "$@" --quiet -p "$CRATE" --manifest-path "$OURS/Cargo.toml"; }
theirs_cargo() { cargo "$@" --quiet --manifest-path "$THEIRS/Cargo.toml"; }

record() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$RESULTS"; }

clean_ours() { CARGO_TARGET_DIR=$OURS_TARGET cargo clean --quiet -p "$CRATE" --manifest-path "$OURS/Cargo.toml" "$@"; }
clean_theirs() { cargo clean --quiet -p vms-progenitor --manifest-path "$THEIRS/Cargo.toml" "$@"; }

probe() { printf '\n/// A probe the compile-time script appends.\npub fn compile_time_probe_%s() -> u32 { %s }\n' "$1" "$1"; }

# --- 3. dependencies built once, then the measurements ------------------------------------------
LOAD_BEFORE=$(uptime)
log "building both crates with their dependencies (debug${RELEASE:+, release=$RELEASE})"
ours_cargo build
theirs_cargo build
ours_cargo check
theirs_cargo check
if [[ $RELEASE == 1 ]]; then
    ours_cargo build --release
    theirs_cargo build --release
fi
# From here on nothing needs the network.
export CARGO_NET_OFFLINE=true

: >"$RESULTS"
for ((i = 1; i <= N; i++)); do
    log "round $i/$N"
    for side in ours theirs; do
        # cold (dependencies built)
        clean_$side
        record "$side" cold "$(timeit ${side}_cargo build)"
        # check (front end only), cold
        clean_$side
        record "$side" check "$(timeit ${side}_cargo check)"
        ${side}_cargo build   # back to a full debug build for the incremental cases
        # touch one file
        if [[ $side == ours ]]; then f=$OURS_FILE; else f=$THEIRS_FILE; fi
        touch "$f"
        record "$side" touch "$(timeit ${side}_cargo build)"
        # edit: append a function
        cp -p "$f" "$SCRATCH/edit.orig"
        probe "$i" >>"$f"
        record "$side" edit "$(timeit ${side}_cargo build)"
        cp -p "$SCRATCH/edit.orig" "$f"
        rm -f "$SCRATCH/edit.orig"
        touch "$f"
        ${side}_cargo build
        if [[ $RELEASE == 1 ]]; then
            clean_$side --release
            record "$side" release "$(timeit ${side}_cargo build --release)"
        fi
        if [[ -n $AREA && $side == ours ]]; then
            clean_ours
            record ours area "$(timeit ours_cargo build --no-default-features --features "http,$AREA")"
            ours_cargo build
        fi
    done
done
LOAD_AFTER=$(uptime)

if [[ $TIMINGS == 1 ]]; then
    log "cargo --timings reports"
    clean_ours
    ours_cargo build --timings
    clean_theirs
    theirs_cargo build --timings
fi
DATE=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
printf '%s=%q\n' CMDLINE "$CMDLINE" CRATE "$CRATE" OURS_FILE "$OURS_FILE" N "$N" RELEASE "$RELEASE" AREA "$AREA" INTERFACE "$INTERFACE" SOURCE "$SOURCE" \
    SOURCE_DESC "$SOURCE_DESC" LOAD_BEFORE "$LOAD_BEFORE" LOAD_AFTER "$LOAD_AFTER" \
    DATE "$DATE" >"$META"
fi

# --- report -----------------------------------------------------------------------------------
# lines: all, and code (not blank, not a // comment or doc line)
count_lines() { cat "$@" | awk '{ all++ } !/^[[:space:]]*(\/\/|$)/ { code++ } END { printf "%d\t%d\n", all, code }'; }
mapfile -t OURS_FILES < <(find "$OURS/generated/$CRATE/src" -name '*.rs' | sort)
read -r OURS_ALL OURS_CODE < <(count_lines "${OURS_FILES[@]}")
read -r THEIRS_ALL THEIRS_CODE < <(count_lines "$THEIRS_FILE")
OPS=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sum(len(v) for v in d["paths"].values()))' "$DOC")

RUSTC=$(rustc --version)
CARGO=$(cargo --version)
{
    echo "## Compile time: $CRATE (popgen) beside progenitor $PROGENITOR_VERSION"
    echo
    echo "- command: \`$CMDLINE\` (N=$N, INTERFACE=$INTERFACE, RELEASE=$RELEASE, SOURCE=$SOURCE${AREA:+, AREA=$AREA})"
    echo "- ours: $CRATE from the $SOURCE_DESC, built in a copy (target/compile-time/ours)"
    echo "- date: $DATE"
    echo "- machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); $RUSTC; $CARGO"
    echo "- load before: \`$(echo "$LOAD_BEFORE" | sed 's/^ *//')\`"
    echo "- load after:  \`$(echo "$LOAD_AFTER" | sed 's/^ *//')\`"
    echo "- theirs: progenitor $PROGENITOR_VERSION (\`Generator\` + prettyplease, $INTERFACE interface, default settings) on target/compile-time/openapi.json ($OPS operations), dependencies progenitor-client, reqwest 0.13 (json, query, stream; no TLS), serde, serde_json, futures, regress"
    echo "- wall-clock time of the cargo command, dependencies already built; median (min–max) of $N, ours and theirs alternating"
    echo
    echo "| measurement | $CRATE (popgen) | progenitor |"
    echo "|---|---|---|"
    echo "| generated Rust lines (all / code) | $OURS_ALL / $OURS_CODE in ${#OURS_FILES[@]} files | $THEIRS_ALL / $THEIRS_CODE in 1 file |"
    echo "| cold \`cargo build\` (debug) | $(stats "$RESULTS" ours cold) | $(stats "$RESULTS" theirs cold) |"
    echo "| cold \`cargo check\` | $(stats "$RESULTS" ours check) | $(stats "$RESULTS" theirs check) |"
    echo "| incremental build after \`touch\` of one file | $(stats "$RESULTS" ours touch) | $(stats "$RESULTS" theirs touch) |"
    echo "| incremental build after adding a fn to that file | $(stats "$RESULTS" ours edit) | $(stats "$RESULTS" theirs edit) |"
    if [[ $RELEASE == 1 ]]; then
        echo "| cold \`cargo build --release\` | $(stats "$RESULTS" ours release) | $(stats "$RESULTS" theirs release) |"
    fi
    if [[ -n $AREA ]]; then
        echo "| cold \`cargo build\`, one area (\`--no-default-features --features http,$AREA\`) | $(stats "$RESULTS" ours area) | |"
    fi
    echo
    echo "Ours touches ${OURS_FILE#$OURS/}; theirs is one file (src/lib.rs)."
    echo "Raw times: $RESULTS"
}
