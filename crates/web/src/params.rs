//! Query strings become typed filters here, at the edge. Every query struct refuses
//! unknown parameters, and every value is parsed into a domain type; a problem is a
//! 400 that names the parameter.

use crate::error::ApiError;
use serde::de::DeserializeOwned;
use tripart_domain::{IsoDate, MemberStateCode, Slug};
use tripart_storage::read::Paging;

pub const MAX_LIMIT: i64 = 500;

/// Parses a raw query string into `T`, naming the parameter at fault.
pub fn parse_query<T: DeserializeOwned>(raw: Option<&str>) -> Result<T, ApiError> {
    serde_urlencoded::from_str::<T>(raw.unwrap_or("")).map_err(|e| {
        let message = e.to_string();
        let parameter = message.split('`').nth(1).unwrap_or("query").to_string();
        let message =
            if message.starts_with("unknown field") { format!("unknown parameter `{parameter}`") } else { message };
        ApiError::bad(&parameter, message)
    })
}

pub fn int(name: &str, value: &Option<String>, min: i64, max: i64) -> Result<Option<i64>, ApiError> {
    let Some(v) = value else { return Ok(None) };
    match v.trim().parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(Some(n)),
        _ => Err(ApiError::bad(name, format!("expected a whole number from {min} to {max}"))),
    }
}

pub fn paging(limit: &Option<String>, offset: &Option<String>) -> Result<Paging, ApiError> {
    Ok(Paging {
        limit: int("limit", limit, 1, MAX_LIMIT)?.unwrap_or(50),
        offset: int("offset", offset, 0, 10_000_000)?.unwrap_or(0),
    })
}

pub fn year(name: &str, value: &Option<String>) -> Result<Option<i64>, ApiError> {
    int(name, value, 1900, 2100)
}

pub fn date(name: &str, value: &Option<String>) -> Result<Option<String>, ApiError> {
    value.as_deref().map(|v| IsoDate::parse(v).map(|d| d.to_string()).map_err(|e| ApiError::bad(name, e.0))).transpose()
}

pub fn slug(name: &str, value: &Option<String>) -> Result<Option<String>, ApiError> {
    value.as_deref().map(|v| Slug::parse(v).map(|s| s.to_string()).map_err(|e| ApiError::bad(name, e.0))).transpose()
}

pub fn member_state(name: &str, value: &Option<String>) -> Result<Option<String>, ApiError> {
    value
        .as_deref()
        .map(|v| MemberStateCode::parse(v).map(|s| s.to_string()).map_err(|e| ApiError::bad(name, e.0)))
        .transpose()
}

/// A value from a closed vocabulary, given its parser.
pub fn vocab<T: std::fmt::Display>(
    name: &str,
    value: &Option<String>,
    parse: fn(&str) -> Result<T, tripart_domain::ParseError>,
) -> Result<Option<String>, ApiError> {
    value.as_deref().map(|v| parse(v).map(|x| x.to_string()).map_err(|e| ApiError::bad(name, e.0))).transpose()
}

/// An id Tripart generated (`audit::new_id`): hexadecimal.
pub fn hex_id(name: &str, value: &str) -> Result<String, ApiError> {
    if value.is_empty() || value.len() > 64 || !value.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(ApiError::bad(name, "an id of this kind is hexadecimal"));
    }
    Ok(value.to_string())
}

/// Free text for searching: trimmed, bounded.
pub fn text(name: &str, value: &Option<String>) -> Result<Option<String>, ApiError> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) if t.chars().count() > 200 => Err(ApiError::bad(name, "at most 200 characters")),
        Some(t) if t.contains('\0') => Err(ApiError::bad(name, "the NUL character is not allowed")),
        Some(t) => Ok(Some(t.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Q {
        year: Option<String>,
        limit: Option<String>,
    }

    #[test]
    fn unknown_and_malformed_parameters_are_named() {
        let e = parse_query::<Q>(Some("yeer=2011")).map(|_| ()).unwrap_err();
        assert!(matches!(&e, ApiError::BadParameter { parameter, .. } if parameter == "yeer"), "{e}");
        let q: Q = parse_query(Some("year=20x1")).unwrap_or_else(|e| panic!("{e}"));
        let e = year("year", &q.year).map(|_| ()).unwrap_err();
        assert!(matches!(&e, ApiError::BadParameter { parameter, .. } if parameter == "year"), "{e}");
    }

    proptest! {
        #[test]
        fn no_query_string_panics_the_parser(s in ".{0,200}") {
            if let Ok(q) = parse_query::<Q>(Some(&s)) {
                let _ = year("year", &q.year);
                let _ = paging(&q.limit, &None);
            }
        }
    }
}
