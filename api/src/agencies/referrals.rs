//! Referrals to agencies as they are read: the district's (of the students it reads), an
//! agency's inbox (sent to it under consent in force), and the ones waiting on an agency's
//! answer or a worker's follow-up.

use async_graphql::{Context, ID, InputObject, Object};
use entity::{agency_referral, agency_referral_transition, values};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter};

use super::{
    AgenciesContext, Agency, AgencyReferralStatus, AgencyService, Consent, ReferralOutcome,
    referrals_service::{answer_due, business_days_before},
    shared::{self, ReferredStudent},
};
use crate::{
    auth::policy,
    config::CaseworkRules,
    errors::AppResult,
    graphql::{
        context::ContextExt,
        ids,
        pagination::{self, PageArgs, SortKey, connection_type, paginate},
        scalars::{Date, DateTime},
    },
    roster::{RosterContext, Staff, Student},
};

/// A referral of a student to a community agency.
#[derive(Clone)]
pub struct AgencyReferral(pub agency_referral::Model);
crate::graphql::ids::node_type!(AgencyReferral);

/// One move of a referral, with who made it.
pub struct AgencyReferralTransition(agency_referral_transition::Model);

/// One move of a referral: when, by which side, and (for the referral's parties) who and why.
#[Object]
impl AgencyReferralTransition {
    /// None for the referral's creation.
    async fn from(&self) -> Option<AgencyReferralStatus> {
        self.0.from_status.map(Into::into)
    }
    /// The status it moved to.
    async fn to(&self) -> AgencyReferralStatus {
        self.0.to_status.into()
    }
    /// When.
    async fn at(&self) -> DateTime {
        DateTime(self.0.at)
    }
    /// The role it acted in.
    async fn role(&self) -> &str {
        &self.0.role
    }
    /// The subject of the token that made it (the district's readers of notes; an agency, its
    /// own side's; null where refused).
    async fn actor_id(&self, ctx: &Context<'_>) -> AppResult<Option<&str>> {
        policy::transition_particulars(ctx.actor()?, &self.0.role)?;
        Ok(Some(&self.0.actor))
    }
    /// Why, in words (the referral's parties).
    async fn note(&self, ctx: &Context<'_>) -> AppResult<Option<&str>> {
        policy::transition_particulars(ctx.actor()?, &self.0.role)?;
        Ok(self.0.note.as_deref())
    }
}

/// A closed-loop referral of a student to a community agency; its status is an HL7 FHIR
/// Task's.
#[Object]
impl AgencyReferral {
    /// The referral's opaque global id.
    pub async fn id(&self) -> ID {
        ids::encode::<AgencyReferral>(self.0.id)
    }
    /// The student (the district's view; an agency reads `referredStudent`).
    async fn student(&self, ctx: &Context<'_>) -> AppResult<Option<Student>> {
        Ok(ctx
            .roster()
            .student
            .load_one(self.0.student_id)
            .await?
            .map(Student))
    }
    /// The student as the consent lets the agency see them: each field only if the consent
    /// covers it or an emergency it was sent in is not over (else FORBIDDEN); what an agency
    /// reads is recorded as disclosed.
    async fn referred_student(&self) -> ReferredStudent {
        ReferredStudent {
            referral: self.0.clone(),
        }
    }
    /// The agency it is sent to.
    async fn agency(&self, ctx: &Context<'_>) -> AppResult<Option<Agency>> {
        Ok(ctx
            .agencies()
            .agency
            .load_one(self.0.agency_id)
            .await?
            .map(Agency))
    }
    /// The service asked for.
    async fn service(&self, ctx: &Context<'_>) -> AppResult<Option<AgencyService>> {
        let Some(id) = self.0.service_id else {
            return Ok(None);
        };
        Ok(ctx
            .agencies()
            .service
            .load_one(id)
            .await?
            .map(AgencyService))
    }
    /// The staff member who made it (the district's view).
    async fn referred_by(&self, ctx: &Context<'_>) -> AppResult<Option<Staff>> {
        let Some(id) = self.0.referred_by_staff_id else {
            return Ok(None);
        };
        Ok(ctx.roster().staff.load_one(id).await?.map(Staff))
    }
    /// What the family needs (to an agency, if the consent covers NEEDS).
    async fn needs(&self, ctx: &Context<'_>) -> AppResult<String> {
        shared::needs(ctx, &self.0).await
    }
    /// Why it was sent without consent, in a health or safety emergency: the articulable and
    /// significant threat (the referral's parties).
    async fn emergency_threat(&self, ctx: &Context<'_>) -> AppResult<Option<&str>> {
        policy::emergency_threat_shown(ctx.actor()?, &self.0)?;
        Ok(self.0.emergency_threat.as_deref())
    }
    /// The consent it is sent under.
    async fn consent(&self, ctx: &Context<'_>) -> AppResult<Option<Consent>> {
        let Some(id) = self.0.consent_id else {
            return Ok(None);
        };
        Ok(ctx.agencies().consent.load_one(id).await?.map(Consent))
    }
    /// Where it stands.
    async fn status(&self) -> AgencyReferralStatus {
        self.0.status.into()
    }
    /// What came of it.
    async fn outcome(&self) -> Option<ReferralOutcome> {
        self.0.outcome.map(Into::into)
    }
    /// The district day it was sent.
    async fn requested_on(&self) -> Option<Date> {
        self.0.requested_on.map(Date)
    }
    /// The day the agency's answer is due (business days after it was sent, the district's
    /// setting), while it waits for one.
    async fn answer_due_on(&self, ctx: &Context<'_>) -> Option<Date> {
        let days = ctx.data_unchecked::<CaseworkRules>().agency_response_days;
        let sent = self.0.requested_on?;
        (self.0.status == values::AgencyReferralStatus::Requested)
            .then(|| Date(answer_due(sent, days)))
    }
    /// When the worker means to follow up (the district's view).
    async fn follow_up_on(&self, ctx: &Context<'_>) -> AppResult<Option<Date>> {
        policy::district_side(ctx.actor()?)?;
        Ok(self.0.follow_up_on.map(Date))
    }
    /// Every move, oldest first.
    async fn transitions(&self, ctx: &Context<'_>) -> AppResult<Vec<AgencyReferralTransition>> {
        let rows = ctx.agencies().transitions_of_referral.load_one(self.0.id);
        let rows = rows.await?.unwrap_or_default();
        Ok(rows.into_iter().map(AgencyReferralTransition).collect())
    }
    /// When it last changed.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
    /// Version for optimistic concurrency.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

connection_type!(
    AgencyReferralConnection,
    AgencyReferralEdge,
    AgencyReferral,
    "A page of referrals to agencies.",
    "A referral to an agency in a page."
);

/// Which referrals to agencies to list.
#[derive(InputObject, Default)]
pub struct AgencyReferralFilter {
    /// Only these statuses.
    pub statuses: Option<Vec<AgencyReferralStatus>>,
    /// Only referrals to this agency.
    pub agency_id: Option<ID>,
    /// Only this student's.
    pub student_id: Option<ID>,
}

/// Oldest first: UUIDv7 ids are in the order referrals were made.
const BY_CREATION: SortKey<agency_referral::Entity> = SortKey::by_id("agency_referral.made", false);

#[derive(Default)]
pub struct AgencyReferralQuery;

#[Object]
impl AgencyReferralQuery {
    /// Referrals to agencies, oldest first: for pupil services and admins those of the
    /// students they read; for an agency partner those sent to its agency under a consent in
    /// force (its inbox).
    #[graphql(complexity = "pagination::cost(first, last, child_complexity)")]
    async fn agency_referrals(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        #[graphql(desc = "Which referrals.")] filter: Option<AgencyReferralFilter>,
    ) -> AppResult<AgencyReferralConnection> {
        let actor = ctx.actor()?;
        let filter = filter.unwrap_or_default();
        let mut select =
            agency_referral::Entity::find().filter(policy::agency_referral_rows(actor)?);
        if let Some(statuses) = filter.statuses {
            let statuses = statuses.into_iter().map(values::AgencyReferralStatus::from);
            select = select.filter(agency_referral::Column::Status.is_in(statuses));
        }
        if let Some(agency_id) = &filter.agency_id {
            let agency_id = ids::decode_as::<Agency>(agency_id, "filter.agencyId")?;
            select = select.filter(agency_referral::Column::AgencyId.eq(agency_id));
        }
        if let Some(student_id) = &filter.student_id {
            policy::filters_by_student_id(actor)?;
            let student_id = ids::decode_as::<Student>(student_id, "filter.studentId")?;
            select = select.filter(agency_referral::Column::StudentId.eq(student_id));
        }
        let args = PageArgs::new(ctx.cursor_seal(), first, after, last, before);
        let page = paginate(ctx.db(), select, &BY_CREATION, &args).await?;
        Ok(AgencyReferralConnection(page.map(AgencyReferral)))
    }

    /// Referrals that need the worker: sent and unanswered past the agency's time to answer
    /// (business days, the district's setting), or past the follow-up day the worker set and
    /// not yet finished. Oldest first; pupil services and admins.
    #[graphql(complexity = "pagination::cost(first, last, child_complexity)")]
    async fn referrals_needing_follow_up(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<AgencyReferralConnection> {
        use values::AgencyReferralStatus::*;
        let actor = ctx.actor()?;
        policy::district_side(actor)?;
        let days = ctx.data_unchecked::<CaseworkRules>().agency_response_days;
        let overdue = business_days_before(actor.today, days);
        let waiting = Condition::any()
            .add(
                Condition::all()
                    .add(agency_referral::Column::Status.eq(Requested))
                    .add(agency_referral::Column::RequestedOn.lte(overdue)),
            )
            .add(
                Condition::all()
                    .add(agency_referral::Column::FollowUpOn.lte(actor.today))
                    .add(
                        agency_referral::Column::Status
                            .is_in([Draft, Requested, Accepted, InProgress, OnHold]),
                    ),
            );
        let select = agency_referral::Entity::find()
            .filter(policy::agency_referral_rows(actor)?)
            .filter(waiting);
        let args = PageArgs::new(ctx.cursor_seal(), first, after, last, before);
        let page = paginate(ctx.db(), select, &BY_CREATION, &args).await?;
        Ok(AgencyReferralConnection(page.map(AgencyReferral)))
    }
}
