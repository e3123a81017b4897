//! Students: who they are, where they are enrolled, and who their guardians are. What a caller
//! may read of a student (rows and fields) is the policy's decision.

use async_graphql::{Context, Enum, ID, InputObject, MaybeUndefined, Object};
use chrono::{DateTime, NaiveDate, Utc};
use entity::{enrollment, student, values};
use std::collections::HashMap;

use sea_orm::{
    ColumnTrait, Condition, EntityTrait, JoinType, QueryFilter, QueryTrait, Select,
    sea_query::{Alias, Expr, ExprTrait, IntoIden, Query, SelectStatement},
};
use uuid::Uuid;

use super::{
    SourceKey, check_source,
    enrollments::{Enrollment, EnrollmentConnection},
    guardians::{GuardianLink, GuardianLinkConnection},
    schools::{School, contains_pattern, lower_like},
};
use crate::{
    auth::{
        Actor,
        policy::{self, StudentField},
    },
    db::Recorded,
    errors::{AppError, AppResult},
    graphql::{
        context::ContextExt,
        mutation::{
            ChangeTo, Check, UserErrorCode, apply_changes, duplicate, insert_recorded,
            payload_type, update_recorded,
        },
        node::{self, Kind},
        pagination::{
            self, Connection, CursorKey, OrderDirection, PageArgs, SortKey, connection_type,
            on_nodes, paginate, paginate_loaded, paginate_per_parent, selects, selects_nested,
        },
        scalars::{Date, mirror_enum},
    },
    mtss::{
        AttendanceSummary, HomelessStatus, PlanStatus, TierPlacement,
        plans::InterventionPlanConnection,
        special_education::IepParticipationConnection,
        student_fields::{self, MtssFilter},
        tiers::TierPlacementConnection,
    },
};
use entity::values::AuditAction;

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

impl Student {
    fn allowed(ctx: &Context<'_>, field: StudentField) -> AppResult<()> {
        policy::student_field(ctx.actor()?, field)
    }
}

/// A student of the district. Names, identifiers and demographics are shown only to roles
/// allowed to see them; a denied field is a FORBIDDEN error, never a blank.
#[Object]
impl Student {
    /// The student's opaque global id.
    pub async fn id(&self) -> ID {
        node::encode(Kind::Student, self.0.id)
    }
    /// Legal first name.
    async fn legal_first_name(&self, ctx: &Context<'_>) -> AppResult<&str> {
        Self::allowed(ctx, StudentField::Name)?;
        Ok(&self.0.legal_first_name)
    }
    /// Legal last name.
    async fn legal_last_name(&self, ctx: &Context<'_>) -> AppResult<&str> {
        Self::allowed(ctx, StudentField::Name)?;
        Ok(&self.0.legal_last_name)
    }
    /// The name the student goes by, if different.
    async fn preferred_name(&self, ctx: &Context<'_>) -> AppResult<Option<&str>> {
        Self::allowed(ctx, StudentField::Name)?;
        Ok(self.0.preferred_name.as_deref())
    }
    /// The district's (local) student number.
    async fn local_id(&self, ctx: &Context<'_>) -> AppResult<Option<&str>> {
        Self::allowed(ctx, StudentField::Identifiers)?;
        Ok(self.0.local_id.as_deref())
    }
    /// The state's student identifier.
    async fn state_id(&self, ctx: &Context<'_>) -> AppResult<Option<&str>> {
        Self::allowed(ctx, StudentField::Identifiers)?;
        Ok(self.0.state_id.as_deref())
    }
    /// Date of birth.
    async fn birth_date(&self, ctx: &Context<'_>) -> AppResult<Option<Date>> {
        Self::allowed(ctx, StudentField::Identifiers)?;
        Ok(self.0.birth_date.map(Date))
    }
    /// The key the source system knows the student by.
    async fn source(&self, ctx: &Context<'_>) -> AppResult<Option<SourceKey>> {
        Self::allowed(ctx, StudentField::Identifiers)?;
        Ok(SourceKey::of(&self.0.source_system, &self.0.sourced_id))
    }
    /// Current grade level (OneRoster code).
    async fn grade_level(&self) -> &str {
        &self.0.grade_level
    }
    /// Home language.
    async fn language(&self, ctx: &Context<'_>) -> AppResult<Option<&str>> {
        Self::allowed(ctx, StudentField::Demographics)?;
        Ok(self.0.language.as_deref())
    }
    /// Whether the student is an English learner.
    async fn english_learner(&self, ctx: &Context<'_>) -> AppResult<bool> {
        Self::allowed(ctx, StudentField::Demographics)?;
        Ok(self.0.english_learner)
    }
    /// Whether the student is economically disadvantaged.
    async fn economically_disadvantaged(&self, ctx: &Context<'_>) -> AppResult<bool> {
        Self::allowed(ctx, StudentField::Demographics)?;
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
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
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
            &PageArgs::new(first, after, last, before),
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
            &PageArgs::new(first, after, last, before),
        )?;
        Ok(GuardianLinkConnection(page.map(GuardianLink)))
    }
    /// Current MTSS tier placements, at most one per domain.
    async fn current_tiers(&self, ctx: &Context<'_>) -> AppResult<Vec<TierPlacement>> {
        student_fields::current_tiers(ctx, self.0.id).await
    }
    /// Every tier placement, newest first.
    #[graphql(complexity = "pagination::cost_bounded(first, last, child_complexity)")]
    async fn tier_history(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<TierPlacementConnection> {
        student_fields::tier_history(ctx, self.0.id, &PageArgs::new(first, after, last, before))
            .await
    }
    /// Intervention plans, newest first.
    #[graphql(complexity = "pagination::cost_bounded(first, last, child_complexity)")]
    async fn intervention_plans(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only plans in these statuses.")] statuses: Option<Vec<PlanStatus>>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<InterventionPlanConnection> {
        student_fields::plans(
            ctx,
            self.0.id,
            statuses,
            &PageArgs::new(first, after, last, before),
        )
        .await
    }
    /// IEP and Section 504 records (pupil services and admins).
    #[graphql(complexity = "pagination::cost_bounded(first, last, child_complexity)")]
    async fn special_education(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<IepParticipationConnection> {
        student_fields::special_education(
            ctx,
            self.0.id,
            &PageArgs::new(first, after, last, before),
        )
        .await
    }
    /// Whether an IEP or 504 plan is in effect (or the student is found eligible). School staff
    /// may see this, and nothing else of special education.
    #[graphql(name = "hasIepOr504")]
    async fn has_iep_or_504(&self, ctx: &Context<'_>) -> AppResult<bool> {
        student_fields::has_iep_or_504(ctx, self.0.id).await
    }
    /// The current McKinney-Vento identification, if any.
    async fn homeless_status(&self, ctx: &Context<'_>) -> AppResult<Option<HomelessStatus>> {
        student_fields::homeless(ctx, self.0.id).await
    }
    /// Attendance over a date range, computed in SQL (default: the school year so far).
    async fn attendance(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "First day (default: August 1 of the school year).")] from: Option<Date>,
        #[graphql(desc = "Last day (default: today).")] to: Option<Date>,
    ) -> AppResult<AttendanceSummary> {
        student_fields::attendance(ctx, self.0.id, from, to).await
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

/// Which students to list; every condition is applied in SQL, so pages and `totalCount` agree.
#[derive(InputObject, Default, Debug)]
pub struct StudentFilter {
    /// Only students enrolled in this school (today, or on `enrolledOn`).
    pub school_id: Option<ID>,
    /// Only students in one of these grade levels.
    pub grade_levels: Option<Vec<String>>,
    /// Only students with one of these statuses.
    pub statuses: Option<Vec<StudentStatus>>,
    /// Part of a name or the local id, case-insensitive.
    pub search: Option<String>,
    /// Only students enrolled (in any school, or in `schoolId`) on this date.
    pub enrolled_on: Option<Date>,
    /// MTSS conditions (tiers, plans, IEP status, homelessness, chronic absence).
    #[graphql(flatten)]
    pub mtss: MtssFilter,
}

/// Fields students can be sorted by.
#[derive(Enum, Copy, Clone, Debug, Default, PartialEq, Eq)]
pub enum StudentOrderField {
    /// Legal last name.
    #[default]
    LastName,
    /// Legal first name.
    FirstName,
    /// Grade level code.
    GradeLevel,
    /// When the record was created.
    Created,
}

/// How to sort students; ties are broken by id, so pages never overlap.
#[derive(InputObject, Default, Debug)]
pub struct StudentOrder {
    /// The field to sort by.
    #[graphql(default)]
    pub field: StudentOrderField,
    /// The direction.
    #[graphql(default)]
    pub direction: OrderDirection,
}

impl StudentOrder {
    /// The order to use: the one asked for, or by last name, or (for roles that may not read
    /// names, whose cursors would otherwise carry names) by creation. Asking a name order
    /// without the right to read names is FORBIDDEN.
    fn for_actor(
        order: Option<&StudentOrder>,
        actor: &Actor,
    ) -> AppResult<SortKey<student::Entity>> {
        let may_read_names = policy::student_field(actor, StudentField::Name);
        match order {
            Some(order)
                if matches!(
                    order.field,
                    StudentOrderField::LastName | StudentOrderField::FirstName
                ) =>
            {
                may_read_names?;
                Ok(order.sort_key())
            }
            Some(order) => Ok(order.sort_key()),
            None if may_read_names.is_ok() => Ok(StudentOrder::default().sort_key()),
            None => Ok(StudentOrder {
                field: StudentOrderField::Created,
                direction: OrderDirection::Asc,
            }
            .sort_key()),
        }
    }

    fn sort_key(&self) -> SortKey<student::Entity> {
        let descending = self.direction == OrderDirection::Desc;
        let (name, column, key_of): (_, _, fn(&student::Model) -> Option<CursorKey>) =
            match self.field {
                StudentOrderField::LastName => (
                    "student.lastName",
                    Some(student::Column::LegalLastName),
                    |r| Some(r.legal_last_name.clone().into()),
                ),
                StudentOrderField::FirstName => (
                    "student.firstName",
                    Some(student::Column::LegalFirstName),
                    |r| Some(r.legal_first_name.clone().into()),
                ),
                StudentOrderField::GradeLevel => (
                    "student.gradeLevel",
                    Some(student::Column::GradeLevel),
                    |r| Some(r.grade_level.clone().into()),
                ),
                // UUIDv7 ids are time-ordered: sorting by id is sorting by creation.
                StudentOrderField::Created => ("student.created", None, |_| None),
            };
        SortKey {
            name: if descending { desc_name(name) } else { name },
            column,
            key_of,
            descending,
        }
    }
}

/// Cursors of a descending order may not be used with the ascending one.
fn desc_name(name: &'static str) -> &'static str {
    match name {
        "student.lastName" => "student.lastName.desc",
        "student.firstName" => "student.firstName.desc",
        "student.gradeLevel" => "student.gradeLevel.desc",
        _ => "student.created.desc",
    }
}

/// Rows whose `student_id` is a student enrolled in `school` on `date`.
pub fn enrolled_in<C: ColumnTrait>(school: Uuid, date: NaiveDate, student_id: C) -> Condition {
    let mut enrolled = enrollments_on(date);
    enrolled.and_where(enrollment::Column::SchoolId.eq(school));
    enrolled
        .clear_selects()
        .column(enrollment::Column::StudentId);
    Condition::all().add(student_id.in_subquery(enrolled))
}

/// Enrollments (student and school) current on `date`.
fn enrollments_on(date: NaiveDate) -> SelectStatement {
    Query::select()
        .columns([enrollment::Column::StudentId, enrollment::Column::SchoolId])
        .from(enrollment::Entity)
        .and_where(enrollment::Column::DeletedAt.is_null())
        .and_where(enrollment::Column::EntryDate.lte(date))
        .cond_where(
            Condition::any()
                .add(enrollment::Column::ExitDate.is_null())
                .add(enrollment::Column::ExitDate.gte(date)),
        )
        .to_owned()
}

impl StudentFilter {
    fn date(&self, today: NaiveDate) -> NaiveDate {
        self.enrolled_on.map_or(today, |d| d.0)
    }

    /// The students the actor may see that match every condition but the school and date.
    fn matching(&self, actor: &Actor) -> AppResult<Select<student::Entity>> {
        let mut select = student::Entity::find()
            .filter(policy::student_rows(actor)?)
            .filter(self.mtss.condition(actor)?);
        if let Some(grades) = &self.grade_levels {
            select = select.filter(student::Column::GradeLevel.is_in(grades.clone()));
        }
        if let Some(statuses) = &self.statuses {
            select = select.filter(
                student::Column::Status
                    .is_in(statuses.iter().map(|s| values::StudentStatus::from(*s))),
            );
        }
        if let Some(search) = self.search.as_deref().filter(|s| !s.trim().is_empty()) {
            policy::student_field(actor, StudentField::Name)?;
            let pattern = contains_pattern(search);
            let mut matches = Condition::any()
                .add(lower_like(student::Column::LegalFirstName, &pattern))
                .add(lower_like(student::Column::LegalLastName, &pattern))
                .add(lower_like(student::Column::PreferredName, &pattern));
            // Searching by an identifier would reveal it: only to those who may read it.
            if policy::student_field(actor, StudentField::Identifiers).is_ok() {
                matches = matches.add(lower_like(student::Column::LocalId, &pattern));
            }
            select = select.filter(matches);
        }
        Ok(select)
    }
}

/// One page of the students the caller may see that match `filter`.
pub async fn list(
    ctx: &Context<'_>,
    filter: StudentFilter,
    order: Option<StudentOrder>,
    args: &PageArgs,
) -> AppResult<StudentConnection> {
    let actor = ctx.actor()?;
    let sort = StudentOrder::for_actor(order.as_ref(), actor)?;
    let mut select = filter.matching(actor)?;
    let school_id = filter
        .school_id
        .as_ref()
        .map(|id| node::decode_as(id, Kind::School, "filter.schoolId"))
        .transpose()?;
    if school_id.is_some() || filter.enrolled_on.is_some() {
        let mut enrolled = enrollments_on(filter.date(actor.today));
        if let Some(school_id) = school_id {
            enrolled.and_where(enrollment::Column::SchoolId.eq(school_id));
        }
        enrolled
            .clear_selects()
            .column(enrollment::Column::StudentId);
        select = select.filter(student::Column::Id.in_subquery(enrolled));
    }
    let page = paginate(ctx.db(), select, &sort, args).await?;
    prefetch(ctx, page.edges.iter().map(|(_, row)| row).collect()).await?;
    Ok(StudentConnection(page.map(Student)))
}

/// Pages of the students enrolled in each of `schools` (`School.students` for a whole page of
/// schools): one windowed query and one count, whatever the number of schools.
pub async fn pages_by_school(
    ctx: &Context<'_>,
    schools: Vec<Uuid>,
    filter: &StudentFilter,
    order: Option<&StudentOrder>,
    args: &PageArgs,
) -> AppResult<HashMap<Uuid, Connection<student::Model>>> {
    let actor = ctx.actor()?;
    let sort = StudentOrder::for_actor(order, actor)?;
    let mut select = filter.matching(actor)?;
    let mut enrolled = enrollments_on(filter.date(actor.today));
    enrolled
        .distinct()
        .and_where(enrollment::Column::SchoolId.is_in(schools.clone()));
    let alias = Alias::new("school_enrollment");
    QueryTrait::query(&mut select).join_subquery(
        JoinType::InnerJoin,
        enrolled,
        alias.clone(),
        Expr::col((alias.clone(), enrollment::Column::StudentId))
            .equals((student::Entity, student::Column::Id)),
    );
    let parent = (alias.into_iden(), enrollment::Column::SchoolId.into_iden());
    let pages = paginate_per_parent(ctx.db(), &schools, select, parent, &sort, args).await?;
    prefetch(
        ctx,
        pages
            .values()
            .flat_map(|page| page.edges.iter().map(|(_, row)| row))
            .collect(),
    )
    .await?;
    Ok(pages)
}

/// Loads the relations the query selects for the whole page at once: one query per relation,
/// whatever the page size. Field resolvers then find them in the per-request loader caches.
/// (DataLoader batching alone depends on timing and splits on large pages.)
async fn prefetch(ctx: &Context<'_>, rows: Vec<&student::Model>) -> AppResult<()> {
    let loaders = ctx.roster();
    let ids: Vec<Uuid> = rows.iter().map(|row| row.id).collect();
    loaders
        .student
        .feed_many(rows.into_iter().map(|row| (row.id, row.clone())))
        .await;
    let nodes = on_nodes(ctx.look_ahead());
    let current_school = selects(&nodes, "currentSchool");
    if current_school || selects(&nodes, "enrollments") {
        let enrollments = loaders
            .enrollments_of_student
            .load_many(ids.iter().copied())
            .await?;
        if current_school || selects_nested(&nodes, "enrollments", "school") {
            loaders
                .school
                .load_many(enrollments.values().flatten().map(|e| e.school_id))
                .await?;
        }
    }
    student_fields::prefetch(ctx, &nodes, &ids).await?;
    if selects(&nodes, "guardians") {
        let links = loaders.guardian_links_of_student.load_many(ids).await?;
        if selects_nested(&nodes, "guardians", "guardian") {
            loaders
                .guardian
                .load_many(links.values().flatten().map(|link| link.guardian_id))
                .await?;
        }
    }
    Ok(())
}

pub async fn load(ctx: &Context<'_>, id: Uuid) -> AppResult<Student> {
    ctx.roster()
        .student
        .load_one(id)
        .await?
        .map(Student)
        .ok_or_else(|| AppError::not_found("Student", id))
}

#[derive(Default)]
pub struct StudentQuery;

#[Object]
impl StudentQuery {
    /// The students the caller may see, filtered and sorted in the database.
    #[graphql(complexity = "pagination::cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)] // the connection arguments plus filter and order
    async fn students(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        #[graphql(desc = "Which students.")] filter: Option<StudentFilter>,
        #[graphql(
            desc = "How to sort them (default: last name, A to Z; by creation for roles that may not read names)."
        )]
        order_by: Option<StudentOrder>,
    ) -> AppResult<StudentConnection> {
        let args = PageArgs::new(first, after, last, before);
        list(ctx, filter.unwrap_or_default(), order_by, &args).await
    }

    /// One student by id (NOT_FOUND when it does not exist or is not the caller's to see).
    async fn student(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A global id.")] id: ID,
    ) -> AppResult<Student> {
        load(ctx, node::decode_as(&id, Kind::Student, "id")?).await
    }
}

/// A new student.
#[derive(InputObject)]
pub struct CreateStudentInput {
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

fn check_student(
    check: &mut Check,
    first: Option<&str>,
    last: Option<&str>,
    grade: Option<&str>,
    birth: Option<NaiveDate>,
    today: NaiveDate,
) {
    check.text("legalFirstName", first, 100);
    check.text("legalLastName", last, 100);
    check.grade("gradeLevel", grade);
    if birth.is_some_and(|b| b > today) {
        check.fail(
            "birthDate",
            UserErrorCode::OutOfRange,
            "birthDate may not be in the future",
        );
    }
}

const STUDENT_FIELDS: [&str; 10] = [
    "legalFirstName",
    "legalLastName",
    "preferredName",
    "localId",
    "stateId",
    "birthDate",
    "gradeLevel",
    "language",
    "englishLearner",
    "economicallyDisadvantaged",
];

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
        let actor = ctx.actor()?;
        policy::write_roster(actor)?;
        let mut check = Check::default();
        check_student(
            &mut check,
            Some(&input.legal_first_name),
            Some(&input.legal_last_name),
            Some(&input.grade_level),
            input.birth_date.map(|d| d.0),
            actor.today,
        );
        check_source(
            &mut check,
            input.source_system.as_deref(),
            input.sourced_id.as_deref(),
        );
        if !check.is_empty() {
            return Ok(StudentPayload::refused(check.into_errors()));
        }
        let now = Utc::now();
        let row = student::Model {
            id: Uuid::now_v7(),
            district_id: actor.district_id,
            source_system: input.source_system,
            sourced_id: input.sourced_id,
            local_id: input.local_id,
            state_id: input.state_id,
            legal_first_name: input.legal_first_name.trim().into(),
            legal_last_name: input.legal_last_name.trim().into(),
            preferred_name: input.preferred_name,
            birth_date: input.birth_date.map(|d| d.0),
            grade_level: input.grade_level,
            language: input.language,
            english_learner: input.english_learner,
            economically_disadvantaged: input.economically_disadvantaged,
            status: input
                .status
                .map_or(values::StudentStatus::Active, Into::into),
            created_at: now,
            updated_at: now,
            deleted_at: None,
            version: 1,
        };
        let recorded = Recorded::new(
            AuditAction::Create,
            "student",
            row.id,
            STUDENT_FIELDS.to_vec(),
        )
        .keyed(&row.source_system, &row.sourced_id)
        .about_student(row.id);
        Ok(
            match insert_recorded::<student::Entity>(ctx, row, recorded).await? {
                Some(row) => StudentPayload::done(Student(row)),
                None => StudentPayload::refused(duplicate(
                    "sourcedId",
                    "a student with this sourceSystem and sourcedId",
                )),
            },
        )
    }

    /// Changes a student, if nobody else changed it since `version`.
    async fn update_student(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: UpdateStudentInput,
    ) -> AppResult<StudentPayload> {
        let actor = ctx.actor()?;
        policy::write_roster(actor)?;
        let id = node::decode_as(&input.id, Kind::Student, "input.id")?;
        let mut check = Check::default();
        check_student(
            &mut check,
            input.legal_first_name.as_deref(),
            input.legal_last_name.as_deref(),
            input.grade_level.as_deref(),
            input.birth_date.value().map(|d| d.0),
            actor.today,
        );
        if !check.is_empty() {
            return Ok(StudentPayload::refused(check.into_errors()));
        }
        let mut changes = student::ActiveModel::default();
        let mut fields = Vec::new();
        apply_changes!(changes, fields;
            input.legal_first_name.map(|v| v.trim().to_string()) => legal_first_name as "legalFirstName",
            input.legal_last_name.map(|v| v.trim().to_string()) => legal_last_name as "legalLastName",
            input.preferred_name.change() => preferred_name as "preferredName",
            input.local_id.change() => local_id as "localId",
            input.state_id.change() => state_id as "stateId",
            input.birth_date.change().map(|d| d.map(|d| d.0)) => birth_date as "birthDate",
            input.grade_level => grade_level as "gradeLevel",
            input.language.change() => language as "language",
            input.english_learner => english_learner as "englishLearner",
            input.economically_disadvantaged => economically_disadvantaged as "economicallyDisadvantaged",
            input.status.map(values::StudentStatus::from) => status as "status",
        );
        let row = update_recorded::<student::Entity>(
            ctx,
            changes,
            (id, input.version),
            policy::student_rows(actor)?,
            "Student",
            |row| {
                Recorded::new(AuditAction::Update, "student", id, fields)
                    .keyed(&row.source_system, &row.sourced_id)
                    .about_student(id)
            },
        )
        .await?;
        Ok(StudentPayload::done(Student(row)))
    }
}
