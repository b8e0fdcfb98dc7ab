//! The faults of measures over records, with their words.

use crate::diag::{Describe, Description, tr};
use crate::lang::Lang;

/// A fault in a measure, or in reading the records it counts.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Kind {
    /// A measure that is not one aggregate (`count`, `sum`, `avg`, `min`, `max`).
    NotAggregate,
    /// An aggregate whose first argument is not a source's name.
    SourceFirst,
    /// An aggregate or function with the wrong number of arguments.
    Arity {
        /// How it is called.
        usage: String,
        /// How many arguments it got.
        found: usize,
    },
    /// An indicator with both `formula:` and `measure:`.
    MeasureAndFormula {
        /// The indicator.
        indicator: String,
    },
    /// A measure of an indicator whose values are not amounts (a percentage, a condition, a
    /// date).
    MeasureUnit {
        /// The indicator's unit.
        unit: String,
    },
    /// Something a measure cannot use (a period, a function without an SQL counterpart).
    NotInMeasure {
        /// What, in words.
        what: String,
    },
    /// `null` other than in `x = null` or `x != null`.
    NullOperand,
    /// A division in a measure.
    Division,
    /// A value of one type where another is needed.
    Expected {
        /// The type needed.
        expected: &'static str,
        /// The type found.
        found: &'static str,
    },
    /// A comparison of values of different types.
    CompareTypes {
        /// The left operand's type.
        left: &'static str,
        /// The right operand's type.
        right: &'static str,
    },
    /// A floating-point column summed or averaged.
    FloatSum {
        /// The column.
        column: String,
    },
    /// Records that could not be read (a missing, corrupt or unreadable file).
    Unreadable {
        /// The source.
        source: String,
        /// The path given.
        path: String,
        /// The engine's words.
        reason: String,
    },
    /// The Spark engine (`--engine spark://HOST:PORT`) could not run the queries.
    Spark(SparkFault),
    /// A result the engine gave that is not an observation (a unit id that is not text, a
    /// value that is not a number).
    BadResult {
        /// The engine's column.
        column: String,
        /// What was wrong.
        reason: String,
    },
}

impl Describe for Kind {
    fn describe(&self, lang: Lang) -> Description {
        match self {
            Kind::NotAggregate => Description::new(
                "measure-form",
                lang.pick(
                    "phép đo phải là một hàm gộp trên một nguồn hồ sơ",
                    "a measure is one aggregate over a source of records",
                ),
            )
            .help(lang.pick(
                "ví dụ `count(dossiers, channel = 'online')` hoặc `sum(dossiers, fee, paid_online)`; tỉ lệ là công thức (`formula:`) trên các chỉ số đo",
                "e.g. `count(dossiers, channel = 'online')` or `sum(dossiers, fee, paid_online)`; a ratio is a `formula:` over measured indicators",
            )),
            Kind::SourceFirst => Description::new(
                "measure-source",
                lang.pick(
                    "tham số đầu tiên phải là tên một nguồn hồ sơ (mục `records:`)",
                    "the first argument must name a source of records (under `records:`)",
                ),
            ),
            Kind::Arity { usage, found } => Description::new(
                "measure-arity",
                tr!(
                    lang,
                    "sai số tham số ({found}): cách gọi là `{usage}`",
                    "wrong number of arguments ({found}): the call is `{usage}`"
                ),
            ),
            Kind::MeasureAndFormula { indicator } => Description::new(
                "measure-and-formula",
                tr!(
                    lang,
                    "chỉ số `{indicator}` có cả `formula:` và `measure:`",
                    "indicator `{indicator}` has both a `formula:` and a `measure:`"
                ),
            )
            .help(lang.pick(
                "một chỉ số hoặc được tính từ chỉ số khác, hoặc được đo từ hồ sơ: giữ một",
                "an indicator is computed from others or measured from records: keep one",
            )),
            Kind::MeasureUnit { unit } => Description::new(
                "measure-unit",
                tr!(
                    lang,
                    "phép đo cho số lượng hoặc tổng, không cho đơn vị `{unit}`",
                    "a measure gives counts or amounts, not `{unit}` values"
                ),
            )
            .help(lang.pick(
                "đo tử số và mẫu số (unit: count), rồi tính tỉ lệ bằng `formula:`",
                "measure numerator and denominator (unit: count), then the ratio with a `formula:`",
            )),
            Kind::NotInMeasure { what } => Description::new(
                "not-in-measure",
                tr!(
                    lang,
                    "không dùng được {what} trong phép đo trên hồ sơ",
                    "{what} cannot be used in a measure over records"
                ),
            )
            .help(lang.pick(
                "trong phép đo dùng cột, số, ngày, chuỗi ('online'), null, so sánh, and/or/not, + - *, abs, coalesce, if",
                "measures use columns, numbers, dates, text ('online'), null, comparisons, and/or/not, + - *, abs, coalesce, if",
            )),
            Kind::NullOperand => Description::new(
                "null-operand",
                lang.pick(
                    "`null` chỉ dùng trong `x = null` hoặc `x != null`",
                    "`null` is only used in `x = null` or `x != null`",
                ),
            )
            .help(lang.pick(
                "so sánh khác với giá trị thiếu luôn không đúng (như SQL)",
                "any other comparison with a missing value is never true (as in SQL)",
            )),
            Kind::Division => Description::new(
                "measure-division",
                lang.pick(
                    "phép đo không chia: tỉ lệ là công thức trên các chỉ số đo",
                    "measures do not divide: a ratio is a formula over measured indicators",
                ),
            )
            .help(lang.pick(
                "đo tử số và mẫu số riêng, rồi `formula: a / b` với `on_zero:`",
                "measure numerator and denominator, then `formula: a / b` with `on_zero:`",
            )),
            Kind::Expected { expected, found } => Description::new(
                "measure-type",
                match lang {
                    Lang::Vi => format!("cần {}, nhưng đây là {}", vi_type(expected), vi_type(found)),
                    Lang::En => format!("expected a {expected}, found a {found}"),
                },
            ),
            Kind::CompareTypes { left, right } => Description::new(
                "measure-compare",
                match lang {
                    Lang::Vi => format!("không so sánh được {} với {}", vi_type(left), vi_type(right)),
                    Lang::En => format!("cannot compare a {left} with a {right}"),
                },
            )
            .help(lang.pick(
                "chuỗi viết trong dấu nháy đơn ('online'), ngày viết 2026-01-31",
                "text is written in single quotes ('online'), dates as 2026-01-31",
            )),
            Kind::FloatSum { column } => Description::new(
                "float-sum",
                tr!(
                    lang,
                    "cột `{column}` là số thực dấu phẩy động: tổng của nó không chính xác",
                    "column `{column}` holds floating-point numbers: their sum is not exact"
                ),
            )
            .help(lang.pick(
                "xuất cột này dưới dạng số thập phân (DECIMAL) hoặc số nguyên",
                "export the column as a DECIMAL or an integer",
            )),
            Kind::Unreadable {
                source,
                path,
                reason,
            } => Description::new(
                "records-unreadable",
                tr!(
                    lang,
                    "không đọc được hồ sơ `{source}` từ {path}: {reason}",
                    "cannot read records `{source}` from {path}: {reason}"
                ),
            ),
            Kind::Spark(fault) => fault.describe(lang),
            Kind::BadResult { column, reason } => Description::new(
                "records-result",
                tr!(
                    lang,
                    "kết quả cột `{column}` không dùng được: {reason}",
                    "result column `{column}` cannot be used: {reason}"
                ),
            ),
        }
    }
}

/// Why the Spark engine could not run the queries.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SparkFault {
    /// No `spark-sql` under `$SPARK_HOME/bin` nor on `PATH`.
    Missing,
    /// Nothing accepted a connection at the master's address.
    Unreachable {
        /// `HOST:PORT`.
        address: String,
        /// The system's words.
        reason: String,
    },
    /// CSV records: Spark would infer other column types than the embedded engine.
    Csv {
        /// The CSV path.
        path: String,
    },
    /// `spark-sql` could not be started.
    Start {
        /// The program.
        program: String,
        /// The system's words.
        reason: String,
    },
    /// The cluster gave the job no executor (no worker registered, or none free).
    NoExecutor {
        /// The master's URL.
        master: String,
    },
    /// The job failed: Spark's error line.
    Failed {
        /// The line that says why.
        line: String,
    },
    /// `spark-sql` printed a line that is not a result row.
    Output {
        /// The line, as printed.
        line: String,
        /// What is wrong with it.
        reason: String,
    },
}

impl SparkFault {
    fn describe(&self, lang: Lang) -> Description {
        match self {
            SparkFault::Missing => Description::new(
                "spark-missing",
                lang.pick(
                    "không tìm thấy `spark-sql` (trong `$SPARK_HOME/bin` hay trên `PATH`)",
                    "`spark-sql` not found (in `$SPARK_HOME/bin` or on `PATH`)",
                ),
            )
            .help(lang.pick(
                "cài Spark (`python3 -m pip install pyspark` có `pyspark/bin/spark-sql`) rồi đặt `SPARK_HOME` là thư mục Spark, hoặc dùng `--engine datafusion`",
                "install Spark (`python3 -m pip install pyspark` ships `pyspark/bin/spark-sql`) and set `SPARK_HOME` to its folder, or use `--engine datafusion`",
            )),
            SparkFault::Unreachable { address, reason } => Description::new(
                "spark-unreachable",
                tr!(
                    lang,
                    "không kết nối được Spark master tại {address}: {reason}",
                    "no Spark master reachable at {address}: {reason}"
                ),
            )
            .help(lang.pick(
                "khởi động master (`spark-class org.apache.spark.deploy.master.Master --host HOST --port PORT`) và các worker, rồi chạy lại",
                "start the master (`spark-class org.apache.spark.deploy.master.Master --host HOST --port PORT`) and its workers, then run again",
            )),
            SparkFault::Csv { path } => Description::new(
                "spark-csv",
                tr!(
                    lang,
                    "Spark chỉ đọc hồ sơ Parquet ở đây, không đọc CSV ({path})",
                    "the Spark engine reads Parquet records only, not CSV ({path})"
                ),
            )
            .help(lang.pick(
                "CSV không ghi kiểu cột, nên Spark và DataFusion có thể đọc khác nhau: chuyển sang Parquet, hoặc dùng `--engine datafusion`",
                "CSV does not record column types, so Spark and DataFusion could read it differently: convert it to Parquet, or use `--engine datafusion`",
            )),
            SparkFault::Start { program, reason } => Description::new(
                "spark-start",
                tr!(
                    lang,
                    "không chạy được {program}: {reason}",
                    "cannot run {program}: {reason}"
                ),
            ),
            SparkFault::NoExecutor { master } => Description::new(
                "spark-no-executor",
                tr!(
                    lang,
                    "cụm Spark {master} không cấp executor nào cho công việc",
                    "the Spark cluster {master} gave the job no executor"
                ),
            )
            .help(lang.pick(
                "kiểm tra có worker đăng ký với master và còn lõi, bộ nhớ trống (giao diện web của master)",
                "check that workers are registered with the master and have free cores and memory (the master's web UI)",
            )),
            SparkFault::Failed { line } => Description::new(
                "spark-failed",
                tr!(
                    lang,
                    "công việc Spark thất bại: {line}",
                    "the Spark job failed: {line}"
                ),
            ),
            SparkFault::Output { line, reason } => Description::new(
                "spark-output",
                tr!(
                    lang,
                    "không đọc được kết quả của spark-sql ({reason}): `{line}`",
                    "cannot read spark-sql's result ({reason}): `{line}`"
                ),
            ),
        }
    }
}

fn vi_type(ty: &str) -> &'static str {
    match ty {
        "number" => "một số",
        "text" => "một chuỗi",
        "condition" => "một điều kiện",
        "date" => "một ngày",
        _ => "một giá trị",
    }
}
