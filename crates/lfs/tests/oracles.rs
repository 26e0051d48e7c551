//! Estimates and standard errors checked against oracles: a design worked by hand, samplics
//! (fixture under tests/oracle/, made by the script there), and real Sakernas extracts from
//! ../shared (skipped with a message when that folder is absent).

use std::path::{Path, PathBuf};
use tripart_lfs::accumulate::m;
use tripart_lfs::estimate::{estimate, Design, Domains, Ratio, SinglePsu};
use tripart_lfs::tables::{Request, Row};
use tripart_lfs::{accumulate_file, tabulate_file, Options, Tabulation};

fn run(input: &Path, mapping: Option<&str>, strata: Option<&str>, psu: Option<&str>, by: &[&str]) -> Tabulation {
    run_with(input, mapping, strata, psu, by, Request::default())
}

fn run_with(
    input: &Path,
    mapping: Option<&str>,
    strata: Option<&str>,
    psu: Option<&str>,
    by: &[&str],
    request: Request,
) -> Tabulation {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temporary folder: {e}"));
    let mapping = mapping.map(|text| {
        let p = dir.path().join("mapping.toml");
        std::fs::write(&p, text).unwrap_or_else(|e| panic!("writing the mapping: {e}"));
        p
    });
    let opts = Options {
        input: input.to_path_buf(),
        mapping,
        strata: strata.map(str::to_string),
        psu: psu.map(str::to_string),
        by: by.iter().map(|s| s.to_string()).collect(),
        threads: 2,
        progress: false,
        request,
    };
    tabulate_file(&opts).unwrap_or_else(|e| panic!("tabulating {}: {e:#}", input.display()))
}

fn find<'a>(t: &'a Tabulation, indicator: &str, sex: &str, c1: &str, c2: &str) -> &'a Row {
    t.rows
        .iter()
        .find(|r| r.indicator == indicator && r.sex == sex && r.classif1 == c1 && r.classif2 == c2)
        .unwrap_or_else(|| panic!("no row {indicator} {sex} {c1} {c2}"))
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs().max(1e-12)
}

fn write_csv(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap_or_else(|e| panic!("writing {}: {e}", p.display()));
    p
}

/// Two strata of two PSUs; every figure below is worked out in the comments.
const HAND: &str = "ilo_wgt,ilo_sex,ilo_age,ilo_geo,ilo_lfs,h,psu
10,1,30,1,1,1,a
10,1,30,1,2,1,a
20,1,30,1,1,1,b
20,1,30,1,1,1,b
5,1,30,1,2,2,c
5,1,30,1,3,2,c
15,1,30,1,1,2,d
15,1,30,1,3,2,d
";

#[test]
fn unemployment_rate_and_its_standard_error_match_the_hand_computation() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_csv(dir.path(), "hand.csv", HAND);
    let t = run_with(&input, None, Some("h"), Some("psu"), &[], Request { rules: lenient(), ..Default::default() });
    // LF = 80, UNE = 15, R = 0.1875. z = y − R x per PSU: a 6.25, b −7.5, c 4.0625, d −2.8125.
    // Two PSUs per stratum: n/(n−1) Σ(z − z̄)² = (z1 − z2)²: 13.75² + 6.875² = 236.328125.
    // SE(R) = √236.328125 / 80 = 0.192163…
    let ur = find(&t, "UNE_DEAP_SEX_AGE_GEO_RT", "SEX_T", "AGE_YTHADULT_YGE15", "GEO_COV_NAT");
    assert!(close(ur.obs_value.unwrap(), 18.75, 1e-12));
    assert!(close(ur.std_error.unwrap(), 100.0 * 236.328125f64.sqrt() / 80.0, 1e-12));
    // Unemployed per PSU: 10, 0 | 5, 0 → v = 10² + 5² = 125 persons², in thousands.
    let une = find(&t, "UNE_TUNE_SEX_AGE_GEO_NB", "SEX_T", "AGE_YTHADULT_YGE15", "GEO_COV_NAT");
    assert!(close(une.obs_value.unwrap(), 0.015, 1e-12));
    assert!(close(une.std_error.unwrap(), 125f64.sqrt() / 1000.0, 1e-12));
    assert_eq!(une.sample_count, 2);
    // A rate rests on its denominator: 6 persons in the labour force.
    assert_eq!(ur.sample_count, 6);
    let lfpr = find(&t, "EAP_DWAP_SEX_AGE_GEO_RT", "SEX_M", "AGE_10YRBANDS_Y25-34", "GEO_COV_URB");
    assert!(close(lfpr.obs_value.unwrap(), 80.0, 1e-12));
    // The count rule alone: 2 unemployed persons (below 5) suppress the level, 6 persons in the
    // labour force (below 15) flag the rate. Nobody is female: those cells are suppressed.
    let counts_only =
        tripart_lfs::tables::Rules { cv_flag: f64::INFINITY, cv_suppress: f64::INFINITY, ..Default::default() };
    let t = run_with(&input, None, Some("h"), Some("psu"), &[], Request { rules: counts_only, ..Default::default() });
    let une = find(&t, "UNE_TUNE_SEX_AGE_GEO_NB", "SEX_T", "AGE_YTHADULT_YGE15", "GEO_COV_NAT");
    assert_eq!((une.obs_value, une.obs_status.as_str(), une.std_error), (None, "S", None));
    let ur = find(&t, "UNE_DEAP_SEX_AGE_GEO_RT", "SEX_T", "AGE_YTHADULT_YGE15", "GEO_COV_NAT");
    assert_eq!((ur.obs_value, ur.obs_status.as_str()), (Some(18.75), "U"));
    let f = find(&t, "EMP_TEMP_SEX_AGE_GEO_NB", "SEX_F", "AGE_YTHADULT_YGE15", "GEO_COV_NAT");
    assert_eq!((f.obs_value, f.sample_count), (None, 0));
    // The CV rule: CV(UR) = 19.2/18.75 > 50 % suppresses it under the default rules.
    let t = run(&input, None, Some("h"), Some("psu"), &[]);
    let ur = find(&t, "UNE_DEAP_SEX_AGE_GEO_RT", "SEX_T", "AGE_YTHADULT_YGE15", "GEO_COV_NAT");
    assert_eq!((ur.obs_value, ur.obs_status.as_str()), (None, "S"));
}

#[test]
fn a_single_psu_stratum_is_centred_on_the_grand_mean_or_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("{HAND}10,1,30,1,2,3,e\n");
    let input = write_csv(dir.path(), "single.csv", &text);
    // Unemployed per PSU: 10, 0 | 5, 0 | 10. Centred: ȳ = 25/5 = 5, so stratum 3 adds
    // (10 − 5)² = 25 to 125. Skipped: it adds nothing.
    let skip = Request { single_psu: SinglePsu::Skip, rules: lenient(), ..Default::default() };
    let t = run_with(&input, None, Some("h"), Some("psu"), &[], skip);
    let une = find(&t, "UNE_TUNE_SEX_AGE_GEO_NB", "SEX_T", "AGE_YTHADULT_YGE15", "GEO_COV_NAT");
    assert!(close(une.std_error.unwrap(), 125f64.sqrt() / 1000.0, 1e-12));
    let cent = Request { rules: lenient(), ..Default::default() };
    let t = run_with(&input, None, Some("h"), Some("psu"), &[], cent);
    assert_eq!(t.singleton_strata, 1);
    let une = find(&t, "UNE_TUNE_SEX_AGE_GEO_NB", "SEX_T", "AGE_YTHADULT_YGE15", "GEO_COV_NAT");
    assert!(close(une.std_error.unwrap(), 150f64.sqrt() / 1000.0, 1e-12));
}

fn lenient() -> tripart_lfs::tables::Rules {
    tripart_lfs::tables::Rules { suppress_below: 0, flag_below: 0, cv_flag: f64::INFINITY, cv_suppress: f64::INFINITY }
}

#[test]
fn invalid_codes_are_counted_and_handled_as_ilostat_does() {
    let dir = tempfile::tempdir().unwrap();
    let text = "ilo_wgt,ilo_sex,ilo_age,ilo_geo,ilo_lfs,ilo_job1_eco_isic4
1,1,30,1,1,3
1,2,40,2,1,
1,2,40,7,9,
1,3,40,1,1,1
,1,40,1,1,1
1,1,12,1,,
1,1,,1,1,1
";
    let req = Request { rules: lenient(), ..Default::default() };
    let t = run_with(&write_csv(dir.path(), "bad.csv", text), None, None, None, &[], req);
    let d = &t.diagnostics;
    assert_eq!((d.rows, d.rows_used, d.outside_wap, d.weight_missing), (7, 3, 1, 1));
    let report = d.report().join("\n");
    assert!(report.contains("ilo_lfs: 0 missing, 1 invalid"), "{report}");
    assert!(report.contains("ilo_sex: 0 missing, 1 invalid"), "{report}");
    assert!(report.contains("ilo_age: 1 missing"), "{report}");
    assert!(report.contains("ilo_geo: 0 missing, 1 invalid"), "{report}");
    assert!(report.contains("ilo_job1_eco_isic4: 1 missing"), "{report}");
    // The invalid labour status went outside the labour force; the invalid area to GEO_COV_X.
    let olf = find(&t, "EIP_TEIP_SEX_AGE_GEO_NB", "SEX_T", "AGE_YTHADULT_YGE15", "GEO_COV_X");
    assert_eq!(olf.obs_value, Some(0.001));
    // The employed person without an activity is in X, and the shares add up to 100.
    let x = find(&t, "EMP_TEMP_SEX_ECO_NB", "SEX_T", "ECO_ISIC4_X", "");
    assert_eq!(x.obs_value, Some(0.001));
    let shares: f64 = t
        .rows
        .iter()
        .filter(|r| r.indicator == "EMP_TEMP_SEX_ECO_DT" && r.sex == "SEX_T" && r.classif1.starts_with("ECO_SECTOR_"))
        .filter(|r| r.classif1 != "ECO_SECTOR_TOTAL")
        .map(|r| r.obs_value.unwrap())
        .sum();
    assert!(close(shares, 100.0, 1e-12));
}

#[test]
fn totals_are_the_sums_of_their_categories() {
    let path = oracle_dir().join("design.csv");
    let t = run(&path, None, Some("stratum"), Some("psu"), &[]);
    let level = |sex: &str, age: &str, geo: &str| {
        let r = find(&t, "EMP_TEMP_SEX_AGE_GEO_NB", sex, age, geo);
        r.obs_value.unwrap()
    };
    let total = level("SEX_T", "AGE_YTHADULT_YGE15", "GEO_COV_NAT");
    let by_sex =
        level("SEX_M", "AGE_YTHADULT_YGE15", "GEO_COV_NAT") + level("SEX_F", "AGE_YTHADULT_YGE15", "GEO_COV_NAT");
    let by_geo =
        level("SEX_T", "AGE_YTHADULT_YGE15", "GEO_COV_URB") + level("SEX_T", "AGE_YTHADULT_YGE15", "GEO_COV_RUR");
    let mut by_band = 0.0;
    for r in t.rows.iter().filter(|r| {
        r.indicator == "EMP_TEMP_SEX_AGE_GEO_NB"
            && r.sex == "SEX_T"
            && r.classif2 == "GEO_COV_NAT"
            && r.classif1.starts_with("AGE_5YRBANDS_Y")
    }) {
        by_band += r.obs_value.unwrap_or(0.0);
    }
    for v in [by_sex, by_geo] {
        assert!(close(v, total, 1e-12), "{v} vs {total}");
    }
    // Some 5-year bands may be suppressed; their sum cannot exceed the total.
    assert!(by_band <= total * (1.0 + 1e-12));
}

fn oracle_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracle")
}

#[test]
fn standard_errors_by_domain_match_samplics() {
    let dir = oracle_dir();
    let req = Request { single_psu: SinglePsu::Skip, rules: lenient(), ..Default::default() };
    let t = run_with(&dir.join("design.csv"), None, Some("stratum"), Some("psu"), &[], req);
    let mut rdr = csv::Reader::from_path(dir.join("samplics_expected.csv")).unwrap();
    let mut n = 0;
    for rec in rdr.records() {
        let rec = rec.unwrap();
        let (ind, sex, c1, c2) = (&rec[0], &rec[1], &rec[2], &rec[3]);
        let est: f64 = rec[4].parse().unwrap();
        let se: f64 = rec[5].parse().unwrap();
        let scale = if ind.ends_with("_RT") { 100.0 } else { 1e-3 };
        let row = find(&t, ind, sex, c1, c2);
        assert!(
            close(row.obs_value.unwrap(), est * scale, 1e-9),
            "{ind} {sex} {c1} {c2}: {:?} vs {}",
            row.obs_value,
            est * scale
        );
        assert!(
            close(row.std_error.unwrap(), se * scale, 1e-9),
            "{ind} {sex} {c1} {c2}: SE {:?} vs {}",
            row.std_error,
            se * scale
        );
        n += 1;
    }
    assert!(n >= 30, "only {n} oracle rows");
}

/// ../shared beside the repository, or None with a message saying the test is skipped.
fn shared_microdata(file: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/microdata").join(file);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("SKIPPED: {} is absent (the shared data folder lies beside the repository)", p.display());
        None
    }
}

#[test]
fn sakernas_2023_java_unemployment_rate_is_6_57_percent() {
    let Some(path) = shared_microdata("sakernas_aug2023_java_labourforce_df_svy2.csv") else { return };
    let mapping = r#"
[columns]
ilo_wgt = "weight"
ilo_sex = "sex"
ilo_age = "age"
ilo_lfs = { column = "unemployment", recode = { "0" = 1, "1" = 2 } }
"#;
    let t = run(&path, Some(mapping), Some("strata"), None, &["prov"]);
    let ur = find(&t, "UNE_DEAP_SEX_AGE_GEO_RT", "SEX_T", "AGE_YTHADULT_YGE15", "GEO_COV_NAT");
    let v = ur.obs_value.unwrap();
    assert!((v - 6.57).abs() < 0.005, "unemployment rate {v}");
    let se = ur.std_error.unwrap();
    assert!(se > 0.0 && se < 0.5, "standard error {se}");
    assert_eq!(ur.sample_count, 32_769);
    // The same total through the --by table, and each province within the documented range.
    let same = find(&t, "UNE_DEAP_SEX_AGE_PROV_RT", "SEX_T", "AGE_YTHADULT_YGE15", "PROV_TOTAL");
    assert!(close(same.obs_value.unwrap(), v, 1e-12));
    let provs: Vec<f64> = (31..=36)
        .map(|p| find(&t, "UNE_DEAP_SEX_AGE_PROV_RT", "SEX_T", "AGE_YTHADULT_YGE15", &format!("PROV_{p}")))
        .map(|r| r.obs_value.unwrap())
        .collect();
    assert!(provs.iter().all(|p| (3.35..8.65).contains(p)), "{provs:?}");
}

#[test]
fn sakernas_2022_east_java_neet_share_with_its_cluster_design() {
    let Some(path) = shared_microdata("sakernas_aug2022_eastjava_df_svy22.csv") else { return };
    let dir = tempfile::tempdir().unwrap();
    let mapping = dir.path().join("m.toml");
    std::fs::write(
        &mapping,
        "[columns]\nilo_wgt = \"WEIGHT\"\nilo_sex = \"sex\"\nilo_age = \"age\"\nilo_neet = \"neet\"\n",
    )
    .unwrap();
    let opts = Options {
        input: path,
        mapping: Some(mapping),
        strata: Some("STRATA".into()),
        psu: Some("PSU".into()),
        threads: 2,
        ..Default::default()
    };
    let (acc, _) = accumulate_file(&opts).unwrap();
    assert_eq!(acc.diag.rows_used, 74_070);
    let design = Design::from_keys(&acc.psu_keys);
    assert_eq!(design.n_psu, 2_996);
    // Everyone in one domain: the NEET share of the population aged 15+.
    let n_cells = acc.main.counts.len() / acc.main.m;
    let domains = Domains { n: 1, members: vec![vec![0]; n_cells] };
    let ratio = Ratio { num: vec![m::NEET], den: vec![m::WAP] };
    let s = estimate(&acc.main, &design, &domains, &[ratio], SinglePsu::Centered)[0];
    assert!((s.value - 0.256).abs() < 0.0005, "NEET share {}", s.value);
    // A clustered design: the standard error is well above simple random sampling's.
    let srs = (s.value * (1.0 - s.value) / 74_070.0).sqrt();
    assert!(s.se > srs && s.se < 10.0 * srs, "se {} vs srs {srs}", s.se);
    // And the youth NEET rate is published.
    let t = run(
        opts.input.as_path(),
        Some("[columns]\nilo_wgt = \"WEIGHT\"\nilo_sex = \"sex\"\nilo_age = \"age\"\nilo_neet = \"neet\"\n"),
        Some("STRATA"),
        Some("PSU"),
        &[],
    );
    let neet = find(&t, "EIP_NEET_SEX_AGE_GEO_RT", "SEX_T", "AGE_YTHADULT_Y15-24", "GEO_COV_NAT");
    assert!(neet.obs_value.unwrap() > 0.0 && neet.std_error.unwrap() > 0.0);
}

#[test]
fn parquet_input_gives_the_same_rows_as_csv() {
    use arrow_array::{ArrayRef, Float64Array, Int64Array, RecordBatch};
    use std::sync::Arc;
    let csv_path = oracle_dir().join("design.csv");
    let mut rdr = csv::Reader::from_path(&csv_path).unwrap();
    let header: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
    let records: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    let columns: Vec<ArrayRef> = header
        .iter()
        .enumerate()
        .map(|(i, name)| -> ArrayRef {
            if name == "ilo_wgt" {
                Arc::new(Float64Array::from_iter_values(records.iter().map(|r| r[i].parse::<f64>().unwrap())))
            } else {
                Arc::new(Int64Array::from_iter(records.iter().map(|r| r[i].parse::<i64>().ok())))
            }
        })
        .collect();
    let batch = RecordBatch::try_from_iter(header.iter().cloned().zip(columns)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let pq_path = dir.path().join("design.parquet");
    // Small row groups, so that both reader threads get some.
    let props = parquet::file::properties::WriterProperties::builder().set_max_row_group_row_count(Some(200)).build();
    let mut w =
        parquet::arrow::ArrowWriter::try_new(std::fs::File::create(&pq_path).unwrap(), batch.schema(), Some(props))
            .unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
    let from_csv = run(&csv_path, None, Some("stratum"), Some("psu"), &[]);
    let from_parquet = run(&pq_path, None, Some("stratum"), Some("psu"), &[]);
    assert_eq!(from_csv.rows.len(), from_parquet.rows.len());
    for (a, b) in from_csv.rows.iter().zip(&from_parquet.rows) {
        assert_eq!((&a.indicator, &a.sex, &a.classif1, &a.classif2), (&b.indicator, &b.sex, &b.classif1, &b.classif2));
        assert_eq!(a.sample_count, b.sample_count);
        for (x, y) in [(a.obs_value, b.obs_value), (a.std_error, b.std_error)] {
            assert_eq!(x.is_some(), y.is_some());
            if let (Some(x), Some(y)) = (x, y) {
                assert!(close(x, y, 1e-9), "{} {x} vs {y}", a.indicator);
            }
        }
    }
}

/// A survey with every variable the engine reads, made up deterministically: 40 PSUs in 8
/// strata, persons of all ages and statuses.
fn full_survey(dir: &Path) -> PathBuf {
    let mut text = String::from(
        "ilo_wgt,ilo_sex,ilo_age,ilo_geo,ilo_wap,ilo_lfs,ilo_job1_eco_isic4,ilo_job1_eco_aggregate,\
         ilo_joball_tru,ilo_olf_dlma,ilo_edu_attendance,ilo_neet,strata,psu\n",
    );
    let mut state: u64 = 7;
    let mut next = |n: u64| {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) % n
    };
    for i in 0..4000u64 {
        let psu = i / 100;
        let age = 5 + next(80);
        let wap = if age >= 15 { "1" } else { "" };
        let lfs = 1 + next(3);
        let (isic, aggr, tru) = if lfs == 1 {
            ((1 + next(22)).to_string(), (1 + next(7)).to_string(), next(2).to_string())
        } else {
            Default::default()
        };
        let dlma = if lfs == 3 { (1 + next(5)).to_string() } else { String::new() };
        text.push_str(&format!(
            "{},{},{age},{},{wap},{lfs},{isic},{aggr},{tru},{dlma},{},{},{},{psu}\n",
            50 + next(200),
            1 + next(2),
            1 + psu % 2,
            1 + next(3),
            next(2),
            psu / 5,
        ));
    }
    write_csv(dir, "full.csv", &text)
}

#[test]
fn the_core_indicator_set_gives_the_same_rows_as_the_full_run_for_its_indicators() {
    use tripart_lfs::tables::IndicatorSet;
    let dir = tempfile::tempdir().unwrap();
    let path = full_survey(dir.path());
    let req = |indicators| Request { indicators, rules: lenient(), ..Default::default() };
    let all = run_with(&path, None, Some("strata"), Some("psu"), &[], req(IndicatorSet::All));
    let core = run_with(&path, None, Some("strata"), Some("psu"), &[], req(IndicatorSet::Core));
    let core_prefixes =
        ["POP_XWAP", "EAP_TEAP", "EMP_TEMP_SEX_AGE", "UNE_TUNE", "EIP_TEIP", "EAP_DWAP", "EMP_DWAP", "UNE_DEAP"];
    let is_core = |r: &&Row| core_prefixes.iter().any(|p| r.indicator.starts_with(p));
    // The full run has more (activity, TRU, LU2–LU4, NEET), so the comparison means something.
    for prefix in ["EMP_TEMP_SEX_ECO", "TRU_DEMP", "LUU_XLU4", "EIP_NEET"] {
        assert!(all.rows.iter().any(|r| r.indicator.starts_with(prefix)), "the full run has no {prefix}");
    }
    let expected: Vec<&Row> = all.rows.iter().filter(is_core).collect();
    assert!(core.rows.iter().all(|r| is_core(&r)), "the core run published another indicator");
    assert_eq!(core.rows.len(), expected.len());
    for (a, b) in core.rows.iter().zip(expected) {
        assert_eq!(a, b);
    }
    assert_eq!((core.n_psu, core.n_strata), (all.n_psu, all.n_strata));
}
