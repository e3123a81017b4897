//! The rules of McKinney-Vento identifications, without GraphQL.

use entity::homeless_status as homeless;
use uuid::Uuid;

use super::{
    descriptors_service::{
        HOMELESS_PRIMARY_NIGHTTIME_RESIDENCE, HOMELESS_PROGRAM_SERVICE, check_codes,
    },
    references,
};
use crate::{
    auth::policy::{self, Educational},
    db::Write,
    errors::AppResult,
    roster::students::service::check_visible,
    validation::{Check, Outcome, duplicate},
};

/// Checks the residence and the services (one URI a line) that a write stores.
async fn check_descriptors(
    write: &Write<'_>,
    check: &mut Check,
    residence: Option<&str>,
    services: Option<&str>,
) -> AppResult<()> {
    let residence: Vec<&str> = residence.into_iter().collect();
    check_codes(
        write,
        check,
        "primaryNighttimeResidence",
        HOMELESS_PRIMARY_NIGHTTIME_RESIDENCE,
        &residence,
    )
    .await?;
    let services: Vec<&str> = services.into_iter().flat_map(str::lines).collect();
    check_codes(
        write,
        check,
        "services",
        HOMELESS_PROGRAM_SERVICE,
        &services,
    )
    .await
}

/// Identifies the student of `row` as homeless. A second current identification is a
/// DUPLICATE: the partial unique index (`ux_homeless_status_current`) refuses it, which also
/// settles concurrent writers.
pub async fn identify(
    write: &Write<'_>,
    row: homeless::Model,
) -> AppResult<Outcome<homeless::Model>> {
    let actor = write.actor();
    policy::write_educational(actor, Educational::Homeless)?;
    let mut check = Check::default();
    check_visible(write, &mut check, row.student_id).await?;
    check_descriptors(
        write,
        &mut check,
        Some(&row.primary_nighttime_residence),
        Some(&row.services),
    )
    .await?;
    if let Err(errors) = check.finish() {
        return Ok(Err(errors));
    }
    Ok(write.insert::<homeless::Entity>(row).await?.ok_or_else(|| {
        duplicate(
            "studentId",
            "a current McKinney-Vento identification of this student",
        )
    }))
}

/// Applies `changes` to identification `id` if it is still at `version`; it may not end
/// before it began.
pub async fn update(
    write: &Write<'_>,
    (id, version): (Uuid, i32),
    changes: homeless::ActiveModel,
) -> AppResult<Outcome<homeless::Model>> {
    let data = (Educational::Homeless, homeless::Column::StudentId);
    let (current, scope) =
        references::writable::<homeless::Entity>(write, data, id, "HomelessStatus").await?;
    let mut check = Check::default();
    check.dates_in_order(
        Some(current.identified_date),
        changes.end_date.try_as_ref().copied().flatten(),
        "endDate",
        "identifiedDate",
    );
    check_descriptors(
        write,
        &mut check,
        changes
            .primary_nighttime_residence
            .try_as_ref()
            .map(String::as_str),
        changes.services.try_as_ref().map(String::as_str),
    )
    .await?;
    if let Err(errors) = check.finish() {
        return Ok(Err(errors));
    }
    Ok(Ok(write
        .update::<homeless::Entity>(changes, (id, version), scope)
        .await?))
}
