//! What the figures were measured on, resident memory and the run's date; [`crate::sys`] reads
//! them: `/proc` on Linux, `sysctl`, `proc_pidinfo` on macOS, kernel32, the registry on Windows.

use serde::Serialize;
use serde_json::{Value, json};

pub use crate::outcomes::cpus;
use crate::sys;

/// What the figures were measured on: they mean little without it.
#[derive(Clone, Debug, PartialEq)]
pub struct Machine {
    /// The CPU model (`unknown CPU` where it cannot be read).
    pub cpu: String,
    /// The logical CPUs this process may run on.
    pub cpus: usize,
    /// Total memory, GiB, or why it could not be read.
    pub memory_gib: Result<f64, String>,
    /// The system and its version: `Linux 6.1.0`, `Darwin 23.2.0 (macOS 14.2.1)`, `Windows (build 22631)`.
    pub kernel: String,
    /// Transparent huge pages (Linux: `always`, `madvise`, `never`), or why there are none: with
    /// `always`, a large heap is mapped with 2 MiB pages and fork copies far fewer page-table entries.
    pub thp: Result<String, String>,
    /// The load average over the minute before the run (Linux only): a busy machine must say so.
    pub load_average: Option<f64>,
}

impl Machine {
    /// Reads this machine's description; each field says what it holds where it cannot be read.
    pub fn detect() -> Machine {
        Machine {
            cpu: sys::cpu_model().unwrap_or_else(|| "unknown CPU".to_owned()),
            cpus: cpus(),
            memory_gib: sys::memory_bytes()
                .map(|bytes| bytes as f64 / (1u64 << 30) as f64)
                .ok_or_else(|| "total memory could not be read".to_owned()),
            kernel: sys::kernel().unwrap_or_else(|| std::env::consts::OS.to_owned()),
            thp: sys::transparent_huge_pages(),
            load_average: sys::load_average(),
        }
    }

    /// `AMD EPYC, 2 CPUs, 23.5 GiB, Linux 6.1.0, transparent huge pages: madvise`, without what
    /// could not be read; on a busy machine (load above the CPU count) `, load average 17.3 at the start`.
    pub fn line(&self) -> String {
        let mut parts = vec![self.cpu.clone(), format!("{} CPUs", self.cpus)];
        parts.extend(self.memory_gib.as_ref().map(|gib| format!("{gib:.1} GiB")));
        parts.push(self.kernel.clone());
        parts.extend(self.thp.as_ref().map(|thp| format!("transparent huge pages: {thp}")));
        let busy = self.load_average.filter(|&load| load > self.cpus as f64);
        parts.extend(busy.map(|load| format!("load average {load:.1} at the start")));
        parts.join(", ")
    }

    /// The machine as a JSON object, its line first (see [`figure_or_skipped`]).
    pub fn to_json(&self) -> Value {
        json!({
            "line": self.line(),
            "cpu": self.cpu.as_str(),
            "cpus": self.cpus,
            "memory_gib": figure_or_skipped(&self.memory_gib),
            "kernel": self.kernel.as_str(),
            "transparent_huge_pages": figure_or_skipped(&self.thp),
        })
    }
}

/// `{"skipped": reason}`: how `--json` shows a figure this platform (or this run) cannot give.
pub fn skipped(reason: &str) -> Value {
    json!({ "skipped": reason })
}

/// The figure, or `{"skipped": reason}`.
pub fn figure_or_skipped<T: Serialize>(figure: &Result<T, String>) -> Value {
    figure.as_ref().map_or_else(|reason| skipped(reason), |value| json!(value))
}

/// Process `pid`'s (`self`: this one) proportional set size (`Pss`, `/proc/PID/smaps_rollup`)
/// and page tables (`VmPTE`, `/proc/PID/status`), KiB; `Err` off Linux, saying so.
pub fn pss_and_page_tables_kib(pid: &str) -> Result<(u64, u64), String> {
    if !cfg!(target_os = "linux") {
        return Err("PSS and VmPTE are read from /proc: Linux only".to_owned());
    }
    let pss = sys::read_proc_kib_field(&format!("/proc/{pid}/smaps_rollup"), "Pss")?;
    Ok((pss, sys::read_proc_kib_field(&format!("/proc/{pid}/status"), "VmPTE")?))
}

/// This process's resident memory (all its threads), KiB, as [`sys::RESIDENT_MEMORY_SOURCE`] says.
pub fn rss_kib() -> anyhow::Result<u64> {
    sys::resident_kib().map_err(anyhow::Error::msg)
}

/// The current UTC time to the second, `2026-11-25T12:58:53Z` (RFC 3339).
pub fn utc_now() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_is_iso_8601() {
        let now = utc_now();
        assert_eq!(now.len(), "2026-11-25T12:58:53Z".len(), "{now}");
        assert!(now.starts_with("20") && now.ends_with('Z'), "{now}");
    }

    #[test]
    fn reads_resident_memory_where_the_platform_has_a_reader() {
        match sys::RESIDENT_MEMORY_SOURCE {
            Ok(_) => assert!(rss_kib().unwrap() > 0),
            Err(reason) => eprintln!("skipped: {reason}"),
        }
        if cfg!(target_os = "linux") {
            assert!(sys::read_proc_kib_field("/proc/self/status", "VmRSS").unwrap() > 0);
            assert!(sys::read_proc_kib_field("/proc/self/status", "NoSuchField").is_err());
        }
    }

    #[test]
    fn the_line_leaves_out_what_cannot_be_read_and_says_when_the_machine_is_busy() {
        let machine = Machine { thp: Err("a Linux feature".to_owned()), ..Machine::detect() };
        assert_eq!(machine.to_json()["transparent_huge_pages"], json!({ "skipped": "a Linux feature" }));
        assert!(!machine.line().contains("huge pages"), "{}", machine.line());
        let idle = Machine { cpus: 2, load_average: Some(1.5), ..Machine::detect() };
        assert!(!idle.line().contains("load average"), "{}", idle.line());
        let busy = Machine { cpus: 2, load_average: Some(17.31), ..Machine::detect() };
        assert!(busy.line().ends_with(", load average 17.3 at the start"), "{}", busy.line());
    }
}
