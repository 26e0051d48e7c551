//! Evidence files attached to progress updates: only the document and image
//! formats the field exchanges, recognised by their content (not by what the
//! client claims), with limits on size and number.

use super::invalid;
use crate::edit::EditError;
use crate::{params, Db, StorageError};
use base64::Engine as _;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// At most this many bytes per file: reports and photographs, not datasets.
pub const MAX_FILE_BYTES: usize = 8 * 1024 * 1024;
/// At most this many files per update.
pub const MAX_FILES: usize = 5;

/// A file as uploaded.
#[derive(Debug, Clone)]
pub struct NewFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A stored file's description, without its content.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvidenceFile {
    pub id: String,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub sha256: String,
}

/// The media type of an accepted file, from its first bytes and, for the
/// zip-based office formats, its extension.
pub fn media_type(name: &str, bytes: &[u8]) -> Option<&'static str> {
    let ext = name.rsplit('.').next().unwrap_or_default().to_ascii_lowercase();
    if bytes.starts_with(b"%PDF-") {
        return Some("application/pdf");
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some("image/png");
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some("image/jpeg");
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        return Some("image/gif");
    }
    if bytes.len() > 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        return Some("image/webp");
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return match ext.as_str() {
            "docx" => Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            "xlsx" => Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            "pptx" => Some("application/vnd.openxmlformats-officedocument.presentationml.presentation"),
            "odt" => Some("application/vnd.oasis.opendocument.text"),
            "ods" => Some("application/vnd.oasis.opendocument.spreadsheet"),
            _ => None,
        };
    }
    // The compound file format of Word 97-2003 and Excel 97-2003.
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return match ext.as_str() {
            "doc" => Some("application/msword"),
            "xls" => Some("application/vnd.ms-excel"),
            _ => None,
        };
    }
    None
}

/// Checks the files of one update and returns each with its media type.
pub(crate) fn check_files(files: &[NewFile]) -> Result<Vec<&'static str>, EditError> {
    if files.len() > MAX_FILES {
        return Err(invalid("files", format!("at most {MAX_FILES} files per update")));
    }
    files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let field = format!("files[{i}]");
            let name = f.name.trim();
            if name.is_empty() || name.chars().count() > 200 || name.contains(['/', '\\', '\0']) {
                return Err(invalid(&field, "a file needs a plain name of at most 200 characters"));
            }
            if f.bytes.is_empty() {
                return Err(invalid(&field, format!("`{name}` is empty")));
            }
            if f.bytes.len() > MAX_FILE_BYTES {
                return Err(invalid(&field, format!("`{name}` is larger than {} MiB", MAX_FILE_BYTES / (1024 * 1024))));
            }
            media_type(name, &f.bytes).ok_or_else(|| {
                invalid(
                    &field,
                    format!("`{name}` is not a PDF, Word, Excel, PowerPoint, OpenDocument or image (PNG, JPEG, GIF, WebP) file"),
                )
            })
        })
        .collect()
}

/// Stores one checked file for an update, inside the update's transaction.
pub(crate) async fn store(
    tx: &mut crate::Tx,
    update_id: &str,
    file: &NewFile,
    media_type: &str,
) -> Result<EvidenceFile, StorageError> {
    let id = crate::audit::new_id();
    let sha256 = hex::encode(Sha256::digest(&file.bytes));
    let content = base64::engine::general_purpose::STANDARD.encode(&file.bytes);
    let size = file.bytes.len() as i64;
    tx.execute(
        "INSERT INTO evidence_file (id, update_id, file_name, media_type, size_bytes, sha256, content_base64) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &params![&id, update_id, file.name.trim(), media_type, size, &sha256, content],
    )
    .await?;
    Ok(EvidenceFile {
        id,
        file_name: file.name.trim().to_string(),
        media_type: media_type.into(),
        size_bytes: size,
        sha256,
    })
}

/// A file with its content, for download.
pub async fn file(db: &Db, id: &str) -> Result<Option<(EvidenceFile, Vec<u8>)>, StorageError> {
    let Some(r) = db.fetch_optional("SELECT * FROM evidence_file WHERE id = $1", &params![id]).await? else {
        return Ok(None);
    };
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(r.str("content_base64")?)
        .map_err(|e| StorageError::Corrupt(format!("evidence file {id}: {e}")))?;
    Ok(Some((from_row(&r)?, bytes)))
}

pub(crate) fn from_row(r: &crate::Row) -> Result<EvidenceFile, StorageError> {
    Ok(EvidenceFile {
        id: r.str("id")?,
        file_name: r.str("file_name")?,
        media_type: r.str("media_type")?,
        size_bytes: r.i64("size_bytes")?,
        sha256: r.str("sha256")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_recognised_by_content() {
        assert_eq!(media_type("x.pdf", b"%PDF-1.7 ..."), Some("application/pdf"));
        assert_eq!(media_type("report.PDF", b"<html>"), None);
        assert_eq!(
            media_type("a.docx", b"PK\x03\x04rest"),
            Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        );
        assert_eq!(media_type("a.zip", b"PK\x03\x04rest"), None);
        assert_eq!(media_type("p.jpg", &[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
    }

    #[test]
    fn limits_are_enforced() {
        let big = NewFile { name: "big.pdf".into(), bytes: [b"%PDF-".as_slice(), &vec![0; MAX_FILE_BYTES]].concat() };
        assert!(check_files(&[big]).is_err());
        let exe = NewFile { name: "tool.exe".into(), bytes: b"MZ\x90\x00".to_vec() };
        assert!(check_files(&[exe]).is_err());
        let ok = NewFile { name: "minutes.pdf".into(), bytes: b"%PDF-1.4 x".to_vec() };
        assert_eq!(check_files(&[ok]).unwrap(), vec!["application/pdf"]);
    }
}
