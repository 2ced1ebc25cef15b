//! The thread plots of `measure --plot DIR` (drawn with the `plot` feature).

use std::path::Path;

use shared::measure::Machine;
use shared::measure::plot::{LineChart, Series, write_line_chart};

use super::Report;

/// Writes `threads-stack-curve.svg`, `threads-speedup.svg` and
/// `threads-io-speedup.svg`.
pub fn write(dir: &Path, report: &Report, machine: &Machine) -> anyhow::Result<()> {
    let stack = |way: fn(&super::spawn::StackPoint) -> shared::measure::Summary| {
        let points = report
            .stack_curve
            .iter()
            .map(|point| (point.stack_kib as f64, way(point)));
        points.collect::<Vec<_>>()
    };
    let stack_chart = LineChart {
        title: "Thread spawn+join against requested stack size: f(M)".into(),
        x_label: "requested stack size, KiB (log scale)".into(),
        y_label: "spawn+join, µs".into(),
        log_x: true,
        series: vec![
            Series::summarised(
                "new stack mapped each time: median, 10th–90th percentile",
                &stack(|point| point.mapped_us),
            ),
            Series::summarised(
                "back to back, stack from glibc's cache",
                &stack(|point| point.cached_us),
            ),
        ],
    };
    write_line_chart(dir, "threads-stack-curve.svg", &stack_chart)?;

    let title = format!("CPU-bound speedup, {} CPUs", machine.cpus);
    let speedup_chart =
        report.speedup.chart(title, "workers", &[1, 0, 2], machine.cpus);
    write_line_chart(dir, "threads-speedup.svg", &speedup_chart)?;

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
    write_line_chart(dir, "threads-io-speedup.svg", &io_chart)
}
