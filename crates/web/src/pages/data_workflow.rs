//! The pages of those who submit and validate labour-market and OSH data (issue 5): focal
//! points send their country's figures (the Excel template, a file, or the entry form) and
//! answer returned values; validators work through the queue and publish vintages; everyone
//! signed in reads the rules, which the Secretariat sets. Reads and writes go through
//! `tripart_storage::stats`, which decides who may do what; a form is offered only to those
//! the same policy would let through. The public pages of published data are not here.
//!
//! Focal points are often on slow connections: no JavaScript, every form works as plain HTML,
//! and a refused form comes back with what was typed and every problem named at the top and
//! next to its field.

use super::monitoring::{checked, posted, refusal, selected, this_year, Fields, Problem, Rejected};
use super::{failure, render, Layout};
use crate::auth::Auth;
use crate::error::ApiError;
use crate::AppState;
use askama::Template;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::HashMap;
use tripart_domain::access::Actor;
use tripart_stats::formats::xlsx;
use tripart_stats::obs::{normalise_period, RawRow};
use tripart_stats::rules::{Check, Rule, Severity};
use tripart_stats::{Key, Kind, Registry};
use tripart_storage::stats::import::{self, ImportReport, Submission};
use tripart_storage::stats::query::{self, DataQuery, DataRow, Edition, Queue, VintageChange};
use tripart_storage::stats::workflow::{self, Selection, Vintage};
use tripart_storage::stats::DataError;

const SUBMIT: &str = "/data/submit";
const REVIEW: &str = "/data/review";
const VINTAGES: &str = "/data/vintages";
const RULES: &str = "/data/rules";

/// The largest file the upload form takes: the API's limit for a base64 body, as raw bytes.
pub const MAX_UPLOAD_BYTES: usize = 40 * 1024 * 1024;
/// Values the review page lists at once; filters narrow a larger queue.
const QUEUE_PAGE: i64 = 500;
/// Longest reason kept with a submission (as long as a validator's comment may be).
const MAX_TEXT: usize = 2000;

// ---------------------------------------------------------------- shared

/// Every problem of a form, each naming the input at fault: listed at the top of the page
/// (linking to the input) and shown again next to the input.
#[derive(Default)]
pub struct Problems(Vec<Problem>);

impl Problems {
    fn one(field: &str, message: impl Into<String>) -> Problems {
        Problems(vec![Problem { field: field.into(), message: message.into() }])
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn iter(&self) -> std::slice::Iter<'_, Problem> {
        self.0.iter()
    }
    /// What is wrong with `input`, if anything.
    pub fn message(&self, input: &str) -> Option<&str> {
        self.0.iter().find(|p| p.field == input).map(|p| p.message.as_str())
    }
    /// The attributes that mark `input` as at fault and point to its message.
    pub fn attrs(&self, input: &str) -> String {
        if self.message(input).is_some() {
            format!(" aria-invalid=\"true\" aria-describedby=\"err-{input}\"")
        } else {
            String::new()
        }
    }
}

/// A failed change as the form shows it: a field's problem (400), a stale or empty state
/// (409); anything else (refused, storage) is the error page.
fn form_problems(e: ApiError) -> Result<(Problems, StatusCode), ApiError> {
    match e {
        ApiError::BadParameter { parameter, message } => {
            Ok((Problems::one(&parameter, message), StatusCode::BAD_REQUEST))
        }
        ApiError::Conflict { message, .. } => Ok((Problems::one("form", message), StatusCode::CONFLICT)),
        e => Err(e),
    }
}

fn with_status(mut response: Response, status: StatusCode) -> Response {
    if response.status() == StatusCode::OK {
        *response.status_mut() = status;
    }
    response
}

/// The member states' names by code.
async fn state_names(s: &AppState) -> Result<HashMap<String, String>, ApiError> {
    Ok(tripart_storage::read::member_states(&s.db, None).await?.into_iter().map(|m| (m.code, m.name)).collect())
}

/// A series' measure name and unit, and its breakdown in words ("Female, 15-24").
fn describe(indicator: &str, codes: [&str; 3]) -> (String, String, String) {
    let reg = Registry::get();
    let measure = reg.series(indicator).ok().and_then(|s| reg.measure(&s.measure));
    let name = measure.map(|m| m.name.clone()).unwrap_or_else(|| indicator.to_string());
    let unit = measure.map(xlsx::unit_words).unwrap_or_default();
    let breakdown = codes
        .iter()
        .filter(|c| !c.is_empty())
        .map(|c| reg.code(c).map(|x| x.name.clone()).unwrap_or_else(|| c.to_string()))
        .collect::<Vec<_>>()
        .join(", ");
    (name, unit, breakdown)
}

/// A value as people read it: a number, a scale level with its words, or the answer.
fn shown(indicator: &str, value: Option<f64>, text: &Option<String>) -> String {
    if let Some(t) = text {
        return tripart_domain::ids::truncate(t, 200);
    }
    let Some(v) = value else { return String::new() };
    let reg = Registry::get();
    let level = reg
        .series(indicator)
        .ok()
        .and_then(|s| reg.measure(&s.measure))
        .filter(|m| m.kind == Kind::Scale)
        .and_then(|m| m.scale.get(v as usize).map(|l| format!("{v} — {l}")));
    level.unwrap_or_else(|| v.to_string())
}

/// The series of the yearly request, in its order, with their measure names.
fn requested_series() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for g in xlsx::collection() {
        for ind in &g.indicators {
            if !out.iter().any(|(c, _)| c == ind) {
                let (name, _, _) = describe(ind, ["", "", ""]);
                out.push((ind.clone(), name));
            }
        }
    }
    out
}

/// The observation statuses, for the status selects.
fn statuses() -> Vec<(String, String)> {
    Registry::get().codes_of("OBS_STATUS").map(|c| (c.code.clone(), c.name.clone())).collect()
}

fn query_of(raw: Option<&str>) -> HashMap<String, String> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(raw.unwrap_or_default())
        .unwrap_or_default()
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .collect()
}

/// `path?a=b&…` with the non-empty pairs.
fn link(path: &str, pairs: &[(&str, &str)]) -> String {
    let kept: Vec<(&str, &str)> = pairs.iter().copied().filter(|(_, v)| !v.is_empty()).collect();
    if kept.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", serde_urlencoded::to_string(kept).unwrap_or_default())
    }
}

/// A confirmation a page may show, one of `allowed`; anything else shows nothing.
fn done_of(q: &HashMap<String, String>, allowed: &[&'static str]) -> Option<&'static str> {
    q.get("done").and_then(|d| allowed.iter().find(|a| **a == d.as_str()).copied())
}

/// A comment or note as typed, line breaks as stored; its length is the storage layer's to judge.
fn text_field(fields: &Fields, name: &str) -> Option<String> {
    fields.get(name).map(|t| from_textarea(&t))
}

// ---------------------------------------------------------------- submitting

/// One requested value on the entry form.
pub struct EntryRow {
    /// Its place in the request: the inputs are `v{i}`, `s{i}`, `e{i}`.
    pub i: usize,
    pub measure: String,
    pub unit: String,
    pub breakdown: String,
    /// number, scale or text.
    pub kind: &'static str,
    pub levels: Vec<String>,
    pub value: String,
    pub status: String,
    pub evidence: String,
    /// Where the held value stands in the workflow.
    pub state: Option<String>,
    /// The validator's comment on a returned value.
    pub comment: Option<String>,
}

pub struct EntryGroup {
    pub title: &'static str,
    pub rows: Vec<EntryRow>,
}

#[derive(Template)]
#[template(path = "data_submit.html")]
struct SubmitPage {
    layout: Layout,
    /// The member states the user submits for: (code, name).
    areas: Vec<(String, String)>,
    area: String,
    /// The period as typed; `time_ok` when it is one.
    time: String,
    time_ok: bool,
    problems: Problems,
    /// The problems of a refused file or form: nothing was stored.
    rejected: Vec<tripart_stats::Problem>,
    report: Option<ImportReport>,
    /// The upload form as typed.
    reason: String,
    send_now: bool,
    /// The entry form as typed.
    entry_reason: String,
    entry_send: bool,
    groups: Vec<EntryGroup>,
    statuses: Vec<(String, String)>,
    /// Values the "send to validators" button would send.
    unsent: usize,
    done: Option<&'static str>,
}

impl SubmitPage {
    fn area_selected(&self, code: &str) -> &'static str {
        selected(&self.area, code)
    }
    fn level_selected(&self, row: &EntryRow, level: impl std::fmt::Display) -> &'static str {
        selected(row.value.trim(), &level.to_string())
    }
    fn template_link(&self) -> String {
        link("/api/v1/data/template.xlsx", &[("ref_area", &self.area), ("time", &self.time)])
    }
    fn send_checked(&self) -> &'static str {
        checked(self.send_now)
    }
    fn entry_send_checked(&self) -> &'static str {
        checked(self.entry_send)
    }
}

/// The form as typed, when the page shows a refused entry form again.
struct EntryDraft {
    fields: Fields,
    problems: HashMap<usize, Vec<String>>,
}

/// The held values of an area and period, newest revisions, by key.
async fn working(s: &AppState, area: &str, time: &str) -> Result<HashMap<Key, DataRow>, ApiError> {
    let mut held = HashMap::new();
    for group in xlsx::collection() {
        for ind in &group.indicators {
            let q = DataQuery {
                indicator: ind.clone(),
                ref_area: vec![area.to_string()],
                time: Some(time.to_string()),
                edition: Edition::Working,
                ..DataQuery::default()
            };
            for r in query::data(&s.db, &q).await? {
                let key = Key {
                    ref_area: r.ref_area.clone(),
                    indicator: r.indicator.clone(),
                    sex: r.sex.clone(),
                    classif1: r.classif1.clone(),
                    classif2: r.classif2.clone(),
                    time: r.time.clone(),
                };
                held.insert(key, r);
            }
        }
    }
    Ok(held)
}

/// The entry form's rows for an area and period: the held values, or what was typed.
async fn entry_groups(
    s: &AppState,
    area: &str,
    time: &str,
    draft: Option<&EntryDraft>,
) -> Result<(Vec<EntryGroup>, usize), ApiError> {
    let reg = Registry::get();
    let held = working(s, area, time).await?;
    let mut groups: Vec<EntryGroup> = Vec::new();
    let mut unsent = 0;
    for (i, (group, key)) in xlsx::requested_keys(area, time).into_iter().enumerate() {
        let h = held.get(&key);
        let measure = reg.series(&key.indicator).ok().and_then(|s| reg.measure(&s.measure));
        let kind = match measure.map(|m| m.kind) {
            Some(Kind::Scale) => "scale",
            Some(Kind::Text) => "text",
            _ => "number",
        };
        let (name, unit, breakdown) = describe(&key.indicator, [&key.sex, &key.classif1, &key.classif2]);
        let state = h.and_then(|r| r.state.clone());
        if matches!(state.as_deref(), Some("draft" | "returned")) {
            unsent += 1;
        }
        // A returned value carries the validator's latest comment on it.
        let comment = match (state.as_deref(), h.and_then(|r| r.observation_id)) {
            (Some("returned"), Some(id)) => query::history(&s.db, id)
                .await?
                .and_then(|hist| hist.events.into_iter().rev().find(|e| e.kind == "returned"))
                .and_then(|e| e.comment),
            _ => None,
        };
        let (value, status, evidence) = match draft {
            Some(d) => (
                d.fields.raw(&format!("v{i}")).to_string(),
                d.fields.raw(&format!("s{i}")).to_string(),
                d.fields.raw(&format!("e{i}")).to_string(),
            ),
            None => (
                h.map(|r| match &r.obs_text {
                    Some(t) => t.clone(),
                    None => r.obs_value.map(|v| v.to_string()).unwrap_or_default(),
                })
                .unwrap_or_default(),
                h.and_then(|r| r.obs_status.clone()).unwrap_or_default(),
                h.and_then(|r| r.evidence.clone()).unwrap_or_default(),
            ),
        };
        let row = EntryRow {
            i,
            measure: name,
            unit,
            breakdown,
            kind,
            levels: measure.map(|m| m.scale.clone()).unwrap_or_default(),
            value,
            status,
            evidence,
            state,
            comment,
        };
        match groups.last_mut().filter(|g| g.title == group) {
            Some(g) => g.rows.push(row),
            None => groups.push(EntryGroup { title: group, rows: vec![row] }),
        }
    }
    Ok((groups, unsent))
}

/// What the submit page shows besides its data.
#[derive(Default)]
struct SubmitState {
    problems: Problems,
    rejected: Vec<tripart_stats::Problem>,
    report: Option<ImportReport>,
    reason: String,
    send_now: bool,
    entry_reason: String,
    entry_send: bool,
    done: Option<&'static str>,
}

async fn submit_page(
    s: &AppState,
    layout: Layout,
    areas: Vec<String>,
    area: String,
    time: String,
    draft: Option<EntryDraft>,
    state: SubmitState,
) -> Response {
    let names = match state_names(s).await {
        Ok(n) => n,
        Err(e) => return failure(layout, e),
    };
    let time_ok = normalise_period(&time).is_some_and(|t| t == time);
    let (mut groups, unsent) = if time_ok {
        match entry_groups(s, &area, &time, draft.as_ref()).await {
            Ok(g) => g,
            Err(e) => return failure(layout, e),
        }
    } else {
        (Vec::new(), 0)
    };
    let mut problems = state.problems;
    // A refused entry form: each problem beside its row, and all of them at the top.
    if let Some(d) = &draft {
        for g in &mut groups {
            for r in &g.rows {
                for message in d.problems.get(&r.i).into_iter().flatten() {
                    let label = if r.breakdown.is_empty() {
                        r.measure.clone()
                    } else {
                        format!("{}, {}", r.measure, r.breakdown)
                    };
                    problems.0.push(Problem { field: format!("v{}", r.i), message: format!("{label}: {message}") });
                }
            }
        }
    }
    let areas = areas.into_iter().map(|a| (a.clone(), names.get(&a).cloned().unwrap_or(a))).collect();
    render(&SubmitPage {
        layout,
        areas,
        area,
        time,
        time_ok,
        problems,
        rejected: state.rejected,
        report: state.report,
        reason: state.reason,
        send_now: state.send_now,
        entry_reason: state.entry_reason,
        entry_send: state.entry_send,
        groups,
        statuses: statuses(),
        unsent,
        done: state.done,
    })
}

/// The areas the user submits for, and the one asked for (403 for another).
async fn submitter_area(s: &AppState, actor: &Actor, asked: Option<&str>) -> Result<(Vec<String>, String), ApiError> {
    let areas = import::areas_for(&s.db, actor).await?;
    let Some(first) = areas.first().cloned() else {
        return Err(ApiError::Forbidden("you may not submit data for any member state".into()));
    };
    let area = match asked.map(|a| a.trim().to_ascii_uppercase()) {
        None => first,
        Some(a) if areas.contains(&a) => a,
        Some(a) => {
            return Err(ApiError::Forbidden(format!(
                "you may not submit data for `{}`",
                tripart_domain::ids::truncate(&a, 20)
            )))
        }
    };
    Ok((areas, area))
}

const SUBMIT_DONE: &[&str] = &["sent", "none-sent"];

pub async fn submit(State(s): State<AppState>, auth: Auth, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let layout = Layout::new(&s, &headers, SUBMIT).await;
    let actor = match auth.require_user() {
        Ok(a) => a,
        Err(e) => return refusal(layout, e),
    };
    let q = query_of(raw.as_deref());
    // Validators submit nothing: their page is the queue.
    if workflow::may_validate(actor) && import::areas_for(&s.db, actor).await.is_ok_and(|a| a.is_empty()) {
        return Redirect::to(REVIEW).into_response();
    }
    let (areas, area) = match submitter_area(&s, actor, q.get("ref_area").map(String::as_str)).await {
        Ok(x) => x,
        Err(e) => return failure(layout, e),
    };
    // Last year by default: the annual request is for the year just ended.
    let typed = q.get("time").cloned().unwrap_or_else(|| (this_year() - 1).to_string());
    let mut state = SubmitState { done: done_of(&q, SUBMIT_DONE), ..SubmitState::default() };
    let time = match normalise_period(&typed) {
        Some(t) => t,
        None => {
            state.problems = Problems::one("time", "a period: 2024, 2024Q1 or 2024M01");
            typed
        }
    };
    let status = if state.problems.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    with_status(submit_page(&s, layout, areas, area, time, None, state).await, status)
}

/// The upload form as sent.
#[derive(Default)]
struct Upload {
    csrf: Option<String>,
    ref_area: String,
    time: String,
    reason: String,
    submit: bool,
    file_name: String,
    bytes: Vec<u8>,
}

async fn read_upload(mut multipart: Multipart) -> Result<Upload, ApiError> {
    let too_large = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge(MAX_UPLOAD_BYTES)
        } else {
            ApiError::bad("body", e.body_text())
        }
    };
    let mut u = Upload::default();
    while let Some(field) = multipart.next_field().await.map_err(too_large)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            u.file_name = field.file_name().unwrap_or_default().to_string();
            u.bytes = field.bytes().await.map_err(too_large)?.to_vec();
            continue;
        }
        let value = field.text().await.map_err(too_large)?;
        match name.as_str() {
            "csrf" => u.csrf = Some(value),
            "ref_area" => u.ref_area = value,
            "time" => u.time = value,
            "reason" => u.reason = value,
            "submit" => u.submit = !value.is_empty(),
            _ => {}
        }
    }
    Ok(u)
}

/// A storage refusal as the page shows it: the data's problems (422), or the error page.
fn refused(e: DataError) -> Result<Vec<tripart_stats::Problem>, ApiError> {
    match e {
        DataError::Rejected(p) => Ok(p),
        e => Err(e.into()),
    }
}

/// Takes a file from the upload form: the template, ILOSTAT CSV, SDMX-CSV or WDI CSV.
pub async fn upload(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let layout = Layout::new(&s, &headers, SUBMIT).await;
    let sent = match multipart {
        Ok(m) => read_upload(m).await,
        Err(e) => Err(ApiError::bad("body", e.body_text())),
    };
    let u = match sent {
        Ok(u) => u,
        Err(e) => return failure(layout, e),
    };
    let actor = match super::change_actor(&auth, u.csrf.as_deref()) {
        Ok(a) => a,
        Err(e) => return refusal(layout, e),
    };
    let (areas, area) = match submitter_area(&s, actor, Some(u.ref_area.as_str()).filter(|a| !a.is_empty())).await {
        Ok(x) => x,
        Err(e) => return failure(layout, e),
    };
    let time = normalise_period(&u.time).unwrap_or_else(|| (this_year() - 1).to_string());
    let reason = tripart_domain::ids::truncate(u.reason.trim(), MAX_TEXT);
    let mut state = SubmitState { reason: reason.clone(), send_now: u.submit, ..SubmitState::default() };
    if u.bytes.is_empty() {
        state.problems = Problems::one("file", "choose a file to upload");
        return with_status(submit_page(&s, layout, areas, area, time, None, state).await, StatusCode::BAD_REQUEST);
    }
    let sub = Submission {
        file_name: Some(tripart_domain::ids::truncate(&u.file_name, 200)).filter(|n| !n.is_empty()),
        reason: Some(reason).filter(|r| !r.is_empty()),
        submit: u.submit,
    };
    match import::import_file(&s.db, actor, &u.bytes, &sub).await {
        Ok(report) => {
            state.report = Some(report);
            state.reason.clear();
            state.send_now = false;
            submit_page(&s, layout, areas, area, time, None, state).await
        }
        Err(e) => match refused(e) {
            Ok(problems) => {
                state.rejected = problems;
                with_status(
                    submit_page(&s, layout, areas, area, time, None, state).await,
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
            }
            Err(e) => failure(layout, e),
        },
    }
}

/// Text from a textarea as stored: browsers send line breaks as CR LF.
fn from_textarea(v: &str) -> String {
    v.replace("\r\n", "\n")
}

/// The rows the entry form sends: the held value's other fields (source, notes, sampling
/// errors) kept, so that an unchanged row compares equal and a changed one loses nothing.
fn entry_rows(fields: &Fields, keys: &[(&'static str, Key)], held: &HashMap<Key, DataRow>) -> Vec<RawRow> {
    let reg = Registry::get();
    let mut rows = Vec::new();
    for (i, (_, key)) in keys.iter().enumerate() {
        let value = from_textarea(fields.raw(&format!("v{i}")));
        let status = fields.raw(&format!("s{i}")).trim().to_string();
        // An empty row is not a submission of that value (as in the template).
        if value.trim().is_empty() && status.is_empty() {
            continue;
        }
        let h = held.get(key);
        let kind = reg.series(&key.indicator).ok().and_then(|s| reg.measure(&s.measure)).map(|m| m.kind);
        let held_text = |f: fn(&DataRow) -> &Option<String>| h.and_then(|r| f(r).clone()).unwrap_or_default();
        let held_number = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
        let evidence = if matches!(kind, Some(Kind::Scale | Kind::Text)) {
            from_textarea(fields.raw(&format!("e{i}"))).trim().to_string()
        } else {
            held_text(|r| &r.evidence)
        };
        rows.push(RawRow {
            line: i + 1,
            ref_area: key.ref_area.clone(),
            indicator: key.indicator.clone(),
            sex: key.sex.clone(),
            classif1: key.classif1.clone(),
            classif2: key.classif2.clone(),
            time: key.time.clone(),
            obs_value: value,
            obs_status: status,
            source: held_text(|r| &r.source),
            note_indicator: held_text(|r| &r.note_indicator),
            note_source: held_text(|r| &r.note_source),
            evidence,
            std_error: held_number(h.and_then(|r| r.std_error)),
            cv: held_number(h.and_then(|r| r.cv)),
            sample_count: h.and_then(|r| r.sample_count).map(|n| n.to_string()).unwrap_or_default(),
            rescale: 0,
        });
    }
    rows
}

/// A posted form for one area and period: who posts it, the areas they submit for, and the
/// area (refused unless theirs) and period it is about.
async fn area_form<'a>(
    s: &AppState,
    auth: &'a Auth,
    form: &str,
) -> Result<(Fields, &'a Actor, Vec<String>, String, String), Rejected> {
    let (fields, actor) = posted(auth, form)?;
    let (areas, area) = submitter_area(s, actor, Some(fields.raw("ref_area"))).await.map_err(Rejected::Unreadable)?;
    let time = normalise_period(fields.raw("time"))
        .ok_or_else(|| Rejected::Unreadable(ApiError::bad("time", "a period: 2024, 2024Q1 or 2024M01")))?;
    Ok((fields, actor, areas, area, time))
}

/// Takes the entry form's values for one area and period.
pub async fn entry(State(s): State<AppState>, auth: Auth, headers: HeaderMap, form: String) -> Response {
    let layout = Layout::new(&s, &headers, SUBMIT).await;
    let (fields, actor, areas, area, time) = match area_form(&s, &auth, &form).await {
        Ok(x) => x,
        Err(rejected) => return rejected.page(layout),
    };
    let entry_reason = fields.get("reason").map(|r| tripart_domain::ids::truncate(&r, MAX_TEXT));
    let entry_send = fields.get("submit").is_some();
    let mut state =
        SubmitState { entry_reason: entry_reason.clone().unwrap_or_default(), entry_send, ..SubmitState::default() };
    let keys = xlsx::requested_keys(&area, &time);
    let held = match working(&s, &area, &time).await {
        Ok(h) => h,
        Err(e) => return failure(layout, e),
    };
    let rows = entry_rows(&fields, &keys, &held);
    if rows.is_empty() {
        state.problems = Problems::one("v0", "fill in at least one value");
        let draft = EntryDraft { fields, problems: HashMap::new() };
        return with_status(
            submit_page(&s, layout, areas, area, time, Some(draft), state).await,
            StatusCode::BAD_REQUEST,
        );
    }
    let sub = Submission { file_name: None, reason: entry_reason, submit: entry_send };
    match import::import_rows(&s.db, actor, &rows, &sub).await {
        Ok(report) => {
            state.report = Some(report);
            state.entry_reason.clear();
            state.entry_send = false;
            submit_page(&s, layout, areas, area, time, None, state).await
        }
        Err(e) => match refused(e) {
            Ok(problems) => {
                // Lines are the form's rows, counted from 1.
                let mut by_row: HashMap<usize, Vec<String>> = HashMap::new();
                for p in &problems {
                    by_row.entry(p.line.saturating_sub(1)).or_default().push(p.reason.clone());
                }
                state.rejected = problems;
                let draft = EntryDraft { fields, problems: by_row };
                with_status(
                    submit_page(&s, layout, areas, area, time, Some(draft), state).await,
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
            }
            Err(e) => failure(layout, e),
        },
    }
}

/// Sends an area's drafts and corrected values of a period to the validators.
pub async fn send(State(s): State<AppState>, auth: Auth, headers: HeaderMap, form: String) -> Response {
    let layout = Layout::new(&s, &headers, SUBMIT).await;
    let (_, actor, _, area, time) = match area_form(&s, &auth, &form).await {
        Ok(x) => x,
        Err(rejected) => return rejected.page(layout),
    };
    let sel = Selection { ids: Vec::new(), ref_area: Some(area.clone()), time: Some(time.clone()), indicator: None };
    match workflow::submit(&s.db, actor, &sel).await {
        Ok(n) => {
            let done = if n == 0 { "none-sent" } else { "sent" };
            Redirect::to(&link(SUBMIT, &[("ref_area", &area), ("time", &time), ("done", done)])).into_response()
        }
        Err(e) => failure(layout, e.into()),
    }
}

// ---------------------------------------------------------------- reviewing

pub struct QueueRow {
    pub id: i64,
    pub indicator: String,
    pub measure: String,
    pub breakdown: String,
    pub time: String,
    pub value: String,
    pub status: Option<String>,
    pub state: String,
    pub findings: Vec<query::QueueFinding>,
}

pub struct QueueGroup {
    pub area: String,
    pub name: String,
    pub rows: Vec<QueueRow>,
}

#[derive(Template)]
#[template(path = "data_review.html")]
struct ReviewPage {
    layout: Layout,
    groups: Vec<QueueGroup>,
    shown: usize,
    total: i64,
    area: String,
    indicator: String,
    areas: Vec<(String, String)>,
    indicators: Vec<(String, String)>,
    problems: Problems,
    /// The form as typed.
    ticked: Vec<i64>,
    comment: String,
    label: String,
    note: String,
    done: Option<&'static str>,
}

impl ReviewPage {
    fn is_ticked(&self, id: &i64) -> &'static str {
        checked(self.ticked.contains(id))
    }
    fn area_selected(&self, code: &str) -> &'static str {
        selected(&self.area, code)
    }
    fn indicator_selected(&self, code: &str) -> &'static str {
        selected(&self.indicator, code)
    }
}

#[derive(Default)]
struct ReviewDraft {
    ticked: Vec<i64>,
    comment: String,
    label: String,
    note: String,
}

async fn review_page(
    s: &AppState,
    layout: Layout,
    area: String,
    indicator: String,
    draft: ReviewDraft,
    problems: Problems,
    done: Option<&'static str>,
) -> Response {
    let loaded = async {
        let names = state_names(s).await?;
        let queue: Queue = query::queue(
            &s.db,
            Some(area.as_str()).filter(|a| !a.is_empty()),
            Some(indicator.as_str()).filter(|i| !i.is_empty()),
            QUEUE_PAGE,
        )
        .await?;
        let members = tripart_storage::stats::member_states(&s.db).await?;
        Ok::<_, ApiError>((names, queue, members))
    };
    let (names, queue, members) = match loaded.await {
        Ok(x) => x,
        Err(e) => return failure(layout, e),
    };
    let shown = queue.items.len();
    let mut groups: Vec<QueueGroup> = Vec::new();
    for item in queue.items {
        let (measure, _, breakdown) = describe(&item.indicator, [&item.sex, &item.classif1, &item.classif2]);
        let row = QueueRow {
            id: item.observation_id,
            value: shown_value(&item),
            indicator: item.indicator,
            measure,
            breakdown,
            time: item.time,
            status: item.obs_status,
            state: item.state,
            findings: item.findings,
        };
        match groups.last_mut().filter(|g| g.area == item.ref_area) {
            Some(g) => g.rows.push(row),
            None => groups.push(QueueGroup {
                name: names.get(&item.ref_area).cloned().unwrap_or_else(|| item.ref_area.clone()),
                area: item.ref_area,
                rows: vec![row],
            }),
        }
    }
    let areas = members.into_iter().map(|a| (a.clone(), names.get(&a).cloned().unwrap_or(a))).collect();
    render(&ReviewPage {
        layout,
        groups,
        shown,
        total: queue.total,
        area,
        indicator,
        areas,
        indicators: requested_series(),
        problems,
        ticked: draft.ticked,
        comment: draft.comment,
        label: draft.label,
        note: draft.note,
        done,
    })
}

fn shown_value(item: &query::QueueItem) -> String {
    shown(&item.indicator, item.obs_value, &item.obs_text)
}

/// The validator, or the reason the page is refused (the public signs in; others get a 403).
fn validator(auth: &Auth) -> Result<&Actor, ApiError> {
    let actor = auth.require_user()?;
    if workflow::may_validate(actor) {
        Ok(actor)
    } else {
        Err(ApiError::Forbidden("the review of data is for the validators".into()))
    }
}

/// The queue filters, checked: a member state code and a known series, or nothing.
fn review_filters(area: Option<&str>, indicator: Option<&str>) -> (String, String, Problems) {
    let mut problems = Problems::default();
    let area = area.map(|a| a.trim().to_ascii_uppercase()).unwrap_or_default();
    let indicator = indicator.map(|i| i.trim().to_string()).unwrap_or_default();
    if !area.is_empty() && crate::params::member_state("ref_area", &Some(area.clone())).is_err() {
        problems.0.push(Problem { field: "ref_area".into(), message: "a member state code, such as THA".into() });
    }
    if !indicator.is_empty() && Registry::get().series(&indicator).is_err() {
        problems.0.push(Problem { field: "indicator".into(), message: "an indicator of the list".into() });
    }
    (area, indicator, problems)
}

const REVIEW_DONE: &[&str] = &["validated", "returned", "none"];

pub async fn review(State(s): State<AppState>, auth: Auth, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let layout = Layout::new(&s, &headers, REVIEW).await;
    if let Err(e) = validator(&auth) {
        return refusal(layout, e);
    }
    let q = query_of(raw.as_deref());
    let (area, indicator, problems) =
        review_filters(q.get("ref_area").map(String::as_str), q.get("indicator").map(String::as_str));
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    let (area, indicator) = if problems.is_empty() { (area, indicator) } else { (String::new(), String::new()) };
    let done = done_of(&q, REVIEW_DONE);
    with_status(review_page(&s, layout, area, indicator, ReviewDraft::default(), problems, done).await, status)
}

/// Validates or returns the ticked values.
pub async fn review_step(State(s): State<AppState>, auth: Auth, headers: HeaderMap, form: String) -> Response {
    let layout = Layout::new(&s, &headers, REVIEW).await;
    let (fields, actor) = match posted(&auth, &form) {
        Ok(x) => x,
        Err(rejected) => return rejected.page(layout),
    };
    if let Err(e) = validator(&auth) {
        return refusal(layout, e);
    }
    let (area, indicator, _) = review_filters(fields.get("ref_area").as_deref(), fields.get("indicator").as_deref());
    let ticked: Vec<i64> = fields.all("ids").iter().filter_map(|i| i.parse().ok()).collect();
    let comment = text_field(&fields, "comment").unwrap_or_default();
    let draft = ReviewDraft { ticked: ticked.clone(), comment: comment.clone(), ..ReviewDraft::default() };
    let again = |problems: Problems, draft: ReviewDraft, layout: Layout| {
        review_page(&s, layout, area.clone(), indicator.clone(), draft, problems, None)
    };
    // "Every value that matches the filter" is its own button, never an empty tick list.
    if fields.raw("action") == "validate-all" {
        let sel = Selection {
            ref_area: Some(area.clone()).filter(|a| !a.is_empty()),
            indicator: Some(indicator.clone()).filter(|i| !i.is_empty()),
            ..Selection::default()
        };
        return match workflow::validate(&s.db, actor, &sel).await.map_err(ApiError::from) {
            Ok(n) => {
                let done = if n == 0 { "none" } else { "validated" };
                Redirect::to(&link(REVIEW, &[("ref_area", &area), ("indicator", &indicator), ("done", done)]))
                    .into_response()
            }
            Err(e) => refusal(layout, e),
        };
    }
    // No ticked value must not mean "every value": the storage layer reads an empty list so.
    if ticked.is_empty() {
        let page = again(Problems::one("ids", "tick the values to act on"), draft, layout).await;
        return with_status(page, StatusCode::BAD_REQUEST);
    }
    let sel = Selection { ids: ticked, ..Selection::default() };
    let result = match fields.raw("action") {
        "validate" => workflow::validate(&s.db, actor, &sel).await.map(|n| (n, "validated")),
        "return" => workflow::return_values(&s.db, actor, &sel, &comment).await.map(|n| (n, "returned")),
        _ => {
            let p = Problems::one("action", "choose to validate or to return");
            return with_status(again(p, draft, layout).await, StatusCode::BAD_REQUEST);
        }
    };
    match result.map_err(ApiError::from) {
        Ok((n, done)) => {
            let done = if n == 0 { "none" } else { done };
            Redirect::to(&link(REVIEW, &[("ref_area", &area), ("indicator", &indicator), ("done", done)]))
                .into_response()
        }
        Err(e) => match form_problems(e) {
            Ok((problems, status)) => with_status(again(problems, draft, layout).await, status),
            Err(e) => refusal(layout, e),
        },
    }
}

/// Publishes every validated value as a new vintage.
pub async fn publish(State(s): State<AppState>, auth: Auth, headers: HeaderMap, form: String) -> Response {
    let layout = Layout::new(&s, &headers, REVIEW).await;
    let (fields, actor) = match posted(&auth, &form) {
        Ok(x) => x,
        Err(rejected) => return rejected.page(layout),
    };
    let label = fields.raw("label").trim().to_string();
    let note = text_field(&fields, "note");
    let draft = ReviewDraft { label: label.clone(), note: note.clone().unwrap_or_default(), ..ReviewDraft::default() };
    let problems = match workflow::publish(&s.db, actor, &label, note.as_deref()).await.map_err(ApiError::from) {
        Ok(Some(v)) => {
            return Redirect::to(&link(VINTAGES, &[("done", "published"), ("to", &v.number.to_string())]))
                .into_response()
        }
        Ok(None) => {
            (Problems::one("label", "no value is validated: there is nothing to publish"), StatusCode::CONFLICT)
        }
        Err(e) => match form_problems(e) {
            Ok(p) => p,
            Err(e) => return refusal(layout, e),
        },
    };
    let (p, status) = problems;
    with_status(review_page(&s, layout, String::new(), String::new(), draft, p, None).await, status)
}

// ---------------------------------------------------------------- vintages

#[derive(Template)]
#[template(path = "data_vintages.html")]
struct VintagesPage {
    layout: Layout,
    vintages: Vec<Vintage>,
    indicators: Vec<(String, String)>,
    indicator: String,
    from: String,
    to: String,
    problems: Problems,
    /// The comparison asked for, once the form is valid.
    changes: Option<Vec<ChangeRow>>,
    done: Option<&'static str>,
}

pub struct ChangeRow {
    pub area: String,
    pub breakdown: String,
    pub time: String,
    pub before: String,
    pub after: String,
    pub before_status: Option<String>,
    pub after_status: Option<String>,
}

impl VintagesPage {
    fn indicator_selected(&self, code: &str) -> &'static str {
        selected(&self.indicator, code)
    }
    fn earlier_selected(&self, n: impl std::fmt::Display) -> &'static str {
        selected(&self.from, &n.to_string())
    }
    fn later_selected(&self, n: impl std::fmt::Display) -> &'static str {
        selected(&self.to, &n.to_string())
    }
}

fn change_row(c: VintageChange, names: &HashMap<String, String>) -> ChangeRow {
    let (_, _, breakdown) = describe(&c.indicator, [&c.sex, &c.classif1, &c.classif2]);
    ChangeRow {
        area: names.get(&c.ref_area).cloned().unwrap_or_else(|| c.ref_area.clone()),
        breakdown,
        time: c.time,
        before: shown(&c.indicator, c.before, &None),
        after: shown(&c.indicator, c.after, &None),
        before_status: c.before_status,
        after_status: c.after_status,
    }
}

pub async fn vintages(State(s): State<AppState>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let layout = Layout::new(&s, &headers, VINTAGES).await;
    let q = query_of(raw.as_deref());
    let list = match workflow::vintages(&s.db).await {
        Ok(v) => v,
        Err(e) => return failure(layout, e.into()),
    };
    let latest = list.first().map(|v| v.number).unwrap_or(0);
    let indicator = q.get("indicator").map(|i| i.trim().to_string()).unwrap_or_default();
    let from = q.get("from").cloned().unwrap_or_else(|| (latest - 1).max(0).to_string());
    let to = q.get("to").cloned().unwrap_or_else(|| latest.to_string());
    let mut problems = Problems::default();
    let number = |name: &str, v: &str, problems: &mut Problems| {
        let n = v.trim().parse::<i64>().ok().filter(|n| *n == 0 || list.iter().any(|x| x.number == *n));
        if n.is_none() {
            problems.0.push(Problem { field: name.into(), message: "a vintage of the list".into() });
        }
        n
    };
    let mut changes = None;
    if !indicator.is_empty() {
        let series = Registry::get().series(&indicator);
        if series.is_err() {
            problems.0.push(Problem { field: "indicator".into(), message: "an indicator of the list".into() });
        }
        let (a, b) = (number("from", &from, &mut problems), number("to", &to, &mut problems));
        if let (Ok(series), Some(a), Some(b)) = (series, a, b) {
            let loaded = async {
                let names = state_names(&s).await?;
                Ok::<_, ApiError>((names, query::compare(&s.db, &series.code, a, b).await?))
            };
            match loaded.await {
                Ok((names, list)) => changes = Some(list.into_iter().map(|c| change_row(c, &names)).collect()),
                Err(e) => return failure(layout, e),
            }
        }
    }
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    let page = VintagesPage {
        layout,
        vintages: list,
        indicators: requested_series(),
        indicator,
        from,
        to,
        problems,
        changes,
        done: done_of(&q, &["published"]),
    };
    with_status(render(&page), status)
}

// ---------------------------------------------------------------- rules

/// A rule as the page shows it: its check in words and its parameters as form values.
pub struct RuleView {
    pub rule: Rule,
    pub check: &'static str,
    /// (input name, value as typed) of the thresholds the form may change.
    pub params: Vec<(&'static str, String)>,
    /// The parts of the check the form does not change (the measures it compares).
    pub fixed: String,
}

#[derive(Template)]
#[template(path = "data_rules.html")]
struct RulesPage {
    layout: Layout,
    rules: Vec<RuleView>,
    may_edit: bool,
    problems: Problems,
    done: Option<&'static str>,
}

impl RulesPage {
    fn severity_selected(&self, view: &RuleView, value: &str) -> &'static str {
        selected(view.rule.severity.as_str(), value)
    }
    fn enabled_checked(&self, view: &RuleView) -> &'static str {
        checked(view.rule.enabled)
    }
    fn input_id(&self, view: &RuleView, name: &str) -> String {
        format!("{}-{name}", view.rule.id)
    }
    fn attrs(&self, view: &RuleView, name: &str) -> String {
        self.problems.attrs(&self.input_id(view, name))
    }
    fn message(&self, view: &RuleView, name: &str) -> String {
        self.problems.message(&self.input_id(view, name)).unwrap_or_default().to_string()
    }
}

fn number_text(v: Option<f64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

fn rule_view(rule: Rule) -> RuleView {
    let (check, params, fixed) = match &rule.check {
        Check::Range { measure, min, max } => {
            ("range", vec![("min", number_text(*min)), ("max", number_text(*max))], measure.clone().unwrap_or_default())
        }
        Check::NotAbove { lower, upper } => ("not-above", Vec::new(), format!("{lower} ≤ {upper}")),
        Check::AddsUp { dimension, tolerance } => {
            ("adds-up", vec![("tolerance", tolerance.to_string())], dimension.clone())
        }
        Check::Change { percent, points } => {
            ("change", vec![("percent", percent.to_string()), ("points", points.to_string())], String::new())
        }
    };
    RuleView { rule, check, params, fixed }
}

/// The rule the form describes: its thresholds, severity and whether it is on. Every bad
/// number is named by its input.
fn rule_from(mut rule: Rule, fields: &Fields) -> Result<Rule, Problems> {
    let mut problems = Problems::default();
    let id = rule.id.clone();
    let mut number = |name: &str, required: bool| -> Option<f64> {
        let v = fields.raw(name).trim();
        if v.is_empty() && !required {
            return None;
        }
        // Bounds may be negative; thresholds and tolerances may not.
        let n = v.parse::<f64>().ok().filter(|n| n.is_finite() && (!required || *n >= 0.0));
        if n.is_none() {
            let message = if required { "a number of 0 or more" } else { "a number, or empty" };
            problems.0.push(Problem { field: format!("{id}-{name}"), message: message.into() });
        }
        n
    };
    rule.check = match rule.check {
        Check::Range { measure, .. } => Check::Range { measure, min: number("min", false), max: number("max", false) },
        Check::AddsUp { dimension, .. } => {
            Check::AddsUp { dimension, tolerance: number("tolerance", true).unwrap_or_default() }
        }
        Check::Change { .. } => Check::Change {
            percent: number("percent", true).unwrap_or_default(),
            points: number("points", true).unwrap_or_default(),
        },
        c @ Check::NotAbove { .. } => c,
    };
    if let Check::Range { min: Some(lo), max: Some(hi), .. } = &rule.check {
        if lo > hi {
            problems.0.push(Problem { field: format!("{id}-max"), message: "at least the minimum".into() });
        }
    }
    rule.severity = match fields.raw("severity") {
        "error" => Severity::Error,
        "warning" => Severity::Warning,
        _ => {
            problems.0.push(Problem { field: format!("{id}-severity"), message: "error or warning".into() });
            rule.severity
        }
    };
    rule.enabled = fields.get("enabled").is_some();
    if problems.is_empty() {
        Ok(rule)
    } else {
        Err(problems)
    }
}

/// One rule's form as typed, when refused: the rule and its numbers as they were sent.
type RuleDraft = (Rule, Vec<(&'static str, String)>);

async fn rules_page(
    s: &AppState,
    layout: Layout,
    actor: &Actor,
    draft: Option<RuleDraft>,
    problems: Problems,
    done: Option<&'static str>,
) -> Response {
    let rules = match workflow::list_rules(&s.db).await {
        Ok(r) => r,
        Err(e) => return failure(layout, e.into()),
    };
    let rules = rules
        .into_iter()
        .map(|r| match &draft {
            Some((d, params)) if d.id == r.id => RuleView { params: params.clone(), ..rule_view(d.clone()) },
            _ => rule_view(r),
        })
        .collect();
    render(&RulesPage { layout, rules, may_edit: workflow::may_set_rules(actor), problems, done })
}

pub async fn rules(State(s): State<AppState>, auth: Auth, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let layout = Layout::new(&s, &headers, RULES).await;
    let actor = match auth.require_user() {
        Ok(a) => a,
        Err(e) => return refusal(layout, e),
    };
    let done = done_of(&query_of(raw.as_deref()), &["saved"]);
    rules_page(&s, layout, actor, None, Problems::default(), done).await
}

/// Changes a rule's thresholds, severity or whether it is on.
pub async fn set_rule(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: String,
) -> Response {
    let layout = Layout::new(&s, &headers, RULES).await;
    let (fields, actor) = match posted(&auth, &form) {
        Ok(x) => x,
        Err(rejected) => return rejected.page(layout),
    };
    // Refused before the form is read: the rest of the form is none of a reader's business.
    if !workflow::may_set_rules(actor) {
        return failure(layout, ApiError::Forbidden("the rules are set by the Secretariat".into()));
    }
    let current = match workflow::list_rules(&s.db).await {
        Ok(r) => r.into_iter().find(|r| r.id == id),
        Err(e) => return failure(layout, e.into()),
    };
    let Some(current) = current else {
        let message = layout.t.with("dw-rule-not-found", &tripart_domain::ids::truncate(&id, 80));
        return failure(layout, ApiError::NotFound(message));
    };
    // Shown again as typed when refused, the numbers included.
    let typed = |mut r: Rule| {
        let view = rule_view(r.clone());
        r.enabled = fields.get("enabled").is_some();
        r.severity = if fields.raw("severity") == "warning" { Severity::Warning } else { Severity::Error };
        (r, view.params.iter().map(|(n, _)| (*n, fields.raw(n).to_string())).collect::<Vec<_>>())
    };
    let rule = match rule_from(current.clone(), &fields) {
        Ok(r) => r,
        Err(problems) => {
            let page = rules_page(&s, layout, actor, Some(typed(current)), problems, None).await;
            return with_status(page, StatusCode::BAD_REQUEST);
        }
    };
    match workflow::set_rule(&s.db, actor, &rule).await.map_err(ApiError::from) {
        Ok(()) => Redirect::to(&format!("{RULES}?done=saved#rule-{id}")).into_response(),
        Err(e) => match form_problems(e) {
            Ok((problems, status)) => {
                with_status(rules_page(&s, layout, actor, Some(typed(current)), problems, None).await, status)
            }
            Err(e) => refusal(layout, e),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change_rule() -> Rule {
        tripart_stats::rules::defaults().into_iter().find(|r| r.id == "change").unwrap_or_else(|| panic!("no change"))
    }

    #[test]
    fn a_rule_form_names_every_bad_number() {
        let fields = Fields::parse("percent=abc&points=-1&severity=loud").unwrap_or_else(|e| panic!("{e}"));
        let problems = rule_from(change_rule(), &fields).err().unwrap_or_default();
        let named: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(named, ["change-percent", "change-points", "change-severity"]);
    }

    #[test]
    fn a_rule_form_sets_thresholds_severity_and_switch() {
        let fields = Fields::parse("percent=30&points=2.5&severity=error").unwrap_or_else(|e| panic!("{e}"));
        let rule = rule_from(change_rule(), &fields).unwrap_or_else(|_| panic!("refused"));
        assert_eq!(rule.check, Check::Change { percent: 30.0, points: 2.5 });
        assert_eq!((rule.severity, rule.enabled), (Severity::Error, false));
    }

    #[test]
    fn an_empty_entry_row_is_not_sent_and_a_held_source_is_kept() {
        let keys = xlsx::requested_keys("THA", "2024");
        let mut held = HashMap::new();
        let (_, k0) = &keys[0];
        held.insert(
            k0.clone(),
            DataRow {
                ref_area: "THA".into(),
                indicator: k0.indicator.clone(),
                sex: k0.sex.clone(),
                classif1: k0.classif1.clone(),
                classif2: String::new(),
                time: "2024".into(),
                obs_value: Some(1.0),
                obs_text: None,
                obs_status: None,
                source: Some("LFS".into()),
                note_indicator: None,
                note_source: None,
                evidence: None,
                std_error: Some(0.5),
                cv: None,
                sample_count: None,
                state: None,
                observation_id: None,
                coverage: None,
            },
        );
        let fields = Fields::parse("v0=2&v1=&s1=&v2=&s2=N").unwrap_or_else(|e| panic!("{e}"));
        let rows = entry_rows(&fields, &keys, &held);
        assert_eq!(rows.len(), 2, "rows 0 and 2");
        assert_eq!((rows[0].line, rows[0].source.as_str(), rows[0].std_error.as_str()), (1, "LFS", "0.5"));
        assert_eq!((rows[1].line, rows[1].obs_status.as_str()), (3, "N"));
    }
}
