//! The yearly reports on published data as pages: the ASEAN report on labour market
//! performance and the ASEAN-OSHNET scorecard, each linking to its PDF. The content is
//! `crate::data_reports`'s, the same the PDF is typeset from; a year with nothing published
//! is a page that says so, not an error.

use super::{failure, render, Layout};
use crate::data_reports::{self, DataReport, ReportKind};
use crate::error::ApiError;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;

/// Both reports have the same shape (panels of numbers, levels or answers), so one page.
#[derive(Template)]
#[template(path = "data_report_page.html")]
struct ReportPage {
    layout: Layout,
    r: DataReport,
    pdf: String,
    /// The neighbouring years' pages.
    previous: String,
    next: String,
}

/// The report of a path's year; a year that is not one is a 404 that says what a year is.
async fn gather(s: &AppState, layout: &Layout, kind: ReportKind, year: &str) -> Result<DataReport, ApiError> {
    let Some(year) = data_reports::parse_year(year) else {
        return Err(ApiError::NotFound(layout.t.with("datarep-bad-year", year)));
    };
    data_reports::gather(s, &layout.t.lang, kind, year).await
}

fn pdf_link(kind: ReportKind, year: i32) -> String {
    format!("/api/v1/data/reports/{}/{year}.pdf", kind.slug())
}

async fn page(s: AppState, headers: HeaderMap, kind: ReportKind, year: String) -> Response {
    let path = format!("/data/reports/{}", kind.slug());
    let layout = Layout::new(&s, &headers, &format!("{path}/{year}")).await;
    match gather(&s, &layout, kind, &year).await {
        Ok(r) => {
            let (previous, next) = (format!("{path}/{}", r.year - 1), format!("{path}/{}", r.year + 1));
            render(&ReportPage { pdf: pdf_link(kind, r.year), layout, r, previous, next })
        }
        Err(e) => failure(layout, e),
    }
}

pub async fn labour_market(State(s): State<AppState>, headers: HeaderMap, Path(year): Path<String>) -> Response {
    page(s, headers, ReportKind::LabourMarket, year).await
}

pub async fn oshnet_scorecard(State(s): State<AppState>, headers: HeaderMap, Path(year): Path<String>) -> Response {
    page(s, headers, ReportKind::OshnetScorecard, year).await
}
