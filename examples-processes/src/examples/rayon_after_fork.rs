//! rayon's global thread pool, used in a parent, then used in a forked child:
//! the child hangs. Its copy of the pool's bookkeeping says the worker threads
//! exist, but fork copied only the calling thread, so the work it hands them is
//! never picked up.

use std::time::Duration;

use anyhow::{bail, ensure};
use rayon::prelude::*;

use crate::sys::{Waited, allow_fork_with_threads, check_waited, describe};
use crate::sys::{fork_child_fallible, fork_child_with_code};

const DEADLINE: Duration = Duration::from_secs(2);

// ANCHOR: hang
pub fn run() -> anyhow::Result<()> {
    let range = 1..100_001;
    let expected: u64 = range.clone().map(collatz_steps).sum();
    // The global pool starts its worker threads at its first use: now.
    let total: u64 = range.clone().into_par_iter().map(collatz_steps).sum();
    ensure!(total == expected, "rayon computed {total}, expected {expected}");
    println!(
        "parent: rayon's global pool, {} threads, computed {total}",
        rayon::current_num_threads()
    );

    // Steps 1 to 3: the child uses the global pool too: it queues the job for
    // threads that are not in this process, and waits for ever. With the pool's
    // threads running, Rust allows this fork only in `unsafe`.
    let in_child = range.clone();
    let use_global_pool = move || {
        let total: u64 = in_child.into_par_iter().map(collatz_steps).sum();
        i32::from(total != expected)
    };
    // SAFETY: needed as the pool's threads run. The child reads nothing they
    // may have left half-written: it allocates (glibc's and macOS's fork reset
    // malloc's locks in the child: posix/fork.c, Libsystem's init.c; holds for
    // those only), pushes the job at the queue's tail, which only this thread
    // writes here, and may lock a sleeping worker's `Mutex` (rayon-core 1.13,
    // src/sleep/mod.rs), which that worker may have held at the fork: then it
    // blocks there for ever. Blocked either way, it is killed at step 4.
    let mut child = unsafe {
        allow_fork_with_threads(|| fork_child_with_code(use_global_pool))
    }?;
    // Step 4: join, with a deadline.
    match child.join_or_kill(DEADLINE)? {
        Waited::Killed(status) => {
            println!(
                "child: still waiting for rayon's threads after \
                 {DEADLINE:?}; {}",
                describe(status)
            );
            println!(
                "child: hung: its pool's worker threads were not copied by fork"
            );
        }
        Waited::Ended(status) => {
            bail!("the child was expected to hang, but it {}", describe(status))
        }
    }
    // ANCHOR_END: hang

    // ANCHOR: fresh_pool
    // What works in a forked child: a pool of its own, whose threads start in
    // the child. (Or: fork before the first use of rayon, or spawn a fresh
    // program instead of forking.)
    let own_pool = move || -> anyhow::Result<()> {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build()?;
        let total: u64 =
            pool.install(|| range.into_par_iter().map(collatz_steps).sum());
        ensure!(total == expected, "the child's pool computed {total}");
        println!(
            "child: a pool built in the child, 2 threads, computed {total}"
        );
        Ok(())
    };
    // SAFETY: needed as the global pool's threads run. The child never touches
    // that pool; it allocates, starts threads and prints (the pool's threads
    // never do). glibc's fork resets malloc's locks and the list of thread
    // stacks in the child (posix/fork.c, reclaim_stacks), macOS's those of
    // malloc and pthreads (Libsystem's init.c, libSystem_atfork_child). Holds
    // for glibc and macOS only.
    let mut child =
        unsafe { allow_fork_with_threads(|| fork_child_fallible(own_pool)) }?;
    check_waited("the child with its own pool", child.join_or_kill(DEADLINE)?)?;
    Ok(())
    // ANCHOR_END: fresh_pool
}

fn collatz_steps(mut n: u64) -> u64 {
    let mut steps = 0;
    while n > 1 {
        n = if n.is_multiple_of(2) { n / 2 } else { 3 * n + 1 };
        steps += 1;
    }
    steps
}
