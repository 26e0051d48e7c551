//! Word documents that delegations can open and edit (DOCX, Office Open XML
//! WordprocessingML): a title, headings, paragraphs of plain, bold or italic runs,
//! and tables with a header row. The caller gives translated text; this crate only
//! lays it out with Word's built-in styles (Title, Heading 1, Heading 2), so that
//! a document's outline and table of contents work in Word and LibreOffice.

use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    /// The document's title in its properties.
    pub title: String,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Title(String),
    /// Level 1 or 2.
    Heading(u8, String),
    Paragraph(Vec<Run>),
    /// A header row and data rows; cells beyond the header's width are dropped.
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Run {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
}

impl Run {
    pub fn plain(text: impl Into<String>) -> Run {
        Run { text: text.into(), ..Run::default() }
    }
    pub fn bold(text: impl Into<String>) -> Run {
        Run { text: text.into(), bold: true, ..Run::default() }
    }
    pub fn italic(text: impl Into<String>) -> Run {
        Run { text: text.into(), italic: true, ..Run::default() }
    }
}

impl Block {
    /// A paragraph of one plain run.
    pub fn text(text: impl Into<String>) -> Block {
        Block::Paragraph(vec![Run::plain(text)])
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    #[error("writing the document package failed: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("writing the document package failed: {0}")]
    Io(#[from] std::io::Error),
}

/// Escapes text for XML, dropping the control characters XML 1.0 cannot hold.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// One run; line breaks in the text become Word line breaks.
fn run_xml(run: &Run) -> String {
    let mut props = String::new();
    if run.bold {
        props.push_str("<w:b/>");
    }
    if run.italic {
        props.push_str("<w:i/>");
    }
    let rpr = if props.is_empty() { String::new() } else { format!("<w:rPr>{props}</w:rPr>") };
    let body: Vec<String> = run
        .text
        .replace("\r\n", "\n")
        .split('\n')
        .map(|line| format!("<w:t xml:space=\"preserve\">{}</w:t>", escape(line)))
        .collect();
    format!("<w:r>{rpr}{}</w:r>", body.join("<w:br/>"))
}

fn paragraph_xml(style: Option<&str>, runs: &[Run]) -> String {
    let ppr = style.map(|s| format!("<w:pPr><w:pStyle w:val=\"{s}\"/></w:pPr>")).unwrap_or_default();
    format!("<w:p>{ppr}{}</w:p>", runs.iter().map(run_xml).collect::<String>())
}

fn cell_xml(text: &str, header: bool) -> String {
    let shading = if header { "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"1D3C6E\"/>" } else { "" };
    let run = if header {
        format!(
            "<w:r><w:rPr><w:b/><w:color w:val=\"FFFFFF\"/></w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r>",
            escape(text)
        )
    } else {
        run_xml(&Run::plain(text))
    };
    format!("<w:tc><w:tcPr>{shading}</w:tcPr><w:p>{run}</w:p></w:tc>")
}

fn table_xml(header: &[String], rows: &[Vec<String>]) -> String {
    let width = header.len().max(1);
    let mut xml = String::from(
        "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"5000\" w:type=\"pct\"/></w:tblPr><w:tblGrid>",
    );
    for _ in 0..width {
        xml.push_str("<w:gridCol/>");
    }
    xml.push_str("</w:tblGrid><w:tr><w:trPr><w:tblHeader/></w:trPr>");
    for h in header {
        xml.push_str(&cell_xml(h, true));
    }
    xml.push_str("</w:tr>");
    for row in rows {
        xml.push_str("<w:tr>");
        for i in 0..width {
            xml.push_str(&cell_xml(row.get(i).map(String::as_str).unwrap_or(""), false));
        }
        xml.push_str("</w:tr>");
    }
    // Word needs a paragraph between a table and what follows it.
    xml.push_str("</w:tbl><w:p/>");
    xml
}

fn document_xml(doc: &Document) -> String {
    let mut body = String::new();
    for block in &doc.blocks {
        body.push_str(&match block {
            Block::Title(t) => paragraph_xml(Some("Title"), &[Run::plain(t.as_str())]),
            Block::Heading(level, t) => {
                let style = if *level <= 1 { "Heading1" } else { "Heading2" };
                paragraph_xml(Some(style), &[Run::plain(t.as_str())])
            }
            Block::Paragraph(runs) => paragraph_xml(None, runs),
            Block::Table { header, rows } => table_xml(header, rows),
        });
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:body>{body}<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/>\
         <w:pgMar w:top=\"1134\" w:right=\"1134\" w:bottom=\"1134\" w:left=\"1134\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/>\
         </w:sectPr></w:body></w:document>"
    )
}

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
</Types>";

const ROOT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
</Relationships>";

const DOCUMENT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
</Relationships>";

/// Word's built-in style names, so that headings feed the navigation pane and a
/// table of contents.
const STYLES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Calibri\" w:hAnsi=\"Calibri\" w:cs=\"Calibri\"/><w:sz w:val=\"21\"/></w:rPr></w:rPrDefault>\
<w:pPrDefault><w:pPr><w:spacing w:after=\"120\"/></w:pPr></w:pPrDefault></w:docDefaults>\
<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/>\
<w:pPr><w:spacing w:after=\"240\"/></w:pPr><w:rPr><w:color w:val=\"1D3C6E\"/><w:sz w:val=\"44\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/>\
<w:pPr><w:keepNext/><w:spacing w:before=\"360\" w:after=\"120\"/><w:outlineLvl w:val=\"0\"/></w:pPr><w:rPr><w:b/><w:color w:val=\"1D3C6E\"/><w:sz w:val=\"30\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:name w:val=\"heading 2\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/>\
<w:pPr><w:keepNext/><w:spacing w:before=\"240\" w:after=\"80\"/><w:outlineLvl w:val=\"1\"/></w:pPr><w:rPr><w:b/><w:color w:val=\"1D3C6E\"/><w:sz w:val=\"24\"/></w:rPr></w:style>\
<w:style w:type=\"table\" w:styleId=\"TableGrid\"><w:name w:val=\"Table Grid\"/><w:tblPr><w:tblBorders>\
<w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"C8D1DE\"/><w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"C8D1DE\"/>\
<w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"C8D1DE\"/><w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"C8D1DE\"/>\
<w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"C8D1DE\"/><w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"C8D1DE\"/>\
</w:tblBorders><w:tblCellMar><w:left w:w=\"80\" w:type=\"dxa\"/><w:right w:w=\"80\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\
</w:styles>";

fn core_xml(title: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>{}</dc:title><dc:creator>Tripart</dc:creator>\
         </cp:coreProperties>",
        escape(title)
    )
}

/// The document as DOCX bytes.
pub fn to_docx(doc: &Document) -> Result<Vec<u8>, DocxError> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let parts: [(&str, String); 6] = [
        ("[Content_Types].xml", CONTENT_TYPES.to_string()),
        ("_rels/.rels", ROOT_RELS.to_string()),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS.to_string()),
        ("word/document.xml", document_xml(doc)),
        ("word/styles.xml", STYLES.to_string()),
        ("docProps/core.xml", core_xml(&doc.title)),
    ];
    for (name, content) in parts {
        zip.start_file(name, options)?;
        zip.write_all(content.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_line_breaks_kept() {
        let xml = run_xml(&Run::plain("a < b & \"c\"\nnext\u{1}"));
        assert!(
            xml.contains("a &lt; b &amp; &quot;c&quot;</w:t><w:br/><w:t xml:space=\"preserve\">next</w:t>"),
            "{xml}"
        );
    }
}
