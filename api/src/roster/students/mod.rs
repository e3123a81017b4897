//! Students: who they are, where they are enrolled, and who their guardians are. What a caller
//! may read of a student (rows and fields) is the policy's decision. `Student` is a hub type:
//! this floor declares it and owns its roster fields; other domains add theirs, and `schema`
//! puts the parts together.

mod list;
mod mutations;
pub mod service;

use async_graphql::{Context, Object};
use entity::{student, values};
use uuid::Uuid;

pub use list::{
    RosterStudentFilter, StudentOrder, enrolled_ids, enrolled_in, list, pages_by_school, prefetch,
};
pub use mutations::{StudentFields, StudentMutation};

use super::{
    RosterContext, SourceKey,
    enrollments::{Enrollment, EnrollmentConnection},
    guardians::{GuardianLink, GuardianLinkConnection},
    schools::School,
};
use crate::{
    auth::policy::{self, StudentField},
    errors::AppResult,
    graphql::{
        context::ContextExt,
        ids,
        mutation::payload_type,
        pagination::{self, PageArgs, connection_type, paginate_loaded},
        scalars::{Date, DateTime, mirror_enum},
    },
};

mirror_enum! {
    /// Whether the district currently serves the student.
    StudentStatus = values::StudentStatus {
        /// Enrolled and served.
        Active,
        /// Known but not currently served.
        Inactive,
        /// Finished school.
        Graduated,
        /// Left the district.
        Withdrawn,
    }
}

/// A student of the district.
#[derive(Clone)]
pub struct Student(pub student::Model);
crate::graphql::ids::node_type!(Student);

fn allowed(ctx: &Context<'_>, field: StudentField) -> AppResult<()> {
    policy::student_field(ctx.actor()?, field)
}

/// The roster's fields of `Student` (flattened into the one `Student` type by `schema`).
/// Names, identifiers and demographics are shown only to roles allowed to see them; a denied
/// field is a FORBIDDEN error, never a blank.
pub struct StudentRoster<'a>(pub &'a student::Model);

#[Object]
impl StudentRoster<'_> {
    /// Legal first name.
    async fn legal_first_name(&self, ctx: &Context<'_>) -> AppResult<&str> {
        allowed(ctx, StudentField::Name)?;
        Ok(&self.0.legal_first_name)
    }
    /// Legal last name.
    async fn legal_last_name(&self, ctx: &Context<'_>) -> AppResult<&str> {
        allowed(ctx, StudentField::Name)?;
        Ok(&self.0.legal_last_name)
    }
    /// The name the student goes by, if different.
    async fn preferred_name(&self, ctx: &Context<'_>) -> AppResult<Option<&str>> {
        allowed(ctx, StudentField::Name)?;
        Ok(self.0.preferred_name.as_deref())
    }
    /// The district's (local) student number.
    async fn local_id(&self, ctx: &Context<'_>) -> AppResult<Option<&str>> {
        allowed(ctx, StudentField::Identifiers)?;
        Ok(self.0.local_id.as_deref())
    }
    /// The state's student identifier.
    async fn state_id(&self, ctx: &Context<'_>) -> AppResult<Option<&str>> {
        allowed(ctx, StudentField::Identifiers)?;
        Ok(self.0.state_id.as_deref())
    }
    /// Date of birth.
    async fn birth_date(&self, ctx: &Context<'_>) -> AppResult<Option<Date>> {
        allowed(ctx, StudentField::Identifiers)?;
        Ok(self.0.birth_date.map(Date))
    }
    /// The key the source system knows the student by.
    async fn source(&self, ctx: &Context<'_>) -> AppResult<Option<SourceKey>> {
        allowed(ctx, StudentField::Identifiers)?;
        Ok(SourceKey::of(&self.0.source_system, &self.0.sourced_id))
    }
    /// Current grade level (OneRoster code).
    async fn grade_level(&self) -> &str {
        &self.0.grade_level
    }
    /// Home language.
    async fn language(&self, ctx: &Context<'_>) -> AppResult<Option<&str>> {
        allowed(ctx, StudentField::Demographics)?;
        Ok(self.0.language.as_deref())
    }
    /// Whether the student is an English learner.
    async fn english_learner(&self, ctx: &Context<'_>) -> AppResult<bool> {
        allowed(ctx, StudentField::Demographics)?;
        Ok(self.0.english_learner)
    }
    /// Whether the student is economically disadvantaged.
    async fn economically_disadvantaged(&self, ctx: &Context<'_>) -> AppResult<bool> {
        allowed(ctx, StudentField::Demographics)?;
        Ok(self.0.economically_disadvantaged)
    }
    /// Whether the district currently serves the student.
    async fn status(&self) -> StudentStatus {
        self.0.status.into()
    }
    /// Version for optimistic concurrency: pass it back when updating.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// When the record last changed.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
    /// The student's enrollments, newest first.
    #[graphql(complexity = "pagination::cost_bounded(first, last, child_complexity)")]
    async fn enrollments(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<EnrollmentConnection> {
        let rows = ctx
            .roster()
            .enrollments_of_student
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        let page = paginate_loaded(
            rows,
            |row| row.id,
            &PageArgs::new(ctx.cursor_seal(), first, after, last, before),
        )?;
        Ok(EnrollmentConnection(page.map(Enrollment)))
    }
    /// The student's guardians in contact order. Guardians with a contact restriction are
    /// never listed as contacts (only district admins and the SIS see those links, flagged).
    #[graphql(complexity = "pagination::cost_bounded(first, last, child_complexity)")]
    async fn guardians(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<GuardianLinkConnection> {
        let rows = ctx
            .roster()
            .guardian_links_of_student
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        let page = paginate_loaded(
            rows,
            |row| row.id,
            &PageArgs::new(ctx.cursor_seal(), first, after, last, before),
        )?;
        Ok(GuardianLinkConnection(page.map(GuardianLink)))
    }
    /// The school of the student's current primary enrollment.
    async fn current_school(&self, ctx: &Context<'_>) -> AppResult<Option<School>> {
        let today = ctx.actor()?.today;
        let enrollments = ctx
            .roster()
            .enrollments_of_student
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        let current = enrollments
            .iter()
            .filter(|e| e.entry_date <= today && e.exit_date.is_none_or(|exit| exit >= today))
            .max_by_key(|e| (e.is_primary, e.entry_date));
        match current {
            Some(enrollment) => Ok(ctx
                .roster()
                .school
                .load_one(enrollment.school_id)
                .await?
                .map(School)),
            None => Ok(None),
        }
    }
}

connection_type!(
    StudentConnection,
    StudentEdge,
    Student,
    "A page of students.",
    "A student in a page of students."
);
payload_type!(
    StudentPayload,
    student,
    Student,
    "The result of creating or updating a student."
);

pub async fn load(ctx: &Context<'_>, id: Uuid) -> AppResult<Student> {
    ctx.roster()
        .student
        .load_one(id)
        .await?
        .map(Student)
        .ok_or_else(|| ids::not_found::<Student>(id))
}

#[derive(Default)]
pub struct StudentQuery;

#[Object]
impl StudentQuery {
    /// One student by id (NOT_FOUND when it does not exist or is not the caller's to see).
    async fn student(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A global id.")] id: async_graphql::ID,
    ) -> AppResult<Student> {
        let uuid = ids::decode_as::<Student>(&id, "id")?;
        // Not by a reader that knows students by pseudonym: that would join the two.
        if policy::knows_students_by_pseudonym(ctx.actor()?) {
            return Err(ids::not_found::<Student>(uuid));
        }
        load(ctx, uuid).await
    }
}
