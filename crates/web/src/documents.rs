//! Documents to download, built from the monitoring read models with every label
//! translated: the annual report as a typeset PDF and an Excel workbook, the
//! dashboard as CSV and Excel, and the "what changed" digest as plain text.

use crate::error::ApiError;
use crate::AppState;
use serde_json::{json, Value as Json};
use tripart_sheets::{Cell, Column, Sheet, Workbook};
use tripart_storage::monitoring::dashboard::{Changes, Dashboard};
use tripart_storage::monitoring::reports::AnnualReport;

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The structural words of the PDF template, each from `doc-<name>` in Fluent.
const PDF_LABELS: &[&str] = &[
    "contents",
    "summary",
    "actions_by_status",
    "outputs",
    "meetings",
    "checklist",
    "history",
    "none",
    "demonstration",
    "report_to",
    "generated_on",
    "page",
    "of",
    "actions_total",
    "status",
    "actions",
    "share",
    "output",
    "number",
    "participants",
    "female",
    "male",
    "total",
    "area",
    "label",
    "action",
    "calendar",
    "updates",
    "no_updates",
    "date",
    "by",
    "title",
    "quantity",
    "links",
    "files",
    "host",
    "recommendations",
    "question",
    "answer",
    "comment",
    "version",
    "at",
    "who",
    "event",
    "introduction",
    "other_actions",
];

/// The words of one request's language, for the downloaded documents and the data reports.
pub(crate) struct Words<'a> {
    pub s: &'a AppState,
    pub lang: &'a str,
}

impl Words<'_> {
    pub fn get(&self, key: &str) -> String {
        self.s.i18n.message(self.lang, key, &[])
    }
    fn status(&self, status: &str) -> String {
        self.get(&format!("status-{status}"))
    }
    fn output(&self, kind: &str) -> String {
        self.get(&format!("output-kind-{kind}"))
    }
    fn report_status(&self, status: &str) -> String {
        self.get(&format!("report-status-{}", status.replace('_', "-")))
    }
    fn event(&self, event: &str) -> String {
        self.get(&format!("report-event-{event}"))
    }
    fn category(&self, category: &str) -> String {
        self.get(&format!("checklist-category-{}", category.replace('_', "-")))
    }
    fn answer(&self, answer_type: &str, value: Option<&str>) -> String {
        match (answer_type, value) {
            (_, None) => String::new(),
            ("yes_no", Some(v)) => self.get(&format!("answer-{v}")),
            (_, Some(v)) => v.to_string(),
        }
    }
}

fn size_text(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

fn area_title(w: &Words, area: &tripart_storage::monitoring::reports::ReportArea) -> String {
    if area.id.is_empty() {
        w.get("doc-other_actions")
    } else {
        area.title.clone()
    }
}

/// The data the PDF template reads (see the `tripart-pdf` crate for its shape).
pub fn report_pdf_data(s: &AppState, lang: &str, r: &AnnualReport) -> Json {
    let w = Words { s, lang };
    let labels: serde_json::Map<String, Json> =
        PDF_LABELS.iter().map(|k| ((*k).to_string(), Json::from(w.get(&format!("doc-{k}"))))).collect();
    let body_name = r.body.name.clone();
    let reports_to = r.body.reports_to_name.clone().or_else(|| r.body.reports_to.clone()).unwrap_or_default();
    let status_line = match r.history.iter().rev().find(|e| e.event == "accepted") {
        Some(e) if r.status == "accepted" => {
            s.i18n.message(lang, "report-accepted-on", &[("date", e.at.get(..10).unwrap_or_default().into())])
        }
        _ => w.report_status(&r.status),
    };
    let mut areas = Vec::new();
    if let Some(intro) = &r.introduction {
        areas.push(json!({"label": "", "title": w.get("doc-introduction"), "narrative": intro, "actions": []}));
    }
    for a in &r.areas {
        let actions: Vec<Json> = a
            .actions
            .iter()
            .map(|act| {
                let updates: Vec<Json> = act
                    .updates
                    .iter()
                    .map(|u| {
                        json!({
                            "date": u.reported_on,
                            "status_label": w.status(&u.status),
                            "narrative": u.narrative.clone().unwrap_or_default(),
                            "author": u.author,
                            "outputs": u.outputs.iter().map(|o| json!({
                                "kind_label": w.output(o.kind.as_str()),
                                "title": o.title.clone().unwrap_or_default(),
                                "quantity": o.quantity,
                                "female": o.participants_female,
                                "male": o.participants_male,
                            })).collect::<Vec<_>>(),
                            "links": u.links,
                            "files": u.files.iter().map(|f| json!({"name": f.file_name, "size": size_text(f.size_bytes)})).collect::<Vec<_>>(),
                        })
                    })
                    .collect();
                json!({
                    "label": act.label.clone().unwrap_or_default(),
                    "title": act.title,
                    "status_label": w.status(&act.status),
                    "calendar": act.calendar.clone().unwrap_or_default(),
                    "updates": updates,
                })
            })
            .collect();
        areas.push(json!({
            "label": a.label.clone().unwrap_or_default(),
            "title": area_title(&w, a),
            "narrative": a.narrative.clone().unwrap_or_default(),
            "actions": actions,
        }));
    }
    let checklist = r.checklist.as_ref().map(|c| {
        let mut groups: Vec<Json> = Vec::new();
        for category in ["data_information_statistics", "laws_standards_policies"] {
            let answers: Vec<Json> = c
                .answers
                .iter()
                .filter(|a| a.category == category)
                .map(|a| {
                    json!({
                        "question": a.question,
                        "answer": w.answer(&a.answer_type, a.value.as_deref()),
                        "comment": a.comment.clone().unwrap_or_default(),
                    })
                })
                .collect();
            groups.push(json!({"label": w.category(category), "answers": answers}));
        }
        json!({"template": c.template_title, "version": c.template_version, "groups": groups})
    });
    json!({
        "lang": lang,
        "labels": labels,
        "title": s.i18n.message(lang, "report-title", &[("year", r.year.into())]),
        "body": {"id": r.body.id, "name": body_name, "abbreviation": r.body.abbreviation},
        "reports_to": reports_to,
        "year": r.year,
        "status_line": status_line,
        "generated_on": tripart_domain::time::today(),
        "demonstration": false,
        "summary": {
            "actions": r.summary.actions,
            "by_status": r.summary.by_status.iter().map(|c| json!({"status": c.key, "label": w.status(&c.key), "count": c.count})).collect::<Vec<_>>(),
            "outputs": r.summary.outputs.iter().map(|c| json!({"kind": c.key, "label": w.output(&c.key), "count": c.count})).collect::<Vec<_>>(),
            "participants": {"female": r.summary.participants_female, "male": r.summary.participants_male},
        },
        "areas": areas,
        "meetings": r.meetings.iter().map(|m| json!({
            "title": m.title, "date": m.start.clone().unwrap_or_default(),
            "host": m.host_name.clone().or_else(|| m.host.clone()).unwrap_or_default(), "recommendations": m.recommendations,
        })).collect::<Vec<_>>(),
        "checklist": checklist,
        "history": r.history.iter().map(|e| json!({
            "at": e.at.get(..16).unwrap_or(&e.at).replace('T', " "), "who": e.actor,
            "event": w.event(&e.event), "comment": e.comment,
        })).collect::<Vec<_>>(),
    })
}

/// The annual report as a typeset PDF. Typesetting is CPU work: it runs on the
/// blocking pool so that it does not stall other requests.
pub async fn report_pdf(s: &AppState, lang: &str, r: &AnnualReport) -> Result<Vec<u8>, ApiError> {
    typeset(tripart_pdf::Template::AnnualReport, report_pdf_data(s, lang, r)).await
}

/// Typesets `data` with `template` on the blocking pool, so that the CPU work of typst does
/// not stall other requests; every PDF endpoint goes through here.
pub async fn typeset(template: tripart_pdf::Template, data: serde_json::Value) -> Result<Vec<u8>, ApiError> {
    tokio::task::spawn_blocking(move || tripart_pdf::render(template, &data))
        .await
        .map_err(|e| ApiError::Internal(tripart_storage::StorageError::Corrupt(format!("typesetting stopped: {e}"))))?
        .map_err(|e| ApiError::Internal(tripart_storage::StorageError::Corrupt(format!("typesetting failed: {e}"))))
}

fn text(s: impl Into<String>) -> Cell {
    let s = s.into();
    if s.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s)
    }
}

fn columns(w: &Words, keys: &[&str]) -> Vec<Column> {
    keys.iter().map(|k| Column { header: w.get(&format!("doc-{k}")), ..Default::default() }).collect()
}

fn workbook_bytes(book: &Workbook) -> Result<Vec<u8>, ApiError> {
    tripart_sheets::to_xlsx(book)
        .map_err(|e| ApiError::Internal(tripart_storage::StorageError::Corrupt(format!("workbook: {e}"))))
}

/// The annual report as a workbook: summary, actions, updates with outputs,
/// meetings, checklist, history.
pub fn report_workbook(s: &AppState, lang: &str, r: &AnnualReport) -> Result<Vec<u8>, ApiError> {
    let w = Words { s, lang };
    let title = format!("{} — {}", r.body.name, s.i18n.message(lang, "report-title", &[("year", r.year.into())]));
    let mut summary_rows = vec![
        vec![text(w.get("doc-status")), text(w.report_status(&r.status))],
        vec![text(w.get("doc-actions_total")), Cell::Integer(r.summary.actions)],
        vec![text(w.get("doc-updates")), Cell::Integer(r.summary.updates)],
    ];
    for c in &r.summary.by_status {
        summary_rows.push(vec![text(w.status(&c.key)), Cell::Integer(c.count)]);
    }
    for c in &r.summary.outputs {
        summary_rows.push(vec![text(w.output(&c.key)), Cell::Integer(c.count)]);
    }
    summary_rows.push(vec![
        text(format!("{} — {}", w.get("doc-participants"), w.get("doc-female"))),
        Cell::Integer(r.summary.participants_female),
    ]);
    summary_rows.push(vec![
        text(format!("{} — {}", w.get("doc-participants"), w.get("doc-male"))),
        Cell::Integer(r.summary.participants_male),
    ]);
    let summary = Sheet {
        name: w.get("doc-summary"),
        title: Some(title.clone()),
        note: None,
        columns: columns(&w, &["summary", "number"]),
        rows: summary_rows,
    };
    let mut action_rows = Vec::new();
    let mut update_rows = Vec::new();
    for a in &r.areas {
        for act in &a.actions {
            action_rows.push(vec![
                text(area_title(&w, a)),
                text(act.label.clone().unwrap_or_default()),
                text(act.title.clone()),
                text(w.status(&act.status)),
                text(act.calendar.clone().unwrap_or_default()),
                Cell::Integer(act.updates.len() as i64),
                text(a.narrative.clone().unwrap_or_default()),
            ]);
            for u in &act.updates {
                let outputs = u
                    .outputs
                    .iter()
                    .map(|o| {
                        format!(
                            "{} × {}{}",
                            o.quantity,
                            w.output(o.kind.as_str()),
                            o.title.as_ref().map(|t| format!(" ({t})")).unwrap_or_default()
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                let female: i64 = u.outputs.iter().filter_map(|o| o.participants_female).sum();
                let male: i64 = u.outputs.iter().filter_map(|o| o.participants_male).sum();
                update_rows.push(vec![
                    text(act.label.clone().unwrap_or_else(|| act.id.clone())),
                    Cell::Date(u.reported_on.clone()),
                    text(w.status(&u.status)),
                    text(u.narrative.clone().unwrap_or_default()),
                    text(outputs),
                    Cell::Integer(female),
                    Cell::Integer(male),
                    text(u.links.iter().map(|l| l.url.clone()).collect::<Vec<_>>().join(" ")),
                    text(u.author.clone()),
                ]);
            }
        }
    }
    let actions = Sheet {
        name: w.get("doc-actions"),
        title: Some(title.clone()),
        note: None,
        columns: columns(&w, &["area", "label", "action", "status", "calendar", "updates", "narrative"]),
        rows: action_rows,
    };
    let updates = Sheet {
        name: w.get("doc-updates"),
        title: Some(title.clone()),
        note: None,
        columns: columns(&w, &["label", "date", "status", "narrative", "outputs", "female", "male", "links", "by"]),
        rows: update_rows,
    };
    let meetings = Sheet {
        name: w.get("doc-meetings"),
        title: Some(title.clone()),
        note: None,
        columns: columns(&w, &["title", "date", "host", "recommendations"]),
        rows: r
            .meetings
            .iter()
            .map(|m| {
                vec![
                    text(m.title.clone()),
                    m.start.clone().map_or(Cell::Empty, Cell::Date),
                    text(m.host_name.clone().or_else(|| m.host.clone()).unwrap_or_default()),
                    Cell::Integer(m.recommendations),
                ]
            })
            .collect(),
    };
    let checklist = Sheet {
        name: w.get("doc-checklist"),
        title: Some(title.clone()),
        note: r
            .checklist
            .as_ref()
            .map(|c| format!("{} ({} {})", c.template_title, w.get("doc-version"), c.template_version)),
        columns: columns(&w, &["area", "question", "answer", "comment"]),
        rows: r
            .checklist
            .iter()
            .flat_map(|c| &c.answers)
            .map(|a| {
                vec![
                    text(w.category(&a.category)),
                    text(a.question.clone()),
                    text(w.answer(&a.answer_type, a.value.as_deref())),
                    text(a.comment.clone().unwrap_or_default()),
                ]
            })
            .collect(),
    };
    let history = Sheet {
        name: w.get("doc-history"),
        title: Some(title),
        note: None,
        columns: columns(&w, &["at", "who", "event", "comment"]),
        rows: r
            .history
            .iter()
            .map(|e| {
                vec![
                    text(e.at.clone()),
                    text(e.actor.clone()),
                    text(w.event(&e.event)),
                    text(e.comment.clone().unwrap_or_default()),
                ]
            })
            .collect(),
    };
    workbook_bytes(&Workbook { sheets: vec![summary, actions, updates, meetings, checklist, history] })
}

/// The dashboard's actions as one table.
fn dashboard_actions(w: &Words, d: &Dashboard, only_overdue: bool) -> Sheet {
    Sheet {
        name: w.get(if only_overdue { "doc-overdue" } else { "doc-actions" }),
        title: Some(format!("{} ({})", w.get("dashboard-title"), d.as_of)),
        note: None,
        columns: columns(w, &["id", "programme", "label", "action", "status", "calendar", "last_update", "overdue"]),
        rows: d
            .actions
            .iter()
            .filter(|a| !only_overdue || a.overdue)
            .map(|a| {
                vec![
                    text(a.action.id.clone()),
                    text(a.action.programme.clone()),
                    text(a.action.label.clone().unwrap_or_default()),
                    text(a.action.title.clone()),
                    text(w.status(&a.action.status)),
                    text(a.action.calendar.clone().unwrap_or_default()),
                    a.last_update.clone().map_or(Cell::Empty, Cell::Date),
                    text(w.get(if a.overdue { "answer-yes" } else { "answer-no" })),
                ]
            })
            .collect(),
    }
}

pub fn dashboard_csv(s: &AppState, lang: &str, d: &Dashboard) -> String {
    tripart_sheets::to_csv(&dashboard_actions(&Words { s, lang }, d, false))
}

pub fn dashboard_workbook(s: &AppState, lang: &str, d: &Dashboard) -> Result<Vec<u8>, ApiError> {
    let w = Words { s, lang };
    let mut summary_rows = vec![vec![text(w.get("doc-actions_total")), Cell::Integer(d.total)]];
    for c in &d.by_status {
        summary_rows.push(vec![text(w.status(&c.key)), Cell::Integer(c.count)]);
    }
    summary_rows.push(vec![text(w.get("doc-overdue")), Cell::Integer(d.overdue)]);
    let summary = Sheet {
        name: w.get("doc-summary"),
        title: Some(format!("{} ({})", w.get("dashboard-title"), d.as_of)),
        note: Some(s.i18n.message(lang, "dashboard-overdue-rule", &[("days", d.stale_days.into())])),
        columns: columns(&w, &["summary", "number"]),
        rows: summary_rows,
    };
    let meetings = Sheet {
        name: w.get("doc-meetings"),
        title: None,
        note: None,
        columns: columns(&w, &["id", "title", "date", "host", "recommendations"]),
        rows: d
            .meetings
            .iter()
            .map(|m| {
                vec![
                    text(m.id.clone()),
                    text(m.title.clone()),
                    m.start.clone().map_or_else(|| text(m.date_text.clone().unwrap_or_default()), Cell::Date),
                    text(m.host.clone().unwrap_or_default()),
                    Cell::Integer(m.recommendation_count),
                ]
            })
            .collect(),
    };
    let book =
        Workbook { sheets: vec![summary, dashboard_actions(&w, d, false), dashboard_actions(&w, d, true), meetings] };
    workbook_bytes(&book)
}

/// What changed, as text for an e-mail to the focal points.
pub fn digest(s: &AppState, lang: &str, c: &Changes) -> String {
    let w = Words { s, lang };
    let mut out = String::new();
    out.push_str(&s.i18n.message(lang, "changes-title", &[("since", c.since.clone().into())]));
    out.push_str("\n\n");
    let section = |out: &mut String, key: &str, lines: Vec<String>| {
        out.push_str(&w.get(key));
        out.push('\n');
        if lines.is_empty() {
            out.push_str("  ");
            out.push_str(&w.get("doc-none"));
            out.push('\n');
        }
        for l in lines {
            out.push_str("  - ");
            out.push_str(&l);
            out.push('\n');
        }
        out.push('\n');
    };
    section(
        &mut out,
        "changes-updates",
        c.updates
            .iter()
            .map(|u| {
                format!(
                    "{} {} [{}]: {}{}",
                    u.update.reported_on,
                    u.action_title,
                    w.status(&u.update.status),
                    u.update.narrative.clone().unwrap_or_default(),
                    if u.update.outputs.is_empty() {
                        String::new()
                    } else {
                        format!(
                            " ({})",
                            u.update
                                .outputs
                                .iter()
                                .map(|o| format!("{} × {}", o.quantity, w.output(o.kind.as_str())))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    }
                )
            })
            .collect(),
    );
    section(
        &mut out,
        "changes-meetings",
        c.meetings.iter().map(|m| format!("{} {}", m.start.clone().unwrap_or_default(), m.title)).collect(),
    );
    section(
        &mut out,
        "changes-actions",
        c.actions
            .iter()
            .map(|a| format!("{} {} ({})", a.at.get(..10).unwrap_or_default(), a.title, a.operation))
            .collect(),
    );
    section(
        &mut out,
        "changes-reports",
        c.reports.iter().map(|r| format!("{} {} {}", r.at.get(..10).unwrap_or_default(), r.body, r.year)).collect(),
    );
    out
}
