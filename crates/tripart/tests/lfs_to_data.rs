//! Issue 7's hand-over to issue 5: the output of `tripart lfs tabulate` goes through
//! `tripart import data` without edits, and the published figure is what the indicator page
//! and the data API show.

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_tripart");

fn run(dir: &Path, args: &[&str]) -> Output {
    let out = Command::new(BIN)
        .current_dir(dir)
        .env_remove("TRIPART_DATABASE_URL")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run tripart: {e}"));
    assert!(
        out.status.success(),
        "tripart {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A survey of 4,000 persons in 2 strata of 5 PSUs, from a fixed pseudo-random sequence:
/// demonstration microdata, not a real survey.
fn survey() -> String {
    let mut state: u64 = 7;
    let mut next = |n: u64| {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) % n
    };
    let mut csv = String::from("ilo_wgt,ilo_sex,ilo_age,ilo_geo,ilo_lfs,stratum,cluster\n");
    for i in 0..4000u64 {
        let age = 15 + next(55);
        let lfs = match next(100) {
            0..=61 => 1,
            62..=65 => 2,
            _ => 3,
        };
        let weight = 900 + next(300);
        let (stratum, psu) = (i % 2 + 1, i % 10 + 1);
        csv.push_str(&format!("{weight},{},{age},{},{lfs},{stratum},{psu}\n", next(2) + 1, next(2) + 1));
    }
    csv
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn get(url: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(r) = reqwest::get(url).await {
            if r.status().is_success() {
                return r.text().await.unwrap_or_else(|e| panic!("{e}"));
            }
        }
        assert!(Instant::now() < deadline, "{url} never answered");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn a_tabulation_imports_without_edits_and_shows_on_the_indicator_page() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let d = dir.path();
    std::fs::write(d.join("survey.csv"), survey()).unwrap_or_else(|e| panic!("{e}"));
    run(
        d,
        &[
            "lfs",
            "tabulate",
            "survey.csv",
            "--strata",
            "stratum",
            "--psu",
            "cluster",
            "--ref-area",
            "THA",
            "--time",
            "2024",
            "--out",
            "tha.csv",
        ],
    );
    let table = std::fs::read_to_string(d.join("tha.csv")).unwrap_or_else(|e| panic!("{e}"));
    let rows = table.lines().count() - 1;
    // The national unemployment rate, 15+, both sexes, as the tabulation wrote it.
    let rate: f64 = table
        .lines()
        .find(|l| l.starts_with("THA,LFS,UNE_DEAP_SEX_AGE_GEO_RT,SEX_T,AGE_YTHADULT_YGE15,GEO_COV_NAT,2024,"))
        .and_then(|l| l.split(',').nth(7))
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no national unemployment rate in\n{table}"));

    let db = format!("sqlite://{}", d.join("t.db").display());
    run(d, &["--database-url", &db, "seed"]);
    let out = run(d, &["--database-url", &db, "import", "data", "tha.csv", "--publish", "LFS 2024"]);
    let said = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(said.contains(&format!("{rows} observations, {rows} new")), "{said}");
    assert!(said.contains(&format!("published vintage 1 (LFS 2024): {rows} observations")), "{said}");

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("no free port: {e}"));
    let _server = Server(
        Command::new(BIN)
            .current_dir(d)
            .args(["--database-url", &db, "serve", "--bind", &format!("127.0.0.1:{port}"), "--no-seed"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start tripart: {e}")),
    );
    let base = format!("http://127.0.0.1:{port}");
    let api = get(&format!(
        "{base}/api/v1/data?indicator=UNE_DEAP_SEX_AGE_GEO_RT&ref_area=THA&time=2024&sex=SEX_T\
         &classif1=AGE_YTHADULT_YGE15&classif2=GEO_COV_NAT"
    ))
    .await;
    let json: serde_json::Value = serde_json::from_str(&api).unwrap_or_else(|e| panic!("{e}: {api}"));
    let item = &json["items"][0];
    assert_eq!(item["obs_value"].as_f64(), Some(rate), "{api}");
    assert!(item["std_error"].as_f64().is_some_and(|se| se > 0.0), "the standard error came along: {api}");
    let page = get(&format!("{base}/data/indicators/UNE_DEAP_SEX_AGE_GEO_RT")).await;
    let shown = format!("Thailand</a></th><td class=\"num\">{rate:.1}");
    assert!(page.contains(&shown), "the page shows {shown}");
}
