//! Worksheet names that Excel accepts: at most 31 characters, none of `[ ] : * ? / \`, not
//! blank, not starting or ending with an apostrophe, not "History" (reserved by Excel), and
//! unique without regard to case.

/// Excel's limit, counted in UTF-16 code units as Excel does.
const MAX_LEN: usize = 31;

/// A valid name for each requested one, in order, all distinct.
pub(crate) fn unique_sheet_names<'a>(requested: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut taken: Vec<String> = Vec::new();
    let mut names = Vec::new();
    for name in requested {
        let base = sanitise(name);
        let mut candidate = base.clone();
        let mut n = 2;
        while taken.contains(&candidate.to_lowercase()) {
            let suffix = format!(" ({n})");
            candidate = format!("{}{suffix}", truncate(&base, MAX_LEN - suffix.len()));
            n += 1;
        }
        taken.push(candidate.to_lowercase());
        names.push(candidate);
    }
    names
}

pub(crate) fn sanitise(name: &str) -> String {
    let replaced: String = name
        .chars()
        .map(|c| if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') || c.is_control() { '_' } else { c })
        .collect();
    let trimmed = truncate(replaced.trim().trim_matches('\''), MAX_LEN).trim_end().trim_end_matches('\'').to_owned();
    if trimmed.is_empty() {
        "Sheet".to_owned()
    } else if trimmed.eq_ignore_ascii_case("history") {
        format!("{trimmed}_")
    } else {
        trimmed
    }
}

/// The longest prefix of `text` that fits in `max` UTF-16 code units.
fn truncate(text: &str, max: usize) -> &str {
    let mut units = 0;
    for (i, c) in text.char_indices() {
        units += c.len_utf16();
        if units > max {
            return &text[..i];
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_forbidden_characters_and_trims_apostrophes() {
        assert_eq!(sanitise("Actions [2025]: a/b\\c*?"), "Actions _2025__ a_b_c__");
        assert_eq!(sanitise("'quoted'"), "quoted");
        assert_eq!(sanitise("   "), "Sheet");
        assert_eq!(sanitise("History"), "History_");
    }

    #[test]
    fn truncates_to_31_utf16_units() {
        let long = "Kế hoạch hành động của Nhóm công tác SLOM năm 2025";
        let name = sanitise(long);
        assert_eq!(name.encode_utf16().count(), 31);
        assert!(long.starts_with(&name));
        assert_eq!(sanitise(&"😀".repeat(20)).encode_utf16().count(), 30);
    }

    #[test]
    fn deduplicates_without_regard_to_case() {
        let long = "A".repeat(40);
        let names = unique_sheet_names(["Data", "data", "DATA", "", "", &long, &long]);
        assert_eq!(names[..5], ["Data", "data (2)", "DATA (3)", "Sheet", "Sheet (2)"]);
        assert_eq!(names[5], "A".repeat(31));
        assert_eq!(names[6], format!("{} (2)", "A".repeat(27)));
    }
}
