//! A plan file from bytes: loading, checking and formatting never panic, every diagnostic
//! renders, and `fmt`'s output (when there is any) is a fixed point.
#![no_main]

use chitieu::lang::Lang;
use chitieu::report::{Style, check_json, render_diagnostic};
use libfuzzer_sys::fuzz_target;

/// The plan is read as if it were a file of `plans/vinh-long/`, so the seeds' includes
/// (`../catalogue/…`) find the repository's catalogues.
const PLAN_NAME: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../plans/vinh-long/fuzz.yaml");

/// Whether the input could make an include read a device or a system file (`/dev/zero` never
/// ends): such inputs are skipped, the repository's own files are fair game.
fn reaches_outside(text: &str) -> bool {
    ["/dev", "/proc", "/sys"].iter().any(|p| text.contains(p))
}

fuzz_target!(|text: &str| {
    if reaches_outside(text) {
        return;
    }
    let (plan, mut diags) = chitieu::plan::load_str(PLAN_NAME, text);
    if let Some(plan) = &plan {
        diags.extend(chitieu::check::check(plan));
    }
    for d in &diags {
        for lang in [Lang::Vi, Lang::En] {
            let _ = render_diagnostic(d, lang, Style::default());
        }
    }
    let _ = check_json(&[PLAN_NAME.to_string()], &diags, Lang::En);
    if let Some(once) = chitieu::plan::format_str(PLAN_NAME, text) {
        let twice = chitieu::plan::format_str(PLAN_NAME, &once);
        assert_eq!(
            twice.as_deref(),
            Some(once.as_str()),
            "fmt is not a fixed point"
        );
    }
});
