#!/usr/bin/env python3
"""The measures of tests/fixtures/records/plan.yaml computed by DuckDB, independently of chitieu.

    python3 tests/records/reference.py RECORDS.parquet [MORE.parquet…] > expected.csv

Hand-written SQL (FILTER clauses, strftime periods), not chitieu's compiled queries: the test
compares the two results value for value. Prints `unit,indicator,period,value`, values as exact
decimals; `fee_avg` is the exact sum and count (`SUM/COUNT` divided by the test), so no
floating point enters the comparison.
"""
import sys

import duckdb

QUERY = """
SELECT agency_id AS unit, strftime(received_at, '%Y-%m') AS period,
  count(*) AS received,
  count(*) FILTER (WHERE finished_at <= due_at) AS on_time,
  count(*) FILTER (WHERE channel = 'online') AS online,
  coalesce(sum(fee) FILTER (WHERE paid_online), 0) AS fees_online,
  coalesce(sum(fee), 0) AS fees,
  count(*) FILTER (WHERE finished_at IS NULL) AS unfinished,
  count(*) FILTER (WHERE digitised AND channel <> 'online') AS digitised,
  CAST(sum(fee) FILTER (WHERE fee > 0) AS VARCHAR) || '/' || CAST(count(fee) FILTER (WHERE fee > 0) AS VARCHAR) AS fee_avg,
  min(fee) FILTER (WHERE fee > 0) AS fee_min,
  max(fee) AS fee_max
FROM read_parquet(?)
WHERE agency_id IS NOT NULL AND received_at IS NOT NULL
GROUP BY ALL
"""


def main() -> int:
    con = duckdb.connect()
    # One file, or several read as one table (benches/records.py's folder of generated files).
    paths = sys.argv[1:]
    cur = con.execute(QUERY, [paths[0] if len(paths) == 1 else paths])
    names = [d[0] for d in cur.description]
    print("unit,indicator,period,value")
    for row in cur.fetchall():
        unit, period = row[0], row[1]
        for name, value in zip(names[2:], row[2:]):
            if value is None:
                continue
            print(f"{unit},{name},{period},{value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
