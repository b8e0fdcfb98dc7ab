//! `chitieu measure` and `eval --records` on DataFusion (feature `records`): every measure form
//! against DuckDB's own computation over the same Parquet, value for value; SQL null
//! semantics; faults in the plan given the records' columns; unreadable records named by path.
//! Needs `python3` with the PyPI packages `duckdb` (the generator and the reference).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::str::FromStr;

const PLAN: &str = "tests/fixtures/records/plan.yaml";

fn chitieu(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chitieu"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run chitieu")
}

fn python(args: &[&str]) -> Output {
    let o = Command::new("python3")
        .args(args)
        .output()
        .expect("run python3");
    assert!(
        o.status.success(),
        "python3 {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// A folder of its own under the system's temporary folder, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("chitieu-records-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
    fn path(&self, name: &str) -> String {
        self.0.join(name).to_string_lossy().into_owned()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs DuckDB on SQL (writing files with `COPY`).
fn duckdb(sql: &str) {
    python(&[
        "-c",
        "import duckdb, sys; duckdb.connect().execute(sys.argv[1])",
        sql,
    ]);
}

type Observations = BTreeMap<(String, String, String), Decimal>;

fn parse(csv: &str) -> Observations {
    let mut out = BTreeMap::new();
    for line in csv.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells.len(), 4, "{line}");
        let value = match cells[3].split_once('/') {
            // The reference gives an average as its exact sum and count.
            Some((sum, n)) => Decimal::from_str(sum)
                .unwrap()
                .checked_div(Decimal::from_str(n).unwrap())
                .unwrap()
                .normalize(),
            None => Decimal::from_str(cells[3]).unwrap().normalize(),
        };
        let key = (
            cells[0].to_string(),
            cells[1].to_string(),
            cells[2].to_string(),
        );
        assert!(out.insert(key, value).is_none(), "twice: {line}");
    }
    out
}

fn measure(plan: &str, records: &[&str]) -> Output {
    let mut args = vec!["measure", plan, "--records"];
    args.extend_from_slice(records);
    chitieu(&args)
}

fn generate(dir: &Scratch, records: usize) -> (String, String) {
    let parquet = dir.path("dossiers.parquet");
    let units = dir.path("units.csv");
    python(&[
        "examples/records/generate.py",
        &parquet,
        "--records",
        &records.to_string(),
        "--units",
        &units,
        "--row-group",
        "50000",
    ]);
    (parquet, units)
}

#[test]
fn every_measure_form_equals_duckdb_over_the_same_parquet() {
    let dir = Scratch::new("duckdb");
    let (parquet, _) = generate(&dir, 300_000);
    let o = measure(PLAN, &[&format!("dossiers={parquet}")]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let ours = parse(&String::from_utf8(o.stdout).unwrap());
    let theirs = parse(
        &String::from_utf8(python(&["tests/records/reference.py", &parquet]).stdout).unwrap(),
    );
    // 8 agencies × 12 months × 10 measures: every unit-month has records and every measure a
    // value in it.
    assert_eq!(theirs.len(), 8 * 12 * 10);
    assert_eq!(ours.len(), theirs.len());
    for (key, value) in &theirs {
        assert_eq!(ours.get(key), Some(value), "{key:?}");
    }
}

#[test]
fn observations_written_with_o_are_what_eval_reads() {
    let dir = Scratch::new("eval");
    let (parquet, units) = generate(&dir, 20_000);
    let obs = dir.path("observations.csv");
    let o = chitieu(&[
        "-o",
        &obs,
        "measure",
        PLAN,
        "--records",
        &format!("dossiers={parquet}"),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let written = std::fs::read_to_string(&obs).unwrap();
    assert!(
        written.starts_with("unit,indicator,period,value\n"),
        "{written}"
    );
    let args = |data: &[&str]| {
        let mut a = vec![
            "eval",
            PLAN,
            "--units",
            &units,
            "--as-of",
            "2026-12-31",
            "--format",
            "json",
        ];
        a.extend_from_slice(data);
        a.into_iter().map(String::from).collect::<Vec<_>>()
    };
    let run = |a: Vec<String>| {
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        chitieu(&a)
    };
    let from_file = run(args(&["--data", &obs]));
    let records = format!("dossiers={parquet}");
    let in_one_go = run(args(&["--records", &records]));
    assert!(
        matches!(in_one_go.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&in_one_go.stderr)
    );
    assert_eq!(from_file.status.code(), in_one_go.status.code());
    let json: serde_json::Value = serde_json::from_slice(&in_one_go.stdout).unwrap();
    // Every agency (the unit of the records) is judged on the on-time goal from measured
    // counts; the province and communes have no records, so no data.
    let results = json["results"].as_array().unwrap();
    let judged: Vec<&str> = results
        .iter()
        .filter(|r| r["status"] != "no_data")
        .map(|r| r["unit"].as_str().unwrap())
        .collect();
    assert_eq!(judged.len(), 8, "{judged:?}");
    assert!(judged.iter().all(|u| u.starts_with("H61.S")), "{judged:?}");
    // The same report whichever way the observations came (the data file's name aside).
    let strip = |o: &Output| {
        String::from_utf8_lossy(&o.stdout)
            .replace(&obs, "")
            .replace("measured-from-records.csv", "")
    };
    assert_eq!(strip(&from_file), strip(&in_one_go));
}

/// A plan over a small hand-made table.
const SMALL: &str = "chitieu: 1
plan: { id: P, title: T, period: 2026 .. 2026 }
records:
  d: { unit: u, date: t, period: quarter }
indicators:
  n: { name: N, unit: count, measure: \"count(d)\" }
  web: { name: W, unit: count, measure: \"count(d, c = 'web')\" }
  not_web: { name: NW, unit: count, measure: \"count(d, not (c = 'web'))\" }
  no_c: { name: NC, unit: count, measure: \"count(d, c = null)\" }
  fee: { name: F, unit: vnd, measure: \"sum(d, f, c = 'web')\" }
  avg: { name: A, unit: vnd, measure: \"avg(d, f)\" }
  low: { name: L, unit: vnd, measure: \"min(d, f, c != null)\" }
";

#[test]
fn nulls_follow_sql_a_null_condition_does_not_count() {
    let dir = Scratch::new("nulls");
    let parquet = dir.path("d.parquet");
    small_parquet(&parquet);
    let plan = dir.path("p.yaml");
    std::fs::write(&plan, SMALL).unwrap();
    let o = measure(&plan, &[&format!("d={parquet}")]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let got = String::from_utf8(o.stdout).unwrap();
    assert_eq!(got, SMALL_MEASURED);
}

/// Unit B in 2026-Q2 has one record without a channel: counts are 0, not absent; its fee sum
/// is 0 (a sum of nothing), its average and minimum absent. Records without a unit or a date
/// are in no period. No unit has records in another quarter: nothing there.
const SMALL_MEASURED: &str = "unit,indicator,period,value
A,n,2026-Q1,3
B,n,2026-Q2,1
A,web,2026-Q1,1
B,web,2026-Q2,0
A,not_web,2026-Q1,1
B,not_web,2026-Q2,0
A,no_c,2026-Q1,1
B,no_c,2026-Q2,1
A,fee,2026-Q1,10.5
B,fee,2026-Q2,0
A,avg,2026-Q1,5.875
A,low,2026-Q1,10.5
";

/// Writes the hand-made table of `SMALL` as Parquet.
fn small_parquet(parquet: &str) {
    duckdb(&format!(
        "COPY (SELECT * FROM (VALUES
            ('A', DATE '2026-01-05', 'web', 10.50::DECIMAL(10,2)),
            ('A', DATE '2026-02-05', NULL, 1.25::DECIMAL(10,2)),
            ('A', DATE '2026-03-05', 'desk', NULL),
            ('B', DATE '2026-04-05', NULL, NULL),
            ('B', NULL, 'web', 100::DECIMAL(10,2)),
            (NULL, DATE '2026-04-05', 'web', 100::DECIMAL(10,2))
        ) t(u, t, c, f)) TO '{parquet}' (FORMAT PARQUET)"
    ));
}

#[test]
fn csv_records_give_the_same_observations_as_parquet() {
    let dir = Scratch::new("csv");
    let (parquet, _) = generate(&dir, 20_000);
    let csv = dir.path("dossiers.csv");
    duckdb(&format!(
        "COPY (SELECT * FROM '{parquet}') TO '{csv}' (HEADER)"
    ));
    let a = measure(PLAN, &[&format!("dossiers={parquet}")]);
    let b = measure(PLAN, &[&format!("dossiers={csv}")]);
    assert_eq!(
        b.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&b.stderr)
    );
    assert_eq!(
        parse(&String::from_utf8_lossy(&a.stdout)),
        parse(&String::from_utf8_lossy(&b.stdout))
    );
}

#[test]
fn files_of_a_folder_glob_are_one_source() {
    let dir = Scratch::new("glob");
    let (parquet, _) = generate(&dir, 20_000);
    duckdb(&format!(
        "COPY (SELECT * FROM '{parquet}' WHERE dossier_id % 2 = 0) TO '{}' (FORMAT PARQUET);
         COPY (SELECT * FROM '{parquet}' WHERE dossier_id % 2 = 1) TO '{}' (FORMAT PARQUET)",
        dir.path("part-0.parquet"),
        dir.path("part-1.parquet")
    ));
    let whole = measure(PLAN, &[&format!("dossiers={parquet}")]);
    let parts = measure(PLAN, &[&format!("dossiers={}", dir.path("part-*.parquet"))]);
    let two = measure(
        PLAN,
        &[
            &format!("dossiers={}", dir.path("part-0.parquet")),
            &dir.path("part-1.parquet"),
        ],
    );
    assert_eq!(
        parts.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&parts.stderr)
    );
    assert_eq!(whole.stdout, parts.stdout);
    assert_eq!(whole.stdout, two.stdout);
}

/// The benchmark's layout (benches/records.py): `generate.py --files K` writes a folder whose
/// files hold the records one file would, and DuckDB's reference reads the files as one table.
#[test]
fn a_generated_folder_of_files_holds_the_records_of_one_file() {
    let dir = Scratch::new("folder");
    let (parquet, _) = generate(&dir, 30_000);
    let folder = dir.path("parts");
    python(&[
        "examples/records/generate.py",
        &folder,
        "--records",
        "30000",
        "--files",
        "3",
    ]);
    let files: Vec<String> = (0..3)
        .map(|k| format!("{folder}/part-{k:05}.parquet"))
        .collect();
    let one = measure(PLAN, &[&format!("dossiers={parquet}")]);
    let several = measure(PLAN, &[&format!("dossiers={folder}")]);
    assert_eq!(
        several.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&several.stderr)
    );
    assert_eq!(one.stdout, several.stdout);
    let mut reference = vec!["tests/records/reference.py"];
    reference.extend(files.iter().map(String::as_str));
    let theirs = parse(&String::from_utf8(python(&reference).stdout).unwrap());
    assert_eq!(parse(&String::from_utf8(several.stdout).unwrap()), theirs);
}

#[test]
fn unknown_columns_are_located_in_the_plan_with_the_closest_name() {
    let dir = Scratch::new("columns");
    let (parquet, _) = generate(&dir, 1_000);
    let plan = dir.path("p.yaml");
    std::fs::write(
        &plan,
        std::fs::read_to_string(PLAN)
            .unwrap()
            .replace("channel = 'online'", "chanel = 'online'")
            .replace(
                "sum(dossiers, fee, paid_online)",
                "sum(dossiers, channel, paid_online)",
            ),
    )
    .unwrap();
    let o = measure(&plan, &[&format!("dossiers={parquet}")]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("unknown column `chanel`"), "{err}");
    assert!(err.contains("did you mean `channel`"), "{err}");
    assert!(err.contains(&format!("{plan}:12:78")), "{err}");
    assert!(err.contains("expected a number, found a text"), "{err}");
    assert!(err.contains(&format!("{plan}:13:")), "{err}");
    assert!(o.stdout.is_empty());
}

#[test]
fn a_missing_or_corrupt_file_is_reported_with_its_path() {
    let dir = Scratch::new("corrupt");
    let missing = dir.path("nope.parquet");
    let o = measure(PLAN, &[&format!("dossiers={missing}")]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(&missing) && err.contains("no such file"),
        "{err}"
    );

    let corrupt = dir.path("corrupt.parquet");
    std::fs::write(&corrupt, b"PAR1 this is not a parquet file at all PAR1").unwrap();
    let o = measure(PLAN, &[&format!("dossiers={corrupt}")]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(&format!(
            "cannot read records `dossiers` from {corrupt}: not a Parquet file"
        )),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");

    // A real file cut short, inside a folder: the file is named, not only the folder.
    let (parquet, _) = generate(&dir, 1_000);
    let bytes = std::fs::read(&parquet).unwrap();
    let folder = dir.path("exports");
    std::fs::create_dir_all(&folder).unwrap();
    let cut = Path::new(&folder).join("cut.parquet");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let o = measure(PLAN, &[&format!("dossiers={folder}")]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains(&cut.to_string_lossy().into_owned()), "{err}");

    // Column chunks damaged behind a valid footer: DataFusion's own error, with the path.
    let mut damaged = bytes.clone();
    for b in damaged
        .iter_mut()
        .skip(bytes.len() / 4)
        .take(bytes.len() / 2)
    {
        *b = 0xAB;
    }
    let bad = dir.path("damaged.parquet");
    std::fs::write(&bad, &damaged).unwrap();
    let o = measure(PLAN, &[&format!("dossiers={bad}")]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(&format!("cannot read records `dossiers` from {bad}:")),
        "{err}"
    );
}

#[test]
fn records_must_name_their_source() {
    let o = measure(PLAN, &["x.parquet"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--records dossiers=x.parquet"));
    let o = measure(PLAN, &["other=x.parquet"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("no files given (--records dossiers=PATH)")
    );
}

#[test]
fn the_duckdb_dialect_runs_on_duckdb_with_measure_s_result() {
    let dir = Scratch::new("dialect");
    let (parquet, _) = generate(&dir, 20_000);
    let o = chitieu(&["sql", PLAN, "--dialect", "duckdb"]);
    assert_eq!(o.status.code(), Some(0));
    let query = String::from_utf8(o.stdout).unwrap();
    // DuckDB runs the printed query over a view named by the source; its rows are turned into
    // observations as chitieu reads them (period 202603 is 2026-03, an average is sum/count).
    let script = r#"
import duckdb, sys
con = duckdb.connect()
con.execute(f"CREATE VIEW dossiers AS SELECT * FROM read_parquet('{sys.argv[1]}')")
cur = con.execute(sys.argv[2].rstrip().rstrip(';'))
names = [d[0] for d in cur.description]
print("unit,indicator,period,value")
for row in cur.fetchall():
    period = f"{row[1] // 100}-{row[1] % 100:02d}"
    values = dict(zip(names[2:], row[2:]))
    for name, value in values.items():
        if name.endswith("__count") or value is None:
            continue
        if name.endswith("__sum"):
            n = values[name[:-5] + "__count"]
            if not n:
                continue
            name, value = name[:-5], f"{value}/{n}"
        print(f"{row[0]},{name},{period},{value}")
"#;
    let theirs =
        parse(&String::from_utf8(python(&["-c", script, &parquet, &query]).stdout).unwrap());
    let ours = measure(PLAN, &[&format!("dossiers={parquet}")]);
    assert_eq!(parse(&String::from_utf8_lossy(&ours.stdout)), theirs);
}

#[test]
fn the_766_catalogue_scores_an_export_in_one_command() {
    let dir = Scratch::new("766");
    let (parquet, units) = generate(&dir, 20_000);
    let o = chitieu(&[
        "eval",
        "plans/national/766-dvcqg-2026.yaml",
        "--records",
        &format!("dossiers={parquet}"),
        "--units",
        &units,
        "--as-of",
        "2026-12-31",
        "--format",
        "json",
    ]);
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    // DuckDB's yearly counts per agency; the on-time group (TDGQ) is 20 × on time / received,
    // rounded to 2 places half away from zero (the portal's method, plans/national/).
    let counts = String::from_utf8(
        python(&[
            "-c",
            "import duckdb, sys\nfor r in duckdb.connect().execute(\"SELECT agency_id, count(*), count(*) FILTER (WHERE finished_at <= due_at) FROM read_parquet(?) WHERE agency_id IS NOT NULL AND received_at IS NOT NULL GROUP BY 1 ORDER BY 1\", [sys.argv[1]]).fetchall(): print(*r)",
            &parquet,
        ])
        .stdout,
    )
    .unwrap();
    let scores = json["scores"].as_array().unwrap();
    let mut checked = 0;
    for line in counts.lines() {
        let [unit, received, on_time] = line.split(' ').collect::<Vec<_>>()[..] else {
            panic!("{line}")
        };
        let expected = (Decimal::from(20) * Decimal::from_str(on_time).unwrap()
            / Decimal::from_str(received).unwrap())
        .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        let got = scores
            .iter()
            .find(|s| s["unit"] == unit && s["period"] == "2026")
            .map(|s| Decimal::from_str(s["groups"]["TDGQ"].as_str().unwrap()).unwrap());
        assert_eq!(got, Some(expected), "{unit}");
        checked += 1;
    }
    assert_eq!(checked, 8);
}

// `--engine spark://HOST:PORT` without a cluster: a stand-in `spark-sql` (a shell script under
// `SPARK_HOME/bin`) keeps the script it is given and prints what the test says, so the script,
// the reading of rows and every fault are checked here; tests/records/spark_engine.py runs the
// real thing in CI.

/// `chitieu measure` with this environment.
fn measure_env(plan: &str, records: &[&str], engine: &str, env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_chitieu"));
    c.args(["measure", plan, "--engine", engine, "--records"])
        .args(records)
        .env("NO_COLOR", "1");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("run chitieu")
}

/// A stand-in for Spark under `DIR/spark` (to be `SPARK_HOME`): its `bin/spark-sql` writes its
/// arguments to `DIR/spark/args`, the script it is given to `DIR/spark/script.sql`, then runs
/// `body`.
fn fake_spark(dir: &Scratch, body: &str) -> String {
    use std::os::unix::fs::PermissionsExt;
    let home = dir.path("spark");
    std::fs::create_dir_all(format!("{home}/bin")).unwrap();
    let program = format!("{home}/bin/spark-sql");
    std::fs::write(
        &program,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{home}/args'\n\
             for a in \"$@\"; do [ \"$prev\" = -f ] && cp \"$a\" '{home}/script.sql'; prev=\"$a\"; done\n\
             {body}\n"
        ),
    )
    .unwrap();
    std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
    home
}

/// A port something listens on (while the listener lives), as a master would.
fn listening() -> (std::net::TcpListener, String) {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let engine = format!("spark://127.0.0.1:{}", l.local_addr().unwrap().port());
    (l, engine)
}

/// The small table's plan and Parquet, in a folder whose name needs quoting in SQL.
fn small_source(dir: &Scratch) -> (String, String) {
    let plan = dir.path("p.yaml");
    std::fs::write(&plan, SMALL).unwrap();
    let made = dir.path("d.parquet");
    small_parquet(&made);
    let odd = dir.path("it's `odd`");
    std::fs::create_dir_all(&odd).unwrap();
    let parquet = format!("{odd}/d.parquet");
    std::fs::rename(&made, &parquet).unwrap();
    (plan, parquet)
}

fn stderr(o: &Output, dir: &Scratch) -> String {
    String::from_utf8_lossy(&o.stderr).replace(&dir.0.to_string_lossy().into_owned(), "[DIR]")
}

#[test]
fn the_spark_engine_runs_the_spark_sql_of_chitieu_sql_and_reads_its_rows() {
    let dir = Scratch::new("spark-rows");
    let (plan, parquet) = small_source(&dir);
    // The rows Spark prints for the small table: query index, unit in hexadecimal UTF-8,
    // period, then n, web, not_web, no_c, fee, avg's sum and count, low; NULL for nulls. A
    // record without a unit is in no period; the unit `x,y` has only a null minimum.
    let rows = [
        "0\t41\t20261\t3\t1\t1\t1\t10.50\t11.75\t2\t10.50",
        "0\t42\t20262\t1\t0\t0\t1\t0.00\tNULL\t0\tNULL",
        "0\tNULL\t20262\t1\t1\t0\t0\t100.00\t100.00\t1\t100.00",
    ];
    let home = fake_spark(&dir, &format!("printf '{}\\n'", rows.join("\\n")));
    let (_master, engine) = listening();
    let o = measure_env(
        &plan,
        &[&format!("d={parquet}")],
        &engine,
        &[("SPARK_HOME", &home)],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o, &dir));
    // Exactly what DataFusion embedded gives for the same records (the nulls test above).
    assert_eq!(String::from_utf8(o.stdout).unwrap(), SMALL_MEASURED);
    let args = std::fs::read_to_string(format!("{home}/args")).unwrap();
    assert!(
        args.starts_with(&format!("--master\n{engine}\n-S\n")),
        "{args}"
    );
    // The script: the view over the Parquet file (its path quoted as Spark reads text), then
    // the query `chitieu sql --dialect spark` prints, its columns cast to text.
    let script = std::fs::read_to_string(format!("{home}/script.sql"))
        .unwrap()
        .replace(&dir.0.to_string_lossy().into_owned(), "[DIR]");
    insta::assert_snapshot!("spark_script", script);
}

#[test]
fn the_spark_engine_views_several_paths_as_one_source() {
    let dir = Scratch::new("spark-paths");
    let (plan, parquet) = small_source(&dir);
    let home = fake_spark(&dir, "");
    let (_master, engine) = listening();
    let o = measure_env(
        &plan,
        &[&format!("d={parquet}"), &parquet],
        &engine,
        &[("SPARK_HOME", &home)],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o, &dir));
    let script = std::fs::read_to_string(format!("{home}/script.sql"))
        .unwrap()
        .replace(&dir.0.to_string_lossy().into_owned(), "[DIR]");
    let views: Vec<&str> = script.lines().take(3).collect();
    assert_eq!(
        views,
        [
            "CREATE TEMPORARY VIEW `chitieu_d_0` USING parquet OPTIONS (path '[DIR]/it\\'s `odd`/d.parquet');",
            "CREATE TEMPORARY VIEW `chitieu_d_1` USING parquet OPTIONS (path '[DIR]/it\\'s `odd`/d.parquet');",
            "CREATE TEMPORARY VIEW `d` AS SELECT `u`, `t`, `c`, `f` FROM `chitieu_d_0` UNION ALL SELECT `u`, `t`, `c`, `f` FROM `chitieu_d_1`;",
        ]
    );
}

/// Runs `measure --engine …` on the small table and returns its exit code and stderr, with the
/// scratch folder as `[DIR]` and the port as `PORT`.
fn spark_fault(name: &str, body: Option<&str>, engine: Option<&str>) -> (Option<i32>, String) {
    let dir = Scratch::new(name);
    let (plan, parquet) = small_source(&dir);
    let (_master, listening_engine) = listening();
    let engine = engine.unwrap_or(&listening_engine).to_string();
    let home = match body {
        Some(b) => fake_spark(&dir, b),
        None => dir.path("no-spark-here"),
    };
    // Without a stand-in, no `spark-sql` on `PATH` either.
    let empty = dir.path("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let path = match body {
        Some(_) => std::env::var("PATH").unwrap_or_default(),
        None => empty,
    };
    let o = measure_env(
        &plan,
        &[&format!("d={parquet}")],
        &engine,
        &[("SPARK_HOME", &home), ("PATH", &path)],
    );
    let port = engine.rsplit(':').next().unwrap().to_string();
    (o.status.code(), stderr(&o, &dir).replace(&port, "PORT"))
}

#[test]
fn spark_sql_missing_is_said_with_how_to_get_it() {
    let (code, err) = spark_fault("spark-missing", None, None);
    assert_eq!(code, Some(2));
    insta::assert_snapshot!("spark_missing", err);
}

#[test]
fn a_master_not_listening_is_said_before_any_jvm_starts() {
    let port = {
        let (l, _) = listening();
        l.local_addr().unwrap().port()
    };
    let engine = format!("spark://127.0.0.1:{port}");
    // Said within the connection timeout, not after a driver's minutes of retries.
    let start = std::time::Instant::now();
    let (code, err) = spark_fault("spark-closed", Some("exit 0"), Some(&engine));
    assert_eq!(code, Some(2));
    assert!(start.elapsed().as_secs() < 30);
    insta::assert_snapshot!("spark_unreachable", err);
}

#[test]
fn a_failed_spark_job_is_said_in_spark_s_one_line() {
    // What Spark 4.3's spark-sql writes when a query fails (the log of a real run).
    let log = "WARNING: Using incubator modules: jdk.incubator.vector
Using Spark's default log4j profile: org/apache/spark/log4j2-defaults.properties
26/12/07 05:39:35 WARN Utils: Set SPARK_LOCAL_IP if you need to bind to another address
26/12/07 05:39:42 WARN NativeCodeLoader: Unable to load native-hadoop library for your platform... using builtin-java classes where applicable
[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column, variable, or function parameter with name `nope` cannot be resolved. Did you mean one of the following? [`id`]. SQLSTATE: 42703; line 1 pos 7;
'Project ['nope]
+- Range (0, 1, step=1)
";
    let dir = Scratch::new("spark-log");
    let log_file = dir.path("log");
    std::fs::write(&log_file, log).unwrap();
    let (code, err) = spark_fault(
        "spark-failed",
        Some(&format!("cat '{log_file}' >&2; exit 1")),
        None,
    );
    assert_eq!(code, Some(2));
    insta::assert_snapshot!("spark_failed", err);
    // Without an error class, the last exception's message.
    let (code, err) = spark_fault(
        "spark-exception",
        Some(
            "echo '26/12/07 ERROR Executor: Exception in task 0.0' >&2; \
             echo 'org.apache.spark.SparkException: Job aborted due to stage failure: boom' >&2; \
             echo '\tat org.apache.spark.Foo(Foo.scala:1)' >&2; exit 1",
        ),
        None,
    );
    assert_eq!(code, Some(2));
    assert!(
        err.contains("the Spark job failed: org.apache.spark.SparkException: Job aborted due to stage failure: boom"),
        "{err}"
    );
}

#[test]
fn a_cluster_without_executors_is_said_not_waited_for() {
    // Spark warns every 15 s and would wait forever: chitieu stops the driver at the first.
    let start = std::time::Instant::now();
    let (code, err) = spark_fault(
        "spark-starved",
        Some(
            "echo '26/12/07 WARN TaskSchedulerImpl: Initial job has not accepted any resources; check your cluster UI' >&2; exec sleep 600",
        ),
        None,
    );
    assert_eq!(code, Some(2));
    assert!(start.elapsed().as_secs() < 60);
    insta::assert_snapshot!("spark_no_executor", err);
}

#[test]
fn unreadable_spark_output_is_an_error_not_wrong_numbers() {
    let (code, err) = spark_fault("spark-garbage", Some("echo 'Time taken: 1 s'"), None);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("cannot read spark-sql's result (not a result row): `Time taken: 1 s`"),
        "{err}"
    );
    let (code, err) = spark_fault("spark-cells", Some("printf '0\\t41\\t20261\\t3\\n'"), None);
    assert_eq!(code, Some(2));
    assert!(err.contains("(4 cells, expected 11)"), "{err}");
    let (code, err) = spark_fault(
        "spark-value",
        Some("printf '0\\t41\\t20261\\t3\\t1\\t1\\t1\\t1e3\\tNULL\\t0\\tNULL\\n'"),
        None,
    );
    assert_eq!(code, Some(2));
    assert!(
        err.contains("`fee`: `1e3` is not a decimal number"),
        "{err}"
    );
}

#[test]
fn csv_records_are_refused_on_spark() {
    let dir = Scratch::new("spark-csv");
    let plan = dir.path("p.yaml");
    std::fs::write(&plan, SMALL).unwrap();
    let (_master, engine) = listening();
    let o = measure_env(&plan, &["d=exports/d.csv"], &engine, &[]);
    assert_eq!(o.status.code(), Some(2));
    insta::assert_snapshot!("spark_csv", stderr(&o, &dir));
}

#[test]
fn engines_are_datafusion_or_spark_and_ballista_is_explained() {
    let run = |engine: &str| {
        let o = measure_env(PLAN, &["dossiers=x.parquet"], engine, &[]);
        assert_eq!(o.status.code(), Some(2), "{engine}");
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    assert_eq!(
        run("duckdb"),
        "error: unknown engine `duckdb` (expected `datafusion` or `spark://HOST:PORT`)\n"
    );
    assert_eq!(
        run("spark://nohost"),
        "error: `spark://nohost` is not a Spark master's address: write spark://HOST:PORT, e.g. spark://127.0.0.1:7077\n"
    );
    insta::assert_snapshot!("ballista", run("ballista://127.0.0.1:50050"));
    // `eval --records` takes the same engines.
    let o = chitieu(&[
        "eval",
        PLAN,
        "--records",
        "dossiers=x.parquet",
        "--engine",
        "ballista://h:1",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("Ballista is not built into chitieu"));
}
