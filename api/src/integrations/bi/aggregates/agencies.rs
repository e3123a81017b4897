//! Referrals to community agencies sent in a period, by their status now and the agency,
//! counted in SQL; small cells suppressed for the roles that suppress them.

use async_graphql::{Context, Object, SimpleObject};
use entity::{agency, agency_referral, values};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order, Query};

use super::{rows, shown};
use crate::{
    agencies::AgencyReferralStatus,
    auth::policy,
    errors::AppResult,
    graphql::{context::ContextExt, scalars::Date},
};

/// Referrals of one status sent to one agency.
#[derive(SimpleObject)]
pub struct AgencyReferralCountCell {
    /// Where they stand now.
    pub status: AgencyReferralStatus,
    /// The agency's name.
    pub agency: String,
    /// Referrals (null when suppressed).
    pub referrals: Option<i64>,
    /// Students referred (null when suppressed).
    pub students: Option<i64>,
    /// Whether the counts are withheld: fewer students than the least a cell may show.
    pub suppressed: bool,
}

#[derive(sea_orm::FromQueryResult)]
struct Row {
    status: values::AgencyReferralStatus,
    agency: String,
    referrals: i64,
    students: i64,
}

#[derive(Default)]
pub struct AgencyCountsQuery;

#[Object]
impl AgencyCountsQuery {
    /// Referrals to agencies sent from `from` to `to`, by their status now and the agency, of
    /// the students the caller reads.
    async fn agency_referral_counts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "First day sent.")] from: Date,
        #[graphql(desc = "Last day sent.")] to: Date,
    ) -> AppResult<Vec<AgencyReferralCountCell>> {
        let actor = ctx.actor()?;
        let status = Expr::col((agency_referral::Entity, agency_referral::Column::Status));
        let name = Expr::col((agency::Entity, agency::Column::Name));
        let mut query = Query::select();
        query
            .expr_as(status.clone(), Alias::new("status"))
            .expr_as(name.clone(), Alias::new("agency"))
            .expr_as(Expr::cust("COUNT(*)"), Alias::new("referrals"))
            .expr_as(
                Expr::cust("COUNT(DISTINCT agency_referral.student_id)"),
                Alias::new("students"),
            )
            .from(agency_referral::Entity)
            .inner_join(
                agency::Entity,
                Expr::col((agency::Entity, agency::Column::Id))
                    .equals((agency_referral::Entity, agency_referral::Column::AgencyId)),
            )
            .cond_where(policy::agency_referral_count_rows(actor)?)
            .and_where(
                Expr::col((
                    agency_referral::Entity,
                    agency_referral::Column::RequestedOn,
                ))
                .gte(from.0),
            )
            .and_where(
                Expr::col((
                    agency_referral::Entity,
                    agency_referral::Column::RequestedOn,
                ))
                .lte(to.0),
            )
            .add_group_by([
                status.clone(),
                Expr::col((agency::Entity, agency::Column::Id)),
                name.clone(),
            ])
            .order_by_expr(status, Order::Asc)
            .order_by_expr(name, Order::Asc);
        let rows: Vec<Row> = rows(ctx, &query).await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let show = shown(actor, ctx, row.students);
                AgencyReferralCountCell {
                    status: row.status.into(),
                    agency: row.agency,
                    referrals: show.then_some(row.referrals),
                    students: show.then_some(row.students),
                    suppressed: !show,
                }
            })
            .collect())
    }
}
