#!/usr/bin/env python3
"""Records → measures: chitieu on DataFusion (embedded), chitieu on a Spark loopback cluster, and
DuckDB, over the same generated Parquet, in one run.

    cargo build --release --features records
    python3 benches/records.py [--sizes 10000000,100000000] [--rounds 1] [--no-spark] [--keep]

Generates the largest size once (examples/records/generate.py, a folder of Parquet files of
--per-file records each; a smaller size reads the first of those files), then, for each round and
size, times each engine in its own process, one after the other (interleaved, so that the
machine's load falls on every engine alike):
- `chitieu measure tests/fixtures/records/plan.yaml --records dossiers=PATH…` (DataFusion
  embedded: the plan's 10 measures in one GROUP BY query; the largest size is given as its
  folder, a smaller one as its files);
- DuckDB computing the same counts and sums with its own hand-written SQL
  (tests/records/reference.py);
- with a Spark build of chitieu (`measure --engine spark://…`): the same command on a Spark
  standalone master and two workers of one core each on 127.0.0.1, started here (PyPI's pyspark
  with the machine's Java) and stopped at the end.

Per engine and size: wall time; CPU time (user + sys of every process of the engine: for Spark,
chitieu, its spark-sql driver and both executors, plus the master and workers during the run);
records per second; records per CPU second, which is the records per second per core (a core
busy with the work all the time processes that many); cores busy (CPU ÷ wall); peak resident
memory of the engine's largest process (GNU time's %M; for Spark, the driver and the largest
executor apart). Every engine's observations are compared value for value (exit 1 on any
difference): the Spark run's output with the embedded run's byte for byte, DuckDB's values with
the embedded run's as exact decimals (averages: DuckDB's exact sum and count, divided). The
generated records are deleted at the end unless --keep. Needs PyPI `duckdb` (and `pyspark` and
Java for the Spark row).
"""
import argparse
import os
import shutil
import subprocess
import sys
import threading
import time
from decimal import Decimal, localcontext

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLAN = os.path.join(ROOT, "tests/fixtures/records/plan.yaml")
REFERENCE = os.path.join(ROOT, "tests/records/reference.py")
TICK = os.sysconf("SC_CLK_TCK")
sys.path.insert(0, os.path.join(ROOT, "tests/records"))
from loopback import Loopback  # noqa: E402


def generate(folder: str, records: int, files: int) -> list:
    """The folder of `files` Parquet files holding `records` records, generated unless there."""
    parts = [os.path.join(folder, f"part-{k:05d}.parquet") for k in range(files)]
    if all(os.path.exists(p) for p in parts):
        return parts
    partial = folder + ".partial"
    shutil.rmtree(partial, ignore_errors=True)
    t = time.perf_counter()
    subprocess.run([sys.executable, os.path.join(ROOT, "examples/records/generate.py"), partial,
                    "--records", str(records), "--files", str(files)], check=True)
    os.replace(partial, folder)
    size = sum(os.path.getsize(p) for p in parts)
    print(f"generated {records:,} records in {files} files in {time.perf_counter() - t:.0f} s "
          f"({size / 2**20:,.0f} MiB)", flush=True)
    return parts


def timed(cmd: list, cwd: str, env=None):
    """Runs `cmd` under GNU time: (stdout, wall s, CPU s, peak RSS MiB of its largest process).
    It runs in the scratch folder, where Spark's driver leaves its metastore_db and derby.log."""
    fmt = "%e %U %S %M"
    t = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", fmt] + cmd, capture_output=True, text=True,
                       cwd=cwd, env=env)
    wall = time.perf_counter() - t
    if p.returncode != 0:
        sys.stderr.write(p.stderr[-4000:])
        raise SystemExit(f"failed ({p.returncode}): {' '.join(cmd)}")
    _, user, sys_, peak = p.stderr.strip().splitlines()[-1].split()
    return p.stdout, wall, float(user) + float(sys_), int(peak) / 1024


def cpu_of(pid: int) -> float:
    """The CPU seconds (user + sys) a live process has used."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def children(pid: int) -> list:
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                out += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return out


def peak_of(pid: int) -> float:
    """A live process's peak resident memory (VmHWM), MiB."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Cluster(Loopback):
    """A Spark standalone master and two one-core workers on 127.0.0.1, each its own process
    (tests/records/loopback.py).

    The executors the workers start for a job are polled (every 0.2 s) for their CPU time and
    peak memory, which GNU time cannot see: they are the workers' children, not the timed
    command's."""

    def __init__(self):
        super().__init__(workers=2, memory="2g")
        time.sleep(15)  # the workers register with the master

    def run(self, cmd: list, cwd: str):
        """Runs a chitieu command against the cluster, with the executors' CPU and memory."""
        daemons = [self.master.pid] + [w.pid for w in self.workers]
        before = sum(cpu_of(p) for p in daemons)
        seen = {}  # executor pid → (CPU s, peak MiB), last polled
        done = threading.Event()

        def poll():
            while not done.is_set():
                for w in self.workers:
                    for c in children(w.pid):
                        # An exiting executor reads as 0: keep the largest figures seen.
                        cpu, peak = seen.get(c, (0.0, 0.0))
                        seen[c] = (max(cpu, cpu_of(c)), max(peak, peak_of(c)))
                time.sleep(0.2)

        poller = threading.Thread(target=poll)
        poller.start()
        try:
            out, wall, cpu, peak = timed(cmd, cwd, self.env)
        finally:
            done.set()
            poller.join()
        daemon_cpu = sum(cpu_of(p) for p in daemons) - before
        executors = [v for v in seen.values() if v[0] > 0]
        cpu += daemon_cpu + sum(c for c, _ in executors)
        return out, wall, cpu, peak, max((m for _, m in executors), default=0.0), len(executors)


def observations(text: str) -> dict:
    out = {}
    for line in text.splitlines()[1:]:
        unit, indicator, period, value = line.rsplit(",", 3)
        out[(unit, indicator, period)] = value
    return out


def differences(ours: dict, duckdb: dict) -> list:
    """The observations where chitieu and DuckDB differ. DuckDB gives an average as its exact
    sum and count (`s/n`): chitieu's value must be that quotient to its last digit (chitieu
    divides exactly, to 28 significant digits)."""
    bad = [(k, ours.get(k), None) for k in ours if k not in duckdb]
    with localcontext() as ctx:
        ctx.prec = 80
        for key, theirs in duckdb.items():
            mine = ours.get(key)
            if mine is None:
                bad.append((key, None, theirs))
            elif "/" in theirs:
                s, n = (Decimal(x) for x in theirs.split("/"))
                m = Decimal(mine)
                ulp = Decimal(1).scaleb(m.as_tuple().exponent)
                if abs(m - s / n) > ulp / 2 or (m != s / n and len(m.as_tuple().digits) < 27):
                    bad.append((key, mine, theirs))
            elif Decimal(mine) != Decimal(theirs):
                bad.append((key, mine, theirs))
    return bad


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000000,100000000",
                    help="record counts, comma-separated, multiples of --per-file")
    ap.add_argument("--per-file", type=int, default=10_000_000, help="records per Parquet file")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--chitieu", default=os.path.join(ROOT, "target/release/chitieu"))
    ap.add_argument("--dir", default="/tmp/chitieu-records-bench")
    ap.add_argument("--no-spark", action="store_true", help="skip the Spark cluster")
    ap.add_argument("--keep", action="store_true", help="keep the generated records")
    a = ap.parse_args()
    sizes = sorted(int(s) for s in a.sizes.split(","))
    if any(s % a.per_file for s in sizes):
        raise SystemExit("every size must be a multiple of --per-file")
    largest = sizes[-1]
    folder = os.path.join(a.dir, f"dossiers-{largest}-{a.per_file}")
    os.makedirs(a.dir, exist_ok=True)
    parts = generate(folder, largest, largest // a.per_file)
    helptext = subprocess.run([a.chitieu, "measure", "--help"], capture_output=True,
                              text=True).stdout
    spark = not a.no_spark and "spark://" in helptext
    if not a.no_spark and not spark:
        print(f"{a.chitieu} has no Spark engine (measure --help names no spark://): no Spark row")
    cluster = Cluster() if spark else None
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}, "
          f"{os.cpu_count()} cores", flush=True)
    rows, failed = [], False
    try:
        for r in range(a.rounds):
            for size in sizes:
                files = parts[: size // a.per_file]
                # The whole folder as a folder (as an export would be given), else its files.
                paths = [folder] if len(files) == len(parts) else files
                records = ["--records", "dossiers=" + paths[0], *paths[1:]]
                measure = [a.chitieu, "measure", PLAN, *records]
                out, wall, cpu, peak = timed(measure, a.dir)
                embedded = out
                rows.append(("chitieu datafusion", size, wall, cpu, peak, "", out))
                out, wall, cpu, peak = timed([sys.executable, REFERENCE, *files], a.dir)
                bad = differences(observations(embedded), observations(out))
                rows.append(("duckdb", size, wall, cpu, peak, f"{len(bad)} differ", out))
                failed |= bool(bad)
                for b in bad[:5]:
                    print("  duckdb differs:", b)
                if cluster:
                    out, wall, cpu, peak, exec_peak, n = cluster.run(
                        measure + ["--engine", cluster.url], a.dir)
                    same = out == embedded
                    rows.append(("chitieu spark 2×1", size, wall, cpu, peak,
                                 f"{'identical' if same else 'DIFFERENT'}; {n} executors, "
                                 f"largest {exec_peak:.0f} MiB", out))
                    failed |= not same or n < 2
                for row in rows[-(3 if cluster else 2):]:
                    report(row)
    finally:
        if cluster:
            cluster.stop()
        if not a.keep:
            shutil.rmtree(folder, ignore_errors=True)
            shutil.rmtree(os.path.join(a.dir, "metastore_db"), ignore_errors=True)
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for engine in dict.fromkeys(r[0] for r in rows):
        mine = [r for r in rows if r[0] == engine]
        small, big = min(mine, key=lambda r: r[1]), max(mine, key=lambda r: r[1])
        if small[1] < big[1]:
            rate = (big[1] - small[1]) / (big[2] - small[2]) if big[2] > small[2] else 0
            print(f"{engine}: {small[1]:,} → {big[1]:,} records: peak memory "
                  f"{small[4]:.0f} → {big[4]:.0f} MiB, marginal {rate:,.0f} records/s")
    return 1 if failed else 0


def report(row) -> None:
    engine, size, wall, cpu, peak, note, out = row
    print(f"{engine:<19} {size:>12,} rec  {wall:8.2f} s wall  {cpu:8.2f} s CPU  "
          f"{cpu / wall:4.2f} cores  {size / wall:>12,.0f} rec/s  {size / cpu:>12,.0f} rec/CPU-s  "
          f"peak {peak:6.0f} MiB  {len(out.splitlines()) - 1} obs  load {os.getloadavg()[0]:.2f}"
          f"  {note}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
