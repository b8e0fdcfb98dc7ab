//! Parse and check a generated plan of 1,000 goals (the national plan's 20 goals, repeated).

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

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;

fn plan(c: &mut Criterion) {
    let text = national::plan_with_goals(1000);
    let mut group = c.benchmark_group("plan");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(5));
    group.throughput(Throughput::Elements(1000));
    group.bench_function("parse_and_check_1000_goals", |b| {
        b.iter(|| {
            let (plan, diags) = chitieu::plan::load_str("plan.yaml", black_box(&text));
            assert!(diags.is_empty(), "{diags:?}");
            let checked = chitieu::check::checked(plan.unwrap()).unwrap();
            black_box(checked.goals.len())
        })
    });
    group.finish();
}

criterion_group!(benches, plan);
criterion_main!(benches);
