//! The read API, black-box over HTTP, on every backend: the OpenAPI document matches
//! what the server does, lists page with `next`, bad input gets a 400 that names the
//! parameter, unknown records a 404, and nothing panics.

mod common;

use common::schema::validate;
use serde_json::Value;

/// A real record for each path parameter, by path and name.
fn sample_path(path: &str) -> String {
    let sample = match path {
        p if p.starts_with("/api/v1/member-states/") => "VNM",
        p if p.starts_with("/api/v1/bodies/") => "slom-wg",
        p if p.starts_with("/api/v1/partners/") => "ilo",
        p if p.starts_with("/api/v1/programmes/") => "slom-wg-wp-2011-2015",
        p if p.starts_with("/api/v1/actions/") => "slom-wg-wp-2011-2015.7.2",
        p if p.starts_with("/api/v1/meetings/") => "afml-5",
        p if p.starts_with("/api/v1/recommendations/") => "afml-5.2",
        p if p.starts_with("/api/v1/conventions/") => "C087",
        p if p.starts_with("/api/v1/indicators/") => "lmis-lfpr",
        p if p.starts_with("/api/v1/instruments/") => "cebu-declaration-2007",
        p if p.starts_with("/api/v1/reviews/") => REVIEW,
        p if p.starts_with("/api/v1/cycles/") => CYCLE,
        p if p.starts_with("/api/v1/themes/") => THEME,
        p if p.starts_with("/api/v1/checklist-templates/") => "output-checklist-v1",
        _ => "x",
    };
    let mut out = path.to_string();
    while let (Some(start), Some(end)) = (out.find('{'), out.find('}')) {
        let value = match &out[start + 1..end] {
            "body" => "slom-wg",
            "year" => "2012",
            _ => sample,
        };
        out = format!("{}{}{}", &out[..start], value, &out[end + 1..]);
    }
    out
}

/// A review and a reporting cycle opened before the documented paths are walked,
/// so that their paths have records.
const REVIEW: &str = "alm-wp-2016-2020.mid_term";
const CYCLE: &str = "afml-5-cycle-1";
const THEME: &str = "recruitment-costs";

/// A valid value for each documented query parameter.
fn sample_param(name: &str) -> &'static str {
    match name {
        "limit" => "5",
        "offset" => "0",
        "year" => "2012",
        "as_of" | "from" | "to" => "2013-11-01",
        "member_state" => "VNM",
        "body" => "slom-wg",
        "programme" => "slom-wg-wp-2011-2015",
        "partner" => "ilo",
        "thematic_area" => "slom-wg-wp-2011-2015.ta-8",
        "status" => "completed",
        "kind" => "workshop",
        "meeting" => "afml-5",
        "action" => "slom-wg-wp-2011-2015.8.1",
        "series" => "afml",
        "category" => "fundamental",
        "convention" => "C087",
        "event" => "ratified",
        "set" => "lmis-common",
        "q" => "migrant",
        "stale_days" => "90",
        "since" => "2013-11-01",
        "indicator" => "UNE_DEAP_SEX_AGE_RT",
        "ref_area" => "X84,THA",
        "sex" => "SEX_T",
        "classif1" => "AGE_YTHADULT_YGE15",
        "classif2" => "GEO_COV_NAT",
        "time" | "time_from" | "time_to" => "2024",
        "vintage" => "1",
        "edition" => "published",
        "format" => "json",
        _ => "x",
    }
}

/// The value of a required query parameter on a path.
fn required_value(path: &str, name: &str) -> &'static str {
    match (path, name) {
        ("/api/v1/data/vintages/compare", "from" | "to") => "1",
        _ => sample_param(name),
    }
}

fn response_schema<'a>(doc: &'a Value, path: &str, status: &str) -> &'a Value {
    &doc["paths"][path]["get"]["responses"][status]["content"]["application/json"]["schema"]
}

#[tokio::test]
async fn every_documented_path_answers_as_the_openapi_document_says() {
    for app in common::spawn_apps().await {
        let (status, doc) = app.json("/api/v1/openapi.json").await;
        assert_eq!(status, 200);
        let paths = doc["paths"].as_object().unwrap_or_else(|| panic!("no paths"));
        assert!(paths.len() >= 27, "{} paths documented", paths.len());
        tripart_storage::monitoring::reviews::open_review(
            app.db(),
            &tripart_domain::access::Actor::Operator,
            "alm-wp-2016-2020",
            tripart_domain::monitoring::ReviewKind::MidTerm,
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        let cycle = tripart_storage::followup::open_cycle(
            app.db(),
            &tripart_domain::access::Actor::Operator,
            &tripart_storage::followup::NewCycle { meeting: "afml-5".into(), ..Default::default() },
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(cycle, CYCLE);
        let theme = tripart_storage::followup::create_theme(
            app.db(),
            &tripart_domain::access::Actor::Operator,
            "Recruitment costs",
            None,
            &["afml-4.1".to_string(), "afml-5.2".to_string()],
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(theme, THEME);
        // Published data, so that the data paths answer with rows (an ASEAN one included).
        let csv = "ref_area,source,indicator,sex,classif1,classif2,time,obs_value,obs_status\n\
                   THA,LFS,UNE_DEAP_SEX_AGE_RT,SEX_T,AGE_YTHADULT_YGE15,,2024,1.0,P\n\
                   THA,LFS,EAP_TEAP_SEX_AGE_NB,SEX_T,AGE_YTHADULT_YGE15,,2024,40000,\n";
        let op = tripart_domain::access::Actor::Operator;
        let sub = tripart_storage::stats::import::Submission { submit: true, ..Default::default() };
        tripart_storage::stats::import::import_file(app.db(), &op, csv.as_bytes(), &sub)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        tripart_storage::stats::workflow::validate(app.db(), &op, &Default::default())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        tripart_storage::stats::workflow::publish(app.db(), &op, "test", None).await.unwrap_or_else(|e| panic!("{e}"));
        let mut errors = Vec::new();
        for (path, item) in paths {
            if item.get("get").is_none() {
                continue; // writes are covered by tests/accounts.rs and tests/monitoring_api.rs
            }
            if item["get"]["responses"]["200"]["content"].get("application/json").is_none() {
                continue; // files (PDF, Excel, CSV, SVG, text): tests/monitoring_api.rs opens them
            }
            // Required query parameters are part of the path's address.
            let required: Vec<String> = item["get"]["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|p| p["in"] == "query" && p["required"] == true)
                .map(|p| {
                    let name = p["name"].as_str().unwrap_or_default();
                    format!("{name}={}", required_value(path, name))
                })
                .collect();
            let url = if required.is_empty() {
                sample_path(path)
            } else {
                format!("{}?{}", sample_path(path), required.join("&"))
            };
            let sep = if required.is_empty() { '?' } else { '&' };
            let (status, body) = app.json(&url).await;
            if status == 401 && item["get"]["responses"].get("401").is_some() {
                // Documented as needing an account: the public gets the documented 401.
                validate(&doc, response_schema(&doc, path, "401"), &body, &url, &mut errors);
                continue;
            }
            if status != 200 {
                errors.push(format!("{url}: status {status}: {body}"));
                continue;
            }
            validate(&doc, response_schema(&doc, path, "200"), &body, &url, &mut errors);
            // Every documented query parameter is accepted with a valid value.
            for p in item["get"]["parameters"].as_array().into_iter().flatten() {
                if p["in"] != "query" {
                    continue;
                }
                let name = p["name"].as_str().unwrap_or_default();
                if p["required"] == true {
                    continue;
                }
                let kind_value = match path.as_str() {
                    "/api/v1/bodies" => "subsidiary",
                    "/api/v1/partners" => "international_organisation",
                    "/api/v1/actions" => "activity",
                    "/api/v1/indicators" => "quantitative",
                    "/api/v1/instruments" => "declaration",
                    _ => sample_param(name),
                };
                let value = match (name, path.as_str()) {
                    ("kind", _) => kind_value,
                    ("status", "/api/v1/reports") => "accepted",
                    _ => sample_param(name),
                };
                let with_param = format!("{url}{sep}{name}={value}");
                let (status, body) = app.json(&with_param).await;
                if status != 200 {
                    errors.push(format!("{with_param}: status {status}: {body}"));
                } else {
                    validate(&doc, response_schema(&doc, path, "200"), &body, &with_param, &mut errors);
                }
            }
            // Where a path takes query parameters, an undocumented one is refused.
            let takes_query = item["get"]["parameters"].as_array().into_iter().flatten().any(|p| p["in"] == "query");
            if takes_query {
                let (status, body) = app.json(&format!("{url}{sep}no_such_parameter=1")).await;
                if status != 400 {
                    errors.push(format!("{url}{sep}no_such_parameter=1: status {status}"));
                }
                validate(&doc, response_schema(&doc, path, "400"), &body, &url, &mut errors);
            }
        }
        assert!(errors.is_empty(), "{}: {} problems:\n{}", app.backend(), errors.len(), errors.join("\n"));
        app.stop().await;
    }
}

#[tokio::test]
async fn list_pages_follow_next_links_to_the_end_without_duplicates() {
    for app in common::spawn_apps().await {
        let mut url = "/api/v1/actions?limit=40&programme=slom-wg-wp-2011-2015".to_string();
        let mut seen = Vec::new();
        let mut total = None;
        loop {
            let (status, body) = app.json(&url).await;
            assert_eq!(status, 200, "{url}");
            total = total.or(body["total"].as_i64());
            for item in body["items"].as_array().into_iter().flatten() {
                assert_eq!(item["programme"], "slom-wg-wp-2011-2015", "the filter holds across pages");
                seen.push(item["id"].as_str().unwrap_or_default().to_string());
            }
            match body["next"].as_str() {
                Some(next) => url = next.to_string(),
                None => break,
            }
        }
        let unique: std::collections::BTreeSet<_> = seen.iter().collect();
        assert_eq!(unique.len(), seen.len(), "no duplicates");
        assert_eq!(Some(seen.len() as i64), total, "{}", app.backend());
        assert!(seen.len() > 40, "more than one page");
        app.stop().await;
    }
}

#[tokio::test]
async fn bad_parameters_get_a_400_that_names_the_parameter() {
    for app in common::spawn_apps().await {
        for (url, parameter) in [
            ("/api/v1/actions?year=twenty", "year"),
            ("/api/v1/actions?year=1066", "year"),
            ("/api/v1/actions?status=done", "status"),
            ("/api/v1/actions?member_state=Vietnam", "member_state"),
            ("/api/v1/actions?limit=0", "limit"),
            ("/api/v1/actions?limit=100000", "limit"),
            ("/api/v1/actions?offset=-1", "offset"),
            ("/api/v1/actions?programme=a%20b", "programme"),
            ("/api/v1/actions?colour=blue", "colour"),
            ("/api/v1/actions?status=ongoing&status=completed", "status"),
            ("/api/v1/meetings?kind=party", "kind"),
            ("/api/v1/ratifications/matrix?as_of=2013-02-30", "as_of"),
            ("/api/v1/ratifications?event=signed", "event"),
            ("/api/v1/member-states/VIETNAM", "code"),
            ("/api/v1/actions/has%20space", "id"),
        ] {
            let (status, body) = app.json(url).await;
            assert_eq!(status, 400, "{url}: {body}");
            assert_eq!(body["parameter"], parameter, "{url}: {body}");
            assert!(body["error"].as_str().is_some_and(|e| e.contains(parameter)), "{url}: {body}");
        }
        app.stop().await;
    }
}

#[tokio::test]
async fn unknown_records_and_paths_get_a_json_404() {
    for app in common::spawn_apps().await {
        for url in [
            "/api/v1/meetings/afml-99",
            "/api/v1/actions/no-such-action",
            "/api/v1/member-states/FRA",
            "/api/v1/conventions/C999",
            "/api/v1/no-such-collection",
        ] {
            let (status, body) = app.json(url).await;
            assert_eq!(status, 404, "{url}");
            assert!(body["error"].is_string(), "{url}: {body}");
        }
        app.stop().await;
    }
}

#[tokio::test]
async fn single_records_come_with_their_relations_expanded() {
    for app in common::spawn_apps().await {
        let (_, action) = app.json("/api/v1/actions/slom-wg-wp-2011-2015.7.3").await;
        assert_eq!(action["status"], "absorbed");
        assert_eq!(action["absorbed_into"]["id"], "slom-wg-wp-2011-2015.7.2");
        let (_, activity) = app.json("/api/v1/actions/slom-wg-wp-2011-2015.8.1.a").await;
        assert_eq!(activity["parent_ref"]["id"], "slom-wg-wp-2011-2015.8.1");
        assert!(activity["coordinators"].as_array().is_some_and(|c| c.iter().any(|p| p["id"] == "VNM")), "{activity}");
        assert!(activity["meetings"].as_array().is_some_and(|m| m.iter().any(|x| x["id"] == "lmis-workshop-2011")));
        let (_, meeting) = app.json("/api/v1/meetings/lmis-workshop-2011").await;
        assert_eq!(meeting["recommendations"].as_array().map(Vec::len), Some(12));
        let (_, indicator) = app.json("/api/v1/indicators/lmis-lfpr").await;
        assert_eq!(indicator["ilostat"], "EAP_DWAP_SEX_AGE_RT");
        assert_eq!(indicator["adopted_by"], "lmis-workshop-2011.3");
        let (_, vnm) = app.json("/api/v1/member-states/VNM").await;
        assert!(vnm["hosts"].as_array().is_some_and(|m| m.iter().any(|x| x["id"] == "lmis-workshop-2011")));
        assert!(vnm["conventions"]
            .as_array()
            .is_some_and(|c| c.iter().any(|x| x["convention"] == "C098" && x["status"] == "ratified")));
        app.stop().await;
    }
}

#[tokio::test]
async fn the_api_answers_with_security_headers() {
    let app = common::spawn_sqlite_app().await;
    let r = app.get("/api/v1/overview").await;
    assert_eq!(r.headers().get("x-content-type-options").and_then(|v| v.to_str().ok()), Some("nosniff"));
    assert!(r
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("frame-ancestors 'none'")));
    app.stop().await;
}

mod fuzz {
    use super::common;
    use proptest::prelude::*;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, TestRunner};

    /// Arbitrary query strings and path segments never make the server fail.
    #[tokio::test]
    async fn no_query_string_or_path_makes_the_server_fail() {
        let app = common::spawn_sqlite_app().await;
        let mut runner = TestRunner::new(Config { cases: 200, failure_persistence: None, ..Config::default() });
        let strategy = (
            prop::sample::select(vec![
                "/api/v1/actions",
                "/api/v1/meetings",
                "/api/v1/ratifications/matrix",
                "/api/v1/actions/",
                "/api/v1/meetings/",
                "/",
            ]),
            "[a-z_=&%0-9.\\-]{0,40}",
        );
        for _ in 0..200 {
            let (base, tail) = strategy.new_tree(&mut runner).unwrap_or_else(|e| panic!("{e}")).current();
            let url = if base.ends_with('/') { format!("{base}{tail}") } else { format!("{base}?{tail}") };
            let status = app.get(&url).await.status().as_u16();
            assert!(status < 500, "{url}: {status}");
        }
        app.stop().await;
    }
}
