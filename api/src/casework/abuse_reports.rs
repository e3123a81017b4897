//! Mandated reports of suspected abuse or neglect: recorded when the school learns of the
//! concern, filed with child protective services by the district's deadline
//! (`SSW_ABUSE_REPORT_HOURS` after learning of it); the unfiled ones past it are overdue.

use async_graphql::{Context, ID, InputObject, Object};
use chrono::{Duration, Utc};
use entity::abuse_report;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use super::{abuse_reports_service as service, confidential};
use crate::{
    auth::policy,
    config::CaseworkRules,
    errors::AppResult,
    graphql::{
        context::ContextExt,
        ids::{self, InputIds},
        mutation::payload_type,
        pagination::{self, PageArgs, SortKey, connection_type, paginate},
        scalars::DateTime,
    },
    roster::{RosterContext, Staff, Student, students},
};

/// A mandated abuse report.
#[derive(Clone)]
pub struct AbuseReport(pub abuse_report::Model);
crate::graphql::ids::node_type!(AbuseReport);

/// The district's deadline after learning of a concern.
fn allowed(ctx: &Context<'_>) -> Duration {
    Duration::hours(
        ctx.data_unchecked::<CaseworkRules>()
            .abuse_report_hours
            .into(),
    )
}

/// A mandated report of suspected abuse or neglect to child protective services.
#[Object]
impl AbuseReport {
    /// The report's opaque global id.
    pub async fn id(&self) -> ID {
        ids::encode::<AbuseReport>(self.0.id)
    }
    /// The student.
    async fn student(&self, ctx: &Context<'_>) -> AppResult<Student> {
        students::load(ctx, self.0.student_id).await
    }
    /// Who learned of it and files it.
    async fn staff(&self, ctx: &Context<'_>) -> AppResult<Option<Staff>> {
        let Some(id) = self.0.staff_id else {
            return Ok(None);
        };
        Ok(ctx.roster().staff.load_one(id).await?.map(Staff))
    }
    /// When the school learned of the concern.
    async fn learned_at(&self) -> DateTime {
        DateTime(self.0.learned_at)
    }
    /// What gave rise to it (pupil services and admins).
    async fn concern(&self, ctx: &Context<'_>) -> AppResult<&str> {
        confidential(ctx, self.0.student_id, "AbuseReport.concern")?;
        Ok(&self.0.concern)
    }
    /// The district's deadline for filing it.
    async fn deadline(&self, ctx: &Context<'_>) -> DateTime {
        DateTime(self.0.learned_at + allowed(ctx))
    }
    /// When it was filed; null while unfiled.
    async fn filed_at(&self) -> Option<DateTime> {
        self.0.filed_at.map(DateTime)
    }
    /// The agency it was filed with.
    async fn agency(&self) -> Option<&str> {
        self.0.agency.as_deref()
    }
    /// The agency's report number.
    async fn report_number(&self) -> Option<&str> {
        self.0.report_number.as_deref()
    }
    /// Unfiled past the deadline.
    async fn overdue(&self, ctx: &Context<'_>) -> bool {
        self.0.filed_at.is_none() && Utc::now() > self.0.learned_at + allowed(ctx)
    }
    /// Filed after the deadline.
    async fn filed_late(&self, ctx: &Context<'_>) -> bool {
        self.0
            .filed_at
            .is_some_and(|at| at > self.0.learned_at + allowed(ctx))
    }
    /// Version for optimistic concurrency.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

connection_type!(
    AbuseReportConnection,
    AbuseReportEdge,
    AbuseReport,
    "A page of abuse reports.",
    "An abuse report in a page."
);
payload_type!(
    AbuseReportPayload,
    report,
    AbuseReport,
    "The result of recording or filing an abuse report."
);

/// Learned of first, first.
const BY_RECORD: SortKey<abuse_report::Entity> = SortKey::by_id("abuseReport.created", false);

#[derive(Default)]
pub struct AbuseReportQuery;

#[Object]
impl AbuseReportQuery {
    /// Abuse reports not filed by the district's deadline (pupil services and admins).
    #[graphql(complexity = "pagination::cost(first, last, child_complexity)")]
    async fn abuse_reports_overdue(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<AbuseReportConnection> {
        let scope = policy::crisis_rows(ctx.actor()?, abuse_report::Column::StudentId)?;
        let select = abuse_report::Entity::find()
            .filter(scope)
            .filter(abuse_report::Column::FiledAt.is_null())
            .filter(abuse_report::Column::LearnedAt.lt(Utc::now() - allowed(ctx)));
        let args = PageArgs::new(ctx.cursor_seal(), first, after, last, before);
        let page = paginate(ctx.db(), select, &BY_RECORD, &args).await?;
        Ok(AbuseReportConnection(page.map(AbuseReport)))
    }
}

/// A concern of abuse or neglect the school learned of.
#[derive(InputObject)]
pub struct RecordAbuseConcernInput {
    /// The student.
    pub student_id: ID,
    /// When the school learned of it (now by default; never in the future).
    pub learned_at: Option<DateTime>,
    /// What gave rise to it.
    pub concern: String,
}

/// The filing of a report with child protective services.
#[derive(InputObject)]
pub struct FileAbuseReportInput {
    /// The report.
    pub id: ID,
    /// The version you read.
    pub version: i32,
    /// When it was filed (now by default; not before the concern, never in the future).
    pub filed_at: Option<DateTime>,
    /// The agency it was filed with.
    pub agency: String,
    /// The agency's report number.
    pub report_number: String,
}

#[derive(Default)]
pub struct AbuseReportMutation;

#[Object]
impl AbuseReportMutation {
    /// Records a concern of abuse or neglect: the deadline for filing runs from `learnedAt`.
    async fn record_abuse_concern(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: RecordAbuseConcernInput,
    ) -> AppResult<AbuseReportPayload> {
        let actor = ctx.actor()?;
        let mut sent = InputIds::default();
        let now = Utc::now();
        let row = abuse_report::Model {
            id: Uuid::now_v7(),
            district_id: actor.district_id,
            student_id: sent.of::<Student>("studentId", &input.student_id),
            staff_id: actor.staff_id,
            learned_at: input.learned_at.map_or(now, |at| at.0),
            concern: input.concern.trim().to_string(),
            filed_at: None,
            agency: None,
            report_number: None,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let write = ctx.write().await?;
        let outcome = service::record(&write, row).await?;
        Ok(write.finish(outcome).await?.map(AbuseReport).into())
    }

    /// Records that the report was filed: when, with which agency, under which number.
    async fn file_abuse_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: FileAbuseReportInput,
    ) -> AppResult<AbuseReportPayload> {
        let mut sent = InputIds::default();
        let id = sent.target::<AbuseReport>("id", &input.id);
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let changes = abuse_report::ActiveModel {
            filed_at: Set(Some(input.filed_at.map_or(Utc::now(), |at| at.0))),
            agency: Set(Some(input.agency.trim().to_string())),
            report_number: Set(Some(input.report_number.trim().to_string())),
            ..Default::default()
        };
        let write = ctx.write().await?;
        let outcome = sent.found(service::file(&write, (id, input.version), changes).await)?;
        Ok(write.finish(outcome).await?.map(AbuseReport).into())
    }
}
