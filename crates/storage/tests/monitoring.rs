//! Monitoring on both backends: progress updates and their history, meetings as
//! outputs, the annual report's workflow and freezing, the checklist's revisions,
//! reviews and continued actions, and the dashboards over the seeded catalogue.

// A test that fails should fail loudly where it fails: helpers unwrap like the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use tripart_domain::access::{Actor, Channel, Grant, Principal, Role};
use tripart_domain::monitoring::{AnswerType, ChecklistCategory, OutputKind, ReportStep, ReviewKind, ReviewRating};
use tripart_domain::vocab::ActionStatus;
use tripart_storage::edit::EditError;
use tripart_storage::monitoring::checklists::{self, GivenAnswer, NewTemplate, TemplateItem};
use tripart_storage::monitoring::evidence::NewFile;
use tripart_storage::monitoring::meetings::{record_meeting, NewMeeting, NewRecommendation};
use tripart_storage::monitoring::progress::{self, NewUpdate, Output};
use tripart_storage::monitoring::reviews::{self, Finding, NewAction, ReviewChange};
use tripart_storage::monitoring::{dashboard, reports, Link};
use tripart_storage::read::{self, ActionFilter};
use tripart_storage::testkit::{all_backends, TestDb};
use tripart_storage::{accounts, params, seed, Db};

async fn seeded() -> Vec<TestDb> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../catalogue");
    let cat = tripart_catalogue::load_dir(&dir).unwrap_or_else(|_| panic!("catalogue invalid")).catalogue;
    let dbs = all_backends().await;
    for t in &dbs {
        seed::seed(&t.db, &cat).await.unwrap_or_else(|e| panic!("{}: seed: {e}", t.name()));
    }
    dbs
}

/// A real account with one grant, acting through the API.
async fn actor(db: &Db, email: &str, role: Role, body: Option<&str>, ms: Option<&str>) -> Actor {
    let grant = Grant::new(role, body.map(Into::into), ms.map(Into::into)).unwrap();
    let user = accounts::create_user(
        db,
        &Actor::Operator,
        email,
        email,
        "a long enough password",
        std::slice::from_ref(&grant),
    )
    .await
    .unwrap();
    Actor::User(Principal { user_id: user.id, email: email.into(), grants: vec![grant] }, Channel::Api)
}

async fn status_of(db: &Db, action: &str) -> String {
    read::action(db, action).await.unwrap().unwrap().action.status
}

/// Coordinated by Cambodia, "T.B.C." in the work plan.
const ACTION: &str = "slom-wg-wp-2011-2015.2.1.b";

fn update(date: &str, status: ActionStatus, narrative: &str) -> NewUpdate {
    NewUpdate {
        reported_on: date.into(),
        status: Some(status),
        narrative: Some(narrative.into()),
        ..Default::default()
    }
}

#[tokio::test]
async fn updates_move_the_action_keep_history_and_respect_scopes() {
    for t in seeded().await {
        let db = &t.db;
        let n = t.name();
        let sec = actor(db, "sec@slom-wg.test", Role::BodySecretariat, Some("slom-wg"), None).await;
        let khm = actor(db, "fp@khm.test", Role::FocalPoint, None, Some("KHM")).await;
        let tha = actor(db, "fp@tha.test", Role::FocalPoint, None, Some("THA")).await;

        // The coordinating state's focal point reports, with outputs, a link and a file.
        let mut u = update("2025-03-01", ActionStatus::Ongoing, "Training of trainers held in Phnom Penh.");
        u.outputs = vec![Output {
            kind: OutputKind::Training,
            quantity: 2,
            title: Some("Training of trainers".into()),
            participants_female: Some(14),
            participants_male: Some(11),
            meeting: None,
            member_state: None,
        }];
        u.links = vec![Link { label: "Report".into(), url: "https://example.org/report".into() }];
        u.files = vec![NewFile { name: "minutes.pdf".into(), bytes: b"%PDF-1.4 minutes".to_vec() }];
        let first = progress::record_update(db, &khm, ACTION, &u).await.unwrap_or_else(|e| panic!("{n}: {e}"));
        assert_eq!(status_of(db, ACTION).await, "ongoing", "{n}");

        // Another state's focal point may not.
        let denied =
            progress::record_update(db, &tha, ACTION, &update("2025-03-02", ActionStatus::Completed, "x")).await;
        assert!(matches!(denied, Err(EditError::Denied(_))), "{n}: {denied:?}");
        assert!(matches!(
            progress::record_update(db, &Actor::Public, ACTION, &update("2025-03-02", ActionStatus::Completed, "x"))
                .await,
            Err(EditError::Denied(_))
        ));

        // Bad input is refused with the field named, and nothing is written.
        let mut bad = update("2025-03-03", ActionStatus::Ongoing, "x");
        bad.files = vec![NewFile { name: "setup.exe".into(), bytes: b"MZ\x90\x00".to_vec() }];
        match progress::record_update(db, &sec, ACTION, &bad).await {
            Err(EditError::Invalid { field, .. }) => assert_eq!(field, "files[0]"),
            other => panic!("{n}: {other:?}"),
        }
        let future =
            progress::record_update(db, &sec, ACTION, &update("2999-01-01", ActionStatus::Completed, "x")).await;
        assert!(matches!(future, Err(EditError::Invalid { .. })), "{n}");
        let mut bad_link = update("2025-03-03", ActionStatus::Ongoing, "x");
        bad_link.links = vec![Link { label: "x".into(), url: "javascript:alert(1)".into() }];
        assert!(matches!(progress::record_update(db, &sec, ACTION, &bad_link).await, Err(EditError::Invalid { .. })));

        // The body's secretariat completes it; a back-dated update stays history.
        progress::record_update(
            db,
            &sec,
            ACTION,
            &update("2025-09-30", ActionStatus::Completed, "Guidelines adopted."),
        )
        .await
        .unwrap();
        progress::record_update(
            db,
            &sec,
            ACTION,
            &update("2025-01-15", ActionStatus::Planned, "Late note on January."),
        )
        .await
        .unwrap();
        assert_eq!(status_of(db, ACTION).await, "completed", "{n}");

        let history = progress::history(db, ACTION).await.unwrap();
        let dates: Vec<&str> = history.iter().map(|h| h.reported_on.as_str()).collect();
        assert_eq!(dates, ["2025-01-15", "2025-03-01", "2025-09-30"], "{n}");
        let h = history.iter().find(|h| h.id == first).unwrap();
        assert_eq!(h.outputs[0].participants_female, Some(14));
        assert_eq!(h.links[0].url, "https://example.org/report");
        assert_eq!(h.files[0].media_type, "application/pdf");
        let (meta, bytes) = tripart_storage::monitoring::evidence::file(db, &h.files[0].id).await.unwrap().unwrap();
        assert_eq!(bytes, b"%PDF-1.4 minutes");
        assert_eq!(meta.file_name, "minutes.pdf");

        // Everything is in the audit trail.
        let audited = db
            .fetch_optional("SELECT COUNT(*) AS n FROM audit_event WHERE record_type = 'progress_update'", &[])
            .await
            .unwrap()
            .unwrap()
            .i64("n")
            .unwrap();
        assert_eq!(audited, 3, "{n}");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_meeting_held_is_an_output_of_the_actions_it_implements() {
    for t in seeded().await {
        let db = &t.db;
        let n = t.name();
        let sec = actor(db, "sec@slom-wg.test", Role::BodySecretariat, Some("slom-wg"), None).await;
        let before = status_of(db, ACTION).await;
        assert_ne!(before, "completed", "{n}");
        let meeting = NewMeeting {
            title: "Regional Workshop on Skills Recognition".into(),
            body: "slom-wg".into(),
            host: Some("KHM".into()),
            city: Some("Siem Reap".into()),
            start: "2025-05-06".into(),
            end: Some("2025-05-07".into()),
            participants: vec!["KHM".into(), "LAO".into()],
            implements: vec![ACTION.into()],
            documents: vec![Link { label: "Summary report".into(), url: "https://example.org/summary".into() }],
            recommendations: vec![
                NewRecommendation { number: None, heading: None, text: "Map the skills standards.".into() },
                NewRecommendation { number: None, heading: None, text: "Share the results at SLOM.".into() },
            ],
            participants_female: Some(20),
            participants_male: Some(18),
            ..Default::default()
        };
        let id = record_meeting(db, &sec, &meeting).await.unwrap_or_else(|e| panic!("{n}: {e}"));
        assert_eq!(id, "regional-workshop-on-skills-recognition-2025");
        let detail = read::meeting(db, &id).await.unwrap().unwrap();
        assert_eq!(detail.recommendations.len(), 2, "{n}");
        assert_eq!(status_of(db, ACTION).await, "ongoing", "{n}");
        let history = progress::history(db, ACTION).await.unwrap();
        let last = history.last().unwrap();
        assert_eq!(last.meeting.as_deref(), Some(id.as_str()));
        assert_eq!(last.outputs[0].kind, OutputKind::Meeting);
        assert_eq!(last.outputs[0].participants_female, Some(20));

        // Another body's secretariat may not record meetings for SLOM-WG's actions.
        let acmw = actor(db, "sec@acmw.test", Role::BodySecretariat, Some("acmw"), None).await;
        let denied = record_meeting(db, &acmw, &NewMeeting { body: "acmw".into(), ..meeting.clone() }).await;
        assert!(matches!(denied, Err(EditError::Denied(_))), "{n}: {denied:?}");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn an_annual_report_is_submitted_returned_accepted_and_frozen() {
    for t in seeded().await {
        let db = &t.db;
        let n = t.name();
        let sec = actor(db, "sec@slom-wg.test", Role::BodySecretariat, Some("slom-wg"), None).await;
        let slom = actor(db, "validator@slom.test", Role::Validator, Some("slom"), None).await;
        let acmw_validator = actor(db, "validator@acmw.test", Role::Validator, Some("acmw"), None).await;
        let mut u = update("2025-04-01", ActionStatus::Ongoing, "Work started.");
        u.outputs = vec![Output {
            kind: OutputKind::Decision,
            quantity: 1,
            title: Some("Terms of reference adopted".into()),
            participants_female: None,
            participants_male: None,
            meeting: None,
            member_state: None,
        }];
        progress::record_update(db, &sec, ACTION, &u).await.unwrap();
        let area = "slom-wg-wp-2011-2015.ta-2";
        reports::set_narrative(db, &sec, "slom-wg", 2025, area, "Skills work advanced.", None).await.unwrap();

        // Not public before it is accepted.
        assert!(matches!(reports::report(db, &Actor::Public, "slom-wg", 2025).await, Err(EditError::Denied(_))));
        let draft = reports::report(db, &sec, "slom-wg", 2025).await.unwrap();
        assert_eq!(draft.status, "draft");
        let area_view = draft.areas.iter().find(|a| a.id == area).unwrap_or_else(|| panic!("{n}: {:?}", draft.areas));
        assert_eq!(area_view.narrative.as_deref(), Some("Skills work advanced."));
        assert!(area_view.actions.iter().any(|a| a.id == ACTION && a.updates.len() == 1));
        assert_eq!(draft.summary.outputs.iter().find(|c| c.key == "decision").unwrap().count, 1);

        // A validator cannot accept a draft; the body submits it.
        assert!(reports::step(db, &slom, "slom-wg", 2025, ReportStep::Accept, None, None).await.is_err());
        reports::step(db, &sec, "slom-wg", 2025, ReportStep::Submit, None, None).await.unwrap();
        // Submitted: no more edits; only SLOM's validators decide, and a return needs a comment.
        assert!(reports::set_narrative(db, &sec, "slom-wg", 2025, area, "x", None).await.is_err());
        assert!(matches!(
            reports::step(db, &acmw_validator, "slom-wg", 2025, ReportStep::Accept, None, None).await,
            Err(EditError::Denied(_))
        ));
        assert!(matches!(
            reports::step(db, &slom, "slom-wg", 2025, ReportStep::Return, Some("  "), None).await,
            Err(EditError::Invalid { .. })
        ));
        reports::step(db, &slom, "slom-wg", 2025, ReportStep::Return, Some("Add the outputs of the workshop."), None)
            .await
            .unwrap();
        reports::set_narrative(db, &sec, "slom-wg", 2025, area, "Skills work advanced; workshop held.", None)
            .await
            .unwrap();
        reports::step(db, &sec, "slom-wg", 2025, ReportStep::Submit, None, None).await.unwrap();
        reports::step(db, &slom, "slom-wg", 2025, ReportStep::Accept, None, None).await.unwrap();

        // Accepted: public, frozen against later updates.
        let accepted = reports::report(db, &Actor::Public, "slom-wg", 2025).await.unwrap();
        assert_eq!(accepted.status, "accepted", "{n}");
        let events: Vec<&str> = accepted.history.iter().map(|e| e.event.as_str()).collect();
        assert_eq!(events, ["created", "submitted", "returned", "submitted", "accepted"], "{n}");
        assert_eq!(accepted.history[2].comment.as_deref(), Some("Add the outputs of the workshop."));
        progress::record_update(db, &sec, ACTION, &update("2025-12-01", ActionStatus::Completed, "Late news."))
            .await
            .unwrap();
        let again = reports::report(db, &Actor::Public, "slom-wg", 2025).await.unwrap();
        let updates: usize = again.areas.iter().flat_map(|a| &a.actions).map(|a| a.updates.len()).sum();
        let before: usize = accepted.areas.iter().flat_map(|a| &a.actions).map(|a| a.updates.len()).sum();
        assert_eq!(updates, before, "{n}: the accepted report must not change");
        assert!(reports::step(db, &sec, "slom-wg", 2025, ReportStep::Submit, None, None).await.is_err());
        t.cleanup().await;
    }
}

#[tokio::test]
async fn the_checklist_keeps_every_revision_and_templates_are_versioned() {
    for t in seeded().await {
        let db = &t.db;
        let n = t.name();
        let sec = actor(db, "sec@acmw.test", Role::BodySecretariat, Some("acmw"), None).await;
        let asec = actor(db, "officer@asec.test", Role::BodySecretariat, Some("asec"), None).await;
        // The starter template is installed by seeding, published.
        let templates = checklists::templates(db).await.unwrap();
        assert_eq!(templates.len(), 1, "{n}");
        assert_eq!(templates[0].status, "published");
        let answer = |key: &str, value: &str| GivenAnswer { key: key.into(), value: Some(value.into()), comment: None };
        let r1 =
            checklists::save_answers(db, &sec, "acmw", 2025, &[answer("data-produced", "yes")], false).await.unwrap();
        let bad = checklists::save_answers(db, &sec, "acmw", 2025, &[answer("data-products", "many")], false).await;
        assert!(matches!(bad, Err(EditError::Invalid { .. })), "{n}: {bad:?}");
        let r2 = checklists::save_answers(
            db,
            &sec,
            "acmw",
            2025,
            &[answer("data-produced", "no"), answer("data-sharing", "published"), answer("data-products", "3")],
            true,
        )
        .await
        .unwrap();
        assert_eq!((r1, r2), (1, 2));
        let view = checklists::view(db, "acmw", 2025).await.unwrap().unwrap();
        assert_eq!(view.status, "submitted");
        assert_eq!(view.answered, 3);
        assert_eq!(view.answers.iter().find(|a| a.key == "data-produced").unwrap().value.as_deref(), Some("no"));
        let revisions = checklists::revisions(db, "acmw", 2025).await.unwrap();
        let produced: Vec<_> =
            revisions.iter().filter(|r| r.key == "data-produced").map(|r| r.value.clone().unwrap()).collect();
        assert_eq!(produced, ["yes", "no"], "{n}");

        // A body may not draft templates; the Secretariat drafts version 2 and publishes it.
        let v2 = NewTemplate {
            family: "output-checklist".into(),
            title: "Output-level checklist 2026".into(),
            notes: None,
            items: vec![TemplateItem {
                key: "laws-drafted".into(),
                category: ChecklistCategory::LawsStandardsPolicies,
                question: "How many laws were drafted with the body's support?".into(),
                answer_type: AnswerType::Number,
                levels: vec![],
                guidance: None,
            }],
        };
        assert!(matches!(checklists::draft_template(db, &sec, &v2).await, Err(EditError::Denied(_))));
        let id = checklists::draft_template(db, &asec, &v2).await.unwrap();
        assert_eq!(id, "output-checklist-v2");
        checklists::publish_template(db, &asec, &id).await.unwrap();
        assert!(checklists::publish_template(db, &asec, &id).await.is_err());
        // 2026 uses version 2; 2025 stays on the version it was completed on.
        checklists::save_answers(db, &sec, "acmw", 2026, &[answer("laws-drafted", "2")], false).await.unwrap();
        assert_eq!(checklists::view(db, "acmw", 2026).await.unwrap().unwrap().template_version, 2);
        assert_eq!(checklists::view(db, "acmw", 2025).await.unwrap().unwrap().template_version, 1);
        assert_eq!(checklists::all(db, Some("acmw"), None).await.unwrap().len(), 2);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn reviews_rate_outcomes_and_recommendations_become_actions_with_lineage() {
    for t in seeded().await {
        let db = &t.db;
        let n = t.name();
        let slom = actor(db, "sec@slom.test", Role::BodySecretariat, Some("slom"), None).await;
        let id = reviews::open_review(db, &slom, "alm-wp-2016-2020", ReviewKind::MidTerm).await.unwrap();
        let review = reviews::review(db, &id).await.unwrap().unwrap();
        assert_eq!(review.due_on, "2018-07-01", "{n}");
        assert!(!review.rateable.is_empty(), "{n}: the 2016-2020 programme has key result areas");
        let node = review.rateable[0].id.clone();
        let change = ReviewChange {
            version: review.version,
            summary: Some("Half-way: most areas on track.".into()),
            findings: vec![Finding {
                node: node.clone(),
                rating: ReviewRating::PartlyAchieved,
                findings: Some("Two of four outputs delivered.".into()),
                evidence: vec![Link { label: "Progress report".into(), url: "https://example.org/p".into() }],
            }],
            recommendations: vec!["Set up a regional skills recognition network.".into()],
            finalise: false,
        };
        let v = reviews::save_review(db, &slom, &id, &change).await.unwrap_or_else(|e| panic!("{n}: {e}"));
        // A stale version conflicts.
        assert!(matches!(reviews::save_review(db, &slom, &id, &change).await, Err(EditError::Conflict { .. })));
        let review = reviews::review(db, &id).await.unwrap().unwrap();
        assert_eq!(review.version, v);
        assert_eq!(review.findings[0].rating, ReviewRating::PartlyAchieved);
        let into = NewAction {
            programme: "alm-wp-2016-2020".into(),
            node: None,
            title: None,
            calendar: Some("2019 - 2020".into()),
            bodies: vec![],
        };
        let action = reviews::adopt_recommendation(db, &slom, &review.recommendations[0].id, &into).await.unwrap();
        let created = read::action(db, &action).await.unwrap().unwrap();
        assert_eq!(created.action.title, "Set up a regional skills recognition network.");
        assert_eq!(created.action.start_year, Some(2019));

        // A 2010-2015 action continued into 2016-2020 shows its whole history.
        let old = "alm-wp-2010-2015.t3-37";
        progress::record_update(db, &slom, old, &update("2015-06-01", ActionStatus::Completed, "Held in 2015."))
            .await
            .unwrap();
        let new = reviews::continue_action(db, &slom, old, &NewAction { title: None, ..into.clone() }).await.unwrap();
        progress::record_update(db, &slom, &new, &update("2017-06-01", ActionStatus::Ongoing, "Held again."))
            .await
            .unwrap();
        let lineage = progress::lineage(db, &new).await.unwrap();
        assert_eq!(lineage.continues, [old]);
        assert_eq!(progress::lineage(db, old).await.unwrap().continued_by, std::slice::from_ref(&new));
        let history: Vec<String> =
            progress::history(db, &new).await.unwrap().iter().map(|u| u.action.clone()).collect();
        assert_eq!(history, [old.to_string(), new.clone()], "{n}");
        assert!(reviews::continue_action(db, &slom, old, &into).await.is_err(), "{n}: continued twice");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn dashboards_read_the_seeded_statuses_without_hand_entry() {
    for t in seeded().await {
        let db = &t.db;
        let n = t.name();
        let all = dashboard::dashboard(db, &ActionFilter::default(), "2026-11-23", 180).await.unwrap();
        let count = |k: &str| all.by_status.iter().find(|c| c.key == k).map(|c| c.count).unwrap_or(0);
        let expected = |k: &str| {
            let db = db.clone();
            let k = k.to_string();
            async move {
                db.fetch_optional(
                    "SELECT COUNT(*) AS n FROM action WHERE status = $1 AND retired_at IS NULL",
                    &params![k],
                )
                .await
                .unwrap()
                .unwrap()
                .i64("n")
                .unwrap()
            }
        };
        for status in ["completed", "ongoing", "tbc", "planned"] {
            assert_eq!(count(status), expected(status).await, "{n}: {status}");
        }
        assert!(count("completed") > 0 && count("ongoing") > 0 && count("tbc") > 0, "{n}: {:?}", all.by_status);
        // Calendars that ended in 2015 and 2020 with work not completed are overdue.
        assert!(all.overdue > 0, "{n}");
        assert!(all.actions.iter().filter(|a| a.overdue).all(|a| a.action.status != "completed"));

        // A recent update takes an action off the overdue list.
        let sec = actor(db, "sec@slom-wg.test", Role::BodySecretariat, Some("slom-wg"), None).await;
        let scope = ActionFilter { body: Some("slom-wg".into()), ..Default::default() };
        let before = dashboard::dashboard(db, &scope, "2026-11-23", 180).await.unwrap();
        let overdue = before.actions.iter().find(|a| a.overdue).unwrap_or_else(|| panic!("{n}: none overdue"));
        let id = overdue.action.id.clone();
        progress::record_update(db, &sec, &id, &update("2026-11-01", ActionStatus::Ongoing, "Still going."))
            .await
            .unwrap();
        let after = dashboard::dashboard(db, &scope, "2026-11-23", 180).await.unwrap();
        assert!(!after.actions.iter().find(|a| a.action.id == id).unwrap().overdue, "{n}");
        assert_eq!(after.overdue, before.overdue - 1);

        let changes = dashboard::changes_since(db, &scope, "2026-10-01").await.unwrap();
        assert_eq!(changes.updates.len(), 1, "{n}");
        assert_eq!(changes.updates[0].update.action, id);
        assert!(dashboard::last_slom(db, "2026-11-23").await.unwrap().is_some(), "{n}");
        t.cleanup().await;
    }
}
