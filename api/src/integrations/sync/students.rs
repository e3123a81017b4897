//! `syncStudents`: students as the SIS keeps them.

use async_graphql::{Context, InputObject, Object};
use chrono::Utc;
use entity::{student, student::Column};
use uuid::Uuid;

use super::{Pushed, SyncOptions, SyncPayload, check_batch, outcomes, record_check};
use crate::{
    auth::policy,
    errors::AppResult,
    graphql::{context::ContextExt, scalars::Date},
    roster::{
        Student,
        students::{StudentStatus, service},
    },
};

/// The columns a pushed student sets: all of a student's own data.
const OWNED: [Column; 11] = [
    Column::LegalFirstName,
    Column::LegalLastName,
    Column::PreferredName,
    Column::LocalId,
    Column::StateId,
    Column::BirthDate,
    Column::GradeLevel,
    Column::Language,
    Column::EnglishLearner,
    Column::EconomicallyDisadvantaged,
    Column::Status,
];

/// A student as the SIS has it; the whole record (a field left out is cleared).
#[derive(InputObject)]
pub struct SyncStudentRecord {
    /// The student's id in the source system.
    pub sourced_id: String,
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
    /// ACTIVE when left out.
    pub status: Option<StudentStatus>,
}

/// Students to push.
#[derive(InputObject)]
pub struct SyncStudentsInput {
    #[graphql(flatten)]
    pub options: SyncOptions,
    /// Up to 10,000 students.
    pub records: Vec<SyncStudentRecord>,
}

#[derive(Default)]
pub struct StudentSync;

#[Object]
impl StudentSync {
    /// Upserts students by `(sourceSystem, sourcedId)`, all or none unless `allowPartial`.
    async fn sync_students(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to push.")] input: SyncStudentsInput,
    ) -> AppResult<SyncPayload> {
        let write = ctx.write().await?;
        let options = input.options;
        check_batch(&write, &options, input.records.len(), false)?;
        let actor = write.actor();
        let now = Utc::now();
        let pushed = input
            .records
            .into_iter()
            .enumerate()
            .map(|(index, record)| {
                let mut check = record_check(index, &record.sourced_id);
                let mut row = student::Model {
                    id: Uuid::now_v7(),
                    district_id: actor.district_id,
                    source_system: Some(options.source_system.clone()),
                    sourced_id: Some(record.sourced_id.clone()),
                    local_id: record.local_id,
                    state_id: record.state_id,
                    legal_first_name: record.legal_first_name,
                    legal_last_name: record.legal_last_name,
                    preferred_name: record.preferred_name,
                    birth_date: record.birth_date.map(|d| d.0),
                    grade_level: record.grade_level,
                    language: record.language,
                    english_learner: record.english_learner,
                    economically_disadvantaged: record.economically_disadvantaged,
                    status: record.status.unwrap_or(StudentStatus::Active).into(),
                    created_at: now,
                    updated_at: now,
                    deleted_at: None,
                    version: 1,
                };
                service::prepare(&mut check, &mut row, actor.today);
                Pushed {
                    sourced_id: record.sourced_id,
                    row: check.finish().map(|()| row),
                }
            })
            .collect();
        let scope = policy::student_rows(actor)?;
        let outcomes =
            outcomes::<student::Entity, Student>(&write, &options, &scope, &OWNED, pushed).await?;
        outcomes.finish(write, &options, &OWNED).await
    }
}
