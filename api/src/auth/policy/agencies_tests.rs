//! The rules of referrals to agencies as data and conditions: which side sets which status,
//! what an agency's rows require, when a consent covers a field, and how long an emergency
//! lasts.

use chrono::NaiveDate;
use sea_orm::{DbBackend, EntityTrait, QueryFilter, QueryTrait};
use uuid::Uuid;

use super::tests::actor;
use super::*;
use crate::auth::Role;

/// The district sends and withdraws, the agency answers, either cancels; an agency's view
/// holds only referrals with consent in force, and a consent covers only what it names.
#[test]
fn referral_sides_set_their_own_statuses() {
    use entity::values::AgencyReferralStatus::*;
    assert_eq!(
        referral_side(&actor(Role::SocialWorker)).ok(),
        Some(ReferralSide::District)
    );
    assert_eq!(
        referral_side(&actor(Role::AgencyPartner)).ok(),
        Some(ReferralSide::Agency)
    );
    assert!(referral_side(&actor(Role::SchoolStaff)).is_err());
    for status in [Draft, Requested, EnteredInError] {
        assert!(sets_status(ReferralSide::District, status));
        assert!(!sets_status(ReferralSide::Agency, status));
    }
    for status in [Accepted, Rejected, InProgress, OnHold, Completed, Failed] {
        assert!(sets_status(ReferralSide::Agency, status));
        assert!(!sets_status(ReferralSide::District, status));
    }
    assert!(sets_status(ReferralSide::Agency, Cancelled));
    assert!(sets_status(ReferralSide::District, Cancelled));

    let sql = entity::agency_referral::Entity::find()
        .filter(agency_referral_rows(&actor(Role::AgencyPartner)).expect("an agency's rows"))
        .build(DbBackend::Sqlite)
        .to_string();
    for part in [
        "\"revoked_at\" IS NULL",
        "\"expires_on\" >=",
        "\"agency_id\" =",
    ] {
        assert!(sql.contains(part), "{part} missing from {sql}");
    }

    let today = NaiveDate::from_ymd_opt(2025, 1, 15).expect("a date");
    let mut consent = entity::consent::Model {
        id: Uuid::nil(),
        district_id: Uuid::nil(),
        student_id: Uuid::nil(),
        guardian_id: Uuid::nil(),
        given_on: today,
        fields: "NAME\nGRADE".into(),
        purpose: "food pantry".into(),
        parties: String::new(),
        expires_on: today,
        revoked_at: None,
        revoked_by: None,
        recorded_by: "test".into(),
        created_at: chrono::Utc::now(),
        updated_at: chrono::Utc::now(),
        version: 1,
    };
    use entity::values::ConsentField;
    assert!(consent_covers(&consent, ConsentField::Grade, today).is_ok());
    assert!(consent_covers(&consent, ConsentField::BirthDate, today).is_err());
    let tomorrow = today.succ_opt().expect("a day");
    assert!(consent_covers(&consent, ConsentField::Name, tomorrow).is_err());
    consent.revoked_at = Some(chrono::Utc::now());
    assert!(consent_covers(&consent, ConsentField::Name, today).is_err());

    // An emergency lasts 30 days from the day sent: day 29 holds, day 30 does not.
    let referral = entity::agency_referral::Model {
        id: Uuid::nil(),
        district_id: Uuid::nil(),
        student_id: Uuid::nil(),
        agency_id: Uuid::nil(),
        service_id: None,
        referred_by_staff_id: None,
        needs: String::new(),
        consent_id: None,
        status: entity::values::AgencyReferralStatus::Requested,
        outcome: None,
        requested_on: Some(today),
        follow_up_on: None,
        emergency_threat: Some("a threat".into()),
        created_at: chrono::Utc::now(),
        updated_at: chrono::Utc::now(),
        version: 1,
    };
    let day = |n| today + chrono::Days::new(n);
    assert!(emergency_in_force(&referral, day(29)));
    assert!(!emergency_in_force(&referral, day(30)));
    assert_eq!(
        disclosure_basis(&referral, None, ConsentField::BirthDate, day(29)),
        Ok(entity::values::DisclosureBasis::HealthOrSafetyEmergency)
    );
    assert!(disclosure_basis(&referral, None, ConsentField::BirthDate, day(30)).is_err());
}
