//! Annual progress reports: the list, and one report as assembled (or frozen on
//! acceptance) with its workflow. The body's secretariat writes the narratives
//! and submits; a validator of the body it reports to returns it with a comment
//! or accepts it. Reports not accepted are for those people only.

use super::{bodies_for, change_actor, confirm, form_problem, may_edit_for, refusal, this_year, Fields, Problem};
use crate::auth::Auth;
use crate::error::ApiError;
use crate::pages::actions::body_choices;
use crate::pages::{failure, form_query, render, Layout};
use crate::params;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::HashMap;
use tripart_domain::access::{authorize, Actor, Operation, Scope};
use tripart_domain::monitoring::{ReportStatus, ReportStep};
use tripart_storage::edit::EditError;
use tripart_storage::monitoring::reports::{self, AnnualReport, ReportEvent, ReportLine, GENERAL};
use tripart_storage::read::NamedRef;

const LIST: &str = "/reports";
/// The confirmations the report page shows.
const DONE: &[&str] = &["saved", "submitted", "returned", "accepted"];

/// The body and year of a report's path, parsed as the API parses them.
pub fn report_key(body: &str, year: &str) -> Result<(String, i64), ApiError> {
    crate::api::report_key(body.to_string(), year.to_string())
}

fn report_path(body: &str, year: i64) -> String {
    format!("{LIST}/{body}/{year}")
}

/// A report's status as people read it.
pub fn status_label(layout: &Layout, status: &str) -> String {
    layout.t.label("report-status", &status.replace('_', "-"))
}

// ---------------------------------------------------------------- the list

#[derive(Template)]
#[template(path = "reports.html")]
struct ListPage {
    layout: Layout,
    reports: Vec<ReportLine>,
    /// Short names of the bodies.
    names: HashMap<String, String>,
    /// The bodies whose report the user may start.
    bodies: Vec<NamedRef>,
    year: i64,
}

impl ListPage {
    fn name(&self, body: &str) -> String {
        self.names.get(body).cloned().unwrap_or_else(|| body.to_string())
    }
    fn status(&self, status: &str) -> String {
        status_label(&self.layout, status)
    }
}

pub async fn list(State(s): State<AppState>, auth: Auth, headers: HeaderMap) -> Response {
    let layout = Layout::new(&s, &headers, LIST).await;
    let data = async {
        let all = body_choices(&s).await?;
        let reports = reports::reports(&s.db, &auth.actor, None, None).await?;
        Ok::<_, ApiError>((reports, all))
    };
    match data.await {
        Ok((reports, all)) => {
            let bodies = if layout.signed_in.is_some() { bodies_for(&auth.actor, &all) } else { Vec::new() };
            let names = all.into_iter().map(|b| (b.id, b.name)).collect();
            render(&ListPage { layout, reports, names, bodies, year: this_year() })
        }
        Err(e) => failure(layout, e),
    }
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct OpenQuery {
    body: Option<String>,
    year: Option<String>,
}

/// The "start or open" form of the list: to the report's page, where it is
/// assembled from what is recorded; it is stored when first written to.
pub async fn open(State(s): State<AppState>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let layout = Layout::new(&s, &headers, LIST).await;
    let target = async {
        let q: OpenQuery = params::parse_query(form_query(raw.as_deref()).as_deref())?;
        let body = params::slug("body", &q.body)?.ok_or_else(|| ApiError::bad("body", "choose a body"))?;
        let year = params::int("year", &q.year, 2000, 2200)?.unwrap_or_else(this_year);
        Ok::<_, ApiError>(report_path(&body, year))
    };
    match target.await {
        Ok(path) => Redirect::to(&path).into_response(),
        Err(e) => failure(layout, e),
    }
}

// ---------------------------------------------------------------- one report

/// What the user typed, shown again after a refusal.
#[derive(Default)]
struct Drafts {
    narratives: HashMap<String, String>,
    comment: String,
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    layout: Layout,
    r: AnnualReport,
    reports_to: Option<NamedRef>,
    /// The body's secretariat may write and submit (the report is not with SLOM).
    may_edit: bool,
    /// A validator of the body it reports to may return or accept it now.
    may_validate: bool,
    done: Option<&'static str>,
    problem: Option<Problem>,
    drafts: Drafts,
    /// The comment of the latest return, while the report is returned.
    returned: Option<ReportEvent>,
    pdf: String,
    xlsx: String,
}

impl ReportPage {
    fn status(&self, status: &str) -> String {
        status_label(&self.layout, status)
    }
    fn body_name(&self) -> String {
        self.r.body.abbreviation.clone().unwrap_or_else(|| self.r.body.name.clone())
    }
    /// The narrative of an area as it will be saved: what was typed, or what is stored.
    fn narrative(&self, area: &str) -> String {
        if let Some(typed) = self.drafts.narratives.get(area) {
            return typed.clone();
        }
        let stored = if area == GENERAL {
            self.r.introduction.clone()
        } else {
            self.r.areas.iter().find(|a| a.id == area).and_then(|a| a.narrative.clone())
        };
        stored.unwrap_or_default()
    }
    fn invalid(&self, input: &str) -> String {
        super::field_attrs(&self.problem, input, "")
    }
    /// The attributes of an input described by the element `hint`.
    fn attrs(&self, input: &str, hint: &str) -> String {
        super::field_attrs(&self.problem, input, hint)
    }
    fn category(&self, category: &str) -> String {
        self.layout.t.label("checklist-category", &category.replace('_', "-"))
    }
    fn answer(&self, answer_type: &str, value: &str) -> String {
        if answer_type == "yes_no" {
            self.layout.t.label("answer", value)
        } else {
            value.to_string()
        }
    }
    fn participants(&self) -> i64 {
        self.r.summary.participants_female + self.r.summary.participants_male
    }
    fn share(&self, count: &i64) -> String {
        if self.r.summary.actions == 0 {
            return String::new();
        }
        format!("{:.0} %", *count as f64 * 100.0 / self.r.summary.actions as f64)
    }
    /// The length of a status bar of at most 160 pixels.
    fn bar(&self, count: &i64) -> String {
        let max = self.r.summary.by_status.iter().map(|c| c.count).max().unwrap_or(1).max(1);
        format!("{:.1}", *count as f64 * 160.0 / max as f64)
    }
    fn colour(&self, status: &str) -> &'static str {
        crate::charts::status_colour(status)
    }
}

/// The scope whose validators decide on a body's report.
fn validators_scope(r: &AnnualReport) -> Scope {
    let mut bodies = vec![r.body.id.clone()];
    bodies.extend(r.body.reports_to.clone());
    Scope { bodies, member_states: Vec::new() }
}

/// A report the actor may read; the public is sent to sign in for one that is
/// not published yet.
async fn read_report(s: &AppState, actor: &Actor, body: &str, year: i64) -> Result<AnnualReport, ApiError> {
    match reports::report(&s.db, actor, body, year).await {
        Err(EditError::Denied(m)) if matches!(actor, Actor::Public) => Err(ApiError::Unauthenticated(m)),
        other => Ok(other?),
    }
}

#[allow(clippy::too_many_arguments)]
async fn show(
    s: &AppState,
    layout: Layout,
    actor: &Actor,
    body: &str,
    year: i64,
    done: Option<&'static str>,
    problem: Option<Problem>,
    drafts: Drafts,
    status: StatusCode,
) -> Response {
    let data = async {
        let r = read_report(s, actor, body, year).await?;
        let bodies = body_choices(s).await?;
        Ok::<_, ApiError>((r, bodies))
    };
    let (r, bodies) = match data.await {
        Ok(d) => d,
        Err(e) => return refusal(layout, e),
    };
    let signed_in = layout.signed_in.is_some();
    let editable = r.status == "not_started" || ReportStatus::parse(&r.status).is_ok_and(ReportStatus::is_editable);
    let may_edit = signed_in && editable && may_edit_for(actor, &r.body.id);
    let may_validate =
        signed_in && r.status == "submitted" && authorize(actor, &Operation::Validate(validators_scope(&r))).is_ok();
    let returned =
        if r.status == "returned" { r.history.iter().rev().find(|e| e.event == "returned").cloned() } else { None };
    let reports_to = r.body.reports_to.as_ref().map(|id| {
        bodies.iter().find(|b| &b.id == id).cloned().unwrap_or(NamedRef { id: id.clone(), name: id.clone() })
    });
    let api = format!("/api/v1/reports/{}/{}", r.body.id, r.year);
    let page = ReportPage {
        pdf: format!("{api}/pdf"),
        xlsx: format!("{api}/xlsx"),
        layout,
        r,
        reports_to,
        may_edit,
        may_validate,
        done,
        problem,
        drafts,
        returned,
    };
    let mut response = render(&page);
    if response.status() == StatusCode::OK {
        *response.status_mut() = status;
    }
    response
}

pub async fn page(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path((body, year)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> Response {
    let layout = Layout::new(&s, &headers, &format!("{LIST}/{body}/{year}")).await;
    let parsed = report_key(&body, &year).and_then(|key| Ok((key, super::done_param(raw.as_deref(), DONE)?)));
    match parsed {
        Ok(((body, year), done)) => {
            show(&s, layout, &auth.actor, &body, year, done, None, Drafts::default(), StatusCode::OK).await
        }
        Err(e) => failure(layout, e),
    }
}

/// Saves the narratives that changed: the introduction (`area:`) and one per
/// thematic area (`area:<node id>`).
pub async fn save_narratives(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path((body, year)): Path<(String, String)>,
    form: String,
) -> Response {
    let layout = Layout::new(&s, &headers, &format!("{LIST}/{body}/{year}")).await;
    let (fields, (body, year)) = match Fields::parse(&form).and_then(|f| Ok((f, report_key(&body, &year)?))) {
        Ok(x) => x,
        Err(e) => return failure(layout, e),
    };
    let actor = match change_actor(&auth, fields.csrf()) {
        Ok(a) => a,
        Err(e) => return refusal(layout, e),
    };
    let typed: Vec<(String, String)> =
        fields.with_prefix("area:").map(|(a, t)| (a.to_string(), t.to_string())).collect();
    let mut at = String::new();
    let result = async {
        let current = read_report(&s, actor, &body, year).await?;
        let stored = |area: &str| -> String {
            let text = if area == GENERAL {
                current.introduction.clone()
            } else {
                current.areas.iter().find(|a| a.id == area).and_then(|a| a.narrative.clone())
            };
            text.unwrap_or_default()
        };
        // The version read guards the first write; the others follow it.
        let mut version = fields.version()?;
        for (area, text) in &typed {
            if text.trim() == stored(area).trim() {
                continue;
            }
            at = format!("area:{area}");
            let area = if area.is_empty() {
                String::new()
            } else {
                params::slug(&at, &Some(area.clone()))?.unwrap_or_default()
            };
            reports::set_narrative(&s.db, actor, &body, year, &area, text, version.take()).await?;
        }
        Ok::<_, ApiError>(())
    };
    match result.await {
        Ok(()) => confirm(&report_path(&body, year), "saved"),
        Err(e) => match form_problem(e) {
            Ok((mut problem, status)) => {
                if problem.field == "text" || problem.field == "area" {
                    problem.field = at;
                }
                let drafts = Drafts { narratives: typed.into_iter().collect(), comment: String::new() };
                show(&s, layout, actor, &body, year, None, Some(problem), drafts, status).await
            }
            Err(e) => refusal(layout, e),
        },
    }
}

/// Submit, return (with a comment) or accept.
pub async fn step(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path((body, year, step)): Path<(String, String, String)>,
    form: String,
) -> Response {
    let layout = Layout::new(&s, &headers, &format!("{LIST}/{body}/{year}")).await;
    let parsed = Fields::parse(&form).and_then(|f| {
        let step = ReportStep::parse(&step).map_err(|e| ApiError::NotFound(e.0))?;
        Ok((f, report_key(&body, &year)?, step))
    });
    let (fields, (body, year), step) = match parsed {
        Ok(x) => x,
        Err(e) => return failure(layout, e),
    };
    let actor = match change_actor(&auth, fields.csrf()) {
        Ok(a) => a,
        Err(e) => return refusal(layout, e),
    };
    let comment = fields.get("comment");
    let result = async {
        let version = fields.version()?;
        Ok::<_, ApiError>(reports::step(&s.db, actor, &body, year, step, comment.as_deref(), version).await?)
    };
    match result.await {
        Ok(_) => confirm(&report_path(&body, year), step.past_tense()),
        Err(e) => match form_problem(e) {
            Ok((problem, status)) => {
                let drafts = Drafts { narratives: HashMap::new(), comment: fields.raw("comment").to_string() };
                show(&s, layout, actor, &body, year, None, Some(problem), drafts, status).await
            }
            Err(e) => refusal(layout, e),
        },
    }
}
