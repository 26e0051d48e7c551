//! Following up recommendations through the JSON API on every backend: a cycle
//! on the 5th Forum's recommendations, two governments and a workers'
//! organisation reporting, the matrix and the list of who has not reported, and a
//! ratification event recorded by the Secretariat.

// A test that fails should fail loudly where it fails: helpers unwrap like the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::TestApp;
use serde_json::{json, Value};
use tripart_domain::access::{Actor, Grant, Role};
use tripart_storage::accounts;

const PASSWORD: &str = "correct horse battery staple";

async fn token(app: &TestApp, email: &str, grant: Grant) -> String {
    let user = accounts::create_user(app.db(), &Actor::Operator, email, email, PASSWORD, &[grant]).await.unwrap();
    accounts::create_token(app.db(), &Actor::Operator, &user.id, "test").await.unwrap()
}

async fn send(app: &TestApp, method: &str, path: &str, token: Option<&str>, body: Option<Value>) -> (u16, Value) {
    let mut req = app.client.request(method.parse().unwrap(), app.url(path));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    let text = r.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

/// The text of a PDF, when poppler's pdftotext is installed (CI installs it).
fn pdf_text(pdf: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().ok()?;
    let path = dir.path().join("paper.pdf");
    std::fs::write(&path, pdf).ok()?;
    match std::process::Command::new("pdftotext").arg(&path).arg("-").output() {
        Ok(o) if o.status.success() => Some(String::from_utf8_lossy(&o.stdout).into_owned()),
        _ if std::env::var_os("TRIPART_REQUIRE_PDF_TOOLS").is_some() => panic!("pdftotext is required here"),
        _ => {
            eprintln!("NOTE: pdftotext is not installed: the paper's text was not checked");
            None
        }
    }
}

#[tokio::test]
async fn governments_and_a_workers_organisation_report_on_the_5th_forum() {
    for app in common::spawn_apps().await {
        let b = app.backend();
        let acmw =
            token(&app, "sec@acmw.org", Grant::new(Role::BodySecretariat, Some("acmw".into()), None).unwrap()).await;
        let khm = token(&app, "fp@mlvt.gov.kh", Grant::new(Role::FocalPoint, None, Some("KHM".into())).unwrap()).await;
        let phl = token(&app, "fp@dole.gov.ph", Grant::new(Role::FocalPoint, None, Some("PHL".into())).unwrap()).await;
        let atuc =
            token(&app, "sg@atuc.org", Grant::scoped(Role::SocialPartner, None, None, Some("atuc".into())).unwrap())
                .await;
        let asec =
            token(&app, "officer@asean.org", Grant::new(Role::BodySecretariat, Some("asec".into()), None).unwrap())
                .await;

        let open =
            json!({"meeting": "afml-5", "reported_to": "6th ASEAN Forum on Migrant Labour", "due_on": "2013-10-01"});
        assert_eq!(send(&app, "POST", "/api/v1/cycles", None, Some(open.clone())).await.0, 401, "{b}");
        assert_eq!(send(&app, "POST", "/api/v1/cycles", Some(&khm), Some(open.clone())).await.0, 403, "{b}");
        let (s, c) = send(&app, "POST", "/api/v1/cycles", Some(&acmw), Some(open)).await;
        assert_eq!(s, 201, "{b}: {c}");
        let cycle = c["id"].as_str().unwrap().to_string();
        let (_, m) = app.json(&format!("/api/v1/cycles/{cycle}")).await;
        let rec = m["cycle"]["recommendations"][0]["id"].as_str().unwrap().to_string();

        let reports = format!("/api/v1/cycles/{cycle}/reports");
        let report = |ms: &str, voice: &str, status: &str, text: &str| {
            json!({"recommendation": rec, "member_state": ms, "voice": voice, "status": status, "narrative": text,
                   "evidence": [{"label": "Ministry circular", "url": "https://example.org/circular"}]})
        };
        let (s, r) = send(
            &app,
            "POST",
            &reports,
            Some(&khm),
            Some(report("KHM", "government", "in_progress", "Sub-decree drafted.")),
        )
        .await;
        assert_eq!((s, r["revision"].as_i64()), (201, Some(1)), "{b}: {r}");
        assert_eq!(
            send(&app, "POST", &reports, Some(&phl), Some(report("PHL", "government", "implemented", "Law adopted.")))
                .await
                .0,
            201
        );
        let (s, r) = send(
            &app,
            "POST",
            &reports,
            Some(&atuc),
            Some(report("KHM", "workers", "not_started", "Unions were not consulted.")),
        )
        .await;
        assert_eq!(s, 201, "{b}: {r}");
        // Each voice for itself; a bad status is named.
        assert_eq!(
            send(&app, "POST", &reports, Some(&khm), Some(report("PHL", "government", "implemented", "x"))).await.0,
            403
        );
        assert_eq!(
            send(&app, "POST", &reports, Some(&atuc), Some(report("KHM", "government", "implemented", "x"))).await.0,
            403
        );
        let (s, e) = send(&app, "POST", &reports, Some(&khm), Some(report("KHM", "government", "done", "x"))).await;
        assert_eq!((s, e["parameter"].as_str()), (400, Some("status")), "{b}: {e}");

        let (_, m) = app.json(&format!("/api/v1/cycles/{cycle}")).await;
        let cell = |ms: &str| {
            m["cells"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["recommendation"] == rec.as_str() && c["member_state"] == ms)
                .cloned()
                .unwrap()
        };
        assert_eq!(cell("KHM")["status"], "in_progress", "{b}");
        let khm_cell = cell("KHM");
        let voices: Vec<&str> =
            khm_cell["reports"].as_array().unwrap().iter().filter_map(|r| r["voice"].as_str()).collect();
        assert_eq!(voices, ["government", "workers"], "{b}");
        assert_eq!(cell("KHM")["reports"][1]["narrative"], "Unions were not consulted.");
        assert_eq!(cell("PHL")["status"], "implemented");
        let (_, missing) = app.json(&format!("/api/v1/cycles/{cycle}/not-reported")).await;
        let vnm = missing["items"].as_array().unwrap().iter().find(|i| i["member_state"] == "VNM").unwrap();
        assert_eq!(
            vnm["recommendations"].as_array().map(Vec::len),
            m["cycle"]["recommendations"].as_array().map(Vec::len)
        );
        let (_, country) = app.json("/api/v1/member-states/KHM/implementation").await;
        assert_eq!(country["items"].as_array().map(Vec::len), Some(2), "{b}");

        // The progress paper says exactly what was reported, by whom, in both formats.
        let expected =
            ["Sub-decree drafted.", "Unions were not consulted.", "Law adopted.", "Cambodia", "Workers (atuc)"];
        let pdf = app.get(&format!("/api/v1/cycles/{cycle}/paper.pdf")).await;
        assert_eq!(pdf.status(), 200, "{b}");
        let pdf = pdf.bytes().await.unwrap();
        assert!(pdf.starts_with(b"%PDF-"), "{b}");
        // TRIPART_ARTIFACTS=<dir> keeps the documents for a person to look at.
        if let Some(dir) = std::env::var_os("TRIPART_ARTIFACTS") {
            std::fs::write(std::path::Path::new(&dir).join(format!("progress-paper-{b}.pdf")), &pdf).unwrap();
        }
        if let Some(text) = pdf_text(&pdf) {
            let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
            for e in expected {
                assert!(flat.contains(e), "{b}: the paper lacks {e:?}:\n{flat}");
            }
        }
        let docx = app.get(&format!("/api/v1/cycles/{cycle}/paper.docx")).await;
        assert_eq!(docx.status(), 200, "{b}");
        let docx = docx.bytes().await.unwrap();
        if let Some(dir) = std::env::var_os("TRIPART_ARTIFACTS") {
            std::fs::write(std::path::Path::new(&dir).join(format!("progress-paper-{b}.docx")), &docx).unwrap();
        }
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx.to_vec())).unwrap();
        let mut body = String::new();
        std::io::Read::read_to_string(&mut archive.by_name("word/document.xml").unwrap(), &mut body).unwrap();
        for e in expected {
            assert!(body.contains(e), "{b}: the Word document lacks {e:?}");
        }

        // Links to thematic areas and SDG targets, and a theme across the 4th and 5th Forums.
        let links = json!({"thematic_areas": ["alm-wp-2016-2020.ta-07"], "sdg_targets": ["8.7", "10.7"]});
        let path = format!("/api/v1/recommendations/{rec}/links");
        assert_eq!(send(&app, "PUT", &path, Some(&khm), Some(links.clone())).await.0, 403, "{b}");
        let (s, e) = send(&app, "PUT", &path, Some(&acmw), Some(json!({"sdg_targets": ["8.77x"]}))).await;
        assert_eq!((s, e["parameter"].as_str()), (400, Some("sdg_targets[0]")), "{b}: {e}");
        assert_eq!(send(&app, "PUT", &path, Some(&acmw), Some(links)).await.0, 204, "{b}");
        let (_, l) = app.json(&path).await;
        assert_eq!(l["sdg_targets"], json!(["8.7", "10.7"]), "{b}");
        let theme = json!({"title": "Information on recruitment costs", "recommendations": ["afml-4.1", rec]});
        let (s, t) = send(&app, "POST", "/api/v1/themes", Some(&acmw), Some(theme)).await;
        assert_eq!(s, 201, "{b}: {t}");
        let (_, t) = app.json(&format!("/api/v1/themes/{}", t["id"].as_str().unwrap())).await;
        assert_eq!(t["recommendations"].as_array().map(Vec::len), Some(2), "{b}: {t}");
        assert_eq!(t["reports"].as_array().map(Vec::len), Some(3), "{b}: both governments and the workers");

        // The Secretariat records a ratification with its source; nobody else may.
        let event = json!({"member_state": "LAO", "convention": "C155", "event": "ratified", "date": "2025-05-20",
                           "source_document": "ILO NORMLEX", "source_reference": "https://normlex.ilo.org"});
        assert_eq!(send(&app, "POST", "/api/v1/ratifications", Some(&khm), Some(event.clone())).await.0, 403);
        let (s, r) = send(&app, "POST", "/api/v1/ratifications", Some(&asec), Some(event)).await;
        assert_eq!(s, 201, "{b}: {r}");
        let (_, events) = app.json("/api/v1/ratifications?member_state=LAO&from=2025-01-01").await;
        assert!(events["items"].as_array().unwrap().iter().any(|e| e["convention"] == "C155"), "{b}: {events}");
        assert_eq!(send(&app, "POST", &format!("/api/v1/cycles/{cycle}/close"), Some(&acmw), None).await.0, 204);
        app.stop().await;
    }
}
