//! The process exercises (`examples-processes exercise`): the table, in book order,
//! and each exercise's check of the running program, one file each. The exercises'
//! files are in `examples-processes/exercises/`; `shared::exercise` builds and runs
//! them.

use shared::exercise::Exercises;

pub use shared::exercise::OPTIONS;

/// Every process exercise, in book order.
pub static EXERCISES: Exercises = Exercises {
    program: "examples-processes",
    dir: concat!(env!("CARGO_MANIFEST_DIR"), "/exercises"),
    list: &[],
};

/// `examples-processes exercise …`.
pub fn run(args: &[String]) -> anyhow::Result<()> {
    EXERCISES.run(args)
}
