//! The pages of submitting and validating data, over HTTP on every backend, as a browser without
//! JavaScript uses them: a focal point downloads the template and uploads it with a wrong value
//! (422, the problem shown by line and field, nothing stored), then corrected; a validator
//! returns one value with a comment, which the focal point reads and answers through the entry
//! form; the validator validates and publishes, and the vintage is listed and compared. A focal
//! point cannot review, nor submit for another country; the rules are read by everyone signed
//! in and changed by the Secretariat.

mod common;

use common::TestApp;
use reqwest::{multipart, Client, StatusCode};
use std::collections::HashMap;
use tripart_domain::access::{Actor, Grant, Role};
use tripart_stats::formats::xlsx;
use tripart_stats::{Key, Registry};
use tripart_storage::accounts;

const PASSWORD: &str = "correct horse battery staple";
const Y15: &str = "AGE_YTHADULT_YGE15";

async fn create_user(app: &TestApp, email: &str, grant: Grant) {
    accounts::create_user(app.db(), &Actor::Operator, email, email, PASSWORD, &[grant])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}

fn grant(role: Role, body: Option<&str>, state: Option<&str>) -> Grant {
    Grant::new(role, body.map(str::to_string), state.map(str::to_string)).unwrap_or_else(|e| panic!("{e}"))
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

async fn count(app: &TestApp, table: &str) -> i64 {
    app.db()
        .fetch_optional(&format!("SELECT COUNT(*) AS n FROM {table}"), &[])
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .map(|r| r.i64("n").unwrap_or_default())
        .unwrap_or_default()
}

fn key(indicator: &str) -> Key {
    Key {
        ref_area: "THA".into(),
        indicator: indicator.into(),
        sex: "SEX_T".into(),
        classif1: Y15.into(),
        classif2: String::new(),
        time: "2024".into(),
    }
}

/// The template as a focal point sends it back: the same workbook with these values filled in.
fn filled(values: &[(&str, f64)]) -> Vec<u8> {
    let held: HashMap<Key, xlsx::Held> =
        values.iter().map(|(ind, v)| (key(ind), xlsx::Held { value: Some(*v), ..xlsx::Held::default() })).collect();
    let book = xlsx::template(Registry::get(), "THA", "2024", &held, "Thailand, 2024", "Fill in obs_value");
    tripart_sheets::to_xlsx(&book).unwrap_or_else(|e| panic!("{e}"))
}

async fn upload(client: &Client, app: &TestApp, csrf: &str, file: Vec<u8>) -> (StatusCode, String) {
    let form = multipart::Form::new()
        .text("csrf", csrf.to_string())
        .text("ref_area", "THA")
        .text("time", "2024")
        .text("reason", "Annual submission 2024")
        .text("submit", "on")
        .part("file", multipart::Part::bytes(file).file_name("tha-2024.xlsx"));
    let r = client.post(app.url("/data/submit/upload")).multipart(form).send().await.unwrap_or_else(|e| panic!("{e}"));
    let status = r.status();
    (status, r.text().await.unwrap_or_default())
}

/// The observation id and the entry form's row of a THA 2024 total, ages 15+.
async fn observation(app: &TestApp, indicator: &str) -> (i64, usize) {
    let id = app
        .db()
        .fetch_optional(
            "SELECT v.series FROM stat_value v JOIN stat_series s ON s.id = v.series \
             WHERE s.ref_area = 'THA' AND s.indicator = $1 AND s.sex = 'SEX_T' AND s.classif1 = $2 AND v.time = '2024'",
            &tripart_storage::params![indicator, Y15],
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .map(|r| {
            tripart_storage::stats::observation_id(r.i64("series").unwrap_or_default(), "2024").unwrap_or_default()
        })
        .unwrap_or_else(|| panic!("no {indicator}"));
    let row = xlsx::requested_keys("THA", "2024")
        .iter()
        .position(|(_, k)| *k == key(indicator))
        .unwrap_or_else(|| panic!("{indicator} is not asked for"));
    (id, row)
}

#[tokio::test]
async fn a_focal_point_submits_a_validator_returns_the_focal_point_corrects_and_it_is_published() {
    for app in common::spawn_apps().await {
        let b = app.backend();
        create_user(&app, "fp@mol.go.th", grant(Role::FocalPoint, None, Some("THA"))).await;
        create_user(&app, "stats@asean.org", grant(Role::Validator, Some("asec"), None)).await;
        let fp = browser();
        let csrf = sign_in(&fp, &app, "fp@mol.go.th").await;

        // The page for Thailand, 2024, with the template to download.
        let (status, page) = get(&fp, &app, "/data/submit?ref_area=THA&time=2024").await;
        assert_eq!(status, StatusCode::OK, "{b}: {page}");
        let template = "/api/v1/data/template.xlsx?ref_area=THA&#38;time=2024";
        assert!(page.contains(template), "{b}: the template is linked");
        let r = fp.get(app.url(&template.replace("&#38;", "&"))).send().await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.status(), StatusCode::OK, "{b}");
        let bytes = r.bytes().await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(xlsx::read(&bytes).map(|rows| rows.len()).ok(), Some(0), "{b}: an empty template");

        // Filled with a participation rate of 677 (for 67.8): refused, the row shown, nothing stored.
        let mut values = vec![
            ("EAP_TEAP_SEX_AGE_NB", 40000.0),
            ("UNE_TUNE_SEX_AGE_NB", 400.0),
            ("POP_XWAP_SEX_AGE_NB", 59000.0),
            ("EAP_DWAP_SEX_AGE_RT", 677.0),
            ("UNE_DEAP_SEX_AGE_RT", 1.0),
        ];
        let (status, page) = upload(&fp, &app, &csrf, filled(&values)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{b}: {page}");
        assert!(page.contains("Nothing was stored"), "{b}");
        assert!(page.contains("<code>obs_value</code>") && page.contains("EAP_DWAP_SEX_AGE_RT"), "{b}: {page}");
        assert!(page.contains("value=\"Annual submission 2024\""), "{b}: the reason is kept");
        assert_eq!(count(&app, "stat_value").await, 0, "{b}: nothing stored");

        // Corrected and sent to the validators.
        values[3].1 = 67.8;
        let (status, page) = upload(&fp, &app, &csrf, filled(&values)).await;
        assert_eq!(status, StatusCode::OK, "{b}: {page}");
        assert!(page.contains("The data were taken"), "{b}");
        assert!(page.contains("New: <span class=\"num\">5</span>"), "{b}: {page}");
        assert_eq!(count(&app, "stat_value").await, 5, "{b}");

        // The validator returns the unemployment rate: a comment is required.
        let val = browser();
        let vcsrf = sign_in(&val, &app, "stats@asean.org").await;
        let (status, queue) = get(&val, &app, "/data/review").await;
        assert_eq!(status, StatusCode::OK, "{b}: {queue}");
        assert!(queue.contains("Thailand"), "{b}: the queue by country");
        let (une, une_row) = observation(&app, "UNE_DEAP_SEX_AGE_RT").await;
        let id = une.to_string();
        let (status, _, page) =
            post(&val, &app, "/data/review", &[("csrf", &vcsrf), ("ids", &id), ("action", "return"), ("comment", " ")])
                .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{b}");
        assert!(page.contains("id=\"err-comment\""), "{b}: the comment is named");
        assert!(page.contains(&format!("value=\"{id}\" checked")), "{b}: the ticked value stays ticked");
        let comment = "1.0% does not match 400/40000: check";
        let (status, location, _) = post(
            &val,
            &app,
            "/data/review",
            &[("csrf", &vcsrf), ("ids", &id), ("action", "return"), ("comment", comment)],
        )
        .await;
        assert_eq!((status, location.as_str()), (StatusCode::SEE_OTHER, "/data/review?done=returned"), "{b}");

        // The focal point reads the comment and corrects the value through the entry form.
        let (_, page) = get(&fp, &app, "/data/submit?ref_area=THA&time=2024").await;
        assert!(page.contains("1.0% does not match 400/40000: check"), "{b}: the comment is shown");
        assert!(page.contains("Returned"), "{b}: with the value's state");
        let v = format!("v{une_row}");
        let s = format!("s{une_row}");
        let (status, _, page) = post(
            &fp,
            &app,
            "/data/submit/entry",
            &[("csrf", &csrf), ("ref_area", "THA"), ("time", "2024"), (&v, "one"), ("reason", "Rounded")],
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{b}: {page}");
        assert!(page.contains(&format!("id=\"err-{v}\"")), "{b}: the row is named");
        assert!(page.contains("value=\"one\""), "{b}: what was typed is kept");
        let (status, _, page) = post(
            &fp,
            &app,
            "/data/submit/entry",
            &[
                ("csrf", &csrf),
                ("ref_area", "THA"),
                ("time", "2024"),
                (&v, "1.0"),
                (&s, "P"),
                ("reason", "Marked provisional"),
                ("submit", "on"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{b}: {page}");
        assert!(page.contains("Revised: <span class=\"num\">1</span>"), "{b}: {page}");

        // The validator validates everything and publishes.
        let (_, queue) = get(&val, &app, "/data/review").await;
        let ids: Vec<String> = queue
            .split("name=\"ids\" value=\"")
            .skip(1)
            .filter_map(|r| r.split('"').next())
            .map(str::to_string)
            .collect();
        assert_eq!(ids.len(), 5, "{b}: {queue}");
        // One ticked, then the rest as "all that match the filter".
        let form = [("csrf", vcsrf.as_str()), ("action", "validate"), ("ids", ids[0].as_str())];
        let (status, location, _) = post(&val, &app, "/data/review", &form).await;
        assert_eq!((status, location.as_str()), (StatusCode::SEE_OTHER, "/data/review?done=validated"), "{b}");
        let (_, queue) = get(&val, &app, "/data/review?ref_area=THA").await;
        assert!(queue.contains("Validate all 5 values waiting that match the filter"), "{b}: {queue}");
        let form = [("csrf", vcsrf.as_str()), ("ref_area", "THA"), ("indicator", ""), ("action", "validate-all")];
        let (status, location, _) = post(&val, &app, "/data/review", &form).await;
        assert_eq!(
            (status, location.as_str()),
            (StatusCode::SEE_OTHER, "/data/review?ref_area=THA&done=validated"),
            "{b}"
        );
        let (_, queue) = get(&val, &app, "/data/review?ref_area=THA").await;
        assert_eq!(queue.matches("report-status report-validated").count(), 5, "{b}: {queue}");
        let (status, _, page) =
            post(&val, &app, "/data/review/publish", &[("csrf", &vcsrf), ("label", " "), ("note", "kept")]).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{b}");
        assert!(page.contains("id=\"err-label\"") && page.contains(">kept</textarea>"), "{b}");
        let (status, location, _) =
            post(&val, &app, "/data/review/publish", &[("csrf", &vcsrf), ("label", "2024 annual data"), ("note", "")])
                .await;
        assert_eq!((status, location.as_str()), (StatusCode::SEE_OTHER, "/data/vintages?done=published&to=1"), "{b}");

        // The vintage is listed, and compared with nothing published.
        let (status, page) = get(&fp, &app, "/data/vintages").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(page.contains("2024 annual data"), "{b}");
        let (status, page) = get(&fp, &app, "/data/vintages?indicator=UNE_DEAP_SEX_AGE_RT&from=0&to=1").await;
        assert_eq!(status, StatusCode::OK, "{b}: {page}");
        assert!(page.contains("Values of UNE_DEAP_SEX_AGE_RT added or revised") && page.contains("Thailand"), "{b}");
        let (status, _) = get(&fp, &app, "/data/vintages?indicator=UNE_DEAP_SEX_AGE_RT&from=0&to=9").await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{b}: an unknown vintage is named");
        let (_, page) = get(&val, &app, "/data/review").await;
        assert!(page.contains("No value is waiting for review."), "{b}");
        app.stop().await;
    }
}

#[tokio::test]
async fn a_focal_point_cannot_review_nor_submit_for_another_country_and_the_rules_are_the_secretariats() {
    for app in common::spawn_apps().await {
        let b = app.backend();
        create_user(&app, "fp@mol.go.th", grant(Role::FocalPoint, None, Some("THA"))).await;
        create_user(&app, "sec@asean.org", grant(Role::BodySecretariat, Some("asec"), None)).await;
        let fp = browser();
        let csrf = sign_in(&fp, &app, "fp@mol.go.th").await;

        let (status, _) = get(&fp, &app, "/data/review").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{b}: a focal point does not review");
        let (status, _, _) =
            post(&fp, &app, "/data/review", &[("csrf", &csrf), ("ids", "1"), ("action", "validate")]).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{b}");
        let (status, _) = get(&fp, &app, "/data/submit?ref_area=VNM&time=2024").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{b}: not for Viet Nam");
        let (status, _, _) = post(
            &fp,
            &app,
            "/data/submit/entry",
            &[("csrf", &csrf), ("ref_area", "VNM"), ("time", "2024"), ("v0", "50000")],
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{b}");
        let (status, _, _) = post(
            &fp,
            &app,
            "/data/submit/entry",
            &[("csrf", "wrong"), ("ref_area", "THA"), ("time", "2024"), ("v0", "1")],
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{b}: without the CSRF token");
        assert_eq!(count(&app, "stat_value").await, 0, "{b}: nothing stored");
        let public = browser();
        let (status, _) = get(&public, &app, "/data/submit").await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{b}: the public is sent to sign in");

        // Everyone signed in reads the rules; only the Secretariat is offered the forms.
        let (status, page) = get(&fp, &app, "/data/rules").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(page.contains("Male + female = total") && !page.contains("action=\"/data/rules/"), "{b}");
        let (status, _, _) =
            post(&fp, &app, "/data/rules/change", &[("csrf", &csrf), ("percent", "30"), ("points", "5")]).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{b}");
        let sec = browser();
        let scsrf = sign_in(&sec, &app, "sec@asean.org").await;
        let (_, page) = get(&sec, &app, "/data/rules").await;
        assert!(page.contains("action=\"/data/rules/change\""), "{b}");
        let (status, _, page) = post(
            &sec,
            &app,
            "/data/rules/change",
            &[("csrf", &scsrf), ("percent", "lots"), ("points", "5"), ("severity", "warning"), ("enabled", "on")],
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{b}");
        assert!(page.contains("id=\"err-change-percent\"") && page.contains("value=\"lots\""), "{b}: {page}");
        let (status, location, _) = post(
            &sec,
            &app,
            "/data/rules/change",
            &[("csrf", &scsrf), ("percent", "30"), ("points", "5"), ("severity", "warning"), ("enabled", "on")],
        )
        .await;
        assert_eq!((status, location.as_str()), (StatusCode::SEE_OTHER, "/data/rules?done=saved#rule-change"), "{b}");
        let rules = tripart_storage::stats::workflow::list_rules(app.db()).await.unwrap_or_else(|e| panic!("{e}"));
        let change = rules.iter().find(|r| r.id == "change").unwrap_or_else(|| panic!("{b}: no change rule"));
        assert_eq!(change.check, tripart_stats::rules::Check::Change { percent: 30.0, points: 5.0 }, "{b}");
        app.stop().await;
    }
}
