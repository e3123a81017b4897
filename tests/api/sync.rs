//! SIS sync, the bulk push: `syncSchools`, `syncStaff`, `syncStudents`, `syncGuardians`,
//! `syncEnrollments`, `syncAttendance` over HTTP.

mod attendance;
mod children;
mod delta;
mod full;
mod retries;

use serde_json::{Value, json};

use crate::helpers::Client;

const RESULT: &str = "applied summary { created updated unchanged closed failed } results { index sourcedId status id changed errors { field code } } closedSourcedIds userErrors { field code } replayed";

/// Pushes `records` with `options` through `mutation` (for example `syncStudents`) and returns
/// its payload.
pub async fn push(client: &Client, mutation: &str, options: Value, records: Value) -> Value {
    let input_type = format!("Sync{}Input", &mutation[4..]);
    let mut input = options;
    input["sourceSystem"] = json!("sis");
    input["records"] = records;
    let query =
        format!("mutation($input: {input_type}!) {{ {mutation}(input: $input) {{ {RESULT} }} }}");
    client.query(&query, json!({ "input": input })).await.data()[mutation].clone()
}

/// Pushes `schools` and `students` (records; an empty list is skipped), for a later push to
/// refer to.
pub async fn push_roster(client: &Client, schools: Value, students: Value) {
    for (mutation, records) in [("syncSchools", schools), ("syncStudents", students)] {
        if records.as_array().is_some_and(|r| !r.is_empty()) {
            let payload = push(client, mutation, json!({}), records).await;
            assert_eq!(payload["applied"], true, "{payload}");
        }
    }
}

pub fn statuses(payload: &Value) -> Vec<&str> {
    payload["results"]
        .as_array()
        .unwrap_or_else(|| panic!("results in {payload}"))
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect()
}

pub fn student(id: &str, last: &str, grade: &str) -> Value {
    json!({ "sourcedId": id, "legalFirstName": "Ana", "legalLastName": last, "gradeLevel": grade })
}

pub fn school(id: &str, name: &str) -> Value {
    json!({ "sourcedId": id, "name": name, "lowestGrade": "KG", "highestGrade": "05" })
}

/// Enrollment `e<i>` of student `st<i>` at `school`.
pub fn enrollment(i: usize, school: &str) -> Value {
    json!({ "sourcedId": format!("e{i}"), "studentSourcedId": format!("st{i}"),
            "schoolSourcedId": school, "entryDate": "2020-08-20", "gradeLevel": "03" })
}
