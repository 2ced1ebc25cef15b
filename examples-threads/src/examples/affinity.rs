//! Where a process's threads may run: the CPUs its affinity mask allows, its
//! cgroup's CPU quota, and what `available_parallelism()` makes of both; then
//! `parallel-proof`'s two threads pinned to one CPU, where they can only take
//! turns.

use std::collections::BTreeSet;
use std::{fs, sync::Barrier, thread, time::Instant};

use crate::examples::parallel_proof::{ROUND, Stretch, overlap, record};
use shared::join_scoped;
use shared::sys::{allowed_cpus, pin_this_thread_to};

/// Reports what limits this process's CPUs, then runs two threads unpinned and
/// pinned to one CPU.
pub fn run() -> anyhow::Result<()> {
    // ANCHOR: limits
    let parallelism = thread::available_parallelism()?;
    println!("available_parallelism(): {parallelism}");
    let cpus = match allowed_cpus() {
        Ok(cpus) => cpus,
        Err(why) => {
            println!("affinity: not on this platform: {why}");
            return Ok(());
        }
    };
    println!("affinity mask: CPUs {cpus:?}");
    println!("cgroup CPU quota: {}", cgroup_quota());
    // ANCHOR_END: limits
    two_threads("unpinned")?;
    // ANCHOR: pin
    // Pin this thread; the threads it spawns from now on inherit the pinning.
    pin_this_thread_to(cpus[0])?;
    two_threads(&format!("pinned to CPU {}", cpus[0]))
    // ANCHOR_END: pin
}

/// `parallel-proof`'s round: two threads sample for `ROUND`; prints where each
/// ran and how long both ran at once, on different CPUs.
fn two_threads(label: &str) -> anyhow::Result<()> {
    let (start_line, start) = (Barrier::new(2), Instant::now());
    let sample = || record(start, &start_line);
    // Steps 1 to 3: create, set the target and start, in one call per thread.
    let (a, b) = thread::scope(|scope| {
        let (a, b) = (scope.spawn(sample), scope.spawn(sample));
        // Step 4: join both.
        anyhow::Ok((join_scoped(a)?, join_scoped(b)?))
    })?;
    let cpus_used = |stretches: &[Stretch]| {
        stretches.iter().filter_map(|s| s.cpu).collect::<BTreeSet<_>>()
    };
    println!(
        "{label}: A ran on CPUs {:?}, B on CPUs {:?}; both at once \
         for {:.1} ms of {} ms",
        cpus_used(&a),
        cpus_used(&b),
        overlap(&a, &b).as_secs_f64() * 1e3,
        ROUND.as_millis()
    );
    Ok(())
}

// ANCHOR: quota
/// The CPU quota of this process's cgroup, as its files say: cgroup v2's
/// `cpu.max` (`max 100000`: none; `150000 100000`: 1.5 CPUs' worth), or v1's
/// `cpu.cfs_quota_us` (-1: none) over `cpu.cfs_period_us`.
fn cgroup_quota() -> String {
    let read =
        |path: String| Some(fs::read_to_string(path).ok()?.trim().to_owned());
    let groups = fs::read_to_string("/proc/self/cgroup").unwrap_or_default();
    for line in groups.lines() {
        // `0::/path` (v2), or `4:cpu,cpuacct:/path` (v1).
        let mut fields = line.splitn(3, ':').skip(1);
        let (Some(controllers), Some(path)) = (fields.next(), fields.next())
        else {
            continue;
        };
        let path = path.trim_end_matches('/');
        if controllers.is_empty()
            && let Some(max) = read(format!("/sys/fs/cgroup{path}/cpu.max"))
        {
            return format!("cgroup v2, cpu.max = {max}");
        }
        let v1 = format!("/sys/fs/cgroup/cpu{path}/cpu.cfs_");
        if controllers.split(',').any(|name| name == "cpu")
            && let (Some(quota), Some(period)) =
                (read(format!("{v1}quota_us")), read(format!("{v1}period_us")))
        {
            return format!(
                "cgroup v1, cpu.cfs_quota_us = {quota} per {period}"
            );
        }
    }
    "none found (no cpu.max or cpu.cfs_quota_us for this process)".to_owned()
}
// ANCHOR_END: quota
