//! The district: the tenant a token belongs to.

use super::RosterContext;
use async_graphql::{Context, ID, Object};
use chrono::Utc;
use chrono_tz::Tz;
use entity::district;
use sea_orm::{ActiveModelTrait, DatabaseConnection, IntoActiveModel, Set};
use uuid::Uuid;

use crate::{
    auth::policy,
    db::Write,
    errors::{AppError, AppResult},
    graphql::{context::ContextExt, ids},
};

/// A school district: the tenant all of its records belong to.
#[derive(Clone)]
pub struct District(pub district::Model);
crate::graphql::ids::node_type!(District);

/// A school district: the tenant all of its records belong to.
#[Object]
impl District {
    /// The district's opaque global id.
    pub async fn id(&self) -> ID {
        ids::encode::<District>(self.0.id)
    }
    /// The district's name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Two-letter state code (for example `CA`).
    async fn state_code(&self) -> &str {
        &self.0.state_code
    }
    /// The state's identifier of the district.
    async fn state_id(&self) -> Option<&str> {
        self.0.state_id.as_deref()
    }
    /// The NCES (federal) district identifier.
    async fn nces_id(&self) -> Option<&str> {
        self.0.nces_id.as_deref()
    }
    /// IANA time zone the district keeps its school days in.
    async fn timezone(&self) -> &str {
        &self.0.timezone
    }
}

#[derive(Default)]
pub struct DistrictQuery;

#[Object]
impl DistrictQuery {
    /// The caller's district.
    async fn district(&self, ctx: &Context<'_>) -> AppResult<District> {
        load(ctx, ctx.actor()?.district_id).await
    }
}

pub async fn load(ctx: &Context<'_>, id: Uuid) -> AppResult<District> {
    ctx.roster()
        .district
        .load_one(id)
        .await?
        .map(District)
        .ok_or_else(|| ids::not_found::<District>(id))
}

/// Creates a district (an operator's action, from the CLI or the demo seed).
pub async fn create(
    db: &DatabaseConnection,
    name: &str,
    state_code: &str,
    timezone: &str,
) -> AppResult<district::Model> {
    if timezone.parse::<Tz>().is_err() {
        return Err(AppError::bad_input(
            "timezone",
            format!("{timezone:?} is not an IANA time zone such as America/Chicago"),
        ));
    }
    let now = Utc::now();
    let row = district::Model {
        id: Uuid::now_v7(),
        name: name.into(),
        state_code: state_code.into(),
        state_id: None,
        nces_id: None,
        timezone: timezone.into(),
        pseudonym_salt: crate::auth::pseudonym::new_salt(),
        created_at: now,
        updated_at: now,
        version: 1,
    };
    Ok(row.into_active_model().insert(db).await?)
}

/// Gives the writer's district the name its SIS knows it by (a OneRoster district org); whether
/// it changed. The name is trimmed; an empty one (the reader refuses those) changes nothing.
pub async fn rename(write: &Write<'_>, name: &str) -> AppResult<bool> {
    let actor = write.actor();
    policy::write_roster(actor)?;
    let scope = policy::district_rows(actor);
    let row = write
        .find::<district::Entity>(actor.district_id, scope.clone())
        .await?
        .ok_or_else(|| AppError::not_found("district", actor.district_id))?;
    let name = name.trim();
    if name.is_empty() || row.name == name {
        return Ok(false);
    }
    let changes = district::ActiveModel {
        name: Set(name.to_string()),
        ..Default::default()
    };
    write
        .update::<district::Entity>(changes, (row.id, row.version), scope)
        .await?;
    Ok(true)
}
