//! Identifiers: member-state codes and the readable slugs every record is known by.

use crate::ParseError;
use std::fmt;

/// An ISO 3166-1 alpha-3 code in upper case, such as `VNM`.
///
/// Whether the code names a member state is data (the member-state table), not code:
/// admitting a new member must not need a release.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MemberStateCode(String);

impl MemberStateCode {
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let t = text.trim();
        if t.len() == 3 && t.bytes().all(|b| b.is_ascii_alphabetic()) {
            Ok(Self(t.to_ascii_uppercase()))
        } else {
            Err(ParseError(format!("`{text}` is not an ISO 3166-1 alpha-3 code (three letters, e.g. VNM)")))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for MemberStateCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A stable, readable record id: ASCII letters, digits, `-`, `.` and `_`, at most
/// 120 characters, starting with a letter or digit. Ids appear in URLs, so they
/// never need escaping.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Slug(String);

impl Slug {
    pub const MAX_LEN: usize = 120;

    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let ok_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_');
        let starts_well = text.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
        if !text.is_empty() && text.len() <= Self::MAX_LEN && starts_well && text.chars().all(ok_char) {
            Ok(Self(text.to_string()))
        } else {
            Err(ParseError(format!(
                "`{}` is not a valid id (letters, digits, '-', '.', '_'; at most {} characters)",
                truncate(text, 60),
                Self::MAX_LEN
            )))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A readable id from a title: its first `words` words, lower-cased ASCII
/// letters and digits joined by hyphens; `fallback` when nothing is left.
pub fn slug_from_title(title: &str, words: usize, fallback: &str) -> String {
    let slug = title
        .to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|s| !s.is_empty())
        .take(words)
        .collect::<Vec<_>>()
        .join("-");
    if slug.is_empty() {
        fallback.to_string()
    } else {
        slug
    }
}

/// Shortens outside text before it goes into an error message.
pub fn truncate(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max_chars).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_state_codes_are_three_letters_upper_cased() {
        assert_eq!(MemberStateCode::parse("vnm").map(|c| c.to_string()), Ok("VNM".into()));
        assert!(MemberStateCode::parse("VN").is_err());
        assert!(MemberStateCode::parse("V1M").is_err());
    }

    #[test]
    fn titles_become_readable_ids() {
        assert_eq!(slug_from_title("The 5th ASEAN Forum: Migrant Labour!", 4, "x"), "the-5th-asean-forum");
        assert_eq!(slug_from_title("ไทย", 4, "meeting"), "meeting");
    }

    #[test]
    fn slugs_reject_characters_that_need_escaping() {
        assert!(Slug::parse("slom-wg-wp-2011-2015.7.2.a").is_ok());
        assert!(Slug::parse("C029").is_ok());
        for bad in ["", "-x", "a b", "a/b", "é", "a?b"] {
            assert!(Slug::parse(bad).is_err(), "{bad}");
        }
        assert!(Slug::parse(&"a".repeat(121)).is_err());
    }
}
