"""A Spark standalone cluster on loopback for the records checks and benchmarks: a master and
one-core workers on 127.0.0.1, each its own process, from PyPI's `pyspark` with the machine's
Java. Used by tests/records/spark_engine.py (CI) and benches/records.py.

    with Loopback(workers=2, memory="1g") as cluster:
        run(["chitieu", "measure", …, "--engine", cluster.url], env=cluster.env)

Stopped at the end, whatever happens: terminated, then killed after 20 s.
"""
import os
import socket
import subprocess
import time


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


class Loopback:
    """The master (started and listening when the constructor returns) and `workers` workers of
    one core and `memory` each, registering with it in the background. `env` is the environment
    a Spark client needs (SPARK_HOME, and SPARK_CONF_DIR when `conf_dir` is given)."""

    def __init__(self, workers: int = 2, memory: str = "1g", conf_dir: str = None):
        import pyspark
        home = os.path.dirname(pyspark.__file__)
        self.env = dict(os.environ, SPARK_HOME=home, SPARK_LOCAL_IP="127.0.0.1",
                        SPARK_NO_DAEMONIZE="1", NO_COLOR="1")
        if conf_dir:
            self.env["SPARK_CONF_DIR"] = conf_dir
        cls = os.path.join(home, "bin", "spark-class")
        port = free_port()
        self.url = f"spark://127.0.0.1:{port}"
        self.master = subprocess.Popen(
            [cls, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
             str(port), "--webui-port", str(free_port())],
            env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.workers = []
        try:
            wait_port(port, 120)
            for _ in range(workers):
                self.workers.append(subprocess.Popen(
                    [cls, "org.apache.spark.deploy.worker.Worker", self.url, "--host",
                     "127.0.0.1", "--cores", "1", "--memory", memory, "--webui-port",
                     str(free_port())],
                    env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        procs = self.workers + [self.master]
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.stop()
