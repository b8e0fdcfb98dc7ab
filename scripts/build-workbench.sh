#!/usr/bin/env bash
# Builds the browser workbench: ONE self-contained HTML file (the library compiled to wasm32,
# the editor and the page's code and styles inlined; nothing fetched at run time).
#
#   bash scripts/build-workbench.sh OUT.html
#
# Installs what it needs when missing (idempotent): the wasm32-unknown-unknown target, the
# `wasm-bindgen` command of exactly the version web/Cargo.toml pins, the page's npm packages
# from web/www/package-lock.json. Node.js and npm must be installed (Debian: `apt-get install
# nodejs npm`). Uses `wasm-opt` when it is on the PATH (optional: a smaller file).
set -euo pipefail
out="${1:?usage: bash scripts/build-workbench.sh OUT.html}"
out="$(realpath -m "$out")"
cd "$(dirname "$0")/.."
root="$PWD"

command -v node >/dev/null && command -v npm >/dev/null || {
    echo "build-workbench: Node.js and npm are needed (Debian: apt-get install nodejs npm)" >&2
    exit 2
}

rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown ||
    rustup target add wasm32-unknown-unknown

# The CLI must be the crate's exact version: the JavaScript it generates talks to the crate.
version="$(sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' web/Cargo.toml)"
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $version" ]; then
    cargo install --locked --quiet wasm-bindgen-cli --version "$version"
fi

target_dir="$(cargo metadata --format-version 1 --no-deps | node -e \
    'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')"
cargo build --quiet -p chitieu-web --target wasm32-unknown-unknown --profile wasm-release
pkg="$target_dir/workbench/pkg"
rm -rf "$pkg"
wasm-bindgen --target web --no-typescript --out-dir "$pkg" \
    "$target_dir/wasm32-unknown-unknown/wasm-release/chitieu_web.wasm"
if command -v wasm-opt >/dev/null; then
    wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
        --enable-mutable-globals "$pkg/chitieu_web_bg.wasm" -o "$pkg/chitieu_web_bg.wasm"
fi

cd web/www
# npm ci only when the installed packages are not those of the lock file.
if ! cmp -s package-lock.json node_modules/.chitieu-lock 2>/dev/null; then
    npm ci --no-audit --no-fund --loglevel=error
    cp package-lock.json node_modules/.chitieu-lock
fi
CHITIEU_PKG="$pkg" CHITIEU_ROOT="$root" node build.mjs "$out"
