//! Settings an administrator may change (`portal_settings`, by name): read
//! inside the transaction that uses them, written with the audit entry that
//! records the change.

use crate::entities::portal_settings;
use crate::errors::ServerResult;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, sea_query::OnConflict};
use time::OffsetDateTime;

/// The cooling-off days before an account is erased.
pub const COOLING_OFF_DAYS: &str = "cooling_off_days";
/// The line naming the regulator that ends every answer to a complaint.
pub const REGULATOR_NOTICE: &str = "regulator_notice";
/// Hours a granted account re-access waits before its link opens.
pub const REACCESS_HOLD_HOURS: &str = "reaccess_hold_hours";
/// The longest hold an administrator may set: a week.
pub const MAX_REACCESS_HOLD_HOURS: i64 = 168;

/// A stored setting, if an administrator set it.
///
/// # Errors
/// When the database fails.
pub async fn get(db: &impl ConnectionTrait, name: &str) -> ServerResult<Option<String>> {
    Ok(portal_settings::Entity::find_by_id(name.to_owned())
        .one(db)
        .await?
        .map(|s| s.value))
}

/// Stores a setting (inserted or replaced).
///
/// # Errors
/// When the database fails.
pub async fn put(
    db: &impl ConnectionTrait,
    name: &str,
    value: &str,
    now: OffsetDateTime,
) -> ServerResult<()> {
    portal_settings::Entity::insert(portal_settings::ActiveModel {
        name: Set(name.to_owned()),
        value: Set(value.to_owned()),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(portal_settings::Column::Name)
            .update_columns([
                portal_settings::Column::Value,
                portal_settings::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// The regulator line in force: the administrator's, or the default naming
/// the Cyberspace Administration of China's reporting channel.
///
/// # Errors
/// When the database fails.
pub async fn regulator_notice(db: &impl ConnectionTrait) -> ServerResult<String> {
    Ok(get(db, REGULATOR_NOTICE)
        .await?
        .and_then(|text| domain::requests::complaint::check_regulator_notice(&text).ok())
        .unwrap_or_else(|| domain::requests::complaint::DEFAULT_REGULATOR_NOTICE.to_owned()))
}
