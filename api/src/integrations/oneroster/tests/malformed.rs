//! Sets that are refused, each error at its file, line and column.

use super::kit::{self, Set, TIMESTAMP};
use crate::integrations::oneroster::*;

#[test]
fn a_set_without_a_manifest_is_refused() {
    assert_eq!(
        Set::bulk().manifest(None).only_error(),
        "manifest.csv: missing: a set needs a manifest.csv"
    );
}

#[test]
fn a_manifest_of_another_version_is_refused() {
    let manifest =
        "propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\nfile.orgs,bulk\n";
    assert_eq!(
        Set::bulk().manifest(Some(manifest)).error_places(),
        ["manifest.csv:3:value"]
    );
    let modes = "propertyName,value\nmanifest.version,1.0\noneroster.version,1.2\nfile.orgs,full\nfile.user,bulk\n";
    assert_eq!(
        Set::bulk().manifest(Some(modes)).error_places(),
        ["manifest.csv:4:value", "manifest.csv:5:propertyName"]
    );
}

#[test]
fn a_file_listed_but_missing_is_refused_and_an_absent_one_is_not_read() {
    assert_eq!(
        Set::bulk().without("roles").only_error(),
        "manifest.csv:10:value: roles.csv is listed as bulk but is not in the set"
    );
    let set = Set::bulk()
        .file("roles", "absent", "not, a, roles file\n")
        .valid();
    assert!(set.roles.is_empty() && !set.modes.contains_key("roles.csv"));
}

#[test]
fn headers_out_of_order_or_short_are_refused() {
    let swapped = "sourcedId,status,dateLastModified,type,name,identifier,parentSourcedId\nd1,,,district,D,,\n";
    assert_eq!(
        Set::bulk().file("orgs", "bulk", swapped).only_error(),
        "orgs.csv:1:type: expected `name` as column 4; the spec's columns go in its order"
    );
    let short = "sourcedId,status,dateLastModified,name,type,identifier\nd1,,,D,district,\n";
    assert_eq!(
        Set::bulk().file("orgs", "bulk", short).error_places(),
        ["orgs.csv:1:parentSourcedId"]
    );
}

#[test]
fn a_bad_date_is_refused_at_its_line_and_column() {
    let demographics = kit::DEMOGRAPHICS.replace("2011-04-30", "2011-4-30");
    assert_eq!(
        Set::bulk()
            .file("demographics", "bulk", demographics)
            .only_error(),
        "demographics.csv:2:birthDate: `2011-4-30` is not a date written YYYY-MM-DD"
    );
    let sessions = kit::ACADEMIC_SESSIONS
        .replace("Fall,term,2026-08-15", "Fall,term,-202-08-15")
        .replace("2026-12-20", "2026-02-30");
    assert_eq!(
        Set::bulk()
            .file("academicSessions", "bulk", sessions)
            .error_places(),
        [
            "academicSessions.csv:3:startDate",
            "academicSessions.csv:3:endDate"
        ]
    );
}

#[test]
fn a_duplicate_sourced_id_is_refused_at_its_second_line() {
    let users = format!("{}u1,,,true,again,,A,B,,,,,,,,,,,,,,,\n", kit::USERS);
    assert_eq!(
        Set::bulk().file("users", "bulk", users).only_error(),
        "users.csv:4:sourcedId: duplicate sourcedId `u1` (first on line 2)"
    );
}

#[test]
fn a_listed_file_with_no_rows_is_refused() {
    let header_only = kit::ROLES.lines().next().unwrap().to_owned() + "\n";
    assert_eq!(
        Set::bulk()
            .file("roles", "bulk", header_only)
            .error_places(),
        ["roles.csv:1"]
    );
    assert_eq!(
        Set::bulk().file("roles", "bulk", "").error_places(),
        ["roles.csv:1"]
    );
}

#[test]
fn bulk_rows_must_leave_status_and_time_empty() {
    let orgs = kit::delta(kit::ORGS, "active", "");
    assert_eq!(
        Set::bulk().file("orgs", "bulk", orgs).error_places(),
        ["orgs.csv:2:status", "orgs.csv:3:status"]
    );
}

#[test]
fn delta_rows_need_a_status_and_a_full_timestamp() {
    let no_time = kit::delta(kit::ORGS, "active", "");
    assert_eq!(
        Set::bulk().file("orgs", "delta", no_time).error_places(),
        ["orgs.csv:2:dateLastModified", "orgs.csv:3:dateLastModified"]
    );
    let date_only = kit::delta(kit::ENROLLMENTS, "active", "2026-09-01");
    assert_eq!(
        Set::bulk()
            .file("enrollments", "delta", date_only)
            .error_places(),
        ["enrollments.csv:2:dateLastModified"]
    );
    let bad_status = kit::delta(kit::ENROLLMENTS, "deleted", TIMESTAMP);
    assert_eq!(
        Set::bulk()
            .file("enrollments", "delta", bad_status)
            .error_places(),
        ["enrollments.csv:2:status"]
    );
}

#[test]
fn invalid_utf8_is_refused_with_its_line() {
    let mut users = kit::USERS.as_bytes().to_vec();
    let at = users
        .windows(4)
        .position(|window| window == b"Gail")
        .unwrap();
    users[at + 1] = 0xE9;
    assert_eq!(
        Set::bulk().file("users", "bulk", users).only_error(),
        "users.csv:3:givenName: not valid UTF-8"
    );
}

#[test]
fn enumerations_and_lists_are_checked() {
    let roles = kit::ROLES
        .replace("ext:schoolSocialWorker", "socialWorker")
        .replace("primary", "main");
    assert_eq!(
        Set::bulk().file("roles", "bulk", roles).error_places(),
        ["roles.csv:2:roleType", "roles.csv:3:role"]
    );
    let users = kit::USERS
        .replace("{SIS:123}", "SIS:123")
        .replace("true,jdoe", "yes,jdoe");
    assert_eq!(
        Set::bulk().file("users", "bulk", users).error_places(),
        ["users.csv:2:enabledUser", "users.csv:2:userIds"]
    );
    let demographics = kit::DEMOGRAPHICS.replace("female,false", "f,no");
    assert_eq!(
        Set::bulk()
            .file("demographics", "bulk", demographics)
            .error_places(),
        [
            "demographics.csv:2:americanIndianOrAlaskaNative",
            "demographics.csv:2:sex"
        ]
    );
}

#[test]
fn errors_are_collected_across_files_up_to_the_cap() {
    let set = Set::bulk()
        .file("orgs", "bulk", kit::ORGS.replace("district", "county"))
        .file(
            "enrollments",
            "bulk",
            kit::ENROLLMENTS.replace(",c1,", ",,"),
        );
    assert_eq!(
        set.error_places(),
        ["orgs.csv:2:type", "enrollments.csv:2:classSourcedId"]
    );

    let mut many = kit::ORGS.lines().next().unwrap().to_owned() + "\n";
    for n in 0..150 {
        many.push_str(&format!("o{n},,,Name,county,,\n"));
    }
    let places = Set::bulk().file("orgs", "bulk", many).error_places();
    assert_eq!(places.len(), MAX_ERRORS);
    assert_eq!(places[99], "orgs.csv:101:type");
}

#[test]
fn a_path_that_is_no_zip_is_refused() {
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("set.zip");
    std::fs::write(&path, "not a zip").unwrap();
    let errors = read_path(&path, &mut |_| {}).unwrap_err();
    assert_eq!((errors.len(), errors[0].line), (1, 0));
    assert!(
        errors[0].message.starts_with("not a readable zip file"),
        "{}",
        errors[0]
    );
}
