//! What the `measure` commands of both binaries share ([`driver`] runs them); what only one
//! binary uses lives in that binary's `measure/`. Every figure comes from samples taken in the
//! same run: a ratio is of two medians measured in that run, never against a stored figure.

pub mod driver;
pub mod machine;
pub mod options;
pub mod plot;
pub mod python;
pub mod report;
pub mod speedup;
pub mod timing;

pub use driver::{Found, Section, keys};
pub use machine::{Machine, figure_or_skipped, pss_and_page_tables_kib, rss_kib, skipped};
pub use options::Options;
pub use python::{PYTHON_PRELUDE, PythonOutput, comparison, python_figures, run_python};
pub use report::{number, table};
pub use timing::{Summary, calibrate_cpu_job, time_pair, time_round_robin, time_samples};
