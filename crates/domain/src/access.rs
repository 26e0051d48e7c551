//! Who may do what: roles scoped to a body or a member state, and the one policy
//! function every write and every read of unpublished data goes through. Pure
//! rules, no I/O: the storage layer calls `authorize` inside the transaction of
//! the write it guards.

use crate::ParseError;
use std::fmt;

crate::vocab::vocabulary!(
    /// The roles of the accounts issue (#3).
    Role {
        Admin = "admin",
        BodySecretariat = "body_secretariat",
        FocalPoint = "focal_point",
        Validator = "validator",
        SocialPartner = "social_partner",
    }
);

/// A role with its scope: body secretariats and validators act for one body
/// (validators may act for all), focal points for one member state, social
/// partners (an employers' or workers' organisation, a civil-society network)
/// for their own organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub role: Role,
    pub body: Option<String>,
    pub member_state: Option<String>,
    pub partner: Option<String>,
}

impl Grant {
    /// Checks that the scope fits the role (roles other than social partner).
    pub fn new(role: Role, body: Option<String>, member_state: Option<String>) -> Result<Grant, ParseError> {
        Grant::scoped(role, body, member_state, None)
    }

    /// Checks that the scope fits the role, a partner included.
    pub fn scoped(
        role: Role,
        body: Option<String>,
        member_state: Option<String>,
        partner: Option<String>,
    ) -> Result<Grant, ParseError> {
        let ok = match role {
            Role::Admin => body.is_none() && member_state.is_none() && partner.is_none(),
            Role::BodySecretariat => body.is_some() && member_state.is_none() && partner.is_none(),
            Role::FocalPoint => body.is_none() && member_state.is_some() && partner.is_none(),
            Role::Validator => member_state.is_none() && partner.is_none(),
            Role::SocialPartner => body.is_none() && member_state.is_none() && partner.is_some(),
        };
        if ok {
            Ok(Grant { role, body, member_state, partner })
        } else {
            Err(ParseError(match role {
                Role::Admin => "an administrator has no body, member state or partner scope".into(),
                Role::BodySecretariat => "a body secretariat needs a body (--body) and no other scope".into(),
                Role::FocalPoint => "a focal point needs a member state (--member-state) and no other scope".into(),
                Role::Validator => "a validator is scoped to a body, or to all, never to a member state".into(),
                Role::SocialPartner => "a social partner needs its organisation (--partner) and no other scope".into(),
            }))
        }
    }
}

impl fmt::Display for Grant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.body, &self.member_state, &self.partner) {
            (Some(b), _, _) => write!(f, "{} of {b}", self.role),
            (_, Some(m), _) => write!(f, "{} of {m}", self.role),
            (_, _, Some(p)) => write!(f, "{} of {p}", self.role),
            _ => write!(f, "{}", self.role),
        }
    }
}

/// How a request reached Tripart, recorded in the audit trail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Web,
    Api,
    Cli,
    System,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Web => "web",
            Channel::Api => "api",
            Channel::Cli => "cli",
            Channel::System => "system",
        }
    }
}

/// A signed-in user and their grants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub user_id: String,
    pub email: String,
    pub grants: Vec<Grant>,
}

/// Who is acting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// No account: reads only what is published.
    Public,
    User(Principal, Channel),
    /// Tripart itself (seeding the catalogue).
    System,
    /// The person running the `tripart` command line on the server: they hold the
    /// database credentials, so they may do anything (creating the first
    /// administrator, for one); their writes are audited as the command line's.
    Operator,
}

impl Actor {
    pub fn label(&self) -> &str {
        match self {
            Actor::Public => "public",
            Actor::User(p, _) => &p.email,
            Actor::System => "system",
            Actor::Operator => "command line",
        }
    }
    pub fn user_id(&self) -> Option<&str> {
        match self {
            Actor::User(p, _) => Some(&p.user_id),
            _ => None,
        }
    }
    pub fn channel(&self) -> Channel {
        match self {
            Actor::User(_, c) => *c,
            Actor::Public => Channel::Web,
            Actor::System => Channel::System,
            Actor::Operator => Channel::Cli,
        }
    }
    fn grants(&self) -> &[Grant] {
        match self {
            Actor::User(p, _) => &p.grants,
            _ => &[],
        }
    }
}

/// The bodies and member states a record belongs to, as the policy sees it: an
/// action belongs to its responsible bodies and the owner of its programme, and to
/// the member states that coordinate it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    pub bodies: Vec<String>,
    pub member_states: Vec<String>,
}

/// What an actor asks to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operation {
    /// Create users, grant roles, reset passwords, revoke sessions.
    ManageUsers,
    /// Browse and export the audit trail.
    ReadAudit,
    /// Change a catalogue record's content (title, description, calendar, …).
    EditRecord(Scope),
    /// Change where an action stands (its status): also the coordinating states'.
    UpdateProgress(Scope),
    /// Retire a record (it stays, hidden from lists) or bring it back.
    RetireRecord(Scope),
    /// Delete for good; itself audited.
    Purge,
    /// Read what is not yet published.
    ReadUnpublished(Scope),
    /// Submit or change data for a member state.
    SubmitFor { member_state: String },
    /// Review, return or validate what focal points submit.
    Validate(Scope),
    /// Report, as one's own organisation (an employers' or workers' organisation,
    /// a civil-society network), on a member state's implementation.
    ReportAsPartner { partner: String },
}

/// Why something was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denied(pub String);

impl fmt::Display for Denied {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The policy. `Ok` if `actor` may do `op`; otherwise why not.
pub fn authorize(actor: &Actor, op: &Operation) -> Result<(), Denied> {
    if matches!(actor, Actor::System | Actor::Operator) {
        return Ok(());
    }
    let grants = actor.grants();
    if grants.iter().any(|g| g.role == Role::Admin) {
        return Ok(());
    }
    let secretariat_of = |scope: &Scope| {
        grants
            .iter()
            .any(|g| g.role == Role::BodySecretariat && g.body.as_ref().is_some_and(|b| scope.bodies.contains(b)))
    };
    let focal_point_of = |states: &[String]| {
        grants.iter().any(|g| g.role == Role::FocalPoint && g.member_state.as_ref().is_some_and(|m| states.contains(m)))
    };
    let validator_of = |scope: &Scope| {
        grants.iter().any(|g| g.role == Role::Validator && g.body.as_ref().is_none_or(|b| scope.bodies.contains(b)))
    };
    let allowed = match op {
        Operation::ManageUsers | Operation::ReadAudit | Operation::Purge => false,
        Operation::EditRecord(scope) | Operation::RetireRecord(scope) => secretariat_of(scope),
        Operation::UpdateProgress(scope) => secretariat_of(scope) || focal_point_of(&scope.member_states),
        Operation::ReadUnpublished(scope) => {
            secretariat_of(scope) || focal_point_of(&scope.member_states) || validator_of(scope)
        }
        Operation::SubmitFor { member_state } => focal_point_of(std::slice::from_ref(member_state)),
        Operation::Validate(scope) => validator_of(scope),
        Operation::ReportAsPartner { partner } => {
            grants.iter().any(|g| g.role == Role::SocialPartner && g.partner.as_deref() == Some(partner.as_str()))
        }
    };
    if allowed {
        Ok(())
    } else if matches!(actor, Actor::Public) {
        Err(Denied("sign in first: this needs an account".into()))
    } else {
        Err(Denied(format!("{} may not {}", actor.label(), describe(op))))
    }
}

fn describe(op: &Operation) -> String {
    let scope_text = |s: &Scope| {
        let mut parts: Vec<String> = s.bodies.clone();
        parts.extend(s.member_states.iter().cloned());
        if parts.is_empty() {
            String::new()
        } else {
            format!(" of {}", parts.join(", "))
        }
    };
    match op {
        Operation::ManageUsers => "manage users and roles".into(),
        Operation::ReadAudit => "read the audit trail".into(),
        Operation::EditRecord(s) => format!("edit records{}", scope_text(s)),
        Operation::UpdateProgress(s) => format!("update the progress of actions{}", scope_text(s)),
        Operation::RetireRecord(s) => format!("retire records{}", scope_text(s)),
        Operation::Purge => "purge records".into(),
        Operation::ReadUnpublished(s) => format!("read unpublished data{}", scope_text(s)),
        Operation::SubmitFor { member_state } => format!("submit data for {member_state}"),
        Operation::Validate(s) => format!("validate submissions{}", scope_text(s)),
        Operation::ReportAsPartner { partner } => format!("report as {partner}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(grants: Vec<Grant>) -> Actor {
        Actor::User(Principal { user_id: "u".into(), email: "u@example.org".into(), grants }, Channel::Api)
    }
    fn fp(ms: &str) -> Actor {
        user(vec![Grant::new(Role::FocalPoint, None, Some(ms.into())).unwrap()])
    }
    fn sec(body: &str) -> Actor {
        user(vec![Grant::new(Role::BodySecretariat, Some(body.into()), None).unwrap()])
    }
    fn scope(bodies: &[&str], states: &[&str]) -> Scope {
        Scope {
            bodies: bodies.iter().map(|s| s.to_string()).collect(),
            member_states: states.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn scopes_must_fit_roles() {
        assert!(Grant::new(Role::FocalPoint, None, None).is_err());
        assert!(Grant::new(Role::FocalPoint, Some("acmw".into()), Some("MYS".into())).is_err());
        assert!(Grant::new(Role::BodySecretariat, None, None).is_err());
        assert!(Grant::new(Role::Admin, Some("acmw".into()), None).is_err());
        assert!(Grant::new(Role::Validator, None, None).is_ok());
    }

    #[test]
    fn a_focal_point_acts_for_its_own_country_only() {
        let mys = fp("MYS");
        let thai_action = scope(&["slom"], &["THA"]);
        assert!(authorize(&mys, &Operation::UpdateProgress(thai_action.clone())).is_err());
        assert!(authorize(&mys, &Operation::ReadUnpublished(thai_action.clone())).is_err());
        assert!(authorize(&mys, &Operation::SubmitFor { member_state: "THA".into() }).is_err());
        assert!(authorize(&mys, &Operation::EditRecord(thai_action)).is_err());
        let own = scope(&["slom-wg"], &["MYS"]);
        assert!(authorize(&mys, &Operation::UpdateProgress(own.clone())).is_ok());
        assert!(authorize(&mys, &Operation::ReadUnpublished(own.clone())).is_ok());
        assert!(authorize(&mys, &Operation::SubmitFor { member_state: "MYS".into() }).is_ok());
        // Content of the catalogue belongs to the bodies, not to the coordinators.
        assert!(authorize(&mys, &Operation::EditRecord(own)).is_err());
        for op in [Operation::ManageUsers, Operation::ReadAudit, Operation::Purge] {
            assert!(authorize(&mys, &op).is_err(), "{op:?}");
        }
    }

    #[test]
    fn a_body_secretariat_acts_for_its_body_only() {
        let acmw = sec("acmw");
        assert!(authorize(&acmw, &Operation::EditRecord(scope(&["acmw"], &[]))).is_ok());
        assert!(authorize(&acmw, &Operation::RetireRecord(scope(&["acmw"], &[]))).is_ok());
        assert!(authorize(&acmw, &Operation::EditRecord(scope(&["slom-wg"], &["THA"]))).is_err());
        assert!(authorize(&acmw, &Operation::ManageUsers).is_err());
        assert!(authorize(&acmw, &Operation::Validate(scope(&["acmw"], &[]))).is_err());
    }

    #[test]
    fn validators_validate_within_their_scope() {
        let v = user(vec![Grant::new(Role::Validator, Some("slom".into()), None).unwrap()]);
        assert!(authorize(&v, &Operation::Validate(scope(&["slom"], &[]))).is_ok());
        assert!(authorize(&v, &Operation::Validate(scope(&["acmw"], &[]))).is_err());
        let all = user(vec![Grant::new(Role::Validator, None, None).unwrap()]);
        assert!(authorize(&all, &Operation::Validate(scope(&["acmw"], &[]))).is_ok());
        assert!(authorize(&all, &Operation::EditRecord(scope(&["acmw"], &[]))).is_err());
    }

    #[test]
    fn the_public_reads_only_what_is_published_and_admins_do_anything() {
        assert!(authorize(&Actor::Public, &Operation::ReadUnpublished(Scope::default())).is_err());
        assert!(authorize(&Actor::Public, &Operation::UpdateProgress(scope(&[], &["MYS"]))).is_err());
        let admin = user(vec![Grant::new(Role::Admin, None, None).unwrap()]);
        for op in [Operation::ManageUsers, Operation::Purge, Operation::EditRecord(scope(&["acmw"], &[]))] {
            assert!(authorize(&admin, &op).is_ok());
        }
    }
}
