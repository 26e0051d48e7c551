//! The home page renders from the seeded catalogue.

mod common;

#[tokio::test]
async fn home_page_shows_the_catalogue_at_a_glance() {
    let app = common::spawn_sqlite_app().await;
    let (status, html) = app.text("/").await;
    assert_eq!(status, 200);
    assert!(html.contains("<html lang=\"en\">"), "{html}");
    assert!(html.contains("ASEAN Labour Ministers"), "programmes listed");
    assert!(html.contains("href=\"/programmes/alm-wp-2016-2020\""));
    app.stop().await;
}
