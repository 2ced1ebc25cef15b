//! What limits the CPUs a process may use: its affinity mask and its cgroup's
//! CPU quota; and what `available_parallelism()` makes of both.

use std::{fs, thread};

pub fn main() -> anyhow::Result<()> {
    let parallelism = thread::available_parallelism()?;
    println!("available_parallelism(): {parallelism}");
    let Some(cpus) = core_affinity::get_core_ids() else {
        println!("affinity: not on this platform");
        return Ok(());
    };
    let cpus: Vec<usize> = cpus.iter().map(|cpu| cpu.id).collect();
    println!("affinity mask: CPUs {cpus:?}");
    println!("cgroup CPU quota: {}", cgroup_quota());
    Ok(())
}

fn cgroup_quota() -> String {
    // Wine would read the Linux host's files here: the answer is the OS's.
    if cfg!(not(target_os = "linux")) {
        return "none found (cgroups are Linux's)".to_owned();
    }
    let read =
        |path: &str| Some(fs::read_to_string(path).ok()?.trim().to_owned());
    let groups = read("/proc/self/cgroup").unwrap_or_default();
    for line in groups.lines() {
        // `0::/path` (v2), or `4:cpu,cpuacct:/path` (v1).
        let [_, controllers, path] =
            line.splitn(3, ':').collect::<Vec<_>>()[..]
        else {
            continue;
        };
        let path = path.trim_end_matches('/');
        if controllers.is_empty()
            && let Some(max) = read(&format!("/sys/fs/cgroup{path}/cpu.max"))
        {
            return format!("cgroup v2, cpu.max = {max}");
        }
        let v1 = |file: &str| read(&format!("/sys/fs/cgroup/cpu{path}/{file}"));
        if controllers.split(',').any(|name| name == "cpu")
            && let (Some(quota), Some(period)) =
                (v1("cpu.cfs_quota_us"), v1("cpu.cfs_period_us"))
        {
            return format!(
                "cgroup v1, cpu.cfs_quota_us = {quota} per {period}"
            );
        }
    }
    "none found (no cpu.max or cpu.cfs_quota_us for this process)".to_owned()
}
