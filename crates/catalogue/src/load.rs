//! Walks the catalogue folder, parses every file and hands the entries to the
//! validator. All problems are collected, each naming its file and entry, so that a
//! curator sees every mistake in one run.

use crate::model::Catalogue;
use crate::raw::RawFile;
use crate::validate::Builder;
use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in the catalogue files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueError {
    /// The file, relative to the catalogue folder.
    pub file: String,
    /// The entry (`action slom-wg-wp-2011-2015.7.2`), or empty for the whole file.
    pub entry: String,
    pub message: String,
}

impl fmt::Display for CatalogueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.entry.is_empty() {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}: {}: {}", self.file, self.entry, self.message)
        }
    }
}

/// A loaded, valid catalogue, with the files it came from.
#[derive(Debug)]
pub struct LoadReport {
    pub catalogue: Catalogue,
    pub files: Vec<String>,
}

/// Loads and validates every `.toml` file below `dir`.
pub fn load_dir(dir: &Path) -> Result<LoadReport, Vec<CatalogueError>> {
    let mut paths = Vec::new();
    if let Err(e) = collect_toml(dir, &mut paths) {
        return Err(vec![CatalogueError {
            file: dir.display().to_string(),
            entry: String::new(),
            message: format!("cannot read the catalogue folder: {e}"),
        }]);
    }
    paths.sort();
    let mut builder = Builder::default();
    let mut errors = Vec::new();
    let mut files = Vec::new();
    for path in &paths {
        let rel = path.strip_prefix(dir).unwrap_or(path).to_string_lossy().replace('\\', "/");
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                errors.push(file_error(&rel, format!("cannot read: {e}")));
                continue;
            }
        };
        match toml::from_str::<RawFile>(&text) {
            Ok(raw) => {
                builder.add_file(&rel, raw);
                files.push(rel);
            }
            Err(e) => errors.push(file_error(&rel, e.to_string().trim_end().to_string())),
        }
    }
    if paths.is_empty() {
        errors.push(file_error(&dir.display().to_string(), "holds no .toml files".into()));
    }
    match builder.finish() {
        Ok(catalogue) if errors.is_empty() => Ok(LoadReport { catalogue, files }),
        Ok(_) => Err(errors),
        Err(mut more) => {
            errors.append(&mut more);
            Err(errors)
        }
    }
}

fn file_error(file: &str, message: String) -> CatalogueError {
    CatalogueError { file: file.to_string(), entry: String::new(), message }
}

fn collect_toml(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_toml(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
    Ok(())
}
