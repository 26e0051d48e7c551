//! The monitoring pages over HTTP on every backend, used as a browser without
//! JavaScript uses them: the public reads what is public and is sent to sign in
//! for the rest; each form refuses a bad field by showing itself again with the
//! field named and nothing stored, and stores a good one, after which the page
//! shows it.

mod common;

use common::TestApp;
use reqwest::{multipart, Client, StatusCode};
use tripart_domain::access::{Actor, Grant, Role};
use tripart_storage::accounts;
use tripart_storage::monitoring::checklists::{self, NewTemplate, TemplateItem};

const PASSWORD: &str = "correct horse battery staple";
/// A SLOM-WG activity coordinated by Cambodia, "T.B.C." in its work plan.
const ACTION: &str = "slom-wg-wp-2011-2015.2.1.b";

async fn create_user(app: &TestApp, email: &str, role: Role, body: Option<&str>) {
    let grant = Grant::new(role, body.map(str::to_string), None).unwrap_or_else(|e| panic!("{e}"));
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

/// Posts a form; returns the status, the `Location` header and the page.
async fn post(client: &Client, app: &TestApp, path: &str, form: &[(&str, &str)]) -> (StatusCode, String, String) {
    let r = client.post(app.url(path)).form(form).send().await.unwrap_or_else(|e| panic!("POST {path}: {e}"));
    let status = r.status();
    let location = r.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    (status, location, r.text().await.unwrap_or_default())
}

/// Signs in through the form; returns the session's CSRF token.
async fn sign_in(client: &Client, app: &TestApp, email: &str) -> String {
    let (_, form) = get(client, app, "/sign-in").await;
    let (status, _, _) =
        post(client, app, "/sign-in", &[("email", email), ("password", PASSWORD), ("csrf", &hidden(&form, "csrf"))])
            .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}: signing in as {email}", app.backend());
    let (_, home) = get(client, app, "/").await;
    hidden(&home, "csrf")
}

async fn count(app: &TestApp, table: &str) -> i64 {
    app.db()
        .fetch_optional(&format!("SELECT COUNT(*) AS n FROM {table}"), &[])
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .map(|r| r.i64("n").unwrap_or_default())
        .unwrap_or_default()
}

fn year() -> String {
    tripart_domain::time::today()[..4].to_string()
}

#[tokio::test]
async fn public_pages_render_and_private_ones_send_the_public_to_sign_in() {
    for app in common::spawn_apps().await {
        let b = app.backend();
        let public = browser();
        for (path, expected) in [
            ("/dashboard", "<svg"),
            ("/dashboard?programme=slom-wg-wp-2011-2015&stale_days=30&as_of=2020-01-01", "slom-wg-wp-2011-2015"),
            ("/dashboard?body=&member_state=KHM&thematic_area=", "Cambodia"),
            ("/changes", "What changed since"),
            ("/changes?since=2015-01-01", "/api/v1/changes/digest.txt?since=2015-01-01"),
            ("/reports", "Annual progress reports"),
            ("/checklists", "Output-level checklists"),
            ("/checklists/templates", "output-checklist-v1"),
            ("/reviews", "Programme reviews"),
            (&format!("/actions/{ACTION}"), "No progress has been recorded on this action yet."),
        ] {
            let (status, page) = get(&public, &app, path).await;
            assert_eq!(status, StatusCode::OK, "{b}: {path}: {page}");
            assert!(page.contains(expected), "{b}: {path} lacks {expected}");
            assert!(page.contains("<main id=\"main\">"), "{b}: {path} has the layout");
        }
        let (_, action) = get(&public, &app, &format!("/actions/{ACTION}")).await;
        assert!(!action.contains("enctype=\"multipart/form-data\""), "{b}: no progress form for the public");
        // The dashboard counts the statuses the catalogue states, with their names.
        let (_, dashboard) = get(&public, &app, "/dashboard").await;
        for status in ["Completed", "Ongoing", "To be confirmed", "Planned"] {
            assert!(dashboard.contains(status), "{b}: the dashboard shows {status}");
        }
        assert!(dashboard.contains("href=\"/api/v1/dashboard/actions.xlsx\""), "{b}: downloads");
        let (_, scoped) = get(&public, &app, "/dashboard?body=slom-wg").await;
        assert!(
            scoped.contains("href=\"/api/v1/dashboard/actions.csv?body=slom-wg\""),
            "{b}: downloads keep the scope"
        );
        for path in
            ["/meetings/new", &format!("/reports/slom-wg/{}", year()), &format!("/checklists/slom-wg/{}", year())]
        {
            let (status, _) = get(&public, &app, path).await;
            assert_eq!(status, StatusCode::SEE_OTHER, "{b}: {path}");
        }
        let (status, location, _) =
            post(&public, &app, &format!("/reports/slom-wg/{}/narrative", year()), &[("area:", "x")]).await;
        assert_eq!((status, location.as_str()), (StatusCode::SEE_OTHER, "/sign-in"), "{b}");
        assert_eq!(count(&app, "annual_report").await, 0, "{b}");
        // Malformed parameters name themselves.
        let (status, page) = get(&public, &app, "/dashboard?stale_days=0").await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{b}");
        assert!(page.contains("stale_days"), "{b}");
        let (status, _) = get(&public, &app, "/reviews/no-such.mid_term").await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{b}");
        app.stop().await;
    }
}

fn update_form(csrf: &str, narrative: &str, link: &str) -> multipart::Form {
    multipart::Form::new()
        .text("csrf", csrf.to_string())
        .text("reported_on", tripart_domain::time::today())
        .text("status", "ongoing")
        .text("narrative", narrative.to_string())
        .text("outputs[0].kind", "training")
        .text("outputs[0].quantity", "2")
        .text("outputs[0].title", "Training of trainers")
        .text("outputs[0].participants_female", "14")
        .text("outputs[0].participants_male", "11")
        .text("outputs[1].kind", "")
        .text("links[0].label", "Report")
        .text("links[0].url", link.to_string())
        .part("files", multipart::Part::bytes(b"%PDF-1.4 minutes".to_vec()).file_name("minutes.pdf"))
        .part("files", multipart::Part::bytes(Vec::new()).file_name(""))
}

#[tokio::test]
async fn a_progress_update_is_refused_with_its_field_named_then_recorded_with_its_evidence() {
    for app in common::spawn_apps().await {
        let b = app.backend();
        create_user(&app, "sec@slom-wg.test", Role::BodySecretariat, Some("slom-wg")).await;
        let sec = browser();
        let csrf = sign_in(&sec, &app, "sec@slom-wg.test").await;
        let path = format!("/actions/{ACTION}");
        let (_, page) = get(&sec, &app, &path).await;
        assert!(page.contains("enctype=\"multipart/form-data\""), "{b}: the form for a signed-in user");
        assert!(page.contains(&format!("href=\"/meetings/new?action={ACTION}\"")), "{b}: record a meeting instead");

        let updates = format!("{path}/updates");
        let bad = update_form(&csrf, "Trainers trained in Phnom Penh.", "javascript:alert(1)");
        let r = sec.post(app.url(&updates)).multipart(bad).send().await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{b}");
        let page = r.text().await.unwrap_or_default();
        assert!(page.contains("Please correct “Link 1”"), "{b}: the field is named: {page}");
        assert!(page.contains("Trainers trained in Phnom Penh.</textarea>"), "{b}: what was typed is kept");
        assert!(page.contains("name=\"links[0].url\" type=\"url\" maxlength=\"2000\" placeholder=\"https://\" value=\"javascript:alert(1)\" aria-invalid=\"true\""), "{b}: the input is marked");
        assert_eq!(count(&app, "progress_update").await, 0, "{b}: nothing stored");

        let no_csrf = update_form("", "x", "https://example.org/report");
        let r = sec.post(app.url(&updates)).multipart(no_csrf).send().await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{b}");

        let good = update_form(&csrf, "Trainers trained in Phnom Penh.", "https://example.org/report");
        let r = sec.post(app.url(&updates)).multipart(good).send().await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{b}: {}", r.text().await.unwrap_or_default());
        let (_, page) = get(&sec, &app, &format!("{path}?done=update")).await;
        assert!(page.contains("Your progress update was recorded."), "{b}");
        assert!(page.contains("<p class=\"narrative\">Trainers trained in Phnom Penh.</p>"), "{b}");
        assert!(page.contains("Trainings delivered"), "{b}");
        assert!(page.contains("<td class=\"num\">14</td>"), "{b}: participants by sex");
        assert!(page.contains("href=\"https://example.org/report\""), "{b}");
        let file = page.split("href=\"/api/v1/evidence/").nth(1).and_then(|r| r.split('"').next()).unwrap_or_default();
        let r = sec.get(app.url(&format!("/api/v1/evidence/{file}"))).send().await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.bytes().await.unwrap_or_default().as_ref(), b"%PDF-1.4 minutes", "{b}: the evidence downloads");
        assert_eq!(count(&app, "progress_update").await, 1, "{b}");
        assert_eq!(count(&app, "evidence_file").await, 1, "{b}: the empty file input is no file");
        // The public reads the history too.
        let (_, public) = get(&browser(), &app, &path).await;
        assert!(public.contains("Trainers trained in Phnom Penh."), "{b}");
        app.stop().await;
    }
}

#[tokio::test]
async fn a_meeting_is_recorded_through_the_form_with_its_documents_and_recommendations() {
    for app in common::spawn_apps().await {
        let b = app.backend();
        create_user(&app, "sec@slom-wg.test", Role::BodySecretariat, Some("slom-wg")).await;
        let sec = browser();
        let csrf = sign_in(&sec, &app, "sec@slom-wg.test").await;
        let (status, page) = get(&sec, &app, &format!("/meetings/new?action={ACTION}")).await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(page.contains(&format!(">{ACTION}</textarea>")), "{b}: the action is filled in");
        assert!(page.contains("<option value=\"slom-wg\" selected>"), "{b}: the user's one body is chosen");
        let today = tripart_domain::time::today();
        let mut form = vec![
            ("csrf", csrf.as_str()),
            ("title", "Regional Workshop on Skills Recognition"),
            ("kind", "workshop"),
            ("body", "slom-wg"),
            ("host", "KHM"),
            ("city", "Siem Reap"),
            ("start", today.as_str()),
            ("end", "2001-01-01"),
            ("participants", "KHM"),
            ("participants", "LAO"),
            ("implements", ACTION),
            ("documents[0].label", ""),
            ("documents[0].url", ""),
            ("documents[1].label", "Summary report"),
            ("documents[1].url", "https://example.org/summary"),
            ("recommendations", "1. Map the skills standards.\n2.a Share the results at SLOM.\n"),
            ("participants_female", "20"),
            ("participants_male", "18"),
        ];
        let (status, _, page) = post(&sec, &app, "/meetings/new", &form).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{b}");
        assert!(page.contains("Please correct “End”"), "{b}: {page}");
        assert!(page.contains("value=\"Regional Workshop on Skills Recognition\""), "{b}: kept");
        assert!(page.contains("value=\"LAO\" checked"), "{b}: the ticked boxes stay ticked");
        assert_eq!(count(&app, "meeting_document").await, 0, "{b}: nothing stored");
        form.retain(|(k, _)| *k != "end");
        let (status, location, _) = post(&sec, &app, "/meetings/new", &form).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{b}");
        let y = year();
        assert_eq!(location, format!("/meetings/regional-workshop-on-skills-recognition-{y}?done=recorded"), "{b}");
        let (_, page) = get(&sec, &app, &location).await;
        assert!(page.contains("The meeting was recorded"), "{b}");
        assert!(
            page.contains("<a href=\"https://example.org/summary\" rel=\"nofollow noopener\">Summary report</a>"),
            "{b}"
        );
        assert!(page.contains("<span class=\"num\">2.a</span> Share the results at "), "{b}: numbered as typed");
        let (_, action) = get(&sec, &app, &format!("/actions/{ACTION}")).await;
        assert!(
            action.contains("Meeting held: Regional Workshop on Skills Recognition"),
            "{b}: an output of the action"
        );
        app.stop().await;
    }
}

#[tokio::test]
async fn a_report_is_written_submitted_returned_corrected_and_accepted_on_its_page() {
    for app in common::spawn_apps().await {
        let b = app.backend();
        create_user(&app, "sec@slom-wg.test", Role::BodySecretariat, Some("slom-wg")).await;
        create_user(&app, "validator@slom.test", Role::Validator, Some("slom")).await;
        let sec = browser();
        let csrf = sign_in(&sec, &app, "sec@slom-wg.test").await;
        let (_, list) = get(&sec, &app, "/reports").await;
        assert!(list.contains("action=\"/reports/open\""), "{b}: the start form");
        let (status, location, _) = post(&sec, &app, "/reports/open", &[]).await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{b}: {location}");
        let r = sec.get(app.url(&format!("/reports/open?body=slom-wg&year={}", year()))).send().await;
        let r = r.unwrap_or_else(|e| panic!("{e}"));
        let path = format!("/reports/slom-wg/{}", year());
        assert_eq!(r.headers()["location"], path.as_str(), "{b}");
        let (status, page) = get(&sec, &app, &path).await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(page.contains("Not started"), "{b}");
        let version = hidden(&page, "version");

        // Too long a narrative: refused, named, kept.
        let long = "x".repeat(50_001);
        let area = "area:slom-wg-wp-2011-2015.ta-2";
        let (status, _, page) = post(
            &sec,
            &app,
            &format!("{path}/narrative"),
            &[("csrf", &csrf), ("version", &version), ("area:", "Intro"), (area, &long)],
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{b}");
        assert!(page.contains("Please correct “Thematic area”"), "{b}: {page}");
        assert!(page.contains(">Intro</textarea>"), "{b}: kept");

        let form = [
            ("csrf", csrf.as_str()),
            ("version", version.as_str()),
            ("area:", "The year in brief."),
            (area, "Social security went well."),
        ];
        let (status, location, _) = post(&sec, &app, &format!("{path}/narrative"), &form).await;
        assert_eq!((status, location.clone()), (StatusCode::SEE_OTHER, format!("{path}?done=saved")), "{b}");
        let (_, page) = get(&sec, &app, &location).await;
        assert!(page.contains(">Social security went well.</textarea>"), "{b}");
        let version = hidden(&page, "version");
        let (status, _, _) =
            post(&sec, &app, &format!("{path}/submit"), &[("csrf", &csrf), ("version", &version)]).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{b}");

        let slom = browser();
        let csrf_v = sign_in(&slom, &app, "validator@slom.test").await;
        let (_, page) = get(&slom, &app, &path).await;
        assert!(page.contains("Submitted to SLOM"), "{b}");
        assert!(page.contains("<div class=\"narrative\">Social security went well.</div>"), "{b}: read-only for SLOM");
        let version = hidden(&page, "version");
        let (status, _, page) =
            post(&slom, &app, &format!("{path}/return"), &[("csrf", &csrf_v), ("version", &version), ("comment", " ")])
                .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{b}");
        assert!(page.contains("Please correct “Comment”"), "{b}");
        let comment =
            [("csrf", csrf_v.as_str()), ("version", version.as_str()), ("comment", "Add the figures of 2.1.")];
        let (status, _, _) = post(&slom, &app, &format!("{path}/return"), &comment).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{b}");
        // The body cannot accept its own report.
        let (status, _, _) = post(&sec, &app, &format!("{path}/accept"), &[("csrf", &csrf)]).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{b}");

        let (_, page) = get(&sec, &app, &path).await;
        assert!(page.contains("Returned for changes"), "{b}");
        assert!(page.contains("<blockquote class=\"comment\">Add the figures of 2.1.</blockquote>"), "{b}");
        let version = hidden(&page, "version");
        let form = [("csrf", csrf.as_str()), ("version", version.as_str()), (area, "Social security: 3 trainings.")];
        post(&sec, &app, &format!("{path}/narrative"), &form).await;
        let (_, page) = get(&sec, &app, &path).await;
        post(&sec, &app, &format!("{path}/submit"), &[("csrf", &csrf), ("version", &hidden(&page, "version"))]).await;
        let (_, page) = get(&slom, &app, &path).await;
        let (status, location, _) =
            post(&slom, &app, &format!("{path}/accept"), &[("csrf", &csrf_v), ("version", &hidden(&page, "version"))])
                .await;
        assert_eq!((status, location), (StatusCode::SEE_OTHER, format!("{path}?done=accepted")), "{b}");
        // Accepted: public, frozen, without forms.
        let (status, page) = get(&browser(), &app, &path).await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(page.contains("Social security: 3 trainings."), "{b}");
        assert!(!page.contains("<textarea"), "{b}: nothing to edit");
        let (_, list) = get(&browser(), &app, "/reports").await;
        assert!(list.contains(&format!("href=\"{path}\"")), "{b}: listed for the public");
        app.stop().await;
    }
}

#[tokio::test]
async fn the_checklist_form_refuses_a_bad_answer_and_keeps_each_revision() {
    for app in common::spawn_apps().await {
        let b = app.backend();
        create_user(&app, "sec@slom-wg.test", Role::BodySecretariat, Some("slom-wg")).await;
        let sec = browser();
        let csrf = sign_in(&sec, &app, "sec@slom-wg.test").await;
        let path = format!("/checklists/slom-wg/{}", year());
        let (status, page) = get(&sec, &app, &path).await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(page.contains("name=\"value:data-produced\" value=\"yes\""), "{b}: yes/no radios");
        assert!(page.contains("<option value=\"published\">published</option>"), "{b}: a level select");
        let mut form = vec![
            ("csrf", csrf.as_str()),
            ("value:data-produced", "yes"),
            ("comment:data-produced", "The wage survey."),
            ("value:data-products", "-3"),
            ("value:data-sharing", "published"),
            ("action", "save"),
        ];
        let (status, _, page) = post(&sec, &app, &path, &form).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{b}");
        assert!(
            page.contains("value=\"-3\" aria-invalid=\"true\" aria-describedby=\"g-data-products problem\""),
            "{b}: the answer is marked: {page}"
        );
        assert!(page.contains(">The wage survey.</textarea>"), "{b}: kept");
        assert_eq!(count(&app, "checklist_answer").await, 0, "{b}: nothing stored");
        form[3] = ("value:data-products", "4");
        let (status, location, _) = post(&sec, &app, &path, &form).await;
        assert_eq!((status, location), (StatusCode::SEE_OTHER, format!("{path}?done=saved")), "{b}");
        form[3] = ("value:data-products", "5");
        form[5] = ("action", "submit");
        let (status, location, _) = post(&sec, &app, &path, &form).await;
        assert_eq!((status, location), (StatusCode::SEE_OTHER, format!("{path}?done=submitted")), "{b}");
        let (_, page) = get(&sec, &app, &path).await;
        assert!(page.contains("2 answers given, oldest first"), "{b}: the item's revisions");
        assert!(page.contains("3/8 answered"), "{b}");
        let (_, compare) = get(&sec, &app, &format!("/checklists?year={}", year())).await;
        assert!(compare.contains(&format!("href=\"{path}\"")), "{b}: in the comparison");
        assert!(compare.contains("<td class=\"num\">5</td>"), "{b}");
        let (_, public) = get(&browser(), &app, "/checklists").await;
        assert!(!public.contains(&format!("href=\"{path}\"")), "{b}: not public before the report is accepted");
        app.stop().await;
    }
}

#[tokio::test]
async fn the_secretariat_publishes_a_drafted_template_from_its_page() {
    for app in common::spawn_apps().await {
        let b = app.backend();
        create_user(&app, "sec@asec.test", Role::BodySecretariat, Some("asec")).await;
        let item = TemplateItem {
            key: "surveys".into(),
            category: tripart_domain::monitoring::ChecklistCategory::DataInformationStatistics,
            question: "How many surveys?".into(),
            answer_type: tripart_domain::monitoring::AnswerType::Number,
            levels: Vec::new(),
            guidance: None,
        };
        let draft = NewTemplate {
            family: "output-checklist".into(),
            title: "Second version".into(),
            notes: None,
            items: vec![item],
        };
        let id = checklists::draft_template(app.db(), &Actor::Operator, &draft).await.unwrap_or_else(|e| panic!("{e}"));
        let (_, page) = get(&browser(), &app, "/checklists/templates").await;
        assert!(page.contains("Second version"), "{b}");
        assert!(!page.contains("/publish\""), "{b}: no publish button for the public");
        let sec = browser();
        let csrf = sign_in(&sec, &app, "sec@asec.test").await;
        let (_, page) = get(&sec, &app, "/checklists/templates").await;
        let action = format!("/checklists/templates/{id}/publish");
        assert!(page.contains(&format!("action=\"{action}\"")), "{b}");
        let (status, location, _) = post(&sec, &app, &action, &[("csrf", &csrf)]).await;
        assert_eq!((status, location.as_str()), (StatusCode::SEE_OTHER, "/checklists/templates?done=published"), "{b}");
        let published = checklists::template(app.db(), &id).await.unwrap_or_else(|e| panic!("{e}")).map(|t| t.status);
        assert_eq!(published.as_deref(), Some("published"), "{b}");
        let (status, _, _) = post(&sec, &app, &action, &[("csrf", &csrf)]).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{b}: already published");
        app.stop().await;
    }
}

#[tokio::test]
async fn slom_opens_a_review_rates_an_area_and_adopts_a_recommendation_as_an_action() {
    for app in common::spawn_apps().await {
        let b = app.backend();
        create_user(&app, "sec@slom.test", Role::BodySecretariat, Some("slom")).await;
        let sec = browser();
        let csrf = sign_in(&sec, &app, "sec@slom.test").await;
        let (_, list) = get(&sec, &app, "/reviews").await;
        assert!(list.contains("<option value=\"alm-wp-2016-2020\">"), "{b}: SLOM may review the Work Programme");
        let form = [("csrf", csrf.as_str()), ("programme", "alm-wp-2016-2020"), ("kind", "mid_term")];
        let (status, location, _) = post(&sec, &app, "/reviews", &form).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{b}");
        let path = location.split('?').next().unwrap_or_default().to_string();
        assert_eq!(path, "/reviews/alm-wp-2016-2020.mid_term", "{b}");
        let (_, page) = get(&sec, &app, &path).await;
        let version = hidden(&page, "version");
        let node =
            page.split("name=\"rating:").nth(1).and_then(|r| r.split('"').next()).unwrap_or_default().to_string();
        assert!(!node.is_empty(), "{b}: a rateable area: {page}");
        let (rating, findings) = (format!("rating:{node}"), format!("findings:{node}"));
        let bad = [
            ("csrf", csrf.as_str()),
            ("version", version.as_str()),
            (findings.as_str(), "Most targets met."),
            ("summary", ""),
        ];
        let (status, _, page) = post(&sec, &app, &path, &bad).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{b}");
        assert!(page.contains("Please correct “Rating”"), "{b}: {page}");
        assert!(page.contains(">Most targets met.</textarea>"), "{b}");
        let good = [
            ("csrf", csrf.as_str()),
            ("version", version.as_str()),
            (rating.as_str(), "largely_achieved"),
            (findings.as_str(), "Most targets met."),
            ("summary", "On track."),
            ("recommendations", "Keep the labour statistics going."),
        ];
        let (status, location, _) = post(&sec, &app, &path, &good).await;
        assert_eq!((status, location), (StatusCode::SEE_OTHER, format!("{path}?done=saved")), "{b}");
        let (_, page) = get(&sec, &app, &path).await;
        assert!(page.contains("<option value=\"largely_achieved\" selected>"), "{b}");
        let rec =
            page.split("/recommendations/").nth(1).and_then(|r| r.split('/').next()).unwrap_or_default().to_string();
        let adopt = format!("{path}/recommendations/{rec}/adopt");
        let (status, location, _) = post(
            &sec,
            &app,
            &adopt,
            &[
                ("csrf", &csrf),
                ("programme", "alm-wp-2016-2020"),
                ("node", ""),
                ("title", ""),
                ("calendar", "2026-2030"),
            ],
        )
        .await;
        assert_eq!((status, location), (StatusCode::SEE_OTHER, format!("{path}?done=adopted")), "{b}");
        let (_, public) = get(&browser(), &app, &path).await;
        assert!(public.contains("Carried out by the action"), "{b}: the review is public");
        assert!(public.contains("Largely achieved"), "{b}");
        app.stop().await;
    }
}

#[test]
fn every_label_the_monitoring_pages_build_exists_in_english() {
    use tripart_domain::monitoring::*;
    let mut keys: Vec<String> = Vec::new();
    let vocabularies: [(&str, &[&str]); 5] = [
        ("output-kind", OutputKind::names()),
        ("review-kind", ReviewKind::names()),
        ("review-status", ReviewStatus::names()),
        ("rating", ReviewRating::names()),
        ("answer-type", AnswerType::names()),
    ];
    for (prefix, names) in vocabularies {
        keys.extend(names.iter().map(|n| format!("{prefix}-{n}")));
    }
    keys.extend(TemplateStatus::names().iter().map(|n| format!("template-status-{n}")));
    keys.extend(ChecklistStatus::names().iter().map(|n| format!("checklist-status-{n}")));
    keys.extend(ChecklistCategory::names().iter().map(|n| format!("checklist-category-{}", n.replace('_', "-"))));
    keys.extend(
        ReportStatus::names().iter().chain(&["not_started"]).map(|n| format!("report-status-{}", n.replace('_', "-"))),
    );
    keys.extend(
        ["answer-yes", "answer-no", "review-not-found", "template-not-found", "checklist-not-yours"].map(String::from),
    );
    keys.extend(["created", "submitted", "returned", "accepted"].iter().map(|e| format!("report-event-{e}")));
    // The fields a problem can name, as the pages and the storage layer call them.
    for field in [
        "reported_on",
        "status",
        "narrative",
        "outputs",
        "kind",
        "quantity",
        "title",
        "participants_female",
        "participants_male",
        "links",
        "label",
        "url",
        "files",
        "body",
        "host",
        "city",
        "start",
        "end",
        "theme",
        "participants",
        "implements",
        "documents",
        "recommendations",
        "year",
        "comment",
        "programme",
        "rating",
        "findings",
        "node",
        "calendar",
        "version",
        "area",
        "text",
        "value",
        "evidence_url",
        "summary",
        "answers",
    ] {
        keys.push(format!("field-{field}"));
    }
    let missing: Vec<&String> = keys.iter().filter(|k| !tripart_web::has_message(k)).collect();
    assert!(missing.is_empty(), "missing in locales/en/main.ftl: {missing:#?}");
}
