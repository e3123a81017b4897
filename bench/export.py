#!/usr/bin/env python3
"""bench/export.py: a streamed export (issue 12) next to PostgreSQL's own COPY ... TO STDOUT.

Starts the release server on an existing PostgreSQL database (a `bench/run --keep` one: 100,000
students have about 700,000 progress points), then in the same run: exports
`progress_points.csv` over HTTP as a district admin and times it to the last byte, reading the
server's peak resident memory (VmHWM) after; and runs `COPY (SELECT the same columns, joined
the same way) TO STDOUT (FORMAT csv)` with psql. Prints rows/s of each, the ratio and the
peak RSS. Every figure is the best of `--runs` (default 3).

usage: bench/export.py --bin PATH [--db ssw_bench_100000] [--runs 3]
"""

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.request

PG = {"PGHOST": "127.0.0.1", "PGPORT": "5432", "PGUSER": "postgres"}
SECRET = "bench-only-secret-not-for-production-0000"
COPY = """COPY (SELECT pp.id, pp.plan_id, p.student_id, pp.date, pp.value, pp.updated_at
  FROM progress_point pp JOIN student_intervention p ON p.id = pp.plan_id
 WHERE p.student_id IN (SELECT id FROM student WHERE district_id = '{district}'
                         AND deleted_at IS NULL)
 ORDER BY pp.id) TO STDOUT (FORMAT csv)"""


def run(*args, env=None, stdout=subprocess.PIPE):
    done = subprocess.run(args, env={**os.environ, **PG, **(env or {})}, stdout=stdout,
                          stderr=subprocess.PIPE, text=stdout == subprocess.PIPE)
    if done.returncode != 0:
        sys.exit(f"bench: {args[0]} failed: {done.stderr[:500]}")
    return done.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bin", required=True)
    parser.add_argument("--db", default="ssw_bench_100000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    url = f"postgres://postgres@127.0.0.1:5432/{args.db}"
    env = {"DATABASE_URL": url, "SSW_JWT_SECRET": SECRET, "RUST_LOG": "warn"}
    district = run("psql", "-X", "-d", args.db, "-Atc", "SELECT id FROM district LIMIT 1").strip()
    token = run(args.bin, "token", "--role", "DISTRICT_ADMIN", "--district", district,
                env=env).strip()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([args.bin, "serve", "--listen", f"127.0.0.1:{port}"],
                              env={**os.environ, **env}, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        exports, copies, rows = [], [], 0
        for _ in range(args.runs):
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/export/progress_points.csv",
                headers={"Authorization": f"Bearer {token}"})
            started = time.perf_counter()
            lines = 0
            with urllib.request.urlopen(request, timeout=600) as response:
                for chunk in iter(lambda: response.read(1 << 16), b""):
                    lines += chunk.count(b"\n")
            exports.append(time.perf_counter() - started)
            rows = lines - 1
            started = time.perf_counter()
            run("psql", "-X", "-q", "-d", args.db, "-c", COPY.format(district=district),
                stdout=subprocess.DEVNULL)
            copies.append(time.perf_counter() - started)
        with open(f"/proc/{server.pid}/status") as status:
            peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))
    finally:
        server.terminate()
        server.wait()
    export_rate, copy_rate = rows / min(exports), rows / min(copies)
    print(f"{rows:,} progress points")
    print(f"| export | rows/s | s |\n|---|---|---|")
    print(f"| GET /export/progress_points.csv | {export_rate:,.0f} | {min(exports):.2f} |")
    print(f"| psql COPY ... TO STDOUT (csv) | {copy_rate:,.0f} | {min(copies):.2f} |")
    print(f"\nratio {export_rate / copy_rate:.2f}x of COPY; server peak RSS {peak / 1024:.0f} MB")
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} cores, load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
