//! The output-level checklist: a body's checklist for a year as a form (one input
//! per item, by its answer type, with guidance, a comment and the item's earlier
//! answers), the comparison of bodies and years, and the templates the ASEAN
//! Secretariat drafts and publishes.

use super::{change_actor, confirm, form_problem, may_edit_for, posted, refusal, this_year, Fields, Problem};
use crate::auth::Auth;
use crate::error::ApiError;
use crate::pages::actions::body_choices;
use crate::pages::monitoring::reports::{report_key, status_label};
use crate::pages::{failure, form_query, path_slug, render, Layout};
use crate::params;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use std::collections::{HashMap, HashSet};
use tripart_domain::access::Actor;
use tripart_domain::monitoring::ReportStatus;
use tripart_storage::monitoring::checklists::{
    self, Answer, AnswerRevision, ChecklistView, GivenAnswer, Template as ChecklistTemplate, SECRETARIAT,
};
use tripart_storage::monitoring::reports;
use tripart_storage::read::NamedRef;

const TEMPLATES: &str = "/checklists/templates";

fn category_label(layout: &Layout, category: &str) -> String {
    layout.t.label("checklist-category", &category.replace('_', "-"))
}

fn answer_label(layout: &Layout, answer_type: &str, value: &str) -> String {
    if answer_type == "yes_no" {
        layout.t.label("answer", value)
    } else {
        value.to_string()
    }
}

/// The body-years whose report was accepted: their checklists are public.
async fn accepted(s: &AppState) -> Result<HashSet<(String, i64)>, ApiError> {
    Ok(reports::reports(&s.db, &Actor::Public, None, Some(ReportStatus::Accepted))
        .await?
        .into_iter()
        .map(|r| (r.body, r.year))
        .collect())
}

/// The newest published template: what a body starting its checklist gets.
fn current_template(templates: Vec<ChecklistTemplate>) -> Option<ChecklistTemplate> {
    templates
        .into_iter()
        .filter(|t| t.status == "published")
        .max_by(|a, b| (&a.published_at, a.version).cmp(&(&b.published_at, b.version)))
}

/// A body's checklist for a year, or before it is started the items of the
/// template it will be completed on.
async fn items(s: &AppState, body: &str, year: i64) -> Result<(Option<ChecklistView>, Vec<Answer>, String), ApiError> {
    if let Some(view) = checklists::view(&s.db, body, year).await? {
        let answers = view.answers.clone();
        let title = view.template_title.clone();
        return Ok((Some(view), answers, title));
    }
    let Some(t) = current_template(checklists::templates(&s.db).await?) else {
        return Ok((None, Vec::new(), String::new()));
    };
    let answers = t
        .items
        .into_iter()
        .map(|i| Answer {
            key: i.key,
            category: i.category.as_str().into(),
            question: i.question,
            answer_type: i.answer_type.as_str().into(),
            levels: i.levels,
            guidance: i.guidance,
            value: None,
            comment: None,
            revision: None,
            answered_at: None,
            answered_by: None,
        })
        .collect();
    Ok((None, answers, t.title))
}

// ---------------------------------------------------------------- one checklist

#[derive(Template)]
#[template(path = "checklist.html")]
struct ChecklistPage {
    layout: Layout,
    body: String,
    body_name: String,
    year: i64,
    view: Option<ChecklistView>,
    template_title: String,
    answers: Vec<Answer>,
    revisions: HashMap<String, Vec<AnswerRevision>>,
    may_edit: bool,
    done: Option<&'static str>,
    problem: Option<Problem>,
    /// Values and comments as typed, by item key, after a refusal.
    drafts: HashMap<String, (String, String)>,
}

impl ChecklistPage {
    fn value(&self, a: &Answer) -> String {
        match self.drafts.get(&a.key) {
            Some((v, _)) => v.clone(),
            None => a.value.clone().unwrap_or_default(),
        }
    }
    fn comment(&self, a: &Answer) -> String {
        match self.drafts.get(&a.key) {
            Some((_, c)) => c.clone(),
            None => a.comment.clone().unwrap_or_default(),
        }
    }
    fn checked(&self, a: &Answer, value: &str) -> &'static str {
        super::checked(self.value(a) == value)
    }
    fn selected(&self, a: &Answer, value: &str) -> &'static str {
        super::selected(&self.value(a), value)
    }
    fn invalid(&self, input: &str) -> String {
        super::field_attrs(&self.problem, input, "")
    }
    /// The attributes of an input described by the element `hint`.
    fn attrs(&self, input: &str, hint: &str) -> String {
        super::field_attrs(&self.problem, input, hint)
    }
    /// The id of the item's guidance, which describes its answer.
    fn hint(&self, a: &Answer) -> String {
        if a.guidance.is_some() {
            format!("g-{}", a.key)
        } else {
            String::new()
        }
    }
    fn category(&self, category: &str) -> String {
        category_label(&self.layout, category)
    }
    /// Whether the item opens a new category (the form groups by category).
    fn new_category(&self, index: &usize) -> bool {
        *index == 0 || self.answers.get(index - 1).map(|a| &a.category) != self.answers.get(*index).map(|a| &a.category)
    }
    fn answer(&self, a: &Answer, value: &str) -> String {
        answer_label(&self.layout, &a.answer_type, value)
    }
    fn history(&self, key: &str) -> &[AnswerRevision] {
        self.revisions.get(key).map(Vec::as_slice).unwrap_or_default()
    }
    fn status(&self) -> String {
        match &self.view {
            Some(v) => self.layout.t.label("checklist-status", &v.status),
            None => status_label(&self.layout, "not_started"),
        }
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
    drafts: HashMap<String, (String, String)>,
    status: StatusCode,
) -> Response {
    let data = async {
        let accepted = accepted(s).await?.contains(&(body.to_string(), year));
        let readable = reports::may_read_unpublished(&s.db, actor, body).await?;
        if !accepted && !readable {
            return Err(match actor {
                Actor::Public => ApiError::Unauthenticated("sign in: this checklist is not published yet".into()),
                _ => ApiError::Forbidden(layout.t.with("checklist-not-yours", body)),
            });
        }
        let (view, answers, template_title) = items(s, body, year).await?;
        let mut revisions: HashMap<String, Vec<AnswerRevision>> = HashMap::new();
        for r in checklists::revisions(&s.db, body, year).await? {
            revisions.entry(r.key.clone()).or_default().push(r);
        }
        let body_name = body_choices(s).await?.into_iter().find(|b| b.id == body).map(|b| b.name);
        Ok((accepted, view, answers, template_title, revisions, body_name.unwrap_or_else(|| body.to_string())))
    };
    match data.await {
        Ok((accepted, view, answers, template_title, revisions, body_name)) => {
            let may_edit = layout.signed_in.is_some() && !accepted && may_edit_for(actor, body) && !answers.is_empty();
            let page = ChecklistPage {
                layout,
                body: body.to_string(),
                body_name,
                year,
                view,
                template_title,
                answers,
                revisions,
                may_edit,
                done,
                problem,
                drafts,
            };
            let mut response = render(&page);
            if response.status() == StatusCode::OK {
                *response.status_mut() = status;
            }
            response
        }
        Err(e) => refusal(layout, e),
    }
}

pub async fn page(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path((body, year)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> Response {
    let layout = Layout::new(&s, &headers, &format!("/checklists/{body}/{year}")).await;
    let parsed =
        report_key(&body, &year).and_then(|k| Ok((k, super::done_param(raw.as_deref(), &["saved", "submitted"])?)));
    match parsed {
        Ok(((body, year), done)) => {
            show(&s, layout, &auth.actor, &body, year, done, None, HashMap::new(), StatusCode::OK).await
        }
        Err(e) => failure(layout, e),
    }
}

/// Saves the answers (`value:<key>`, `comment:<key>`), and with the submit
/// button (`action=submit`) marks the checklist submitted.
pub async fn save(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path((body, year)): Path<(String, String)>,
    form: String,
) -> Response {
    let path = format!("/checklists/{body}/{year}");
    let layout = Layout::new(&s, &headers, &path).await;
    let (fields, (body, year)) = match Fields::parse(&form).and_then(|f| Ok((f, report_key(&body, &year)?))) {
        Ok(x) => x,
        Err(e) => return failure(layout, e),
    };
    let actor = match change_actor(&auth, fields.csrf()) {
        Ok(a) => a,
        Err(e) => return refusal(layout, e),
    };
    let submit = fields.raw("action") == "submit";
    let mut keys = Vec::new();
    let result = async {
        let (_, answers, _) = items(&s, &body, year).await?;
        keys = answers.iter().map(|a| a.key.clone()).collect();
        let given: Vec<GivenAnswer> = keys
            .iter()
            .map(|k| GivenAnswer {
                key: k.clone(),
                value: fields.get(&format!("value:{k}")),
                comment: fields.get(&format!("comment:{k}")),
            })
            .collect();
        Ok::<_, ApiError>(checklists::save_answers(&s.db, actor, &body, year, &given, submit).await?)
    };
    match result.await {
        Ok(_) => confirm(&format!("/checklists/{body}/{year}"), if submit { "submitted" } else { "saved" }),
        Err(e) => match form_problem(e) {
            Ok((mut problem, status)) => {
                // `answers[2].comment` is the comment of the third item.
                if let Some(rest) = problem.field.strip_prefix("answers[") {
                    let (index, part) = rest.split_once(']').unwrap_or((rest, ""));
                    if let Some(key) = index.parse::<usize>().ok().and_then(|i| keys.get(i)) {
                        let input = if part == ".comment" { "comment" } else { "value" };
                        problem.field = format!("{input}:{key}");
                    }
                }
                let drafts = keys
                    .iter()
                    .map(|k| {
                        let typed = (
                            fields.raw(&format!("value:{k}")).to_string(),
                            fields.raw(&format!("comment:{k}")).to_string(),
                        );
                        (k.clone(), typed)
                    })
                    .collect();
                show(&s, layout, actor, &body, year, None, Some(problem), drafts, status).await
            }
            Err(e) => refusal(layout, e),
        },
    }
}

// ---------------------------------------------------------------- comparison

/// One question of the comparison, across the checklists shown.
struct Row {
    key: String,
    category: String,
    question: String,
    answer_type: String,
}

#[derive(Template)]
#[template(path = "checklists.html")]
struct ComparePage {
    layout: Layout,
    body: Option<String>,
    year: Option<i64>,
    bodies: Vec<NamedRef>,
    columns: Vec<ChecklistView>,
    rows: Vec<Row>,
}

impl ComparePage {
    fn cell(&self, c: &ChecklistView, key: &str) -> Option<String> {
        let a = c.answers.iter().find(|a| a.key == key)?;
        a.value.as_deref().map(|v| answer_label(&self.layout, &a.answer_type, v))
    }
    fn body_name(&self, id: &str) -> String {
        self.bodies.iter().find(|b| b.id == id).map(|b| b.name.clone()).unwrap_or_else(|| id.to_string())
    }
    fn category(&self, category: &str) -> String {
        category_label(&self.layout, category)
    }
    fn status(&self, status: &str) -> String {
        self.layout.t.label("checklist-status", status)
    }
    fn selected(&self, value: &str) -> &'static str {
        super::selected(self.body.as_deref().unwrap_or_default(), value)
    }
    fn year_value(&self) -> String {
        self.year.map(|y| y.to_string()).unwrap_or_default()
    }
    fn is_number(&self, row: &Row) -> bool {
        row.answer_type == "number"
    }
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct CompareQuery {
    body: Option<String>,
    year: Option<String>,
}

pub async fn compare(State(s): State<AppState>, auth: Auth, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let layout = Layout::new(&s, &headers, "/checklists").await;
    let data = async {
        let q: CompareQuery = params::parse_query(form_query(raw.as_deref()).as_deref())?;
        let body = params::slug("body", &q.body)?;
        let mut year = params::int("year", &q.year, 2000, 2200)?;
        let accepted = accepted(&s).await?;
        let mut readable: HashMap<String, bool> = HashMap::new();
        let mut visible = Vec::new();
        for c in checklists::all(&s.db, body.as_deref(), year).await? {
            let may = match readable.get(&c.body) {
                Some(m) => *m,
                None => {
                    let m = reports::may_read_unpublished(&s.db, &auth.actor, &c.body).await?;
                    readable.insert(c.body.clone(), m);
                    m
                }
            };
            if may || accepted.contains(&(c.body.clone(), c.year)) {
                visible.push(c);
            }
        }
        // Without a body or a year: the latest year anyone completed.
        if body.is_none() && year.is_none() {
            year = visible.iter().map(|c| c.year).max().or(Some(this_year()));
            visible.retain(|c| Some(c.year) == year);
        }
        visible.sort_by(|a, b| (a.year, &a.body).cmp(&(b.year, &b.body)));
        let mut rows: Vec<Row> = Vec::new();
        for c in &visible {
            for a in &c.answers {
                if !rows.iter().any(|r| r.key == a.key) {
                    rows.push(Row {
                        key: a.key.clone(),
                        category: a.category.clone(),
                        question: a.question.clone(),
                        answer_type: a.answer_type.clone(),
                    });
                }
            }
        }
        Ok::<_, ApiError>((body, year, visible, rows, body_choices(&s).await?))
    };
    match data.await {
        Ok((body, year, columns, rows, bodies)) => render(&ComparePage { layout, body, year, bodies, columns, rows }),
        Err(e) => failure(layout, e),
    }
}

// ---------------------------------------------------------------- templates

#[derive(Template)]
#[template(path = "checklist_templates.html")]
struct TemplatesPage {
    layout: Layout,
    templates: Vec<ChecklistTemplate>,
    may_publish: bool,
    done: Option<&'static str>,
}

impl TemplatesPage {
    fn category(&self, category: &tripart_domain::monitoring::ChecklistCategory) -> String {
        category_label(&self.layout, category.as_str())
    }
}

pub async fn templates(State(s): State<AppState>, auth: Auth, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let layout = Layout::new(&s, &headers, TEMPLATES).await;
    let data = async {
        let done = super::done_param(raw.as_deref(), &["published"])?;
        Ok::<_, ApiError>((checklists::templates(&s.db).await?, done))
    };
    match data.await {
        Ok((templates, done)) => {
            let may_publish = layout.signed_in.is_some() && may_edit_for(&auth.actor, SECRETARIAT);
            render(&TemplatesPage { layout, templates, may_publish, done })
        }
        Err(e) => failure(layout, e),
    }
}

pub async fn publish(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: String,
) -> Response {
    let layout = Layout::new(&s, &headers, TEMPLATES).await;
    let (_, actor) = match posted(&auth, &form) {
        Ok(x) => x,
        Err(rejected) => return rejected.page(layout),
    };
    let result = async {
        let id = path_slug(&layout, "template-not-found", &id)?;
        Ok::<_, ApiError>(checklists::publish_template(&s.db, actor, &id).await?)
    };
    match result.await {
        Ok(()) => confirm(TEMPLATES, "published"),
        Err(e) => match form_problem(e) {
            // Already published: nothing to do but say so.
            Ok((problem, status)) => {
                let mut response = failure(layout, ApiError::bad(&problem.field, problem.message));
                *response.status_mut() = status;
                response
            }
            Err(e) => refusal(layout, e),
        },
    }
}
