//! Database migrations of ssw-api, one file per step. Every step runs identically on SQLite
//! and PostgreSQL, up and down. Migrations load no demo data (that comes from `seed`); the
//! one data step holds the Ed-Fi default descriptors, reference data the service needs.

pub use sea_orm_migration::prelude::*;

mod columns;
mod m20261124_000001_organisation;
mod m20261124_000002_students;
mod m20261124_000003_records;
mod m20261124_000004_mtss;
mod m20261124_000005_edfi_descriptors;
mod m20261130_000006_attendance_rollup;
mod m20261130_000007_worklist_indexes;
mod m20261130_000008_idempotency_key;
mod m20261201_000009_change_positions;
mod m20261201_000010_change_relay;
mod m20261201_000011_change_written_positioned;
mod m20261201_000012_change_previous_key;
mod m20261201_000013_district_pseudonym_salt;
mod m20261201_000014_casework;
mod m20261201_000015_service_log;
mod m20261201_000016_assessments_and_crises;
mod m20261201_000017_truancy_and_abuse_reports;
mod m20261201_000018_counseling_groups;
mod m20261202_000019_audit_log_pages;
mod m20261202_000020_agencies;
mod m20261202_000021_emergency_referrals;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_organisation::Migration),
            Box::new(m20261124_000002_students::Migration),
            Box::new(m20261124_000003_records::Migration),
            Box::new(m20261124_000004_mtss::Migration),
            Box::new(m20261124_000005_edfi_descriptors::Migration),
            Box::new(m20261130_000006_attendance_rollup::Migration),
            Box::new(m20261130_000007_worklist_indexes::Migration),
            Box::new(m20261130_000008_idempotency_key::Migration),
            Box::new(m20261201_000009_change_positions::Migration),
            Box::new(m20261201_000010_change_relay::Migration),
            Box::new(m20261201_000011_change_written_positioned::Migration),
            Box::new(m20261201_000012_change_previous_key::Migration),
            Box::new(m20261201_000013_district_pseudonym_salt::Migration),
            Box::new(m20261201_000014_casework::Migration),
            Box::new(m20261201_000015_service_log::Migration),
            Box::new(m20261201_000016_assessments_and_crises::Migration),
            Box::new(m20261201_000017_truancy_and_abuse_reports::Migration),
            Box::new(m20261201_000018_counseling_groups::Migration),
            Box::new(m20261202_000019_audit_log_pages::Migration),
            Box::new(m20261202_000020_agencies::Migration),
            Box::new(m20261202_000021_emergency_referrals::Migration),
        ]
    }
}
