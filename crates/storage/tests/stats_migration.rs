//! Migrations 6 (observations keyed by series, workflow steps) and 7 (one row per revision)
//! keep every row of migration 5's data, on both backends: revisions, states, published
//! revisions, events with their comments, findings and vintages read back the same through the
//! new tables.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use tripart_storage::stats::observation_id;
use tripart_storage::stats::query::{self, DataQuery, Edition};
use tripart_storage::testkit::all_backends_at;
use tripart_storage::{migrate, params};

/// Migration 5's tables with two observations of one series and one of another: one
/// published with an event, one submitted with a warning and a return comment.
const V5_ROWS: &[&str] = &[
    "INSERT INTO stat_submission (id, format, file_name, areas, observations, revisions, reason, created_at, created_by) \
     VALUES ('s1', 'ilostat-csv', 'tha.csv', 'THA', 3, 3, 'annual', '2026-01-02T00:00:00Z', NULL)",
    "INSERT INTO stat_observation VALUES (1, 'THA', 'UNE_DEAP_SEX_AGE_RT', 'UNE_DEAP_RT', 'SEX_T', 'AGE_YTHADULT_YGE15', '', '2023', 'published', 1, 1)",
    "INSERT INTO stat_observation VALUES (2, 'THA', 'UNE_DEAP_SEX_AGE_RT', 'UNE_DEAP_RT', 'SEX_T', 'AGE_YTHADULT_YGE15', '', '2024', 'returned', 1, NULL)",
    "INSERT INTO stat_observation VALUES (5, 'VNM', 'UNE_DEAP_SEX_AGE_RT', 'UNE_DEAP_RT', 'SEX_F', 'AGE_YTHADULT_YGE15', '', '2024', 'submitted', 2, NULL)",
    "INSERT INTO stat_revision VALUES (1, 1, 1.1, NULL, 'P', 'LFS', NULL, NULL, NULL, NULL, NULL, NULL, 's1', 2)",
    "INSERT INTO stat_revision VALUES (2, 1, 1.2, NULL, NULL, 'LFS', NULL, NULL, NULL, NULL, NULL, NULL, 's1', 3)",
    "INSERT INTO stat_revision VALUES (5, 1, 2.0, NULL, NULL, 'LFS', NULL, NULL, NULL, NULL, NULL, NULL, 's1', 4)",
    "INSERT INTO stat_revision VALUES (5, 2, 2.5, NULL, NULL, 'LFS', NULL, NULL, NULL, NULL, NULL, NULL, 's1', 4)",
    "INSERT INTO stat_event VALUES ('e1', 1, 1, 'published', NULL, '2026-01-03T00:00:00Z', NULL)",
    "INSERT INTO stat_event VALUES ('e2', 2, 1, 'returned', 'check the source', '2026-01-04T00:00:00Z', NULL)",
    "INSERT INTO stat_finding VALUES ('s1', 5, 2, 'change', 'warning', 'up 25%')",
    "INSERT INTO stat_vintage VALUES (1, 'first', NULL, '2026-01-03T00:00:00Z', NULL, 1)",
    "INSERT INTO stat_vintage_value VALUES (1, 1, 1)",
];

#[tokio::test]
async fn migrations_6_and_7_keep_every_value_event_and_vintage() {
    for t in all_backends_at(Some(5)).await {
        let db = &t.db;
        let n = t.name();
        for sql in V5_ROWS {
            db.execute(sql, &[]).await.unwrap_or_else(|e| panic!("{n}: {sql}: {e}"));
        }
        migrate::run_until(db, 6).await.unwrap_or_else(|e| panic!("{n}: migration 6: {e}"));

        let series = db.fetch_all("SELECT ref_area, sex FROM stat_series ORDER BY ref_area", &[]).await.unwrap();
        assert_eq!(series.len(), 2, "{n}: one series per area and breakdown");
        let obs = db
            .fetch_all(
                "SELECT o.id, s.ref_area, o.time, o.state, o.revision, o.published_revision \
                 FROM stat_observation o JOIN stat_series s ON s.id = o.series ORDER BY o.id",
                &[],
            )
            .await
            .unwrap();
        let got: Vec<(i64, String, String, String, i64, Option<i64>)> = obs
            .iter()
            .map(|r| {
                (
                    r.i64("id").unwrap(),
                    r.str("ref_area").unwrap(),
                    r.str("time").unwrap(),
                    r.str("state").unwrap(),
                    r.i64("revision").unwrap(),
                    r.opt_i64("published_revision").unwrap(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (1, "THA".into(), "2023".into(), "published".into(), 1, Some(1)),
                (2, "THA".into(), "2024".into(), "returned".into(), 1, None),
                (5, "VNM".into(), "2024".into(), "submitted".into(), 2, None),
            ],
            "{n}"
        );

        migrate::run(db).await.unwrap_or_else(|e| panic!("{n}: migration 7: {e}"));
        let rows = db
            .fetch_all(
                "SELECT series, time, revision, state, published, value FROM stat_value ORDER BY series, time, revision",
                &[],
            )
            .await
            .unwrap();
        let got: Vec<(i64, String, i64, String, i64, Option<f64>)> = rows
            .iter()
            .map(|r| {
                let value = r.values()[5].as_f64();
                (
                    r.i64("series").unwrap(),
                    r.str("time").unwrap(),
                    r.i64("revision").unwrap(),
                    r.str("state").unwrap(),
                    r.i64("published").unwrap(),
                    value,
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (1, "2023".into(), 1, "published".into(), 1, Some(1.1)),
                (1, "2024".into(), 1, "returned".into(), 0, Some(1.2)),
                (2, "2024".into(), 1, "superseded".into(), 0, Some(2.0)),
                (2, "2024".into(), 2, "submitted".into(), 0, Some(2.5)),
            ],
            "{n}: a row per revision, only the newest in the workflow"
        );
        let (tha_2024, vnm_2024) = (observation_id(1, "2024").unwrap(), observation_id(2, "2024").unwrap());

        // The published value, its history with the return comment, the vintage.
        let q = DataQuery {
            indicator: "UNE_DEAP_SEX_AGE_RT".into(),
            ref_area: vec!["THA".into()],
            edition: Edition::Vintage(1),
            ..DataQuery::default()
        };
        let rows = query::data(db, &q).await.unwrap();
        assert_eq!(rows.len(), 1, "{n}: vintage 1 holds one value");
        assert_eq!((rows[0].time.as_str(), rows[0].obs_value), ("2023", Some(1.1)), "{n}");
        let history = query::history(db, tha_2024).await.unwrap().expect("THA 2024");
        assert_eq!(history.events.len(), 1, "{n}");
        let published = query::history(db, observation_id(1, "2023").unwrap()).await.unwrap().expect("THA 2023");
        let kinds: Vec<(&str, &str)> = published.events.iter().map(|e| (e.kind.as_str(), e.at.as_str())).collect();
        assert_eq!(kinds, [("published", "2026-01-03T00:00:00Z")], "{n}: published with vintage 1, once");
        assert_eq!(history.events[0].kind, "returned", "{n}");
        assert_eq!(history.events[0].comment.as_deref(), Some("check the source"), "{n}");
        let revisions = query::history(db, vnm_2024).await.unwrap().expect("VNM 2024").revisions;
        assert_eq!(revisions.iter().map(|r| r.value).collect::<Vec<_>>(), vec![Some(2.0), Some(2.5)], "{n}");

        let queue = query::queue(db, Some("VNM"), None, 10).await.unwrap();
        assert_eq!(queue.total, 1, "{n}");
        assert_eq!(queue.items[0].findings.len(), 1, "{n}: the warning stays with its revision");
        assert_eq!(queue.items[0].observation_id, vnm_2024, "{n}");
        let published = query::data(db, &DataQuery { edition: Edition::Published, ..q }).await.unwrap();
        assert_eq!(
            published.iter().map(|r| (r.time.as_str(), r.obs_value)).collect::<Vec<_>>(),
            [("2023", Some(1.1))],
            "{n}"
        );
        let held = db
            .fetch_optional(
                "SELECT COUNT(*) AS n FROM stat_value WHERE series = $1 AND time = $2 AND published_in = 1",
                &params![1i64, "2023"],
            )
            .await
            .unwrap()
            .unwrap();
        assert_eq!(held.i64("n").unwrap(), 1, "{n}");
        t.cleanup().await;
    }
}
