//! CSV load of 1,016,820 observations (the national units, 2025 and 20 months), from text in
//! memory to a dataset ready for evaluation: parsing, number reading, validation, grouping.

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

use chitieu::data::{Format, Locale, load_observations_str, load_units_str};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;

fn load(c: &mut Criterion) {
    let (plan, _) = chitieu::plan::load_str("plan.yaml", &national::plan());
    let plan = chitieu::check::checked(plan.unwrap()).unwrap();
    let (registry, csv) = national::csv_in_memory(&national::units(3321), 20);
    let units = load_units_str("units.csv", &registry, Format::Csv, &plan).unwrap();
    let rows = csv.lines().count() as u64 - 1;
    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(8));
    group.throughput(Throughput::Elements(rows));
    group.bench_function("csv_1m_observations", |b| {
        b.iter_batched(
            || units.clone(),
            |mut units| {
                let data = load_observations_str(
                    "observations.csv",
                    black_box(&csv),
                    Format::Csv,
                    &plan,
                    &mut units,
                    Locale::Default,
                )
                .unwrap();
                assert_eq!(data.len() as u64, rows);
                data
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, load);
criterion_main!(benches);
