//! # chitieu
//!
//! Checkable numeric targets for government reform plans. A plan file (YAML) declares
//! indicators and goals whose rules are written in a small expression language; measured data
//! goes in, and per-goal compliance comes out for every administrative unit and period.
//!
//! The modules follow the pipeline, each using only those before it:
//! [`syntax`] → `plan` → `check` → `data` → `eval` → `score` → `report` (→ the `cli`).
//! [`source`], [`diag`], [`period`] and [`lang`] are the shared vocabulary every stage uses.

pub mod check;
#[cfg(feature = "cli")]
pub mod cli;
pub mod data;
pub mod diag;
pub mod eval;
pub mod files;
pub mod lang;
pub mod period;
pub mod plan;
pub mod quantity;
pub mod report;
pub mod score;
pub mod source;
pub mod syntax;
pub mod workspace;

pub use eval::{GoalResult, Status};
pub use lang::Lang;
pub use workspace::{Error, Inputs, Project, Query, Report, Stage, Workspace, date};
