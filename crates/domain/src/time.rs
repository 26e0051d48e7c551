//! UTC timestamps as ISO 8601 text with milliseconds (`2026-11-23T13:50:00.123Z`),
//! stored the same way on both backends so that they sort as text.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Now, as stored.
pub fn now() -> String {
    format_system_time(SystemTime::now())
}

/// `seconds` from now, as stored (for expiry times).
pub fn in_seconds(seconds: u64) -> String {
    format_system_time(SystemTime::now() + Duration::from_secs(seconds))
}

/// `seconds` ago, as stored (for windows such as throttling).
pub fn seconds_ago(seconds: u64) -> String {
    format_system_time(SystemTime::now().checked_sub(Duration::from_secs(seconds)).unwrap_or(UNIX_EPOCH))
}

/// Today's date in UTC, `YYYY-MM-DD`.
pub fn today() -> String {
    now()[..10].to_string()
}

pub fn format_system_time(t: SystemTime) -> String {
    let since = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs();
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    let rem = secs % 86_400;
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60,
        since.subsec_millis()
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(format_system_time(UNIX_EPOCH), "1970-01-01T00:00:00.000Z");
        let t = UNIX_EPOCH + Duration::from_millis(1_700_000_000_123);
        assert_eq!(format_system_time(t), "2023-11-14T22:13:20.123Z");
        assert!(crate::IsoDate::parse(&today()).is_ok());
    }
}
