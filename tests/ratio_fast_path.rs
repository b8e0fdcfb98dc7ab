//! The engine decides `a / b op c` (a literal c) by multiplying instead of dividing where that
//! is exactly the same judgement; this checks it against the general path (`a / b * 1 op c`),
//! including exact ties, zero and negative denominators, large numbers and long decimals.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use chitieu::data::{Format, Locale, load_observations_str, load_units};
use chitieu::eval::{Compiled, Evaluator, Val};
use proptest::prelude::*;

const OPS: [&str; 6] = [">=", ">", "<=", "<", "=", "!="];

fn judge(x: &str, y: &str, c: &str) -> Vec<(Val, Val)> {
    let mut plan = String::from(
        "chitieu: 1\nplan: { id: P, title: T, period: 2026 .. 2030 }\nindicators:\n  x: { name: X, unit: points }\n  y: { name: Y, unit: points }\ngoals:\n",
    );
    for (i, op) in OPS.iter().enumerate() {
        plan.push_str(&format!(
            "  - {{ id: f{i}, title: F, rule: \"x / y {op} {c}%\" }}\n  - {{ id: g{i}, title: G, rule: \"x / y * 1 {op} {c}%\" }}\n"
        ));
    }
    let (p, diags) = chitieu::plan::load_str("p.yaml", &plan);
    let p = chitieu::check::checked(p.unwrap_or_else(|| panic!("{diags:?}"))).unwrap();
    let mut units = load_units(None, &p).unwrap();
    let csv = format!("unit,indicator,period,value\nU,x,2026,{x}\nU,y,2026,{y}\n");
    let data =
        load_observations_str("d.csv", &csv, Format::Csv, &p, &mut units, Locale::Default).unwrap();
    let c = Compiled::new(p);
    let ev = Evaluator::new(&c, &data, &units);
    let u = units.get("U").unwrap();
    let t = chitieu::period::parse_date("2027-01-01").unwrap();
    (0..OPS.len())
        .map(|i| {
            let f = c.goal_index(&format!("f{i}")).unwrap();
            let g = c.goal_index(&format!("g{i}")).unwrap();
            // Errors point at their node, which differs between the two rules.
            let at_zero = |v: Val| match v {
                Val::Error(fault, _) => Val::Error(fault, 0),
                v => v,
            };
            (at_zero(ev.rule(f, u, t)), at_zero(ev.rule(g, u, t)))
        })
        .collect()
}

fn decimal(int: i64, scale: u32) -> String {
    rust_decimal::Decimal::new(int, scale).to_string()
}

#[test]
fn ties_and_edges() {
    for (x, y, c) in [
        ("791", "1130", "70"), // 0.7 × 1130 = 791 exactly: a tie
        ("2", "3", "66.66666666666666666666666667"),
        ("0", "5", "0"),
        ("5", "0", "80"),
        ("-4", "-5", "80"),
        ("4", "-5", "-80"),
        ("99999999", "3", "80"),
        ("1.234567", "0.000001", "80"),
    ] {
        for (fast, general) in judge(x, y, c) {
            assert_eq!(fast, general, "{x} / {y} vs {c}%");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn fast_path_equals_division(
        y in -3i64..20_000_000, ys in 0u32..8,
        c in -200i64..20_000, cs in 0u32..6,
        tie in any::<bool>(), x in -20_000_000i64..20_000_000, xs in 0u32..8,
    ) {
        let cd = rust_decimal::Decimal::new(c, cs) / rust_decimal::Decimal::ONE_HUNDRED;
        let yd = rust_decimal::Decimal::new(y, ys);
        // Half of the cases are exact ties: x = c × y.
        let x = if tie { (cd * yd).normalize().to_string() } else { decimal(x, xs) };
        for (fast, general) in judge(&x, &yd.to_string(), &decimal(c, cs)) {
            prop_assert_eq!(fast, general, "{} / {} vs {}%", x, yd, decimal(c, cs));
        }
    }
}
