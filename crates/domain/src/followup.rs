//! Following up recommendations (issue 6): reporting cycles tied to meetings, and
//! each member state's implementation of each recommendation as reported by its
//! government and by the employers', workers' and civil-society voices, none of
//! which overwrites another.

use crate::vocab::vocabulary;

vocabulary!(
    /// Where a recommendation stands in a member state, as one voice reports it.
    ImplementationStatus {
        NoInformation = "no_information",
        NotStarted = "not_started",
        InProgress = "in_progress",
        PartiallyImplemented = "partially_implemented",
        Implemented = "implemented",
        NotApplicable = "not_applicable",
    }
);

impl ImplementationStatus {
    /// A recommendation reported implemented (or not applicable) stops carrying
    /// forward to later cycles for that member state.
    pub fn is_settled(self) -> bool {
        matches!(self, ImplementationStatus::Implemented | ImplementationStatus::NotApplicable)
    }
}

vocabulary!(
    /// Who reports: the tripartite partners and civil society each speak for themselves.
    Voice {
        Government = "government",
        Employers = "employers",
        Workers = "workers",
        CivilSociety = "civil_society",
    }
);

impl Voice {
    /// The voice a partner of this kind (the catalogue's partner kinds) speaks
    /// with, if it is one of the social partners at all.
    pub fn of_partner_kind(kind: &str) -> Option<Voice> {
        match kind {
            "employers" => Some(Voice::Employers),
            "workers" => Some(Voice::Workers),
            "civil_society" => Some(Voice::CivilSociety),
            _ => None,
        }
    }
}

vocabulary!(CycleStatus {
    Open = "open",
    Closed = "closed",
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_implemented_or_not_applicable_settle_a_recommendation() {
        assert!(ImplementationStatus::Implemented.is_settled());
        assert!(ImplementationStatus::NotApplicable.is_settled());
        assert!(!ImplementationStatus::PartiallyImplemented.is_settled());
        assert_eq!(Voice::parse("workers"), Ok(Voice::Workers));
    }
}
