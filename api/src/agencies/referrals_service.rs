//! The rules of referrals to agencies, without GraphQL: the district drafts and sends them
//! (only under a consent that covers the agency), the agency answers and works them, either
//! side cancels; every move is kept with time, actor and note, and sending one records the
//! disclosure in the same transaction.

use chrono::{Datelike, Days, NaiveDate, Utc, Weekday};
use entity::{
    agency, agency_referral, agency_referral_transition, agency_service, consent,
    values::{AgencyReferralStatus as Status, ConsentField, DisclosureBasis, ReferralOutcome},
};
use sea_orm::{ActiveEnum, ActiveValue::Set, EntityTrait, Iterable};
use uuid::Uuid;

use super::from_lines;
use crate::{
    auth::policy::{self, ReferralSide},
    db::{Disclosed, Write, record_disclosures},
    errors::{AppError, AppResult},
    roster::students::service::check_visible,
    validation::{Check, Outcome, UserErrorCode},
};

/// Longest needs or note kept.
const TEXT_MAX: usize = 4000;

/// A move of a referral.
pub struct Move {
    pub status: Status,
    pub note: Option<String>,
    pub outcome: Option<ReferralOutcome>,
    /// The consent to send it under (REQUESTED), if not the one it names.
    pub consent_id: Option<Uuid>,
    /// To send it (REQUESTED) without consent in a health or safety emergency: the
    /// articulable and significant threat.
    pub emergency_threat: Option<String>,
}

/// Whether a referral moves from `from` to `to` (the FHIR Task state machine).
pub fn moves(from: Status, to: Status) -> bool {
    use Status::*;
    match (from, to) {
        (EnteredInError, _) => false,
        (_, EnteredInError) => true,
        (Draft, Requested | Cancelled)
        | (Requested, Accepted | Rejected | Cancelled)
        | (Accepted, InProgress | OnHold | Completed | Failed | Cancelled)
        | (InProgress, OnHold | Completed | Failed | Cancelled)
        | (OnHold, InProgress | Failed | Cancelled) => true,
        _ => false,
    }
}

/// A status as the API spells it.
fn name(status: Status) -> String {
    status.to_value()
}

/// Drafts `row` (status DRAFT) for a student the writer refers, then sends it when `send`
/// (in an emergency when `emergency_threat` names its threat).
pub async fn create(
    write: &Write<'_>,
    row: agency_referral::Model,
    (send, emergency_threat): (bool, Option<String>),
) -> AppResult<Outcome<agency_referral::Model>> {
    let actor = write.actor();
    policy::district_side(actor)?;
    let mut check = Check::default();
    check_visible(write, &mut check, row.student_id).await?;
    let directory = policy::directory_rows(actor, agency::Column::DistrictId)?;
    let agency = write
        .find::<agency::Entity>(row.agency_id, directory)
        .await?;
    check.found("agencyId", agency, "agency");
    if let Some(service_id) = row.service_id {
        let scope = policy::directory_rows(actor, agency_service::Column::DistrictId)?;
        match write
            .find::<agency_service::Entity>(service_id, scope)
            .await?
        {
            None => check.fail(
                "serviceId",
                UserErrorCode::NotFound,
                "no service of the directory has this id",
            ),
            Some(service) if service.agency_id != row.agency_id => check.fail(
                "serviceId",
                UserErrorCode::Invalid,
                "the service is not the agency's",
            ),
            Some(_) => {}
        }
    }
    check.text("needs", Some(&row.needs), TEXT_MAX);
    if emergency_threat.is_some() && !send {
        check.fail(
            "emergencyThreat",
            UserErrorCode::Invalid,
            "an emergency is declared when the referral is sent (send: true)",
        );
    }
    if row.consent_id.is_some() && check.is_empty() {
        // A consent named now is the one it will be sent under: it must cover it.
        covering_consent(write, &mut check, &row, row.consent_id).await?;
    }
    if let Err(errors) = check.finish() {
        return Ok(Err(errors));
    }
    let row = write.insert_new::<agency_referral::Entity>(row).await?;
    transition(write, &row, None, None).await?;
    if !send {
        return Ok(Ok(row));
    }
    let sent = Move {
        status: Status::Requested,
        note: None,
        outcome: None,
        consent_id: None,
        emergency_threat,
    };
    move_to(write, (row.id, row.version), sent).await
}

/// Moves referral `id` (if still at `version`): the side's own statuses only, along the
/// state machine, REQUESTED only under a consent in force that names the agency; the move is
/// kept, and sending records the disclosure.
pub async fn move_to(
    write: &Write<'_>,
    (id, version): (Uuid, i32),
    change: Move,
) -> AppResult<Outcome<agency_referral::Model>> {
    let actor = write.actor();
    let side = policy::referral_side(actor)?;
    let scope = policy::agency_referral_rows(actor)?;
    let referral = write
        .find::<agency_referral::Entity>(id, scope.clone())
        .await?
        .ok_or_else(|| AppError::not_found("AgencyReferral", id))?;
    let mut check = Check::default();
    if !policy::sets_status(side, change.status) {
        let other = match side {
            ReferralSide::District => "the agency",
            ReferralSide::Agency => "the district",
        };
        check.fail(
            "status",
            UserErrorCode::InvalidTransition,
            format!("{other} sets {}, not you", name(change.status)),
        );
    } else if !moves(referral.status, change.status) {
        check.fail(
            "status",
            UserErrorCode::InvalidTransition,
            format!(
                "a referral does not move from {} to {}",
                name(referral.status),
                name(change.status)
            ),
        );
    }
    let final_status = matches!(
        change.status,
        Status::Rejected | Status::Completed | Status::Failed | Status::Cancelled
    );
    if change.outcome.is_some() && !final_status {
        check.fail(
            "outcome",
            UserErrorCode::Invalid,
            "an outcome is recorded with REJECTED, COMPLETED, FAILED or CANCELLED",
        );
    }
    if let Some(note) = &change.note {
        check.text("note", Some(note), TEXT_MAX);
    }
    let consent_id = change.consent_id.or(referral.consent_id);
    let threat = change.emergency_threat.map(|t| t.trim().to_string());
    if let Some(threat) = &threat {
        if change.status == Status::Requested {
            check.text("emergencyThreat", Some(threat), TEXT_MAX);
        } else {
            check.fail(
                "emergencyThreat",
                UserErrorCode::Invalid,
                "an emergency is declared when the referral is sent (REQUESTED)",
            );
        }
    }
    let mut sent = None;
    if change.status == Status::Requested && check.is_empty() {
        sent = match &threat {
            Some(threat) => {
                // A consent named with it must still be one the referral could go under.
                if consent_id.is_some() {
                    covering_consent(write, &mut check, &referral, consent_id).await?;
                }
                Some(Sent::Emergency(threat.clone()))
            }
            None => covering_consent(write, &mut check, &referral, consent_id)
                .await?
                .map(|consent| Sent::Consent(Box::new(consent))),
        };
    }
    if let Err(errors) = check.finish() {
        return Ok(Err(errors));
    }
    let mut changes = agency_referral::ActiveModel {
        status: Set(change.status),
        ..Default::default()
    };
    if change.outcome.is_some() {
        changes.outcome = Set(change.outcome);
    }
    if change.status == Status::Requested {
        changes.consent_id = Set(consent_id);
        changes.requested_on = Set(Some(actor.today));
        changes.emergency_threat = Set(threat);
    }
    let row = write
        .update::<agency_referral::Entity>(changes, (id, version), scope)
        .await?;
    transition(write, &row, Some(referral.status), change.note).await?;
    if let Some(sent) = sent {
        let disclosed = sent.disclosed(&row);
        record_disclosures(write.txn(), actor, write.request_id(), vec![disclosed]).await?;
    }
    Ok(Ok(row))
}

/// On what ground a referral is sent.
enum Sent {
    /// A consent in force that names the agency: what it covers goes.
    Consent(Box<consent::Model>),
    /// A health or safety emergency, with its threat: what the agency needs to protect the
    /// student goes, every field of the referral.
    Emergency(String),
}

impl Sent {
    /// The record of sending `row` on this ground.
    fn disclosed(self, row: &agency_referral::Model) -> Disclosed {
        let (fields, consent_id, basis, threat) = match self {
            Sent::Consent(consent) => (
                from_lines::<ConsentField>(&consent.fields),
                Some(consent.id),
                DisclosureBasis::Consent,
                None,
            ),
            // Every field, but a guardian's contact only through a consent's signer.
            Sent::Emergency(threat) => (
                ConsentField::iter()
                    .filter(|f| *f != ConsentField::GuardianContact || row.consent_id.is_some())
                    .collect(),
                row.consent_id,
                DisclosureBasis::HealthOrSafetyEmergency,
                Some(threat),
            ),
        };
        Disclosed {
            student_id: row.student_id,
            agency_id: row.agency_id,
            referral_id: row.id,
            consent_id,
            basis,
            threat,
            fields: fields.into_iter().map(|field| field.to_value()).collect(),
            refused: None,
            act: "referral sent",
        }
    }
}

/// The consent `consent_id` if it lets `referral` go: the student's, naming its agency, in
/// force today. Its problems go to `check` under `consentId`.
async fn covering_consent(
    write: &Write<'_>,
    check: &mut Check,
    referral: &agency_referral::Model,
    consent_id: Option<Uuid>,
) -> AppResult<Option<consent::Model>> {
    let actor = write.actor();
    let Some(consent_id) = consent_id else {
        check.fail(
            "consentId",
            UserErrorCode::Required,
            "a referral is sent only under a guardian's consent (34 CFR 99.30)",
        );
        return Ok(None);
    };
    let scope = policy::consent_rows(actor)?;
    let consent = write.find::<consent::Entity>(consent_id, scope).await?;
    let Some(consent) = check.found("consentId", consent, "consent") else {
        return Ok(None);
    };
    let problem = if consent.student_id != referral.student_id {
        Some("the consent is for another student".to_string())
    } else if !policy::consent_names(&consent, referral.agency_id) {
        Some("the consent does not name this agency".to_string())
    } else {
        policy::consent_holds(&consent, actor.today).err()
    };
    match problem {
        Some(problem) => {
            check.fail("consentId", UserErrorCode::Invalid, problem);
            Ok(None)
        }
        None => Ok(Some(consent)),
    }
}

/// Keeps the move of `row` from `from` (none: its creation) with who made it.
async fn transition(
    write: &Write<'_>,
    row: &agency_referral::Model,
    from: Option<Status>,
    note: Option<String>,
) -> AppResult<()> {
    let actor = write.actor();
    let kept = agency_referral_transition::ActiveModel {
        id: Set(Uuid::now_v7()),
        district_id: Set(row.district_id),
        referral_id: Set(row.id),
        from_status: Set(from),
        to_status: Set(row.status),
        actor: Set(actor.subject.clone()),
        role: Set(actor.role.as_str().to_string()),
        note: Set(note.map(|n| n.trim().to_string())),
        at: Set(Utc::now()),
    };
    agency_referral_transition::Entity::insert(kept)
        .exec(write.txn())
        .await?;
    Ok(())
}

/// Sets when the worker follows up on referral `id` (if still at `version`): the district's.
pub async fn follow_up(
    write: &Write<'_>,
    (id, version): (Uuid, i32),
    on: Option<NaiveDate>,
) -> AppResult<Outcome<agency_referral::Model>> {
    let actor = write.actor();
    policy::district_side(actor)?;
    let scope = policy::agency_referral_rows(actor)?;
    let changes = agency_referral::ActiveModel {
        follow_up_on: Set(on),
        ..Default::default()
    };
    Ok(Ok(write
        .update::<agency_referral::Entity>(changes, (id, version), scope)
        .await?))
}

/// The day `days` business days (Monday to Friday) before `today`: a referral sent on or
/// before it has waited longer than the agency's time to answer.
pub fn business_days_before(today: NaiveDate, days: u32) -> NaiveDate {
    step_business_days(today, days, |day| day.checked_sub_days(Days::new(1)))
}

/// The day an answer is due for a referral sent on `sent`: `days` business days later.
pub fn answer_due(sent: NaiveDate, days: u32) -> NaiveDate {
    step_business_days(sent, days, |day| day.checked_add_days(Days::new(1)))
}

/// `days` weekdays away from `day`, one calendar day at a time by `step`.
fn step_business_days(
    mut day: NaiveDate,
    mut days: u32,
    step: fn(NaiveDate) -> Option<NaiveDate>,
) -> NaiveDate {
    while days > 0 {
        let Some(next) = step(day) else {
            return day;
        };
        day = next;
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            days -= 1;
        }
    }
    day
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn business_days_skip_weekends() {
        // Friday 2026-12-04: two business days later is Tuesday the 8th.
        let friday = NaiveDate::from_ymd_opt(2026, 12, 4).expect("a date");
        let tuesday = NaiveDate::from_ymd_opt(2026, 12, 8).expect("a date");
        assert_eq!(answer_due(friday, 2), tuesday);
        assert_eq!(business_days_before(tuesday, 2), friday);
    }

    #[test]
    fn the_state_machine_is_fhir_tasks() {
        use Status::*;
        assert!(moves(Draft, Requested));
        assert!(!moves(Draft, Accepted));
        assert!(moves(Requested, Rejected));
        assert!(!moves(Completed, InProgress));
        assert!(moves(Completed, EnteredInError));
        assert!(!moves(EnteredInError, Draft));
    }
}
