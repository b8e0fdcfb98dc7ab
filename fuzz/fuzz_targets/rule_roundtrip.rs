//! A rule or expression: parsing never panics, and a parsed rule prints to text that parses
//! back to the same tree and prints the same again (the canonical form is a fixed point).
#![no_main]

use chitieu::syntax::{parse_expr, parse_rule, print_expr, print_rule};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(rule) = parse_rule(text) {
        let printed = print_rule(&rule);
        let again = parse_rule(&printed).expect("a printed rule parses");
        assert_eq!(again, rule, "{printed:?}");
        assert_eq!(print_rule(&again), printed);
    }
    if let Ok(expr) = parse_expr(text) {
        let printed = print_expr(&expr);
        let again = parse_expr(&printed).expect("a printed expression parses");
        assert_eq!(again, expr, "{printed:?}");
        assert_eq!(print_expr(&again), printed);
    }
});
