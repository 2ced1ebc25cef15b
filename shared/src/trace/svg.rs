//! The SVG timeline of a trace (the `plot` feature): one lane per thread or process, top to
//! bottom in the order they first worked; a bar per slice, coloured by the CPU it started on
//! (grey where the platform cannot say); a red tick per mark; the time axis in ms.

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::anyhow;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::Timeline;

/// One colour per CPU number (repeating after eight), and grey for "cannot say".
const CPU_COLOURS: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(188, 189, 34),
];
const UNKNOWN_CPU: RGBColor = RGBColor(150, 150, 150);

fn colour(cpu: Option<usize>) -> RGBColor {
    cpu.map_or(UNKNOWN_CPU, |cpu| CPU_COLOURS[cpu % CPU_COLOURS.len()])
}

fn plot_error(error: impl std::fmt::Display) -> anyhow::Error {
    anyhow!("drawing the timeline: {error}")
}

/// Writes the timeline of `timeline` as an SVG file at `path`.
pub fn timeline(path: &Path, timeline: &Timeline) -> anyhow::Result<()> {
    let lanes = timeline.lanes();
    if lanes.is_empty() {
        return Err(anyhow!("nothing was recorded, so there is no timeline to draw"));
    }
    // A process with one lane called `main` (a child) is shown by its name alone.
    let one_lane = |pid: u32| lanes.iter().filter(|(p, _)| *p == pid).count() == 1;
    let several_processes = lanes.iter().any(|(pid, _)| *pid != lanes[0].0);
    let names: Vec<String> = lanes
        .iter()
        .map(|(pid, lane)| match (several_processes, one_lane(*pid) && lane == "main") {
            (false, _) => lane.clone(),
            (true, true) => timeline.process_name(*pid),
            (true, false) => format!("{}: {lane}", timeline.process_name(*pid)),
        })
        .collect();
    // Lane `i` is drawn in row `n - 1 - i`: the first lane on top.
    let row_of = |index: usize| lanes.len() - 1 - index;
    let ms = |ns: u64| (ns as f64 - timeline.origin_ns as f64) / 1e6;
    let start = timeline.slices.iter().map(|slice| ms(slice.start_ns)).fold(f64::INFINITY, f64::min).min(0.0);
    let last = timeline.slices.iter().map(|slice| ms(slice.end_ns)).fold(0.0, f64::max).max(start + 0.001);
    let end = last + (last - start) * 0.02;
    let label_width = names.iter().map(|name| name.chars().count()).max().unwrap_or(8) as u32 * 7 + 10;
    let size = (960, 150 + 24 * lanes.len() as u32);
    let root = SVGBackend::new(path, size).into_drawing_area();
    root.fill(&WHITE).map_err(plot_error)?;
    let (legend, body) = root.split_vertically(26);
    let cpus: BTreeSet<Option<usize>> = timeline.slices.iter().map(|slice| slice.cpu).collect();
    let title = "Who ran when: one lane per thread or process, colour = CPU";
    let mut chart = ChartBuilder::on(&body)
        .caption(title, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(label_width.min(420))
        .build_cartesian_2d(start..end, (0..lanes.len().saturating_sub(1)).into_segmented())
        .map_err(plot_error)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .x_desc("time since the trace started, ms")
        .y_labels(lanes.len())
        .y_label_formatter(&|segment| match segment {
            SegmentValue::CenterOf(row) if *row < lanes.len() => names[row_of(*row)].clone(),
            _ => String::new(),
        })
        .draw()
        .map_err(plot_error)?;
    let row =
        |pid: u32, lane: &str| row_of(lanes.iter().position(|(p, l)| *p == pid && l == lane).unwrap_or(0));
    chart
        .draw_series(timeline.slices.iter().map(|slice| {
            let index = row(slice.pid, &slice.lane);
            let (from, to) = (ms(slice.start_ns), ms(slice.end_ns));
            let mut bar = Rectangle::new(
                [(from, SegmentValue::Exact(index)), (to, SegmentValue::Exact(index + 1))],
                colour(slice.cpu).filled(),
            );
            bar.set_margin(4, 4, 0, 0);
            bar
        }))
        .map_err(plot_error)?;
    let mark_style = ("sans-serif", 12).into_text_style(&root).color(&RED);
    for mark in &timeline.marks {
        let Some(index) = lanes.iter().position(|(pid, _)| *pid == mark.pid).map(row_of) else { continue };
        let at = ms(mark.at_ns);
        let tick = PathElement::new(
            vec![(at, SegmentValue::Exact(index)), (at, SegmentValue::Exact(index + 1))],
            RED.stroke_width(3),
        );
        chart.draw_series(std::iter::once(tick)).map_err(plot_error)?;
        // The label on the side with more room.
        let (side, label) = if at > (start + end) / 2.0 {
            (HPos::Right, format!("{} ", mark.label))
        } else {
            (HPos::Left, format!(" {}", mark.label))
        };
        let style = mark_style.pos(Pos::new(side, VPos::Center));
        let text = Text::new(label, (at, SegmentValue::CenterOf(index)), style);
        chart.draw_series(std::iter::once(text)).map_err(plot_error)?;
    }
    // The legend, above the chart: a square per CPU seen.
    let legend_style = ("sans-serif", 13).into_text_style(&root).pos(Pos::new(HPos::Left, VPos::Center));
    let mut x = 20;
    for cpu in &cpus {
        let name = cpu.map_or("CPU unknown".to_owned(), |cpu| format!("CPU {cpu}"));
        legend.draw(&Rectangle::new([(x, 8), (x + 12, 20)], colour(*cpu).filled())).map_err(plot_error)?;
        legend.draw(&Text::new(name, (x + 16, 14), legend_style.clone())).map_err(plot_error)?;
        x += 90;
    }
    if !timeline.marks.is_empty() {
        legend.draw(&Rectangle::new([(x, 6), (x + 3, 22)], RED.filled())).map_err(plot_error)?;
        legend
            .draw(&Text::new("an event (a crash)", (x + 8, 14), legend_style.clone()))
            .map_err(plot_error)?;
    }
    root.present().map_err(plot_error)?;
    Ok(())
}
