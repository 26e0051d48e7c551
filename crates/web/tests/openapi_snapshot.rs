//! The OpenAPI document is snapshotted, so that every change to the API's contract
//! shows in review as a change to `tests/snapshots/`.

#[test]
fn the_openapi_document_changes_only_on_purpose() {
    let doc = serde_json::to_value(tripart_web::openapi_document()).unwrap_or_else(|e| panic!("{e}"));
    insta::assert_json_snapshot!("openapi", doc);
}
