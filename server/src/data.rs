//! The holder's personal data (DESIGN §3): access by category with cursor
//! paging, correction, deletion and the privacy settings (Weixin guideline
//! §6.1–6.3, §6.7). Every read and every change filters by the owner's account
//! in the same condition as the item's ID, so another account's ID is simply
//! not found. Every change is one transaction with its activity record.

mod change;
pub mod consent;
mod read;
pub mod seed;

pub(crate) use change::{delete_rows, profile_row, record_sign_in};
pub use read::{Cursor, Narrowing, PAGE_DEFAULT, PAGE_MAX};

use crate::clock::Clock;
use crate::entities::data::activity;
use crate::sessions::Sessions;
use app::data::{DataField, DataItem};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DatabaseConnection};
use std::sync::Arc;
use time::OffsetDateTime;
use uuid::Uuid;

/// The personal-data service.
pub struct PersonalData {
    db: DatabaseConnection,
    clock: Arc<dyn Clock>,
    sessions: Arc<Sessions>,
    /// The holder's own changes are audited too (what changed, never the
    /// content).
    audit: Arc<crate::audit::AuditLog>,
    /// Where links in e-mails point (a guardian's confirmation).
    public_url: String,
}

impl PersonalData {
    /// The service.
    #[must_use]
    pub fn new(
        db: DatabaseConnection,
        clock: Arc<dyn Clock>,
        sessions: Arc<Sessions>,
        audit: Arc<crate::audit::AuditLog>,
        public_url: String,
    ) -> Self {
        PersonalData {
            db,
            clock,
            sessions,
            audit,
            public_url,
        }
    }
}

/// The default time zone of a holder without a profile row.
pub const DEFAULT_ZONE: &str = "Asia/Shanghai";

pub(crate) use crate::instant::rfc3339;

/// A category named in a path or a form, for every door.
///
/// # Errors
/// 404 `unknown_category`.
pub fn parse_category(raw: &str) -> Result<domain::data::Category, app::error::AppError> {
    domain::data::Category::parse(raw).ok_or_else(|| {
        app::error::AppError::new(
            404,
            "unknown_category",
            format!("There is no data category {raw:?}; GET /api/v1/me/data lists them."),
        )
    })
}

/// An item from its ID, time and fields; empty values are left out.
/// A range of days from the query.
///
/// # Errors
/// 422 `invalid_date`, `date_out_of_range`, `inverted_range`.
pub fn parse_range(
    from: Option<&str>,
    to: Option<&str>,
) -> Result<domain::data::DateRange, app::error::AppError> {
    domain::data::DateRange::parse(from, to).map_err(|e| {
        app::error::AppError::invalid(e.field(), e.code(), format!("{}: {e}", e.field()))
    })
}

pub(crate) fn item<const N: usize>(
    id: Uuid,
    at: Option<OffsetDateTime>,
    fields: [(&str, Option<String>); N],
    deletable: bool,
) -> DataItem {
    DataItem {
        id: id.to_string(),
        at: at.map(rfc3339),
        day: None,
        fields: fields
            .into_iter()
            .filter_map(|(key, value)| {
                value.map(|value| DataField {
                    key: key.to_owned(),
                    value,
                })
            })
            .collect(),
        deletable,
    }
}

/// Records what the holder did, without the content (issue #5: "recorded as
/// an event in the holder's activity, without the deleted content").
pub(crate) async fn record_activity(
    db: &impl ConnectionTrait,
    account_id: Uuid,
    at: OffsetDateTime,
    action: &str,
    category: &str,
    items: u64,
    field: Option<&str>,
) -> Result<(), sea_orm::DbErr> {
    activity::ActiveModel {
        id: Set(Uuid::new_v4()),
        account_id: Set(account_id),
        action: Set(action.to_owned()),
        category: Set(category.to_owned()),
        items: Set(i32::try_from(items).unwrap_or(i32::MAX)),
        field: Set(field.map(str::to_owned)),
        at: Set(at),
    }
    .insert(db)
    .await?;
    Ok(())
}
