//! Following up recommendations on both backends: a cycle on the 5th Forum's
//! recommendations, reports by two governments and a workers' organisation, the
//! matrix, who has not reported, carrying forward, and ratification events.

// A test that fails should fail loudly where it fails: helpers unwrap like the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use tripart_domain::access::{Actor, Channel, Grant, Principal, Role};
use tripart_domain::followup::{ImplementationStatus, Voice};
use tripart_domain::vocab::RatificationEvent;
use tripart_storage::edit::EditError;
use tripart_storage::followup::{self, NewCycle, NewRatification, NewReport};
use tripart_storage::monitoring::Link;
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

fn report(rec: &str, ms: &str, voice: Voice, status: ImplementationStatus, text: &str) -> NewReport {
    NewReport {
        recommendation: rec.into(),
        member_state: ms.into(),
        voice,
        partner: None,
        status,
        narrative: Some(text.into()),
        evidence: vec![Link { label: "Source".into(), url: "https://example.org/evidence".into() }],
    }
}

#[tokio::test]
async fn a_cycle_collects_every_voice_without_overwriting_any() {
    for t in seeded().await {
        let db = &t.db;
        let n = t.name();
        let acmw =
            actor(db, "sec@acmw.test", Grant::new(Role::BodySecretariat, Some("acmw".into()), None).unwrap()).await;
        let khm = actor(db, "fp@khm.test", Grant::new(Role::FocalPoint, None, Some("KHM".into())).unwrap()).await;
        let phl = actor(db, "fp@phl.test", Grant::new(Role::FocalPoint, None, Some("PHL".into())).unwrap()).await;
        let atuc =
            actor(db, "atuc@unions.test", Grant::scoped(Role::SocialPartner, None, None, Some("atuc".into())).unwrap())
                .await;
        // A social partner must be an employers', workers' or civil-society organisation.
        let bad = accounts::create_user(
            db,
            &Actor::Operator,
            "ilo@x.test",
            "ILO",
            "a long enough password",
            &[Grant::scoped(Role::SocialPartner, None, None, Some("ilo".into())).unwrap()],
        )
        .await;
        assert!(bad.is_err(), "{n}");

        // Only the organising body's secretariat (or the Secretariat) opens a cycle.
        let new = NewCycle {
            meeting: "afml-5".into(),
            reported_to: Some("6th ASEAN Forum on Migrant Labour".into()),
            ..Default::default()
        };
        assert!(matches!(followup::open_cycle(db, &khm, &new).await, Err(EditError::Denied(_))), "{n}");
        let cycle = followup::open_cycle(db, &acmw, &new).await.unwrap_or_else(|e| panic!("{n}: {e}"));
        let m = followup::matrix(db, &cycle).await.unwrap().unwrap();
        assert_eq!(m.cycle.recommendations.len(), 21, "{n}: the 5th Forum's 21 recommendations");
        assert_eq!(m.cycle.recommendations[0].parts.len(), 5, "{n}: recommendation 1's five principles go with it");
        let rec = m.cycle.recommendations[0].id.clone();

        followup::report(
            db,
            &khm,
            &cycle,
            &report(&rec, "KHM", Voice::Government, ImplementationStatus::InProgress, "Draft sub-decree."),
        )
        .await
        .unwrap_or_else(|e| panic!("{n}: {e}"));
        followup::report(
            db,
            &phl,
            &cycle,
            &report(&rec, "PHL", Voice::Government, ImplementationStatus::Implemented, "Law adopted."),
        )
        .await
        .unwrap();
        // The workers speak for themselves about Cambodia; the government's report stays.
        followup::report(
            db,
            &atuc,
            &cycle,
            &report(&rec, "KHM", Voice::Workers, ImplementationStatus::NotStarted, "No consultation yet."),
        )
        .await
        .unwrap_or_else(|e| panic!("{n}: {e}"));
        // Nobody reports for another country or another voice.
        let other = followup::report(
            db,
            &khm,
            &cycle,
            &report(&rec, "PHL", Voice::Government, ImplementationStatus::Implemented, "x"),
        )
        .await;
        assert!(matches!(other, Err(EditError::Denied(_))), "{n}: {other:?}");
        let as_employers = followup::report(
            db,
            &atuc,
            &cycle,
            &report(&rec, "KHM", Voice::Employers, ImplementationStatus::Implemented, "x"),
        )
        .await;
        assert!(matches!(as_employers, Err(EditError::Invalid { .. })), "{n}: {as_employers:?}");
        // A correction is a new revision; the first stays in the history.
        let r2 = followup::report(
            db,
            &khm,
            &cycle,
            &report(&rec, "KHM", Voice::Government, ImplementationStatus::PartiallyImplemented, "Sub-decree signed."),
        )
        .await
        .unwrap();
        assert_eq!(r2, 2);
        assert_eq!(
            followup::history(db, &rec, Some("KHM")).await.unwrap().len(),
            3,
            "{n}: two government revisions and the workers'"
        );

        let m = followup::matrix(db, &cycle).await.unwrap().unwrap();
        let cell = |ms: &str| m.cells.iter().find(|c| c.recommendation == rec && c.member_state == ms).unwrap();
        assert_eq!(cell("KHM").status, "partially_implemented", "{n}");
        assert_eq!(cell("KHM").reports.len(), 2, "{n}: the government and the workers");
        assert!(cell("KHM").reports.iter().any(|r| r.voice == "workers" && r.partner.as_deref() == Some("atuc")));
        assert_eq!(cell("PHL").status, "implemented");
        assert_eq!(cell("VNM").status, "no_information");
        let missing = followup::not_reported(db, &cycle).await.unwrap().unwrap();
        let of = |ms: &str| missing.iter().find(|(s, _)| s == ms).map(|(_, l)| l.len()).unwrap_or(0);
        assert_eq!((of("KHM"), of("PHL"), of("VNM")), (20, 20, 21), "{n}");
        assert_eq!(followup::country(db, "KHM").await.unwrap().len(), 2, "{n}");

        // Closed: no more reports. The next cycle carries the recommendation forward
        // (Cambodia has not implemented it), with the earlier status shown.
        followup::close_cycle(db, &acmw, &cycle).await.unwrap();
        let late = followup::report(
            db,
            &khm,
            &cycle,
            &report(&rec, "KHM", Voice::Government, ImplementationStatus::Implemented, "x"),
        )
        .await;
        assert!(matches!(late, Err(EditError::Invalid { .. })), "{n}");
        let next = followup::open_cycle(db, &acmw, &NewCycle { meeting: "afml-4".into(), ..Default::default() })
            .await
            .unwrap();
        let m2 = followup::matrix(db, &next).await.unwrap().unwrap();
        let carried =
            m2.cycle.recommendations.iter().find(|r| r.id == rec).unwrap_or_else(|| panic!("{n}: not carried"));
        assert!(carried.carried_forward);
        let c = m2.cells.iter().find(|c| c.recommendation == rec && c.member_state == "KHM").unwrap();
        assert_eq!((c.status.as_str(), c.carried), ("partially_implemented", true), "{n}");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn the_secretariat_records_ratification_events_with_their_source() {
    for t in seeded().await {
        let db = &t.db;
        let n = t.name();
        let asec =
            actor(db, "officer@asec.test", Grant::new(Role::BodySecretariat, Some("asec".into()), None).unwrap()).await;
        let khm = actor(db, "fp@khm.test", Grant::new(Role::FocalPoint, None, Some("KHM".into())).unwrap()).await;
        let event = NewRatification {
            member_state: "MMR".into(),
            convention: "C187".into(),
            event: RatificationEvent::Ratified,
            date: "2026-06-01".into(),
            source_document: "ILO NORMLEX".into(),
            source_section: None,
            source_reference: Some("https://normlex.ilo.org".into()),
        };
        assert!(matches!(followup::record_ratification(db, &khm, &event).await, Err(EditError::Denied(_))), "{n}");
        let id = followup::record_ratification(db, &asec, &event).await.unwrap_or_else(|e| panic!("{n}: {e}"));
        assert!(followup::record_ratification(db, &asec, &event).await.is_err(), "{n}: recorded twice");
        let future = NewRatification { date: "2999-01-01".into(), ..event.clone() };
        assert!(followup::record_ratification(db, &asec, &future).await.is_err());
        let today = tripart_storage::read::ratification_matrix(db, &tripart_domain::time::today(), None).await.unwrap();
        let column = today.conventions.iter().position(|c| c.id == "C187").unwrap();
        let row = today.rows.iter().find(|r| r.member_state == "MMR").unwrap();
        assert_eq!(row.cells[column].status, "ratified", "{n}: {id}");
        assert_eq!(row.cells[column].since.as_deref(), Some("2026-06-01"));
        t.cleanup().await;
    }
}
