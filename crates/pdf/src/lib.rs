//! Typeset PDF documents from JSON with typst, used as a library.
//!
//! This crate holds the typst compiler, its fonts and Tripart's templates, and nothing
//! else: it is heavy to build, so it stands alone and other crates only call [`render`].
//! It does no I/O besides reading the system font folders once per process; the caller
//! gathers the data, translates every label, and decides what to do with the bytes.
//! Rendering is CPU-bound and synchronous: call it from a blocking task in async code.
//!
//! Templates live in `templates/` and are embedded at build time. Data reaches a template
//! as the virtual file `data.json`, read with typst's `json("data.json")`: strings are
//! placed as text, never evaluated as markup, so narratives may contain any character.
//! Missing or oddly typed fields fall back to defaults (empty text, zero, empty lists);
//! anything the template still cannot handle comes back as [`PdfError`], never as a panic.
//!
//! # [`Template::AnnualReport`]: the data
//!
//! The annual progress report of a subsidiary body to the meeting it reports to. Every
//! field is optional; `labels` holds the structural words (English defaults shown).
//! `tests/fixtures/annual_report.json` is a complete example.
//!
//! ```json
//! {
//!   "lang": "en",
//!   "labels": {
//!     "contents": "Contents", "summary": "Summary", "actions_by_status": "Actions by status",
//!     "outputs": "Outputs", "meetings": "Meetings", "checklist": "Output checklist",
//!     "history": "History of this report", "none": "None recorded.",
//!     "demonstration": "Demonstration data — not official figures",
//!     "report_to": "Report to the", "generated_on": "Generated on", "page": "Page", "of": "of",
//!     "actions_total": "Actions followed", "status": "Status", "actions": "Actions",
//!     "share": "Share", "output": "Output", "number": "Number",
//!     "participants": "Participants in trainings", "female": "Female", "male": "Male",
//!     "total": "Total", "area": "Thematic area", "label": "No.", "action": "Action",
//!     "calendar": "Calendar", "updates": "Updates", "no_updates": "No update recorded this year.",
//!     "date": "Date", "by": "By", "title": "Title", "quantity": "Quantity", "links": "Links",
//!     "files": "Files", "host": "Host", "recommendations": "Recommendations",
//!     "question": "Question", "answer": "Answer", "comment": "Comment", "version": "version",
//!     "at": "When", "who": "Who", "event": "Event"
//!   },
//!   "title": "Annual progress report 2025",
//!   "body": {"id": "slom-wg", "name": "SLOM Working Group on …", "abbreviation": "SLOM-WG"},
//!   "reports_to": "Senior Labour Officials Meeting (SLOM)",
//!   "year": 2025,
//!   "status_line": "Accepted by SLOM on 2026-11-20",
//!   "generated_on": "2026-11-23",
//!   "demonstration": false,
//!   "summary": {
//!     "actions": 12,
//!     "by_status": [{"status": "completed", "label": "Completed", "count": 3}],
//!     "outputs": [{"kind": "meeting", "label": "Meetings held", "count": 2}],
//!     "participants": {"female": 10, "male": 12}
//!   },
//!   "areas": [{
//!     "label": "1", "title": "…", "narrative": "paragraphs separated by blank lines",
//!     "actions": [{
//!       "label": "8.1", "title": "…", "status_label": "On-going", "calendar": "2016 - 2020",
//!       "updates": [{
//!         "date": "2025-03-14", "status_label": "On-going", "narrative": "…",
//!         "author": "Secretariat of SLOM-WG",
//!         "outputs": [{"kind_label": "Training delivered", "title": "…", "quantity": 1,
//!                      "female": 12, "male": 9}],
//!         "links": [{"label": "Report", "url": "https://…"}],
//!         "files": [{"name": "minutes.pdf", "size": "120 KB"}]
//!       }]
//!     }]
//!   }],
//!   "meetings": [{"title": "…", "date": "2025-05-02", "host": "Malaysia", "recommendations": 5}],
//!   "checklist": {"template": "Output-level checklist", "version": 1, "groups": [
//!     {"label": "Data, information and statistics",
//!      "answers": [{"question": "…", "answer": "Yes", "comment": "…"}]}]},
//!   "history": [{"at": "2026-10-01 09:12", "who": "sec@example.org", "event": "Submitted",
//!                "comment": null}]
//! }
//! ```
//!
//! `status` in `summary.by_status` picks the bar colour for the action statuses of
//! `tripart_domain::vocab::ActionStatus` (`planned`, `ongoing`, `completed`, `tbc`, `absorbed`);
//! other codes get a neutral colour. `checklist` may be `null` and any list may be empty.

//!
//! # [`Template::ProgressPaper`]: the data
//!
//! The progress paper of a reporting cycle on a meeting's recommendations
//! (`templates/progress_paper.typ`): `lang`, `labels`, `title`, `subtitle`,
//! `status_line`, `generated_on`; `summary` with `statuses` (`[{code, label}]`) and
//! `rows` (`[{state, counts: [n per status]}]`); `recommendations`, each with
//! `number`, `heading`, `text`, `carried`, `no_information` (the states that said
//! nothing, as text) and `countries` (`[{state, status, status_label, previous_label,
//! reports: [{status, status_label, voice_label, narrative, by, reported_at,
//! evidence: [{label, url}]}]}]`); and `progress` (`[{recommendation, state, from, to}]`).
//!
//! # [`Template::LabourMarket`] and [`Template::OshnetScorecard`]: the data
//!
//! The two yearly reports on published labour-market and OSH data share one layout
//! (`templates/data_report.typ`, imported by `labour_market.typ` and `oshnet_scorecard.typ`)
//! and one shape of data; `tests/fixtures/labour_market.json` and `oshnet_scorecard.json` are
//! complete examples. Numbers arrive formatted (`value`, `change`…) for the text, and raw
//! (`number`, `max`) only for bar lengths.
//!
//! ```json
//! {
//!   "lang": "en",
//!   "labels": {"contents": "Contents", "summary": "Summary", "asean": "ASEAN", "coverage": "Coverage",
//!              "missing": "Missing", "member-state": "Member state", "demonstration": "Demonstration data — …",
//!              "no-data": "No data have been published for this year.", "…": "see data_report.typ"},
//!   "title": "ASEAN report on labour market performance 2024", "subtitle": "…", "year": 2024,
//!   "generated_on": "2026-12-06", "demonstration": false, "has_data": true,
//!   "introduction": ["paragraph"], "methods": ["paragraph"],
//!   "summary": [{"label": "i", "name": "…", "breakdown": "…", "asean": "67.6", "unit": "%",
//!                "coverage": "3 of 10 member states", "change": "+0.8"}],
//!   "sections": [{"id": "lmis-lfpr", "label": "i", "name": "…", "definition": "…", "unit": "%",
//!     "panels": [{"title": "…", "series": "EAP_DWAP_SEX_AGE_RT", "measure": "…", "unit": "%",
//!       "kind": "number", "method": "…", "coverage": "3 of 10 member states",
//!       "asean": {"value": "67.6", "number": 67.59, "previous": "", "change": "", "male": "", "female": ""},
//!       "included": ["Indonesia"], "missing": ["Brunei Darussalam (not reported)"], "by_sex": true, "max": 70.0,
//!       "rows": [{"code": "THA", "state": "Thailand", "value": "67.8", "number": 67.8, "rank": "2",
//!                 "previous": "67.0", "change": "+0.8", "male": "76.1", "female": "60.2", "source": "LFS",
//!                 "status": "P", "demonstration": false, "answer": "", "evidence": "", "from_levels": false}],
//!       "levels": [{"level": 0, "name": "No general OSH law", "count": 1, "states": "…"}]}]}],
//!   "sources": [{"state": "Thailand", "source": "LFS", "note": ""}]
//! }
//! ```
//!
//! `kind` is `number` (the ASEAN figure card, a table of states with rank and change, bars),
//! `scale` (the levels with the states at each, then each state's level and evidence) or
//! `text` (each state's answer and evidence); `asean` is `null` where no figure is meaningful.

mod fonts;
mod world;

use std::panic::{catch_unwind, AssertUnwindSafe};

use typst::diag::{Severity, SourceDiagnostic};
use typst::syntax::FileId;
use typst::{World, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::PdfOptions;

use crate::world::ReportWorld;

/// The documents this crate can typeset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Template {
    /// A subsidiary body's annual progress report to the meeting it reports to.
    AnnualReport,
    /// The progress paper on a meeting's recommendations for a reporting cycle:
    /// per recommendation and member state, what each voice reported.
    ProgressPaper,
    /// The ASEAN report on labour market performance for a year, on the LMIS common indicators.
    LabourMarket,
    /// The ASEAN-OSHNET scorecard for a year.
    OshnetScorecard,
}

/// What the data reports share (look, cover, the panel of one series), imported by both.
const DATA_REPORT: (&str, &str) = ("/data_report.typ", include_str!("../templates/data_report.typ"));

impl Template {
    fn file_name(self) -> &'static str {
        match self {
            Template::AnnualReport => "annual_report.typ",
            Template::ProgressPaper => "progress_paper.typ",
            Template::LabourMarket => "labour_market.typ",
            Template::OshnetScorecard => "oshnet_scorecard.typ",
        }
    }

    /// The built-in files the template imports.
    fn imports(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Template::AnnualReport | Template::ProgressPaper => &[],
            Template::LabourMarket | Template::OshnetScorecard => &[DATA_REPORT],
        }
    }

    fn source(self) -> &'static str {
        match self {
            Template::AnnualReport => include_str!("../templates/annual_report.typ"),
            Template::ProgressPaper => include_str!("../templates/progress_paper.typ"),
            Template::LabourMarket => include_str!("../templates/labour_market.typ"),
            Template::OshnetScorecard => include_str!("../templates/oshnet_scorecard.typ"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The template could not be typeset with this data; one readable line per diagnostic.
    #[error("typesetting {template} failed:\n{}", diagnostics.join("\n"))]
    Typeset { template: &'static str, diagnostics: Vec<String> },
    /// The typeset document could not be written as PDF.
    #[error("writing {template} as PDF failed:\n{}", diagnostics.join("\n"))]
    Export { template: &'static str, diagnostics: Vec<String> },
    /// The typst compiler panicked; caught so that one bad document cannot take a server down.
    #[error("typesetting {template} crashed: {message}")]
    Crashed { template: &'static str, message: String },
    #[error("setting up {template} failed: {message}")]
    Setup { template: &'static str, message: String },
}

/// Typesets `template` with `data` and returns the PDF bytes.
pub fn render(template: Template, data: &serde_json::Value) -> Result<Vec<u8>, PdfError> {
    let name = template.file_name();
    // Serialising a `Value` cannot fail: its keys are strings and its numbers are finite.
    let bytes = serde_json::to_vec(data).map_err(|e| PdfError::Setup { template: name, message: e.to_string() })?;
    let world = ReportWorld::new(&format!("/{name}"), template.source(), bytes)
        .and_then(|w| w.with_shared(template.imports()))
        .map_err(|message| PdfError::Setup { template: name, message })?;

    let result = catch_unwind(AssertUnwindSafe(|| typeset(&world, name)));
    // typst memoises across compilations; drop what has not been used for a few of them
    // so that a long-running server does not grow without bound.
    typst::comemo::evict(10);
    result.unwrap_or_else(|panic| {
        let message = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown cause".to_owned());
        Err(PdfError::Crashed { template: name, message })
    })
}

fn typeset(world: &ReportWorld, name: &'static str) -> Result<Vec<u8>, PdfError> {
    let document: PagedDocument = typst::compile(world)
        .output
        .map_err(|errors| PdfError::Typeset { template: name, diagnostics: describe_all(world, &errors) })?;
    typst_pdf::pdf(&document, &PdfOptions::default())
        .map_err(|errors| PdfError::Export { template: name, diagnostics: describe_all(world, &errors) })
}

fn describe_all(world: &dyn World, diagnostics: &[SourceDiagnostic]) -> Vec<String> {
    diagnostics.iter().map(|d| describe(world, d)).collect()
}

/// `annual_report.typ:12:5: error: message (at `snippet`)`, then its hints and call trace.
fn describe(world: &dyn World, diagnostic: &SourceDiagnostic) -> String {
    let severity = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut out = match locate(world, diagnostic.span.id(), world.range(diagnostic.span)) {
        Some((place, snippet)) => format!("{place}: {severity}: {} (at `{snippet}`)", diagnostic.message),
        None => format!("{severity}: {}", diagnostic.message),
    };
    for hint in &diagnostic.hints {
        out.push_str(&format!("\n  hint: {}", hint.v));
    }
    for point in &diagnostic.trace {
        match locate(world, point.span.id(), world.range(point.span)) {
            Some((place, _)) => out.push_str(&format!("\n  {place}: {}", point.v)),
            None => out.push_str(&format!("\n  {}", point.v)),
        }
    }
    out
}

/// `file:line:column` of a range, and the first line of its text (shortened).
fn locate(world: &dyn World, id: Option<FileId>, range: Option<std::ops::Range<usize>>) -> Option<(String, String)> {
    let id = id?;
    let range = range?;
    let bytes = world.file(id).ok()?;
    let text = std::str::from_utf8(&bytes).ok()?;
    let before = text.get(..range.start)?;
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    let snippet: String = text.get(range)?.lines().next().unwrap_or("").trim().chars().take(80).collect();
    let file = id.vpath().get_with_slash().trim_start_matches('/').to_owned();
    Some((format!("{file}:{line}:{column}"), snippet))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostics_name_the_file_line_and_offending_text() {
        let source = "#let data = json(\"data.json\")\n= Title\n#data.at(\"missing\")\n";
        let world = ReportWorld::new("/broken.typ", source, b"{}".to_vec()).unwrap();
        let Err(PdfError::Typeset { diagnostics, .. }) = typeset(&world, "broken.typ") else {
            panic!("expected a typesetting error");
        };
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert!(diagnostics[0].starts_with("broken.typ:3:"), "{}", diagnostics[0]);
        assert!(diagnostics[0].contains("dictionary does not contain key \"missing\""), "{}", diagnostics[0]);
        assert!(diagnostics[0].contains("(at `"), "{}", diagnostics[0]);
    }

    #[test]
    fn templates_cannot_read_other_files() {
        let world = ReportWorld::new("/probe.typ", "#read(\"/etc/passwd\")", b"{}".to_vec()).unwrap();
        let Err(PdfError::Typeset { diagnostics, .. }) = typeset(&world, "probe.typ") else {
            panic!("expected a typesetting error");
        };
        assert!(diagnostics[0].contains("not found"), "{diagnostics:?}");
    }
}
