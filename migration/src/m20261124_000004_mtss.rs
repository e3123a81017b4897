//! MTSS: descriptors, the intervention catalogue, plans with progress points and sessions,
//! tier placements, IEP/504 participation and meetings, McKinney-Vento, attendance days.

use sea_orm_migration::{prelude::*, schema::*};

use crate::columns::{Common, District, index, references, sortable, tenant_table};

#[derive(DeriveIden)]
enum Descriptor {
    Table,
    CodeSet,
    Namespace,
    CodeValue,
    ShortDescription,
    Uri,
}

#[derive(DeriveIden)]
enum Intervention {
    Table,
    Name,
    Description,
    Domains,
    Tier,
    EvidenceLevel,
    Delivery,
    DefaultSessionsPerWeek,
    DefaultMinutesPerSession,
}

#[derive(DeriveIden)]
enum StudentIntervention {
    Table,
    StudentId,
    InterventionId,
    StaffId,
    Tier,
    StartDate,
    PlannedEndDate,
    ActualEndDate,
    Goal,
    Measure,
    Baseline,
    Target,
    SessionsPerWeek,
    MinutesPerSession,
    Status,
    Outcome,
}

#[derive(DeriveIden)]
enum ProgressPoint {
    Table,
    PlanId,
    Date,
    Value,
    Note,
}

#[derive(DeriveIden)]
enum InterventionSession {
    Table,
    PlanId,
    Date,
    Attended,
    Minutes,
}

#[derive(DeriveIden)]
enum TierPlacement {
    Table,
    StudentId,
    Domain,
    Tier,
    EffectiveFrom,
    EffectiveTo,
    DecidedBy,
    DecidedOn,
    Rationale,
}

#[derive(DeriveIden)]
enum IepParticipation {
    Table,
    StudentId,
    PlanType,
    Status,
    PrimaryDisability,
    IepBeginDate,
    IepEndDate,
    IepLastReviewDate,
    IepReviewDueDate,
    IepEvaluationDueDate,
    SocialWorkMinutesPerWeek,
    SocialWorkerRoles,
}

#[derive(DeriveIden)]
enum IepMeeting {
    Table,
    ParticipationId,
    MeetingType,
    Date,
    Attendees,
}

#[derive(DeriveIden)]
enum HomelessStatus {
    Table,
    StudentId,
    IdentifiedDate,
    EndDate,
    PrimaryNighttimeResidence,
    UnaccompaniedYouth,
    Services,
}

#[derive(DeriveIden)]
enum AttendanceDay {
    Table,
    StudentId,
    SchoolId,
    Date,
    Status,
}

#[derive(DeriveIden)]
enum Student {
    Table,
}

#[derive(DeriveIden)]
enum School {
    Table,
}

#[derive(DeriveIden)]
enum Staff {
    Table,
}

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000004_mtss"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Descriptor::Table)
                    .if_not_exists()
                    .col(pk_uuid(Common::Id))
                    .col(uuid_null(Common::DistrictId))
                    .col(string(Descriptor::CodeSet))
                    .col(string(Descriptor::Namespace))
                    .col(sortable(manager, string(Descriptor::CodeValue)))
                    .col(string(Descriptor::ShortDescription))
                    .col(string(Descriptor::Uri))
                    .col(timestamp_with_time_zone(Common::CreatedAt))
                    .col(timestamp_with_time_zone(Common::UpdatedAt))
                    .col(integer(Common::Version).default(1))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Descriptor::Table, Common::DistrictId)
                            .to(District::Table, District::Id),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ux_descriptor_uri",
            Descriptor::Table,
            vec![Common::DistrictId.into_iden(), Descriptor::Uri.into_iden()],
            true,
        )
        .await?;
        index(
            manager,
            "ix_descriptor_code_set",
            Descriptor::Table,
            vec![Descriptor::CodeSet.into_iden()],
            false,
        )
        .await?;

        manager
            .create_table(
                tenant_table(Intervention::Table)
                    .col(sortable(manager, string(Intervention::Name)))
                    .col(text(Intervention::Description))
                    .col(string(Intervention::Domains))
                    .col(integer(Intervention::Tier))
                    .col(string(Intervention::EvidenceLevel))
                    .col(string(Intervention::Delivery))
                    .col(integer(Intervention::DefaultSessionsPerWeek))
                    .col(integer(Intervention::DefaultMinutesPerSession))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ux_intervention_name",
            Intervention::Table,
            vec![
                Common::DistrictId.into_iden(),
                Intervention::Name.into_iden(),
            ],
            true,
        )
        .await?;

        manager
            .create_table(
                tenant_table(StudentIntervention::Table)
                    .col(uuid(StudentIntervention::StudentId))
                    .col(uuid(StudentIntervention::InterventionId))
                    .col(uuid_null(StudentIntervention::StaffId))
                    .col(integer(StudentIntervention::Tier))
                    .col(date(StudentIntervention::StartDate))
                    .col(date(StudentIntervention::PlannedEndDate))
                    .col(date_null(StudentIntervention::ActualEndDate))
                    .col(text(StudentIntervention::Goal))
                    .col(string(StudentIntervention::Measure))
                    .col(double(StudentIntervention::Baseline))
                    .col(double(StudentIntervention::Target))
                    .col(integer(StudentIntervention::SessionsPerWeek))
                    .col(integer(StudentIntervention::MinutesPerSession))
                    .col(string(StudentIntervention::Status))
                    .col(string_null(StudentIntervention::Outcome))
                    .foreign_key(&mut references(
                        StudentIntervention::Table,
                        StudentIntervention::StudentId,
                        Student::Table,
                    ))
                    .foreign_key(&mut references(
                        StudentIntervention::Table,
                        StudentIntervention::InterventionId,
                        Intervention::Table,
                    ))
                    .foreign_key(&mut references(
                        StudentIntervention::Table,
                        StudentIntervention::StaffId,
                        Staff::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_student_intervention_student",
            StudentIntervention::Table,
            vec![StudentIntervention::StudentId.into_iden()],
            false,
        )
        .await?;
        index(
            manager,
            "ix_student_intervention_intervention",
            StudentIntervention::Table,
            vec![
                StudentIntervention::InterventionId.into_iden(),
                StudentIntervention::Status.into_iden(),
            ],
            false,
        )
        .await?;
        // At most one open (planned or active) plan of an intervention per student, even under
        // concurrent writers. Partial indexes read the same on SQLite and PostgreSQL.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX ux_student_intervention_open ON student_intervention (student_id, intervention_id) \
                 WHERE status IN ('PLANNED', 'ACTIVE')",
            )
            .await?;

        manager
            .create_table(
                tenant_table(ProgressPoint::Table)
                    .col(uuid(ProgressPoint::PlanId))
                    .col(date(ProgressPoint::Date))
                    .col(double(ProgressPoint::Value))
                    .col(text_null(ProgressPoint::Note))
                    .foreign_key(&mut references(
                        ProgressPoint::Table,
                        ProgressPoint::PlanId,
                        StudentIntervention::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_progress_point_plan_date",
            ProgressPoint::Table,
            vec![
                ProgressPoint::PlanId.into_iden(),
                ProgressPoint::Date.into_iden(),
            ],
            false,
        )
        .await?;

        manager
            .create_table(
                tenant_table(InterventionSession::Table)
                    .col(uuid(InterventionSession::PlanId))
                    .col(date(InterventionSession::Date))
                    .col(boolean(InterventionSession::Attended))
                    .col(integer(InterventionSession::Minutes))
                    .foreign_key(&mut references(
                        InterventionSession::Table,
                        InterventionSession::PlanId,
                        StudentIntervention::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_intervention_session_plan_date",
            InterventionSession::Table,
            vec![
                InterventionSession::PlanId.into_iden(),
                InterventionSession::Date.into_iden(),
            ],
            false,
        )
        .await?;

        manager
            .create_table(
                tenant_table(TierPlacement::Table)
                    .col(uuid(TierPlacement::StudentId))
                    .col(string(TierPlacement::Domain))
                    .col(integer(TierPlacement::Tier))
                    .col(date(TierPlacement::EffectiveFrom))
                    .col(date_null(TierPlacement::EffectiveTo))
                    .col(string(TierPlacement::DecidedBy))
                    .col(date(TierPlacement::DecidedOn))
                    .col(text_null(TierPlacement::Rationale))
                    .foreign_key(&mut references(
                        TierPlacement::Table,
                        TierPlacement::StudentId,
                        Student::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_tier_placement_student",
            TierPlacement::Table,
            vec![
                TierPlacement::StudentId.into_iden(),
                TierPlacement::Domain.into_iden(),
                TierPlacement::EffectiveFrom.into_iden(),
            ],
            false,
        )
        .await?;
        index(
            manager,
            "ix_tier_placement_domain_tier",
            TierPlacement::Table,
            vec![
                Common::DistrictId.into_iden(),
                TierPlacement::Domain.into_iden(),
                TierPlacement::Tier.into_iden(),
            ],
            false,
        )
        .await?;
        // At most one current placement per student and domain, even under concurrent writers.
        manager
            .get_connection()
            .execute_unprepared("CREATE UNIQUE INDEX ux_tier_placement_current ON tier_placement (student_id, domain) WHERE effective_to IS NULL")
            .await?;

        manager
            .create_table(
                tenant_table(IepParticipation::Table)
                    .col(uuid(IepParticipation::StudentId))
                    .col(string(IepParticipation::PlanType))
                    .col(string(IepParticipation::Status))
                    .col(string_null(IepParticipation::PrimaryDisability))
                    .col(date_null(IepParticipation::IepBeginDate))
                    .col(date_null(IepParticipation::IepEndDate))
                    .col(date_null(IepParticipation::IepLastReviewDate))
                    .col(date_null(IepParticipation::IepReviewDueDate))
                    .col(date_null(IepParticipation::IepEvaluationDueDate))
                    .col(integer(IepParticipation::SocialWorkMinutesPerWeek).default(0))
                    .col(string(IepParticipation::SocialWorkerRoles).default(""))
                    .foreign_key(&mut references(
                        IepParticipation::Table,
                        IepParticipation::StudentId,
                        Student::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_iep_participation_student",
            IepParticipation::Table,
            vec![IepParticipation::StudentId.into_iden()],
            false,
        )
        .await?;
        index(
            manager,
            "ix_iep_participation_review_due",
            IepParticipation::Table,
            vec![
                Common::DistrictId.into_iden(),
                IepParticipation::IepReviewDueDate.into_iden(),
            ],
            false,
        )
        .await?;

        manager
            .create_table(
                tenant_table(IepMeeting::Table)
                    .col(uuid(IepMeeting::ParticipationId))
                    .col(string(IepMeeting::MeetingType))
                    .col(date(IepMeeting::Date))
                    .col(text(IepMeeting::Attendees))
                    .foreign_key(&mut references(
                        IepMeeting::Table,
                        IepMeeting::ParticipationId,
                        IepParticipation::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_iep_meeting_participation",
            IepMeeting::Table,
            vec![
                IepMeeting::ParticipationId.into_iden(),
                IepMeeting::Date.into_iden(),
            ],
            false,
        )
        .await?;

        manager
            .create_table(
                tenant_table(HomelessStatus::Table)
                    .col(uuid(HomelessStatus::StudentId))
                    .col(date(HomelessStatus::IdentifiedDate))
                    .col(date_null(HomelessStatus::EndDate))
                    .col(string(HomelessStatus::PrimaryNighttimeResidence))
                    .col(boolean(HomelessStatus::UnaccompaniedYouth).default(false))
                    .col(text(HomelessStatus::Services))
                    .foreign_key(&mut references(
                        HomelessStatus::Table,
                        HomelessStatus::StudentId,
                        Student::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_homeless_status_student",
            HomelessStatus::Table,
            vec![
                HomelessStatus::StudentId.into_iden(),
                HomelessStatus::EndDate.into_iden(),
            ],
            false,
        )
        .await?;
        // At most one current McKinney-Vento identification per student.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX ux_homeless_status_current ON homeless_status (student_id) WHERE end_date IS NULL",
            )
            .await?;

        manager
            .create_table(
                tenant_table(AttendanceDay::Table)
                    .col(uuid(AttendanceDay::StudentId))
                    .col(uuid(AttendanceDay::SchoolId))
                    .col(date(AttendanceDay::Date))
                    .col(string(AttendanceDay::Status))
                    .foreign_key(&mut references(
                        AttendanceDay::Table,
                        AttendanceDay::StudentId,
                        Student::Table,
                    ))
                    .foreign_key(&mut references(
                        AttendanceDay::Table,
                        AttendanceDay::SchoolId,
                        School::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ux_attendance_day",
            AttendanceDay::Table,
            vec![
                AttendanceDay::StudentId.into_iden(),
                AttendanceDay::Date.into_iden(),
                AttendanceDay::SchoolId.into_iden(),
            ],
            true,
        )
        .await?;
        index(
            manager,
            "ix_attendance_day_school_date",
            AttendanceDay::Table,
            vec![
                AttendanceDay::SchoolId.into_iden(),
                AttendanceDay::Date.into_iden(),
            ],
            false,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AttendanceDay::Table.into_iden(),
            HomelessStatus::Table.into_iden(),
            IepMeeting::Table.into_iden(),
            IepParticipation::Table.into_iden(),
            TierPlacement::Table.into_iden(),
            InterventionSession::Table.into_iden(),
            ProgressPoint::Table.into_iden(),
            StudentIntervention::Table.into_iden(),
            Intervention::Table.into_iden(),
            Descriptor::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
