//! rayon's global pool, used in a parent, then in a forked child: the child
//! hangs, as fork copied none of the pool's threads.

use std::time::Duration;

use anyhow::{bail, ensure};
use rayon::prelude::*;

use crate::sys::{Waited, allow_fork_with_threads, check_waited, describe};
use crate::sys::{fork_child, fork_child_fallible};

const DEADLINE: Duration = Duration::from_secs(2);

// ANCHOR: hang
pub fn run() -> anyhow::Result<()> {
    let range = 1..100_001_u64;
    let expected: u64 = range.clone().sum();
    // The global pool starts its worker threads at its first use: now.
    let total: u64 = range.clone().into_par_iter().sum();
    assert_eq!(total, expected, "rayon's sum");
    let threads = rayon::current_num_threads();
    println!(
        "parent: rayon's global pool, {threads} threads, computed {total}"
    );

    // Steps 1 to 3: the child queues its job for threads it does not have.
    let in_child = range.clone();
    let use_global_pool = move || {
        let _never_computed: u64 = in_child.into_par_iter().sum();
    };
    // SAFETY: the child allocates (glibc's and macOS's fork reset malloc's
    // locks; holds for those two only), pushes its job at the queue's tail,
    // which only this thread writes, and may block on a lock a pool thread
    // held at the fork. It hangs either way, and is killed at step 4.
    let mut child =
        unsafe { allow_fork_with_threads(|| fork_child(use_global_pool)) }?;
    // Step 4: join, with a deadline.
    let waited = child.join_or_kill(DEADLINE)?;
    let Waited::Killed(status) = waited else {
        bail!("the child did not hang: it {}", describe(waited.status()));
    };
    let ending = describe(status);
    println!(
        "child: still waiting for rayon's threads after {DEADLINE:?}; {ending}"
    );
    println!("child: hung: its pool's worker threads were not copied by fork");
    // ANCHOR_END: hang

    // ANCHOR: fresh_pool
    let own_pool = move || -> anyhow::Result<()> {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build()?;
        let total: u64 = pool.install(|| range.into_par_iter().sum());
        ensure!(total == expected, "the child's pool computed {total}");
        println!(
            "child: a pool built in the child, 2 threads, computed {total}"
        );
        Ok(())
    };
    // SAFETY: the child never touches the global pool; it allocates, starts
    // threads and prints, which glibc's and macOS's fork make safe.
    let mut child =
        unsafe { allow_fork_with_threads(|| fork_child_fallible(own_pool)) }?;
    check_waited("the child with its own pool", child.join_or_kill(DEADLINE)?)?;
    Ok(())
    // ANCHOR_END: fresh_pool
}
