//! Consent and what rests on it (34 CFR 99.30, 99.31(a)(10), 99.36): which consents an actor
//! reads, when one holds, what it lets go to an agency, on what ground a field goes (consent,
//! or a health or safety emergency while it lasts), and which guardian an agency may reach.

use entity::{
    agency_referral, consent, guardian, student_guardian,
    values::{ConsentField, DisclosureBasis},
};
use sea_orm::{
    ColumnTrait, Condition,
    sea_query::{Expr, ExprTrait, Query},
};
use uuid::Uuid;

use super::{
    Read, ReferralSide, Resource,
    agencies::{is_outside_party, of_sent_to_it, view},
    guardian_rows, may_not_read, of_visible_students, read, write,
};
use crate::{
    auth::Actor,
    errors::{AppError, AppResult},
};

/// Days an agency sees a referral the district sent without consent in a health or safety
/// emergency: the disclosure is for the emergency (34 CFR 99.36), not for good; after it the
/// referral needs a consent like any other.
pub const EMERGENCY_DAYS: u64 = 30;

/// Whether `referral` was sent in an emergency that is not over on `today`.
pub fn emergency_in_force(referral: &agency_referral::Model, today: chrono::NaiveDate) -> bool {
    referral.emergency_threat.is_some()
        && referral.requested_on.is_some_and(|sent| {
            sent.checked_add_days(chrono::Days::new(EMERGENCY_DAYS))
                .is_some_and(|end| end > today)
        })
}

/// May the actor read the threat `referral` was sent without consent for? The district's
/// readers of its words; the agency while the emergency lasts (it was part of what was sent).
pub fn emergency_threat_shown(actor: &Actor, referral: &agency_referral::Model) -> AppResult<()> {
    if !is_outside_party(actor) {
        return super::referral_particulars(actor);
    }
    if emergency_in_force(referral, actor.today) {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "the emergency is over: the threat is no longer the agency's to read".into(),
        ))
    }
}

/// On what ground `field` of `referral`'s student may go to its agency today: the emergency it
/// was sent in (every field the protection needs), or its consent (`consent_covers`). The
/// refusal says why.
pub fn disclosure_basis(
    referral: &agency_referral::Model,
    consent: Option<&consent::Model>,
    field: ConsentField,
    today: chrono::NaiveDate,
) -> Result<DisclosureBasis, String> {
    if emergency_in_force(referral, today) {
        return Ok(DisclosureBasis::HealthOrSafetyEmergency);
    }
    match consent {
        Some(consent) => consent_covers(consent, field, today).map(|()| DisclosureBasis::Consent),
        None => Err("the referral rests on no consent".into()),
    }
}

/// Consents of the actor's district neither revoked nor expired today.
pub(super) fn consent_in_force(actor: &Actor) -> Condition {
    Condition::all()
        .add(consent::Column::DistrictId.eq(actor.district_id))
        .add(consent::Column::RevokedAt.is_null())
        .add(consent::Column::GivenOn.lte(actor.today))
        .add(consent::Column::ExpiresOn.gte(actor.today))
}

/// Consents the actor may read: of its students for pupil services, the ones its referrals
/// rest on for an agency.
pub fn consent_rows(actor: &Actor) -> AppResult<Condition> {
    match read(actor, Resource::Consents) {
        Read::OfItsStudents => of_visible_students(actor, consent::Column::StudentId),
        Read::SentToIt => Ok(Condition::all()
            .add(consent::Column::DistrictId.eq(actor.district_id))
            .add(
                consent::Column::Id
                    .in_subquery(of_sent_to_it(actor, agency_referral::Column::ConsentId)),
            )),
        _ => Err(may_not_read(actor, Resource::Consents)),
    }
}

/// May the actor record and revoke consents? (For which student: the caller checks.)
pub fn write_consents(actor: &Actor) -> AppResult<()> {
    write(actor, &[Resource::Consents], "record consents")
}

/// Guardians the actor may read as the one who consented: for an agency, the signers of the
/// consents its referrals rest on; for the district, the guardians it reads.
pub fn consenting_guardian_rows(actor: &Actor) -> AppResult<Condition> {
    match view(actor)? {
        ReferralSide::Agency => {
            // The signers of those consents who are still guardians of the consent's own
            // student and may be contacted: a restriction placed after the consent ends the
            // agency's view of them.
            let link = Condition::all()
                .add(
                    Expr::col((
                        student_guardian::Entity,
                        student_guardian::Column::GuardianId,
                    ))
                    .equals((consent::Entity, consent::Column::GuardianId)),
                )
                .add(
                    Expr::col((
                        student_guardian::Entity,
                        student_guardian::Column::StudentId,
                    ))
                    .equals((consent::Entity, consent::Column::StudentId)),
                );
            let signers = Query::select()
                .column((consent::Entity, consent::Column::GuardianId))
                .from(consent::Entity)
                .inner_join(student_guardian::Entity, link)
                .cond_where(consent_rows(actor)?)
                .and_where(
                    Expr::col((
                        student_guardian::Entity,
                        student_guardian::Column::DeletedAt,
                    ))
                    .is_null(),
                )
                .and_where(
                    Expr::col((
                        student_guardian::Entity,
                        student_guardian::Column::Restriction,
                    ))
                    .is_null(),
                )
                .to_owned();
            Ok(Condition::all()
                .add(guardian::Column::DistrictId.eq(actor.district_id))
                .add(guardian::Column::DeletedAt.is_null())
                .add(guardian::Column::Id.in_subquery(signers)))
        }
        ReferralSide::District => guardian_rows(actor),
    }
}

/// Guardian links through which a referred student's guardian may be reached: for an agency,
/// the unrestricted, current links of the students sent to it; for the district, the links of
/// held students it reads. A consent's signer is shown only through their own link to the
/// consent's student, so a restriction on one child's link is not undone by a sibling's.
pub fn referred_contact_link_rows(actor: &Actor) -> AppResult<Condition> {
    match view(actor)? {
        ReferralSide::Agency => Ok(Condition::all()
            .add(student_guardian::Column::DistrictId.eq(actor.district_id))
            .add(student_guardian::Column::DeletedAt.is_null())
            .add(student_guardian::Column::Restriction.is_null())
            .add(
                student_guardian::Column::StudentId
                    .in_subquery(of_sent_to_it(actor, agency_referral::Column::StudentId)),
            )),
        ReferralSide::District => super::guardian_link_rows_of_held(actor),
    }
}

/// Whether `consent` holds on `today`: signed by then, not expired, not revoked. (The same
/// rule as the SQL of `consent_in_force`.) The refusal says why.
pub fn consent_holds(consent: &consent::Model, today: chrono::NaiveDate) -> Result<(), String> {
    if consent.revoked_at.is_some() {
        return Err("the consent was revoked".into());
    }
    if consent.given_on > today {
        return Err(format!("the consent holds from {}", consent.given_on));
    }
    if consent.expires_on < today {
        return Err(format!("the consent expired on {}", consent.expires_on));
    }
    Ok(())
}

/// Whether `consent` lets `field` of its student go to its parties today: in force and
/// covering the field. The refusal says why, for the caller and the record of disclosure.
pub fn consent_covers(
    consent: &consent::Model,
    field: ConsentField,
    today: chrono::NaiveDate,
) -> Result<(), String> {
    consent_holds(consent, today)?;
    let name = sea_orm::ActiveEnum::to_value(&field);
    if !consent.fields.lines().any(|line| line == name) {
        return Err(format!("the consent does not cover {name}"));
    }
    Ok(())
}

/// The parties of a consent the actor is shown: all of them to the district; to an agency
/// only itself (the family's other agencies are not its business).
pub fn consent_parties_shown(actor: &Actor, parties: Vec<Uuid>) -> Vec<Uuid> {
    if is_outside_party(actor) {
        parties
            .into_iter()
            .filter(|party| Some(*party) == actor.agency_id)
            .collect()
    } else {
        parties
    }
}

/// Whether `consent` names `agency` among the parties it lets the data go to.
pub fn consent_names(consent: &consent::Model, agency: Uuid) -> bool {
    let agency = agency.to_string();
    consent.parties.lines().any(|line| line == agency)
}
