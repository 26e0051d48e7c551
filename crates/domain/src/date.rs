//! Calendar dates as ISO 8601 text (`YYYY-MM-DD`). Both storage backends keep dates
//! in this form, so that they sort and compare the same way everywhere.

use crate::ParseError;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoDate {
    year: i32,
    month: u32,
    day: u32,
}

impl IsoDate {
    pub fn new(year: i32, month: u32, day: u32) -> Result<Self, ParseError> {
        if !(1800..=2200).contains(&year) || !(1..=12).contains(&month) {
            return Err(ParseError(format!("{year:04}-{month:02}-{day:02} is not a date")));
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(ParseError(format!("{year:04}-{month:02}-{day:02} is not a date")));
        }
        Ok(Self { year, month, day })
    }

    /// Parses `YYYY-MM-DD` exactly.
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let err = || ParseError(format!("`{}` is not a date of the form YYYY-MM-DD", crate::ids::truncate(text, 40)));
        let b = text.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(err());
        }
        let num = |s: &str| s.parse::<u32>().map_err(|_| err());
        if !text.bytes().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit()) {
            return Err(err());
        }
        let year = num(&text[0..4])? as i32;
        Self::new(year, num(&text[5..7])?, num(&text[8..10])?).map_err(|_| err())
    }

    pub fn year(&self) -> i32 {
        self.year
    }
}

impl fmt::Display for IsoDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_real_dates_and_rejects_impossible_ones() {
        assert_eq!(IsoDate::parse("2013-11-01").map(|d| d.to_string()), Ok("2013-11-01".into()));
        assert!(IsoDate::parse("2012-02-29").is_ok());
        for bad in ["2013-02-29", "2013-13-01", "2013-1-01", "13-11-01", "2013-11-01x", "２０１３-11-01"] {
            assert!(IsoDate::parse(bad).is_err(), "{bad}");
        }
    }
}
