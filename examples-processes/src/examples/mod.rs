//! One module per example, named as on the command line (`seed-fork` → `seed_fork`).

pub mod cow;
pub mod cpu_bound;
pub mod double_print;
pub mod exit_status;
pub mod fall_through;
pub mod fork_server;
pub mod fork_with_threads;
pub mod orphan;
pub mod pipe_deadlock;
pub mod pipes;
pub mod pool;
pub mod pool_ctrl_c;
pub mod process_group;
pub mod queue;
pub mod rayon_after_fork;
pub mod seed;
pub mod seed_fork;
pub mod shared_memory;
pub mod start_methods;
pub mod steps;
pub mod terminate;
pub mod zombie;
