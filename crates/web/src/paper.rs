//! The progress paper of a reporting cycle, the review the ILO writes by hand
//! every two years: per recommendation and per member state, what each voice
//! reported, with its evidence, and what moved since the previous cycle. As a
//! typeset PDF and as a Word document that delegations edit.

use crate::error::ApiError;
use crate::AppState;
use serde_json::{json, Value as Json};
use std::collections::HashMap;
use tripart_docx::{Block, Document, Run};
use tripart_domain::followup::ImplementationStatus;
use tripart_storage::followup::ImplementationMatrix;
use tripart_storage::StorageError;

/// The structural words of the paper, each from `paper-<name>` in Fluent.
const LABELS: &[&str] = &[
    "contents",
    "summary",
    "recommendations",
    "progress",
    "member_state",
    "status",
    "voice",
    "narrative",
    "evidence",
    "no_information",
    "carried",
    "previously",
    "none",
    "generated_on",
    "page",
    "of",
    "from",
    "to",
    "recommendation",
];

/// Everything the paper shows, gathered once for both formats.
pub struct Paper {
    title: String,
    subtitle: String,
    status_line: String,
    lang: String,
    labels: HashMap<&'static str, String>,
    statuses: Vec<(String, String)>,
    summary: Vec<(String, Vec<i64>)>,
    recommendations: Vec<PaperRecommendation>,
    progress: Vec<[String; 4]>,
}

struct PaperRecommendation {
    number: String,
    heading: Option<String>,
    text: String,
    parts: Vec<String>,
    carried: bool,
    countries: Vec<PaperCountry>,
    silent: Vec<String>,
}

struct PaperCountry {
    state: String,
    status: String,
    status_label: String,
    previous_label: Option<String>,
    reports: Vec<PaperReport>,
}

struct PaperReport {
    status: String,
    status_label: String,
    voice_label: String,
    narrative: String,
    evidence: Vec<(String, String)>,
    by: String,
    at: String,
}

impl Paper {
    pub async fn gather(s: &AppState, lang: &str, m: &ImplementationMatrix) -> Result<Paper, ApiError> {
        let t = |key: &str| s.i18n.message(lang, key, &[]);
        let names: HashMap<String, String> =
            tripart_storage::read::member_states(&s.db, None).await?.into_iter().map(|ms| (ms.code, ms.name)).collect();
        let name = |code: &str| names.get(code).cloned().unwrap_or_else(|| code.to_string());
        // The same words as the follow-up pages.
        let status_label = |code: &str| t(&format!("impl-status-{code}"));
        let meeting = tripart_storage::read::meeting(&s.db, &m.cycle.meeting).await?;
        let meeting_title = meeting.map(|d| d.meeting.title).unwrap_or_else(|| m.cycle.meeting.clone());
        let statuses: Vec<(String, String)> =
            ImplementationStatus::ALL.iter().map(|st| (st.as_str().to_string(), status_label(st.as_str()))).collect();
        let mut counts: HashMap<&str, Vec<i64>> = HashMap::new();
        for cell in &m.cells {
            let row = counts.entry(cell.member_state.as_str()).or_insert_with(|| vec![0; statuses.len()]);
            if let Some(i) = statuses.iter().position(|(code, _)| *code == cell.status) {
                row[i] += 1;
            }
        }
        let summary =
            m.member_states.iter().map(|ms| (name(ms), counts.get(ms.as_str()).cloned().unwrap_or_default())).collect();
        let mut recommendations = Vec::new();
        let mut progress = Vec::new();
        for rec in &m.cycle.recommendations {
            let mut countries = Vec::new();
            let mut silent = Vec::new();
            for cell in m.cells.iter().filter(|c| c.recommendation == rec.id) {
                if cell.reports.is_empty() && !cell.carried {
                    silent.push(name(&cell.member_state));
                    continue;
                }
                let previous_label = cell.previous_status.as_deref().map(status_label);
                if let (Some(previous), false) = (&cell.previous_status, cell.carried) {
                    if *previous != cell.status {
                        progress.push([
                            rec.number.clone(),
                            name(&cell.member_state),
                            status_label(previous),
                            status_label(&cell.status),
                        ]);
                    }
                }
                countries.push(PaperCountry {
                    state: name(&cell.member_state),
                    status: cell.status.clone(),
                    status_label: status_label(&cell.status),
                    previous_label,
                    reports: cell
                        .reports
                        .iter()
                        .map(|r| PaperReport {
                            status: r.status.clone(),
                            status_label: status_label(&r.status),
                            voice_label: match &r.partner {
                                Some(p) => {
                                    format!("{} ({p})", t(&format!("voice-{}", r.voice)))
                                }
                                None => t(&format!("voice-{}", r.voice)),
                            },
                            narrative: r.narrative.clone().unwrap_or_default(),
                            evidence: r.evidence.iter().map(|l| (l.label.clone(), l.url.clone())).collect(),
                            by: r.reported_by.clone(),
                            at: r.reported_at.get(..10).unwrap_or_default().to_string(),
                        })
                        .collect(),
                });
            }
            recommendations.push(PaperRecommendation {
                number: rec.number.clone(),
                heading: rec.heading.clone(),
                text: rec.text.clone(),
                parts: rec.parts.clone(),
                carried: rec.carried_forward,
                countries,
                silent,
            });
        }
        let status_line = match (&m.cycle.reported_to, &m.cycle.due_on) {
            (Some(to), Some(due)) => {
                s.i18n.message(lang, "paper-status-line-due", &[("to", to.clone().into()), ("due", due.clone().into())])
            }
            (Some(to), None) => s.i18n.message(lang, "paper-status-line", &[("to", to.clone().into())]),
            _ => m.cycle.title.clone(),
        };
        Ok(Paper {
            title: s.i18n.message(lang, "paper-title", &[]),
            subtitle: s.i18n.message(lang, "paper-subtitle", &[("meeting", meeting_title.into())]),
            status_line,
            lang: lang.to_string(),
            labels: LABELS.iter().map(|k| (*k, t(&format!("paper-{}", k.replace('_', "-"))))).collect(),
            statuses,
            summary,
            recommendations,
            progress,
        })
    }

    fn label(&self, key: &str) -> String {
        self.labels.get(key).cloned().unwrap_or_else(|| key.to_string())
    }

    fn pdf_data(&self) -> Json {
        json!({
            "lang": self.lang,
            "labels": self.labels,
            "title": self.title,
            "subtitle": self.subtitle,
            "status_line": self.status_line,
            "generated_on": tripart_domain::time::today(),
            "summary": {
                "statuses": self.statuses.iter().map(|(code, label)| json!({"code": code, "label": label})).collect::<Vec<_>>(),
                "rows": self.summary.iter().map(|(state, counts)| json!({"state": state, "counts": counts})).collect::<Vec<_>>(),
            },
            "recommendations": self.recommendations.iter().map(|r| json!({
                "number": r.number, "heading": r.heading, "text": r.text, "parts": r.parts, "carried": r.carried,
                "no_information": r.silent.join(", "),
                "countries": r.countries.iter().map(|c| json!({
                    "state": c.state, "status": c.status, "status_label": c.status_label,
                    "previous_label": c.previous_label,
                    "reports": c.reports.iter().map(|p| json!({
                        "status": p.status, "status_label": p.status_label, "voice_label": p.voice_label,
                        "narrative": p.narrative, "by": p.by, "reported_at": p.at,
                        "evidence": p.evidence.iter().map(|(label, url)| json!({"label": label, "url": url})).collect::<Vec<_>>(),
                    })).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "progress": self.progress.iter().map(|[rec, state, from, to]| json!({
                "recommendation": rec, "state": state, "from": from, "to": to,
            })).collect::<Vec<_>>(),
        })
    }

    /// The paper typeset; CPU work, so on the blocking pool.
    pub async fn pdf(&self) -> Result<Vec<u8>, ApiError> {
        crate::documents::typeset(tripart_pdf::Template::ProgressPaper, self.pdf_data()).await
    }

    /// The paper as a Word document.
    pub fn docx(&self) -> Result<Vec<u8>, ApiError> {
        let mut blocks = vec![
            Block::Title(self.title.clone()),
            Block::Paragraph(vec![Run::bold(self.subtitle.clone())]),
            Block::text(self.status_line.clone()),
            Block::Heading(1, self.label("summary")),
        ];
        let mut header = vec![self.label("member_state")];
        header.extend(self.statuses.iter().map(|(_, label)| label.clone()));
        blocks.push(Block::Table {
            header,
            rows: self
                .summary
                .iter()
                .map(|(state, counts)| {
                    let mut row = vec![state.clone()];
                    row.extend(counts.iter().map(i64::to_string));
                    row
                })
                .collect(),
        });
        blocks.push(Block::Heading(1, self.label("recommendations")));
        for r in &self.recommendations {
            blocks.push(Block::Heading(2, format!("{} {}", self.label("recommendation"), r.number)));
            if let Some(h) = &r.heading {
                blocks.push(Block::Paragraph(vec![Run::italic(h.clone())]));
            }
            blocks.push(Block::Paragraph(vec![Run::italic(r.text.clone())]));
            for part in &r.parts {
                blocks.push(Block::Paragraph(vec![Run::italic(format!("    {part}"))]));
            }
            if r.carried {
                blocks.push(Block::text(self.label("carried")));
            }
            if !r.countries.is_empty() {
                let mut rows = Vec::new();
                for c in &r.countries {
                    let state = match &c.previous_label {
                        Some(p) => format!("{}\n({}: {p})", c.state, self.label("previously")),
                        None => c.state.clone(),
                    };
                    if c.reports.is_empty() {
                        rows.push(vec![state.clone(), c.status_label.clone(), String::new(), String::new()]);
                    }
                    for (i, p) in c.reports.iter().enumerate() {
                        let mut text = p.narrative.clone();
                        if !p.evidence.is_empty() {
                            let links: Vec<String> = p.evidence.iter().map(|(l, u)| format!("{l}: {u}")).collect();
                            text.push_str(&format!("\n{}: {}", self.label("evidence"), links.join("; ")));
                        }
                        text.push_str(&format!("\n{}, {}", p.by, p.at));
                        rows.push(vec![
                            if i == 0 { state.clone() } else { String::new() },
                            p.status_label.clone(),
                            p.voice_label.clone(),
                            text,
                        ]);
                    }
                }
                blocks.push(Block::Table {
                    header: vec![
                        self.label("member_state"),
                        self.label("status"),
                        self.label("voice"),
                        self.label("narrative"),
                    ],
                    rows,
                });
            }
            if !r.silent.is_empty() {
                blocks.push(Block::text(format!("{}: {}", self.label("no_information"), r.silent.join(", "))));
            }
        }
        blocks.push(Block::Heading(1, self.label("progress")));
        if self.progress.is_empty() {
            blocks.push(Block::text(self.label("none")));
        } else {
            blocks.push(Block::Table {
                header: vec![
                    self.label("recommendation"),
                    self.label("member_state"),
                    self.label("from"),
                    self.label("to"),
                ],
                rows: self.progress.iter().map(|row| row.to_vec()).collect(),
            });
        }
        tripart_docx::to_docx(&Document { title: self.title.clone(), blocks })
            .map_err(|e| ApiError::Internal(StorageError::Corrupt(format!("document: {e}"))))
    }
}
