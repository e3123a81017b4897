//! Creating and changing students.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};
use chrono::Utc;
use entity::{student, values};
use uuid::Uuid;

use super::{Student, StudentPayload, StudentStatus, service};
use crate::{
    errors::AppResult,
    graphql::{
        context::ContextExt,
        ids::InputIds,
        mutation::{ChangeTo, apply_changes},
        scalars::Date,
    },
};

/// A student's own data, as a create or an SIS push sends it (flattened into both inputs).
#[derive(InputObject)]
pub struct StudentFields {
    /// Legal first name.
    pub legal_first_name: String,
    /// Legal last name.
    pub legal_last_name: String,
    /// The name the student goes by.
    pub preferred_name: Option<String>,
    /// The district's student number.
    pub local_id: Option<String>,
    /// The state's student identifier.
    pub state_id: Option<String>,
    /// Date of birth.
    pub birth_date: Option<Date>,
    /// Grade level (OneRoster code).
    pub grade_level: String,
    /// Home language.
    pub language: Option<String>,
    /// English learner.
    #[graphql(default)]
    pub english_learner: bool,
    /// Economically disadvantaged.
    #[graphql(default)]
    pub economically_disadvantaged: bool,
    /// Status; ACTIVE when left out.
    pub status: Option<StudentStatus>,
}

impl StudentFields {
    /// The new row of a student of `district_id`, known to a source system by `source`
    /// (system, sourced id) if it is.
    pub fn into_row(
        self,
        district_id: Uuid,
        (source_system, sourced_id): (Option<String>, Option<String>),
    ) -> student::Model {
        let now = Utc::now();
        student::Model {
            id: Uuid::now_v7(),
            district_id,
            source_system,
            sourced_id,
            local_id: self.local_id,
            state_id: self.state_id,
            legal_first_name: self.legal_first_name,
            legal_last_name: self.legal_last_name,
            preferred_name: self.preferred_name,
            birth_date: self.birth_date.map(|d| d.0),
            grade_level: self.grade_level,
            language: self.language,
            english_learner: self.english_learner,
            economically_disadvantaged: self.economically_disadvantaged,
            status: self
                .status
                .map_or(values::StudentStatus::Active, Into::into),
            created_at: now,
            updated_at: now,
            deleted_at: None,
            version: 1,
        }
    }
}

/// A new student.
#[derive(InputObject)]
pub struct CreateStudentInput {
    #[graphql(flatten)]
    pub student: StudentFields,
    /// The system that owns the record.
    pub source_system: Option<String>,
    /// The record's id in that system.
    pub sourced_id: Option<String>,
}

/// Changes to a student; fields left out stay as they are, `null` clears an optional field.
#[derive(InputObject)]
pub struct UpdateStudentInput {
    /// The student to change.
    pub id: ID,
    /// The version you read.
    pub version: i32,
    /// New legal first name.
    pub legal_first_name: Option<String>,
    /// New legal last name.
    pub legal_last_name: Option<String>,
    /// New preferred name.
    pub preferred_name: MaybeUndefined<String>,
    /// New local id.
    pub local_id: MaybeUndefined<String>,
    /// New state id.
    pub state_id: MaybeUndefined<String>,
    /// New birth date.
    pub birth_date: MaybeUndefined<Date>,
    /// New grade level.
    pub grade_level: Option<String>,
    /// New home language.
    pub language: MaybeUndefined<String>,
    /// English learner.
    pub english_learner: Option<bool>,
    /// Economically disadvantaged.
    pub economically_disadvantaged: Option<bool>,
    /// New status.
    pub status: Option<StudentStatus>,
}

#[derive(Default)]
pub struct StudentMutation;

#[Object]
impl StudentMutation {
    /// Adds a student to the district.
    async fn create_student(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: CreateStudentInput,
    ) -> AppResult<StudentPayload> {
        let source = (input.source_system, input.sourced_id);
        let row = input.student.into_row(ctx.actor()?.district_id, source);
        let write = ctx.write().await?;
        let outcome = service::create(&write, row).await?;
        Ok(write.finish(outcome).await?.map(Student).into())
    }

    /// Changes a student, if nobody else changed it since `version`.
    async fn update_student(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: UpdateStudentInput,
    ) -> AppResult<StudentPayload> {
        let mut sent = InputIds::default();
        let id = sent.target::<Student>("id", &input.id);
        let mut changes = student::ActiveModel::default();
        apply_changes!(changes;
            input.legal_first_name => legal_first_name,
            input.legal_last_name => legal_last_name,
            input.preferred_name.change() => preferred_name,
            input.local_id.change() => local_id,
            input.state_id.change() => state_id,
            input.birth_date.change().map(|d| d.map(|d| d.0)) => birth_date,
            input.grade_level => grade_level,
            input.language.change() => language,
            input.english_learner => english_learner,
            input.economically_disadvantaged => economically_disadvantaged,
            input.status.map(values::StudentStatus::from) => status,
        );
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let write = ctx.write().await?;
        let outcome = sent.found(service::update(&write, (id, input.version), changes).await)?;
        Ok(write.finish(outcome).await?.map(Student).into())
    }
}
