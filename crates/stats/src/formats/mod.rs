//! The file formats data comes in, each read into [`RawRow`]s for the common checks: ILOSTAT
//! bulk CSV (code or label format, and the `tripart lfs tabulate` output, which is code format
//! with sampling-error columns), SDMX-CSV 1.0/2.0 with the ILO's dimension ids, the World
//! Bank's tidy WDI CSV, and Tripart's Excel template. The format is recognised from the content.

mod ilostat;
mod sdmx_csv;
mod wdi;
pub use wdi::mapped_series as wdi_mapped_series;
pub mod xlsx;

use crate::obs::{Checker, Observation, Problem, RawRow};
use crate::registry::Registry;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    IlostatCsv,
    IlostatLabelCsv,
    SdmxCsv,
    WdiCsv,
    Xlsx,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::IlostatCsv => "ilostat-csv",
            Format::IlostatLabelCsv => "ilostat-label-csv",
            Format::SdmxCsv => "sdmx-csv",
            Format::WdiCsv => "wdi-csv",
            Format::Xlsx => "xlsx",
        }
    }
}

/// A file read and checked: every row good, or every problem found.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub format: Format,
    pub observations: Vec<Observation>,
}

/// Problems are reported up to this many; a file with more is wrong throughout.
pub const MAX_PROBLEMS: usize = 200;

/// Reads a file of any known format and checks every row. `areas` are the member states the
/// submitter may report for. All or nothing: any problem fails the whole file.
pub fn read(bytes: &[u8], reg: &Registry, areas: &[String]) -> Result<Parsed, Vec<Problem>> {
    let (format, rows, observations, mut problems) = match large_code_csv(bytes) {
        Some((text, cut)) => read_in_two(text, cut, reg, areas),
        None => {
            let (format, raws) = raw_rows(bytes, reg)?;
            let (observations, problems) = check_all(&raws, reg, areas);
            (format, raws.len(), observations, problems)
        }
    };
    // The same observation twice in one file: which value is meant cannot be guessed.
    let mut first_line: hashbrown::HashMap<&crate::obs::Key, usize> =
        hashbrown::HashMap::with_capacity(observations.len());
    for o in &observations {
        if let Some(first) = first_line.insert(&o.key, o.line) {
            problems.push(Problem {
                line: o.line,
                field: "indicator".into(),
                reason: format!("the same observation (area, indicator, classifications, time) as line {first}"),
            });
        }
    }
    drop(first_line);
    problems.sort_by_key(|p| p.line);
    if rows == 0 && problems.is_empty() {
        problems.push(Problem { line: 1, field: "file".into(), reason: "no data rows".into() });
    }
    if problems.is_empty() {
        Ok(Parsed { format, observations })
    } else {
        problems.truncate(MAX_PROBLEMS);
        Err(problems)
    }
}

/// Checks rows read, up to [`MAX_PROBLEMS`] problems.
fn check_all(raws: &[RawRow], reg: &Registry, areas: &[String]) -> (Vec<Observation>, Vec<Problem>) {
    let mut checks = Checks::new(reg, areas, raws.len());
    raws.iter().for_each(|raw| checks.row(raw));
    (checks.observations, checks.problems)
}

/// Rows checked one at a time: the observations, and the problems up to [`MAX_PROBLEMS`]
/// (rows after that are not checked).
struct Checks<'a> {
    checker: Checker<'a>,
    observations: Vec<Observation>,
    problems: Vec<Problem>,
}

impl<'a> Checks<'a> {
    fn new(reg: &'a Registry, areas: &'a [String], rows: usize) -> Checks<'a> {
        Checks { checker: Checker::new(reg, areas), observations: Vec::with_capacity(rows), problems: Vec::new() }
    }

    fn row(&mut self, raw: &RawRow) {
        if self.problems.len() >= MAX_PROBLEMS {
            return;
        }
        match self.checker.check(raw) {
            Ok(o) => self.observations.push(o),
            Err(p) => self.problems.extend(p),
        }
    }
}

/// Files above this size are read on two threads (a million ILOSTAT rows is 150 MB).
const TWO_THREADS_FROM: usize = 4 << 20;

/// A large ILOSTAT bulk CSV in code format, and where to cut it in two: after a line end
/// that is not inside a quoted field (an even number of quotes before it: `""` inside a
/// field counts twice), near the middle.
fn large_code_csv(bytes: &[u8]) -> Option<(&str, usize)> {
    if bytes.len() < TWO_THREADS_FROM || bytes.starts_with(b"PK\x03\x04") {
        return None;
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let header = text.lines().next()?.to_ascii_lowercase();
    let names: Vec<&str> = header.split(',').map(|s| s.trim().trim_matches('"')).collect();
    if !(names.contains(&"ref_area") && names.contains(&"indicator")) || names.contains(&"ref_area.label") {
        return None;
    }
    let mut quotes = text.as_bytes()[..text.len() / 2].iter().filter(|&&b| b == b'"').count();
    let mut at = text.len() / 2;
    loop {
        let newline = at + text.as_bytes()[at..].iter().position(|&b| b == b'\n')?;
        quotes += text.as_bytes()[at..newline].iter().filter(|&&b| b == b'"').count();
        at = newline + 1;
        if quotes % 2 == 0 {
            return (at < text.len()).then_some((text, at));
        }
    }
}

/// Reads and checks the two halves of a large code-format CSV on two threads. The second half
/// is read under a copy of the header, and its line numbers are moved back to the file's.
fn read_in_two(
    text: &str,
    cut: usize,
    reg: &Registry,
    areas: &[String],
) -> (Format, usize, Vec<Observation>, Vec<Problem>) {
    let (first, rest) = text.split_at(cut);
    let header = first.lines().next().unwrap_or("");
    let second = format!("{header}\n{rest}");
    // The second half's first row is the line after the first half's last; it is line 2 there.
    let shift = first.bytes().filter(|&b| b == b'\n').count() - 1;
    // Each row is checked as it is read (`check_all`, a row at a time).
    let part = |t: &str| {
        let mut checks = Checks::new(reg, areas, 0);
        match ilostat::each_code_row(t, |raw| checks.row(raw)) {
            Ok(rows) => (rows, checks.observations, checks.problems),
            Err(problems) => (0, Vec::new(), problems),
        }
    };
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| part(first));
        let b = part(&second);
        (a.join(), b)
    });
    let Ok((rows_a, mut observations, mut problems)) = a else {
        let lost = Problem { line: 1, field: "file".into(), reason: "the file could not be read".into() };
        return (Format::IlostatCsv, 0, Vec::new(), vec![lost]);
    };
    let (rows_b, more, more_problems) = b;
    observations.extend(more.into_iter().map(|o| Observation { line: o.line + shift, ..o }));
    // A header problem is the first half's too: reported once, at line 1.
    problems.extend(more_problems.into_iter().filter(|p| p.line > 1).map(|p| Problem { line: p.line + shift, ..p }));
    (Format::IlostatCsv, rows_a + rows_b, observations, problems)
}

/// Recognises the format and reads the rows without checking them.
pub fn raw_rows(bytes: &[u8], reg: &Registry) -> Result<(Format, Vec<RawRow>), Vec<Problem>> {
    if bytes.starts_with(b"PK\x03\x04") {
        return xlsx::read(bytes).map(|r| (Format::Xlsx, r));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        vec![Problem {
            line: 1,
            field: "file".into(),
            reason: format!("not UTF-8 text (byte {}), nor an Excel workbook", e.valid_up_to()),
        }]
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let header = text.lines().next().unwrap_or("").to_ascii_lowercase();
    let names: Vec<String> = header.split(',').map(|s| s.trim().trim_matches('"').to_string()).collect();
    let has = |n: &str| names.iter().any(|x| x == n);
    if has("ref_area.label") {
        ilostat::read_labels(text, reg).map(|r| (Format::IlostatLabelCsv, r))
    } else if has("ref_area") && has("indicator") {
        ilostat::read_codes(text).map(|r| (Format::IlostatCsv, r))
    } else if names.first().is_some_and(|n| n == "structure" || n == "dataflow") {
        sdmx_csv::read(text, reg).map(|r| (Format::SdmxCsv, r))
    } else if has("country_iso3") && has("indicator_code") {
        wdi::read(text).map(|r| (Format::WdiCsv, r))
    } else {
        Err(vec![Problem {
            line: 1,
            field: "header".into(),
            reason: "not a format Tripart reads: expected ILOSTAT bulk CSV (ref_area, indicator, sex, classif1, classif2, time, obs_value…), SDMX-CSV (STRUCTURE or DATAFLOW first), the World Bank's tidy WDI CSV, or Tripart's Excel template".into(),
        }])
    }
}

/// Column positions by lower-cased header name.
pub(crate) struct Columns(HashMap<String, usize>);

impl Columns {
    pub(crate) fn new(header: &csv::StringRecord) -> Columns {
        Columns(
            header
                .iter()
                .enumerate()
                .map(|(i, h)| (h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase(), i))
                .collect(),
        )
    }

    pub(crate) fn get(&self, name: &str) -> Option<usize> {
        self.0.get(name).copied()
    }

    pub(crate) fn require(&self, names: &[&str]) -> Result<(), Vec<Problem>> {
        let missing: Vec<&str> = names.iter().copied().filter(|n| self.get(n).is_none()).collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(vec![Problem {
                line: 1,
                field: "header".into(),
                reason: format!("missing column(s): {}", missing.join(", ")),
            }])
        }
    }

    /// The field named `name` in `rec`, or "".
    pub(crate) fn field<'r>(&self, rec: &'r csv::StringRecord, name: &str) -> &'r str {
        self.get(name).and_then(|i| rec.get(i)).unwrap_or("")
    }
}

/// A CSV reader over text that keeps going past ragged rows (they are reported, not fatal).
pub(crate) fn csv_reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new().flexible(true).has_headers(true).from_reader(text.as_bytes())
}

/// The line of a record (the header is line 1), or `fallback` when unknown.
pub(crate) fn line_of(rec: &csv::StringRecord, fallback: usize) -> usize {
    rec.position().map(|p| p.line() as usize).unwrap_or(fallback)
}

pub(crate) fn csv_problem(e: &csv::Error, index: usize) -> Problem {
    let line = e.position().map(|p| p.line() as usize).unwrap_or(index + 2);
    Problem { line, field: "file".into(), reason: format!("not readable as CSV: {e}") }
}
