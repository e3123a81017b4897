//! The service log's mutations: log a contact, change an unsigned one, sign it, add an
//! addendum to a signed one, and read a RESTRICTED note on purpose (audited).

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};
use chrono::Utc;
use entity::service_contact as contact;
use uuid::Uuid;

use super::{
    Case, CaseworkContext, Confidentiality, ContactSetting, ContactType, MissedReason, OmitReason,
    contacts::{RestrictedNotePayload, ServiceContact, ServiceContactPayload},
    contacts_service as service,
};
use crate::{
    auth::policy::{self, StudentField},
    db::audit_sensitive_read,
    errors::{AppError, AppResult},
    graphql::{
        context::ContextExt,
        ids::InputIds,
        mutation::{ChangeTo, apply_changes, user_errors},
        scalars::Date,
    },
    mtss::{IepParticipation, InterventionPlan},
    roster::{Staff, Student},
    validation::{Check, UserErrorCode},
};

/// One contact with a student.
#[derive(InputObject)]
pub struct LogServiceContactInput {
    /// The student.
    pub student_id: ID,
    /// Who provided it (default: the caller's staff record).
    pub provider_id: Option<ID>,
    /// The supervisor, where the district requires one.
    pub supervisor_id: Option<ID>,
    /// The day (default: today; never in the future).
    pub date: Option<Date>,
    /// When it began, `HH:MM` (24-hour).
    pub start_time: Option<String>,
    /// When it ended, `HH:MM`: with `startTime`, the minutes are the time between.
    pub end_time: Option<String>,
    /// Minutes delivered, when no times are given (or equal to the time between them).
    pub minutes: Option<i32>,
    /// The kind of contact.
    pub contact_type: ContactType,
    /// In person (default), by phone or virtual.
    #[graphql(default_with = "ContactSetting::InPerson")]
    pub setting: ContactSetting,
    /// Where.
    pub location: Option<String>,
    /// Who took part besides the student.
    #[graphql(default)]
    pub participants: Vec<String>,
    /// The case it served.
    pub case_id: Option<ID>,
    /// The intervention plan it served: it counts toward the plan's dosage.
    pub plan_id: Option<ID>,
    /// The IEP it served.
    pub iep_id: Option<ID>,
    /// How the student responded.
    pub student_response: Option<String>,
    /// The note.
    pub note: Option<String>,
    /// Who may read the note (STANDARD by default).
    #[graphql(default_with = "Confidentiality::Standard")]
    pub confidentiality: Confidentiality,
    /// Whether it is to be billed (true by default).
    #[graphql(default = true)]
    pub billable: bool,
    /// Why it is left out of billing (required when `billable` is false).
    pub omit_reason: Option<OmitReason>,
    /// Why it did not happen, for a missed contact (which delivered no minutes).
    pub missed_reason: Option<MissedReason>,
    /// When a missed contact is to be made up.
    pub makeup_due: Option<Date>,
    /// The missed contact this one makes up.
    pub makeup_for_id: Option<ID>,
}

/// Changes to an unsigned contact's words and who took part.
#[derive(InputObject)]
pub struct UpdateServiceContactInput {
    /// The contact.
    pub id: ID,
    /// The version you read.
    pub version: i32,
    /// The note (null clears it).
    pub note: MaybeUndefined<String>,
    /// How the student responded (null clears it).
    pub student_response: MaybeUndefined<String>,
    /// Where (null clears it).
    pub location: MaybeUndefined<String>,
    /// The full list of who took part.
    pub participants: Option<Vec<String>>,
    /// Who may read the note.
    pub confidentiality: Option<Confidentiality>,
}

/// A contact to sign.
#[derive(InputObject)]
pub struct SignServiceContactInput {
    /// The contact.
    pub id: ID,
    /// The version you read.
    pub version: i32,
}

/// A correction to a signed contact.
#[derive(InputObject)]
pub struct AddContactAddendumInput {
    /// The contact.
    pub contact_id: ID,
    /// The correction.
    pub text: String,
}

/// A RESTRICTED note to read, and why.
#[derive(InputObject)]
pub struct ReadRestrictedNoteInput {
    /// The contact.
    pub contact_id: ID,
    /// Why you need to read it (kept in the audit log).
    pub reason: String,
}

/// Participants stored one a line: a name's own line breaks become spaces.
fn one_a_line(names: Vec<String>) -> String {
    let names: Vec<String> = names
        .iter()
        .map(|name| name.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|name| !name.is_empty())
        .collect();
    names.join("\n")
}

#[derive(Default)]
pub struct ContactMutation;

#[Object]
impl ContactMutation {
    /// Logs a contact with a student (pupil services and admins).
    async fn log_service_contact(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: LogServiceContactInput,
    ) -> AppResult<ServiceContactPayload> {
        let actor = ctx.actor()?;
        let mut sent = InputIds::default();
        let optional = |sent: &mut InputIds,
                        field: &str,
                        id: &Option<ID>,
                        of: fn(&mut InputIds, &str, &ID) -> Uuid| {
            id.as_ref().map(|id| of(sent, field, id))
        };
        let provider = match (&input.provider_id, actor.staff_id) {
            (Some(id), _) => Some(sent.of::<Staff>("providerId", id)),
            (None, staff) => staff,
        };
        let Some(provider) = provider else {
            let mut check = Check::default();
            check.fail(
                "providerId",
                UserErrorCode::Required,
                "name the provider (your token names no staff member)",
            );
            return Ok(Err(check.into_errors()).into());
        };
        let now = Utc::now();
        let row = contact::Model {
            id: Uuid::now_v7(),
            district_id: actor.district_id,
            student_id: sent.of::<Student>("studentId", &input.student_id),
            provider_staff_id: provider,
            provider_credential: None,
            supervisor_staff_id: optional(
                &mut sent,
                "supervisorId",
                &input.supervisor_id,
                InputIds::of::<Staff>,
            ),
            date: input.date.map_or(actor.today, |d| d.0),
            start_time: input.start_time.map(|t| t.trim().to_string()),
            end_time: input.end_time.map(|t| t.trim().to_string()),
            minutes: 0,
            contact_type: input.contact_type.into(),
            setting: input.setting.into(),
            location: input.location,
            participants: one_a_line(input.participants),
            case_id: optional(&mut sent, "caseId", &input.case_id, InputIds::of::<Case>),
            plan_id: optional(
                &mut sent,
                "planId",
                &input.plan_id,
                InputIds::of::<InterventionPlan>,
            ),
            iep_id: optional(
                &mut sent,
                "iepId",
                &input.iep_id,
                InputIds::of::<IepParticipation>,
            ),
            session_id: None,
            student_response: input.student_response,
            note: input.note,
            confidentiality: input.confidentiality.into(),
            billable: input.billable,
            omit_reason: input.omit_reason.map(Into::into),
            missed_reason: input.missed_reason.map(Into::into),
            makeup_due: input.makeup_due.map(|d| d.0),
            makeup_for_id: optional(
                &mut sent,
                "makeupForId",
                &input.makeup_for_id,
                InputIds::of::<ServiceContact>,
            ),
            group_session_id: None,
            group_size: None,
            signed_by_staff_id: None,
            signed_at: None,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let write = ctx.write().await?;
        let outcome = service::log(&write, row, input.minutes).await?;
        Ok(write.finish(outcome).await?.map(ServiceContact).into())
    }

    /// Changes an unsigned contact's words (a signed one is locked: add an addendum).
    async fn update_service_contact(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: UpdateServiceContactInput,
    ) -> AppResult<ServiceContactPayload> {
        let mut sent = InputIds::default();
        let id = sent.target::<ServiceContact>("id", &input.id);
        let mut changes = contact::ActiveModel::default();
        apply_changes!(changes;
            input.note.change() => note,
            input.student_response.change() => student_response,
            input.location.change() => location,
            input.participants.map(one_a_line) => participants,
            input.confidentiality.map(Into::into) => confidentiality,
        );
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let write = ctx.write().await?;
        let outcome = sent.found(service::update(&write, (id, input.version), changes).await)?;
        Ok(write.finish(outcome).await?.map(ServiceContact).into())
    }

    /// Signs a contact as its provider: from then it is locked, and corrected by addenda.
    async fn sign_service_contact(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to sign.")] input: SignServiceContactInput,
    ) -> AppResult<ServiceContactPayload> {
        let mut sent = InputIds::default();
        let id = sent.target::<ServiceContact>("id", &input.id);
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let write = ctx.write().await?;
        let outcome = sent.found(service::sign(&write, (id, input.version)).await)?;
        Ok(write.finish(outcome).await?.map(ServiceContact).into())
    }

    /// Adds a correction to a signed contact; answers the contact.
    async fn add_contact_addendum(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: AddContactAddendumInput,
    ) -> AppResult<ServiceContactPayload> {
        let mut sent = InputIds::default();
        let id = sent.target::<ServiceContact>("contactId", &input.contact_id);
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let write = ctx.write().await?;
        let outcome = sent.found(service::add_addendum(&write, id, &input.text).await)?;
        let outcome = write.finish(outcome).await?;
        let contact = match outcome {
            Ok(_) => ctx.casework().contact.load_one(id).await?,
            Err(errors) => return Ok(Err(errors).into()),
        };
        let contact = contact
            .ok_or_else(|| AppError::not_found("ServiceContact", input.contact_id.as_str()))?;
        Ok(Ok(ServiceContact(contact)).into())
    }

    /// Reads a RESTRICTED note on purpose: the read, and why, are kept in the audit log
    /// before the text is answered.
    async fn read_restricted_note(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which note, and why.")] input: ReadRestrictedNoteInput,
    ) -> AppResult<RestrictedNotePayload> {
        let actor = ctx.actor()?;
        policy::student_field(actor, StudentField::Notes)?;
        let mut sent = InputIds::default();
        let id = sent.target::<ServiceContact>("contactId", &input.contact_id);
        let mut check = Check::default();
        check.text("reason", Some(&input.reason), 500);
        let mut problems = sent.refused().unwrap_or_default();
        problems.extend(check.into_errors());
        if !problems.is_empty() {
            return Ok(RestrictedNotePayload {
                note: None,
                addenda: Vec::new(),
                user_errors: user_errors(problems),
            });
        }
        let contact = ctx
            .casework()
            .contact
            .load_one(id)
            .await?
            .ok_or_else(|| AppError::not_found("ServiceContact", input.contact_id.as_str()))?;
        let detail = format!("note; reason: {}", input.reason.trim());
        let at = ("service_contact", contact.id, contact.student_id);
        audit_sensitive_read(ctx.db(), actor, ctx.request_id(), at, detail).await?;
        let addenda = ctx.casework().addenda_of_contact.load_one(id).await?;
        let addenda = addenda
            .unwrap_or_default()
            .into_iter()
            .map(|a| a.text)
            .collect();
        Ok(RestrictedNotePayload {
            note: contact.note,
            addenda,
            user_errors: Vec::new(),
        })
    }
}
