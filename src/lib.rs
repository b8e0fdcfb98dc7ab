//! # chitieu
//!
//! Checkable numeric targets for government reform plans. A plan file (YAML) declares
//! indicators and goals whose rules are written in a small expression language; measured data
//! goes in, and per-goal compliance comes out for every administrative unit and period — met,
//! not met, on track, off track, in progress, no data — with exact decimal arithmetic, index
//! scores, bands and ranks, and an explanation of every verdict.
//!
//! Start at [`Workspace`]: it runs the whole pipeline, from files on disk or in memory to a
//! [`Report`], the same way the `chitieu` command line, the language server and the browser
//! workbench do.
//!
//! ```
//! use chitieu::{Inputs, Status, Workspace, date};
//!
//! let project = Workspace::new().open(
//!     &Inputs::new("plans/vinh-long/22-kh-ubnd-2026-2030.yaml")
//!         .data("examples/data/observations.csv")
//!         .units("examples/data/units.csv"),
//! )?;
//! let report = project.evaluate(date(2026, 10, 31)?)?;
//! let met = report.results().iter().filter(|r| r.status == Status::Met).count();
//! assert!(met > 0);
//! # Ok::<(), chitieu::Error>(())
//! ```
//!
//! ## Modules
//!
//! The facade: [`workspace`] (the pipeline, [`Error`] and its [`Stage`]) over [`files`] (where
//! files are read: [`files::FileSystem`], [`files::InMemory`], [`files::Overlay`]).
//!
//! The stages, in pipeline order, each using only those before it:
//! [`syntax`] (the rule language: grammar, AST, printer, the table of functions) →
//! [`plan`] (plan files, includes) → [`check`] (names, units, cycles, deadlines) →
//! [`data`] (units and observations) → [`eval`] (compiled rules, statuses, histories, SDG
//! measure, explanation steps) → [`score`] (index scores, bands, ranks) → [`report`] (every
//! output format). [`source`], [`diag`], [`period`] and [`lang`] are the vocabulary every
//! stage shares.

pub mod check;
#[cfg(feature = "cli")]
#[doc(hidden)]
pub mod cli;
pub mod data;
pub mod diag;
pub mod eval;
pub mod files;
pub mod lang;
#[cfg(feature = "cli")]
pub mod lsp;
pub mod period;
pub mod plan;
pub mod quantity;
pub mod records;
pub mod report;
pub mod score;
pub mod source;
pub mod syntax;
pub mod workspace;

pub use eval::{GoalResult, Status};
pub use lang::Lang;
pub use workspace::{Error, Inputs, Project, Query, Report, Stage, Workspace, date};

/// The README's code, compiled and run as doc tests so that it cannot fall out of date.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
