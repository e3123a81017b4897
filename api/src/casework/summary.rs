//! `caseloadSummary`: a social worker's monthly report, counted in SQL: open cases by area,
//! contacts and minutes by type, missed contacts, home visits, crises handled, and IEP
//! related-service minutes delivered against those owed.

use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::NaiveDate;
use entity::{
    iep_participation as iep, service_contact as contact, ssw_case,
    values::{self, IepStatus, PlanType},
};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, QueryFilter,
    QuerySelect,
    sea_query::{Alias, Expr, Query},
};

use super::{AreaOfFocus, ContactType};
use crate::{
    auth::policy,
    db,
    errors::{AppError, AppResult},
    graphql::{context::ContextExt, ids, scalars::Date},
    roster::Staff,
};

/// Open cases of one area of focus.
#[derive(SimpleObject)]
pub struct CasesByArea {
    /// The area.
    pub area_of_focus: AreaOfFocus,
    /// Cases open at some time in the period.
    pub cases: i64,
}

/// Contacts of one type.
#[derive(SimpleObject)]
pub struct ContactsByType {
    /// The type.
    pub contact_type: ContactType,
    /// Contacts that took place (missed ones are counted apart).
    pub contacts: i64,
    /// Minutes delivered.
    pub minutes: i64,
}

/// A social worker's report for a period.
#[derive(SimpleObject)]
pub struct CaseloadSummary {
    /// First day of the period.
    pub from: Date,
    /// Last day.
    pub to: Date,
    /// Cases open at some time in the period, by area of focus.
    pub open_cases_by_area: Vec<CasesByArea>,
    /// Contacts that took place and their minutes, by type.
    pub contacts_by_type: Vec<ContactsByType>,
    /// Contacts that were missed.
    pub missed_contacts: i64,
    /// Home visits made.
    pub home_visits: i64,
    /// Crisis responses.
    pub crises_handled: i64,
    /// Minutes of contacts that served an IEP.
    pub iep_minutes_delivered: i64,
    /// Social-work minutes the active IEPs of the worker's students call for over the period
    /// (minutes per week, for the days each IEP was in effect, divided by 7).
    pub iep_minutes_owed: i64,
}

#[derive(FromQueryResult)]
struct ByType {
    contact_type: values::ContactType,
    contacts: i64,
    minutes: Option<i64>,
}

#[derive(Default)]
pub struct SummaryQuery;

#[Object]
impl SummaryQuery {
    /// A social worker's report for a period (a month, say), of the students the caller
    /// reads: a social worker reads their own, admins anyone's.
    async fn caseload_summary(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The social worker.")] staff_id: ID,
        #[graphql(desc = "First day.")] from: Date,
        #[graphql(desc = "Last day.")] to: Date,
    ) -> AppResult<CaseloadSummary> {
        let actor = ctx.actor()?;
        let worker = ids::decode_as::<Staff>(&staff_id, "staffId")?;
        policy::worker_report(actor, worker)?;
        if to.0 < from.0 {
            return Err(AppError::bad_input("to", "to may not be before from"));
        }
        let (cases, contacts) = (policy::case_rows(actor)?, policy::contact_rows(actor)?);
        let db = ctx.db();
        let open_in_period = Condition::all()
            .add(cases)
            .add(ssw_case::Column::SocialWorkerId.eq(worker))
            .add(ssw_case::Column::OpenedOn.lte(to.0))
            .add(
                Condition::any()
                    .add(ssw_case::Column::ClosedOn.is_null())
                    .add(ssw_case::Column::ClosedOn.gte(from.0)),
            );
        let by_area: Vec<(values::AreaOfFocus, i64)> = ssw_case::Entity::find()
            .select_only()
            .column(ssw_case::Column::AreaOfFocus)
            .column_as(ssw_case::Column::Id.count(), "cases")
            .filter(open_in_period.clone())
            .group_by(ssw_case::Column::AreaOfFocus)
            .into_tuple()
            .all(db)
            .await?;
        let of_worker = Condition::all()
            .add(contacts)
            .add(contact::Column::ProviderStaffId.eq(worker))
            .add(contact::Column::Date.between(from.0, to.0));
        let by_type = contact::Entity::find()
            .select_only()
            .column(contact::Column::ContactType)
            .column_as(contact::Column::Id.count(), "contacts")
            .column_as(Expr::cust("CAST(SUM(minutes) AS BIGINT)"), "minutes")
            .filter(of_worker.clone())
            .filter(contact::Column::MissedReason.is_null())
            .group_by(contact::Column::ContactType)
            .into_model::<ByType>()
            .all(db)
            .await?;
        let (_, missed) = minutes_and_count(
            ctx,
            of_worker
                .clone()
                .add(contact::Column::MissedReason.is_not_null()),
        )
        .await?;
        let (iep_delivered, _) = minutes_and_count(
            ctx,
            of_worker
                .add(contact::Column::MissedReason.is_null())
                .add(contact::Column::IepId.is_not_null()),
        )
        .await?;
        let owed = iep_minutes_owed(ctx, open_in_period, (from.0, to.0)).await?;
        let of_type = |kind: values::ContactType| {
            by_type
                .iter()
                .filter(|row| row.contact_type == kind)
                .map(|row| row.contacts)
                .sum()
        };
        Ok(CaseloadSummary {
            from,
            to,
            open_cases_by_area: by_area
                .into_iter()
                .map(|(area, cases)| CasesByArea {
                    area_of_focus: area.into(),
                    cases,
                })
                .collect(),
            home_visits: of_type(values::ContactType::HomeVisit),
            crises_handled: of_type(values::ContactType::CrisisResponse),
            contacts_by_type: by_type
                .into_iter()
                .map(|row| ContactsByType {
                    contact_type: row.contact_type.into(),
                    contacts: row.contacts,
                    minutes: row.minutes.unwrap_or(0),
                })
                .collect(),
            missed_contacts: missed,
            iep_minutes_delivered: iep_delivered,
            iep_minutes_owed: owed,
        })
    }
}

/// The minutes and the number of the contacts `condition` picks, in one statement.
async fn minutes_and_count(ctx: &Context<'_>, condition: Condition) -> AppResult<(i64, i64)> {
    let row: Option<(i64, i64)> = contact::Entity::find()
        .select_only()
        .column_as(
            Expr::cust("CAST(COALESCE(SUM(minutes), 0) AS BIGINT)"),
            "minutes",
        )
        .column_as(contact::Column::Id.count(), "contacts")
        .filter(condition)
        .into_tuple()
        .one(ctx.db())
        .await?;
    Ok(row.unwrap_or((0, 0)))
}

/// A DATE literal, as each backend reads one.
fn date(backend: DbBackend, day: NaiveDate) -> String {
    match backend {
        DbBackend::Postgres => format!("DATE '{day}'"),
        _ => format!("'{day}'"),
    }
}

/// The social-work minutes active IEPs call for over the period, of the students with one of
/// the worker's cases open in it: for each IEP, minutes per week times the days of the period
/// it was in effect, summed in SQL, over 7.
async fn iep_minutes_owed(
    ctx: &Context<'_>,
    open_in_period: Condition,
    (from, to): (NaiveDate, NaiveDate),
) -> AppResult<i64> {
    let backend = ctx.db().get_database_backend();
    let (from, to) = (date(backend, from), date(backend, to));
    let (greatest, least) = match backend {
        DbBackend::Postgres => ("GREATEST", "LEAST"),
        _ => ("MAX", "MIN"),
    };
    let first = format!("{greatest}({from}, COALESCE(iep_begin_date, {from}))");
    let last = format!("{least}({to}, COALESCE(iep_end_date, {to}))");
    let days = format!("({} + 1)", db::days_between(backend, &first, &last));
    let students = Query::select()
        .column(ssw_case::Column::StudentId)
        .from(ssw_case::Entity)
        .cond_where(open_in_period)
        .to_owned();
    let weighted =
        format!("CAST(COALESCE(SUM(social_work_minutes_per_week * {days}), 0) AS BIGINT)");
    let statement = Query::select()
        .expr_as(Expr::cust(weighted), Alias::new("owed"))
        .from(iep::Entity)
        .and_where(iep::Column::DistrictId.eq(ctx.actor()?.district_id))
        .and_where(iep::Column::Status.eq(IepStatus::Active))
        .and_where(iep::Column::PlanType.eq(PlanType::Iep))
        .and_where(iep::Column::SocialWorkMinutesPerWeek.gt(0))
        .and_where(Expr::cust(format!("{first} <= {last}")))
        .and_where(iep::Column::StudentId.in_subquery(students))
        .to_owned();
    let row = ctx.db().query_one(&statement).await?;
    let week_days: i64 = match row {
        Some(row) => row.try_get("", "owed")?,
        None => 0,
    };
    Ok(week_days / 7)
}
