#!/usr/bin/env python3
"""bench/sync.py: the SIS bulk push of issue 11, measured in rows per second.

For each backend (PostgreSQL, SQLite) it starts the release server on a fresh database, pushes
N students (syncStudents) and N enrollments (syncEnrollments) of one SIS: created, sent again
(unchanged), and changed (updated). In the same run it loads the same rows into PostgreSQL the
plain way: COPY into a staging table, then one INSERT ... ON CONFLICT DO UPDATE merge (no
checks, no audit or change rows, no per-record results). It prints one table with rows/s and
the ratio of each push to the COPY-and-merge of the same rows. See BENCHMARKS.md.

usage: bench/sync.py --bin PATH [--rows 10000] [--backends postgres,sqlite] [--pg-socket DIR]

--pg-socket connects the server to PostgreSQL over its Unix socket (for example
/var/run/postgresql) instead of TCP: sqlx 0.9.0 leaves Nagle's algorithm on for TCP (sqlx issue
#4335), which stalls large statements on delayed ACKs.
"""

import argparse
import csv
import io
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid

PG = {"PGHOST": "127.0.0.1", "PGPORT": "5432", "PGUSER": "postgres"}
DB = "ssw_bench_sync"
SECRET = "bench-only-secret-not-for-production-0000"
SCHOOLS = 5
GRADES = ["KG", "01", "02", "03", "04", "05"]


def sh(*args, env=None, input_text=None):
    done = subprocess.run(args, capture_output=True, text=True,
                          env={**os.environ, **PG, **(env or {})}, input=input_text)
    if done.returncode != 0:
        sys.exit(f"bench: {args[0]} failed: {done.stderr.strip()[:1000]}")
    return done.stdout


def psql(sql, db=DB):
    return sh("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db, "-Atc", sql).strip()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def students(n, suffix=""):
    return [{"sourcedId": f"st{i}", "legalFirstName": f"Ana{suffix}", "legalLastName": f"Ruiz{i}",
             "localId": f"L{i}", "birthDate": "2015-05-04", "gradeLevel": GRADES[i % len(GRADES)]}
            for i in range(n)]


def enrollments(n, entry="2026-08-20"):
    return [{"sourcedId": f"e{i}", "studentSourcedId": f"st{i}",
             "schoolSourcedId": f"s{i % SCHOOLS}", "entryDate": entry,
             "gradeLevel": GRADES[i % len(GRADES)]} for i in range(n)]


class Server:
    """The release server on a fresh database of `backend`."""

    def __init__(self, binary, backend, work, pg_socket=None):
        self.binary = binary
        if backend == "postgres":
            sh("dropdb", "--if-exists", "--force", DB)
            sh("createdb", DB)
            host = pg_socket.replace("/", "%2F") if pg_socket else "127.0.0.1:5432"
            self.url = f"postgres://postgres@{host}/{DB}"
        else:
            self.url = f"sqlite://{work}/sync.db?mode=rwc"
        env = {"DATABASE_URL": self.url, "SSW_JWT_SECRET": SECRET, "RUST_LOG": "warn"}
        district = sh(binary, "create-district", "--name", "Bench", "--state", "IL", env=env).strip()
        self.token = sh(binary, "token", "--role", "SIS_INTEGRATION", "--district", district,
                        env=env).strip()
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [binary, "serve", "--listen", f"127.0.0.1:{port}", "--max-body-bytes", "67108864",
             "--request-timeout-secs", "600"],
            env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{self.base}/healthz", timeout=1)
                return
            except OSError:
                time.sleep(0.1)
        sys.exit("bench: the server did not start")

    def push(self, mutation, records):
        """Seconds to push `records` with `mutation`, and its summary."""
        kind = mutation[4:]
        query = (f"mutation($input: Sync{kind}Input!) {{ {mutation}(input: $input) "
                 "{ applied summary { created updated unchanged failed } } }")
        body = json.dumps({"query": query, "variables": {
            "input": {"sourceSystem": "sis", "records": records}}}).encode()
        request = urllib.request.Request(f"{self.base}/graphql", data=body, method="POST", headers={
            "Content-Type": "application/json", "Authorization": f"Bearer {self.token}"})
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=600) as response:
            answer = json.load(response)
        seconds = time.perf_counter() - started
        payload = (answer.get("data") or {}).get(mutation)
        if not payload or not payload["applied"]:
            sys.exit(f"bench: {mutation} was not applied: {json.dumps(answer)[:500]}")
        return seconds, payload["summary"]

    def stop(self):
        self.process.terminate()
        self.process.wait()


def copy_and_merge(table, columns, rows, conflict_set):
    """Seconds to COPY `rows` into a staging table and merge them into `table` (one psql call)."""
    data = io.StringIO()
    csv.writer(data, lineterminator="\n").writerows(rows)
    names = ", ".join(columns)
    updates = ", ".join(f"{c} = excluded.{c}" for c in conflict_set)
    changed = " OR ".join(f"{table}.{c} IS DISTINCT FROM excluded.{c}" for c in conflict_set)
    script = f"""BEGIN;
CREATE TEMP TABLE staging (LIKE {table} INCLUDING DEFAULTS) ON COMMIT DROP;
COPY staging ({names}) FROM STDIN WITH (FORMAT csv);
{data.getvalue()}\\.
INSERT INTO {table} ({names}) SELECT {names} FROM staging
ON CONFLICT (district_id, source_system, sourced_id) DO UPDATE SET {updates},
  version = {table}.version + 1, updated_at = now() WHERE {changed};
COMMIT;
"""
    started = time.perf_counter()
    sh("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", DB, "-f", "-", input_text=script)
    return time.perf_counter() - started


def baseline(n):
    """COPY-and-merge of the same students and enrollments, in the PostgreSQL database the
    server used (another source system, so the rows are new): created, again, changed."""
    district = psql("SELECT id FROM district LIMIT 1")
    school_ids = psql("SELECT id FROM school ORDER BY sourced_id").split()
    now = "2026-12-01T00:00:00Z"
    student_cols = ["id", "district_id", "source_system", "sourced_id", "legal_first_name",
                    "legal_last_name", "local_id", "birth_date", "grade_level", "status",
                    "created_at", "updated_at", "version"]
    ids = [str(uuid.uuid4()) for _ in range(n)]

    def student_rows(first):
        return [[ids[i], district, "copy", f"st{i}", first, f"Ruiz{i}", f"L{i}", "2015-05-04",
                 GRADES[i % len(GRADES)], "ACTIVE", now, now, 1] for i in range(n)]
    owned = ["legal_first_name", "legal_last_name", "local_id", "birth_date", "grade_level"]
    times = {}
    times["students created"] = copy_and_merge("student", student_cols, student_rows("Ana"), owned)
    times["students unchanged"] = copy_and_merge("student", student_cols, student_rows("Ana"), owned)
    times["students updated"] = copy_and_merge("student", student_cols, student_rows("Anx"), owned)
    stored = dict(line.split("|") for line in psql(
        "SELECT sourced_id, id FROM student WHERE source_system = 'copy'").split())
    enrollment_cols = ["id", "district_id", "source_system", "sourced_id", "student_id",
                       "school_id", "entry_date", "grade_level", "is_primary", "created_at",
                       "updated_at", "version"]

    def enrollment_rows(entry):
        return [[str(uuid.uuid4()), district, "copy", f"e{i}", stored[f"st{i}"],
                 school_ids[i % len(school_ids)], entry, GRADES[i % len(GRADES)], "t", now, now, 1]
                for i in range(n)]
    owned = ["student_id", "school_id", "entry_date", "grade_level", "is_primary"]
    times["enrollments created"] = copy_and_merge("enrollment", enrollment_cols,
                                                  enrollment_rows("2026-08-20"), owned)
    times["enrollments unchanged"] = copy_and_merge("enrollment", enrollment_cols,
                                                    enrollment_rows("2026-08-20"), owned)
    times["enrollments updated"] = copy_and_merge("enrollment", enrollment_cols,
                                                  enrollment_rows("2026-08-21"), owned)
    return times


def feed(server, token):
    """Seconds to read the whole change feed 500 at a time, and how many changes it held."""
    query = ("query($after: String) { changes(after: $after, first: 500) "
             "{ nodes { cursor entityType entityId naturalKey operation changedAt } "
             "endCursor hasNextPage } }")
    after, count = None, 0
    started = time.perf_counter()
    while True:
        body = json.dumps({"query": query, "variables": {"after": after}}).encode()
        request = urllib.request.Request(f"{server.base}/graphql", data=body, method="POST",
                                         headers={"Content-Type": "application/json",
                                                  "Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=600) as response:
            page = json.load(response)["data"]["changes"]
        count += len(page["nodes"])
        after = page["endCursor"]
        if not page["hasNextPage"]:
            return time.perf_counter() - started, count


def pushes(server, n):
    schools = [{"sourcedId": f"s{i}", "name": f"School {i}", "lowestGrade": "KG",
                "highestGrade": "05"} for i in range(SCHOOLS)]
    server.push("syncSchools", schools)
    times = {}
    for label, mutation, records in [
        ("students created", "syncStudents", students(n)),
        ("students unchanged", "syncStudents", students(n)),
        ("students updated", "syncStudents", students(n, "x")),
        ("enrollments created", "syncEnrollments", enrollments(n)),
        ("enrollments unchanged", "syncEnrollments", enrollments(n)),
        ("enrollments updated", "syncEnrollments", enrollments(n, "2026-08-21")),
    ]:
        seconds, summary = server.push(mutation, records)
        expected = label.split()[1]
        if summary[expected] != n:
            sys.exit(f"bench: {label}: {summary}")
        times[label] = seconds
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bin", required=True)
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--backends", default="postgres,sqlite")
    parser.add_argument("--pg-socket")
    args = parser.parse_args()
    n = args.rows
    results, feeds = {}, {}
    with tempfile.TemporaryDirectory() as work:
        for backend in args.backends.split(","):
            server = Server(args.bin, backend, work, args.pg_socket)
            try:
                results[backend] = pushes(server, n)
                env = {"DATABASE_URL": server.url, "SSW_JWT_SECRET": SECRET}
                admin = sh(args.bin, "token", "--role", "DISTRICT_ADMIN", env=env).strip()
                feeds[backend] = feed(server, admin)
            finally:
                server.stop()
            if backend == "postgres":
                psql("VACUUM ANALYZE")
                results["copy"] = baseline(n)
    if "copy" not in results:
        sys.exit("bench: the COPY baseline runs in the PostgreSQL database: include postgres")
    via = f"Unix socket {args.pg_socket}" if args.pg_socket else "TCP"
    print(f"\n{n} rows per push, the server on PostgreSQL over {via}; rows/s (ratio to"
          " COPY-and-merge of the same rows, psql over TCP)\n")
    print("| push | COPY-and-merge | " + " | ".join(b for b in results if b != "copy") + " |")
    print("|---|---|" + "---|" * (len(results) - 1))
    for label in results["copy"]:
        base = n / results["copy"][label]
        cells = [f"{n / results[b][label]:,.0f} ({base and (n / results[b][label]) / base:.2f}x)"
                 for b in results if b != "copy"]
        print(f"| {label} | {base:,.0f} | " + " | ".join(cells) + " |")
    print("\nThe change feed read afterwards, 500 changes a page (GraphQL, district admin):\n")
    for backend, (seconds, count) in feeds.items():
        print(f"- {backend}: {count:,} changes in {seconds:.2f} s, {count / seconds:,.0f} changes/s")
    load = os.getloadavg()
    print(f"\nmachine: {os.cpu_count()} cores, load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    sh("dropdb", "--if-exists", "--force", DB)


if __name__ == "__main__":
    main()
