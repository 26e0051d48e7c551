//! Actions: the filtered, paginated list, and one action with everything that
//! links to it, its progress history and, for people signed in, the form that
//! records progress (see `monitoring::progress`).

use super::monitoring::progress::{self, ProgressView, UpdateDraft};
use super::monitoring::{self, Problem};
use super::programmes::BodyNames;
use super::{failure, form_query, found, path_slug, render, Layout, Pager};
use crate::api::ActionQuery;
use crate::error::ApiError;
use crate::params::parse_query;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use tripart_domain::vocab::ActionStatus;
use tripart_storage::read::{self, Action, ActionDetail, ActionFilter, NamedRef};

/// The choices of the filter form.
pub struct FilterOptions {
    pub programmes: Vec<NamedRef>,
    pub bodies: Vec<NamedRef>,
    pub member_states: Vec<NamedRef>,
    pub statuses: &'static [&'static str],
}

impl FilterOptions {
    pub async fn load(s: &AppState) -> Result<FilterOptions, ApiError> {
        let programmes =
            read::programmes(&s.db, None).await?.into_iter().map(|p| NamedRef { id: p.id, name: p.name }).collect();
        Ok(FilterOptions {
            programmes,
            bodies: body_choices(s).await?,
            member_states: member_state_choices(s).await?,
            statuses: ActionStatus::names(),
        })
    }
}

/// The bodies as a select list names them: by abbreviation where they have one.
pub async fn body_choices(s: &AppState) -> Result<Vec<NamedRef>, ApiError> {
    Ok(read::bodies(&s.db, None)
        .await?
        .into_iter()
        .map(|b| NamedRef { name: b.abbreviation.unwrap_or(b.name), id: b.id })
        .collect())
}

/// The member states as a select list names them.
pub async fn member_state_choices(s: &AppState) -> Result<Vec<NamedRef>, ApiError> {
    Ok(read::member_states(&s.db, None).await?.into_iter().map(|m| NamedRef { id: m.code, name: m.name }).collect())
}

/// A run of consecutive actions of one programme in the list.
pub struct ProgrammeGroup {
    pub programme: NamedRef,
    pub actions: Vec<Action>,
}

#[derive(Template)]
#[template(path = "actions.html")]
struct ListPage {
    layout: Layout,
    filter: ActionFilter,
    options: FilterOptions,
    groups: Vec<ProgrammeGroup>,
    total: i64,
    pager: Pager,
    bodies: BodyNames,
}

impl ListPage {
    fn selected(&self, current: &Option<String>, value: &str) -> &'static str {
        if current.as_deref() == Some(value) {
            " selected"
        } else {
            ""
        }
    }
    fn year_value(&self) -> String {
        self.filter.year.map(|y| y.to_string()).unwrap_or_default()
    }
}

pub async fn list(State(s): State<AppState>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let layout = Layout::new(&s, &headers, "/actions").await;
    let query = form_query(raw.as_deref());
    let data = async {
        let q: ActionQuery = parse_query(query.as_deref())?;
        let paging = q.paging()?;
        let filter = q.filter()?;
        let slice = read::actions(&s.db, &filter, paging).await?;
        Ok::<_, ApiError>((filter, paging, slice, FilterOptions::load(&s).await?, BodyNames::load(&s).await?))
    };
    match data.await {
        Ok((filter, paging, slice, options, bodies)) => {
            let pager = Pager::new(&layout.t, "/actions", query.as_deref(), paging, slice.total);
            let mut groups: Vec<ProgrammeGroup> = Vec::new();
            for action in slice.items {
                match groups.last_mut() {
                    Some(g) if g.programme.id == action.programme => g.actions.push(action),
                    _ => {
                        let name = options
                            .programmes
                            .iter()
                            .find(|p| p.id == action.programme)
                            .map(|p| p.name.clone())
                            .unwrap_or_else(|| action.programme.clone());
                        groups.push(ProgrammeGroup {
                            programme: NamedRef { id: action.programme.clone(), name },
                            actions: vec![action],
                        });
                    }
                }
            }
            render(&ListPage { layout, filter, options, groups, total: slice.total, pager, bodies })
        }
        Err(e) => failure(layout, e),
    }
}

#[derive(Template)]
#[template(path = "action.html")]
struct DetailPage {
    layout: Layout,
    a: ActionDetail,
    bodies: BodyNames,
    progress: ProgressView,
}

impl DetailPage {
    fn kb(&self, bytes: &i64) -> String {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

pub async fn detail(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let layout = Layout::new(&s, &headers, &format!("/actions/{id}")).await;
    match monitoring::done_param(raw.as_deref(), progress::DONE) {
        Ok(done) => show(&s, layout, &id, None, None, done, StatusCode::OK).await,
        Err(e) => failure(layout, e),
    }
}

/// The action's page, with the progress form as typed and what was wrong with
/// it after a refused update, or the confirmation of one recorded.
pub(crate) async fn show(
    s: &AppState,
    layout: Layout,
    id: &str,
    draft: Option<UpdateDraft>,
    problem: Option<Problem>,
    done: Option<&'static str>,
    status: StatusCode,
) -> Response {
    let data = async {
        let id = path_slug(&layout, "action-not-found", id)?;
        let a = found(read::action(&s.db, &id).await?, &layout, "action-not-found", &id)?;
        let progress = progress::load(s, &id, layout.signed_in.is_some(), draft, problem, done).await?;
        Ok::<_, ApiError>((a, BodyNames::load(s).await?, progress))
    };
    match data.await {
        Ok((a, bodies, progress)) => {
            let mut response = render(&DetailPage { layout, a, bodies, progress });
            if response.status() == StatusCode::OK {
                *response.status_mut() = status;
            }
            response
        }
        Err(e) => failure(layout, e),
    }
}
