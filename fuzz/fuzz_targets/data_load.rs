//! Observations and a unit registry from bytes, in CSV, YAML or JSON, in either locale:
//! loading never panics and every diagnostic renders.
//!
//! Input: one byte choosing the format (0–2 observations, 3–5 a registry) and the locale,
//! then the file's text.
#![no_main]

use chitieu::data::{Format, Locale, load_observations_str, load_units_str};
use chitieu::lang::Lang;
use chitieu::report::{Style, render_diagnostic};
use libfuzzer_sys::fuzz_target;

/// A plan with an indicator of every unit and a small tree of units.
const PLAN: &str = "chitieu: 1
plan: { id: F, title: Fuzz, period: 2026 .. 2030, baseline: 2025 }
kinds: [province, department, commune]
indicators:
  rate: { name: Rate, unit: percent }
  n: { name: N, unit: count }
  m: { name: M, unit: count }
  money: { name: Money, unit: vnd }
  pts: { name: Points, unit: points }
  wait: { name: Wait, unit: days }
  x: { name: X, unit: number }
  ok: { name: Ok, unit: boolean }
  day: { name: Day, unit: date }
  ratio: { name: Ratio, unit: percent, formula: n / m }
goals:
  - { id: g, title: G, rule: rate > 80% by 2030-12-31 }
";

const REGISTRY: &str =
    "id,name,kind,parent\nP,Tỉnh,province,\nD1,Sở,department,P\nC1,Xã,commune,P\n";

fuzz_target!(|input: &[u8]| {
    let Some((&selector, rest)) = input.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let (plan, _) = chitieu::plan::load_str("plan.yaml", PLAN);
    let plan = plan.expect("the fuzz plan loads");
    let format = match selector % 3 {
        0 => Format::Csv,
        1 => Format::Yaml,
        _ => Format::Json,
    };
    let locale = if selector & 0x10 == 0 {
        Locale::Default
    } else {
        Locale::Vi
    };
    let diags = if selector % 6 < 3 {
        let mut units =
            load_units_str("units.csv", REGISTRY, Format::Csv, &plan).expect("the registry loads");
        load_observations_str("data", text, format, &plan, &mut units, locale).err()
    } else {
        load_units_str("units", text, format, &plan).err()
    };
    for d in diags.iter().flatten() {
        for lang in [Lang::Vi, Lang::En] {
            let _ = render_diagnostic(d, lang, Style::default());
        }
    }
});
