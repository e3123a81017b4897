//! Referring students to agencies and answering referrals. Thin: the rules are
//! `referrals_service`'s.

use async_graphql::{Context, ID, InputObject, Object};
use chrono::Utc;
use entity::{agency_referral, values};
use uuid::Uuid;

use super::{
    Agency, AgencyReferral, AgencyReferralStatus, AgencyService, Consent, ReferralOutcome,
    referrals_service::{self as service, Move},
};
use crate::{
    errors::AppResult,
    graphql::{context::ContextExt, ids::InputIds, mutation::payload_type, scalars::Date},
    roster::Student,
};

payload_type!(
    AgencyReferralPayload,
    referral,
    AgencyReferral,
    "The result of making, moving or scheduling a referral to an agency."
);

/// A referral of a student to an agency.
#[derive(InputObject)]
pub struct CreateAgencyReferralInput {
    /// The student (one the caller reads).
    pub student_id: ID,
    /// The agency (of the directory).
    pub agency_id: ID,
    /// The service asked for (one of the agency's).
    pub service_id: Option<ID>,
    /// What the family needs, in words.
    pub needs: String,
    /// The guardian's consent it goes under (required to send it).
    pub consent_id: Option<ID>,
    /// Send it at once (REQUESTED) instead of keeping a DRAFT.
    #[graphql(default)]
    pub send: bool,
    /// To send it without consent in a health or safety emergency (34 CFR 99.36): the
    /// articulable and significant threat. The agency sees it for 30 days.
    pub emergency_threat: Option<String>,
}

/// A move of a referral to another status.
#[derive(InputObject)]
pub struct MoveAgencyReferralInput {
    /// The referral.
    pub id: ID,
    /// The version you read.
    pub version: i32,
    /// The status to move to.
    pub status: AgencyReferralStatus,
    /// Why, in words (kept with the move).
    pub note: Option<String>,
    /// What came of it (with REJECTED, COMPLETED, FAILED or CANCELLED).
    pub outcome: Option<ReferralOutcome>,
    /// To send it (REQUESTED) under another consent than the one it names.
    pub consent_id: Option<ID>,
    /// To send it (REQUESTED) without consent in a health or safety emergency (34 CFR 99.36):
    /// the articulable and significant threat. The agency sees it for 30 days.
    pub emergency_threat: Option<String>,
}

/// When the worker follows up.
#[derive(InputObject)]
pub struct FollowUpInput {
    /// The referral.
    pub id: ID,
    /// The version you read.
    pub version: i32,
    /// The day; null clears it.
    pub follow_up_on: Option<Date>,
}

#[derive(Default)]
pub struct AgencyReferralMutation;

#[Object]
impl AgencyReferralMutation {
    /// Refers a student to an agency (pupil services and admins): a DRAFT, or sent at once
    /// (REQUESTED) with `send`, which needs a consent in force naming the agency.
    async fn create_agency_referral(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: CreateAgencyReferralInput,
    ) -> AppResult<AgencyReferralPayload> {
        let actor = ctx.actor()?;
        let mut sent = InputIds::default();
        let student_id = sent.of::<Student>("studentId", &input.student_id);
        let agency_id = sent.of::<Agency>("agencyId", &input.agency_id);
        let service_id = input
            .service_id
            .as_ref()
            .map(|id| sent.of::<AgencyService>("serviceId", id));
        let consent_id = input
            .consent_id
            .as_ref()
            .map(|id| sent.of::<Consent>("consentId", id));
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let now = Utc::now();
        let row = agency_referral::Model {
            id: Uuid::now_v7(),
            district_id: actor.district_id,
            student_id,
            agency_id,
            service_id,
            referred_by_staff_id: actor.staff_id,
            needs: input.needs.trim().to_string(),
            consent_id,
            status: values::AgencyReferralStatus::Draft,
            outcome: None,
            requested_on: None,
            follow_up_on: None,
            emergency_threat: None,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let write = ctx.write().await?;
        let outcome = service::create(&write, row, (input.send, input.emergency_threat)).await?;
        Ok(write.finish(outcome).await?.map(AgencyReferral).into())
    }

    /// Moves a referral: the district sends it (REQUESTED), withdraws it (CANCELLED) or marks
    /// it ENTERED_IN_ERROR; the agency answers (ACCEPTED, REJECTED), works it (IN_PROGRESS,
    /// ON_HOLD) and closes it (COMPLETED, FAILED) or cancels it. A move the caller's side does
    /// not make, or one the lifecycle does not allow, is an INVALID_TRANSITION `userError`.
    async fn move_agency_referral(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The move.")] input: MoveAgencyReferralInput,
    ) -> AppResult<AgencyReferralPayload> {
        let mut sent = InputIds::default();
        let id = sent.target::<AgencyReferral>("id", &input.id);
        let consent_id = input
            .consent_id
            .as_ref()
            .map(|id| sent.of::<Consent>("consentId", id));
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let change = Move {
            status: input.status.into(),
            note: input.note,
            outcome: input.outcome.map(Into::into),
            consent_id,
            emergency_threat: input.emergency_threat,
        };
        let write = ctx.write().await?;
        let outcome = service::move_to(&write, (id, input.version), change).await;
        let outcome = sent.found(outcome)?;
        Ok(write.finish(outcome).await?.map(AgencyReferral).into())
    }

    /// Sets the day the worker follows up on a referral (pupil services and admins).
    async fn set_agency_referral_follow_up(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: FollowUpInput,
    ) -> AppResult<AgencyReferralPayload> {
        let mut sent = InputIds::default();
        let id = sent.target::<AgencyReferral>("id", &input.id);
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let write = ctx.write().await?;
        let on = input.follow_up_on.map(|d| d.0);
        let outcome = service::follow_up(&write, (id, input.version), on).await;
        let outcome = sent.found(outcome)?;
        Ok(write.finish(outcome).await?.map(AgencyReferral).into())
    }
}
