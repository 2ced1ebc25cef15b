//! Which CPU a thread runs on: the call is wrapped once, in `shared::sys` (the trace recorder
//! needs it too), behind `cfg(target_os = …)`: Linux (`sched_getcpu`), macOS
//! (`pthread_cpu_number_np`), Windows (`GetCurrentProcessorNumber`), and `None` elsewhere.
//! The examples import it from here.

pub use shared::sys::{CURRENT_CPU_SOURCE, current_cpu};
