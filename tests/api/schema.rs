//! The checked-in SDL is what the server serves, and everything in it is described.

use serde_json::json;

use crate::helpers::{Backend, TestApp};

#[test]
fn checked_in_schema_matches_the_served_schema() {
    let checked_in =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql"))
            .expect("schema.graphql at the root");
    assert!(
        checked_in == ssw_api::schema::sdl(),
        "schema.graphql is out of date: run `cargo run -p ssw-api -- schema > schema.graphql`"
    );
}

/// Introspects the live server and lists every type, field, argument and enum value without a
/// description.
#[tokio::test]
async fn every_type_and_field_is_described() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let query = "{ __schema { types { name description fields { name description args { name description } }
        inputFields { name description } enumValues { name description } } } }";
    let data = app.as_admin().query(query, json!({})).await.data();
    let mut undescribed = Vec::new();
    let described = |v: &serde_json::Value| {
        v["description"]
            .as_str()
            .is_some_and(|d| !d.trim().is_empty())
    };
    for ty in data["__schema"]["types"].as_array().unwrap() {
        let name = ty["name"].as_str().unwrap();
        if name.starts_with("__") || ["String", "Int", "Float", "Boolean", "ID"].contains(&name) {
            continue;
        }
        if !described(ty) {
            undescribed.push(name.to_string());
        }
        for list in ["fields", "inputFields", "enumValues"] {
            for member in ty[list].as_array().into_iter().flatten() {
                if !described(member) {
                    undescribed.push(format!("{name}.{}", member["name"].as_str().unwrap()));
                }
                for arg in member["args"].as_array().into_iter().flatten() {
                    let arg_name = arg["name"].as_str().unwrap();
                    // The Relay connection arguments are documented once, in README.md.
                    if !described(arg) && !["first", "after", "last", "before"].contains(&arg_name)
                    {
                        undescribed.push(format!(
                            "{name}.{}({arg_name})",
                            member["name"].as_str().unwrap()
                        ));
                    }
                }
            }
        }
    }
    assert!(
        undescribed.is_empty(),
        "without a description: {undescribed:?}"
    );
}
