#!/usr/bin/env python3
"""Runs the Autobahn|Testsuite cases (through kosoku) against Felt's WebSocket echo
endpoint and fails on any outcome other than the accepted ones.

Usage:
  autobahn_run.py --address 127.0.0.1:9001      # a server already running
  autobahn_run.py --felt .build/release/felt    # start `felt bench ws --autobahn-echo`

Accepted: sections 1-7, 9, 10 -> OK, NON-STRICT or INFORMATIONAL;
sections 12, 13 (permessage-deflate, not implemented) -> also UNIMPLEMENTED.
Exit status 0 when every case is accepted, 1 otherwise; the reports stay in --outdir.
"""
import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter

REQUIRED = {"1", "2", "3", "4", "5", "6", "7", "9", "10"}
OPTIONAL = {"12", "13"}
ACCEPTED = {"OK", "NON-STRICT", "INFORMATIONAL"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(address, seconds=20):
    host, port = address.rsplit(":", 1)
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            socket.create_connection((host, int(port)), timeout=1).close()
            return True
        except OSError:
            time.sleep(0.1)
    return False


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--address", help="host:port of a running echo server")
    parser.add_argument("--felt", help="felt executable to start with --autobahn-echo")
    parser.add_argument("--outdir", help="report folder (default: a temporary folder)")
    parser.add_argument("--include", action="append", default=[], help="case glob to run (default: all)")
    parser.add_argument("--parallelism", default="1")
    args = parser.parse_args()

    kosoku = shutil.which("kosoku")
    if kosoku is None:
        print("autobahn: kosoku is not installed (pip install -r Tests/requirements.txt)")
        return 1
    server = None
    address = args.address
    if address is None:
        if args.felt is None:
            parser.error("give --address or --felt")
        address = f"127.0.0.1:{free_port()}"
        server = subprocess.Popen([args.felt, "bench", "ws", "--autobahn-echo", "--port", address.split(":")[1]],
                                  stdout=subprocess.DEVNULL)
    try:
        if not wait_for(address):
            print(f"autobahn: nothing listens on {address}")
            return 1
        outdir = args.outdir or tempfile.mkdtemp(prefix="felt-autobahn-")
        command = [kosoku, "-o", outdir, "-p", args.parallelism]
        for case in args.include:
            command += ["-i", case]
        started = time.time()
        run = subprocess.run(command + [address], capture_output=True, text=True, timeout=1800)
        elapsed = time.time() - started
        index_path = os.path.join(outdir, "index.json")
        if not os.path.exists(index_path):
            print(f"autobahn: kosoku wrote no report (exit {run.returncode})\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}")
            return 1
        with open(index_path) as f:
            index = json.load(f)
        cases = next(iter(index.values()))
        outcomes = Counter()
        bad = []
        for case_id, result in cases.items():
            section = case_id.split(".")[0]
            behavior = result.get("behavior")
            outcomes[(section, behavior)] += 1
            allowed = ACCEPTED | ({"UNIMPLEMENTED"} if section in OPTIONAL else set())
            if section not in REQUIRED | OPTIONAL or behavior not in allowed:
                bad.append(f"{case_id}: {behavior} (close: {result.get('behaviorClose')})")
            elif result.get("behaviorClose") not in ACCEPTED | {"UNIMPLEMENTED"}:
                bad.append(f"{case_id}: close behavior {result.get('behaviorClose')}")
        sections_seen = {key[0] for key in outcomes}
        missing = sorted(REQUIRED - sections_seen) if not args.include else []
        for (section, behavior), count in sorted(outcomes.items(), key=lambda kv: (int(kv[0][0]), kv[0][1])):
            print(f"section {section:>2}: {behavior:<14} {count}")
        print(f"autobahn: {len(cases)} cases in {elapsed:.1f} s, reports in {outdir}")
        if missing:
            print(f"autobahn: sections missing from the report: {', '.join(missing)}")
            return 1
        if bad:
            print("autobahn: unacceptable outcomes:\n  " + "\n  ".join(bad[:50]))
            return 1
        print("autobahn: all cases accepted")
        return 0
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()


if __name__ == "__main__":
    sys.exit(main())
