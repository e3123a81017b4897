//! Creating and changing guardians and their links to students.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};
use chrono::Utc;
use entity::{guardian, student_guardian as link};
use uuid::Uuid;

use super::{
    ContactRestriction, Guardian, GuardianLink, GuardianLinkPayload, GuardianPayload, service,
};
use crate::{
    errors::AppResult,
    graphql::{
        context::ContextExt,
        ids::InputIds,
        mutation::{ChangeTo, apply_changes},
    },
    roster::students::Student,
};

/// A guardian's own data, as a create or an SIS push sends it (flattened into both inputs).
#[derive(InputObject)]
pub struct GuardianFields {
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
}

impl GuardianFields {
    /// The new row of a guardian of `district_id`, known to a source system by `source`
    /// (system, sourced id) if it is.
    pub fn into_row(
        self,
        district_id: Uuid,
        (source_system, sourced_id): (Option<String>, Option<String>),
    ) -> guardian::Model {
        let now = Utc::now();
        guardian::Model {
            id: Uuid::now_v7(),
            district_id,
            source_system,
            sourced_id,
            first_name: self.first_name,
            last_name: self.last_name,
            email: self.email,
            phone: self.phone,
            language: self.language,
            created_at: now,
            updated_at: now,
            deleted_at: None,
            version: 1,
        }
    }
}

/// A new guardian.
#[derive(InputObject)]
pub struct CreateGuardianInput {
    #[graphql(flatten)]
    pub guardian: GuardianFields,
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

/// What a link between a guardian and a student says, as a link or an SIS push sends it.
#[derive(InputObject)]
pub struct GuardianLinkFields {
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

impl GuardianLinkFields {
    /// The new link row of `student_id` and `guardian_id` in `district_id`.
    pub fn into_row(
        self,
        district_id: Uuid,
        (student_id, guardian_id): (Uuid, Uuid),
    ) -> link::Model {
        let now = Utc::now();
        link::Model {
            id: Uuid::now_v7(),
            district_id,
            student_id,
            guardian_id,
            relationship: self.relationship,
            lives_with: self.lives_with,
            contact_priority: self.contact_priority,
            restriction: self.restriction.map(Into::into),
            created_at: now,
            updated_at: now,
            deleted_at: None,
            version: 1,
        }
    }
}

/// Links a guardian to a student.
#[derive(InputObject)]
pub struct LinkGuardianInput {
    /// The student.
    pub student_id: ID,
    /// The guardian.
    pub guardian_id: ID,
    #[graphql(flatten)]
    pub link: GuardianLinkFields,
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
        let source = (input.source_system, input.sourced_id);
        let row = input.guardian.into_row(ctx.actor()?.district_id, source);
        let write = ctx.write().await?;
        let outcome = service::create(&write, row).await?;
        Ok(write.finish(outcome).await?.map(Guardian).into())
    }

    /// Changes a guardian, if nobody else changed it since `version`.
    async fn update_guardian(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: UpdateGuardianInput,
    ) -> AppResult<GuardianPayload> {
        let mut sent = InputIds::default();
        let id = sent.target::<Guardian>("id", &input.id);
        let mut changes = guardian::ActiveModel::default();
        apply_changes!(changes;
            input.first_name => first_name,
            input.last_name => last_name,
            input.email.change() => email,
            input.phone.change() => phone,
            input.language.change() => language,
        );
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let write = ctx.write().await?;
        let outcome = sent.found(service::update(&write, (id, input.version), changes).await)?;
        Ok(write.finish(outcome).await?.map(Guardian).into())
    }

    /// Links a guardian to a student.
    async fn link_guardian(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: LinkGuardianInput,
    ) -> AppResult<GuardianLinkPayload> {
        let mut sent = InputIds::default();
        let ids = (
            sent.of::<Student>("studentId", &input.student_id),
            sent.of::<Guardian>("guardianId", &input.guardian_id),
        );
        let row = input.link.into_row(ctx.actor()?.district_id, ids);
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let write = ctx.write().await?;
        let outcome = service::link(&write, row).await?;
        Ok(write.finish(outcome).await?.map(GuardianLink).into())
    }

    /// Changes a guardian link (relationship, contact order, restriction).
    async fn update_guardian_link(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: UpdateGuardianLinkInput,
    ) -> AppResult<GuardianLinkPayload> {
        let mut sent = InputIds::default();
        let id = sent.target::<GuardianLink>("id", &input.id);
        let mut changes = link::ActiveModel::default();
        apply_changes!(changes;
            input.relationship => relationship,
            input.lives_with => lives_with,
            input.contact_priority => contact_priority,
            input.restriction.change().map(|r| r.map(Into::into)) => restriction,
        );
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let write = ctx.write().await?;
        let outcome =
            sent.found(service::update_link(&write, (id, input.version), changes).await)?;
        Ok(write.finish(outcome).await?.map(GuardianLink).into())
    }
}
