#!/usr/bin/env python3
"""Times chitieu's national history against the DuckDB and polars peers, interleaved.

    benches/peers/compare.py CHITIEU DIR [--rounds 5]

Each round runs `hyperfine --runs 1` over the three commands, one after the other, so that
the load of a shared machine weighs on all three alike; then the medians of the rounds and
chitieu's ratio to each peer (wall and user CPU) are printed. chitieu reads the CSV and writes
the whole history as a JSON file (`-o`); the peers read the same CSV and materialise the same
4,842,000 statuses (benches/peers/check.py shows they are equal). The peers' figures include
starting Python and importing their module (about 0.1-0.3 s). chitieu's output of the previous
round is deleted before each of its runs (hyperfine's `--prepare`, not timed): replacing a 271 MB
file makes the file system free the old one's blocks during the rename (40-77 ms on this machine,
whose root is mounted with `discard`), a cost of the benchmark's loop, not of the work.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("chitieu")
    ap.add_argument("dir")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    d = os.path.abspath(args.dir)
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "history.json")
        commands = {
            "chitieu": f"{os.path.abspath(args.chitieu)} eval {d}/plan.yaml --data {d}/observations.csv "
                       f"--units {d}/units.csv --history 2026-01..2030-12 --format json -o {out}",
            "duckdb": f"python3 {HERE}/duckdb_statuses.py {d}",
            "polars": f"python3 {HERE}/polars_statuses.py {d}",
        }
        wall = {k: [] for k in commands}
        user = {k: [] for k in commands}
        for r in range(args.rounds):
            export = os.path.join(tmp, f"round{r}.json")
            cmd = ["hyperfine", "--runs", "1", "--style", "none", "--export-json", export]
            if r == 0:
                cmd += ["--warmup", "1"]
            for name, c in commands.items():
                prepare = f"rm -f {out}" if name == "chitieu" else "true"
                cmd += ["--prepare", prepare, "-n", name, c]
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
            with open(export) as f:
                for res in json.load(f)["results"]:
                    wall[res["command"]].append(res["times"][0])
                    user[res["command"]].append(res["user"])
            print(f"round {r + 1}: " + ", ".join(f"{k} {wall[k][-1]:.2f} s" for k in commands), file=sys.stderr)
    med = {k: statistics.median(v) for k, v in wall.items()}
    med_user = {k: statistics.median(v) for k, v in user.items()}
    print(f"{'command':<8} {'wall (median)':>14} {'user CPU':>10}   runs")
    for k in commands:
        runs = ", ".join(f"{x:.2f}" for x in wall[k])
        print(f"{k:<8} {med[k]:>12.2f} s {med_user[k]:>8.2f} s   {runs}")
    for peer in ("duckdb", "polars"):
        print(f"chitieu / {peer}: {med['chitieu'] / med[peer]:.2f} wall, "
              f"{med_user['chitieu'] / med_user[peer]:.2f} user CPU")


if __name__ == "__main__":
    main()
