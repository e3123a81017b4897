//! graphql-js's standard introspection query (what GraphiQL, graphql-codegen, Apollo's tools
//! and Python `gql` send) runs at the default limits, without lifting them for data.

use serde_json::json;

use crate::helpers::{Backend, TestApp, on_both_backends};

/// `getIntrospectionQuery()` of graphql@16, with its default options.
const STANDARD: &str = include_str!("../fixtures/introspection.graphql");

async fn the_standard_introspection_query_runs_at_the_default_limits(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let data = app.as_admin().query(STANDARD, json!({})).await.data();
    let schema = &data["__schema"];
    assert_eq!(schema["queryType"]["name"], "Query");
    assert_eq!(schema["mutationType"]["name"], "Mutation");
    let student = schema["types"]
        .as_array()
        .unwrap()
        .iter()
        .find(|ty| ty["name"] == "Student")
        .expect("Student is introspected");
    assert!(student["fields"].as_array().is_some_and(|f| !f.is_empty()));
}

/// Fields outside introspection keep the depth limit, also next to an introspection query; an
/// introspection query nesting lists of types three deep is refused.
async fn introspection_opens_no_way_around_the_limits(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // 13 levels of fields: one more than the default 12.
    let deep = "__typename schools(first: 1) { nodes { students(first: 1) { nodes { enrollments(first: 1) { nodes { school {
        students(first: 1) { nodes { enrollments(first: 1) { nodes { school { name } } } } } } } } } } } }";
    let admin = app.as_admin();
    admin
        .query(&format!("{{ {deep} }}"), json!({}))
        .await
        .assert_bad_user_input("13 levels of fields; at most 12");
    admin
        .query(
            &format!("{{ __schema {{ queryType {{ name }} }} {deep} }}"),
            json!({}),
        )
        .await
        .assert_bad_user_input("nested too deep");
    let lists = "{ __type(name: \"Student\") { fields { type { ofType { fields { type { ofType { fields { name } } } } } } } } }";
    admin
        .query(lists, json!({}))
        .await
        .assert_bad_user_input("introspection nests 3");
    // Two lists deep, as far as graphql-js itself allows, runs.
    let two = "{ __type(name: \"Student\") { fields { type { ofType { fields { name } } } } } }";
    admin.query(two, json!({})).await.data();
}

async fn introspection_can_be_switched_off(backend: Backend) {
    let app = TestApp::spawn_with(backend, &["--introspection", "false"]).await;
    let admin = app.as_admin();
    admin
        .query(STANDARD, json!({}))
        .await
        .assert_bad_user_input("introspection (`__schema`, `__type`) is switched off");
    // Data still runs, `__typename` included.
    let data = admin
        .query("{ __typename district { name } }", json!({}))
        .await
        .data();
    assert_eq!(data["__typename"], "Query");
}

on_both_backends!(
    the_standard_introspection_query_runs_at_the_default_limits,
    introspection_opens_no_way_around_the_limits,
    introspection_can_be_switched_off,
);
