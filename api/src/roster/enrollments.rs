//! Enrollments: a student's membership in a school over a date range (Ed-Fi
//! StudentSchoolAssociation, OneRoster enrollment).

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};
use chrono::Utc;
use entity::enrollment;
use uuid::Uuid;

use super::{
    SourceKey, enrollments_service as service,
    schools::{self, School},
    students::{self, Student},
};
use crate::{
    errors::AppResult,
    graphql::{
        context::ContextExt,
        ids::{self, InputIds},
        mutation::{ChangeTo, apply_changes, payload_type},
        pagination::connection_type,
        scalars::Date,
    },
};

/// A student's enrollment in a school.
#[derive(Clone)]
pub struct Enrollment(pub enrollment::Model);
crate::graphql::ids::node_type!(Enrollment);

/// A student's enrollment in a school.
#[Object]
impl Enrollment {
    /// The enrollment's opaque global id.
    pub async fn id(&self) -> ID {
        ids::encode::<Enrollment>(self.0.id)
    }
    /// The student enrolled.
    async fn student(&self, ctx: &Context<'_>) -> AppResult<Student> {
        students::load(ctx, self.0.student_id).await
    }
    /// The school.
    async fn school(&self, ctx: &Context<'_>) -> AppResult<School> {
        schools::load(ctx, self.0.school_id).await
    }
    /// First day of enrollment.
    async fn entry_date(&self) -> Date {
        Date(self.0.entry_date)
    }
    /// Last day of enrollment; null while enrolled.
    async fn exit_date(&self) -> Option<Date> {
        self.0.exit_date.map(Date)
    }
    /// Why the student left (an exit/withdrawal code).
    async fn exit_reason(&self) -> Option<&str> {
        self.0.exit_reason.as_deref()
    }
    /// Grade level during this enrollment.
    async fn grade_level(&self) -> &str {
        &self.0.grade_level
    }
    /// Whether this is the student's primary school.
    async fn is_primary(&self) -> bool {
        self.0.is_primary
    }
    /// The key the source system knows the enrollment by.
    async fn source(&self) -> Option<SourceKey> {
        SourceKey::of(&self.0.source_system, &self.0.sourced_id)
    }
    /// Version for optimistic concurrency: pass it back when updating.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

connection_type!(
    EnrollmentConnection,
    EnrollmentEdge,
    Enrollment,
    "A page of enrollments.",
    "An enrollment in a page."
);
payload_type!(
    EnrollmentPayload,
    enrollment,
    Enrollment,
    "The result of creating or updating an enrollment."
);

/// An enrollment's own data, as a create or an SIS push sends it (flattened into both inputs).
#[derive(InputObject)]
pub struct EnrollmentFields {
    /// First day.
    pub entry_date: Date,
    /// Last day, if known.
    pub exit_date: Option<Date>,
    /// Why the student left.
    pub exit_reason: Option<String>,
    /// Grade level (OneRoster code).
    pub grade_level: String,
    /// The student's primary school.
    #[graphql(default = true)]
    pub is_primary: bool,
}

impl EnrollmentFields {
    /// The new row enrolling `student_id` at `school_id` in `district_id`, known to a source
    /// system by `source` (system, sourced id) if it is.
    pub fn into_row(
        self,
        district_id: Uuid,
        (student_id, school_id): (Uuid, Uuid),
        (source_system, sourced_id): (Option<String>, Option<String>),
    ) -> enrollment::Model {
        let now = Utc::now();
        enrollment::Model {
            id: Uuid::now_v7(),
            district_id,
            source_system,
            sourced_id,
            student_id,
            school_id,
            entry_date: self.entry_date.0,
            exit_date: self.exit_date.map(|d| d.0),
            exit_reason: self.exit_reason,
            grade_level: self.grade_level,
            is_primary: self.is_primary,
            created_at: now,
            updated_at: now,
            deleted_at: None,
            version: 1,
        }
    }
}

/// Enrolls a student in a school.
#[derive(InputObject)]
pub struct CreateEnrollmentInput {
    /// The student.
    pub student_id: ID,
    /// The school.
    pub school_id: ID,
    #[graphql(flatten)]
    pub enrollment: EnrollmentFields,
    /// The system that owns the record.
    pub source_system: Option<String>,
    /// The record's id in that system.
    pub sourced_id: Option<String>,
}

/// Changes to an enrollment (most often: the student left).
#[derive(InputObject)]
pub struct UpdateEnrollmentInput {
    /// The enrollment.
    pub id: ID,
    /// The version you read.
    pub version: i32,
    /// New exit date (null: still enrolled).
    pub exit_date: MaybeUndefined<Date>,
    /// New exit reason.
    pub exit_reason: MaybeUndefined<String>,
    /// New grade level.
    pub grade_level: Option<String>,
    /// Primary school or not.
    pub is_primary: Option<bool>,
}

#[derive(Default)]
pub struct EnrollmentMutation;

#[Object]
impl EnrollmentMutation {
    /// Enrolls a student in a school.
    async fn create_enrollment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: CreateEnrollmentInput,
    ) -> AppResult<EnrollmentPayload> {
        let mut sent = InputIds::default();
        let student_id = sent.of::<Student>("studentId", &input.student_id);
        let school_id = sent.of::<School>("schoolId", &input.school_id);
        let source = (input.source_system, input.sourced_id);
        let row =
            input
                .enrollment
                .into_row(ctx.actor()?.district_id, (student_id, school_id), source);
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let write = ctx.write().await?;
        let outcome = service::create(&write, row).await?;
        Ok(write.finish(outcome).await?.map(Enrollment).into())
    }

    /// Changes an enrollment, if nobody else changed it since `version`.
    async fn update_enrollment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: UpdateEnrollmentInput,
    ) -> AppResult<EnrollmentPayload> {
        let mut sent = InputIds::default();
        let id = sent.target::<Enrollment>("id", &input.id);
        let mut changes = enrollment::ActiveModel::default();
        apply_changes!(changes;
            input.exit_date.change().map(|d| d.map(|d| d.0)) => exit_date,
            input.exit_reason.change() => exit_reason,
            input.grade_level => grade_level,
            input.is_primary => is_primary,
        );
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let write = ctx.write().await?;
        let outcome = sent.found(service::update(&write, (id, input.version), changes).await)?;
        Ok(write.finish(outcome).await?.map(Enrollment).into())
    }
}
