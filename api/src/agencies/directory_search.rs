//! Searching the directory: agencies by name, and services by category, language, words and
//! room (what a worker refers from), and entries nobody has checked for a while.

use async_graphql::{Context, ID, InputObject, Object};
use chrono::Days;
use entity::{agency, agency_service, values};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, sea_query::IntoColumnRef};

use super::{Agency, AgencyService, ServiceStatus};
use crate::{
    auth::policy,
    errors::{AppError, AppResult},
    graphql::{
        context::ContextExt,
        ids,
        pagination::{self, PageArgs, SortKey, connection_type, paginate},
    },
    roster::{contains_pattern, like_literal, lower_like},
};

connection_type!(
    AgencyConnection,
    AgencyEdge,
    Agency,
    "A page of agencies.",
    "An agency in a page."
);
connection_type!(
    AgencyServiceConnection,
    AgencyServiceEdge,
    AgencyService,
    "A page of agency services.",
    "A service in a page."
);

/// Which agencies to list.
#[derive(InputObject, Default)]
pub struct AgencyFilter {
    /// Part of the name, case-insensitive.
    pub search: Option<String>,
    /// Only entries nobody has checked (`assuredDate`) in this many days, or ever.
    pub not_checked_for_days: Option<u32>,
}

/// Which services to list: what a worker refers from.
#[derive(InputObject, Default)]
pub struct ServiceFilter {
    /// Only services with this category (case-insensitive, the whole term).
    pub category: Option<String>,
    /// Only services offered in this language (an ISO 639 code).
    pub language: Option<String>,
    /// Part of the service's name or description, case-insensitive.
    pub search: Option<String>,
    /// Only services that publish free capacity (more than zero available).
    pub has_capacity: Option<bool>,
    /// Only these statuses (default: every status).
    pub statuses: Option<Vec<ServiceStatus>>,
    /// Only entries nobody has checked in this many days, or ever.
    pub not_checked_for_days: Option<u32>,
    /// Only this agency's services.
    pub agency_id: Option<ID>,
}

const AGENCY_BY_NAME: SortKey<agency::Entity> = SortKey {
    name: "agency.name",
    column: Some(agency::Column::Name),
    key_of: |row| Some(row.name.clone().into()),
    descending: false,
};

const SERVICE_BY_NAME: SortKey<agency_service::Entity> = SortKey {
    name: "agency_service.name",
    column: Some(agency_service::Column::Name),
    key_of: |row| Some(row.name.clone().into()),
    descending: false,
};

/// Rows whose newline-separated `column` holds `value` as a whole line, case-insensitive.
fn has_line<C: ColumnTrait + IntoColumnRef + Copy>(column: C, value: &str) -> Condition {
    let escaped = like_literal(value);
    Condition::any()
        .add(lower_like(column, &escaped))
        .add(lower_like(column, &format!("{escaped}\n%")))
        .add(lower_like(column, &format!("%\n{escaped}")))
        .add(lower_like(column, &format!("%\n{escaped}\n%")))
}

/// Longer ago than any directory entry: a century.
const MAX_UNCHECKED_DAYS: u32 = 36_500;

/// Entries whose `assured_date` is older than `days` before `today`, or never set; more than
/// a century is refused (no database holds the day it would name).
fn unchecked<C: ColumnTrait>(
    column: C,
    days: u32,
    today: chrono::NaiveDate,
) -> AppResult<Condition> {
    let since = today
        .checked_sub_days(Days::new(days.into()))
        .filter(|_| days <= MAX_UNCHECKED_DAYS)
        .ok_or_else(|| {
            AppError::bad_input(
                "filter.notCheckedForDays",
                format!("filter.notCheckedForDays is at most {MAX_UNCHECKED_DAYS}"),
            )
        })?;
    Ok(Condition::any().add(column.is_null()).add(column.lt(since)))
}

#[derive(Default)]
pub struct DirectoryQuery;

#[Object]
impl DirectoryQuery {
    /// The district's directory of community agencies, by name.
    #[graphql(complexity = "pagination::cost(first, last, child_complexity)")]
    async fn agencies(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        #[graphql(desc = "Which agencies.")] filter: Option<AgencyFilter>,
    ) -> AppResult<AgencyConnection> {
        let actor = ctx.actor()?;
        let filter = filter.unwrap_or_default();
        let mut select = agency::Entity::find()
            .filter(policy::directory_rows(actor, agency::Column::DistrictId)?);
        if let Some(search) = filter.search.as_deref().filter(|s| !s.trim().is_empty()) {
            select = select.filter(lower_like(agency::Column::Name, &contains_pattern(search)));
        }
        if let Some(days) = filter.not_checked_for_days {
            select = select.filter(unchecked(agency::Column::AssuredDate, days, actor.today)?);
        }
        let args = PageArgs::new(ctx.cursor_seal(), first, after, last, before);
        let page = paginate(ctx.db(), select, &AGENCY_BY_NAME, &args).await?;
        Ok(AgencyConnection(page.map(Agency)))
    }

    /// Services of the directory's agencies, by name: search by category, language, words
    /// and free capacity to refer where there is room.
    #[graphql(complexity = "pagination::cost(first, last, child_complexity)")]
    async fn agency_services(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        #[graphql(desc = "Which services.")] filter: Option<ServiceFilter>,
    ) -> AppResult<AgencyServiceConnection> {
        let actor = ctx.actor()?;
        let filter = filter.unwrap_or_default();
        let mut select = agency_service::Entity::find().filter(policy::directory_rows(
            actor,
            agency_service::Column::DistrictId,
        )?);
        if let Some(agency_id) = &filter.agency_id {
            let agency_id = ids::decode_as::<Agency>(agency_id, "filter.agencyId")?;
            select = select.filter(agency_service::Column::AgencyId.eq(agency_id));
        }
        if let Some(category) = filter.category.as_deref().filter(|s| !s.trim().is_empty()) {
            select = select.filter(has_line(agency_service::Column::Categories, category));
        }
        if let Some(language) = filter.language.as_deref().filter(|s| !s.trim().is_empty()) {
            select = select.filter(has_line(agency_service::Column::Languages, language));
        }
        if let Some(search) = filter.search.as_deref().filter(|s| !s.trim().is_empty()) {
            let pattern = contains_pattern(search);
            select = select.filter(
                Condition::any()
                    .add(lower_like(agency_service::Column::Name, &pattern))
                    .add(lower_like(agency_service::Column::Description, &pattern)),
            );
        }
        if let Some(has_capacity) = filter.has_capacity {
            let free = agency_service::Column::CapacityAvailable.gt(0);
            let column = agency_service::Column::CapacityAvailable;
            select = select.filter(if has_capacity {
                Condition::all().add(free)
            } else {
                Condition::any().add(column.is_null()).add(column.lte(0))
            });
        }
        if let Some(statuses) = filter.statuses {
            let statuses = statuses.into_iter().map(values::ServiceStatus::from);
            select = select.filter(agency_service::Column::Status.is_in(statuses));
        }
        if let Some(days) = filter.not_checked_for_days {
            let column = agency_service::Column::AssuredDate;
            select = select.filter(unchecked(column, days, actor.today)?);
        }
        let args = PageArgs::new(ctx.cursor_seal(), first, after, last, before);
        let page = paginate(ctx.db(), select, &SERVICE_BY_NAME, &args).await?;
        Ok(AgencyServiceConnection(page.map(AgencyService)))
    }
}
