//! Excel workbooks: per sheet an optional title and note, a bold filled header row frozen at
//! the top with an autofilter, dates with a date format, drop-down lists and key-column
//! protection. Text is always written as a string cell, so it can never become a formula.

use rust_xlsxwriter::{
    Color, DataValidation, ExcelDateTime, Format, FormatAlign, FormatBorder, FormatUnderline, Formula,
    ProtectionOptions, Url, Workbook as XlsxWorkbook, Worksheet, XlsxError,
};

use crate::names::unique_sheet_names;
use crate::{Cell, Column, Sheet, SheetsError, Workbook};

/// Excel's longest cell text, in UTF-16 code units.
const MAX_TEXT: usize = 32_767;
/// Excel's limit on an inline drop-down list (the choices joined by commas).
const MAX_INLINE_LIST: usize = 255;
/// Rows sampled to size a column that has no width.
const WIDTH_SAMPLE: usize = 200;
const HEADER_FILL: u32 = 0xDCE6F1;
const NOTE_COLOUR: u32 = 0xB3261E;
const LINK_COLOUR: u32 = 0x0563C1;

pub fn to_xlsx(book: &Workbook) -> Result<Vec<u8>, SheetsError> {
    let placeholder = [Sheet::default()];
    let sheets = if book.sheets.is_empty() { &placeholder[..] } else { &book.sheets[..] };

    // Drop-down lists that Excel cannot hold inline go to one hidden sheet, a column each.
    let long_lists: Vec<&[String]> = sheets
        .iter()
        .flat_map(|s| &s.columns)
        .filter_map(|c| c.choices.as_deref())
        .filter(|l| !fits_inline(l))
        .collect();
    let mut names =
        unique_sheet_names(sheets.iter().map(|s| s.name.as_str()).chain((!long_lists.is_empty()).then_some("Lists")));
    let lists_name = if long_lists.is_empty() { None } else { names.pop() };

    let mut workbook = XlsxWorkbook::new();
    let mut lists = ListSheet { name: lists_name.clone().unwrap_or_default(), used: Vec::new() };
    for (sheet, name) in sheets.iter().zip(names) {
        let worksheet =
            write_sheet(sheet, &name, &mut lists).map_err(|source| SheetsError::Xlsx { sheet: name, source })?;
        workbook.push_worksheet(worksheet);
    }
    if let Some(name) = lists_name {
        let worksheet = lists.into_worksheet().map_err(|source| SheetsError::Xlsx { sheet: name, source })?;
        workbook.push_worksheet(worksheet);
    }
    workbook.save_to_buffer().map_err(SheetsError::Workbook)
}

fn fits_inline(choices: &[String]) -> bool {
    let joined: usize = choices.iter().map(|c| c.chars().count()).sum::<usize>() + choices.len().saturating_sub(1);
    joined <= MAX_INLINE_LIST && !choices.iter().any(|c| c.contains(',') || c.contains('"'))
}

/// The hidden sheet holding long drop-down lists, filled as sheets refer to it.
struct ListSheet {
    name: String,
    used: Vec<Vec<String>>,
}

impl ListSheet {
    /// A reference such as `='Lists'!$A$1:$A$40` to a column holding `choices`.
    fn reference(&mut self, choices: &[String]) -> Formula {
        let col = self.used.iter().position(|l| l == choices).unwrap_or_else(|| {
            self.used.push(choices.to_vec());
            self.used.len() - 1
        });
        let letter = column_letters(col);
        let last = choices.len().max(1);
        Formula::new(format!("='{}'!${letter}$1:${letter}${last}", self.name.replace('\'', "''")))
    }

    fn into_worksheet(self) -> Result<Worksheet, XlsxError> {
        let mut worksheet = Worksheet::new();
        worksheet.set_name(&self.name)?;
        worksheet.set_hidden(true);
        for (col, list) in self.used.iter().enumerate() {
            for (row, choice) in list.iter().enumerate() {
                worksheet.write_string(to_row(row)?, to_col(col)?, clip(choice))?;
            }
        }
        Ok(worksheet)
    }
}

/// The formats of one column's data cells.
struct CellFormats {
    text: Format,
    number: Format,
    date: Format,
    link: Format,
}

impl CellFormats {
    fn new(unlocked: bool) -> Self {
        let base = Format::new().set_align(FormatAlign::Top);
        let base = if unlocked { base.set_unlocked() } else { base };
        Self {
            text: base.clone().set_text_wrap(),
            number: base.clone(),
            date: base.clone().set_num_format("yyyy-mm-dd").set_align(FormatAlign::Left),
            link: base.set_font_color(Color::RGB(LINK_COLOUR)).set_underline(FormatUnderline::Single),
        }
    }
}

fn write_sheet(sheet: &Sheet, name: &str, lists: &mut ListSheet) -> Result<Worksheet, XlsxError> {
    let mut worksheet = Worksheet::new();
    worksheet.set_name(name)?;

    let mut row: u32 = 0;
    if let Some(title) = sheet.title.as_deref().filter(|t| !t.is_empty()) {
        worksheet.write_string_with_format(row, 0, clip(title), &Format::new().set_bold().set_font_size(14))?;
        row += 1;
    }
    if let Some(note) = sheet.note.as_deref().filter(|n| !n.is_empty()) {
        let format = Format::new().set_italic().set_font_color(Color::RGB(NOTE_COLOUR));
        worksheet.write_string_with_format(row, 0, clip(note), &format)?;
        row += 1;
    }
    if row > 0 {
        row += 1; // a blank line between the heading lines and the table
    }
    if sheet.columns.is_empty() {
        return Ok(worksheet);
    }

    let header_row = row;
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(HEADER_FILL))
        .set_border_bottom(FormatBorder::Thin)
        .set_align(FormatAlign::Top)
        .set_text_wrap();
    let protected = sheet.columns.iter().any(|c| c.locked);
    let locked_formats = CellFormats::new(false);
    let unlocked_formats = CellFormats::new(protected);
    let last_col = to_col(sheet.columns.len() - 1)?;
    let last_row = header_row + u32::try_from(sheet.rows.len()).map_err(|_| XlsxError::RowColumnLimitError)?;

    for (i, column) in sheet.columns.iter().enumerate() {
        let col = to_col(i)?;
        worksheet.write_string_with_format(header_row, col, clip(&column.header), &header)?;
        worksheet.set_column_width(col, column.width.unwrap_or_else(|| natural_width(column, i, &sheet.rows)))?;
        if protected && !column.locked {
            // Rows added below the table stay editable in this column too.
            worksheet.set_column_format(col, &Format::new().set_unlocked())?;
        }
        if let Some(choices) = column.choices.as_deref().filter(|c| !c.is_empty()) {
            let validation = if fits_inline(choices) {
                DataValidation::new().allow_list_strings(choices)?
            } else {
                DataValidation::new().allow_list_formula(lists.reference(choices))
            };
            // The whole column below the header, so that added rows are checked as well.
            worksheet.add_data_validation(header_row + 1, col, MAX_ROW, col, &validation)?;
        }
    }

    for (r, cells) in sheet.rows.iter().enumerate() {
        let at = header_row + 1 + to_row(r)?;
        for (i, (cell, column)) in cells.iter().zip(&sheet.columns).enumerate() {
            let formats = if column.locked { &locked_formats } else { &unlocked_formats };
            write_cell(&mut worksheet, at, to_col(i)?, cell, formats)?;
        }
    }

    worksheet.set_freeze_panes(header_row + 1, 0)?;
    worksheet.autofilter(header_row, 0, last_row, last_col)?;
    if protected {
        let options = ProtectionOptions {
            sort: true,
            use_autofilter: true,
            format_columns: true,
            format_rows: true,
            insert_rows: true,
            ..ProtectionOptions::default()
        };
        worksheet.protect_with_options(&options);
    }
    Ok(worksheet)
}

fn write_cell(
    worksheet: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    formats: &CellFormats,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Empty => {
            worksheet.write_blank(row, col, &formats.number)?;
        }
        Cell::Text(text) => {
            worksheet.write_string_with_format(row, col, clip(text), &formats.text)?;
        }
        Cell::Number(n) if n.is_finite() => {
            worksheet.write_number_with_format(row, col, *n, &formats.number)?;
        }
        Cell::Number(_) => {
            worksheet.write_blank(row, col, &formats.number)?;
        }
        // Excel keeps 15 significant digits whatever the type, so f64 loses nothing it keeps.
        Cell::Integer(n) => {
            worksheet.write_number_with_format(row, col, *n as f64, &formats.number)?;
        }
        Cell::Date(text) => match ExcelDateTime::parse_from_str(text) {
            Ok(date) => {
                worksheet.write_datetime_with_format(row, col, date, &formats.date)?;
            }
            Err(_) => {
                worksheet.write_string_with_format(row, col, clip(text), &formats.text)?;
            }
        },
        Cell::Link { url, text } => {
            let shown = if text.is_empty() { url } else { text };
            let link = Url::new(url.as_str()).set_text(clip(shown));
            // A URL Excel refuses (too long, too many in the sheet) is kept as plain text.
            if worksheet.write_url_with_format(row, col, link, &formats.link).is_err() {
                worksheet.write_string_with_format(row, col, clip(shown), &formats.text)?;
            }
        }
    }
    Ok(())
}

/// Characters of the longest of the header and the first rows, within sensible bounds.
fn natural_width(column: &Column, index: usize, rows: &[Vec<Cell>]) -> f64 {
    let longest = rows
        .iter()
        .take(WIDTH_SAMPLE)
        .filter_map(|r| r.get(index))
        .map(|cell| match cell {
            Cell::Empty => 0,
            Cell::Text(t) => t.lines().map(|l| l.chars().count()).max().unwrap_or(0),
            Cell::Number(n) => n.to_string().len(),
            Cell::Integer(n) => n.to_string().len(),
            Cell::Date(_) => 10,
            Cell::Link { url, text } => if text.is_empty() { url } else { text }.chars().count(),
        })
        .chain([column.header.chars().count()])
        .max()
        .unwrap_or(0);
    // Cast is exact: `longest` is clamped to at most 60 first.
    (longest.clamp(6, 60) as f64) + 2.0
}

/// Text within Excel's cell limit.
fn clip(text: &str) -> &str {
    let mut units = 0;
    for (i, c) in text.char_indices() {
        units += c.len_utf16();
        if units > MAX_TEXT {
            return &text[..i];
        }
    }
    text
}

const MAX_ROW: u32 = 1_048_575;

fn to_row(index: usize) -> Result<u32, XlsxError> {
    u32::try_from(index).ok().filter(|r| *r <= MAX_ROW).ok_or(XlsxError::RowColumnLimitError)
}

fn to_col(index: usize) -> Result<u16, XlsxError> {
    u16::try_from(index).ok().filter(|c| *c < 16_384).ok_or(XlsxError::RowColumnLimitError)
}

/// `A`, `B`, …, `Z`, `AA`, … for a zero-based column index.
fn column_letters(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_columns_like_excel() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn clips_text_to_excel_limit() {
        let long = "é".repeat(40_000);
        assert_eq!(clip(&long).encode_utf16().count(), MAX_TEXT);
        assert_eq!(clip("short"), "short");
    }
}
