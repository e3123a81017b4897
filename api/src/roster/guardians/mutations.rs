//! Creating and changing guardians and their links to students.

use super::{ContactRestriction, Guardian, GuardianLink, GuardianLinkPayload, GuardianPayload};
use crate::roster::RosterContext;
use crate::roster::{check_source, students::Student};
use crate::{
    auth::policy,
    errors::AppResult,
    graphql::{
        context::ContextExt,
        ids,
        mutation::{
            ChangeTo, Check, UserErrorCode, apply_changes, duplicate, insert_recorded,
            update_recorded,
        },
    },
};
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};
use chrono::Utc;
use entity::{guardian, student_guardian as link};
use uuid::Uuid;

/// A new guardian.
#[derive(InputObject)]
pub struct CreateGuardianInput {
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// E-mail address.
    pub email: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// Preferred language.
    pub language: Option<String>,
    /// The system that owns the record.
    pub source_system: Option<String>,
    /// The record's id in that system.
    pub sourced_id: Option<String>,
}

/// Changes to a guardian; fields left out stay as they are.
#[derive(InputObject)]
pub struct UpdateGuardianInput {
    /// The guardian.
    pub id: ID,
    /// The version you read.
    pub version: i32,
    /// New first name.
    pub first_name: Option<String>,
    /// New last name.
    pub last_name: Option<String>,
    /// New e-mail address.
    pub email: MaybeUndefined<String>,
    /// New phone number.
    pub phone: MaybeUndefined<String>,
    /// New preferred language.
    pub language: MaybeUndefined<String>,
}

/// Links a guardian to a student.
#[derive(InputObject)]
pub struct LinkGuardianInput {
    /// The student.
    pub student_id: ID,
    /// The guardian.
    pub guardian_id: ID,
    /// Relationship to the student.
    pub relationship: String,
    /// The student lives with this guardian.
    #[graphql(default)]
    pub lives_with: bool,
    /// Contact order (1 first).
    #[graphql(default = 1)]
    pub contact_priority: i32,
    /// A custody or contact restriction.
    pub restriction: Option<ContactRestriction>,
}

/// Changes to a guardian link.
#[derive(InputObject)]
pub struct UpdateGuardianLinkInput {
    /// The link.
    pub id: ID,
    /// The version you read.
    pub version: i32,
    /// New relationship.
    pub relationship: Option<String>,
    /// Lives with the student.
    pub lives_with: Option<bool>,
    /// New contact order.
    pub contact_priority: Option<i32>,
    /// New restriction (null lifts it).
    pub restriction: MaybeUndefined<ContactRestriction>,
}

fn check_guardian(check: &mut Check, first: Option<&str>, last: Option<&str>, email: Option<&str>) {
    check.text("firstName", first, 100);
    check.text("lastName", last, 100);
    check.email("email", email);
}

fn check_link(check: &mut Check, relationship: Option<&str>, priority: Option<i32>) {
    check.text("relationship", relationship, 50);
    if priority.is_some_and(|p| !(1..=99).contains(&p)) {
        check.fail(
            "contactPriority",
            UserErrorCode::OutOfRange,
            "contactPriority is from 1 to 99",
        );
    }
}

#[derive(Default)]
pub struct GuardianMutation;

#[Object]
impl GuardianMutation {
    /// Adds a guardian.
    async fn create_guardian(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: CreateGuardianInput,
    ) -> AppResult<GuardianPayload> {
        let actor = ctx.actor()?;
        policy::write_roster(actor)?;
        let mut check = Check::default();
        check_guardian(
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
            return Ok(GuardianPayload::refused(check.into_errors()));
        }
        let now = Utc::now();
        let row = guardian::Model {
            id: Uuid::now_v7(),
            district_id: actor.district_id,
            source_system: input.source_system,
            sourced_id: input.sourced_id,
            first_name: input.first_name.trim().into(),
            last_name: input.last_name.trim().into(),
            email: input.email,
            phone: input.phone,
            language: input.language,
            created_at: now,
            updated_at: now,
            deleted_at: None,
            version: 1,
        };
        Ok(match insert_recorded::<guardian::Entity>(ctx, row).await? {
            Some(row) => GuardianPayload::done(Guardian(row)),
            None => GuardianPayload::refused(duplicate(
                "sourcedId",
                "a guardian with this sourceSystem and sourcedId",
            )),
        })
    }

    /// Changes a guardian, if nobody else changed it since `version`.
    async fn update_guardian(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: UpdateGuardianInput,
    ) -> AppResult<GuardianPayload> {
        let actor = ctx.actor()?;
        policy::write_roster(actor)?;
        let id = ids::decode_as::<Guardian>(&input.id, "input.id")?;
        let mut check = Check::default();
        check_guardian(
            &mut check,
            input.first_name.as_deref(),
            input.last_name.as_deref(),
            input.email.value().map(String::as_str),
        );
        if !check.is_empty() {
            return Ok(GuardianPayload::refused(check.into_errors()));
        }
        let mut changes = guardian::ActiveModel::default();
        apply_changes!(changes;
            input.first_name.map(|v| v.trim().to_string()) => first_name,
            input.last_name.map(|v| v.trim().to_string()) => last_name,
            input.email.change() => email,
            input.phone.change() => phone,
            input.language.change() => language,
        );
        let row = update_recorded::<guardian::Entity>(
            ctx,
            changes,
            (id, input.version),
            policy::guardian_rows(actor)?,
        )
        .await?;
        Ok(GuardianPayload::done(Guardian(row)))
    }

    /// Links a guardian to a student.
    async fn link_guardian(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: LinkGuardianInput,
    ) -> AppResult<GuardianLinkPayload> {
        let actor = ctx.actor()?;
        policy::write_roster(actor)?;
        let student_id = ids::decode_as::<Student>(&input.student_id, "input.studentId")?;
        let guardian_id = ids::decode_as::<Guardian>(&input.guardian_id, "input.guardianId")?;
        let mut check = Check::default();
        check.found(
            "studentId",
            ctx.roster().student.load_one(student_id).await?,
            "student",
        );
        check.found(
            "guardianId",
            ctx.roster().guardian.load_one(guardian_id).await?,
            "guardian",
        );
        check_link(
            &mut check,
            Some(&input.relationship),
            Some(input.contact_priority),
        );
        if !check.is_empty() {
            return Ok(GuardianLinkPayload::refused(check.into_errors()));
        }
        let now = Utc::now();
        let row = link::Model {
            id: Uuid::now_v7(),
            district_id: actor.district_id,
            student_id,
            guardian_id,
            relationship: input.relationship.trim().into(),
            lives_with: input.lives_with,
            contact_priority: input.contact_priority,
            restriction: input.restriction.map(Into::into),
            created_at: now,
            updated_at: now,
            deleted_at: None,
            version: 1,
        };
        Ok(match insert_recorded::<link::Entity>(ctx, row).await? {
            Some(row) => GuardianLinkPayload::done(GuardianLink(row)),
            None => GuardianLinkPayload::refused(duplicate(
                "guardianId",
                "a link between this guardian and student",
            )),
        })
    }

    /// Changes a guardian link (relationship, contact order, restriction).
    async fn update_guardian_link(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: UpdateGuardianLinkInput,
    ) -> AppResult<GuardianLinkPayload> {
        let actor = ctx.actor()?;
        policy::write_roster(actor)?;
        let id = ids::decode_as::<GuardianLink>(&input.id, "input.id")?;
        let mut check = Check::default();
        check_link(
            &mut check,
            input.relationship.as_deref(),
            input.contact_priority,
        );
        if !check.is_empty() {
            return Ok(GuardianLinkPayload::refused(check.into_errors()));
        }
        let mut changes = link::ActiveModel::default();
        apply_changes!(changes;
            input.relationship.map(|v| v.trim().to_string()) => relationship,
            input.lives_with => lives_with,
            input.contact_priority => contact_priority,
            input.restriction.change().map(|r| r.map(Into::into)) => restriction,
        );
        let row = update_recorded::<link::Entity>(
            ctx,
            changes,
            (id, input.version),
            policy::guardian_link_rows(actor)?,
        )
        .await?;
        Ok(GuardianLinkPayload::done(GuardianLink(row)))
    }
}
