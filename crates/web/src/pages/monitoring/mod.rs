//! The pages of monitoring the Work Programme (issue 4): progress on an action,
//! recording a meeting, annual reports, the output-level checklist, reviews and
//! the dashboards. Like the other pages they read and write through the storage
//! crate only; who may do what is decided there. What a page shows or hides
//! (a form, a button) follows the same domain policy, so that nobody is offered
//! a change that would be refused.
//!
//! Every form posts the session's CSRF token, redirects (303) to the page with a
//! confirmation when it succeeds, and shows itself again with what was typed and
//! the field at fault when it does not.

pub mod checklists;
pub mod dashboards;
pub mod meetings_new;
pub mod progress;
pub mod reports;
pub mod reviews;

pub use super::{change_actor, refusal};
use super::{form_query, Tr};
use crate::error::ApiError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use tripart_domain::access::{authorize, Actor, Operation, Scope};
use tripart_storage::read::NamedRef;

/// What was wrong with the form just sent: the field at fault, as the storage
/// layer (or the form parser) names it, and why.
pub struct Problem {
    pub field: String,
    pub message: String,
}

impl Problem {
    /// Whether the input named `input` is the one at fault (or part of it: the
    /// label and address of `links[0]`).
    pub fn marks(&self, input: &str) -> bool {
        input == self.field
            || input
                .strip_prefix(self.field.as_str())
                .is_some_and(|rest| rest.starts_with('.') || rest.starts_with(':'))
    }

    /// The field as the form labels it: `outputs[1].quantity` reads "Output 2 —
    /// Quantity"; a name without a message shows as itself.
    pub fn label(&self, t: &Tr) -> String {
        // Form-level names carry the record after a colon (`rating:ta-1`).
        let field = self.field.split(':').next().unwrap_or_default();
        let (head, sub) = match field.split_once('.') {
            Some((h, s)) => (h, Some(s)),
            None => (field, None),
        };
        let (base, index) = match head.split_once('[') {
            Some((b, rest)) => (b, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (head, None),
        };
        let mut label = t.label("field", base);
        if let Some(i) = index {
            label = format!("{label} {}", i + 1);
        }
        if let Some(sub) = sub {
            label = format!("{label} — {}", t.label("field", sub));
        }
        label
    }
}

/// The attributes that mark an input as the one at fault, pointing to the
/// message; `hint` is the id of the input's own description, if it has one.
pub fn field_attrs(problem: &Option<Problem>, input: &str, hint: &str) -> String {
    let invalid = problem.as_ref().is_some_and(|p| p.marks(input));
    let described: Vec<&str> =
        [hint, if invalid { "problem" } else { "" }].into_iter().filter(|d| !d.is_empty()).collect();
    let mut attrs = String::new();
    if invalid {
        attrs.push_str(" aria-invalid=\"true\"");
    }
    if !described.is_empty() {
        attrs.push_str(&format!(" aria-describedby=\"{}\"", described.join(" ")));
    }
    attrs
}

/// A failed change: a problem with a field (or a conflict with another editor)
/// shows the form again; anything else is the error page.
pub fn form_problem(error: ApiError) -> Result<(Problem, StatusCode), ApiError> {
    match error {
        ApiError::BadParameter { parameter, message } => {
            Ok((Problem { field: parameter, message }, StatusCode::BAD_REQUEST))
        }
        ApiError::Conflict { message, .. } => Ok((Problem { field: "version".into(), message }, StatusCode::CONFLICT)),
        e => Err(e),
    }
}

/// Back to a page after a change (303), saying what was done.
pub fn confirm(path: &str, done: &str) -> Response {
    let query = serde_urlencoded::to_string([("done", done)]).unwrap_or_default();
    Redirect::to(&format!("{path}?{query}")).into_response()
}

/// The `done` confirmation of a page, one of `allowed`; anything else is a 400.
pub fn done_param(raw: Option<&str>, allowed: &[&'static str]) -> Result<Option<&'static str>, ApiError> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct DoneQuery {
        done: Option<String>,
    }
    let q: DoneQuery = crate::params::parse_query(form_query(raw).as_deref())?;
    match q.done {
        None => Ok(None),
        Some(d) => allowed
            .iter()
            .find(|a| **a == d)
            .map(|a| Some(*a))
            .ok_or_else(|| ApiError::bad("done", format!("one of {}", allowed.join(", ")))),
    }
}

/// Why a posted form is not acted on.
pub enum Rejected {
    /// The body is not a form: the error page.
    Unreadable(ApiError),
    /// No account, or no valid CSRF token: sign-in for the public, else a refusal.
    Refused(ApiError),
}

impl Rejected {
    pub fn page(self, layout: super::Layout) -> Response {
        match self {
            Rejected::Unreadable(e) => super::failure(layout, e),
            Rejected::Refused(e) => refusal(layout, e),
        }
    }
}

/// A posted form and who posts it: every page form starts here, so that none
/// forgets the CSRF check.
pub fn posted<'a>(auth: &'a crate::auth::Auth, form: &str) -> Result<(Fields, &'a Actor), Rejected> {
    let fields = Fields::parse(form).map_err(Rejected::Unreadable)?;
    let actor = change_actor(auth, fields.csrf()).map_err(Rejected::Refused)?;
    Ok((fields, actor))
}

/// A posted form as its fields in order, repeated names kept (checkboxes, a
/// multiple select): the pages' forms have names serde cannot map to a struct.
pub struct Fields(Vec<(String, String)>);

impl Fields {
    pub fn parse(body: &str) -> Result<Fields, ApiError> {
        serde_urlencoded::from_str(body).map(Fields).map_err(|e| ApiError::bad("body", e.to_string()))
    }
    /// The first value of a field, as typed.
    pub fn raw(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or_default()
    }
    /// The first value of a field, trimmed; `None` when empty.
    pub fn get(&self, name: &str) -> Option<String> {
        Some(self.raw(name).trim()).filter(|v| !v.is_empty()).map(str::to_string)
    }
    /// Every non-empty value of a repeated field.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(k, v)| k == name && !v.trim().is_empty()).map(|(_, v)| v.trim().to_string()).collect()
    }
    /// The fields whose names start with `prefix`, with the rest of the name.
    pub fn with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.0.iter().filter_map(move |(k, v)| k.strip_prefix(prefix).map(|rest| (rest, v.as_str())))
    }
    pub fn csrf(&self) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == "csrf").map(|(_, v)| v.as_str())
    }
    /// The version of the record the form was read from, if it says.
    pub fn version(&self) -> Result<Option<i64>, ApiError> {
        crate::params::int("version", &self.get("version"), 0, i64::MAX)
    }
}

/// Whether the actor may change what belongs to `body` (its secretariat, or an
/// administrator): whether to offer the forms. The storage layer decides again.
pub fn may_edit_for(actor: &Actor, body: &str) -> bool {
    authorize(actor, &Operation::EditRecord(Scope { bodies: vec![body.to_string()], member_states: Vec::new() }))
        .is_ok()
}

/// The bodies the actor may act for, from all `bodies`.
pub fn bodies_for(actor: &Actor, bodies: &[NamedRef]) -> Vec<NamedRef> {
    bodies.iter().filter(|b| may_edit_for(actor, &b.id)).cloned().collect()
}

/// The current year, for the forms' defaults.
pub fn this_year() -> i64 {
    tripart_domain::time::today().get(..4).and_then(|y| y.parse().ok()).unwrap_or(2026)
}

/// `"selected"` when an option is the current value.
pub fn selected(current: &str, value: &str) -> &'static str {
    if current == value {
        " selected"
    } else {
        ""
    }
}

/// `"checked"` when a radio or checkbox is the current value.
pub fn checked(on: bool) -> &'static str {
    if on {
        " checked"
    } else {
        ""
    }
}

/// A programme's structure nodes, for the thematic-area selects.
pub struct AreaGroup {
    pub programme: NamedRef,
    /// Each node by its label and title, indented by its depth.
    pub nodes: Vec<NamedRef>,
}

pub async fn area_choices(s: &crate::AppState) -> Result<Vec<AreaGroup>, ApiError> {
    use tripart_storage::read;
    let mut groups = Vec::new();
    for p in read::programmes(&s.db, None).await? {
        let Some(detail) = read::programme(&s.db, &p.id).await? else { continue };
        let depth = |node: &read::Node| {
            let mut depth = 0;
            let mut parent = node.parent.clone();
            while let Some(id) = parent.filter(|_| depth < 10) {
                depth += 1;
                parent = detail.nodes.iter().find(|n| n.id == id).and_then(|n| n.parent.clone());
            }
            depth
        };
        let nodes = detail
            .nodes
            .iter()
            .map(|n| {
                let text = match &n.label {
                    Some(l) => format!("{l} {}", n.title),
                    None => n.title.clone(),
                };
                let name = format!("{}{}", "\u{2003}".repeat(depth(n)), tripart_domain::ids::truncate(&text, 90));
                NamedRef { id: n.id.clone(), name }
            })
            .collect();
        groups.push(AreaGroup { programme: NamedRef { id: p.id, name: p.name }, nodes });
    }
    Ok(groups)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_marks_its_field_and_the_parts_of_it() {
        let p = Problem { field: "links[0]".into(), message: String::new() };
        assert!(p.marks("links[0].url"));
        assert!(p.marks("links[0]"));
        assert!(!p.marks("links[1].url"));
        assert!(!p.marks("links[0]x"));
        let p = Problem { field: "outputs[1].quantity".into(), message: String::new() };
        assert!(p.marks("outputs[1].quantity"));
        assert!(!p.marks("outputs[1].title"));
    }

    #[test]
    fn a_record_after_a_colon_is_not_part_of_the_label() {
        let p = Problem { field: "area:slom-wg-wp-2011-2015.ta-2".into(), message: String::new() };
        assert_eq!(p.field.split(':').next(), Some("area"));
        assert!(p.marks("area:slom-wg-wp-2011-2015.ta-2"));
        assert!(!p.marks("area:slom-wg-wp-2011-2015.ta-3"));
    }

    #[test]
    fn fields_keep_repeated_names() {
        let f = Fields::parse("participants=KHM&participants=LAO&title=+A+&empty=").unwrap();
        assert_eq!(f.all("participants"), ["KHM", "LAO"]);
        assert_eq!(f.get("title").as_deref(), Some("A"));
        assert_eq!(f.get("empty"), None);
        assert_eq!(f.raw("title"), " A ");
    }
}
