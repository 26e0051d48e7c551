//! Labour-market data through the JSON API on every backend, as a focal point and a validator
//! would use it: the Excel template downloaded, filled in and uploaded with a wrong value (422,
//! by row and field, nothing stored), the corrected file taken; a value returned, fixed and
//! published; the ASEAN figure with its coverage; the CSV download; an earlier vintage.

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

/// Fills the template's obs_value cells: (indicator, sex, classif1) → value.
fn fill(template: &[u8], values: &[(&str, &str, &str, f64)]) -> Vec<u8> {
    use calamine::{Data, Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(template.to_vec())).unwrap();
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    Data::Float(f) => f.to_string(),
                    _ => String::new(),
                })
                .collect()
        })
        .collect();
    let header = rows.iter().position(|r| r.first().is_some_and(|c| c == "ref_area")).unwrap();
    // Written back as a plain sheet with the same header: what a spreadsheet saves.
    let columns: Vec<tripart_sheets::Column> =
        rows[header].iter().map(|h| tripart_sheets::Column { header: h.clone(), ..Default::default() }).collect();
    let mut out = Vec::new();
    for r in &rows[header + 1..] {
        let value = values.iter().find(|(i, s, c, _)| r[1] == *i && r[2] == *s && r[3] == *c).map(|v| v.3);
        let mut cells: Vec<tripart_sheets::Cell> = r.iter().map(|c| tripart_sheets::Cell::Text(c.clone())).collect();
        cells[6] = match value {
            Some(v) => tripart_sheets::Cell::Number(v),
            None => tripart_sheets::Cell::Empty,
        };
        out.push(cells);
    }
    let sheet = tripart_sheets::Sheet { name: "data".into(), columns, rows: out, ..Default::default() };
    tripart_sheets::to_xlsx(&tripart_sheets::Workbook { sheets: vec![sheet] }).unwrap()
}

fn upload(bytes: &[u8], submit: bool) -> Value {
    json!({"file_name": "tha-2024.xlsx", "content_base64": base64::engine::general_purpose::STANDARD.encode(bytes), "submit": submit})
}

const Y15: &str = "AGE_YTHADULT_YGE15";

#[tokio::test]
async fn a_focal_point_fills_the_template_a_validator_publishes_the_public_sees_asean() {
    for app in common::spawn_apps().await {
        let b = app.backend();
        let tha = token(&app, "fp@mol.go.th", Grant::new(Role::FocalPoint, None, Some("THA".into())).unwrap()).await;
        let vnm =
            token(&app, "fp@molisa.gov.vn", Grant::new(Role::FocalPoint, None, Some("VNM".into())).unwrap()).await;
        let val = token(&app, "stats@asean.org", Grant::new(Role::Validator, Some("asec".into()), None).unwrap()).await;

        // The template: only for one's own country, pre-filled with nothing yet.
        let r = app
            .client
            .get(app.url("/api/v1/data/template.xlsx?ref_area=THA&time=2024"))
            .bearer_auth(&tha)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{b}");
        let template = r.bytes().await.unwrap().to_vec();
        let r = app
            .client
            .get(app.url("/api/v1/data/template.xlsx?ref_area=VNM&time=2024"))
            .bearer_auth(&tha)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{b}");

        // Filled with a participation rate of 677 (for 67.7): refused, by row and field.
        let mut values = vec![
            ("EAP_TEAP_SEX_AGE_NB", "SEX_T", Y15, 40000.0),
            ("UNE_TUNE_SEX_AGE_NB", "SEX_T", Y15, 400.0),
            ("POP_XWAP_SEX_AGE_NB", "SEX_T", Y15, 59000.0),
            ("EAP_DWAP_SEX_AGE_RT", "SEX_T", Y15, 677.0),
            ("UNE_DEAP_SEX_AGE_RT", "SEX_T", Y15, 1.0),
        ];
        let (s, e) =
            send(&app, "POST", "/api/v1/data/imports", Some(&tha), Some(upload(&fill(&template, &values), false)))
                .await;
        assert_eq!(s, 422, "{b}: {e}");
        let problems = e["problems"].as_array().unwrap();
        assert_eq!(problems.len(), 1, "{b}: {e}");
        assert_eq!(problems[0]["field"], "obs_value");
        assert!(problems[0]["line"].as_u64().unwrap() > 1);
        assert!(problems[0]["reason"].as_str().unwrap().contains("EAP_DWAP_SEX_AGE_RT"), "{b}: {e}");
        let (_, d) = app.json("/api/v1/data?indicator=EAP_TEAP_SEX_AGE_NB&edition=published").await;
        assert_eq!(d["items"].as_array().unwrap().len(), 0, "{b}: nothing stored");

        // Corrected, submitted.
        values[3].3 = 67.8;
        let (s, rep) =
            send(&app, "POST", "/api/v1/data/imports", Some(&tha), Some(upload(&fill(&template, &values), true))).await;
        assert_eq!(s, 201, "{b}: {rep}");
        assert_eq!(rep["new"], 5, "{b}: {rep}");
        let vn = "ref_area,source,indicator,sex,classif1,classif2,time,obs_value,obs_status\n\
                  VNM,LFS,EAP_TEAP_SEX_AGE_NB,SEX_T,AGE_YTHADULT_YGE15,,2024,53000,\n\
                  VNM,LFS,UNE_TUNE_SEX_AGE_NB,SEX_T,AGE_YTHADULT_YGE15,,2024,1060,\n\
                  VNM,LFS,UNE_DEAP_SEX_AGE_RT,SEX_T,AGE_YTHADULT_YGE15,,2024,2,\n";
        let body = json!({"file_name": "vnm.csv", "content_base64": base64::engine::general_purpose::STANDARD.encode(vn), "submit": true});
        assert_eq!(send(&app, "POST", "/api/v1/data/imports", Some(&vnm), Some(body)).await.0, 201, "{b}");

        // The public sees nothing yet; the focal point sees its working values, not Viet Nam's.
        assert_eq!(
            send(
                &app,
                "GET",
                "/api/v1/data?indicator=UNE_DEAP_SEX_AGE_RT&edition=working&ref_area=VNM",
                Some(&tha),
                None
            )
            .await
            .0,
            403,
            "{b}"
        );
        let (s, w) = send(
            &app,
            "GET",
            "/api/v1/data?indicator=UNE_DEAP_SEX_AGE_RT&edition=working&ref_area=THA",
            Some(&tha),
            None,
        )
        .await;
        assert_eq!(s, 200, "{b}: {w}");
        let id = w["items"][0]["observation_id"].as_i64().unwrap();
        assert_eq!(w["items"][0]["state"], "submitted");

        // The validator returns THA's rate, THA corrects it, the validator publishes.
        let ret = json!({"ids": [id], "comment": "1.0% does not match 400/40000: check"});
        assert_eq!(send(&app, "POST", "/api/v1/data/return", Some(&tha), Some(ret.clone())).await.0, 403, "{b}");
        let (s, m) = send(&app, "POST", "/api/v1/data/return", Some(&val), Some(ret)).await;
        assert_eq!((s, m["observations"].as_i64()), (200, Some(1)), "{b}: {m}");
        let (_, h) = send(&app, "GET", &format!("/api/v1/data/observations/{id}/history"), Some(&tha), None).await;
        assert_eq!(h["events"][1]["comment"], "1.0% does not match 400/40000: check", "{b}: {h}");
        let fix = "ref_area,source,indicator,sex,classif1,classif2,time,obs_value,obs_status\n\
                   THA,LFS,UNE_DEAP_SEX_AGE_RT,SEX_T,AGE_YTHADULT_YGE15,,2024,1.0,P\n";
        let body = json!({"content_base64": base64::engine::general_purpose::STANDARD.encode(fix), "reason": "Marked provisional", "submit": true});
        let (s, rep) = send(&app, "POST", "/api/v1/data/imports", Some(&tha), Some(body)).await;
        assert_eq!((s, rep["revised"].as_i64()), (201, Some(1)), "{b}: {rep}");
        let (s, m) = send(&app, "POST", "/api/v1/data/validate", Some(&val), Some(json!({}))).await;
        assert_eq!((s, m["observations"].as_i64()), (200, Some(8)), "{b}: {m}");
        let (s, v) =
            send(&app, "POST", "/api/v1/data/publish", Some(&val), Some(json!({"label": "2024 annual data"}))).await;
        assert_eq!(s, 201, "{b}: {v}");

        // The ASEAN unemployment rate: (400 + 1060) / (40000 + 53000) = 1.5699%, with its coverage.
        let (s, d) = app.json("/api/v1/data?indicator=UNE_DEAP_SEX_AGE_RT&ref_area=X84,THA&time=2024").await;
        assert_eq!(s, 200, "{b}: {d}");
        let items = d["items"].as_array().unwrap();
        let asean = items.iter().find(|r| r["ref_area"] == "X84").unwrap();
        assert!((asean["obs_value"].as_f64().unwrap() - 146000.0 / 93000.0).abs() < 1e-9, "{b}: {asean}");
        assert_eq!(asean["coverage"]["method"], "ratio-of-sums");
        assert_eq!(asean["coverage"]["included"].as_array().unwrap().len(), 2);
        assert_eq!(asean["coverage"]["missing"].as_array().unwrap().len(), 9);
        let tha_row = items.iter().find(|r| r["ref_area"] == "THA").unwrap();
        assert_eq!(tha_row["obs_status"], "P", "{b}");

        // The same as ILOSTAT bulk CSV.
        let r = app
            .client
            .get(app.url("/api/v1/data?indicator=UNE_DEAP_SEX_AGE_RT&ref_area=X84&format=csv"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let csv = r.text().await.unwrap();
        assert!(csv.starts_with("ref_area,source,indicator,sex,classif1,classif2,time,obs_value"), "{csv}");
        assert!(csv.contains("X84,"), "{csv}");

        // Vintages: one, readable by number; bad parameters are named.
        let (_, vs) = app.json("/api/v1/data/vintages").await;
        assert_eq!(vs["items"][0]["label"], "2024 annual data");
        let (s, _) = app.json("/api/v1/data?indicator=UNE_DEAP_SEX_AGE_RT&vintage=1").await;
        assert_eq!(s, 200);
        for bad in [
            "indicator=NOPE_NOPE_SEX_RT",
            "indicator=UNE_DEAP_SEX_AGE_RT&ref_area=FRA",
            "indicator=UNE_DEAP_SEX_AGE_RT&time=24",
            "indicator=UNE_DEAP_SEX_AGE_RT&sex=SEX_Q",
        ] {
            let (s, e) = app.json(&format!("/api/v1/data?{bad}")).await;
            assert_eq!(s, 400, "{b}: {bad}: {e}");
        }
    }
}
