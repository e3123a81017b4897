//! Partial indexes holding only the rows the MTSS worklists look for, so each condition reads
//! the few rows it wants instead of filtering the district's:
//! - the chronically absent (10% or more of recorded days missed) of each district and school
//!   year, out of every student's rollup row (100,000 at 100,000 students). The query states
//!   the condition in the same words, since both databases match a partial index by its
//!   condition's text: see `chronically_absent` in `api/src/mtss/attendance_rollup.rs`;
//! - current tier placements by domain and tier, with the student, so "tier 3 in behavior"
//!   is read from the index alone (past placements stay in the table for history). It
//!   replaces `ix_tier_placement_domain_tier` over every placement, which nothing else reads
//!   and which SQLite, finding both as selective, kept choosing (8.9 ms for the district's
//!   tier-3 students at 100,000 students; 0.9 ms from the new one).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AttendanceRollup {
    Table,
    StudentId,
    SchoolYear,
    DistrictId,
}

#[derive(DeriveIden)]
enum TierPlacement {
    Table,
    DistrictId,
    Domain,
    Tier,
    StudentId,
    EffectiveTo,
}

const CHRONIC_INDEX: &str = "ix_attendance_rollup_chronic";
/// Literal numbers, no parameters: a partial index is matched by its condition's text. The
/// column stands first in each comparison: SQLite turns `absent * 10 >= days` around in a
/// query and then no longer matches an index that says it that way.
const CHRONIC: &str = "days > 0 AND days <= absent * 10";
const CURRENT_TIER_INDEX: &str = "ix_tier_placement_current_tier";
const ALL_TIERS_INDEX: &str = "ix_tier_placement_domain_tier";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(CHRONIC_INDEX)
                    .table(AttendanceRollup::Table)
                    .col(AttendanceRollup::DistrictId)
                    .col(AttendanceRollup::SchoolYear)
                    .col(AttendanceRollup::StudentId)
                    .cond_where(Expr::cust(CHRONIC))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(CURRENT_TIER_INDEX)
                    .table(TierPlacement::Table)
                    .col(TierPlacement::DistrictId)
                    .col(TierPlacement::Domain)
                    .col(TierPlacement::Tier)
                    .col(TierPlacement::StudentId)
                    .cond_where(Expr::col(TierPlacement::EffectiveTo).is_null())
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name(ALL_TIERS_INDEX)
                    .table(TierPlacement::Table)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(ALL_TIERS_INDEX)
                    .table(TierPlacement::Table)
                    .col(TierPlacement::DistrictId)
                    .col(TierPlacement::Domain)
                    .col(TierPlacement::Tier)
                    .to_owned(),
            )
            .await?;
        for (name, table) in [
            (CURRENT_TIER_INDEX, TierPlacement::Table.into_iden()),
            (CHRONIC_INDEX, AttendanceRollup::Table.into_iden()),
        ] {
            manager
                .drop_index(Index::drop().name(name).table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
