//! `tripart import data FILE` and the sample data `tripart seed --with-sample-data` loads: the
//! same import path as the API and the pages (all or nothing, problems by line and field).

use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use tripart_domain::access::Actor;
use tripart_storage::stats::import::{import_file, ImportReport, Submission};
use tripart_storage::stats::{workflow, DataError};
use tripart_storage::Db;

#[derive(Debug, clap::Subcommand)]
pub enum ImportCommand {
    /// Import observations: ILOSTAT bulk CSV (codes or labels, or `tripart lfs tabulate`
    /// output), SDMX-CSV, the World Bank's tidy WDI CSV, or Tripart's Excel template.
    Data {
        file: PathBuf,
        /// Why (kept with every revision).
        #[arg(long)]
        reason: Option<String>,
        /// Send the values to the validators rather than keeping them as a draft.
        #[arg(long)]
        submit: bool,
        /// Validate and publish at once as a vintage with this label (data already published
        /// by their producer, such as ILOSTAT's).
        #[arg(long, value_name = "LABEL")]
        publish: Option<String>,
    },
}

pub async fn run(db: &Db, command: ImportCommand) -> Result<()> {
    match command {
        ImportCommand::Data { file, reason, submit, publish } => {
            let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let name = file.file_name().map(|n| n.to_string_lossy().into_owned());
            let sub = Submission { file_name: name, reason, submit: submit || publish.is_some() };
            let started = std::time::Instant::now();
            let report = import_or_explain(db, &bytes, &sub, &file).await?;
            print_report(&report);
            eprintln!("imported in {:.2} s", started.elapsed().as_secs_f64());
            if let Some(label) = publish {
                let started = std::time::Instant::now();
                publish_all(db, &label).await?;
                eprintln!("validated and published in {:.2} s", started.elapsed().as_secs_f64());
            }
            Ok(())
        }
    }
}

async fn import_or_explain(db: &Db, bytes: &[u8], sub: &Submission, file: &Path) -> Result<ImportReport> {
    match import_file(db, &Actor::Operator, bytes, sub).await {
        Ok(r) => Ok(r),
        Err(DataError::Rejected(problems)) => {
            for p in &problems {
                eprintln!("{}: {p}", file.display());
            }
            bail!("{} problem(s) in {}; nothing was stored", problems.len(), file.display())
        }
        Err(DataError::Edit(e)) => Err(e.into()),
    }
}

fn print_report(r: &ImportReport) {
    eprintln!(
        "{} ({}): {} observations, {} new, {} revised, {} unchanged",
        r.submission, r.format, r.observations, r.new, r.revised, r.unchanged
    );
    const SHOWN: usize = 20;
    for w in r.warnings.iter().take(SHOWN) {
        eprintln!("  warning, line {} ({}, {}): {}", w.line, w.indicator, w.rule, w.message);
    }
    if r.warnings.len() > SHOWN {
        eprintln!("  … and {} more warnings, kept with the submission for the validators", r.warnings.len() - SHOWN);
    }
}

async fn publish_all(db: &Db, label: &str) -> Result<()> {
    let op = Actor::Operator;
    workflow::validate(db, &op, &workflow::Selection::default()).await?;
    match workflow::publish(db, &op, label, None).await? {
        Some(v) => eprintln!("published vintage {} ({}): {} observations", v.number, v.label, v.observations),
        None => eprintln!("nothing new to publish"),
    }
    Ok(())
}

/// Where the shared fixtures may be: `TRIPART_SAMPLE_DATA`, or `../shared/data` from here or
/// from the repository.
fn sample_dir() -> Option<PathBuf> {
    let mut candidates: Vec<PathBuf> = std::env::var_os("TRIPART_SAMPLE_DATA").map(PathBuf::from).into_iter().collect();
    candidates.push(PathBuf::from("../shared/data"));
    candidates.push(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    candidates.into_iter().find(|p| p.join("wdi/asean_wdi_labour_tidy.csv").exists())
}

/// Loads the real WDI and ILOSTAT extracts when they can be found, otherwise generated
/// demonstration data, and publishes them, so that a new installation has figures to show.
pub async fn load_sample_data(db: &Db) -> Result<()> {
    if let Some(dir) = sample_dir() {
        eprintln!("sample data: the WDI and ILOSTAT extracts in {}", dir.display());
        // The WDI file also holds series Tripart has no ILOSTAT counterpart for: those lines
        // are left out here, so that the rest goes in.
        let wdi = std::fs::read_to_string(dir.join("wdi/asean_wdi_labour_tidy.csv"))?;
        let mapped = tripart_stats::formats::wdi_mapped_series();
        let kept: String = wdi
            .lines()
            .enumerate()
            .filter(|(i, l)| *i == 0 || l.split(',').nth(1).is_some_and(|code| mapped.contains(&code)))
            .map(|(_, l)| format!("{l}\n"))
            .collect();
        let sub =
            |name: &str| Submission { file_name: Some(name.into()), reason: Some("Sample data".into()), submit: true };
        print_report(
            &import_or_explain(db, kept.as_bytes(), &sub("asean_wdi_labour_tidy.csv"), Path::new("wdi")).await?,
        );
        for name in ["EMP_NIFL_SEX_RT_A-20240726T0000_ASEAN.csv", "EMP_TEMP_SEX_INS_NB_A-20240725T0039_ASEAN.csv"] {
            let path = dir.join("ilostat").join(name);
            if let Ok(bytes) = std::fs::read(&path) {
                print_report(&import_or_explain(db, &bytes, &sub(name), &path).await?);
            }
        }
        publish_all(db, "Sample data: ILO modelled estimates (World Bank WDI) and ILOSTAT extracts").await
    } else {
        eprintln!("sample data: ../shared/data not found; loading generated DEMONSTRATION data (not official figures)");
        let csv = crate::demo_data::csv();
        let sub = Submission {
            file_name: Some("demonstration.csv".into()),
            reason: Some("Demonstration data, not official figures".into()),
            submit: true,
        };
        print_report(&import_or_explain(db, csv.as_bytes(), &sub, Path::new("demonstration data")).await?);
        publish_all(db, "DEMONSTRATION DATA - not official figures").await
    }
}
