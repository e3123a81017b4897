//! Casework demo data, for a sample of students (every tenth of each school, at most
//! `SAMPLE`) so that a
//! newcomer's first query shows real work: referrals in every status (the assigned ones with
//! their cases, in every area of focus, some closed), a month of weekly contacts (signed but
//! the last, one missed and made up, IEP minutes where the IEP calls for them), home visits
//! and crisis responses, a HIGH screening answered by a safety plan and one that was not, a
//! truancy ladder, and an abuse report filed and one overdue.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use entity::{
    abuse_report, assessment, safety_plan, service_contact, ssw_case, ssw_referral, truancy_step,
    values::{
        AreaOfFocus, AssessmentType, CaseClosingReason, Confidentiality, ContactSetting,
        ContactType, MissedReason, ReferralReason, ReferralStatus, ReferralUrgency, ReferrerType,
        RiskLevel, TruancyStepKind,
    },
};
use sea_orm::{ActiveEnum, DatabaseTransaction};
use uuid::Uuid;

use super::insert_all;
use crate::{errors::AppResult, mtss::attendance_rollup::school_year};

/// Most students given casework.
const SAMPLE: usize = 1_000;

const AREAS: [AreaOfFocus; 7] = [
    AreaOfFocus::Assessment,
    AreaOfFocus::DropoutPrevention,
    AreaOfFocus::McKinneyVento,
    AreaOfFocus::CrisisIntervention,
    AreaOfFocus::AttendanceTruancy,
    AreaOfFocus::SpecialEducation,
    AreaOfFocus::General,
];
const STATUSES: [ReferralStatus; 4] = [
    ReferralStatus::New,
    ReferralStatus::Assigned,
    ReferralStatus::InProgress,
    ReferralStatus::Closed,
];
const REASONS: [ReferralReason; 5] = [
    ReferralReason::Attendance,
    ReferralReason::MentalHealth,
    ReferralReason::Family,
    ReferralReason::BasicNeeds,
    ReferralReason::Behavior,
];

/// What the casework seed builds on.
pub struct Roster<'a> {
    pub district_id: Uuid,
    pub now: DateTime<Utc>,
    pub enrolled: &'a [(Uuid, Uuid)],
    pub worker_of_school: &'a HashMap<Uuid, Uuid>,
    pub social_work_ieps: &'a HashMap<Uuid, Uuid>,
}

#[derive(Default)]
struct Rows {
    referrals: Vec<ssw_referral::Model>,
    cases: Vec<ssw_case::Model>,
    contacts: Vec<service_contact::Model>,
    assessments: Vec<assessment::Model>,
    plans: Vec<safety_plan::Model>,
    steps: Vec<truancy_step::Model>,
    reports: Vec<abuse_report::Model>,
}

/// Seeds casework; answers how many referrals it made.
pub async fn seed(txn: &DatabaseTransaction, roster: &Roster<'_>) -> AppResult<usize> {
    let mut rows = Rows::default();
    let today = roster.now.date_naive();
    // Every tenth student of each school (the first included), so every worker has some.
    let mut seen: HashMap<Uuid, usize> = HashMap::new();
    let sample = roster
        .enrolled
        .iter()
        .filter(|(_, school)| {
            let count = seen.entry(*school).or_default();
            *count += 1;
            *count % 10 == 1
        })
        .filter_map(|(student, school)| Some((*student, *roster.worker_of_school.get(school)?)))
        .take(SAMPLE)
        .collect::<Vec<_>>();
    for (n, (student, worker)) in sample.into_iter().enumerate() {
        let case = refer(&mut rows, roster, n, (student, worker));
        if let Some(case) = case {
            log_month(&mut rows, roster, n, (student, worker, case));
        }
        special_cases(&mut rows, roster, n, (student, worker), today);
    }
    let made = rows.referrals.len();
    insert_all(txn, rows.cases).await?;
    insert_all(txn, rows.referrals).await?;
    insert_all(txn, rows.contacts).await?;
    insert_all(txn, rows.assessments).await?;
    insert_all(txn, rows.plans).await?;
    insert_all(txn, rows.steps).await?;
    insert_all(txn, rows.reports).await?;
    Ok(made)
}

/// The `n`th sampled student's referral (its status by `n`), and the case it opened.
fn refer(
    rows: &mut Rows,
    roster: &Roster<'_>,
    n: usize,
    (student, worker): (Uuid, Uuid),
) -> Option<Uuid> {
    let now = roster.now;
    let today = now.date_naive();
    let status = STATUSES[n % STATUSES.len()];
    let referred_on = today - Duration::days(40 + (n % 20) as i64);
    let case = (status != ReferralStatus::New).then(|| {
        let closed = status == ReferralStatus::Closed;
        let case = ssw_case::Model {
            id: Uuid::now_v7(),
            district_id: roster.district_id,
            student_id: student,
            social_worker_id: worker,
            area_of_focus: AREAS[n % AREAS.len()],
            opened_on: referred_on + Duration::days(2),
            closed_on: closed.then_some(today - Duration::days(3)),
            closing_reason: closed.then_some(CaseClosingReason::GoalsMet),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let id = case.id;
        rows.cases.push(case);
        id
    });
    let reasons = [REASONS[n % REASONS.len()], REASONS[(n + 2) % REASONS.len()]];
    rows.referrals.push(ssw_referral::Model {
        id: Uuid::now_v7(),
        district_id: roster.district_id,
        student_id: student,
        referred_on,
        referrer_type: ReferrerType::Staff,
        filed_by_staff_id: None,
        reasons: reasons.map(|r| r.to_value()).join("\n"),
        urgency: if n.is_multiple_of(5) {
            ReferralUrgency::Urgent
        } else {
            ReferralUrgency::Routine
        },
        description: "A teacher's concern about attendance and mood".into(),
        status,
        assigned_to_staff_id: case.map(|_| worker),
        case_id: case,
        created_at: now,
        updated_at: now,
        version: 1,
    });
    case.filter(|_| status != ReferralStatus::Closed)
}

/// Four weekly counseling contacts over the last month: signed but the last, the third
/// missed (student absent) and made up two days later; IEP minutes where the IEP calls for
/// them; a home visit for every fifth student, a crisis response for every ninth.
fn log_month(
    rows: &mut Rows,
    roster: &Roster<'_>,
    n: usize,
    (student, worker, case): (Uuid, Uuid, Uuid),
) {
    let now = roster.now;
    let today = now.date_naive();
    let iep = roster.social_work_ieps.get(&student).copied();
    let mut contact = |date: NaiveDate,
                       kind: ContactType,
                       minutes: i32,
                       missed: Option<MissedReason>,
                       signed: bool| {
        let row = service_contact::Model {
            id: Uuid::now_v7(),
            district_id: roster.district_id,
            student_id: student,
            provider_staff_id: worker,
            provider_credential: Some("LCSW".into()),
            supervisor_staff_id: None,
            date,
            start_time: missed.is_none().then(|| "10:00".into()),
            end_time: missed.is_none().then(|| format!("10:{minutes:02}")),
            minutes: if missed.is_some() { 0 } else { minutes },
            contact_type: kind,
            setting: ContactSetting::InPerson,
            location: Some("Counseling office".into()),
            participants: String::new(),
            case_id: Some(case),
            plan_id: None,
            iep_id: iep,
            session_id: None,
            student_response: Some("Engaged; practiced the plan for mornings".into()),
            note: Some("Reviewed attendance and what gets in the way of mornings".into()),
            confidentiality: Confidentiality::Standard,
            billable: missed.is_none(),
            omit_reason: None,
            missed_reason: missed,
            makeup_due: missed.map(|_| date + Duration::days(2)),
            makeup_for_id: None,
            group_session_id: None,
            group_size: None,
            signed_by_staff_id: signed.then_some(worker),
            signed_at: signed.then_some(now),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        rows.contacts.push(row);
    };
    for week in 0..4 {
        let date = today - Duration::days(28 - 7 * week);
        let missed = (week == 2).then_some(MissedReason::StudentAbsent);
        contact(
            date,
            ContactType::IndividualCounseling,
            30,
            missed,
            week < 3,
        );
    }
    contact(
        today - Duration::days(12),
        ContactType::IndividualCounseling,
        30,
        None,
        true,
    );
    if n.is_multiple_of(5) {
        contact(
            today - Duration::days(10),
            ContactType::HomeVisit,
            45,
            None,
            true,
        );
    }
    if n.is_multiple_of(9) {
        contact(
            today - Duration::days(6),
            ContactType::CrisisResponse,
            20,
            None,
            true,
        );
    }
    // The made-up contact names the missed one.
    let missed = rows
        .contacts
        .iter()
        .rev()
        .find(|c| c.student_id == student && c.missed_reason.is_some())
        .map(|c| c.id);
    if let Some(makeup) = rows
        .contacts
        .iter_mut()
        .rev()
        .find(|c| c.student_id == student && c.date == today - Duration::days(12))
    {
        makeup.makeup_for_id = missed;
    }
}

/// The first sampled students show the worklists: a HIGH screening answered by a safety plan
/// (0) and one that was not (1), a truancy ladder (2), an abuse report filed (3) and one
/// overdue (4).
fn special_cases(
    rows: &mut Rows,
    roster: &Roster<'_>,
    n: usize,
    (student, worker): (Uuid, Uuid),
    today: NaiveDate,
) {
    let now = roster.now;
    let district_id = roster.district_id;
    let screened = today - Duration::days(5);
    match n {
        0 | 1 => {
            rows.assessments.push(assessment::Model {
                id: Uuid::now_v7(),
                district_id,
                student_id: student,
                staff_id: Some(worker),
                assessment_type: AssessmentType::SuicideRiskScreening,
                date: screened,
                risk_level: Some(RiskLevel::High),
                summary: "Screened after a disclosure to a teacher".into(),
                created_at: now,
                updated_at: now,
                version: 1,
            });
            if n == 0 {
                rows.plans.push(safety_plan::Model {
                    id: Uuid::now_v7(),
                    district_id,
                    student_id: student,
                    staff_id: Some(worker),
                    crisis_incident_id: None,
                    created_on: screened,
                    review_date: today + Duration::days(9),
                    ended_on: None,
                    plan: "Warning signs, calming steps, the counselor and a parent to call".into(),
                    created_at: now,
                    updated_at: now,
                    version: 1,
                });
            }
        }
        2 => {
            for (back, step) in [
                (20, TruancyStepKind::Letter),
                (10, TruancyStepKind::Conference),
            ] {
                let date = today - Duration::days(back);
                rows.steps.push(truancy_step::Model {
                    id: Uuid::now_v7(),
                    district_id,
                    student_id: student,
                    staff_id: Some(worker),
                    step,
                    date,
                    school_year: school_year(date),
                    outcome: Some("The family agreed to a morning routine".into()),
                    created_at: now,
                    updated_at: now,
                    version: 1,
                });
            }
        }
        3 | 4 => rows.reports.push(abuse_report::Model {
            id: Uuid::now_v7(),
            district_id,
            student_id: student,
            staff_id: Some(worker),
            learned_at: now - Duration::hours(30),
            concern: "Marks the student could not explain".into(),
            filed_at: (n == 3).then_some(now - Duration::hours(20)),
            agency: (n == 3).then(|| "County child protective services".into()),
            report_number: (n == 3).then(|| "CPS-2026-0418".into()),
            created_at: now,
            updated_at: now,
            version: 1,
        }),
        _ => {}
    }
}
