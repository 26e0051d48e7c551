//! Renders the annual report and reads the PDF back with poppler's `pdftotext` and `pdfinfo`
//! when they are installed (Debian: poppler-utils). With TRIPART_REQUIRE_PDF_TOOLS=1 their
//! absence fails the tests instead of skipping the text checks.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::{json, Value};
use tripart_pdf::{render, Template};

fn fixture() -> Value {
    serde_json::from_str(include_str!("fixtures/annual_report.json")).unwrap_or_else(|e| panic!("fixture: {e}"))
}

/// Runs a poppler tool on the PDF (given on stdin as `-`), or `None` when it is not installed.
fn poppler(tool: &str, args: &[&str], pdf: &[u8]) -> Option<String> {
    let child = Command::new(tool).args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(_) if std::env::var("TRIPART_REQUIRE_PDF_TOOLS").as_deref() == Ok("1") => {
            panic!("{tool} is required (TRIPART_REQUIRE_PDF_TOOLS=1) but could not be run; install poppler-utils")
        }
        Err(_) => {
            eprintln!("{tool} not found: skipping the checks of the PDF's content");
            return None;
        }
    };
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(pdf).unwrap_or_else(|e| panic!("writing to {tool}: {e}"));
    }
    let output = child.wait_with_output().unwrap_or_else(|e| panic!("running {tool}: {e}"));
    assert!(output.status.success(), "{tool} failed on the rendered PDF");
    Some(String::from_utf8(output.stdout).unwrap_or_else(|e| panic!("{tool} wrote invalid UTF-8: {e}")))
}

/// Text as pdftotext extracts it, with runs of whitespace (line breaks included) made one space.
fn pdf_text(pdf: &[u8]) -> Option<String> {
    let text = poppler("pdftotext", &["-enc", "UTF-8", "-", "-"], pdf)?;
    Some(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn page_count(pdf: &[u8]) -> Option<usize> {
    let info = poppler("pdfinfo", &["-"], pdf)?;
    let line = info.lines().find(|l| l.starts_with("Pages:"))?;
    line.trim_start_matches("Pages:").trim().parse().ok()
}

#[test]
fn annual_report_renders_the_fixture_as_a_pdf() {
    let pdf = render(Template::AnnualReport, &fixture()).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));

    let Some(text) = pdf_text(&pdf) else { return };
    for expected in [
        "SLOM Working Group on Progressive Labour Practices to Enhance the Competitiveness of ASEAN",
        "Labour market information and productivity",
        "Regional guidelines on recognition of prior learning",
        "Hội thảo khu vực về kỹ năng số cho người lao động",
        "Please add the participants by sex for the webinar on labour market indicators.",
        "Accepted by SLOM on 2026-11-20",
        "Did at least eight Member States take part in each activity?",
        "18th Meeting of the SLOM Working Group",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    // Typst markup in a narrative is shown as written, not interpreted.
    let markup = "Markup check: #set text(red) $x^2$ *bold?* _italic?_ <label> @ref [bracket] back\\slash \
                  = heading? - list? + enum? `raw` // comment? /* block */";
    assert!(text.contains(markup), "markup narrative altered in:\n{text}");
    assert!(text.contains("(#budget-2025, $120 per participant, *not* final, _draft_ <pending> @SLOM [see annex]"));
    assert!(!text.contains("Demonstration data"), "no banner unless demonstration is true");

    let pages = page_count(&pdf).unwrap();
    assert!(pages >= 3, "only {pages} pages");
}

#[test]
fn demonstration_data_is_flagged() {
    let mut data = fixture();
    data["demonstration"] = json!(true);
    data["labels"]["demonstration"] = json!("Dữ liệu minh hoạ — không phải số liệu chính thức");
    let pdf = render(Template::AnnualReport, &data).unwrap();
    let Some(text) = pdf_text(&pdf) else { return };
    assert!(text.contains("Dữ liệu minh hoạ — không phải số liệu chính thức"));
}

#[test]
fn empty_lists_and_missing_checklist_say_none_recorded() {
    let mut data = fixture();
    for list in ["areas", "meetings", "history"] {
        data[list] = json!([]);
    }
    data["summary"]["by_status"] = json!([]);
    data["checklist"] = Value::Null;
    data["labels"]["none"] = json!("Nothing to report.");
    let pdf = render(Template::AnnualReport, &data).unwrap();
    let Some(text) = pdf_text(&pdf) else { return };
    assert!(text.matches("Nothing to report.").count() >= 3, "{text}");
    assert!(!text.contains("Output checklist"));
}

#[test]
fn malformed_data_yields_a_pdf_or_an_error_never_a_panic() {
    let odd = [
        json!({}),
        json!(null),
        json!([1, 2, 3]),
        json!("just text"),
        json!({"areas": 5}),
        json!({"areas": [5, null, {"actions": "x"}, {"actions": [{"updates": [7, {"outputs": {}}]}]}]}),
        json!({"summary": {"by_status": [{"count": "many"}, {"count": -3}, {"count": 1e308}, {"count": 1e308}], "participants": []}}),
        json!({"labels": 3, "title": {"nested": true}, "year": [2025], "body": "x", "lang": "not a language"}),
        json!({"checklist": {"groups": [{"answers": [null, 3]}, 4]}, "history": [null, "x"], "meetings": {}}),
        json!({"areas": [{"actions": [{"updates": [{"links": [{"url": ""}, {"url": 5}, {"label": "only"}]}]}]}]}),
    ];
    for data in odd {
        match render(Template::AnnualReport, &data) {
            Ok(pdf) => assert!(pdf.starts_with(b"%PDF-"), "for {data}"),
            Err(err) => assert!(!err.to_string().is_empty(), "for {data}"),
        }
    }
}

fn data_fixture(name: &str) -> Value {
    let text = match name {
        "labour_market" => include_str!("fixtures/labour_market.json"),
        _ => include_str!("fixtures/oshnet_scorecard.json"),
    };
    serde_json::from_str(text).unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

#[test]
fn labour_market_report_shows_the_asean_figure_its_coverage_and_each_state() {
    let pdf = render(Template::LabourMarket, &data_fixture("labour_market")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let Some(text) = pdf_text(&pdf) else { return };
    for expected in [
        "ASEAN report on labour market performance 2024",
        "Contents",
        "Unemployment rate — Age (Youth, adults): 15+",
        "2 of 10 member states",
        "Brunei Darussalam (not reported)",
        "Lao People's Democratic Republic",
        "Time-related underemployment: persons in employment who wanted more hours.",
        "A rate is the ratio of the sums.",
        "LFS (Q4)",
        "Page 2 of",
        "Generated on 2026-12-06",
        "Markup check: #set text(red) $x^2$ *bold?* <label> @ref",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert!(text.contains("1.6"), "the ASEAN figure");
    assert!(!text.contains("Demonstration data"), "no banner unless demonstration is true");
    assert!(page_count(&pdf).unwrap() >= 3);
}

#[test]
fn oshnet_scorecard_shows_levels_with_their_names_and_answers_with_evidence() {
    let pdf = render(Template::OshnetScorecard, &data_fixture("oshnet_scorecard")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let Some(text) = pdf_text(&pdf) else { return };
    for expected in [
        "ASEAN-OSHNET scorecard 2024",
        "No general OSH law",
        "OSH law covering all sectors and workers",
        "OSHA 1994 (amended 2022)",
        "Two institutes; 14 projects in 2024",
        "https://example.org/oshri",
        "Demonstration data — not official figures",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
}

#[test]
fn data_reports_with_malformed_data_yield_a_pdf_or_an_error_never_a_panic() {
    let odd = [
        json!({}),
        json!(null),
        json!({"sections": 5, "summary": "x", "sources": [null, 3]}),
        json!({"sections": [{"panels": [null, 4, {"kind": "number", "rows": [null, {"number": "x"}], "max": 0}]}]}),
        json!({"sections": [{"panels": [{"kind": "number", "rows": [{"number": 1e308, "value": 1}], "max": 1e308}]}]}),
        json!({"sections": [{"panels": [{"kind": "number", "rows": [{"number": -5}], "max": -1, "asean": {"number": 3}}]}]}),
        json!({"sections": [{"panels": [{"kind": "scale", "levels": [{"count": "many"}, null, {"count": -2}], "rows": 3}]}]}),
        json!({"sections": [{"panels": [{"kind": "text", "rows": [{"answer": 5, "evidence": []}]}]}]}),
        json!({"labels": 3, "title": {"nested": true}, "year": [2024], "lang": "not a language", "methods": "x"}),
    ];
    for template in [Template::LabourMarket, Template::OshnetScorecard] {
        for data in &odd {
            match render(template, data) {
                Ok(pdf) => assert!(pdf.starts_with(b"%PDF-"), "for {data}"),
                Err(err) => assert!(!err.to_string().is_empty(), "for {data}"),
            }
        }
    }
}
