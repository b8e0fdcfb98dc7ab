//! The one table of the rule language's functions.
//!
//! A function is defined here once: its name, how many arguments it takes, how it is called
//! (for help lines), a line of documentation in Vietnamese and English, and its [`Role`], which
//! says how the checker types it, where it is allowed, what the compiler turns it into, how the
//! engine evaluates it and how its explanation reads. The parser, checker, compiler, engine and
//! explanations read this table; none of them matches on a function by name, so a function
//! whose role already exists (another aggregate, another fold) is added here alone.

use rust_decimal::Decimal;
use serde::Serialize;

/// A function's entry in the table.
#[derive(Debug)]
pub struct Spec {
    /// Its name in rule text.
    pub name: &'static str,
    /// The fewest arguments it takes.
    pub min_args: usize,
    /// The most arguments it takes (`None`: no upper bound).
    pub max_args: Option<usize>,
    /// How it is called, for help lines: `share(kind, condition)`.
    pub signature: &'static str,
    /// What it computes, in Vietnamese.
    pub doc_vi: &'static str,
    /// What it computes, in English.
    pub doc_en: &'static str,
    /// How it is typed, compiled, evaluated and explained.
    pub role: Role,
}

/// What kind of function it is. Each role has one typing rule in the checker, one compiled form
/// and one evaluation in the engine, and one kind of explanation step.
#[derive(Debug)]
pub enum Role {
    /// Computed from its arguments' values for the same unit and period; allowed everywhere.
    /// Its explanation is that of its arguments.
    Scalar(Scalar),
    /// Reads values of another period; goal rules only. Explained by the value it read and
    /// the period it is of.
    Time(Time),
    /// Over the units of one kind below the evaluated unit; goal rules only. Its first
    /// argument is the unit kind; units without a value (or whose condition is missing) are
    /// skipped, and with none left the result is missing. Explained by its value and its
    /// coverage (how many units had data, and over a condition how many satisfy it).
    Aggregate(Aggregate),
    /// A direction-only target (`improve(x)`): true when the current value of indicator `x` is
    /// better than its baseline value; goal rules only. Explained by both readings.
    Direction,
}

/// Folds numbers left to right: the accumulated value (`None` before the first argument) and
/// the next argument in, the new accumulated value out.
pub type Fold = fn(Option<Decimal>, Decimal) -> Decimal;

/// Functions computed from their arguments' values.
#[derive(Debug)]
pub enum Scalar {
    /// Numbers of one unit, which is the result's, folded left to right; missing if any is
    /// missing.
    Fold(Fold),
    /// A number and a literal count of decimal places (0 to 28).
    Places(fn(Decimal, u32) -> Decimal),
    /// `if(condition, then, else)`: only the chosen branch is evaluated; both have one unit.
    If,
    /// The first argument that is not missing (values of one unit, or conditions).
    Coalesce,
}

/// Functions that read another period.
#[derive(Debug)]
pub enum Time {
    /// Its first argument in the period of its second (a period literal or a year), or in
    /// the plan's baseline period without a second.
    At,
    /// Indicator `x` in the period before its current one.
    Previous,
    /// The current value minus the value in the baseline period.
    Change,
}

/// An aggregate over units.
#[derive(Debug)]
pub struct Aggregate {
    /// What its second argument is.
    pub over: Over,
    /// The unit of its result.
    pub result: AggregateUnit,
    /// Its value, from the child units that have one.
    pub reduce: fn(&mut Sample<'_>) -> Reduced,
}

/// What an aggregate's second argument is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Over {
    /// A condition: the aggregate counts the units where it holds.
    Condition,
    /// A number: the aggregate combines the values.
    Value,
}

/// The unit of an aggregate's result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AggregateUnit {
    /// A count of units.
    Count,
    /// A fraction of the units.
    Percent,
    /// A condition.
    Condition,
    /// The unit of its second argument.
    OfValue,
}

/// The child units an aggregate reduces: at least one of them has a value.
#[derive(Debug)]
pub struct Sample<'a> {
    /// How many units have a value (or a known condition).
    pub counted: u32,
    /// Over a condition: how many of them satisfy it.
    pub hits: u32,
    /// Over a value: the values, in unit order (a reduction may reorder them).
    pub values: &'a mut [Decimal],
}

/// The result of an aggregate's reduction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reduced {
    /// A number.
    Number(Decimal),
    /// A condition's truth.
    Bool(bool),
    /// A result too large for a decimal.
    Overflow,
}

fn sum(values: &[Decimal]) -> Option<Decimal> {
    values
        .iter()
        .try_fold(Decimal::ZERO, |acc, &x| acc.checked_add(x))
}

fn number(v: Option<Decimal>) -> Reduced {
    v.map_or(Reduced::Overflow, Reduced::Number)
}

fn extreme(values: &[Decimal], pick: fn(Decimal, Decimal) -> Decimal) -> Reduced {
    number(values.iter().copied().reduce(pick))
}

/// The middle value; for an even count, the mean of the two middle values.
fn median(values: &mut [Decimal]) -> Reduced {
    values.sort_unstable();
    let mid = values.len() / 2;
    let upper = values.get(mid).copied();
    if values.len() % 2 == 1 {
        return number(upper);
    }
    let lower = mid.checked_sub(1).and_then(|i| values.get(i)).copied();
    number(
        lower
            .zip(upper)
            .and_then(|(a, b)| a.checked_add(b))
            .and_then(|t| t.checked_div(Decimal::TWO)),
    )
}

macro_rules! functions {
    ($( $(#[$doc:meta])* $variant:ident => $spec:expr, )*) => {
        /// The functions of the rule language: one per entry of the table.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Func {
            $( $(#[$doc])* $variant, )*
        }

        impl Func {
            /// Every function, in the order the reference lists them.
            pub const ALL: &'static [Func] = &[$(Func::$variant),*];

            /// The function's entry in the table.
            pub fn spec(self) -> &'static Spec {
                match self {
                    $( Func::$variant => {
                        static SPEC: Spec = $spec;
                        &SPEC
                    } )*
                }
            }
        }
    };
}

functions! {
    /// `min(a, b, …)`
    Min => Spec {
        name: "min",
        min_args: 2,
        max_args: None,
        signature: "min(a, b, …)",
        doc_vi: "giá trị nhỏ nhất trong các đối số",
        doc_en: "the smallest of the arguments",
        role: Role::Scalar(Scalar::Fold(|acc, x| acc.map_or(x, |a| a.min(x)))),
    },
    /// `max(a, b, …)`
    Max => Spec {
        name: "max",
        min_args: 2,
        max_args: None,
        signature: "max(a, b, …)",
        doc_vi: "giá trị lớn nhất trong các đối số",
        doc_en: "the largest of the arguments",
        role: Role::Scalar(Scalar::Fold(|acc, x| acc.map_or(x, |a| a.max(x)))),
    },
    /// `abs(x)`
    Abs => Spec {
        name: "abs",
        min_args: 1,
        max_args: Some(1),
        signature: "abs(x)",
        doc_vi: "giá trị tuyệt đối",
        doc_en: "the absolute value",
        role: Role::Scalar(Scalar::Fold(|_, x| x.abs())),
    },
    /// `round(x, n)`, half away from zero
    Round => Spec {
        name: "round",
        min_args: 2,
        max_args: Some(2),
        signature: "round(x, places)",
        doc_vi: "x làm tròn (nửa ra xa số 0) đến `places` chữ số thập phân",
        doc_en: "x rounded half away from zero to `places` decimals",
        role: Role::Scalar(Scalar::Places(crate::quantity::round)),
    },
    /// `if(cond, a, b)`
    If => Spec {
        name: "if",
        min_args: 3,
        max_args: Some(3),
        signature: "if(condition, then, else)",
        doc_vi: "`then` khi điều kiện đúng, `else` khi sai",
        doc_en: "`then` when the condition is true, `else` when it is false",
        role: Role::Scalar(Scalar::If),
    },
    /// `coalesce(a, b, …)`: the first value present
    Coalesce => Spec {
        name: "coalesce",
        min_args: 2,
        max_args: None,
        signature: "coalesce(a, b, …)",
        doc_vi: "đối số đầu tiên có số liệu",
        doc_en: "the first argument that is not missing",
        role: Role::Scalar(Scalar::Coalesce),
    },
    /// `baseline(x)` or `baseline(x, PERIOD)`
    Baseline => Spec {
        name: "baseline",
        min_args: 1,
        max_args: Some(2),
        signature: "baseline(indicator) or baseline(indicator, period)",
        doc_vi: "giá trị của x trong kỳ gốc của kế hoạch (hoặc trong kỳ đã cho)",
        doc_en: "x in the plan's baseline period (or in the period given)",
        role: Role::Time(Time::At),
    },
    /// `value(x, PERIOD)`
    Value => Spec {
        name: "value",
        min_args: 2,
        max_args: Some(2),
        signature: "value(indicator, period)",
        doc_vi: "giá trị của x trong kỳ đã cho",
        doc_en: "x in the period given",
        role: Role::Time(Time::At),
    },
    /// `previous(x)`: the value of the period before the current one
    Previous => Spec {
        name: "previous",
        min_args: 1,
        max_args: Some(1),
        signature: "previous(indicator)",
        doc_vi: "giá trị của x trong kỳ liền trước kỳ hiện tại",
        doc_en: "x in the period before the current one",
        role: Role::Time(Time::Previous),
    },
    /// `change(x)` = current − baseline
    Change => Spec {
        name: "change",
        min_args: 1,
        max_args: Some(1),
        signature: "change(indicator)",
        doc_vi: "giá trị hiện tại của x trừ giá trị kỳ gốc",
        doc_en: "the current x minus its baseline value",
        role: Role::Time(Time::Change),
    },
    /// `improve(x)`: current better than baseline
    Improve => Spec {
        name: "improve",
        min_args: 1,
        max_args: Some(1),
        signature: "improve(indicator)",
        doc_vi: "giá trị hiện tại của x tốt hơn giá trị kỳ gốc",
        doc_en: "the current x is better than its baseline value",
        role: Role::Direction,
    },
    /// `count(kind)` or `count(kind, cond)`
    Count => Spec {
        name: "count",
        min_args: 1,
        max_args: Some(2),
        signature: "count(kind) or count(kind, condition)",
        doc_vi: "số đơn vị cấp đó (thỏa điều kiện)",
        doc_en: "how many units of the kind there are (that satisfy the condition)",
        role: Role::Aggregate(Aggregate {
            over: Over::Condition,
            result: AggregateUnit::Count,
            reduce: |s| Reduced::Number(Decimal::from(s.hits)),
        }),
    },
    /// `share(kind, cond)`
    Share => Spec {
        name: "share",
        min_args: 2,
        max_args: Some(2),
        signature: "share(kind, condition)",
        doc_vi: "tỷ lệ đơn vị cấp đó thỏa điều kiện",
        doc_en: "the fraction of the units of the kind that satisfy the condition",
        role: Role::Aggregate(Aggregate {
            over: Over::Condition,
            result: AggregateUnit::Percent,
            reduce: |s| number(Decimal::from(s.hits).checked_div(Decimal::from(s.counted))),
        }),
    },
    /// `all(kind, cond)`
    All => Spec {
        name: "all",
        min_args: 2,
        max_args: Some(2),
        signature: "all(kind, condition)",
        doc_vi: "mọi đơn vị cấp đó thỏa điều kiện",
        doc_en: "every unit of the kind satisfies the condition",
        role: Role::Aggregate(Aggregate {
            over: Over::Condition,
            result: AggregateUnit::Condition,
            reduce: |s| Reduced::Bool(s.hits == s.counted),
        }),
    },
    /// `any(kind, cond)`
    Any => Spec {
        name: "any",
        min_args: 2,
        max_args: Some(2),
        signature: "any(kind, condition)",
        doc_vi: "có ít nhất một đơn vị cấp đó thỏa điều kiện",
        doc_en: "at least one unit of the kind satisfies the condition",
        role: Role::Aggregate(Aggregate {
            over: Over::Condition,
            result: AggregateUnit::Condition,
            reduce: |s| Reduced::Bool(s.hits > 0),
        }),
    },
    /// `sum(kind, expr)`
    Sum => Spec {
        name: "sum",
        min_args: 2,
        max_args: Some(2),
        signature: "sum(kind, value)",
        doc_vi: "tổng giá trị của các đơn vị cấp đó",
        doc_en: "the total of the values of the units of the kind",
        role: Role::Aggregate(Aggregate {
            over: Over::Value,
            result: AggregateUnit::OfValue,
            reduce: |s| number(sum(s.values)),
        }),
    },
    /// `avg(kind, expr)`
    Avg => Spec {
        name: "avg",
        min_args: 2,
        max_args: Some(2),
        signature: "avg(kind, value)",
        doc_vi: "trung bình giá trị của các đơn vị cấp đó",
        doc_en: "the mean of the values of the units of the kind",
        role: Role::Aggregate(Aggregate {
            over: Over::Value,
            result: AggregateUnit::OfValue,
            reduce: |s| {
                number(sum(s.values).and_then(|t| t.checked_div(Decimal::from(s.counted))))
            },
        }),
    },
    /// `minimum(kind, expr)`
    Minimum => Spec {
        name: "minimum",
        min_args: 2,
        max_args: Some(2),
        signature: "minimum(kind, value)",
        doc_vi: "giá trị nhỏ nhất của các đơn vị cấp đó",
        doc_en: "the smallest value of the units of the kind",
        role: Role::Aggregate(Aggregate {
            over: Over::Value,
            result: AggregateUnit::OfValue,
            reduce: |s| extreme(s.values, Decimal::min),
        }),
    },
    /// `maximum(kind, expr)`
    Maximum => Spec {
        name: "maximum",
        min_args: 2,
        max_args: Some(2),
        signature: "maximum(kind, value)",
        doc_vi: "giá trị lớn nhất của các đơn vị cấp đó",
        doc_en: "the largest value of the units of the kind",
        role: Role::Aggregate(Aggregate {
            over: Over::Value,
            result: AggregateUnit::OfValue,
            reduce: |s| extreme(s.values, Decimal::max),
        }),
    },
    /// `median(kind, expr)`
    Median => Spec {
        name: "median",
        min_args: 2,
        max_args: Some(2),
        signature: "median(kind, value)",
        doc_vi: "trung vị giá trị của các đơn vị cấp đó (số chẵn giá trị: trung bình hai giá trị giữa)",
        doc_en: "the middle value of the units of the kind (for an even count, the mean of the two middle values)",
        role: Role::Aggregate(Aggregate {
            over: Over::Value,
            result: AggregateUnit::OfValue,
            reduce: |s| median(s.values),
        }),
    },
}

impl Func {
    /// The function's name in rule text.
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// The function of that name.
    pub fn from_name(name: &str) -> Option<Func> {
        Func::ALL.iter().copied().find(|f| f.name() == name)
    }

    /// How many arguments the function takes: at least, at most (`None`: no upper bound).
    pub fn arity(self) -> (usize, Option<usize>) {
        let spec = self.spec();
        (spec.min_args, spec.max_args)
    }

    /// Whether the function may be used in an indicator's formula (computed period by period
    /// from the same unit's values), and not only in goal rules.
    pub fn in_formulas(self) -> bool {
        match self.spec().role {
            Role::Scalar(_) => true,
            Role::Time(_) | Role::Aggregate(_) | Role::Direction => false,
        }
    }
}
