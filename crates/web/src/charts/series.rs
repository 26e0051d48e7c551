//! Charts of statistical series, drawn as SVG on the server: a line chart over time (a line per
//! member state, the ASEAN figure drawn thick and black), a horizontal bar chart that ranks the
//! states, small multiples (one small line chart per state) and a sparkline. They take plain
//! numbers and labels, already formatted by the page, so that they know nothing of measures or
//! storage. Every chart has a `<title>` and `<desc>`, a legend where colours mean something, and
//! colours from Paul Tol's colour-blind-safe "muted" scheme; the page always shows the same
//! figures in a table beside it.

use super::escape;
use std::fmt::Write as _;

/// Paul Tol's "muted" qualitative colours, distinguishable with the common colour-vision
/// deficiencies. States past the ninth reuse them with a dashed line.
const PALETTE: [&str; 9] =
    ["#332288", "#88ccee", "#44aa99", "#117733", "#999933", "#ddcc77", "#cc6677", "#882255", "#aa4499"];
const REGIONAL_COLOUR: &str = "#000000";

/// The stroke of the `i`th state: its colour, and a dash pattern once the palette has been used.
pub fn series_style(i: usize) -> (&'static str, &'static str) {
    let colour = PALETTE.get(i % PALETTE.len()).copied().unwrap_or(REGIONAL_COLOUR);
    (colour, if i >= PALETTE.len() { "6 3" } else { "none" })
}

/// A chart's identity and text alternative. `id` must be unique on the page (it names the
/// title and description elements).
pub struct Frame<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub desc: &'a str,
}

/// One line: a member state (`style` is its index in the member list) or the ASEAN figure.
#[derive(Debug, Clone)]
pub struct Line {
    pub label: String,
    pub style: usize,
    pub regional: bool,
    /// (position in years, value, the value as the page writes it), in time order.
    pub points: Vec<(f64, f64, String)>,
}

/// One bar of a ranking.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub text: String,
    pub regional: bool,
}

/// A period as a position on a time axis in years: `2024` → 2024, `2024Q2` → 2024.25,
/// `2024M03` → 2024.1667. None for anything else.
pub fn period_position(period: &str) -> Option<f64> {
    let year: f64 = period.get(..4)?.parse().ok()?;
    let rest = period.get(4..)?;
    if rest.is_empty() {
        return Some(year);
    }
    let (kind, n) = (rest.get(..1)?, rest.get(1..)?.parse::<f64>().ok()?);
    match kind {
        "Q" if (1.0..=4.0).contains(&n) => Some(year + (n - 1.0) / 4.0),
        "M" if (1.0..=12.0).contains(&n) => Some(year + (n - 1.0) / 12.0),
        _ => None,
    }
}

/// Round numbers for an axis from `lo` to `hi`: about `n` ticks at 1, 2 or 5 × 10^k.
pub fn nice_ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    if !lo.is_finite() || !hi.is_finite() || n == 0 {
        return Vec::new();
    }
    let (lo, hi) = if hi - lo < 1e-9 { (lo - 1.0, hi + 1.0) } else { (lo, hi) };
    let raw = (hi - lo) / n as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * mag).find(|s| *s >= raw).unwrap_or(10.0 * mag);
    let first = (lo / step).floor() * step;
    let mut out = Vec::new();
    let mut v = first;
    while v <= hi + step * 0.5 && out.len() < 50 {
        out.push(if v.abs() < step * 1e-9 { 0.0 } else { v });
        v += step;
    }
    out
}

/// A tick value as short text: no more decimals than the step needs.
fn tick_text(v: f64, step: f64) -> String {
    let decimals = if step >= 1.0 { 0 } else { (-step.log10().floor()) as usize };
    super::number(v, decimals)
}

fn open(svg: &mut String, f: &Frame, width: f64, height: f64, class: &str) {
    let id = escape(f.id);
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart {class}\" viewBox=\"0 0 {width:.0} {height:.0}\" \
         width=\"{width:.0}\" height=\"{height:.0}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" \
         font-family=\"sans-serif\" font-size=\"12\"><title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>\
         <rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>",
        escape(f.title),
        escape(f.desc)
    );
}

/// The value range of the lines, widened to include 0 when the values are all of one sign and
/// not far from it (so that a rate of 4% does not look like ten times one of 0.4%).
fn value_range<'a>(values: impl Iterator<Item = &'a f64>) -> Option<(f64, f64)> {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    if !lo.is_finite() {
        return None;
    }
    let lo = if lo > 0.0 && lo < hi * 0.6 { 0.0 } else { lo };
    Some((lo, hi))
}

struct Plot {
    left: f64,
    top: f64,
    width: f64,
    height: f64,
    x0: f64,
    x1: f64,
    y0: f64,
    y1: f64,
}

impl Plot {
    fn x(&self, v: f64) -> f64 {
        let span = (self.x1 - self.x0).max(1e-9);
        self.left + (v.clamp(self.x0, self.x1) - self.x0) / span * self.width
    }
    fn y(&self, v: f64) -> f64 {
        let span = (self.y1 - self.y0).max(1e-9);
        self.top + self.height - (v.clamp(self.y0, self.y1) - self.y0) / span * self.height
    }
}

fn x_range(lines: &[&Line]) -> Option<(f64, f64)> {
    let (lo, hi) = lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.0))
        .filter(|x| x.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| (lo.min(x), hi.max(x)));
    lo.is_finite().then_some(if hi - lo < 1e-9 { (lo - 0.5, hi + 0.5) } else { (lo, hi) })
}

/// Draws the lines of one plot: states first, the ASEAN figure on top.
fn draw_lines(svg: &mut String, p: &Plot, lines: &[&Line], marker: f64, thin: bool) {
    let mut ordered: Vec<&&Line> = lines.iter().filter(|l| !l.regional).collect();
    ordered.extend(lines.iter().filter(|l| l.regional));
    for l in ordered {
        let (colour, dash) = if l.regional { (REGIONAL_COLOUR, "none") } else { series_style(l.style) };
        let width = match (l.regional, thin) {
            (true, false) => 3.5,
            (true, true) => 2.0,
            (false, false) => 2.0,
            (false, true) => 1.5,
        };
        let pts: Vec<String> = l
            .points
            .iter()
            .filter(|(x, y, _)| x.is_finite() && y.is_finite())
            .map(|(x, y, _)| format!("{:.1},{:.1}", p.x(*x), p.y(*y)))
            .collect();
        let _ = write!(
            svg,
            "<g class=\"series{}\"><title>{}</title>",
            if l.regional { " regional" } else { "" },
            escape(&l.label)
        );
        if pts.len() > 1 {
            let _ = write!(
                svg,
                "<polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"{width}\" stroke-dasharray=\"{dash}\" stroke-linejoin=\"round\"/>",
                pts.join(" ")
            );
        }
        for (x, y, text) in l.points.iter().filter(|(x, y, _)| x.is_finite() && y.is_finite()) {
            let (cx, cy) = (p.x(*x), p.y(*y));
            if l.regional {
                // A square marker: the ASEAN figure differs in shape too, not in colour alone.
                let _ = write!(
                    svg,
                    "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{colour}\"><title>{}: {}</title></rect>",
                    cx - marker,
                    cy - marker,
                    marker * 2.0,
                    marker * 2.0,
                    escape(&l.label),
                    escape(text)
                );
            } else {
                let _ = write!(
                    svg,
                    "<circle cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"{marker:.1}\" fill=\"{colour}\"><title>{}: {}</title></circle>",
                    escape(&l.label),
                    escape(text)
                );
            }
        }
        svg.push_str("</g>");
    }
}

/// Horizontal grid lines with their values, and the time axis labels.
fn axes(svg: &mut String, p: &Plot, ticks: &[f64], years: bool, font: f64) {
    let step = if ticks.len() > 1 { ticks[1] - ticks[0] } else { 1.0 };
    for t in ticks {
        let y = p.y(*t);
        let _ = write!(
            svg,
            "<line x1=\"{:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"{}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"{font}\" fill=\"#333\">{}</text>",
            p.left,
            p.left + p.width,
            if *t == 0.0 { "#888" } else { "#e3e3e3" },
            p.left - 4.0,
            y + font / 3.0,
            escape(&tick_text(*t, step))
        );
    }
    if !years {
        return;
    }
    let first = p.x0.ceil() as i64;
    let last = p.x1.floor() as i64;
    let every = (((last - first) as f64) / 8.0).ceil().max(1.0) as i64;
    let mut year = first;
    while year <= last {
        if (year - first) % every == 0 {
            let x = p.x(year as f64);
            let _ = write!(
                svg,
                "<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"{font}\" fill=\"#333\">{year}</text>",
                p.top + p.height + font + 4.0
            );
        }
        year += 1;
    }
}

/// The line chart: a line per state and the ASEAN figure, over time, with a legend below.
/// `unit` labels the value axis.
pub fn line_chart(f: &Frame, unit: &str, lines: &[Line]) -> String {
    const WIDTH: f64 = 760.0;
    let all: Vec<&Line> = lines.iter().filter(|l| !l.points.is_empty()).collect();
    let legend_rows = all.len().div_ceil(3) as f64;
    let height = 330.0 + legend_rows * 18.0;
    let mut svg = String::new();
    open(&mut svg, f, WIDTH, height, "line");
    let (Some((x0, x1)), Some((y0, y1))) =
        (x_range(&all), value_range(all.iter().flat_map(|l| l.points.iter().map(|p| &p.1))))
    else {
        svg.push_str("</svg>");
        return svg;
    };
    let ticks = nice_ticks(y0, y1, 5);
    let (y0, y1) = (ticks.first().copied().unwrap_or(y0).min(y0), ticks.last().copied().unwrap_or(y1).max(y1));
    let plot = Plot { left: 64.0, top: 30.0, width: WIDTH - 64.0 - 24.0, height: 250.0, x0, x1, y0, y1 };
    let _ = write!(svg, "<text x=\"4\" y=\"16\" fill=\"#333\">{}</text>", escape(unit));
    axes(&mut svg, &plot, &ticks, true, 12.0);
    draw_lines(&mut svg, &plot, &all, 3.0, false);
    legend(&mut svg, &all, 310.0, WIDTH);
    svg.push_str("</svg>");
    svg
}

/// A legend of lines in three columns from `top`: a sample of each stroke and its label.
fn legend(svg: &mut String, lines: &[&Line], top: f64, width: f64) {
    let col = (width - 8.0) / 3.0;
    for (i, l) in lines.iter().enumerate() {
        let (x, y) = (8.0 + (i % 3) as f64 * col, top + (i / 3) as f64 * 18.0);
        let (colour, dash, w) = if l.regional {
            (REGIONAL_COLOUR, "none", 3.5)
        } else {
            let (c, d) = series_style(l.style);
            (c, d, 2.0)
        };
        let _ = write!(
            svg,
            "<line x1=\"{x:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"{colour}\" stroke-width=\"{w}\" stroke-dasharray=\"{dash}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\"{}>{}</text>",
            x + 26.0,
            x + 32.0,
            y + 4.0,
            if l.regional { " font-weight=\"bold\"" } else { "" },
            escape(&l.label)
        );
    }
}

/// The ranking: one bar per state and one for ASEAN (black), in the order given, each with its
/// value written at its end.
pub fn bar_chart(f: &Frame, unit: &str, bars: &[Bar]) -> String {
    const WIDTH: f64 = 760.0;
    const LABEL: f64 = 190.0;
    const ROW: f64 = 22.0;
    let height = 40.0 + bars.len() as f64 * ROW + 10.0;
    let mut svg = String::new();
    open(&mut svg, f, WIDTH, height, "bars");
    let _ = write!(svg, "<text x=\"4\" y=\"16\" fill=\"#333\">{}</text>", escape(unit));
    let lo = bars.iter().map(|b| b.value).filter(|v| v.is_finite()).fold(0.0, f64::min);
    let hi = bars.iter().map(|b| b.value).filter(|v| v.is_finite()).fold(0.0, f64::max);
    let span = (hi - lo).max(1e-9);
    let plot_width = WIDTH - LABEL - 90.0;
    let x = |v: f64| LABEL + (v.clamp(lo, hi) - lo) / span * plot_width;
    let zero = x(0.0);
    for (i, b) in bars.iter().enumerate() {
        let y = 30.0 + i as f64 * ROW;
        let (start, end) = if b.value >= 0.0 { (zero, x(b.value)) } else { (x(b.value), zero) };
        let (fill, weight) = if b.regional { (REGIONAL_COLOUR, " font-weight=\"bold\"") } else { ("#44aa99", "") };
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\"{weight}>{}</text>\
             <rect x=\"{start:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{fill}\"><title>{}: {}</title></rect>\
             <text x=\"{:.1}\" y=\"{:.1}\"{weight}>{}</text>",
            LABEL - 6.0,
            y + 14.0,
            escape(&super::truncate(&b.label, 30)),
            y + 3.0,
            (end - start).max(1.0),
            ROW - 6.0,
            escape(&b.label),
            escape(&b.text),
            end.max(zero) + 4.0,
            y + 14.0,
            escape(&b.text)
        );
    }
    let _ = write!(
        svg,
        "<line x1=\"{zero:.1}\" y1=\"26\" x2=\"{zero:.1}\" y2=\"{:.1}\" stroke=\"#555\"/>",
        30.0 + bars.len() as f64 * ROW
    );
    svg.push_str("</svg>");
    svg
}

/// One panel of the small multiples: a state's line, or none when it has no data.
pub struct Panel {
    pub label: String,
    pub line: Option<Line>,
}

/// Small multiples: one small line chart per state on a shared scale, each with the ASEAN
/// figure as a thin black reference line. `no_data` is written in empty panels.
pub fn small_multiples(f: &Frame, panels: &[Panel], regional: Option<&Line>, no_data: &str) -> String {
    const COLS: usize = 4;
    const W: f64 = 190.0;
    const H: f64 = 130.0;
    let rows = panels.len().div_ceil(COLS).max(1);
    let (width, height) = (COLS as f64 * W, rows as f64 * H + 6.0);
    let mut svg = String::new();
    open(&mut svg, f, width, height, "multiples");
    let mut every: Vec<&Line> = panels.iter().filter_map(|p| p.line.as_ref()).collect();
    every.extend(regional);
    let (Some((x0, x1)), Some((y0, y1))) =
        (x_range(&every), value_range(every.iter().flat_map(|l| l.points.iter().map(|p| &p.1))))
    else {
        svg.push_str("</svg>");
        return svg;
    };
    let ticks = nice_ticks(y0, y1, 3);
    let (y0, y1) = (ticks.first().copied().unwrap_or(y0).min(y0), ticks.last().copied().unwrap_or(y1).max(y1));
    for (i, panel) in panels.iter().enumerate() {
        let (ox, oy) = ((i % COLS) as f64 * W, (i / COLS) as f64 * H);
        let plot = Plot { left: ox + 40.0, top: oy + 24.0, width: W - 52.0, height: H - 50.0, x0, x1, y0, y1 };
        let _ = write!(
            svg,
            "<g class=\"panel\"><text x=\"{:.1}\" y=\"{:.1}\" font-weight=\"bold\">{}</text>",
            ox + 6.0,
            oy + 15.0,
            escape(&super::truncate(&panel.label, 26))
        );
        axes(&mut svg, &plot, &ticks, false, 10.0);
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" fill=\"#333\">{}</text>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" fill=\"#333\" text-anchor=\"end\">{}</text>",
            plot.left,
            plot.top + plot.height + 14.0,
            x0.floor(),
            plot.left + plot.width,
            plot.top + plot.height + 14.0,
            x1.floor()
        );
        match &panel.line {
            Some(line) => {
                let mut lines: Vec<&Line> = vec![line];
                lines.extend(regional);
                draw_lines(&mut svg, &plot, &lines, 2.0, true);
            }
            None => {
                let _ = write!(
                    svg,
                    "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#555\">{}</text>",
                    plot.left + plot.width / 2.0,
                    plot.top + plot.height / 2.0,
                    escape(no_data)
                );
            }
        }
        svg.push_str("</g>");
    }
    svg.push_str("</svg>");
    svg
}

/// A word-sized line of a state's values over time, its last value marked; `label` is its
/// text alternative (the page shows the values in words beside it).
pub fn sparkline(label: &str, points: &[(f64, f64)]) -> String {
    const W: f64 = 100.0;
    const H: f64 = 24.0;
    let pts: Vec<(f64, f64)> = points.iter().copied().filter(|(x, y)| x.is_finite() && y.is_finite()).collect();
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"sparkline\" viewBox=\"0 0 {W} {H}\" width=\"{W}\" height=\"{H}\" role=\"img\" aria-label=\"{}\">",
        escape(label)
    );
    let (x0, x1) = pts.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| (a.min(p.0), b.max(p.0)));
    let (y0, y1) = pts.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| (a.min(p.1), b.max(p.1)));
    if pts.is_empty() {
        svg.push_str("</svg>");
        return svg;
    }
    let sx = |x: f64| if x1 > x0 { 2.0 + (x - x0) / (x1 - x0) * (W - 6.0) } else { W / 2.0 };
    let sy = |y: f64| if y1 > y0 { H - 3.0 - (y - y0) / (y1 - y0) * (H - 6.0) } else { H / 2.0 };
    let line: Vec<String> = pts.iter().map(|(x, y)| format!("{:.1},{:.1}", sx(*x), sy(*y))).collect();
    let _ =
        write!(svg, "<polyline points=\"{}\" fill=\"none\" stroke=\"#332288\" stroke-width=\"1.5\"/>", line.join(" "));
    if let Some((x, y)) = pts.last() {
        let _ = write!(svg, "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"2.5\" fill=\"#cc6677\"/>", sx(*x), sy(*y));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn line(label: &str, regional: bool, pts: &[(f64, f64)]) -> Line {
        Line {
            label: label.into(),
            style: 0,
            regional,
            points: pts.iter().map(|(x, y)| (*x, *y, format!("{y}"))).collect(),
        }
    }

    #[test]
    fn periods_are_positions_in_years() {
        assert_eq!(period_position("2024"), Some(2024.0));
        assert_eq!(period_position("2024Q3"), Some(2024.5));
        assert!(period_position("2024M07").is_some_and(|x| (x - 2024.5).abs() < 1e-9));
        assert_eq!(period_position("2024Q5"), None);
        assert_eq!(period_position("x"), None);
    }

    #[test]
    fn ticks_are_round() {
        assert_eq!(nice_ticks(0.0, 9.3, 5), vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        assert!(nice_ticks(3.0, 3.0, 5).contains(&3.0));
        assert!(nice_ticks(f64::NAN, 1.0, 5).is_empty());
    }

    #[test]
    fn charts_escape_labels_and_survive_no_data() {
        let f = Frame { id: "c", title: "A <b>", desc: "d & e" };
        let svg = line_chart(
            &f,
            "%",
            &[line("Lao <PDR>", false, &[(2020.0, 1.0), (2021.0, 2.0)]), line("ASEAN", true, &[(2021.0, 1.5)])],
        );
        assert!(svg.contains("Lao &lt;PDR&gt;") && svg.contains("A &lt;b&gt;") && !svg.contains("<b>"));
        assert!(svg.contains("font-weight=\"bold\">ASEAN"));
        let empty = line_chart(&f, "%", &[]);
        assert!(empty.ends_with("</svg>"));
        let bars = bar_chart(&f, "%", &[Bar { label: "x".into(), value: f64::NAN, text: "—".into(), regional: false }]);
        assert!(bars.ends_with("</svg>"));
        let sm = small_multiples(&f, &[Panel { label: "Brunei".into(), line: None }], None, "no data");
        assert!(sm.ends_with("</svg>"));
        assert!(sparkline("x", &[]).ends_with("</svg>"));
        assert!(sparkline("x", &[(2020.0, 1.0)]).contains("circle"));
    }
}
