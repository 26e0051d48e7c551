//! The administration pages, black-box over HTTP on every backend: people sign in
//! through the real form and use the pages as a browser would, without JavaScript.
//! Administrators manage users and browse the audit trail; everybody else is
//! refused; no change goes through without the session's CSRF token.

mod common;

use common::TestApp;
use reqwest::{Client, StatusCode};
use serde_json::json;
use tripart_domain::access::{Actor, Grant, Role};
use tripart_storage::accounts;

const PASSWORD: &str = "correct horse battery staple";

async fn create_user(app: &TestApp, email: &str, role: Role, body: Option<&str>, ms: Option<&str>) -> String {
    let grant = Grant::new(role, body.map(str::to_string), ms.map(str::to_string)).unwrap_or_else(|e| panic!("{e}"));
    accounts::create_user(app.db(), &Actor::Operator, email, email, PASSWORD, &[grant])
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .id
}

/// A browser: keeps cookies, does not follow redirects (so that tests see them).
fn browser() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The value of the first hidden `csrf` field of a page.
fn hidden_csrf(html: &str) -> String {
    html.split("name=\"csrf\" value=\"").nth(1).and_then(|r| r.split('"').next()).unwrap_or_default().to_string()
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

/// Signs in through the sign-in form; returns the session's CSRF token, as the
/// pages put it in their forms.
async fn sign_in(client: &Client, app: &TestApp, email: &str, password: &str) -> String {
    let (_, form) = get(client, app, "/sign-in").await;
    let (status, _, _) =
        post(client, app, "/sign-in", &[("email", email), ("password", password), ("csrf", &hidden_csrf(&form))]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}: signing in as {email}", app.backend());
    let (_, home) = get(client, app, "/").await;
    assert!(home.contains(&format!("Signed in as {email}")), "{}", app.backend());
    hidden_csrf(&home)
}

/// What a signed-in browser's `/api/v1/me` says.
async fn signed_in(client: &Client, app: &TestApp) -> bool {
    let (_, me) = get(client, app, "/api/v1/me").await;
    serde_json::from_str::<serde_json::Value>(&me).unwrap_or_default()["signed_in"] == true
}

#[tokio::test]
async fn an_administrator_creates_a_user_through_the_form_and_that_user_can_sign_in() {
    for app in common::spawn_apps().await {
        let b = app.backend();
        create_user(&app, "admin@asean.org", Role::Admin, None, None).await;
        let admin = browser();
        let csrf = sign_in(&admin, &app, "admin@asean.org", PASSWORD).await;
        let (status, page) = get(&admin, &app, "/admin/users").await;
        assert_eq!(status, StatusCode::OK, "{b}: {page}");
        assert!(page.contains("<a href=\"/admin/users\" aria-current=\"page\">Users</a>"), "{b}: header link");
        assert!(page.contains("<a href=\"/admin/audit\">Audit trail</a>"), "{b}: header link");
        assert!(page.contains("<th scope=\"row\">admin@asean.org</th>"), "{b}: the list");
        assert!(page.contains("<label for=\"new-email\">"), "{b}: labelled fields");
        assert!(page.contains("<option value=\"MYS\">Malaysia</option>"), "{b}: member states to choose from");
        assert!(page.contains("<option value=\"slom-wg\">"), "{b}: bodies to choose from");

        let (status, location, _) = post(
            &admin,
            &app,
            "/admin/users",
            &[
                ("csrf", &csrf),
                ("email", "fp@mohr.gov.my"),
                ("display_name", "Focal point, Malaysia"),
                ("password", "a long enough password"),
                ("role", "focal_point"),
                ("body", ""),
                ("member_state", "MYS"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{b}");
        assert!(location.starts_with("/admin/users?done=created&user="), "{b}: {location}");
        let (_, page) = get(&admin, &app, &location).await;
        assert!(page.contains("The account of fp@mohr.gov.my was created."), "{b}: confirmation");
        assert!(page.contains("Focal point (Malaysia)"), "{b}: the new user's role");
        let user = accounts::user_by_email(app.db(), "fp@mohr.gov.my")
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("{b}: no user created"));
        let (_, trail) = get(&admin, &app, "/api/v1/audit?record_type=user&operation=create").await;
        assert!(trail.contains("\"channel\":\"web\""), "{b}: audited as a web change: {trail}");

        // The new user signs in, and sees no administration link.
        let fp = browser();
        sign_in(&fp, &app, "fp@mohr.gov.my", "a long enough password").await;
        let (_, home) = get(&fp, &app, "/").await;
        assert!(!home.contains("/admin/"), "{b}: no administration links for a focal point");

        // A role grant, a password reset and a sign-out everywhere, through the forms.
        let path = format!("/admin/users/{}/grants", user.id);
        let form = [("csrf", csrf.as_str()), ("role", "validator"), ("body", "slom"), ("member_state", "")];
        let (status, location, _) = post(&admin, &app, &path, &form).await;
        assert_eq!((status, location.contains("done=granted")), (StatusCode::SEE_OTHER, true), "{b}");
        let grants = accounts::user(app.db(), &user.id).await.unwrap_or_else(|e| panic!("{e}")).map(|u| u.grants);
        assert_eq!(grants.map(|g| g.len()), Some(2), "{b}: the grant was added");
        let path = format!("/admin/users/{}/revoke-sessions", user.id);
        let (status, _, _) = post(&admin, &app, &path, &[("csrf", &csrf)]).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{b}");
        assert!(!signed_in(&fp, &app).await, "{b}: the session was revoked");
        let path = format!("/admin/users/{}/password", user.id);
        let (status, _, _) = post(&admin, &app, &path, &[("csrf", &csrf), ("password", "another long password")]).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{b}");
        sign_in(&browser(), &app, "fp@mohr.gov.my", "another long password").await;
        assert!(signed_in(&admin, &app).await, "{b}: the administrator is still signed in");
        app.stop().await;
    }
}

#[tokio::test]
async fn a_focal_point_is_refused_both_pages() {
    for app in common::spawn_apps().await {
        let b = app.backend();
        create_user(&app, "fp@mol.go.th", Role::FocalPoint, None, Some("THA")).await;
        let fp = browser();
        let csrf = sign_in(&fp, &app, "fp@mol.go.th", PASSWORD).await;
        for path in ["/admin/users", "/admin/audit", "/admin/audit?record_type=action"] {
            let (status, page) = get(&fp, &app, path).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{b}: {path}");
            assert!(page.contains("may not"), "{b}: the page says why");
            assert!(!page.contains("/admin/users\""), "{b}: no administration links");
        }
        // With a valid session and its CSRF token, the storage layer still refuses.
        let (status, _, _) = post(
            &fp,
            &app,
            "/admin/users",
            &[("csrf", &csrf), ("email", "x@y.org"), ("display_name", "X"), ("password", PASSWORD), ("role", "admin")],
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{b}");
        assert!(accounts::user_by_email(app.db(), "x@y.org").await.unwrap_or_else(|e| panic!("{e}")).is_none());
        app.stop().await;
    }
}

#[tokio::test]
async fn the_public_is_sent_to_sign_in() {
    for app in common::spawn_apps().await {
        let b = app.backend();
        let public = browser();
        for path in ["/admin/users", "/admin/audit"] {
            let r = public.get(app.url(path)).send().await.unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(r.status(), StatusCode::SEE_OTHER, "{b}: {path}");
            assert_eq!(r.headers()["location"], "/sign-in", "{b}: {path}");
        }
        let form =
            [("email", "x@y.org"), ("display_name", "X"), ("password", PASSWORD), ("role", "admin"), ("csrf", "")];
        let (status, location, _) = post(&public, &app, "/admin/users", &form).await;
        assert_eq!((status, location.as_str()), (StatusCode::SEE_OTHER, "/sign-in"), "{b}");
        assert!(accounts::user_by_email(app.db(), "x@y.org").await.unwrap_or_else(|e| panic!("{e}")).is_none());
        app.stop().await;
    }
}

#[tokio::test]
async fn a_change_without_the_session_csrf_token_is_refused_and_changes_nothing() {
    for app in common::spawn_apps().await {
        let b = app.backend();
        create_user(&app, "admin@asean.org", Role::Admin, None, None).await;
        let target = create_user(&app, "sec@acmw.asean.org", Role::BodySecretariat, Some("acmw"), None).await;
        let admin = browser();
        let csrf = sign_in(&admin, &app, "admin@asean.org", PASSWORD).await;
        let new_user = [("email", "x@y.org"), ("display_name", "X"), ("password", PASSWORD), ("role", "admin")];
        let wrong = "0".repeat(csrf.len());
        for token in [None, Some(""), Some(wrong.as_str())] {
            let mut form = new_user.to_vec();
            if let Some(t) = token {
                form.push(("csrf", t));
            }
            let (status, _, page) = post(&admin, &app, "/admin/users", &form).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{b}: {token:?}");
            assert!(page.contains("CSRF"), "{b}: the page says why");
            let grant = [("role", "admin"), ("csrf", token.unwrap_or_default())];
            let (status, _, _) = post(&admin, &app, &format!("/admin/users/{target}/grants"), &grant).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{b}: {token:?}");
            let password = [("password", "a new long password"), ("csrf", token.unwrap_or_default())];
            let (status, _, _) = post(&admin, &app, &format!("/admin/users/{target}/password"), &password).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{b}: {token:?}");
            let (status, _, _) = post(&admin, &app, "/admin/users/nobody/revoke-sessions", &grant[1..]).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{b}: {token:?}");
        }
        assert!(accounts::user_by_email(app.db(), "x@y.org").await.unwrap_or_else(|e| panic!("{e}")).is_none());
        let grants = accounts::user(app.db(), &target).await.unwrap_or_else(|e| panic!("{e}")).map(|u| u.grants.len());
        assert_eq!(grants, Some(1), "{b}: no role was granted");
        let target_principal = accounts::sign_in(app.db(), "sec@acmw.asean.org", PASSWORD, "10.0.0.9")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(target_principal.is_ok(), "{b}: the password is unchanged");
        let (_, trail) = get(&admin, &app, "/api/v1/audit?record_type=user").await;
        assert!(!trail.contains("\"operation\":\"grant\""), "{b}: nothing was audited as granted");
        app.stop().await;
    }
}

#[tokio::test]
async fn the_audit_page_shows_an_api_edit_with_its_changed_field_and_filters_by_record_id() {
    for app in common::spawn_apps().await {
        let b = app.backend();
        let admin_id = create_user(&app, "admin@asean.org", Role::Admin, None, None).await;
        let token = accounts::create_token(app.db(), &Actor::Operator, &admin_id, "test")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let (edited, other) = ("slom-wg-wp-2011-2015.4.1", "slom-wg-wp-2011-2015.9.1");
        for (id, note) in [(edited, "reported at SLOM-WG"), (other, "another edit")] {
            let (_, action) = app.json(&format!("/api/v1/actions/{id}")).await;
            let r = app
                .client
                .patch(app.url(&format!("/api/v1/actions/{id}")))
                .bearer_auth(&token)
                .json(&json!({"version": action["version"], "status": "ongoing", "note": note}))
                .send()
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(r.status(), StatusCode::OK, "{b}: PATCH {id}");
        }
        let admin = browser();
        sign_in(&admin, &app, "admin@asean.org", PASSWORD).await;

        // Everything, newest first, a page at a time.
        let (status, page) = get(&admin, &app, "/admin/audit").await;
        assert_eq!(status, StatusCode::OK, "{b}: {page}");
        assert!(page.contains("<th scope=\"col\">What changed</th>"), "{b}: table headers");
        let newest = page.find("Signed in").unwrap_or(usize::MAX);
        assert!(newest < page.find(&format!(">{other}<")).unwrap_or(0), "{b}: the sign-in comes first");
        assert!(page.contains("rel=\"next\""), "{b}: the trail is paginated");

        // The filter form sends every field, empty or not.
        let path = format!("/admin/audit?record_type=&record_id={edited}&actor=&operation=&from=&to=");
        let (status, page) = get(&admin, &app, &path).await;
        assert_eq!(status, StatusCode::OK, "{b}: {page}");
        assert!(page.contains(&format!("<a href=\"/actions/{edited}\">{edited}</a>")), "{b}: links to the action");
        assert!(!page.contains(other), "{b}: the filter keeps one record's events");
        assert!(page.contains(&format!("value=\"{edited}\"")), "{b}: the form shows the filter");
        let update = page.split("<tbody>").nth(1).and_then(|t| t.split("</tr>").next()).unwrap_or_default();
        assert!(update.contains("admin@asean.org"), "{b}: who: {update}");
        assert!(update.contains("<td>API</td>") && update.contains("<td>Updated</td>"), "{b}: {update}");
        assert!(update.contains("reported at SLOM-WG"), "{b}: the note");
        assert!(
            update.contains("<code>status</code>: <del>planned</del>") && update.contains("<ins>ongoing</ins>"),
            "{b}: the changed field: {update}"
        );
        assert!(!update.contains("<code>title</code>"), "{b}: only what changed: {update}");

        // The CSV export of the same filter, through the session cookie.
        // Askama escapes `&` in attributes as `&#38;`.
        let csv_link = format!("/api/v1/audit?format=csv&#38;record_id={edited}");
        assert!(page.contains(&csv_link), "{b}: the CSV link");
        let (status, csv) = get(&admin, &app, &csv_link.replace("&#38;", "&")).await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(csv.contains(&format!("admin@asean.org,api,update,action,{edited}")), "{b}: {csv}");
        assert!(!csv.contains(other), "{b}: the export keeps the filter");

        // A malformed filter names the parameter.
        let (status, page) = get(&admin, &app, "/admin/audit?from=yesterday").await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{b}");
        assert!(page.contains("“from”"), "{b}");
        app.stop().await;
    }
}

#[tokio::test]
async fn a_validation_error_names_the_field_and_keeps_what_was_typed() {
    for app in common::spawn_apps().await {
        let b = app.backend();
        let admin_id = create_user(&app, "admin@asean.org", Role::Admin, None, None).await;
        let admin = browser();
        let csrf = sign_in(&admin, &app, "admin@asean.org", PASSWORD).await;
        let form = [
            ("csrf", csrf.as_str()),
            ("email", "new@asean.org"),
            ("display_name", "New person"),
            ("password", "short"),
            ("role", "body_secretariat"),
            ("body", "acmw"),
            ("member_state", ""),
        ];
        let (status, _, page) = post(&admin, &app, "/admin/users", &form).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{b}");
        assert!(page.contains("role=\"alert\""), "{b}: announced");
        assert!(page.contains("Please correct “Password”: at least 12 characters"), "{b}: names the field");
        let field = page.split("id=\"new-password\"").nth(1).and_then(|r| r.split('>').next()).unwrap_or_default();
        assert!(field.contains("aria-invalid=\"true\" aria-describedby=\"problem\""), "{b}: marks the field: {field}");
        assert!(page.contains("value=\"new@asean.org\""), "{b}: keeps the e-mail");
        assert!(page.contains("<option value=\"acmw\" selected>"), "{b}: keeps the body");
        assert!(!page.contains("value=\"short\""), "{b}: never echoes the password");
        assert!(accounts::user_by_email(app.db(), "new@asean.org").await.unwrap_or_else(|e| panic!("{e}")).is_none());

        // A scope that does not fit the role, on a user's own form, which stays open.
        let grant = [("csrf", csrf.as_str()), ("role", "focal_point"), ("body", "acmw")];
        let (status, _, page) = post(&admin, &app, &format!("/admin/users/{admin_id}/grants"), &grant).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{b}");
        assert!(page.contains("Please correct “Role”: a focal point needs a member state"), "{b}");
        assert!(page.contains("<details open>"), "{b}: the user's forms are open");

        // A taken e-mail is a conflict on the e-mail field.
        let taken = [("csrf", csrf.as_str()), ("email", "ADMIN@asean.org"), ("display_name", "Again")];
        let taken = [&taken[..], &[("password", PASSWORD), ("role", "admin")]].concat();
        let (status, _, page) = post(&admin, &app, "/admin/users", &taken).await;
        assert_eq!(status, StatusCode::CONFLICT, "{b}");
        assert!(page.contains("Please correct “E-mail”"), "{b}");
        app.stop().await;
    }
}

#[tokio::test]
async fn an_administrator_creates_a_social_partner_for_a_workers_organisation() {
    for app in common::spawn_apps().await {
        let b = app.backend();
        create_user(&app, "admin@asean.org", Role::Admin, None, None).await;
        let admin = browser();
        let csrf = sign_in(&admin, &app, "admin@asean.org", PASSWORD).await;
        let (_, page) = get(&admin, &app, "/admin/users").await;
        assert!(page.contains("<option value=\"atuc\">"), "{b}: partners to choose from");
        let (status, location, page) = post(
            &admin,
            &app,
            "/admin/users",
            &[
                ("csrf", &csrf),
                ("email", "sg@atuc.org"),
                ("display_name", "ATUC"),
                ("password", "a long enough password"),
                ("role", "social_partner"),
                ("body", ""),
                ("member_state", ""),
                ("partner", "atuc"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{b}: {page}");
        let user = accounts::user_by_email(app.db(), "sg@atuc.org")
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("{b}: no user created"));
        let grants: Vec<String> =
            user.grants.iter().map(|g| format!("{} of {}", g.role, g.partner.clone().unwrap_or_default())).collect();
        assert_eq!(grants, ["social_partner of atuc"], "{b}");
        let (_, page) = get(&admin, &app, &location).await;
        assert!(page.contains("(ATUC — "), "{b}: the grant names its organisation");
        app.stop().await;
    }
}
