#!/usr/bin/env bash
# Records (issue 17): `chitieu measure`, `eval --records` on Apache DataFusion, behind the cargo
# feature `records`, checked against DuckDB (PyPI `duckdb`) over the same generated Parquet.
# One more build of the crate with the feature, reusing every dependency `cargo test` built;
# DataFusion itself is the bulk of it (measured: see docs/records.md).
set -euo pipefail
source .ci/lib.sh

python3 -c "import duckdb" 2>/dev/null || pip_install duckdb

start=$(date +%s)
echo "== cargo clippy --features records (the records code is outside the default build)"
cargo clippy --features records --all-targets -- -D warnings
echo "== cargo test --features records --test records"
cargo test --features records --test records
# The distributed run: the measures' Spark SQL (`chitieu sql --dialect spark`) on a Spark
# standalone master and two workers on loopback (PyPI's pyspark, the machine's Java), compared
# with the embedded DataFusion run value for value. Ballista is not used: see docs/records.md.
command -v java >/dev/null || apt_install default-jre-headless
python3 -c "import pyspark" 2>/dev/null || pip_install pyspark
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 examples/records/generate.py "$dir/dossiers.parquet" --records 50000
echo "== Spark loopback cluster (1 master, 2 workers) against chitieu measure"
python3 tests/records/spark_cluster.py target/debug/chitieu tests/fixtures/records/plan.yaml \
    "$dir/dossiers.parquet" 2>"$dir/spark.log" || { tail -40 "$dir/spark.log"; exit 1; }
echo "== records step: $(($(date +%s) - start)) s"
