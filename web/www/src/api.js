// window.chitieu: the scripting API of the workbench (documented in docs/workbench.md). The
// page's own controls go through these same calls. Everything runs in this tab: the library is
// compiled to WebAssembly and inlined in the page; files live in memory.
import { Workbench, initSync } from "chitieu-pkg/chitieu_web.js";
import wasmGzip from "chitieu-wasm-gzip";
import plan22 from "repo:plans/vinh-long/22-kh-ubnd-2026-2030.yaml";
import catalogue from "repo:plans/catalogue/cchc-indicators.yaml";
import observations from "repo:examples/data/observations.csv";
import units from "repo:examples/data/units.csv";


/** The shipped example: Vĩnh Long's Plan 22, its catalogue, example data and unit registry. */
export const EXAMPLE = {
  files: {
    "plans/vinh-long/22-kh-ubnd-2026-2030.yaml": plan22,
    "plans/catalogue/cchc-indicators.yaml": catalogue,
    "examples/data/observations.csv": observations,
    "examples/data/units.csv": units,
  },
  request: {
    plan: "plans/vinh-long/22-kh-ubnd-2026-2030.yaml",
    data: ["examples/data/observations.csv"],
    units: "examples/data/units.csv",
  },
};

/** An error of the pipeline: `stage`, and `report`, the chitieu.check/v1 document. */
export class ChitieuError extends Error {
  constructor(error) {
    super(error.message);
    this.name = "ChitieuError";
    this.stage = error.stage;
    this.report = error.report;
  }
}

let bench = null;
const texts = new Map(); // path → text (or Uint8Array for binary files), as opened
const encoder = new TextEncoder();

/** The inlined wasm: base64 → gzip → bytes, in the browser (no fetch: works from file://). */
async function wasmBytes() {
  const gz = Uint8Array.from(atob(wasmGzip), (c) => c.charCodeAt(0));
  const stream = new Blob([gz]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const ready = wasmBytes().then((bytes) => {
  initSync({ module: bytes });
  bench = new Workbench();
});

function live() {
  if (!bench) throw new Error("chitieu: not ready yet (await chitieu.ready)");
  return bench;
}

function unwrap(answer) {
  const v = JSON.parse(answer);
  if (v.error) throw new ChitieuError(v.error);
  return v.ok;
}

function normalise(path) {
  const parts = [];
  for (const p of String(path).replace(/\\/g, "/").split("/")) {
    if (p === "" || p === ".") continue;
    if (p === "..") parts.pop();
    else parts.push(p);
  }
  return parts.join("/");
}

/** Whether a file is a plan or a catalogue (a YAML file with a top-level `chitieu:` key). */
export function isPlanFile(path) {
  const t = texts.get(path);
  return /\.ya?ml$/i.test(path) && typeof t === "string" && /^chitieu\s*:/m.test(t);
}

/** Whether a plan file is a whole plan (has `plan:`), not a catalogue. */
export function isWholePlan(path) {
  return isPlanFile(path) && /^plan\s*:/m.test(texts.get(path));
}

function request(r) {
  const out = { plan: normalise(r.plan), data: (r.data ?? []).map(normalise) };
  if (r.units) out.units = normalise(r.units);
  if (r.lang) out.lang = r.lang;
  return out;
}

export const chitieu = {
  /** Resolves when the library is loaded. */
  ready,
  /** Opens files: `{path: text or bytes, …}`; returns every path held. */
  open(files) {
    const b = live();
    for (const [path, content] of Object.entries(files)) {
      const p = normalise(path);
      const bytes =
        typeof content === "string"
          ? encoder.encode(content)
          : content instanceof Uint8Array
            ? content
            : new Uint8Array(content);
      texts.set(p, typeof content === "string" ? content : bytes);
      b.put(p, bytes);
    }
    return chitieu.files();
  },
  /** Closes a file; whether it was open. */
  close(path) {
    const p = normalise(path);
    texts.delete(p);
    return live().remove(p);
  },
  /** Closes every file. */
  reset() {
    texts.clear();
    live().clear();
  },
  /** The paths of the open files, sorted. */
  files() {
    return JSON.parse(live().paths());
  },
  /** A file's content as opened (text, or bytes for a binary file). */
  read(path) {
    return texts.get(normalise(path));
  },
  /** Opens the shipped example (Plan 22) and returns its request for evaluate(). */
  example() {
    chitieu.open(EXAMPLE.files);
    return structuredClone(EXAMPLE.request);
  },
  /**
   * Checks plan files (default: every open plan and catalogue), as `chitieu check FILE…
   * --format json`: the chitieu.check/v1 object. `{files, lang}`; `editor: true` adds each
   * diagnostic's `suggestion` and UTF-16 `range`.
   */
  check(opts = {}) {
    const files = (opts.files ?? chitieu.files().filter(isPlanFile)).map(normalise);
    return unwrap(live().check(JSON.stringify({ files, lang: opts.lang, editor: !!opts.editor })));
  },
  /** `{plan, data: [paths], units, as_of: "YYYY-MM-DD", lang}` → the chitieu.eval/v1 object. */
  evaluate(r) {
    return unwrap(live().evaluate(JSON.stringify({ ...request(r), as_of: r.as_of })));
  },
  /** The same request → the HTML report of `chitieu eval --format html`, as text. */
  html(r) {
    return unwrap(live().html(JSON.stringify({ ...request(r), as_of: r.as_of })));
  },
  /** The same request → the Excel workbook of `chitieu eval --format xlsx`, as bytes. */
  xlsx(r) {
    try {
      return live().xlsx(JSON.stringify({ ...request(r), as_of: r.as_of }));
    } catch (e) {
      if (typeof e === "string") throw new ChitieuError(JSON.parse(e).error);
      throw e;
    }
  },
  /** `{plan, data, units, from: "YYYY-MM", to: "YYYY-MM", lang}` → chitieu.history/v1. */
  history(r) {
    return unwrap(live().history(JSON.stringify({ ...request(r), from: r.from, to: r.to })));
  },
  /** The indicators, goals and units a plan declares (completion, hover). */
  symbols(path) {
    return unwrap(live().symbols(normalise(path)));
  },
  ChitieuError,
};
