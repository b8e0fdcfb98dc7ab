// The workbench page: files, the editor with live diagnostics, the report. Every action goes
// through window.chitieu (api.js), the same calls scripts use.
import "./style.css";
import { EditorView, basicSetup } from "codemirror";
import { EditorState, Compartment } from "@codemirror/state";
import { hoverTooltip } from "@codemirror/view";
import { yaml } from "@codemirror/lang-yaml";
import { setDiagnostics, lintGutter } from "@codemirror/lint";
import { autocompletion } from "@codemirror/autocomplete";
import { chitieu, ChitieuError, EXAMPLE, isPlanFile, isWholePlan } from "./api.js";
import { WORDS } from "./i18n.js";

window.chitieu = chitieu;

const $ = (id) => document.getElementById(id);
const STORE = "chitieu.workbench";
const TEXT = /\.(ya?ml|csv|json|txt|md)$/i;
const DATA = /\.(ya?ml|csv|json|xlsx|xlsm|xls|ods)$/i;

const state = {
  lang: "vi",
  current: null, // the file in the editor
  roles: new Map(), // path → plan | catalogue | data | units | ignored
  symbols: null, // of the plan, for completion and hover
  period: null, // the plan's {start, end}
  report: null, // the last chitieu.eval/v1 object
  html: null, // the last HTML report
  diagnostics: [], // the last check's, every file
  rev: 0, // counts changes to the files: a history is computed again only after one
  history: null, // {key, doc}: the last chitieu.history/v1 over the plan's period
};

const words = () => WORDS[state.lang];

// ---- the editor ----------------------------------------------------------------------------

const readOnly = new Compartment();
let loading = false; // true while the page itself replaces the editor's text
let timer = null;

const view = new EditorView({
  parent: $("editor"),
  state: EditorState.create({
    doc: "",
    extensions: [
      basicSetup,
      yaml(),
      lintGutter(),
      EditorView.lineWrapping,
      autocompletion({ override: [complete] }),
      hoverTooltip(hover),
      readOnly.of(EditorState.readOnly.of(true)),
      EditorView.updateListener.of((u) => {
        if (u.docChanged && !loading && state.current) {
          chitieu.open({ [state.current]: u.state.doc.toString() });
          state.rev++;
          // One check per burst of typing, as soon as the keystrokes pause.
          clearTimeout(timer);
          timer = setTimeout(() => lint(), 20);
          remember();
        }
      }),
    ],
  }),
});

function show(path, line) {
  state.current = path;
  const content = chitieu.read(path);
  const text = typeof content === "string" ? content : "";
  loading = true;
  view.dispatch({
    changes: { from: 0, to: view.state.doc.length, insert: text },
    effects: readOnly.reconfigure(EditorState.readOnly.of(typeof content !== "string")),
  });
  loading = false;
  $("editor-title").textContent = path;
  if (line) {
    const l = view.state.doc.line(Math.min(line, view.state.doc.lines));
    view.dispatch({ selection: { anchor: l.from }, scrollIntoView: true });
    view.focus();
  }
  renderFiles();
  paintDiagnostics();
}

/** A UTF-16 [line, character] position (0-based) as an offset in the editor. */
function offset(doc, [line, character]) {
  if (line + 1 > doc.lines) return doc.length;
  const l = doc.line(line + 1);
  return Math.min(l.from + character, l.to);
}

function paintDiagnostics() {
  const doc = view.state.doc;
  const mine = state.diagnostics.filter((d) => d.file === state.current && d.range);
  const cm = mine.map((d) => {
    const from = offset(doc, d.range.from);
    const to = Math.max(from, offset(doc, d.range.to));
    return {
      from,
      to,
      severity: d.severity === "error" ? "error" : "warning",
      source: d.code,
      message: d.help ? `${d.message}\n${d.help}` : d.message,
      actions: d.suggestion
        ? [{ name: words().fix(d.suggestion), apply: (v, f, t) => fix(v, f, t, d.suggestion) }]
        : [],
    };
  });
  view.dispatch(setDiagnostics(view.state, cm));
}

function fix(v, from, to, text) {
  v.dispatch({ changes: { from, to, insert: text }, selection: { anchor: from + text.length } });
}

/** Checks every plan and catalogue; paints the current file's problems; lists them all. */
function lint() {
  const files = chitieu.files().filter((p) => isPlanFile(p) && state.roles.get(p) !== "ignored");
  state.diagnostics = files.length
    ? chitieu.check({ files, lang: state.lang, editor: true }).diagnostics
    : [];
  const plan = planPath();
  if (plan) {
    try {
      const s = chitieu.symbols(plan);
      if (s.indicators.length || !state.symbols) state.symbols = s;
      if (s.period?.start) setPeriod(s.period);
    } catch {
      // Symbols are a convenience: the diagnostics already say what is wrong.
    }
  }
  paintDiagnostics();
  renderProblems();
}

function renderProblems() {
  const list = $("problems");
  list.replaceChildren();
  const n = state.diagnostics.length;
  $("problem-count").textContent = n ? `(${n})` : "";
  if (!n) {
    list.append(el("li", { className: "ok" }, words().noProblems));
    return;
  }
  for (const d of state.diagnostics) {
    const where = d.line ? `${d.file}:${d.line}:${d.column}` : d.file ?? "";
    const li = el("li", { className: d.severity },
      el("a", { href: "#", onclick: (e) => { e.preventDefault(); if (d.file) show(d.file, d.line); } }, where),
      ` ${d.severity}[${d.code}]: ${d.message}`,
      d.help ? el("div", { className: "help" }, d.help) : "");
    if (d.suggestion && d.range) {
      li.append(el("button", { className: "fix", onclick: () => {
        if (state.current !== d.file) show(d.file);
        const doc = view.state.doc;
        fix(view, offset(doc, d.range.from), offset(doc, d.range.to), d.suggestion);
      } }, words().fix(d.suggestion)));
    }
    list.append(li);
  }
}

// Completion of indicator names, and hover on names: from the plan's symbols.
function complete(ctx) {
  const word = ctx.matchBefore(/[\p{L}\p{N}_.]+/u);
  if (!word || (word.from === word.to && !ctx.explicit) || !state.symbols) return null;
  return {
    from: word.from,
    validFor: /^[\p{L}\p{N}_.]*$/u,
    options: state.symbols.indicators.map((i) => ({
      label: i.id,
      type: "variable",
      detail: i.unit,
      info: i.formula ? `${i.name}\n= ${i.formula}` : i.name,
    })),
  };
}

function hover(v, pos) {
  if (!state.symbols) return null;
  const line = v.state.doc.lineAt(pos);
  const re = /[\p{L}\p{N}_.]+/gu;
  let m;
  while ((m = re.exec(line.text))) {
    const from = line.from + m.index;
    const to = from + m[0].length;
    if (pos < from || pos > to) continue;
    const name = m[0];
    const ind = state.symbols.indicators.find((i) => i.id === name);
    const goal = !ind && state.symbols.goals.find((g) => g.id === name);
    if (!ind && !goal) return null;
    return {
      pos: from,
      end: to,
      above: true,
      create() {
        const w = words();
        const dom = ind
          ? el("div", { className: "hover" },
              el("b", {}, `${w.indicator} ${ind.id}`), el("div", {}, ind.name),
              el("div", {}, `${w.unit}: ${ind.unit}`),
              ind.formula ? el("div", {}, `${w.formula}: ${ind.formula}`) : "",
              ind.note ? el("div", { className: "help" }, ind.note) : "",
              el("div", { className: "help" }, `${ind.at.file}:${ind.at.line}`))
          : el("div", { className: "hover" },
              el("b", {}, `${w.goal} ${goal.id}`), el("div", {}, goal.title),
              el("div", {}, `${w.rule}: ${goal.rule}`));
        return { dom };
      },
    };
  }
  return null;
}

// ---- files ---------------------------------------------------------------------------------

function guessRole(path) {
  if (isWholePlan(path)) return "plan";
  if (isPlanFile(path)) return "catalogue";
  const base = path.split("/").pop();
  if (/unit|don-vi|donvi/i.test(base) && DATA.test(base)) return "units";
  if (DATA.test(base)) return "data";
  return "ignored";
}

function planPath() {
  return chitieu.files().find((p) => state.roles.get(p) === "plan") ?? null;
}

/** Opens files (`{path: text or bytes}`), guesses their roles, shows the plan. */
function openFiles(files) {
  chitieu.open(files);
  state.rev++;
  for (const p of chitieu.files()) if (!state.roles.has(p)) state.roles.set(p, guessRole(p));
  // One plan at a time: the last one opened.
  const plans = Object.keys(files).map((p) => p.replace(/^\/+/, "")).filter((p) => state.roles.get(p) === "plan");
  if (plans.length) {
    for (const [p, r] of state.roles) if (r === "plan" && !plans.includes(p)) state.roles.set(p, "ignored");
    for (const p of plans.slice(0, -1)) state.roles.set(p, "ignored");
  }
  const plan = planPath();
  state.symbols = null;
  show(plan ?? state.current ?? chitieu.files()[0]);
  lint();
  remember();
}

function renderFiles() {
  const list = $("files");
  list.replaceChildren();
  const w = words();
  for (const p of chitieu.files()) {
    const role = state.roles.get(p) ?? "ignored";
    const select = el("select", { ariaLabel: p, onchange: () => {
      if (select.value === "plan") for (const [q, r] of state.roles) if (r === "plan") state.roles.set(q, "ignored");
      state.roles.set(p, select.value);
      state.symbols = null;
      renderFiles();
      lint();
      remember();
    } });
    for (const r of ["plan", "catalogue", "data", "units", "ignored"]) {
      select.append(el("option", { value: r, selected: r === role }, w[r]));
    }
    list.append(el("li", { className: p === state.current ? "current" : "" },
      el("a", { href: "#", onclick: (e) => { e.preventDefault(); show(p); } }, p), select));
  }
}

async function readFile(file, path) {
  return TEXT.test(path) ? file.text() : new Uint8Array(await file.arrayBuffer());
}

async function openList(list) {
  const files = {};
  for (const f of list) {
    const path = f.webkitRelativePath || f.name;
    files[path] = await readFile(f, path);
  }
  if (Object.keys(files).length) openFiles(files);
}

/** Every file under dropped entries (folders walked). */
async function walk(entry, files) {
  if (entry.isFile) {
    const file = await new Promise((ok, ko) => entry.file(ok, ko));
    const path = entry.fullPath.replace(/^\/+/, "");
    files[path] = await readFile(file, path);
  } else if (entry.isDirectory) {
    const reader = entry.createReader();
    for (;;) {
      const batch = await new Promise((ok, ko) => reader.readEntries(ok, ko));
      if (!batch.length) break;
      for (const e of batch) await walk(e, files);
    }
  }
}

// ---- evaluation and report -----------------------------------------------------------------

function currentRequest() {
  const files = chitieu.files();
  return {
    plan: planPath(),
    data: files.filter((p) => state.roles.get(p) === "data"),
    units: files.find((p) => state.roles.get(p) === "units"),
    lang: state.lang,
    as_of: $("as-of").value,
  };
}

function evaluate() {
  const r = currentRequest();
  const status = $("status");
  status.replaceChildren();
  if (!r.plan) {
    status.textContent = words().noPlan;
    return;
  }
  try {
    const t0 = performance.now();
    state.report = chitieu.evaluate(r);
    state.html = chitieu.html(r);
    const ms = Math.round(performance.now() - t0);
    status.textContent = words().evaluated(state.report.results.length, ms);
    $("report").srcdoc = state.html;
    renderHistory(r);
  } catch (e) {
    if (!(e instanceof ChitieuError)) throw e;
    state.report = null;
    state.html = null;
    status.append(el("pre", { className: "error" }, e.message));
  }
  remember();
}

const STRIP = ["met", "on_track", "in_progress", "off_track", "not_met"];

/**
 * The history strip: a bar per month of the plan's period (chitieu.history), its segments the
 * counts of judged results by status; a click evaluates at that month's end.
 */
function renderHistory(r) {
  const strip = $("history");
  if (!state.period) return;
  const key = JSON.stringify([r.plan, r.data, r.units, state.lang, state.rev]);
  if (state.history?.key !== key) {
    const doc = chitieu.history({ ...r, from: state.period.start.slice(0, 7), to: state.period.end.slice(0, 7) });
    state.history = { key, doc };
    strip.replaceChildren();
    const counts = doc.dates.map(() => Object.fromEntries(STRIP.map((s) => [s, 0])));
    for (const row of doc.results) {
      row.series.forEach((step, i) => {
        if (step.status in counts[i]) counts[i][step.status]++;
      });
    }
    const most = Math.max(1, ...counts.map((c) => STRIP.reduce((n, s) => n + c[s], 0)));
    doc.dates.forEach((date, i) => {
      const bar = el("div", { className: "month", role: "listitem", onclick: () => {
        $("as-of").value = date;
        syncSlider();
        evaluate();
      } });
      bar.dataset.date = date;
      for (const s of STRIP) {
        if (counts[i][s]) bar.append(el("span", { className: `s-${s}`, style: `height:${(100 * counts[i][s]) / most}%` }));
      }
      bar.title = `${date}: ${STRIP.filter((s) => counts[i][s]).map((s) => `${words().status[s]} ${counts[i][s]}`).join(", ")}`;
      strip.append(bar);
    });
  }
  for (const bar of strip.children) bar.classList.toggle("current", bar.dataset.date.slice(0, 7) === r.as_of.slice(0, 7));
}

/** The slider's months: from the plan's first month to its last. */
function setPeriod(period) {
  if (state.period?.start === period.start && state.period?.end === period.end) return;
  state.period = period;
  const [y0, m0] = period.start.split("-").map(Number);
  const [y1, m1] = period.end.split("-").map(Number);
  const slider = $("month");
  slider.max = String((y1 - y0) * 12 + (m1 - m0));
  syncSlider();
}

function monthEnd(i) {
  const [y0, m0] = state.period.start.split("-").map(Number);
  const d = new Date(Date.UTC(y0, m0 - 1 + i + 1, 0));
  return d.toISOString().slice(0, 10);
}

function syncSlider() {
  if (!state.period) return;
  const [y0, m0] = state.period.start.split("-").map(Number);
  const [y, m] = $("as-of").value.split("-").map(Number);
  const i = Math.max(0, Math.min(Number($("month").max), (y - y0) * 12 + (m - m0)));
  $("month").value = String(i);
  $("month-label").textContent = $("as-of").value;
}

function download(name, type, content) {
  const a = el("a", { href: URL.createObjectURL(new Blob([content], { type })), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

const CSV_COLUMNS = ["unit", "unit_name", "goal", "title", "status", "period", "actual", "target",
  "expected", "gap", "value_unit", "as_of"];

/** The results as CSV: a row per (unit, goal), values as exact decimals. */
function resultsCsv(report) {
  const cell = (v) => {
    const s = v == null ? "" : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const rows = [CSV_COLUMNS.join(",")];
  for (const r of report.results) {
    rows.push(CSV_COLUMNS.map((c) => cell(c === "as_of" ? report.as_of : r[c])).join(","));
  }
  return rows.join("\r\n") + "\r\n";
}

function stem() {
  return (planPath() ?? "chitieu").split("/").pop().replace(/\.ya?ml$/i, "");
}

// ---- language and the remembered session --------------------------------------------------

function setLang(lang) {
  state.lang = lang;
  $("lang").value = lang;
  document.documentElement.lang = lang;
  const w = words();
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = w[node.dataset.i18n];
  document.title = `chitieu — ${w.subtitle}`;
  renderFiles();
  lint();
  if (state.report) evaluate();
}

function b64(bytes) {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Saves the session in local storage, only when the user asked for it. */
function remember() {
  if (!$("remember").checked) return;
  const files = {};
  for (const p of chitieu.files()) {
    const c = chitieu.read(p);
    files[p] = typeof c === "string" ? c : { base64: b64(c) };
  }
  try {
    localStorage.setItem(STORE, JSON.stringify({
      files, roles: [...state.roles], current: state.current, lang: state.lang, as_of: $("as-of").value,
    }));
  } catch {
    $("status").textContent = "localStorage: quota";
  }
}

function restore() {
  let saved = null;
  try {
    saved = JSON.parse(localStorage.getItem(STORE) ?? "null");
  } catch {
    saved = null;
  }
  if (!saved) return false;
  $("remember").checked = true;
  const files = {};
  for (const [p, c] of Object.entries(saved.files ?? {})) {
    files[p] = typeof c === "string" ? c : Uint8Array.from(atob(c.base64), (ch) => ch.charCodeAt(0));
  }
  for (const [p, r] of saved.roles ?? []) state.roles.set(p, r);
  if (saved.as_of) $("as-of").value = saved.as_of;
  state.lang = saved.lang === "en" ? "en" : "vi";
  openFiles(files);
  if (saved.current && chitieu.read(saved.current) !== undefined) show(saved.current);
  return true;
}

// ---- wiring --------------------------------------------------------------------------------

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  if (props.ariaLabel) node.setAttribute("aria-label", props.ariaLabel);
  node.append(...children.filter((c) => c !== ""));
  return node;
}

function today() {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function wire() {
  $("as-of").value = today();
  $("pick-files").onchange = (e) => openList(e.target.files);
  $("pick-folder").onchange = (e) => openList(e.target.files);
  $("example").onclick = () => {
    chitieu.reset();
    state.roles.clear();
    openFiles(EXAMPLE.files);
    // The example data's last observations are of the third quarter of 2026.
    $("as-of").value = "2026-10-31";
    syncSlider();
    evaluate();
  };
  $("save-plan").onclick = () => {
    if (state.current && typeof chitieu.read(state.current) === "string") {
      download(state.current.split("/").pop(), "application/yaml", view.state.doc.toString());
    }
  };
  $("lang").onchange = (e) => setLang(e.target.value);
  $("evaluate").onclick = () => { syncSlider(); evaluate(); };
  $("as-of").onchange = () => { syncSlider(); evaluate(); };
  $("month").oninput = () => {
    if (!state.period) return;
    $("as-of").value = monthEnd(Number($("month").value));
    $("month-label").textContent = $("as-of").value;
    evaluate();
  };
  $("export-json").onclick = () => state.report &&
    download(`${stem()}.eval.json`, "application/json", `${JSON.stringify(state.report, null, 2)}\n`);
  $("export-csv").onclick = () => state.report &&
    download(`${stem()}.csv`, "text/csv", `\ufeff${resultsCsv(state.report)}`);
  $("export-xlsx").onclick = () => state.report && download(`${stem()}.xlsx`,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", chitieu.xlsx(currentRequest()));
  $("export-html").onclick = () => state.html && download(`${stem()}.html`, "text/html", state.html);
  $("print").onclick = () => $("report").contentWindow?.print();
  $("remember").onchange = (e) => {
    if (e.target.checked) remember();
    else localStorage.removeItem(STORE);
  };
  document.addEventListener("dragover", (e) => e.preventDefault());
  document.addEventListener("drop", async (e) => {
    e.preventDefault();
    const files = {};
    for (const item of e.dataTransfer.items) {
      const entry = item.webkitGetAsEntry?.();
      if (entry) await walk(entry, files);
    }
    if (Object.keys(files).length) openFiles(files);
  });
}

chitieu.ready.then(() => {
  wire();
  restore();
  setLang(state.lang);
  renderProblems();
  document.body.dataset.ready = "1";
});
