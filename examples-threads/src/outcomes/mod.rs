//! `--runs N`: the nondeterministic examples run as trials and their outcomes counted.
//!
//! Each example's lesson stays in `src/examples/NAME.rs`, a whole program a reader can paste;
//! its trial, small and quick (a few milliseconds) and always bounded, is here, one file per
//! example, and the table of counts is `shared::outcomes`. Where the outcome is what the
//! example prints (`seed`, `torn-lines`), the trial is the example itself, run again and again
//! in a child with its stdout a pipe (`--raw N`).

pub mod condvar;
pub mod deadlock;
pub mod race;
pub mod seed;
pub mod store_buffering;
pub mod torn_lines;
