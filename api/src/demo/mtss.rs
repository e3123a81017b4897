//! MTSS demo data: a catalogue of common interventions, tier placements in every domain,
//! intervention plans whose progress points show students on track, off track and without
//! enough data, sessions, IEP/504 plans with reviews due soon and overdue, homeless students
//! with services, and a term of attendance (school days so far) so that chronic absence and
//! the early-warning list show real-looking results.

use std::{collections::HashMap, fmt};

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use entity::{
    attendance_day, homeless_status, iep_participation, intervention, intervention_session,
    progress_point, student_intervention, tier_placement,
    values::{
        AttendanceStatus, Delivery, EvidenceLevel, IepStatus, MtssDomain, PlanStatus, PlanType,
    },
};
use rand::{Rng, SeedableRng, rngs::StdRng, seq::IndexedRandom};
use sea_orm::{ActiveEnum, DatabaseTransaction};
use uuid::Uuid;

use super::insert_all;
use crate::errors::AppResult;

/// Students beyond this many get no attendance days, so that 100,000-student seeds stay fast
/// (a term of days for each would be millions of rows).
const ATTENDANCE_STUDENTS: usize = 20_000;

/// (name, description, domains, tier, evidence, delivery, sessions/week, minutes).
type Entry = (
    &'static str,
    &'static str,
    &'static [MtssDomain],
    i32,
    EvidenceLevel,
    Delivery,
    i32,
    i32,
);

const CATALOGUE: [Entry; 16] = [
    (
        "Check-In/Check-Out",
        "A daily check-in with a mentor each morning and afternoon around a point card of behavior goals; points earned go home to families and feed back into the next day.",
        &[MtssDomain::Behavior],
        2,
        EvidenceLevel::Moderate,
        Delivery::Individual,
        5,
        10,
    ),
    (
        "Check & Connect",
        "A mentor monitors attendance, grades and behavior and meets the student and family regularly to keep them engaged in school over at least two years.",
        &[MtssDomain::Attendance, MtssDomain::SocialEmotional],
        2,
        EvidenceLevel::Strong,
        Delivery::Individual,
        1,
        30,
    ),
    (
        "Attendance mentoring",
        "A trusted adult checks in with a chronically absent student several times a week, celebrates attendance gains and solves barriers with the family.",
        &[MtssDomain::Attendance],
        2,
        EvidenceLevel::Promising,
        Delivery::Individual,
        2,
        15,
    ),
    (
        "Social skills group",
        "A small group practices skills such as joining in, taking turns and solving conflicts through modeling, role play and feedback.",
        &[MtssDomain::SocialEmotional, MtssDomain::Behavior],
        2,
        EvidenceLevel::Moderate,
        Delivery::SmallGroup,
        1,
        40,
    ),
    (
        "Second Step",
        "A classroom social-emotional curriculum teaching empathy, emotion management and problem solving in short weekly lessons.",
        &[MtssDomain::SocialEmotional],
        1,
        EvidenceLevel::Promising,
        Delivery::Classwide,
        1,
        30,
    ),
    (
        "Cognitive Behavioral Intervention for Trauma in Schools (CBITS)",
        "Ten group sessions and individual sessions in which students exposed to trauma learn relaxation, coping with thoughts and facing fears.",
        &[MtssDomain::SocialEmotional],
        3,
        EvidenceLevel::Strong,
        Delivery::SmallGroup,
        1,
        50,
    ),
    (
        "Coping Power",
        "Group sessions for students with aggressive behavior on anger management, goal setting and perspective taking, with parallel parent sessions.",
        &[MtssDomain::Behavior, MtssDomain::SocialEmotional],
        2,
        EvidenceLevel::Strong,
        Delivery::SmallGroup,
        1,
        45,
    ),
    (
        "Anger management group",
        "A short skills group on recognizing triggers, calming strategies and repairing after conflict.",
        &[MtssDomain::Behavior],
        2,
        EvidenceLevel::Rationale,
        Delivery::SmallGroup,
        1,
        30,
    ),
    (
        "Grief and loss group",
        "A support group for students who lost a family member or friend, using expressive activities and coping plans.",
        &[MtssDomain::SocialEmotional],
        2,
        EvidenceLevel::Rationale,
        Delivery::SmallGroup,
        1,
        40,
    ),
    (
        "Individual counseling",
        "Short-term, goal-focused counseling with the school social worker or counselor.",
        &[MtssDomain::SocialEmotional, MtssDomain::Behavior],
        3,
        EvidenceLevel::Promising,
        Delivery::Individual,
        1,
        30,
    ),
    (
        "Functional behavior assessment and behavior plan",
        "An assessment of what a problem behavior achieves for the student and a plan that teaches a replacement behavior and changes its triggers.",
        &[MtssDomain::Behavior],
        3,
        EvidenceLevel::Moderate,
        Delivery::Individual,
        3,
        20,
    ),
    (
        "Good Behavior Game",
        "Classroom teams earn rewards for following the rules during instruction, cutting disruptive behavior class-wide.",
        &[MtssDomain::Behavior],
        1,
        EvidenceLevel::Strong,
        Delivery::Classwide,
        5,
        15,
    ),
    (
        "Small-group reading intervention",
        "Explicit, systematic instruction in phonics and fluency for small groups of struggling readers.",
        &[MtssDomain::Academic],
        2,
        EvidenceLevel::Strong,
        Delivery::SmallGroup,
        4,
        30,
    ),
    (
        "Math fluency practice",
        "Timed, targeted practice of math facts with immediate feedback and progress graphs.",
        &[MtssDomain::Academic],
        2,
        EvidenceLevel::Moderate,
        Delivery::SmallGroup,
        3,
        20,
    ),
    (
        "Family attendance conference",
        "The social worker meets the family to find attendance barriers (transport, health, housing) and agree on a plan with community supports.",
        &[MtssDomain::Attendance],
        2,
        EvidenceLevel::Rationale,
        Delivery::Individual,
        1,
        45,
    ),
    (
        "Daily behavior report card",
        "Teachers rate a few target behaviors each day on a card the family signs, with home rewards tied to the ratings.",
        &[MtssDomain::Behavior],
        2,
        EvidenceLevel::Moderate,
        Delivery::Individual,
        5,
        5,
    ),
];

/// The roster the MTSS data is built on.
pub struct Roster<'a> {
    pub district_id: Uuid,
    pub now: DateTime<Utc>,
    pub year_start: NaiveDate,
    /// (student, school) of each student.
    pub enrolled: &'a [(Uuid, Uuid)],
    pub worker_of_school: &'a HashMap<Uuid, Uuid>,
}

/// What the MTSS seed made.
#[derive(Default)]
pub struct MtssSummary {
    pub interventions: usize,
    pub placements: usize,
    pub plans: usize,
    pub progress_points: usize,
    pub ieps: usize,
    pub homeless: usize,
    pub attendance_days: usize,
}

impl fmt::Display for MtssSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} interventions, {} tier placements, {} plans with {} progress points, {} IEP/504 plans, {} homeless students, {} attendance days",
            self.interventions,
            self.placements,
            self.plans,
            self.progress_points,
            self.ieps,
            self.homeless,
            self.attendance_days
        )
    }
}

/// How a plan's progress points run.
#[derive(Clone, Copy)]
enum Course {
    OnTrack,
    OffTrack,
    TooNew,
}

fn school_days(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    from.iter_days()
        .take_while(|d| *d <= to)
        .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
        .collect()
}

pub async fn seed(txn: &DatabaseTransaction, roster: &Roster<'_>) -> AppResult<MtssSummary> {
    let mut rng = StdRng::seed_from_u64(4);
    let now = roster.now;
    let today = now.date_naive();
    let district_id = roster.district_id;
    let mut summary = MtssSummary::default();

    let catalogue: Vec<intervention::Model> = CATALOGUE
        .iter()
        .map(
            |(name, description, domains, tier, evidence, delivery, sessions, minutes)| {
                intervention::Model {
                    id: Uuid::now_v7(),
                    district_id,
                    name: (*name).into(),
                    description: (*description).into(),
                    domains: domains
                        .iter()
                        .map(|d| d.to_value())
                        .collect::<Vec<_>>()
                        .join(","),
                    tier: *tier,
                    evidence_level: *evidence,
                    delivery: *delivery,
                    default_sessions_per_week: *sessions,
                    default_minutes_per_session: *minutes,
                    created_at: now,
                    updated_at: now,
                    version: 1,
                }
            },
        )
        .collect();
    summary.interventions = catalogue.len();

    let (mut placements, mut plans, mut points, mut sessions) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut ieps, mut homeless, mut attendance) = (Vec::new(), Vec::new(), Vec::new());
    let term = school_days(roster.year_start, today - Duration::days(1));
    let residences = ["Doubled-up", "Hotels/Motels", "Shelters", "Unsheltered"];
    let services = [
        "Transportation",
        "School supplies",
        "Meals",
        "Records assistance",
        "Tutoring",
    ];

    for (n, (student, school)) in roster.enrolled.iter().enumerate() {
        let worker = roster.worker_of_school.get(school).copied();
        let mut planned: Vec<Uuid> = Vec::new();
        // Tiers in every domain: most students in tier 1, some in 2, a few in 3; a few moved up
        // after the first month (so they have a history).
        for domain in [
            MtssDomain::Academic,
            MtssDomain::Behavior,
            MtssDomain::SocialEmotional,
            MtssDomain::Attendance,
        ] {
            let roll: f64 = rng.random();
            let tier = if roll < 0.80 {
                1
            } else if roll < 0.95 {
                2
            } else {
                3
            };
            let placement = |tier, from: NaiveDate, to: Option<NaiveDate>| tier_placement::Model {
                id: Uuid::now_v7(),
                district_id,
                student_id: *student,
                domain,
                tier,
                effective_from: from,
                effective_to: to,
                decided_by: "School MTSS team".into(),
                decided_on: from,
                rationale: (tier > 1)
                    .then(|| "Screening and progress data below benchmark".to_string()),
                created_at: now,
                updated_at: now,
                version: 1,
            };
            let moved_up = tier > 1 && rng.random_bool(0.3);
            if moved_up {
                let change = roster.year_start + Duration::days(35);
                placements.push(placement(
                    tier - 1,
                    roster.year_start,
                    Some(change - Duration::days(1)),
                ));
                placements.push(placement(tier, change, None));
            } else {
                placements.push(placement(tier, roster.year_start, None));
            }
            if tier == 1 {
                continue;
            }
            // A plan for each tier 2/3 domain, from the catalogue's interventions for it.
            // At most one open plan per intervention and student (as the database enforces).
            let fitting: Vec<&intervention::Model> = catalogue
                .iter()
                .filter(|i| {
                    i.domains.contains(domain.to_value().as_str())
                        && i.tier >= 2
                        && !planned.contains(&i.id)
                })
                .collect();
            let Some(chosen) = fitting.choose(&mut rng) else {
                continue;
            };
            planned.push(chosen.id);
            let course = *[
                Course::OnTrack,
                Course::OnTrack,
                Course::OffTrack,
                Course::TooNew,
            ]
            .choose(&mut rng)
            .unwrap_or(&Course::OnTrack);
            let start = match course {
                Course::TooNew => today - Duration::days(10),
                _ => roster.year_start + Duration::days(rng.random_range(14..28)),
            };
            let end = start + Duration::weeks(16);
            let baseline = f64::from(rng.random_range(10..30));
            let target = baseline + 20.0;
            let plan = student_intervention::Model {
                id: Uuid::now_v7(),
                district_id,
                student_id: *student,
                intervention_id: chosen.id,
                staff_id: worker,
                tier,
                start_date: start,
                planned_end_date: end,
                actual_end_date: None,
                goal: format!("Reach {target} on the {} measure by {end}", chosen.name),
                measure: match domain {
                    MtssDomain::Academic => "words correct per minute",
                    MtssDomain::Attendance => "days attended per 20",
                    _ => "daily behavior points (%)",
                }
                .into(),
                baseline,
                target,
                sessions_per_week: chosen.default_sessions_per_week,
                minutes_per_session: chosen.default_minutes_per_session,
                status: PlanStatus::Active,
                outcome: None,
                created_at: now,
                updated_at: now,
                version: 1,
            };
            let slope = (target - baseline) / (end - start).num_days() as f64;
            let mut date = start + Duration::weeks(1);
            while date < today && date <= end {
                let expected = baseline + slope * (date - start).num_days() as f64;
                let value = match course {
                    Course::OffTrack => expected - rng.random_range(2.0..6.0),
                    _ => expected + rng.random_range(-1.0..3.0),
                };
                points.push(progress_point::Model {
                    id: Uuid::now_v7(),
                    district_id,
                    plan_id: plan.id,
                    date,
                    value: (value * 10.0).round() / 10.0,
                    note: None,
                    created_at: now,
                    updated_at: now,
                    version: 1,
                });
                date += Duration::weeks(1);
            }
            // The first `sessions_per_week` school days of each week.
            let mut per_week: HashMap<chrono::IsoWeek, i32> = HashMap::new();
            for day in school_days(start, today - Duration::days(1)) {
                let count = per_week.entry(day.iso_week()).or_default();
                *count += 1;
                if *count > plan.sessions_per_week {
                    continue;
                }
                let attended = rng.random_bool(0.85);
                sessions.push(intervention_session::Model {
                    id: Uuid::now_v7(),
                    district_id,
                    plan_id: plan.id,
                    date: day,
                    attended,
                    minutes: if attended {
                        plan.minutes_per_session
                    } else {
                        0
                    },
                    created_at: now,
                    updated_at: now,
                    version: 1,
                });
            }
            plans.push(plan);
        }

        // IEP (12%) or 504 (4%), with reviews spread so that some are overdue and some due soon.
        let roll: f64 = rng.random();
        if roll < 0.16 {
            let plan_type = if roll < 0.12 {
                PlanType::Iep
            } else {
                PlanType::Section504
            };
            let due = today + Duration::days(rng.random_range(-20..300));
            let last_review = due - Duration::days(365);
            let disability = [
                "Specific learning disability",
                "Speech or language impairment",
                "Other health impairment",
                "Autism",
                "Emotional disturbance",
            ]
            .choose(&mut rng)
            .copied()
            .unwrap_or("Other health impairment");
            ieps.push(iep_participation::Model {
                id: Uuid::now_v7(),
                district_id,
                student_id: *student,
                plan_type,
                status: IepStatus::Active,
                primary_disability: (plan_type == PlanType::Iep)
                    .then(|| format!("uri://ed-fi.org/DisabilityDescriptor#{disability}")),
                iep_begin_date: Some(last_review - Duration::days(365)),
                iep_end_date: Some(due),
                iep_last_review_date: Some(last_review),
                iep_review_due_date: Some(due),
                iep_evaluation_due_date: Some(last_review + Duration::days(3 * 365)),
                social_work_minutes_per_week: if rng.random_bool(0.4) { 30 } else { 0 },
                social_worker_roles: "SOCIAL_HISTORY,MEETING_ATTENDANCE".into(),
                created_at: now,
                updated_at: now,
                version: 1,
            });
        }

        // McKinney-Vento (3%).
        if rng.random_bool(0.03) {
            let given: Vec<String> = services
                .iter()
                .filter(|_| rng.random_bool(0.5))
                .map(|s| format!("uri://ed-fi.org/HomelessProgramServiceDescriptor#{s}"))
                .collect();
            homeless.push(homeless_status::Model {
                id: Uuid::now_v7(),
                district_id,
                student_id: *student,
                identified_date: roster.year_start + Duration::days(rng.random_range(0..60)),
                end_date: None,
                primary_nighttime_residence: format!(
                    "uri://ed-fi.org/HomelessPrimaryNighttimeResidenceDescriptor#{}",
                    residences.choose(&mut rng).copied().unwrap_or("Doubled-up")
                ),
                unaccompanied_youth: rng.random_bool(0.1),
                services: given.join("\n"),
                created_at: now,
                updated_at: now,
                version: 1,
            });
        }

        // Attendance: most students miss a few days, about one in six misses 10% or more.
        if n < ATTENDANCE_STUDENTS {
            let absence_rate = match rng.random::<f64>() {
                r if r < 0.70 => rng.random_range(0.0..0.05),
                r if r < 0.85 => rng.random_range(0.05..0.095),
                _ => rng.random_range(0.12..0.3),
            };
            for day in &term {
                let status = if rng.random_bool(absence_rate) {
                    if rng.random_bool(0.6) {
                        AttendanceStatus::Unexcused
                    } else {
                        AttendanceStatus::Excused
                    }
                } else if rng.random_bool(0.04) {
                    AttendanceStatus::Tardy
                } else {
                    AttendanceStatus::Present
                };
                attendance.push(attendance_day::Model {
                    id: Uuid::now_v7(),
                    district_id,
                    student_id: *student,
                    school_id: *school,
                    date: *day,
                    status,
                    created_at: now,
                    updated_at: now,
                    version: 1,
                });
            }
        }
    }
    summary.placements = placements.len();
    summary.plans = plans.len();
    summary.progress_points = points.len();
    summary.ieps = ieps.len();
    summary.homeless = homeless.len();
    summary.attendance_days = attendance.len();
    insert_all(txn, catalogue).await?;
    insert_all(txn, placements).await?;
    insert_all(txn, plans).await?;
    insert_all(txn, points).await?;
    insert_all(txn, sessions).await?;
    insert_all(txn, ieps).await?;
    insert_all(txn, homeless).await?;
    insert_all(txn, attendance).await?;
    Ok(summary)
}
