//! Generates the national workload of the performance benchmarks (issue 6), deterministically:
//!
//! - `plan.yaml`: 12 base indicators (monthly counts), 8 derived ratios and 20 goals: deadlines
//!   with milestones (trajectories), baseline-relative targets (`baseline`, `change`,
//!   `improve`), aggregates over the communes and departments below a province;
//! - `units.csv`: 34 provinces, 680 departments (20 each) and 3,321 communes (4,035 units);
//! - `observations.csv`: every base indicator for every unit, for the 2025 baseline year and
//!   every month 2026-01 … 2030-12 (4,035 × 12 × 61 = 2,953,620 observations).
//!
//! ```sh
//! cargo run --release --example national -- OUT_DIR [--communes N] [--months N]
//! ```
//!
//! `--communes` and `--months` shrink the workload (tests use a small one); the numbers come from
//! a splitmix64 generator seeded per (unit, indicator), so the output is the same on every run.

use std::fmt::Write as _;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// The 12 base indicators, all counts.
const BASE: [(&str, &str); 12] = [
    ("total_dossiers", "Tổng số hồ sơ TTHC tiếp nhận"),
    ("online_dossiers", "Số hồ sơ TTHC tiếp nhận trực tuyến"),
    ("settled_dossiers", "Số hồ sơ TTHC đã giải quyết"),
    ("on_time_dossiers", "Số hồ sơ giải quyết đúng hạn"),
    ("digitised_dossiers", "Số hồ sơ được số hóa"),
    ("total_services", "Tổng số dịch vụ công"),
    ("online_services", "Số dịch vụ công trực tuyến toàn trình"),
    ("surveyed", "Số người được khảo sát"),
    ("satisfied", "Số người hài lòng"),
    ("complaints", "Số phản ánh, kiến nghị"),
    ("staff", "Số cán bộ, công chức"),
    ("trained_staff", "Số cán bộ được bồi dưỡng kỹ năng số"),
];

/// The 8 derived ratios: id, numerator, denominator, better.
const DERIVED: [(&str, &str, &str, &str); 8] = [
    ("online_rate", "online_dossiers", "total_dossiers", "higher"),
    (
        "on_time_rate",
        "on_time_dossiers",
        "settled_dossiers",
        "higher",
    ),
    (
        "digitised_rate",
        "digitised_dossiers",
        "total_dossiers",
        "higher",
    ),
    (
        "settle_rate",
        "settled_dossiers",
        "total_dossiers",
        "higher",
    ),
    (
        "service_rate",
        "online_services",
        "total_services",
        "higher",
    ),
    ("satisfaction_rate", "satisfied", "surveyed", "higher"),
    ("complaint_rate", "complaints", "total_dossiers", "lower"),
    ("trained_rate", "trained_staff", "staff", "higher"),
];

/// The 20 goals: id, applies_to, rule, milestones, extra YAML.
const GOALS: [(&str, &str, &str, &str, &str); 20] = [
    (
        "N01",
        "[province, department, commune]",
        "online_rate > 80% by 2030-12-31",
        "[\"online_rate > 50% by 2027-12-31\", \"online_rate > 65% by 2028-12-31\"]",
        "",
    ),
    (
        "N02",
        "[province, department, commune]",
        "on_time_rate >= 98% by 2030-12-31",
        "[\"on_time_rate >= 95% by 2028-06-30\"]",
        "",
    ),
    (
        "N03",
        "[province, department, commune]",
        "digitised_rate >= 90% by 2029-12-31",
        "",
        "",
    ),
    (
        "N04",
        "[province]",
        "service_rate = 100% by 2030-12-31",
        "",
        "",
    ),
    (
        "N05",
        "[province, department, commune]",
        "improve(satisfaction_rate)",
        "",
        "    progress: { method: sdg, limit: 100 }\n",
    ),
    (
        "N06",
        "[province, commune]",
        "satisfaction_rate >= 90% by 2030-12-31",
        "[\"satisfaction_rate >= 85% by 2028-12-31\"]",
        "    progress: sdg\n",
    ),
    (
        "N07",
        "[province, department, commune]",
        "complaint_rate <= baseline(complaint_rate) * (100% - 30%) by 2030-12-31",
        "",
        "",
    ),
    (
        "N08",
        "[department, commune]",
        "trained_rate >= 75% by 2028-12-31",
        "",
        "",
    ),
    (
        "N09",
        "[province, department, commune]",
        "settle_rate >= 95% by 2030-12-31",
        "",
        "",
    ),
    (
        "N10",
        "[province]",
        "share(commune, online_rate > 80%) >= 90% by 2030-12-31",
        "",
        "",
    ),
    (
        "N11",
        "[province]",
        "share(department, on_time_rate >= 98%) = 100% by 2030-12-31",
        "",
        "",
    ),
    (
        "N12",
        "[province]",
        "avg(commune, satisfaction_rate) >= 85% by 2029-12-31",
        "",
        "",
    ),
    (
        "N13",
        "[province, department, commune]",
        "digitised_rate >= baseline(digitised_rate) + 20% by 2030-12-31",
        "",
        "",
    ),
    (
        "N14",
        "[province, department, commune]",
        "improve(on_time_rate)",
        "",
        "",
    ),
    (
        "N15",
        "[province, commune]",
        "change(online_rate) >= 25% by 2030-12-31",
        "",
        "",
    ),
    (
        "N16",
        "[commune]",
        "complaint_rate < 1% by 2030-12-31",
        "",
        "",
    ),
    (
        "N17",
        "[province, department, commune]",
        "min(online_rate, digitised_rate) >= 70% by 2030-12-31",
        "",
        "",
    ),
    (
        "N18",
        "[province]",
        "count(commune, online_rate >= 90%) >= 50 by 2030-12-31",
        "",
        "",
    ),
    (
        "N19",
        "[department, commune]",
        "trained_rate >= baseline(trained_rate) + 10% by 2027-12-31",
        "",
        "",
    ),
    ("N20", "[department]", "improve(settle_rate)", "", ""),
];

/// splitmix64: tiny, fast, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [lo, hi).
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
}

/// A unit of the registry.
pub struct Unit {
    id: String,
    name: String,
    kind: &'static str,
    parent: String,
}

/// The unit tree: provinces, then for each its departments and communes.
pub fn units(communes: usize) -> Vec<Unit> {
    units_sized(34, 20, communes)
}

/// A smaller (or larger) tree: `provinces`, `departments` per province, `communes` in all.
pub fn units_sized(provinces: usize, departments: usize, communes: usize) -> Vec<Unit> {
    let mut out = Vec::new();
    for p in 0..provinces {
        let pid = format!("P{:02}", p + 1);
        out.push(Unit {
            id: pid.clone(),
            name: format!("UBND tỉnh số {}", p + 1),
            kind: "province",
            parent: String::new(),
        });
        for d in 0..departments {
            out.push(Unit {
                id: format!("{pid}.S{:02}", d + 1),
                name: format!("Sở số {} tỉnh {}", d + 1, p + 1),
                kind: "department",
                parent: pid.clone(),
            });
        }
        // 3,321 = 34 × 97 + 23: the first 23 provinces have 98 communes.
        let here = communes / provinces + usize::from(p < communes % provinces);
        for c in 0..here {
            out.push(Unit {
                id: format!("{pid}.X{:03}", c + 1),
                name: format!("UBND xã số {} tỉnh {}", c + 1, p + 1),
                kind: "commune",
                parent: pid.clone(),
            });
        }
    }
    out
}

/// The plan with the 20 goals.
pub fn plan() -> String {
    plan_with_goals(GOALS.len())
}

/// The plan with `n` goals: the 20 goals, repeated with ids `N01.2`, `N01.3`, … when `n` > 20.
pub fn plan_with_goals(n: usize) -> String {
    let mut s = String::from(
        "# Generated by `cargo run --release --example national`: the national performance workload.\n\
         chitieu: 1\n\nplan:\n  id: \"national-bench\"\n  title: \"Kế hoạch CCHC toàn quốc 2026–2030 (dữ liệu sinh tự động)\"\n  \
         issuer: \"Chính phủ\"\n  period: 2026-01-01 .. 2030-12-31\n  baseline: 2025\n  lang: vi\n\nindicators:\n",
    );
    for (id, name) in BASE {
        let _ = writeln!(s, "  {id}:\n    name: \"{name}\"\n    unit: count");
    }
    for (id, num, den, better) in DERIVED {
        let _ = writeln!(
            s,
            "  {id}:\n    name: \"{id}\"\n    unit: percent\n    formula: {num} / {den}\n    on_zero: no_data\n    precision: 2\n    better: {better}"
        );
    }
    s.push_str("\ngoals:\n");
    for k in 0..n {
        let Some(&(id, applies, rule, milestones, extra)) = GOALS.get(k % GOALS.len()) else {
            continue;
        };
        let id = if k < GOALS.len() {
            id.to_string()
        } else {
            format!("{id}.{}", k / GOALS.len() + 1)
        };
        let _ = writeln!(
            s,
            "  - id: {id}\n    title: \"Chỉ tiêu {id}\"\n    applies_to: {applies}\n    rule: {rule}"
        );
        if !milestones.is_empty() {
            let _ = writeln!(s, "    milestones: {milestones}");
        }
        s.push_str(extra);
    }
    s
}

/// One unit's observations: a baseline year, then `months` months from 2026-01.
fn observations(
    unit: &Unit,
    index: usize,
    months: usize,
    w: &mut impl Write,
) -> std::io::Result<()> {
    let mut rng = Rng(0x5EED_0000_0000_0000 ^ (index as u64).wrapping_mul(0x1000_0001));
    // Scale: provinces handle more dossiers than departments, departments than communes.
    let scale = match unit.kind {
        "province" => 20_000.0,
        "department" => 2_000.0,
        _ => 300.0,
    };
    // Each unit has its own starting rates and pace of improvement.
    let start: Vec<f64> = (0..DERIVED.len()).map(|_| rng.range(0.35, 0.92)).collect();
    let pace: Vec<f64> = (0..DERIVED.len()).map(|_| rng.range(-0.02, 0.16)).collect();
    let mut line = String::with_capacity(64);
    for m in 0..=months {
        // m = 0 is the 2025 baseline (a year: twelve months of volume).
        let (period, volume, t) = if m == 0 {
            ("2025".to_string(), 12.0, 0.0)
        } else {
            let y = 2026 + (m - 1) / 12;
            let mo = (m - 1) % 12 + 1;
            (format!("{y}-{mo:02}"), 1.0, m as f64 / 12.0)
        };
        let rate = |k: usize, rng: &mut Rng| -> f64 {
            let r = start.get(k).copied().unwrap_or(0.5) + pace.get(k).copied().unwrap_or(0.0) * t;
            (r + rng.range(-0.03, 0.03)).clamp(0.0, 1.0)
        };
        let total = (scale * volume * rng.range(0.8, 1.2)).round();
        let online = (total * rate(0, &mut rng)).round();
        let settled = (total * rate(3, &mut rng)).round();
        let on_time = (settled * rate(1, &mut rng)).round();
        let digitised = (total * rate(2, &mut rng)).round();
        let services = 200.0;
        let online_services = (services * rate(4, &mut rng)).round();
        let surveyed = (volume * rng.range(50.0, 120.0)).round();
        let satisfied = (surveyed * rate(5, &mut rng)).round();
        // Complaints fall: a small share of dossiers, shrinking for units that improve.
        let complaints = (total * 0.03 * (1.0 - rate(6, &mut rng)) * 1.5).round();
        let staff = (scale / 10.0).round();
        let trained = (staff * rate(7, &mut rng)).round();
        let values = [
            total,
            online,
            settled,
            on_time,
            digitised,
            services,
            online_services,
            surveyed,
            satisfied,
            complaints,
            staff,
            trained,
        ];
        for ((ind, _), v) in BASE.iter().zip(values) {
            line.clear();
            let _ = writeln!(line, "{},{ind},{period},{}", unit.id, v as i64);
            w.write_all(line.as_bytes())?;
        }
    }
    Ok(())
}

/// Writes `plan.yaml`, `units.csv` and `observations.csv` into `out`; returns the numbers of
/// units and observations.
pub fn write(out: &Path, communes: usize, months: usize) -> std::io::Result<(usize, usize)> {
    std::fs::create_dir_all(out)?;
    std::fs::write(out.join("plan.yaml"), plan())?;
    let units = units(communes);
    let mut w = BufWriter::new(std::fs::File::create(out.join("units.csv"))?);
    writeln!(w, "id,name,kind,parent")?;
    for u in &units {
        writeln!(w, "{},{},{},{}", u.id, u.name, u.kind, u.parent)?;
    }
    w.flush()?;
    let mut w = BufWriter::new(std::fs::File::create(out.join("observations.csv"))?);
    w.write_all(observations_csv_header().as_bytes())?;
    for (i, u) in units.iter().enumerate() {
        observations(u, i, months, &mut w)?;
    }
    w.flush()?;
    Ok((units.len(), units.len() * BASE.len() * (months + 1)))
}

/// The header line of the observations CSV.
pub fn observations_csv_header() -> &'static str {
    "unit,indicator,period,value\n"
}

/// The units CSV and the observations CSV of a workload, in memory.
pub fn csv_in_memory(units: &[Unit], months: usize) -> (String, String) {
    let mut reg = String::from("id,name,kind,parent\n");
    for u in units {
        let _ = writeln!(reg, "{},{},{},{}", u.id, u.name, u.kind, u.parent);
    }
    let mut obs = observations_csv_header().as_bytes().to_vec();
    for (i, u) in units.iter().enumerate() {
        let _ = observations(u, i, months, &mut obs);
    }
    (reg, String::from_utf8(obs).unwrap_or_default())
}

/// A workload loaded for evaluation, as the benches and tests use it.
pub struct Workload {
    /// The plan, checked and compiled.
    pub compiled: chitieu::eval::Compiled,
    /// The unit registry.
    pub units: chitieu::data::Units,
    /// The observations.
    pub data: chitieu::data::Dataset,
    /// The observations CSV they were read from.
    pub csv: String,
}

/// Checks `plan` (YAML text) and loads the units and `months` months of observations of
/// `units` for it, in memory; the error is the diagnostics, printed.
pub fn load(plan: &str, units: &[Unit], months: usize) -> Result<Workload, String> {
    use chitieu::data::{Format, Locale, load_observations_str, load_units_str};
    let (plan, diags) = chitieu::plan::load_str("plan.yaml", plan);
    let plan = plan.ok_or_else(|| format!("{diags:?}"))?;
    let plan = chitieu::check::checked(plan).map_err(|d| format!("{d:?}"))?;
    let (registry, csv) = csv_in_memory(units, months);
    let mut units =
        load_units_str("units.csv", &registry, Format::Csv, &plan).map_err(|d| format!("{d:?}"))?;
    let data = load_observations_str(
        "observations.csv",
        &csv,
        Format::Csv,
        &plan,
        &mut units,
        Locale::Default,
    )
    .map_err(|d| format!("{d:?}"))?;
    Ok(Workload {
        compiled: chitieu::eval::Compiled::new(plan),
        units,
        data,
        csv,
    })
}

#[allow(dead_code)]
fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let mut out: Option<PathBuf> = None;
    let (mut communes, mut months) = (3321usize, 60usize);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--communes" => communes = args.next().and_then(|v| v.parse().ok()).unwrap_or(communes),
            "--months" => months = args.next().and_then(|v| v.parse().ok()).unwrap_or(months),
            _ => out = Some(PathBuf::from(a)),
        }
    }
    let Some(out) = out else {
        eprintln!("usage: national OUT_DIR [--communes N] [--months N]");
        std::process::exit(2);
    };
    let (units, observations) = write(&out, communes, months)?;
    eprintln!(
        "wrote {}: {} units, {} observations",
        out.display(),
        units,
        observations
    );
    Ok(())
}
