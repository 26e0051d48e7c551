//! Charts drawn on the server as SVG, so that they print, work without
//! JavaScript and weigh little on a slow connection: the timeline (Gantt) of a
//! dashboard's actions and meetings; the charts of statistical series
//! (`series`) and the map of the member states (`map`).

pub mod map;
pub mod series;

use crate::i18n::Localizer;
use std::fmt::Write as _;
use tripart_storage::monitoring::dashboard::Dashboard;

const WIDTH: f64 = 1000.0;
const LABEL_WIDTH: f64 = 330.0;
const ROW: f64 = 18.0;
const TOP: f64 = 46.0;

/// Escapes text for SVG content and attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// The fill of a status, the same in the chart and its legend (and the CSS).
pub fn status_colour(status: &str) -> &'static str {
    match status {
        "completed" => "#2e7d32",
        "ongoing" => "#1565c0",
        "planned" => "#9e9e9e",
        "tbc" => "#f9a825",
        "absorbed" => "#6d4c41",
        _ => "#757575",
    }
}

/// A number with thousands separators and a fixed number of decimals: `12345.678` with 1 →
/// "12,345.7". Not finite: "—".
pub fn number(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    let text = format!("{:.*}", decimals, v.abs());
    let (int, frac) = text.split_once('.').map(|(i, f)| (i, Some(f))).unwrap_or((text.as_str(), None));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    // "-0.0" reads as a negative number that is not there.
    let negative = v < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0');
    format!("{}{grouped}{}", if negative { "-" } else { "" }, frac.map(|f| format!(".{f}")).unwrap_or_default())
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(max - 1).collect::<String>())
    }
}

/// Years as a fraction, from a `YYYY-MM-DD` date.
fn year_fraction(date: &str) -> Option<f64> {
    let y: f64 = date.get(..4)?.parse().ok()?;
    let m: f64 = date.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1.0);
    let d: f64 = date.get(8..10).and_then(|d| d.parse().ok()).unwrap_or(1.0);
    Some(y + (m - 1.0) / 12.0 + (d - 1.0) / 365.0)
}

/// The timeline: a bar per action over its calendar's years, coloured by status,
/// overdue actions outlined in red, meetings as diamonds, today as a line.
/// `standalone` adds the XML declaration for a downloaded file.
pub fn timeline(i18n: &Localizer, lang: &str, d: &Dashboard, standalone: bool) -> String {
    let t = |key: &str| i18n.message(lang, key, &[]);
    let dated: Vec<_> = d.actions.iter().filter(|a| a.action.start_year.is_some()).collect();
    let meeting_years = d.meetings.iter().filter_map(|m| m.start.as_deref().and_then(year_fraction));
    let today = year_fraction(&d.as_of).unwrap_or(2026.0);
    let starts = dated.iter().filter_map(|a| a.action.start_year.map(|y| y as f64)).chain(meeting_years.clone());
    let ends = dated
        .iter()
        .filter_map(|a| a.action.end_year.or(a.action.start_year).map(|y| y as f64 + 1.0))
        .chain(meeting_years.map(|y| y.floor() + 1.0));
    let mut first = starts.fold(f64::INFINITY, f64::min);
    let mut last = ends.fold(f64::NEG_INFINITY, f64::max);
    if !first.is_finite() || !last.is_finite() {
        first = today.floor() - 1.0;
        last = today.floor() + 1.0;
    }
    // A bounded axis: a stray calendar must not squeeze the rest into a line.
    first = first.max(last - 25.0);
    let span = (last - first).max(1.0);
    let x = |year: f64| LABEL_WIDTH + (year.clamp(first, last) - first) / span * (WIDTH - LABEL_WIDTH - 10.0);
    let rows = dated.len() as f64 + 1.0;
    let height = TOP + rows * ROW + 60.0;

    let mut svg = String::new();
    if standalone {
        svg.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    }
    let title = t("timeline-title");
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" \
         role=\"img\" aria-labelledby=\"timeline-title\" font-family=\"sans-serif\" font-size=\"11\">\
         <title id=\"timeline-title\">{}</title><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>",
        escape(&title)
    );
    // Year grid.
    let mut year = first.floor() as i64;
    while (year as f64) <= last {
        let gx = x(year as f64);
        let _ = write!(
            svg,
            "<line x1=\"{gx:.1}\" y1=\"{}\" x2=\"{gx:.1}\" y2=\"{:.1}\" stroke=\"#ddd\"/>",
            TOP - 14.0,
            TOP + rows * ROW
        );
        // The last line closes the final year: it has no year of its own to label.
        // Long spans are labelled every few years so that the labels do not overlap.
        let step = ((last - first) / 12.0).ceil().max(1.0) as i64;
        if (year as f64) < last && (year - first.floor() as i64) % step == 0 {
            let _ = write!(svg, "<text x=\"{:.1}\" y=\"{}\" fill=\"#333\">{year}</text>", gx + 2.0, TOP - 18.0);
        }
        year += 1;
    }
    // Meetings row.
    let _ = write!(
        svg,
        "<text x=\"4\" y=\"{:.1}\" font-weight=\"bold\">{}</text>",
        TOP + 12.0,
        escape(&t("timeline-meetings"))
    );
    for m in &d.meetings {
        let Some(y) = m.start.as_deref().and_then(year_fraction) else { continue };
        let (cx, cy) = (x(y), TOP + 8.0);
        let _ = write!(
            svg,
            "<path d=\"M{cx:.1} {:.1} L{:.1} {cy:.1} L{cx:.1} {:.1} L{:.1} {cy:.1} Z\" fill=\"#6a1b9a\"><title>{} ({})</title></path>",
            cy - 6.0,
            cx + 6.0,
            cy + 6.0,
            cx - 6.0,
            escape(&m.title),
            escape(m.start.as_deref().unwrap_or_default())
        );
    }
    // One bar per action.
    for (i, a) in dated.iter().enumerate() {
        let y = TOP + (i as f64 + 1.0) * ROW;
        let start = a.action.start_year.unwrap_or_default() as f64;
        let end = a.action.end_year.or(a.action.start_year).unwrap_or_default() as f64 + 1.0;
        let label = match &a.action.label {
            Some(l) => format!("{l} {}", a.action.title),
            None => a.action.title.clone(),
        };
        let status = t(&format!("status-{}", a.action.status));
        let stroke = if a.overdue { " stroke=\"#c62828\" stroke-width=\"2\"" } else { "" };
        let _ = write!(
            svg,
            "<text x=\"4\" y=\"{:.1}\">{}</text>\
             <rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"2\" fill=\"{}\"{stroke}>\
             <title>{} — {} ({})</title></rect>",
            y + 12.0,
            escape(&truncate(&label, 52)),
            x(start),
            y + 3.0,
            (x(end) - x(start)).max(3.0),
            ROW - 6.0,
            status_colour(&a.action.status),
            escape(&label),
            escape(&status),
            escape(a.action.calendar.as_deref().unwrap_or_default())
        );
    }
    // Today.
    if today >= first && today <= last {
        let tx = x(today);
        let _ = write!(
            svg,
            "<line x1=\"{tx:.1}\" y1=\"{}\" x2=\"{tx:.1}\" y2=\"{:.1}\" stroke=\"#c62828\" stroke-dasharray=\"4 3\"/>",
            TOP - 14.0,
            TOP + rows * ROW
        );
    }
    // Legend and the actions the chart cannot place.
    let ly = TOP + rows * ROW + 20.0;
    let mut lx = 4.0;
    for status in ["planned", "ongoing", "completed", "tbc", "absorbed"] {
        let name = t(&format!("status-{status}"));
        let _ = write!(
            svg,
            "<rect x=\"{lx:.1}\" y=\"{:.1}\" width=\"12\" height=\"10\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            ly - 9.0,
            status_colour(status),
            lx + 16.0,
            ly,
            escape(&name)
        );
        lx += 30.0 + name.chars().count() as f64 * 6.5;
    }
    let _ = write!(
        svg,
        "<rect x=\"{lx:.1}\" y=\"{:.1}\" width=\"12\" height=\"10\" fill=\"#fff\" stroke=\"#c62828\" stroke-width=\"2\"/>\
         <text x=\"{:.1}\" y=\"{ly:.1}\">{}</text>",
        ly - 9.0,
        lx + 16.0,
        escape(&t("dashboard-overdue"))
    );
    let undated = d.actions.len() - dated.len();
    if undated > 0 {
        let note = i18n.message(lang, "timeline-undated", &[("count", (undated as i64).into())]);
        let _ = write!(svg, "<text x=\"4\" y=\"{:.1}\" fill=\"#555\">{}</text>", ly + 20.0, escape(&note));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_svg() {
        assert_eq!(escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }

    #[test]
    fn numbers_are_grouped() {
        assert_eq!(number(12345.678, 1), "12,345.7");
        assert_eq!(number(-1234567.0, 0), "-1,234,567");
        assert_eq!(number(-0.01, 1), "0.0");
        assert_eq!(number(999.0, 0), "999");
        assert_eq!(number(f64::NAN, 1), "—");
    }

    #[test]
    fn dates_become_fractions_of_years() {
        assert_eq!(year_fraction("2020-01-01"), Some(2020.0));
        assert!(year_fraction("2020-07-01").is_some_and(|y| (y - 2020.5).abs() < 0.01));
        assert_eq!(year_fraction("x"), None);
    }
}
