//! Closed vocabularies of the catalogue: kinds of body, action, meeting; statuses;
//! convention categories. Each is stored and served by its snake_case name.

/// Declares a vocabulary: an enum whose variants map one to one onto their names.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $(#[serde(rename = $text)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(text: &str) -> Result<Self, $crate::ParseError> {
                match text {
                    $($text => Ok($name::$variant),)+
                    _ => Err($crate::ParseError(format!(
                        "`{}` is not one of: {}",
                        $crate::ids::truncate(text, 40),
                        [$($text),+].join(", ")
                    ))),
                }
            }

            pub fn names() -> &'static [&'static str] {
                &[$($text),+]
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use vocabulary;

vocabulary!(BodyKind {
    Ministerial = "ministerial",
    SeniorOfficials = "senior_officials",
    Subsidiary = "subsidiary",
    Secretariat = "secretariat",
    AseanBody = "asean_body",
    Summit = "summit",
});

vocabulary!(PartnerKind {
    InternationalOrganisation = "international_organisation",
    DialoguePartner = "dialogue_partner",
    Government = "government",
    Employers = "employers",
    Workers = "workers",
    CivilSociety = "civil_society",
    Foundation = "foundation",
    Business = "business",
    Project = "project",
    Other = "other",
});

vocabulary!(InstrumentKind {
    Blueprint = "blueprint",
    Declaration = "declaration",
    Consensus = "consensus",
    Convention = "convention",
    Framework = "framework",
    Agreement = "agreement",
    Plan = "plan",
    Statement = "statement",
    Charter = "charter",
    Vision = "vision",
    Roadmap = "roadmap",
    Guidelines = "guidelines",
    Code = "code",
});

vocabulary!(Pillar {
    PoliticalSecurity = "political_security",
    Economic = "economic",
    SocioCultural = "socio_cultural",
});

vocabulary!(ProgrammeKind {
    WorkProgramme = "work_programme",
    WorkPlan = "work_plan",
    PlanOfAction = "plan_of_action",
});

vocabulary!(NodeKind {
    StrategicPriority = "strategic_priority",
    KeyResultArea = "key_result_area",
    IntermediateGoal = "intermediate_goal",
    IntermediateTarget = "intermediate_target",
    ThematicArea = "thematic_area",
    PriorityArea = "priority_area",
    Thrust = "thrust",
    Heading = "heading",
});

vocabulary!(ActionKind {
    RecommendedAction = "recommended_action",
    Activity = "activity",
    Project = "project",
    Initiative = "initiative",
    Commitment = "commitment",
});

vocabulary!(
    /// Where an action stands. `Planned` is the default when the document says nothing.
    ActionStatus {
        Planned = "planned",
        Ongoing = "ongoing",
        Completed = "completed",
        ToBeConfirmed = "tbc",
        Absorbed = "absorbed",
    }
);

vocabulary!(MeetingKind {
    Ministerial = "ministerial",
    SeniorOfficials = "senior_officials",
    CoordinatingBoard = "coordinating_board",
    Forum = "forum",
    Conference = "conference",
    Seminar = "seminar",
    Workshop = "workshop",
    Training = "training",
    PolicyDialogue = "policy_dialogue",
    Mission = "mission",
    Competition = "competition",
    Summit = "summit",
    Other = "other",
});

vocabulary!(ConventionKind {
    Convention = "convention",
    Protocol = "protocol",
});

vocabulary!(ConventionCategory {
    Fundamental = "fundamental",
    Governance = "governance",
    Technical = "technical",
});

vocabulary!(RatificationEvent {
    Ratified = "ratified",
    InForce = "in_force",
    Denounced = "denounced",
});

vocabulary!(
    /// A member state's standing against a convention at a date.
    RatificationStatus {
        Ratified = "ratified",
        Denounced = "denounced",
        NotRatified = "not_ratified",
    }
);

vocabulary!(IndicatorKind {
    Quantitative = "quantitative",
    Qualitative = "qualitative",
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_round_trips() {
        for s in ActionStatus::ALL {
            assert_eq!(ActionStatus::parse(s.as_str()), Ok(*s));
        }
        let err = ActionStatus::parse("done").map(|_| ()).unwrap_err();
        assert!(err.0.contains("planned, ongoing, completed"), "{err}");
    }
}
