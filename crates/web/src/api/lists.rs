//! List responses: `{items, total, next}`, where `next` is the link to the
//! following page with the same filters, or null on the last page.

use tripart_storage::read::{Paging, Slice};

/// Declares a list response type for one kind of item.
macro_rules! list_type {
    ($name:ident, $item:ty) => {
        #[derive(Debug, serde::Serialize, utoipa::ToSchema)]
        pub struct $name {
            pub items: Vec<$item>,
            /// The number of items matching the filters, over all pages.
            pub total: i64,
            /// The next page, with the same filters; null on the last page.
            pub next: Option<String>,
        }

        impl $name {
            pub fn new(
                slice: tripart_storage::read::Slice<$item>,
                path: &str,
                query: Option<&str>,
                paging: tripart_storage::read::Paging,
            ) -> Self {
                let next = $crate::api::lists::next_link(path, query, paging, slice.total);
                $name { items: slice.items, total: slice.total, next }
            }
        }
    };
}
pub(crate) use list_type;

/// The link to the page after this one, keeping every other parameter.
pub fn next_link(path: &str, query: Option<&str>, paging: Paging, total: i64) -> Option<String> {
    let next_offset = paging.offset + paging.limit;
    if next_offset >= total {
        return None;
    }
    Some(page_link(path, query, paging.limit, next_offset))
}

/// The link to the page of `limit` items from `offset`, keeping every other parameter.
pub fn page_link(path: &str, query: Option<&str>, limit: i64, offset: i64) -> String {
    let mut pairs: Vec<(String, String)> = serde_urlencoded::from_str::<Vec<(String, String)>>(query.unwrap_or(""))
        .unwrap_or_default()
        .into_iter()
        .filter(|(k, _)| k != "offset" && k != "limit")
        .collect();
    pairs.push(("limit".into(), limit.to_string()));
    pairs.push(("offset".into(), offset.to_string()));
    let qs = serde_urlencoded::to_string(&pairs).unwrap_or_default();
    format!("{path}?{qs}")
}

/// Pages a list the query returned whole (the short reference lists).
pub fn slice_of<T>(all: Vec<T>, paging: Paging) -> Slice<T> {
    let total = all.len() as i64;
    let items = all.into_iter().skip(paging.offset as usize).take(paging.limit as usize).collect();
    Slice { items, total }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_link_keeps_filters_and_moves_the_offset() {
        let p = Paging { limit: 10, offset: 0 };
        assert_eq!(
            next_link("/api/v1/actions", Some("status=ongoing&limit=10"), p, 25).as_deref(),
            Some("/api/v1/actions?status=ongoing&limit=10&offset=10")
        );
        assert_eq!(next_link("/api/v1/actions", None, Paging { limit: 10, offset: 20 }, 25), None);
    }
}
