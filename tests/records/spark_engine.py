#!/usr/bin/env python3
"""`chitieu measure --engine spark://…` on a Spark standalone cluster on loopback: a master and
two workers, each its own process, from PyPI's `pyspark` with the machine's Java.

    python3 tests/records/spark_engine.py CHITIEU PLAN RECORDS.parquet UNITS.csv

Runs `chitieu measure` and `chitieu eval --records` once on the cluster and once embedded
(DataFusion) over the same Parquet, and requires the outputs to be byte for byte the same. The
driver's event log (enabled by a `spark-defaults.conf` of this run's own) shows which executors
ran the tasks: both must have. Exits 1 on any difference. The cluster listens on 127.0.0.1 only
and is stopped at the end, whatever happens.
"""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter

from loopback import Loopback


def run(args: list, env: dict) -> subprocess.CompletedProcess:
    start = time.time()
    done = subprocess.run(args, env=env, capture_output=True)
    print(f"  {' '.join(args[1:3])} {args[-1]}: exit {done.returncode}, "
          f"{time.time() - start:.1f} s", flush=True)
    if done.returncode not in (0, 1):
        sys.stderr.write(done.stderr.decode(errors="replace"))
        raise SystemExit(f"{args}: exit {done.returncode}")
    return done


def main() -> int:
    chitieu, plan, parquet, units = sys.argv[1:5]
    work = tempfile.mkdtemp(prefix="chitieu-spark-engine-")
    events = os.path.join(work, "events")
    os.makedirs(events)
    conf = os.path.join(work, "conf")
    os.makedirs(conf)
    with open(os.path.join(conf, "spark-defaults.conf"), "w") as f:
        f.write(f"""spark.eventLog.enabled true
spark.eventLog.dir file://{events}
spark.eventLog.compress false
spark.eventLog.rolling.enabled false
spark.driver.host 127.0.0.1
spark.executor.memory 512m
spark.ui.enabled false
# The job waits for both workers' cores, and the file is read in several splits, so that both
# executors get tasks.
spark.scheduler.minRegisteredResourcesRatio 1.0
spark.scheduler.maxRegisteredResourcesWaitingTime 120s
spark.sql.files.maxPartitionBytes 131072
""")
    loopback = None
    try:
        start = time.time()
        loopback = Loopback(workers=2, memory="1g", conf_dir=conf)
        env, engine = loopback.env, loopback.url
        print(f"cluster {engine}: master and 2 workers started "
              f"({time.time() - start:.1f} s)", flush=True)
        bad = []
        measure = [chitieu, "measure", plan, "--records", f"dossiers={parquet}", "--engine"]
        embedded = run(measure + ["datafusion"], env)
        cluster = run(measure + [engine], env)
        apps = sorted(glob.glob(os.path.join(events, "*")))
        if embedded.returncode != 0 or embedded.stdout != cluster.stdout:
            bad.append("measure: the cluster's observations differ from the embedded run's")
            sys.stderr.write(cluster.stderr.decode(errors="replace")[-3000:])
        observations = embedded.stdout.decode().count("\n") - 1
        evaluate = [chitieu, "eval", plan, "--records", f"dossiers={parquet}", "--units", units,
                    "--as-of", "2026-12-31", "--format", "json", "--engine"]
        e1 = run(evaluate + ["datafusion"], env)
        e2 = run(evaluate + [engine], env)
        if (e1.returncode, e1.stdout) != (e2.returncode, e2.stdout) or not e1.stdout:
            bad.append("eval --records: the cluster's report differs from the embedded one")
        # The measure run's application: tasks per executor, from its event log.
        tasks = Counter()
        for app in apps:
            with open(app) as f:
                for line in f:
                    event = json.loads(line)
                    if event.get("Event") == "SparkListenerTaskEnd":
                        tasks[event["Task Info"]["Executor ID"]] += 1
        print(f"measure on {engine}: {observations} observations, byte-identical: "
              f"{not bad}; tasks per executor: {dict(sorted(tasks.items()))}")
        if len(apps) != 1 or len(tasks) < 2:
            bad.append(f"expected one application with tasks on 2 executors: {len(apps)} "
                       f"applications, tasks {dict(tasks)}")
        for b in bad:
            print("  ", b)
        return 1 if bad else 0
    finally:
        if loopback:
            loopback.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
