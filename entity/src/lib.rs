//! sea-orm entities of ssw-api, one file per table.
//!
//! Entities are storage, not API: nothing here derives GraphQL types (the API crate writes
//! its types by hand, so a column added here is never exposed by accident).

pub mod abuse_report;
pub mod agency;
pub mod agency_contact;
pub mod agency_location;
pub mod agency_referral;
pub mod agency_referral_transition;
pub mod agency_service;
pub mod assessment;
pub mod attendance_day;
pub mod attendance_rollup;
pub mod audit_event;
pub mod change;
pub mod consent;
pub mod contact_addendum;
pub mod counseling_group;
pub mod crisis_incident;
pub mod descriptor;
pub mod disclosure;
pub mod district;
pub mod enrollment;
pub mod group_attendance;
pub mod group_member;
pub mod group_session;
pub mod guardian;
pub mod homeless_status;
pub mod idempotency_key;
pub mod iep_meeting;
pub mod iep_participation;
pub mod intervention;
pub mod intervention_session;
pub mod progress_point;
pub mod safety_plan;
pub mod school;
pub mod service_contact;
pub mod ssw_case;
pub mod ssw_referral;
pub mod staff;
pub mod staff_school_assignment;
pub mod student;
pub mod student_guardian;
pub mod student_intervention;
pub mod tier_placement;
pub mod truancy_step;
pub mod values;
