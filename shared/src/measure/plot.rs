//! SVG plots for `measure --plot DIR`, drawn with plotters' SVG backend (the `plot` feature,
//! off by default so the default build stays fast). Readers get real plots of their own
//! machine's figures without anyone writing SVG by hand. The charts' descriptions build in
//! every build; only the drawing needs the feature.

use std::path::Path;

use anyhow::Context;

use super::Summary;

/// Writes `chart` as the SVG file `DIR/NAME`, and says so on stderr.
pub fn write_line_chart(dir: &Path, name: &str, chart: &LineChart) -> anyhow::Result<()> {
    let path = dir.join(name);
    draw::line_chart(&path, chart)?;
    eprintln!("measure: wrote {}", path.display());
    Ok(())
}

/// Writes a bar chart (one bar per label, its median printed above it) as `DIR/NAME`.
pub fn write_bar_chart(
    dir: &Path,
    name: &str,
    title: &str,
    y_label: &str,
    bars: &[Bar],
) -> anyhow::Result<()> {
    let path = dir.join(name);
    draw::bar_chart(&path, title, y_label, bars)?;
    eprintln!("measure: wrote {}", path.display());
    Ok(())
}

/// One line of a chart: medians joined by a line, each with its 10th–90th percentile band as a
/// whisker.
pub struct Series {
    /// The name in the legend.
    pub name: String,
    /// `(x, median)` points.
    pub points: Vec<(f64, f64)>,
    /// `(x, p10, p90)` ranges drawn as vertical whiskers; may be empty.
    pub ranges: Vec<(f64, f64, f64)>,
    /// A reference line (ideal speedup, fitted line): dashed-looking thin grey, no dots.
    pub reference: bool,
}

impl Series {
    /// A measured series of summaries: each median, with its 10th–90th percentile whisker.
    pub fn summarised(name: &str, points: &[(f64, Summary)]) -> Series {
        Series::measured(
            name,
            points.iter().map(|(x, summary)| (*x, summary.median)).collect(),
            points.iter().map(|(x, summary)| (*x, summary.p10, summary.p90)).collect(),
        )
    }

    /// A measured series: medians and ranges.
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
    /// The label under the bar.
    pub label: String,
    /// The bar's height.
    pub median: f64,
    /// The low end of the whisker: the 10th percentile.
    pub low: f64,
    /// The high end of the whisker: the 90th percentile.
    pub high: f64,
}

impl Bar {
    /// A bar for `summary`: its median, whiskers at its 10th and 90th percentiles.
    pub fn of(label: &str, summary: &Summary) -> Bar {
        Bar { label: label.to_owned(), median: summary.median, low: summary.p10, high: summary.p90 }
    }
}

/// Creates `dir` (and its parents) for the plots.
pub(crate) fn create_dir(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating the plot directory {}", dir.display()))
}

/// Without the `plot` feature, which the options check for first, nothing is drawn.
#[cfg(not(feature = "plot"))]
mod draw {
    use std::path::Path;

    use super::{Bar, LineChart};

    pub(super) fn line_chart(path: &Path, _chart: &LineChart) -> anyhow::Result<()> {
        anyhow::bail!("{} not drawn: this build has no `plot` feature", path.display())
    }

    pub(super) fn bar_chart(path: &Path, _title: &str, _y_label: &str, _bars: &[Bar]) -> anyhow::Result<()> {
        line_chart(path, &LineChart::default())
    }
}

/// The drawing, with plotters.
#[cfg(feature = "plot")]
mod draw {
    use std::path::Path;

    use anyhow::anyhow;
    use plotters::coord::ranged1d::{AsRangedCoord, SegmentValue, ValueFormatter};
    use plotters::prelude::*;
    use plotters::style::text_anchor::{HPos, Pos, VPos};

    use super::{Bar, LineChart};

    /// The size of every plot, in pixels.
    const SIZE: (u32, u32) = (720, 450);

    /// The colours of a chart's series, in order.
    const COLOURS: [RGBColor; 5] = [
        RGBColor(31, 119, 180),
        RGBColor(214, 39, 40),
        RGBColor(44, 160, 44),
        RGBColor(148, 103, 189),
        BLACK,
    ];

    /// Writes `chart` as an SVG file at `path`.
    pub(super) fn line_chart(path: &Path, chart: &LineChart) -> anyhow::Result<()> {
        let xs = chart.series.iter().flat_map(|series| series.points.iter().map(|&(x, _)| x));
        let (x_min, x_max) =
            xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| (lo.min(x), hi.max(x)));
        let ys = chart.series.iter().flat_map(|series| {
            series.points.iter().map(|&(_, y)| y).chain(series.ranges.iter().map(|&(_, _, high)| high))
        });
        // The axis fits every median and every whisker. Whiskers are the 10th–90th percentile
        // band, not min–max: one outlier (a sample the scheduler delayed) cannot stretch them and
        // flatten the curve the plot is about. Min and max stay in the JSON.
        let y_max = ys.fold(0.0_f64, f64::max).max(f64::MIN_POSITIVE) * 1.12;
        if !x_min.is_finite() {
            return Err(anyhow!("nothing to plot in {}", path.display()));
        }
        if chart.log_x {
            draw_lines(path, chart, (x_min / 1.25..x_max * 1.25).log_scale(), y_max)
        } else {
            let pad = (x_max - x_min).max(1.0) * 0.04;
            draw_lines(path, chart, (x_min - pad)..(x_max + pad), y_max)
        }
    }

    fn draw_lines<X>(path: &Path, chart: &LineChart, x_range: X, y_max: f64) -> anyhow::Result<()>
    where
        X: AsRangedCoord<Value = f64>,
        X::CoordDescType: ValueFormatter<f64>,
    {
        let root = SVGBackend::new(path, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(plot_error)?;
        let mut context = ChartBuilder::on(&root)
            .caption(&chart.title, ("sans-serif", 20))
            .margin(15)
            .x_label_area_size(45)
            .y_label_area_size(65)
            .build_cartesian_2d(x_range, 0.0..y_max)
            .map_err(plot_error)?;
        context
            .configure_mesh()
            .x_desc(chart.x_label.as_str())
            .y_desc(chart.y_label.as_str())
            .x_label_formatter(&|x| compact(*x))
            .y_label_formatter(&|y| compact(*y))
            .draw()
            .map_err(plot_error)?;
        let mut measured = 0;
        for series in &chart.series {
            let colour = if series.reference {
                RGBColor(128, 128, 128)
            } else {
                measured += 1;
                COLOURS[(measured - 1) % COLOURS.len()]
            };
            let style = if series.reference { colour.stroke_width(1) } else { colour.stroke_width(2) };
            context
                .draw_series(LineSeries::new(series.points.iter().copied(), style))
                .map_err(plot_error)?
                .label(series.name.as_str())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
            if !series.reference {
                context
                    .draw_series(series.points.iter().map(|&point| Circle::new(point, 3, colour.filled())))
                    .map_err(plot_error)?;
                context
                    .draw_series(series.ranges.iter().map(|&(x, low, high)| {
                        PathElement::new(vec![(x, low.min(y_max)), (x, high.min(y_max))], colour)
                    }))
                    .map_err(plot_error)?;
            }
        }
        context
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .draw()
            .map_err(plot_error)?;
        root.present().map_err(plot_error)?;
        Ok(())
    }

    /// Writes a bar chart (one bar per label, its median printed above it) at `path`.
    pub(super) fn bar_chart(path: &Path, title: &str, y_label: &str, bars: &[Bar]) -> anyhow::Result<()> {
        let y_max =
            bars.iter().map(|bar| bar.high.max(bar.median)).fold(0.0_f64, f64::max).max(f64::MIN_POSITIVE)
                * 1.15;
        let root = SVGBackend::new(path, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(plot_error)?;
        let mut context = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 20))
            .margin(15)
            .x_label_area_size(45)
            .y_label_area_size(75)
            // A discrete range includes its end: 0..=n-1 is n segments.
            .build_cartesian_2d((0..bars.len().saturating_sub(1)).into_segmented(), 0.0..y_max)
            .map_err(plot_error)?;
        context
            .configure_mesh()
            .disable_x_mesh()
            .y_desc(y_label)
            .x_labels(bars.len())
            .x_label_formatter(&|segment| match segment {
                SegmentValue::CenterOf(index) => {
                    bars.get(*index).map_or(String::new(), |bar| bar.label.clone())
                }
                _ => String::new(),
            })
            .y_label_formatter(&|y| compact(*y))
            .draw()
            .map_err(plot_error)?;
        let label_style = ("sans-serif", 15).into_text_style(&root).pos(Pos::new(HPos::Center, VPos::Bottom));
        for (index, bar) in bars.iter().enumerate() {
            let colour = COLOURS[index % COLOURS.len()];
            let left = SegmentValue::Exact(index);
            let right = SegmentValue::Exact(index + 1);
            let mut rectangle = Rectangle::new([(left, 0.0), (right, bar.median)], colour.mix(0.7).filled());
            rectangle.set_margin(0, 0, 25, 25);
            context.draw_series(std::iter::once(rectangle)).map_err(plot_error)?;
            let centre = || SegmentValue::CenterOf(index);
            context
                .draw_series(std::iter::once(PathElement::new(
                    vec![(centre(), bar.low), (centre(), bar.high)],
                    BLACK,
                )))
                .map_err(plot_error)?;
            let label = Text::new(
                compact(bar.median),
                (centre(), bar.high.max(bar.median) * 1.02),
                label_style.clone(),
            );
            context.draw_series(std::iter::once(label)).map_err(plot_error)?;
        }
        root.present().map_err(plot_error)?;
        Ok(())
    }

    /// Axis numbers without trailing noise: `64`, `1.5`, `0.25`, `4096`.
    fn compact(value: f64) -> String {
        let text = crate::measure::number(value);
        if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.').to_owned() } else { text }
    }

    fn plot_error(error: impl std::fmt::Display) -> anyhow::Error {
        anyhow!("drawing a plot: {error}")
    }
}
