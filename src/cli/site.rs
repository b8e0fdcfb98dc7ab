//! `eval --format html -o DIR`: the report as a folder of pages, written atomically; and the
//! limit above which a single page is refused.

use super::file::sibling;
use super::{Out, Outcome, error_line, write_failed};
use crate::lang::Lang;
use crate::report::Page;
use std::path::Path;

/// Most results (those of goals that apply; `--history`: series) a single HTML page may show.
/// Measured on the national workload (docs/performance.md): one page weighs some 740 bytes per
/// result with its charts and bars; 2,442 results made 1.8 MB that headless Chromium took about
/// 4.5 s beyond its own start to render on this (busy) machine, 4,884 results 3.5 MB and 5 s.
/// Above 2,000 results (about 1.5 MB) a page no longer opens comfortably, and a folder
/// (`-o DIR`) reads better anyway.
pub(crate) const MAX_PAGE_RESULTS: usize = 2_000;

/// Whether `-o PATH` names a folder of pages rather than one page: an existing folder, or a
/// path that does not exist yet and whose name does not end in `.html` or `.htm` (any case).
/// An existing file stays a file: it gets the page, as before folders, and is never replaced
/// by a folder.
pub(crate) fn is_folder(path: &Path) -> bool {
    if path.is_dir() {
        return true;
    }
    if path.exists() {
        return false;
    }
    let page = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
    !page
}

/// Refuses a single page of more than [`MAX_PAGE_RESULTS`] results, saying where it was to go
/// and how to write a folder instead.
pub(crate) fn refuse_page(results: usize, output: Option<&Path>, lang: Lang) -> Outcome {
    let target = output.map_or_else(
        || lang.pick("đầu ra chuẩn", "standard output").to_string(),
        |p| format!("-o {}", p.display()),
    );
    let folder = output
        .and_then(|p| p.file_stem())
        .map_or_else(|| "report".into(), |s| s.to_string_lossy().into_owned());
    let n = crate::report::format_decimal(rust_decimal::Decimal::from(results), 0, lang);
    let max = crate::report::format_decimal(rust_decimal::Decimal::from(MAX_PAGE_RESULTS), 0, lang);
    error_line(&match lang {
        Lang::Vi => format!(
            "lỗi: {target}: một trang HTML với {n} kết quả sẽ quá lớn để mở nhanh (tối đa {max})\n  \
             gợi ý: ghi thành thư mục gồm trang tổng hợp và một trang cho mỗi đơn vị cấp trên: `-o {folder}/`"
        ),
        Lang::En => format!(
            "error: {target}: one HTML page of {n} results would be too large to open comfortably (at most {max})\n  \
             hint: write a folder with an overview page and a page per top-level unit: `-o {folder}/`"
        ),
    });
    Outcome::Failed
}

/// Writes the pages into `dir`, atomically: into a fresh folder beside it, then renamed into
/// place, so that a reader sees the old report or the whole new one, never half of it. An
/// existing `dir` is replaced only when it holds nothing but `.html` files (an earlier report);
/// anything else in it is refused rather than deleted.
pub(crate) fn write_site(dir: &Path, pages: &[Page], out: &mut Out) -> Outcome {
    let lang = out.lang;
    // The folder is written here; nothing goes to the `-o` path as a file.
    out.output = None;
    if dir.is_dir() && !only_pages(dir) {
        error_line(&match lang {
            Lang::Vi => format!(
                "lỗi: -o {}: thư mục đã có tệp khác ngoài các trang .html; không ghi đè\n  \
                 gợi ý: chọn một thư mục mới hoặc rỗng",
                dir.display()
            ),
            Lang::En => format!(
                "error: -o {}: the folder holds files other than .html pages; not replacing it\n  \
                 hint: choose a new or empty folder",
                dir.display()
            ),
        });
        return Outcome::Failed;
    }
    match replace(dir, pages) {
        Ok(()) => Outcome::Ok,
        Err(e) => {
            write_failed(&e, lang);
            Outcome::Failed
        }
    }
}

fn only_pages(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.flatten().all(|e| {
            let p = e.path();
            p.is_file()
                && p.extension()
                    .is_some_and(|x| x.eq_ignore_ascii_case("html"))
        })
    })
}

fn replace(dir: &Path, pages: &[Page]) -> std::io::Result<()> {
    let tmp = sibling(dir, "tmp");
    let old = sibling(dir, "old");
    let _ = std::fs::remove_dir_all(&tmp);
    let written = (|| {
        std::fs::create_dir_all(&tmp)?;
        for p in pages {
            std::fs::write(tmp.join(&p.name), &p.html)?;
        }
        if dir.exists() {
            std::fs::rename(dir, &old)?;
        }
        std::fs::rename(&tmp, dir)
    })();
    match written {
        Ok(()) => {
            let _ = std::fs::remove_dir_all(&old);
            Ok(())
        }
        Err(e) => {
            // Put the old report back if it was moved aside.
            if old.exists() && !dir.exists() {
                let _ = std::fs::rename(&old, dir);
            }
            let _ = std::fs::remove_dir_all(&tmp);
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_is_an_existing_folder_or_a_name_not_ending_in_html() {
        assert!(is_folder(Path::new("report")));
        assert!(is_folder(Path::new("out/report.d")));
        assert!(is_folder(&std::env::temp_dir()));
        assert!(!is_folder(Path::new("report.html")));
        assert!(!is_folder(Path::new("REPORT.HTM")));
        assert!(
            !is_folder(Path::new("Cargo.toml")),
            "an existing file is a page"
        );
    }
}
