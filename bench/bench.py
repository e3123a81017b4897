#!/usr/bin/env python3
"""Helpers of bench/run (python3 stdlib only): pick the ids each screen needs, build request
bodies, count SQL statements per request, read wrk and pgbench outputs, print the table."""

import argparse
import base64
import datetime
import glob
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
import urllib.request
import uuid

# Today and enrolled today, as the server's policy reads it.
ENROLLED = ("e.deleted_at IS NULL AND e.entry_date <= {today} "
            "AND (e.exit_date IS NULL OR e.exit_date >= {today})")

PICKS = {
    "district": "SELECT id FROM district ORDER BY name LIMIT 1",
    # The school with the most students enrolled today.
    "school": "SELECT e.school_id FROM enrollment e JOIN school s ON s.id = e.school_id "
              "WHERE " + ENROLLED + " GROUP BY e.school_id, s.name "
              "ORDER BY count(*) DESC, s.name LIMIT 1",
    # The student with the most intervention plans (then the most progress points).
    "student": "SELECT p.student_id FROM student_intervention p "
               "JOIN student s ON s.id = p.student_id "
               "LEFT JOIN progress_point pp ON pp.plan_id = p.id "
               "GROUP BY p.student_id, s.local_id "
               "ORDER BY count(DISTINCT p.id) DESC, count(pp.id) DESC, s.local_id LIMIT 1",
    # The social worker assigned today to the most schools.
    "social_worker": "SELECT st.id FROM staff st "
                     "JOIN staff_school_assignment a ON a.staff_id = st.id "
                     "WHERE st.role = 'SOCIAL_WORKER' AND st.deleted_at IS NULL "
                     "AND a.start_date <= {today} "
                     "AND (a.end_date IS NULL OR a.end_date >= {today}) "
                     "GROUP BY st.id, st.last_name, st.first_name "
                     "ORDER BY count(*) DESC, st.last_name, st.first_name LIMIT 1",
}

SW_SCHOOLS = ("SELECT DISTINCT a.school_id FROM staff_school_assignment a "
              "WHERE a.staff_id = {staff} AND a.start_date <= {today} "
              "AND (a.end_date IS NULL OR a.end_date >= {today})")


def as_uuid(value):
    """A UUID from either backend: text on PostgreSQL, 16 bytes or text on SQLite."""
    if isinstance(value, bytes) and len(value) == 16:
        return str(uuid.UUID(bytes=value))
    return str(uuid.UUID(str(value)))


class Database:
    """Runs read-only SQL on the PostgreSQL database (through psql) or the SQLite file."""

    def __init__(self, backend, target):
        self.backend, self.target = backend, target
        self.today = "CURRENT_DATE" if backend == "postgres" else "date('now')"

    def column(self, sql):
        if self.backend == "postgres":
            out = subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1",
                                  "-d", self.target, "-c", sql],
                                 check=True, capture_output=True, text=True).stdout
            return [line for line in out.splitlines() if line]
        with sqlite3.connect(f"file:{self.target}?mode=ro", uri=True) as db:
            return [row[0] for row in db.execute(sql)]

    def uuid_literal(self, value):
        if self.backend == "postgres":
            return f"'{value}'"
        return f"X'{uuid.UUID(value).hex}'" if self.stores_blobs() else f"'{value}'"

    def stores_blobs(self):
        with sqlite3.connect(f"file:{self.target}?mode=ro", uri=True) as db:
            return db.execute("SELECT typeof(id) FROM district LIMIT 1").fetchone()[0] == "blob"


def pick(args):
    """Prints shell assignments PREFIX_DISTRICT, _SCHOOL, _STUDENT, _SW and _SW_SCHOOLS."""
    db = Database(args.backend, args.target)
    ids = {}
    for name, sql in PICKS.items():
        rows = db.column(sql.format(today=db.today))
        if not rows:
            sys.exit(f"bench: no {name} to pick in the {args.backend} database")
        ids[name] = as_uuid(rows[0])
    staff = db.uuid_literal(ids["social_worker"])
    schools = [as_uuid(v) for v in db.column(SW_SCHOOLS.format(staff=staff, today=db.today))]
    prefix = args.prefix
    print(f"{prefix}_DISTRICT={ids['district']}")
    print(f"{prefix}_SCHOOL={ids['school']}")
    print(f"{prefix}_STUDENT={ids['student']}")
    print(f"{prefix}_SW={ids['social_worker']}")
    print(f"{prefix}_SW_SCHOOLS={','.join(sorted(schools))}")


def analyze_sqlite(args):
    with sqlite3.connect(args.file) as db:
        db.execute("ANALYZE")


def global_id(kind, value):
    return base64.urlsafe_b64encode(f"{kind}:{value}".encode()).decode().rstrip("=")


def body(args):
    """Writes the request body of a screen: its query, and variables given as name=Kind:uuid."""
    with open(args.query) as f:
        query = f.read()
    variables = {}
    for item in args.var:
        name, _, value = item.partition("=")
        kind, _, raw = value.partition(":")
        if re.search(rf"\${name}\b", query):
            variables[name] = global_id(kind, raw)
    with open(args.out, "w") as f:
        json.dump({"query": query, "variables": variables}, f)


def post(url, token, data):
    request = urllib.request.Request(url, data=data, method="POST", headers={
        "Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.load(response)


def statements(base):
    with urllib.request.urlopen(f"{base}/metrics", timeout=30) as response:
        text = response.read().decode()
    match = re.search(r"^ssw_db_statements_total (\d+)", text, re.M)
    if not match:
        sys.exit("bench: /metrics has no ssw_db_statements_total")
    return int(match.group(1))


def sizes(value, path="data"):
    """The length of every `nodes` list in a response, to show the screen returned rows."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "nodes" and isinstance(item, list) and path.count(".") < 3:
                yield f"{path}.nodes={len(item)}"
            yield from sizes(item, f"{path}.{key}")
    elif isinstance(value, list) and value:
        yield from sizes(value[0], path)


def count(args):
    """Statements per request (the counter before and after `n` requests, one at a time,
    after one more) and the mean time of those requests alone, in ms. Refuses a screen that
    answers errors or no data."""
    with open(args.body, "rb") as f:
        data = f.read()

    def ask():
        answer = post(f"{args.base}/graphql", args.token, data)
        if answer.get("errors") or not answer.get("data"):
            sys.exit(f"bench: {args.body} answered {json.dumps(answer)[:600]}")
        return answer

    ask()  # the first request after a start also fills per-process caches
    before, started = statements(args.base), time.monotonic()
    for _ in range(args.n):
        answer = ask()
    alone = (time.monotonic() - started) * 1000 / args.n
    per_request = (statements(args.base) - before) / args.n
    shown = ", ".join(list(sizes(answer["data"]))[:3])
    print(f"  {args.label}: {per_request:g} statements, {alone:.1f} ms per request alone "
          f"({shown})", file=sys.stderr)
    print(per_request, round(alone, 1))


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def millis(text):
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    return float(match.group(1)) * UNITS[match.group(2)]


def parse_wrk(text):
    """Rate, latencies and errors; no latencies when no request finished within the run."""
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))}
    done = int(re.search(r"(\d+) requests in", text).group(1))
    for pct, key in (("50", "p50"), ("99", "p99")):
        value = re.search(rf"^\s+{pct}%\s+(\S+)", text, re.M).group(1)
        result[key] = millis(value) if done else None
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                       text)
    result["errors"] = (int(bad.group(1)) if bad else 0) + (
        sum(int(g) for g in errors.groups()) if errors else 0)
    return result


def parse_pgbench(text, log_prefix):
    failed = re.search(r"number of failed transactions: (\d+)", text)
    result = {"rps": float(re.search(r"tps = ([\d.]+)", text).group(1)),
              "errors": int(failed.group(1)) if failed else 0}
    latencies = sorted(int(line.split()[2]) / 1000.0
                       for path in glob.glob(f"{log_prefix}.*")
                       for line in open(path) if line.strip())
    for q, key in ((0.50, "p50"), (0.99, "p99")):
        result[key] = latencies[int(q * len(latencies))] if latencies else None
    return result


def sql_statements(path):
    """Statements in a pgbench script: commands ended by `;` or by `\\gset`."""
    lines = [line.split("--")[0].rstrip() for line in open(path)]
    return sum(1 for line in lines if line.endswith(";") or line.strip() == "\\gset")


def record(args):
    """Appends one measurement (wrk or pgbench output) to the results file."""
    with open(args.output) as f:
        text = f.read()
    if args.tool == "wrk":
        result = parse_wrk(text)
        result["statements"], result["alone"] = args.statements, args.alone
    else:
        result = parse_pgbench(text, args.log_prefix)
        result["statements"] = sql_statements(args.script)
    result.update(backend=args.backend, screen=args.screen, connections=args.connections,
                  load=open("/proc/loadavg").read().split()[0])
    with open(args.results, "a") as f:
        f.write(json.dumps(result) + "\n")
    print(f"  {args.backend:9} {args.screen:16} c={args.connections:<3} "
          f"{result['rps']:9.1f}/s p50 {ms(result['p50'])} ms p99 {ms(result['p99'])} ms "
          f"errors {result['errors']} (load {result['load']})", file=sys.stderr)


def ms(value):
    return "-" if value is None else f"{value:.1f}"


def table(args):
    rows = [json.loads(line) for line in open(args.results)]
    base = {(r["screen"], r["connections"]): r for r in rows if r["backend"] == "baseline"}
    api = {(r["backend"], r["screen"], r["connections"]): r
           for r in rows if r["backend"] != "baseline"}
    print(f"ssw-api bench, {args.students} students, {datetime.date.today()}, "
          f"duration {args.duration} per run")
    header = ("backend", "screen", "conns", "alone ms", "req/s", "p50 ms", "p99 ms",
              "stmts/req", "base tps", "base p50", "base p99", "base stmts", "ratio", "errors")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for (backend, screen, conns), r in sorted(api.items(), key=lambda kv: (kv[0][1], kv[0][2],
                                                                           kv[0][0])):
        b = base.get((screen, conns))
        cells = [backend, screen, conns, ms(r["alone"]), f"{r['rps']:.1f}", ms(r["p50"]),
                 ms(r["p99"]),
                 f"{r['statements']:g}", f"{b['rps']:.1f}" if b else "-",
                 ms(b["p50"]) if b else "-", ms(b["p99"]) if b else "-",
                 b["statements"] if b else "-",
                 f"{r['rps'] / b['rps']:.2f}" if b else "-",
                 r["errors"] + (b["errors"] if b else 0)]
        print("| " + " | ".join(str(c) for c in cells) + " |")
    goals(api, base)
    print(f"\nmachine: {machine()}")


def machine():
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                if line.startswith("model name")), "?")
    memory = next(int(line.split()[1]) for line in open("/proc/meminfo")
                  if line.startswith("MemTotal"))
    load = " ".join(open("/proc/loadavg").read().split()[:3])
    return f"{os.cpu_count()} cores, {memory / 1048576:.0f} GB, {cpu}, load {load}"


def goals(api, base):
    """The issue's goals, each with its figure: screen 1's against the baseline, and the
    latency of the worklist, early warning and MTSS summary (one request alone, and p50 under
    load)."""
    print()
    met = {True: "met", False: "NOT met"}
    for (backend, screen, c), r in sorted(api.items()):
        if screen.split("-", 1)[0] in ("2", "5", "6") and r["alone"] is not None:
            print(f"goal: {screen} on {backend} under 50 ms p50: alone {r['alone']:.1f} ms, "
                  f"{met[r['alone'] < 50]}; p50 at c={c} {ms(r['p50'])} ms")
    screen = "1-school-page"
    for c in sorted({c for (_, s, c) in api if s == screen}):
        pg, lite = api.get(("postgres", screen, c)), api.get(("sqlite", screen, c))
        b = base.get((screen, c))
        if pg and b:
            ratio = pg["rps"] / b["rps"]
            print(f"goal c={c}: PostgreSQL at least 0.5x the hand-written SQL: "
                  f"{ratio:.2f}x, {met[ratio >= 0.5]}")
            limit = b["statements"] + 1
            print(f"goal c={c}: statements per request at most {limit}: "
                  f"{pg['statements']:g}, {met[pg['statements'] <= limit]}")
        for name, r in (("PostgreSQL", pg), ("SQLite", lite)):
            if r and r["p50"] and c == 64:
                spread = r["p99"] / r["p50"]
                print(f"goal c=64: p99 under 3x p50 ({name}): {spread:.2f}x, {met[spread < 3]}")
        if pg and lite:
            ratio = lite["rps"] / pg["rps"]
            print(f"goal c={c}: SQLite within 2x of PostgreSQL: SQLite/PostgreSQL "
                  f"{ratio:.2f}x, {met[ratio >= 0.5]}")
    audit_cost(api)


def audit_cost(api):
    """What audit writes cost a read (issue 14): screen 8 (the caseload's contacts with their
    notes, so one READ_SENSITIVE audit insert per request) against screen 7 (the same without
    the words, nothing audited), on each backend."""
    for (backend, screen, c), notes in sorted(api.items()):
        if not screen.startswith("8-"):
            continue
        plain = next((r for (b, s, k), r in api.items()
                      if b == backend and s.startswith("7-") and k == c), None)
        if plain and plain["rps"] and plain["alone"] is not None and notes["alone"] is not None:
            print(f"audit cost on {backend}: with notes (audited) {notes['rps'] / plain['rps']:.2f}x "
                  f"the requests/s of without at c={c}; alone {notes['alone']:.1f} against "
                  f"{plain['alone']:.1f} ms, statements {notes['statements']:g} against "
                  f"{plain['statements']:g}")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("pick")
    p.add_argument("--backend", choices=["postgres", "sqlite"], required=True)
    p.add_argument("--target", required=True, help="a PostgreSQL URL or a SQLite file")
    p.add_argument("--prefix", required=True)
    p.set_defaults(run=pick)
    p = sub.add_parser("analyze-sqlite")
    p.add_argument("file")
    p.set_defaults(run=analyze_sqlite)
    p = sub.add_parser("body")
    p.add_argument("--query", required=True)
    p.add_argument("--var", action="append", default=[], help="name=Kind:uuid")
    p.add_argument("--out", required=True)
    p.set_defaults(run=body)
    p = sub.add_parser("count")
    for name in ("--base", "--token", "--body", "--label"):
        p.add_argument(name, required=True)
    p.add_argument("--n", type=int, default=5)
    p.set_defaults(run=count)
    p = sub.add_parser("record")
    for name in ("--results", "--backend", "--screen", "--output"):
        p.add_argument(name, required=True)
    p.add_argument("--tool", choices=["wrk", "pgbench"], required=True)
    p.add_argument("--connections", type=int, required=True)
    p.add_argument("--statements", type=float)
    p.add_argument("--alone", type=float, help="ms of one request alone")
    p.add_argument("--script")
    p.add_argument("--log-prefix")
    p.set_defaults(run=record)
    p = sub.add_parser("table")
    for name in ("--results", "--students", "--duration"):
        p.add_argument(name, required=True)
    p.set_defaults(run=table)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
