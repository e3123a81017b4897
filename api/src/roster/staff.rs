//! Staff and their school assignments (the cluster model: one social worker, several schools).

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};
use chrono::{DateTime, Utc};
use entity::{staff, staff_school_assignment as assignment, values};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, sea_query::Query};
use uuid::Uuid;

use super::{
    SourceKey, check_source,
    schools::{self, School, SchoolConnection, contains_pattern, lower_like},
};
use crate::{
    auth::policy,
    db::Recorded,
    errors::{AppError, AppResult},
    graphql::{
        context::ContextExt,
        mutation::{
            ChangeTo, Check, apply_changes, duplicate, insert_new, insert_recorded, payload_type,
            update_recorded,
        },
        node::{self, Kind},
        pagination::{
            self, PageArgs, SortKey, connection_type, on_nodes, paginate, paginate_loaded, selects,
        },
        scalars::{Date, mirror_enum},
    },
};
use entity::values::AuditAction;

mirror_enum! {
    /// The job a staff member holds.
    StaffRole = values::StaffRole {
        /// School social worker.
        SocialWorker,
        /// School counselor.
        Counselor,
        /// School psychologist.
        Psychologist,
        /// School nurse.
        Nurse,
        /// Teacher.
        Teacher,
        /// Principal or other administrator.
        Administrator,
        /// Any other role.
        Other,
    }
}

/// A member of the district's staff.
#[derive(Clone)]
pub struct Staff(pub staff::Model);

/// A member of the district's staff.
#[Object]
impl Staff {
    /// The staff member's opaque global id.
    pub async fn id(&self) -> ID {
        node::encode(Kind::Staff, self.0.id)
    }
    /// First name.
    async fn first_name(&self) -> &str {
        &self.0.first_name
    }
    /// Last name.
    async fn last_name(&self) -> &str {
        &self.0.last_name
    }
    /// Work e-mail address.
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }
    /// The job the staff member holds.
    async fn role(&self) -> StaffRole {
        self.0.role.into()
    }
    /// License or credential (for example a PPS credential).
    async fn license(&self) -> Option<&str> {
        self.0.license.as_deref()
    }
    /// The key the source system knows the staff member by.
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
    /// Schools the staff member is currently assigned to.
    #[graphql(complexity = "pagination::cost_bounded(first, last, child_complexity)")]
    async fn schools(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<SchoolConnection> {
        let loaders = ctx.roster();
        let assignments = loaders
            .assignments_of_staff
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        let schools = loaders
            .school
            .load_many(assignments.iter().map(|a| a.school_id))
            .await?;
        let mut rows: Vec<_> = assignments
            .iter()
            .filter_map(|a| schools.get(&a.school_id).cloned())
            .collect();
        let mut seen = std::collections::HashSet::new();
        rows.retain(|school| seen.insert(school.id));
        let page = paginate_loaded(
            rows,
            |school| school.id,
            &PageArgs::new(first, after, last, before),
        )?;
        Ok(SchoolConnection(page.map(School)))
    }
}

connection_type!(
    StaffConnection,
    StaffEdge,
    Staff,
    "A page of staff members.",
    "A staff member in a page."
);
payload_type!(
    StaffPayload,
    staff,
    Staff,
    "The result of creating or updating a staff member."
);

/// A staff member's assignment to a school over a date range.
#[derive(Clone)]
pub struct StaffAssignment(pub assignment::Model);

/// A staff member's assignment to a school over a date range.
#[Object]
impl StaffAssignment {
    /// The assignment's opaque global id.
    pub async fn id(&self) -> ID {
        node::encode(Kind::StaffAssignment, self.0.id)
    }
    /// The staff member assigned.
    async fn staff(&self, ctx: &Context<'_>) -> AppResult<Staff> {
        load(ctx, self.0.staff_id).await
    }
    /// The school assigned to.
    async fn school(&self, ctx: &Context<'_>) -> AppResult<School> {
        schools::load(ctx, self.0.school_id).await
    }
    /// First day of the assignment.
    async fn start_date(&self) -> Date {
        Date(self.0.start_date)
    }
    /// Last day of the assignment; null while it goes on.
    async fn end_date(&self) -> Option<Date> {
        self.0.end_date.map(Date)
    }
    /// Version for optimistic concurrency: pass it back when updating.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

payload_type!(
    StaffAssignmentPayload,
    assignment,
    StaffAssignment,
    "The result of assigning staff to a school."
);

pub async fn load(ctx: &Context<'_>, id: Uuid) -> AppResult<Staff> {
    ctx.roster()
        .staff
        .load_one(id)
        .await?
        .map(Staff)
        .ok_or_else(|| AppError::not_found("Staff", id))
}

/// Which staff members to list.
#[derive(InputObject, Default)]
pub struct StaffFilter {
    /// Only staff holding one of these roles.
    pub roles: Option<Vec<StaffRole>>,
    /// Only staff currently assigned to this school.
    pub school_id: Option<ID>,
    /// Part of the first or last name, case-insensitive.
    pub search: Option<String>,
}

const BY_LAST_NAME: SortKey<staff::Entity> = SortKey {
    name: "staff.lastName",
    column: Some(staff::Column::LastName),
    key_of: |row| Some(row.last_name.clone().into()),
    descending: false,
};

#[derive(Default)]
pub struct StaffQuery;

#[Object]
impl StaffQuery {
    /// The district's staff, by last name.
    #[graphql(complexity = "pagination::cost(first, last, child_complexity)")]
    async fn staff(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        #[graphql(desc = "Which staff members.")] filter: Option<StaffFilter>,
    ) -> AppResult<StaffConnection> {
        let actor = ctx.actor()?;
        let filter = filter.unwrap_or_default();
        let mut select = staff::Entity::find().filter(policy::staff_rows(actor)?);
        if let Some(roles) = filter.roles {
            select = select
                .filter(staff::Column::Role.is_in(roles.into_iter().map(values::StaffRole::from)));
        }
        if let Some(school_id) = &filter.school_id {
            let school_id = node::decode_as(school_id, Kind::School, "filter.schoolId")?;
            let today = actor.today;
            let assigned = Query::select()
                .column(assignment::Column::StaffId)
                .from(assignment::Entity)
                .and_where(assignment::Column::SchoolId.eq(school_id))
                .and_where(assignment::Column::StartDate.lte(today))
                .cond_where(
                    Condition::any()
                        .add(assignment::Column::EndDate.is_null())
                        .add(assignment::Column::EndDate.gte(today)),
                )
                .to_owned();
            select = select.filter(staff::Column::Id.in_subquery(assigned));
        }
        if let Some(search) = filter.search.as_deref().filter(|s| !s.trim().is_empty()) {
            let pattern = contains_pattern(search);
            select = select.filter(
                Condition::any()
                    .add(lower_like(staff::Column::FirstName, &pattern))
                    .add(lower_like(staff::Column::LastName, &pattern)),
            );
        }
        let page = paginate(
            ctx.db(),
            select,
            &BY_LAST_NAME,
            &PageArgs::new(first, after, last, before),
        )
        .await?;
        let loaders = ctx.roster();
        loaders
            .staff
            .feed_many(page.edges.iter().map(|(_, row)| (row.id, row.clone())))
            .await;
        if selects(&on_nodes(ctx.look_ahead()), "schools") {
            // One query for the page's assignments and one for their targets (as students::prefetch).
            let assignments = loaders
                .assignments_of_staff
                .load_many(page.edges.iter().map(|(_, row)| row.id))
                .await?;
            loaders
                .school
                .load_many(assignments.values().flatten().map(|a| a.school_id))
                .await?;
        }
        Ok(StaffConnection(page.map(Staff)))
    }
}

/// A new staff member.
#[derive(InputObject)]
pub struct CreateStaffInput {
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Work e-mail address.
    pub email: Option<String>,
    /// The job held.
    pub role: StaffRole,
    /// License or credential.
    pub license: Option<String>,
    /// The system that owns the record, when an integration creates it.
    pub source_system: Option<String>,
    /// The record's id in that system.
    pub sourced_id: Option<String>,
}

/// Changes to a staff member; fields left out stay as they are.
#[derive(InputObject)]
pub struct UpdateStaffInput {
    /// The staff member to change.
    pub id: ID,
    /// The version you read.
    pub version: i32,
    /// New first name.
    pub first_name: Option<String>,
    /// New last name.
    pub last_name: Option<String>,
    /// New e-mail address (null clears it).
    pub email: MaybeUndefined<String>,
    /// New role.
    pub role: Option<StaffRole>,
    /// New license (null clears it).
    pub license: MaybeUndefined<String>,
}

/// Assigns a staff member to a school from a date.
#[derive(InputObject)]
pub struct AssignStaffInput {
    /// The staff member.
    pub staff_id: ID,
    /// The school.
    pub school_id: ID,
    /// First day of the assignment.
    pub start_date: Date,
    /// Last day, if known.
    pub end_date: Option<Date>,
}

/// Changes the end of an assignment (to end it, or to extend it).
#[derive(InputObject)]
pub struct UpdateStaffAssignmentInput {
    /// The assignment.
    pub id: ID,
    /// The version you read.
    pub version: i32,
    /// New last day (null: open-ended).
    pub end_date: MaybeUndefined<Date>,
}

fn check_staff(check: &mut Check, first: Option<&str>, last: Option<&str>, email: Option<&str>) {
    check.text("firstName", first, 100);
    check.text("lastName", last, 100);
    check.email("email", email);
}

#[derive(Default)]
pub struct StaffMutation;

#[Object]
impl StaffMutation {
    /// Adds a staff member to the district.
    async fn create_staff(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: CreateStaffInput,
    ) -> AppResult<StaffPayload> {
        let actor = ctx.actor()?;
        policy::write_roster(actor)?;
        let mut check = Check::default();
        check_staff(
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
            return Ok(StaffPayload::refused(check.into_errors()));
        }
        let now = Utc::now();
        let row = staff::Model {
            id: Uuid::now_v7(),
            district_id: actor.district_id,
            source_system: input.source_system,
            sourced_id: input.sourced_id,
            first_name: input.first_name.trim().into(),
            last_name: input.last_name.trim().into(),
            email: input.email,
            role: input.role.into(),
            license: input.license,
            created_at: now,
            updated_at: now,
            deleted_at: None,
            version: 1,
        };
        let recorded = Recorded::new(
            AuditAction::Create,
            "staff",
            row.id,
            vec!["firstName", "lastName", "email", "role", "license"],
        )
        .keyed(&row.source_system, &row.sourced_id);
        Ok(
            match insert_recorded::<staff::Entity>(ctx, row, recorded).await? {
                Some(row) => StaffPayload::done(Staff(row)),
                None => StaffPayload::refused(duplicate(
                    "sourcedId",
                    "a staff member with this sourceSystem and sourcedId",
                )),
            },
        )
    }

    /// Changes a staff member, if nobody else changed it since `version`.
    async fn update_staff(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: UpdateStaffInput,
    ) -> AppResult<StaffPayload> {
        let actor = ctx.actor()?;
        policy::write_roster(actor)?;
        let id = node::decode_as(&input.id, Kind::Staff, "input.id")?;
        let mut check = Check::default();
        check_staff(
            &mut check,
            input.first_name.as_deref(),
            input.last_name.as_deref(),
            input.email.value().map(String::as_str),
        );
        if !check.is_empty() {
            return Ok(StaffPayload::refused(check.into_errors()));
        }
        let mut changes = staff::ActiveModel::default();
        let mut fields = Vec::new();
        apply_changes!(changes, fields;
            input.first_name.map(|v| v.trim().to_string()) => first_name as "firstName",
            input.last_name.map(|v| v.trim().to_string()) => last_name as "lastName",
            input.email.change() => email as "email",
            input.role.map(values::StaffRole::from) => role as "role",
            input.license.change() => license as "license",
        );
        let row = update_recorded::<staff::Entity>(
            ctx,
            changes,
            (id, input.version),
            policy::staff_rows(actor)?,
            "Staff",
            |row| {
                Recorded::new(AuditAction::Update, "staff", id, fields)
                    .keyed(&row.source_system, &row.sourced_id)
            },
        )
        .await?;
        Ok(StaffPayload::done(Staff(row)))
    }

    /// Assigns a staff member to a school.
    async fn assign_staff_to_school(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: AssignStaffInput,
    ) -> AppResult<StaffAssignmentPayload> {
        let actor = ctx.actor()?;
        policy::write_roster(actor)?;
        let staff_id = node::decode_as(&input.staff_id, Kind::Staff, "input.staffId")?;
        let school_id = node::decode_as(&input.school_id, Kind::School, "input.schoolId")?;
        let mut check = Check::default();
        check.found(
            "staffId",
            ctx.roster().staff.load_one(staff_id).await?,
            "staff member",
        );
        check.found(
            "schoolId",
            ctx.roster().school.load_one(school_id).await?,
            "school",
        );
        check.dates_in_order(
            Some(input.start_date),
            input.end_date,
            "endDate",
            "startDate",
        );
        if !check.is_empty() {
            return Ok(StaffAssignmentPayload::refused(check.into_errors()));
        }
        let now = Utc::now();
        let row = assignment::Model {
            id: Uuid::now_v7(),
            district_id: actor.district_id,
            staff_id,
            school_id,
            start_date: input.start_date.0,
            end_date: input.end_date.map(|d| d.0),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let recorded = Recorded::new(
            AuditAction::Create,
            "staff_school_assignment",
            row.id,
            vec!["staffId", "schoolId", "startDate", "endDate"],
        );
        let row = insert_new::<assignment::Entity>(ctx, row, recorded).await?;
        Ok(StaffAssignmentPayload::done(StaffAssignment(row)))
    }

    /// Ends or extends a school assignment.
    async fn update_staff_assignment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: UpdateStaffAssignmentInput,
    ) -> AppResult<StaffAssignmentPayload> {
        let actor = ctx.actor()?;
        policy::write_roster(actor)?;
        let id = node::decode_as(&input.id, Kind::StaffAssignment, "input.id")?;
        let current = ctx
            .roster()
            .assignment
            .load_one(id)
            .await?
            .ok_or_else(|| AppError::not_found("StaffAssignment", id))?;
        let mut check = Check::default();
        check.dates_in_order(
            Some(current.start_date),
            input.end_date.value().map(|d| d.0),
            "endDate",
            "startDate",
        );
        if !check.is_empty() {
            return Ok(StaffAssignmentPayload::refused(check.into_errors()));
        }
        let mut changes = assignment::ActiveModel::default();
        let mut fields = Vec::new();
        apply_changes!(changes, fields; input.end_date.change().map(|d| d.map(|d| d.0)) => end_date as "endDate");
        let row = update_recorded::<assignment::Entity>(
            ctx,
            changes,
            (id, input.version),
            policy::assignment_rows(actor)?,
            "StaffAssignment",
            |_| Recorded::new(AuditAction::Update, "staff_school_assignment", id, fields),
        )
        .await?;
        Ok(StaffAssignmentPayload::done(StaffAssignment(row)))
    }
}
