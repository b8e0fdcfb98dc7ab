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
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter

import pyspark


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, seconds: float) -> None:
    end = time.time() + seconds
    while time.time() < end:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.5)
    raise SystemExit(f"nothing listens on 127.0.0.1:{port} after {seconds} s")


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
    spark_home = os.path.dirname(pyspark.__file__)
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
    env = dict(os.environ, SPARK_HOME=spark_home, SPARK_CONF_DIR=conf,
               SPARK_LOCAL_IP="127.0.0.1", SPARK_NO_DAEMONIZE="1", NO_COLOR="1")
    port = free_port()
    cls = os.path.join(spark_home, "bin", "spark-class")
    procs = []
    try:
        start = time.time()
        procs.append(subprocess.Popen(
            [cls, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
             "--port", str(port), "--webui-port", str(free_port())],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        wait_port(port, 120)
        engine = f"spark://127.0.0.1:{port}"
        for _ in range(2):
            procs.append(subprocess.Popen(
                [cls, "org.apache.spark.deploy.worker.Worker", engine, "--host", "127.0.0.1",
                 "--cores", "1", "--memory", "1g", "--webui-port", str(free_port())],
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
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
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
