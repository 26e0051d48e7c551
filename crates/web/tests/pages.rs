//! The server-rendered pages: each answers for a real record with the content a
//! reader needs, refuses bad input with a page that says what is wrong, and never
//! lets stored text through unescaped.

mod common;

use common::TestApp;
use tripart_storage::Value;

// Askama escapes `&` in attribute values as `&#38;`.

/// The part of `html` from the first `start` to the next `end` after it.
fn segment<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("`{start}` not in page"));
    let rest = &html[from..];
    let to = rest.find(end).unwrap_or(rest.len());
    &rest[..to]
}

async fn page(app: &TestApp, path: &str) -> String {
    let (status, html) = app.text(path).await;
    assert_eq!(status, 200, "{path}: {html}");
    assert!(html.contains("<main id=\"main\">"), "{path} has the page layout");
    html
}

#[tokio::test]
async fn every_section_answers_with_its_key_content() {
    let app = common::spawn_sqlite_app().await;
    for (path, expected) in [
        ("/programmes", "href=\"/programmes/alm-wp-2016-2020\""),
        ("/actions", "href=\"/actions/"),
        ("/bodies", "href=\"/bodies/slom-wg\""),
        ("/bodies/slom-wg", "href=\"/programmes/slom-wg-wp-2011-2015\""),
        ("/partners", "href=\"/partners/ilo\""),
        ("/partners/ilo", "href=\"/meetings/afml-5\""),
        ("/member-states", "href=\"/member-states/VNM\""),
        ("/member-states/KHM", "href=\"/meetings/afml-5\""),
        ("/meetings", "href=\"/meetings/afml-5\""),
        ("/ratifications", "href=\"/conventions/C087\""),
        ("/conventions", "href=\"/conventions/C105\""),
        ("/conventions/C105", "href=\"/member-states/MYS\""),
        ("/indicators", "EAP_DWAP_SEX_AGE_RT"),
        ("/glossary", "Senior Labour Officials Meeting"),
        ("/instruments", "B.2.i"),
        ("/instruments/ascc-blueprint-2009", "B.2.i"),
    ] {
        let html = page(&app, path).await;
        assert!(html.contains(expected), "{path} should contain {expected}");
    }
    app.stop().await;
}

#[tokio::test]
async fn navigation_marks_the_current_section() {
    let app = common::spawn_sqlite_app().await;
    let html = page(&app, "/meetings").await;
    assert!(html.contains("<a href=\"/meetings\" aria-current=\"page\">"), "{html}");
    let html = page(&app, "/meetings/afml-5").await;
    assert!(html.contains("<a href=\"/meetings\" aria-current=\"true\">"), "{html}");
    assert_eq!(html.matches("aria-current").count(), 1);
    for section in
        ["/programmes", "/actions", "/bodies", "/member-states", "/ratifications", "/indicators", "/glossary"]
    {
        assert!(html.contains(&format!("<a href=\"{section}\"")), "nav links {section}");
    }
    app.stop().await;
}

#[tokio::test]
async fn programme_page_nests_actions_under_the_structure_and_shows_absorption() {
    let app = common::spawn_sqlite_app().await;
    let html = page(&app, "/programmes/slom-wg-wp-2011-2015").await;
    // 7.3 is absorbed into 7.2, and says so in text beside its badge.
    let item = segment(&html, "id=\"a-slom-wg-wp-2011-2015.7.3\"", "</li>");
    assert!(item.contains(">Absorbed</span>"), "{item}");
    assert!(item.contains("Absorbed into <a href=\"/actions/slom-wg-wp-2011-2015.7.2\">7.2</a>"), "{item}");
    // Activities sit in a list inside their action's item, under the thematic area.
    let area = segment(&html, "id=\"slom-wg-wp-2011-2015.ta-1\"", "id=\"slom-wg-wp-2011-2015.ta-2\"");
    assert!(area.contains("Human Resources"), "{area}");
    let action = segment(area, "id=\"a-slom-wg-wp-2011-2015.1.1\"", "</ul>");
    assert!(action.contains("<ul class=\"activities\">"), "{action}");
    assert!(action.contains("id=\"a-slom-wg-wp-2011-2015.1.1.a\""), "{action}");
    assert!(action.contains("Calendar: 9 May 2012"), "{action}");
    assert!(action.contains("Coordinators: <a href=\"/member-states/KHM\">Cambodia</a>"), "{action}");
    // The citation closes the page.
    let source = segment(&html, "<section class=\"source\"", "</section>");
    assert!(source.contains("catalogue/programmes/slom-wg-wp-2011-2015/work-plan.toml"), "{source}");
    app.stop().await;
}

#[tokio::test]
async fn action_page_shows_its_links_between_plans_and_its_source() {
    let app = common::spawn_sqlite_app().await;
    let html = page(&app, "/actions/slom-wg-wp-2011-2015.7.3").await;
    assert!(html.contains("Identify capacity-building needs of labour inspectorates"), "{html}");
    assert!(html.contains("href=\"/actions/slom-wg-wp-2011-2015.7.2\""), "absorbed into 7.2");
    assert!(html.contains("href=\"/actions/alm-wp-2010-2015.t3-11\""), "carries the ALM action");
    assert!(html.contains("(as the document states)"), "status stated");
    assert!(html.contains("catalogue/programmes/slom-wg-wp-2011-2015/work-plan.toml"), "source");
    let carried = page(&app, "/actions/alm-wp-2010-2015.t3-11").await;
    assert!(carried.contains("href=\"/actions/slom-wg-wp-2011-2015.7.3\""), "carried by 7.3");
    app.stop().await;
}

#[tokio::test]
async fn action_list_filters_and_pages_with_previous_and_next_links() {
    let app = common::spawn_sqlite_app().await;
    let html = page(&app, "/actions?status=completed&programme=slom-wg-wp-2011-2015").await;
    let body = segment(&html, "<tbody>", "</main>");
    assert!(body.contains(">Completed</span>"), "{body}");
    for other in [">Planned</span>", ">Ongoing</span>", ">To be confirmed</span>"] {
        assert!(!body.contains(other), "only completed actions: {other}");
    }
    assert!(html.contains("<option value=\"completed\" selected>"), "the form keeps the filter");
    // A submitted form sends empty fields: they mean "any".
    page(&app, "/actions?programme=&body=&member_state=&status=&year=&q=").await;
    let first = page(&app, "/actions?limit=10").await;
    assert!(first.contains("href=\"/actions?limit=10&#38;offset=10\" rel=\"next\""), "next link");
    assert!(!first.contains("rel=\"prev\""), "no previous link on the first page");
    let second = page(&app, "/actions?status=planned&limit=10&offset=10").await;
    assert!(second.contains("href=\"/actions?status=planned&#38;limit=10&#38;offset=0\" rel=\"prev\""), "{second}");
    assert!(second.contains("Items 11–20 of"), "{second}");
    app.stop().await;
}

#[tokio::test]
async fn meeting_page_lists_numbered_recommendations_under_their_headings() {
    let app = common::spawn_sqlite_app().await;
    let html = page(&app, "/meetings/afml-5").await;
    assert!(html.contains("9 October 2012 – 10 October 2012"), "date");
    assert!(html.contains("<a href=\"/member-states/KHM\">Cambodia</a>"), "host");
    assert!(html.contains("Siem Reap"), "city");
    assert_eq!(html.matches("class=\"rec top\"").count(), 21, "21 numbered recommendations");
    assert!(html.contains("21 numbered recommendations."));
    let first = segment(&html, "<section class=\"rec-group\">", "</section>");
    assert!(first.contains("<h3>(a) Promote universal human rights"), "{first}");
    // 1.1 to 1.5 are items of recommendation 1, in a list inside it.
    let one = segment(first, "id=\"rec-afml-5.1\"", "</ol>");
    assert!(one.contains("<ol class=\"recs\">"), "{one}");
    assert!(one.contains("<span class=\"num\">1.5</span>"), "{one}");
    // Headings come in the document's order, each once.
    let (a, b) = (html.find("(a) Promote universal"), html.find("(b) Promote transparency"));
    assert!(a < b && a.is_some(), "headings in order");
    assert_eq!(html.matches("<h3>(b) Promote transparency").count(), 1);
    app.stop().await;
}

#[tokio::test]
async fn meeting_list_filters_by_series_body_host_and_year() {
    let app = common::spawn_sqlite_app().await;
    let html = page(&app, "/meetings?series=afml&year=2012").await;
    assert!(html.contains("href=\"/meetings/afml-5\""), "{html}");
    assert!(!html.contains("href=\"/meetings/afml-4\""), "2011 is filtered out");
    let html = page(&app, "/meetings?member_state=KHM&body=&q=").await;
    assert!(html.contains("href=\"/meetings/afml-5\""), "{html}");
    assert!(!html.contains("href=\"/meetings/afml-4\""), "Indonesia hosted AFML-4");
    app.stop().await;
}

#[tokio::test]
async fn ratification_matrix_shows_malaysias_c105_denounced_in_2013() {
    let app = common::spawn_sqlite_app().await;
    let html = page(&app, "/ratifications?as_of=2013-11-01&category=fundamental").await;
    assert!(html.contains("Member states and conventions on 1 November 2013"), "caption");
    let header = segment(&html, "<thead>", "</thead>");
    let columns: Vec<&str> = header.split("<th scope=\"col\">").skip(2).collect();
    let c105 = columns.iter().position(|c| c.contains(">C105</a>")).unwrap_or_else(|| panic!("no C105: {header}"));
    assert!(columns[c105].contains("Abolition of forced labour") && columns[c105].contains("Fundamental"));
    let row = segment(&html, ">Malaysia</a></th>", "</tr>");
    let cells: Vec<&str> = row.split("<td ").skip(1).collect();
    assert!(cells[c105].starts_with("class=\"cell-denounced\">Denounced"), "{}", cells[c105]);
    assert!(cells[c105].contains("10 January 1990"), "{}", cells[c105]);
    assert!(html.contains("href=\"/ratifications?as_of=2013-11-01&#38;category=fundamental\""), "annex link");
    assert!(html.contains("href=\"/ratifications?category=fundamental\""), "today link");
    app.stop().await;
}

#[tokio::test]
async fn indicators_are_grouped_by_set_and_link_the_adopting_meeting() {
    let app = common::spawn_sqlite_app().await;
    let html = page(&app, "/indicators").await;
    let lmis = html.find(">LMIS common indicators</h2>").unwrap_or_else(|| panic!("LMIS set"));
    let osh = html.find(">ASEAN-OSHNET scorecard</h2>").unwrap_or_else(|| panic!("OSHNET set"));
    assert!(lmis < osh);
    assert!(html.contains("Quantitative indicators") && html.contains("Qualitative indicators"));
    assert!(html.contains("href=\"/meetings/lmis-workshop-2011#rec-lmis-workshop-2011.3\""), "adopted by");
    app.stop().await;
}

#[tokio::test]
async fn unknown_records_get_a_not_found_page() {
    let app = common::spawn_sqlite_app().await;
    for path in [
        "/programmes/no-such-plan",
        "/programmes/Not%20an%20id",
        "/actions/no-such-action",
        "/bodies/nobody",
        "/partners/nobody",
        "/member-states/XYZ",
        "/member-states/toolong",
        "/meetings/no-such-meeting",
        "/conventions/C999",
        "/instruments/none",
    ] {
        let (status, html) = app.text(path).await;
        assert_eq!(status, 404, "{path}");
        assert!(html.contains("<h1>Page not found</h1>") && html.contains("There is no"), "{path}: {html}");
    }
    app.stop().await;
}

#[tokio::test]
async fn malformed_filters_get_a_bad_request_page_naming_the_parameter() {
    let app = common::spawn_sqlite_app().await;
    for (path, parameter) in [
        ("/actions?year=20x1", "year"),
        ("/actions?status=done", "status"),
        ("/actions?colour=red", "colour"),
        ("/actions?offset=-5", "offset"),
        ("/meetings?member_state=Cambodia", "member_state"),
        ("/ratifications?as_of=2013-13-01", "as_of"),
        ("/ratifications?category=core", "category"),
    ] {
        let (status, html) = app.text(path).await;
        assert_eq!(status, 400, "{path}");
        assert!(html.contains(&format!("The value given for “{parameter}” cannot be used")), "{path}: {html}");
    }
    app.stop().await;
}

#[tokio::test]
async fn stored_text_is_escaped_on_the_page() {
    let app = common::spawn_sqlite_app().await;
    let hostile = "<script>alert(1)</script> & ILO";
    app.db()
        .execute(
            "INSERT INTO recommendation (id, meeting, number, heading, text, position, source_document, source_section, source_file) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            &[
                Value::from("afml-5.99"),
                Value::from("afml-5"),
                Value::from("99"),
                Value::from("<b>heading</b>"),
                Value::from(hostile),
                Value::from(9999_i64),
                Value::from("test"),
                Value::from("test"),
                Value::from("test.toml"),
            ],
        )
        .await
        .unwrap_or_else(|e| panic!("insert: {e}"));
    let html = page(&app, "/meetings/afml-5").await;
    assert!(!html.contains("<script>alert(1)</script>"), "raw script must not reach the page");
    assert!(!html.contains("<b>heading</b>"));
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; <abbr"),
        "escaped, abbreviations still expanded"
    );
    assert!(html.contains("&lt;b&gt;heading&lt;/b&gt;"));
    app.stop().await;
}

/// The keys the templates use, by the three ways of asking for a message.
fn template_keys() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let mut keys = Vec::new();
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for call in ["t.get(\"", "t.count(\"", "t.with(\""] {
            for piece in text.split(call).skip(1) {
                let key = piece.split('"').next().unwrap_or_default();
                keys.push((path.file_name().unwrap_or_default().to_string_lossy().into_owned(), key.to_string()));
            }
        }
    }
    keys
}

#[test]
fn every_message_the_pages_use_exists_in_english() {
    let keys = template_keys();
    assert!(keys.len() > 100, "the scan found the templates' keys ({})", keys.len());
    let mut missing: Vec<String> =
        keys.iter().filter(|(_, k)| !tripart_web::has_message(k)).map(|(f, k)| format!("{f}: {k}")).collect();
    // Keys the handlers and `Tr` build in Rust.
    let mut built: Vec<String> = [
        "error-bad-request",
        "error-bad-parameter",
        "error-not-found",
        "error-database",
        "date-day",
        "date-month",
        "list-range",
        "programme-not-found",
        "action-not-found",
        "body-not-found",
        "partner-not-found",
        "member-state-not-found",
        "meeting-not-found",
        "convention-not-found",
        "instrument-not-found",
        "indicator-set-lmis-common",
        "indicator-set-oshnet-scorecard",
        "party-secretariat",
        "party-all_member_states",
        "party-tbc",
        "date-instant",
        "users-not-found",
        "user-status-active",
        "user-status-disabled",
        "channel-web",
        "channel-api",
        "channel-cli",
        "channel-system",
    ]
    .iter()
    .map(|k| k.to_string())
    .collect();
    built.extend((1..=12).map(|m| format!("month-{m}")));
    // Vocabulary labels: `t.label(prefix, value)` reads `prefix-value`.
    use tripart_domain::vocab::*;
    let vocabularies: [(&str, &[&str]); 12] = [
        ("status", ActionStatus::names()),
        ("action-kind", ActionKind::names()),
        ("programme-kind", ProgrammeKind::names()),
        ("node-kind", NodeKind::names()),
        ("body-kind", BodyKind::names()),
        ("partner-kind", PartnerKind::names()),
        ("meeting-kind", MeetingKind::names()),
        ("instrument-kind", InstrumentKind::names()),
        ("category", ConventionCategory::names()),
        ("convention-kind", ConventionKind::names()),
        ("event", RatificationEvent::names()),
        ("standing", RatificationStatus::names()),
    ];
    for (prefix, names) in vocabularies {
        built.extend(names.iter().map(|n| format!("{prefix}-{n}")));
    }
    built.extend(IndicatorKind::names().iter().map(|n| format!("indicator-kind-{n}")));
    built.extend(tripart_domain::access::Role::names().iter().map(|n| format!("role-{n}")));
    missing.extend(built.into_iter().filter(|k| !tripart_web::has_message(k)));
    assert!(missing.is_empty(), "missing in locales/en/main.ftl: {missing:#?}");
}
