//! RFC 4180 CSV: a header row, CRLF line ends, fields quoted when they hold a comma, a
//! quote or a line break. No byte-order mark: a caller serving Excel users may prepend one.

use crate::{looks_like_formula, Cell, Sheet};

/// The sheet's header row and data rows (its title and note are not part of the table).
pub fn to_csv(sheet: &Sheet) -> String {
    let width = sheet.columns.len();
    let mut out = String::new();
    write_record(&mut out, sheet.columns.iter().map(|c| guarded(&c.header)));
    for row in &sheet.rows {
        let cells = (0..width).map(|i| row.get(i).map_or(String::new(), field));
        write_record(&mut out, cells);
    }
    out
}

fn field(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(text) | Cell::Date(text) => guarded(text),
        Cell::Number(n) if n.is_finite() => n.to_string(),
        Cell::Number(_) => String::new(),
        Cell::Integer(n) => n.to_string(),
        Cell::Link { url, text } => guarded(if text.is_empty() { url } else { text }),
    }
}

fn guarded(text: &str) -> String {
    if looks_like_formula(text) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

fn write_record(out: &mut String, fields: impl Iterator<Item = String>) {
    for (i, value) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        if value.contains([',', '"', '\r', '\n']) {
            out.push('"');
            out.push_str(&value.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&value);
        }
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Column;

    fn sheet(headers: &[&str], rows: Vec<Vec<Cell>>) -> Sheet {
        Sheet {
            name: "t".into(),
            columns: headers.iter().map(|h| Column { header: (*h).into(), ..Column::default() }).collect(),
            rows,
            ..Sheet::default()
        }
    }

    #[test]
    fn quotes_fields_with_commas_quotes_and_line_breaks() {
        let s = sheet(&["a", "b, c"], vec![vec![Cell::Text("say \"hi\"".into()), Cell::Text("two\nlines".into())]]);
        assert_eq!(to_csv(&s), "a,\"b, c\"\r\n\"say \"\"hi\"\"\",\"two\nlines\"\r\n");
    }

    #[test]
    fn prefixes_text_that_looks_like_a_formula() {
        let s = sheet(
            &["x"],
            vec![
                vec![Cell::Text("=SUM(A1:A2)".into())],
                vec![Cell::Text("+1".into())],
                vec![Cell::Text("-2".into())],
                vec![Cell::Text("@cmd".into())],
                vec![Cell::Link { url: "https://e.org".into(), text: "=HYPERLINK(\"x\")".into() }],
                vec![Cell::Integer(-2)],
                vec![Cell::Number(-2.5)],
                vec![Cell::Text("a=b".into())],
            ],
        );
        let csv = to_csv(&s);
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(
            lines,
            ["x", "'=SUM(A1:A2)", "'+1", "'-2", "'@cmd", "\"'=HYPERLINK(\"\"x\"\")\"", "-2", "-2.5", "a=b", ""]
        );
    }

    #[test]
    fn pads_short_rows_and_drops_cells_beyond_the_columns() {
        let s = sheet(
            &["a", "b"],
            vec![vec![Cell::Integer(1)], vec![Cell::Integer(1), Cell::Integer(2), Cell::Integer(3)]],
        );
        assert_eq!(to_csv(&s), "a,b\r\n1,\r\n1,2\r\n");
    }

    #[test]
    fn writes_every_kind_of_cell() {
        let s = sheet(
            &["empty", "number", "nan", "date", "link", "bare link", "thai"],
            vec![vec![
                Cell::Empty,
                Cell::Number(3.0),
                Cell::Number(f64::NAN),
                Cell::Date("2025-03-14".into()),
                Cell::Link { url: "https://e.org/a".into(), text: "Report".into() },
                Cell::Link { url: "https://e.org/b".into(), text: String::new() },
                Cell::Text("กระทรวงแรงงาน".into()),
            ]],
        );
        assert_eq!(
            to_csv(&s),
            "empty,number,nan,date,link,bare link,thai\r\n,3,,2025-03-14,Report,https://e.org/b,กระทรวงแรงงาน\r\n"
        );
    }
}
