#!/usr/bin/env python3
"""Drive a running popgen mock server with Alibaba Cloud's official Python SDK.

Checks that the mock accepts exactly what the official SDK of a product sends, in both its
signing modes: V3 (ACS3-HMAC-SHA256, the default) and `signature_algorithm='v2'` (RPC signature
v1.0, HMAC-SHA1). For each mode it calls an action with side effects and a read-only one, expects
`Code: OK` and a RequestId, then signs with a wrong secret and expects SignatureDoesNotMatch.
Prints one line per check and a summary; exits 1 on any failure, 2 when the SDK is not installed.

- `--product dyvmsapi` (alibabacloud-dyvmsapi20170525): SingleCallByTts (TtsParam carrying a
  space, which the SDK sends as `+`), the same in public mode (no CalledShowNumber), and
  QueryCallDetailByCallId.
- `--product dysmsapi` (alibabacloud-dysmsapi20170525): SendSms (TemplateParam with a space) and
  QuerySendDetails.

Setup (once):
    python3 -m venv target/sdk-venv && target/sdk-venv/bin/pip install \
        alibabacloud-dyvmsapi20170525 alibabacloud-dysmsapi20170525

Usage:
    target/sdk-venv/bin/python scripts/official-sdk-mock.py --product dysmsapi \
        --endpoint 127.0.0.1:PORT --access-key-id ID --access-key-secret SECRET

Every option can also come from the environment: POPGEN_MOCK_ENDPOINT,
POPGEN_MOCK_ACCESS_KEY_ID, POPGEN_MOCK_ACCESS_KEY_SECRET. When run with a Python that lacks the SDK,
the script re-runs itself with target/sdk-venv/bin/python if that exists.
"""

import argparse
import os
import random
import sys
import time
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV_PYTHON = os.path.join(ROOT, "target", "sdk-venv", "bin", "python")


def import_sdk(product):
    """Imports the product's SDK, re-running under the project venv when this Python lacks it."""
    import importlib
    try:
        models = importlib.import_module("alibabacloud_%s20170525.models" % product)
        Client = importlib.import_module("alibabacloud_%s20170525.client" % product).Client
        from alibabacloud_tea_openapi import models as openapi_models
        from Tea.exceptions import TeaException
    except ImportError:
        if os.path.exists(VENV_PYTHON) and os.path.realpath(sys.executable) != os.path.realpath(VENV_PYTHON):
            os.execv(VENV_PYTHON, [VENV_PYTHON, os.path.abspath(__file__)] + sys.argv[1:])
        sys.stderr.write(
            "the official SDK is not installed: python3 -m venv target/sdk-venv && "
            "target/sdk-venv/bin/pip install alibabacloud-%s20170525\n" % product
        )
        sys.exit(2)
    return models, Client, openapi_models, TeaException


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--product", choices=("dyvmsapi", "dysmsapi"), default="dyvmsapi")
    parser.add_argument("--endpoint", default=os.environ.get("POPGEN_MOCK_ENDPOINT"),
                        help="host:port of the mock (http)")
    parser.add_argument("--access-key-id", default=os.environ.get("POPGEN_MOCK_ACCESS_KEY_ID"))
    parser.add_argument("--access-key-secret", default=os.environ.get("POPGEN_MOCK_ACCESS_KEY_SECRET"))
    parser.add_argument("--timeout-ms", type=int, default=5000)
    args = parser.parse_args()
    missing = [n for n in ("endpoint", "access_key_id", "access_key_secret") if not getattr(args, n)]
    if missing:
        parser.error("missing: " + ", ".join("--" + n.replace("_", "-") for n in missing))
    args.endpoint = args.endpoint.removeprefix("http://").rstrip("/")
    return args


def main():
    args = parse_args()
    models, Client, openapi_models, TeaException = import_sdk(args.product)
    results = []

    def client(mode, secret):
        config = openapi_models.Config(
            access_key_id=args.access_key_id,
            access_key_secret=secret,
            endpoint=args.endpoint,
            protocol="http",
            read_timeout=args.timeout_ms,
            connect_timeout=args.timeout_ms,
        )
        if mode == "v2":
            config.signature_algorithm = "v2"
        return Client(config)

    def check(name, call, expect_code="OK"):
        try:
            response = call()
            body = response.body
            code, request_id = body.code, body.request_id
            ok = expect_code == code and bool(request_id)
            detail = "Code=%s RequestId=%s" % (code, request_id)
        except TeaException as e:
            code = e.code
            ok = code == expect_code
            detail = "Code=%s Message=%s" % (code, (e.message or "")[:160].replace("\n", "\\n"))
        except Exception as e:  # transport errors, decoding errors: a failure, with the cause
            ok = False
            detail = "%s: %s" % (type(e).__name__, e)
            traceback.print_exc()
        results.append(ok)
        print("%s %-46s expected %-22s %s" % ("ok  " if ok else "FAIL", name, expect_code, detail))

    # Distinct callees per call, so per-callee limits (1 per minute upstream) do not interfere.
    base = random.randint(0, 9_000_000)
    for i, mode in enumerate(("v3", "v2")):
        good = client(mode, args.access_key_secret)
        bad = client(mode, args.access_key_secret + "-wrong")
        if args.product == "dysmsapi":
            sms_checks(check, models, good, bad, mode, base + i)
        else:
            vms_checks(check, models, good, bad, mode, base + 2 * i)

    failed = results.count(False)
    print("%d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


def vms_checks(check, models, good, bad, mode, n):
    """SingleCallByTts in dedicated and public mode, QueryCallDetailByCallId, a wrong secret."""
    tts = models.SingleCallByTtsRequest(
        called_show_number="057112345678",
        called_number="138%08d" % n,
        tts_code="TTS_10001",
        tts_param='{"code":"12 34"}',
        play_times=2,
        volume=100,
        speed=5,
        out_id="sdk-%s" % mode,
    )
    check("%s SingleCallByTts" % mode, lambda: good.single_call_by_tts(tts))
    # Public mode: the shared numbers call, and the request names no CalledShowNumber.
    public = models.SingleCallByTtsRequest(
        called_number="139%08d" % n, tts_code="TTS_10001", out_id="pub-%s" % mode
    )
    check("%s SingleCallByTts (public mode)" % mode, lambda: good.single_call_by_tts(public))
    detail = models.QueryCallDetailByCallIdRequest(
        call_id="116012354148^10281378****",
        prod_id=11000000300006,
        query_date=int(time.time() * 1000),
    )
    check("%s QueryCallDetailByCallId" % mode, lambda: good.query_call_detail_by_call_id(detail))
    check("%s wrong secret" % mode, lambda: bad.query_call_detail_by_call_id(detail),
          expect_code="SignatureDoesNotMatch")


def sms_checks(check, models, good, bad, mode, n):
    """SendSms, QuerySendDetails, a wrong secret."""
    send = models.SendSmsRequest(
        phone_numbers="138%08d" % n,
        sign_name="阿里云",
        template_code="SMS_15305****",
        template_param='{"code":"12 34"}',
        out_id="sdk-%s" % mode,
    )
    check("%s SendSms" % mode, lambda: good.send_sms(send))
    details = models.QuerySendDetailsRequest(
        phone_number="138%08d" % n,
        send_date=time.strftime("%Y%m%d"),
        page_size=10,
        current_page=1,
    )
    check("%s QuerySendDetails" % mode, lambda: good.query_send_details(details))
    check("%s wrong secret" % mode, lambda: bad.query_send_details(details),
          expect_code="SignatureDoesNotMatch")


if __name__ == "__main__":
    sys.exit(main())
