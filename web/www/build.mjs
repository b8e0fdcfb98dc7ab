// Bundles the workbench into ONE HTML file: the wasm (gzipped, base64 in the script), the
// shipped example files (text loader), the page's JavaScript and CSS, all inline.
// Run by scripts/build-workbench.sh, which builds the wasm first (CHITIEU_PKG) and passes the
// repository root (CHITIEU_ROOT, where the example plans and data are).
import * as esbuild from "esbuild";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2];
const pkg = process.env.CHITIEU_PKG;
const root = process.env.CHITIEU_ROOT ?? join(here, "..", "..");
if (!out || !pkg) {
  console.error("usage: CHITIEU_PKG=DIR node build.mjs OUT.html");
  process.exit(2);
}

// `chitieu-pkg/X`: the wasm-bindgen output; `repo:X`: a file of the repository (the example);
// `chitieu-wasm-gzip`: the wasm, gzipped then base64 (a third of its size; the page inflates it
// with the browser's own DecompressionStream).
const resolve = {
  name: "chitieu",
  setup(build) {
    build.onResolve({ filter: /^chitieu-wasm-gzip$/ }, () => ({ path: "wasm", namespace: "gz" }));
    build.onLoad({ filter: /.*/, namespace: "gz" }, () => {
      const gz = gzipSync(readFileSync(join(pkg, "chitieu_web_bg.wasm")), { level: 9 });
      return { contents: `export default ${JSON.stringify(gz.toString("base64"))};`, loader: "js" };
    });
    build.onResolve({ filter: /^chitieu-pkg\// }, (a) => ({
      path: join(pkg, a.path.slice("chitieu-pkg/".length)),
    }));
    build.onResolve({ filter: /^repo:/ }, (a) => ({ path: join(root, a.path.slice(5)) }));
  },
};

const result = await esbuild.build({
  entryPoints: [join(here, "src", "main.js")],
  bundle: true,
  minify: true,
  format: "iife",
  target: ["chrome100", "firefox100", "edge100"],
  loader: { ".yaml": "text", ".yml": "text", ".csv": "text" },
  legalComments: "none",
  write: false,
  outdir: "out",
  plugins: [resolve],
  logLevel: "warning",
  // wasm-bindgen's default loader fetches the wasm next to `import.meta.url`; the page never
  // calls it (it instantiates the inlined bytes with initSync).
  logOverride: { "empty-import-meta": "silent" },
});

const text = (ext) =>
  result.outputFiles.filter((f) => f.path.endsWith(ext)).map((f) => f.text).join("\n");
// Nothing in an inline script may close it early.
const js = text(".js").replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
const css = text(".css").replace(/<\/(style)/gi, "<\\/$1");
const html = readFileSync(join(here, "index.html"), "utf8")
  .replace("/*CSS*/", () => css)
  .replace("/*JS*/", () => js);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, html);
console.log(`${out}: ${(Buffer.byteLength(html) / 1024).toFixed(0)} KiB`);
