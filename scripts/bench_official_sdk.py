#!/usr/bin/env python3
"""Times Alibaba Cloud's official Python SDK on the same SingleCallByTts request as our criterion
benches, and turns both sides' numbers into one Markdown table.

Run it through `scripts/bench-vs-official.sh`, which makes the venv, installs the SDK, interleaves
the Python passes with `cargo bench` and calls the `table` subcommand. This file installs nothing.

    bench_official_sdk.py measure --label A [--sample-ms 5] [--samples 40] > A.jsonl
    bench_official_sdk.py table --criterion-dir target/criterion --since EPOCH A.jsonl B.jsonl ...

`measure` never touches the network: `requests.Session.send` (and the legacy SDK's vendored copy)
is replaced by a stub that keeps the prepared request and returns a canned 200 JSON response, the
endpoint is the dead `127.0.0.1:9`, and socket connects raise. A self-check before timing asserts
that every whole-path case went through the stub with a signed request.

Method, on both sides: a sample is the mean time per call over a batch of calls; we report the
median of the samples and their p10..p90 spread. For criterion, the median is
`new/estimates.json` `median.point_estimate` and p10/p90 come from `new/sample.json`.
Python samples are taken with `timeit` (so the garbage collector is off within a batch).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import sys
import time
import timeit
from importlib import metadata

# --- The request, copied from runtime/benches/sign.rs -------------------------------------------
ACTION = [
    ("CalledShowNumber", "057112345678"),
    ("CalledNumber", "13800138000"),
    ("TtsCode", "TTS_123456789"),
    ("TtsParam", '{"name":"张三","code":"1234"}'),
    ("PlayTimes", "2"),
    ("Volume", "100"),
    ("Speed", "0"),
    ("OutId", "order-000123"),
    ("OwnerId", "1234567"),
    ("ResourceOwnerId", "1234567"),
]
ACTION_NAME = "SingleCallByTts"
VERSION = "2017-05-25"
FORMAT = "json"
ACCESS_KEY_ID = "LTAI5tBenchmarkKeyId0000"
SECRET = "BenchmarkSecretValue0123456789"
TIMESTAMP = "2024-01-02T03:04:05Z"
NONCE = "0123456789abcdef0123456789abcdef"
V3_HOST = "dyvmsapi.aliyuncs.com"
USER_AGENT = "AlibabaCloud (Linux; x86_64) popgen/0.1"
# The whole-path cases talk to this dead endpoint (discard port); nothing is ever sent to it.
FAKE_ENDPOINT = "127.0.0.1:9"

# Action params plus v1 common params, as v1::signed_params builds them (18 params).
V1_SIGNED = dict(ACTION) | {
    "Action": ACTION_NAME,
    "Version": VERSION,
    "Format": FORMAT,
    "AccessKeyId": ACCESS_KEY_ID,
    "SignatureMethod": "HMAC-SHA1",
    "SignatureVersion": "1.0",
    "SignatureNonce": NONCE,
    "Timestamp": TIMESTAMP,
}

# What popgen-runtime's v1::sign and v3::sign give for exactly these inputs (checked once with a
# throwaway binary on popgen-runtime): the SDK must produce the same, or the comparison is off.
POPGEN_V1_SIGNATURE = "Ubsd1xFcS2HRnoCv26AUX/tBNXU="
POPGEN_V3_SIGNATURE = "5b56236aaa60498234620e9ef32206d77109a62397b55927805494f54d92a3b7"

CANNED_BODY = json.dumps({
    "RequestId": "00000000-0000-0000-0000-000000000000",
    "CallId": "116012854210^102814279****",
    "Code": "OK",
    "Message": "OK",
}).encode()


# --- No network ----------------------------------------------------------------------------------
def _refuse(*_a, **_k):
    raise OSError("bench_official_sdk.py: network access is disabled")


def disable_network() -> None:
    socket.socket.connect = _refuse
    socket.socket.connect_ex = _refuse
    socket.create_connection = _refuse


CAPTURED: list = []


def _make_fake_send(requests_module):
    """A `Session.send` that records the prepared request and returns a canned response."""

    def fake_send(self, prepared, **_kwargs):
        CAPTURED.append(prepared)
        if len(CAPTURED) > 4:
            del CAPTURED[:-1]
        resp = requests_module.Response()
        resp.status_code = 200
        resp.reason = "OK"
        resp._content = CANNED_BODY
        resp.headers = requests_module.structures.CaseInsensitiveDict(
            {"content-type": "application/json;charset=utf-8"})
        resp.url = prepared.url
        resp.request = prepared
        resp.encoding = "utf-8"
        return resp

    return fake_send


def patch_http() -> None:
    import requests
    import requests.structures  # noqa: F401
    requests.Session.send = _make_fake_send(requests)
    try:
        from aliyunsdkcore.vendored import requests as vendored
        import aliyunsdkcore.vendored.requests.structures  # noqa: F401
        vendored.Session.send = _make_fake_send(vendored)
    except ImportError:
        pass


# --- Cases ---------------------------------------------------------------------------------------
def version_of(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def current_sdk_cases(meta: dict) -> list:
    """Cases on the current SDK: alibabacloud-dyvmsapi20170525 on alibabacloud-tea-openapi."""
    from alibabacloud_dyvmsapi20170525 import models as vms_models
    from alibabacloud_dyvmsapi20170525.client import Client as VmsClient
    from alibabacloud_tea_openapi.utils import Utils
    from darabonba.core import DaraCore
    from darabonba.request import DaraRequest
    from darabonba.runtime import RuntimeOptions
    try:
        from alibabacloud_tea_openapi.utils_models import Config
    except ImportError:  # older layouts
        from alibabacloud_tea_openapi.models import Config

    cases = []

    # (a) bare RPC v1 signer: canonical query, string to sign, HMAC-SHA1, base64.
    signed = dict(V1_SIGNED)
    cases.append(("v1.sign.current", lambda: Utils.get_rpcsignature(signed, "POST", SECRET)))
    meta["v1_signature_current"] = Utils.get_rpcsignature(signed, "POST", SECRET)

    # (b) bare V3 signer: payload hash, canonical request, SHA-256, HMAC-SHA256, Authorization.
    alg = "ACS3-HMAC-SHA256"

    def v3_headers() -> dict:
        return {
            "host": V3_HOST,
            "x-acs-version": VERSION,
            "x-acs-action": ACTION_NAME,
            "user-agent": USER_AGENT,
            "x-acs-date": TIMESTAMP,
            "x-acs-signature-nonce": NONCE,
            "accept": "application/json",
            "x-acs-credentials-provider": "static_ak",
            "x-acs-content-sha256": Utils.hash(b"", alg).hex(),
        }

    v3_req = DaraRequest()
    v3_req.method = "POST"
    v3_req.pathname = "/"
    v3_req.query = dict(ACTION)
    v3_req.headers = v3_headers()

    def v3_sign():
        payload = Utils.hash(b"", alg).hex()
        return Utils.get_authorization(v3_req, alg, payload, ACCESS_KEY_ID, SECRET)

    def v3_headers_sign():
        req = DaraRequest()
        req.method = "POST"
        req.pathname = "/"
        req.query = v3_req.query
        req.headers = v3_headers()
        return Utils.get_authorization(req, alg, req.headers["x-acs-content-sha256"],
                                       ACCESS_KEY_ID, SECRET)

    cases.append(("v3.sign.current", v3_sign))
    cases.append(("v3.headers_sign.current", v3_headers_sign))
    meta["v3_authorization_current"] = v3_sign()

    # Model-level pieces.
    def new_model():
        a = dict(ACTION)
        return vms_models.SingleCallByTtsRequest(
            called_show_number=a["CalledShowNumber"],
            called_number=a["CalledNumber"],
            tts_code=a["TtsCode"],
            tts_param=a["TtsParam"],
            play_times=int(a["PlayTimes"]),
            volume=int(a["Volume"]),
            speed=int(a["Speed"]),
            out_id=a["OutId"],
            owner_id=int(a["OwnerId"]),
            resource_owner_id=int(a["ResourceOwnerId"]),
        )

    model = new_model()
    wire = Utils.query(model.to_map())
    assert wire == dict(ACTION), (wire, dict(ACTION))
    cases.append(("model.validate.current", model.validate))
    cases.append(("model.to_params.current", lambda: Utils.query(model.to_map())))
    cases.append(("model.from_params.current",
                  lambda: vms_models.SingleCallByTtsRequest().from_map(wire)))

    # (c) the whole request path, up to the (stubbed) network.
    def make_client(**extra):
        cfg = Config(access_key_id=ACCESS_KEY_ID, access_key_secret=SECRET,
                     endpoint=FAKE_ENDPOINT, protocol="http", region_id="cn-hangzhou", **extra)
        return VmsClient(cfg)

    client_v3 = make_client()  # the SDK default: V3, ACS3-HMAC-SHA256
    client_v1 = make_client(signature_algorithm="v2")  # RPC v1, HMAC-SHA1 (do_rpcrequest)

    def whole(client):
        def run():
            return client.single_call_by_tts_with_options(new_model(), RuntimeOptions())
        return run

    cases.append(("whole.v3.current", whole(client_v3)))
    cases.append(("whole.v1.current", whole(client_v1)))

    # The part of the whole path that comes after the (stubbed) network: decoding the canned body.
    canned_headers = {"content-type": "application/json;charset=utf-8"}

    def response_decode():
        body = json.loads(CANNED_BODY.decode("utf-8"))
        return DaraCore.from_map(vms_models.SingleCallByTtsResponse(),
                                 {"body": body, "headers": canned_headers, "statusCode": 200})

    cases.append(("whole.response_decode.current", response_decode))

    def check_v3():
        CAPTURED.clear()
        resp = whole(client_v3)()
        assert resp.body.request_id.startswith("0000"), "canned response not decoded"
        p = CAPTURED[-1]
        assert p.url.startswith(f"http://{FAKE_ENDPOINT}/?"), p.url
        assert p.headers["Authorization"].startswith("ACS3-HMAC-SHA256 Credential="), p.headers
        assert "TtsParam=" in p.url
        return {"url_bytes": len(p.url), "headers": len(p.headers)}

    def check_v1():
        CAPTURED.clear()
        resp = whole(client_v1)()
        assert resp.body.code == "OK"
        p = CAPTURED[-1]
        from urllib.parse import parse_qsl, urlsplit
        q = dict(parse_qsl(urlsplit(p.url).query, keep_blank_values=True))
        sig = q.pop("Signature")
        assert sig == Utils.get_rpcsignature(q, "POST", SECRET), "v1 signature does not verify"
        return {"url_bytes": len(p.url), "signed_params": len(q)}

    meta["check_whole_v3_current"] = check_v3()
    meta["check_whole_v1_current"] = check_v1()
    return cases


def legacy_sdk_cases(meta: dict) -> list:
    """Cases on the legacy SDK, aliyun-python-sdk-core (AcsClient, CommonRequest)."""
    from aliyunsdkcore.auth.algorithm import sha_hmac1
    from aliyunsdkcore.auth.composer import rpc_signature_composer as composer
    from aliyunsdkcore.client import AcsClient
    from aliyunsdkcore.request import CommonRequest

    # Module-level double-underscore names are not mangled; getattr reaches them.
    compose = getattr(composer, "__compose_string_to_sign")
    get_signature = getattr(composer, "__get_signature")
    signed = dict(V1_SIGNED)
    string_to_sign = compose("POST", signed)
    meta["v1_string_to_sign_bytes"] = len(string_to_sign.encode())
    meta["v1_signature_legacy"] = get_signature(string_to_sign, SECRET)

    cases = [
        ("v1.sign.legacy", lambda: get_signature(compose("POST", signed), SECRET)),
        ("v1.hmac_b64.legacy", lambda: sha_hmac1.get_sign_string(string_to_sign, SECRET + "&")),
        # Adds Timestamp, SignatureNonce (uuid) etc. to the action params, signs, builds the URL.
        ("v1.signed_url.legacy",
         lambda: composer.get_signed_url(dict(ACTION), ACCESS_KEY_ID, SECRET, FORMAT, "POST", {})),
    ]

    host, port = FAKE_ENDPOINT.split(":")
    client = AcsClient(ACCESS_KEY_ID, SECRET, "cn-hangzhou", port=int(port), auto_retry=False)

    def whole():
        req = CommonRequest(domain=host, version=VERSION, action_name=ACTION_NAME)
        req.set_protocol_type("http")
        req.set_method("POST")
        for k, v in ACTION:
            req.add_query_param(k, v)
        return client.do_action_with_exception(req)

    cases.append(("whole.v1.legacy", whole))

    def check():
        CAPTURED.clear()
        body = whole()
        assert json.loads(body)["Code"] == "OK"
        p = CAPTURED[-1]
        assert p.url.startswith(f"http://{FAKE_ENDPOINT}/?") and "Signature=" in p.url, p.url
        return {"url_bytes": len(p.url)}

    meta["check_whole_v1_legacy"] = check()
    return cases


# --- Timing --------------------------------------------------------------------------------------
def measure_case(fn, sample_s: float, samples: int, warmup_s: float) -> dict:
    timer = timeit.Timer(fn)
    # Warm up and calibrate: the smallest power of two of calls that fills one sample.
    number, deadline = 1, time.perf_counter() + warmup_s
    while True:
        elapsed = timer.timeit(number)
        if elapsed < sample_s:
            number *= 2
            continue
        if time.perf_counter() >= deadline:
            break
    per_call_ns = [timer.timeit(number) / number * 1e9 for _ in range(samples)]
    return {"iters_per_sample": number, "samples_ns": per_call_ns}


def summarize(samples_ns: list) -> dict:
    s = sorted(samples_ns)
    if len(s) >= 2:
        dec = statistics.quantiles(s, n=10, method="inclusive")
        p10, p90 = dec[0], dec[8]
    else:
        p10 = p90 = s[0]
    return {"median_ns": statistics.median(s), "p10_ns": p10, "p90_ns": p90,
            "min_ns": s[0], "max_ns": s[-1], "n": len(s)}


def cmd_measure(args) -> int:
    disable_network()
    patch_http()
    meta = {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "packages": {d: version_of(d) for d in (
            "alibabacloud-dyvmsapi20170525", "alibabacloud-tea-openapi", "darabonba-core",
            "alibabacloud-credentials", "aliyun-python-sdk-core", "requests")},
    }
    cases = current_sdk_cases(meta)
    if version_of("aliyun-python-sdk-core") and not args.no_legacy:
        cases += legacy_sdk_cases(meta)
        assert meta["v1_signature_legacy"] == meta["v1_signature_current"], \
            "the two SDKs disagree on the v1 signature of the same params"
    only = set(args.only.split(",")) if args.only else None
    print(json.dumps({"type": "meta", "label": args.label, **meta}, ensure_ascii=False),
          flush=True)
    for name, fn in cases:
        if only and name not in only:
            continue
        r = measure_case(fn, args.sample_ms / 1000, args.samples, args.warmup_ms / 1000)
        line = {"type": "case", "label": args.label, "case": name, **r,
                **summarize(r["samples_ns"])}
        print(json.dumps(line), flush=True)
        print(f"  [{args.label}] {name:32s} {line['median_ns'] / 1000:9.2f} µs", file=sys.stderr)
    return 0


# --- Table ---------------------------------------------------------------------------------------
# Rows: (label, criterion ids whose medians add up to popgen's side, SDK case id, note mark).
ROWS = [
    ("v1 signer: canonical query + string to sign + HMAC-SHA1 + base64 (18 params)",
     ["v1/sign(full)"], "v1.sign.current", ""),
    ("— same, legacy SDK (`__compose_string_to_sign` + `__get_signature`)",
     ["v1/sign(full)"], "v1.sign.legacy", ""),
    ("v1 HMAC-SHA1 + base64 of the string to sign (legacy `sha_hmac1`)",
     ["v1/signature_only(hmac+base64)"], "v1.hmac_b64.legacy", ""),
    ("v1 common params + sign + query string (legacy `get_signed_url`)",
     ["v1/params+sign+request_parts"], "v1.signed_url.legacy", "a"),
    ("v1 canonical query only", ["v1/canonical_query"], None, ""),
    ("V3 signer: payload hash + canonical request + HMAC-SHA256 + Authorization",
     ["v3/sign(full)"], "v3.sign.current", ""),
    ("V3 official headers + sign", ["v3/official_headers+sign"], "v3.headers_sign.current", ""),
    ("validate a valid request (SDK: `validate()`, a no-op)",
     ["validate/valid"], "model.validate.current", "b"),
    ("validate a request with 3 violations", ["validate/3_violations"], None, ""),
    ("model → wire params (SDK: `to_map` + `Utils.query`)",
     ["params/to_params"], "model.to_params.current", "b"),
    ("wire params → model (SDK: `from_map`)", ["params/from_params"],
     "model.from_params.current", "b"),
    ("**whole path, V3** (SDK default): model → params → sign → request",
     ["validate/valid", "params/to_params", "v3/official_headers+sign"], "whole.v3.current", "c"),
    ("**whole path, v1** (SDK `signature_algorithm='v2'`)",
     ["validate/valid", "params/to_params", "v1/params+sign+request_parts"],
     "whole.v1.current", "c"),
    ("**whole path, v1**, legacy SDK (`AcsClient` + `CommonRequest`)",
     ["validate/valid", "params/to_params", "v1/params+sign+request_parts"],
     "whole.v1.legacy", "c"),
    ("SDK canned-response decode (inside the whole-path rows above)", [],
     "whole.response_decode.current", "d"),
]

# If runtime/benches ever gets a whole-path bench (`Client::prepare` with fixed entropy), these
# names replace the sums above.
WHOLE_PATH_BENCHES = {
    "whole.v3.current": "client/prepare_v3",
    "whole.v1.current": "client/prepare_v1",
    "whole.v1.legacy": "client/prepare_v1",
}

NOTES = {
    "a": "the legacy function also generates the Timestamp and a uuid nonce; popgen's bench "
         "takes both as fixed inputs.",
    "b": "different work on each side: the SDK's `validate()` is `pass` and its `from_map` "
         "converts no types; popgen checks lengths, patterns, ranges and parses strings. "
         "popgen's struct (runtime/benches/validate.rs) has different values and fields "
         "(TaskName, Format) than the signing request.",
    "c": "popgen has no whole-path bench yet: its column is the sum of the listed benches' "
         "medians (spread: sum of p10s..sum of p90s), which leaves out the Timestamp/nonce, the "
         "URL and header-map assembly that `Client::prepare` also does. The SDK side includes "
         "building the model and `RuntimeOptions`, timestamp/nonce/user-agent, the credential "
         "lookup, URL building and `requests` request preparation, plus decoding the canned "
         "response (row d); client construction is excluded.",
    "d": "for reading the whole-path rows: subtract it to get the SDK's cost up to the wire.",
}


def load_criterion(criterion_dir: str, since: float | None) -> dict:
    out = {}
    if not os.path.isdir(criterion_dir):
        return out
    for entry in os.scandir(criterion_dir):
        new = os.path.join(entry.path, "new")
        bj, ej, sj = (os.path.join(new, f) for f in
                      ("benchmark.json", "estimates.json", "sample.json"))
        if not (os.path.isfile(bj) and os.path.isfile(ej)):
            continue
        if since is not None and os.path.getmtime(ej) < since:
            continue  # stale: from an earlier run
        with open(bj) as f:
            full_id = json.load(f)["full_id"]
        with open(ej) as f:
            est = json.load(f)["median"]
        row = {"median_ns": est["point_estimate"],
               "ci_lo_ns": est["confidence_interval"]["lower_bound"],
               "ci_hi_ns": est["confidence_interval"]["upper_bound"]}
        if os.path.isfile(sj):
            with open(sj) as f:
                s = json.load(f)
            per_iter = [t / n for t, n in zip(s["times"], s["iters"])]
            sm = summarize(per_iter)
            row.update(p10_ns=sm["p10_ns"], p90_ns=sm["p90_ns"], n=sm["n"])
        out[full_id] = row
    return out


def fmt_us(ns: float) -> str:
    us = ns / 1000
    if us >= 100:
        return f"{us:.0f}"
    if us >= 10:
        return f"{us:.1f}"
    if us >= 1:
        return f"{us:.2f}"
    return f"{us:.3f}"


def fmt_cell(med, lo, hi) -> str:
    return f"{fmt_us(med)} µs ({fmt_us(lo)}–{fmt_us(hi)})"


def cmd_table(args) -> int:
    crit = load_criterion(args.criterion_dir, args.since)
    py: dict[str, list] = {}
    per_label: dict[str, dict] = {}
    meta = None
    labels = []
    for path in args.jsonl:
        with open(path) as f:
            for line in f:
                line = line.strip()
                if not line:
                    continue
                rec = json.loads(line)
                if rec["type"] == "meta":
                    meta = meta or rec
                    labels.append(rec["label"])
                    continue
                py.setdefault(rec["case"], []).extend(rec["samples_ns"])
                per_label.setdefault(rec["case"], {})[rec["label"]] = rec["median_ns"]

    print("| case | popgen median (p10–p90) | official SDK median (p10–p90) | SDK ÷ popgen |")
    print("|---|---:|---:|---:|")
    missing = []
    used_notes = []
    for label, ids, case, note in ROWS:
        pop_cell, pop_med = "—", None
        if case in WHOLE_PATH_BENCHES and crit.get(WHOLE_PATH_BENCHES[case]):
            ids, note = [WHOLE_PATH_BENCHES[case]], ""
            label += f" (popgen: `{ids[0]}`)"
        mark = f" [{note}]" if note else ""
        if note and note not in used_notes:
            used_notes.append(note)
        if ids:
            got = [crit.get(i) for i in ids]
            if all(got):
                pop_med = sum(g["median_ns"] for g in got)
                lo = sum(g.get("p10_ns", g["ci_lo_ns"]) for g in got)
                hi = sum(g.get("p90_ns", g["ci_hi_ns"]) for g in got)
                pop_cell = ("Σ " if len(ids) > 1 else "") + fmt_cell(pop_med, lo, hi)
            else:
                missing += [i for i, g in zip(ids, got) if not g]
                pop_cell = "missing"
        sdk_cell, sdk_med = "—", None
        if case:
            if case in py:
                sm = summarize(py[case])
                sdk_med = sm["median_ns"]
                sdk_cell = fmt_cell(sdk_med, sm["p10_ns"], sm["p90_ns"])
            else:
                sdk_cell = "not run"
        ratio = f"{sdk_med / pop_med:.1f}×" if pop_med and sdk_med else "—"
        print(f"| {label}{mark} | {pop_cell} | {sdk_cell} | {ratio} |")
    print()
    for n in used_notes:
        print(f"[{n}] {NOTES[n]}  ")
    print()
    print("popgen: criterion, median of per-sample means (`estimates.json`), spread p10–p90 of the "
          "100 sample means (`sample.json`). SDK: `timeit`, median and p10–p90 of "
          f"{len(labels)} interleaved passes' pooled sample means ({', '.join(labels)}).")
    if missing:
        print(f"\nMissing criterion results (not run in this invocation?): {sorted(set(missing))}")

    if len(labels) > 1:
        print("\nSDK medians per pass (µs), to see load drift between the interleaved passes:\n")
        print("| SDK case | " + " | ".join(labels) + " |")
        print("|---|" + "---:|" * len(labels))
        for case, by in per_label.items():
            print(f"| `{case}` | " + " | ".join(fmt_us(by[lb]) if lb in by else "—"
                                               for lb in labels) + " |")
    if meta:
        pk = ", ".join(f"{k} {v}" for k, v in meta["packages"].items() if v)
        print(f"\nPython {meta['python']} ({meta['implementation']}); {pk}.")
        same_v1 = meta.get("v1_signature_current") == POPGEN_V1_SIGNATURE
        same_v3 = meta.get("v3_authorization_current", "").endswith(POPGEN_V3_SIGNATURE)
        print(f"Same inputs on both sides: the SDK's v1 signature "
              f"{'equals' if same_v1 else 'DIFFERS FROM'} popgen's (`{POPGEN_V1_SIGNATURE}`), its "
              f"V3 signature {'equals' if same_v3 else 'DIFFERS FROM'} popgen's.")
    return 1 if missing else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("measure", help="time the SDK cases, print JSON lines")
    m.add_argument("--label", default="A")
    m.add_argument("--sample-ms", type=float, default=5.0, help="target length of one sample")
    m.add_argument("--samples", type=int, default=40, help="samples per case")
    m.add_argument("--warmup-ms", type=float, default=100.0)
    m.add_argument("--only", help="comma-separated case ids")
    m.add_argument("--no-legacy", action="store_true", help="skip aliyun-python-sdk-core")
    t = sub.add_parser("table", help="print the Markdown comparison table")
    t.add_argument("--criterion-dir", required=True)
    t.add_argument("--since", type=float, help="ignore criterion results older than this epoch")
    t.add_argument("jsonl", nargs="+")
    args = ap.parse_args()
    return cmd_measure(args) if args.cmd == "measure" else cmd_table(args)


if __name__ == "__main__":
    sys.exit(main())
