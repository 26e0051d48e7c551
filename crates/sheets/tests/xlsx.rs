//! Writes workbooks and reads them back with calamine (values) and as XML (the parts of the
//! sheet calamine does not expose: drop-downs, protection, frozen panes, autofilter).

use std::io::{Cursor, Read};

use calamine::{open_workbook_from_rs, Data, Reader, SheetVisible, Xlsx};
use tripart_sheets::{to_xlsx, Cell, Column, Sheet, Workbook};

fn column(header: &str) -> Column {
    Column { header: header.into(), ..Column::default() }
}

fn text(s: &str) -> Cell {
    Cell::Text(s.into())
}

fn sample() -> Workbook {
    let actions = Sheet {
        name: "Actions 2025/26: [draft]".into(),
        title: Some("Actions of the SLOM Working Group".into()),
        note: Some("Demonstration data — not official figures".into()),
        columns: vec![
            Column { locked: true, ..column("Label") },
            Column { width: Some(40.0), ..column("Title") },
            Column {
                choices: Some(vec!["Completed".into(), "On-going".into(), "Not started".into()]),
                ..column("Status")
            },
            column("Updated"),
            column("Participants"),
            column("Share"),
            column("Link"),
        ],
        rows: vec![
            vec![
                text("1.1"),
                text("Hội thảo khu vực về kỹ năng số"),
                text("Completed"),
                Cell::Date("2025-03-14".into()),
                Cell::Integer(28),
                Cell::Number(0.375),
                Cell::Link { url: "https://example.org/report".into(), text: "Report".into() },
            ],
            vec![
                text("1.2"),
                text("การประชุมเชิงปฏิบัติการระดับภูมิภาค"),
                Cell::Empty,
                Cell::Date("not a date".into()),
                Cell::Empty,
                Cell::Number(f64::INFINITY),
                text("=HYPERLINK(\"https://evil.example\")"),
            ],
        ],
    };
    let countries = Sheet {
        name: "actions 2025_26_ _draft_".into(), // the same as the first once sanitised, bar case
        columns: vec![column("Member State"), Column { choices: Some(long_choices()), ..column("Indicator") }],
        rows: vec![vec![text("Viet Nam"), text("Indicator 7")], vec![text("Lao PDR")]],
        ..Sheet::default()
    };
    Workbook { sheets: vec![actions, countries] }
}

/// More than Excel's 255 characters when joined: goes to a hidden list sheet.
fn long_choices() -> Vec<String> {
    (1..=40).map(|i| format!("Indicator {i}, by sex")).collect()
}

fn sheet_xml(bytes: &[u8], n: usize) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap_or_else(|e| panic!("not a zip: {e}"));
    let name = format!("xl/worksheets/sheet{n}.xml");
    let mut entry = archive.by_name(&name).unwrap_or_else(|e| panic!("no {name}: {e}"));
    let mut xml = String::new();
    entry.read_to_string(&mut xml).unwrap_or_else(|e| panic!("reading {name}: {e}"));
    xml
}

#[test]
fn workbook_reads_back_with_values_names_and_types() {
    let bytes = to_xlsx(&sample()).unwrap();
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();

    let names = book.sheet_names();
    assert_eq!(names, ["Actions 2025_26_ _draft_", "actions 2025_26_ _draft_ (2)", "Lists"]);
    let visibility: Vec<SheetVisible> = book.sheets_metadata().iter().map(|s| s.visible).collect();
    assert_eq!(visibility, [SheetVisible::Visible, SheetVisible::Visible, SheetVisible::Hidden]);

    let range = book.worksheet_range(&names[0]).unwrap();
    let at = |row: u32, col: u32| range.get_value((row, col)).cloned().unwrap_or(Data::Empty);
    assert_eq!(at(0, 0), Data::String("Actions of the SLOM Working Group".into()));
    assert_eq!(at(1, 0), Data::String("Demonstration data — not official figures".into()));
    assert_eq!(at(2, 0), Data::Empty);
    let headers: Vec<Data> = (0..7).map(|c| at(3, c)).collect();
    assert_eq!(headers[0], Data::String("Label".into()));
    assert_eq!(headers[6], Data::String("Link".into()));

    assert_eq!(at(4, 1), Data::String("Hội thảo khu vực về kỹ năng số".into()));
    assert_eq!(at(4, 2), Data::String("Completed".into()));
    match at(4, 3) {
        // 2025-03-14 is Excel serial day 45730.
        Data::DateTime(date) => {
            assert!(date.is_datetime());
            assert_eq!(date.as_f64(), 45730.0);
        }
        other => panic!("expected a date, got {other:?}"),
    }
    assert_eq!(at(4, 4), Data::Float(28.0));
    assert_eq!(at(4, 5), Data::Float(0.375));
    assert_eq!(at(4, 6), Data::String("Report".into()));

    assert_eq!(at(5, 1), Data::String("การประชุมเชิงปฏิบัติการระดับภูมิภาค".into()));
    assert_eq!(at(5, 2), Data::Empty);
    assert_eq!(at(5, 3), Data::String("not a date".into()));
    assert_eq!(at(5, 5), Data::Empty);
    // Text that looks like a formula stays text.
    assert_eq!(at(5, 6), Data::String("=HYPERLINK(\"https://evil.example\")".into()));
    let formulas = book.worksheet_formula(&names[0]).unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "no cell may hold a formula");

    let second = book.worksheet_range(&names[1]).unwrap();
    assert_eq!(second.get_value((0, 0)), Some(&Data::String("Member State".into())));
    assert_eq!(second.get_value((1, 0)), Some(&Data::String("Viet Nam".into())));
    assert_eq!(second.get_value((2, 0)), Some(&Data::String("Lao PDR".into())));

    let lists = book.worksheet_range("Lists").unwrap();
    assert_eq!(lists.get_value((0, 0)), Some(&Data::String("Indicator 1, by sex".into())));
    assert_eq!(lists.get_value((39, 0)), Some(&Data::String("Indicator 40, by sex".into())));
}

#[test]
fn header_is_frozen_filtered_and_key_columns_are_protected() {
    let bytes = to_xlsx(&sample()).unwrap();
    let first = sheet_xml(&bytes, 1);
    assert!(first.contains(r#"<pane ySplit="4" topLeftCell="A5" activePane="bottomLeft" state="frozen"/>"#), "{first}");
    assert!(first.contains(r#"<autoFilter ref="A4:G6"/>"#), "{first}");
    assert!(first.contains("<sheetProtection"), "{first}");
    assert!(first.contains(r#"autoFilter="0""#) && first.contains(r#"sort="0""#), "filtering and sorting stay allowed");
    assert!(first.contains(r#"<formula1>"Completed,On-going,Not started"</formula1>"#), "{first}");
    assert!(first.contains(r#"sqref="C5:C1048576""#), "{first}");

    let second = sheet_xml(&bytes, 2);
    assert!(!second.contains("<sheetProtection"), "no locked column, no protection");
    assert!(second.contains("<formula1>'Lists'!$A$1:$A$40</formula1>"), "{second}");
    assert!(second.contains(r#"<pane ySplit="1""#), "{second}");
}

#[test]
fn empty_workbook_still_opens() {
    let bytes = to_xlsx(&Workbook::default()).unwrap();
    let book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), ["Sheet"]);
}
