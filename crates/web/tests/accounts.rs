//! Accounts, roles and the audit trail, black-box over HTTP on every backend: each
//! denial of the role matrix, bearer tokens with exactly their user's rights, no
//! lost updates, sign-in with throttling, and hostile input coming back inert.

mod common;

use common::TestApp;
use serde_json::{json, Value};
use tripart_domain::access::{Actor, Grant, Role};
use tripart_storage::accounts;

const PASSWORD: &str = "correct horse battery staple";

/// Creates a user with one grant and returns an API token for them.
async fn token_for(app: &TestApp, email: &str, role: Role, body: Option<&str>, ms: Option<&str>) -> String {
    let grant = Grant::new(role, body.map(str::to_string), ms.map(str::to_string)).unwrap_or_else(|e| panic!("{e}"));
    let user = accounts::create_user(app.db(), &Actor::Operator, email, email, PASSWORD, &[grant])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    accounts::create_token(app.db(), &Actor::Operator, &user.id, "test").await.unwrap_or_else(|e| panic!("{e}"))
}

async fn send(app: &TestApp, method: &str, path: &str, token: Option<&str>, body: Option<Value>) -> (u16, Value) {
    let mut req = app.client.request(method.parse().unwrap_or_else(|e| panic!("{e}")), app.url(path));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let r = req.send().await.unwrap_or_else(|e| panic!("{method} {path}: {e}"));
    let status = r.status().as_u16();
    let text = r.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

async fn version_of(app: &TestApp, id: &str) -> i64 {
    let (_, a) = app.json(&format!("/api/v1/actions/{id}")).await;
    a["version"].as_i64().unwrap_or_else(|| panic!("no version: {a}"))
}

// A Malaysian focal point, a Thai one, the SLOM-WG secretariat, an administrator.
const MYS_ACTION: &str = "slom-wg-wp-2011-2015.6.1.a";
const THA_ACTION: &str = "alm-wp-2016-2020.ta-07.p1";

#[tokio::test]
async fn each_role_is_refused_what_it_may_not_do() {
    for app in common::spawn_apps().await {
        let b = app.backend();
        let mys = token_for(&app, "fp@mohr.gov.my", Role::FocalPoint, None, Some("MYS")).await;
        let slom_wg = token_for(&app, "sec@slom-wg.asean.org", Role::BodySecretariat, Some("slom-wg"), None).await;
        let acmw = token_for(&app, "sec@acmw.asean.org", Role::BodySecretariat, Some("acmw"), None).await;

        // The public may read, not write.
        let v = version_of(&app, THA_ACTION).await;
        let (s, _) = send(
            &app,
            "PATCH",
            &format!("/api/v1/actions/{THA_ACTION}"),
            None,
            Some(json!({"version": v, "status": "ongoing"})),
        )
        .await;
        assert_eq!(s, 401, "{b}: public edit");

        // Malaysia's focal point: nothing of Thailand's.
        let (s, body) = send(
            &app,
            "PATCH",
            &format!("/api/v1/actions/{THA_ACTION}"),
            Some(&mys),
            Some(json!({"version": v, "status": "completed"})),
        )
        .await;
        assert_eq!(s, 403, "{b}: MYS updates a Thai action: {body}");
        let (s, _) = send(
            &app,
            "POST",
            &format!("/api/v1/actions/{THA_ACTION}/retire"),
            Some(&mys),
            Some(json!({"version": v})),
        )
        .await;
        assert_eq!(s, 403, "{b}: MYS retires a Thai action");
        // ... but the progress of the actions Malaysia coordinates, yes.
        let vm = version_of(&app, MYS_ACTION).await;
        let (s, body) = send(
            &app,
            "PATCH",
            &format!("/api/v1/actions/{MYS_ACTION}"),
            Some(&mys),
            Some(json!({"version": vm, "status": "completed", "note": "held 23 May 2011"})),
        )
        .await;
        assert_eq!(s, 200, "{b}: {body}");
        // The content of an action belongs to its body, not to the coordinator.
        let vm = version_of(&app, MYS_ACTION).await;
        let (s, _) = send(
            &app,
            "PATCH",
            &format!("/api/v1/actions/{MYS_ACTION}"),
            Some(&mys),
            Some(json!({"version": vm, "title": "Renamed"})),
        )
        .await;
        assert_eq!(s, 403, "{b}: MYS renames an action");
        // Nor can a focal point raise its own role, create users or read the audit trail.
        let (_, me) = send(&app, "GET", "/api/v1/me", Some(&mys), None).await;
        let my_id = me["user_id"].as_str().unwrap_or_default().to_string();
        let (s, _) =
            send(&app, "POST", &format!("/api/v1/users/{my_id}/grants"), Some(&mys), Some(json!({"role": "admin"})))
                .await;
        assert_eq!(s, 403, "{b}: raising its own role");
        let (s, _) = send(
            &app,
            "POST",
            "/api/v1/users",
            Some(&mys),
            Some(json!({"email": "x@y.org", "display_name": "X", "password": PASSWORD, "grants": [{"role": "admin"}]})),
        )
        .await;
        assert_eq!(s, 403, "{b}: creating a user");
        let (s, _) = send(&app, "GET", "/api/v1/audit", Some(&mys), None).await;
        assert_eq!(s, 403, "{b}: reading the audit trail");
        let (_, me) = send(&app, "GET", "/api/v1/me", Some(&mys), None).await;
        assert_eq!(
            me["grants"],
            json!([{"role": "focal_point", "body": null, "member_state": "MYS", "partner": null}]),
            "{b}: role unchanged"
        );

        // A body secretariat edits its own body's actions only.
        let v = version_of(&app, "slom-wg-wp-2011-2015.8.2").await;
        let (s, body) = send(
            &app,
            "PATCH",
            "/api/v1/actions/slom-wg-wp-2011-2015.8.2",
            Some(&slom_wg),
            Some(json!({"version": v, "calendar": "2013 - 2015"})),
        )
        .await;
        assert_eq!(s, 200, "{b}: {body}");
        let (_, a) = app.json("/api/v1/actions/slom-wg-wp-2011-2015.8.2").await;
        assert_eq!((a["calendar"].as_str(), a["start_year"].as_i64()), (Some("2013 - 2015"), Some(2013)));
        let v = version_of(&app, "acmw-wp-2016-2020.p6").await;
        let (s, _) = send(
            &app,
            "PATCH",
            "/api/v1/actions/acmw-wp-2016-2020.p6",
            Some(&slom_wg),
            Some(json!({"version": v, "title": "x"})),
        )
        .await;
        assert_eq!(s, 403, "{b}: SLOM-WG edits an ACMW action");
        let (s, _) = send(
            &app,
            "PATCH",
            "/api/v1/actions/acmw-wp-2016-2020.p6",
            Some(&acmw),
            Some(json!({"version": v, "status": "ongoing"})),
        )
        .await;
        assert_eq!(s, 200, "{b}: ACMW edits its own action");
        let (s, _) = send(&app, "GET", "/api/v1/users", Some(&slom_wg), None).await;
        assert_eq!(s, 403, "{b}: a body secretariat lists users");

        // A wrong or revoked token is refused, never treated as the public.
        let (s, _) = send(&app, "GET", "/api/v1/me", Some("tpt_not-a-token"), None).await;
        assert_eq!(s, 401, "{b}");
        app.stop().await;
    }
}

#[tokio::test]
async fn an_edit_from_a_stale_version_is_refused_with_the_newer_values() {
    for app in common::spawn_apps().await {
        let b = app.backend();
        let admin = token_for(&app, "admin@asean.org", Role::Admin, None, None).await;
        let id = "slom-wg-wp-2011-2015.9.1";
        let v = version_of(&app, id).await;
        // Two editors read version v; the first one saves.
        let (s, _) = send(
            &app,
            "PATCH",
            &format!("/api/v1/actions/{id}"),
            Some(&admin),
            Some(json!({"version": v, "title": "First editor's title"})),
        )
        .await;
        assert_eq!(s, 200, "{b}");
        let (s, body) = send(
            &app,
            "PATCH",
            &format!("/api/v1/actions/{id}"),
            Some(&admin),
            Some(json!({"version": v, "title": "Second editor's title"})),
        )
        .await;
        assert_eq!(s, 409, "{b}: {body}");
        assert_eq!(body["current"]["title"], "First editor's title", "{b}: the conflict shows the newer values");
        assert_eq!(body["current"]["version"], v + 1);
        // Two editors at the same instant: exactly one wins.
        let v = v + 1;
        let path = format!("/api/v1/actions/{id}");
        let (r1, r2) = tokio::join!(
            send(&app, "PATCH", &path, Some(&admin), Some(json!({"version": v, "description": "A"}))),
            send(&app, "PATCH", &path, Some(&admin), Some(json!({"version": v, "description": "B"}))),
        );
        let mut statuses = [r1.0, r2.0];
        statuses.sort();
        assert_eq!(statuses, [200, 409], "{b}: {r1:?} {r2:?}");
        let (_, a) = app.json(&path).await;
        assert_eq!(a["version"], v + 1, "{b}: one write, not two");
        app.stop().await;
    }
}

#[tokio::test]
async fn every_write_is_in_the_audit_trail_with_before_and_after() {
    for app in common::spawn_apps().await {
        let b = app.backend();
        let admin = token_for(&app, "admin@asean.org", Role::Admin, None, None).await;
        let id = "slom-wg-wp-2011-2015.4.1";
        let v = version_of(&app, id).await;
        let (s, _) = send(
            &app,
            "PATCH",
            &format!("/api/v1/actions/{id}"),
            Some(&admin),
            Some(json!({"version": v, "status": "ongoing", "note": "reported at SLOM-WG"})),
        )
        .await;
        assert_eq!(s, 200);
        let (s, trail) =
            send(&app, "GET", &format!("/api/v1/audit?record_type=action&record_id={id}"), Some(&admin), None).await;
        assert_eq!(s, 200, "{b}: {trail}");
        let latest = &trail["items"][0];
        assert_eq!(latest["operation"], "update");
        assert_eq!(latest["channel"], "api");
        assert_eq!(latest["actor_label"], "admin@asean.org");
        assert_eq!(latest["before"]["status"], "planned");
        assert_eq!(latest["after"]["status"], "ongoing");
        assert_eq!(latest["note"], "reported at SLOM-WG");
        // The catalogue's own load is audited too, as the system's.
        let (_, seeded) =
            send(&app, "GET", &format!("/api/v1/audit?record_id={id}&operation=create"), Some(&admin), None).await;
        assert_eq!(seeded["items"][0]["actor_label"], "system", "{b}: {seeded}");
        // CSV export.
        let r = app
            .client
            .get(app.url("/api/v1/audit?format=csv&record_type=action"))
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(r.headers()["content-type"].to_str().unwrap_or_default().starts_with("text/csv"));
        let csv = r.text().await.unwrap_or_default();
        assert!(csv.starts_with("id,at,actor,channel,operation,record_type,record_id,before,after,note\r\n"));
        assert!(csv.contains("admin@asean.org,api,update,action,slom-wg-wp-2011-2015.4.1"), "{b}");
        // Creating the users was audited as the command line's.
        let (_, users) = send(&app, "GET", "/api/v1/audit?record_type=user&operation=create", Some(&admin), None).await;
        assert_eq!(users["items"][0]["channel"], "cli", "{b}: {users}");
        app.stop().await;
    }
}

#[tokio::test]
async fn a_reseed_keeps_what_was_edited_through_the_application() {
    for app in common::spawn_apps().await {
        let admin = token_for(&app, "admin@asean.org", Role::Admin, None, None).await;
        let id = "slom-wg-wp-2011-2015.5.1";
        let v = version_of(&app, id).await;
        let (s, _) = send(
            &app,
            "PATCH",
            &format!("/api/v1/actions/{id}"),
            Some(&admin),
            Some(json!({"version": v, "title": "Edited"})),
        )
        .await;
        assert_eq!(s, 200);
        common::seed(app.db()).await;
        let (_, a) = app.json(&format!("/api/v1/actions/{id}")).await;
        assert_eq!(a["title"], "Edited", "{}", app.backend());
        app.stop().await;
    }
}

#[tokio::test]
async fn retired_actions_leave_the_lists_and_can_come_back() {
    for app in common::spawn_apps().await {
        let admin = token_for(&app, "admin@asean.org", Role::Admin, None, None).await;
        let id = "slom-wg-wp-2011-2015.2.2";
        let v = version_of(&app, id).await;
        let (s, r) =
            send(&app, "POST", &format!("/api/v1/actions/{id}/retire"), Some(&admin), Some(json!({"version": v})))
                .await;
        assert_eq!(s, 200, "{r}");
        assert_eq!(app.json(&format!("/api/v1/actions/{id}")).await.0, 404);
        let (_, list) = app.json("/api/v1/actions?programme=slom-wg-wp-2011-2015&limit=500").await;
        assert!(list["items"].as_array().into_iter().flatten().all(|a| a["id"] != id));
        let (s, _) = send(
            &app,
            "POST",
            &format!("/api/v1/actions/{id}/unretire"),
            Some(&admin),
            Some(json!({"version": v + 1})),
        )
        .await;
        assert_eq!(s, 200);
        assert_eq!(app.json(&format!("/api/v1/actions/{id}")).await.0, 200);
        app.stop().await;
    }
}

#[tokio::test]
async fn hostile_text_typed_into_a_field_comes_back_inert() {
    let app = common::spawn_sqlite_app().await;
    let admin = token_for(&app, "admin@asean.org", Role::Admin, None, None).await;
    let id = "slom-wg-wp-2011-2015.9.2";
    let v = version_of(&app, id).await;
    let evil = "<script>alert('x')</script><img src=x onerror=alert(1)>";
    let (s, _) =
        send(&app, "PATCH", &format!("/api/v1/actions/{id}"), Some(&admin), Some(json!({"version": v, "title": evil})))
            .await;
    assert_eq!(s, 200);
    let (_, html) = app.text(&format!("/actions/{id}")).await;
    assert!(!html.contains("<script>alert"), "script tag came back live");
    assert!(!html.contains("<img src=x"), "img tag came back live");
    assert!(html.contains("&lt;script&gt;"), "the text is shown, escaped");
    app.stop().await;
}

#[tokio::test]
async fn bad_bodies_get_clear_errors() {
    let app = common::spawn_sqlite_app().await;
    let admin = token_for(&app, "admin@asean.org", Role::Admin, None, None).await;
    let path = "/api/v1/actions/slom-wg-wp-2011-2015.1.1";
    let (s, body) = send(&app, "PATCH", path, Some(&admin), Some(json!({"version": 1, "colour": "red"}))).await;
    assert_eq!((s, body["parameter"].as_str()), (400, Some("colour")), "{body}");
    let (s, body) = send(&app, "PATCH", path, Some(&admin), Some(json!({"version": 1, "status": "finished"}))).await;
    assert_eq!((s, body["parameter"].as_str()), (400, Some("status")), "{body}");
    let (s, body) = send(&app, "PATCH", path, Some(&admin), Some(json!({"title": "no version"}))).await;
    assert_eq!((s, body["parameter"].as_str()), (400, Some("version")), "{body}");
    let big = "x".repeat(300 * 1024);
    let (s, _) = send(&app, "PATCH", path, Some(&admin), Some(json!({"version": 1, "description": big}))).await;
    assert_eq!(s, 413);
    let (s, body) = send(
        &app,
        "POST",
        "/api/v1/users",
        Some(&admin),
        Some(json!({"email": "not-an-address", "display_name": "X", "password": PASSWORD})),
    )
    .await;
    assert_eq!((s, body["parameter"].as_str()), (400, Some("email")), "{body}");
    let (s, body) = send(
        &app,
        "POST",
        "/api/v1/users",
        Some(&admin),
        Some(json!({"email": "a@b.org", "display_name": "X", "password": "short"})),
    )
    .await;
    assert_eq!((s, body["parameter"].as_str()), (400, Some("password")), "{body}");
    let (s, body) = send(&app, "POST", "/api/v1/users", Some(&admin), Some(json!({"email": "a@b.org", "display_name": "X", "password": PASSWORD, "grants": [{"role": "focal_point", "body": "acmw"}]}))).await;
    assert_eq!((s, body["parameter"].as_str()), (400, Some("role")), "{body}");
    app.stop().await;
}

/// The sign-in form's CSRF token, from its page.
fn hidden_csrf(html: &str) -> String {
    html.split("name=\"csrf\" value=\"").nth(1).and_then(|r| r.split('"').next()).unwrap_or_default().to_string()
}

#[tokio::test]
async fn people_sign_in_with_a_session_cookie_and_changes_need_its_csrf_token() {
    for app in common::spawn_apps().await {
        let b = app.backend();
        token_for(&app, "sec@slom-wg.asean.org", Role::BodySecretariat, Some("slom-wg"), None).await;
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        let form_page = client
            .get(app.url("/sign-in"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .text()
            .await
            .unwrap_or_default();
        let csrf = hidden_csrf(&form_page);
        assert_eq!(csrf.len(), 64, "{b}");
        let wrong = client
            .post(app.url("/sign-in"))
            .form(&[("email", "sec@slom-wg.asean.org"), ("password", "wrong password!"), ("csrf", &csrf)])
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(wrong.status().as_u16(), 401, "{b}");
        let csrf = hidden_csrf(&wrong.text().await.unwrap_or_default());
        let ok = client
            .post(app.url("/sign-in"))
            .form(&[("email", "SEC@slom-wg.asean.org"), ("password", PASSWORD), ("csrf", &csrf)])
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ok.status().as_u16(), 303, "{b}");
        let cookie = ok.headers()["set-cookie"].to_str().unwrap_or_default().to_string();
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
        let home =
            client.get(app.url("/")).send().await.unwrap_or_else(|e| panic!("{e}")).text().await.unwrap_or_default();
        assert!(home.contains("Signed in as sec@slom-wg.asean.org"), "{b}");
        let session_csrf = hidden_csrf(&home);
        // With the cookie but without the CSRF token, a change is refused.
        let id = "slom-wg-wp-2011-2015.8.3";
        let v = version_of(&app, id).await;
        let r = client
            .patch(app.url(&format!("/api/v1/actions/{id}")))
            .json(&json!({"version": v, "status": "ongoing"}))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.status().as_u16(), 403, "{b}");
        let r = client
            .patch(app.url(&format!("/api/v1/actions/{id}")))
            .header("x-csrf-token", &session_csrf)
            .json(&json!({"version": v, "status": "ongoing"}))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.status().as_u16(), 200, "{b}");
        // Signing out ends the session in the database: the cookie is worth nothing after.
        let r = client
            .post(app.url("/sign-out"))
            .form(&[("csrf", &session_csrf)])
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.status().as_u16(), 303);
        let me: Value = client
            .get(app.url("/api/v1/me"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .json()
            .await
            .unwrap_or_default();
        assert_eq!(me["signed_in"], false, "{b}");
        app.stop().await;
    }
}

#[tokio::test]
async fn repeated_failed_sign_ins_are_throttled_per_account() {
    let app = common::spawn_sqlite_app().await;
    token_for(&app, "fp@mol.go.th", Role::FocalPoint, None, Some("THA")).await;
    for _ in 0..accounts::MAX_FAILURES_PER_ACCOUNT {
        let r = accounts::sign_in(app.db(), "fp@mol.go.th", "not the password", "10.0.0.1")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r, Err(accounts::SignInRefusal::WrongCredentials));
    }
    // Now even the right password waits, from any address.
    let r = accounts::sign_in(app.db(), "fp@mol.go.th", PASSWORD, "10.0.0.2").await.unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(r, Err(accounts::SignInRefusal::Throttled(_))), "{r:?}");
    // Another account from the same address is not locked by it.
    token_for(&app, "fp@mohr.gov.my", Role::FocalPoint, None, Some("MYS")).await;
    let r = accounts::sign_in(app.db(), "fp@mohr.gov.my", PASSWORD, "10.0.0.1").await.unwrap_or_else(|e| panic!("{e}"));
    assert!(r.is_ok(), "{r:?}");
    app.stop().await;
}

#[tokio::test]
async fn passwords_are_stored_as_argon2id_and_never_exported() {
    let app = common::spawn_sqlite_app().await;
    token_for(&app, "admin@asean.org", Role::Admin, None, None).await;
    let row = app
        .db()
        .fetch_optional("SELECT password_hash FROM app_user", &[])
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("no user"));
    let hash = row.str("password_hash").unwrap_or_default();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(!hash.contains(PASSWORD));
    let export = tripart_storage::export::export(app.db()).await.unwrap_or_else(|e| panic!("{e}"));
    let text = export.to_string();
    assert!(!text.contains("$argon2id$") && !text.contains("token_hash"), "secrets leaked into the export");
    app.stop().await;
}
