// The built workbench, driven from file:// in Debian's Chromium by playwright-core:
//   node --test web/tests/workbench.test.mjs   (WORKBENCH=out.html CHITIEU=target/debug/chitieu)
// Fails on any console error or any request that leaves the file.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { createRequire } from "node:module";

const require = createRequire(join(dirname(fileURLToPath(import.meta.url)), "..", "www", "x.js"));
const { chromium } = require("playwright-core");

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const html = resolve(process.env.WORKBENCH ?? join(root, "target", "workbench", "workbench.html"));
const cli = resolve(root, process.env.CHITIEU ?? "target/debug/chitieu");
const shots = process.env.SCREENSHOTS ?? mkdtempSync(join(tmpdir(), "workbench-shots-"));
const PLAN = "plans/vinh-long/22-kh-ubnd-2026-2030.yaml";
const CATALOGUE = "plans/catalogue/cchc-indicators.yaml";
const DATA = ["examples/data/observations.csv"];
const UNITS = "examples/data/units.csv";

let browser;
let page;
const problems = []; // console errors, page errors, requests leaving the file

function run(args, cwd = root) {
  const r = spawnSync(cli, args, { cwd, encoding: "utf8" });
  assert.ok(r.status === 0 || r.status === 1, `${cli} ${args.join(" ")}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

function cliEval(asOf, lang) {
  const args = ["eval", PLAN, "--data", ...DATA, "--units", UNITS, "--as-of", asOf, "--format", "json"];
  return run(lang ? [...args, "--lang", lang] : args);
}

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox"],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
  page.on("pageerror", (e) => problems.push(`page error: ${e}`));
  page.on("request", (r) => {
    if (!/^(file|data|blob|about):/.test(r.url())) problems.push(`request: ${r.url()}`);
  });
  await page.goto(pathToFileURL(html).href);
  await page.evaluate(() => window.chitieu.ready);
  await page.waitForSelector("body[data-ready]");
});

after(async () => {
  await browser?.close();
  if (!process.env.SCREENSHOTS) rmSync(shots, { recursive: true, force: true });
});

test("one file, nothing external, under 4 MB", () => {
  const text = readFileSync(html, "utf8");
  // Attributes outside the inline script and style: no src or href pointing anywhere.
  const markup = text
    .replace(/<script>[\s\S]*?<\/script>/g, "")
    .replace(/<style>[\s\S]*?<\/style>/g, "");
  assert.doesNotMatch(markup, /\s(src|href)\s*=/i);
  assert.equal((text.match(/<script\b/g) ?? []).length, 1);
  assert.doesNotMatch(text, /<script[^>]*\ssrc=|<link\b/i);
  const size = Buffer.byteLength(text);
  const gz = gzipSync(text, { level: 9 }).length;
  console.log(`workbench: ${size} bytes (${(size / 1048576).toFixed(2)} MiB), gzip ${gz} bytes`);
  assert.ok(size < 4 * 1024 * 1024, `${size} bytes`);
});

test("window.chitieu.evaluate equals the CLI's JSON on Plan 22", async () => {
  const request = await page.evaluate(() => window.chitieu.example());
  assert.deepEqual(request, { plan: PLAN, data: DATA, units: UNITS });
  for (const [asOf, lang] of [["2026-10-31"], ["2027-06-30", "en"], ["2030-12-31", "vi"]]) {
    const got = await page.evaluate((r) => window.chitieu.evaluate(r), { ...request, as_of: asOf, lang });
    const want = cliEval(asOf, lang);
    assert.ok(want.results.length > 100);
    assert.deepEqual(got, want, `as of ${asOf}`);
  }
});

test("history and check equal the CLI's", async () => {
  const got = await page.evaluate(() =>
    window.chitieu.history({ plan: "plans/vinh-long/22-kh-ubnd-2026-2030.yaml",
      data: ["examples/data/observations.csv"], units: "examples/data/units.csv",
      from: "2026-01", to: "2026-12" }));
  const want = run(["eval", PLAN, "--data", ...DATA, "--units", UNITS, "--history", "2026-01..2026-12", "--format", "json"]);
  assert.deepEqual(got, want);
  const check = await page.evaluate((files) => window.chitieu.check({ files }), [PLAN]);
  assert.deepEqual(check, run(["check", PLAN, "--format", "json"]));
  // An error of the pipeline is thrown, with its diagnostics.
  const err = await page.evaluate(() => {
    try {
      window.chitieu.evaluate({ plan: "nothing.yaml", as_of: "2026-10-31" });
      return null;
    } catch (e) {
      return { name: e.name, stage: e.stage, schema: e.report?.schema };
    }
  });
  assert.deepEqual(err, { name: "ChitieuError", stage: "plan", schema: "chitieu.check/v1" });
});

test("spreadsheet data (.xlsx) evaluates as the CLI does", async () => {
  // The example observations as a workbook (openpyxl, as the spreadsheet tests make theirs).
  const dir = mkdtempSync(join(tmpdir(), "workbench-xlsx-"));
  try {
    const book = join(dir, "observations.xlsx");
    const py = spawnSync("python3", ["-c", `
import csv, sys, openpyxl
wb = openpyxl.Workbook()
for row in csv.reader(l for l in open(sys.argv[1], encoding="utf-8") if not l.startswith("#")):
    wb.active.append(row)
wb.save(sys.argv[2])`, join(root, DATA[0]), book], { encoding: "utf8" });
    assert.equal(py.status, 0, py.stderr);
    const bytes = [...readFileSync(book)];
    const got = await page.evaluate((b) => {
      window.chitieu.open({ "examples/data/observations.xlsx": new Uint8Array(b) });
      return window.chitieu.evaluate({ plan: "plans/vinh-long/22-kh-ubnd-2026-2030.yaml",
        data: ["examples/data/observations.xlsx"], units: "examples/data/units.csv", as_of: "2026-10-31" });
    }, bytes);
    const want = run(["eval", PLAN, "--data", book, "--units", UNITS, "--as-of", "2026-10-31", "--format", "json"]);
    assert.deepEqual(got, want);
    assert.deepEqual(got, cliEval("2026-10-31"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The CLI's check of the page's current plan text, laid out as in the page. */
function cliCheckOf(planText) {
  const dir = mkdtempSync(join(tmpdir(), "workbench-check-"));
  try {
    for (const [p, t] of [[PLAN, planText], [CATALOGUE, readFileSync(join(root, CATALOGUE), "utf8")]]) {
      mkdirSync(dirname(join(dir, p)), { recursive: true });
      writeFileSync(join(dir, p), t);
    }
    return run(["check", PLAN, "--format", "json", "--lang", "vi"], dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("a typo is underlined at the CLI's line and column, in vi then en; the quick fix repairs it", async () => {
  await page.click("#example");
  await page.waitForFunction(() => document.querySelector("#report")?.srcdoc.length > 1000);
  await page.screenshot({ path: join(shots, "example.png") });
  // Type the typo: find the rule, delete the last letter of `online_rate`.
  await page.click(".cm-content");
  await page.keyboard.press("Control+f");
  await page.keyboard.type("online_rate > 80%");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Escape");
  await page.keyboard.press("ArrowLeft");
  for (let i = 0; i < "online_rate".length; i++) await page.keyboard.press("ArrowRight");
  await page.keyboard.press("Backspace");
  const range = await page.waitForSelector(".cm-lintRange-error");
  assert.equal(await range.textContent(), "online_rat");

  const text = await page.evaluate((p) => window.chitieu.read(p), PLAN);
  assert.match(text, /rule: online_rat > 80%/);
  const want = cliCheckOf(text).diagnostics.filter((d) => d.code === "unknown-name");
  assert.equal(want.length, 1);
  const got = await page.evaluate(() => window.chitieu.check({ lang: "vi" }).diagnostics);
  assert.deepEqual(got.filter((d) => d.code === "unknown-name"), want);
  const [d] = want;
  const item = page.locator("#problems li.error", { hasText: `${PLAN}:${d.line}:${d.column}` });
  await item.waitFor();
  assert.match(await item.textContent(), /online_rate/); // the suggestion, in the help and the fix
  assert.match(await item.textContent(), new RegExp(d.message.replace(/[`.*+?^${}()|[\]\\]/g, "\\$&")));
  await page.screenshot({ path: join(shots, "typo-vi.png") });

  await page.selectOption("#lang", "en");
  const en = page.locator("#problems li.error", { hasText: "unknown indicator `online_rat`" });
  await en.waitFor();
  assert.match(await en.textContent(), /did you mean `online_rate`\?/);
  assert.equal(await page.textContent("h2 [data-i18n=problems]"), "Problems");

  // The quick fix, from the underline's tooltip.
  await range.hover();
  const action = page.locator(".cm-tooltip-lint .cm-diagnosticAction", { hasText: "online_rate" });
  await action.click();
  await page.waitForFunction(() => !document.querySelector(".cm-lintRange-error"));
  assert.match(await page.evaluate((p) => window.chitieu.read(p), PLAN), /rule: online_rate > 80%/);
  const after = await page.evaluate(() => window.chitieu.check().diagnostics);
  assert.equal(after.filter((x) => x.severity === "error").length, 0);
});

test("the report follows the language and exports JSON that reads back", async () => {
  await page.click("#evaluate");
  await page.waitForFunction(() => document.querySelector("#report").srcdoc.includes('lang="en"'));
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-json")]);
  const exported = JSON.parse(readFileSync(await download.path(), "utf8"));
  assert.equal(exported.schema, "chitieu.eval/v1");
  const asOf = await page.inputValue("#as-of");
  assert.deepEqual(exported, cliEval(asOf, "en"));
  const [csv] = await Promise.all([page.waitForEvent("download"), page.click("#export-csv")]);
  const rows = readFileSync(await csv.path(), "utf8").trim().split("\r\n");
  assert.equal(rows.length, exported.results.length + 1);
  const [xlsx] = await Promise.all([page.waitForEvent("download"), page.click("#export-xlsx")]);
  const book = readFileSync(await xlsx.path());
  assert.equal(book.subarray(0, 2).toString(), "PK"); // a zip: the workbook
  assert.ok(book.length > 5000, `${book.length} bytes`);
  // The month slider evaluates at the end of the month it points to.
  await page.locator("#month").fill("5");
  await page.waitForFunction(() => document.querySelector("#as-of").value === "2026-06-30");
  await page.waitForFunction(() => document.querySelector("#report").srcdoc.includes("2026-06-30"));
  // The history strip: a bar per month of the plan (chitieu.history); a click evaluates there.
  assert.equal(await page.locator("#history .month").count(), 60);
  assert.equal(await page.getAttribute("#history .month.current", "data-date"), "2026-06-30");
  await page.click('#history .month[data-date="2027-03-31"]');
  await page.waitForFunction(() => document.querySelector("#report").srcdoc.includes("2027-03-31"));
  assert.equal(await page.inputValue("#month"), "14");
  await page.screenshot({ path: join(shots, "report-en.png") });
});

test("screenshots are not blank", async () => {
  const check = await browser.newPage();
  for (const name of ["example.png", "typo-vi.png", "report-en.png"]) {
    const b64 = readFileSync(join(shots, name)).toString("base64");
    const colours = await check.evaluate(async (src) => {
      const img = new Image();
      img.src = src;
      await img.decode();
      const c = document.createElement("canvas");
      c.width = img.width;
      c.height = img.height;
      const g = c.getContext("2d");
      g.drawImage(img, 0, 0);
      const px = g.getImageData(0, 0, c.width, c.height).data;
      const seen = new Set();
      let ink = 0;
      for (let i = 0; i < px.length; i += 4 * 7) {
        seen.add((px[i] << 16) | (px[i + 1] << 8) | px[i + 2]);
        if (px[i] + px[i + 1] + px[i + 2] < 600) ink++;
      }
      return { colours: seen.size, ink: ink / (px.length / 28) };
    }, `data:image/png;base64,${b64}`);
    assert.ok(colours.colours > 50 && colours.ink > 0.01, `${name}: ${JSON.stringify(colours)}`);
  }
  await check.close();
});

test("no console error, no request leaving the file", () => {
  assert.deepEqual(problems, []);
});
