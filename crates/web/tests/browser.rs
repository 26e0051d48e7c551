//! The pages in a real browser: headless Chromium renders them from the running
//! server. Skipped, saying so, where Chromium is not installed, unless
//! TRIPART_REQUIRE_BROWSER is set (as .ci/run does), in which case it must run.

mod common;

use std::process::Command;

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| Command::new(b).arg("--version").output().is_ok_and(|o| o.status.success()))
}

fn browser_or_skip() -> Option<&'static str> {
    match chromium() {
        Some(b) => Some(b),
        None if std::env::var_os("TRIPART_REQUIRE_BROWSER").is_some() => {
            panic!("TRIPART_REQUIRE_BROWSER is set but no Chromium is installed")
        }
        None => {
            eprintln!("NOTE: Chromium is not installed: the browser test was SKIPPED");
            None
        }
    }
}

/// Runs headless Chromium with the flags this closed network needs.
fn headless(browser: &str, profile: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            &format!("--user-data-dir={}", profile.display()),
        ])
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {browser}: {e}"))
}

#[tokio::test]
async fn a_browser_renders_the_catalogue_pages() {
    let Some(browser) = browser_or_skip() else { return };
    let app = common::spawn_sqlite_app().await;
    let profile = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let base = app.base.clone();
    let pages = [
        ("/", "ASEAN labour cooperation"),
        ("/programmes/slom-wg-wp-2011-2015", "Labour Statistics"),
        ("/meetings/afml-5", "Siem Reap"),
        ("/ratifications?as_of=2013-11-01", "Denounced"),
        ("/member-states/VNM", "Viet Nam"),
        ("/indicators", "EAP_DWAP_SEX_AGE_RT"),
    ];
    for (path, expected) in pages {
        let url = format!("{base}{path}");
        let (browser, dir) = (browser.to_string(), profile.path().to_path_buf());
        let out = tokio::task::spawn_blocking(move || headless(&browser, &dir, &["--dump-dom", &url]))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let dom = String::from_utf8_lossy(&out.stdout);
        assert!(
            dom.contains(expected),
            "{path}: the rendered page lacks {expected:?}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(dom.contains("<main id=\"main\">"), "{path}: landmark missing");
    }
    // A screenshot of the ratification matrix: a real rendering, not an empty page.
    let shot = profile.path().join("matrix.png");
    let url = format!("{base}/ratifications?as_of=2013-11-01");
    let (b, dir, shot2) = (browser.to_string(), profile.path().to_path_buf(), shot.clone());
    tokio::task::spawn_blocking(move || {
        headless(&b, &dir, &[&format!("--screenshot={}", shot2.display()), "--window-size=1280,1400", &url])
    })
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let size = std::fs::metadata(&shot).map(|m| m.len()).unwrap_or(0);
    assert!(size > 20_000, "screenshot of {size} bytes is too small to be the matrix");
    app.stop().await;
}
