//! The process plots of `measure --plot DIR` (drawn with the `plot` feature).

use std::path::Path;

use shared::measure::Machine;
use shared::measure::plot::{
    Bar, LineChart, Series, write_bar_chart, write_line_chart,
};

use super::Report;

/// Writes `processes-fork-spawn.svg`, `processes-speedup.svg` and
/// `processes-handoff.svg`.
pub fn write(dir: &Path, report: &Report, machine: &Machine) -> anyhow::Result<()> {
    let points = &report.curves.points;
    let fit = report.curves.fork_fit;
    let ms = |us: f64| us / 1000.0;
    let curve_chart = LineChart {
        title: "Start+wait of a child against the parent's memory: g(S)".into(),
        x_label: "parent resident memory, MiB".into(),
        y_label: "start + wait, ms".into(),
        log_x: false,
        series: vec![
            Series::summarised(
                "fork + wait: median, 10th–90th percentile",
                &points
                    .iter()
                    .map(|point| (point.rss_mib, point.fork_wait_us.map(ms)))
                    .collect::<Vec<_>>(),
            ),
            Series::summarised(
                "spawn /bin/true + wait",
                &points
                    .iter()
                    .map(|point| (point.rss_mib, point.spawn_wait_us.map(ms)))
                    .collect::<Vec<_>>(),
            ),
            Series::reference(
                &format!("fit: {:.2} ms per GiB, R² {:.3}", fit.slope, fit.r2),
                points
                    .iter()
                    .map(|point| {
                        (
                            point.rss_mib,
                            fit.intercept + fit.slope * point.rss_mib / 1024.0,
                        )
                    })
                    .collect(),
            ),
        ],
    };
    write_line_chart(dir, "processes-fork-spawn.svg", &curve_chart)?;

    let title =
        format!("CPU-bound speedup over forked processes, {} CPUs", machine.cpus);
    let speedup_chart =
        report.speedup.chart(title, "worker processes", &[1, 0], machine.cpus);
    write_line_chart(dir, "processes-speedup.svg", &speedup_chart)?;

    let mut bars = Vec::new();
    for row in &report.handoff.rows {
        bars.push(Bar::of(row.method, &row.mib_per_s));
        bars.push(Bar::of(
            &format!("{} baseline", row.method),
            &row.baseline_mib_per_s,
        ));
    }
    let title = format!(
        "Handing a {} MiB buffer to a worker, beside each one's baseline",
        report.handoff.buffer_mib
    );
    let y_label = "MiB/s, median; whisker: 10th–90th percentile";
    write_bar_chart(dir, "processes-handoff.svg", &title, y_label, &bars)
}
