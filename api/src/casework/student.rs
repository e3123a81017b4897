//! Casework's part of `Student`: its referrals, cases and service log (flattened into the one `Student`
//! type by `schema`), and the page-level prefetch of them.

use async_graphql::{Context, Lookahead, Object};
use uuid::Uuid;

use super::{
    Case, CaseworkContext, Referral, ServiceContact, cases::CaseConnection,
    contacts::ServiceContactConnection, referrals::ReferralConnection,
};
use crate::{
    db::loader::warm,
    errors::AppResult,
    graphql::{
        context::ContextExt,
        pagination::{self, PageArgs, paginate_loaded, selects},
        scalars::Date,
    },
};

/// Casework's fields of a student.
pub struct StudentCasework(pub Uuid);

#[Object]
impl StudentCasework {
    /// Referrals to social work, newest first (school staff: the ones they filed).
    #[graphql(complexity = "pagination::cost_bounded(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn referrals(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Referred on or after this day.")] from: Option<Date>,
        #[graphql(desc = "Referred on or before this day.")] to: Option<Date>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<ReferralConnection> {
        let mut rows = ctx
            .casework()
            .referrals_of_student
            .load_one(self.0)
            .await?
            .unwrap_or_default();
        rows.retain(|row| {
            from.is_none_or(|from| row.referred_on >= from.0)
                && to.is_none_or(|to| row.referred_on <= to.0)
        });
        let args = PageArgs::new(ctx.cursor_seal(), first, after, last, before);
        let page = paginate_loaded(rows, |r| r.id, &args)?;
        Ok(ReferralConnection(page.map(Referral)))
    }
    /// Cases, newest first (pupil services and admins).
    #[graphql(complexity = "pagination::cost_bounded(first, last, child_complexity)")]
    async fn cases(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only open cases (or only closed ones).")] open: Option<bool>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<CaseConnection> {
        let mut rows = ctx
            .casework()
            .cases_of_student
            .load_one(self.0)
            .await?
            .unwrap_or_default();
        if let Some(open) = open {
            rows.retain(|row| row.closed_on.is_none() == open);
        }
        let args = PageArgs::new(ctx.cursor_seal(), first, after, last, before);
        let page = paginate_loaded(rows, |r| r.id, &args)?;
        Ok(CaseConnection(page.map(Case)))
    }
    /// The service log, newest first (pupil services and admins; BI readers without the
    /// words).
    #[graphql(complexity = "pagination::cost_bounded(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn service_contacts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "On or after this day.")] from: Option<Date>,
        #[graphql(desc = "On or before this day.")] to: Option<Date>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<ServiceContactConnection> {
        let mut rows = ctx
            .casework()
            .contacts_of_student
            .load_one(self.0)
            .await?
            .unwrap_or_default();
        rows.retain(|row| {
            from.is_none_or(|from| row.date >= from.0) && to.is_none_or(|to| row.date <= to.0)
        });
        let args = PageArgs::new(ctx.cursor_seal(), first, after, last, before);
        let page = paginate_loaded(rows, |r| r.id, &args)?;
        Ok(ServiceContactConnection(page.map(ServiceContact)))
    }
}

/// Loads the referrals, cases and service log a page of students selects (`nodes`), for the whole page at
/// once (as `mtss::prefetch_students` does for MTSS's).
pub async fn prefetch(
    ctx: &Context<'_>,
    nodes: &[Lookahead<'_>],
    students: &[Uuid],
) -> AppResult<()> {
    let loaders = ctx.casework();
    let students = || students.iter().copied();
    futures::try_join!(
        warm(
            &loaders.referrals_of_student,
            selects(nodes, "referrals"),
            students(),
        ),
        warm(
            &loaders.cases_of_student,
            selects(nodes, "cases"),
            students()
        ),
    )?;
    Ok(())
}
