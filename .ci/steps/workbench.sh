#!/usr/bin/env bash
# The browser workbench (issue 14): builds the one-file page (scripts/build-workbench.sh: the
# wasm32 target, wasm-bindgen-cli of the pinned version, npm ci) and drives it from file:// in
# Debian's Chromium with playwright-core (web/tests/). Compares its results with the CLI built
# by `cargo test` (target/debug/chitieu).
set -euo pipefail
cd "$(dirname "$0")/../.."
source .ci/lib.sh

command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
command -v chromium >/dev/null || apt_install chromium
# The test writes a spreadsheet of the example data with openpyxl.
python3 -c "import openpyxl" 2>/dev/null || pip_install openpyxl
[ -x target/debug/chitieu ] || cargo build --quiet

start=$SECONDS
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
bash scripts/build-workbench.sh "$out/workbench.html"
echo "workbench: built in $((SECONDS - start)) s"
cargo clippy --quiet -p chitieu-web --target wasm32-unknown-unknown -- -D warnings
WORKBENCH="$out/workbench.html" CHITIEU=target/debug/chitieu node --test web/tests/workbench.test.mjs
echo "workbench: step took $((SECONDS - start)) s"
