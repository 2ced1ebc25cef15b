//! One module per example, named as on the command line (`seed-fork` → `seed_fork`).

pub mod atomics;
pub mod barrier;
pub mod channels;
pub mod condvar;
pub mod cpu_vs_io;
pub mod deadlock;
pub mod detached;
pub mod event;
pub mod panics;
pub mod parallel_proof;
pub mod park;
pub mod race;
pub mod rayon;
pub mod rwlock;
pub mod scoped;
pub mod seed;
pub mod select;
pub mod semaphore;
pub mod send_sync;
pub mod shared_state;
pub mod steps;
pub mod thread_local;
pub mod timer;
pub mod torn_lines;
