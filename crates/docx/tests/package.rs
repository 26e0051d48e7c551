//! A document comes out as a valid package: the parts Word needs, the text where
//! it belongs, the XML well-formed.

use std::io::{Cursor, Read};
use tripart_docx::{to_docx, Block, Document, Run};

fn part(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap_or_else(|e| panic!("not a zip: {e}"));
    let mut file = archive.by_name(name).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut text = String::new();
    file.read_to_string(&mut text).unwrap_or_else(|e| panic!("{name}: {e}"));
    text
}

#[test]
fn a_document_has_its_parts_and_its_text() {
    let doc = Document {
        title: "Progress paper <draft>".into(),
        blocks: vec![
            Block::Title("Progress on the recommendations of the 5th AFML".into()),
            Block::Heading(1, "Recommendation 1".into()),
            Block::Paragraph(vec![Run::bold("Cambodia: "), Run::italic("Sub-decree drafted & circulated.")]),
            Block::Table {
                header: vec!["Member state".into(), "Status".into()],
                rows: vec![vec!["Viet Nam".into(), "Implemented".into()], vec!["ไทย".into()]],
            },
        ],
    };
    let bytes = to_docx(&doc).unwrap_or_else(|e| panic!("{e}"));
    assert!(bytes.starts_with(b"PK\x03\x04"));
    for name in
        ["[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels", "word/styles.xml", "docProps/core.xml"]
    {
        assert!(!part(&bytes, name).is_empty(), "{name}");
    }
    let body = part(&bytes, "word/document.xml");
    assert!(body.contains("Sub-decree drafted &amp; circulated."));
    assert!(body.contains("<w:pStyle w:val=\"Heading1\"/>"));
    assert!(body.contains("ไทย"), "non-Latin text kept");
    assert_eq!(body.matches("</w:tr>").count(), 3, "header and two rows");
    assert!(part(&bytes, "docProps/core.xml").contains("Progress paper &lt;draft&gt;"));
}
