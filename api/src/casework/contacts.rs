//! The service log's GraphQL side: `ServiceContact` and its addenda, and the mutations that
//! log, change, sign and add to contacts.

use async_graphql::{Context, ID, Object, SimpleObject};
use entity::{contact_addendum, service_contact as contact, values::Confidentiality as DbLevel};

use super::{
    Case, CaseworkContext, Confidentiality, ContactSetting, ContactType, GroupSession,
    MissedReason, OmitReason,
    billing::{self, MedicaidReadiness},
    confidential,
};
use crate::{
    auth::policy::{self, Educational},
    config::BillingUnits,
    errors::AppResult,
    graphql::{
        context::ContextExt,
        ids,
        mutation::payload_type,
        pagination::connection_type,
        scalars::{Date, DateTime},
    },
    mtss::{IepParticipation, InterventionPlan, MtssContext},
    roster::{RosterContext, Staff, Student, students},
};

/// One contact of the service log.
#[derive(Clone)]
pub struct ServiceContact(pub contact::Model);
crate::graphql::ids::node_type!(ServiceContact);

/// A correction to a signed contact, with whether its words are restricted to the contact's
/// provider (a correction to a RESTRICTED note is as restricted as the note).
#[derive(Clone)]
pub struct ContactAddendum(pub contact_addendum::Model, bool);

/// Whether the caller is shown a RESTRICTED note's words here: only its provider is (others
/// read them with `readRestrictedNote`, which is audited).
fn restricted_from(ctx: &Context<'_>, contact: &contact::Model) -> AppResult<bool> {
    let provider = ctx.actor()?.staff_id == Some(contact.provider_staff_id);
    Ok(contact.confidentiality == DbLevel::Restricted && !provider)
}

/// One contact with a student: the record behind IEP minutes, Medicaid documentation, MTSS
/// dosage and the worker's monthly report. Signed contacts are locked; corrections are
/// addenda.
#[Object]
impl ServiceContact {
    /// The contact's opaque global id.
    pub async fn id(&self) -> ID {
        ids::encode::<ServiceContact>(self.0.id)
    }
    /// The student.
    async fn student(&self, ctx: &Context<'_>) -> AppResult<Student> {
        students::load(ctx, self.0.student_id).await
    }
    /// Who provided it.
    async fn provider(&self, ctx: &Context<'_>) -> AppResult<Option<Staff>> {
        let row = ctx
            .roster()
            .staff
            .load_one(self.0.provider_staff_id)
            .await?;
        Ok(row.map(Staff))
    }
    /// The provider's credential (license) as it stood when the contact was logged (for
    /// roles that read staff).
    async fn provider_credential(&self, ctx: &Context<'_>) -> AppResult<Option<&str>> {
        policy::staff_rows(ctx.actor()?)?;
        Ok(self.0.provider_credential.as_deref())
    }
    /// The supervisor, where the district requires one.
    async fn supervisor(&self, ctx: &Context<'_>) -> AppResult<Option<Staff>> {
        let Some(id) = self.0.supervisor_staff_id else {
            return Ok(None);
        };
        Ok(ctx.roster().staff.load_one(id).await?.map(Staff))
    }
    /// The day.
    async fn date(&self) -> Date {
        Date(self.0.date)
    }
    /// When it began (`HH:MM`, the district's time).
    async fn start_time(&self) -> Option<&str> {
        self.0.start_time.as_deref()
    }
    /// When it ended.
    async fn end_time(&self) -> Option<&str> {
        self.0.end_time.as_deref()
    }
    /// Minutes delivered (from the times when they are given; 0 when missed).
    async fn minutes(&self) -> i32 {
        self.0.minutes
    }
    /// The kind of contact.
    async fn contact_type(&self) -> ContactType {
        self.0.contact_type.into()
    }
    /// In person, by phone or virtual.
    async fn setting(&self) -> ContactSetting {
        self.0.setting.into()
    }
    /// Where (pupil services and admins).
    async fn location(&self, ctx: &Context<'_>) -> AppResult<Option<&str>> {
        confidential(ctx, self.0.student_id, "ServiceContact.location")?;
        Ok(self.0.location.as_deref())
    }
    /// Who took part besides the student (pupil services and admins).
    async fn participants(&self, ctx: &Context<'_>) -> AppResult<Vec<&str>> {
        confidential(ctx, self.0.student_id, "ServiceContact.participants")?;
        Ok(self
            .0
            .participants
            .lines()
            .filter(|l| !l.is_empty())
            .collect())
    }
    /// The case it served.
    async fn case(&self, ctx: &Context<'_>) -> AppResult<Option<Case>> {
        let Some(id) = self.0.case_id else {
            return Ok(None);
        };
        Ok(ctx.casework().case.load_one(id).await?.map(Case))
    }
    /// The intervention plan it served (it counts toward the plan's dosage).
    async fn plan(&self, ctx: &Context<'_>) -> AppResult<Option<InterventionPlan>> {
        let Some(id) = self.0.plan_id else {
            return Ok(None);
        };
        Ok(ctx.mtss().plan.load_one(id).await?.map(InterventionPlan))
    }
    /// The IEP it served.
    async fn iep(&self, ctx: &Context<'_>) -> AppResult<Option<IepParticipation>> {
        // Asked first, so that a null does not tell a reader of no IEPs there is none.
        let column = entity::iep_participation::Column::StudentId;
        policy::educational_rows(ctx.actor()?, Educational::SpecialEducation, column)?;
        let Some(id) = self.0.iep_id else {
            return Ok(None);
        };
        Ok(ctx.mtss().iep.load_one(id).await?.map(IepParticipation))
    }
    /// How the student responded (pupil services and admins).
    async fn student_response(&self, ctx: &Context<'_>) -> AppResult<Option<&str>> {
        confidential(ctx, self.0.student_id, "ServiceContact.studentResponse")?;
        Ok(self.0.student_response.as_deref())
    }
    /// The note (pupil services and admins). A RESTRICTED note's text is its provider's
    /// alone here; others see `noteRestricted` and read it with `readRestrictedNote`, which
    /// records who read it and why.
    async fn note(&self, ctx: &Context<'_>) -> AppResult<Option<&str>> {
        confidential(ctx, self.0.student_id, "ServiceContact.note")?;
        if restricted_from(ctx, &self.0)? {
            return Ok(None);
        }
        Ok(self.0.note.as_deref())
    }
    /// Whether the note is RESTRICTED (abuse, medical, immigration).
    async fn note_restricted(&self) -> bool {
        self.0.confidentiality == DbLevel::Restricted
    }
    /// The note's confidentiality.
    async fn confidentiality(&self) -> Confidentiality {
        self.0.confidentiality.into()
    }
    /// Whether it is to be billed (a missed contact never is).
    async fn billable(&self) -> bool {
        self.0.billable && self.0.missed_reason.is_none()
    }
    /// Why it is left out of billing.
    async fn omit_reason(&self) -> Option<OmitReason> {
        self.0.omit_reason.map(Into::into)
    }
    /// Why it did not happen; null when it did.
    async fn missed_reason(&self) -> Option<MissedReason> {
        self.0.missed_reason.map(Into::into)
    }
    /// When a missed contact is to be made up.
    async fn makeup_due(&self) -> Option<Date> {
        self.0.makeup_due.map(Date)
    }
    /// The missed contact this one makes up.
    async fn makeup_for(&self, ctx: &Context<'_>) -> AppResult<Option<ServiceContact>> {
        let Some(id) = self.0.makeup_for_id else {
            return Ok(None);
        };
        Ok(ctx
            .casework()
            .contact
            .load_one(id)
            .await?
            .map(ServiceContact))
    }
    /// The group session it was part of (pupil services of the group's school and admins).
    async fn group_session(&self, ctx: &Context<'_>) -> AppResult<Option<GroupSession>> {
        let Some(id) = self.0.group_session_id else {
            return Ok(None);
        };
        let loader = &ctx.casework().group_session;
        Ok(loader.load_one(id).await?.map(GroupSession))
    }
    /// Who signed it (its provider); null while unsigned.
    async fn signed_by(&self, ctx: &Context<'_>) -> AppResult<Option<Staff>> {
        let Some(id) = self.0.signed_by_staff_id else {
            return Ok(None);
        };
        Ok(ctx.roster().staff.load_one(id).await?.map(Staff))
    }
    /// When it was signed: from then it is locked.
    async fn signed_at(&self) -> Option<DateTime> {
        self.0.signed_at.map(DateTime)
    }
    /// Corrections, oldest first.
    async fn addenda(&self, ctx: &Context<'_>) -> AppResult<Vec<ContactAddendum>> {
        let rows = ctx
            .casework()
            .addenda_of_contact
            .load_one(self.0.id)
            .await?;
        let restricted = restricted_from(ctx, &self.0)?;
        let rows = rows.unwrap_or_default().into_iter();
        Ok(rows.map(|row| ContactAddendum(row, restricted)).collect())
    }
    /// What a school-based Medicaid claim for it would still miss.
    async fn medicaid_readiness(&self, ctx: &Context<'_>) -> MedicaidReadiness {
        billing::readiness(&self.0, *ctx.data_unchecked::<BillingUnits>())
    }
    /// Version for optimistic concurrency.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// A correction to a signed contact.
#[Object]
impl ContactAddendum {
    /// Who wrote it.
    async fn author(&self, ctx: &Context<'_>) -> AppResult<Option<Staff>> {
        let Some(id) = self.0.author_staff_id else {
            return Ok(None);
        };
        Ok(ctx.roster().staff.load_one(id).await?.map(Staff))
    }
    /// The correction (pupil services and admins); null to all but the provider when the
    /// contact's note is RESTRICTED (`readRestrictedNote` answers it).
    async fn text(&self, ctx: &Context<'_>) -> AppResult<Option<&str>> {
        confidential(ctx, self.0.student_id, "ContactAddendum.text")?;
        Ok((!self.1).then_some(self.0.text.as_str()))
    }
    /// When it was written.
    async fn written_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
}

connection_type!(
    ServiceContactConnection,
    ServiceContactEdge,
    ServiceContact,
    "A page of the service log.",
    "A contact in a page."
);
payload_type!(
    ServiceContactPayload,
    contact,
    ServiceContact,
    "The result of logging, changing, signing or adding to a contact."
);

/// A restricted note, read on purpose.
#[derive(SimpleObject, Default)]
pub struct RestrictedNotePayload {
    /// The note's text; null when `userErrors` is not empty.
    pub note: Option<String>,
    /// The corrections' texts, oldest first.
    pub addenda: Vec<String>,
    /// Problems with the input; when any are present nothing was read.
    pub user_errors: Vec<crate::graphql::mutation::UserErrorType>,
}
