//! Malformed sets are refused at file, line and column, with nothing written; a set with a
//! BOM, CRLF line ends and `metadata.*` columns is read; the CLI imports a folder.

use super::set::{DEMOGRAPHICS, ORGS, Set, places, upload};
use crate::helpers::{Backend, TestApp, on_both_backends};

/// Each malformed set, and where its first problem is.
fn malformed() -> Vec<(&'static str, Set, &'static str)> {
    let orgs_twice = format!("{ORGS}s2,,,Adams Again,school,,d1\n");
    let bad_date = DEMOGRAPHICS.replace("2016-05-04", "2016-13-04");
    let swapped = ORGS.replacen("name,type", "type,name", 1);
    let unknown_school = super::set::enrollments().replace("e4,,,c3,s2,", "e4,,,c3,s9,");
    let no_grade = super::set::users().replace(",p1,04,", ",p1,,");
    let two_districts = format!("{ORGS}d2,,,Hillside District,district,HSD,\n");
    vec![
        ("no manifest", Set::bulk().without_manifest(), "manifest.csv:0:-"),
        ("a duplicate sourcedId", Set::bulk().file("orgs", "bulk", orgs_twice), "orgs.csv:5:sourcedId"),
        ("a bad date", Set::bulk().file("demographics", "bulk", bad_date), "demographics.csv:2:birthDate"),
        ("a wrong header order", Set::bulk().file("orgs", "bulk", swapped), "orgs.csv:1:type"),
        ("an unknown reference", Set::bulk().file("enrollments", "bulk", unknown_school), "enrollments.csv:5:schoolSourcedId"),
        ("two district orgs", Set::bulk().file("orgs", "bulk", two_districts), "orgs.csv:5:type"),
        ("a student without a grade", Set::bulk().file("users", "bulk", no_grade), "users.csv:3:grades"),
        ("a file with no rows", Set::bulk().file("roles", "bulk", "sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId,userProfileSourcedId\n"), "roles.csv:1:-"),
    ]
}

async fn malformed_sets_are_refused_where_they_are_wrong(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let sis = app.as_sis();
    for (what, set, place) in malformed() {
        let answer = upload(&sis, &set, "").await;
        assert_eq!(answer.status, 422, "{what}: {}", answer.body);
        assert_eq!(answer.body["applied"], false, "{what}");
        assert_eq!(
            places(&answer.body).first().map(String::as_str),
            Some(place),
            "{what}: {}",
            answer.body
        );
        for table in ["school", "student", "enrollment", "audit_event"] {
            assert_eq!(app.count_rows(table).await, 0, "{what}: {table}");
        }
    }
    let not_a_zip = sis
        .upload(
            "/integrations/oneroster",
            "application/zip",
            b"PK no zip".to_vec(),
        )
        .await;
    assert_eq!(not_a_zip.status, 422, "{}", not_a_zip.body);
    let empty = sis
        .upload("/integrations/oneroster", "application/zip", Vec::new())
        .await;
    assert_eq!(empty.status, 400, "{}", empty.body);
    assert_eq!(
        empty.body["errors"][0]["extensions"]["code"],
        "BAD_USER_INPUT"
    );
}

async fn a_bom_crlf_and_metadata_columns_are_read(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let orgs = ORGS.replacen("parentSourcedId", "parentSourcedId,metadata.region", 1);
    let orgs = orgs.lines().enumerate().map(|(i, l)| {
        if i == 0 {
            l.to_string()
        } else {
            format!("{l},north")
        }
    });
    let orgs = format!("\u{feff}{}\r\n", orgs.collect::<Vec<_>>().join("\r\n"));
    let answer = upload(&app.as_sis(), &Set::bulk().file("orgs", "bulk", orgs), "").await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(app.count_rows("school").await, 2);
}

async fn the_cli_imports_a_folder_and_a_dry_run_writes_nothing(backend: Backend) {
    use clap::Parser;
    let app = TestApp::spawn(backend).await;
    let folder = Set::bulk().folder();
    let path = folder.path().to_str().unwrap().to_string();
    let district = app.district_id.to_string();
    let run = |extra: &'static [&'static str]| {
        let mut args = vec![
            "ssw-api",
            "--database-url",
            &app.database_url,
            "import",
            "oneroster",
        ];
        args.extend([path.as_str(), "--district", district.as_str()]);
        args.extend(extra);
        ssw_api::cli::Cli::try_parse_from(args).unwrap()
    };
    ssw_api::cli::run(run(&["--dry-run"])).await.unwrap();
    assert_eq!(app.count_rows("student").await, 0);
    ssw_api::cli::run(run(&[])).await.unwrap();
    assert_eq!(app.count_rows("student").await, 3);
    assert_eq!(app.count_rows("student_guardian").await, 2);
}

on_both_backends!(
    malformed_sets_are_refused_where_they_are_wrong,
    a_bom_crlf_and_metadata_columns_are_read,
    the_cli_imports_a_folder_and_a_dry_run_writes_nothing,
);
