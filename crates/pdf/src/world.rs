//! The smallest typst world that serves a report: one main source (the template), the
//! templates it imports (built in, like it), one virtual `data.json` beside it, the shared font
//! set and today's date. It reads no file
//! and fetches no package: a template that asks for anything else gets "not found".

use std::sync::LazyLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use crate::fonts::FONTS;

/// Where the template finds its data: `json("data.json")`.
pub(crate) const DATA_PATH: &str = "/data.json";

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

pub(crate) struct ReportWorld {
    main: Source,
    /// Built-in templates the main one may `#import`.
    shared: Vec<Source>,
    data_id: FileId,
    data: Bytes,
}

impl ReportWorld {
    /// `main_path` names the template in diagnostics (e.g. `/annual_report.typ`).
    pub(crate) fn new(main_path: &str, template: &str, data: Vec<u8>) -> Result<Self, String> {
        let main_id = file_id(main_path)?;
        let data_id = file_id(DATA_PATH)?;
        Ok(Self {
            main: Source::new(main_id, template.to_owned()),
            shared: Vec::new(),
            data_id,
            data: Bytes::new(data),
        })
    }

    /// Adds built-in sources the template imports, each at its path (`/data_report.typ`).
    pub(crate) fn with_shared(mut self, files: &[(&str, &str)]) -> Result<Self, String> {
        for (path, text) in files {
            self.shared.push(Source::new(file_id(path)?, (*text).to_owned()));
        }
        Ok(self)
    }

    fn shared(&self, id: FileId) -> Option<&Source> {
        self.shared.iter().find(|s| s.id() == id)
    }
}

/// File ids are interned for the life of the process, so fixed paths keep their number bounded.
fn file_id(path: &str) -> Result<FileId, String> {
    let vpath = VirtualPath::new(path).map_err(|e| format!("invalid virtual path {path}: {e:?}"))?;
    Ok(FileId::new(RootedPath::new(VirtualRoot::Project, vpath)))
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else if id == self.data_id {
            Err(FileError::NotSource)
        } else if let Some(shared) = self.shared(id) {
            Ok(shared.clone())
        } else {
            Err(not_found(id))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else if id == self.main.id() {
            Ok(Bytes::from_string(self.main.clone()))
        } else if let Some(shared) = self.shared(id) {
            Ok(Bytes::from_string(shared.clone()))
        } else {
            Err(not_found(id))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.get(index)
    }

    /// UTC, whatever offset is asked for: reports carry their dates in the data, and this
    /// only serves `datetime.today()` as a fallback.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        let today = tripart_domain::time::today();
        let year = today.get(0..4)?.parse().ok()?;
        let month = today.get(5..7)?.parse().ok()?;
        let day = today.get(8..10)?.parse().ok()?;
        Datetime::from_ymd(year, month, day)
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_with_slash().trim_start_matches('/').into())
}
