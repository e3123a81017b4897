//! What every mutation shares: `userErrors` for validation problems (the caller's to fix, and
//! nothing is written), and the payload types that carry the changed object.

use async_graphql::{Context, Enum, SimpleObject};
use sea_orm::{Condition, EntityTrait, IntoActiveModel};
use uuid::Uuid;

use super::context::ContextExt;
use crate::{
    db::{Recorded, loader::Keyed, update_versioned},
    errors::{AppError, AppResult},
};

/// Why a piece of input was refused.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum UserErrorCode {
    /// A value is required.
    Required,
    /// The value has the wrong form.
    Invalid,
    /// The value lies outside its allowed range.
    OutOfRange,
    /// Two dates are in the wrong order.
    DatesOutOfOrder,
    /// A referenced record does not exist or is not visible to the caller.
    NotFound,
    /// The record would duplicate an existing one.
    Duplicate,
}

/// A problem with one input field; the mutation changed nothing.
#[derive(SimpleObject, Clone, Debug, PartialEq, Eq)]
pub struct UserError {
    /// The input field at fault (`input.name`), when one is.
    pub field: Option<String>,
    /// A stable code clients can branch on.
    pub code: UserErrorCode,
    /// A sentence a person can act on.
    pub message: String,
}

/// Collects input problems before anything is written.
#[derive(Default)]
pub struct Check(Vec<UserError>);

impl Check {
    pub fn fail(&mut self, field: &str, code: UserErrorCode, message: impl Into<String>) {
        self.0.push(UserError {
            field: Some(format!("input.{field}")),
            code,
            message: message.into(),
        });
    }

    /// A referenced record must exist and be the caller's to see; `found` is what its loader
    /// returned (the two cases are not told apart on purpose).
    pub fn found<T>(&mut self, field: &str, found: Option<T>, what: &str) -> Option<T> {
        if found.is_none() {
            self.fail(field, UserErrorCode::NotFound, format!("no such {what}"));
        }
        found
    }

    /// A required text that must not be blank, at most `max` characters.
    pub fn text(&mut self, field: &str, value: Option<&str>, max: usize) {
        match value.map(str::trim) {
            Some("") => self.fail(
                field,
                UserErrorCode::Required,
                format!("{field} may not be blank"),
            ),
            Some(text) if text.chars().count() > max => self.fail(
                field,
                UserErrorCode::OutOfRange,
                format!("{field} may be at most {max} characters"),
            ),
            _ => {}
        }
    }

    /// `end` (when set) may not come before `start`.
    pub fn dates_in_order<T: PartialOrd>(
        &mut self,
        start: Option<T>,
        end: Option<T>,
        end_field: &str,
        start_field: &str,
    ) {
        if let (Some(start), Some(end)) = (start, end)
            && end < start
        {
            self.fail(
                end_field,
                UserErrorCode::DatesOutOfOrder,
                format!("{end_field} may not be before {start_field}"),
            );
        }
    }

    /// An optional e-mail address must look like one.
    pub fn email(&mut self, field: &str, value: Option<&str>) {
        if let Some(email) = value
            && !email.is_empty()
            && (!email.contains('@')
                || email.starts_with('@')
                || email.ends_with('@')
                || email.len() > 254)
        {
            self.fail(
                field,
                UserErrorCode::Invalid,
                format!("{field} is not an e-mail address"),
            );
        }
    }

    pub fn into_errors(self) -> Vec<UserError> {
        self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Grade levels as OneRoster and Ed-Fi name them.
pub const GRADE_LEVELS: [&str; 20] = [
    "IT", "PR", "PK", "TK", "KG", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11",
    "12", "13", "PS", "Other",
];

impl Check {
    pub fn grade(&mut self, field: &str, value: Option<&str>) {
        if let Some(grade) = value
            && !GRADE_LEVELS.contains(&grade)
        {
            self.fail(
                field,
                UserErrorCode::Invalid,
                format!("{field} must be a OneRoster grade code such as KG, 01 .. 12"),
            );
        }
    }
}

/// Declares the payload of a mutation: the changed object, or the input problems.
macro_rules! payload_type {
    ($payload:ident, $field:ident, $node:ty, $doc:literal) => {
        #[doc = $doc]
        #[derive(async_graphql::SimpleObject, Default)]
        pub struct $payload {
            /// The record as it is after the mutation; null when `userErrors` is not empty.
            pub $field: Option<$node>,
            /// Problems with the input; when any are present nothing was changed.
            pub user_errors: Vec<$crate::graphql::mutation::UserError>,
        }

        impl $payload {
            pub fn refused(user_errors: Vec<$crate::graphql::mutation::UserError>) -> Self {
                Self {
                    $field: None,
                    user_errors,
                }
            }
            pub fn done(record: $node) -> Self {
                Self {
                    $field: Some(record),
                    user_errors: Vec::new(),
                }
            }
        }
    };
}
pub(crate) use payload_type;

/// `Some(new value)` when the client sent the field (null clears it), `None` when it left it out.
pub trait ChangeTo<T> {
    fn change(self) -> Option<Option<T>>;
}

impl<T> ChangeTo<T> for async_graphql::MaybeUndefined<T> {
    fn change(self) -> Option<Option<T>> {
        match self {
            async_graphql::MaybeUndefined::Undefined => None,
            async_graphql::MaybeUndefined::Null => Some(None),
            async_graphql::MaybeUndefined::Value(value) => Some(Some(value)),
        }
    }
}

/// Sets each column whose new value is `Some`, and notes the field name for the audit log.
macro_rules! apply_changes {
    ($changes:ident, $fields:ident; $($value:expr => $column:ident as $name:literal),+ $(,)?) => {$(
        if let Some(value) = $value {
            $changes.$column = sea_orm::ActiveValue::Set(value);
            $fields.push($name);
        }
    )+};
}
pub(crate) use apply_changes;

/// Inserts `row` with its audit and change rows, in one transaction. `Ok(None)` means the row
/// collides with an existing unique key (for example a `sourcedId`) and nothing was written.
pub async fn insert_recorded<E>(
    ctx: &Context<'_>,
    row: E::Model,
    recorded: Recorded,
) -> AppResult<Option<E::Model>>
where
    E: EntityTrait,
    E::Model: IntoActiveModel<E::ActiveModel> + Clone,
{
    let write = ctx.write().await?;
    match E::insert(row.clone().into_active_model())
        .exec_without_returning(write.txn())
        .await
    {
        Ok(_) => {}
        Err(error) => {
            return match AppError::from(error) {
                AppError::Duplicate(_) => Ok(None),
                other => Err(other),
            };
        }
    }
    write.record(recorded).await?;
    write.commit().await?;
    Ok(Some(row))
}

/// Inserts a row that has no natural key a caller could collide with: a collision is a CONFLICT.
pub async fn insert_new<E>(
    ctx: &Context<'_>,
    row: E::Model,
    recorded: Recorded,
) -> AppResult<E::Model>
where
    E: EntityTrait,
    E::Model: IntoActiveModel<E::ActiveModel> + Clone,
{
    insert_recorded::<E>(ctx, row, recorded)
        .await?
        .ok_or_else(|| AppError::Conflict("the record already exists".into()))
}

/// Applies `changes` to row `id` at `version` with its audit and change rows, in one transaction.
pub async fn update_recorded<E>(
    ctx: &Context<'_>,
    changes: E::ActiveModel,
    (id, version): (Uuid, i32),
    scope: Condition,
    entity: &'static str,
    recorded: impl FnOnce(&E::Model) -> Recorded,
) -> AppResult<E::Model>
where
    E: Keyed,
    E::Model: Sync,
{
    let write = ctx.write().await?;
    let row = update_versioned::<E>(write.txn(), changes, id, version, scope, entity).await?;
    write.record(recorded(&row)).await?;
    write.commit().await?;
    Ok(row)
}

/// The user error of a create whose `sourcedId` is taken.
pub fn duplicate(field: &str, what: &str) -> Vec<UserError> {
    vec![UserError {
        field: Some(format!("input.{field}")),
        code: UserErrorCode::Duplicate,
        message: format!("{what} already exists"),
    }]
}
