//! The scaling section's plot: wall time, peak RSS and search latency against the number of
//! reports, on log–log axes (a straight line of slope 1 is linear growth, a flat one none),
//! as an SVG that a Markdown viewer shows inline.

use std::path::Path;

use anyhow::{Result, anyhow};
use plotters::prelude::*;

use crate::scaling::Scale;

/// The memory target the RSS panel draws as a line, in MB.
const RSS_TARGET_MB: f64 = 400.0;

/// One curve: its name, colour and (reports, value) points.
struct Curve {
    name: &'static str,
    colour: RGBColor,
    points: Vec<(f64, f64)>,
}

/// Draws the three panels of `scales` into `path`.
pub fn draw(path: &Path, scales: &[Scale]) -> Result<()> {
    let x = |s: &Scale| s.reports as f64;
    let curve = |name, colour, value: &dyn Fn(&Scale) -> f64| Curve {
        name,
        colour,
        points: scales.iter().map(|s| (x(s), value(s))).collect(),
    };
    let rss = |run: crate::measure::Timed| run.peak_rss_mb.unwrap_or(f64::NAN);
    let root = SVGBackend::new(path, (1260, 420)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| anyhow!("{e}"))?;
    let panels = root.split_evenly((1, 3));
    panel(
        &panels[0],
        "Indexing wall time",
        "seconds",
        &[
            curve("full build", RED, &|s| s.build.secs),
            curve("unchanged re-scan", BLUE, &|s| s.rescan.secs),
            curve("one report added", GREEN, &|s| s.added.secs),
        ],
        None,
    )?;
    panel(
        &panels[1],
        "Indexing peak RSS",
        "MB",
        &[
            curve("full build", RED, &|s| rss(s.build)),
            curve("full build, anonymous", MAGENTA, &|s| s.build_anon_mb),
            curve("unchanged re-scan", BLUE, &|s| rss(s.rescan)),
        ],
        Some(("target", RSS_TARGET_MB)),
    )?;
    panel(
        &panels[2],
        "Search latency",
        "ms",
        &[
            curve("in process p50", RED, &|s| s.search_p50()),
            curve("in process p99", MAGENTA, &|s| s.search_p99()),
            curve("whole process p50", BLUE, &|s| s.process_p50()),
        ],
        None,
    )?;
    root.present().map_err(|e| anyhow!("writing {}: {e}", path.display()))
}

/// One log–log panel of `curves`, with a horizontal line at `level` when given.
fn panel(
    area: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    title: &str,
    unit: &str,
    curves: &[Curve],
    level: Option<(&str, f64)>,
) -> Result<()> {
    let finite = curves.iter().flat_map(|c| &c.points).filter(|p| p.1.is_finite() && p.1 > 0.0);
    let (xs, ys): (Vec<f64>, Vec<f64>) = finite.copied().unzip();
    let levels = level.map(|(_, y)| y);
    let low = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
    let high = |v: &[f64]| v.iter().copied().fold(0.0, f64::max);
    let y_all: Vec<f64> = ys.iter().copied().chain(levels).collect();
    let (x0, x1) = (low(&xs) / 1.5, high(&xs) * 1.5);
    let (y0, y1) = (low(&y_all) / 2.0, high(&y_all) * 2.0);
    if !(x0.is_finite() && y0.is_finite() && x0 < x1 && y0 < y1) {
        return Ok(());
    }
    let mut chart = ChartBuilder::on(area)
        .caption(title, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d((x0..x1).log_scale(), (y0..y1).log_scale())
        .map_err(|e| anyhow!("{e}"))?;
    chart
        .configure_mesh()
        .light_line_style(WHITE.mix(0.0))
        .x_desc("reports")
        .y_desc(unit)
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| if *v >= 10.0 { format!("{v:.0}") } else { format!("{v:.2}") })
        .draw()
        .map_err(|e| anyhow!("{e}"))?;
    for curve in curves {
        let colour = curve.colour;
        let points: Vec<(f64, f64)> =
            curve.points.iter().copied().filter(|p| p.1.is_finite() && p.1 > 0.0).collect();
        chart
            .draw_series(LineSeries::new(points.clone(), colour.stroke_width(2)))
            .map_err(|e| anyhow!("{e}"))?
            .label(curve.name)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 18, y)], colour.stroke_width(2))
            });
        chart
            .draw_series(points.into_iter().map(|p| Circle::new(p, 4, colour.filled())))
            .map_err(|e| anyhow!("{e}"))?;
    }
    if let Some((name, y)) = level {
        let grey = RGBColor(128, 128, 128);
        chart
            .draw_series(LineSeries::new(vec![(x0, y), (x1, y)], grey.stroke_width(1)))
            .map_err(|e| anyhow!("{e}"))?
            .label(name)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], grey));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()
        .map_err(|e| anyhow!("{e}"))
}
