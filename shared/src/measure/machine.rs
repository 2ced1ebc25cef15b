//! What the figures were measured on, memory figures from `/proc`, and the date of the run.

use anyhow::Context;
use serde_json::{Value, json};

/// What the figures were measured on: they mean little without it.
#[derive(Clone, Debug, PartialEq)]
pub struct Machine {
    /// The CPU model, from `/proc/cpuinfo`.
    pub cpu: String,
    /// The logical CPUs this process may run on.
    pub cpus: usize,
    /// Total memory, GiB.
    pub memory_gib: f64,
    /// The kernel, from `/proc/sys/kernel`.
    pub kernel: String,
    /// The transparent huge pages setting (`always`, `madvise`, `never`): with `always`, a
    /// large heap is mapped with 2 MiB pages and fork copies far fewer page-table entries.
    pub thp: String,
}

impl Machine {
    /// Reads the description of this machine; what cannot be read is `unknown`.
    pub fn detect() -> Machine {
        let read = |path: &str| std::fs::read_to_string(path).unwrap_or_default();
        let cpuinfo = read("/proc/cpuinfo");
        let cpu = cpuinfo
            .lines()
            .find_map(|line| line.strip_prefix("model name")?.split_once(':').map(|(_, name)| name.trim()))
            .unwrap_or("unknown CPU")
            .to_owned();
        let cpus = std::thread::available_parallelism().map_or(1, |count| count.get());
        let memory_gib =
            read_kib_field("/proc/meminfo", "MemTotal").map_or(0.0, |kib| kib as f64 / 1048576.0);
        let kernel = format!(
            "{} {}",
            read("/proc/sys/kernel/ostype").trim(),
            read("/proc/sys/kernel/osrelease").trim()
        );
        let thp_setting = read("/sys/kernel/mm/transparent_hugepage/enabled");
        let thp = thp_setting
            .split_whitespace()
            .find_map(|word| word.strip_prefix('[')?.strip_suffix(']'))
            .unwrap_or("unknown")
            .to_owned();
        Machine { cpu, cpus, memory_gib, kernel: kernel.trim().to_owned(), thp }
    }

    /// `AMD EPYC, 2 CPUs, 23.5 GiB, Linux 6.1.0, transparent huge pages: madvise`.
    pub fn line(&self) -> String {
        format!(
            "{}, {} CPUs, {:.1} GiB, {}, transparent huge pages: {}",
            self.cpu, self.cpus, self.memory_gib, self.kernel, self.thp
        )
    }

    /// The machine as a JSON object, its line first.
    pub fn to_json(&self) -> Value {
        json!({ "line": self.line(), "cpu": self.cpu.as_str(), "cpus": self.cpus, "memory_gib": self.memory_gib, "kernel": self.kernel.as_str(), "transparent_huge_pages": self.thp.as_str() })
    }
}

/// A `Name:   1234 kB` field of a `/proc` file (`/proc/self/status`'s `VmRSS`,
/// `/proc/PID/smaps_rollup`'s `Pss`), in KiB.
pub fn read_kib_field(path: &str, field: &str) -> anyhow::Result<u64> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {path}"))?;
    let prefix = format!("{field}:");
    let line = text
        .lines()
        .find(|line| line.starts_with(&prefix))
        .with_context(|| format!("no field '{field}' in {path}"))?;
    let value = line[prefix.len()..].trim().trim_end_matches("kB").trim();
    value.parse().with_context(|| format!("field '{field}' of {path} is not a number of kB: {line}"))
}

/// This process's resident memory (all its threads), KiB.
pub fn rss_kib() -> anyhow::Result<u64> {
    read_kib_field("/proc/self/status", "VmRSS")
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
    fn reads_proc_fields() {
        assert!(rss_kib().unwrap() > 0);
        assert!(read_kib_field("/proc/self/status", "NoSuchField").is_err());
    }
}
