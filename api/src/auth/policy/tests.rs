//! The matrix walked whole: one decision per pair, the rules FERPA and DESIGN.md section 4 set,
//! the functions agreeing with the table, and the module doc showing it.

use std::fmt::Write as _;

use chrono::NaiveDate;
use sea_orm::{DbBackend, EntityTrait, QueryFilter, QueryTrait};
use uuid::Uuid;

use super::matrix::{GRANTS, Grant, access, lookup};
use super::*;
use crate::auth::Role;

pub(super) fn actor(role: Role) -> Actor {
    Actor {
        subject: "test".into(),
        role,
        district_id: Uuid::nil(),
        staff_id: None,
        school_ids: vec![Uuid::nil()],
        agency_id: None,
        today: NaiveDate::from_ymd_opt(2025, 1, 15).expect("a date"),
        pseudonyms: None,
    }
}

fn reads(role: Role, resource: Resource) -> Read {
    access(role, resource).0
}

fn writes(role: Role, resource: Resource) -> bool {
    access(role, resource).1 == Write::Yes
}

/// Every role, in the order they are declared.
fn roles() -> &'static [Role] {
    <Role as clap::ValueEnum>::value_variants()
}

fn cell(read: Read, write: Write) -> String {
    let read = match read {
        Read::Nothing => "",
        Read::ExistenceOnly => "exists only",
        Read::OfItsStudents => "its students",
        Read::OwnSchools => "own schools",
        Read::District => "district",
        Read::MadeByIt => "its own",
        Read::SentToIt => "sent to it",
    };
    match (read, write) {
        ("", Write::No) => "no".into(),
        ("", Write::Yes) => "writes".into(),
        (read, Write::No) => read.into(),
        (read, Write::Yes) => format!("{read}, writes"),
    }
}

/// The matrix as a markdown table: a row per resource, a column per role.
fn render() -> String {
    let mut rows = vec![
        std::iter::once("record".to_string())
            .chain(roles().iter().map(|role| role.as_str().to_string()))
            .collect::<Vec<_>>(),
    ];
    for resource in Resource::ALL {
        let mut row = vec![resource.label().to_string()];
        for role in roles() {
            let (read, write) = access(*role, *resource);
            row.push(cell(read, write));
        }
        rows.push(row);
    }
    let widths: Vec<usize> = (0..rows[0].len())
        .map(|column| rows.iter().map(|row| row[column].len()).max().unwrap_or(0))
        .collect();
    let line = |cells: Vec<String>| {
        let mut text = String::from("|");
        for (cell, width) in cells.iter().zip(&widths) {
            let _ = write!(text, " {cell:width$} |");
        }
        text + "\n"
    };
    let mut table = line(rows[0].clone());
    table += &line(widths.iter().map(|width| "-".repeat(*width)).collect());
    for row in rows.into_iter().skip(1) {
        table += &line(row);
    }
    table
}

#[test]
fn every_role_and_resource_has_exactly_one_decision() {
    for role in roles() {
        for resource in Resource::ALL {
            let rows = GRANTS
                .iter()
                .filter(|Grant(r, res, _, _)| r == role && res == resource)
                .count();
            assert_eq!(rows, 1, "{role:?} x {resource:?}");
        }
    }
    assert_eq!(GRANTS.len(), roles().len() * Resource::ALL.len());
}

#[test]
fn a_pair_the_table_lacks_is_denied() {
    let only_admin_schools = [Grant(
        Role::DistrictAdmin,
        Resource::Schools,
        Read::District,
        Write::Yes,
    )];
    assert_eq!(
        lookup(&only_admin_schools, Role::DistrictAdmin, Resource::Schools),
        (Read::District, Write::Yes)
    );
    assert_eq!(
        lookup(&only_admin_schools, Role::SocialWorker, Resource::Schools),
        (Read::Nothing, Write::No)
    );
    assert_eq!(
        lookup(&[], Role::DistrictAdmin, Resource::Students),
        (Read::Nothing, Write::No)
    );
}

#[test]
fn the_rules_of_design_section_4_hold() {
    use Resource::*;
    // BI readers: pseudonymised, never names, identifiers, free text, IEP/504 or McKinney-Vento
    // data.
    for resource in [
        StudentNames,
        StudentIdentifiers,
        StudentNotes,
        Crises,
        SpecialEducation,
        Homeless,
        Guardians,
    ] {
        assert_eq!(
            reads(Role::BiReader, resource),
            Read::Nothing,
            "{resource:?}"
        );
    }
    // Agencies see the directory, code sets, and the referrals sent to them with the
    // consents behind them; nothing else of a student (its fields come through the consent).
    for resource in Resource::ALL {
        let expected = match resource {
            Descriptors | Agencies => Read::District,
            AgencyReferrals | Consents => Read::SentToIt,
            _ => Read::Nothing,
        };
        assert_eq!(
            reads(Role::AgencyPartner, *resource),
            expected,
            "{resource:?}"
        );
    }
    // Nobody but the district admin reads what was disclosed; nobody writes it by hand.
    for role in roles() {
        let admin = *role == Role::DistrictAdmin;
        assert_eq!(reads(*role, Disclosures) == Read::District, admin);
    }
    // Nobody but the district and its SIS writes the roster; readers write nothing.
    for role in roles() {
        for resource in Resource::ALL {
            let writer = match resource {
                Attendance => [Role::DistrictAdmin, Role::SisIntegration].contains(role),
                Referrals => {
                    [Role::DistrictAdmin, Role::SocialWorker, Role::SchoolStaff].contains(role)
                }
                Tiers | Interventions | StudentNotes | SpecialEducation | Homeless | Cases
                | ServiceContacts | Crises | Truancy | Groups => {
                    [Role::DistrictAdmin, Role::SocialWorker].contains(role)
                }
                Catalogue | Descriptors | Agencies => *role == Role::DistrictAdmin,
                Consents => [Role::DistrictAdmin, Role::SocialWorker].contains(role),
                AgencyReferrals => {
                    [Role::DistrictAdmin, Role::SocialWorker, Role::AgencyPartner].contains(role)
                }
                AuditLog | Disclosures => false,
                _ => [Role::DistrictAdmin, Role::SisIntegration].contains(role),
            };
            assert_eq!(writes(*role, *resource), writer, "{role:?} x {resource:?}");
        }
    }
    // The SIS writes attendance but reads no educational data.
    for resource in [Tiers, Interventions, Attendance, SpecialEducation, Homeless] {
        assert_eq!(reads(Role::SisIntegration, resource), Read::Nothing);
    }
    // School staff: directory data of students of their own schools, and that an IEP exists.
    assert_eq!(reads(Role::SchoolStaff, Students), Read::OwnSchools);
    assert_eq!(reads(Role::SocialWorker, Students), Read::OwnSchools);
    assert_eq!(
        reads(Role::SchoolStaff, SpecialEducation),
        Read::ExistenceOnly
    );
    for resource in [StudentIdentifiers, StudentDemographics, Tiers, Homeless] {
        assert_eq!(reads(Role::SchoolStaff, resource), Read::Nothing);
    }
}

/// Each function asked about each pair allows exactly what the table grants.
#[test]
fn the_functions_decide_as_the_table_says() {
    use Resource::*;
    let any_student = entity::student::Column::Id;
    for role in roles() {
        let a = actor(*role);
        for resource in Resource::ALL {
            let read = reads(*role, *resource);
            let allowed = match resource {
                Schools => school_rows(&a).is_ok(),
                Staff => staff_rows(&a).is_ok() && assignment_rows(&a).is_ok(),
                Students => student_rows(&a).is_ok(),
                StudentNames => student_field(&a, StudentField::Name).is_ok(),
                StudentIdentifiers => student_field(&a, StudentField::Identifiers).is_ok(),
                StudentDemographics => student_field(&a, StudentField::Demographics).is_ok(),
                StudentNotes => student_field(&a, StudentField::Notes).is_ok(),
                Enrollments => enrollment_rows(&a).is_ok(),
                Guardians => guardian_link_rows(&a).is_ok() && guardian_rows(&a).is_ok(),
                Tiers => educational_rows(&a, Educational::Tiers, any_student).is_ok(),
                Interventions => {
                    educational_rows(&a, Educational::Interventions, any_student).is_ok()
                }
                Attendance => educational_rows(&a, Educational::Attendance, any_student).is_ok(),
                SpecialEducation => {
                    let contents =
                        educational_rows(&a, Educational::SpecialEducation, any_student).is_ok();
                    let exists = special_education_exists_rows(&a, any_student).is_ok();
                    assert_eq!(contents, read == Read::OfItsStudents, "{role:?}");
                    exists
                }
                Homeless => educational_rows(&a, Educational::Homeless, any_student).is_ok(),
                Referrals => referral_rows(&a).is_ok() && referral_rows_of_held(&a).is_ok(),
                Cases => case_rows(&a).is_ok() && case_rows_of_held(&a).is_ok(),
                ServiceContacts => {
                    let tenant = entity::service_contact::Column::DistrictId;
                    contact_rows(&a).is_ok() && contact_rows_of_held(&a, tenant).is_ok()
                }
                Truancy => truancy_rows(&a).is_ok() && truancy_rows_of_held(&a).is_ok(),
                Crises => {
                    let tenant = entity::assessment::Column::DistrictId;
                    crisis_rows(&a, any_student).is_ok() && crisis_rows_of_held(&a, tenant).is_ok()
                }
                Groups => {
                    let tenant = entity::group_member::Column::DistrictId;
                    group_rows(&a).is_ok() && group_parts_of_held(&a, tenant).is_ok()
                }
                Catalogue => catalogue_rows(&a).is_ok(),
                AuditLog => audit_rows(&a).is_ok(),
                Agencies => directory_rows(&a, entity::agency::Column::DistrictId).is_ok(),
                Consents => consent_rows(&a).is_ok(),
                AgencyReferrals => {
                    let held = agency_referral_rows_of_held(&a).is_ok();
                    let students = referred_student_rows(&a).is_ok();
                    // The consenting guardian: for the agency, and who reads guardians.
                    let guardians = consenting_guardian_rows(&a).is_ok();
                    let reads_guardians = reads(*role, Guardians) != Read::Nothing;
                    assert_eq!(held, students, "{role:?}");
                    assert_eq!(
                        guardians,
                        held && (reads_guardians || read == Read::SentToIt)
                    );
                    assert_eq!(
                        referred_contact_link_rows(&a).is_ok(),
                        guardians,
                        "{role:?}"
                    );
                    agency_referral_rows(&a).is_ok() && held
                }
                Disclosures => disclosure_rows(&a).is_ok(),
                // descriptor_rows cannot deny: the table must let everyone read them.
                Descriptors => true,
            };
            assert_eq!(
                allowed,
                read != Read::Nothing,
                "{role:?} reads {resource:?}"
            );

            let written = match resource {
                Tiers => write_educational(&a, Educational::Tiers).is_ok(),
                Interventions => write_educational(&a, Educational::Interventions).is_ok(),
                Attendance => write_educational(&a, Educational::Attendance).is_ok(),
                SpecialEducation => write_educational(&a, Educational::SpecialEducation).is_ok(),
                Homeless => write_educational(&a, Educational::Homeless).is_ok(),
                // Written as part of the tiers and plans they are in.
                StudentNotes => {
                    write_educational(&a, Educational::Tiers).is_ok()
                        && write_educational(&a, Educational::Interventions).is_ok()
                }
                Catalogue | Descriptors => write_district_settings(&a).is_ok(),
                Referrals => file_referrals(&a).is_ok(),
                Cases => work_cases(&a).is_ok(),
                ServiceContacts => write_service_log(&a).is_ok(),
                Crises => write_crisis_records(&a).is_ok(),
                Truancy => write_truancy(&a).is_ok(),
                // The test actors' schools are the nil id's.
                Groups => run_group_at(&a, Uuid::nil()).is_ok(),
                Agencies => write_directory(&a).is_ok(),
                Consents => write_consents(&a).is_ok(),
                AgencyReferrals => referral_side(&a).is_ok(),
                // Nothing writes them but the acts they record, for every role alike.
                AuditLog | Disclosures => false,
                _ => write_roster(&a).is_ok(),
            };
            assert_eq!(
                written,
                writes(*role, *resource),
                "{role:?} writes {resource:?}"
            );
        }
    }
}

/// The scope a level names is the scope the SQL applies.
#[test]
fn row_scopes_follow_the_level() {
    let sql = |condition: Condition| {
        entity::student::Entity::find()
            .filter(condition)
            .build(DbBackend::Sqlite)
            .to_string()
    };
    for role in roles() {
        let a = actor(*role);
        if let Ok(rows) = student_rows(&a) {
            let own_schools = sql(rows).contains("\"enrollment\"");
            assert_eq!(
                own_schools,
                reads(*role, Resource::Students) == Read::OwnSchools,
                "{role:?}"
            );
        }
        if let Ok(rows) = guardian_link_rows(&a) {
            let hides_restricted = sql(rows).contains("\"restriction\" IS NULL");
            assert_eq!(hides_restricted, !sees_restricted_guardians(&a), "{role:?}");
            assert_eq!(
                hides_restricted,
                reads(*role, Resource::Guardians) == Read::OfItsStudents
            );
        }
    }
}

#[test]
fn the_module_doc_shows_the_table() {
    let doc: String = include_str!("mod.rs")
        .lines()
        .filter_map(|line| line.strip_prefix("//! |"))
        .map(|rest| format!("|{rest}\n"))
        .collect();
    let table = render();
    assert!(
        doc == table,
        "the matrix in policy/mod.rs is stale; replace it with:\n{table}"
    );
}
