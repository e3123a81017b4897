//! Community agencies (an Open Referral HSDS 3.0 directory), consent to disclose, closed-loop
//! referrals to agencies with their transitions, and the FERPA record of disclosures
//! (DESIGN.md section 2, "Community agencies" and "Records about records").

use sea_orm_migration::{prelude::*, schema::*};

use crate::columns::{Common, District, index, references, sortable, tenant_table};

#[derive(DeriveIden)]
enum Agency {
    Table,
    HsdsId,
    Name,
    Description,
    Email,
    Phone,
    Url,
    ServiceArea,
    AssuredDate,
}

#[derive(DeriveIden)]
enum AgencyService {
    Table,
    AgencyId,
    HsdsId,
    Name,
    Description,
    Status,
    Categories,
    Eligibility,
    Languages,
    Fees,
    Hours,
    CapacityUnit,
    CapacityAvailable,
    CapacityUpdated,
    AssuredDate,
}

#[derive(DeriveIden)]
enum AgencyLocation {
    Table,
    AgencyId,
    HsdsId,
    LocationType,
    Name,
    Address,
    City,
    Region,
    PostalCode,
    Url,
}

#[derive(DeriveIden)]
enum AgencyContact {
    Table,
    AgencyId,
    HsdsId,
    Name,
    Title,
    Email,
    Phone,
}

#[derive(DeriveIden)]
enum Consent {
    Table,
    StudentId,
    GuardianId,
    GivenOn,
    Fields,
    Purpose,
    Parties,
    ExpiresOn,
    RevokedAt,
    RevokedBy,
    RecordedBy,
}

#[derive(DeriveIden)]
enum AgencyReferral {
    Table,
    StudentId,
    AgencyId,
    ServiceId,
    ReferredByStaffId,
    Needs,
    ConsentId,
    Status,
    Outcome,
    RequestedOn,
    FollowUpOn,
}

#[derive(DeriveIden)]
enum AgencyReferralTransition {
    Table,
    Id,
    DistrictId,
    ReferralId,
    FromStatus,
    ToStatus,
    Actor,
    Role,
    Note,
    At,
}

#[derive(DeriveIden)]
enum Disclosure {
    Table,
    Id,
    DistrictId,
    StudentId,
    PartyType,
    AgencyId,
    Party,
    Basis,
    ConsentId,
    LegitimateInterest,
    Threat,
    ReferralId,
    Fields,
    Refused,
    Reason,
    Actor,
    RequestId,
    DisclosedAt,
}

#[derive(DeriveIden)]
enum Student {
    Table,
}

#[derive(DeriveIden)]
enum Guardian {
    Table,
}

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                tenant_table(Agency::Table)
                    .col(string_null(Agency::HsdsId))
                    .col(sortable(manager, string(Agency::Name)))
                    .col(text(Agency::Description))
                    .col(string_null(Agency::Email))
                    .col(string_null(Agency::Phone))
                    .col(string_null(Agency::Url))
                    .col(text_null(Agency::ServiceArea))
                    .col(date_null(Agency::AssuredDate))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                tenant_table(AgencyService::Table)
                    .col(uuid(AgencyService::AgencyId))
                    .col(string_null(AgencyService::HsdsId))
                    .col(sortable(manager, string(AgencyService::Name)))
                    .col(text_null(AgencyService::Description))
                    .col(string(AgencyService::Status))
                    .col(text(AgencyService::Categories))
                    .col(text_null(AgencyService::Eligibility))
                    .col(text(AgencyService::Languages))
                    .col(text_null(AgencyService::Fees))
                    .col(text_null(AgencyService::Hours))
                    .col(string_null(AgencyService::CapacityUnit))
                    .col(integer_null(AgencyService::CapacityAvailable))
                    .col(timestamp_with_time_zone_null(
                        AgencyService::CapacityUpdated,
                    ))
                    .col(date_null(AgencyService::AssuredDate))
                    .foreign_key(&mut references(
                        AgencyService::Table,
                        AgencyService::AgencyId,
                        Agency::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                tenant_table(AgencyLocation::Table)
                    .col(uuid(AgencyLocation::AgencyId))
                    .col(string_null(AgencyLocation::HsdsId))
                    .col(string(AgencyLocation::LocationType))
                    .col(string_null(AgencyLocation::Name))
                    .col(string_null(AgencyLocation::Address))
                    .col(string_null(AgencyLocation::City))
                    .col(string_null(AgencyLocation::Region))
                    .col(string_null(AgencyLocation::PostalCode))
                    .col(string_null(AgencyLocation::Url))
                    .foreign_key(&mut references(
                        AgencyLocation::Table,
                        AgencyLocation::AgencyId,
                        Agency::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                tenant_table(AgencyContact::Table)
                    .col(uuid(AgencyContact::AgencyId))
                    .col(string_null(AgencyContact::HsdsId))
                    .col(string(AgencyContact::Name))
                    .col(string_null(AgencyContact::Title))
                    .col(string_null(AgencyContact::Email))
                    .col(string_null(AgencyContact::Phone))
                    .foreign_key(&mut references(
                        AgencyContact::Table,
                        AgencyContact::AgencyId,
                        Agency::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                tenant_table(Consent::Table)
                    .col(uuid(Consent::StudentId))
                    .col(uuid(Consent::GuardianId))
                    .col(date(Consent::GivenOn))
                    .col(text(Consent::Fields))
                    .col(text(Consent::Purpose))
                    .col(text(Consent::Parties))
                    .col(date(Consent::ExpiresOn))
                    .col(timestamp_with_time_zone_null(Consent::RevokedAt))
                    .col(string_null(Consent::RevokedBy))
                    .col(string(Consent::RecordedBy))
                    .foreign_key(&mut references(
                        Consent::Table,
                        Consent::StudentId,
                        Student::Table,
                    ))
                    .foreign_key(&mut references(
                        Consent::Table,
                        Consent::GuardianId,
                        Guardian::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                tenant_table(AgencyReferral::Table)
                    .col(uuid(AgencyReferral::StudentId))
                    .col(uuid(AgencyReferral::AgencyId))
                    .col(uuid_null(AgencyReferral::ServiceId))
                    .col(uuid_null(AgencyReferral::ReferredByStaffId))
                    .col(text(AgencyReferral::Needs))
                    .col(uuid_null(AgencyReferral::ConsentId))
                    .col(string(AgencyReferral::Status))
                    .col(string_null(AgencyReferral::Outcome))
                    .col(date_null(AgencyReferral::RequestedOn))
                    .col(date_null(AgencyReferral::FollowUpOn))
                    .foreign_key(&mut references(
                        AgencyReferral::Table,
                        AgencyReferral::StudentId,
                        Student::Table,
                    ))
                    .foreign_key(&mut references(
                        AgencyReferral::Table,
                        AgencyReferral::AgencyId,
                        Agency::Table,
                    ))
                    .foreign_key(&mut references(
                        AgencyReferral::Table,
                        AgencyReferral::ConsentId,
                        Consent::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        // Append-only, like the audit log: no version, never updated.
        manager
            .create_table(
                Table::create()
                    .table(AgencyReferralTransition::Table)
                    .if_not_exists()
                    .col(pk_uuid(AgencyReferralTransition::Id))
                    .col(uuid(AgencyReferralTransition::DistrictId))
                    .col(uuid(AgencyReferralTransition::ReferralId))
                    .col(string_null(AgencyReferralTransition::FromStatus))
                    .col(string(AgencyReferralTransition::ToStatus))
                    .col(string(AgencyReferralTransition::Actor))
                    .col(string(AgencyReferralTransition::Role))
                    .col(text_null(AgencyReferralTransition::Note))
                    .col(timestamp_with_time_zone(AgencyReferralTransition::At))
                    .foreign_key(&mut references(
                        AgencyReferralTransition::Table,
                        AgencyReferralTransition::ReferralId,
                        AgencyReferral::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Disclosure::Table)
                    .if_not_exists()
                    .col(pk_uuid(Disclosure::Id))
                    .col(uuid(Disclosure::DistrictId))
                    .col(uuid(Disclosure::StudentId))
                    .col(string(Disclosure::PartyType))
                    .col(uuid_null(Disclosure::AgencyId))
                    .col(string(Disclosure::Party))
                    .col(string(Disclosure::Basis))
                    .col(uuid_null(Disclosure::ConsentId))
                    .col(text_null(Disclosure::LegitimateInterest))
                    .col(text_null(Disclosure::Threat))
                    .col(uuid_null(Disclosure::ReferralId))
                    .col(text(Disclosure::Fields))
                    .col(boolean(Disclosure::Refused))
                    .col(text_null(Disclosure::Reason))
                    .col(string(Disclosure::Actor))
                    .col(string_null(Disclosure::RequestId))
                    .col(timestamp_with_time_zone(Disclosure::DisclosedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Disclosure::Table, Disclosure::DistrictId)
                            .to(District::Table, District::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(&mut references(
                        Disclosure::Table,
                        Disclosure::StudentId,
                        Student::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        let indexes: [(&str, DynIden, Vec<DynIden>, bool); 9] = [
            // The directory by name; an HSDS id once per district (what an import matches on).
            (
                "ix_agency_name",
                Agency::Table.into_iden(),
                vec![Common::DistrictId.into_iden(), Agency::Name.into_iden()],
                false,
            ),
            (
                "ux_agency_hsds",
                Agency::Table.into_iden(),
                vec![Common::DistrictId.into_iden(), Agency::HsdsId.into_iden()],
                true,
            ),
            (
                "ix_agency_service_agency",
                AgencyService::Table.into_iden(),
                vec![AgencyService::AgencyId.into_iden()],
                false,
            ),
            (
                "ix_agency_location_agency",
                AgencyLocation::Table.into_iden(),
                vec![AgencyLocation::AgencyId.into_iden()],
                false,
            ),
            (
                "ix_agency_contact_agency",
                AgencyContact::Table.into_iden(),
                vec![AgencyContact::AgencyId.into_iden()],
                false,
            ),
            (
                "ix_consent_student",
                Consent::Table.into_iden(),
                vec![Consent::StudentId.into_iden()],
                false,
            ),
            // A student's referrals; an agency's inbox.
            (
                "ix_agency_referral_student",
                AgencyReferral::Table.into_iden(),
                vec![AgencyReferral::StudentId.into_iden()],
                false,
            ),
            (
                "ix_agency_referral_agency",
                AgencyReferral::Table.into_iden(),
                vec![
                    AgencyReferral::AgencyId.into_iden(),
                    AgencyReferral::Status.into_iden(),
                ],
                false,
            ),
            (
                "ix_agency_referral_transition_referral",
                AgencyReferralTransition::Table.into_iden(),
                vec![AgencyReferralTransition::ReferralId.into_iden()],
                false,
            ),
        ];
        for (name, table, columns, unique) in indexes {
            index(manager, name, table, columns, unique).await?;
        }
        // What a parent asks: every disclosure of their child's data, newest first.
        index(
            manager,
            "ix_disclosure_student",
            Disclosure::Table,
            vec![
                Disclosure::StudentId.into_iden(),
                Disclosure::Id.into_iden(),
            ],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Disclosure::Table.into_iden(),
            AgencyReferralTransition::Table.into_iden(),
            AgencyReferral::Table.into_iden(),
            Consent::Table.into_iden(),
            AgencyContact::Table.into_iden(),
            AgencyLocation::Table.into_iden(),
            AgencyService::Table.into_iden(),
            Agency::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
