//! The `tripart` binary: a thin command line over the library crates.

mod accounts_cli;
mod config;
mod data_cli;
mod demo_data;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};
use config::{Config, Overrides};
use std::path::PathBuf;
use tripart_storage::{migrate, seed, Db};

#[derive(Parser)]
#[command(name = "tripart", version, about = "Tripart: ASEAN labour cooperation, planned, monitored and published")]
struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args)]
struct GlobalArgs {
    /// A TOML configuration file (flags and TRIPART_* variables override it).
    #[arg(long, env = "TRIPART_CONFIG", global = true)]
    config: Option<PathBuf>,
    /// sqlite://FILE or postgres://… (default sqlite://tripart.db).
    #[arg(long, env = "TRIPART_DATABASE_URL", global = true)]
    database_url: Option<String>,
    /// The catalogue folder (default ./catalogue, else the source tree's).
    #[arg(long, env = "TRIPART_CATALOGUE", global = true)]
    catalogue: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the pages and the API (migrates and seeds first).
    Serve {
        /// Address to listen on (default 127.0.0.1:8080).
        #[arg(long, env = "TRIPART_BIND")]
        bind: Option<String>,
        /// Tripart sits behind a TLS-terminating proxy.
        #[arg(long, env = "TRIPART_BEHIND_TLS")]
        behind_tls: Option<bool>,
        /// Serve without loading the catalogue first.
        #[arg(long)]
        no_seed: bool,
    },
    /// Create or upgrade the database schema.
    Migrate,
    /// Load or refresh the catalogue (idempotent; never overwrites local edits).
    Seed {
        /// Also load and publish sample labour-market data: the WDI and ILOSTAT extracts of
        /// ../shared/data (or $TRIPART_SAMPLE_DATA), or else generated demonstration data.
        #[arg(long)]
        with_sample_data: bool,
    },
    /// Import data from a file.
    Import {
        #[command(subcommand)]
        command: data_cli::ImportCommand,
    },
    /// Write the whole database as JSON to standard output or a file.
    Export {
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Write every table, secrets included, to FILE: one consistent snapshot, safe while the server runs.
    Backup { file: PathBuf },
    /// Load a backup into an empty database at the backup's schema version (all or nothing).
    Restore { file: PathBuf },
    /// Manage user accounts (the first administrator, scripting).
    User {
        #[command(subcommand)]
        command: accounts_cli::UserCommand,
    },
    /// Create API tokens for machine clients.
    Token {
        #[command(subcommand)]
        command: accounts_cli::TokenCommand,
    },
    /// Labour force survey microdata to ILO indicators with standard errors.
    Lfs {
        #[command(subcommand)]
        command: tripart_lfs::cli::LfsCommand,
    },
    /// Validate the catalogue files without a database.
    Check {
        /// Also print, per document section, the items it holds and the items loaded.
        #[arg(long)]
        counts: bool,
    },
}

#[tokio::main]
async fn main() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("TRIPART_LOG").unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let mut overrides = Overrides {
        config_file: cli.global.config.clone(),
        database_url: cli.global.database_url.clone(),
        catalogue: cli.global.catalogue.clone(),
        ..Default::default()
    };
    if let Command::Serve { bind, behind_tls, .. } = &cli.command {
        overrides.bind = bind.clone();
        overrides.behind_tls = *behind_tls;
    }
    let config = Config::resolve(&overrides)?;
    match cli.command {
        Command::Check { counts } => check(&config, counts),
        Command::Lfs { command } => tripart_lfs::cli::run(command),
        Command::User { command } => {
            let db = open(&config).await?;
            let result = accounts_cli::user(&db, command).await;
            db.close().await;
            result
        }
        Command::Token { command } => {
            let db = open(&config).await?;
            let result = accounts_cli::token(&db, command).await;
            db.close().await;
            result
        }
        Command::Migrate => {
            let db = open(&config).await?;
            eprintln!("database is at schema version {}", migrate::latest_version());
            db.close().await;
            Ok(())
        }
        Command::Seed { with_sample_data } => {
            let db = open(&config).await?;
            seed_catalogue(&db, &config).await?;
            if with_sample_data {
                data_cli::load_sample_data(&db).await?;
            }
            db.close().await;
            Ok(())
        }
        Command::Import { command } => {
            let db = open(&config).await?;
            let result = data_cli::run(&db, command).await;
            db.close().await;
            result
        }
        Command::Export { output } => {
            let db = open(&config).await?;
            let json = tripart_storage::export::export(&db).await?;
            let text = serde_json::to_string_pretty(&json)?;
            match output {
                Some(path) => std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?,
                None => println!("{text}"),
            }
            db.close().await;
            Ok(())
        }
        Command::Backup { file } => {
            let db = open(&config).await?;
            let done = tripart_storage::backup::backup_to_file(&db, &file)
                .await
                .with_context(|| format!("backing up to {}", file.display()))?;
            eprintln!("backed up {} rows of {} tables to {}", done.rows, done.tables, file.display());
            db.close().await;
            Ok(())
        }
        Command::Restore { file } => {
            let db = open(&config).await?;
            let done = tripart_storage::backup::restore_from_file(&db, &file)
                .await
                .with_context(|| format!("restoring {}", file.display()))?;
            eprintln!(
                "restored {} rows of {} tables from a {} backup taken at {}",
                done.rows, done.tables, done.backend, done.created_at
            );
            db.close().await;
            Ok(())
        }
        Command::Serve { no_seed, .. } => {
            let db = open(&config).await?;
            if !no_seed {
                seed_catalogue(&db, &config).await?;
            }
            tripart_web::serve(db, &config.bind, tripart_web::Settings { behind_tls: config.behind_tls }).await
        }
    }
}

/// Connects and migrates: every command that touches the database starts here.
async fn open(config: &Config) -> Result<Db> {
    let db = Db::connect(&config.database_url)
        .await
        .with_context(|| format!("connecting to {}", redact(&config.database_url)))?;
    migrate::run(&db).await.context("migrating the database")?;
    Ok(db)
}

fn load_catalogue(config: &Config) -> Result<tripart_catalogue::LoadReport> {
    match tripart_catalogue::load_dir(&config.catalogue) {
        Ok(report) => Ok(report),
        Err(errors) => {
            for e in &errors {
                eprintln!("{e}");
            }
            bail!("the catalogue at {} has {} problem(s)", config.catalogue.display(), errors.len())
        }
    }
}

fn check(config: &Config, print_counts: bool) -> Result<()> {
    let report = load_catalogue(config)?;
    let c = &report.catalogue;
    let lines = c.count_report();
    if print_counts {
        println!("| document | section | kind | the document holds | loaded |");
        println!("|---|---|---|---|---|");
        for l in &lines {
            println!("| {} | {} | {} | {} | {} |", l.document, l.section, l.kind, l.expected, l.found);
        }
    }
    let wrong: Vec<_> = lines.iter().filter(|l| l.expected != l.found).collect();
    for l in &wrong {
        eprintln!(
            "{} / {} / {}: the document holds {}, the catalogue {}",
            l.document, l.section, l.kind, l.expected, l.found
        );
    }
    if !wrong.is_empty() {
        bail!("{} section count(s) differ from what the documents hold", wrong.len());
    }
    println!(
        "catalogue OK: {} files; {} member states, {} bodies, {} partners, {} programmes, {} structure nodes, \
         {} actions, {} meetings, {} recommendations, {} conventions, {} ratification events, {} indicators, \
         {} instruments, {} glossary terms",
        report.files.len(),
        c.member_states.len(),
        c.bodies.len(),
        c.partners.len(),
        c.programmes.len(),
        c.nodes.len(),
        c.actions.len(),
        c.meetings.len(),
        c.recommendations.len(),
        c.conventions.len(),
        c.ratifications.len(),
        c.indicators.len(),
        c.instruments.len(),
        c.glossary.len()
    );
    Ok(())
}

async fn seed_catalogue(db: &Db, config: &Config) -> Result<()> {
    let report = load_catalogue(config)?;
    let outcome = seed::seed(db, &report.catalogue).await.context("seeding the catalogue")?;
    let total = seed::SeedReport::total;
    eprintln!(
        "catalogue: {} inserted, {} updated, {} unchanged, {} kept as edited locally",
        total(&outcome.inserted),
        total(&outcome.updated),
        total(&outcome.unchanged),
        total(&outcome.kept_local_edits)
    );
    Ok(())
}

/// Hides a password in a database URL before it is shown.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}://{user}:***{}", &url[..s], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}
