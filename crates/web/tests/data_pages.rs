//! The public data pages over HTTP on every backend: data imported, validated and published
//! as the Secretariat does it, then each page read as the public reads it. The ASEAN figure on
//! the indicator page is the one computed here by hand; a draft never shows; bad parameters are
//! 400s and unknown codes 404s; the charts are well-formed SVG holding the data; the SDMX-CSV and
//! Excel downloads read back through the importer. One real-browser check at the end.

// A test that fails should fail loudly where it fails: helpers unwrap like the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::TestApp;
use serde_json::{json, Value};
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use tripart_domain::access::Actor;
use tripart_storage::stats::{import, workflow};

const IND: &str = "UNE_DEAP_SEX_AGE_RT";
const T: &str = "SEX_T";
const Y15: &str = "AGE_YTHADULT_YGE15";

/// Unemployment in three states, and the scorecard items of two. ASEAN 2024 unemployment:
/// (400 + 1,100 + 7,000) / (40,000 + 55,000 + 140,000) = 8,500 / 235,000 = 3.617% → "3.6".
const PUBLISHED: &str = "\
ref_area,indicator,sex,classif1,classif2,time,obs_value,obs_status,source,evidence
THA,UNE_TUNE_SEX_AGE_NB,SEX_T,AGE_YTHADULT_YGE15,,2024,400,,LFS,
THA,EAP_TEAP_SEX_AGE_NB,SEX_T,AGE_YTHADULT_YGE15,,2024,40000,,LFS,
THA,UNE_DEAP_SEX_AGE_RT,SEX_T,AGE_YTHADULT_YGE15,,2024,1.0,,LFS,
THA,UNE_TUNE_SEX_AGE_NB,SEX_T,AGE_YTHADULT_YGE15,,2023,480,,LFS,
THA,EAP_TEAP_SEX_AGE_NB,SEX_T,AGE_YTHADULT_YGE15,,2023,40000,,LFS,
THA,UNE_DEAP_SEX_AGE_RT,SEX_T,AGE_YTHADULT_YGE15,,2023,1.2,,LFS,
THA,UNE_DEAP_SEX_AGE_RT,SEX_T,AGE_YTHADULT_YGE15,,2019,0.7,P,LFS,
VNM,UNE_TUNE_SEX_AGE_NB,SEX_T,AGE_YTHADULT_YGE15,,2024,1100,,LFS,
VNM,EAP_TEAP_SEX_AGE_NB,SEX_T,AGE_YTHADULT_YGE15,,2024,55000,,LFS,
VNM,UNE_DEAP_SEX_AGE_RT,SEX_T,AGE_YTHADULT_YGE15,,2024,2.0,,LFS,
IDN,UNE_TUNE_SEX_AGE_NB,SEX_T,AGE_YTHADULT_YGE15,,2024,7000,,Sakernas,
IDN,EAP_TEAP_SEX_AGE_NB,SEX_T,AGE_YTHADULT_YGE15,,2024,140000,,Sakernas,
IDN,UNE_DEAP_SEX_AGE_RT,SEX_T,AGE_YTHADULT_YGE15,,2024,5.0,,Sakernas,
THA,TRP_OSLG_NOC_SC,,,,2024,3,,,Occupational Safety Act B.E. 2554
VNM,TRP_OSLG_NOC_SC,,,,2024,2,,,Law on OSH 2015
THA,TRP_OSRC_NOC_TX,,,,2024,Two university OSH centres & 14 projects,,,Annual report <2024>
";

/// A draft that nobody validated: the public must never see it.
const DRAFT: &str = "\
ref_area,indicator,sex,classif1,classif2,time,obs_value
MYS,UNE_DEAP_SEX_AGE_RT,SEX_T,AGE_YTHADULT_YGE15,,2024,9.87
";

async fn publish(app: &TestApp) {
    let db = app.db();
    let sub = import::Submission { submit: true, ..Default::default() };
    import::import_file(db, &Actor::Operator, PUBLISHED.as_bytes(), &sub).await.unwrap();
    workflow::validate(db, &Actor::Operator, &workflow::Selection::default()).await.unwrap();
    workflow::publish(db, &Actor::Operator, "2024 annual data", None).await.unwrap().unwrap();
    import::import_file(db, &Actor::Operator, DRAFT.as_bytes(), &import::Submission::default()).await.unwrap();
}

/// The `<svg>…</svg>` elements of a page.
fn svgs(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<svg") {
        let Some(len) = rest[start..].find("</svg>") else { break };
        out.push(&rest[start..start + len + 6]);
        rest = &rest[start + len + 6..];
    }
    out
}

/// A quick well-formedness check: every tag closes in order, attributes are quoted, and text
/// holds no raw `<` or stray `&`.
fn well_formed(xml: &str) -> Result<(), String> {
    let xml = xml.strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n").unwrap_or(xml);
    let mut stack: Vec<String> = Vec::new();
    let mut rest = xml;
    let check_text = |t: &str| -> Result<(), String> {
        for (i, _) in t.match_indices('&') {
            let entity = &t[i..t.len().min(i + 8)];
            if !["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"].iter().any(|e| entity.starts_with(e)) {
                return Err(format!("stray & in {:?}", &t[i..t.len().min(i + 20)]));
            }
        }
        Ok(())
    };
    while let Some(open) = rest.find('<') {
        check_text(&rest[..open])?;
        let close = rest[open..].find('>').ok_or("unclosed tag")? + open;
        let tag = &rest[open + 1..close];
        if tag.contains('<') {
            return Err(format!("< inside a tag: {tag}"));
        }
        if let Some(name) = tag.strip_prefix('/') {
            let top = stack.pop().ok_or(format!("</{name}> closes nothing"))?;
            if top != name {
                return Err(format!("</{name}> closes <{top}>"));
            }
        } else {
            let name = tag.split([' ', '/']).next().unwrap_or_default().to_string();
            if !tag.matches('"').count().is_multiple_of(2) {
                return Err(format!("unbalanced quotes in <{tag}>"));
            }
            check_text(tag)?;
            if !tag.ends_with('/') {
                stack.push(name);
            }
        }
        rest = &rest[close + 1..];
    }
    check_text(rest)?;
    if stack.is_empty() {
        Ok(())
    } else {
        Err(format!("unclosed {stack:?}"))
    }
}

async fn bytes(app: &TestApp, path: &str) -> (u16, String, Vec<u8>) {
    let r = app.get(path).await;
    let status = r.status().as_u16();
    let kind = r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    (status, kind, r.bytes().await.unwrap().to_vec())
}

#[tokio::test]
async fn the_public_reads_published_data_with_charts_the_asean_figure_and_downloads() {
    for app in common::spawn_apps().await {
        let b = app.backend();
        publish(&app).await;

        // What is published, by group, with the latest ASEAN figure and its coverage.
        let (s, page) = app.text("/data").await;
        assert_eq!(s, 200, "{b}: {page}");
        for expected in [
            "href=\"/data/indicators/UNE_DEAP_SEX_AGE_RT\"",
            "Labour market (LMIS common indicators)",
            "3.6",
            "3 of 11 member states",
            "ratio of the sums",
            "EAP_DWAP_RT",
            "thousands of persons",
            "href=\"/data\" aria-current=\"page\"",
        ] {
            assert!(page.contains(expected), "{b}: /data lacks {expected}");
        }

        // The indicator page: the hand-computed ASEAN figure, coverage in words, the charts.
        let path = format!("/data/indicators/{IND}");
        let (s, page) = app.text(&path).await;
        assert_eq!(s, 200, "{b}: {page}");
        assert!(page.contains("<p class=\"num asean-value\">3.6</p>"), "{b}: the ASEAN figure 8,500 / 235,000");
        assert!(page.contains("3 of 11 member states; missing: Brunei Darussalam (not reported)"), "{b}");
        assert!(page.contains("the sum of the numerators over the sum of the denominators"), "{b}");
        assert!(!page.contains("9.87"), "{b}: a draft is not published");
        assert!(page.contains("0.7 (P)"), "{b}: the status flag in the table");
        let charts = svgs(&page);
        assert_eq!(charts.len(), 4, "{b}: line, ranking, map, small multiples");
        for svg in &charts {
            well_formed(svg).unwrap_or_else(|e| panic!("{b}: {e}\n{svg}"));
            assert!(svg.contains("<title id=") && svg.contains("<desc id="), "{b}: a text alternative");
        }
        assert!(charts[0].contains("Thailand") && charts[0].contains("2024 1.0") && charts[0].contains("ASEAN"));
        assert!(charts[1].contains("Indonesia: 5.0") && charts[1].contains("ASEAN: 3.6"), "{b}: the ranking");
        assert!(
            charts[2].contains("Viet Nam: 2.0") && charts[2].contains("Brunei Darussalam: No data"),
            "{b}: the map"
        );
        assert!(charts[3].contains("No data"), "{b}: a state without data in the small multiples");
        // Benchmarking: lower unemployment is better, so Thailand leads; Indonesia is 4 points
        // behind it and 1.4 above ASEAN (5.0 − 3.617); Thailand fell 0.2 since 2023 and rose
        // 0.3 since 2019.
        let bench = page.split("id=\"bench\"").nth(1).unwrap_or_default();
        let thailand = bench.split("Thailand").nth(1).unwrap_or_default();
        assert!(thailand.starts_with("</a></th><td class=\"num\">1.0</td><td class=\"num\">0.0</td><td class=\"num\">-2.6</td><td class=\"num\">-0.2</td><td class=\"num\">+0.3</td>"), "{b}: {thailand}");
        let indonesia = bench.split("Indonesia").nth(1).unwrap_or_default();
        assert!(
            indonesia.starts_with(
                "</a></th><td class=\"num\">5.0</td><td class=\"num\">+4.0</td><td class=\"num\">+1.4</td>"
            ),
            "{b}: {indonesia}"
        );
        assert!(page.contains("<caption>"), "{b}: tables have captions");
        for format in ["csv", "xlsx", "sdmx-csv"] {
            assert!(
                page.contains(&format!(
                    "/api/v1/data?indicator={IND}&#38;sex=SEX_T&#38;classif1={Y15}&#38;format={format}"
                )),
                "{b}: the {format} link"
            );
        }
        // The page is small: no script, and it fits a slow connection.
        assert!(!page.contains("<script"), "{b}");
        assert!(page.len() < 150_000, "{b}: {} bytes", page.len());

        // Another breakdown and period, chosen by the form's parameters.
        let (s, page) = app.text(&format!("{path}?sex=SEX_T&classif1={Y15}&classif2=&time=2023")).await;
        assert_eq!(s, 200, "{b}");
        assert!(page.contains("ASEAN figure, 2023"), "{b}");
        let (s, page) = app.text(&format!("{path}?sex=SEX_F")).await;
        assert_eq!(s, 200, "{b}");
        assert!(page.contains("Nothing has been published"), "{b}: no women's figures were published");

        // Bad parameters and unknown codes.
        for bad in [
            format!("{path}?sex=SEX_Q"),
            format!("{path}?sex=ECO_SECTOR_AGR"),
            format!("{path}?classif2=AGE_YTHADULT_Y15-24"),
            format!("{path}?time=20x4"),
            format!("{path}?colour=red"),
            "/data/scorecard?year=abc".to_string(),
            "/data/scorecard?year=1200".to_string(),
        ] {
            let (s, _) = app.text(&bad).await;
            assert_eq!(s, 400, "{b}: {bad}");
        }
        for missing in [
            "/data/indicators/NOPE",
            "/data/indicators/XYZ_ABCD_SEX_RT",
            "/data/countries/XXX",
            "/data/countries/X84",
            "/data/indicators/UNE_DEAP_SEX_AGE_RT/charts/pie.svg",
        ] {
            let (s, _) = app.text(missing).await;
            assert_eq!(s, 404, "{b}: {missing}");
        }

        // A chart on its own, to download.
        let (s, kind, svg) = bytes(&app, &format!("{path}/charts/map.svg")).await;
        assert_eq!((s, kind.as_str()), (200, "image/svg+xml; charset=utf-8"), "{b}");
        let svg = String::from_utf8(svg).unwrap();
        well_formed(&svg).unwrap_or_else(|e| panic!("{b}: {e}"));
        assert!(svg.contains("Indonesia: 5.0"), "{b}");

        // A member state's profile.
        let (s, page) = app.text("/data/countries/THA").await;
        assert_eq!(s, 200, "{b}: {page}");
        for expected in [
            "1.0",
            "3.6",
            "1 of 3",
            "class=\"sparkline\"",
            "2019: 0.7; 2023: 1.2; 2024: 1.0",
            "3: OSH law covering all sectors and workers",
            "Occupational Safety Act B.E. 2554",
            "Two university OSH centres &#38; 14 projects",
            "Annual report &#60;2024&#62;",
        ] {
            assert!(page.contains(expected), "{b}: /data/countries/THA lacks {expected}");
        }
        for svg in svgs(&page) {
            well_formed(svg).unwrap_or_else(|e| panic!("{b}: {e}"));
        }

        // The scorecard: levels with their names and how many states stand at each.
        let (s, page) = app.text("/data/scorecard").await;
        assert_eq!(s, 200, "{b}: {page}");
        for expected in [
            "<th scope=\"row\">3: OSH law covering all sectors and workers</th><td class=\"num\">1</td>",
            "<th scope=\"row\">2: OSH law covering most sectors</th><td class=\"num\">1</td>",
            "<th scope=\"row\">0: No general OSH law</th><td class=\"num\">0</td>",
            "Law on OSH 2015",
            "Two university OSH centres &#38; 14 projects",
            "Inspectors per 10&#39;000 employed persons",
        ] {
            assert!(page.contains(expected), "{b}: the scorecard lacks {expected}");
        }
        let (s, page) = app.text("/data/scorecard?year=2019").await;
        assert_eq!(s, 200, "{b}");
        assert!(page.contains("option value=\"2024\""), "{b}");

        // Downloads read back through the importer: member states' rows as submitted data,
        // and the ASEAN rows (computed, never submitted) as rows of the right format.
        let reg = tripart_stats::Registry::get();
        let members: Vec<String> = tripart_storage::stats::member_states(app.db()).await.unwrap();
        let query = format!("/api/v1/data?indicator={IND}&ref_area=THA,VNM,IDN&sex={T}&classif1={Y15}");
        let (s, kind, sdmx) = bytes(&app, &format!("{query}&format=sdmx-csv")).await;
        assert_eq!(s, 200, "{b}: {}", String::from_utf8_lossy(&sdmx));
        assert!(kind.starts_with("application/vnd.sdmx.data+csv"), "{b}: {kind}");
        let text = String::from_utf8(sdmx.clone()).unwrap();
        assert!(
            text.starts_with(
                "STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,FREQ,MEASURE,SEX,AGE,TIME_PERIOD,OBS_VALUE,OBS_STATUS"
            ),
            "{b}: {text}"
        );
        assert!(
            text.contains(
                "dataflow,ILO:DF_UNE_DEAP_SEX_AGE_RT(1.0),I,THA,A,UNE_DEAP_RT,SEX_T,AGE_YTHADULT_YGE15,2024,1,"
            ),
            "{b}: {text}"
        );
        let parsed = tripart_stats::formats::read(&sdmx, reg, &members).unwrap_or_else(|p| panic!("{b}: {p:?}"));
        assert_eq!(parsed.format, tripart_stats::formats::Format::SdmxCsv);
        assert_eq!(parsed.observations.len(), 5, "{b}: THA 2019, 2023, 2024, VNM and IDN 2024");
        assert!(parsed
            .observations
            .iter()
            .any(|o| o.key.ref_area == "THA" && o.key.time == "2019" && o.status.as_deref() == Some("P")));
        let (_, _, with_asean) =
            bytes(&app, &format!("/api/v1/data?indicator={IND}&ref_area=X84&sex={T}&classif1={Y15}&format=sdmx-csv"))
                .await;
        let (format, raws) = tripart_stats::formats::raw_rows(&with_asean, reg).unwrap();
        assert_eq!(format, tripart_stats::formats::Format::SdmxCsv);
        let asean = raws.iter().find(|r| r.time == "2024").unwrap();
        assert_eq!(asean.ref_area, "X84");
        assert!((asean.obs_value.parse::<f64>().unwrap() - 100.0 * 8500.0 / 235000.0).abs() < 1e-9, "{b}");

        let (s, kind, xlsx) = bytes(&app, &format!("{query}&format=xlsx")).await;
        assert_eq!(s, 200, "{b}");
        assert!(kind.starts_with("application/vnd.openxmlformats"), "{b}: {kind}");
        let parsed = tripart_stats::formats::read(&xlsx, reg, &members).unwrap_or_else(|p| panic!("{b}: {p:?}"));
        assert_eq!(parsed.observations.len(), 5, "{b}");
        let (s, _, csv) = bytes(&app, &format!("{query}&format=csv")).await;
        assert_eq!(s, 200, "{b}");
        assert_eq!(tripart_stats::formats::read(&csv, reg, &members).unwrap().observations.len(), 5, "{b}");
        let (s, body) = app.json(&format!("{query}&format=pdf")).await;
        assert_eq!((s, body["parameter"].clone()), (400, json!("format")), "{b}");

        app.stop().await;
    }
}

#[tokio::test]
async fn the_data_pages_work_with_nothing_published() {
    for app in common::spawn_apps().await {
        let b = app.backend();
        for path in ["/data", "/data/indicators/EIP_NEET_SEX_AGE_RT", "/data/countries/LAO", "/data/scorecard"] {
            let (s, page) = app.text(path).await;
            assert_eq!(s, 200, "{b}: {path}: {page}");
        }
        let (_, page) = app.text("/data/indicators/EIP_NEET_SEX_AGE_RT").await;
        assert!(page.contains("Nothing has been published"), "{b}");
        let (s, _) = app.text("/data/indicators/EIP_NEET_SEX_AGE_RT/charts/line.svg").await;
        assert_eq!(s, 404, "{b}: no chart without data");
        app.stop().await;
    }
}

// ---------------------------------------------------------------------------------------------
// In a real browser: headless Chromium driven through chromedriver, as tests/e2e.rs does.

fn installed(candidates: &[&'static str]) -> Option<&'static str> {
    candidates.iter().copied().find(|b| Command::new(b).arg("--version").output().is_ok_and(|o| o.status.success()))
}

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn a_browser_shows_an_indicator_s_chart_and_table() {
    let (chromium, chromedriver) =
        match (installed(&["chromium", "chromium-browser", "google-chrome"]), installed(&["chromedriver"])) {
            (Some(c), Some(d)) => (c, d),
            _ if std::env::var_os("TRIPART_REQUIRE_BROWSER").is_some() => {
                panic!("TRIPART_REQUIRE_BROWSER is set but Chromium or chromedriver is not installed")
            }
            _ => {
                eprintln!("NOTE: Chromium or chromedriver is not installed: the data-page browser test was SKIPPED");
                return;
            }
        };
    let app = common::spawn_sqlite_app().await;
    publish(&app).await;
    let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).unwrap().port();
    let _driver = Driver(
        Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let http = reqwest::Client::new();
    let root = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        if let Ok(r) = http.get(format!("{root}/status")).send().await {
            if r.json::<Value>().await.is_ok_and(|v| v["value"]["ready"] == true) {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let profile = tempfile::tempdir().unwrap();
    let binary = Command::new("sh").arg("-c").arg(format!("command -v {chromium}")).output().unwrap();
    let capabilities = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
        "binary": String::from_utf8_lossy(&binary.stdout).trim(),
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", format!("--user-data-dir={}", profile.path().display())]
    }}}});
    let v: Value = http.post(format!("{root}/session")).json(&capabilities).send().await.unwrap().json().await.unwrap();
    let session = format!("{root}/session/{}", v["value"]["sessionId"].as_str().expect("a WebDriver session"));
    let url = app.url(&format!("/data/indicators/{IND}"));
    http.post(format!("{session}/url")).json(&json!({ "url": url })).send().await.unwrap();
    for css in ["figure.chart svg.line title", "figure.chart svg.map", "table#table caption", "table#bench tbody tr"] {
        let r: Value = http
            .post(format!("{session}/element"))
            .json(&json!({"using": "css selector", "value": css}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(r["value"].get("element-6066-11e4-a52e-4f735466cecf").is_some(), "no {css}: {r}");
    }
    let source: Value = http.get(format!("{session}/source")).send().await.unwrap().json().await.unwrap();
    assert!(source["value"].as_str().unwrap_or_default().contains("3.6"), "the ASEAN figure is rendered");
    let _ = http.delete(&session).send().await;
    app.stop().await;
}
