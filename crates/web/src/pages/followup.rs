//! The follow-up of recommendations (issue 6): the reporting cycles, one cycle's
//! recommendation × member state matrix, one cell with every voice's reports and
//! the form to report, a member state's record, and the ratification events the
//! Secretariat records. Reads and writes go through `tripart_storage::followup`;
//! who may do what is decided there, and the forms are offered only to those the
//! same domain policy would let through.

use super::followup_themes::lines;
use super::monitoring::{confirm, done_param, field_attrs, form_problem, posted, refusal, selected, Fields, Problem};
use super::{failure, found, path_slug, render, Layout};
use crate::auth::Auth;
use crate::error::ApiError;
use crate::params;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use std::collections::HashMap;
use tripart_domain::access::{authorize, Actor, Operation, Scope};
use tripart_domain::followup::{CycleStatus, ImplementationStatus, Voice};
use tripart_domain::vocab::RatificationEvent;
use tripart_storage::followup::{
    self, Cycle, CycleRecommendation, ImplementationCell, NewCycle, NewRatification, NewReport, RecommendationLinks,
    VoiceReport,
};
use tripart_storage::monitoring::Link;
use tripart_storage::read::{self, MeetingFilter, MemberState, NamedRef, Paging};

const LIST: &str = "/follow-up";
/// The body whose secretariat acts for meetings no body organises and records
/// ratification events (as the storage layer has it).
pub(super) const SECRETARIAT: &str = "asec";
/// Evidence link rows the report form offers; more go through the API.
const LINK_ROWS: usize = 3;
pub(super) const ALL: Paging = Paging { limit: 1000, offset: 0 };

/// A field of the form as typed, when the page shows it again.
pub(super) fn raw<'a>(draft: &'a Option<Fields>, name: &str) -> &'a str {
    draft.as_ref().map(|f| f.raw(name)).unwrap_or_default()
}

/// A response with the status of a form shown again (400 or 409).
pub(super) fn with_status(mut response: Response, status: StatusCode) -> Response {
    if response.status() == StatusCode::OK {
        *response.status_mut() = status;
    }
    response
}

pub(super) fn may_act_for(actor: &Actor, bodies: Vec<String>) -> bool {
    authorize(actor, &Operation::EditRecord(Scope { bodies, member_states: Vec::new() })).is_ok()
}

/// Who acts for a meeting's recommendations: the body that organised it, and the Secretariat.
pub(super) fn meeting_scope(body: &Option<String>) -> Vec<String> {
    let mut bodies: Vec<String> = body.iter().cloned().collect();
    bodies.push(SECRETARIAT.into());
    bodies
}

/// The attributes of an input holding a list (a textarea, one item per line, or
/// comma-separated text): it is at fault when any item is (`sdg_targets[2]`).
pub(super) fn list_field_attrs(problem: &Option<Problem>, input: &str, hint: &str) -> String {
    match problem {
        Some(p) if p.field.split('[').next() == Some(input) => field_attrs(problem, &p.field, hint),
        _ => field_attrs(problem, input, hint),
    }
}

/// A cycle id from a path: a malformed one is a cycle that does not exist.
fn cycle_id(layout: &Layout, id: &str) -> Result<String, ApiError> {
    path_slug(layout, "cycle-not-found", id)
}

async fn state_names(s: &AppState) -> Result<HashMap<String, String>, ApiError> {
    Ok(read::member_states(&s.db, None).await?.into_iter().map(|m| (m.code, m.name)).collect())
}

// ---------------------------------------------------------------- the cycles

#[derive(Template)]
#[template(path = "followup_cycles.html")]
struct CyclesPage {
    layout: Layout,
    cycles: Vec<Cycle>,
    /// The meetings with recommendations whose cycles the user may open.
    openable: Vec<NamedRef>,
    /// The cycles the user may close.
    closable: Vec<String>,
    meeting_names: HashMap<String, String>,
    draft: Option<Fields>,
    problem: Option<Problem>,
    done: Option<&'static str>,
}

impl CyclesPage {
    fn invalid(&self, input: &str) -> String {
        field_attrs(&self.problem, input, "")
    }
    fn meeting_name(&self, id: &str) -> String {
        self.meeting_names.get(id).cloned().unwrap_or_else(|| id.to_string())
    }
    fn value(&self, name: &str) -> String {
        raw(&self.draft, name).to_string()
    }
    fn may_close(&self, id: &str) -> bool {
        self.closable.iter().any(|c| c == id)
    }
    fn selected(&self, value: &str) -> &'static str {
        selected(raw(&self.draft, "meeting"), value)
    }
}

async fn cycles_page(
    s: &AppState,
    layout: Layout,
    actor: &Actor,
    draft: Option<Fields>,
    problem: Option<Problem>,
    done: Option<&'static str>,
) -> Response {
    let data = async {
        let cycles = followup::cycles(&s.db).await?;
        let meetings = read::meetings(&s.db, &MeetingFilter::default(), ALL).await?.items;
        Ok::<_, ApiError>((cycles, meetings))
    };
    let (cycles, meetings) = match data.await {
        Ok(d) => d,
        Err(e) => return failure(layout, e),
    };
    let signed_in = layout.signed_in.is_some();
    let scope = meeting_scope;
    let openable = meetings
        .iter()
        .filter(|m| signed_in && m.recommendation_count > 0 && may_act_for(actor, scope(&m.body)))
        .map(|m| NamedRef { id: m.id.clone(), name: m.title.clone() })
        .collect();
    let closable = cycles
        .iter()
        .filter(|c| signed_in && c.status == CycleStatus::Open.as_str())
        .filter(|c| {
            let body = meetings.iter().find(|m| m.id == c.meeting).and_then(|m| m.body.clone());
            may_act_for(actor, scope(&body))
        })
        .map(|c| c.id.clone())
        .collect();
    let meeting_names = meetings.into_iter().map(|m| (m.id, m.title)).collect();
    render(&CyclesPage { layout, cycles, openable, closable, meeting_names, draft, problem, done })
}

const CYCLES_DONE: &[&str] = &["opened", "closed"];

pub async fn cycles(State(s): State<AppState>, auth: Auth, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let layout = Layout::new(&s, &headers, LIST).await;
    match done_param(raw.as_deref(), CYCLES_DONE) {
        Ok(done) => cycles_page(&s, layout, &auth.actor, None, None, done).await,
        Err(e) => failure(layout, e),
    }
}

/// Opens a cycle on a meeting's recommendations.
pub async fn open(State(s): State<AppState>, auth: Auth, headers: HeaderMap, form: String) -> Response {
    let layout = Layout::new(&s, &headers, LIST).await;
    let (fields, actor) = match posted(&auth, &form) {
        Ok(x) => x,
        Err(rejected) => return rejected.page(layout),
    };
    let result = async {
        let meeting = params::slug("meeting", &fields.get("meeting"))?
            .ok_or_else(|| ApiError::bad("meeting", "choose a meeting"))?;
        let new = NewCycle {
            meeting,
            reported_to: fields.get("reported_to"),
            title: None,
            opens_on: None,
            due_on: fields.get("due_on"),
        };
        Ok::<_, ApiError>(followup::open_cycle(&s.db, actor, &new).await?)
    };
    match result.await {
        Ok(id) => confirm(&format!("{LIST}/{id}"), "opened"),
        Err(e) => match form_problem(e) {
            Ok((problem, status)) => {
                with_status(cycles_page(&s, layout, actor, Some(fields), Some(problem), None).await, status)
            }
            Err(e) => refusal(layout, e),
        },
    }
}

pub async fn close(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: String,
) -> Response {
    let layout = Layout::new(&s, &headers, LIST).await;
    let (_, actor) = match posted(&auth, &form) {
        Ok(x) => x,
        Err(rejected) => return rejected.page(layout),
    };
    let result = async {
        let id = cycle_id(&layout, &id)?;
        Ok::<_, ApiError>(followup::close_cycle(&s.db, actor, &id).await?)
    };
    match result.await {
        Ok(()) => confirm(LIST, "closed"),
        Err(e) => match form_problem(e) {
            Ok((problem, status)) => {
                with_status(cycles_page(&s, layout, actor, None, Some(problem), None).await, status)
            }
            Err(e) => refusal(layout, e),
        },
    }
}

// ---------------------------------------------------------------- the matrix

/// A recommendation's row: its cells in member-state order.
struct MatrixRow {
    rec: CycleRecommendation,
    cells: Vec<ImplementationCell>,
}

/// A member state and the recommendations its government has not reported on.
struct Missing {
    member_state: String,
    name: String,
    numbers: Vec<String>,
}

#[derive(Template)]
#[template(path = "followup_matrix.html")]
struct MatrixPage {
    layout: Layout,
    cycle: Cycle,
    states: Vec<MemberState>,
    rows: Vec<MatrixRow>,
    missing: Vec<Missing>,
    statuses: &'static [&'static str],
}

impl MatrixPage {
    fn excerpt(&self, text: &str) -> String {
        tripart_domain::ids::truncate(text, 90)
    }
}

pub async fn matrix(State(s): State<AppState>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let layout = Layout::new(&s, &headers, &format!("{LIST}/{id}")).await;
    let data = async {
        let id = cycle_id(&layout, &id)?;
        let m = found(followup::matrix(&s.db, &id).await?, &layout, "cycle-not-found", &id)?;
        let missing = followup::not_reported(&s.db, &id).await?.unwrap_or_default();
        let all = read::member_states(&s.db, None).await?;
        Ok::<_, ApiError>((m, missing, all))
    };
    let (m, missing, all) = match data.await {
        Ok(d) => d,
        Err(e) => return failure(layout, e),
    };
    let states: Vec<MemberState> =
        m.member_states.iter().filter_map(|code| all.iter().find(|s| &s.code == code).cloned()).collect();
    let mut cells = m.cells.into_iter().peekable();
    let mut rows = Vec::new();
    for rec in &m.cycle.recommendations {
        let mut row = Vec::new();
        while let Some(c) = cells.next_if(|c| c.recommendation == rec.id) {
            row.push(c);
        }
        rows.push(MatrixRow { rec: rec.clone(), cells: row });
    }
    let number = |rec: &str| {
        m.cycle.recommendations.iter().find(|r| r.id == rec).map(|r| r.number.clone()).unwrap_or_else(|| rec.into())
    };
    let missing = missing
        .into_iter()
        .map(|(code, recs)| Missing {
            name: all.iter().find(|s| s.code == code).map(|s| s.name.clone()).unwrap_or_else(|| code.clone()),
            member_state: code,
            numbers: recs.iter().map(|r| number(r)).collect(),
        })
        .collect();
    render(&MatrixPage { layout, cycle: m.cycle, states, rows, missing, statuses: ImplementationStatus::names() })
}

// ---------------------------------------------------------------- one cell

/// Whom the user may report as, in one member state: `government`, or a
/// partner's id with the voice its kind speaks with.
struct Speaker {
    value: String,
    name: String,
}

#[derive(Template)]
#[template(path = "followup_cell.html")]
struct CellPage {
    layout: Layout,
    cycle: Cycle,
    rec: CycleRecommendation,
    state: MemberState,
    cell: ImplementationCell,
    /// Every revision of every voice, this cycle and earlier ones, newest first.
    history: Vec<VoiceReport>,
    speakers: Vec<Speaker>,
    statuses: &'static [&'static str],
    /// The recommendation's thematic areas, SDG targets and themes.
    links: RecommendationLinks,
    /// The themes it belongs to, by id and title.
    themes: Vec<(String, String)>,
    may_link: bool,
    draft: Option<Fields>,
    problem: Option<Problem>,
    done: Option<&'static str>,
}

impl CellPage {
    /// Whether the problem is with the links form rather than the report form.
    fn links_problem(&self) -> bool {
        self.problem
            .as_ref()
            .is_some_and(|p| p.field.starts_with("thematic_areas") || p.field.starts_with("sdg_targets"))
    }
    fn list_invalid(&self, input: &str, hint: &str) -> String {
        list_field_attrs(&self.problem, input, hint)
    }
    /// The thematic areas as the links form shows them: as typed, else as stored.
    fn areas_value(&self) -> String {
        match &self.draft {
            Some(f) => f.raw("thematic_areas").to_string(),
            None => self.links.thematic_areas.join("\n"),
        }
    }
    fn targets_value(&self) -> String {
        match &self.draft {
            Some(f) => f.raw("sdg_targets").to_string(),
            None => self.links.sdg_targets.join(", "),
        }
    }
    fn invalid(&self, input: &str) -> String {
        field_attrs(&self.problem, input, "")
    }
    fn value(&self, name: &str) -> String {
        raw(&self.draft, name).to_string()
    }
    fn selected(&self, name: &str, value: &str) -> &'static str {
        selected(raw(&self.draft, name), value)
    }
    fn link_rows(&self) -> std::ops::Range<usize> {
        0..LINK_ROWS
    }
    fn is_open(&self) -> bool {
        self.cycle.status == CycleStatus::Open.as_str()
    }
}

async fn speakers(s: &AppState, layout: &Layout, actor: &Actor, member_state: &str) -> Result<Vec<Speaker>, ApiError> {
    if layout.signed_in.is_none() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    if authorize(actor, &Operation::SubmitFor { member_state: member_state.to_string() }).is_ok() {
        out.push(Speaker { value: Voice::Government.as_str().into(), name: layout.t.label("voice", "government") });
    }
    for p in read::partners(&s.db, None).await? {
        let Some(voice) = Voice::of_partner_kind(&p.kind) else { continue };
        if authorize(actor, &Operation::ReportAsPartner { partner: p.id.clone() }).is_ok() {
            let name = format!("{} ({})", p.abbreviation.unwrap_or(p.name), layout.t.label("voice", voice.as_str()));
            out.push(Speaker { value: p.id, name });
        }
    }
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
async fn cell_page(
    s: &AppState,
    layout: Layout,
    actor: &Actor,
    (cycle, rec, ms): (&str, &str, &str),
    draft: Option<Fields>,
    problem: Option<Problem>,
    done: Option<&'static str>,
    status: StatusCode,
) -> Response {
    let data = async {
        let cycle = cycle_id(&layout, cycle)?;
        let not_found = || ApiError::NotFound(layout.t.with("cycle-cell-not-found", &format!("{rec} / {ms}")));
        let m = found(followup::matrix(&s.db, &cycle).await?, &layout, "cycle-not-found", &cycle)?;
        let r = m.cycle.recommendations.iter().find(|r| r.id == rec).cloned().ok_or_else(not_found)?;
        let cell =
            m.cells.iter().find(|c| c.recommendation == rec && c.member_state == ms).cloned().ok_or_else(not_found)?;
        let state = read::member_states(&s.db, None).await?.into_iter().find(|m| m.code == ms).ok_or_else(not_found)?;
        let mut history = followup::history(&s.db, rec, Some(ms)).await?;
        history.reverse();
        let speakers = speakers(s, &layout, actor, ms).await?;
        let links = followup::links(&s.db, rec).await?;
        let themes = followup::themes(&s.db).await?.into_iter().filter(|(id, _)| links.themes.contains(id)).collect();
        let may_link = layout.signed_in.is_some()
            && match read::meeting(&s.db, &r.meeting).await? {
                Some(m) => may_act_for(actor, meeting_scope(&m.meeting.body)),
                None => false,
            };
        Ok::<_, ApiError>((m.cycle, r, cell, state, history, speakers, (links, themes, may_link)))
    };
    match data.await {
        Ok((cycle, rec, cell, state, history, speakers, (links, themes, may_link))) => with_status(
            render(&CellPage {
                layout,
                cycle,
                rec,
                state,
                cell,
                history,
                speakers,
                statuses: ImplementationStatus::names(),
                links,
                themes,
                may_link,
                draft,
                problem,
                done,
            }),
            status,
        ),
        Err(e) => failure(layout, e),
    }
}

pub async fn cell(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path((cycle, rec, ms)): Path<(String, String, String)>,
    RawQuery(raw): RawQuery,
) -> Response {
    let layout = Layout::new(&s, &headers, &format!("{LIST}/{cycle}/{rec}/{ms}")).await;
    match done_param(raw.as_deref(), &["reported", "linked"]) {
        Ok(done) => cell_page(&s, layout, &auth.actor, (&cycle, &rec, &ms), None, None, done, StatusCode::OK).await,
        Err(e) => failure(layout, e),
    }
}

/// The report the form describes: empty link rows are left out.
fn to_report(fields: &Fields, rec: &str, ms: &str, partners: &[read::Partner]) -> Result<NewReport, ApiError> {
    let status = ImplementationStatus::parse(fields.raw("status").trim()).map_err(|e| ApiError::bad("status", e.0))?;
    let speaker = fields.get("speaker").ok_or_else(|| ApiError::bad("speaker", "say whom you report for"))?;
    let (voice, partner) = if speaker == Voice::Government.as_str() {
        (Voice::Government, None)
    } else {
        let p = partners.iter().find(|p| p.id == speaker).ok_or_else(|| ApiError::bad("speaker", "no such partner"))?;
        let voice =
            Voice::of_partner_kind(&p.kind).ok_or_else(|| ApiError::bad("speaker", "this partner does not report"))?;
        (voice, Some(p.id.clone()))
    };
    let evidence = (0..LINK_ROWS)
        .map(|i| (fields.raw(&format!("evidence[{i}].label")).trim(), fields.raw(&format!("evidence[{i}].url")).trim()))
        .filter(|(label, url)| !label.is_empty() || !url.is_empty())
        .map(|(label, url)| Link { label: label.to_string(), url: url.to_string() })
        .collect();
    Ok(NewReport {
        recommendation: rec.to_string(),
        member_state: ms.to_string(),
        voice,
        partner,
        status,
        narrative: fields.get("narrative"),
        evidence,
    })
}

pub async fn report(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path((cycle, rec, ms)): Path<(String, String, String)>,
    form: String,
) -> Response {
    let path = format!("{LIST}/{cycle}/{rec}/{ms}");
    let layout = Layout::new(&s, &headers, &path).await;
    let (fields, actor) = match posted(&auth, &form) {
        Ok(x) => x,
        Err(rejected) => return rejected.page(layout),
    };
    let result = async {
        let id = cycle_id(&layout, &cycle)?;
        let partners = read::partners(&s.db, None).await?;
        let new = to_report(&fields, &rec, &ms, &partners)?;
        Ok::<_, ApiError>(followup::report(&s.db, actor, &id, &new).await?)
    };
    match result.await {
        Ok(_) => confirm(&path, "reported"),
        Err(e) => match form_problem(e) {
            Ok((problem, status)) => {
                cell_page(&s, layout, actor, (&cycle, &rec, &ms), Some(fields), Some(problem), None, status).await
            }
            Err(e) => refusal(layout, e),
        },
    }
}

/// Replaces the recommendation's thematic areas (programme node ids, one per
/// line) and SDG targets (comma separated).
pub async fn links(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path((cycle, rec, ms)): Path<(String, String, String)>,
    form: String,
) -> Response {
    let path = format!("{LIST}/{cycle}/{rec}/{ms}");
    let layout = Layout::new(&s, &headers, &path).await;
    let (fields, actor) = match posted(&auth, &form) {
        Ok(x) => x,
        Err(rejected) => return rejected.page(layout),
    };
    let areas = lines(fields.raw("thematic_areas"));
    let targets: Vec<String> =
        fields.raw("sdg_targets").split(',').map(str::trim).filter(|t| !t.is_empty()).map(str::to_string).collect();
    match followup::set_links(&s.db, actor, &rec, &areas, &targets).await.map_err(ApiError::from) {
        Ok(()) => confirm(&path, "linked"),
        Err(e) => match form_problem(e) {
            Ok((problem, status)) => {
                cell_page(&s, layout, actor, (&cycle, &rec, &ms), Some(fields), Some(problem), None, status).await
            }
            Err(e) => refusal(layout, e),
        },
    }
}

// ---------------------------------------------------------------- a member state

/// A cycle and a member state's current reports in it, with their recommendation's number.
struct CycleReports {
    cycle: Cycle,
    reports: Vec<(String, VoiceReport)>,
}

#[derive(Template)]
#[template(path = "followup_country.html")]
struct CountryPage {
    layout: Layout,
    state: MemberState,
    cycles: Vec<CycleReports>,
}

pub async fn country(State(s): State<AppState>, headers: HeaderMap, Path(code): Path<String>) -> Response {
    let layout = Layout::new(&s, &headers, &format!("/member-states/{code}/follow-up")).await;
    let data = async {
        let code = code.to_ascii_uppercase();
        let states = read::member_states(&s.db, None).await?;
        let state = found(states.into_iter().find(|m| m.code == code), &layout, "member-state-not-found", &code)?;
        let reports = followup::country(&s.db, &code).await?;
        let cycles = followup::cycles(&s.db).await?;
        Ok::<_, ApiError>((state, reports, cycles))
    };
    match data.await {
        Ok((state, reports, cycles)) => {
            let cycles = cycles
                .into_iter()
                .map(|c| {
                    let number = |rec: &str| {
                        let r = c.recommendations.iter().find(|r| r.id == rec);
                        r.map(|r| r.number.clone()).unwrap_or_else(|| rec.to_string())
                    };
                    let reports = reports
                        .iter()
                        .filter(|r| r.cycle == c.id)
                        .map(|r| (number(&r.recommendation), r.clone()))
                        .collect();
                    CycleReports { reports, cycle: c }
                })
                .filter(|c| !c.reports.is_empty())
                .collect();
            render(&CountryPage { layout, state, cycles })
        }
        Err(e) => failure(layout, e),
    }
}

// ---------------------------------------------------------------- ratification events

#[derive(Template)]
#[template(path = "ratification_record.html")]
struct RecordPage {
    layout: Layout,
    may_record: bool,
    states: Vec<MemberState>,
    conventions: Vec<read::Convention>,
    events: &'static [&'static str],
    today: String,
    draft: Option<Fields>,
    problem: Option<Problem>,
    done: Option<&'static str>,
}

impl RecordPage {
    fn invalid(&self, input: &str) -> String {
        field_attrs(&self.problem, input, "")
    }
    fn value(&self, name: &str) -> String {
        raw(&self.draft, name).to_string()
    }
    fn selected(&self, name: &str, value: &str) -> &'static str {
        selected(raw(&self.draft, name), value)
    }
}

const RECORD: &str = "/ratifications/record";

async fn record_page(
    s: &AppState,
    layout: Layout,
    actor: &Actor,
    draft: Option<Fields>,
    problem: Option<Problem>,
    done: Option<&'static str>,
    status: StatusCode,
) -> Response {
    let today = tripart_domain::time::today();
    let data = async {
        Ok::<_, ApiError>((read::member_states(&s.db, None).await?, read::conventions(&s.db, &today, None).await?))
    };
    match data.await {
        Ok((states, conventions)) => {
            let may_record = layout.signed_in.is_some() && may_act_for(actor, vec![SECRETARIAT.into()]);
            let page = RecordPage {
                layout,
                may_record,
                states,
                conventions,
                events: RatificationEvent::names(),
                today,
                draft,
                problem,
                done,
            };
            with_status(render(&page), status)
        }
        Err(e) => failure(layout, e),
    }
}

pub async fn record_form(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let layout = Layout::new(&s, &headers, RECORD).await;
    if layout.signed_in.is_none() {
        return refusal(layout, ApiError::Unauthenticated("sign in to record a ratification event".into()));
    }
    match done_param(raw.as_deref(), &["recorded"]) {
        Ok(done) => record_page(&s, layout, &auth.actor, None, None, done, StatusCode::OK).await,
        Err(e) => failure(layout, e),
    }
}

pub async fn record(State(s): State<AppState>, auth: Auth, headers: HeaderMap, form: String) -> Response {
    let layout = Layout::new(&s, &headers, RECORD).await;
    let (fields, actor) = match posted(&auth, &form) {
        Ok(x) => x,
        Err(rejected) => return rejected.page(layout),
    };
    let result = async {
        let new = NewRatification {
            member_state: params::member_state("member_state", &fields.get("member_state"))?
                .ok_or_else(|| ApiError::bad("member_state", "choose a member state"))?,
            convention: fields
                .get("convention")
                .filter(|c| c.len() <= 10 && c.chars().all(|c| c.is_ascii_alphanumeric()))
                .ok_or_else(|| ApiError::bad("convention", "choose a convention"))?,
            event: RatificationEvent::parse(fields.raw("event").trim()).map_err(|e| ApiError::bad("event", e.0))?,
            date: fields.raw("date").trim().to_string(),
            source_document: fields.raw("source_document").trim().to_string(),
            source_section: None,
            source_reference: fields.get("source_reference"),
        };
        Ok::<_, ApiError>(followup::record_ratification(&s.db, actor, &new).await?)
    };
    match result.await {
        Ok(_) => confirm(RECORD, "recorded"),
        Err(e) => match form_problem(e) {
            Ok((problem, status)) => record_page(&s, layout, actor, Some(fields), Some(problem), None, status).await,
            Err(e) => refusal(layout, e),
        },
    }
}

#[derive(Template)]
#[template(path = "ratification_changes.html")]
struct ChangesPage {
    layout: Layout,
    from: String,
    to: String,
    events: Vec<read::RatificationEvent>,
    names: HashMap<String, String>,
}

impl ChangesPage {
    fn state_name(&self, code: &str) -> String {
        self.names.get(code).cloned().unwrap_or_else(|| code.to_string())
    }
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ChangesQuery {
    from: Option<String>,
    to: Option<String>,
}

pub async fn changes(State(s): State<AppState>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let layout = Layout::new(&s, &headers, "/ratifications/changes").await;
    let data = async {
        let q: ChangesQuery = params::parse_query(super::form_query(raw.as_deref()).as_deref())?;
        let date = |name: &str, v: Option<String>| {
            v.map(|d| tripart_domain::IsoDate::parse(&d).map(|d| d.to_string()).map_err(|e| ApiError::bad(name, e.0)))
                .transpose()
        };
        let to = date("to", q.to)?.unwrap_or_else(tripart_domain::time::today);
        let from = date("from", q.from)?.unwrap_or_else(|| format!("{}-01-01", to.get(..4).unwrap_or("2000")));
        if from > to {
            return Err(ApiError::bad("from", "the first date must not be after the second"));
        }
        let filter = read::RatificationFilter { from: Some(from.clone()), to: Some(to.clone()), ..Default::default() };
        let events = read::ratification_events(&s.db, &filter, ALL).await?.items;
        Ok::<_, ApiError>((from, to, events, state_names(&s).await?))
    };
    match data.await {
        Ok((from, to, events, names)) => render(&ChangesPage { layout, from, to, events, names }),
        Err(e) => failure(layout, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_form_names_the_field_at_fault() {
        let partners = vec![read::Partner {
            id: "atuc".into(),
            abbreviation: Some("ATUC".into()),
            name: "ASEAN Trade Union Council".into(),
            kind: "workers".into(),
        }];
        let bad =
            |body: &str| match to_report(&Fields::parse(body).unwrap_or_else(|e| panic!("{e}")), "r", "KHM", &partners)
            {
                Err(ApiError::BadParameter { parameter, .. }) => parameter,
                _ => String::new(),
            };
        assert_eq!(bad("status=done&speaker=government"), "status");
        assert_eq!(bad("status=implemented&speaker=nobody"), "speaker");
        let f = Fields::parse(
            "status=implemented&speaker=atuc&evidence%5B1%5D.url=https%3A%2F%2Fx.org&evidence%5B1%5D.label=X",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let r = to_report(&f, "r", "KHM", &partners).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((r.voice, r.partner.as_deref(), r.evidence.len()), (Voice::Workers, Some("atuc"), 1));
    }
}
