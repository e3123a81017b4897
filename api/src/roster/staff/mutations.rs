//! Creating and changing staff and their school assignments.

use super::{Staff, StaffAssignment, StaffAssignmentPayload, StaffPayload, StaffRole};
use crate::roster::RosterContext;
use crate::roster::{check_source, schools::School};
use crate::{
    auth::policy,
    errors::{AppError, AppResult},
    graphql::{
        context::ContextExt,
        ids,
        mutation::{
            ChangeTo, Check, apply_changes, duplicate, insert_new, insert_recorded, update_recorded,
        },
        scalars::Date,
    },
};
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};
use chrono::Utc;
use entity::{staff, staff_school_assignment as assignment, values};
use uuid::Uuid;

/// A new staff member.
#[derive(InputObject)]
pub struct CreateStaffInput {
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Work e-mail address.
    pub email: Option<String>,
    /// The job held.
    pub role: StaffRole,
    /// License or credential.
    pub license: Option<String>,
    /// The system that owns the record, when an integration creates it.
    pub source_system: Option<String>,
    /// The record's id in that system.
    pub sourced_id: Option<String>,
}

/// Changes to a staff member; fields left out stay as they are.
#[derive(InputObject)]
pub struct UpdateStaffInput {
    /// The staff member to change.
    pub id: ID,
    /// The version you read.
    pub version: i32,
    /// New first name.
    pub first_name: Option<String>,
    /// New last name.
    pub last_name: Option<String>,
    /// New e-mail address (null clears it).
    pub email: MaybeUndefined<String>,
    /// New role.
    pub role: Option<StaffRole>,
    /// New license (null clears it).
    pub license: MaybeUndefined<String>,
}

/// Assigns a staff member to a school from a date.
#[derive(InputObject)]
pub struct AssignStaffInput {
    /// The staff member.
    pub staff_id: ID,
    /// The school.
    pub school_id: ID,
    /// First day of the assignment.
    pub start_date: Date,
    /// Last day, if known.
    pub end_date: Option<Date>,
}

/// Changes the end of an assignment (to end it, or to extend it).
#[derive(InputObject)]
pub struct UpdateStaffAssignmentInput {
    /// The assignment.
    pub id: ID,
    /// The version you read.
    pub version: i32,
    /// New last day (null: open-ended).
    pub end_date: MaybeUndefined<Date>,
}

fn check_staff(check: &mut Check, first: Option<&str>, last: Option<&str>, email: Option<&str>) {
    check.text("firstName", first, 100);
    check.text("lastName", last, 100);
    check.email("email", email);
}

#[derive(Default)]
pub struct StaffMutation;

#[Object]
impl StaffMutation {
    /// Adds a staff member to the district.
    async fn create_staff(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: CreateStaffInput,
    ) -> AppResult<StaffPayload> {
        let actor = ctx.actor()?;
        policy::write_roster(actor)?;
        let mut check = Check::default();
        check_staff(
            &mut check,
            Some(&input.first_name),
            Some(&input.last_name),
            input.email.as_deref(),
        );
        check_source(
            &mut check,
            input.source_system.as_deref(),
            input.sourced_id.as_deref(),
        );
        if !check.is_empty() {
            return Ok(StaffPayload::refused(check.into_errors()));
        }
        let now = Utc::now();
        let row = staff::Model {
            id: Uuid::now_v7(),
            district_id: actor.district_id,
            source_system: input.source_system,
            sourced_id: input.sourced_id,
            first_name: input.first_name.trim().into(),
            last_name: input.last_name.trim().into(),
            email: input.email,
            role: input.role.into(),
            license: input.license,
            created_at: now,
            updated_at: now,
            deleted_at: None,
            version: 1,
        };
        Ok(match insert_recorded::<staff::Entity>(ctx, row).await? {
            Some(row) => StaffPayload::done(Staff(row)),
            None => StaffPayload::refused(duplicate(
                "sourcedId",
                "a staff member with this sourceSystem and sourcedId",
            )),
        })
    }

    /// Changes a staff member, if nobody else changed it since `version`.
    async fn update_staff(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: UpdateStaffInput,
    ) -> AppResult<StaffPayload> {
        let actor = ctx.actor()?;
        policy::write_roster(actor)?;
        let id = ids::decode_as::<Staff>(&input.id, "input.id")?;
        let mut check = Check::default();
        check_staff(
            &mut check,
            input.first_name.as_deref(),
            input.last_name.as_deref(),
            input.email.value().map(String::as_str),
        );
        if !check.is_empty() {
            return Ok(StaffPayload::refused(check.into_errors()));
        }
        let mut changes = staff::ActiveModel::default();
        apply_changes!(changes;
            input.first_name.map(|v| v.trim().to_string()) => first_name,
            input.last_name.map(|v| v.trim().to_string()) => last_name,
            input.email.change() => email,
            input.role.map(values::StaffRole::from) => role,
            input.license.change() => license,
        );
        let row = update_recorded::<staff::Entity>(
            ctx,
            changes,
            (id, input.version),
            policy::staff_rows(actor)?,
        )
        .await?;
        Ok(StaffPayload::done(Staff(row)))
    }

    /// Assigns a staff member to a school.
    async fn assign_staff_to_school(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: AssignStaffInput,
    ) -> AppResult<StaffAssignmentPayload> {
        let actor = ctx.actor()?;
        policy::write_roster(actor)?;
        let staff_id = ids::decode_as::<Staff>(&input.staff_id, "input.staffId")?;
        let school_id = ids::decode_as::<School>(&input.school_id, "input.schoolId")?;
        let mut check = Check::default();
        check.found(
            "staffId",
            ctx.roster().staff.load_one(staff_id).await?,
            "staff member",
        );
        check.found(
            "schoolId",
            ctx.roster().school.load_one(school_id).await?,
            "school",
        );
        check.dates_in_order(
            Some(input.start_date),
            input.end_date,
            "endDate",
            "startDate",
        );
        if !check.is_empty() {
            return Ok(StaffAssignmentPayload::refused(check.into_errors()));
        }
        let now = Utc::now();
        let row = assignment::Model {
            id: Uuid::now_v7(),
            district_id: actor.district_id,
            staff_id,
            school_id,
            start_date: input.start_date.0,
            end_date: input.end_date.map(|d| d.0),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let row = insert_new::<assignment::Entity>(ctx, row).await?;
        Ok(StaffAssignmentPayload::done(StaffAssignment(row)))
    }

    /// Ends or extends a school assignment.
    async fn update_staff_assignment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: UpdateStaffAssignmentInput,
    ) -> AppResult<StaffAssignmentPayload> {
        let actor = ctx.actor()?;
        policy::write_roster(actor)?;
        let id = ids::decode_as::<StaffAssignment>(&input.id, "input.id")?;
        let current = ctx
            .roster()
            .assignment
            .load_one(id)
            .await?
            .ok_or_else(|| AppError::not_found("StaffAssignment", id))?;
        let mut check = Check::default();
        check.dates_in_order(
            Some(current.start_date),
            input.end_date.value().map(|d| d.0),
            "endDate",
            "startDate",
        );
        if !check.is_empty() {
            return Ok(StaffAssignmentPayload::refused(check.into_errors()));
        }
        let mut changes = assignment::ActiveModel::default();
        apply_changes!(changes; input.end_date.change().map(|d| d.map(|d| d.0)) => end_date);
        let row = update_recorded::<assignment::Entity>(
            ctx,
            changes,
            (id, input.version),
            policy::assignment_rows(actor)?,
        )
        .await?;
        Ok(StaffAssignmentPayload::done(StaffAssignment(row)))
    }
}
