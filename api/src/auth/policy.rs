//! Every access decision of ssw-api, in one place.
//!
//! Resolvers and loaders ask this module which rows (a SQL condition, applied in the query
//! itself, so pagination and counts stay right) and which fields an actor may see, and never
//! decide it themselves. Anything not granted here is denied.
//!
//! | role            | roster rows it reads                                 | roster writes |
//! |-----------------|------------------------------------------------------|---------------|
//! | DISTRICT_ADMIN  | its whole district                                   | yes           |
//! | SIS_INTEGRATION | its whole district                                   | yes           |
//! | SOCIAL_WORKER   | schools and staff of its district; students currently enrolled in its schools | no |
//! | SCHOOL_STAFF    | as SOCIAL_WORKER, but only directory fields of students | no         |
//! | BI_READER       | schools; students pseudonymised (no names or ids)   | no            |
//! | AGENCY_PARTNER  | nothing of the roster (it sees referrals, later)     | no            |
//!
//! Guardians with a contact restriction are never shown as contacts; only DISTRICT_ADMIN and
//! SIS_INTEGRATION, who keep those records, see the restricted links (flagged as such).
//!
//! MTSS records are EDUCATIONAL data, always of students the actor may see:
//!
//! | role            | tiers, interventions, attendance | IEP/504                 | McKinney-Vento | writes |
//! |-----------------|----------------------------------|-------------------------|----------------|--------|
//! | DISTRICT_ADMIN  | read                             | read                    | read           | all, the catalogue and descriptors |
//! | SOCIAL_WORKER   | read                             | read                    | read           | all but attendance and the catalogue |
//! | SCHOOL_STAFF    | no                               | only that a plan exists | no             | no     |
//! | BI_READER       | read                             | no                      | no             | no     |
//! | SIS_INTEGRATION | no                               | no                      | no             | attendance |
//! | AGENCY_PARTNER  | no                               | no                      | no             | no     |

use entity::{
    enrollment, guardian, school, staff, staff_school_assignment, student, student_guardian,
};
use sea_orm::{ColumnTrait, Condition, sea_query::Query};
use uuid::Uuid;

use super::{Actor, Role};
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
}

fn forbidden(what: &str, actor: &Actor) -> AppError {
    AppError::Forbidden(format!("role {} may not {what}", actor.role.as_str()))
}

/// Roles limited to the schools listed in their token.
fn limited_to_own_schools(actor: &Actor) -> bool {
    matches!(actor.role, Role::SocialWorker | Role::SchoolStaff)
}

/// Rows of the actor's district: the tenant boundary every other rule sits inside.
pub fn district_rows(actor: &Actor) -> Condition {
    Condition::all().add(entity::district::Column::Id.eq(actor.district_id))
}

pub fn school_rows(actor: &Actor) -> AppResult<Condition> {
    if actor.role == Role::AgencyPartner {
        return Err(forbidden("read schools", actor));
    }
    Ok(Condition::all()
        .add(school::Column::DistrictId.eq(actor.district_id))
        .add(school::Column::DeletedAt.is_null()))
}

pub fn staff_rows(actor: &Actor) -> AppResult<Condition> {
    if matches!(actor.role, Role::AgencyPartner | Role::BiReader) {
        return Err(forbidden("read staff", actor));
    }
    Ok(Condition::all()
        .add(staff::Column::DistrictId.eq(actor.district_id))
        .add(staff::Column::DeletedAt.is_null()))
}

pub fn assignment_rows(actor: &Actor) -> AppResult<Condition> {
    staff_rows(actor)?;
    Ok(Condition::all().add(staff_school_assignment::Column::DistrictId.eq(actor.district_id)))
}

pub fn student_rows(actor: &Actor) -> AppResult<Condition> {
    if actor.role == Role::AgencyPartner {
        return Err(forbidden("read students", actor));
    }
    let mut rows = Condition::all()
        .add(student::Column::DistrictId.eq(actor.district_id))
        .add(student::Column::DeletedAt.is_null());
    if limited_to_own_schools(actor) {
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
        rows = rows.add(student::Column::Id.in_subquery(enrolled_here));
    }
    Ok(rows)
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
    let mut rows = Condition::all()
        .add(enrollment::Column::DistrictId.eq(actor.district_id))
        .add(enrollment::Column::DeletedAt.is_null());
    if actor.role != Role::DistrictAdmin && actor.role != Role::SisIntegration {
        rows = rows.add(of_visible_students(actor, enrollment::Column::StudentId)?);
    }
    Ok(rows)
}

/// Whether the actor manages guardian records and so may see restricted links.
pub fn sees_restricted_guardians(actor: &Actor) -> bool {
    matches!(actor.role, Role::DistrictAdmin | Role::SisIntegration)
}

pub fn guardian_link_rows(actor: &Actor) -> AppResult<Condition> {
    if matches!(actor.role, Role::AgencyPartner | Role::BiReader) {
        return Err(forbidden("read guardians", actor));
    }
    let mut rows = Condition::all()
        .add(student_guardian::Column::DistrictId.eq(actor.district_id))
        .add(student_guardian::Column::DeletedAt.is_null());
    if !sees_restricted_guardians(actor) {
        rows = rows
            .add(student_guardian::Column::Restriction.is_null())
            .add(of_visible_students(
                actor,
                student_guardian::Column::StudentId,
            )?);
    }
    Ok(rows)
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
    let allowed = match field {
        StudentField::Name => !matches!(actor.role, Role::BiReader | Role::AgencyPartner),
        StudentField::Identifiers => matches!(
            actor.role,
            Role::DistrictAdmin | Role::SisIntegration | Role::SocialWorker
        ),
        StudentField::Demographics => matches!(
            actor.role,
            Role::DistrictAdmin | Role::SisIntegration | Role::SocialWorker | Role::BiReader
        ),
    };
    if allowed {
        Ok(())
    } else {
        Err(forbidden(&format!("read student {field:?} fields"), actor))
    }
}

/// Schools, staff, students, enrollments and guardians are written by the district and its SIS.
pub fn write_roster(actor: &Actor) -> AppResult<()> {
    match actor.role {
        Role::DistrictAdmin | Role::SisIntegration => Ok(()),
        _ => Err(forbidden("change roster records", actor)),
    }
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

/// Kinds of EDUCATIONAL data about a student.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Educational {
    Tiers,
    Interventions,
    Attendance,
    SpecialEducation,
    Homeless,
}

/// Rows of `data` (keyed by `student_id`) the actor may read.
pub fn educational_rows<C: ColumnTrait>(
    actor: &Actor,
    data: Educational,
    student_id: C,
) -> AppResult<Condition> {
    let allowed = match data {
        Educational::Tiers | Educational::Interventions | Educational::Attendance => {
            matches!(
                actor.role,
                Role::DistrictAdmin | Role::SocialWorker | Role::BiReader
            )
        }
        Educational::SpecialEducation | Educational::Homeless => {
            matches!(actor.role, Role::DistrictAdmin | Role::SocialWorker)
        }
    };
    if !allowed {
        return Err(forbidden(&format!("read {data:?} data"), actor));
    }
    of_visible_students(actor, student_id)
}

/// Whether the actor may learn that a student has an IEP or 504 plan (not its contents).
pub fn special_education_exists_rows<C: ColumnTrait>(
    actor: &Actor,
    student_id: C,
) -> AppResult<Condition> {
    if actor.role == Role::SchoolStaff {
        return of_visible_students(actor, student_id);
    }
    educational_rows(actor, Educational::SpecialEducation, student_id)
}

/// May the actor write `data`? (Which students: the caller checks the student is visible.)
pub fn write_educational(actor: &Actor, data: Educational) -> AppResult<()> {
    let allowed = match data {
        Educational::Attendance => matches!(actor.role, Role::DistrictAdmin | Role::SisIntegration),
        _ => matches!(actor.role, Role::DistrictAdmin | Role::SocialWorker),
    };
    if allowed {
        Ok(())
    } else {
        Err(forbidden(&format!("change {data:?} data"), actor))
    }
}

/// The district's intervention catalogue is not student data: every staff role reads it.
pub fn catalogue_rows(actor: &Actor) -> AppResult<Condition> {
    if matches!(actor.role, Role::AgencyPartner | Role::SisIntegration) {
        return Err(forbidden("read the intervention catalogue", actor));
    }
    Ok(Condition::all().add(entity::intervention::Column::DistrictId.eq(actor.district_id)))
}

/// The catalogue and the district's descriptors are kept by district admins.
pub fn write_district_settings(actor: &Actor) -> AppResult<()> {
    if actor.role == Role::DistrictAdmin {
        Ok(())
    } else {
        Err(forbidden("change district settings", actor))
    }
}

/// Descriptors: the Ed-Fi defaults and the actor's district's own.
pub fn descriptor_rows(actor: &Actor) -> Condition {
    Condition::any()
        .add(entity::descriptor::Column::DistrictId.is_null())
        .add(entity::descriptor::Column::DistrictId.eq(actor.district_id))
}
