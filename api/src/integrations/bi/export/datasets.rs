//! The datasets `/export` streams: each one's columns (name, SQL expression, kind), table
//! and the educational data the policy guards it as. No dataset carries names, SIS keys or
//! free text.

use super::{Dataset, Kind, node};
use crate::{
    auth::policy::Educational,
    casework::{Case, Referral, ServiceContact},
    mtss::{
        DAY_COUNTS, IepParticipation, Intervention, InterventionPlan, InterventionSession,
        ProgressPoint, TierPlacement,
    },
    roster::School,
};

/// Stand-ins for the calendar year and month of a day's date, spelt per backend at query time
/// (`db::year_and_month`).
pub(super) const YEAR: &str = "YEAR_OF_DAY";
pub(super) const MONTH: &str = "MONTH_OF_DAY";

pub const DATASETS: &[Dataset] = &[
    Dataset {
        name: "progress_points",
        columns: &[
            ("id", "pp.id", Kind::Node(node::<ProgressPoint>)),
            ("planId", "pp.plan_id", Kind::Node(node::<InterventionPlan>)),
            ("studentId", "p.student_id", Kind::Student),
            ("date", "pp.date", Kind::Date),
            ("value", "pp.value", Kind::Float),
            ("updatedAt", "pp.updated_at", Kind::Time),
        ],
        from: "progress_point pp JOIN student_intervention p ON p.id = pp.plan_id",
        student: "p.student_id",
        updated_at: "pp.updated_at",
        group_by: &[],
        data: Educational::Interventions,
    },
    Dataset {
        name: "intervention_plans",
        columns: &[
            ("id", "p.id", Kind::Node(node::<InterventionPlan>)),
            ("studentId", "p.student_id", Kind::Student),
            (
                "interventionId",
                "p.intervention_id",
                Kind::Node(node::<Intervention>),
            ),
            ("status", "p.status", Kind::Text),
            ("startDate", "p.start_date", Kind::Date),
            ("updatedAt", "p.updated_at", Kind::Time),
        ],
        from: "student_intervention p",
        student: "p.student_id",
        updated_at: "p.updated_at",
        group_by: &[],
        data: Educational::Interventions,
    },
    Dataset {
        name: "intervention_sessions",
        columns: &[
            ("id", "s.id", Kind::Node(node::<InterventionSession>)),
            ("planId", "s.plan_id", Kind::Node(node::<InterventionPlan>)),
            ("studentId", "p.student_id", Kind::Student),
            ("date", "s.date", Kind::Date),
            ("attended", "s.attended", Kind::Bool),
            ("minutes", "s.minutes", Kind::Int),
            ("updatedAt", "s.updated_at", Kind::Time),
        ],
        from: "intervention_session s JOIN student_intervention p ON p.id = s.plan_id",
        student: "p.student_id",
        updated_at: "s.updated_at",
        group_by: &[],
        data: Educational::Interventions,
    },
    Dataset {
        name: "tier_placements",
        columns: &[
            ("id", "t.id", Kind::Node(node::<TierPlacement>)),
            ("studentId", "t.student_id", Kind::Student),
            ("domain", "t.domain", Kind::Text),
            ("tier", "t.tier", Kind::Int),
            ("effectiveFrom", "t.effective_from", Kind::Date),
            ("effectiveTo", "t.effective_to", Kind::Date),
            ("updatedAt", "t.updated_at", Kind::Time),
        ],
        from: "tier_placement t",
        student: "t.student_id",
        updated_at: "t.updated_at",
        group_by: &[],
        data: Educational::Tiers,
    },
    Dataset {
        name: "attendance_months",
        columns: &[
            ("studentId", "d.student_id", Kind::Student),
            ("schoolId", "d.school_id", Kind::Node(node::<School>)),
            ("year", YEAR, Kind::Int),
            ("month", MONTH, Kind::Int),
            (DAY_COUNTS[0].0, DAY_COUNTS[0].1, Kind::Count),
            (DAY_COUNTS[1].0, DAY_COUNTS[1].1, Kind::Count),
            (DAY_COUNTS[2].0, DAY_COUNTS[2].1, Kind::Count),
            (DAY_COUNTS[3].0, DAY_COUNTS[3].1, Kind::Count),
            ("updatedAt", "MAX(d.updated_at)", Kind::Time),
        ],
        from: "attendance_day d",
        student: "d.student_id",
        updated_at: "MAX(d.updated_at)",
        group_by: &["d.student_id", "d.school_id", YEAR, MONTH],
        data: Educational::Attendance,
    },
    Dataset {
        name: "service_contacts",
        columns: &[
            ("id", "c.id", Kind::Node(node::<ServiceContact>)),
            ("studentId", "c.student_id", Kind::Student),
            ("date", "c.date", Kind::Date),
            ("minutes", "c.minutes", Kind::Int),
            ("contactType", "c.contact_type", Kind::Text),
            ("setting", "c.setting", Kind::Text),
            ("missedReason", "c.missed_reason", Kind::Text),
            ("billable", "c.billable", Kind::Bool),
            ("signed", "c.signed_at IS NOT NULL", Kind::Bool),
            ("caseId", "c.case_id", Kind::Node(node::<Case>)),
            ("planId", "c.plan_id", Kind::Node(node::<InterventionPlan>)),
            ("iepId", "c.iep_id", Kind::Node(node::<IepParticipation>)),
            ("updatedAt", "c.updated_at", Kind::Time),
        ],
        from: "service_contact c",
        student: "c.student_id",
        updated_at: "c.updated_at",
        group_by: &[],
        data: Educational::ServiceLog,
    },
    Dataset {
        name: "referrals",
        columns: &[
            ("id", "r.id", Kind::Node(node::<Referral>)),
            ("studentId", "r.student_id", Kind::Student),
            ("referredOn", "r.referred_on", Kind::Date),
            ("referrerType", "r.referrer_type", Kind::Text),
            ("reasons", "r.reasons", Kind::Lines),
            ("urgency", "r.urgency", Kind::Text),
            ("status", "r.status", Kind::Text),
            ("caseId", "r.case_id", Kind::Node(node::<Case>)),
            ("updatedAt", "r.updated_at", Kind::Time),
        ],
        from: "ssw_referral r",
        student: "r.student_id",
        updated_at: "r.updated_at",
        group_by: &[],
        data: Educational::Referrals,
    },
];
