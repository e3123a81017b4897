//! Creating and changing staff and their school assignments.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};
use chrono::Utc;
use entity::{staff, staff_school_assignment as assignment, values};
use uuid::Uuid;

use super::{Staff, StaffAssignment, StaffAssignmentPayload, StaffPayload, StaffRole, service};
use crate::{
    errors::AppResult,
    graphql::{
        context::ContextExt,
        ids::InputIds,
        mutation::{ChangeTo, apply_changes},
        scalars::Date,
    },
    roster::schools::School,
};

/// A staff member's own data, as a create or an SIS push sends it (flattened into both inputs).
#[derive(InputObject)]
pub struct StaffFields {
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
}

impl StaffFields {
    /// The new row of a staff member of `district_id`, known to a source system by `source`
    /// (system, sourced id) if it is.
    pub fn into_row(
        self,
        district_id: Uuid,
        (source_system, sourced_id): (Option<String>, Option<String>),
    ) -> staff::Model {
        let now = Utc::now();
        staff::Model {
            id: Uuid::now_v7(),
            district_id,
            source_system,
            sourced_id,
            first_name: self.first_name,
            last_name: self.last_name,
            email: self.email,
            role: self.role.into(),
            license: self.license,
            created_at: now,
            updated_at: now,
            deleted_at: None,
            version: 1,
        }
    }
}

/// A new staff member.
#[derive(InputObject)]
pub struct CreateStaffInput {
    #[graphql(flatten)]
    pub staff: StaffFields,
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
        let source = (input.source_system, input.sourced_id);
        let row = input.staff.into_row(ctx.actor()?.district_id, source);
        let write = ctx.write().await?;
        let outcome = service::create(&write, row).await?;
        Ok(write.finish(outcome).await?.map(Staff).into())
    }

    /// Changes a staff member, if nobody else changed it since `version`.
    async fn update_staff(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: UpdateStaffInput,
    ) -> AppResult<StaffPayload> {
        let mut sent = InputIds::default();
        let id = sent.target::<Staff>("id", &input.id);
        let mut changes = staff::ActiveModel::default();
        apply_changes!(changes;
            input.first_name => first_name,
            input.last_name => last_name,
            input.email.change() => email,
            input.role.map(values::StaffRole::from) => role,
            input.license.change() => license,
        );
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let write = ctx.write().await?;
        let outcome = sent.found(service::update(&write, (id, input.version), changes).await)?;
        Ok(write.finish(outcome).await?.map(Staff).into())
    }

    /// Assigns a staff member to a school.
    async fn assign_staff_to_school(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: AssignStaffInput,
    ) -> AppResult<StaffAssignmentPayload> {
        let mut sent = InputIds::default();
        let now = Utc::now();
        let row = assignment::Model {
            id: Uuid::now_v7(),
            district_id: ctx.actor()?.district_id,
            staff_id: sent.of::<Staff>("staffId", &input.staff_id),
            school_id: sent.of::<School>("schoolId", &input.school_id),
            start_date: input.start_date.0,
            end_date: input.end_date.map(|d| d.0),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let write = ctx.write().await?;
        let outcome = service::assign(&write, row).await?;
        Ok(write.finish(outcome).await?.map(StaffAssignment).into())
    }

    /// Ends or extends a school assignment.
    async fn update_staff_assignment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: UpdateStaffAssignmentInput,
    ) -> AppResult<StaffAssignmentPayload> {
        let mut sent = InputIds::default();
        let id = sent.target::<StaffAssignment>("id", &input.id);
        let mut changes = assignment::ActiveModel::default();
        apply_changes!(changes; input.end_date.change().map(|d| d.map(|d| d.0)) => end_date);
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let write = ctx.write().await?;
        let outcome =
            sent.found(service::update_assignment(&write, (id, input.version), changes).await)?;
        Ok(write.finish(outcome).await?.map(StaffAssignment).into())
    }
}
