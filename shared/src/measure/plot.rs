//! SVG plots for `measure --plot DIR`, drawn with plotters (the `plot` feature, off by default
//! so the default build stays fast). Only the drawing needs the feature, not the descriptions.
#![cfg_attr(not(feature = "plot"), allow(dead_code))]

use std::path::Path;

use super::Summary;

/// Writes `chart` as the SVG file `DIR/NAME`, and says so on stderr.
pub fn write_line_chart(dir: &Path, name: &str, chart: &LineChart) -> anyhow::Result<()> {
    draw::chart(&dir.join(name), chart, &[])
}

/// Writes a bar chart (one bar per label, its median printed above it) as `DIR/NAME`.
pub fn write_bar_chart(
    dir: &Path,
    name: &str,
    title: &str,
    y_label: &str,
    bars: &[Bar],
) -> anyhow::Result<()> {
    let chart = LineChart { title: title.into(), y_label: y_label.into(), ..LineChart::default() };
    draw::chart(&dir.join(name), &chart, bars)
}

/// One line of a chart: `(x, median)` points joined by a line, each with its 10th–90th
/// percentile band `(x, p10, p90)` as a whisker (none for a reference line).
pub struct Series {
    name: String,
    points: Vec<(f64, f64)>,
    ranges: Vec<(f64, f64, f64)>,
    // A reference line (ideal speedup, fitted line) is thin and grey, without dots.
    reference: bool,
}

impl Series {
    /// A measured series of summaries: each median, with its whisker.
    pub fn summarised(name: &str, points: &[(f64, Summary)]) -> Series {
        let (medians, ranges) =
            points.iter().map(|&(x, summary)| ((x, summary.median), (x, summary.p10, summary.p90))).unzip();
        Series::measured(name, medians, ranges)
    }

    /// A measured series: medians and their whiskers.
    pub fn measured(name: &str, points: Vec<(f64, f64)>, ranges: Vec<(f64, f64, f64)>) -> Series {
        Series { name: name.to_owned(), points, ranges, reference: false }
    }

    /// A reference line (an ideal, a fit).
    pub fn reference(name: &str, points: Vec<(f64, f64)>) -> Series {
        Series { name: name.to_owned(), points, ranges: Vec::new(), reference: true }
    }
}

/// A line chart: several series against one x axis.
#[derive(Default)]
pub struct LineChart {
    /// The title above the plot.
    pub title: String,
    /// The x axis label, with its unit.
    pub x_label: String,
    /// The y axis label, with its unit.
    pub y_label: String,
    /// Whether x is on a logarithmic scale (sizes from 64 KiB to 64 MiB, 1 to 64 workers).
    pub log_x: bool,
    /// The lines.
    pub series: Vec<Series>,
}

/// One bar of a bar chart: a label, the median and its 10th–90th percentile whisker.
pub struct Bar {
    label: String,
    summary: Summary,
}

impl Bar {
    /// A bar for `summary`.
    pub fn of(label: &str, summary: &Summary) -> Bar {
        Bar { label: label.to_owned(), summary: *summary }
    }
}

/// Without the `plot` feature, which the options check for first, nothing is drawn.
#[cfg(not(feature = "plot"))]
mod draw {
    pub(super) fn chart(path: &super::Path, _: &super::LineChart, _: &[super::Bar]) -> anyhow::Result<()> {
        anyhow::bail!("{} not drawn: this build has no `plot` feature", path.display())
    }
}

/// The drawing, with plotters: a line chart, or a bar chart (bars at x = 0, 1, …), one way.
#[cfg(feature = "plot")]
mod draw {
    use std::path::Path;

    use anyhow::{Context, bail};
    use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
    use plotters::prelude::*;
    use plotters::style::text_anchor::{HPos, Pos, VPos};

    use super::{Bar, LineChart};

    const COLOURS: [RGBColor; 5] = [
        RGBColor(31, 119, 180),
        RGBColor(214, 39, 40),
        RGBColor(44, 160, 44),
        RGBColor(148, 103, 189),
        BLACK,
    ];

    pub(super) fn chart(path: &Path, chart: &LineChart, bars: &[Bar]) -> anyhow::Result<()> {
        let points = chart.series.iter().flat_map(|series| &series.points);
        let xs = points.clone().map(|&(x, _)| x).chain((0..bars.len()).map(|index| index as f64));
        let (x_min, x_max) = (xs.clone().fold(f64::INFINITY, f64::min), xs.fold(f64::NEG_INFINITY, f64::max));
        // The axis fits every median and every whisker. Whiskers are the 10th–90th percentile
        // band, not min–max: one outlier (a sample the scheduler delayed) cannot stretch them and
        // flatten the curve the plot is about. Min and max stay in the JSON.
        let whiskers = chart.series.iter().flat_map(|series| series.ranges.iter().map(|&(_, _, high)| high));
        let bar_tops = bars.iter().map(|bar| bar.summary.p90.max(bar.summary.median));
        let y_max =
            points.map(|&(_, y)| y).chain(whiskers).chain(bar_tops).fold(f64::MIN_POSITIVE, f64::max) * 1.15;
        if !x_min.is_finite() {
            bail!("nothing to plot in {}", path.display());
        }
        let drawn = if !bars.is_empty() {
            draw(path, chart, bars, -0.5..x_max + 0.5, y_max)
        } else if chart.log_x {
            draw(path, chart, bars, (x_min / 1.25..x_max * 1.25).log_scale(), y_max)
        } else {
            let pad = (x_max - x_min).max(1.0) * 0.04;
            draw(path, chart, bars, (x_min - pad)..(x_max + pad), y_max)
        };
        drawn.with_context(|| format!("drawing the plot {}", path.display()))?;
        eprintln!("measure: wrote {}", path.display());
        Ok(())
    }

    fn draw<X>(path: &Path, chart: &LineChart, bars: &[Bar], x_range: X, y_max: f64) -> anyhow::Result<()>
    where
        X: AsRangedCoord<Value = f64>,
        X::CoordDescType: ValueFormatter<f64>,
    {
        let root = SVGBackend::new(path, (720, 450)).into_drawing_area();
        root.fill(&WHITE)?;
        let mut context = ChartBuilder::on(&root)
            .caption(&chart.title, ("sans-serif", 20))
            .margin(15)
            .x_label_area_size(45)
            .y_label_area_size(70)
            .build_cartesian_2d(x_range, 0.0..y_max)?;
        // Bars stand at x = 0, 1, …: each is labelled with its bar's label, nothing between.
        let x_label = |x: &f64| match bars.get(x.round().max(0.0) as usize) {
            None => compact(*x),
            Some(bar) if (x - x.round()).abs() < 1e-6 => bar.label.clone(),
            Some(_) => String::new(),
        };
        let mut mesh = context.configure_mesh();
        mesh.x_desc(chart.x_label.as_str()).y_desc(chart.y_label.as_str());
        mesh.x_label_formatter(&x_label).y_label_formatter(&|y| compact(*y));
        if !bars.is_empty() {
            mesh.disable_x_mesh().x_labels(bars.len());
        }
        mesh.draw()?;
        let mut colours = COLOURS.iter().cycle();
        for series in &chart.series {
            let (colour, width) =
                if series.reference { (RGBColor(128, 128, 128), 1) } else { (*colours.next().unwrap(), 2) };
            let style = colour.stroke_width(width);
            context
                .draw_series(LineSeries::new(series.points.iter().copied(), style))?
                .label(series.name.as_str())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
            if !series.reference {
                let dots = series.points.iter().map(|&point| Circle::new(point, 3, colour.filled()));
                context.draw_series(dots)?;
                context.draw_series(series.ranges.iter().map(|&(x, low, high)| {
                    PathElement::new(vec![(x, low.min(y_max)), (x, high.min(y_max))], colour)
                }))?;
            }
        }
        let label_style = ("sans-serif", 15).into_text_style(&root).pos(Pos::new(HPos::Center, VPos::Bottom));
        for (index, (bar, colour)) in bars.iter().zip(COLOURS.iter().cycle()).enumerate() {
            let (x, summary, fill) = (index as f64, bar.summary, colour.mix(0.7).filled());
            context.draw_series([Rectangle::new([(x - 0.3, 0.0), (x + 0.3, summary.median)], fill)])?;
            context.draw_series([PathElement::new(vec![(x, summary.p10), (x, summary.p90)], BLACK)])?;
            let top = (x, summary.p90.max(summary.median) * 1.02);
            context.draw_series([Text::new(compact(summary.median), top, label_style.clone())])?;
        }
        if !chart.series.is_empty() {
            let mut legend = context.configure_series_labels();
            legend.position(SeriesLabelPosition::UpperLeft).background_style(WHITE.mix(0.85));
            legend.border_style(BLACK).draw()?;
        }
        root.present()?;
        Ok(())
    }

    /// Axis numbers without trailing noise: `64`, `1.5`, `0.25`, `4096`.
    fn compact(value: f64) -> String {
        let text = crate::measure::number(value);
        if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.').to_owned() } else { text }
    }
}
