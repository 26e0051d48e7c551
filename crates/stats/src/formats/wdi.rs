//! The World Bank's tidy WDI CSV (`country_iso3, indicator_code, year, value`), mapped to
//! ILOSTAT series by `data/wdi.toml`. Rows of WDI series with no mapping are refused, so that
//! nothing in a file is dropped unsaid.

use super::{csv_problem, csv_reader, line_of, Columns};
use crate::obs::{Problem, RawRow};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Deserialize)]
struct MappingFile {
    series: Vec<Mapping>,
}

#[derive(Deserialize)]
struct Mapping {
    wdi: String,
    indicator: String,
    #[serde(default)]
    sex: String,
    #[serde(default)]
    classif1: String,
    #[serde(default)]
    rescale: i32,
}

fn mappings() -> &'static HashMap<String, Mapping> {
    static MAP: OnceLock<HashMap<String, Mapping>> = OnceLock::new();
    MAP.get_or_init(|| {
        // Part of the build, parsed by a test: failing here is a defect of the build.
        #[allow(clippy::expect_used)]
        let f: MappingFile = toml::from_str(include_str!("../../data/wdi.toml")).expect("wdi.toml parses");
        f.series.into_iter().map(|m| (m.wdi.clone(), m)).collect()
    })
}

/// The WDI series codes Tripart maps.
pub fn mapped_series() -> Vec<&'static str> {
    let mut v: Vec<&str> = mappings().keys().map(String::as_str).collect();
    v.sort_unstable();
    v
}

pub(super) fn read(text: &str) -> Result<Vec<RawRow>, Vec<Problem>> {
    let mut rdr = csv_reader(text);
    let header = rdr.headers().map_err(|e| vec![csv_problem(&e, 0)])?.clone();
    let cols = Columns::new(&header);
    cols.require(&["country_iso3", "indicator_code", "year", "value"])?;
    let map = mappings();
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
        let code = cols.field(&rec, "indicator_code").trim();
        let Some(m) = map.get(code) else {
            problems.push(Problem {
                line,
                field: "indicator_code".into(),
                reason: format!(
                    "WDI series `{code}` has no ILOSTAT counterpart in Tripart (it maps {})",
                    mapped_series().join(", ")
                ),
            });
            continue;
        };
        rows.push(RawRow {
            line,
            ref_area: cols.field(&rec, "country_iso3").to_string(),
            indicator: m.indicator.clone(),
            sex: m.sex.clone(),
            classif1: m.classif1.clone(),
            time: cols.field(&rec, "year").to_string(),
            obs_value: cols.field(&rec, "value").to_string(),
            source: "ILO modelled estimates, via the World Bank's World Development Indicators".into(),
            note_source: format!("WDI series {code}"),
            rescale: m.rescale,
            ..RawRow::default()
        });
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}
