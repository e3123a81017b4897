//! Who reads and works the agency directory, consents and referrals to agencies, and the
//! record of disclosures. Pupil services and admins refer the students they read, under a
//! guardian's consent; an agency partner sees only the referrals sent to its own agency while
//! their consent is in force, and of the student only the fields that consent covers; the
//! district admin reads what was disclosed to whom.

use entity::{
    agency_referral, agency_referral_transition, consent, disclosure, enrollment, school, student,
    values::AgencyReferralStatus,
};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, QueryFilter, QuerySelect, QueryTrait, sea_query::Query,
};
use uuid::Uuid;

use super::{
    Read, Resource,
    consent::{EMERGENCY_DAYS, consent_in_force},
    district_wide, may_not_read, of_visible_students, read, student_rows, write,
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

/// The side the actor reads referrals to agencies from: the district's (the students it
/// reads) or an agency's (what was sent to it); FORBIDDEN for a role with neither.
pub(super) fn view(actor: &Actor) -> AppResult<ReferralSide> {
    match read(actor, Resource::AgencyReferrals) {
        Read::OfItsStudents => Ok(ReferralSide::District),
        Read::SentToIt => Ok(ReferralSide::Agency),
        _ => Err(may_not_read(actor, Resource::AgencyReferrals)),
    }
}

/// The side the actor works referrals to agencies for, if it works them at all.
pub fn referral_side(actor: &Actor) -> AppResult<ReferralSide> {
    write(
        actor,
        &[Resource::AgencyReferrals],
        "work referrals to agencies",
    )?;
    view(actor)
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
    match view(actor)? {
        ReferralSide::District => of_visible_students(actor, agency_referral::Column::StudentId),
        ReferralSide::Agency => Ok(sent_to_it(actor)),
    }
}

/// Referrals to agencies of students the caller holds (see the module doc of `policy`).
pub fn agency_referral_rows_of_held(actor: &Actor) -> AppResult<Condition> {
    match view(actor)? {
        ReferralSide::District => {
            Ok(Condition::all().add(agency_referral::Column::DistrictId.eq(actor.district_id)))
        }
        ReferralSide::Agency => Ok(sent_to_it(actor)),
    }
}

/// Referrals sent to the actor's agency (a token naming none has none: the nil id is no
/// agency's), whatever their consent.
fn sent_to_its_agency(actor: &Actor) -> Condition {
    Condition::all()
        .add(agency_referral::Column::DistrictId.eq(actor.district_id))
        .add(agency_referral::Column::AgencyId.eq(actor.agency_id.unwrap_or(Uuid::nil())))
        // Sent: a draft (even one cancelled unsent) never was.
        .add(agency_referral::Column::RequestedOn.is_not_null())
        // One entered in error should not have been.
        .add(agency_referral::Column::Status.ne(AgencyReferralStatus::EnteredInError))
}

/// Referrals sent to the actor's agency under a consent in force today, or in an emergency
/// not yet over.
fn sent_to_it(actor: &Actor) -> Condition {
    let in_force = Query::select()
        .column(consent::Column::Id)
        .from(consent::Entity)
        .cond_where(consent_in_force(actor))
        .to_owned();
    let emergency_since = actor
        .today
        .checked_sub_days(chrono::Days::new(EMERGENCY_DAYS))
        .unwrap_or(actor.today);
    sent_to_its_agency(actor).add(
        Condition::any()
            .add(agency_referral::Column::ConsentId.in_subquery(in_force))
            .add(
                Condition::all()
                    .add(agency_referral::Column::EmergencyThreat.is_not_null())
                    .add(agency_referral::Column::RequestedOn.gt(emergency_since)),
            ),
    )
}

/// Ids of `column` of the referrals sent to the actor's agency under consent in force.
pub(super) fn of_sent_to_it(
    actor: &Actor,
    column: agency_referral::Column,
) -> sea_orm::sea_query::SelectStatement {
    agency_referral::Entity::find()
        .select_only()
        .column(column)
        .filter(sent_to_it(actor))
        .into_query()
}

/// Students the actor may read through a referral to an agency: for an agency, those of the
/// referrals sent to it under consent (which fields: [`consent_covers`]); for the district, the
/// students it reads.
pub fn referred_student_rows(actor: &Actor) -> AppResult<Condition> {
    match view(actor)? {
        ReferralSide::Agency => Ok(Condition::all()
            .add(student::Column::DistrictId.eq(actor.district_id))
            .add(student::Column::DeletedAt.is_null())
            .add(
                student::Column::Id
                    .in_subquery(of_sent_to_it(actor, agency_referral::Column::StudentId)),
            )),
        ReferralSide::District => student_rows(actor),
    }
}

/// Records of disclosure the actor may read: its district's, for the district admin.
pub fn disclosure_rows(actor: &Actor) -> AppResult<Condition> {
    if read(actor, Resource::Disclosures) != Read::District {
        return Err(may_not_read(actor, Resource::Disclosures));
    }
    Ok(Condition::all().add(disclosure::Column::DistrictId.eq(actor.district_id)))
}

/// May the actor read a referral's words (what the family needs, the emergency it was sent
/// in)? Its two parties: pupil services and admins (who read notes about students), and the
/// agency it went to (what it was sent; the needs only under consent, `consent_covers`);
/// never a de-identified reader.
pub fn referral_particulars(actor: &Actor) -> AppResult<()> {
    if is_outside_party(actor) {
        Ok(())
    } else {
        super::student_field(actor, super::StudentField::Notes)
    }
}

/// May the actor read who made a move of a referral, and the note with it? Pupil services and
/// admins read every move's; an agency only its own side's (the district's notes and staff
/// are not its to read); never a de-identified reader.
pub fn transition_particulars(actor: &Actor, made_by_role: &str) -> AppResult<()> {
    if !is_outside_party(actor) {
        return super::student_field(actor, super::StudentField::Notes);
    }
    if made_by_role == actor.role.as_str() {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "the district's notes and staff on a referral are not the agency's to read".into(),
        ))
    }
}

/// May the actor act for the district on referrals to agencies: refer students, and set and
/// read follow-up days and the worklist of referrals needing one? Pupil services and admins.
pub fn district_side(actor: &Actor) -> AppResult<()> {
    if referral_side(actor)? == ReferralSide::District {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "referring students and following up are the district's".into(),
        ))
    }
}

/// May the actor filter records by a student's id? Not a reader that knows students by
/// pseudonym: a real id must not find the records of the student it names.
pub fn filters_by_student_id(actor: &Actor) -> AppResult<()> {
    if super::knows_students_by_pseudonym(actor) {
        Err(AppError::Forbidden(
            "a reader that knows students by pseudonym does not filter by student id".into(),
        ))
    } else {
        Ok(())
    }
}

/// Rows of referrals to agencies the actor may count: the district's readers of them; not an
/// agency (a bulk read of the district's records).
pub fn agency_referral_count_rows(actor: &Actor) -> AppResult<Condition> {
    if is_outside_party(actor) {
        return Err(AppError::Forbidden(
            "counts of the district's referrals are not an agency's to read".into(),
        ));
    }
    agency_referral_rows(actor)
}

/// May the actor see the district's preview of a referred student (what the agency gets)?
/// Who may name the student; the agency itself reads it under `disclosure_basis`.
pub fn previews_referred_student(actor: &Actor) -> AppResult<()> {
    if is_outside_party(actor) {
        Ok(())
    } else {
        super::student_field(actor, super::StudentField::Name)
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
    match view(actor)? {
        ReferralSide::Agency => Ok(Condition::all()
            .add(enrollment::Column::DistrictId.eq(actor.district_id))
            .add(enrollment::Column::DeletedAt.is_null())
            .add(
                enrollment::Column::StudentId
                    .in_subquery(of_sent_to_it(actor, agency_referral::Column::StudentId)),
            )),
        ReferralSide::District => super::enrollment_rows_of_held(actor),
    }
}

/// Schools of those enrollments.
pub fn referred_school_rows(actor: &Actor) -> AppResult<Condition> {
    match view(actor)? {
        ReferralSide::Agency => {
            let attended = enrollment::Entity::find()
                .select_only()
                .column(enrollment::Column::SchoolId)
                .filter(referred_enrollment_rows(actor)?)
                .into_query();
            Ok(Condition::all()
                .add(school::Column::DistrictId.eq(actor.district_id))
                .add(school::Column::Id.in_subquery(attended)))
        }
        ReferralSide::District => super::school_rows(actor),
    }
}

/// Transitions of referrals the caller holds.
pub fn transition_rows_of_held(actor: &Actor) -> AppResult<Condition> {
    agency_referral_rows_of_held(actor)?;
    Ok(Condition::all().add(agency_referral_transition::Column::DistrictId.eq(actor.district_id)))
}
