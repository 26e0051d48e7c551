//! Meetings: the list by date with its filters, and one meeting with the
//! recommendations it adopted, as the document numbers and groups them, and
//! the documents of a meeting recorded in Tripart (see `monitoring::meetings_new`).

use super::actions::FilterOptions;
use super::programmes::BodyNames;
use super::{failure, form_query, found, path_slug, render, Layout};
use crate::api::MeetingQuery;
use crate::error::ApiError;
use crate::params::parse_query;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use std::collections::HashMap;
use tripart_storage::monitoring::{meetings, Link};
use tripart_storage::read::{self, Meeting, MeetingDetail, MeetingFilter, Paging, RecommendationItem};

/// Every meeting the catalogue holds fits one page; the list is sorted here so
/// that meetings known only by a year or a month sit with their year.
const ALL: Paging = Paging { limit: 1000, offset: 0 };

fn date_key(m: &Meeting) -> String {
    if let Some(start) = &m.start {
        return start.clone();
    }
    let text = m.date_text.as_deref().unwrap_or_default();
    let year = text.as_bytes().windows(4).position(|w| w.iter().all(u8::is_ascii_digit));
    year.and_then(|i| text.get(i..i + 4)).map(str::to_string).unwrap_or_else(|| "9999".to_string())
}

#[derive(Template)]
#[template(path = "meetings.html")]
struct ListPage {
    layout: Layout,
    filter: MeetingFilter,
    options: FilterOptions,
    series: Vec<String>,
    meetings: Vec<Meeting>,
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
    fn state_name(&self, code: &str) -> String {
        self.options.member_states.iter().find(|m| m.id == code).map(|m| m.name.clone()).unwrap_or(code.to_string())
    }
}

pub async fn list(State(s): State<AppState>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let layout = Layout::new(&s, &headers, "/meetings").await;
    let query = form_query(raw.as_deref());
    let data = async {
        let q: MeetingQuery = parse_query(query.as_deref())?;
        q.paging()?;
        let filter = q.filter()?;
        let mut meetings = read::meetings(&s.db, &filter, ALL).await?.items;
        meetings.sort_by_cached_key(|m| (date_key(m), m.id.clone()));
        let mut series: Vec<String> = read::meetings(&s.db, &MeetingFilter::default(), ALL)
            .await?
            .items
            .into_iter()
            .filter_map(|m| m.series)
            .collect();
        series.sort();
        series.dedup();
        Ok::<_, ApiError>((filter, meetings, series, FilterOptions::load(&s).await?))
    };
    match data.await {
        Ok((filter, meetings, series, options)) => render(&ListPage { layout, filter, options, series, meetings }),
        Err(e) => failure(layout, e),
    }
}

/// The recommendations flattened for the template (which cannot recurse): runs of
/// top-level items under one heading, each item opening a list of its own items.
pub enum RecItem {
    GroupStart { heading: Option<String> },
    GroupEnd,
    Open { item: RecommendationItem, top: bool, sub_heading: Option<String>, has_children: bool },
    Close { has_children: bool },
}

#[derive(Template)]
#[template(path = "meeting.html")]
struct DetailPage {
    layout: Layout,
    mtg: MeetingDetail,
    /// Its documents, for meetings recorded in Tripart.
    documents: Vec<Link>,
    /// The confirmation after recording it.
    done: Option<&'static str>,
    bodies: BodyNames,
    host_name: Option<String>,
    recommendations: Vec<RecItem>,
    top_count: usize,
}

pub async fn detail(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let layout = Layout::new(&s, &headers, &format!("/meetings/{id}")).await;
    let data = async {
        let done = super::monitoring::done_param(raw.as_deref(), &["recorded"])?;
        let id = path_slug(&layout, "meeting-not-found", &id)?;
        let mtg = found(read::meeting(&s.db, &id).await?, &layout, "meeting-not-found", &id)?;
        let host_name = match &mtg.meeting.host {
            Some(code) => read::member_states(&s.db, None).await?.into_iter().find(|m| &m.code == code).map(|m| m.name),
            None => None,
        };
        let documents = meetings::documents(&s.db, &id).await?;
        Ok::<_, ApiError>((mtg, host_name, BodyNames::load(&s).await?, documents, done))
    };
    match data.await {
        Ok((mut mtg, host_name, bodies, documents, done)) => {
            let (recommendations, top_count) = nest(std::mem::take(&mut mtg.recommendations));
            render(&DetailPage { layout, mtg, documents, done, bodies, host_name, recommendations, top_count })
        }
        Err(e) => failure(layout, e),
    }
}

/// Nests items under their parents (in document order) and groups the top level
/// by heading. Returns the events and the number of top-level recommendations.
fn nest(items: Vec<RecommendationItem>) -> (Vec<RecItem>, usize) {
    let ids: std::collections::HashSet<String> = items.iter().map(|i| i.recommendation.id.clone()).collect();
    let mut children: HashMap<String, Vec<RecommendationItem>> = HashMap::new();
    let mut tops = Vec::new();
    for item in items {
        match item.recommendation.parent.clone().filter(|p| ids.contains(p)) {
            Some(p) => children.entry(p).or_default().push(item),
            None => tops.push(item),
        }
    }
    let top_count = tops.len();
    let mut out = Vec::new();
    let mut heading: Option<Option<String>> = None;
    for item in tops {
        if heading.as_ref() != Some(&item.recommendation.heading) {
            if heading.is_some() {
                out.push(RecItem::GroupEnd);
            }
            heading = Some(item.recommendation.heading.clone());
            out.push(RecItem::GroupStart { heading: item.recommendation.heading.clone() });
        }
        push_item(item, true, None, &mut children, &mut out, 0);
    }
    if heading.is_some() {
        out.push(RecItem::GroupEnd);
    }
    (out, top_count)
}

fn push_item(
    item: RecommendationItem,
    top: bool,
    sub_heading: Option<String>,
    children: &mut HashMap<String, Vec<RecommendationItem>>,
    out: &mut Vec<RecItem>,
    depth: usize,
) {
    let kids = if depth < 8 { children.remove(&item.recommendation.id).unwrap_or_default() } else { Vec::new() };
    let has_children = !kids.is_empty();
    let own_heading = item.recommendation.heading.clone();
    out.push(RecItem::Open { item, top, sub_heading, has_children });
    // A child's heading ("Actions:") is shown where it differs from what stands above it.
    let mut shown = own_heading;
    for kid in kids {
        let sub = (kid.recommendation.heading != shown).then(|| kid.recommendation.heading.clone()).flatten();
        shown = kid.recommendation.heading.clone();
        push_item(kid, false, sub, children, out, depth + 1);
    }
    out.push(RecItem::Close { has_children });
}
