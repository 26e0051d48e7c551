//! A large ILOSTAT file is read on two threads: the observations, their line numbers and the
//! problems must be exactly those of a file read in one piece, quoted line breaks included.

use tripart_stats::formats;
use tripart_stats::Registry;

const HEADER: &str = "ref_area,source,indicator,sex,classif1,classif2,time,obs_value,obs_status,note_source\n";

/// About 6 MB of valid rows; every 1,000th note holds a quoted line break (one physical line
/// more), and `bad` rows (by index) get a value that is not a number.
fn file(bad: &[usize]) -> (String, Vec<usize>) {
    let mut s = String::from(HEADER);
    let mut line = 1;
    let mut lines = Vec::new();
    let mut i = 0;
    'out: for year in 1900..2100 {
        for area in ["BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM"] {
            for sex in ["SEX_T", "SEX_M", "SEX_F"] {
                for age in ["AGE_YTHADULT_YGE15", "AGE_YTHADULT_Y15-24", "AGE_YTHADULT_YGE25"] {
                    line += 1;
                    lines.push(line);
                    let value = if bad.contains(&i) { "n/a".to_string() } else { format!("{}.5", i % 97) };
                    let note = if i % 1000 == 0 {
                        line += 1;
                        "\"a note, \"\"quoted\"\",\non two lines\"".to_string()
                    } else {
                        "a plain note for the benchmark of a two-thread read".to_string()
                    };
                    s.push_str(&format!("{area},LFS,EAP_TEAP_SEX_AGE_NB,{sex},{age},,{year},{value},,{note}\n"));
                    i += 1;
                    if s.len() > 6 << 20 {
                        break 'out;
                    }
                }
            }
        }
    }
    (s, lines)
}

fn areas() -> Vec<String> {
    ["BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM"].map(String::from).to_vec()
}

#[test]
fn a_large_file_keeps_every_row_and_its_line() {
    let (text, lines) = file(&[]);
    let parsed = formats::read(text.as_bytes(), Registry::get(), &areas()).unwrap_or_else(|p| panic!("{:?}", &p[..3]));
    assert_eq!(parsed.observations.len(), lines.len());
    let got: Vec<usize> = parsed.observations.iter().map(|o| o.line).collect();
    assert_eq!(got, lines, "every observation keeps its physical line");
    assert!(parsed.observations.iter().any(|o| o.note_source.as_deref() == Some("a note, \"quoted\",\non two lines")));
}

#[test]
fn problems_in_both_halves_name_their_lines() {
    let (text, lines) = file(&[10, lines_half(), lines_half() + 5_000]);
    let problems = formats::read(text.as_bytes(), Registry::get(), &areas()).err().unwrap_or_default();
    let got: Vec<(usize, &str)> = problems.iter().map(|p| (p.line, p.field.as_str())).collect();
    let want: Vec<(usize, &str)> =
        [10, lines_half(), lines_half() + 5_000].iter().map(|&i| (lines[i], "obs_value")).collect();
    assert_eq!(got, want);
}

/// A row index near the middle of the file.
fn lines_half() -> usize {
    file(&[]).1.len() / 2
}
