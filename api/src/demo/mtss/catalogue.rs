//! The district's intervention catalogue: common, mostly evidence-based interventions for
//! every MTSS domain and tier.

use chrono::{DateTime, Utc};
use entity::{
    intervention,
    values::{Delivery, EvidenceLevel, MtssDomain},
};
use sea_orm::ActiveEnum;
use uuid::Uuid;

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

/// The catalogue's rows for the district.
pub(super) fn interventions(district_id: Uuid, now: DateTime<Utc>) -> Vec<intervention::Model> {
    CATALOGUE
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
        .collect()
}
