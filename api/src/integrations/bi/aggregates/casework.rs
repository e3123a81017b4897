//! Casework aggregates: cases open today by area of focus, and referrals by status and month
//! referred, counted in SQL; small cells suppressed for the roles that suppress them.

use async_graphql::{Context, Object, SimpleObject};
use chrono::NaiveDate;
use entity::{ssw_case, ssw_referral, values};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order, Query};

use super::{rows, shown};
use crate::{
    auth::policy,
    casework::{AreaOfFocus, ReferralStatus},
    db,
    errors::AppResult,
    graphql::{context::ContextExt, scalars::Date},
};

/// Cases of one area of focus open today.
#[derive(SimpleObject)]
pub struct CaseloadCell {
    /// The area.
    pub area_of_focus: AreaOfFocus,
    /// Open cases (null when suppressed).
    pub cases: Option<i64>,
    /// Students they are for (null when suppressed).
    pub students: Option<i64>,
    /// Whether the counts are withheld: fewer students than the least a cell may show.
    pub suppressed: bool,
}

/// Referrals of one status, referred in one month.
#[derive(SimpleObject)]
pub struct ReferralCountCell {
    /// Where they stand now.
    pub status: ReferralStatus,
    /// `YYYY-MM` they were referred in.
    pub month: String,
    /// Referrals (null when suppressed).
    pub referrals: Option<i64>,
    /// Students referred (null when suppressed).
    pub students: Option<i64>,
    /// Whether the counts are withheld.
    pub suppressed: bool,
}

#[derive(sea_orm::FromQueryResult)]
struct AreaRow {
    area: values::AreaOfFocus,
    cases: i64,
    students: i64,
}

#[derive(sea_orm::FromQueryResult)]
struct ReferralRow {
    status: values::ReferralStatus,
    year: i32,
    month: i32,
    referrals: i64,
    students: i64,
}

#[derive(Default)]
pub struct CaseworkCountsQuery;

#[Object]
impl CaseworkCountsQuery {
    /// Cases open today, by area of focus, of the students the caller reads.
    async fn caseload_counts(&self, ctx: &Context<'_>) -> AppResult<Vec<CaseloadCell>> {
        let actor = ctx.actor()?;
        let mut query = Query::select();
        query
            .expr_as(Expr::col(ssw_case::Column::AreaOfFocus), Alias::new("area"))
            .expr_as(Expr::cust("COUNT(*)"), Alias::new("cases"))
            .expr_as(
                Expr::cust("COUNT(DISTINCT student_id)"),
                Alias::new("students"),
            )
            .from(ssw_case::Entity)
            .cond_where(policy::case_rows(actor)?)
            .and_where(Expr::col(ssw_case::Column::OpenedOn).lte(actor.today))
            .and_where(Expr::col(ssw_case::Column::ClosedOn).is_null())
            .add_group_by([Expr::col(ssw_case::Column::AreaOfFocus)])
            .order_by(ssw_case::Column::AreaOfFocus, Order::Asc);
        let rows: Vec<AreaRow> = rows(ctx, &query).await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let show = shown(actor, ctx, row.students);
                CaseloadCell {
                    area_of_focus: row.area.into(),
                    cases: show.then_some(row.cases),
                    students: show.then_some(row.students),
                    suppressed: !show,
                }
            })
            .collect())
    }

    /// Referrals to social work referred from `from` to `to`, by their status now and the
    /// month referred, of the students the caller reads.
    async fn referral_counts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "First day referred.")] from: Date,
        #[graphql(desc = "Last day referred.")] to: Date,
    ) -> AppResult<Vec<ReferralCountCell>> {
        let actor = ctx.actor()?;
        let backend = ctx.read_db().get_database_backend();
        let (year, month) = db::year_and_month(backend, "referred_on");
        let mut query = Query::select();
        query
            .expr_as(
                Expr::col(ssw_referral::Column::Status),
                Alias::new("status"),
            )
            .expr_as(Expr::cust(year.clone()), Alias::new("year"))
            .expr_as(Expr::cust(month.clone()), Alias::new("month"))
            .expr_as(Expr::cust("COUNT(*)"), Alias::new("referrals"))
            .expr_as(
                Expr::cust("COUNT(DISTINCT student_id)"),
                Alias::new("students"),
            )
            .from(ssw_referral::Entity)
            .cond_where(policy::referral_rows(actor)?)
            .and_where(Expr::col(ssw_referral::Column::ReferredOn).gte(from.0))
            .and_where(Expr::col(ssw_referral::Column::ReferredOn).lte(to.0))
            .add_group_by([
                Expr::col(ssw_referral::Column::Status),
                Expr::cust(year),
                Expr::cust(month),
            ])
            .order_by(ssw_referral::Column::Status, Order::Asc);
        let rows: Vec<ReferralRow> = rows(ctx, &query).await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let show = shown(actor, ctx, row.students);
                let month = NaiveDate::from_ymd_opt(row.year, row.month as u32, 1)
                    .map_or_else(String::new, |first| first.format("%Y-%m").to_string());
                ReferralCountCell {
                    status: row.status.into(),
                    month,
                    referrals: show.then_some(row.referrals),
                    students: show.then_some(row.students),
                    suppressed: !show,
                }
            })
            .collect())
    }
}
