//! SDMX-CSV 1.0 (first column `DATAFLOW`) and 2.0 (`STRUCTURE`, `STRUCTURE_ID`, optional
//! `ACTION`) with the ILO's dimension and attribute ids: `REF_AREA`, `MEASURE`, `SEX`, `AGE`,
//! `GEO`, `ECO`, `INS`, `MIG`, `TIME_PERIOD`, `OBS_VALUE`, `OBS_STATUS`, `UNIT_MULT`, `SOURCE`,
//! `NOTE_INDICATOR`, `NOTE_SOURCE`. Headers and values written as `ID: Label` (the "labels =
//! both" option) are read by their id. The series is the measure by the dimensions that carry a
//! code (`_Z`, not applicable, and empty cells do not count); without a `MEASURE` column the
//! dataflow id (`ILO:DF_EAP_DWAP_SEX_AGE_RT(1.0)`) names it.

use super::{csv_problem, csv_reader, line_of};
use crate::obs::{Problem, RawRow};
use crate::registry::{Registry, DIMENSIONS};
use std::collections::HashMap;

/// `ID: Label` → `ID`.
fn id_part(s: &str) -> &str {
    s.split_once(": ").map(|(id, _)| id).unwrap_or(s).trim()
}

pub(super) fn read(text: &str, reg: &Registry) -> Result<Vec<RawRow>, Vec<Problem>> {
    let mut rdr = csv_reader(text);
    let header = rdr.headers().map_err(|e| vec![csv_problem(&e, 0)])?.clone();
    let cols: HashMap<String, usize> = header
        .iter()
        .enumerate()
        .map(|(i, h)| (id_part(h.trim_start_matches('\u{feff}')).to_ascii_uppercase(), i))
        .collect();
    let missing: Vec<&str> =
        ["REF_AREA", "TIME_PERIOD", "OBS_VALUE"].into_iter().filter(|c| !cols.contains_key(*c)).collect();
    if !missing.is_empty() {
        return Err(vec![Problem {
            line: 1,
            field: "header".into(),
            reason: format!(
                "missing SDMX column(s) {}: Tripart reads data structured with the ILO's dimension ids",
                missing.join(", ")
            ),
        }]);
    }
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
        let line = line_of(&rec, i + 2);
        let f = |name: &str| cols.get(name).and_then(|&i| rec.get(i)).map(id_part).unwrap_or("").to_string();
        if f("ACTION").eq_ignore_ascii_case("D") {
            problems.push(Problem {
                line,
                field: "ACTION".into(),
                reason: "deletions (ACTION D) are not taken from files: data are revised, never deleted; send the corrected value, or status N".into(),
            });
            continue;
        }
        let given: Vec<(&str, String)> =
            DIMENSIONS.iter().map(|d| (*d, f(d))).filter(|(_, v)| !v.is_empty() && v != "_Z").collect();
        let dims: Vec<&str> = given.iter().map(|(d, _)| *d).collect();
        let measure = f("MEASURE");
        let series = if measure.is_empty() {
            let flow = if cols.contains_key("STRUCTURE_ID") { f("STRUCTURE_ID") } else { f("DATAFLOW") };
            let id = flow.split_once(':').map(|(_, rest)| rest).unwrap_or(&flow);
            let id = id.split('(').next().unwrap_or(id);
            reg.series(id.strip_prefix("DF_").unwrap_or(id))
        } else {
            reg.series_of(&measure, &dims)
        };
        let series = match series {
            Ok(s) => s,
            Err(reason) => {
                problems.push(Problem { line, field: "MEASURE".into(), reason });
                continue;
            }
        };
        let value_of = |dim: Option<&String>| {
            dim.and_then(|d| given.iter().find(|(g, _)| g == d)).map(|(_, v)| v.clone()).unwrap_or_default()
        };
        let classifs = series.classifs();
        let rescale = match f("UNIT_MULT").as_str() {
            "" => 0,
            m => match (m.parse::<i32>(), reg.measure(&series.measure)) {
                (Ok(given), Some(meas)) if (0..=12).contains(&given) => given - meas.unit_mult,
                _ => {
                    problems.push(Problem {
                        line,
                        field: "UNIT_MULT".into(),
                        reason: format!("`{m}` is not a power of ten (0, 3, 6)"),
                    });
                    continue;
                }
            },
        };
        rows.push(RawRow {
            line,
            ref_area: f("REF_AREA"),
            sex: if series.has_sex() { f("SEX") } else { String::new() },
            classif1: value_of(classifs.first()),
            classif2: value_of(classifs.get(1)),
            indicator: series.code,
            time: f("TIME_PERIOD"),
            obs_value: f("OBS_VALUE"),
            obs_status: f("OBS_STATUS"),
            source: f("SOURCE"),
            note_indicator: f("NOTE_INDICATOR"),
            note_source: f("NOTE_SOURCE"),
            rescale,
            ..RawRow::default()
        });
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}
