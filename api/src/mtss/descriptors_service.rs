//! The rules of descriptors, without GraphQL: adding a district code, and checking that the
//! codes a record stores belong to their code set.

use entity::descriptor;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::{
    auth::policy,
    db::Write,
    errors::AppResult,
    validation::{Check, Outcome, UserErrorCode, duplicate},
};

/// IDEA disability categories.
pub const DISABILITY: &str = "DisabilityDescriptor";
/// McKinney-Vento primary nighttime residence.
pub const HOMELESS_PRIMARY_NIGHTTIME_RESIDENCE: &str =
    "HomelessPrimaryNighttimeResidenceDescriptor";
/// McKinney-Vento services.
pub const HOMELESS_PROGRAM_SERVICE: &str = "HomelessProgramServiceDescriptor";

/// Adds `row` to its code set for the writer's district. Its namespace and code are trimmed
/// and its `uri` is derived from them here; a URI already known is a DUPLICATE.
pub async fn create(
    write: &Write<'_>,
    mut row: descriptor::Model,
) -> AppResult<Outcome<descriptor::Model>> {
    let actor = write.actor();
    policy::write_district_settings(actor)?;
    let mut check = Check::default();
    check.text("codeValue", Some(&row.code_value), 100);
    check.text("shortDescription", Some(&row.short_description), 200);
    if !row.namespace.starts_with("uri://") || row.namespace.contains(['#', ' ']) {
        check.fail(
            "namespace",
            UserErrorCode::Invalid,
            "namespace is a URI such as uri://district.example.org",
        );
    }
    row.namespace = row.namespace.trim_end_matches('/').into();
    row.code_value = row.code_value.trim().into();
    row.short_description = row.short_description.trim().into();
    row.uri = format!("{}/{}#{}", row.namespace, row.code_set, row.code_value);
    // The unique index is per district, so it cannot see a district code repeating an Ed-Fi
    // default (which has none): look first.
    let taken = || duplicate("codeValue", "this descriptor");
    if descriptor::Entity::find()
        .filter(policy::descriptor_rows(actor))
        .filter(descriptor::Column::Uri.eq(&row.uri))
        .count(write.txn())
        .await?
        > 0
    {
        return Ok(Err(taken()));
    }
    if let Err(errors) = check.finish() {
        return Ok(Err(errors));
    }
    Ok(write
        .insert::<descriptor::Entity>(row)
        .await?
        .ok_or_else(taken))
}

/// Adds a user error when `uris` hold a code not in `code_set` for the writer's district.
pub async fn check_codes(
    write: &Write<'_>,
    check: &mut Check,
    field: &str,
    code_set: &str,
    uris: &[&str],
) -> AppResult<()> {
    if uris.is_empty() {
        return Ok(());
    }
    let known: Vec<String> = descriptor::Entity::find()
        .filter(policy::descriptor_rows(write.actor()))
        .filter(descriptor::Column::CodeSet.eq(code_set))
        .filter(descriptor::Column::Uri.is_in(uris.iter().copied()))
        .all(write.txn())
        .await?
        .into_iter()
        .map(|row| row.uri)
        .collect();
    let unknown: Vec<&str> = uris
        .iter()
        .copied()
        .filter(|uri| !known.iter().any(|k| k == uri))
        .collect();
    if !unknown.is_empty() {
        check.fail(
            field,
            UserErrorCode::Invalid,
            format!("not a {code_set} code: {}", unknown.join(", ")),
        );
    }
    Ok(())
}
