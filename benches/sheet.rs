//! Spreadsheet load of 1,000,000 observations in the long layout (Excel's limit is 1,048,576
//! rows): a workbook generated here with rust_xlsxwriter from the national workload, read from
//! its bytes to a dataset ready for evaluation (unzipping, XML, cell types and formats, every
//! check CSV data gets).

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[allow(dead_code)]
#[path = "../examples/national.rs"]
mod national;

use chitieu::data::{Format, Loader, Locale, load_units_str};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;

const ROWS: usize = 1_000_000;

/// The first `ROWS` observations of the national workload as an `.xlsx` long-form sheet:
/// ids and periods as text, values as numbers.
fn workbook(csv: &str) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (row, line) in (0u32..).zip(csv.lines().take(ROWS + 1)) {
        let cells: Vec<&str> = line.split(',').collect();
        for (col, cell) in (0u16..).zip(&cells) {
            match cell.parse::<f64>() {
                Ok(v) if row > 0 && col == 3 => sheet.write_number(row, col, v),
                _ => sheet.write_string(row, col, *cell),
            }
            .unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

fn load(c: &mut Criterion) {
    let (plan, _) = chitieu::plan::load_str("plan.yaml", &national::plan());
    let plan = chitieu::check::checked(plan.unwrap()).unwrap();
    let (registry, csv) = national::csv_in_memory(&national::units(3321), 20);
    let units = load_units_str("units.csv", &registry, Format::Csv, &plan).unwrap();
    let bytes = workbook(&csv);
    let mut group = c.benchmark_group("sheet");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(30));
    group.throughput(Throughput::Elements(ROWS as u64));
    group.bench_function("xlsx_1m_observations", |b| {
        b.iter_batched(
            || units.clone(),
            |mut units| {
                let mut loader = Loader::new(&plan, &mut units, Locale::Default);
                loader.read_bytes("observations.xlsx", black_box(&bytes), Format::Xlsx);
                let data = loader.finish().unwrap();
                assert_eq!(data.len(), ROWS);
                data
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, load);
criterion_main!(benches);
