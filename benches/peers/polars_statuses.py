#!/usr/bin/env python3
"""The national history's statuses computed by polars (lazy, multithreaded), as a data
engineer would write them.

    benches/peers/polars_statuses.py DIR [--out statuses.parquet]

The same statuses as duckdb_statuses.py (read its docstring), from the same CSV files:
4,842,000 (unit, goal, month end) rows, `not_applicable` included, collected in memory (what
`hyperfine` times); with `--out` they are also written to a Parquet file for check.py.
"""
import argparse
import datetime
import sys
import time

import polars as pl

from goals import BASE, BASELINE_END, RATES, goals

c = pl.col


class Polars:
    """The backend of goals.py that builds polars expressions."""

    col = staticmethod(pl.col)
    lit = staticmethod(pl.lit)
    isin = staticmethod(lambda x, vs: x.is_in(vs))
    isnull = staticmethod(lambda x: x.is_null())
    date = staticmethod(lambda d: pl.lit(datetime.date.fromisoformat(d)))

    @staticmethod
    def case(arms, otherwise):
        (c0, v0), *rest = arms
        e = pl.when(c0).then(v0)
        for cond, v in rest:
            e = e.when(cond).then(v)
        return e.otherwise(otherwise if otherwise is not None else pl.lit(None))


def statuses(dir):
    units = pl.scan_csv(f"{dir}/units.csv", schema={"id": pl.Utf8, "name": pl.Utf8, "kind": pl.Utf8,
                                                      "parent": pl.Utf8}).select("id", "kind", "parent")
    obs = pl.scan_csv(f"{dir}/observations.csv", schema={"unit": pl.Utf8, "indicator": pl.Utf8,
                                                          "period": pl.Utf8, "value": pl.Int64})
    wide = obs.group_by("unit", "period").agg(
        c("value").filter(c("indicator") == i).first().alias(i) for i in BASE
    )
    rates = wide.select(
        "unit", "period",
        *[e for r, num, den in RATES for e in (
            c(num).alias(f"{r}_n"), c(den).alias(f"{r}_d"),
            # The percentage in hundredths, rounded half away from zero: what chitieu compares.
            pl.when(c(den) > 0).then((20000 * c(num) + c(den)) // (2 * c(den))).alias(f"{r}_r"),
        )],
    ).join(units, left_on="unit", right_on="id").cache()
    commune = c("kind") == "commune"
    dept = c("kind") == "department"
    aggs = rates.filter(c("parent").is_not_null() & (c("parent") != "")).group_by("parent", "period").agg(
        commune.sum().alias("communes"),
        (commune & (c("onl_r") > 8000)).sum().alias("share80"),
        (commune & (c("onl_r") >= 9000)).sum().alias("count90"),
        (c("sat_n") / c("sat_d")).filter(commune).mean().alias("avg_sat"),
        dept.sum().alias("departments"),
        (dept & (c("otm_r") >= 9800)).sum().alias("share98"),
    ).cache()
    base = rates.filter(c("period") == "2025").select(
        "unit", *[c(f"{r}_{x}").alias(f"b_{r}_{x}") for r, _, _ in RATES for x in "nd"])
    base_aggs = aggs.filter(c("period") == "2025").select(
        c("parent").alias("unit"), *[c(x).alias(f"b_{x}") for x in
                                     ("communes", "share80", "count90", "avg_sat", "departments", "share98")])
    months = (
        rates.filter(c("period") != "2025")
        .join(base, on="unit")
        .join(aggs.rename({"parent": "unit"}), on=["unit", "period"], how="left")
        .join(base_aggs, on="unit", how="left")
        .with_columns(t=(c("period") + "-01").str.to_date("%Y-%m-%d").dt.month_end())
        .with_columns(dd=(c("t") - BASELINE_END).dt.total_days())
    )
    g = goals(Polars)
    return (
        months.select("unit", "t", *[e.alias(k) for k, e in g.items()])
        .unpivot(index=["unit", "t"], on=list(g), variable_name="goal", value_name="status")
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir")
    ap.add_argument("--out")
    args = ap.parse_args()
    start = time.perf_counter()
    df = statuses(args.dir).collect()
    elapsed = time.perf_counter() - start
    if args.out:
        df.rename({"t": "date"}).select("unit", "goal", "date", "status").write_parquet(args.out)
    print(f"polars: {df.height} statuses in {elapsed:.2f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
