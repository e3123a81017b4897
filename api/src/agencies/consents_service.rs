//! The rules of consent (34 CFR 99.30(b)), without GraphQL: a guardian of the student signs
//! it, for named fields, a purpose and named agencies, until a day; it can be revoked, and
//! after that (or its last day) nothing more goes to the agencies it names.

use chrono::Utc;
use entity::{agency, consent, student_guardian};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::{
    auth::policy,
    db::Write,
    errors::{AppError, AppResult},
    roster::students::service::check_visible,
    validation::{Check, Outcome, UserErrorCode},
};

/// Longest purpose kept.
const PURPOSE_MAX: usize = 1000;

/// Records `row`, a consent for the agencies `parties` (kept in `row.parties`).
pub async fn record(
    write: &Write<'_>,
    mut row: consent::Model,
    parties: Vec<Uuid>,
) -> AppResult<Outcome<consent::Model>> {
    let actor = write.actor();
    policy::write_consents(actor)?;
    let mut check = Check::default();
    check_visible(write, &mut check, row.student_id).await?;
    // The signer must be a guardian of the student the writer may contact.
    // Never one a restriction keeps from contact, whoever records it.
    let links = policy::guardian_link_rows(actor)?
        .add(student_guardian::Column::Restriction.is_null())
        .add(student_guardian::Column::StudentId.eq(row.student_id))
        .add(student_guardian::Column::GuardianId.eq(row.guardian_id));
    let linked = student_guardian::Entity::find()
        .filter(links)
        .one(write.txn())
        .await?;
    // An unknown student is reported as such; the guardian is checked against a known one.
    if check.is_empty() && linked.is_none() {
        check.fail(
            "guardianId",
            UserErrorCode::NotFound,
            "no guardian of this student that you may contact has this id",
        );
    }
    if row.fields.is_empty() {
        check.fail(
            "fields",
            UserErrorCode::Required,
            "name at least one field the consent covers",
        );
    }
    check.text("purpose", Some(&row.purpose), PURPOSE_MAX);
    check.not_in_future("givenOn", Some(row.given_on), actor.today);
    check.dates_in_order(
        Some(row.given_on),
        Some(row.expires_on),
        "expiresOn",
        "givenOn",
    );
    let mut parties_seen: Vec<Uuid> = Vec::new();
    for party in parties {
        if !parties_seen.contains(&party) {
            parties_seen.push(party);
        }
    }
    if parties_seen.is_empty() {
        check.fail(
            "agencyIds",
            UserErrorCode::Required,
            "name at least one agency the consent lets the data go to",
        );
    } else {
        let scope = policy::directory_rows(actor, agency::Column::DistrictId)?;
        let found = write
            .existing::<agency::Entity>(parties_seen.iter().copied(), scope)
            .await?;
        if let Some(at) = parties_seen.iter().position(|id| !found.contains(id)) {
            check.fail(
                &format!("agencyIds.{at}"),
                UserErrorCode::NotFound,
                "no agency of the directory has this id",
            );
        }
    }
    if let Err(errors) = check.finish() {
        return Ok(Err(errors));
    }
    row.parties = parties_seen
        .iter()
        .map(Uuid::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    Ok(Ok(write.insert_new::<consent::Entity>(row).await?))
}

/// Revokes consent `id` (if still at `version`): from now on nothing more goes to its parties.
pub async fn revoke(
    write: &Write<'_>,
    (id, version): (Uuid, i32),
) -> AppResult<Outcome<consent::Model>> {
    let actor = write.actor();
    policy::write_consents(actor)?;
    let scope = policy::consent_rows(actor)?;
    let consent = write
        .find::<consent::Entity>(id, scope.clone())
        .await?
        .ok_or_else(|| AppError::not_found("Consent", id))?;
    if consent.revoked_at.is_some() {
        let mut check = Check::default();
        check.fail(
            "id",
            UserErrorCode::InvalidTransition,
            "the consent is already revoked",
        );
        return Ok(Err(check.into_errors()));
    }
    let changes = consent::ActiveModel {
        revoked_at: Set(Some(Utc::now())),
        revoked_by: Set(Some(actor.subject.clone())),
        ..Default::default()
    };
    Ok(Ok(write
        .update::<consent::Entity>(changes, (id, version), scope)
        .await?))
}
