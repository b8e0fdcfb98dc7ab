#!/usr/bin/env bash
# The VS Code extension (editors/vscode): `npm ci` from its package-lock.json, then
# `vsce package` (esbuild bundles the client into dist/extension.js first). The .vsix must hold
# the bundle and no node_modules (the bundle inlines vscode-languageclient).
set -euo pipefail
source .ci/lib.sh

# The machine's Node.js, else Debian's (18 on bookworm: @vscode/vsce is pinned to 2.x, which
# runs on Node.js 16 and later, where 3.x needs 20).
command -v npm >/dev/null || apt_install nodejs npm

cd editors/vscode
rm -rf dist ./*.vsix
npm ci --no-audit --no-fund --loglevel=error
npx vsce package --skip-license --allow-missing-repository --out chitieu.vsix
listing=$(unzip -l chitieu.vsix)
echo "$listing"
grep -q ' extension/dist/extension.js$' <<<"$listing" || { echo "the .vsix has no bundled extension"; exit 1; }
grep -q ' extension/package.json$' <<<"$listing" || { echo "the .vsix has no package.json"; exit 1; }
if grep -q 'node_modules/' <<<"$listing"; then
    echo "the .vsix holds node_modules (the bundle should inline them)"
    exit 1
fi
# The manifest the editor reads: it runs the bundle and activates on YAML files.
unzip -p chitieu.vsix extension/package.json | node -e '
    const m = JSON.parse(require("fs").readFileSync(0, "utf8"));
    if (m.main !== "./dist/extension.js" || !m.activationEvents.includes("onLanguage:yaml")) {
        console.error("unexpected manifest: main", m.main, "activationEvents", m.activationEvents);
        process.exit(1);
    }'
# The bundle starts `chitieu lsp` (and not with an extra `--stdio` the server does not take).
unzip -p chitieu.vsix extension/dist/extension.js | grep -q '"lsp"' || { echo "the bundle does not start \`chitieu lsp\`"; exit 1; }
rm -f chitieu.vsix
