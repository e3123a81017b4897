//! Guardians and their links to students, with custody and contact restrictions: a restricted
//! guardian is never shown as a contact (the policy removes those links from every read).

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};
use chrono::Utc;
use entity::{guardian, student_guardian as link, values};
use uuid::Uuid;

use super::{
    SourceKey, check_source,
    students::{self, Student},
};
use crate::{
    auth::policy,
    db::Recorded,
    errors::{AppError, AppResult},
    graphql::{
        context::ContextExt,
        mutation::{
            ChangeTo, Check, UserErrorCode, apply_changes, duplicate, insert_recorded,
            payload_type, update_recorded,
        },
        node::{self, Kind},
        pagination::connection_type,
        scalars::mirror_enum,
    },
};
use entity::values::AuditAction;

mirror_enum! {
    /// A limit a court or the district placed on a guardian's contact with a student.
    ContactRestriction = values::ContactRestriction {
        /// The guardian may not be contacted about the student at all.
        NoContact,
        /// The guardian may not pick the student up.
        NoPickup,
        /// The guardian may not see the student's records.
        NoRecordsAccess,
    }
}

/// A parent or guardian.
#[derive(Clone)]
pub struct Guardian(pub guardian::Model);

/// A parent or guardian.
#[Object]
impl Guardian {
    /// The guardian's opaque global id.
    pub async fn id(&self) -> ID {
        node::encode(Kind::Guardian, self.0.id)
    }
    /// First name.
    async fn first_name(&self) -> &str {
        &self.0.first_name
    }
    /// Last name.
    async fn last_name(&self) -> &str {
        &self.0.last_name
    }
    /// E-mail address.
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }
    /// Phone number.
    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }
    /// Preferred language for contact.
    async fn language(&self) -> Option<&str> {
        self.0.language.as_deref()
    }
    /// The key the source system knows the guardian by.
    async fn source(&self) -> Option<SourceKey> {
        SourceKey::of(&self.0.source_system, &self.0.sourced_id)
    }
    /// Version for optimistic concurrency: pass it back when updating.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// How a guardian is linked to a student.
#[derive(Clone)]
pub struct GuardianLink(pub link::Model);

/// How a guardian is linked to a student.
#[Object]
impl GuardianLink {
    /// The link's opaque global id.
    pub async fn id(&self) -> ID {
        node::encode(Kind::GuardianLink, self.0.id)
    }
    /// The guardian.
    async fn guardian(&self, ctx: &Context<'_>) -> AppResult<Guardian> {
        load(ctx, self.0.guardian_id).await
    }
    /// The student.
    async fn student(&self, ctx: &Context<'_>) -> AppResult<Student> {
        students::load(ctx, self.0.student_id).await
    }
    /// Relationship to the student (mother, father, grandparent, foster parent, ...).
    async fn relationship(&self) -> &str {
        &self.0.relationship
    }
    /// Whether the student lives with this guardian.
    async fn lives_with(&self) -> bool {
        self.0.lives_with
    }
    /// Order in which to contact guardians (1 first).
    async fn contact_priority(&self) -> i32 {
        self.0.contact_priority
    }
    /// The restriction on this guardian, if any (only district admins and the SIS see
    /// restricted links at all).
    async fn restriction(&self) -> Option<ContactRestriction> {
        self.0.restriction.map(Into::into)
    }
    /// Version for optimistic concurrency: pass it back when updating.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

connection_type!(
    GuardianLinkConnection,
    GuardianLinkEdge,
    GuardianLink,
    "A page of a student's guardians.",
    "A guardian link in a page."
);
payload_type!(
    GuardianPayload,
    guardian,
    Guardian,
    "The result of creating or updating a guardian."
);
payload_type!(
    GuardianLinkPayload,
    link,
    GuardianLink,
    "The result of linking a guardian to a student."
);

pub async fn load(ctx: &Context<'_>, id: Uuid) -> AppResult<Guardian> {
    ctx.roster()
        .guardian
        .load_one(id)
        .await?
        .map(Guardian)
        .ok_or_else(|| AppError::not_found("Guardian", id))
}

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
        let recorded = Recorded::new(
            AuditAction::Create,
            "guardian",
            row.id,
            vec!["firstName", "lastName", "email", "phone", "language"],
        )
        .keyed(&row.source_system, &row.sourced_id);
        Ok(
            match insert_recorded::<guardian::Entity>(ctx, row, recorded).await? {
                Some(row) => GuardianPayload::done(Guardian(row)),
                None => GuardianPayload::refused(duplicate(
                    "sourcedId",
                    "a guardian with this sourceSystem and sourcedId",
                )),
            },
        )
    }

    /// Changes a guardian, if nobody else changed it since `version`.
    async fn update_guardian(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: UpdateGuardianInput,
    ) -> AppResult<GuardianPayload> {
        let actor = ctx.actor()?;
        policy::write_roster(actor)?;
        let id = node::decode_as(&input.id, Kind::Guardian, "input.id")?;
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
        let mut fields = Vec::new();
        apply_changes!(changes, fields;
            input.first_name.map(|v| v.trim().to_string()) => first_name as "firstName",
            input.last_name.map(|v| v.trim().to_string()) => last_name as "lastName",
            input.email.change() => email as "email",
            input.phone.change() => phone as "phone",
            input.language.change() => language as "language",
        );
        let row = update_recorded::<guardian::Entity>(
            ctx,
            changes,
            (id, input.version),
            policy::guardian_rows(actor)?,
            "Guardian",
            |row| {
                Recorded::new(AuditAction::Update, "guardian", id, fields)
                    .keyed(&row.source_system, &row.sourced_id)
            },
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
        let student_id = node::decode_as(&input.student_id, Kind::Student, "input.studentId")?;
        let guardian_id = node::decode_as(&input.guardian_id, Kind::Guardian, "input.guardianId")?;
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
        let recorded = Recorded::new(
            AuditAction::Create,
            "student_guardian",
            row.id,
            vec![
                "relationship",
                "livesWith",
                "contactPriority",
                "restriction",
            ],
        )
        .about_student(student_id);
        Ok(
            match insert_recorded::<link::Entity>(ctx, row, recorded).await? {
                Some(row) => GuardianLinkPayload::done(GuardianLink(row)),
                None => GuardianLinkPayload::refused(duplicate(
                    "guardianId",
                    "a link between this guardian and student",
                )),
            },
        )
    }

    /// Changes a guardian link (relationship, contact order, restriction).
    async fn update_guardian_link(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: UpdateGuardianLinkInput,
    ) -> AppResult<GuardianLinkPayload> {
        let actor = ctx.actor()?;
        policy::write_roster(actor)?;
        let id = node::decode_as(&input.id, Kind::GuardianLink, "input.id")?;
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
        let mut fields = Vec::new();
        apply_changes!(changes, fields;
            input.relationship.map(|v| v.trim().to_string()) => relationship as "relationship",
            input.lives_with => lives_with as "livesWith",
            input.contact_priority => contact_priority as "contactPriority",
            input.restriction.change().map(|r| r.map(Into::into)) => restriction as "restriction",
        );
        let row = update_recorded::<link::Entity>(
            ctx,
            changes,
            (id, input.version),
            policy::guardian_link_rows(actor)?,
            "GuardianLink",
            |row| {
                Recorded::new(AuditAction::Update, "student_guardian", id, fields)
                    .about_student(row.student_id)
            },
        )
        .await?;
        Ok(GuardianLinkPayload::done(GuardianLink(row)))
    }
}
