//! One module per example, named as on the command line (`seed-fork` → `seed_fork`).

pub mod seed;
