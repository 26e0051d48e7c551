//! Mid-term and final reviews of the programmes: the list with the form that
//! opens one, and one review with its findings and rating per outcome area, its
//! summary, and its recommendations, which become actions of a chosen plan.

use super::{area_choices, confirm, form_problem, posted, refusal, AreaGroup, Problem};
use crate::auth::Auth;
use crate::error::ApiError;
use crate::pages::{failure, render, Layout};
use crate::params;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use std::collections::HashMap;
use tripart_domain::access::{authorize, Actor, Operation, Scope};
use tripart_domain::monitoring::{ReviewKind, ReviewRating};
use tripart_storage::monitoring::reviews::{self, Finding, NewAction, Review, ReviewChange};
use tripart_storage::monitoring::Link;
use tripart_storage::read::{self, Body, NamedRef, Programme};

const LIST: &str = "/reviews";
const DONE: &[&str] = &["opened", "saved", "adopted"];

/// Whether the actor may decide on a programme's reviews: its owner's
/// secretariat, or that of the senior officials who manage it for the owner.
/// Only to offer the forms: the storage layer decides.
fn may_review(actor: &Actor, programme: &Programme, bodies: &[Body]) -> bool {
    let mut scope = vec![programme.owner.clone()];
    scope.extend(
        bodies
            .iter()
            .filter(|b| b.reports_to.as_deref() == Some(programme.owner.as_str()) && b.kind == "senior_officials")
            .map(|b| b.id.clone()),
    );
    authorize(actor, &Operation::EditRecord(Scope { bodies: scope, member_states: Vec::new() })).is_ok()
}

/// A review id from a path: malformed ids are reviews that do not exist.
fn review_id(id: &str) -> Result<String, ApiError> {
    crate::api::review_id(id.to_string())
        .map_err(|_| ApiError::NotFound(format!("no review `{}`", tripart_domain::ids::truncate(id, 60))))
}

// ---------------------------------------------------------------- the list

pub struct ProgrammeReviews {
    pub programme: Programme,
    pub reviews: Vec<Review>,
}

#[derive(Template)]
#[template(path = "reviews.html")]
struct ListPage {
    layout: Layout,
    programmes: Vec<ProgrammeReviews>,
    /// The programmes whose reviews the user may open.
    openable: Vec<NamedRef>,
    kinds: &'static [&'static str],
    problem: Option<Problem>,
}

impl ListPage {
    fn invalid(&self, input: &str) -> String {
        super::field_attrs(&self.problem, input, "")
    }
}

async fn list_page(
    s: &AppState,
    layout: Layout,
    actor: &Actor,
    problem: Option<Problem>,
    status: StatusCode,
) -> Response {
    let data = async {
        let programmes = read::programmes(&s.db, None).await?;
        let bodies = read::bodies(&s.db, None).await?;
        let all = reviews::reviews(&s.db, None).await?;
        Ok::<_, ApiError>((programmes, bodies, all))
    };
    match data.await {
        Ok((programmes, bodies, all)) => {
            let signed_in = layout.signed_in.is_some();
            let openable = programmes
                .iter()
                .filter(|p| signed_in && may_review(actor, p, &bodies))
                .map(|p| NamedRef { id: p.id.clone(), name: p.name.clone() })
                .collect();
            let programmes = programmes
                .into_iter()
                .map(|p| ProgrammeReviews {
                    reviews: all.iter().filter(|r| r.programme == p.id).cloned().collect(),
                    programme: p,
                })
                .collect();
            let page = ListPage { layout, programmes, openable, kinds: ReviewKind::names(), problem };
            let mut response = render(&page);
            if response.status() == StatusCode::OK {
                *response.status_mut() = status;
            }
            response
        }
        Err(e) => failure(layout, e),
    }
}

pub async fn list(State(s): State<AppState>, auth: Auth, headers: HeaderMap) -> Response {
    let layout = Layout::new(&s, &headers, LIST).await;
    list_page(&s, layout, &auth.actor, None, StatusCode::OK).await
}

/// Opens the mid-term or final review of a programme (or goes to the one open).
pub async fn open(State(s): State<AppState>, auth: Auth, headers: HeaderMap, form: String) -> Response {
    let layout = Layout::new(&s, &headers, LIST).await;
    let (fields, actor) = match posted(&auth, &form) {
        Ok(x) => x,
        Err(rejected) => return rejected.page(layout),
    };
    let result = async {
        let programme = params::slug("programme", &fields.get("programme"))?
            .ok_or_else(|| ApiError::bad("programme", "choose a programme"))?;
        let kind = ReviewKind::parse(fields.raw("kind")).map_err(|e| ApiError::bad("kind", e.0))?;
        Ok::<_, ApiError>(reviews::open_review(&s.db, actor, &programme, kind).await?)
    };
    match result.await {
        Ok(id) => confirm(&format!("{LIST}/{id}"), "opened"),
        Err(e) => match form_problem(e) {
            Ok((problem, status)) => list_page(&s, layout, actor, Some(problem), status).await,
            Err(e) => refusal(layout, e),
        },
    }
}

// ---------------------------------------------------------------- one review

/// A rateable node with its finding, as stored or as typed.
pub struct NodeForm {
    pub id: String,
    pub label: Option<String>,
    pub title: String,
    pub kind: String,
    pub rating: String,
    pub findings: String,
    pub evidence_label: String,
    pub evidence_url: String,
    /// The evidence stored besides the first (the form edits one link).
    pub more_evidence: Vec<Link>,
}

#[derive(Default)]
struct Drafts {
    summary: Option<String>,
    recommendations: String,
    nodes: HashMap<String, (String, String, String, String)>,
}

#[derive(Template)]
#[template(path = "review.html")]
struct ReviewPage {
    layout: Layout,
    review: Review,
    programme_name: String,
    nodes: Vec<NodeForm>,
    summary: String,
    recommendations: String,
    /// The reviewers may write (the review is a draft).
    may_edit: bool,
    /// The reviewers may turn recommendations into actions.
    may_adopt: bool,
    programmes: Vec<NamedRef>,
    areas: Vec<AreaGroup>,
    ratings: &'static [&'static str],
    done: Option<&'static str>,
    problem: Option<Problem>,
}

impl ReviewPage {
    fn invalid(&self, input: &str) -> String {
        super::field_attrs(&self.problem, input, "")
    }
    fn selected(&self, current: &str, value: &str) -> &'static str {
        super::selected(current, value)
    }
}

#[allow(clippy::too_many_arguments)]
async fn show(
    s: &AppState,
    layout: Layout,
    actor: &Actor,
    id: &str,
    done: Option<&'static str>,
    problem: Option<Problem>,
    drafts: Drafts,
    status: StatusCode,
) -> Response {
    let data = async {
        let id = review_id(id)?;
        let review = reviews::review(&s.db, &id)
            .await?
            .ok_or_else(|| ApiError::NotFound(layout.t.with("review-not-found", &id)))?;
        let programmes = read::programmes(&s.db, None).await?;
        let bodies = read::bodies(&s.db, None).await?;
        let areas = if layout.signed_in.is_some() { area_choices(s).await? } else { Vec::new() };
        Ok::<_, ApiError>((review, programmes, bodies, areas))
    };
    let (review, programmes, bodies, areas) = match data.await {
        Ok(d) => d,
        Err(e) => return failure(layout, e),
    };
    let programme = programmes.iter().find(|p| p.id == review.programme);
    let may_adopt = layout.signed_in.is_some() && programme.is_some_and(|p| may_review(actor, p, &bodies));
    let may_edit = may_adopt && review.status == "draft";
    let nodes = review
        .rateable
        .iter()
        .map(|n| {
            let stored = review.findings.iter().find(|f| f.node == n.id);
            let first = stored.and_then(|f| f.evidence.first());
            let (rating, findings, label, url) = match drafts.nodes.get(&n.id) {
                Some(typed) => typed.clone(),
                None => (
                    stored.map(|f| f.rating.as_str().to_string()).unwrap_or_default(),
                    stored.and_then(|f| f.findings.clone()).unwrap_or_default(),
                    first.map(|l| l.label.clone()).unwrap_or_default(),
                    first.map(|l| l.url.clone()).unwrap_or_default(),
                ),
            };
            NodeForm {
                id: n.id.clone(),
                label: n.label.clone(),
                title: n.title.clone(),
                kind: n.kind.clone(),
                rating,
                findings,
                evidence_label: label,
                evidence_url: url,
                more_evidence: stored.map(|f| f.evidence.iter().skip(1).cloned().collect()).unwrap_or_default(),
            }
        })
        .collect();
    let page = ReviewPage {
        programme_name: programme.map(|p| p.name.clone()).unwrap_or_else(|| review.programme.clone()),
        summary: drafts.summary.unwrap_or_else(|| review.summary.clone().unwrap_or_default()),
        recommendations: drafts.recommendations,
        programmes: programmes.into_iter().map(|p| NamedRef { id: p.id, name: p.name }).collect(),
        layout,
        review,
        nodes,
        may_edit,
        may_adopt,
        areas,
        ratings: ReviewRating::names(),
        done,
        problem,
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
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let layout = Layout::new(&s, &headers, &format!("{LIST}/{id}")).await;
    match super::done_param(raw.as_deref(), DONE) {
        Ok(done) => show(&s, layout, &auth.actor, &id, done, None, Drafts::default(), StatusCode::OK).await,
        Err(e) => failure(layout, e),
    }
}

/// Saves the findings (`rating:<node>`, `findings:<node>`, `evidence_label:<node>`,
/// `evidence_url:<node>`), the summary, new recommendations (one per line) and,
/// when ticked, marks the review final.
pub async fn save(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: String,
) -> Response {
    let path = format!("{LIST}/{id}");
    let layout = Layout::new(&s, &headers, &path).await;
    let (fields, actor) = match posted(&auth, &form) {
        Ok(x) => x,
        Err(rejected) => return rejected.page(layout),
    };
    // Every node the form names, whichever of its inputs were sent.
    let mut nodes: Vec<String> = Vec::new();
    for prefix in ["rating:", "findings:", "evidence_label:", "evidence_url:"] {
        for (node, _) in fields.with_prefix(prefix) {
            if !nodes.iter().any(|n| n == node) {
                nodes.push(node.to_string());
            }
        }
    }
    let mut rated: Vec<String> = Vec::new();
    let result = async {
        let id = review_id(&id)?;
        let mut findings = Vec::new();
        for node in &nodes {
            let text = fields.get(&format!("findings:{node}"));
            let (label, url) =
                (fields.get(&format!("evidence_label:{node}")), fields.get(&format!("evidence_url:{node}")));
            let Some(rating) = fields.get(&format!("rating:{node}")) else {
                if text.is_some() || label.is_some() || url.is_some() {
                    return Err(ApiError::bad(&format!("rating:{node}"), "choose a rating for these findings"));
                }
                continue;
            };
            let rating = ReviewRating::parse(&rating).map_err(|e| ApiError::bad(&format!("rating:{node}"), e.0))?;
            let evidence = if label.is_some() || url.is_some() {
                vec![Link { label: label.unwrap_or_default(), url: url.unwrap_or_default() }]
            } else {
                Vec::new()
            };
            rated.push(node.clone());
            findings.push(Finding { node: node.clone(), rating, findings: text, evidence });
        }
        let change = ReviewChange {
            version: fields
                .version()?
                .ok_or_else(|| ApiError::bad("version", "the form lacks the version it was read at"))?,
            summary: Some(fields.raw("summary").trim().to_string()),
            findings,
            recommendations: fields
                .raw("recommendations")
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect(),
            finalise: fields.raw("finalise") == "yes",
        };
        Ok::<_, ApiError>(reviews::save_review(&s.db, actor, &id, &change).await?)
    };
    match result.await {
        Ok(_) => confirm(&path, "saved"),
        Err(e) => match form_problem(e) {
            Ok((mut problem, status)) => {
                // `findings[1].evidence[0]` is the evidence of the second node rated.
                if let Some(rest) = problem.field.strip_prefix("findings[") {
                    let (index, part) = rest.split_once(']').unwrap_or((rest, ""));
                    if let Some(node) = index.parse::<usize>().ok().and_then(|i| rated.get(i)) {
                        let input = if part.starts_with(".evidence") {
                            "evidence_url"
                        } else if part == ".findings" {
                            "findings"
                        } else {
                            "rating"
                        };
                        problem.field = format!("{input}:{node}");
                    }
                } else if problem.field.starts_with("recommendations[") {
                    problem.field = "recommendations".into();
                }
                let drafts = Drafts {
                    summary: Some(fields.raw("summary").to_string()),
                    recommendations: fields.raw("recommendations").to_string(),
                    nodes: nodes
                        .iter()
                        .map(|n| {
                            let get = |f: &str| fields.raw(&format!("{f}:{n}")).to_string();
                            (n.clone(), (get("rating"), get("findings"), get("evidence_label"), get("evidence_url")))
                        })
                        .collect(),
                };
                show(&s, layout, actor, &id, None, Some(problem), drafts, status).await
            }
            Err(e) => refusal(layout, e),
        },
    }
}

/// Turns a recommendation into an action of the chosen programme.
pub async fn adopt(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path((id, recommendation)): Path<(String, String)>,
    form: String,
) -> Response {
    let path = format!("{LIST}/{id}");
    let layout = Layout::new(&s, &headers, &path).await;
    let (fields, actor) = match posted(&auth, &form) {
        Ok(x) => x,
        Err(rejected) => return rejected.page(layout),
    };
    let result = async {
        crate::params::hex_id("recommendation", &recommendation).map_err(|_| {
            ApiError::NotFound(format!(
                "no review recommendation `{}`",
                tripart_domain::ids::truncate(&recommendation, 60)
            ))
        })?;
        let into = NewAction {
            programme: params::slug("programme", &fields.get("programme"))?
                .ok_or_else(|| ApiError::bad("programme", "choose the plan the action goes into"))?,
            node: params::slug("node", &fields.get("node"))?,
            title: fields.get("title"),
            calendar: fields.get("calendar"),
            bodies: Vec::new(),
        };
        Ok::<_, ApiError>(reviews::adopt_recommendation(&s.db, actor, &recommendation, &into).await?)
    };
    match result.await {
        Ok(_) => confirm(&path, "adopted"),
        Err(e) => match form_problem(e) {
            Ok((mut problem, status)) => {
                problem.field = format!("{}:{recommendation}", problem.field);
                show(&s, layout, actor, &id, None, Some(problem), Drafts::default(), status).await
            }
            Err(e) => refusal(layout, e),
        },
    }
}
