//! Reference pages: the indicator catalogue, the glossary, and the ASEAN
//! instruments with their action lines.

use super::{failure, found, path_slug, render, Layout};
use crate::error::ApiError;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use std::collections::HashMap;
use tripart_storage::read::{self, GlossaryTerm, Indicator, InstrumentDetail, MeetingRef};

/// Indicators of one set and kind, in catalogue order.
pub struct IndicatorGroup {
    pub set: String,
    pub kind: String,
    /// Whether this group starts a new set (and so its heading).
    pub first_of_set: bool,
    pub indicators: Vec<Indicator>,
}

#[derive(Template)]
#[template(path = "indicators.html")]
struct IndicatorsPage {
    layout: Layout,
    groups: Vec<IndicatorGroup>,
    /// The meeting of each adopting recommendation, by recommendation id.
    adopted: HashMap<String, MeetingRef>,
}

pub async fn indicators(State(s): State<AppState>, headers: HeaderMap) -> Response {
    let layout = Layout::new(&s, &headers, "/indicators").await;
    let data = async {
        let all = read::indicators(&s.db, None, None).await?;
        let mut adopted = HashMap::new();
        for rec in all.iter().filter_map(|i| i.adopted_by.clone()) {
            if adopted.contains_key(&rec) {
                continue;
            }
            if let Some(r) = read::recommendation(&s.db, &rec).await? {
                adopted.insert(rec, r.meeting_ref);
            }
        }
        Ok::<_, ApiError>((all, adopted))
    };
    match data.await {
        Ok((all, adopted)) => {
            let mut groups: Vec<IndicatorGroup> = Vec::new();
            for i in all {
                match groups.last_mut() {
                    Some(g) if g.set == i.set && g.kind == i.kind => g.indicators.push(i),
                    last => {
                        let first_of_set = last.is_none_or(|g| g.set != i.set);
                        groups.push(IndicatorGroup {
                            set: i.set.clone(),
                            kind: i.kind.clone(),
                            first_of_set,
                            indicators: vec![i],
                        });
                    }
                }
            }
            render(&IndicatorsPage { layout, groups, adopted })
        }
        Err(e) => failure(layout, e),
    }
}

#[derive(Template)]
#[template(path = "glossary.html")]
struct GlossaryPage {
    layout: Layout,
    terms: Vec<GlossaryTerm>,
}

pub async fn glossary(State(s): State<AppState>, headers: HeaderMap) -> Response {
    let layout = Layout::new(&s, &headers, "/glossary").await;
    match read::glossary(&s.db).await {
        Ok(terms) => render(&GlossaryPage { layout, terms }),
        Err(e) => failure(layout, e.into()),
    }
}

#[derive(Template)]
#[template(path = "instruments.html")]
struct InstrumentsPage {
    layout: Layout,
    instruments: Vec<InstrumentDetail>,
}

pub async fn instruments(State(s): State<AppState>, headers: HeaderMap) -> Response {
    let layout = Layout::new(&s, &headers, "/instruments").await;
    let data = async {
        let mut details = Vec::new();
        // A score of instruments: one detail query each keeps the action lines with them.
        for i in read::instruments(&s.db, None).await? {
            if let Some(d) = read::instrument(&s.db, &i.id).await? {
                details.push(d);
            }
        }
        Ok::<_, ApiError>(details)
    };
    match data.await {
        Ok(instruments) => render(&InstrumentsPage { layout, instruments }),
        Err(e) => failure(layout, e),
    }
}

#[derive(Template)]
#[template(path = "instrument.html")]
struct InstrumentPage {
    layout: Layout,
    i: InstrumentDetail,
}

pub async fn instrument(State(s): State<AppState>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let layout = Layout::new(&s, &headers, &format!("/instruments/{id}")).await;
    let data = async {
        let id = path_slug(&layout, "instrument-not-found", &id)?;
        found(read::instrument(&s.db, &id).await?, &layout, "instrument-not-found", &id)
    };
    match data.await {
        Ok(i) => render(&InstrumentPage { layout, i }),
        Err(e) => failure(layout, e),
    }
}
