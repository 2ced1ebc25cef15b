//! The thread plots of `measure --plot DIR` (the `plot` feature).

use std::path::Path;

use shared::measure::plot::{LineChart, Series, create_dir, line_chart};

use super::Report;

/// Writes `threads-stack-curve.svg`, `threads-speedup.svg` and
/// `threads-io-speedup.svg`.
pub fn write(dir: &Path, report: &Report) -> anyhow::Result<()> {
    create_dir(dir)?;

    let stack = &report.stack_curve;
    let stack_chart = LineChart {
        title: "Thread spawn+join against requested stack size: f(M)".into(),
        x_label: "requested stack size, KiB (log scale)".into(),
        y_label: "spawn+join, µs".into(),
        log_x: true,
        series: vec![
            Series::summarised(
                "new stack mapped each time: median, 10th–90th percentile",
                &stack
                    .iter()
                    .map(|point| (point.stack_kib as f64, point.mapped_us))
                    .collect::<Vec<_>>(),
            ),
            Series::summarised(
                "back to back, stack from glibc's cache",
                &stack
                    .iter()
                    .map(|point| (point.stack_kib as f64, point.cached_us))
                    .collect::<Vec<_>>(),
            ),
        ],
    };
    save(dir, "threads-stack-curve.svg", &stack_chart)?;

    let rows = &report.speedup.rows;
    let cpus = report.machine.cpus as f64;
    let speedup_chart = LineChart {
        title: format!("CPU-bound speedup, {} CPUs", report.machine.cpus),
        x_label: "workers".into(),
        y_label: "speedup over sequential".into(),
        log_x: false,
        series: vec![
            Series::measured(
                "std::thread, interleaved parts",
                rows.iter()
                    .map(|row| (row.workers as f64, row.threads_interleaved))
                    .collect(),
                vec![],
            ),
            Series::measured(
                "std::thread, contiguous parts",
                rows.iter()
                    .map(|row| (row.workers as f64, row.threads_contiguous))
                    .collect(),
                vec![],
            ),
            Series::measured(
                "rayon",
                rows.iter().map(|row| (row.workers as f64, row.rayon)).collect(),
                vec![],
            ),
            Series::reference(
                "ideal: min(workers, CPUs)",
                rows.iter()
                    .map(|row| (row.workers as f64, (row.workers as f64).min(cpus)))
                    .collect(),
            ),
        ],
    };
    save(dir, "threads-speedup.svg", &speedup_chart)?;

    let io = &report.io_speedup.rows;
    let io_chart = LineChart {
        title: "Waiting-bound speedup (sleeps)".into(),
        x_label: "threads (log scale)".into(),
        y_label: "speedup over sequential".into(),
        log_x: true,
        series: vec![
            Series::measured(
                "threads",
                io.iter().map(|row| (row.workers as f64, row.speedup)).collect(),
                vec![],
            ),
            Series::reference(
                "ideal: threads",
                io.iter()
                    .map(|row| (row.workers as f64, row.workers as f64))
                    .collect(),
            ),
        ],
    };
    save(dir, "threads-io-speedup.svg", &io_chart)
}

fn save(dir: &Path, name: &str, chart: &LineChart) -> anyhow::Result<()> {
    let path = dir.join(name);
    line_chart(&path, chart)?;
    eprintln!("measure: wrote {}", path.display());
    Ok(())
}
