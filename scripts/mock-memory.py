#!/usr/bin/env python3
"""The mock's memory under large rejected requests (issue 12, item 4), measured from outside.

Starts `dyvms mock` (the binary given), sends COUNT requests of SIZE bytes each as a form body
that the mock refuses (an unsigned request of an action it does not have), then reads the
server's resident memory (VmRSS, and the peak VmHWM) from /proc after the requests, while
`GET /_mock/journal` streams, and after `DELETE /_mock/journal`. Linux only; standard library only.

    cargo build -p dyvmsapi --features cli --bin dyvms
    scripts/mock-memory.py target/debug/dyvms --count 60 --size 2600000 --shape many

`--shape many`: the body is SIZE bytes of short params (`P1=…&P2=…`, about 100,000 of them),
the costliest shape for a journal that keeps every param; `--shape one`: one param whose value is
SIZE bytes.
"""

import argparse
import http.client
import os
import re
import subprocess
import sys
import threading
import time


def rss(pid):
    """(VmRSS, VmHWM) of `pid`, in MiB."""
    fields = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(value.split()[0]) / 1024
    return fields["VmRSS"], fields["VmHWM"]


def body(size, shape):
    if shape == "one":
        prefix = "Action=NoSuchAction&Blob="
        return (prefix + "x" * (size - len(prefix))).encode()
    parts, total, i = ["Action=NoSuchAction"], 19, 0
    while total < size:
        i += 1
        part = f"P{i}=v{i:020d}"
        parts.append(part)
        total += len(part) + 1
    return "&".join(parts).encode()


def request(port, method, path, payload=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"content-type": "application/x-www-form-urlencoded"} if payload else {}
    conn.request(method, path, body=payload, headers=headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, data


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary", help="the dyvms binary")
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--size", type=int, default=2_600_000)
    parser.add_argument("--shape", choices=["many", "one"], default="many")
    parser.add_argument("--quiet", action="store_true", help="pass --quiet (newer mocks only)")
    args = parser.parse_args()

    env = dict(os.environ, POPGEN_MOCK_ACCESS_KEY_ID="id", POPGEN_MOCK_ACCESS_KEY_SECRET="secret")
    server = subprocess.Popen(
        [args.binary, "mock", "--listen", "127.0.0.1:0"] + (["--quiet"] if args.quiet else []),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    try:
        first = server.stdout.readline()
        port = int(re.search(r":(\d+)\s*$", first).group(1))
        payload = body(args.size, args.shape)
        print(f"start: RSS {rss(server.pid)[0]:.0f} MiB")
        statuses = {}
        for _ in range(args.count):
            status, _ = request(port, "POST", "/", payload)
            statuses[status] = statuses.get(status, 0) + 1
        print(f"after {args.count} x {len(payload)} B ({args.shape}; answers {statuses}): "
              f"RSS {rss(server.pid)[0]:.0f} MiB, peak {rss(server.pid)[1]:.0f} MiB")

        peak = [0.0]
        done = threading.Event()

        def watch():
            while not done.is_set():
                peak[0] = max(peak[0], rss(server.pid)[0])
                time.sleep(0.005)

        watcher = threading.Thread(target=watch)
        watcher.start()
        status, data = request(port, "GET", "/_mock/journal")
        done.set()
        watcher.join()
        accounted = re.search(rb'"bytes":(\d+)', data[:200])
        journal = f", journal {int(accounted.group(1)) / 1024:.0f} KiB" if accounted else ""
        print(f"GET /_mock/journal: {status}, {len(data)} B{journal}; "
              f"RSS peak while serving {peak[0]:.0f} MiB")
        request(port, "DELETE", "/_mock/journal")
        time.sleep(0.2)
        print(f"after DELETE /_mock/journal: RSS {rss(server.pid)[0]:.0f} MiB")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    sys.exit(main())
