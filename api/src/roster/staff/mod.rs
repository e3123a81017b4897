//! Staff and their school assignments (the cluster model: one social worker, several schools).

mod mutations;
pub mod service;

pub use mutations::{StaffFields, StaffMutation};

use super::{RosterContext, loaders::assigned};
use async_graphql::{Context, ID, InputObject, Object};
use entity::{staff, staff_school_assignment as assignment, values};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, sea_query::Query};
use uuid::Uuid;

use super::{
    SourceKey,
    schools::{self, School, SchoolConnection, contains_pattern, lower_like},
};
use crate::{
    auth::policy,
    errors::AppResult,
    graphql::{
        context::ContextExt,
        ids,
        mutation::payload_type,
        pagination::{
            self, PageArgs, SortKey, connection_type, on_nodes, paginate, paginate_loaded, selects,
        },
        scalars::{Date, DateTime, mirror_enum},
    },
};

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
crate::graphql::ids::node_type!(Staff);

/// The roster's fields of `Staff` (flattened into the one `Staff` type by `schema`).
pub struct StaffRoster<'a>(pub &'a staff::Model);

#[Object]
impl StaffRoster<'_> {
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
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
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
        let rows = assigned(&loaders.school, &assignments, |a| a.school_id).await?;
        let page = paginate_loaded(
            rows,
            |school| school.id,
            &PageArgs::new(ctx.cursor_seal(), first, after, last, before),
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
crate::graphql::ids::node_type!(StaffAssignment);

/// A staff member's assignment to a school over a date range.
#[Object]
impl StaffAssignment {
    /// The assignment's opaque global id.
    pub async fn id(&self) -> ID {
        ids::encode::<StaffAssignment>(self.0.id)
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
        .ok_or_else(|| ids::not_found::<Staff>(id))
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
            let school_id = ids::decode_as::<School>(school_id, "filter.schoolId")?;
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
            &PageArgs::new(ctx.cursor_seal(), first, after, last, before),
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
