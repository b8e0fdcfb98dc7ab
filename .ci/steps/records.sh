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
echo "== records step: $(($(date +%s) - start)) s"
