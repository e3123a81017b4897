//! Casework's part of `Student`: its referrals, cases, service log, assessments, crisis
//! incidents, safety plans and truancy steps (flattened into the one `Student` type by `schema`), and the
//! page-level prefetch of them.

use async_graphql::{Context, Lookahead, Object, dataloader::Loader};
use chrono::{Datelike, NaiveDate};
use entity::{
    assessment, crisis_incident, safety_plan, service_contact, ssw_referral, truancy_step,
};
use uuid::Uuid;

use super::{
    AbuseReport, Case, CaseworkContext, Referral, ServiceContact,
    abuse_reports::AbuseReportConnection,
    cases::CaseConnection,
    contacts::ServiceContactConnection,
    referrals::ReferralConnection,
    related_minutes::{self, RelatedServiceMinutes},
    safety::{
        Assessment, AssessmentConnection, CrisisIncident, CrisisIncidentConnection, SafetyPlan,
        SafetyPlanConnection,
    },
    truancy::{self, TruancyStatus, TruancyStep, TruancyStepConnection},
};
use crate::{
    db::loader::{Cached, warm},
    errors::{AppError, AppResult},
    graphql::{
        context::ContextExt,
        pagination::{self, Connection, PageArgs, paginate_loaded, selects},
        scalars::Date,
    },
    mtss::MtssContext,
};

/// Casework's fields of a student.
pub struct StudentCasework(pub Uuid);

/// A page of the student's records from `loader`, of the days from `from` to `to` (by
/// `date_of`), in the loader's order.
async fn dated_page<L, M>(
    loader: &Cached<L>,
    student: Uuid,
    date_of: fn(&M) -> NaiveDate,
    id_of: fn(&M) -> Uuid,
    (from, to): (Option<Date>, Option<Date>),
    args: &PageArgs,
) -> AppResult<Connection<M>>
where
    L: Loader<Uuid, Value = Vec<M>, Error = AppError>,
    M: Clone + Send + Sync + 'static,
{
    let mut rows = loader.load_one(student).await?.unwrap_or_default();
    rows.retain(|row| {
        from.is_none_or(|from| date_of(row) >= from.0) && to.is_none_or(|to| date_of(row) <= to.0)
    });
    paginate_loaded(rows, id_of, args)
}

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
        let args = PageArgs::new(ctx.cursor_seal(), first, after, last, before);
        let loader = &ctx.casework().referrals_of_student;
        let (date_of, id_of) = (
            |r: &ssw_referral::Model| r.referred_on,
            |r: &ssw_referral::Model| r.id,
        );
        let page = dated_page(loader, self.0, date_of, id_of, (from, to), &args).await?;
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
        let args = PageArgs::new(ctx.cursor_seal(), first, after, last, before);
        let loader = &ctx.casework().contacts_of_student;
        let (date_of, id_of) = (
            |r: &service_contact::Model| r.date,
            |r: &service_contact::Model| r.id,
        );
        let page = dated_page(loader, self.0, date_of, id_of, (from, to), &args).await?;
        Ok(ServiceContactConnection(page.map(ServiceContact)))
    }
    /// Assessments, newest first (pupil services and admins).
    #[graphql(complexity = "pagination::cost_bounded(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn assessments(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "On or after this day.")] from: Option<Date>,
        #[graphql(desc = "On or before this day.")] to: Option<Date>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<AssessmentConnection> {
        let args = PageArgs::new(ctx.cursor_seal(), first, after, last, before);
        let loader = &ctx.casework().assessments_of_student;
        let (date_of, id_of) = (|r: &assessment::Model| r.date, |r: &assessment::Model| r.id);
        let page = dated_page(loader, self.0, date_of, id_of, (from, to), &args).await?;
        Ok(AssessmentConnection(page.map(Assessment)))
    }
    /// Crisis incidents, newest first (pupil services and admins).
    #[graphql(complexity = "pagination::cost_bounded(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn crisis_incidents(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "On or after this day.")] from: Option<Date>,
        #[graphql(desc = "On or before this day.")] to: Option<Date>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<CrisisIncidentConnection> {
        let args = PageArgs::new(ctx.cursor_seal(), first, after, last, before);
        let loader = &ctx.casework().crises_of_student;
        let (date_of, id_of) = (
            |r: &crisis_incident::Model| r.date,
            |r: &crisis_incident::Model| r.id,
        );
        let page = dated_page(loader, self.0, date_of, id_of, (from, to), &args).await?;
        Ok(CrisisIncidentConnection(page.map(CrisisIncident)))
    }
    /// Safety plans, newest first (pupil services and admins).
    #[graphql(complexity = "pagination::cost_bounded(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn safety_plans(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Made on or after this day.")] from: Option<Date>,
        #[graphql(desc = "Made on or before this day.")] to: Option<Date>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<SafetyPlanConnection> {
        let args = PageArgs::new(ctx.cursor_seal(), first, after, last, before);
        let loader = &ctx.casework().safety_plans_of_student;
        let (date_of, id_of) = (
            |r: &safety_plan::Model| r.created_on,
            |r: &safety_plan::Model| r.id,
        );
        let page = dated_page(loader, self.0, date_of, id_of, (from, to), &args).await?;
        Ok(SafetyPlanConnection(page.map(SafetyPlan)))
    }
    /// Mandated abuse reports, newest first (pupil services and admins).
    #[graphql(complexity = "pagination::cost_bounded(first, last, child_complexity)")]
    async fn abuse_reports(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<AbuseReportConnection> {
        let rows = ctx
            .casework()
            .abuse_reports_of_student
            .load_one(self.0)
            .await?;
        let args = PageArgs::new(ctx.cursor_seal(), first, after, last, before);
        let page = paginate_loaded(rows.unwrap_or_default(), |r| r.id, &args)?;
        Ok(AbuseReportConnection(page.map(AbuseReport)))
    }
    /// Truancy steps of every school year, oldest first (pupil services and admins).
    #[graphql(complexity = "pagination::cost_bounded(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn truancy_steps(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "On or after this day.")] from: Option<Date>,
        #[graphql(desc = "On or before this day.")] to: Option<Date>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<TruancyStepConnection> {
        let args = PageArgs::new(ctx.cursor_seal(), first, after, last, before);
        let loader = &ctx.casework().truancy_steps_of_student;
        let (date_of, id_of) = (
            |r: &truancy_step::Model| r.date,
            |r: &truancy_step::Model| r.id,
        );
        let page = dated_page(loader, self.0, date_of, id_of, (from, to), &args).await?;
        Ok(TruancyStepConnection(page.map(TruancyStep)))
    }
    /// Where the student stands on the truancy ladder this school year (pupil services and
    /// admins).
    async fn truancy(&self, ctx: &Context<'_>) -> AppResult<TruancyStatus> {
        truancy::status(ctx, self.0).await
    }
    /// Social-work minutes owed and delivered for each active IEP that calls for them, by
    /// week and month (pupil services and admins).
    async fn related_service_minutes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "First day (default: the first of this month).")] from: Option<Date>,
        #[graphql(desc = "Last day (default: today; at most a year after `from`).")] to: Option<
            Date,
        >,
    ) -> AppResult<Vec<RelatedServiceMinutes>> {
        let today = ctx.actor()?.today;
        let from = from.map_or(today.with_day(1).unwrap_or(today), |d| d.0);
        let to = to.map_or(today, |d| d.0);
        related_minutes::of_student(ctx, self.0, (from, to)).await
    }
    /// Whether a HIGH suicide-risk screening or threat assessment of the student had no
    /// crisis incident and no safety plan on the same day (pupil services and admins).
    async fn needs_safety_plan(&self, ctx: &Context<'_>) -> AppResult<bool> {
        let rows = ctx
            .casework()
            .unanswered_of_student
            .load_one(self.0)
            .await?;
        Ok(rows.is_some_and(|rows| !rows.is_empty()))
    }
}

/// Loads the casework records a page of students selects (`nodes`), for the whole page at
/// once (as `mtss::prefetch_students` does for MTSS's).
pub async fn prefetch(
    ctx: &Context<'_>,
    nodes: &[Lookahead<'_>],
    students: &[Uuid],
) -> AppResult<()> {
    let loaders = ctx.casework();
    let ids = students;
    let students = || ids.iter().copied();
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
        warm(
            &loaders.contacts_of_student,
            selects(nodes, "serviceContacts") || selects(nodes, "relatedServiceMinutes"),
            students(),
        ),
        warm(
            &ctx.mtss().ieps_of_student,
            selects(nodes, "relatedServiceMinutes"),
            students(),
        ),
        warm(
            &loaders.assessments_of_student,
            selects(nodes, "assessments"),
            students(),
        ),
        warm(
            &loaders.crises_of_student,
            selects(nodes, "crisisIncidents"),
            students(),
        ),
        warm(
            &loaders.safety_plans_of_student,
            selects(nodes, "safetyPlans"),
            students(),
        ),
        warm(
            &loaders.unanswered_of_student,
            selects(nodes, "needsSafetyPlan"),
            students(),
        ),
        warm(
            &loaders.abuse_reports_of_student,
            selects(nodes, "abuseReports"),
            students(),
        ),
        warm(
            &loaders.truancy_steps_of_student,
            selects(nodes, "truancySteps"),
            students(),
        ),
        truancy::prefetch(ctx, selects(nodes, "truancy"), ids),
    )?;
    Ok(())
}
