//! Themes of the follow-up (issue 6): recommendations of several meetings
//! followed together. The list of themes with the form to create one, and a
//! theme's page: its recommendations and, for each of them in each member state,
//! where the government last said it stands, with the other voices beside it.
//! Reads and writes go through `tripart_storage::followup`, which decides who may
//! create a theme; the form is offered only to those it would let through.

use super::followup::{list_field_attrs, may_act_for, meeting_scope, raw, with_status, ALL};
use super::monitoring::{confirm, done_param, form_problem, posted, refusal, Fields, Problem};
use super::{failure, found, path_slug, render, Layout};
use crate::auth::Auth;
use crate::error::ApiError;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use std::collections::HashMap;
use tripart_domain::access::Actor;
use tripart_domain::followup::{ImplementationStatus, Voice};
use tripart_storage::followup::{self, CycleRecommendation, Theme, VoiceReport};
use tripart_storage::read::{self, MeetingFilter, MemberState};

const THEMES: &str = "/follow-up/themes";

/// The non-empty lines of a textarea, trimmed: one id per line.
pub(super) fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
}

// ---------------------------------------------------------------- the list

#[derive(Template)]
#[template(path = "followup_themes.html")]
struct ThemesPage {
    layout: Layout,
    themes: Vec<(String, String)>,
    may_create: bool,
    draft: Option<Fields>,
    problem: Option<Problem>,
}

impl ThemesPage {
    fn invalid(&self, input: &str, hint: &str) -> String {
        list_field_attrs(&self.problem, input, hint)
    }
    fn value(&self, name: &str) -> String {
        raw(&self.draft, name).to_string()
    }
    /// The field at fault as the form shows it: a recommendation by its place in the list.
    fn problem_label(&self, p: &Problem) -> String {
        let index = p.field.strip_prefix("recommendations[").and_then(|r| r.strip_suffix(']'));
        match index.and_then(|i| i.parse::<usize>().ok()) {
            Some(i) => self.layout.t.with("followup-theme-listed", &(i + 1).to_string()),
            None => p.label(&self.layout.t),
        }
    }
}

async fn themes_page(
    s: &AppState,
    layout: Layout,
    actor: &Actor,
    draft: Option<Fields>,
    problem: Option<Problem>,
) -> Response {
    let data = async {
        let themes = followup::themes(&s.db).await?;
        let meetings = read::meetings(&s.db, &MeetingFilter::default(), ALL).await?.items;
        Ok::<_, ApiError>((themes, meetings))
    };
    let (themes, meetings) = match data.await {
        Ok(d) => d,
        Err(e) => return failure(layout, e),
    };
    // Whoever may act for a meeting that adopted recommendations may group them.
    let may_create = layout.signed_in.is_some()
        && meetings.iter().any(|m| m.recommendation_count > 0 && may_act_for(actor, meeting_scope(&m.body)));
    render(&ThemesPage { layout, themes, may_create, draft, problem })
}

pub async fn themes(State(s): State<AppState>, auth: Auth, headers: HeaderMap) -> Response {
    let layout = Layout::new(&s, &headers, THEMES).await;
    themes_page(&s, layout, &auth.actor, None, None).await
}

/// Creates a theme from the recommendation ids listed one per line.
pub async fn create(State(s): State<AppState>, auth: Auth, headers: HeaderMap, form: String) -> Response {
    let layout = Layout::new(&s, &headers, THEMES).await;
    let (fields, actor) = match posted(&auth, &form) {
        Ok(x) => x,
        Err(rejected) => return rejected.page(layout),
    };
    let recommendations = lines(fields.raw("recommendations"));
    let description = fields.get("description");
    let result =
        followup::create_theme(&s.db, actor, fields.raw("title"), description.as_deref(), &recommendations).await;
    match result.map_err(ApiError::from) {
        Ok(id) => confirm(&format!("{THEMES}/{id}"), "created"),
        Err(e) => match form_problem(e) {
            Ok((problem, status)) => {
                with_status(themes_page(&s, layout, actor, Some(fields), Some(problem)).await, status)
            }
            Err(e) => refusal(layout, e),
        },
    }
}

// ---------------------------------------------------------------- one theme

/// Where a recommendation stands in one member state.
struct ThemeCell {
    member_state: String,
    /// The government's latest status, else no_information.
    status: String,
    /// The government's latest report, whose cycle the cell links to.
    government: Option<VoiceReport>,
    /// Every other voice's latest report.
    others: Vec<VoiceReport>,
}

struct ThemeRow {
    rec: CycleRecommendation,
    meeting: String,
    cells: Vec<ThemeCell>,
}

/// Each voice's (and partner's) latest report among `reports`, whatever the cycle.
fn latest_by_voice<'a>(reports: impl Iterator<Item = &'a VoiceReport>) -> Vec<VoiceReport> {
    let mut latest: Vec<VoiceReport> = Vec::new();
    for r in reports {
        match latest.iter_mut().find(|l| l.voice == r.voice && l.partner == r.partner) {
            Some(l) if (&l.reported_at, l.revision) < (&r.reported_at, r.revision) => *l = r.clone(),
            Some(_) => {}
            None => latest.push(r.clone()),
        }
    }
    latest
}

fn theme_rows(theme: &Theme, states: &[MemberState], meetings: &HashMap<String, String>) -> Vec<ThemeRow> {
    theme
        .recommendations
        .iter()
        .map(|rec| {
            let cells = states
                .iter()
                .map(|st| {
                    let here = theme.reports.iter().filter(|r| r.recommendation == rec.id && r.member_state == st.code);
                    let (government, others): (Vec<_>, Vec<_>) =
                        latest_by_voice(here).into_iter().partition(|r| r.voice == Voice::Government.as_str());
                    let government = government.into_iter().next();
                    ThemeCell {
                        member_state: st.code.clone(),
                        status: government.as_ref().map_or_else(
                            || ImplementationStatus::NoInformation.as_str().to_string(),
                            |g| g.status.clone(),
                        ),
                        government,
                        others,
                    }
                })
                .collect();
            let meeting = meetings.get(&rec.meeting).cloned().unwrap_or_else(|| rec.meeting.clone());
            ThemeRow { rec: rec.clone(), meeting, cells }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "followup_theme.html")]
struct ThemePage {
    layout: Layout,
    title: String,
    description: Option<String>,
    states: Vec<MemberState>,
    rows: Vec<ThemeRow>,
    statuses: &'static [&'static str],
    done: Option<&'static str>,
}

impl ThemePage {
    fn excerpt(&self, text: &str) -> String {
        tripart_domain::ids::truncate(text, 90)
    }
}

pub async fn theme(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let layout = Layout::new(&s, &headers, &format!("{THEMES}/{id}")).await;
    let data = async {
        let done = done_param(query.as_deref(), &["created"])?;
        let id = path_slug(&layout, "theme-not-found", &id)?;
        let theme = found(followup::theme(&s.db, &id).await?, &layout, "theme-not-found", &id)?;
        let states = read::member_states(&s.db, None).await?;
        let meetings = read::meetings(&s.db, &MeetingFilter::default(), ALL).await?.items;
        Ok::<_, ApiError>((done, theme, states, meetings.into_iter().map(|m| (m.id, m.title)).collect()))
    };
    match data.await {
        Ok((done, theme, states, meetings)) => {
            let rows = theme_rows(&theme, &states, &meetings);
            render(&ThemePage {
                layout,
                title: theme.title,
                description: theme.description,
                states,
                rows,
                statuses: ImplementationStatus::names(),
                done,
            })
        }
        Err(e) => failure(layout, e),
    }
}
