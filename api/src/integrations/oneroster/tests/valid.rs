//! Sets that read: every column mapped, zip and folder alike, delta rows, the CSV details.

use chrono::{DateTime, NaiveDate, Utc};

use super::kit::{self, Set, TIMESTAMP};
use crate::integrations::oneroster::*;

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn at(text: &str) -> Option<DateTime<Utc>> {
    Some(text.parse().unwrap())
}

#[test]
fn a_bulk_set_reads_with_every_column_mapped() {
    let set = Set::bulk().valid();
    assert_eq!(set.modes.len(), 6);
    assert!(set.modes.values().all(|mode| *mode == FileMode::Bulk));
    let school = &set.orgs[1];
    assert_eq!(
        (
            school.file,
            school.line,
            school.status,
            school.date_last_modified
        ),
        ("orgs.csv", 3, None, None)
    );
    assert_eq!(
        school.row,
        Org {
            sourced_id: "s1".into(),
            name: "Riverside High".into(),
            org_type: OrgType::School,
            identifier: Some("RHS".into()),
            parent_sourced_id: Some("d1".into()),
        }
    );
    assert_eq!(
        set.academic_sessions[1].row,
        AcademicSession {
            sourced_id: "t1".into(),
            title: "Fall".into(),
            session_type: SessionType::Term,
            start_date: day("2026-08-15"),
            end_date: day("2026-12-20"),
            parent_sourced_id: Some("y2027".into()),
            school_year: 2027,
        }
    );
    let strings = |items: &[&str]| {
        items
            .iter()
            .map(|item| item.to_string())
            .collect::<Vec<_>>()
    };
    let some = |text: &str| Some(text.to_owned());
    assert_eq!(
        set.users[0].row,
        User {
            sourced_id: "u1".into(),
            enabled_user: true,
            username: "jdoe".into(),
            user_ids: vec![
                UserId {
                    id_type: "LDAP".into(),
                    identifier: "jd1".into()
                },
                UserId {
                    id_type: "SIS".into(),
                    identifier: "123".into()
                },
            ],
            given_name: "Jane".into(),
            family_name: "Doe".into(),
            middle_name: some("Q"),
            identifier: some("ID1"),
            email: some("jane@example.org"),
            sms: some("555-0100"),
            phone: some("555-0101"),
            agent_sourced_ids: strings(&["g1", "g2"]),
            grades: strings(&["09", "10"]),
            password: some("secret"),
            user_master_identifier: some("M1"),
            resource_sourced_ids: strings(&["r1", "r2"]),
            preferred_given_name: some("Janie"),
            preferred_middle_name: some("Quinn"),
            preferred_family_name: some("Dough"),
            primary_org_sourced_id: some("s1"),
            pronouns: some("she/her"),
        }
    );
    let guardian = &set.users[1].row;
    assert!(!guardian.enabled_user && guardian.user_ids.is_empty() && guardian.email.is_none());
    assert_eq!(guardian.agent_sourced_ids, strings(&["u1"]));
    assert_eq!(
        set.roles[0].row,
        Role {
            sourced_id: "r1".into(),
            user_sourced_id: "u1".into(),
            role_type: RoleType::Primary,
            role: RoleName::Student,
            begin_date: Some(day("2026-08-15")),
            end_date: Some(day("2027-06-10")),
            org_sourced_id: "s1".into(),
            user_profile_sourced_id: some("p1"),
        }
    );
    assert_eq!(
        set.roles[1].row.role,
        RoleName::Ext("ext:schoolSocialWorker".into())
    );
    assert_eq!(set.roles[1].row.role_type, RoleType::Secondary);
    assert_eq!(
        set.enrollments[0].row,
        Enrollment {
            sourced_id: "e1".into(),
            class_sourced_id: "c1".into(),
            school_sourced_id: "s1".into(),
            user_sourced_id: "u1".into(),
            role: EnrollmentRole::Student,
            primary: Some(false),
            begin_date: Some(day("2026-08-15")),
            end_date: Some(day("2027-06-10")),
        }
    );
    assert_eq!(
        set.demographics[0].row,
        Demographics {
            sourced_id: "u1".into(),
            birth_date: Some(day("2011-04-30")),
            sex: Some(Sex::Female),
            american_indian_or_alaska_native: Some(false),
            asian: Some(true),
            black_or_african_american: Some(false),
            native_hawaiian_or_other_pacific_islander: Some(false),
            white: Some(true),
            demographic_race_two_or_more_races: Some(true),
            hispanic_or_latino_ethnicity: Some(false),
            country_of_birth_code: some("US"),
            state_of_birth_abbreviation: some("OR"),
            city_of_birth: some("Portland"),
            public_school_residence_status: some("01652"),
        }
    );
}

#[test]
fn a_zip_reads_like_the_folder_and_reports_progress() {
    let set = Set::bulk();
    let (_dir, zip) = set.zip();
    let mut seen = Vec::new();
    let from_zip = read_path(&zip, &mut |rows| seen.push(rows)).unwrap();
    assert_eq!(from_zip, set.valid());
    assert_eq!(seen.last(), Some(&10), "the rows of the six files");
}

#[test]
fn a_delta_set_carries_status_and_time() {
    let users = kit::delta(kit::USERS, "active", TIMESTAMP)
        + "u9,tobedeleted,2026-09-02T08:30:00.000Z,true,gone,,Old,Record,,,,,,,,,,,,,,,\n";
    let set = Set::bulk()
        .file("users", "delta", users)
        .file(
            "roles",
            "delta",
            kit::delta(kit::ROLES, "active", "2026-09-01T14:00:00+02:00"),
        )
        .valid();
    assert_eq!(set.modes["users.csv"], FileMode::Delta);
    assert_eq!(set.modes["orgs.csv"], FileMode::Bulk);
    let gone = &set.users[2];
    assert_eq!(
        (gone.line, gone.status, gone.row.sourced_id.as_str()),
        (4, Some(RowStatus::ToBeDeleted), "u9")
    );
    assert_eq!(gone.date_last_modified, at("2026-09-02T08:30:00Z"));
    assert_eq!(set.users[0].status, Some(RowStatus::Active));
    assert_eq!(set.users[0].date_last_modified, at(TIMESTAMP));
    assert_eq!(
        set.roles[0].date_last_modified,
        at("2026-09-01T12:00:00Z"),
        "read in UTC"
    );
    assert_eq!(set.orgs[0].status, None);
}

#[test]
fn bom_crlf_quotes_and_non_ascii_read() {
    let orgs = "\u{feff}sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\r\n\
        d1,,,\"Distrito Escolar, Año \"\"Uno\"\"\",district,,\r\n\
        s1,,,\"École\nSaint-Exupéry\",school,,d1\r\n\
        s2,,,Schule Zürich,school,,\"d1\"\r\n\r\n";
    let set = Set::bulk().file("orgs", "bulk", orgs).valid();
    let names: Vec<_> = set
        .orgs
        .iter()
        .map(|org| (org.line, org.row.name.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            (2, "Distrito Escolar, Año \"Uno\""),
            (3, "École\nSaint-Exupéry"),
            (5, "Schule Zürich")
        ]
    );
}

#[test]
fn metadata_columns_are_accepted_only_after_the_spec_columns() {
    let after = "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId,metadata.nces\n\
        d1,,,District,district,,,0601234\n";
    assert_eq!(
        Set::bulk().file("orgs", "bulk", after).valid().orgs.len(),
        1
    );

    let before = "sourcedId,status,dateLastModified,metadata.nces,name,type,identifier,parentSourcedId\n\
        d1,,,0601234,District,district,,\n";
    assert_eq!(
        Set::bulk().file("orgs", "bulk", before).error_places(),
        ["orgs.csv:1:metadata.nces"]
    );

    let other = "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId,nces\n\
        d1,,,District,district,,,0601234\n";
    assert_eq!(
        Set::bulk().file("orgs", "bulk", other).error_places(),
        ["orgs.csv:1:nces"]
    );
}

#[test]
fn classes_are_checked_but_not_kept() {
    let set = Set::bulk().file("classes", "bulk", kit::CLASSES).valid();
    assert_eq!(set.modes.get("classes.csv"), Some(&FileMode::Bulk));
    let wrong = kit::CLASSES.replace("classCode,classType", "classType,classCode");
    assert_eq!(
        Set::bulk().file("classes", "bulk", wrong).error_places(),
        ["classes.csv:1:classType"]
    );
}
