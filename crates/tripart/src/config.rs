//! One typed configuration, layered: command-line flags over `TRIPART_*`
//! environment variables over an optional TOML file over defaults. With nothing
//! set, Tripart runs on `tripart.db` (SQLite) in the working directory.

use anyhow::{Context, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The settings as the TOML file may give them (all optional).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub database_url: Option<String>,
    pub bind: Option<String>,
    pub catalogue: Option<PathBuf>,
    pub behind_tls: Option<bool>,
}

/// The settings in force.
#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub bind: String,
    pub catalogue: PathBuf,
    /// Whether Tripart sits behind a TLS-terminating proxy (cookies are then Secure).
    pub behind_tls: bool,
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://tripart.db";
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";

/// The values that flags or environment variables set (clap reads both).
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub config_file: Option<PathBuf>,
    pub database_url: Option<String>,
    pub bind: Option<String>,
    pub catalogue: Option<PathBuf>,
    pub behind_tls: Option<bool>,
}

impl Config {
    pub fn resolve(o: &Overrides) -> Result<Config> {
        let file = match &o.config_file {
            Some(path) => {
                let text =
                    std::fs::read_to_string(path).with_context(|| format!("reading config file {}", path.display()))?;
                toml::from_str::<FileConfig>(&text)
                    .with_context(|| format!("parsing config file {}", path.display()))?
            }
            None => FileConfig::default(),
        };
        Ok(Config {
            database_url: o
                .database_url
                .clone()
                .or(file.database_url)
                .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string()),
            bind: o.bind.clone().or(file.bind).unwrap_or_else(|| DEFAULT_BIND.to_string()),
            catalogue: o.catalogue.clone().or(file.catalogue).unwrap_or_else(default_catalogue),
            behind_tls: o.behind_tls.or(file.behind_tls).unwrap_or(false),
        })
    }
}

/// `catalogue/` in the working directory, else the one in the source tree this
/// binary was built from, so that `cargo run` works from anywhere in the clone.
fn default_catalogue() -> PathBuf {
    let local = PathBuf::from("catalogue");
    if local.is_dir() {
        return local;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../catalogue")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_the_file_which_wins_over_defaults() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("tripart.toml");
        std::fs::write(&path, "database_url = \"postgres://db/file\"\nbind = \"0.0.0.0:9000\"\n")?;
        let from_file = Config::resolve(&Overrides { config_file: Some(path.clone()), ..Default::default() })?;
        assert_eq!(from_file.database_url, "postgres://db/file");
        assert_eq!(from_file.bind, "0.0.0.0:9000");
        let flagged = Config::resolve(&Overrides {
            config_file: Some(path),
            database_url: Some("sqlite://other.db".into()),
            ..Default::default()
        })?;
        assert_eq!(flagged.database_url, "sqlite://other.db");
        assert_eq!(flagged.bind, "0.0.0.0:9000");
        let defaults = Config::resolve(&Overrides::default())?;
        assert_eq!(defaults.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(defaults.bind, DEFAULT_BIND);
        Ok(())
    }

    #[test]
    fn unknown_keys_in_the_file_are_refused() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("tripart.toml");
        std::fs::write(&path, "databse_url = \"x\"\n")?;
        let err =
            Config::resolve(&Overrides { config_file: Some(path), ..Default::default() }).map(|_| ()).unwrap_err();
        assert!(format!("{err:#}").contains("databse_url"), "{err:#}");
        Ok(())
    }
}
