#!/usr/bin/env python3
"""The national history's statuses computed by DuckDB, as a data engineer would write them.

    benches/peers/duckdb_statuses.py DIR [--out statuses.parquet] [--threads N]

reads DIR/observations.csv and DIR/units.csv (written by `cargo run --release --example
national -- DIR`) and computes the status of every (unit, goal, month end) of 2026-01 ..
2030-12 for the 20 goals of DIR/plan.yaml: 4,035 x 20 x 60 = 4,842,000 rows, `not_applicable`
included. The statuses are materialised in a table (what `hyperfine` times); with `--out` they
are also written to a Parquet file for benches/peers/check.py.

The rules are those of the generated plan, written once in goals.py (exact integer
comparisons, read its docstring) and turned into SQL here: a pivot of the long CSV to one row
per (unit, period), the rates, the aggregates per province, then one CASE per goal, unpivoted.
"""
import argparse
import sys
import time

import duckdb

from goals import BASE, RATES, goals


class S:
    """SQL text that composes with Python operators, so that goals.py writes SQL."""

    def __init__(self, text):
        self.text = text

    def __str__(self):
        return self.text


def sql_of(x):
    if isinstance(x, S):
        return f"({x.text})"
    if x is None:
        return "NULL"
    if isinstance(x, str):
        return "'" + x.replace("'", "''") + "'"
    return repr(x)


def _op(op, swap=False):
    def f(a, b):
        if swap:
            a, b = b, a
        return S(f"{sql_of(a)} {op} {sql_of(b)}")
    return f


for name, op in [("add", "+"), ("sub", "-"), ("mul", "*"), ("ge", ">="), ("gt", ">"), ("le", "<="),
                 ("lt", "<"), ("eq", "="), ("and", "AND")]:
    setattr(S, f"__{name}__", _op(op))
    setattr(S, f"__r{name}__", _op(op, swap=True))
S.__invert__ = lambda a: S(f"NOT {sql_of(a)}")


class Sql:
    """The backend of goals.py that writes SQL."""

    col = staticmethod(lambda name: S(f'"{name}"'))
    lit = staticmethod(lambda v: S(sql_of(v)))
    isin = staticmethod(lambda x, vs: S(f"{sql_of(x)} IN ({', '.join(sql_of(v) for v in vs)})"))
    isnull = staticmethod(lambda x: S(f"{sql_of(x)} IS NULL"))
    date = staticmethod(lambda d: S(f"DATE '{d}'"))

    @staticmethod
    def case(arms, otherwise):
        whens = " ".join(f"WHEN {sql_of(c)} THEN {sql_of(v)}" for c, v in arms)
        return S(f"CASE {whens} ELSE {sql_of(otherwise)} END")


GOALS = {g: str(e) for g, e in goals(Sql).items()}


def sql(dir):
    pivot = ",\n  ".join(f"max(value) FILTER (WHERE indicator = '{i}') AS \"{i}\"" for i in BASE)
    rates = ",\n  ".join(
        f"\"{n}\" AS {r}_n, \"{d}\" AS {r}_d, "
        # The percentage in hundredths, rounded half away from zero (counts are not negative):
        # what chitieu compares for a rate of precision 2. A zero denominator is no data.
        f"CASE WHEN \"{d}\" > 0 THEN (20000 * \"{n}\" + \"{d}\") // (2 * \"{d}\") END AS {r}_r"
        for r, n, d in RATES
    )
    base_cols = ", ".join(f"{r}_n AS b_{r}_n, {r}_d AS b_{r}_d" for r, _, _ in RATES)
    statuses = ",\n  ".join(f"{s} AS \"{g}\"" for g, s in GOALS.items())
    return f"""
CREATE TEMP TABLE units AS SELECT id, kind, parent FROM read_csv('{dir}/units.csv', header = true,
  columns = {{'id': 'VARCHAR', 'name': 'VARCHAR', 'kind': 'VARCHAR', 'parent': 'VARCHAR'}});
CREATE TEMP TABLE rates AS
WITH obs AS (
  SELECT * FROM read_csv('{dir}/observations.csv', header = true,
    columns = {{'unit': 'VARCHAR', 'indicator': 'VARCHAR', 'period': 'VARCHAR', 'value': 'BIGINT'}})
), wide AS (
  SELECT unit, period,
  {pivot}
  FROM obs GROUP BY unit, period
)
SELECT unit, period,
  {rates}
FROM wide;
CREATE TEMP TABLE aggs AS
SELECT u.parent AS province, r.period,
  count(*) FILTER (WHERE u.kind = 'commune') AS communes,
  count(*) FILTER (WHERE u.kind = 'commune' AND onl_r > 8000) AS share80,
  count(*) FILTER (WHERE u.kind = 'commune' AND onl_r >= 9000) AS count90,
  avg(sat_n::DOUBLE / sat_d) FILTER (WHERE u.kind = 'commune') AS avg_sat,
  count(*) FILTER (WHERE u.kind = 'department') AS departments,
  count(*) FILTER (WHERE u.kind = 'department' AND otm_r >= 9800) AS share98
FROM rates r JOIN units u ON u.id = r.unit
WHERE u.parent <> ''
GROUP BY ALL;
CREATE TEMP TABLE statuses AS
WITH base AS (
  SELECT unit, {base_cols} FROM rates WHERE period = '2025'
), base_aggs AS (
  SELECT province, communes AS b_communes, share80 AS b_share80, count90 AS b_count90,
    avg_sat AS b_avg_sat, departments AS b_departments, share98 AS b_share98
  FROM aggs WHERE period = '2025'
), months AS (
  SELECT r.*, u.kind, a.*, ba.*, base.*,
    last_day(strptime(r.period || '-01', '%Y-%m-%d')::DATE) AS t
  FROM rates r JOIN units u ON u.id = r.unit
  JOIN base ON base.unit = r.unit
  LEFT JOIN aggs a ON a.province = r.unit AND a.period = r.period
  LEFT JOIN base_aggs ba ON ba.province = r.unit
  WHERE r.period <> '2025'
), wide AS (
  SELECT r.unit, r.t,
  {statuses}
  FROM (SELECT *, (t - DATE '2025-12-31') AS dd FROM months) r
)
UNPIVOT wide ON {", ".join(f'"{g}"' for g in GOALS)} INTO NAME goal VALUE status;
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir")
    ap.add_argument("--out", help="write (unit, goal, date, status) to this Parquet file")
    ap.add_argument("--threads", type=int)
    ap.add_argument("--print-sql", action="store_true")
    args = ap.parse_args()
    q = sql(args.dir)
    if args.print_sql:
        print(q)
        return
    start = time.perf_counter()
    con = duckdb.connect()
    if args.threads:
        con.execute(f"SET threads = {args.threads}")
    con.execute(q)
    n = con.execute("SELECT count(*) FROM statuses").fetchone()[0]
    elapsed = time.perf_counter() - start
    if args.out:
        con.execute(f"COPY (SELECT unit, goal, t AS date, status FROM statuses) TO '{args.out}' (FORMAT parquet)")
    print(f"duckdb: {n} statuses in {elapsed:.2f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
