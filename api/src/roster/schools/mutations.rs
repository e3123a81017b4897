//! Creating and changing schools.

use super::{School, SchoolPayload, load};
use crate::roster::check_source;
use crate::{
    auth::policy,
    errors::AppResult,
    graphql::{
        context::ContextExt,
        ids,
        mutation::{
            ChangeTo, Check, GRADE_LEVELS, UserErrorCode, apply_changes, duplicate,
            insert_recorded, update_recorded,
        },
    },
};
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};
use chrono::Utc;
use entity::school;
use uuid::Uuid;

/// A new school.
#[derive(InputObject)]
pub struct CreateSchoolInput {
    /// The school's name.
    pub name: String,
    /// The state's identifier of the school.
    pub state_id: Option<String>,
    /// The NCES school identifier.
    pub nces_id: Option<String>,
    /// Lowest grade served (OneRoster code, e.g. KG).
    pub lowest_grade: String,
    /// Highest grade served (OneRoster code, e.g. 05).
    pub highest_grade: String,
    /// Percentage (0-100) of students economically disadvantaged.
    pub economically_disadvantaged_pct: Option<f64>,
    /// Percentage (0-100) of students chronically absent.
    pub chronic_absence_rate: Option<f64>,
    /// Targeted for a social worker because of high need.
    #[graphql(default)]
    pub targeted: bool,
    /// The system that owns the record, when an integration creates it.
    pub source_system: Option<String>,
    /// The record's id in that system.
    pub sourced_id: Option<String>,
}

/// Changes to a school; fields left out stay as they are, `null` clears an optional field.
#[derive(InputObject)]
pub struct UpdateSchoolInput {
    /// The school to change.
    pub id: ID,
    /// The version you read; a newer one on the server means CONFLICT.
    pub version: i32,
    /// New name.
    pub name: Option<String>,
    /// New state identifier.
    pub state_id: MaybeUndefined<String>,
    /// New NCES identifier.
    pub nces_id: MaybeUndefined<String>,
    /// New lowest grade.
    pub lowest_grade: Option<String>,
    /// New highest grade.
    pub highest_grade: Option<String>,
    /// New share of economically disadvantaged students.
    pub economically_disadvantaged_pct: MaybeUndefined<f64>,
    /// New chronic-absence rate.
    pub chronic_absence_rate: MaybeUndefined<f64>,
    /// Whether the school is targeted.
    pub targeted: Option<bool>,
}

fn check_school(
    check: &mut Check,
    name: Option<&str>,
    grades: (Option<&str>, Option<&str>),
    rates: [(&str, Option<f64>); 2],
) {
    check.text("name", name, 200);
    check.grade("lowestGrade", grades.0);
    check.grade("highestGrade", grades.1);
    let rank = |grade: &str| GRADE_LEVELS.iter().position(|g| *g == grade);
    if let (Some(low), Some(high)) = (grades.0.and_then(rank), grades.1.and_then(rank))
        && low > high
    {
        check.fail(
            "highestGrade",
            UserErrorCode::OutOfRange,
            "highestGrade may not be below lowestGrade",
        );
    }
    for (field, rate) in rates {
        if rate.is_some_and(|r| !(0.0..=100.0).contains(&r)) {
            check.fail(
                field,
                UserErrorCode::OutOfRange,
                format!("{field} is a percentage from 0 to 100"),
            );
        }
    }
}

#[derive(Default)]
pub struct SchoolMutation;

#[Object]
impl SchoolMutation {
    /// Adds a school to the district.
    async fn create_school(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: CreateSchoolInput,
    ) -> AppResult<SchoolPayload> {
        let actor = ctx.actor()?;
        policy::write_roster(actor)?;
        let mut check = Check::default();
        check_school(
            &mut check,
            Some(&input.name),
            (Some(&input.lowest_grade), Some(&input.highest_grade)),
            [
                (
                    "economicallyDisadvantagedPct",
                    input.economically_disadvantaged_pct,
                ),
                ("chronicAbsenceRate", input.chronic_absence_rate),
            ],
        );
        check_source(
            &mut check,
            input.source_system.as_deref(),
            input.sourced_id.as_deref(),
        );
        if !check.is_empty() {
            return Ok(SchoolPayload::refused(check.into_errors()));
        }
        let now = Utc::now();
        let row = school::Model {
            id: Uuid::now_v7(),
            district_id: actor.district_id,
            source_system: input.source_system,
            sourced_id: input.sourced_id,
            name: input.name.trim().to_string(),
            state_id: input.state_id,
            nces_id: input.nces_id,
            lowest_grade: input.lowest_grade,
            highest_grade: input.highest_grade,
            economically_disadvantaged_pct: input.economically_disadvantaged_pct,
            chronic_absence_rate: input.chronic_absence_rate,
            targeted: input.targeted,
            created_at: now,
            updated_at: now,
            deleted_at: None,
            version: 1,
        };
        Ok(match insert_recorded::<school::Entity>(ctx, row).await? {
            Some(row) => SchoolPayload::done(School(row)),
            None => SchoolPayload::refused(duplicate(
                "sourcedId",
                "a school with this sourceSystem and sourcedId",
            )),
        })
    }

    /// Changes a school, if nobody else changed it since `version`.
    async fn update_school(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: UpdateSchoolInput,
    ) -> AppResult<SchoolPayload> {
        let actor = ctx.actor()?;
        policy::write_roster(actor)?;
        let id = ids::decode_as::<School>(&input.id, "input.id")?;
        let mut check = Check::default();
        let current = load(ctx, id).await?.0;
        let lowest = input
            .lowest_grade
            .as_deref()
            .unwrap_or(&current.lowest_grade);
        let highest = input
            .highest_grade
            .as_deref()
            .unwrap_or(&current.highest_grade);
        check_school(
            &mut check,
            input.name.as_deref(),
            (Some(lowest), Some(highest)),
            [
                (
                    "economicallyDisadvantagedPct",
                    input.economically_disadvantaged_pct.value().copied(),
                ),
                (
                    "chronicAbsenceRate",
                    input.chronic_absence_rate.value().copied(),
                ),
            ],
        );
        if !check.is_empty() {
            return Ok(SchoolPayload::refused(check.into_errors()));
        }
        let mut changes = school::ActiveModel::default();
        apply_changes!(changes;
            input.name.map(|name| name.trim().to_string()) => name,
            input.state_id.change() => state_id,
            input.nces_id.change() => nces_id,
            input.lowest_grade => lowest_grade,
            input.highest_grade => highest_grade,
            input.economically_disadvantaged_pct.change() => economically_disadvantaged_pct,
            input.chronic_absence_rate.change() => chronic_absence_rate,
            input.targeted => targeted,
        );
        let row = update_recorded::<school::Entity>(
            ctx,
            changes,
            (id, input.version),
            policy::school_rows(actor)?,
        )
        .await?;
        Ok(SchoolPayload::done(School(row)))
    }
}
