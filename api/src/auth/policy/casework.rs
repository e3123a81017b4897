//! Who reads and works casework: referrals of students to the social worker and the cases
//! they open. Pupil-services staff and admins work them for the students they read; school
//! staff file referrals for students of their schools and follow the ones they filed (their
//! status, never the case behind them); BI readers count them. The service log is read and
//! written like cases. Counseling groups are pupil services' and admins': of their schools
//! for a role that reads its own schools' students.

use entity::{counseling_group, service_contact, ssw_case, ssw_referral, truancy_step};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QuerySelect, QueryTrait};
use uuid::Uuid;

use super::{Read, Resource, may_not_read, of_visible_students, read, write};
use crate::{
    auth::{Actor, Role},
    errors::{AppError, AppResult},
};

/// Referrals the actor may read, by id or in a list.
pub fn referral_rows(actor: &Actor) -> AppResult<Condition> {
    match read(actor, Resource::Referrals) {
        Read::OfItsStudents => of_visible_students(actor, ssw_referral::Column::StudentId),
        Read::MadeByIt => Ok(filed_by(actor)),
        _ => Err(may_not_read(actor, Resource::Referrals)),
    }
}

/// Referrals of students the caller holds (see the module doc of `policy`).
pub fn referral_rows_of_held(actor: &Actor) -> AppResult<Condition> {
    match read(actor, Resource::Referrals) {
        Read::OfItsStudents => {
            Ok(Condition::all().add(ssw_referral::Column::DistrictId.eq(actor.district_id)))
        }
        Read::MadeByIt => Ok(filed_by(actor)),
        _ => Err(may_not_read(actor, Resource::Referrals)),
    }
}

/// The referrals the actor filed; none for a token that names no staff member (the nil id
/// is no one's).
fn filed_by(actor: &Actor) -> Condition {
    Condition::all()
        .add(ssw_referral::Column::DistrictId.eq(actor.district_id))
        .add(ssw_referral::Column::FiledByStaffId.eq(actor.staff_id.unwrap_or(Uuid::nil())))
}

/// Cases the actor may read, by id or in a list.
pub fn case_rows(actor: &Actor) -> AppResult<Condition> {
    student_records(actor, Resource::Cases, ssw_case::Column::StudentId)
}

/// Cases of students the caller holds.
pub fn case_rows_of_held(actor: &Actor) -> AppResult<Condition> {
    held_records(actor, Resource::Cases, ssw_case::Column::DistrictId)
}

/// Contacts of the service log the actor may read, by id or in a list.
pub fn contact_rows(actor: &Actor) -> AppResult<Condition> {
    student_records(
        actor,
        Resource::ServiceContacts,
        service_contact::Column::StudentId,
    )
}

/// The service log of students the caller holds; `district_id` is the table's tenant column
/// (contacts, their addenda).
pub fn contact_rows_of_held<C: ColumnTrait>(actor: &Actor, district_id: C) -> AppResult<Condition> {
    held_records(actor, Resource::ServiceContacts, district_id)
}

/// Rows of `resource` (keyed by `student_id`) the actor may read.
fn student_records<C: ColumnTrait>(
    actor: &Actor,
    resource: Resource,
    student_id: C,
) -> AppResult<Condition> {
    match read(actor, resource) {
        Read::OfItsStudents => of_visible_students(actor, student_id),
        _ => Err(may_not_read(actor, resource)),
    }
}

/// Rows of `resource` about students the caller holds (`district_id`: the tenant column).
fn held_records<C: ColumnTrait>(
    actor: &Actor,
    resource: Resource,
    district_id: C,
) -> AppResult<Condition> {
    match read(actor, resource) {
        Read::OfItsStudents => Ok(Condition::all().add(district_id.eq(actor.district_id))),
        _ => Err(may_not_read(actor, resource)),
    }
}

/// Assessments, crisis incidents, safety plans or abuse reports (keyed by `student_id`) the
/// actor may read.
pub fn crisis_rows<C: ColumnTrait>(actor: &Actor, student_id: C) -> AppResult<Condition> {
    student_records(actor, Resource::Crises, student_id)
}

/// Assessments, crisis incidents, safety plans or abuse reports of students the caller holds.
pub fn crisis_rows_of_held<C: ColumnTrait>(actor: &Actor, district_id: C) -> AppResult<Condition> {
    held_records(actor, Resource::Crises, district_id)
}

/// Truancy steps the actor may read.
pub fn truancy_rows(actor: &Actor) -> AppResult<Condition> {
    student_records(actor, Resource::Truancy, truancy_step::Column::StudentId)
}

/// Truancy steps of students the caller holds.
pub fn truancy_rows_of_held(actor: &Actor) -> AppResult<Condition> {
    held_records(actor, Resource::Truancy, truancy_step::Column::DistrictId)
}

/// May the actor record truancy steps?
pub fn write_truancy(actor: &Actor) -> AppResult<()> {
    write(actor, &[Resource::Truancy], "record truancy steps")
}

/// May the actor record assessments, crises, safety plans and abuse reports?
pub fn write_crisis_records(actor: &Actor) -> AppResult<()> {
    write(actor, &[Resource::Crises], "record assessments and crises")
}

/// May the actor log contacts, sign them and add addenda?
pub fn write_service_log(actor: &Actor) -> AppResult<()> {
    write(actor, &[Resource::ServiceContacts], "write the service log")
}

/// May the actor read `worker`'s caseload report? Of the roles that read cases and staff, a
/// social worker reads only their own; admins anyone's.
pub fn worker_report(actor: &Actor, worker: Uuid) -> AppResult<()> {
    case_rows(actor)?;
    // A report names its worker: a role that may not read staff (a BI reader) reads none.
    super::staff_rows(actor)?;
    if actor.role == Role::SocialWorker && actor.staff_id != Some(worker) {
        return Err(AppError::Forbidden(
            "a social worker reads only their own caseload report".into(),
        ));
    }
    Ok(())
}

/// May the actor file a referral? (For which student: the caller checks it reads them.)
pub fn file_referrals(actor: &Actor) -> AppResult<()> {
    write(
        actor,
        &[Resource::Referrals],
        "file referrals to social work",
    )
}

/// May the actor work referrals and cases: assign, move through statuses, open and close?
pub fn work_cases(actor: &Actor) -> AppResult<()> {
    write(
        actor,
        &[Resource::Referrals, Resource::Cases],
        "work referrals and cases",
    )
}

/// Counseling groups the actor may read.
pub fn group_rows(actor: &Actor) -> AppResult<Condition> {
    if read(actor, Resource::Groups) != Read::OfItsStudents {
        return Err(may_not_read(actor, Resource::Groups));
    }
    let rows = Condition::all().add(counseling_group::Column::DistrictId.eq(actor.district_id));
    match read(actor, Resource::Students) {
        Read::District => Ok(rows),
        Read::OwnSchools => {
            let schools = actor.school_ids.clone();
            Ok(rows.add(counseling_group::Column::SchoolId.is_in(schools)))
        }
        _ => Err(may_not_read(actor, Resource::Students)),
    }
}

/// Rows (members, sessions) of the groups the actor may read, by id; `group_id` is the
/// table's column naming its group.
pub fn of_visible_groups<C: ColumnTrait>(actor: &Actor, group_id: C) -> AppResult<Condition> {
    let groups = counseling_group::Entity::find()
        .select_only()
        .column(counseling_group::Column::Id)
        .filter(group_rows(actor)?)
        .into_query();
    Ok(Condition::all().add(group_id.in_subquery(groups)))
}

/// Members, sessions and attendance of groups the caller holds (`district_id`: the table's
/// tenant column).
pub fn group_parts_of_held<C: ColumnTrait>(actor: &Actor, district_id: C) -> AppResult<Condition> {
    held_records(actor, Resource::Groups, district_id)
}

/// May the actor run a counseling group at `school`: create it, add and end members, log its
/// sessions (in the service log)?
pub fn run_group_at(actor: &Actor, school: Uuid) -> AppResult<()> {
    write(
        actor,
        &[Resource::Groups, Resource::ServiceContacts],
        "run counseling groups",
    )?;
    if read(actor, Resource::Students) == Read::OwnSchools && !actor.school_ids.contains(&school) {
        return Err(AppError::Forbidden(
            "a counseling group of another school is not yours to run".into(),
        ));
    }
    Ok(())
}
