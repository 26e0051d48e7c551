//! Who does the work: ASEAN bodies, partners and member states, each with the
//! programmes, actions and meetings that name them.

use super::{failure, found, path_slug, render, Layout};
use crate::error::ApiError;
use crate::params;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use tripart_storage::read::{
    self, ActionRef, Body, BodyDetail, MemberState, MemberStateDetail, Partner, PartnerDetail,
};

/// Action references under the programme they belong to, in list order.
pub struct RefGroup {
    pub programme_id: String,
    pub programme_name: String,
    pub actions: Vec<ActionRef>,
}

async fn by_programme(s: &AppState, refs: Vec<ActionRef>) -> Result<Vec<RefGroup>, ApiError> {
    let programmes = read::programmes(&s.db, None).await?;
    let mut groups: Vec<RefGroup> = Vec::new();
    for r in refs {
        match groups.last_mut() {
            Some(g) if g.programme_id == r.programme => g.actions.push(r),
            _ => groups.push(RefGroup {
                programme_name: programmes
                    .iter()
                    .find(|p| p.id == r.programme)
                    .map(|p| p.name.clone())
                    .unwrap_or_else(|| r.programme.clone()),
                programme_id: r.programme.clone(),
                actions: vec![r],
            }),
        }
    }
    Ok(groups)
}

#[derive(Template)]
#[template(path = "bodies.html")]
struct BodiesPage {
    layout: Layout,
    bodies: Vec<Body>,
}

impl BodiesPage {
    fn name_of(&self, id: &str) -> String {
        short_name(&self.bodies, id)
    }
}

fn short_name(bodies: &[Body], id: &str) -> String {
    bodies
        .iter()
        .find(|b| b.id == id)
        .map(|b| b.abbreviation.clone().unwrap_or_else(|| b.name.clone()))
        .unwrap_or_else(|| id.to_string())
}

pub async fn bodies(State(s): State<AppState>, headers: HeaderMap) -> Response {
    let layout = Layout::new(&s, &headers, "/bodies").await;
    match read::bodies(&s.db, None).await {
        Ok(bodies) => render(&BodiesPage { layout, bodies }),
        Err(e) => failure(layout, e.into()),
    }
}

#[derive(Template)]
#[template(path = "body.html")]
struct BodyPage {
    layout: Layout,
    b: BodyDetail,
    /// The bodies above this one, nearest first.
    chain: Vec<Body>,
    actions: Vec<RefGroup>,
}

pub async fn body(State(s): State<AppState>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let layout = Layout::new(&s, &headers, &format!("/bodies/{id}")).await;
    let data = async {
        let id = path_slug(&layout, "body-not-found", &id)?;
        let mut b = found(read::body(&s.db, &id).await?, &layout, "body-not-found", &id)?;
        let all = read::bodies(&s.db, None).await?;
        let mut chain: Vec<Body> = Vec::new();
        let mut next = b.body.reports_to.clone();
        while let Some(up) = next.take() {
            // The catalogue forbids cycles; the bound keeps a bad edit from hanging a page.
            if chain.len() > 10 {
                break;
            }
            if let Some(parent) = all.iter().find(|x| x.id == up) {
                next = parent.reports_to.clone();
                chain.push(parent.clone());
            }
        }
        let actions = by_programme(&s, std::mem::take(&mut b.actions)).await?;
        Ok::<_, ApiError>((b, chain, actions))
    };
    match data.await {
        Ok((b, chain, actions)) => render(&BodyPage { layout, b, chain, actions }),
        Err(e) => failure(layout, e),
    }
}

#[derive(Template)]
#[template(path = "partners.html")]
struct PartnersPage {
    layout: Layout,
    partners: Vec<Partner>,
}

pub async fn partners(State(s): State<AppState>, headers: HeaderMap) -> Response {
    let layout = Layout::new(&s, &headers, "/partners").await;
    match read::partners(&s.db, None).await {
        Ok(partners) => render(&PartnersPage { layout, partners }),
        Err(e) => failure(layout, e.into()),
    }
}

#[derive(Template)]
#[template(path = "partner.html")]
struct PartnerPage {
    layout: Layout,
    p: PartnerDetail,
    actions: Vec<RefGroup>,
}

pub async fn partner(State(s): State<AppState>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let layout = Layout::new(&s, &headers, &format!("/partners/{id}")).await;
    let data = async {
        let id = path_slug(&layout, "partner-not-found", &id)?;
        let mut p = found(read::partner(&s.db, &id).await?, &layout, "partner-not-found", &id)?;
        let actions = by_programme(&s, std::mem::take(&mut p.actions)).await?;
        Ok::<_, ApiError>((p, actions))
    };
    match data.await {
        Ok((p, actions)) => render(&PartnerPage { layout, p, actions }),
        Err(e) => failure(layout, e),
    }
}

#[derive(Template)]
#[template(path = "member_states.html")]
struct MemberStatesPage {
    layout: Layout,
    states: Vec<MemberState>,
}

pub async fn member_states(State(s): State<AppState>, headers: HeaderMap) -> Response {
    let layout = Layout::new(&s, &headers, "/member-states").await;
    match read::member_states(&s.db, None).await {
        Ok(states) => render(&MemberStatesPage { layout, states }),
        Err(e) => failure(layout, e.into()),
    }
}

#[derive(Template)]
#[template(path = "member_state.html")]
struct MemberStatePage {
    layout: Layout,
    ms: MemberStateDetail,
    coordinates: Vec<RefGroup>,
    today: String,
}

pub async fn member_state(State(s): State<AppState>, headers: HeaderMap, Path(code): Path<String>) -> Response {
    let layout = Layout::new(&s, &headers, &format!("/member-states/{code}")).await;
    let today = tripart_domain::time::today();
    let data = async {
        let code = params::member_state("code", &Some(code.clone()))
            .ok()
            .flatten()
            .ok_or_else(|| ApiError::NotFound(layout.t.with("member-state-not-found", &code)))?;
        let mut ms = found(read::member_state(&s.db, &code, &today).await?, &layout, "member-state-not-found", &code)?;
        let coordinates = by_programme(&s, std::mem::take(&mut ms.coordinates)).await?;
        Ok::<_, ApiError>((ms, coordinates))
    };
    match data.await {
        Ok((ms, coordinates)) => render(&MemberStatePage { layout, ms, coordinates, today }),
        Err(e) => failure(layout, e),
    }
}
