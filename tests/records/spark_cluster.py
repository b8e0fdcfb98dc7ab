#!/usr/bin/env python3
"""The measures' Spark SQL on a Spark standalone cluster on loopback: a master and two workers,
each its own process, from PyPI's `pyspark` with the machine's Java.

    python3 tests/records/spark_cluster.py CHITIEU PLAN RECORDS.parquet

Prints `chitieu sql PLAN --dialect spark`, runs it on the cluster over the Parquet file (a view
named by the source), turns the rows into observations as chitieu reads them, and compares them
with `chitieu measure`'s (DataFusion embedded) value for value. Exits 1 on any difference. The
cluster listens on 127.0.0.1 only and is stopped at the end, whatever happens.
"""
import os
import socket
import subprocess
import sys
import time
from decimal import Decimal

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


def observations(text: str) -> dict:
    out = {}
    for line in text.splitlines()[1:]:
        unit, indicator, period, value = line.split(",")
        out[(unit, indicator, period)] = value
    return out


def main() -> int:
    chitieu, plan, parquet = sys.argv[1:4]
    spark_home = os.path.dirname(pyspark.__file__)
    env = dict(os.environ, SPARK_HOME=spark_home, SPARK_LOCAL_IP="127.0.0.1",
               SPARK_NO_DAEMONIZE="1")
    port, ui = free_port(), free_port()
    cls = os.path.join(spark_home, "bin", "spark-class")
    procs = []
    try:
        procs.append(subprocess.Popen(
            [cls, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
             "--port", str(port), "--webui-port", str(ui)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        wait_port(port, 120)
        master = f"spark://127.0.0.1:{port}"
        for _ in range(2):
            procs.append(subprocess.Popen(
                [cls, "org.apache.spark.deploy.worker.Worker", master, "--host", "127.0.0.1",
                 "--cores", "1", "--memory", "1g", "--webui-port", str(free_port())],
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        from pyspark.sql import SparkSession
        spark = (SparkSession.builder.master(master).appName("chitieu-records")
                 .config("spark.driver.host", "127.0.0.1")
                 .config("spark.executor.memory", "512m")
                 .config("spark.ui.enabled", "false")
                 .config("spark.sql.ansi.enabled", "false")
                 .getOrCreate())
        # Both workers registered: the query is spread over two executors.
        end = time.time() + 120
        while spark.sparkContext._jsc.sc().getExecutorMemoryStatus().size() < 3 and time.time() < end:
            time.sleep(0.5)
        executors = spark.sparkContext._jsc.sc().getExecutorMemoryStatus().size() - 1
        sql = subprocess.run([chitieu, "sql", plan, "--dialect", "spark"], check=True,
                             capture_output=True, text=True).stdout
        spark.read.parquet(parquet).repartition(4).createOrReplaceTempView("dossiers")
        rows = spark.sql(sql.strip().rstrip(";")).collect()
        spark.stop()
        theirs = {}
        for row in rows:
            d = row.asDict()
            unit, period = d.pop("unit"), d.pop("period")
            period = f"{period // 100}-{period % 100:02d}"
            for name, value in d.items():
                if name.endswith("__count") or value is None:
                    continue
                if name.endswith("__sum"):
                    n = d[name[:-5] + "__count"]
                    if not n:
                        continue
                    name, value = name[:-5], ("avg", Decimal(value), Decimal(n))
                theirs[(unit, name, period)] = value
        ours = observations(subprocess.run(
            [chitieu, "measure", plan, "--records", f"dossiers={parquet}"], check=True,
            capture_output=True, text=True).stdout)
        bad = []
        for key, value in theirs.items():
            mine = ours.get(key)
            if isinstance(value, tuple):
                # chitieu divides the exact sum by the count; the same division here.
                _, s, n = value
                ok = mine is not None and abs(Decimal(mine) * n - s) < Decimal("1e-15") * n
            else:
                ok = mine is not None and Decimal(mine) == Decimal(value)
            if not ok:
                bad.append((key, mine, value))
        if len(ours) != len(theirs):
            bad.append(("count", len(ours), len(theirs)))
        print(f"spark cluster {master}, {executors} executors: {len(theirs)} observations, "
              f"{len(bad)} differences")
        for b in bad[:10]:
            print("  ", b)
        return 1 if bad or executors < 2 else 0
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()


if __name__ == "__main__":
    sys.exit(main())
