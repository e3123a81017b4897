//! Every access decision of ssw-api, in one place.
//!
//! Resolvers and loaders ask this module which rows (a SQL condition, applied in the query
//! itself, so pagination and counts stay right) and which fields an actor may see, and never
//! decide it themselves. The decisions are data, the table [`matrix::GRANTS`]; anything it
//! does not grant is denied. Rendered (a test keeps this copy equal to the table):
//!
//! | record                   | DISTRICT_ADMIN       | SOCIAL_WORKER        | SCHOOL_STAFF    | SIS_INTEGRATION      | BI_READER    | AGENCY_PARTNER     |
//! | ------------------------ | -------------------- | -------------------- | --------------- | -------------------- | ------------ | ------------------ |
//! | schools                  | district, writes     | district             | district        | district, writes     | district     | no                 |
//! | staff                    | district, writes     | district             | district        | district, writes     | no           | no                 |
//! | students                 | district, writes     | own schools          | own schools     | district, writes     | district     | no                 |
//! | student names            | its students, writes | its students         | its students    | its students, writes | no           | no                 |
//! | student identifiers      | its students, writes | its students         | no              | its students, writes | no           | no                 |
//! | student demographics     | its students, writes | its students         | no              | its students, writes | its students | no                 |
//! | notes about students     | its students, writes | its students, writes | no              | no                   | no           | no                 |
//! | enrollments              | district, writes     | its students         | its students    | district, writes     | its students | no                 |
//! | guardians                | district, writes     | its students         | its students    | district, writes     | no           | no                 |
//! | tiers                    | its students, writes | its students, writes | no              | no                   | its students | no                 |
//! | interventions            | its students, writes | its students, writes | no              | no                   | its students | no                 |
//! | attendance               | its students, writes | its students         | no              | writes               | its students | no                 |
//! | IEP/504 plans            | its students, writes | its students, writes | exists only     | no                   | no           | no                 |
//! | McKinney-Vento records   | its students, writes | its students, writes | no              | no                   | no           | no                 |
//! | referrals to social work | its students, writes | its students, writes | its own, writes | no                   | its students | no                 |
//! | cases                    | its students, writes | its students, writes | no              | no                   | its students | no                 |
//! | service log              | its students, writes | its students, writes | no              | no                   | its students | no                 |
//! | assessments and crises   | its students, writes | its students, writes | no              | no                   | no           | no                 |
//! | truancy steps            | its students, writes | its students, writes | no              | no                   | no           | no                 |
//! | counseling groups        | its students, writes | its students, writes | no              | no                   | no           | no                 |
//! | intervention catalogue   | district, writes     | district             | district        | no                   | district     | no                 |
//! | descriptors              | district, writes     | district             | district        | district             | district     | district           |
//! | audit log                | district             | no                   | no              | no                   | no           | no                 |
//! | agency directory         | district, writes     | district             | district        | no                   | district     | district           |
//! | consents to disclose     | its students, writes | its students, writes | no              | no                   | no           | sent to it         |
//! | referrals to agencies    | its students, writes | its students, writes | no              | no                   | its students | sent to it, writes |
//! | records of disclosure    | district             | no                   | no              | no                   | no           | no                 |
//!
//! **district**: every record of its district; **own schools**: the students currently enrolled
//! in the schools of its token; **its students**: the records (or fields) of the students it
//! may read; **exists only**: whether such a record exists, not its contents; **its own**:
//! the records it made (a teacher's referrals); **sent to it**: the referrals sent to its
//! agency under a consent in force (or in a health or safety emergency, for 30 days), and the
//! consents behind them; **no**: FORBIDDEN. **writes**: creates and changes them (student records: of students it may read).
//!
//! Relations of a student the caller already holds (a `Student` the policy let through: its
//! tiers, plans, enrollments, ...) are read with the `*_of_held` conditions: the tenant and the
//! role's right to the data, without proving again that the student is visible, so a page's
//! relations cost an index lookup by student and never a scan of the district's students.
//! Loaders keyed by ids a client may have sent use the full conditions.
//!
//! Guardians with a contact restriction are never shown as contacts; only the roles that read
//! guardians district-wide (who keep those records) see the restricted links, flagged as such.
//!
//! School staff read the guardians of the students currently in their schools, on purpose: a
//! teacher calls home about a missed assignment or a fever, so the contact (name, phone, email,
//! language) is theirs to see; a restricted link never is, and they change none of it. An
//! agency sees a guardian only as the consent's signer, and only under GUARDIAN_CONTACT.

mod agencies;
#[cfg(test)]
mod agencies_tests;
mod audit;
mod casework;
mod consent;
mod feed;
pub mod matrix;
#[cfg(test)]
mod tests;

use entity::{
    enrollment, guardian, school, staff, staff_school_assignment, student, student_guardian,
};
use sea_orm::{ColumnTrait, Condition, sea_query::Query};
use uuid::Uuid;

pub use self::agencies::*;
pub use self::audit::audit_rows;
pub use self::casework::*;
pub use self::consent::*;
pub use self::feed::{
    FeedEntity, feed_entities, knows_students_by_pseudonym, students_holding,
    suppresses_small_cells,
};
use self::matrix::{Read, Resource, Write};
use super::Actor;
use crate::errors::{AppError, AppResult};

/// Fields of a student grouped by sensitivity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StudentField {
    /// Legal and preferred names.
    Name,
    /// Local, state and SIS ids, and birth date: enough to re-identify a student.
    Identifiers,
    /// English learner and economic flags (EDUCATIONAL data).
    Demographics,
    /// Free text about the student in its educational records (a tier's rationale, a plan's
    /// goal, a point's note).
    Notes,
}

impl From<StudentField> for Resource {
    fn from(field: StudentField) -> Self {
        match field {
            StudentField::Name => Resource::StudentNames,
            StudentField::Identifiers => Resource::StudentIdentifiers,
            StudentField::Demographics => Resource::StudentDemographics,
            StudentField::Notes => Resource::StudentNotes,
        }
    }
}

/// The roster, written as one group (by [`write_roster`]).
const ROSTER: &[Resource] = &[
    Resource::Schools,
    Resource::Staff,
    Resource::Students,
    Resource::StudentNames,
    Resource::StudentIdentifiers,
    Resource::StudentDemographics,
    Resource::Enrollments,
    Resource::Guardians,
];

/// The district's settings, written as one group (by [`write_district_settings`]).
const DISTRICT_SETTINGS: &[Resource] = &[Resource::Catalogue, Resource::Descriptors];

fn forbidden(what: &str, actor: &Actor) -> AppError {
    AppError::Forbidden(format!("role {} may not {what}", actor.role.as_str()))
}

fn read(actor: &Actor, resource: Resource) -> Read {
    matrix::access(actor.role, resource).0
}

fn may_not_read(actor: &Actor, resource: Resource) -> AppError {
    forbidden(&format!("read {}", resource.label()), actor)
}

/// Allows when the table lets the actor write every one of `resources`.
fn write(actor: &Actor, resources: &[Resource], what: &str) -> AppResult<()> {
    if resources
        .iter()
        .all(|resource| matrix::access(actor.role, *resource).1 == Write::Yes)
    {
        Ok(())
    } else {
        Err(forbidden(what, actor))
    }
}

/// Allows records the actor reads district-wide (schools, staff, the catalogue).
fn district_wide(actor: &Actor, resource: Resource) -> AppResult<()> {
    match read(actor, resource) {
        Read::District => Ok(()),
        _ => Err(may_not_read(actor, resource)),
    }
}

/// Rows of the actor's district: the tenant boundary every other rule sits inside.
pub fn district_rows(actor: &Actor) -> Condition {
    Condition::all().add(entity::district::Column::Id.eq(actor.district_id))
}

pub fn school_rows(actor: &Actor) -> AppResult<Condition> {
    district_wide(actor, Resource::Schools)?;
    Ok(Condition::all()
        .add(school::Column::DistrictId.eq(actor.district_id))
        .add(school::Column::DeletedAt.is_null()))
}

pub fn staff_rows(actor: &Actor) -> AppResult<Condition> {
    district_wide(actor, Resource::Staff)?;
    Ok(Condition::all()
        .add(staff::Column::DistrictId.eq(actor.district_id))
        .add(staff::Column::DeletedAt.is_null()))
}

pub fn assignment_rows(actor: &Actor) -> AppResult<Condition> {
    staff_rows(actor)?;
    Ok(Condition::all().add(staff_school_assignment::Column::DistrictId.eq(actor.district_id)))
}

pub fn student_rows(actor: &Actor) -> AppResult<Condition> {
    let rows = Condition::all()
        .add(student::Column::DistrictId.eq(actor.district_id))
        .add(student::Column::DeletedAt.is_null());
    match read(actor, Resource::Students) {
        Read::District => Ok(rows),
        Read::OwnSchools => {
            let today = actor.today;
            let enrolled_here = Query::select()
                .column(enrollment::Column::StudentId)
                .from(enrollment::Entity)
                .and_where(enrollment::Column::SchoolId.is_in(actor.school_ids.clone()))
                .and_where(enrollment::Column::DeletedAt.is_null())
                // Students enrolled now: not those who left, nor those pre-registered for later.
                .and_where(enrollment::Column::EntryDate.lte(today))
                .cond_where(
                    Condition::any()
                        .add(enrollment::Column::ExitDate.is_null())
                        .add(enrollment::Column::ExitDate.gte(today)),
                )
                .to_owned();
            Ok(rows.add(student::Column::Id.in_subquery(enrolled_here)))
        }
        _ => Err(may_not_read(actor, Resource::Students)),
    }
}

/// Rows of `table.student_id`-keyed records whose student the actor may see.
pub fn of_visible_students<C: ColumnTrait>(actor: &Actor, student_id: C) -> AppResult<Condition> {
    let visible = Query::select()
        .column(student::Column::Id)
        .from(student::Entity)
        .cond_where(student_rows(actor)?)
        .to_owned();
    Ok(Condition::all().add(student_id.in_subquery(visible)))
}

pub fn enrollment_rows(actor: &Actor) -> AppResult<Condition> {
    let rows = Condition::all()
        .add(enrollment::Column::DistrictId.eq(actor.district_id))
        .add(enrollment::Column::DeletedAt.is_null());
    match read(actor, Resource::Enrollments) {
        Read::District => Ok(rows),
        Read::OfItsStudents => {
            Ok(rows.add(of_visible_students(actor, enrollment::Column::StudentId)?))
        }
        _ => Err(may_not_read(actor, Resource::Enrollments)),
    }
}

/// Whether the actor manages guardian records and so may see restricted links.
pub fn sees_restricted_guardians(actor: &Actor) -> bool {
    read(actor, Resource::Guardians) == Read::District
}

/// Enrollments of students the caller holds (see the module doc).
pub fn enrollment_rows_of_held(actor: &Actor) -> AppResult<Condition> {
    match read(actor, Resource::Enrollments) {
        Read::District | Read::OfItsStudents => Ok(Condition::all()
            .add(enrollment::Column::DistrictId.eq(actor.district_id))
            .add(enrollment::Column::DeletedAt.is_null())),
        _ => Err(may_not_read(actor, Resource::Enrollments)),
    }
}

/// Guardian links of students the caller holds (see the module doc); restricted links only
/// for those who keep them.
pub fn guardian_link_rows_of_held(actor: &Actor) -> AppResult<Condition> {
    let rows = Condition::all()
        .add(student_guardian::Column::DistrictId.eq(actor.district_id))
        .add(student_guardian::Column::DeletedAt.is_null());
    match read(actor, Resource::Guardians) {
        Read::District => Ok(rows),
        Read::OfItsStudents => Ok(rows.add(student_guardian::Column::Restriction.is_null())),
        _ => Err(may_not_read(actor, Resource::Guardians)),
    }
}

pub fn guardian_link_rows(actor: &Actor) -> AppResult<Condition> {
    let rows = Condition::all()
        .add(student_guardian::Column::DistrictId.eq(actor.district_id))
        .add(student_guardian::Column::DeletedAt.is_null());
    match read(actor, Resource::Guardians) {
        Read::District => Ok(rows),
        Read::OfItsStudents => Ok(rows
            .add(student_guardian::Column::Restriction.is_null())
            .add(of_visible_students(
                actor,
                student_guardian::Column::StudentId,
            )?)),
        _ => Err(may_not_read(actor, Resource::Guardians)),
    }
}

pub fn guardian_rows(actor: &Actor) -> AppResult<Condition> {
    let mut rows = Condition::all()
        .add(guardian::Column::DistrictId.eq(actor.district_id))
        .add(guardian::Column::DeletedAt.is_null());
    if !sees_restricted_guardians(actor) {
        let contacts = Query::select()
            .column(student_guardian::Column::GuardianId)
            .from(student_guardian::Entity)
            .cond_where(guardian_link_rows(actor)?)
            .to_owned();
        rows = rows.add(guardian::Column::Id.in_subquery(contacts));
    }
    Ok(rows)
}

/// May the actor read this group of student fields? Denied fields are errors, never blanks.
pub fn student_field(actor: &Actor, field: StudentField) -> AppResult<()> {
    match read(actor, field.into()) {
        Read::OfItsStudents => Ok(()),
        _ => Err(may_not_read(actor, field.into())),
    }
}

/// Schools, staff, students, enrollments and guardians are written by the district and its SIS.
pub fn write_roster(actor: &Actor) -> AppResult<()> {
    write(actor, ROSTER, "change roster records")
}

/// The guardian links a roster writer (an SIS push) compares with, removed ones included: a
/// push that lists a removed link again brings it back.
pub fn guardian_links_to_write(actor: &Actor) -> AppResult<Condition> {
    write_roster(actor)?;
    Ok(Condition::all().add(student_guardian::Column::DistrictId.eq(actor.district_id)))
}

/// A record of another district is reported as missing, never as forbidden.
pub fn same_district(
    actor: &Actor,
    district_id: Uuid,
    entity: &'static str,
    id: Uuid,
) -> AppResult<()> {
    if actor.district_id == district_id {
        Ok(())
    } else {
        Err(AppError::not_found(entity, id))
    }
}

/// Kinds of data about a student kept per student (EDUCATIONAL, and the casework records
/// BI readers count).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Educational {
    Tiers,
    Interventions,
    Attendance,
    SpecialEducation,
    Homeless,
    Referrals,
    ServiceLog,
    AgencyReferrals,
}

impl From<Educational> for Resource {
    fn from(data: Educational) -> Self {
        match data {
            Educational::Tiers => Resource::Tiers,
            Educational::Interventions => Resource::Interventions,
            Educational::Attendance => Resource::Attendance,
            Educational::SpecialEducation => Resource::SpecialEducation,
            Educational::Homeless => Resource::Homeless,
            Educational::Referrals => Resource::Referrals,
            Educational::ServiceLog => Resource::ServiceContacts,
            Educational::AgencyReferrals => Resource::AgencyReferrals,
        }
    }
}

/// Rows of `data` (keyed by `student_id`) the actor may read.
pub fn educational_rows<C: ColumnTrait>(
    actor: &Actor,
    data: Educational,
    student_id: C,
) -> AppResult<Condition> {
    match read(actor, data.into()) {
        Read::OfItsStudents => of_visible_students(actor, student_id),
        _ => Err(may_not_read(actor, data.into())),
    }
}

/// Rows of `data` about students (or plans, IEPs) the caller holds (see the module doc);
/// `district_id` is the table's tenant column.
pub fn educational_rows_of_held<C: ColumnTrait>(
    actor: &Actor,
    data: Educational,
    district_id: C,
) -> AppResult<Condition> {
    match read(actor, data.into()) {
        Read::OfItsStudents => Ok(Condition::all().add(district_id.eq(actor.district_id))),
        _ => Err(may_not_read(actor, data.into())),
    }
}

/// Whether the actor may learn that a held student has an IEP or 504 plan (not its contents).
pub fn special_education_exists_rows_of_held<C: ColumnTrait>(
    actor: &Actor,
    district_id: C,
) -> AppResult<Condition> {
    match read(actor, Resource::SpecialEducation) {
        Read::ExistenceOnly | Read::OfItsStudents => {
            Ok(Condition::all().add(district_id.eq(actor.district_id)))
        }
        _ => Err(may_not_read(actor, Resource::SpecialEducation)),
    }
}

/// Whether the actor may learn that a student has an IEP or 504 plan (not its contents).
pub fn special_education_exists_rows<C: ColumnTrait>(
    actor: &Actor,
    student_id: C,
) -> AppResult<Condition> {
    match read(actor, Resource::SpecialEducation) {
        Read::ExistenceOnly | Read::OfItsStudents => of_visible_students(actor, student_id),
        _ => Err(may_not_read(actor, Resource::SpecialEducation)),
    }
}

/// May the actor write `data`? (Which students: the caller checks the student is visible.)
pub fn write_educational(actor: &Actor, data: Educational) -> AppResult<()> {
    let resource = Resource::from(data);
    write(actor, &[resource], &format!("change {}", resource.label()))
}

/// The district's intervention catalogue is not student data: every staff role reads it.
pub fn catalogue_rows(actor: &Actor) -> AppResult<Condition> {
    district_wide(actor, Resource::Catalogue)?;
    Ok(Condition::all().add(entity::intervention::Column::DistrictId.eq(actor.district_id)))
}

/// The catalogue and the district's descriptors are kept by district admins.
pub fn write_district_settings(actor: &Actor) -> AppResult<()> {
    write(actor, DISTRICT_SETTINGS, "change district settings")
}

/// Descriptors: the Ed-Fi defaults and the actor's district's own. Every role reads them
/// (the table says so, and a test holds it to that), so there is nothing to deny.
pub fn descriptor_rows(actor: &Actor) -> Condition {
    Condition::any()
        .add(entity::descriptor::Column::DistrictId.is_null())
        .add(entity::descriptor::Column::DistrictId.eq(actor.district_id))
}
