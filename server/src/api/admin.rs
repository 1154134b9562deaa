//! `/api/v1/admin/*`: administrators only.

use super::{CurrentUser, ErrorBody};
use crate::entities::audit_log;
use crate::errors::ServerResult;
use crate::startup::AppState;
use app::error::AppError;
use axum::{Json, extract::State};
use domain::Role;
use sea_orm::{EntityTrait, QueryOrder, QuerySelect};
use serde::Serialize;
use utoipa::ToSchema;

/// An audit entry.
#[derive(Serialize, ToSchema)]
pub struct AuditEntry {
    seq: i64,
    at: String,
    actor_id: Option<String>,
    actor_role: String,
    action: String,
    subject: String,
    detail: String,
    hash: String,
}

/// The latest audit entries and whether the chain verifies.
#[derive(Serialize, ToSchema)]
pub struct AuditPage {
    /// The whole chain verifies.
    chain_intact: bool,
    /// The first entry that does not, if any.
    broken_at: Option<i64>,
    entries: Vec<AuditEntry>,
}

/// The audit log, newest first (200 entries).
#[utoipa::path(get, path = "/api/v1/admin/audit", tag = "admin",
    responses((status = 200, body = AuditPage), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn audit(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
) -> ServerResult<Json<AuditPage>> {
    if me.role != Role::Admin {
        return Err(AppError::forbidden().into());
    }
    let broken_at = crate::audit::first_broken(&state.db).await?;
    let rows = audit_log::Entity::find()
        .order_by_desc(audit_log::Column::Seq)
        .limit(200)
        .all(&state.db)
        .await?;
    let entries = rows
        .into_iter()
        .map(|e| AuditEntry {
            seq: e.seq,
            at: e
                .at
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
            actor_id: e.actor_id.map(|id| id.to_string()),
            actor_role: e.actor_role,
            action: e.action,
            subject: e.subject,
            detail: e.detail,
            hash: e.hash,
        })
        .collect();
    Ok(Json(AuditPage {
        chain_intact: broken_at.is_none(),
        broken_at,
        entries,
    }))
}
