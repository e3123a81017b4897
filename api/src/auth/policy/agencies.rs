//! Who reads and works the agency directory, consents and referrals to agencies, and the
//! record of disclosures. Pupil services and admins refer the students they read, under a
//! guardian's consent; an agency partner sees only the referrals sent to its own agency while
//! their consent is in force, and of the student only the fields that consent covers; the
//! district admin reads what was disclosed to whom.

use entity::{
    agency_referral, agency_referral_transition, consent, disclosure, enrollment, guardian, school,
    student,
    values::{AgencyReferralStatus, ConsentField},
};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, QueryFilter, QuerySelect, QueryTrait, sea_query::Query,
};
use uuid::Uuid;

use super::{
    Read, Resource, district_wide, guardian_rows, may_not_read, of_visible_students, read,
    student_rows, write,
};
use crate::{
    auth::{Actor, Role},
    errors::{AppError, AppResult},
};

/// Rows of the directory (agencies, services, locations, contacts; `district_id` is the
/// table's tenant column): the district's, for every role that reads the directory.
pub fn directory_rows<C: ColumnTrait>(actor: &Actor, district_id: C) -> AppResult<Condition> {
    district_wide(actor, Resource::Agencies)?;
    Ok(Condition::all().add(district_id.eq(actor.district_id)))
}

/// May the actor add to and change the directory?
pub fn write_directory(actor: &Actor) -> AppResult<()> {
    write(actor, &[Resource::Agencies], "change the agency directory")
}

/// May the actor publish the capacity of a service of `agency`? The directory's keepers, and
/// the agency itself for its own services (it knows best when a bed is free).
pub fn update_capacity(actor: &Actor, agency: Uuid) -> AppResult<()> {
    if write_directory(actor).is_ok()
        || (actor.role == Role::AgencyPartner && actor.agency_id == Some(agency))
    {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "role {} may not publish this agency's capacity",
            actor.role.as_str()
        )))
    }
}

/// Which side of a referral to an agency the actor acts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferralSide {
    /// The district: it drafts, sends and withdraws referrals.
    District,
    /// The agency it was sent to: it answers and works it.
    Agency,
}

/// The side the actor works referrals to agencies for, if it works them at all.
pub fn referral_side(actor: &Actor) -> AppResult<ReferralSide> {
    write(
        actor,
        &[Resource::AgencyReferrals],
        "work referrals to agencies",
    )?;
    match read(actor, Resource::AgencyReferrals) {
        Read::OfItsStudents => Ok(ReferralSide::District),
        Read::SentToIt => Ok(ReferralSide::Agency),
        _ => Err(may_not_read(actor, Resource::AgencyReferrals)),
    }
}

/// Whether `side` sets `status` (the FHIR Task rule of DESIGN.md: the district DRAFT,
/// REQUESTED and ENTERED_IN_ERROR; the agency ACCEPTED, REJECTED, IN_PROGRESS, ON_HOLD,
/// COMPLETED and FAILED; either CANCELLED).
pub fn sets_status(side: ReferralSide, status: AgencyReferralStatus) -> bool {
    use AgencyReferralStatus::*;
    match status {
        Draft | Requested | EnteredInError => side == ReferralSide::District,
        Accepted | Rejected | InProgress | OnHold | Completed | Failed => {
            side == ReferralSide::Agency
        }
        Cancelled => true,
    }
}

/// Referrals to agencies the actor may read, by id or in a list.
pub fn agency_referral_rows(actor: &Actor) -> AppResult<Condition> {
    match read(actor, Resource::AgencyReferrals) {
        Read::OfItsStudents => of_visible_students(actor, agency_referral::Column::StudentId),
        Read::SentToIt => Ok(sent_to_it(actor)),
        _ => Err(may_not_read(actor, Resource::AgencyReferrals)),
    }
}

/// Referrals to agencies of students the caller holds (see the module doc of `policy`).
pub fn agency_referral_rows_of_held(actor: &Actor) -> AppResult<Condition> {
    match read(actor, Resource::AgencyReferrals) {
        Read::OfItsStudents => {
            Ok(Condition::all().add(agency_referral::Column::DistrictId.eq(actor.district_id)))
        }
        Read::SentToIt => Ok(sent_to_it(actor)),
        _ => Err(may_not_read(actor, Resource::AgencyReferrals)),
    }
}

/// Referrals sent to the actor's agency (a token naming none has none: the nil id is no
/// agency's) whatever their consent: what a refused read is recorded against.
pub fn sent_to_its_agency(actor: &Actor) -> Condition {
    Condition::all()
        .add(agency_referral::Column::DistrictId.eq(actor.district_id))
        .add(agency_referral::Column::AgencyId.eq(actor.agency_id.unwrap_or(Uuid::nil())))
        // A draft was never sent; one entered in error should not have been.
        .add(agency_referral::Column::Status.is_not_in([
            AgencyReferralStatus::Draft,
            AgencyReferralStatus::EnteredInError,
        ]))
}

/// Referrals sent to the actor's agency under a consent in force today.
fn sent_to_it(actor: &Actor) -> Condition {
    let in_force = Query::select()
        .column(consent::Column::Id)
        .from(consent::Entity)
        .cond_where(consent_in_force(actor))
        .to_owned();
    sent_to_its_agency(actor).add(agency_referral::Column::ConsentId.in_subquery(in_force))
}

/// Consents of the actor's district neither revoked nor expired today.
fn consent_in_force(actor: &Actor) -> Condition {
    Condition::all()
        .add(consent::Column::DistrictId.eq(actor.district_id))
        .add(consent::Column::RevokedAt.is_null())
        .add(consent::Column::GivenOn.lte(actor.today))
        .add(consent::Column::ExpiresOn.gte(actor.today))
}

/// Ids of `column` of the referrals sent to the actor's agency under consent in force.
fn of_sent_to_it(
    actor: &Actor,
    column: agency_referral::Column,
) -> sea_orm::sea_query::SelectStatement {
    agency_referral::Entity::find()
        .select_only()
        .column(column)
        .filter(sent_to_it(actor))
        .into_query()
}

/// Consents the actor may read: of its students for pupil services, the ones its referrals
/// rest on for an agency.
pub fn consent_rows(actor: &Actor) -> AppResult<Condition> {
    match read(actor, Resource::Consents) {
        Read::OfItsStudents => of_visible_students(actor, consent::Column::StudentId),
        Read::SentToIt => Ok(Condition::all().add(
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

/// Students the actor may read through a referral to an agency: for an agency, those of the
/// referrals sent to it under consent (which fields: [`consent_covers`]); for the district, the
/// students it reads.
pub fn referred_student_rows(actor: &Actor) -> AppResult<Condition> {
    match read(actor, Resource::AgencyReferrals) {
        Read::SentToIt => Ok(Condition::all()
            .add(student::Column::DistrictId.eq(actor.district_id))
            .add(
                student::Column::Id
                    .in_subquery(of_sent_to_it(actor, agency_referral::Column::StudentId)),
            )),
        Read::OfItsStudents => student_rows(actor),
        _ => Err(may_not_read(actor, Resource::AgencyReferrals)),
    }
}

/// Guardians the actor may read as the one who consented: for an agency, the signers of the
/// consents its referrals rest on; for the district, the guardians it reads.
pub fn consenting_guardian_rows(actor: &Actor) -> AppResult<Condition> {
    match read(actor, Resource::AgencyReferrals) {
        Read::SentToIt => {
            let signers = consent::Entity::find()
                .select_only()
                .column(consent::Column::GuardianId)
                .filter(consent_rows(actor)?)
                .into_query();
            Ok(Condition::all()
                .add(guardian::Column::DistrictId.eq(actor.district_id))
                .add(guardian::Column::Id.in_subquery(signers)))
        }
        Read::OfItsStudents => guardian_rows(actor),
        _ => Err(may_not_read(actor, Resource::AgencyReferrals)),
    }
}

/// Whether `consent` lets `field` of its student go to its parties today: in force and
/// covering the field. The refusal says why, for the caller and the record of disclosure.
pub fn consent_covers(
    consent: &consent::Model,
    field: ConsentField,
    today: chrono::NaiveDate,
) -> Result<(), String> {
    if consent.revoked_at.is_some() {
        return Err("the consent was revoked".into());
    }
    if consent.expires_on < today {
        return Err(format!("the consent expired on {}", consent.expires_on));
    }
    let name = sea_orm::ActiveEnum::to_value(&field);
    if !consent.fields.lines().any(|line| line == name) {
        return Err(format!("the consent does not cover {name}"));
    }
    Ok(())
}

/// Records of disclosure the actor may read: its district's, for the district admin.
pub fn disclosure_rows(actor: &Actor) -> AppResult<Condition> {
    if read(actor, Resource::Disclosures) != Read::District {
        return Err(may_not_read(actor, Resource::Disclosures));
    }
    Ok(Condition::all().add(disclosure::Column::DistrictId.eq(actor.district_id)))
}

/// May the actor read who moved a referral and why, and what the family needs (words, and
/// who wrote them)? The referral's two parties: pupil services and admins (who read notes
/// about students), and the agency it went to (under consent: `consent_covers`); never a
/// de-identified reader.
pub fn referral_particulars(actor: &Actor) -> AppResult<()> {
    if is_outside_party(actor) {
        Ok(())
    } else {
        super::student_field(actor, super::StudentField::Notes)
    }
}

/// Whether the actor is a party outside the district: what it reads of a student is a
/// disclosure, recorded as one.
pub fn is_outside_party(actor: &Actor) -> bool {
    read(actor, Resource::AgencyReferrals) == Read::SentToIt
}

/// Enrollments of students the actor reads through a referral (for the school the consent
/// may cover): an agency's, of the students sent to it; the district's, of held students.
pub fn referred_enrollment_rows(actor: &Actor) -> AppResult<Condition> {
    match read(actor, Resource::AgencyReferrals) {
        Read::SentToIt => Ok(Condition::all()
            .add(enrollment::Column::DistrictId.eq(actor.district_id))
            .add(enrollment::Column::DeletedAt.is_null())
            .add(
                enrollment::Column::StudentId
                    .in_subquery(of_sent_to_it(actor, agency_referral::Column::StudentId)),
            )),
        Read::OfItsStudents => super::enrollment_rows_of_held(actor),
        _ => Err(may_not_read(actor, Resource::AgencyReferrals)),
    }
}

/// Schools of those enrollments.
pub fn referred_school_rows(actor: &Actor) -> AppResult<Condition> {
    match read(actor, Resource::AgencyReferrals) {
        Read::SentToIt => {
            let attended = enrollment::Entity::find()
                .select_only()
                .column(enrollment::Column::SchoolId)
                .filter(referred_enrollment_rows(actor)?)
                .into_query();
            Ok(Condition::all()
                .add(school::Column::DistrictId.eq(actor.district_id))
                .add(school::Column::Id.in_subquery(attended)))
        }
        Read::OfItsStudents => super::school_rows(actor),
        _ => Err(may_not_read(actor, Resource::AgencyReferrals)),
    }
}

/// Transitions of referrals the caller holds.
pub fn transition_rows_of_held(actor: &Actor) -> AppResult<Condition> {
    agency_referral_rows_of_held(actor)?;
    Ok(Condition::all().add(agency_referral_transition::Column::DistrictId.eq(actor.district_id)))
}
