//! Monitoring through the JSON API, black-box over HTTP on every backend: a year
//! of progress with evidence, a meeting as output, the annual report from draft
//! to accepted with its PDF and workbook opened, the checklist, reviews with
//! continued actions, and the dashboards in every format.

// A test that fails should fail loudly where it fails: helpers unwrap like the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use base64::Engine as _;
use common::TestApp;
use serde_json::{json, Value};
use std::io::Cursor;
use tripart_domain::access::{Actor, Grant, Role};
use tripart_storage::accounts;

const PASSWORD: &str = "correct horse battery staple";
/// Coordinated by Cambodia, "T.B.C." in the SLOM-WG work plan.
const ACTION: &str = "slom-wg-wp-2011-2015.2.1.b";
const AREA: &str = "slom-wg-wp-2011-2015.ta-2";

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

async fn bytes(app: &TestApp, path: &str, token: Option<&str>) -> (u16, String, Vec<u8>) {
    let mut req = app.client.get(app.url(path));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let r = req.send().await.unwrap_or_else(|e| panic!("GET {path}: {e}"));
    let status = r.status().as_u16();
    let kind = r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    (status, kind, r.bytes().await.map(|b| b.to_vec()).unwrap_or_default())
}

/// Every cell of every sheet, as text.
fn workbook_text(xlsx: &[u8]) -> String {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(xlsx.to_vec()))
        .unwrap_or_else(|e| panic!("the workbook does not open: {e}"));
    let mut out = String::new();
    for name in book.sheet_names() {
        out.push_str(&format!("[{name}]\n"));
        let range = book.worksheet_range(&name).unwrap_or_else(|e| panic!("{name}: {e}"));
        for row in range.rows() {
            out.push_str(&row.iter().map(|c| c.to_string()).collect::<Vec<_>>().join("\t"));
            out.push('\n');
        }
    }
    out
}

/// The text of a PDF, when poppler's pdftotext is installed (CI installs it).
fn pdf_text(pdf: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().ok()?;
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, pdf).ok()?;
    let out = std::process::Command::new("pdftotext").arg(&path).arg("-").output();
    match out {
        Ok(o) if o.status.success() => Some(String::from_utf8_lossy(&o.stdout).into_owned()),
        _ if std::env::var_os("TRIPART_REQUIRE_BROWSER").is_some() => panic!("pdftotext is required here"),
        _ => {
            eprintln!("NOTE: pdftotext is not installed: the PDF's text was not checked");
            None
        }
    }
}

#[tokio::test]
async fn a_year_of_progress_becomes_an_accepted_report_with_its_pdf_and_workbook() {
    for app in common::spawn_apps().await {
        let b = app.backend();
        let sec = token_for(&app, "sec@slom-wg.asean.org", Role::BodySecretariat, Some("slom-wg"), None).await;
        let khm = token_for(&app, "fp@mlvt.gov.kh", Role::FocalPoint, None, Some("KHM")).await;
        let tha = token_for(&app, "fp@mol.go.th", Role::FocalPoint, None, Some("THA")).await;
        let slom = token_for(&app, "validator@slom.asean.org", Role::Validator, Some("slom"), None).await;
        let updates = format!("/api/v1/actions/{ACTION}/updates");

        // Cambodia's focal point reports a training with its report attached.
        let pdf = base64::engine::general_purpose::STANDARD.encode(b"%PDF-1.4 training report");
        let update = json!({
            "reported_on": "2025-03-14", "status": "ongoing",
            "narrative": "National consultation on skills recognition held in Phnom Penh.",
            "outputs": [{"kind": "training", "quantity": 2, "title": "Training of assessors",
                         "participants_female": 21, "participants_male": 17}],
            "links": [{"label": "Ministry news", "url": "https://example.org/news"}],
            "files": [{"name": "training-report.pdf", "content_base64": pdf}],
        });
        let (s, created) = send(&app, "POST", &updates, Some(&khm), Some(update.clone())).await;
        assert_eq!(s, 201, "{b}: {created}");
        // Thailand's may not report on a Cambodian action; the public must sign in.
        assert_eq!(send(&app, "POST", &updates, Some(&tha), Some(update.clone())).await.0, 403, "{b}");
        assert_eq!(send(&app, "POST", &updates, None, Some(update.clone())).await.0, 401, "{b}");
        // Bad input names its field and stores nothing.
        let mut bad = update.clone();
        bad["files"][0]["content_base64"] = json!("%%%");
        let (s, e) = send(&app, "POST", &updates, Some(&khm), Some(bad)).await;
        assert_eq!((s, e["parameter"].as_str()), (400, Some("files[0].content_base64")), "{b}: {e}");
        let mut bad = update.clone();
        bad["outputs"][0]["kind"] = json!("party");
        let (s, e) = send(&app, "POST", &updates, Some(&khm), Some(bad)).await;
        assert_eq!((s, e["parameter"].as_str()), (400, Some("outputs[0].kind")), "{b}: {e}");
        let mut bad = update.clone();
        bad["files"][0] = json!({"name": "run.exe", "content_base64": "TVqQAA=="});
        assert_eq!(send(&app, "POST", &updates, Some(&khm), Some(bad)).await.0, 400, "{b}");

        let (s, history) = app.json(&updates).await;
        assert_eq!(s, 200);
        assert_eq!(history["items"].as_array().map(Vec::len), Some(1), "{b}: {history}");
        let file = &history["items"][0]["files"][0];
        let (s, kind, content) =
            bytes(&app, &format!("/api/v1/evidence/{}", file["id"].as_str().unwrap_or("x")), None).await;
        assert_eq!(
            (s, kind.as_str(), content.as_slice()),
            (200, "application/pdf", b"%PDF-1.4 training report".as_slice())
        );
        let (_, action) = app.json(&format!("/api/v1/actions/{ACTION}")).await;
        assert_eq!(action["status"], "ongoing", "{b}");

        // The body records the meeting that implements the action, with its recommendations.
        let meeting = json!({
            "title": "Regional Workshop on Skills Recognition", "kind": "workshop", "body": "slom-wg",
            "host": "KHM", "city": "Siem Reap", "start": "2025-06-10", "end": "2025-06-11",
            "participants": ["KHM", "LAO", "VNM"], "implements": [ACTION],
            "documents": [{"label": "Summary report", "url": "https://example.org/summary"}],
            "recommendations": [{"text": "Map national skills standards."}, {"text": "Report to SLOM."}],
            "participants_female": 19, "participants_male": 16,
        });
        let (s, m) = send(&app, "POST", "/api/v1/meetings", Some(&sec), Some(meeting)).await;
        assert_eq!(s, 201, "{b}: {m}");
        let meeting_id = m["id"].as_str().unwrap_or_default().to_string();
        let (_, detail) = app.json(&format!("/api/v1/meetings/{meeting_id}")).await;
        assert_eq!(detail["recommendations"].as_array().map(Vec::len), Some(2), "{b}: {detail}");

        // The narrative, then the workflow: submit, return with a comment, fix, submit, accept.
        let report = "/api/v1/reports/slom-wg/2025";
        let narrative = json!({"area": AREA, "text": "Skills recognition advanced in three member states."});
        assert_eq!(send(&app, "PUT", &format!("{report}/narrative"), Some(&sec), Some(narrative)).await.0, 200);
        assert_eq!(app.json(report).await.0, 401, "{b}: drafts are not public");
        assert_eq!(send(&app, "POST", &format!("{report}/submit"), Some(&sec), Some(json!({}))).await.0, 200);
        let (s, e) = send(&app, "POST", &format!("{report}/return"), Some(&slom), Some(json!({}))).await;
        assert_eq!((s, e["parameter"].as_str()), (400, Some("comment")), "{b}: {e}");
        assert_eq!(send(&app, "POST", &format!("{report}/accept"), Some(&sec), Some(json!({}))).await.0, 403, "{b}");
        let comment = json!({"comment": "Please describe the Siem Reap workshop."});
        assert_eq!(send(&app, "POST", &format!("{report}/return"), Some(&slom), Some(comment)).await.0, 200);
        let fixed =
            json!({"area": AREA, "text": "Skills recognition advanced; the Siem Reap workshop mapped standards."});
        assert_eq!(send(&app, "PUT", &format!("{report}/narrative"), Some(&sec), Some(fixed)).await.0, 200);
        assert_eq!(send(&app, "POST", &format!("{report}/submit"), Some(&sec), Some(json!({}))).await.0, 200);
        let (s, state) = send(&app, "POST", &format!("{report}/accept"), Some(&slom), Some(json!({}))).await;
        assert_eq!((s, state["status"].as_str()), (200, Some("accepted")), "{b}: {state}");

        let (s, accepted) = app.json(report).await;
        assert_eq!(s, 200, "{b}: accepted reports are public");
        let events: Vec<&str> =
            accepted["history"].as_array().into_iter().flatten().filter_map(|e| e["event"].as_str()).collect();
        assert_eq!(events, ["created", "submitted", "returned", "submitted", "accepted"], "{b}");
        assert_eq!(accepted["summary"]["participants_female"], 40, "{b}: 21 trained + 19 at the workshop");

        let (s, kind, pdf) = bytes(&app, &format!("{report}/pdf"), None).await;
        assert_eq!((s, kind.as_str()), (200, "application/pdf"), "{b}");
        assert!(pdf.starts_with(b"%PDF-"), "{b}");
        if let Some(text) = pdf_text(&pdf) {
            let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
            for expected in [
                "Siem Reap workshop mapped standards",
                "Please describe the Siem Reap workshop",
                "Working Group on Progressive Labour Practices",
                "Senior Labour Officials Meeting",
            ] {
                assert!(flat.contains(expected), "{b}: the PDF lacks {expected:?}:\n{flat}");
            }
        }
        let (s, _, xlsx) = bytes(&app, &format!("{report}/xlsx"), None).await;
        assert_eq!(s, 200);
        let sheets = workbook_text(&xlsx);
        for expected in [
            "National consultation on skills recognition",
            "Siem Reap workshop mapped standards",
            "Regional Workshop on Skills Recognition",
        ] {
            assert!(sheets.contains(expected), "{b}: the workbook lacks {expected:?}:\n{sheets}");
        }
        app.stop().await;
    }
}

#[tokio::test]
async fn the_checklist_is_completed_compared_and_versioned() {
    for app in common::spawn_apps().await {
        let b = app.backend();
        let sec = token_for(&app, "sec@acmw.asean.org", Role::BodySecretariat, Some("acmw"), None).await;
        let asec = token_for(&app, "officer@asean.org", Role::BodySecretariat, Some("asec"), None).await;
        let (_, templates) = app.json("/api/v1/checklist-templates").await;
        let items = templates["items"][0]["items"].as_array().cloned().unwrap_or_default();
        assert!(items.len() >= 6, "{b}: the starter template: {templates}");
        let answers: Vec<Value> = items
            .iter()
            .map(|i| {
                let value = match i["answer_type"].as_str() {
                    Some("yes_no") => json!("yes"),
                    Some("number") => json!("4"),
                    Some("level") => i["levels"][1].clone(),
                    _ => json!("Occupational safety data for two sectors."),
                };
                json!({"key": i["key"], "value": value})
            })
            .collect();
        let path = "/api/v1/checklists/acmw/2025";
        let (s, r) = send(&app, "PUT", path, Some(&sec), Some(json!({"answers": answers, "submit": true}))).await;
        assert_eq!((s, r["revision"].as_i64()), (200, Some(1)), "{b}: {r}");
        let bad = json!({"answers": [{"key": "data-products", "value": "several"}]});
        let (s, e) = send(&app, "PUT", path, Some(&sec), Some(bad)).await;
        assert_eq!((s, e["parameter"].as_str()), (400, Some("answers[0]")), "{b}: {e}");
        // Unpublished until the year's report is accepted.
        assert_eq!(app.json(path).await.0, 401, "{b}");
        let (s, mine) = send(&app, "GET", path, Some(&sec), None).await;
        assert_eq!((s, mine["checklist"]["answered"].as_i64()), (200, Some(items.len() as i64)), "{b}: {mine}");

        // Only the Secretariat drafts a template version.
        let v2 = json!({"family": "output-checklist", "title": "Output checklist 2026", "items": [
            {"key": "laws-drafted", "category": "laws_standards_policies", "question": "Laws drafted?", "answer_type": "number"}]});
        assert_eq!(send(&app, "POST", "/api/v1/checklist-templates", Some(&sec), Some(v2.clone())).await.0, 403);
        let (s, t) = send(&app, "POST", "/api/v1/checklist-templates", Some(&asec), Some(v2)).await;
        assert_eq!((s, t["id"].as_str()), (201, Some("output-checklist-v2")), "{b}: {t}");
        assert_eq!(
            send(&app, "POST", "/api/v1/checklist-templates/output-checklist-v2/publish", Some(&asec), None).await.0,
            204
        );
        app.stop().await;
    }
}

#[tokio::test]
async fn reviews_rate_the_programme_and_their_recommendations_become_actions() {
    for app in common::spawn_apps().await {
        let b = app.backend();
        let slom = token_for(&app, "sec@slom.asean.org", Role::BodySecretariat, Some("slom"), None).await;
        let acmw = token_for(&app, "sec@acmw.asean.org", Role::BodySecretariat, Some("acmw"), None).await;
        let open = json!({"programme": "alm-wp-2016-2020", "kind": "mid_term"});
        assert_eq!(send(&app, "POST", "/api/v1/reviews", Some(&acmw), Some(open.clone())).await.0, 403, "{b}");
        let (s, r) = send(&app, "POST", "/api/v1/reviews", Some(&slom), Some(open)).await;
        assert_eq!(s, 201, "{b}: {r}");
        let path = format!("/api/v1/reviews/{}", r["id"].as_str().unwrap_or_default());
        let (_, review) = app.json(&path).await;
        assert_eq!(review["due_on"], "2018-07-01");
        let node = review["rateable"][0]["id"].clone();
        let change = json!({"version": review["version"], "summary": "Most areas on track.",
            "findings": [{"node": node, "rating": "largely_achieved", "findings": "Outputs delivered.",
                          "evidence": [{"label": "SLOM report", "url": "https://example.org/slom"}]}],
            "recommendations": ["Create a regional network of skills recognition bodies."]});
        let (s, v) = send(&app, "PATCH", &path, Some(&slom), Some(change.clone())).await;
        assert_eq!(s, 200, "{b}: {v}");
        assert_eq!(send(&app, "PATCH", &path, Some(&slom), Some(change)).await.0, 409, "{b}: a stale version");
        let (_, review) = app.json(&path).await;
        let rec = review["recommendations"][0]["id"].as_str().unwrap_or_default().to_string();
        let target = json!({"programme": "alm-wp-2016-2020", "calendar": "2019 - 2020"});
        let (s, created) =
            send(&app, "POST", &format!("/api/v1/review-recommendations/{rec}/adopt"), Some(&slom), Some(target)).await;
        assert_eq!(s, 201, "{b}: {created}");
        let (_, action) = app.json(&format!("/api/v1/actions/{}", created["id"].as_str().unwrap_or_default())).await;
        assert_eq!(action["title"], "Create a regional network of skills recognition bodies.", "{b}");

        // A 2010-2015 action carried into 2016-2020 keeps its history.
        let old = "alm-wp-2010-2015.t3-37";
        let upd = json!({"reported_on": "2015-05-01", "status": "completed", "narrative": "9th HR Conference held."});
        assert_eq!(send(&app, "POST", &format!("/api/v1/actions/{old}/updates"), Some(&slom), Some(upd)).await.0, 201);
        let (s, new) = send(
            &app,
            "POST",
            &format!("/api/v1/actions/{old}/continue"),
            Some(&slom),
            Some(json!({"programme": "alm-wp-2016-2020", "calendar": "2016 - 2020"})),
        )
        .await;
        assert_eq!(s, 201, "{b}: {new}");
        let (_, history) =
            app.json(&format!("/api/v1/actions/{}/updates", new["id"].as_str().unwrap_or_default())).await;
        assert_eq!(history["lineage"]["continues"], json!([old]), "{b}");
        assert_eq!(history["items"][0]["narrative"], "9th HR Conference held.", "{b}");
        app.stop().await;
    }
}

#[tokio::test]
async fn dashboards_come_as_json_csv_excel_svg_and_a_digest() {
    for app in common::spawn_apps().await {
        let b = app.backend();
        let (s, d) = app.json("/api/v1/dashboard?body=slom-wg&as_of=2026-11-23").await;
        assert_eq!(s, 200, "{b}: {d}");
        let statuses: Vec<&str> =
            d["by_status"].as_array().into_iter().flatten().filter_map(|c| c["key"].as_str()).collect();
        assert!(statuses.contains(&"completed") && statuses.contains(&"tbc"), "{b}: the seeded statuses: {statuses:?}");
        assert!(d["overdue"].as_i64().unwrap_or(0) > 0, "{b}");
        assert_eq!(app.json("/api/v1/dashboard?stale_days=0").await.0, 400, "{b}");

        let (s, kind, csv) = bytes(&app, "/api/v1/dashboard/actions.csv?body=slom-wg", None).await;
        assert_eq!((s, kind.starts_with("text/csv")), (200, true), "{b}");
        let csv = String::from_utf8_lossy(&csv);
        assert_eq!(
            csv.lines().count() as i64,
            d["total"].as_i64().unwrap_or(0) + 1,
            "{b}: a header and one row per action"
        );
        let (s, _, xlsx) = bytes(&app, "/api/v1/dashboard/actions.xlsx?body=slom-wg", None).await;
        assert_eq!(s, 200);
        let text = workbook_text(&xlsx);
        assert!(text.contains("Continue holding the ASEAN Human Resources Conference"), "{b}");
        let (s, kind, svg) = bytes(&app, "/api/v1/dashboard/timeline.svg?programme=slom-wg-wp-2011-2015", None).await;
        assert_eq!((s, kind.starts_with("image/svg+xml")), (200, true));
        let svg = String::from_utf8_lossy(&svg);
        assert!(svg.starts_with("<?xml") && svg.contains("Timeline of actions and meetings"), "{b}");
        assert!(svg.matches("<rect").count() > 10, "{b}: a bar per dated action");
        assert!(svg.contains("have no dated calendar"), "{b}: undated actions are counted, not dropped silently");

        let sec = token_for(&app, "sec@slom-wg.asean.org", Role::BodySecretariat, Some("slom-wg"), None).await;
        let upd =
            json!({"reported_on": "2026-11-02", "status": "ongoing", "narrative": "Terms of reference circulated."});
        assert_eq!(
            send(&app, "POST", &format!("/api/v1/actions/{ACTION}/updates"), Some(&sec), Some(upd)).await.0,
            201
        );
        let (s, changes) = app.json("/api/v1/changes?since=2026-11-01&body=slom-wg").await;
        assert_eq!((s, changes["updates"].as_array().map(Vec::len)), (200, Some(1)), "{b}: {changes}");
        let (s, _, digest) = bytes(&app, "/api/v1/changes/digest.txt?since=2026-11-01", None).await;
        assert_eq!(s, 200);
        assert!(String::from_utf8_lossy(&digest).contains("Terms of reference circulated."), "{b}");
        app.stop().await;
    }
}
