#!/usr/bin/env python3
"""Checks that `chitieu eval --history FROM..TO --format json` equals separate `--as-of` runs.

usage: scripts/history-equality.py CHITIEU DIR [FROM..TO]

DIR holds plan.yaml, units.csv and observations.csv (cargo run --release --example national -- DIR,
or tests/fixtures/history-index: goals on an index total over monthly data).
Runs the history once, then `--as-of` at every month end of the range, and compares the status
and the measured value of every (unit, goal, date). Exit 1 on the first difference.
"""
import json
import os
import subprocess
import sys

chitieu, d = sys.argv[1], sys.argv[2]
# The runs happen in DIR: a relative path to the binary is taken from here.
if os.sep in chitieu:
    chitieu = os.path.abspath(chitieu)
rng = sys.argv[3] if len(sys.argv) > 3 else "2026-01..2030-12"
base = [chitieu, "eval", "plan.yaml", "--data", "observations.csv", "--units", "units.csv", "--format", "json"]

hist = subprocess.run(base + ["--history", rng], cwd=d, capture_output=True, check=True).stdout
series, dates = {}, None
for line in hist.decode().splitlines():
    if line.startswith('"dates"'):
        dates = json.loads(line.split(":", 1)[1].rstrip(","))
    elif line.startswith('{"unit"'):
        r = json.loads(line.rstrip(","))
        series[(r["unit"], r["goal"])] = [(s["status"], s["actual"]) for s in r["series"]]
del hist
print(f"history: {len(series)} (unit, goal) pairs x {len(dates)} dates")
compared = 0
for i, date in enumerate(dates):
    out = subprocess.run(base + ["--as-of", date], cwd=d, capture_output=True, check=True).stdout
    results = json.loads(out)["results"]
    n = 0
    for r in results:
        key = (r["unit"], r["goal"])
        if r["status"] == "not_applicable":
            assert key not in series, key
            continue
        got = series[key][i]
        if got != (r["status"], r["actual"]):
            print(f"DIFFERENT {key} {date}: history {got}, --as-of {(r['status'], r['actual'])}")
            sys.exit(1)
        n += 1
    assert n == len(series), (n, len(series))
    compared += n
    print(f"{date}: {n} results equal", flush=True)
print(f"OK: {compared} evaluations equal ({len(dates)} --as-of runs)")
