//! ILOSTAT bulk CSV: code format (`ref_area, source, indicator, sex, classif1, classif2, time,
//! obs_value, obs_status, note_…`, as ILOSTAT's bulk download and `tripart lfs tabulate` write
//! it, the latter with `std_error`, `cv` and `sample_count`) and label format (the same columns
//! suffixed `.label`, holding names: "Viet Nam", "Sex: Total").

use super::{csv_problem, csv_reader, line_of, Columns};
use crate::obs::{Problem, RawRow};
use crate::registry::{Registry, AREA_NAMES};

pub(super) fn read_codes(text: &str) -> Result<Vec<RawRow>, Vec<Problem>> {
    let mut rows = Vec::new();
    each_code_row(text, |raw| rows.push(raw.clone()))?;
    Ok(rows)
}

/// Reads the rows of a code-format file one at a time into the same `RawRow`, handing each to
/// `each`: a large file is checked as it is read, without holding every raw row nor allocating
/// fifteen strings per row. Returns how many rows there were, or the rows CSV could not read.
pub(super) fn each_code_row(text: &str, mut each: impl FnMut(&RawRow)) -> Result<usize, Vec<Problem>> {
    let mut rdr = csv_reader(text);
    let header = rdr.headers().map_err(|e| vec![csv_problem(&e, 0)])?.clone();
    let cols = Columns::new(&header);
    cols.require(&["ref_area", "indicator", "time", "obs_value"])?;
    // Column positions are looked up once, not per row and field.
    let at = [
        "ref_area",
        "indicator",
        "sex",
        "classif1",
        "classif2",
        "time",
        "obs_value",
        "obs_status",
        "source",
        "note_indicator",
        "note_source",
        "evidence",
        "std_error",
        "cv",
        "sample_count",
    ]
    .map(|n| cols.get(n));
    let mut raw = RawRow::default();
    let mut rec = csv::StringRecord::new();
    let mut problems = Vec::new();
    let mut rows = 0;
    loop {
        match rdr.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                problems.push(csv_problem(&e, rows));
                rows += 1;
                continue;
            }
        }
        raw.line = line_of(&rec, rows + 2);
        let fields = [
            &mut raw.ref_area,
            &mut raw.indicator,
            &mut raw.sex,
            &mut raw.classif1,
            &mut raw.classif2,
            &mut raw.time,
            &mut raw.obs_value,
            &mut raw.obs_status,
            &mut raw.source,
            &mut raw.note_indicator,
            &mut raw.note_source,
            &mut raw.evidence,
            &mut raw.std_error,
            &mut raw.cv,
            &mut raw.sample_count,
        ];
        for (field, i) in fields.into_iter().zip(at) {
            field.clear();
            field.push_str(i.and_then(|i| rec.get(i)).unwrap_or(""));
        }
        each(&raw);
        rows += 1;
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}

pub(super) fn read_labels(text: &str, reg: &Registry) -> Result<Vec<RawRow>, Vec<Problem>> {
    let mut rdr = csv_reader(text);
    let header = rdr.headers().map_err(|e| vec![csv_problem(&e, 0)])?.clone();
    let cols = Columns::new(&header);
    cols.require(&["ref_area.label", "indicator.label", "time", "obs_value"])?;
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                problems.push(csv_problem(&e, i));
                continue;
            }
        };
        let f = |n: &str| cols.field(&rec, n).trim().to_string();
        let area = f("ref_area.label");
        let indicator = f("indicator.label");
        // An unknown label is passed on as it is, so that the common check names it.
        let code = |label: String| reg.code_from_label(&label).map(|c| c.code.clone()).unwrap_or(label);
        let status = f("obs_status.label");
        rows.push(RawRow {
            line: line_of(&rec, i + 2),
            ref_area: AREA_NAMES.iter().find(|(_, n)| *n == area).map(|(c, _)| c.to_string()).unwrap_or(area),
            indicator: reg.series_from_label(&indicator).map(str::to_string).unwrap_or(indicator),
            sex: code(f("sex.label")),
            classif1: code(f("classif1.label")),
            classif2: code(f("classif2.label")),
            time: f("time"),
            obs_value: f("obs_value"),
            obs_status: reg.codes_of("OBS_STATUS").find(|c| c.name == status).map(|c| c.code.clone()).unwrap_or(status),
            source: f("source.label"),
            note_indicator: f("note_indicator.label"),
            note_source: f("note_source.label"),
            ..RawRow::default()
        });
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}
