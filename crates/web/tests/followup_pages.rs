//! The follow-up pages over HTTP on every backend, as a browser without
//! JavaScript uses them: the cycles, the matrix and a cell page are public; a
//! focal point and a workers' organisation report through the cell's form, which
//! refuses a bad field by naming it and storing nothing; the Secretariat records
//! a ratification event that the matrix of today then shows.

mod common;

use common::TestApp;
use reqwest::{Client, StatusCode};
use tripart_domain::access::{Actor, Grant, Role};
use tripart_storage::{accounts, followup};

const PASSWORD: &str = "correct horse battery staple";

async fn create_user(app: &TestApp, email: &str, grant: Grant) {
    accounts::create_user(app.db(), &Actor::Operator, email, email, PASSWORD, &[grant])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}

/// A browser: keeps cookies, does not follow redirects (so that tests see them).
fn browser() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    html.split(&marker).nth(1).and_then(|r| r.split('"').next()).unwrap_or_default().to_string()
}

async fn get(client: &Client, app: &TestApp, path: &str) -> (StatusCode, String) {
    let r = client.get(app.url(path)).send().await.unwrap_or_else(|e| panic!("GET {path}: {e}"));
    let status = r.status();
    (status, r.text().await.unwrap_or_default())
}

async fn post(client: &Client, app: &TestApp, path: &str, form: &[(&str, &str)]) -> (StatusCode, String, String) {
    let r = client.post(app.url(path)).form(form).send().await.unwrap_or_else(|e| panic!("POST {path}: {e}"));
    let status = r.status();
    let location = r.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    (status, location, r.text().await.unwrap_or_default())
}

async fn sign_in(client: &Client, app: &TestApp, email: &str) -> String {
    let (_, form) = get(client, app, "/sign-in").await;
    let (status, _, _) =
        post(client, app, "/sign-in", &[("email", email), ("password", PASSWORD), ("csrf", &hidden(&form, "csrf"))])
            .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}: signing in as {email}", app.backend());
    let (_, home) = get(client, app, "/").await;
    hidden(&home, "csrf")
}

async fn reports(app: &TestApp) -> i64 {
    app.db()
        .fetch_optional("SELECT COUNT(*) AS n FROM implementation_report", &[])
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .map(|r| r.i64("n").unwrap_or_default())
        .unwrap_or_default()
}

/// Opens a cycle on the 5th Forum's recommendations as its body's secretariat;
/// returns the cycle and its first recommendation.
async fn open_cycle(app: &TestApp) -> (String, String) {
    let grant = Grant::new(Role::BodySecretariat, Some("acmw".into()), None).unwrap_or_else(|e| panic!("{e}"));
    let user = accounts::create_user(app.db(), &Actor::Operator, "sec@acmw.org", "sec@acmw.org", PASSWORD, &[grant])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let principal = tripart_domain::access::Principal {
        user_id: user.id,
        email: "sec@acmw.org".into(),
        grants: vec![Grant::new(Role::BodySecretariat, Some("acmw".into()), None).unwrap_or_else(|e| panic!("{e}"))],
    };
    let actor = Actor::User(principal, tripart_domain::access::Channel::Web);
    let new = followup::NewCycle {
        meeting: "afml-5".into(),
        reported_to: Some("6th ASEAN Forum on Migrant Labour".into()),
        ..Default::default()
    };
    let cycle = followup::open_cycle(app.db(), &actor, &new).await.unwrap_or_else(|e| panic!("{e}"));
    let m = followup::matrix(app.db(), &cycle)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("no matrix"));
    (cycle, m.cycle.recommendations[0].id.clone())
}

#[tokio::test]
async fn the_follow_up_pages_are_public() {
    for app in common::spawn_apps().await {
        let b = app.backend();
        let (cycle, rec) = open_cycle(&app).await;
        let public = browser();
        for (path, expected) in [
            ("/follow-up".to_string(), "Forum on Migrant Labour"),
            (format!("/follow-up/{cycle}"), "Who has not reported yet"),
            (format!("/follow-up/{cycle}"), "/paper.pdf"),
            (format!("/follow-up/{cycle}/{rec}/KHM"), "Nothing has been reported yet."),
            ("/member-states/KHM/follow-up".to_string(), "Follow-up of recommendations"),
            ("/member-states/KHM".to_string(), "/member-states/KHM/follow-up"),
            ("/ratifications".to_string(), "Conventions not ratified"),
            ("/ratifications/changes?from=2010-01-01&to=2013-11-01".to_string(), "What changed between two dates"),
        ] {
            let (status, page) = get(&public, &app, &path).await;
            assert_eq!(status, StatusCode::OK, "{b}: {path}: {page}");
            assert!(page.contains(expected), "{b}: {path} lacks {expected}");
        }
        let (_, list) = get(&public, &app, "/follow-up").await;
        assert!(!list.contains("action=\"/follow-up\""), "{b}: no form to open a cycle for the public");
        let (_, cell) = get(&public, &app, &format!("/follow-up/{cycle}/{rec}/KHM")).await;
        assert!(!cell.contains("name=\"status\""), "{b}: no report form for the public");
        let (status, _) = get(&public, &app, "/follow-up/no-such-cycle").await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{b}");
        let (status, _) = get(&public, &app, "/ratifications/record").await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{b}: the public is sent to sign in");
        app.stop().await;
    }
}

#[tokio::test]
async fn a_focal_point_and_a_workers_organisation_report_through_the_cell_form() {
    for app in common::spawn_apps().await {
        let b = app.backend();
        let (cycle, rec) = open_cycle(&app).await;
        create_user(
            &app,
            "fp@mlvt.gov.kh",
            Grant::new(Role::FocalPoint, None, Some("KHM".into())).unwrap_or_else(|e| panic!("{e}")),
        )
        .await;
        let path = format!("/follow-up/{cycle}/{rec}/KHM");
        let fp = browser();
        let csrf = sign_in(&fp, &app, "fp@mlvt.gov.kh").await;
        let (_, page) = get(&fp, &app, &path).await;
        assert!(page.contains("name=\"status\""), "{b}: the focal point is offered the form");
        assert!(page.contains("<option value=\"government\""), "{b}: with the government's voice");

        let before = reports(&app).await;
        let (status, _, page) = post(
            &fp,
            &app,
            &path,
            &[("csrf", &csrf), ("speaker", "government"), ("status", "finished"), ("narrative", "Sub-decree drafted.")],
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{b}");
        assert!(page.contains("Please correct “Status”"), "{b}: the status is named");
        assert!(page.contains("Sub-decree drafted."), "{b}: what was typed is kept");
        let (status, _, page) = post(
            &fp,
            &app,
            &path,
            &[
                ("csrf", &csrf),
                ("speaker", "government"),
                ("status", "in_progress"),
                ("evidence[0].label", "Circular"),
                ("evidence[0].url", "javascript:alert(1)"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{b}");
        assert!(page.contains("Please correct “Evidence 1"), "{b}: the link is named: {page}");
        assert_eq!(reports(&app).await, before, "{b}: nothing stored");

        let (status, location, _) = post(
            &fp,
            &app,
            &path,
            &[
                ("csrf", &csrf),
                ("speaker", "government"),
                ("status", "in_progress"),
                ("narrative", "Sub-decree drafted."),
                ("evidence[0].label", "Ministry circular"),
                ("evidence[0].url", "https://example.org/circular"),
            ],
        )
        .await;
        assert_eq!((status, location), (StatusCode::SEE_OTHER, format!("{path}?done=reported")), "{b}");
        let public = browser();
        let (_, matrix) = get(&public, &app, &format!("/follow-up/{cycle}")).await;
        assert!(matrix.contains("class=\"impl-in_progress\""), "{b}: the cell shows the status");
        assert!(matrix.contains("Sub-decree drafted."), "{b}: and the report as text");
        let (_, country) = get(&public, &app, "/member-states/KHM/follow-up").await;
        assert!(country.contains(&format!("href=\"{path}\"")) && country.contains("In progress"), "{b}");

        create_user(
            &app,
            "sg@atuc.org",
            Grant::scoped(Role::SocialPartner, None, None, Some("atuc".into())).unwrap_or_else(|e| panic!("{e}")),
        )
        .await;
        let atuc = browser();
        let csrf = sign_in(&atuc, &app, "sg@atuc.org").await;
        let (_, page) = get(&atuc, &app, &path).await;
        assert!(!page.contains("<option value=\"government\""), "{b}: a union does not speak for the government");
        let (status, _, page) = post(
            &atuc,
            &app,
            &path,
            &[
                ("csrf", &csrf),
                ("speaker", "atuc"),
                ("status", "not_started"),
                ("narrative", "Workers were not consulted."),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{b}: {page}");
        let (_, cell) = get(&public, &app, &path).await;
        assert!(cell.contains("Workers") && cell.contains("Workers were not consulted."), "{b}");
        let voices: Vec<String> = followup::history(app.db(), &rec, Some("KHM"))
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .into_iter()
            .map(|r| r.voice)
            .collect();
        assert_eq!(voices, ["government", "workers"], "{b}");
        app.stop().await;
    }
}

#[tokio::test]
async fn the_secretariat_records_a_ratification_event_the_matrix_then_shows() {
    for app in common::spawn_apps().await {
        let b = app.backend();
        let (_, m) = app.json("/api/v1/ratifications/matrix").await;
        // A convention some member state has not ratified today.
        let (state, convention) = m["rows"]
            .as_array()
            .into_iter()
            .flatten()
            .find_map(|row| {
                let cells = row["cells"].as_array()?;
                let i = cells.iter().position(|c| c["status"] == "not_ratified")?;
                Some((row["member_state"].as_str()?.to_string(), m["conventions"][i]["id"].as_str()?.to_string()))
            })
            .unwrap_or_else(|| panic!("{b}: every convention ratified everywhere"));
        create_user(
            &app,
            "officer@asean.org",
            Grant::new(Role::BodySecretariat, Some("asec".into()), None).unwrap_or_else(|e| panic!("{e}")),
        )
        .await;
        let asec = browser();
        let csrf = sign_in(&asec, &app, "officer@asean.org").await;
        let (status, page) = get(&asec, &app, "/ratifications/record").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(page.contains("name=\"source_document\""), "{b}: the Secretariat is offered the form");
        let today = tripart_domain::time::today();
        let mut form = vec![
            ("csrf", csrf.as_str()),
            ("member_state", state.as_str()),
            ("convention", convention.as_str()),
            ("event", "ratified"),
            ("date", today.as_str()),
            ("source_document", ""),
        ];
        let (status, _, page) = post(&asec, &app, "/ratifications/record", &form).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{b}");
        assert!(page.contains("Please correct “Source document”"), "{b}: the source is named");
        form[5] = ("source_document", "ILO NORMLEX");
        let (status, location, _) = post(&asec, &app, "/ratifications/record", &form).await;
        assert_eq!((status, location.as_str()), (StatusCode::SEE_OTHER, "/ratifications/record?done=recorded"), "{b}");
        let (_, m) = app.json("/api/v1/ratifications/matrix").await;
        let row = m["rows"].as_array().into_iter().flatten().find(|r| r["member_state"] == state.as_str()).cloned();
        let i = m["conventions"].as_array().into_iter().flatten().position(|c| c["id"] == convention.as_str());
        let cell = row.zip(i).map(|(r, i)| r["cells"][i].clone()).unwrap_or_default();
        assert_eq!(cell["status"], "ratified", "{b}: {cell}");
        let (_, page) = get(&browser(), &app, "/ratifications").await;
        assert!(page.contains("Conventions not ratified"), "{b}");
        let (_, changes) = get(&browser(), &app, &format!("/ratifications/changes?from={today}&to={today}")).await;
        assert!(changes.contains(&format!("/conventions/{convention}")), "{b}: the event is among today's changes");
        app.stop().await;
    }
}

/// A user with one grant, as the storage layer sees them acting.
async fn actor_of(app: &TestApp, email: &str, grant: Grant) -> Actor {
    let user = accounts::create_user(app.db(), &Actor::Operator, email, email, PASSWORD, std::slice::from_ref(&grant))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let principal = tripart_domain::access::Principal { user_id: user.id, email: email.into(), grants: vec![grant] };
    Actor::User(principal, tripart_domain::access::Channel::Web)
}

async fn first_id(app: &TestApp, sql: &str) -> String {
    app.db()
        .fetch_optional(sql, &[])
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .and_then(|r| r.str("id").ok())
        .unwrap_or_else(|| panic!("nothing for {sql}"))
}

#[tokio::test]
async fn a_theme_created_through_the_form_shows_its_recommendations_and_the_latest_status() {
    for app in common::spawn_apps().await {
        let b = app.backend();
        let (cycle, rec) = open_cycle(&app).await;
        let other = first_id(&app, "SELECT id FROM recommendation WHERE meeting <> 'afml-5' ORDER BY id").await;
        let fp = actor_of(
            &app,
            "fp@mlvt.gov.kh",
            Grant::new(Role::FocalPoint, None, Some("KHM".into())).unwrap_or_else(|e| panic!("{e}")),
        )
        .await;
        let new = followup::NewReport {
            recommendation: rec.clone(),
            member_state: "KHM".into(),
            voice: tripart_domain::followup::Voice::Government,
            partner: None,
            status: tripart_domain::followup::ImplementationStatus::PartiallyImplemented,
            narrative: None,
            evidence: Vec::new(),
        };
        followup::report(app.db(), &fp, &cycle, &new).await.unwrap_or_else(|e| panic!("{e}"));

        let (_, list) = get(&browser(), &app, "/follow-up").await;
        assert!(list.contains("href=\"/follow-up/themes\""), "{b}: the themes are linked");
        let (status, themes) = get(&browser(), &app, "/follow-up/themes").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(!themes.contains("name=\"recommendations\""), "{b}: no form for the public");

        create_user(
            &app,
            "officer@asean.org",
            Grant::new(Role::BodySecretariat, Some("asec".into()), None).unwrap_or_else(|e| panic!("{e}")),
        )
        .await;
        let asec = browser();
        let csrf = sign_in(&asec, &app, "officer@asean.org").await;
        let (_, themes) = get(&asec, &app, "/follow-up/themes").await;
        assert!(themes.contains("name=\"recommendations\""), "{b}: the Secretariat is offered the form");
        let listed = format!("{rec}\nno-such-recommendation");
        let form = [("csrf", csrf.as_str()), ("title", "Migrant workers"), ("recommendations", listed.as_str())];
        let (status, _, page) = post(&asec, &app, "/follow-up/themes", &form).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{b}: {page}");
        assert!(page.contains("Please correct “Recommendation 2 in the list”"), "{b}: the line is named");
        assert!(page.contains("no-such-recommendation"), "{b}: what was typed is kept");

        let listed = format!("{rec}\n{other}\n");
        let form = [
            ("csrf", csrf.as_str()),
            ("title", "Migrant workers"),
            ("description", "Protection of migrant workers."),
            ("recommendations", listed.as_str()),
        ];
        let (status, location, _) = post(&asec, &app, "/follow-up/themes", &form).await;
        assert_eq!(
            (status, location.as_str()),
            (StatusCode::SEE_OTHER, "/follow-up/themes/migrant-workers?done=created")
        );
        let (status, page) = get(&browser(), &app, "/follow-up/themes/migrant-workers").await;
        assert_eq!(status, StatusCode::OK, "{b}: {page}");
        assert!(page.contains("Protection of migrant workers."), "{b}");
        assert!(page.contains("href=\"/meetings/afml-5\""), "{b}: the first recommendation's meeting");
        let meeting = first_id(&app, &format!("SELECT meeting AS id FROM recommendation WHERE id = '{other}'")).await;
        assert!(page.contains(&format!("href=\"/meetings/{meeting}\"")), "{b}: the second recommendation's meeting");
        assert!(page.contains("<td class=\"impl-partially_implemented\">"), "{b}: the reported status");
        assert!(page.contains(&format!("href=\"/follow-up/{cycle}/{rec}/KHM\"")), "{b}: linked to its cell");
        let (_, themes) = get(&browser(), &app, "/follow-up/themes").await;
        assert!(themes.contains("href=\"/follow-up/themes/migrant-workers\""), "{b}: listed");
        let (status, _) = get(&browser(), &app, "/follow-up/themes/no-such-theme").await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{b}");
        app.stop().await;
    }
}

#[tokio::test]
async fn links_saved_through_the_cell_form_show_and_a_bad_sdg_target_is_named() {
    for app in common::spawn_apps().await {
        let b = app.backend();
        let (cycle, rec) = open_cycle(&app).await;
        let node = first_id(&app, "SELECT id FROM programme_node ORDER BY id").await;
        let path = format!("/follow-up/{cycle}/{rec}/KHM");
        let (_, page) = get(&browser(), &app, &path).await;
        assert!(page.contains("SDG targets") && !page.contains("name=\"sdg_targets\""), "{b}: no links form");

        let sec = browser();
        let csrf = sign_in(&sec, &app, "sec@acmw.org").await;
        let (_, page) = get(&sec, &app, &path).await;
        assert!(page.contains("name=\"sdg_targets\""), "{b}: the body's secretariat is offered the form");
        let links = format!("{path}/links");
        let (status, _, page) =
            post(&sec, &app, &links, &[("csrf", &csrf), ("thematic_areas", &node), ("sdg_targets", "8.7, 19.1")]).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{b}");
        assert!(page.contains("Please correct “SDG targets 2”"), "{b}: the target is named: {page}");
        assert!(page.contains("value=\"8.7, 19.1\""), "{b}: what was typed is kept");
        let stored = followup::links(app.db(), &rec).await.unwrap_or_else(|e| panic!("{e}"));
        assert!(stored.sdg_targets.is_empty(), "{b}: nothing stored");

        let (status, location, _) =
            post(&sec, &app, &links, &[("csrf", &csrf), ("thematic_areas", &node), ("sdg_targets", "8.7, 10.7")]).await;
        assert_eq!((status, location), (StatusCode::SEE_OTHER, format!("{path}?done=linked")), "{b}");
        let (_, page) = get(&browser(), &app, &path).await;
        assert!(page.contains("<dd>8.7, 10.7</dd>") && page.contains(&format!("<dd>{node}</dd>")), "{b}: {page}");
        app.stop().await;
    }
}
