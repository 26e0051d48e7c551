//! The fonts every document may use: those embedded by `typst-assets` (Libertinus Serif,
//! New Computer Modern, DejaVu Sans Mono; enough for Latin and Vietnamese text), then any
//! found in the system font folders, so that names in Thai, Khmer, Lao or Myanmar script
//! render where the server has such fonts installed. Built once per process.

use std::path::{Path, PathBuf};
use std::sync::{LazyLock, OnceLock};

use typst::foundations::Bytes;
use typst::text::{Font, FontBook, FontInfo};
use typst::utils::LazyHash;

/// Folders scanned for system fonts, in order of preference.
const SYSTEM_FONT_DIRS: &[&str] = &["/usr/share/fonts", "/usr/local/share/fonts"];

/// Font files nested deeper than this are ignored (guards against symlink loops).
const MAX_DEPTH: usize = 6;

pub(crate) struct FontSet {
    pub(crate) book: LazyHash<FontBook>,
    slots: Vec<Slot>,
}

/// One face of the book. System faces are parsed on first use only, so a server with many
/// fonts installed pays for reading their metadata once, not for keeping them all in memory.
enum Slot {
    Loaded(Font),
    File { path: PathBuf, index: u32, font: OnceLock<Option<Font>> },
}

pub(crate) static FONTS: LazyLock<FontSet> = LazyLock::new(FontSet::load);

impl FontSet {
    fn load() -> Self {
        let mut book = FontBook::new();
        let mut slots = Vec::new();
        for data in typst_assets::fonts() {
            for font in Font::iter(Bytes::new(data)) {
                book.push(font.info().clone());
                slots.push(Slot::Loaded(font));
            }
        }
        let mut files = Vec::new();
        for dir in SYSTEM_FONT_DIRS {
            collect_font_files(Path::new(dir), 0, &mut files);
        }
        for path in files {
            // An unreadable or malformed file is skipped: system fonts are a bonus.
            let Ok(data) = std::fs::read(&path) else { continue };
            for (index, info) in FontInfo::iter(&data).enumerate() {
                let Ok(index) = u32::try_from(index) else { break };
                book.push(info);
                slots.push(Slot::File { path: path.clone(), index, font: OnceLock::new() });
            }
        }
        Self { book: LazyHash::new(book), slots }
    }

    pub(crate) fn get(&self, index: usize) -> Option<Font> {
        match self.slots.get(index)? {
            Slot::Loaded(font) => Some(font.clone()),
            Slot::File { path, index, font } => font
                .get_or_init(|| {
                    let data = std::fs::read(path).ok()?;
                    Font::new(Bytes::new(data), *index)
                })
                .clone(),
        }
    }
}

fn collect_font_files(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    if depth > MAX_DEPTH {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    // Sorted, so that the same machine always builds the same book.
    paths.sort();
    for path in paths {
        if path.is_dir() {
            collect_font_files(&path, depth + 1, out);
        } else if is_font_file(&path) {
            out.push(path);
        }
    }
}

fn is_font_file(path: &Path) -> bool {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    matches!(ext.as_deref(), Some("ttf" | "otf" | "ttc" | "otc"))
}
