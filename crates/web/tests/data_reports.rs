//! The yearly reports on published data, on every backend: labour-market and scorecard values
//! for a few member states imported, validated and published, then the ASEAN report on labour
//! market performance and the ASEAN-OSHNET scorecard read as PDF and as page: the ASEAN figure
//! computed by hand, the states in it and those missing, qualitative items with their level
//! names, a demonstration note, and a year with nothing published.

// A test that fails should fail loudly where it fails: helpers unwrap like the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::TestApp;
use tripart_domain::access::Actor;
use tripart_storage::stats::{import, workflow};

const HEADER: &str = "ref_area,source,indicator,sex,classif1,classif2,time,obs_value,obs_status,note_source,evidence\n";

/// Labour force participation (15+), 2024: Thailand with levels and the rate (and the rate by
/// sex), Indonesia with levels only, Viet Nam with the rate and its denominator only (and
/// labelled demonstration data); Thailand's 2023 rate for the change.
const LABOUR_MARKET: &str = "\
THA,LFS 2024,EAP_TEAP_SEX_AGE_NB,SEX_T,AGE_YTHADULT_YGE15,,2024,40000,,,\n\
THA,LFS 2024,POP_XWAP_SEX_AGE_NB,SEX_T,AGE_YTHADULT_YGE15,,2024,59000,,,\n\
THA,LFS 2024,EAP_DWAP_SEX_AGE_RT,SEX_T,AGE_YTHADULT_YGE15,,2024,67.8,,,\n\
THA,LFS 2024,EAP_DWAP_SEX_AGE_RT,SEX_M,AGE_YTHADULT_YGE15,,2024,76.1,,,\n\
THA,LFS 2024,EAP_DWAP_SEX_AGE_RT,SEX_F,AGE_YTHADULT_YGE15,,2024,60.2,,,\n\
THA,LFS 2023,EAP_DWAP_SEX_AGE_RT,SEX_T,AGE_YTHADULT_YGE15,,2023,67.0,,,\n\
IDN,Sakernas August 2024,EAP_TEAP_SEX_AGE_NB,SEX_T,AGE_YTHADULT_YGE15,,2024,140000,,,\n\
IDN,Sakernas August 2024,POP_XWAP_SEX_AGE_NB,SEX_T,AGE_YTHADULT_YGE15,,2024,210000,,,\n\
VNM,LFS 2024,POP_XWAP_SEX_AGE_NB,SEX_T,AGE_YTHADULT_YGE15,,2024,75000,,DEMONSTRATION data,\n\
VNM,LFS 2024,EAP_DWAP_SEX_AGE_RT,SEX_T,AGE_YTHADULT_YGE15,,2024,70,,DEMONSTRATION data,\n";

/// The scorecard, 2024: inspectors (Thailand, Malaysia), the coverage of OSH legislation on its
/// scale (Thailand level 2, Malaysia level 3) and research capabilities in words.
const SCORECARD: &str = "\
THA,Department of Labour Protection and Welfare,LAI_INSP_SEX_NB,SEX_T,,,2024,1500,,,\n\
MYS,DOSH annual report,LAI_INSP_SEX_NB,SEX_T,,,2024,400,,,\n\
THA,Ministry of Labour,TRP_OSLG_NOC_SC,,,,2024,2,,,OSH Act B.E. 2554\n\
MYS,DOSH,TRP_OSLG_NOC_SC,,,,2024,3,,,OSHA 1994 (amended 2022)\n\
THA,Ministry of Labour,TRP_OSRC_NOC_TX,,,,2024,\"Two OSH research institutes; 14 projects in 2024\",,,https://example.org/oshri\n";

async fn publish(app: &TestApp, csv: &str) {
    let op = Actor::Operator;
    let sub = import::Submission { submit: true, ..Default::default() };
    import::import_file(app.db(), &op, format!("{HEADER}{csv}").as_bytes(), &sub)
        .await
        .unwrap_or_else(|e| panic!("{}: import: {e:?}", app.backend()));
    workflow::validate(app.db(), &op, &Default::default()).await.unwrap();
    workflow::publish(app.db(), &op, "2024 annual data", None).await.unwrap();
}

/// The text of a PDF with runs of whitespace made one space, when poppler's pdftotext is
/// installed (CI installs it; TRIPART_REQUIRE_PDF_TOOLS makes its absence a failure).
fn pdf_text(pdf: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().ok()?;
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, pdf).ok()?;
    match std::process::Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(&path).arg("-").output() {
        Ok(o) if o.status.success() => {
            Some(String::from_utf8_lossy(&o.stdout).split_whitespace().collect::<Vec<_>>().join(" "))
        }
        _ if std::env::var_os("TRIPART_REQUIRE_PDF_TOOLS").is_some() => panic!("pdftotext is required here"),
        _ => {
            eprintln!("NOTE: pdftotext is not installed: the report's text was not checked");
            None
        }
    }
}

async fn pdf(app: &TestApp, path: &str) -> Vec<u8> {
    let r = app.get(path).await;
    assert_eq!(r.status(), 200, "{}: {path}", app.backend());
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let bytes = r.bytes().await.unwrap().to_vec();
    assert!(bytes.starts_with(b"%PDF-"), "{}: {path} is not a PDF", app.backend());
    bytes
}

/// What both the PDF and the page must say, whitespace normalised.
fn assert_says(where_: &str, text: &str, expected: &[&str]) {
    for e in expected {
        assert!(text.contains(e), "{where_}: missing {e:?} in:\n{text}");
    }
}

#[tokio::test]
async fn the_labour_market_report_gives_the_asean_figure_its_coverage_and_each_state() {
    for app in common::spawn_apps().await {
        let b = app.backend();
        publish(&app, LABOUR_MARKET).await;
        // By hand: (40,000 + 70% × 75,000 + 140,000) / (59,000 + 75,000 + 210,000)
        //        = 232,500 / 344,000 = 67.587…%, shown as 67.6.
        let expected = [
            "ASEAN report on labour market performance 2024",
            "67.6",
            "3 of 11 member states",
            "Indonesia",
            "Thailand",
            "Viet Nam",
            "Brunei Darussalam (not reported)",
            "Singapore (not reported)",
            "Sakernas August 2024",
            "+0.8",
            "76.1",
            "60.2",
            "Demonstration data",
            "weighted by",
        ];

        let bytes = pdf(&app, "/api/v1/data/reports/labour-market/2024.pdf").await;
        if let Some(text) = pdf_text(&bytes) {
            assert_says(&format!("{b} PDF"), &text, &expected);
            assert!(text.contains("Page 2 of"), "{b}: page numbers");
        }

        let (s, html) = app.text("/data/reports/labour-market/2024").await;
        assert_eq!(s, 200, "{b}: {html}");
        let html = html.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_says(&format!("{b} page"), &html, &expected);
        assert!(html.contains("href=\"/api/v1/data/reports/labour-market/2024.pdf\""), "{b}: link to the PDF");
        app.stop().await;
    }
}

#[tokio::test]
async fn the_oshnet_scorecard_shows_levels_by_name_answers_with_evidence_and_sums() {
    for app in common::spawn_apps().await {
        let b = app.backend();
        publish(&app, SCORECARD).await;
        let expected = [
            "ASEAN-OSHNET scorecard 2024",
            // Inspectors add up: 1,500 + 400.
            "1,900",
            "2 of 11 member states",
            "Malaysia",
            "Thailand",
            "Cambodia (not reported)",
            // The scale's levels by name, those nobody is at included.
            "No general OSH law",
            "OSH law covering some sectors",
            "OSH law covering most sectors",
            "OSH law covering all sectors and workers",
            "OSHA 1994 (amended 2022)",
            "Two OSH research institutes; 14 projects in 2024",
            "https://example.org/oshri",
        ];
        let bytes = pdf(&app, "/api/v1/data/reports/oshnet-scorecard/2024.pdf").await;
        if let Some(text) = pdf_text(&bytes) {
            assert_says(&format!("{b} PDF"), &text, &expected);
            assert!(!text.contains("Demonstration data"), "{b}: no demonstration note without demonstration data");
        }
        let (s, html) = app.text("/data/reports/oshnet-scorecard/2024").await;
        assert_eq!(s, 200, "{b}: {html}");
        let html = html.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_says(&format!("{b} page"), &html, &expected);
        app.stop().await;
    }
}

#[tokio::test]
async fn a_year_with_nothing_published_says_so_and_a_bad_year_is_refused() {
    let app = common::spawn_sqlite_app().await;
    // Submitted but not published: the public reports do not show it.
    let sub = import::Submission { submit: true, ..Default::default() };
    import::import_file(app.db(), &Actor::Operator, format!("{HEADER}{LABOUR_MARKET}").as_bytes(), &sub).await.unwrap();
    for kind in ["labour-market", "oshnet-scorecard"] {
        let (s, html) = app.text(&format!("/data/reports/{kind}/2024")).await;
        assert_eq!(s, 200, "{kind}");
        assert!(html.contains("Nothing has been published for 2024 yet"), "{kind}: {html}");
        assert!(!html.contains("67.6"), "{kind}: unpublished values shown");
        let bytes = pdf(&app, &format!("/api/v1/data/reports/{kind}/2024.pdf")).await;
        if let Some(text) = pdf_text(&bytes) {
            assert!(text.contains("No data have been published for this year."), "{kind}: {text}");
        }
        let (s, body) = app.json(&format!("/api/v1/data/reports/{kind}/twenty.pdf")).await;
        assert_eq!(s, 400, "{kind}: {body}");
        assert_eq!(body["parameter"], "year", "{kind}: {body}");
        assert_eq!(app.get(&format!("/api/v1/data/reports/{kind}/99999.pdf")).await.status(), 400);
        assert_eq!(app.get(&format!("/data/reports/{kind}/twenty")).await.status(), 404);
    }
    app.stop().await;
}
