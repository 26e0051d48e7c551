//! Indicative calendars as the work plans write them: "2010 - 2015", "2011",
//! "2013 / 2014", "annual", "on-going", "T.B.C.", "April 2012", "9 May 2012".
//! The document's text is always kept; the parsed form gives the years an action
//! spans, so that lists can be filtered by year and overdue actions found.

use crate::date::{days_in_month, IsoDate};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Calendar {
    /// A single date: "9 May 2012".
    Date(IsoDate),
    /// A date range: "25-26 August 2011".
    DateRange(IsoDate, IsoDate),
    /// A month: "April 2012".
    Month { year: i32, month: u32 },
    /// One year: "2011".
    Year(i32),
    /// Years: "2010 - 2015", "2013 / 2014", "2010/2011".
    Years(i32, i32),
    /// Every year of the programme.
    Annual,
    /// Continuing, with no end given.
    Ongoing,
    /// "T.B.C.": to be confirmed.
    ToBeConfirmed,
    /// Text Tripart could not read as a calendar; kept as written.
    Unparsed,
}

const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

impl Calendar {
    pub fn parse(text: &str) -> Self {
        let lower = text.to_lowercase();
        if lower.contains("t.b.c") || lower.split(|c: char| !c.is_alphanumeric()).any(|w| w == "tbc") {
            return Self::ToBeConfirmed;
        }
        if lower.contains("on-going") || lower.contains("ongoing") {
            return Self::Ongoing;
        }
        if lower.contains("annual") {
            return Self::Annual;
        }
        let tokens = tokenize(&lower);
        let years: Vec<i32> =
            tokens.iter().filter_map(|t| t.parse::<i32>().ok()).filter(|y| (1900..=2100).contains(y)).collect();
        let Some(&first_year) = years.first() else {
            return Self::Unparsed;
        };
        let months: Vec<u32> = tokens.iter().filter_map(|t| month_number(t)).collect();
        let days: Vec<u32> =
            tokens.iter().filter_map(|t| t.parse::<u32>().ok()).filter(|d| (1..=31).contains(d)).collect();
        if let Some(&month) = months.first() {
            let last_month = *months.last().unwrap_or(&month);
            let last_year = *years.last().unwrap_or(&first_year);
            return match (days.first(), days.last()) {
                (Some(&d1), Some(&d2)) => {
                    let start = IsoDate::new(first_year, month, d1.min(days_in_month(first_year, month)));
                    let end = IsoDate::new(last_year, last_month, d2.min(days_in_month(last_year, last_month)));
                    match (start, end) {
                        (Ok(s), Ok(e)) if s == e => Self::Date(s),
                        (Ok(s), Ok(e)) if s < e => Self::DateRange(s, e),
                        (Ok(s), _) => Self::Date(s),
                        _ => Self::Year(first_year),
                    }
                }
                _ => Self::Month { year: first_year, month },
            };
        }
        let (lo, hi) =
            (years.iter().copied().min().unwrap_or(first_year), years.iter().copied().max().unwrap_or(first_year));
        if lo == hi {
            Self::Year(lo)
        } else {
            Self::Years(lo, hi)
        }
    }

    /// The kind, as stored and shown: `date`, `date_range`, `month`, `year`, `years`,
    /// `annual`, `ongoing`, `tbc`, `unparsed`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Date(_) => "date",
            Self::DateRange(..) => "date_range",
            Self::Month { .. } => "month",
            Self::Year(_) => "year",
            Self::Years(..) => "years",
            Self::Annual => "annual",
            Self::Ongoing => "ongoing",
            Self::ToBeConfirmed => "tbc",
            Self::Unparsed => "unparsed",
        }
    }

    /// The first and last year the calendar covers, where it names any.
    pub fn years(&self) -> Option<(i32, i32)> {
        match *self {
            Self::Date(d) => Some((d.year(), d.year())),
            Self::DateRange(a, b) => Some((a.year(), b.year())),
            Self::Month { year, .. } | Self::Year(year) => Some((year, year)),
            Self::Years(a, b) => Some((a, b)),
            Self::Annual | Self::Ongoing | Self::ToBeConfirmed | Self::Unparsed => None,
        }
    }
}

fn tokenize(lower: &str) -> Vec<String> {
    lower.split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty()).map(str::to_string).collect()
}

fn month_number(token: &str) -> Option<u32> {
    if token.len() < 3 {
        return None;
    }
    MONTHS.iter().position(|m| token.starts_with(m) && m.len() <= token.len()).map(|i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::Calendar::{self, *};
    use crate::IsoDate;

    fn d(s: &str) -> IsoDate {
        IsoDate::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn reads_the_calendars_the_work_plans_write() {
        assert_eq!(Calendar::parse("2010 - 2015"), Years(2010, 2015));
        assert_eq!(Calendar::parse("2010 – 2015"), Years(2010, 2015));
        assert_eq!(Calendar::parse("2011"), Year(2011));
        assert_eq!(Calendar::parse("2013 / 2014"), Years(2013, 2014));
        assert_eq!(Calendar::parse("2010/2011"), Years(2010, 2011));
        assert_eq!(Calendar::parse("Annual"), Annual);
        assert_eq!(Calendar::parse("On-going"), Ongoing);
        assert_eq!(Calendar::parse("Schedule is T.B.C."), ToBeConfirmed);
        assert_eq!(Calendar::parse("April 2012"), Month { year: 2012, month: 4 });
        assert_eq!(Calendar::parse("9 May 2012"), Date(d("2012-05-09")));
        assert_eq!(Calendar::parse("25-26 August 2011"), DateRange(d("2011-08-25"), d("2011-08-26")));
        assert_eq!(Calendar::parse("2013 2012-2013"), Years(2012, 2013));
        assert_eq!(Calendar::parse("soon"), Unparsed);
    }

    #[test]
    fn years_give_the_span_for_filtering() {
        assert_eq!(Calendar::parse("2011 - 2015").years(), Some((2011, 2015)));
        assert_eq!(Calendar::parse("T.B.C.").years(), None);
    }
}
