//! `syncStudents`: students as the SIS keeps them.

use async_graphql::{Context, InputObject, Object};
use chrono::Utc;
use entity::{student, student::Column};
use uuid::Uuid;

use super::{Record, Scope, SyncOptions, SyncPayload, sync_plain};
use crate::{
    auth::{Actor, policy},
    errors::AppResult,
    graphql::scalars::Date,
    roster::{
        Student,
        students::{StudentStatus, service},
    },
    validation::Check,
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

impl Record for SyncStudentRecord {
    fn sourced_id(&self) -> &str {
        &self.sourced_id
    }
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
        let scope: Scope = policy::student_rows;
        let call = ("syncStudents", scope, &OWNED[..]);
        let to_row = |actor: &Actor, system: &str, record: SyncStudentRecord, check: &mut Check| {
            let now = Utc::now();
            let mut row = student::Model {
                id: Uuid::now_v7(),
                district_id: actor.district_id,
                source_system: Some(system.to_string()),
                sourced_id: Some(record.sourced_id),
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
            service::prepare(check, &mut row, actor.today);
            row
        };
        sync_plain::<student::Entity, Student, _>(
            ctx,
            (input.options, input.records),
            call,
            &to_row,
        )
        .await
    }
}
