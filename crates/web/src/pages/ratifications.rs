//! ILO conventions and the ratification record: the matrix of member states and
//! conventions at any date, the conventions, and one convention's history.

use super::{failure, form_query, found, path_slug, render, Layout};
use crate::api::MatrixQuery;
use crate::error::ApiError;
use crate::params::parse_query;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use tripart_domain::vocab::ConventionCategory;
use tripart_storage::read::{self, Convention, ConventionDetail, MemberState, RatificationMatrix};

/// The date of the 2010-2015 Work Programme's Annexes 1 and 2, whose tables the
/// matrix can be compared with.
const ANNEX_DATE: &str = "2013-11-01";

#[derive(Template)]
#[template(path = "ratifications.html")]
struct MatrixPage {
    layout: Layout,
    matrix: RatificationMatrix,
    category: Option<String>,
    categories: &'static [&'static str],
    annex_date: &'static str,
}

impl MatrixPage {
    /// A link to the matrix at `as_of` (today when empty), keeping the category.
    fn link(&self, as_of: &str) -> String {
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        if !as_of.is_empty() {
            pairs.push(("as_of", as_of));
        }
        if let Some(c) = &self.category {
            pairs.push(("category", c));
        }
        let qs = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        if qs.is_empty() {
            "/ratifications".to_string()
        } else {
            format!("/ratifications?{qs}")
        }
    }
    fn selected(&self, value: &str) -> &'static str {
        if self.category.as_deref() == Some(value) {
            " selected"
        } else {
            ""
        }
    }
}

pub async fn matrix(State(s): State<AppState>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let layout = Layout::new(&s, &headers, "/ratifications").await;
    let data = async {
        let q: MatrixQuery = parse_query(form_query(raw.as_deref()).as_deref())?;
        let (as_of, category) = (q.as_of()?, q.category()?);
        let matrix = read::ratification_matrix(&s.db, &as_of, category.as_deref()).await?;
        Ok::<_, ApiError>((matrix, category))
    };
    match data.await {
        Ok((matrix, category)) => render(&MatrixPage {
            layout,
            matrix,
            category,
            categories: ConventionCategory::names(),
            annex_date: ANNEX_DATE,
        }),
        Err(e) => failure(layout, e),
    }
}

#[derive(Template)]
#[template(path = "conventions.html")]
struct ConventionsPage {
    layout: Layout,
    conventions: Vec<Convention>,
}

pub async fn conventions(State(s): State<AppState>, headers: HeaderMap) -> Response {
    let layout = Layout::new(&s, &headers, "/conventions").await;
    match read::conventions(&s.db, &tripart_domain::time::today(), None).await {
        Ok(conventions) => render(&ConventionsPage { layout, conventions }),
        Err(e) => failure(layout, e.into()),
    }
}

#[derive(Template)]
#[template(path = "convention.html")]
struct ConventionPage {
    layout: Layout,
    c: ConventionDetail,
    states: Vec<MemberState>,
}

impl ConventionPage {
    fn state_name(&self, code: &str) -> String {
        self.states.iter().find(|m| m.code == code).map(|m| m.name.clone()).unwrap_or_else(|| code.to_string())
    }
}

pub async fn convention(State(s): State<AppState>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let layout = Layout::new(&s, &headers, &format!("/conventions/{id}")).await;
    let data = async {
        // Convention ids are upper case (C029); accept c029 too.
        let id = path_slug(&layout, "convention-not-found", &id.to_ascii_uppercase())?;
        let c = found(
            read::convention(&s.db, &id, &tripart_domain::time::today()).await?,
            &layout,
            "convention-not-found",
            &id,
        )?;
        Ok::<_, ApiError>((c, read::member_states(&s.db, None).await?))
    };
    match data.await {
        Ok((c, states)) => render(&ConventionPage { layout, c, states }),
        Err(e) => failure(layout, e),
    }
}
