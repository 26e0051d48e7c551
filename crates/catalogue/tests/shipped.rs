//! The catalogue shipped in this repository is valid, complete by its own counts,
//! and consistent with what the seed documents say.

use std::path::PathBuf;
use tripart_catalogue::{load_dir, Catalogue, Party};

fn shipped() -> Catalogue {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../catalogue");
    match load_dir(&dir) {
        Ok(r) => r.catalogue,
        Err(errors) => panic!("{}", errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n")),
    }
}

#[test]
fn every_section_count_matches_the_document() {
    let cat = shipped();
    let lines = cat.count_report();
    assert!(lines.len() > 50);
    let wrong: Vec<_> = lines.iter().filter(|l| l.expected != l.found).collect();
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn every_entry_cites_a_document_and_section() {
    let cat = shipped();
    for (kind, s) in cat.sources() {
        assert!(!s.document.trim().is_empty() && !s.section.trim().is_empty(), "{kind} in {} cites nothing", s.file);
    }
}

#[test]
fn the_seeds_ten_member_states_and_timor_leste_are_there() {
    let cat = shipped();
    let mut codes: Vec<&str> = cat.member_states.iter().map(|m| m.code.as_str()).collect();
    codes.sort();
    assert_eq!(codes, ["BRN", "IDN", "KHM", "LAO", "MMR", "MYS", "PHL", "SGP", "THA", "TLS", "VNM"]);
    let tls = cat.member_states.iter().find(|m| m.code == "TLS").map(|m| m.joined.as_str());
    assert_eq!(tls, Some("2025-10-26"));
}

#[test]
fn the_lmis_workshop_adopted_seven_common_indicators() {
    let cat = shipped();
    let lmis: Vec<_> = cat.indicators.iter().filter(|i| i.set == "lmis-common").collect();
    assert_eq!(lmis.len(), 7);
    assert!(lmis.iter().all(|i| i.adopted_by.as_deref() == Some("lmis-workshop-2011.3")));
}

#[test]
fn the_fifth_forum_adopted_twenty_one_recommendations() {
    let cat = shipped();
    let top = cat.recommendations.iter().filter(|r| r.meeting == "afml-5" && r.parent.is_none()).count();
    assert_eq!(top, 21);
}

#[test]
fn subsidiary_work_plan_actions_link_to_the_work_programme_they_carry() {
    let cat = shipped();
    let slom_wg =
        cat.actions.iter().filter(|a| a.programme == "slom-wg-wp-2011-2015" && a.kind.as_str() == "recommended_action");
    for a in slom_wg {
        assert!(a.carries.iter().all(|c| c.starts_with("alm-wp-2010-2015.")), "{}", a.id);
    }
    let lmis = cat.actions.iter().find(|a| a.id == "slom-wg-wp-2011-2015.8.1.a").map(|a| a.coordinators.clone());
    assert_eq!(lmis, Some(vec![Party::MemberState("VNM".into())]));
}
