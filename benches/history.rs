//! The national status history: 4,035 units × 20 goals (where they apply) × 60 month ends,
//! from a loaded dataset to the streamed JSON document (written to a sink). The end-to-end
//! figure from the CSV files (load included) is measured with `time` (docs/performance.md).

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

use chitieu::eval::{History, Options, month_ends};
use chitieu::report::{Buffered, HistoryJson};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::time::Duration;

fn history(c: &mut Criterion) {
    let national::Workload {
        compiled,
        units,
        data,
        csv,
    } = national::load(&national::plan(), &national::units(3321), 60).unwrap();
    drop(csv);
    let dates = month_ends("2026-01".parse().unwrap(), "2030-12".parse().unwrap());
    let options = Options::new(dates[0]);
    let h = History::new(&compiled, &data, &units, &options, dates.clone()).unwrap();
    // The number of evaluations: applicable (unit, goal) pairs × dates.
    let mut evaluations = 0u64;
    h.run(|block| -> Result<(), ()> {
        evaluations +=
            block.iter().map(|u| u.series.len() as u64).sum::<u64>() * dates.len() as u64;
        Ok(())
    })
    .unwrap();
    let mut group = c.benchmark_group("history");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(25));
    group.throughput(Throughput::Elements(evaluations));
    group.bench_function("national_60_months_json", |b| {
        b.iter(|| {
            let mut doc =
                HistoryJson::begin(Buffered::new(std::io::sink()), &compiled, &units, h.dates())
                    .unwrap();
            h.run(|block| doc.block(block)).unwrap();
            doc.finish().unwrap();
        })
    });
    group.finish();
}

criterion_group!(benches, history);
criterion_main!(benches);
