#!/usr/bin/env bash
# The tests, on a fresh machine (the README's test command; `.ci/run` runs it too). Installs the
# real clients the tests drive when they are missing (Debian's Chromium and LibreOffice Calc,
# PyPI's openpyxl; each suite in .ci/steps/ installs its own), then runs:
#   - `cargo test` with the Chromium and LibreOffice tests mandatory (a missing tool fails them);
#   - the doc examples of the library without its command line (`--no-default-features`);
#   - every suite in .ci/steps/*.sh (real editors, browsers, clusters), in name order.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
shopt -s nullglob
source .ci/lib.sh

echo "== tools: chromium (HTML report test), LibreOffice (spreadsheet tests), openpyxl (spreadsheet tests)"
command -v chromium >/dev/null || apt_install chromium
# LibreOffice Calc, headless: about 45 s to install on the build machine (apt-get update included).
command -v soffice >/dev/null || apt_install --no-install-recommends libreoffice-calc
python3 -c "import openpyxl" 2>/dev/null || pip_install openpyxl

echo "== cargo test"
CHITIEU_CHROMIUM=1 CHITIEU_LIBREOFFICE=1 cargo test

echo "== the library without the command line: the README program and every doc example"
cargo test --doc --no-default-features

# Suites with real clients and their own tools (Neovim, Chromium through Playwright, pre-commit,
# a loopback cluster, ...): one file per capability, each installing what it needs
# (idempotently) and failing on any failure. They use target/debug/chitieu built above.
for step in .ci/steps/*.sh; do
    echo "== ${step}"
    bash "$step"
done
