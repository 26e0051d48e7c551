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
    let (format, raws) = raw_rows(bytes, reg)?;
    let mut problems = Vec::new();
    let mut observations = Vec::with_capacity(raws.len());
    let mut checker = Checker::new(reg, areas);
    for raw in &raws {
        match checker.check(raw) {
            Ok(o) => observations.push(o),
            Err(p) => problems.extend(p),
        }
        if problems.len() >= MAX_PROBLEMS {
            break;
        }
    }
    // The same observation twice in one file: which value is meant cannot be guessed.
    let mut first_line: HashMap<&crate::obs::Key, usize> = HashMap::with_capacity(observations.len());
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
    if raws.is_empty() {
        problems.push(Problem { line: 1, field: "file".into(), reason: "no data rows".into() });
    }
    if problems.is_empty() {
        Ok(Parsed { format, observations })
    } else {
        problems.truncate(MAX_PROBLEMS);
        Err(problems)
    }
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
