//! The rules of counseling groups, without GraphQL: creating one at a school, members joining
//! (students of that school) and leaving, and logging a session once for the group: the
//! session, a contact in the service log for each member present (through the service log's
//! own rules) and a row of attendance for each member of the day.

use chrono::{NaiveDate, Utc};
use entity::{
    counseling_group, group_attendance, group_member, group_session, school,
    service_contact as contact, student,
};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use uuid::Uuid;

use super::super::{cases_service::check_worker, contact_rules::check_minutes_and_billing};
use crate::{
    auth::policy,
    casework::contacts_service,
    db::Write,
    errors::{AppError, AppResult},
    roster::{students, students::service::check_visible},
    validation::{Check, Outcome, UserError, UserErrorCode, duplicate},
};

/// Longest group name.
const NAME_MAX: usize = 200;
/// Most members present at one session.
pub const PRESENT_MAX: usize = 50;

/// Whether `member` belonged to the group on `day`.
pub fn member_on(member: &group_member::Model, day: NaiveDate) -> bool {
    member.joined_on <= day && member.left_on.is_none_or(|left| left >= day)
}

/// Whether `day` falls within the group's run.
fn runs_on(group: &counseling_group::Model, day: NaiveDate) -> bool {
    group.starts_on <= day && group.ends_on.is_none_or(|end| end >= day)
}

/// Creates group `row` at its school (one of the writer's), run by pupil-services staff.
pub async fn create(
    write: &Write<'_>,
    mut row: counseling_group::Model,
) -> AppResult<Outcome<counseling_group::Model>> {
    let actor = write.actor();
    policy::run_group_at(actor, row.school_id)?;
    let mut check = Check::default();
    let found = write
        .find::<school::Entity>(row.school_id, policy::school_rows(actor)?)
        .await?;
    check.found("schoolId", found, "school");
    check_worker(write, &mut check, "facilitatorId", row.facilitator_staff_id).await?;
    check.text("name", Some(&row.name), NAME_MAX);
    row.name = row.name.trim().to_string();
    check.dates_in_order(Some(row.starts_on), row.ends_on, "endsOn", "startsOn");
    if let Err(errors) = check.finish() {
        return Ok(Err(errors));
    }
    Ok(Ok(write
        .insert_new::<counseling_group::Entity>(row)
        .await?))
}

/// The group `id` the writer runs, or NOT_FOUND / FORBIDDEN.
async fn group_to_run(write: &Write<'_>, id: Uuid) -> AppResult<counseling_group::Model> {
    let actor = write.actor();
    let group = write
        .find::<counseling_group::Entity>(id, policy::group_rows(actor)?)
        .await?
        .ok_or_else(|| AppError::not_found("CounselingGroup", id))?;
    policy::run_group_at(actor, group.school_id)?;
    Ok(group)
}

/// Adds member `row` to its group: a student the writer sees, enrolled at the group's school
/// on the day they join, within the group's run; once per group (DUPLICATE).
pub async fn add_member(
    write: &Write<'_>,
    row: group_member::Model,
) -> AppResult<Outcome<group_member::Model>> {
    let group = group_to_run(write, row.group_id).await?;
    let mut check = Check::default();
    check_visible(write, &mut check, row.student_id).await?;
    if check.is_empty() {
        let enrolled = student::Entity::find()
            .filter(student::Column::Id.eq(row.student_id))
            .filter(students::enrolled_in(
                group.school_id,
                row.joined_on,
                student::Column::Id,
            ))
            .count(write.txn())
            .await?;
        if enrolled == 0 {
            check.fail(
                "studentId",
                UserErrorCode::Invalid,
                "the student is not enrolled at the group's school on joinedOn",
            );
        }
    }
    if !runs_on(&group, row.joined_on) {
        check.fail(
            "joinedOn",
            UserErrorCode::OutOfRange,
            "joinedOn falls outside the group's run (startsOn to endsOn)",
        );
    }
    if let Err(errors) = check.finish() {
        return Ok(Err(errors));
    }
    Ok(match write.insert::<group_member::Entity>(row).await? {
        Some(member) => Ok(member),
        None => Err(duplicate("studentId", "membership of this group")),
    })
}

/// Ends membership `id` (if still at `version`) on `left_on`, not before they joined; an
/// ended one is not ended again (INVALID_TRANSITION).
pub async fn end_membership(
    write: &Write<'_>,
    (id, version): (Uuid, i32),
    left_on: NaiveDate,
) -> AppResult<Outcome<group_member::Model>> {
    let actor = write.actor();
    let scope = policy::of_visible_groups(actor, group_member::Column::GroupId)?;
    let member = write
        .find::<group_member::Entity>(id, scope.clone())
        .await?
        .ok_or_else(|| AppError::not_found("GroupMember", id))?;
    group_to_run(write, member.group_id).await?;
    let mut check = Check::default();
    if member.left_on.is_some() {
        check.fail(
            "id",
            UserErrorCode::InvalidTransition,
            "the member left already",
        );
    }
    check.dates_in_order(Some(member.joined_on), Some(left_on), "leftOn", "joinedOn");
    if let Err(errors) = check.finish() {
        return Ok(Err(errors));
    }
    let changes = group_member::ActiveModel {
        left_on: Set(Some(left_on)),
        ..Default::default()
    };
    Ok(Ok(write
        .update::<group_member::Entity>(changes, (id, version), scope)
        .await?))
}

/// A member present at a session: their contact as the session's `template` makes it, with
/// what it served and how they responded.
pub struct Present {
    pub student_id: Uuid,
    pub case_id: Option<Uuid>,
    pub plan_id: Option<Uuid>,
    pub iep_id: Option<Uuid>,
    pub student_response: Option<String>,
}

/// Logs a session of group `group_id` as `template` describes it (day, times, setting,
/// billing; its student and what it served are each member's): each member in `present` (a
/// member on the day, once) gets a GROUP_COUNSELING contact by the facilitator, through the
/// service log's rules; every member of the day an attendance row.
pub async fn log_session(
    write: &Write<'_>,
    (group_id, mut template, minutes_given): (Uuid, contact::Model, Option<i32>),
    present: Vec<Present>,
) -> AppResult<Outcome<group_session::Model>> {
    let group = group_to_run(write, group_id).await?;
    let day = template.date;
    let mut check = Check::default();
    check.not_in_future("date", Some(day), write.actor().today);
    if !runs_on(&group, day) {
        let message = "date falls outside the group's run (startsOn to endsOn)";
        check.fail("date", UserErrorCode::OutOfRange, message);
    }
    check_minutes_and_billing(&mut check, &mut template, minutes_given);
    if template.missed_reason.is_some() {
        let message = "a session is logged when it met: log a missed one per member";
        check.fail("missedReason", UserErrorCode::Invalid, message);
    }
    let members: Vec<group_member::Model> = group_member::Entity::find()
        .filter(group_member::Column::GroupId.eq(group.id))
        .all(write.txn())
        .await?
        .into_iter()
        .filter(|member| member_on(member, day))
        .collect();
    if present.is_empty() || present.len() > PRESENT_MAX {
        let message = format!("from 1 to {PRESENT_MAX} members present");
        check.fail("present", UserErrorCode::OutOfRange, message);
    }
    for (at, member) in present.iter().enumerate() {
        let field = format!("present.{at}.studentId");
        if !members.iter().any(|m| m.student_id == member.student_id) {
            let message = "not a member of the group on the session's date";
            check.fail(&field, UserErrorCode::Invalid, message);
        } else if present[..at]
            .iter()
            .any(|m| m.student_id == member.student_id)
        {
            check.fail(&field, UserErrorCode::Duplicate, "listed twice");
        }
    }
    if let Err(errors) = check.finish() {
        return Ok(Err(errors));
    }
    let now = Utc::now();
    let session = write
        .insert_new::<group_session::Entity>(group_session::Model {
            id: Uuid::now_v7(),
            district_id: group.district_id,
            group_id: group.id,
            facilitator_staff_id: group.facilitator_staff_id,
            date: day,
            start_time: template.start_time.clone(),
            end_time: template.end_time.clone(),
            minutes: template.minutes,
            present: present.len() as i32,
            created_at: now,
            updated_at: now,
            version: 1,
        })
        .await?;
    let mut errors = Vec::new();
    let mut contacts = Vec::new();
    for (at, member) in present.into_iter().enumerate() {
        let row = contact::Model {
            id: Uuid::now_v7(),
            student_id: member.student_id,
            provider_staff_id: group.facilitator_staff_id,
            case_id: member.case_id,
            plan_id: member.plan_id,
            iep_id: member.iep_id,
            student_response: member.student_response,
            group_session_id: Some(session.id),
            group_size: Some(session.present),
            ..template.clone()
        };
        match contacts_service::log(write, row, Some(template.minutes)).await? {
            Ok(contact) => contacts.push(contact),
            Err(problems) => errors.extend(problems.into_iter().map(|e| of_member(e, at))),
        }
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    for member in members {
        let contact = contacts.iter().find(|c| c.student_id == member.student_id);
        write
            .insert_new::<group_attendance::Entity>(group_attendance::Model {
                id: Uuid::now_v7(),
                district_id: group.district_id,
                session_id: session.id,
                student_id: member.student_id,
                present: contact.is_some(),
                contact_id: contact.map(|c| c.id),
                created_at: now,
                updated_at: now,
                version: 1,
            })
            .await?;
    }
    Ok(Ok(session))
}

/// A problem with member `at`'s contact, named at their place in `present`.
fn of_member(mut error: UserError, at: usize) -> UserError {
    error.field = error.field.map(|field| match field.strip_prefix("input.") {
        Some(rest) => format!("input.present.{at}.{rest}"),
        None => field,
    });
    error
}
