//! The process plots of `measure --plot DIR` (the `plot` feature).

use std::path::Path;

use shared::measure::plot::{
    Bar, LineChart, Series, bar_chart, create_dir, line_chart,
};

use super::Report;

/// Writes `processes-fork-spawn.svg`, `processes-speedup.svg` and
/// `processes-handoff.svg`.
pub fn write(dir: &Path, report: &Report) -> anyhow::Result<()> {
    create_dir(dir)?;

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
    save_line(dir, "processes-fork-spawn.svg", &curve_chart)?;

    let rows = &report.speedup.rows;
    let cpus = report.machine.cpus as f64;
    let speedup_chart = LineChart {
        title: format!(
            "CPU-bound speedup over forked processes, {} CPUs",
            report.machine.cpus
        ),
        x_label: "worker processes".into(),
        y_label: "speedup over sequential".into(),
        log_x: false,
        series: vec![
            Series::measured(
                "processes, interleaved parts",
                rows.iter()
                    .map(|row| (row.workers as f64, row.interleaved))
                    .collect(),
                vec![],
            ),
            Series::measured(
                "processes, contiguous parts",
                rows.iter().map(|row| (row.workers as f64, row.contiguous)).collect(),
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
    save_line(dir, "processes-speedup.svg", &speedup_chart)?;

    let mut bars = Vec::new();
    for row in &report.handoff.rows {
        bars.push(Bar::of(row.method, &row.mib_per_s));
        bars.push(Bar::of(
            &format!("{} baseline", row.method),
            &row.baseline_mib_per_s,
        ));
    }
    let path = dir.join("processes-handoff.svg");
    bar_chart(
        &path,
        &format!(
            "Handing a {} MiB buffer to a worker, beside each one's baseline",
            report.handoff.buffer_mib
        ),
        "MiB/s, median; whisker: 10th–90th percentile",
        &bars,
    )?;
    eprintln!("measure: wrote {}", path.display());
    Ok(())
}

fn save_line(dir: &Path, name: &str, chart: &LineChart) -> anyhow::Result<()> {
    let path = dir.join(name);
    line_chart(&path, chart)?;
    eprintln!("measure: wrote {}", path.display());
    Ok(())
}
