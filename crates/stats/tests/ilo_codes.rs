//! The curated measures and codes against the ILO's own code lists, and the real files of
//! `../shared/data` through the readers. Skipped (with a message) where `../shared` is absent.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use tripart_stats::formats::{self, Format};
use tripart_stats::Registry;

fn shared(rel: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data").join(rel);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("skipped: {} not found", p.display());
        None
    }
}

fn ilo_codes() -> Option<Vec<(String, String, String, bool)>> {
    let path = shared("sdmx/ilo/ILO_codelists_flat.csv")?;
    let mut rdr = csv::Reader::from_path(path).unwrap();
    Some(
        rdr.records()
            .map(|r| {
                let r = r.unwrap();
                (r[1].to_string(), r[3].to_string(), r[5].to_string(), &r[7] == "Y")
            })
            .collect(),
    )
}

#[test]
fn codes_match_the_ilo_code_lists() {
    let Some(ilo) = ilo_codes() else { return };
    let reg = Registry::get();
    for c in reg.codes() {
        let list = format!("CL_{}", c.family);
        let found = ilo.iter().find(|(l, code, _, _)| *l == list && *code == c.code);
        let (_, _, name, total) = found.unwrap_or_else(|| panic!("{} is not in {list}", c.code));
        assert_eq!(*name, c.name, "{}", c.code);
        assert_eq!(*total, c.total, "{}", c.code);
    }
    for m in reg.measures().iter().filter(|m| !m.project) {
        let found = ilo.iter().find(|(l, code, _, _)| l == "CL_MEASURE" && *code == m.code);
        let (_, _, name, _) = found.unwrap_or_else(|| panic!("{} is not in CL_MEASURE", m.code));
        let ilo_name = name.split(" -- ").next().unwrap().trim();
        assert_eq!(ilo_name, m.name, "{}", m.code);
    }
}

fn areas() -> Vec<String> {
    ["BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM", "TLS"].map(String::from).to_vec()
}

#[test]
fn the_ilostat_label_extracts_read_whole() {
    let reg = Registry::get();
    for (file, rows, indicator) in [
        ("ilostat/EMP_NIFL_SEX_RT_A-20240726T0000_ASEAN.csv", 120, "EMP_NIFL_SEX_RT"),
        ("ilostat/EMP_TEMP_SEX_INS_NB_A-20240725T0039_ASEAN.csv", 966, "EMP_TEMP_SEX_INS_NB"),
    ] {
        let Some(path) = shared(file) else { return };
        let parsed = formats::read(&std::fs::read(path).unwrap(), reg, &areas())
            .unwrap_or_else(|p| panic!("{file}: {:?}", &p[..p.len().min(5)]));
        assert_eq!(parsed.format, Format::IlostatLabelCsv);
        assert_eq!(parsed.observations.len(), rows, "{file}");
        assert!(parsed.observations.iter().all(|o| o.key.indicator == indicator));
    }
}

#[test]
fn the_wdi_extract_reads_its_mapped_series() {
    let reg = Registry::get();
    let Some(path) = shared("wdi/asean_wdi_labour_tidy.csv") else { return };
    let text = std::fs::read_to_string(path).unwrap();
    // The file also holds series Tripart does not map: those rows are refused by name.
    let err = formats::read(text.as_bytes(), reg, &areas()).unwrap_err();
    assert!(err.iter().all(|p| p.field == "indicator_code"), "{:?}", &err[..3]);
    let mapped = tripart_stats::formats::wdi_mapped_series();
    let kept: String = text
        .lines()
        .enumerate()
        .filter(|(i, l)| *i == 0 || mapped.iter().any(|m| l.contains(&format!(",{m},"))))
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    let parsed = formats::read(kept.as_bytes(), reg, &areas()).unwrap();
    assert_eq!(parsed.format, Format::WdiCsv);
    let lf = parsed
        .observations
        .iter()
        .find(|o| o.key.indicator == "EAP_TEAP_SEX_AGE_NB" && o.key.ref_area == "IDN" && o.key.time == "2020")
        .unwrap();
    // WDI counts persons; ILOSTAT levels are in thousands.
    assert!(lf.value.unwrap() > 100_000.0 && lf.value.unwrap() < 200_000.0, "{:?}", lf.value);
}

#[test]
fn sdmx_csv_with_the_ilo_dimensions() {
    let reg = Registry::get();
    let text = "STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,FREQ,MEASURE,SEX,AGE,TIME_PERIOD,OBS_VALUE,OBS_STATUS,UNIT_MULT\n\
                dataflow,ILO:DF_UNE_DEAP_SEX_AGE_RT(1.0),I,THA,A,UNE_DEAP_RT,SEX_T,AGE_YTHADULT_YGE15,2023,0.98,,\n\
                dataflow,ILO:DF_EAP_TEAP_SEX_AGE_NB(1.0),I,THA: Thailand,Q,EAP_TEAP_NB,SEX_F,AGE_YTHADULT_YGE15,2023-Q2,18200000,P,0\n";
    let parsed = formats::read(text.as_bytes(), reg, &areas()).unwrap();
    assert_eq!(parsed.format, Format::SdmxCsv);
    let o = &parsed.observations;
    assert_eq!(o[0].key.indicator, "UNE_DEAP_SEX_AGE_RT");
    assert_eq!(o[1].key.indicator, "EAP_TEAP_SEX_AGE_NB");
    assert_eq!(o[1].key.time, "2023Q2");
    assert_eq!(o[1].value, Some(18200.0), "UNIT_MULT 0 rescaled to thousands");
    let deleting = text.replace(",I,THA,", ",D,THA,");
    let p = formats::read(deleting.as_bytes(), reg, &areas()).unwrap_err();
    assert_eq!((p[0].line, p[0].field.as_str()), (2, "ACTION"));
}

#[test]
fn a_bad_file_reports_every_row_and_field() {
    let reg = Registry::get();
    let text = "ref_area,source,indicator,sex,classif1,classif2,time,obs_value,obs_status\n\
                THA,BA:123,UNE_DEAP_SEX_AGE_RT,SEX_T,AGE_YTHADULT_YGE15,,2023,0.98,\n\
                THA,BA:123,UNE_DEAP_SEX_AGE_RT,SEX_X,AGE_YTHADULT_YGE15,,2023,0.98,\n\
                THA,BA:123,UNE_DEAP_SEX_AGE_RT,SEX_T,AGE_YTHADULT_YGE15,,2023,1.1,\n\
                MMR,BA:123,UNE_DEAP_SEX_AGE_RT,SEX_T,AGE_YTHADULT_YGE15,,2023,abc,Q\n";
    let p = formats::read(text.as_bytes(), reg, &areas()).unwrap_err();
    let got: Vec<(usize, &str)> = p.iter().map(|p| (p.line, p.field.as_str())).collect();
    assert_eq!(got, [(3, "sex"), (4, "indicator"), (5, "obs_value"), (5, "obs_status")]);
    assert!(p[1].reason.contains("line 2"), "{}", p[1].reason);
}
