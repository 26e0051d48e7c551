//! The yearly reports on published data as typeset PDFs: the ASEAN report on labour market
//! performance and the ASEAN-OSHNET scorecard. What they hold is gathered in
//! `crate::data_reports`, shared with their pages; this module only maps the path to it.

use super::progress::download;
use crate::data_reports::{self, ReportKind};
use crate::error::{ApiError, ErrorBody};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;

/// `2024.pdf` → 2024; anything else is a 400 naming the year.
fn year_of(file: &str) -> Result<i32, ApiError> {
    file.strip_suffix(".pdf")
        .and_then(data_reports::parse_year)
        .ok_or_else(|| ApiError::bad("year", "a year followed by .pdf, such as 2024.pdf"))
}

async fn report_pdf(s: &AppState, headers: &HeaderMap, kind: ReportKind, file: &str) -> Result<Response, ApiError> {
    let year = year_of(file)?;
    let lang = s.i18n.for_request(headers);
    let report = data_reports::gather(s, &lang, kind, year).await?;
    let pdf = data_reports::pdf(kind, &report).await?;
    Ok(download("application/pdf", &format!("asean-{}-{year}.pdf", kind.slug()), pdf))
}

#[utoipa::path(get, path = "/api/v1/data/reports/labour-market/{year}.pdf", tag = "data",
    params(("year" = i32, Path, description = "The year reported on, e.g. 2024")),
    responses((status = 200, description = "The ASEAN report on labour market performance for the year, from published data, as a typeset PDF (a year with nothing published says so)", content_type = "application/pdf"),
              (status = 400, body = ErrorBody)))]
pub async fn labour_market_pdf(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Result<Response, ApiError> {
    report_pdf(&s, &headers, ReportKind::LabourMarket, &file).await
}

#[utoipa::path(get, path = "/api/v1/data/reports/oshnet-scorecard/{year}.pdf", tag = "data",
    params(("year" = i32, Path, description = "The year reported on, e.g. 2024")),
    responses((status = 200, description = "The ASEAN-OSHNET scorecard for the year, from published data, as a typeset PDF (a year with nothing published says so)", content_type = "application/pdf"),
              (status = 400, body = ErrorBody)))]
pub async fn oshnet_scorecard_pdf(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Result<Response, ApiError> {
    report_pdf(&s, &headers, ReportKind::OshnetScorecard, &file).await
}
