//! Labour force survey microdata to the ILO indicators, with sampling errors.
//!
//! One streaming pass over the file (CSV or Parquet, never held whole in memory) adds each
//! person's weight to the totals of their PSU and elementary cell (`accumulate`); the
//! estimates, ratios and Taylor-linearised standard errors come from those totals at the end
//! (`estimate`), laid out as ILOSTAT indicators (`tables`) and written out (`output`).
//! This crate holds the heavy Parquet/Arrow dependencies so that no other crate builds them.

pub mod accumulate;
pub mod cli;
pub mod estimate;
pub mod input;
pub mod output;
pub mod roles;
pub mod tables;

use accumulate::{Accumulator, Diagnostics, EcoCoding, Layout, NeetSource};
use anyhow::{bail, Result};
use input::{Batch, Format, Keys, ParquetSource, Progress};
use roles::{ColumnPlan, MappingFile, Role};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use tables::{Request, Row};

/// What to read and how the design is described.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub input: PathBuf,
    pub mapping: Option<PathBuf>,
    pub strata: Option<String>,
    pub psu: Option<String>,
    pub by: Vec<String>,
    /// Reader threads (Parquet row groups are shared among them); 0 = the machine's cores.
    pub threads: usize,
    pub progress: bool,
    pub request: Request,
}

/// The published rows and what was met on the way.
#[derive(Debug, Clone)]
pub struct Tabulation {
    pub rows: Vec<Row>,
    pub diagnostics: Diagnostics,
    pub n_psu: usize,
    pub n_strata: usize,
    pub singleton_strata: usize,
}

/// Reads the file once and returns the accumulated sufficient statistics.
pub fn accumulate_file(opts: &Options) -> Result<(Accumulator, Keys)> {
    let header = input::header(&opts.input)?;
    let mapping = match &opts.mapping {
        Some(p) => MappingFile::load(p)?,
        None => MappingFile::default(),
    };
    let mut plan = ColumnPlan::resolve(&mapping, &header, opts.strata.clone(), opts.psu.clone(), opts.by.clone())?;
    plan.keep_roles(|r| opts.request.indicators.reads(r));
    if plan.role(Role::Age).is_none() {
        bail!("{} has no ilo_age column (nor a mapping for it): the age bands need it", opts.input.display());
    }
    if plan.role(Role::Sex).is_none() {
        bail!("{} has no ilo_sex column (nor a mapping for it)", opts.input.display());
    }
    let has = |r: Role| plan.role(r).is_some();
    let has_lfs = has(Role::Lfs);
    let layout = Layout {
        has_wap: has(Role::Wap),
        has_lfs,
        has_geo: has(Role::Geo),
        has_tru: has_lfs && has(Role::Tru),
        has_plf: has_lfs && has(Role::OlfDlma),
        neet: if has(Role::Neet) {
            NeetSource::Flag
        } else if has_lfs && has(Role::EduAttendance) {
            NeetSource::Attendance
        } else {
            NeetSource::None
        },
        eco: match (has_lfs, has(Role::Isic4), has(Role::EcoAggregate)) {
            (true, true, _) => Some(EcoCoding::Isic4),
            (true, false, true) => Some(EcoCoding::Aggregate),
            _ => None,
        },
        has_psu: plan.psu.is_some(),
        has_strata: plan.strata.is_some(),
        n_by: plan.by.len(),
    };
    let keys = Keys::default();
    let progress = Arc::new(Progress::default());
    let done = Arc::new(AtomicBool::new(false));
    let bar = opts.progress.then(|| spawn_progress_bar(progress.clone(), done.clone()));
    let threads = if opts.threads == 0 {
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
    } else {
        opts.threads
    };
    let result = match Format::of(&opts.input) {
        Format::Parquet => {
            let src = ParquetSource::open(&opts.input, &plan)?;
            progress.total.store(src.rows(), Ordering::Relaxed);
            let next = AtomicUsize::new(0);
            let workers = threads.clamp(1, src.row_groups().max(1));
            std::thread::scope(|scope| -> Result<Accumulator> {
                let handles: Vec<_> = (0..workers)
                    .map(|_| {
                        scope.spawn(|| -> Result<Accumulator> {
                            let mut acc = Accumulator::new(layout);
                            let mut batch = Batch::default();
                            loop {
                                let rg = next.fetch_add(1, Ordering::Relaxed);
                                if rg >= src.row_groups() {
                                    acc.finish();
                                    return Ok(acc);
                                }
                                src.read_row_group(rg, &plan, &keys, &mut batch, |b| {
                                    acc.add(b);
                                    progress.add(b.len as u64);
                                    Ok(())
                                })?;
                            }
                        })
                    })
                    .collect();
                let mut total: Option<Accumulator> = None;
                for h in handles {
                    let acc = h.join().map_err(|_| anyhow::anyhow!("a reader thread panicked"))??;
                    match total.as_mut() {
                        Some(t) => t.merge(acc),
                        None => total = Some(acc),
                    }
                }
                Ok(total.unwrap_or_else(|| Accumulator::new(layout)))
            })
        }
        Format::Csv => {
            let size = std::fs::metadata(&opts.input).map(|m| m.len()).unwrap_or(0);
            progress.total.store(size, Ordering::Relaxed);
            // One thread parses, this one accumulates.
            let (tx, rx) = std::sync::mpsc::sync_channel::<Batch>(4);
            std::thread::scope(|scope| -> Result<Accumulator> {
                let reader = scope.spawn(|| {
                    input::read_csv(&opts.input, &plan, &keys, &progress, move |b| {
                        tx.send(b).map_err(|_| anyhow::anyhow!("the accumulator stopped"))
                    })
                });
                let mut acc = Accumulator::new(layout);
                for b in rx {
                    acc.add(&b);
                }
                acc.finish();
                reader.join().map_err(|_| anyhow::anyhow!("the reader thread panicked"))??;
                Ok(acc)
            })
        }
    };
    done.store(true, Ordering::Relaxed);
    if let Some(h) = bar {
        let _ = h.join();
    }
    Ok((result?, keys))
}

/// Reads, estimates and lays out every requested indicator the file allows.
pub fn tabulate_file(opts: &Options) -> Result<Tabulation> {
    let (acc, keys) = accumulate_file(opts)?;
    let mut request = opts.request.clone();
    request.by_names = opts.by.clone();
    let design = estimate::Design::from_keys(&acc.psu_keys);
    let rows = tables::tabulate(&acc, &keys, &request, &design);
    let diagnostics = acc.diag.clone();
    // Freeing the totals (tens of megabytes) takes milliseconds: a thread of its own does it
    // while the caller goes on with the rows.
    std::thread::spawn(move || drop(acc));
    Ok(Tabulation {
        rows,
        diagnostics,
        n_psu: design.n_psu,
        n_strata: design.strata.len(),
        singleton_strata: design.singleton_strata(),
    })
}

/// A one-line bar on standard error, redrawn a few times a second, only on a terminal.
fn spawn_progress_bar(p: Arc<Progress>, done: Arc<AtomicBool>) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        use std::io::{IsTerminal, Write};
        let mut err = std::io::stderr();
        if !err.is_terminal() {
            return;
        }
        let start = std::time::Instant::now();
        let mut drawn = false;
        while !done.load(Ordering::Relaxed) {
            std::thread::sleep(std::time::Duration::from_millis(200));
            if start.elapsed().as_millis() < 500 {
                continue;
            }
            let total = p.total.load(Ordering::Relaxed).max(1);
            let frac = (p.done.load(Ordering::Relaxed) as f64 / total as f64).min(1.0);
            let filled = (frac * 30.0) as usize;
            let _ = write!(
                err,
                "\r[{}{}] {:>3.0}%  {:.1}s",
                "#".repeat(filled),
                " ".repeat(30 - filled),
                frac * 100.0,
                start.elapsed().as_secs_f64()
            );
            let _ = err.flush();
            drawn = true;
        }
        if drawn {
            let _ = write!(err, "\r{}\r", " ".repeat(50));
        }
    })
}
