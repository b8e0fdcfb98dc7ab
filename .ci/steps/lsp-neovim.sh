#!/usr/bin/env bash
# A real editor against `chitieu lsp`: Neovim's built-in LSP client (Debian's neovim, 0.7 or
# later), headless, runs tests/nvim/lsp.lua — a misspelt indicator of Plan 22 reported at its
# exact place (and after an emoji and a decomposed Vietnamese letter), cleared when fixed,
# `online_rate` completed at `onl`, a rule formatted. Uses the binary `cargo test` built.
set -euo pipefail
. .ci/lib.sh
command -v nvim >/dev/null || apt_install neovim
[ -x target/debug/chitieu ] || cargo build --quiet --bin chitieu
echo "== neovim $(nvim --version | head -1): tests/nvim/lsp.lua"
CHITIEU=target/debug/chitieu timeout 300 nvim --headless --clean -S tests/nvim/lsp.lua
