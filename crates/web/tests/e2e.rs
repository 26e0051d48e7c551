//! The end-to-end path of monitoring the Work Programme, in a real browser:
//! headless Chromium driven through chromedriver (the W3C WebDriver protocol,
//! spoken over HTTP with the test's own reqwest, so no WebDriver crate). A body's
//! secretariat records progress and a meeting, writes its annual report and
//! completes the checklist, submits; SLOM returns the report with a comment; the
//! body corrects and resubmits; SLOM accepts; the PDF and the workbook then carry
//! what was written. Skipped, saying so, where Chromium or chromedriver is not
//! installed, unless TRIPART_REQUIRE_BROWSER is set (as .ci/run does).
//!
//! Screenshots of the report, the checklist and the dashboard are written to
//! TRIPART_SCREENSHOTS when it names a folder, for people to look at.

mod common;

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use tripart_domain::access::{Actor, Grant, Role};
use tripart_storage::accounts;

const PASSWORD: &str = "correct horse battery staple";
/// A SLOM-WG activity coordinated by Cambodia, "T.B.C." in its work plan; its
/// thematic area is Social Security (2).
const ACTION: &str = "slom-wg-wp-2011-2015.2.1.b";
const AREA: &str = "slom-wg-wp-2011-2015.ta-2";
/// What WebDriver calls an element reference in its JSON.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

fn installed(candidates: &[&'static str]) -> Option<&'static str> {
    candidates.iter().copied().find(|b| Command::new(b).arg("--version").output().is_ok_and(|o| o.status.success()))
}

/// Chromium and chromedriver, or a skip with a note (a failure when the browser
/// is required).
fn browser_or_skip() -> Option<(&'static str, &'static str)> {
    let chromium = installed(&["chromium", "chromium-browser", "google-chrome"]);
    let driver = installed(&["chromedriver"]);
    match (chromium, driver) {
        (Some(c), Some(d)) => Some((c, d)),
        _ if std::env::var_os("TRIPART_REQUIRE_BROWSER").is_some() => {
            panic!("TRIPART_REQUIRE_BROWSER is set but Chromium or chromedriver is not installed (Debian: chromium chromium-driver)")
        }
        _ => {
            eprintln!("NOTE: Chromium or chromedriver is not installed: the end-to-end browser test was SKIPPED");
            None
        }
    }
}

/// A WebDriver session on a chromedriver of our own.
struct Browser {
    http: reqwest::Client,
    session: String,
    driver: Child,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Browser {
    async fn start(chromium: &str, chromedriver: &str, profile: &Path) -> Browser {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .unwrap_or_else(|e| panic!("a free port: {e}"))
            .port();
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {chromedriver}: {e}"));
        let http = reqwest::Client::new();
        let root = format!("http://127.0.0.1:{port}");
        let mut browser = Browser { http, session: String::new(), driver };
        for _ in 0..100 {
            let ready = browser.http.get(format!("{root}/status")).send().await;
            if let Ok(r) = ready {
                if r.json::<Value>().await.is_ok_and(|v| v["value"]["ready"] == true) {
                    break;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": which(chromium),
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--lang=en-US", "--window-size=1280,2200",
                    format!("--user-data-dir={}", profile.display()),
                ],
                "prefs": {"intl.accept_languages": "en-US,en"}
            }
        }}});
        let r = browser.http.post(format!("{root}/session")).json(&capabilities).send().await;
        let v: Value = r.unwrap_or_else(|e| panic!("new session: {e}")).json().await.unwrap_or_default();
        let id = v["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no WebDriver session: {v}"));
        browser.session = format!("{root}/session/{id}");
        // Finding an element waits a little for the page a click is loading.
        browser.call(reqwest::Method::POST, "/timeouts", Some(json!({"implicit": 5000}))).await;
        browser
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut request = self.http.request(method.clone(), format!("{}{path}", self.session));
        if let Some(b) = body {
            request = request.json(&b);
        }
        let r = request.send().await.unwrap_or_else(|e| panic!("WebDriver {method} {path}: {e}"));
        let status = r.status();
        let v: Value = r.json().await.unwrap_or_default();
        assert!(status.is_success(), "WebDriver {method} {path}: {status} {}", v["value"]["message"]);
        v["value"].clone()
    }

    async fn goto(&self, url: &str) {
        self.call(reqwest::Method::POST, "/url", Some(json!({ "url": url }))).await;
    }

    async fn find(&self, css: &str) -> String {
        let v =
            self.call(reqwest::Method::POST, "/element", Some(json!({"using": "css selector", "value": css}))).await;
        v[ELEMENT].as_str().unwrap_or_else(|| panic!("no element {css}")).to_string()
    }

    async fn click(&self, css: &str) {
        let id = self.find(css).await;
        self.call(reqwest::Method::POST, &format!("/element/{id}/click"), Some(json!({}))).await;
    }

    /// Types into a field, after clearing what it holds.
    async fn fill(&self, css: &str, text: &str) {
        let id = self.find(css).await;
        self.call(reqwest::Method::POST, &format!("/element/{id}/clear"), Some(json!({}))).await;
        self.call(reqwest::Method::POST, &format!("/element/{id}/value"), Some(json!({ "text": text }))).await;
    }

    /// Chooses an option of a select, as a person does: by clicking it.
    async fn choose(&self, select: &str, value: &str) {
        self.click(&format!("{select} option[value=\"{value}\"]")).await;
    }

    /// Types a date into a date input in the order the en-US browser shows it.
    async fn date(&self, css: &str, iso: &str) {
        let id = self.find(css).await;
        let keys = format!("{}{}{}", &iso[5..7], &iso[8..10], &iso[..4]);
        self.call(reqwest::Method::POST, &format!("/element/{id}/value"), Some(json!({ "text": keys }))).await;
    }

    async fn source(&self) -> String {
        self.call(reqwest::Method::GET, "/source", None).await.as_str().unwrap_or_default().to_string()
    }

    async fn url(&self) -> String {
        self.call(reqwest::Method::GET, "/url", None).await.as_str().unwrap_or_default().to_string()
    }

    /// Waits for the navigation a click started to reach `url` (without its query).
    async fn arrives(&self, url: &str) {
        for _ in 0..50 {
            if self.url().await.split('?').next() == Some(url) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the browser is at {}, not {url}", self.url().await);
    }

    async fn screenshot(&self, path: &Path) -> usize {
        use base64::Engine as _;
        let v = self.call(reqwest::Method::GET, "/screenshot", None).await;
        let png = base64::engine::general_purpose::STANDARD.decode(v.as_str().unwrap_or_default()).unwrap_or_default();
        std::fs::write(path, &png).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        png.len()
    }

    /// A screenshot of one element (scrolled into view), for people to look at.
    async fn screenshot_of(&self, css: &str, path: &Path) {
        use base64::Engine as _;
        let id = self.find(css).await;
        let v = self.call(reqwest::Method::GET, &format!("/element/{id}/screenshot"), None).await;
        let png = base64::engine::general_purpose::STANDARD.decode(v.as_str().unwrap_or_default()).unwrap_or_default();
        std::fs::write(path, &png).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }

    async fn quit(&self) {
        let _ = self.http.delete(&self.session).send().await;
    }
}

/// The absolute path of a program, for chromedriver's `binary`.
fn which(program: &str) -> String {
    let out = Command::new("sh").arg("-c").arg(format!("command -v {program}")).output();
    out.ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .filter(|p| !p.is_empty())
        .unwrap_or(program.into())
}

async fn sign_in(b: &Browser, base: &str, email: &str) {
    b.goto(&format!("{base}/sign-in")).await;
    b.fill("#email", email).await;
    b.fill("#password", PASSWORD).await;
    b.click("form.sign-in button[type=submit]").await;
    shows(b, &format!("Signed in as {email}"), "signing in").await;
}

async fn sign_out(b: &Browser) {
    b.click("header form[action=\"/sign-out\"] button").await;
    shows(b, "href=\"/sign-in\"", "signing out").await;
}

/// Asserts the page the browser shows contains `text`, giving a navigation
/// that a click started a few seconds to finish.
async fn shows(b: &Browser, text: &str, what: &str) -> String {
    let mut page = String::new();
    for _ in 0..50 {
        page = b.source().await;
        if page.contains(text) {
            return page;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{what}: the page at {} lacks {text:?}:\n{page}", b.url().await);
}

fn screenshots() -> (PathBuf, Option<tempfile::TempDir>) {
    match std::env::var_os("TRIPART_SCREENSHOTS") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
            (dir, None)
        }
        None => {
            let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
            (tmp.path().to_path_buf(), Some(tmp))
        }
    }
}

/// Every cell of a workbook sheet as text, one string.
fn sheet_text(xlsx: &[u8], sheet: &str) -> String {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> =
        Xlsx::new(std::io::Cursor::new(xlsx.to_vec())).unwrap_or_else(|e| panic!("not a workbook: {e}"));
    let range = book.worksheet_range(sheet).unwrap_or_else(|e| panic!("no sheet {sheet}: {e}"));
    range.rows().flat_map(|r| r.iter().map(|c| c.to_string())).collect::<Vec<_>>().join("\n")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_reports_on_its_year_and_slom_returns_then_accepts_the_report_in_a_browser() {
    let Some((chromium, chromedriver)) = browser_or_skip() else { return };
    let app = common::spawn_sqlite_app().await;
    let base = app.base.clone();
    for (email, role, body) in
        [("sec@slom-wg.test", Role::BodySecretariat, "slom-wg"), ("validator@slom.test", Role::Validator, "slom")]
    {
        let grant = Grant::new(role, Some(body.into()), None).unwrap_or_else(|e| panic!("{e}"));
        accounts::create_user(app.db(), &Actor::Operator, email, email, PASSWORD, &[grant])
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let action_title = tripart_storage::read::action(app.db(), ACTION)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("no action {ACTION}"))
        .action
        .title;
    let today = tripart_domain::time::today();
    let year = &today[..4];
    let report = format!("{base}/reports/slom-wg/{year}");
    let profile = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (shots, _keep) = screenshots();
    let evidence = profile.path().join("training-attendance.pdf");
    std::fs::write(&evidence, b"%PDF-1.4\n% attendance list\n").unwrap_or_else(|e| panic!("{e}"));
    let b = Browser::start(chromium, chromedriver, &profile.path().join("chromium")).await;

    // The body's secretariat records two progress updates on its action.
    sign_in(&b, &base, "sec@slom-wg.test").await;
    b.goto(&format!("{base}/actions/{ACTION}")).await;
    b.choose("#u-status", "ongoing").await;
    b.fill("#u-narrative", "Training of trainers held in Phnom Penh.").await;
    b.choose("#o0-kind", "training").await;
    b.fill("#o0-quantity", "2").await;
    b.fill("#o0-title", "Training of trainers on social security").await;
    b.fill("#o0-female", "14").await;
    b.fill("#o0-male", "11").await;
    b.fill("#file-0", &evidence.display().to_string()).await;
    b.screenshot_of("section.record", &shots.join("progress-form.png")).await;
    b.click("form[action$=\"/updates\"] button[type=submit]").await;
    shows(&b, "Your progress update was recorded.", "first update").await;
    let page = shows(&b, "Training of trainers held in Phnom Penh.", "first update").await;
    assert!(page.contains("training-attendance.pdf"), "the evidence file is listed");
    assert!(page.contains("<td class=\"num\">14</td>"), "participants by sex");
    b.fill("#u-narrative", "National consultations on the guidelines started.").await;
    b.fill("#l0-label", "Concept note").await;
    b.fill("#l0-url", "https://example.org/concept-note").await;
    b.click("form[action$=\"/updates\"] button[type=submit]").await;
    shows(&b, "National consultations on the guidelines started.", "second update").await;

    // A meeting that implements the action, with two recommendations.
    b.click(&format!("a[href=\"/meetings/new?action={ACTION}\"]")).await;
    b.arrives(&format!("{base}/meetings/new")).await;
    b.fill("#m-title", "Regional Workshop on Social Security for Informal Workers").await;
    b.choose("#m-kind", "workshop").await;
    b.choose("#m-host", "KHM").await;
    b.fill("#m-city", "Siem Reap").await;
    b.date("#m-start", &today).await;
    b.click("input[name=participants][value=KHM]").await;
    b.click("input[name=participants][value=LAO]").await;
    b.fill("#m-female", "20").await;
    b.fill("#m-male", "18").await;
    b.fill("#d0-label", "Summary report").await;
    b.fill("#d0-url", "https://example.org/summary").await;
    b.fill("#m-recommendations", "1. Map the social security schemes.\n2. Share the results at the next meeting.")
        .await;
    b.screenshot_of("main", &shots.join("meeting-form.png")).await;
    b.click("form[action=\"/meetings/new\"] button[type=submit]").await;
    shows(&b, "The meeting was recorded", "meeting").await;
    let page = shows(&b, "Map the social security schemes.", "meeting").await;
    assert!(page.contains("Share the results at the next meeting."), "the second recommendation");
    assert!(page.contains("href=\"https://example.org/summary\""), "the meeting's documents");

    // The report: opened from the list, its narrative written and saved.
    b.goto(&format!("{base}/reports")).await;
    b.click("form[action=\"/reports/open\"] button[type=submit]").await;
    b.arrives(&report).await;
    b.fill("#area-intro", "SLOM-WG advanced its work on social security.").await;
    b.fill(&format!("textarea[name=\"area:{AREA}\"]"), "Two trainings were held; figures follow.").await;
    b.click("section.area button[form=narratives]").await;
    shows(&b, "The narratives were saved.", "narrative").await;

    // The checklist, every item, saved and submitted.
    b.click(&format!("a[href=\"/checklists/slom-wg/{year}\"]")).await;
    b.arrives(&format!("{base}/checklists/slom-wg/{year}")).await;
    for (key, answer) in [
        ("data-produced", "yes"),
        ("data-products", "3"),
        ("data-sharing", "shared with member states"),
        ("data-gaps", "Informal employment by sector."),
        ("policy-informed", "no"),
        ("practices-modified", "2"),
        ("regional-instrument-stage", "consultation"),
        ("regional-instruments", "Guidelines on social security for informal workers."),
    ] {
        let page = b.source().await;
        if page.contains(&format!("type=\"radio\" name=\"value:{key}\"")) {
            b.click(&format!("input[name=\"value:{key}\"][value=\"{answer}\"]")).await;
        } else if page.contains(&format!("<select id=\"v-{key}\"")) {
            b.choose(&format!("#v-{key}"), answer).await;
        } else {
            b.fill(&format!("#v-{key}"), answer).await;
        }
    }
    b.fill("#c-data-produced", "The informal sector survey.").await;
    b.screenshot_of("main", &shots.join("checklist-form.png")).await;
    b.click("button[name=action][value=submit]").await;
    shows(&b, "The checklist was saved and submitted.", "checklist").await;
    shows(&b, "8/8 answered", "checklist").await;

    // The report is submitted, and the secretariat signs out.
    b.goto(&report).await;
    b.click(&format!("form[action=\"/reports/slom-wg/{year}/submit\"] button")).await;
    shows(&b, "The report was submitted to SLOM.", "submit").await;
    sign_out(&b).await;

    // SLOM returns it with a comment.
    sign_in(&b, &base, "validator@slom.test").await;
    b.goto(&report).await;
    shows(&b, "Two trainings were held; figures follow.", "the validator reads the narrative").await;
    b.fill("#return-comment", "Please give the number of participants by sex.").await;
    b.click(&format!("form[action=\"/reports/slom-wg/{year}/return\"] button")).await;
    shows(&b, "The report was returned to the body with your comment.", "return").await;
    sign_out(&b).await;

    // The secretariat sees the comment, corrects the narrative and resubmits.
    sign_in(&b, &base, "sec@slom-wg.test").await;
    b.goto(&report).await;
    shows(&b, "Please give the number of participants by sex.", "the comment").await;
    b.fill(&format!("textarea[name=\"area:{AREA}\"]"), "Two trainings reached 14 women and 11 men.").await;
    b.click("section.area button[form=narratives]").await;
    shows(&b, "The narratives were saved.", "corrected narrative").await;
    b.click(&format!("form[action=\"/reports/slom-wg/{year}/submit\"] button")).await;
    shows(&b, "The report was submitted to SLOM.", "resubmit").await;
    sign_out(&b).await;

    // SLOM accepts it.
    sign_in(&b, &base, "validator@slom.test").await;
    b.goto(&report).await;
    b.click(&format!("form[action=\"/reports/slom-wg/{year}/accept\"] button")).await;
    shows(&b, "The report was accepted.", "accept").await;
    b.screenshot_of("main", &shots.join("report.png")).await;
    sign_out(&b).await;

    // Accepted, it is public: the PDF and the workbook carry what was written.
    let public = reqwest::Client::new();
    let pdf = public.get(format!("{report}/pdf").replace("/reports/", "/api/v1/reports/")).send().await;
    let pdf = pdf.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pdf.status(), 200, "the PDF");
    let pdf = pdf.bytes().await.unwrap_or_default();
    assert!(pdf.starts_with(b"%PDF"), "a PDF");
    let pdf_path = profile.path().join("report.pdf");
    std::fs::write(&pdf_path, &pdf).unwrap_or_else(|e| panic!("{e}"));
    match Command::new("pdftotext").arg(&pdf_path).arg("-").output() {
        Ok(out) if out.status.success() => {
            let text = String::from_utf8_lossy(&out.stdout).split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(text.contains("Two trainings reached 14 women and 11 men."), "the PDF has the narrative: {text}");
            assert!(text.contains("SLOM-WG advanced its work on social security."), "and the introduction");
        }
        _ if std::env::var_os("TRIPART_REQUIRE_PDF_TOOLS").is_some() => {
            panic!("TRIPART_REQUIRE_PDF_TOOLS is set but pdftotext is not installed (Debian: poppler-utils)")
        }
        _ => eprintln!("NOTE: pdftotext is not installed: the PDF's text was not checked"),
    }
    let xlsx = public.get(format!("{report}/xlsx").replace("/reports/", "/api/v1/reports/")).send().await;
    let xlsx = xlsx.unwrap_or_else(|e| panic!("{e}")).bytes().await.unwrap_or_default();
    let actions = sheet_text(&xlsx, "Actions");
    assert!(actions.contains(&action_title), "the Actions sheet has the action");
    assert!(actions.contains("Two trainings reached 14 women and 11 men."), "and the area's narrative");
    let updates = sheet_text(&xlsx, "Updates");
    assert!(updates.contains("Training of trainers held in Phnom Penh."), "the Updates sheet has the update");

    // The dashboard shows the statuses of the catalogue, with nothing typed in.
    b.goto(&format!("{base}/dashboard")).await;
    for status in ["Completed", "Ongoing", "To be confirmed"] {
        shows(&b, status, "dashboard").await;
    }
    shows(&b, "<svg", "the timeline").await;
    let size = b.screenshot(&shots.join("dashboard.png")).await;
    assert!(size > 20_000, "a screenshot of {size} bytes is too small to be the dashboard");
    b.screenshot_of("div.timeline", &shots.join("dashboard-timeline.png")).await;
    b.quit().await;
    app.stop().await;
}
