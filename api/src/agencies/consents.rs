//! Consents as they are read and recorded: a student's consents for pupil services, the one a
//! referral rests on for the agency it went to.

use async_graphql::{Context, ID, InputObject, Object};
use chrono::Utc;
use entity::consent;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{
    AgenciesContext, Agency, ConsentField, consents_service as service, from_lines, lines,
};
use crate::{
    auth::policy,
    errors::AppResult,
    graphql::{
        context::ContextExt,
        ids::{self, InputIds},
        mutation::payload_type,
        pagination::{self, PageArgs, SortKey, connection_type, paginate},
        scalars::{Date, DateTime},
    },
    roster::{Guardian, RosterContext, Student},
};

/// A guardian's written consent to disclose a student's records to named agencies.
#[derive(Clone)]
pub struct Consent(pub consent::Model);
crate::graphql::ids::node_type!(Consent);

/// A guardian's written consent to disclose a student's records (34 CFR 99.30(b)): who
/// signed it and when, which fields, the purpose, the agencies it may go to, until when.
#[Object]
impl Consent {
    /// The consent's opaque global id.
    pub async fn id(&self) -> ID {
        ids::encode::<Consent>(self.0.id)
    }
    /// The student (for pupil services; an agency sees what the consent covers through the
    /// referral).
    async fn student(&self, ctx: &Context<'_>) -> AppResult<Option<Student>> {
        Ok(ctx
            .roster()
            .student
            .load_one(self.0.student_id)
            .await?
            .map(Student))
    }
    /// The guardian who signed it (for pupil services).
    async fn guardian(&self, ctx: &Context<'_>) -> AppResult<Option<Guardian>> {
        Ok(ctx
            .roster()
            .guardian
            .load_one(self.0.guardian_id)
            .await?
            .map(Guardian))
    }
    /// The day it was signed.
    async fn given_on(&self) -> Date {
        Date(self.0.given_on)
    }
    /// What it lets go to its agencies.
    async fn fields(&self) -> Vec<ConsentField> {
        from_lines::<entity::values::ConsentField>(&self.0.fields)
            .into_iter()
            .map(Into::into)
            .collect()
    }
    /// What for, in the guardian's words.
    async fn purpose(&self) -> &str {
        &self.0.purpose
    }
    /// The agencies it may go to (to an agency: itself, not the family's others).
    async fn agencies(&self, ctx: &Context<'_>) -> AppResult<Vec<Agency>> {
        let ids: Vec<Uuid> = self
            .0
            .parties
            .lines()
            .filter_map(|line| Uuid::parse_str(line).ok())
            .collect();
        let ids = policy::consent_parties_shown(ctx.actor()?, ids);
        let found = ctx.agencies().agency.load_many(ids.clone()).await?;
        Ok(ids
            .iter()
            .filter_map(|id| found.get(id).cloned().map(Agency))
            .collect())
    }
    /// The last day it holds.
    async fn expires_on(&self) -> Date {
        Date(self.0.expires_on)
    }
    /// When it was revoked, if it was.
    async fn revoked_at(&self) -> Option<DateTime> {
        self.0.revoked_at.map(DateTime)
    }
    /// Whether it holds today: signed, not expired, not revoked.
    async fn in_force(&self, ctx: &Context<'_>) -> AppResult<bool> {
        Ok(policy::consent_holds(&self.0, ctx.actor()?.today).is_ok())
    }
    /// Version for optimistic concurrency.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

connection_type!(
    ConsentConnection,
    ConsentEdge,
    Consent,
    "A page of consents.",
    "A consent in a page."
);
payload_type!(
    ConsentPayload,
    consent,
    Consent,
    "The result of recording or revoking a consent."
);

const NEWEST_FIRST: SortKey<consent::Entity> = SortKey::by_id("consent.recorded", true);

#[derive(Default)]
pub struct ConsentQuery;

#[Object]
impl ConsentQuery {
    /// A student's consents to disclose, newest first: for pupil services and admins every
    /// one; for an agency partner the ones its referrals rest on.
    #[graphql(complexity = "pagination::cost(first, last, child_complexity)")]
    async fn consents(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The student.")] student_id: ID,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<ConsentConnection> {
        let actor = ctx.actor()?;
        let student = ids::decode_as::<Student>(&student_id, "studentId")?;
        let select = consent::Entity::find()
            .filter(policy::consent_rows(actor)?)
            .filter(consent::Column::StudentId.eq(student));
        let args = PageArgs::new(ctx.cursor_seal(), first, after, last, before);
        let page = paginate(ctx.db(), select, &NEWEST_FIRST, &args).await?;
        Ok(ConsentConnection(page.map(Consent)))
    }
}

/// A guardian's consent, as signed.
#[derive(InputObject)]
pub struct RecordConsentInput {
    /// The student (one the caller reads).
    pub student_id: ID,
    /// The guardian who signed (one linked to the student).
    pub guardian_id: ID,
    /// The day it was signed (default: today).
    pub given_on: Option<Date>,
    /// What it lets go.
    pub fields: Vec<ConsentField>,
    /// What for.
    pub purpose: String,
    /// The agencies it may go to.
    pub agency_ids: Vec<ID>,
    /// The last day it holds.
    pub expires_on: Date,
}

/// Revokes a consent.
#[derive(InputObject)]
pub struct RevokeConsentInput {
    /// The consent.
    pub id: ID,
    /// The version you read.
    pub version: i32,
}

#[derive(Default)]
pub struct ConsentMutation;

#[Object]
impl ConsentMutation {
    /// Records a guardian's consent to disclose (pupil services and admins).
    async fn record_consent(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: RecordConsentInput,
    ) -> AppResult<ConsentPayload> {
        let actor = ctx.actor()?;
        let mut sent = InputIds::default();
        let student_id = sent.of::<Student>("studentId", &input.student_id);
        let guardian_id = sent.of::<Guardian>("guardianId", &input.guardian_id);
        let parties: Vec<Uuid> = input
            .agency_ids
            .iter()
            .enumerate()
            .map(|(at, id)| sent.of::<Agency>(&format!("agencyIds.{at}"), id))
            .collect();
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let now = Utc::now();
        let row = consent::Model {
            id: Uuid::now_v7(),
            district_id: actor.district_id,
            student_id,
            guardian_id,
            given_on: input.given_on.map_or(actor.today, |d| d.0),
            fields: lines(
                input
                    .fields
                    .into_iter()
                    .map(entity::values::ConsentField::from),
            ),
            purpose: input.purpose.trim().to_string(),
            parties: String::new(),
            expires_on: input.expires_on.0,
            revoked_at: None,
            revoked_by: None,
            recorded_by: actor.subject.clone(),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let write = ctx.write().await?;
        let outcome = service::record(&write, row, parties).await?;
        Ok(write.finish(outcome).await?.map(Consent).into())
    }

    /// Revokes a consent: nothing more goes to its agencies, and they no longer see the
    /// referrals that rest on it.
    async fn revoke_consent(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to revoke.")] input: RevokeConsentInput,
    ) -> AppResult<ConsentPayload> {
        let mut sent = InputIds::default();
        let id = sent.target::<Consent>("id", &input.id);
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let write = ctx.write().await?;
        let outcome = service::revoke(&write, (id, input.version)).await;
        let outcome = sent.found(outcome)?;
        Ok(write.finish(outcome).await?.map(Consent).into())
    }
}
