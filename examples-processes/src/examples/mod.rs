//! One module per example, named as on the command line (`seed-fork` →
//! `seed_fork`).
//!
//! The examples that fork (or need process groups or Unix signals) are compiled
//! on Unix only. On Windows each of their names is [`unix_only`] (or, for
//! `process-group` and `parent-death-signal`, which have reasons of their own,
//! one of its modules), whose `run` explains why the example cannot run there
//! and what Python does instead; the table in `main.rs` is the same everywhere.

#[cfg(unix)]
pub mod cow;
pub mod cpu_bound;
#[cfg(unix)]
pub mod double_print;
pub mod exit_status;
#[cfg(unix)]
pub mod fall_through;
#[cfg(unix)]
pub mod fork_pipe;
#[cfg(unix)]
pub mod fork_server;
#[cfg(unix)]
pub mod fork_stdout_lock;
#[cfg(unix)]
pub mod fork_with_threads;
pub mod orphan;
#[cfg(unix)]
pub mod parent_death_signal;
#[cfg(unix)]
pub mod pass_fd;
pub mod pipe_deadlock;
pub mod pipe_writer_thread;
pub mod pipes;
pub mod pool;
pub mod pool_ctrl_c;
#[cfg(unix)]
pub mod process_group;
pub mod queue;
#[cfg(unix)]
pub mod rayon_after_fork;
pub mod seed;
#[cfg(unix)]
pub mod seed_fork;
#[cfg(unix)]
pub mod shared_memory;
#[cfg(unix)]
pub mod signal_thread;
#[cfg(unix)]
pub mod start_costs;
pub mod steps;
pub mod unix_only;

// Four examples have a Windows version of their own.
#[cfg(not(unix))]
#[path = "pass_fd_windows.rs"]
pub mod pass_fd;
#[cfg(not(unix))]
#[path = "signal_thread_windows.rs"]
pub mod signal_thread;
#[cfg(unix)]
pub mod start_methods;
#[cfg(not(unix))]
#[path = "start_methods_windows.rs"]
pub mod start_methods;
#[cfg(unix)]
pub mod terminate;
#[cfg(not(unix))]
#[path = "terminate_windows.rs"]
pub mod terminate;
#[cfg(unix)]
pub mod zombie;

#[cfg(not(unix))]
pub use unix_only as cow;
#[cfg(not(unix))]
pub use unix_only as double_print;
#[cfg(not(unix))]
pub use unix_only as fall_through;
#[cfg(not(unix))]
pub use unix_only as fork_pipe;
#[cfg(not(unix))]
pub use unix_only as fork_server;
#[cfg(not(unix))]
pub use unix_only as fork_stdout_lock;
#[cfg(not(unix))]
pub use unix_only as fork_with_threads;
#[cfg(not(unix))]
pub use unix_only as rayon_after_fork;
#[cfg(not(unix))]
pub use unix_only as seed_fork;
#[cfg(not(unix))]
pub use unix_only as shared_memory;
#[cfg(not(unix))]
pub use unix_only as start_costs;
#[cfg(not(unix))]
pub use unix_only as zombie;
#[cfg(not(unix))]
pub use unix_only::parent_death_signal;
#[cfg(not(unix))]
pub use unix_only::process_group;
