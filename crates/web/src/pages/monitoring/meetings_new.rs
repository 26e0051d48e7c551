//! Recording a meeting held: the organising body's secretariat says who came,
//! which actions it implements (each gets the meeting as an output), its
//! documents and the recommendations it adopted. The meeting page then shows it
//! like the meetings of the catalogue.

use super::{bodies_for, change_actor, form_problem, refusal, Fields, Problem};
use crate::auth::Auth;
use crate::error::ApiError;
use crate::pages::actions::{body_choices, member_state_choices};
use crate::pages::{failure, render, Layout};
use crate::params;
use crate::AppState;
use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use tripart_domain::vocab::MeetingKind;
use tripart_storage::monitoring::meetings::{self, NewMeeting, NewRecommendation};
use tripart_storage::monitoring::Link;
use tripart_storage::read::NamedRef;

const PATH: &str = "/meetings/new";
/// Document rows the form offers.
pub const DOCUMENT_ROWS: usize = 3;

/// The form as typed.
#[derive(Clone, Default)]
pub struct MeetingDraft {
    pub title: String,
    pub kind: String,
    pub body: String,
    pub host: String,
    pub city: String,
    pub start: String,
    pub end: String,
    pub theme: String,
    pub participants: Vec<String>,
    /// One action id per line.
    pub implements: String,
    pub documents: Vec<(String, String)>,
    /// One recommendation per line, with its number first where it has one.
    pub recommendations: String,
    pub female: String,
    pub male: String,
}

impl MeetingDraft {
    fn from_fields(f: &Fields) -> MeetingDraft {
        MeetingDraft {
            title: f.raw("title").into(),
            kind: f.raw("kind").into(),
            body: f.raw("body").into(),
            host: f.raw("host").into(),
            city: f.raw("city").into(),
            start: f.raw("start").into(),
            end: f.raw("end").into(),
            theme: f.raw("theme").into(),
            participants: f.all("participants"),
            implements: f.raw("implements").into(),
            documents: (0..DOCUMENT_ROWS)
                .map(|i| (f.raw(&format!("documents[{i}].label")).into(), f.raw(&format!("documents[{i}].url")).into()))
                .collect(),
            recommendations: f.raw("recommendations").into(),
            female: f.raw("participants_female").into(),
            male: f.raw("participants_male").into(),
        }
    }
}

#[derive(Template)]
#[template(path = "meeting_new.html")]
struct FormPage {
    layout: Layout,
    draft: MeetingDraft,
    bodies: Vec<NamedRef>,
    member_states: Vec<NamedRef>,
    kinds: &'static [&'static str],
    problem: Option<Problem>,
}

impl FormPage {
    fn invalid(&self, input: &str) -> String {
        super::field_attrs(&self.problem, input, "")
    }
    /// The attributes of an input described by the element `hint`.
    fn attrs(&self, input: &str, hint: &str) -> String {
        super::field_attrs(&self.problem, input, hint)
    }
    fn selected(&self, current: &str, value: &str) -> &'static str {
        super::selected(current, value)
    }
    fn participates(&self, code: &str) -> &'static str {
        super::checked(self.draft.participants.iter().any(|p| p == code))
    }
}

async fn form_page(
    s: &AppState,
    layout: Layout,
    auth: &Auth,
    mut draft: MeetingDraft,
    problem: Option<Problem>,
    status: StatusCode,
) -> Response {
    let actor = match auth.require_user() {
        Ok(a) => a,
        Err(e) => return refusal(layout, e),
    };
    let data = async { Ok::<_, ApiError>((body_choices(s).await?, member_state_choices(s).await?)) };
    match data.await {
        Ok((bodies, member_states)) => {
            let bodies = bodies_for(actor, &bodies);
            if bodies.is_empty() {
                let message = layout.t.get("meeting-new-no-body");
                return failure(layout, ApiError::Forbidden(message));
            }
            if draft.body.is_empty() && bodies.len() == 1 {
                draft.body = bodies[0].id.clone();
            }
            if draft.documents.is_empty() {
                draft.documents = vec![Default::default(); DOCUMENT_ROWS];
            }
            let page = FormPage { layout, draft, bodies, member_states, kinds: MeetingKind::names(), problem };
            let mut response = render(&page);
            if response.status() == StatusCode::OK {
                *response.status_mut() = status;
            }
            response
        }
        Err(e) => failure(layout, e),
    }
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct NewQuery {
    /// The action the page was opened from: pre-filled in "implements".
    action: Option<String>,
}

pub async fn form(State(s): State<AppState>, auth: Auth, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let layout = Layout::new(&s, &headers, PATH).await;
    let q: NewQuery = match params::parse_query(crate::pages::form_query(raw.as_deref()).as_deref()) {
        Ok(q) => q,
        Err(e) => return failure(layout, e),
    };
    let action = match params::slug("action", &q.action) {
        Ok(a) => a,
        Err(e) => return failure(layout, e),
    };
    let draft = MeetingDraft { implements: action.unwrap_or_default(), ..Default::default() };
    form_page(&s, layout, &auth, draft, None, StatusCode::OK).await
}

/// A recommendation typed on one line: `1. Text` and `2.a Text` have the numbers
/// `1` and `2.a`; a line without one (a year that opens a sentence is no number)
/// is numbered in order by the storage layer.
pub fn recommendation(line: &str) -> NewRecommendation {
    let line = line.trim();
    if let Some((first, rest)) = line.split_once(char::is_whitespace) {
        let number = first.trim_end_matches(['.', ')']);
        let marked = number.len() < first.len() || number.contains('.');
        let numbered = marked
            && number.starts_with(|c: char| c.is_ascii_digit())
            && number.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
            && !rest.trim().is_empty();
        if numbered {
            return NewRecommendation {
                number: Some(number.to_string()),
                heading: None,
                text: rest.trim().to_string(),
            };
        }
    }
    NewRecommendation { number: None, heading: None, text: line.to_string() }
}

fn optional(v: &str) -> Option<String> {
    Some(v.trim().to_string()).filter(|v| !v.is_empty())
}

fn to_meeting(d: &MeetingDraft) -> Result<NewMeeting, ApiError> {
    let count = |name: &str, v: &str| params::int(name, &optional(v), 0, 1_000_000);
    Ok(NewMeeting {
        title: d.title.trim().to_string(),
        kind: optional(&d.kind)
            .as_deref()
            .map(MeetingKind::parse)
            .transpose()
            .map_err(|e| ApiError::bad("kind", e.0))?,
        body: params::slug("body", &optional(&d.body))?
            .ok_or_else(|| ApiError::bad("body", "choose the organising body"))?,
        host: params::member_state("host", &optional(&d.host))?,
        city: optional(&d.city),
        start: d.start.trim().to_string(),
        end: optional(&d.end),
        theme: optional(&d.theme),
        participants: d
            .participants
            .iter()
            .map(|p| params::member_state("participants", &Some(p.clone())).map(Option::unwrap_or_default))
            .collect::<Result<_, _>>()?,
        implements: d
            .implements
            .lines()
            .filter_map(optional)
            .map(|a| params::slug("implements", &Some(a)).map(Option::unwrap_or_default))
            .collect::<Result<_, _>>()?,
        documents: d
            .documents
            .iter()
            .filter(|(l, u)| !l.trim().is_empty() || !u.trim().is_empty())
            .map(|(l, u)| Link { label: l.trim().to_string(), url: u.trim().to_string() })
            .collect(),
        recommendations: d.recommendations.lines().filter(|l| !l.trim().is_empty()).map(recommendation).collect(),
        participants_female: count("participants_female", &d.female)?,
        participants_male: count("participants_male", &d.male)?,
    })
}

/// The storage layer numbers rows among those given; the form shows every
/// document row, empty ones too, so a row's number is found again here.
fn form_field(field: String, d: &MeetingDraft) -> String {
    if let Some(rest) = field.strip_prefix("documents[") {
        let given: Vec<usize> = d
            .documents
            .iter()
            .enumerate()
            .filter(|(_, (l, u))| !l.trim().is_empty() || !u.trim().is_empty())
            .map(|(i, _)| i)
            .collect();
        if let Some(row) = rest.split(']').next().and_then(|n| n.parse::<usize>().ok()).and_then(|n| given.get(n)) {
            return format!("documents[{row}]");
        }
    }
    if field.starts_with("implements[") {
        return "implements".into();
    }
    if field.starts_with("recommendations[") {
        return "recommendations".into();
    }
    field
}

pub async fn record(State(s): State<AppState>, auth: Auth, headers: HeaderMap, body: String) -> Response {
    let layout = Layout::new(&s, &headers, PATH).await;
    let fields = match Fields::parse(&body) {
        Ok(f) => f,
        Err(e) => return failure(layout, e),
    };
    let actor = match change_actor(&auth, fields.csrf()) {
        Ok(a) => a,
        Err(e) => return refusal(layout, e),
    };
    let draft = MeetingDraft::from_fields(&fields);
    let result = async {
        let meeting = to_meeting(&draft)?;
        Ok::<_, ApiError>(meetings::record_meeting(&s.db, actor, &meeting).await?)
    };
    match result.await {
        Ok(id) => Redirect::to(&format!("/meetings/{id}?done=recorded")).into_response(),
        Err(e) => match form_problem(e) {
            Ok((mut problem, status)) => {
                problem.field = form_field(problem.field, &draft);
                form_page(&s, layout, &auth, draft, Some(problem), status).await
            }
            Err(e) => failure(layout, e),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_leading_number_is_the_recommendation_number() {
        let r = recommendation("2.a Share the results at SLOM.");
        assert_eq!((r.number.as_deref(), r.text.as_str()), (Some("2.a"), "Share the results at SLOM."));
        let r = recommendation("1. Map the standards.");
        assert_eq!(r.number.as_deref(), Some("1"));
        let r = recommendation("3) Report back.");
        assert_eq!(r.number.as_deref(), Some("3"));
        let r = recommendation("Member states should map the standards.");
        assert_eq!((r.number, r.text.as_str()), (None, "Member states should map the standards."));
        assert_eq!(recommendation("2015 was a good year").number, None);
        assert_eq!(recommendation("12").number, None);
    }

    #[test]
    fn a_document_problem_names_the_row_of_the_form() {
        let d = MeetingDraft {
            documents: vec![(String::new(), String::new()), ("Minutes".into(), "ftp://x".into())],
            ..Default::default()
        };
        assert_eq!(form_field("documents[0]".into(), &d), "documents[1]");
        assert_eq!(form_field("implements[3]".into(), &d), "implements");
    }
}
