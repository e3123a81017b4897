//! Schools: the district's directory of schools and the need indicators that decide where
//! social workers are placed.

mod mutations;
pub mod service;

pub use mutations::SchoolMutation;

use super::{RosterContext, loaders::assigned};
use async_graphql::{Context, ID, InputObject, Object};
use entity::school;
use sea_orm::{
    ColumnTrait, EntityTrait, QueryFilter,
    sea_query::{Expr, ExprTrait, Func},
};
use uuid::Uuid;

use super::{
    SourceKey,
    staff::{Staff, StaffConnection},
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
        scalars::DateTime,
    },
};

/// A school of the district.
#[derive(Clone)]
pub struct School(pub school::Model);
crate::graphql::ids::node_type!(School);

/// The roster's fields of `School` (flattened into the one `School` type by `schema`).
pub struct SchoolRoster<'a>(pub &'a school::Model);

#[Object]
impl SchoolRoster<'_> {
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
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
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
        let members = assigned(&loaders.staff, &assignments, |a| a.staff_id).await?;
        let page = paginate_loaded(
            members,
            |member| member.id,
            &PageArgs::new(ctx.cursor_seal(), first, after, last, before),
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
    format!("%{}%", like_literal(text))
}

/// `text` trimmed and lower-cased, its `LIKE` wildcards (and the escape) escaped with `\\`:
/// a pattern piece that matches only itself.
pub fn like_literal(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
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
            &PageArgs::new(ctx.cursor_seal(), first, after, last, before),
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
        let uuid = ids::decode_as::<School>(&id, "id")?;
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
        .ok_or_else(|| ids::not_found::<School>(id))
}
