//! Progress on an action, as its page shows it: the history of its updates (those
//! of the earlier plans it continues first), and the form that records a new
//! one with its outputs, links and evidence files. The form is sent as
//! multipart/form-data so that files need no JavaScript.

use super::{change_actor, confirm, form_problem, refusal, Problem};
use crate::auth::Auth;
use crate::error::ApiError;
use crate::pages::{path_slug, Layout};
use crate::params;
use crate::AppState;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use tripart_domain::monitoring::OutputKind;
use tripart_domain::vocab::ActionStatus;
use tripart_storage::monitoring::evidence::{NewFile, MAX_FILE_BYTES};
use tripart_storage::monitoring::progress::{self, NewUpdate, Output, ProgressUpdate};
use tripart_storage::monitoring::Link;
use tripart_storage::read;

/// Output rows, link rows and file inputs the form offers. More can be added
/// through the API; a page of empty rows helps nobody.
pub const OUTPUT_ROWS: usize = 3;
pub const LINK_ROWS: usize = 2;
pub const FILE_INPUTS: usize = 2;

/// The largest form the update route accepts: the files at their limit, and the
/// text around them. A file over its own limit still gets through to be refused
/// by name rather than by size of the whole request.
pub const MAX_FORM_BYTES: usize = FILE_INPUTS * MAX_FILE_BYTES + 2 * 1024 * 1024;

/// The confirmations the action page shows.
pub const DONE: &[&str] = &["update"];

/// One output row as typed.
#[derive(Default, Clone)]
pub struct OutputDraft {
    pub kind: String,
    pub quantity: String,
    pub title: String,
    pub female: String,
    pub male: String,
}

#[derive(Default, Clone)]
pub struct LinkDraft {
    pub label: String,
    pub url: String,
}

/// The update form as typed (files cannot be given back to a browser).
#[derive(Clone)]
pub struct UpdateDraft {
    pub reported_on: String,
    pub status: String,
    pub narrative: String,
    pub outputs: Vec<OutputDraft>,
    pub links: Vec<LinkDraft>,
}

impl Default for UpdateDraft {
    fn default() -> Self {
        UpdateDraft {
            reported_on: tripart_domain::time::today(),
            status: String::new(),
            narrative: String::new(),
            outputs: vec![OutputDraft::default(); OUTPUT_ROWS],
            links: vec![LinkDraft::default(); LINK_ROWS],
        }
    }
}

/// An action of another plan in the lineage, with its title.
pub struct LineageItem {
    pub id: String,
    pub title: Option<String>,
}

/// What the action page shows of progress.
pub struct ProgressView {
    pub continues: Vec<LineageItem>,
    pub continued_by: Vec<LineageItem>,
    /// Newest first.
    pub history: Vec<ProgressUpdate>,
    /// The form, for a signed-in user.
    pub form: Option<UpdateDraft>,
    pub problem: Option<Problem>,
    pub done: Option<&'static str>,
    /// The statuses an update may set (not `absorbed`, a catalogue edit).
    pub statuses: Vec<&'static str>,
    pub output_kinds: &'static [&'static str],
}

impl ProgressView {
    pub fn invalid(&self, input: &str) -> String {
        super::field_attrs(&self.problem, input, "")
    }
    /// The attributes of an input described by the element `hint`.
    pub fn attrs(&self, input: &str, hint: &str) -> String {
        super::field_attrs(&self.problem, input, hint)
    }
    pub fn selected(&self, current: &str, value: &str) -> &'static str {
        super::selected(current, value)
    }
    pub fn file_inputs(&self) -> std::ops::Range<usize> {
        0..FILE_INPUTS
    }
}

async fn lineage_items(s: &AppState, ids: Vec<String>) -> Result<Vec<LineageItem>, ApiError> {
    let mut out = Vec::new();
    for id in ids {
        let title = read::action(&s.db, &id).await?.map(|a| a.action.title);
        out.push(LineageItem { id, title });
    }
    Ok(out)
}

/// The progress part of an action's page.
pub async fn load(
    s: &AppState,
    id: &str,
    signed_in: bool,
    draft: Option<UpdateDraft>,
    problem: Option<Problem>,
    done: Option<&'static str>,
) -> Result<ProgressView, ApiError> {
    let lineage = progress::lineage(&s.db, id).await?;
    let mut history = progress::history(&s.db, id).await?;
    history.reverse();
    Ok(ProgressView {
        continues: lineage_items(s, lineage.continues).await?,
        continued_by: lineage_items(s, lineage.continued_by).await?,
        history,
        form: signed_in.then(|| draft.unwrap_or_default()),
        problem,
        done,
        statuses: ActionStatus::names().iter().copied().filter(|s| *s != ActionStatus::Absorbed.as_str()).collect(),
        output_kinds: OutputKind::names(),
    })
}

/// What the form sent: the typed values, the files, and the CSRF token.
struct Sent {
    draft: UpdateDraft,
    files: Vec<NewFile>,
    csrf: Option<String>,
}

async fn read_form(mut multipart: Multipart) -> Result<Sent, ApiError> {
    let mut sent = Sent { draft: UpdateDraft::default(), files: Vec::new(), csrf: None };
    sent.draft.reported_on.clear();
    let too_large = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge(MAX_FORM_BYTES)
        } else {
            ApiError::bad("body", e.body_text())
        }
    };
    while let Some(field) = multipart.next_field().await.map_err(too_large)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "files" {
            let file_name = field.file_name().unwrap_or_default().to_string();
            let bytes = field.bytes().await.map_err(too_large)?;
            // A file input left empty sends a part with no name and no content.
            if !file_name.is_empty() || !bytes.is_empty() {
                sent.files.push(NewFile { name: file_name, bytes: bytes.to_vec() });
            }
            continue;
        }
        let value = field.text().await.map_err(too_large)?;
        let d = &mut sent.draft;
        match name.as_str() {
            "csrf" => sent.csrf = Some(value),
            "reported_on" => d.reported_on = value,
            "status" => d.status = value,
            "narrative" => d.narrative = value,
            other => {
                if let Some((row, part)) = indexed(other, "outputs") {
                    if let Some(o) = d.outputs.get_mut(row) {
                        match part {
                            "kind" => o.kind = value,
                            "quantity" => o.quantity = value,
                            "title" => o.title = value,
                            "participants_female" => o.female = value,
                            "participants_male" => o.male = value,
                            _ => {}
                        }
                    }
                } else if let Some((row, part)) = indexed(other, "links") {
                    if let Some(l) = d.links.get_mut(row) {
                        match part {
                            "label" => l.label = value,
                            "url" => l.url = value,
                            _ => {}
                        }
                    }
                }
            }
        }
    }
    Ok(sent)
}

/// `outputs[2].title` → `(2, "title")` for the prefix `outputs`.
fn indexed<'a>(name: &'a str, prefix: &str) -> Option<(usize, &'a str)> {
    let rest = name.strip_prefix(prefix)?.strip_prefix('[')?;
    let (index, part) = rest.split_once("].")?;
    Some((index.parse().ok()?, part))
}

fn count(field: &str, value: &str) -> Result<Option<i64>, ApiError> {
    params::int(field, &Some(value.trim().to_string()).filter(|v| !v.is_empty()), 0, 100_000_000)
}

/// The update the draft describes: empty rows are left out.
fn to_update(draft: &UpdateDraft, files: Vec<NewFile>) -> Result<NewUpdate, ApiError> {
    let mut outputs = Vec::new();
    for (i, o) in draft.outputs.iter().enumerate() {
        let typed = [&o.kind, &o.quantity, &o.title, &o.female, &o.male].iter().any(|v| !v.trim().is_empty());
        if !typed {
            continue;
        }
        let field = |f: &str| format!("outputs[{i}].{f}");
        let kind = OutputKind::parse(o.kind.trim())
            .map_err(|_| ApiError::bad(&field("kind"), format!("choose one of: {}", OutputKind::names().join(", "))))?;
        outputs.push(Output {
            kind,
            quantity: count(&field("quantity"), &o.quantity)?.unwrap_or(1),
            title: Some(o.title.trim().to_string()).filter(|t| !t.is_empty()),
            participants_female: count(&field("participants_female"), &o.female)?,
            participants_male: count(&field("participants_male"), &o.male)?,
            meeting: None,
            member_state: None,
        });
    }
    let links = draft
        .links
        .iter()
        .filter(|l| !l.label.trim().is_empty() || !l.url.trim().is_empty())
        .map(|l| Link { label: l.label.trim().to_string(), url: l.url.trim().to_string() })
        .collect();
    let status = Some(draft.status.trim().to_string()).filter(|s| !s.is_empty());
    Ok(NewUpdate {
        reported_on: draft.reported_on.trim().to_string(),
        status: status.as_deref().map(ActionStatus::parse).transpose().map_err(|e| ApiError::bad("status", e.0))?,
        narrative: Some(draft.narrative.trim().to_string()).filter(|n| !n.is_empty()),
        outputs,
        links,
        files,
    })
}

/// Records an update from the action page's form.
pub async fn record_update(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path(id): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let path = format!("/actions/{id}");
    let layout = Layout::new(&s, &headers, &path).await;
    let id = match path_slug(&layout, "action-not-found", &id) {
        Ok(id) => id,
        Err(e) => return crate::pages::failure(layout, e),
    };
    let sent = match multipart {
        Ok(m) => read_form(m).await,
        Err(e) => Err(ApiError::bad("body", e.body_text())),
    };
    let sent = match sent {
        Ok(sent) => sent,
        Err(e) => return crate::pages::failure(layout, e),
    };
    let actor = match change_actor(&auth, sent.csrf.as_deref()) {
        Ok(a) => a,
        Err(e) => return refusal(layout, e),
    };
    let result = async {
        let update = to_update(&sent.draft, sent.files)?;
        Ok::<_, ApiError>(progress::record_update(&s.db, actor, &id, &update).await?)
    };
    match result.await {
        Ok(_) => confirm(&path, "update"),
        Err(e) => match form_problem(e) {
            Ok((problem, status)) => {
                crate::pages::actions::show(&s, layout, &id, Some(sent.draft), Some(problem), None, status).await
            }
            Err(e) => crate::pages::failure(layout, e),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_fields_are_found_by_index() {
        assert_eq!(indexed("outputs[2].title", "outputs"), Some((2, "title")));
        assert_eq!(indexed("links[0].url", "links"), Some((0, "url")));
        assert_eq!(indexed("links[x].url", "links"), None);
        assert_eq!(indexed("narrative", "outputs"), None);
    }

    #[test]
    fn empty_rows_are_left_out_and_a_typed_row_needs_a_kind() {
        let mut d = UpdateDraft { narrative: "n".into(), ..Default::default() };
        assert!(to_update(&d, Vec::new()).map(|u| u.outputs.is_empty() && u.links.is_empty()).unwrap_or(false));
        d.outputs[1].title = "Training".into();
        match to_update(&d, Vec::new()) {
            Err(ApiError::BadParameter { parameter, .. }) => assert_eq!(parameter, "outputs[1].kind"),
            _ => panic!("a row without a kind must be refused"),
        }
        d.outputs[1].kind = "training".into();
        d.outputs[1].female = "12".into();
        let u = to_update(&d, Vec::new()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((u.outputs[0].quantity, u.outputs[0].participants_female), (1, Some(12)));
    }
}
