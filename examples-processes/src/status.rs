//! Exit statuses in words: they live in the safe process layer now
//! (`sys/status.rs`), where the examples find them; `measure` reaches them here
//! under their first names.

pub use crate::sys::{check_exit as check, check_waited, describe};
