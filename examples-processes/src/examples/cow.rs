//! Copy-on-write: a forked child shares its parent's pages until one writes.

use std::time::Duration;

use anyhow::ensure;

use crate::sys::{self, check_waited, fork_child_fallible};

const BUFFER_MIB: usize = 64;

pub fn run() -> anyhow::Result<()> {
    // Not zeros: every page is written now, so it exists before the fork.
    let mut buffer = vec![1u8; BUFFER_MIB << 20];

    // Steps 1 to 3: `fork_child` creates, sets the target, starts.
    let mut child = fork_child_fallible(|| -> anyhow::Result<()> {
        let before = sys::private_dirty_kib()?;
        buffer.fill(2);
        let after = sys::private_dirty_kib()?;
        let memory = sys::PRIVATE_MEMORY;
        println!(
            "child: {memory} {before} KiB before writing, {after} KiB after"
        );
        let copied_mib = after.saturating_sub(before) >> 10;
        println!(
            "child: writing {BUFFER_MIB} MiB copied {copied_mib} MiB; \
             my buffer now holds 2s"
        );
        ensure!(copied_mib + 1 >= BUFFER_MIB as u64, "too little copied");
        Ok(())
    })?;

    // Step 4: join. Then look at the parent's copy.
    check_waited("the child", child.join_or_kill(Duration::from_secs(10))?)?;
    let unchanged = buffer.iter().all(|&byte| byte == 1);
    println!("parent: my buffer still holds 1s: {unchanged}");
    ensure!(unchanged, "the child's write reached the parent");
    println!(
        "parent's copy unchanged: the child's writes went to its own \
         copies of the pages"
    );
    Ok(())
}
