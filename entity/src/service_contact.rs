//! One contact of the service log: the record behind IEP related-service minutes, school-based
//! Medicaid documentation, MTSS dosage and the worker's monthly report.

use sea_orm::entity::prelude::*;

use crate::values::{Confidentiality, ContactSetting, ContactType, MissedReason, OmitReason};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "service_contact")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub district_id: Uuid,
    pub student_id: Uuid,
    pub provider_staff_id: Uuid,
    /// The provider's credential (license) as it stood when the contact was logged.
    pub provider_credential: Option<String>,
    pub supervisor_staff_id: Option<Uuid>,
    pub date: Date,
    /// `HH:MM`, 24-hour, in the district's time zone.
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub minutes: i32,
    pub contact_type: ContactType,
    pub setting: ContactSetting,
    pub location: Option<String>,
    /// Who took part besides the student, one per line.
    pub participants: String,
    /// What it served: a case, an intervention plan, an IEP.
    pub case_id: Option<Uuid>,
    pub plan_id: Option<Uuid>,
    pub iep_id: Option<Uuid>,
    /// The intervention session it counts as, for a plan's dosage.
    pub session_id: Option<Uuid>,
    pub student_response: Option<String>,
    pub note: Option<String>,
    pub confidentiality: Confidentiality,
    pub billable: bool,
    pub omit_reason: Option<OmitReason>,
    pub missed_reason: Option<MissedReason>,
    pub makeup_due: Option<Date>,
    /// The missed contact this one makes up.
    pub makeup_for_id: Option<Uuid>,
    /// The group session it was part of, and how many members were present at it.
    pub group_session_id: Option<Uuid>,
    pub group_size: Option<i32>,
    pub signed_by_staff_id: Option<Uuid>,
    pub signed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
