//! The rules of monitoring the Work Programme, as the 2010-2015 and 2016-2020
//! programmes set them out: the five kinds of output, the annual report's
//! workflow, the output-level checklist's categories and answer types, and the
//! mid-term and final reviews. Pure rules; storage applies them.

use crate::vocab::vocabulary;
use crate::ParseError;

vocabulary!(
    /// The outputs the 2010-2015 Work Programme's monitoring section counts:
    /// "meetings held, stakeholder outreach accomplished, training programmes
    /// delivered, decisions issued and country practices modified".
    OutputKind {
        Meeting = "meeting",
        Outreach = "outreach",
        Training = "training",
        Decision = "decision",
        Practice = "practice",
    }
);

vocabulary!(
    /// Where an annual progress report stands.
    ReportStatus {
        Draft = "draft",
        Submitted = "submitted",
        Returned = "returned",
        Accepted = "accepted",
    }
);

vocabulary!(
    /// What happens to an annual report.
    ReportStep {
        Submit = "submit",
        Return = "return",
        Accept = "accept",
    }
);

impl ReportStatus {
    /// The body may still change the report (narratives, and it is reassembled).
    pub fn is_editable(self) -> bool {
        matches!(self, ReportStatus::Draft | ReportStatus::Returned)
    }

    /// The status after `step`, or why the step is not possible now.
    pub fn after(self, step: ReportStep) -> Result<ReportStatus, ParseError> {
        match (self, step) {
            (ReportStatus::Draft | ReportStatus::Returned, ReportStep::Submit) => Ok(ReportStatus::Submitted),
            (ReportStatus::Submitted, ReportStep::Return) => Ok(ReportStatus::Returned),
            (ReportStatus::Submitted, ReportStep::Accept) => Ok(ReportStatus::Accepted),
            (ReportStatus::Accepted, _) => Err(ParseError("the report was accepted and is frozen".into())),
            (status, step) => Err(ParseError(format!("a {status} report cannot be {}", step.past_tense()))),
        }
    }
}

impl ReportStep {
    pub fn past_tense(self) -> &'static str {
        match self {
            ReportStep::Submit => "submitted",
            ReportStep::Return => "returned",
            ReportStep::Accept => "accepted",
        }
    }
}

vocabulary!(
    /// The two categories of the output-level checklist (2016-2020 Work
    /// Programme, note 3).
    ChecklistCategory {
        DataInformationStatistics = "data_information_statistics",
        LawsStandardsPolicies = "laws_standards_policies",
    }
);

vocabulary!(AnswerType {
    YesNo = "yes_no",
    Level = "level",
    Number = "number",
    Text = "text",
});

vocabulary!(ChecklistStatus {
    Draft = "draft",
    Submitted = "submitted",
});

vocabulary!(TemplateStatus {
    Draft = "draft",
    Published = "published",
});

/// Checks one answer against its item's type; returns the answer as stored.
pub fn check_answer(answer_type: AnswerType, levels: &[String], value: &str) -> Result<String, ParseError> {
    let value = value.trim();
    match answer_type {
        AnswerType::YesNo => match value.to_ascii_lowercase().as_str() {
            "yes" | "true" => Ok("yes".into()),
            "no" | "false" => Ok("no".into()),
            _ => Err(ParseError(format!("answer yes or no (got `{}`)", crate::ids::truncate(value, 40)))),
        },
        AnswerType::Level => levels
            .iter()
            .find(|l| l.as_str() == value)
            .cloned()
            .ok_or_else(|| ParseError(format!("answer one of: {}", levels.join(", ")))),
        AnswerType::Number => match value.parse::<f64>() {
            Ok(n) if n.is_finite() && n >= 0.0 => Ok(value.to_string()),
            _ => {
                Err(ParseError(format!("answer a number of zero or more (got `{}`)", crate::ids::truncate(value, 40))))
            }
        },
        AnswerType::Text if value.chars().count() > 5000 => Err(ParseError("at most 5000 characters".into())),
        AnswerType::Text => Ok(value.to_string()),
    }
}

vocabulary!(
    /// The outcome-based reviews SLOM conducts every 2.5 years (2016-2020 Work
    /// Programme, note 3).
    ReviewKind {
        MidTerm = "mid_term",
        Final = "final",
    }
);

impl ReviewKind {
    /// When the review falls due for a programme running from the start of
    /// `start_year` to the end of `end_year`: half-way through, and at its end.
    pub fn due_on(self, start_year: i32, end_year: i32) -> String {
        match self {
            ReviewKind::MidTerm => {
                let months = (end_year - start_year + 1).max(1) * 12 / 2;
                let year = start_year + months / 12;
                let month = months % 12 + 1;
                format!("{year:04}-{month:02}-01")
            }
            ReviewKind::Final => format!("{end_year:04}-12-31"),
        }
    }
}

vocabulary!(ReviewStatus {
    Draft = "draft",
    Final = "final",
});

vocabulary!(
    /// How far a key result area or strategic priority got.
    ReviewRating {
        Achieved = "achieved",
        LargelyAchieved = "largely_achieved",
        PartlyAchieved = "partly_achieved",
        NotAchieved = "not_achieved",
        TooEarly = "too_early",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_goes_draft_submitted_returned_submitted_accepted_then_freezes() {
        let s = ReportStatus::Draft.after(ReportStep::Submit).unwrap();
        let s = s.after(ReportStep::Return).unwrap();
        assert!(s.is_editable());
        let s = s.after(ReportStep::Submit).unwrap().after(ReportStep::Accept).unwrap();
        assert_eq!(s, ReportStatus::Accepted);
        assert!(!s.is_editable());
        assert!(s.after(ReportStep::Submit).unwrap_err().0.contains("frozen"));
        assert!(ReportStatus::Draft.after(ReportStep::Accept).is_err());
        assert!(ReportStatus::Returned.after(ReportStep::Return).is_err());
    }

    #[test]
    fn answers_are_checked_against_their_type() {
        let levels = vec!["none".to_string(), "partial".into(), "full".into()];
        assert_eq!(check_answer(AnswerType::YesNo, &[], " Yes ").unwrap(), "yes");
        assert!(check_answer(AnswerType::YesNo, &[], "maybe").is_err());
        assert_eq!(check_answer(AnswerType::Level, &levels, "partial").unwrap(), "partial");
        assert!(check_answer(AnswerType::Level, &levels, "most").unwrap_err().0.contains("none, partial, full"));
        assert!(check_answer(AnswerType::Number, &[], "-1").is_err());
        assert!(check_answer(AnswerType::Number, &[], "NaN").is_err());
        assert_eq!(check_answer(AnswerType::Number, &[], "12").unwrap(), "12");
    }

    #[test]
    fn reviews_fall_due_half_way_and_at_the_end() {
        // 2016-2020: five years, the mid-point is 1 July 2018.
        assert_eq!(ReviewKind::MidTerm.due_on(2016, 2020), "2018-07-01");
        assert_eq!(ReviewKind::Final.due_on(2016, 2020), "2020-12-31");
        // 2010-2015: six years, half-way is 1 January 2013.
        assert_eq!(ReviewKind::MidTerm.due_on(2010, 2015), "2013-01-01");
    }
}
