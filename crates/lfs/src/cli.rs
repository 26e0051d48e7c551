//! The `tripart lfs` commands: flags parsed into checked values, then one call into the engine.

use crate::estimate::SinglePsu;
use crate::output::{self, Meta, OutputFormat};
use crate::tables::{IndicatorSet, Request, Rules};
use crate::{tabulate_file, Options};
use anyhow::{bail, Result};
use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum LfsCommand {
    /// Labour force survey microdata (ILO harmonised variables) to ILOSTAT indicators with
    /// standard errors, CVs and sample counts.
    Tabulate(TabulateArgs),
}

#[derive(Debug, Args)]
pub struct TabulateArgs {
    /// The microdata: CSV (or .tsv) or Parquet (.parquet).
    pub input: PathBuf,
    /// The stratum column of the design.
    #[arg(long)]
    pub strata: Option<String>,
    /// The primary sampling unit column (without it, each person is a PSU).
    #[arg(long)]
    pub psu: Option<String>,
    /// More variables to disaggregate by (repeat the flag or separate with commas).
    #[arg(long, value_delimiter = ',')]
    pub by: Vec<String>,
    /// Reference area, ISO 3166 alpha-3 (e.g. IDN).
    #[arg(long)]
    pub ref_area: Option<String>,
    /// Reference period as ILOSTAT writes it: 2023, 2023Q3 or 2023M08.
    #[arg(long)]
    pub time: Option<String>,
    /// Survey source code for the `source` column.
    #[arg(long, default_value = "LFS")]
    pub source: String,
    /// Output file.
    #[arg(long)]
    pub out: PathBuf,
    /// Output format (default: from the file extension, else CSV).
    #[arg(long, value_enum)]
    pub format: Option<OutputFormat>,
    /// Which indicators to publish: `all` that the file allows, or `core` (population,
    /// labour force, employment, unemployment, outside the labour force and their three
    /// rates), which reads fewer columns.
    #[arg(long, value_enum, default_value_t)]
    pub indicators: IndicatorSet,
    /// A TOML file mapping ILO variable names to this file's columns (and recoding values).
    #[arg(long)]
    pub mapping: Option<PathBuf>,
    /// Variance rule for strata with a single PSU.
    #[arg(long, value_enum, default_value_t)]
    pub single_psu: SinglePsu,
    /// GDP at constant prices for the period, to publish output per worker (GDP_211P).
    #[arg(long)]
    pub gdp: Option<f64>,
    #[command(flatten)]
    pub rules: Rules,
    /// Reader threads (default: all cores).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// No progress bar even on a terminal.
    #[arg(long)]
    pub no_progress: bool,
}

pub fn run(cmd: LfsCommand) -> Result<()> {
    match cmd {
        LfsCommand::Tabulate(args) => run_tabulate(args),
    }
}

fn ref_area(s: &str) -> Result<String> {
    let t = s.trim().to_ascii_uppercase();
    if t.len() != 3 || !t.chars().all(|c| c.is_ascii_uppercase()) {
        bail!("--ref-area must be an ISO 3166 alpha-3 code such as IDN, not `{s}`");
    }
    Ok(t)
}

fn period(s: &str) -> Result<String> {
    let t = s.trim().to_ascii_uppercase();
    let year_ok = t.len() >= 4 && t[..4].chars().all(|c| c.is_ascii_digit());
    let rest = &t[4.min(t.len())..];
    let rest_ok = match rest.as_bytes() {
        [] => true,
        [b'Q', q] => (b'1'..=b'4').contains(q),
        [b'M', a, b] => matches!((a, b), (b'0', b'1'..=b'9') | (b'1', b'0'..=b'2')),
        _ => false,
    };
    if !(year_ok && rest_ok) {
        bail!("--time must be a year, a quarter or a month as ILOSTAT writes them (2023, 2023Q3, 2023M08), not `{s}`");
    }
    Ok(t)
}

pub fn run_tabulate(args: TabulateArgs) -> Result<()> {
    let meta = Meta {
        ref_area: args.ref_area.as_deref().map(ref_area).transpose()?.unwrap_or_default(),
        source: args.source.clone(),
        time: args.time.as_deref().map(period).transpose()?.unwrap_or_default(),
    };
    let format = args.format.unwrap_or_else(|| match args.out.extension().and_then(|e| e.to_str()) {
        Some("parquet") => OutputFormat::Parquet,
        Some("json") => OutputFormat::Json,
        _ => OutputFormat::Csv,
    });
    let opts = Options {
        input: args.input.clone(),
        mapping: args.mapping.clone(),
        strata: args.strata.clone(),
        psu: args.psu.clone(),
        by: args.by.clone(),
        threads: args.threads,
        progress: !args.no_progress,
        request: Request {
            indicators: args.indicators,
            by_names: args.by.clone(),
            rules: args.rules,
            single_psu: args.single_psu,
            gdp: args.gdp,
        },
    };
    let t = tabulate_file(&opts)?;
    let d = &t.diagnostics;
    eprintln!(
        "{}: {} rows read, {} in the working-age population used (weighted {:.0}), {} outside it",
        args.input.display(),
        d.rows,
        d.rows_used,
        d.weight_used,
        d.outside_wap
    );
    let rule = match args.single_psu {
        SinglePsu::Centered => "centred on the grand mean",
        SinglePsu::Skip => "left out of the variance",
    };
    eprintln!(
        "design: {} strata, {} PSUs{}",
        t.n_strata,
        t.n_psu,
        if t.singleton_strata > 0 {
            format!("; {} strata with a single PSU, {rule}", t.singleton_strata)
        } else {
            String::new()
        }
    );
    for line in d.report() {
        eprintln!("  {line}");
    }
    output::write(&args.out, format, &meta, &t.rows)?;
    eprintln!("{} rows written to {}", t.rows.len(), args.out.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_area_and_period_are_checked_at_the_edge() {
        assert_eq!(ref_area("idn").unwrap(), "IDN");
        assert!(ref_area("ID").is_err());
        assert_eq!(period("2023q3").unwrap(), "2023Q3");
        assert_eq!(period("2023M08").unwrap(), "2023M08");
        assert!(period("2023M13").is_err());
        assert!(period("23").is_err());
    }

    #[test]
    fn the_indicator_set_is_chosen_by_name() {
        use clap::ValueEnum;
        assert_eq!(IndicatorSet::from_str("core", false), Ok(IndicatorSet::Core));
        assert_eq!(IndicatorSet::from_str("all", false), Ok(IndicatorSet::All));
        assert!(IndicatorSet::from_str("some", false).is_err());
    }
}
