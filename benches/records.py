#!/usr/bin/env python3
"""Records → measures: chitieu on DataFusion against DuckDB on the same Parquet, in one run.

    python3 benches/records.py --records 100000000 --chitieu target/release/chitieu [--dir /tmp/b]

Generates N dossier records (examples/records/generate.py, one Parquet file, reused when it is
already there with the same count), then times, each in its own process:
- `chitieu measure tests/fixtures/records/plan.yaml --records dossiers=FILE` (DataFusion embedded,
  the 10 measures of the plan: one GROUP BY query over the file);
- DuckDB computing the same counts and sums (tests/records/reference.py).
Prints wall time, records per second, records per second per core, and peak resident memory
(getrusage of the child), and checks both give the same number of observations. Build chitieu
first with `cargo build --release --features records`. Needs the PyPI package `duckdb`.
"""
import argparse
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=100_000_000)
    ap.add_argument("--chitieu", default=os.path.join(ROOT, "target/release/chitieu"))
    ap.add_argument("--dir", default="/tmp/chitieu-records-bench")
    a = ap.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    parquet = os.path.join(a.dir, f"dossiers-{a.records}.parquet")
    if not os.path.exists(parquet):
        t = time.perf_counter()
        subprocess.run([sys.executable, os.path.join(ROOT, "examples/records/generate.py"), parquet,
                        "--records", str(a.records)], check=True)
        print(f"generated {a.records:,} records in {time.perf_counter() - t:.1f} s "
              f"({os.path.getsize(parquet) / 2**20:.0f} MiB)")
    cores = os.cpu_count() or 1
    rows = []
    for name, cmd in [
        ("duckdb", [sys.executable, "tests/records/reference.py", parquet]),
        ("chitieu (DataFusion)", [a.chitieu, "measure", "tests/fixtures/records/plan.yaml",
                                  "--records", f"dossiers={parquet}"]),
    ]:
        # Each engine in a fresh process; peak RSS read by GNU time when it is there.
        timed = ["/usr/bin/time", "-f", "%M"] + cmd if os.path.exists("/usr/bin/time") else cmd
        t = time.perf_counter()
        p = subprocess.run(timed, check=True, capture_output=True, text=True, cwd=ROOT)
        seconds = time.perf_counter() - t
        peak = (int(p.stderr.strip().splitlines()[-1]) / 1024) if timed is not cmd else float("nan")
        observations = len(p.stdout.splitlines()) - 1
        rows.append((name, seconds, peak, observations))
    print(f"{a.records:,} records, {cores} cores")
    print(f"{'engine':<22} {'seconds':>9} {'records/s':>14} {'records/s/core':>15} {'peak MiB':>9} {'observations':>13}")
    for name, seconds, peak, obs in rows:
        rate = a.records / seconds
        print(f"{name:<22} {seconds:>9.2f} {rate:>14,.0f} {rate / cores:>15,.0f} {peak:>9.0f} {obs:>13,}")
    if rows[0][3] != rows[1][3]:
        print("the engines gave different numbers of observations", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
