//! Schools: the district's directory of schools and the need indicators that decide where
//! social workers are placed.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};
use chrono::{DateTime, Utc};
use entity::{school, values::AuditAction};
use sea_orm::{
    ColumnTrait, EntityTrait, QueryFilter,
    sea_query::{Expr, ExprTrait, Func},
};
use uuid::Uuid;

use super::{
    SourceKey, check_source,
    staff::{Staff, StaffConnection},
    students::{self, Student, StudentConnection, StudentFilter, StudentOrder},
};
use crate::{
    auth::policy,
    db::Recorded,
    errors::{AppError, AppResult},
    graphql::{
        context::ContextExt,
        mutation::{
            ChangeTo, Check, GRADE_LEVELS, UserErrorCode, apply_changes, duplicate,
            insert_recorded, payload_type, update_recorded,
        },
        node::{self, Kind},
        pagination::{
            self, PageArgs, SortKey, connection_type, on_nodes, paginate, paginate_loaded, selects,
        },
    },
};

/// A school of the district.
#[derive(Clone)]
pub struct School(pub school::Model);

/// A school of the district.
#[Object]
impl School {
    /// The school's opaque global id.
    pub async fn id(&self) -> ID {
        node::encode(Kind::School, self.0.id)
    }
    /// The school's name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The state's identifier of the school.
    async fn state_id(&self) -> Option<&str> {
        self.0.state_id.as_deref()
    }
    /// The NCES (federal) school identifier.
    async fn nces_id(&self) -> Option<&str> {
        self.0.nces_id.as_deref()
    }
    /// Lowest grade served, as a OneRoster grade code.
    async fn lowest_grade(&self) -> &str {
        &self.0.lowest_grade
    }
    /// Highest grade served, as a OneRoster grade code.
    async fn highest_grade(&self) -> &str {
        &self.0.highest_grade
    }
    /// Percentage (0-100) of students who are economically disadvantaged.
    async fn economically_disadvantaged_pct(&self) -> Option<f64> {
        self.0.economically_disadvantaged_pct
    }
    /// Percentage (0-100) of students who are chronically absent.
    async fn chronic_absence_rate(&self) -> Option<f64> {
        self.0.chronic_absence_rate
    }
    /// Whether the school is targeted for a social worker because of high need.
    async fn targeted(&self) -> bool {
        self.0.targeted
    }
    /// The key the source system knows the school by, if it was pushed by one.
    async fn source(&self) -> Option<SourceKey> {
        SourceKey::of(&self.0.source_system, &self.0.sourced_id)
    }
    /// Version for optimistic concurrency: pass it back when updating.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// When the record last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// Students currently enrolled at the school (today, or on `filter.enrolledOn`);
    /// `filter.schoolId` is ignored here.
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
        #[graphql(desc = "How to sort them (default: last name, A to Z).")] order_by: Option<
            StudentOrder,
        >,
    ) -> AppResult<StudentConnection> {
        let (filter, order) = (filter.unwrap_or_default(), order_by);
        let args = PageArgs::new(first, after, last, before);
        // Loaded for every school of the page at once (see graphql::batch).
        let arguments = format!("{args:?}|{filter:?}|{order:?}");
        let page = ctx
            .batches()
            .page("school.students", arguments, self.0.id, |schools| {
                students::pages_by_school(ctx, schools, &filter, order.as_ref(), &args)
            })
            .await?;
        Ok(StudentConnection(page.map(Student)))
    }
    /// Staff currently assigned to the school.
    #[graphql(complexity = "pagination::cost_bounded(first, last, child_complexity)")]
    async fn staff(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<StaffConnection> {
        let loaders = ctx.roster();
        let assignments = loaders
            .assignments_of_school
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        let staff = loaders
            .staff
            .load_many(assignments.iter().map(|a| a.staff_id))
            .await?;
        let mut members: Vec<_> = assignments
            .iter()
            .filter_map(|a| staff.get(&a.staff_id).cloned())
            .collect();
        let mut seen = std::collections::HashSet::new();
        members.retain(|member| seen.insert(member.id));
        let page = paginate_loaded(
            members,
            |member| member.id,
            &PageArgs::new(first, after, last, before),
        )?;
        Ok(StaffConnection(page.map(Staff)))
    }
}

connection_type!(
    SchoolConnection,
    SchoolEdge,
    School,
    "A page of schools.",
    "A school in a page of schools."
);
payload_type!(
    SchoolPayload,
    school,
    School,
    "The result of creating or updating a school."
);

/// Which schools to list.
#[derive(InputObject, Default)]
pub struct SchoolFilter {
    /// Only schools targeted (or not) for a social worker.
    pub targeted: Option<bool>,
    /// Part of the school's name, case-insensitive.
    pub search: Option<String>,
}

/// A `LIKE` pattern matching `text` anywhere, with wildcards in the text escaped.
pub fn contains_pattern(text: &str) -> String {
    let escaped = text
        .trim()
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// `LOWER(column) LIKE pattern`, with `\` as the escape character on every backend.
pub fn lower_like(
    column: impl sea_orm::sea_query::IntoColumnRef,
    pattern: &str,
) -> sea_orm::sea_query::SimpleExpr {
    Expr::expr(Func::lower(Expr::col(column)))
        .like(sea_orm::sea_query::LikeExpr::new(pattern).escape('\\'))
}

const BY_NAME: SortKey<school::Entity> = SortKey {
    name: "school.name",
    column: Some(school::Column::Name),
    key_of: |row| Some(row.name.clone().into()),
    descending: false,
};

#[derive(Default)]
pub struct SchoolQuery;

#[Object]
impl SchoolQuery {
    /// The district's schools, by name.
    #[graphql(complexity = "pagination::cost(first, last, child_complexity)")]
    async fn schools(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        #[graphql(desc = "Which schools.")] filter: Option<SchoolFilter>,
    ) -> AppResult<SchoolConnection> {
        let actor = ctx.actor()?;
        let filter = filter.unwrap_or_default();
        let mut select = school::Entity::find().filter(policy::school_rows(actor)?);
        if let Some(targeted) = filter.targeted {
            select = select.filter(school::Column::Targeted.eq(targeted));
        }
        if let Some(search) = filter.search.as_deref().filter(|s| !s.trim().is_empty()) {
            select = select.filter(lower_like(school::Column::Name, &contains_pattern(search)));
        }
        let page = paginate(
            ctx.db(),
            select,
            &BY_NAME,
            &PageArgs::new(first, after, last, before),
        )
        .await?;
        let loaders = ctx.roster();
        loaders
            .school
            .feed_many(page.edges.iter().map(|(_, row)| (row.id, row.clone())))
            .await;
        let nodes = on_nodes(ctx.look_ahead());
        if selects(&nodes, "students") {
            ctx.batches().set_parents(
                "school.students",
                page.edges.iter().map(|(_, row)| row.id).collect(),
            );
        }
        if selects(&nodes, "staff") {
            // One query for the page's assignments and one for their targets (as students::prefetch).
            let assignments = loaders
                .assignments_of_school
                .load_many(page.edges.iter().map(|(_, row)| row.id))
                .await?;
            loaders
                .staff
                .load_many(assignments.values().flatten().map(|a| a.staff_id))
                .await?;
        }
        Ok(SchoolConnection(page.map(School)))
    }

    /// One school by id.
    async fn school(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A global id.")] id: ID,
    ) -> AppResult<School> {
        let uuid = node::decode_as(&id, Kind::School, "id")?;
        load(ctx, uuid).await
    }
}

/// A school the caller may see, or NOT_FOUND.
pub async fn load(ctx: &Context<'_>, id: Uuid) -> AppResult<School> {
    ctx.roster()
        .school
        .load_one(id)
        .await?
        .map(School)
        .ok_or_else(|| AppError::not_found("School", id))
}

/// A new school.
#[derive(InputObject)]
pub struct CreateSchoolInput {
    /// The school's name.
    pub name: String,
    /// The state's identifier of the school.
    pub state_id: Option<String>,
    /// The NCES school identifier.
    pub nces_id: Option<String>,
    /// Lowest grade served (OneRoster code, e.g. KG).
    pub lowest_grade: String,
    /// Highest grade served (OneRoster code, e.g. 05).
    pub highest_grade: String,
    /// Percentage (0-100) of students economically disadvantaged.
    pub economically_disadvantaged_pct: Option<f64>,
    /// Percentage (0-100) of students chronically absent.
    pub chronic_absence_rate: Option<f64>,
    /// Targeted for a social worker because of high need.
    #[graphql(default)]
    pub targeted: bool,
    /// The system that owns the record, when an integration creates it.
    pub source_system: Option<String>,
    /// The record's id in that system.
    pub sourced_id: Option<String>,
}

/// Changes to a school; fields left out stay as they are, `null` clears an optional field.
#[derive(InputObject)]
pub struct UpdateSchoolInput {
    /// The school to change.
    pub id: ID,
    /// The version you read; a newer one on the server means CONFLICT.
    pub version: i32,
    /// New name.
    pub name: Option<String>,
    /// New state identifier.
    pub state_id: MaybeUndefined<String>,
    /// New NCES identifier.
    pub nces_id: MaybeUndefined<String>,
    /// New lowest grade.
    pub lowest_grade: Option<String>,
    /// New highest grade.
    pub highest_grade: Option<String>,
    /// New share of economically disadvantaged students.
    pub economically_disadvantaged_pct: MaybeUndefined<f64>,
    /// New chronic-absence rate.
    pub chronic_absence_rate: MaybeUndefined<f64>,
    /// Whether the school is targeted.
    pub targeted: Option<bool>,
}

fn check_school(
    check: &mut Check,
    name: Option<&str>,
    grades: (Option<&str>, Option<&str>),
    rates: [(&str, Option<f64>); 2],
) {
    check.text("name", name, 200);
    check.grade("lowestGrade", grades.0);
    check.grade("highestGrade", grades.1);
    let rank = |grade: &str| GRADE_LEVELS.iter().position(|g| *g == grade);
    if let (Some(low), Some(high)) = (grades.0.and_then(rank), grades.1.and_then(rank))
        && low > high
    {
        check.fail(
            "highestGrade",
            UserErrorCode::OutOfRange,
            "highestGrade may not be below lowestGrade",
        );
    }
    for (field, rate) in rates {
        if rate.is_some_and(|r| !(0.0..=100.0).contains(&r)) {
            check.fail(
                field,
                UserErrorCode::OutOfRange,
                format!("{field} is a percentage from 0 to 100"),
            );
        }
    }
}

const SCHOOL_FIELDS: [&str; 7] = [
    "name",
    "stateId",
    "ncesId",
    "grades",
    "economicallyDisadvantagedPct",
    "chronicAbsenceRate",
    "targeted",
];

#[derive(Default)]
pub struct SchoolMutation;

#[Object]
impl SchoolMutation {
    /// Adds a school to the district.
    async fn create_school(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: CreateSchoolInput,
    ) -> AppResult<SchoolPayload> {
        let actor = ctx.actor()?;
        policy::write_roster(actor)?;
        let mut check = Check::default();
        check_school(
            &mut check,
            Some(&input.name),
            (Some(&input.lowest_grade), Some(&input.highest_grade)),
            [
                (
                    "economicallyDisadvantagedPct",
                    input.economically_disadvantaged_pct,
                ),
                ("chronicAbsenceRate", input.chronic_absence_rate),
            ],
        );
        check_source(
            &mut check,
            input.source_system.as_deref(),
            input.sourced_id.as_deref(),
        );
        if !check.is_empty() {
            return Ok(SchoolPayload::refused(check.into_errors()));
        }
        let now = Utc::now();
        let row = school::Model {
            id: Uuid::now_v7(),
            district_id: actor.district_id,
            source_system: input.source_system,
            sourced_id: input.sourced_id,
            name: input.name.trim().to_string(),
            state_id: input.state_id,
            nces_id: input.nces_id,
            lowest_grade: input.lowest_grade,
            highest_grade: input.highest_grade,
            economically_disadvantaged_pct: input.economically_disadvantaged_pct,
            chronic_absence_rate: input.chronic_absence_rate,
            targeted: input.targeted,
            created_at: now,
            updated_at: now,
            deleted_at: None,
            version: 1,
        };
        let recorded = Recorded::new(
            AuditAction::Create,
            "school",
            row.id,
            SCHOOL_FIELDS.to_vec(),
        )
        .keyed(&row.source_system, &row.sourced_id);
        Ok(
            match insert_recorded::<school::Entity>(ctx, row, recorded).await? {
                Some(row) => SchoolPayload::done(School(row)),
                None => SchoolPayload::refused(duplicate(
                    "sourcedId",
                    "a school with this sourceSystem and sourcedId",
                )),
            },
        )
    }

    /// Changes a school, if nobody else changed it since `version`.
    async fn update_school(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: UpdateSchoolInput,
    ) -> AppResult<SchoolPayload> {
        let actor = ctx.actor()?;
        policy::write_roster(actor)?;
        let id = node::decode_as(&input.id, Kind::School, "input.id")?;
        let mut check = Check::default();
        let current = load(ctx, id).await?.0;
        let lowest = input
            .lowest_grade
            .as_deref()
            .unwrap_or(&current.lowest_grade);
        let highest = input
            .highest_grade
            .as_deref()
            .unwrap_or(&current.highest_grade);
        check_school(
            &mut check,
            input.name.as_deref(),
            (Some(lowest), Some(highest)),
            [
                (
                    "economicallyDisadvantagedPct",
                    input.economically_disadvantaged_pct.value().copied(),
                ),
                (
                    "chronicAbsenceRate",
                    input.chronic_absence_rate.value().copied(),
                ),
            ],
        );
        if !check.is_empty() {
            return Ok(SchoolPayload::refused(check.into_errors()));
        }
        let mut changes = school::ActiveModel::default();
        let mut fields = Vec::new();
        apply_changes!(changes, fields;
            input.name.map(|name| name.trim().to_string()) => name as "name",
            input.state_id.change() => state_id as "stateId",
            input.nces_id.change() => nces_id as "ncesId",
            input.lowest_grade => lowest_grade as "lowestGrade",
            input.highest_grade => highest_grade as "highestGrade",
            input.economically_disadvantaged_pct.change() => economically_disadvantaged_pct as "economicallyDisadvantagedPct",
            input.chronic_absence_rate.change() => chronic_absence_rate as "chronicAbsenceRate",
            input.targeted => targeted as "targeted",
        );
        let row = update_recorded::<school::Entity>(
            ctx,
            changes,
            (id, input.version),
            policy::school_rows(actor)?,
            "School",
            |row| {
                Recorded::new(AuditAction::Update, "school", id, fields)
                    .keyed(&row.source_system, &row.sourced_id)
            },
        )
        .await?;
        Ok(SchoolPayload::done(School(row)))
    }
}
