//! Tripart's Excel template: one sheet per request, one row per observation asked for, the key
//! columns locked and the codes in drop-downs, pre-filled with what is already held; and the
//! reader that takes it (or any sheet with the same header) back. Column names are ILOSTAT's
//! field names, so the sheet reads like the bulk CSV it stands for.

use crate::obs::{Key, Problem, RawRow};
use crate::registry::Registry;
use calamine::{Data, Reader};
use serde::Deserialize;
use std::collections::HashMap;
use std::io::Cursor;
use std::sync::OnceLock;
use tripart_sheets::{Cell, Column, Sheet, Workbook};

/// The template's columns: the keys (locked), then what the focal point fills in.
pub const COLUMNS: [&str; 12] = [
    "ref_area",
    "indicator",
    "sex",
    "classif1",
    "classif2",
    "time",
    "obs_value",
    "obs_status",
    "source",
    "note_source",
    "evidence",
    "description",
];
const KEYS: usize = 6;

#[derive(Debug, Deserialize)]
struct CollectionFile {
    group: Vec<Group>,
}

/// A block of the yearly request: these indicators for every sex × classif1 given.
#[derive(Debug, Clone, Deserialize)]
pub struct Group {
    pub title: String,
    pub indicators: Vec<String>,
    #[serde(default)]
    pub sex: Vec<String>,
    #[serde(default)]
    pub classif1: Vec<String>,
}

/// What a member state is asked for each year (`data/collection.toml`).
pub fn collection() -> &'static [Group] {
    static GROUPS: OnceLock<Vec<Group>> = OnceLock::new();
    GROUPS.get_or_init(|| {
        // Part of the build, parsed and checked by a test: failing here is a defect of the build.
        #[allow(clippy::expect_used)]
        let f: CollectionFile =
            toml::from_str(include_str!("../../data/collection.toml")).expect("collection.toml parses");
        f.group
    })
}

/// The keys asked for from one member state for one period, in the request's order, with the
/// group each belongs to.
pub fn requested_keys(ref_area: &str, time: &str) -> Vec<(&'static str, Key)> {
    let mut out = Vec::new();
    for g in collection() {
        let sexes: Vec<&str> = if g.sex.is_empty() { vec![""] } else { g.sex.iter().map(String::as_str).collect() };
        let classifs: Vec<&str> =
            if g.classif1.is_empty() { vec![""] } else { g.classif1.iter().map(String::as_str).collect() };
        for ind in &g.indicators {
            for s in &sexes {
                for c in &classifs {
                    out.push((
                        g.title.as_str(),
                        Key {
                            ref_area: ref_area.into(),
                            indicator: ind.clone(),
                            sex: s.to_string(),
                            classif1: c.to_string(),
                            classif2: String::new(),
                            time: time.into(),
                        },
                    ));
                }
            }
        }
    }
    out
}

/// A value already held, to pre-fill the template with.
#[derive(Debug, Clone, Default)]
pub struct Held {
    pub value: Option<f64>,
    pub text: Option<String>,
    pub status: Option<String>,
    pub source: Option<String>,
    pub note_source: Option<String>,
    pub evidence: Option<String>,
}

/// The template for a member state and period. `title` and `guide` are in the user's language.
pub fn template(
    reg: &Registry,
    ref_area: &str,
    time: &str,
    held: &HashMap<Key, Held>,
    title: &str,
    guide: &str,
) -> Workbook {
    let statuses: Vec<String> = reg.codes_of("OBS_STATUS").map(|c| c.code.clone()).collect();
    let mut columns: Vec<Column> = COLUMNS
        .iter()
        .enumerate()
        .map(|(i, h)| Column { header: h.to_string(), locked: i < KEYS, ..Column::default() })
        .collect();
    columns[7].choices = Some(statuses);
    columns[11].width = Some(60.0);
    let text = |s: &str| if s.is_empty() { Cell::Empty } else { Cell::Text(s.to_string()) };
    let opt = |s: &Option<String>| s.as_deref().map(text).unwrap_or(Cell::Empty);
    let rows = requested_keys(ref_area, time)
        .into_iter()
        .map(|(group, k)| {
            let h = held.get(&k).cloned().unwrap_or_default();
            let measure = reg.series(&k.indicator).ok().and_then(|s| reg.measure(&s.measure).cloned());
            let value = match (&h.text, h.value) {
                (Some(t), _) => Cell::Text(t.clone()),
                (None, Some(v)) => Cell::Number(v),
                (None, None) => Cell::Empty,
            };
            let describe = |code: &str| reg.code(code).map(|c| c.name.clone()).unwrap_or_default();
            let mut description = match &measure {
                Some(m) => format!("{group}: {} ({})", m.name, unit_words(m)),
                None => group.to_string(),
            };
            for c in [&k.sex, &k.classif1] {
                if !c.is_empty() {
                    description.push_str(&format!("; {}", describe(c)));
                }
            }
            if let Some(m) = measure.as_ref().filter(|m| !m.scale.is_empty()) {
                let levels: Vec<String> = m.scale.iter().enumerate().map(|(i, l)| format!("{i} = {l}")).collect();
                description.push_str(&format!(". Levels: {}", levels.join("; ")));
            }
            vec![
                text(&k.ref_area),
                text(&k.indicator),
                text(&k.sex),
                text(&k.classif1),
                text(&k.classif2),
                text(&k.time),
                value,
                opt(&h.status),
                opt(&h.source),
                opt(&h.note_source),
                opt(&h.evidence),
                Cell::Text(description),
            ]
        })
        .collect();
    Workbook {
        sheets: vec![Sheet {
            name: format!("{ref_area} {time}"),
            title: Some(title.into()),
            note: Some(guide.into()),
            columns,
            rows,
        }],
    }
}

/// A measure's unit as people read it ("thousands of persons"): the template's and the entry
/// form's.
pub fn unit_words(m: &crate::registry::Measure) -> String {
    match m.unit_mult {
        3 => format!("thousands of {}", m.unit),
        6 => format!("millions of {}", m.unit),
        _ => m.unit.clone(),
    }
}

/// Reads every sheet whose header row (anywhere in its first ten rows) names at least
/// `ref_area`, `indicator`, `time` and `obs_value`. Line numbers are the sheet's row numbers.
pub fn read(bytes: &[u8]) -> Result<Vec<RawRow>, Vec<Problem>> {
    let fail = |reason: String| vec![Problem { line: 1, field: "file".into(), reason }];
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes.to_vec()))
        .map_err(|e| fail(format!("not a readable Excel workbook: {e}")))?;
    let mut rows = Vec::new();
    let mut found = false;
    for name in book.sheet_names() {
        let Ok(range) = book.worksheet_range(&name) else { continue };
        let first_row = range.start().map(|(r, _)| r as usize).unwrap_or(0);
        let all: Vec<&[Data]> = range.rows().collect();
        let Some((h, header)) = all.iter().enumerate().take(10).find(|(_, r)| {
            let names: Vec<String> = r.iter().map(cell_text).collect();
            ["ref_area", "indicator", "time", "obs_value"].iter().all(|n| names.iter().any(|x| x == n))
        }) else {
            continue;
        };
        found = true;
        let index: HashMap<String, usize> = header.iter().enumerate().map(|(i, c)| (cell_text(c), i)).collect();
        for (i, r) in all.iter().enumerate().skip(h + 1) {
            let f = |n: &str| index.get(n).and_then(|&j| r.get(j)).map(cell_text).unwrap_or_default();
            if f("ref_area").is_empty() && f("indicator").is_empty() && f("obs_value").is_empty() {
                continue;
            }
            let value = f("obs_value");
            // A row asked for but left empty is not a submission of that value.
            if value.is_empty() && f("obs_status").is_empty() {
                continue;
            }
            rows.push(RawRow {
                line: first_row + i + 1,
                ref_area: f("ref_area"),
                indicator: f("indicator"),
                sex: f("sex"),
                classif1: f("classif1"),
                classif2: f("classif2"),
                time: f("time"),
                obs_value: value,
                obs_status: f("obs_status"),
                source: f("source"),
                note_indicator: f("note_indicator"),
                note_source: f("note_source"),
                evidence: f("evidence"),
                ..RawRow::default()
            });
        }
    }
    if !found {
        return Err(fail("no sheet has the template's header row (ref_area, indicator, …, time, obs_value)".into()));
    }
    Ok(rows)
}

/// A cell as the text a CSV would hold: numbers in their shortest exact form.
fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) => format!("{f}"),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn every_requested_key_is_a_valid_row() {
        let reg = Registry::get();
        let keys = requested_keys("THA", "2024");
        assert!(keys.len() > 120, "{}", keys.len());
        for (_, k) in keys {
            let raw = RawRow {
                line: 2,
                ref_area: k.ref_area.clone(),
                indicator: k.indicator.clone(),
                sex: k.sex.clone(),
                classif1: k.classif1.clone(),
                time: k.time.clone(),
                obs_value: if k.indicator.ends_with("_TX") { "words".into() } else { "1".into() },
                ..RawRow::default()
            };
            crate::obs::check(&raw, reg, &["THA".to_string()]).unwrap_or_else(|p| panic!("{}: {p:?}", k.indicator));
        }
    }

    #[test]
    fn the_template_reads_back() {
        let reg = Registry::get();
        let key = requested_keys("VNM", "2023")[0].1.clone();
        let mut held = HashMap::new();
        held.insert(key.clone(), Held { value: Some(75123.4), status: Some("P".into()), ..Held::default() });
        let book = template(reg, "VNM", "2023", &held, "Viet Nam, 2023", "Fill in obs_value");
        let bytes = tripart_sheets::to_xlsx(&book).unwrap();
        let rows = read(&bytes).unwrap();
        assert_eq!(rows.len(), 1, "only the filled row is a submission");
        assert_eq!(rows[0].indicator, key.indicator);
        assert_eq!(rows[0].obs_value, "75123.4");
        assert_eq!(rows[0].obs_status, "P");
        assert_eq!(rows[0].line, 5, "title, note, a blank row, the header, then the first row");
    }
}
