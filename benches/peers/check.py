#!/usr/bin/env python3
"""Checks that peers' statuses equal chitieu's history, triple by triple.

    benches/peers/check.py HISTORY_JSON PEER.parquet [PEER.parquet ...]

HISTORY_JSON is `chitieu eval … --history 2026-01..2030-12 --format json`; each Parquet file
holds (unit, goal, date, status) rows, as written by duckdb_statuses.py or polars_statuses.py
with `--out`. chitieu leaves out the (unit, goal) pairs a goal does not apply to: those must be
`not_applicable` in the peer, at every date. Exits 1 on any difference.
"""
import re
import sys

import duckdb

HEAD = re.compile(r'\{"unit": ("(?:[^"\\]|\\.)*"), "goal": ("(?:[^"\\]|\\.)*"), "series": \[')
STEP = re.compile(r'"as_of": "([0-9-]+)", "status": "([a-z_]+)"')


def chitieu(path):
    """(unit, goal) -> [(date, status)], from the history document, line by line."""
    import json

    out, dates = {}, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith('"dates": '):
                dates = json.loads(line[len('"dates": '):].rstrip().rstrip(","))
            m = HEAD.match(line)
            if m:
                key = (json.loads(m.group(1)), json.loads(m.group(2)))
                out[key] = STEP.findall(line, m.end())
    return out, dates


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    ours, dates = chitieu(sys.argv[1])
    print(f"chitieu: {len(ours)} (unit, goal) pairs judged, {len(dates)} dates")
    failed = False
    for peer in sys.argv[2:]:
        rows = duckdb.sql(
            f"SELECT unit, goal, list(strftime(date, '%Y-%m-%d') ORDER BY date), list(status ORDER BY date) "
            f"FROM '{peer}' GROUP BY unit, goal"
        ).fetchall()
        total = equal = 0
        shown = 0
        seen = set()
        for unit, goal, ds, statuses in rows:
            seen.add((unit, goal))
            want = ours.get((unit, goal))
            if want is None:
                want = [(d, "not_applicable") for d in dates]
            theirs = list(zip(ds, statuses))
            total += len(theirs)
            same = sum(a == b for a, b in zip(want, theirs))
            equal += same
            if same != len(theirs) or len(want) != len(theirs):
                failed = True
                if shown < 10:
                    shown += 1
                    diff = [(w, t) for w, t in zip(want, theirs) if w != t][:3]
                    print(f"  {unit} {goal}: chitieu/peer differ at {diff}")
        missing = [k for k in ours if k not in seen]
        if missing:
            failed = True
            print(f"  {len(missing)} pairs judged by chitieu are absent from {peer}, e.g. {missing[:3]}")
        print(f"{peer}: {equal} of {total} statuses equal to chitieu's")
        failed |= equal != total
    if failed:
        sys.exit(1)
    print("OK")


if __name__ == "__main__":
    main()
