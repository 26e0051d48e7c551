//! Labour-market data on both backends: a focal point's file refused whole with its problems by
//! line and field, the corrected file taken, a value returned and fixed, a vintage published;
//! revisions never overwritten; the ASEAN figure by hand, with a missing member state; earlier
//! vintages read back and compared; the real ILOSTAT and WDI extracts imported.

// A test that fails should fail loudly where it fails: helpers unwrap like the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::PathBuf;
use tripart_domain::access::{Actor, Channel, Grant, Principal, Role};
use tripart_storage::stats::import::{import_file, Submission};
use tripart_storage::stats::query::{self, DataQuery, Edition};
use tripart_storage::stats::workflow::{self, Selection};
use tripart_storage::stats::DataError;
use tripart_storage::testkit::{all_backends, TestDb};
use tripart_storage::{accounts, seed, Db};

async fn seeded() -> Vec<TestDb> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../catalogue");
    let cat = tripart_catalogue::load_dir(&dir).unwrap_or_else(|_| panic!("catalogue invalid")).catalogue;
    let dbs = all_backends().await;
    for t in &dbs {
        seed::seed(&t.db, &cat).await.unwrap_or_else(|e| panic!("{}: seed: {e}", t.name()));
    }
    dbs
}

async fn actor(db: &Db, email: &str, grant: Grant) -> Actor {
    let user = accounts::create_user(
        db,
        &Actor::Operator,
        email,
        email,
        "a long enough password",
        std::slice::from_ref(&grant),
    )
    .await
    .unwrap_or_else(|e| panic!("{email}: {e}"));
    Actor::User(Principal { user_id: user.id, email: email.into(), grants: vec![grant] }, Channel::Api)
}

const HEADER: &str = "ref_area,source,indicator,sex,classif1,classif2,time,obs_value,obs_status\n";

/// Levels and the unemployment rate of one state and year, by sex, ages 15+.
fn levels(area: &str, year: &str, lf: [f64; 3], une: [f64; 3]) -> String {
    let mut s = String::new();
    for (i, sex) in ["SEX_T", "SEX_M", "SEX_F"].iter().enumerate() {
        s.push_str(&format!("{area},LFS,EAP_TEAP_SEX_AGE_NB,{sex},AGE_YTHADULT_YGE15,,{year},{},\n", lf[i]));
        s.push_str(&format!("{area},LFS,UNE_TUNE_SEX_AGE_NB,{sex},AGE_YTHADULT_YGE15,,{year},{},\n", une[i]));
        s.push_str(&format!(
            "{area},LFS,UNE_DEAP_SEX_AGE_RT,{sex},AGE_YTHADULT_YGE15,,{year},{:.3},\n",
            100.0 * une[i] / lf[i]
        ));
    }
    s
}

fn rejected(r: Result<impl std::fmt::Debug, DataError>) -> Vec<(usize, String, String)> {
    match r {
        Err(DataError::Rejected(p)) => p.into_iter().map(|p| (p.line, p.field, p.reason)).collect(),
        other => panic!("expected a rejection, got {other:?}"),
    }
}

async fn count(db: &Db, table: &str) -> i64 {
    db.fetch_optional(&format!("SELECT COUNT(*) AS n FROM {table}"), &[]).await.unwrap().unwrap().i64("n").unwrap()
}

#[tokio::test]
async fn from_a_bad_file_to_a_published_asean_figure() {
    for t in seeded().await {
        let db = &t.db;
        let n = t.name();
        let tha = actor(db, "fp@tha.test", Grant::new(Role::FocalPoint, None, Some("THA".into())).unwrap()).await;
        let phl = actor(db, "fp@phl.test", Grant::new(Role::FocalPoint, None, Some("PHL".into())).unwrap()).await;
        let validator =
            actor(db, "val@asec.test", Grant::new(Role::Validator, Some("asec".into()), None).unwrap()).await;

        // A wrong file: a rate above 100, male + female ≠ total, and a row for another country.
        let mut bad = format!("{HEADER}{}", levels("THA", "2023", [40000.0, 22000.0, 18000.0], [400.0, 240.0, 160.0]));
        bad = bad.replace(
            "THA,LFS,UNE_DEAP_SEX_AGE_RT,SEX_F,AGE_YTHADULT_YGE15,,2023,0.889",
            "THA,LFS,UNE_DEAP_SEX_AGE_RT,SEX_F,AGE_YTHADULT_YGE15,,2023,188.9",
        );
        bad.push_str("VNM,LFS,EAP_TEAP_SEX_AGE_NB,SEX_T,AGE_YTHADULT_YGE15,,2023,57000,\n");
        let problems = rejected(import_file(db, &tha, bad.as_bytes(), &Submission::default()).await);
        assert_eq!(problems.len(), 1, "{n}: the foreign row is found first: {problems:?}");
        assert_eq!((problems[0].0, problems[0].1.as_str()), (11, "ref_area"), "{n}");
        let bad = bad.lines().take(10).collect::<Vec<_>>().join("\n");
        let problems = rejected(import_file(db, &tha, bad.as_bytes(), &Submission::default()).await);
        assert_eq!(problems.len(), 1, "{n}: {problems:?}");
        assert_eq!(problems[0].0, 10, "{n}: the rate is on line 10");
        assert!(problems[0].2.contains("out of range"), "{n}: {}", problems[0].2);
        assert_eq!(count(db, "stat_value").await, 0, "{n}: nothing stored");

        // The corrected file goes in as THA's draft, then is submitted.
        let good = format!("{HEADER}{}", levels("THA", "2023", [40000.0, 22000.0, 18000.0], [400.0, 240.0, 160.0]));
        let rep = import_file(
            db,
            &tha,
            good.as_bytes(),
            &Submission { file_name: Some("tha.csv".into()), submit: true, ..Submission::default() },
        )
        .await
        .unwrap();
        assert_eq!((rep.new, rep.revised, rep.unchanged), (9, 0, 0), "{n}");
        // The same file again changes nothing.
        let again = import_file(db, &tha, good.as_bytes(), &Submission::default()).await.unwrap();
        assert_eq!((again.new, again.revised, again.unchanged), (0, 0, 9), "{n}");
        let p = format!("{HEADER}{}", levels("PHL", "2023", [50000.0, 30000.0, 20000.0], [2000.0, 1200.0, 800.0]));
        import_file(db, &phl, p.as_bytes(), &Submission { submit: true, ..Submission::default() }).await.unwrap();
        // The Philippines cannot submit for Thailand.
        let problems = rejected(import_file(db, &phl, good.as_bytes(), &Submission::default()).await);
        assert_eq!(problems[0].1, "ref_area", "{n}");

        // The validator returns THA's female rate; THA corrects its levels and rate.
        let female = query::data(
            db,
            &DataQuery {
                indicator: "UNE_DEAP_SEX_AGE_RT".into(),
                ref_area: vec!["THA".into()],
                sex: Some("SEX_F".into()),
                edition: Edition::Working,
                ..DataQuery::default()
            },
        )
        .await
        .unwrap();
        let id = female[0].observation_id.unwrap();
        assert_eq!(
            workflow::return_values(
                db,
                &validator,
                &Selection { ids: vec![id], ..Selection::default() },
                "Check the female rate against the LFS report"
            )
            .await
            .unwrap(),
            1
        );
        assert!(
            workflow::return_values(db, &tha, &Selection::default(), "no").await.is_err(),
            "{n}: a focal point cannot return"
        );
        let fixed = format!("{HEADER}{}", levels("THA", "2023", [40000.0, 22000.0, 18000.0], [400.0, 250.0, 150.0]));
        let rep = import_file(
            db,
            &tha,
            fixed.as_bytes(),
            &Submission { reason: Some("Female unemployment corrected".into()), submit: true, ..Submission::default() },
        )
        .await
        .unwrap();
        assert_eq!((rep.new, rep.revised, rep.unchanged), (0, 4, 5), "{n}: M and F levels and rates revised");
        let history = query::history(db, id).await.unwrap().unwrap();
        assert_eq!(history.revisions.len(), 2, "{n}: the first value is kept");
        assert_eq!(history.revisions[1].reason.as_deref(), Some("Female unemployment corrected"));
        let kinds: Vec<&str> = history.events.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(kinds, ["submitted", "returned", "submitted"], "{n}");
        assert_eq!(history.events[1].comment.as_deref(), Some("Check the female rate against the LFS report"));

        // Nothing is public before publication.
        let public = |time: &str| DataQuery {
            indicator: "UNE_DEAP_SEX_AGE_RT".into(),
            ref_area: vec!["THA".into(), "X84".into()],
            sex: Some("SEX_T".into()),
            time: Some(time.into()),
            ..DataQuery::default()
        };
        assert!(
            query::data(db, &public("2023"))
                .await
                .unwrap()
                .iter()
                .all(|r| r.ref_area == "X84" && r.obs_value.is_none()),
            "{n}"
        );
        assert_eq!(workflow::validate(db, &validator, &Selection::default()).await.unwrap(), 18, "{n}");
        let v1 = workflow::publish(db, &validator, "2023 annual data", None).await.unwrap().unwrap();
        assert_eq!(v1.observations, 18);

        // The ASEAN unemployment rate: (400 + 2000) / (40000 + 50000) = 2.6667%, not the
        // mean of 1% and 4% (2.5%); nine states missing.
        let rows = query::data(db, &public("2023")).await.unwrap();
        let asean = rows.iter().find(|r| r.ref_area == "X84").unwrap();
        assert!((asean.obs_value.unwrap() - 100.0 * 2400.0 / 90000.0).abs() < 1e-9, "{n}: {:?}", asean.obs_value);
        let cov = asean.coverage.as_ref().unwrap();
        assert_eq!(cov.method, "ratio-of-sums");
        let included: Vec<&str> = cov.included.iter().map(|c| c.ref_area.as_str()).collect();
        assert_eq!(included, ["PHL", "THA"], "{n}");
        assert_eq!(cov.missing.len(), 9, "{n}: eleven member states, two reported");
        assert!(rows.iter().any(|r| r.ref_area == "THA" && r.obs_value == Some(1.0)), "{n}");

        // A later correction (a new revision) is not public until the next vintage.
        let later = format!("{HEADER}{}", levels("PHL", "2023", [50000.0, 30000.0, 20000.0], [2500.0, 1500.0, 1000.0]));
        import_file(db, &phl, later.as_bytes(), &Submission { submit: true, ..Submission::default() }).await.unwrap();
        let still = query::data(db, &public("2023")).await.unwrap();
        assert_eq!(still, rows, "{n}: the public still sees vintage 1");
        workflow::validate(db, &validator, &Selection::default()).await.unwrap();
        let v2 = workflow::publish(db, &validator, "2023 revised", Some("PHL revised its LFS weights"))
            .await
            .unwrap()
            .unwrap();
        let now = query::data(db, &public("2023")).await.unwrap();
        let asean = now.iter().find(|r| r.ref_area == "X84").unwrap();
        assert!((asean.obs_value.unwrap() - 100.0 * 2900.0 / 90000.0).abs() < 1e-9, "{n}");
        // Vintage 1 reads as it was, and the comparison names what changed.
        let old = query::data(db, &DataQuery { edition: Edition::Vintage(v1.number), ..public("2023") }).await.unwrap();
        assert_eq!(old, rows, "{n}");
        let changes = query::compare(db, "UNE_DEAP_SEX_AGE_RT", v1.number, v2.number).await.unwrap();
        assert_eq!(changes.len(), 3, "{n}: PHL's three rates");
        assert!(changes.iter().all(|c| c.ref_area == "PHL" && c.before.is_some()), "{n}");
        // Of each observation's revisions, at most one is public and exactly one (the newest)
        // is in the workflow.
        let broken = db
            .fetch_all(
                "SELECT series, time FROM stat_value GROUP BY series, time HAVING SUM(published) > 1 \
                 OR SUM(CASE WHEN state = 'superseded' THEN 0 ELSE 1 END) <> 1 \
                 OR MAX(CASE WHEN state = 'superseded' THEN 0 ELSE revision END) <> MAX(revision)",
                &[],
            )
            .await
            .unwrap();
        assert!(broken.is_empty(), "{n}: {} observations break the rule", broken.len());
        assert_eq!(
            count(db, "stat_value WHERE published = 1").await,
            18,
            "{n}: PHL's revisions replaced its first values"
        );
        t.cleanup().await;
    }
}

#[tokio::test]
async fn the_asean_figure_weights_a_rate_without_levels_and_lists_who_is_missing() {
    for t in seeded().await {
        let db = &t.db;
        let n = t.name();
        // The Secretariat loads three states: BRN with levels, IDN with the rate and its
        // denominator only, KHM with a rate and nothing to weight it by.
        let csv = format!(
            "{HEADER}\
             BRN,LFS,UNE_TUNE_SEX_AGE_NB,SEX_T,AGE_YTHADULT_YGE15,,2022,10,\n\
             BRN,LFS,EAP_TEAP_SEX_AGE_NB,SEX_T,AGE_YTHADULT_YGE15,,2022,200,\n\
             IDN,LFS,UNE_DEAP_SEX_AGE_RT,SEX_T,AGE_YTHADULT_YGE15,,2022,6,\n\
             IDN,LFS,EAP_TEAP_SEX_AGE_NB,SEX_T,AGE_YTHADULT_YGE15,,2022,1800,\n\
             KHM,LFS,UNE_DEAP_SEX_AGE_RT,SEX_T,AGE_YTHADULT_YGE15,,2022,1,\n"
        );
        import_file(db, &Actor::Operator, csv.as_bytes(), &Submission { submit: true, ..Submission::default() })
            .await
            .unwrap();
        workflow::validate(db, &Actor::Operator, &Selection::default()).await.unwrap();
        workflow::publish(db, &Actor::Operator, "test", None).await.unwrap();
        let rows = query::data(
            db,
            &DataQuery {
                indicator: "UNE_DEAP_SEX_AGE_RT".into(),
                ref_area: vec!["X84".into()],
                ..DataQuery::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(rows.len(), 1, "{n}: one breakdown and year: {rows:?}");
        // (10 + 6% × 1800) / (200 + 1800) = (10 + 108) / 2000 = 5.9%.
        assert!((rows[0].obs_value.unwrap() - 5.9).abs() < 1e-9, "{n}: {:?}", rows[0].obs_value);
        let cov = rows[0].coverage.as_ref().unwrap();
        assert_eq!(cov.method, "weighted-by-denominator", "{n}");
        let bases: Vec<(&str, &str)> = cov.included.iter().map(|c| (c.ref_area.as_str(), c.basis.as_str())).collect();
        assert_eq!(bases, [("BRN", "levels"), ("IDN", "rate × denominator")], "{n}");
        let khm = cov.missing.iter().find(|m| m.ref_area == "KHM").unwrap();
        assert_eq!(khm.reason, "no denominator to weight by", "{n}");
        t.cleanup().await;
    }
}

fn shared(rel: &str) -> Option<Vec<u8>> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data").join(rel);
    match std::fs::read(&p) {
        Ok(b) => Some(b),
        Err(_) => {
            eprintln!("skipped: {} not found", p.display());
            None
        }
    }
}

#[tokio::test]
async fn the_real_ilostat_extracts_import_through_the_same_path() {
    let Some(informal) = shared("ilostat/EMP_NIFL_SEX_RT_A-20240726T0000_ASEAN.csv") else { return };
    let Some(sector) = shared("ilostat/EMP_TEMP_SEX_INS_NB_A-20240725T0039_ASEAN.csv") else { return };
    for t in seeded().await {
        let db = &t.db;
        let n = t.name();
        let a = import_file(db, &Actor::Operator, &informal, &Submission::default())
            .await
            .unwrap_or_else(|e| panic!("{n}: {e:?}"));
        let b = import_file(db, &Actor::Operator, &sector, &Submission::default())
            .await
            .unwrap_or_else(|e| panic!("{n}: {e:?}"));
        assert_eq!((a.format.as_str(), a.new, b.new), ("ilostat-label-csv", 120, 966), "{n}");
        assert_eq!(count(db, "stat_value").await, 1086, "{n}");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn the_validators_queue_lists_submitted_values_with_their_warnings() {
    for t in seeded().await {
        let db = &t.db;
        let n = t.name();
        let tha = actor(db, "fp@tha.test", Grant::new(Role::FocalPoint, None, Some("THA".into())).unwrap()).await;
        let validator =
            actor(db, "val@asec.test", Grant::new(Role::Validator, Some("asec".into()), None).unwrap()).await;
        let y2023 = format!("{HEADER}{}", levels("THA", "2023", [40000.0, 22000.0, 18000.0], [400.0, 240.0, 160.0]));
        import_file(db, &tha, y2023.as_bytes(), &Submission::default()).await.unwrap();
        let empty = query::queue(db, None, None, 100).await.unwrap();
        assert_eq!((empty.items.len(), empty.total), (0, 0), "{n}: drafts are not the validators' yet");

        // 2024's labour force is 25% above 2023's: in, with the change warning kept.
        let y2024 = format!("{HEADER}{}", levels("THA", "2024", [50000.0, 27500.0, 22500.0], [500.0, 300.0, 200.0]));
        let rep = import_file(db, &tha, y2024.as_bytes(), &Submission { submit: true, ..Submission::default() })
            .await
            .unwrap();
        assert!(!rep.warnings.is_empty(), "{n}");
        let q = query::queue(db, None, None, 100).await.unwrap();
        assert_eq!((q.items.len(), q.total), (9, 9), "{n}: 2024's nine values");
        assert!(q.items.iter().all(|i| i.state == "submitted" && i.time == "2024" && i.ref_area == "THA"), "{n}");
        let lf = q
            .items
            .iter()
            .find(|i| i.indicator == "EAP_TEAP_SEX_AGE_NB" && i.sex == "SEX_T")
            .unwrap_or_else(|| panic!("{n}: the labour force is queued"));
        assert_eq!(lf.obs_value, Some(50000.0), "{n}");
        assert!(lf.findings.iter().any(|f| f.rule == "change" && f.severity == "warning"), "{n}: {:?}", lf.findings);

        // Filters and the limit; another country's queue is empty.
        let rates = query::queue(db, Some("THA"), Some("UNE_DEAP_SEX_AGE_RT"), 2).await.unwrap();
        assert_eq!((rates.items.len(), rates.total), (2, 3), "{n}");
        assert_eq!(query::queue(db, Some("VNM"), None, 100).await.unwrap().total, 0, "{n}");

        // Validated values stay listed until published; then the queue is empty.
        workflow::validate(db, &validator, &Selection { ids: vec![lf.observation_id], ..Selection::default() })
            .await
            .unwrap();
        let q = query::queue(db, None, None, 100).await.unwrap();
        let states: Vec<&str> =
            q.items.iter().filter(|i| i.state == "validated").map(|i| i.indicator.as_str()).collect();
        assert_eq!(states, ["EAP_TEAP_SEX_AGE_NB"], "{n}");
        workflow::validate(db, &validator, &Selection::default()).await.unwrap();
        workflow::publish(db, &validator, "2024", None).await.unwrap();
        assert_eq!(query::queue(db, None, None, 100).await.unwrap().total, 0, "{n}");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn the_breakdowns_offered_are_those_holding_values_in_the_edition_read() {
    for t in seeded().await {
        let db = &t.db;
        let n = t.name();
        let published = format!(
            "{HEADER}\
             BRN,LFS,UNE_DEAP_SEX_AGE_RT,SEX_T,AGE_YTHADULT_YGE15,,2022,5,\n\
             IDN,LFS,UNE_DEAP_SEX_AGE_RT,SEX_F,AGE_YTHADULT_YGE15,,2022,6,\n\
             IDN,LFS,UNE_DEAP_SEX_AGE_RT,SEX_T,AGE_YTHADULT_YGE15,,2022,7,\n"
        );
        let submit = Submission { submit: true, ..Submission::default() };
        import_file(db, &Actor::Operator, published.as_bytes(), &submit).await.unwrap();
        workflow::validate(db, &Actor::Operator, &Selection::default()).await.unwrap();
        workflow::publish(db, &Actor::Operator, "test", None).await.unwrap();
        // A draft of another breakdown, not yet published.
        let draft = format!("{HEADER}KHM,LFS,UNE_DEAP_SEX_AGE_RT,SEX_M,AGE_YTHADULT_Y15-24,,2022,9,\n");
        import_file(db, &Actor::Operator, draft.as_bytes(), &Submission::default()).await.unwrap();

        let of = |b: &[[String; 3]]| b.iter().map(|x| format!("{}/{}", x[0], x[1])).collect::<BTreeSet<_>>();
        let public = query::breakdowns(db, "UNE_DEAP_SEX_AGE_RT", Edition::Published).await.unwrap();
        assert_eq!(
            of(&public),
            BTreeSet::from(["SEX_F/AGE_YTHADULT_YGE15".to_string(), "SEX_T/AGE_YTHADULT_YGE15".to_string()]),
            "{n}"
        );
        let working = query::breakdowns(db, "UNE_DEAP_SEX_AGE_RT", Edition::Working).await.unwrap();
        assert_eq!(of(&working).len(), 3, "{n}: {working:?}");
        assert!(query::breakdowns(db, "EMP_TEMP_SEX_AGE_NB", Edition::Published).await.unwrap().is_empty(), "{n}");

        // One breakdown named in full: that breakdown's values only, with ASEAN's.
        let rows = query::data(
            db,
            &DataQuery {
                indicator: "UNE_DEAP_SEX_AGE_RT".into(),
                sex: Some("SEX_T".into()),
                classif1: Some("AGE_YTHADULT_YGE15".into()),
                ..DataQuery::default()
            },
        )
        .await
        .unwrap();
        let got: BTreeSet<(String, String)> =
            rows.iter().map(|r| (r.ref_area.clone(), format!("{}/{}", r.sex, r.classif1))).collect();
        let states: BTreeSet<&str> = rows.iter().map(|r| r.ref_area.as_str()).filter(|a| *a != "X84").collect();
        assert_eq!(states, BTreeSet::from(["BRN", "IDN"]), "{n}: {rows:?}");
        assert!(got.iter().all(|(_, b)| b == "SEX_T/AGE_YTHADULT_YGE15"), "{n}: {rows:?}");
        t.cleanup().await;
    }
}
