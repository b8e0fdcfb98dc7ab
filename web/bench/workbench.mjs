// Speed of the built workbench in headless Chromium (docs/performance.md):
//   node web/bench/workbench.mjs OUT.html
// Prints the time to ready, open + check + evaluate of Plan 22 on the example data (fresh
// files each run, so nothing is cached), and the time from a keystroke to its diagnostic.
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { createRequire } from "node:module";

const require = createRequire(join(dirname(fileURLToPath(import.meta.url)), "..", "www", "x.js"));
const { chromium } = require("playwright-core");
const html = resolve(process.argv[2] ?? "target/workbench/workbench.html");
const RUNS = 30;

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return `median ${q(0.5).toFixed(1)} ms, p90 ${q(0.9).toFixed(1)} ms, max ${s[s.length - 1].toFixed(1)} ms (${s.length} runs)`;
};

const text = readFileSync(html);
console.log(`file: ${text.length} bytes, gzip -9: ${gzipSync(text, { level: 9 }).length} bytes`);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox"],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
await page.goto(pathToFileURL(html).href);
const ready = await page.evaluate(async () => {
  await window.chitieu.ready;
  return performance.now();
});
console.log(`ready: ${ready.toFixed(0)} ms after navigation`);

const times = await page.evaluate((runs) => {
  const c = window.chitieu;
  const out = [];
  for (let i = 0; i < runs; i++) {
    c.reset();
    const t0 = performance.now();
    const request = c.example();
    const check = c.check();
    const report = c.evaluate({ ...request, as_of: "2026-10-31" });
    out.push(performance.now() - t0);
    if (check.diagnostics.some((d) => d.severity === "error") || report.results.length < 100) {
      throw new Error("unexpected answer");
    }
  }
  return out;
}, RUNS);
console.log(`open + check + evaluate Plan 22: first ${times[0].toFixed(1)} ms; ${stats(times)}`);

// Keystroke → underline: a keydown listener notes the time; a mutation observer notes when the
// editor shows (or stops showing) an error underline.
await page.click("#example");
await page.waitForFunction(() => document.querySelector("#report").srcdoc.length > 1000);
await page.click(".cm-content");
await page.keyboard.press("Control+f");
await page.keyboard.type("online_rate > 80%");
await page.keyboard.press("Enter");
await page.keyboard.press("Escape");
await page.keyboard.press("ArrowLeft");
for (let i = 0; i < "online_rate".length; i++) await page.keyboard.press("ArrowRight");
await page.evaluate(() => {
  document.addEventListener("keydown", () => { window.__keydown = performance.now(); }, true);
});
const lag = [];
for (let i = 0; i < RUNS; i++) {
  const wantError = i % 2 === 0;
  // Armed before the key is pressed; resolves when the underline appears (or goes).
  await page.evaluate((want) => {
    window.__lag = new Promise((done) => {
      const obs = new MutationObserver(() => {
        if (!!document.querySelector(".cm-lintRange-error") === want) {
          obs.disconnect();
          done(performance.now() - window.__keydown);
        }
      });
      obs.observe(document.querySelector(".cm-editor"), { subtree: true, childList: true, attributes: true });
    });
  }, wantError);
  // An error (a letter that makes the name unknown), then its repair.
  await page.keyboard.press(wantError ? "x" : "Backspace");
  lag.push(await page.evaluate(() => window.__lag));
}
console.log(`keystroke → diagnostics shown or cleared: ${stats(lag)}`);
await browser.close();
