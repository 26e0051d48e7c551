//! The data downloads of `GET /api/v1/data`, from the rows the query returned: ILOSTAT bulk CSV
//! (code format), SDMX-CSV 2.0 with the ILO's dimension ids, and an Excel workbook with
//! ILOSTAT's field names. Each reads back through `tripart_stats::formats::read` (ASEAN rows
//! aside, which are computed and never submitted). Only writing here: what rows to write is
//! the query's business.

use crate::error::ApiError;
use tripart_stats::{Registry, Series};
use tripart_storage::stats::query::DataRow;

/// A CSV field, quoted when it must be.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn line(out: &mut String, cells: &[&str]) {
    out.push_str(&cells.iter().map(|c| field(c)).collect::<Vec<_>>().join(","));
    out.push('\n');
}

/// The value column: the number in its shortest exact form, or a text answer.
fn value(r: &DataRow) -> String {
    r.obs_value.map(|v| v.to_string()).or(r.obs_text.clone()).unwrap_or_default()
}

/// ILOSTAT bulk CSV, code format.
pub fn ilostat_csv(rows: &[DataRow]) -> String {
    let mut out = String::from(
        "ref_area,source,indicator,sex,classif1,classif2,time,obs_value,obs_status,note_indicator,note_source\n",
    );
    for r in rows {
        line(
            &mut out,
            &[
                &r.ref_area,
                r.source.as_deref().unwrap_or(""),
                &r.indicator,
                &r.sex,
                &r.classif1,
                &r.classif2,
                &r.time,
                &value(r),
                r.obs_status.as_deref().unwrap_or(""),
                r.note_indicator.as_deref().unwrap_or(""),
                r.note_source.as_deref().unwrap_or(""),
            ],
        );
    }
    out
}

/// SDMX's frequency of an ILOSTAT period: A (2024), Q (2024Q1) or M (2024M01).
fn frequency(time: &str) -> &'static str {
    match time.get(4..5) {
        Some("Q") => "Q",
        Some("M") => "M",
        _ => "A",
    }
}

/// An ILOSTAT period as SDMX writes it: `2024Q1` → `2024-Q1`, `2024M01` → `2024-01`.
fn sdmx_period(time: &str) -> String {
    match (time.get(..4), time.get(4..5), time.get(5..)) {
        (Some(y), Some("Q"), Some(q)) => format!("{y}-Q{q}"),
        (Some(y), Some("M"), Some(m)) => format!("{y}-{m}"),
        _ => time.to_string(),
    }
}

/// SDMX-CSV 2.0 of one series: the dataflow `ILO:DF_<bulk code>(1.0)`, action I (information),
/// the measure and one column per dimension of the series, as the ILO's data structure has them.
pub fn sdmx_csv(series: &Series, rows: &[DataRow]) -> String {
    let reg = Registry::get();
    let unit_mult = reg.measure(&series.measure).map(|m| m.unit_mult).unwrap_or(0).to_string();
    let mut header: Vec<&str> = vec!["STRUCTURE", "STRUCTURE_ID", "ACTION", "REF_AREA", "FREQ", "MEASURE"];
    header.extend(series.dims.iter().map(String::as_str));
    header.extend(["TIME_PERIOD", "OBS_VALUE", "OBS_STATUS", "UNIT_MULT", "SOURCE", "NOTE_INDICATOR", "NOTE_SOURCE"]);
    let mut out = String::new();
    line(&mut out, &header);
    let flow = format!("ILO:DF_{}(1.0)", series.code);
    for r in rows {
        let mut cells: Vec<String> = vec![
            "dataflow".into(),
            flow.clone(),
            "I".into(),
            r.ref_area.clone(),
            frequency(&r.time).into(),
            series.measure.clone(),
        ];
        // The row's codes in the series' order: SEX first when it has one, then the classifications.
        let mut codes = Vec::new();
        if series.has_sex() {
            codes.push(r.sex.clone());
        }
        codes.extend([r.classif1.clone(), r.classif2.clone()].into_iter().take(series.classifs().len()));
        cells.extend(codes);
        cells.extend([
            sdmx_period(&r.time),
            value(r),
            r.obs_status.clone().unwrap_or_default(),
            unit_mult.clone(),
            r.source.clone().unwrap_or_default(),
            r.note_indicator.clone().unwrap_or_default(),
            r.note_source.clone().unwrap_or_default(),
        ]);
        line(&mut out, &cells.iter().map(String::as_str).collect::<Vec<_>>());
    }
    out
}

/// An Excel workbook: a title, a note on the ASEAN figure, and ILOSTAT's columns, so that the
/// sheet reads like the bulk CSV (and back through the template's reader).
pub fn workbook(series: &Series, rows: &[DataRow], title: &str, note: &str) -> Result<Vec<u8>, ApiError> {
    use tripart_sheets::{Cell, Column, Sheet, Workbook};
    let headers = [
        "ref_area",
        "source",
        "indicator",
        "sex",
        "classif1",
        "classif2",
        "time",
        "obs_value",
        "obs_status",
        "note_indicator",
        "note_source",
        "evidence",
    ];
    let text = |s: &str| if s.is_empty() { Cell::Empty } else { Cell::Text(s.to_string()) };
    let opt = |s: &Option<String>| s.as_deref().map(text).unwrap_or(Cell::Empty);
    let data = rows
        .iter()
        .map(|r| {
            vec![
                text(&r.ref_area),
                opt(&r.source),
                text(&r.indicator),
                text(&r.sex),
                text(&r.classif1),
                text(&r.classif2),
                text(&r.time),
                match (r.obs_value, &r.obs_text) {
                    (Some(v), _) => Cell::Number(v),
                    (None, Some(t)) => text(t),
                    (None, None) => Cell::Empty,
                },
                opt(&r.obs_status),
                opt(&r.note_indicator),
                opt(&r.note_source),
                opt(&r.evidence),
            ]
        })
        .collect();
    let book = Workbook {
        sheets: vec![Sheet {
            name: tripart_domain::ids::truncate(&series.code, 31).to_string(),
            title: Some(title.to_string()),
            note: Some(note.to_string()),
            columns: headers.iter().map(|h| Column { header: h.to_string(), ..Column::default() }).collect(),
            rows: data,
        }],
    };
    tripart_sheets::to_xlsx(&book)
        .map_err(|e| ApiError::Internal(tripart_storage::StorageError::Corrupt(format!("workbook: {e}"))))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn row(area: &str, time: &str, sex: &str, v: Option<f64>) -> DataRow {
        DataRow {
            ref_area: area.into(),
            indicator: "UNE_DEAP_SEX_AGE_RT".into(),
            sex: sex.into(),
            classif1: "AGE_YTHADULT_YGE15".into(),
            classif2: String::new(),
            time: time.into(),
            obs_value: v,
            obs_text: None,
            obs_status: v.is_none().then(|| "N".to_string()),
            source: Some("LFS, \"2024\"".into()),
            note_indicator: None,
            note_source: None,
            evidence: None,
            std_error: None,
            cv: None,
            sample_count: None,
            state: None,
            observation_id: None,
            coverage: None,
        }
    }

    #[test]
    fn sdmx_csv_reads_back_as_the_same_observations() {
        let reg = Registry::get();
        let series = reg.series("UNE_DEAP_SEX_AGE_RT").unwrap();
        let rows = vec![row("THA", "2024", "SEX_T", Some(1.04)), row("VNM", "2024Q3", "SEX_F", None)];
        let text = sdmx_csv(&series, &rows);
        assert!(text.starts_with(
            "STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,FREQ,MEASURE,SEX,AGE,TIME_PERIOD,OBS_VALUE,OBS_STATUS,"
        ));
        assert!(text.contains(
            "dataflow,ILO:DF_UNE_DEAP_SEX_AGE_RT(1.0),I,THA,A,UNE_DEAP_RT,SEX_T,AGE_YTHADULT_YGE15,2024,1.04"
        ));
        assert!(text.contains(",Q,") && text.contains("2024-Q3"));
        let parsed =
            tripart_stats::formats::read(text.as_bytes(), reg, &["THA".to_string(), "VNM".to_string()]).unwrap();
        assert_eq!(parsed.format, tripart_stats::formats::Format::SdmxCsv);
        let keys: Vec<(String, String, String, Option<f64>)> = parsed
            .observations
            .iter()
            .map(|o| (o.key.indicator.clone(), o.key.sex.clone(), o.key.time.clone(), o.value))
            .collect();
        assert_eq!(
            keys,
            [
                ("UNE_DEAP_SEX_AGE_RT".into(), "SEX_T".into(), "2024".into(), Some(1.04)),
                ("UNE_DEAP_SEX_AGE_RT".into(), "SEX_F".into(), "2024Q3".into(), None),
            ]
        );
        assert_eq!(parsed.observations[0].source.as_deref(), Some("LFS, \"2024\""));
    }

    #[test]
    fn a_series_without_breakdown_has_no_dimension_columns() {
        let series = Registry::get().series("LAI_VIST_NOC_NB").unwrap();
        let mut r = row("THA", "2024M02", "", Some(12.0));
        r.indicator = series.code.clone();
        r.classif1.clear();
        let text = sdmx_csv(&series, &[r]);
        assert!(text.starts_with("STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,FREQ,MEASURE,TIME_PERIOD,"), "{text}");
        assert!(text.contains(",M,LAI_VIST_NB,2024-02,12,"), "{text}");
        let parsed = tripart_stats::formats::read(text.as_bytes(), Registry::get(), &["THA".to_string()]).unwrap();
        assert_eq!(parsed.observations[0].key.time, "2024M02");
    }

    #[test]
    fn the_workbook_reads_back() {
        let reg = Registry::get();
        let series = reg.series("UNE_DEAP_SEX_AGE_RT").unwrap();
        let bytes = workbook(&series, &[row("THA", "2024", "SEX_T", Some(1.04))], "t", "n").unwrap();
        let parsed = tripart_stats::formats::read(&bytes, reg, &["THA".to_string()]).unwrap();
        assert_eq!(parsed.observations[0].value, Some(1.04));
        assert!(ilostat_csv(&[row("THA", "2024", "SEX_T", Some(1.0))]).contains("\"LFS, \"\"2024\"\"\""));
    }
}
