//! Agency demo data: a directory of 30 community agencies around the district (a service or
//! two each, with capacity, a location and a contact; a few not checked for months), and
//! referrals of students to them in every FHIR status, each with its chain of moves, under
//! consents in force, expired and revoked, with the record of each disclosure they made.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use entity::{
    agency, agency_contact, agency_location, agency_referral, agency_referral_transition,
    agency_service, consent, disclosure, student_guardian,
    values::{
        AgencyReferralStatus as Status, DisclosureBasis, LocationType, PartyType, ReferralOutcome,
        ServiceStatus,
    },
};
use sea_orm::DatabaseTransaction;
use uuid::Uuid;

use super::{agency_names::AGENCIES, insert_all};
use crate::errors::AppResult;

/// The statuses a referral passed through to reach each status, and what came of it.
fn path(status: Status) -> (&'static [Status], Option<ReferralOutcome>) {
    use Status::*;
    match status {
        Draft => (&[Draft], None),
        Requested => (&[Draft, Requested], None),
        Accepted => (&[Draft, Requested, Accepted], None),
        Rejected => (
            &[Draft, Requested, Rejected],
            Some(ReferralOutcome::NotEligible),
        ),
        InProgress => (&[Draft, Requested, Accepted, InProgress], None),
        OnHold => (&[Draft, Requested, Accepted, InProgress, OnHold], None),
        Completed => (
            &[Draft, Requested, Accepted, InProgress, Completed],
            Some(ReferralOutcome::GotHelp),
        ),
        Failed => (
            &[Draft, Requested, Accepted, InProgress, Failed],
            Some(ReferralOutcome::CouldNotContact),
        ),
        Cancelled => (
            &[Draft, Requested, Cancelled],
            Some(ReferralOutcome::NoLongerInterested),
        ),
        EnteredInError => (&[Draft, Requested, EnteredInError], None),
    }
}

const STATUSES: [Status; 10] = [
    Status::Draft,
    Status::Requested,
    Status::Accepted,
    Status::Rejected,
    Status::InProgress,
    Status::OnHold,
    Status::Completed,
    Status::Failed,
    Status::Cancelled,
    Status::EnteredInError,
];

#[derive(Default)]
struct Rows {
    agencies: Vec<agency::Model>,
    services: Vec<agency_service::Model>,
    locations: Vec<agency_location::Model>,
    contacts: Vec<agency_contact::Model>,
    consents: Vec<consent::Model>,
    referrals: Vec<agency_referral::Model>,
    transitions: Vec<agency_referral_transition::Model>,
    disclosures: Vec<disclosure::Model>,
}

/// What the agency seed builds on.
pub struct Roster<'a> {
    pub district_id: Uuid,
    pub now: DateTime<Utc>,
    /// Guardian links (the unrestricted ones consent).
    pub links: &'a [student_guardian::Model],
    pub worker_of_school: &'a HashMap<Uuid, Uuid>,
    pub school_of_student: &'a HashMap<Uuid, Uuid>,
}

/// Seeds the directory and the referrals; answers (agencies, referrals).
pub async fn seed(txn: &DatabaseTransaction, roster: &Roster<'_>) -> AppResult<(usize, usize)> {
    let mut rows = Rows::default();
    let today = roster.now.date_naive();
    directory(&mut rows, roster, today);
    refer(&mut rows, roster, today);
    let counts = (rows.agencies.len(), rows.referrals.len());
    insert_all(txn, rows.agencies).await?;
    insert_all(txn, rows.services).await?;
    insert_all(txn, rows.locations).await?;
    insert_all(txn, rows.contacts).await?;
    insert_all(txn, rows.consents).await?;
    insert_all(txn, rows.referrals).await?;
    insert_all(txn, rows.transitions).await?;
    insert_all(txn, rows.disclosures).await?;
    Ok(counts)
}

fn directory(rows: &mut Rows, roster: &Roster<'_>, today: NaiveDate) {
    let (district_id, now) = (roster.district_id, roster.now);
    for (at, (name, description, service, category)) in AGENCIES.iter().enumerate() {
        // Every seventh entry has not been checked for most of a year.
        let assured = today - Duration::days(if at % 7 == 3 { 300 } else { (at % 30) as i64 });
        let agency = agency::Model {
            id: Uuid::now_v7(),
            district_id,
            hsds_id: None,
            name: (*name).into(),
            description: (*description).into(),
            email: Some(format!("intake{at}@agency.example")),
            phone: Some(format!("555-01{at:02}")),
            url: Some(format!("https://agency{at}.example")),
            service_area: Some("Riverbend and neighboring towns".into()),
            assured_date: Some(assured),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let (unit, available) = match *category {
            "housing" => ("beds", (at % 4) as i32),
            "food" | "clothing" => ("families a week", 20 + at as i32),
            _ => ("openings", (at % 6) as i32),
        };
        rows.services.push(agency_service::Model {
            id: Uuid::now_v7(),
            district_id,
            agency_id: agency.id,
            hsds_id: None,
            name: (*service).into(),
            description: Some(format!("{service} for students' families")),
            status: if at == 29 {
                ServiceStatus::TemporarilyClosed
            } else {
                ServiceStatus::Active
            },
            categories: (*category).into(),
            eligibility: Some("Families of Riverbend students".into()),
            languages: if at % 3 == 0 { "en\nes" } else { "en" }.into(),
            fees: Some("Free".into()),
            hours: Some("Mon-Fri 9am-5pm".into()),
            capacity_unit: Some(unit.into()),
            capacity_available: Some(available),
            capacity_updated: Some(now - Duration::hours(at as i64)),
            assured_date: Some(assured),
            created_at: now,
            updated_at: now,
            version: 1,
        });
        rows.locations.push(agency_location::Model {
            id: Uuid::now_v7(),
            district_id,
            agency_id: agency.id,
            hsds_id: None,
            location_type: LocationType::Physical,
            name: Some("Main office".into()),
            address: Some(format!("{} Main St", 100 + at)),
            city: Some("Riverbend".into()),
            region: Some("IL".into()),
            postal_code: Some("60601".into()),
            url: None,
            created_at: now,
            updated_at: now,
            version: 1,
        });
        rows.contacts.push(agency_contact::Model {
            id: Uuid::now_v7(),
            district_id,
            agency_id: agency.id,
            hsds_id: None,
            name: "Intake desk".into(),
            title: Some("Intake coordinator".into()),
            email: Some(format!("intake{at}@agency.example")),
            phone: Some(format!("555-02{at:02}")),
            created_at: now,
            updated_at: now,
            version: 1,
        });
        rows.agencies.push(agency);
    }
}

/// Consent given (and sent under) `days` ago that holds, expired, or was revoked.
enum Kind {
    InForce,
    Expired,
    Revoked,
}

/// A referral for one student in twenty with a guardian who may be contacted (at most 300):
/// statuses in turn, consents in force, expired and revoked in turn.
fn refer(rows: &mut Rows, roster: &Roster<'_>, today: NaiveDate) {
    let (district_id, now) = (roster.district_id, roster.now);
    let mut families: Vec<(Uuid, Uuid)> = roster
        .links
        .iter()
        .filter(|link| link.restriction.is_none())
        .map(|link| (link.student_id, link.guardian_id))
        .collect();
    families.sort();
    families.dedup_by_key(|(student, _)| *student);
    for (n, (student, guardian)) in families.into_iter().step_by(20).take(300).enumerate() {
        let status = STATUSES[n % STATUSES.len()];
        let kind = match n % 5 {
            3 => Kind::Expired,
            4 => Kind::Revoked,
            _ => Kind::InForce,
        };
        let agency = &rows.agencies[n % rows.agencies.len()];
        let service = &rows.services[n % rows.services.len()];
        let (given_on, expires_on) = match kind {
            Kind::Expired => (today - Duration::days(400), today - Duration::days(35)),
            _ => (today - Duration::days(40), today + Duration::days(325)),
        };
        let consent = consent::Model {
            id: Uuid::now_v7(),
            district_id,
            student_id: student,
            guardian_id: guardian,
            given_on,
            fields: "NAME\nGRADE\nSCHOOL\nGUARDIAN_CONTACT\nNEEDS".into(),
            purpose: format!("Help from {}", agency.name),
            parties: agency.id.to_string(),
            expires_on,
            revoked_at: matches!(kind, Kind::Revoked).then(|| now - Duration::days(5)),
            revoked_by: matches!(kind, Kind::Revoked).then(|| "demo".to_string()),
            recorded_by: "demo".into(),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let (moves, outcome) = path(status);
        let sent = moves.contains(&Status::Requested);
        // Sent while the consent held.
        let requested_on = sent.then(|| given_on + Duration::days(3 + (n % 20) as i64));
        let worker = roster
            .school_of_student
            .get(&student)
            .and_then(|school| roster.worker_of_school.get(school))
            .copied();
        let referral = agency_referral::Model {
            id: Uuid::now_v7(),
            district_id,
            student_id: student,
            agency_id: agency.id,
            service_id: Some(service.id),
            referred_by_staff_id: worker,
            needs: format!("The family asked for {}", service.name.to_lowercase()),
            consent_id: Some(consent.id),
            status,
            outcome,
            requested_on,
            follow_up_on: (n % 4 == 1).then_some(today),
            emergency_threat: None,
            created_at: now,
            updated_at: now,
            version: moves.len() as i32,
        };
        let mut from = None;
        for (step, to) in moves.iter().enumerate() {
            let agency_move = !matches!(
                to,
                Status::Draft | Status::Requested | Status::EnteredInError | Status::Cancelled
            );
            rows.transitions.push(agency_referral_transition::Model {
                id: Uuid::now_v7(),
                district_id,
                referral_id: referral.id,
                from_status: from,
                to_status: *to,
                actor: if agency_move { "demo-agency" } else { "demo" }.into(),
                role: if agency_move {
                    "AGENCY_PARTNER"
                } else {
                    "SOCIAL_WORKER"
                }
                .into(),
                note: None,
                at: now - Duration::days((moves.len() - step) as i64),
            });
            from = Some(*to);
        }
        if let Some(requested_on) = requested_on {
            rows.disclosures.push(disclosure::Model {
                id: Uuid::now_v7(),
                district_id,
                student_id: student,
                party_type: PartyType::Agency,
                agency_id: Some(agency.id),
                party: agency.name.clone(),
                basis: DisclosureBasis::Consent,
                consent_id: Some(consent.id),
                legitimate_interest: None,
                threat: None,
                referral_id: Some(referral.id),
                fields: "NAME,GRADE,SCHOOL,GUARDIAN_CONTACT,NEEDS".into(),
                refused: false,
                reason: Some("referral sent".into()),
                actor: "demo".into(),
                request_id: None,
                disclosed_at: requested_on
                    .and_hms_opt(15, 0, 0)
                    .map_or(now, |at| at.and_utc()),
            });
        }
        rows.consents.push(consent);
        rows.referrals.push(referral);
    }
}
