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
# The distributed run, through chitieu itself: `chitieu measure --engine spark://127.0.0.1:PORT`
# and `eval --records --engine …` on a Spark standalone master and two workers on loopback
# (PyPI's pyspark, the machine's Java; each its own process), byte for byte equal to the embedded
# DataFusion run, with tasks on both executors. Ballista is not used: see docs/records.md.
command -v java >/dev/null || apt_install default-jre-headless
python3 -c "import pyspark" 2>/dev/null || pip_install pyspark
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 examples/records/generate.py "$dir/dossiers.parquet" --records 50000 --row-group 5000 \
    --units "$dir/units.csv"
echo "== chitieu measure --engine spark:// (1 master, 2 workers on loopback) against the embedded run"
spark_start=$(date +%s)
python3 tests/records/spark_engine.py target/debug/chitieu tests/fixtures/records/plan.yaml \
    "$dir/dossiers.parquet" "$dir/units.csv" 2>"$dir/spark.log" || { tail -40 "$dir/spark.log"; exit 1; }
echo "== spark engine check: $(($(date +%s) - spark_start)) s; records step: $(($(date +%s) - start)) s"
