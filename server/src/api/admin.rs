//! `/api/v1/admin/*`: administrators only.

use super::{Administrator, ErrorBody};
use crate::errors::ServerResult;
use crate::state::AppState;
use axum::{Json, extract::State};
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
    Administrator(_admin): Administrator,
) -> ServerResult<Json<AuditPage>> {
    let (verdict, rows) = state.audit.latest(&state.db, 200).await?;
    let broken_at = verdict.broken_at();
    let entries = rows
        .into_iter()
        .map(|e| AuditEntry {
            seq: e.seq,
            at: crate::instant::rfc3339(e.at),
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

/// The stored deadline policies with their versions.
#[utoipa::path(get, path = "/api/v1/admin/policies", tag = "admin", operation_id = "list_stored_policies",
    responses((status = 200, body = Vec<crate::requests::StoredPolicy>), (status = 403, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn list_policies(
    State(state): State<AppState>,
    Administrator(_admin): Administrator,
) -> ServerResult<Json<Vec<crate::requests::StoredPolicy>>> {
    Ok(Json(state.requests.policies().await?))
}

/// Replaces a policy's rules; new requests use the new version, received ones keep theirs.
#[utoipa::path(put, path = "/api/v1/admin/policies/{name}", tag = "admin", params(("name" = String, Path)),
    request_body(content = Object, description = "the policy's rules, as GET /api/v1/policies shows them"),
    responses(
        (status = 200, body = crate::requests::StoredPolicy),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody),
    ),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn update_policy(
    State(state): State<AppState>,
    Administrator(me): Administrator,
    axum::extract::Path(name): axum::extract::Path<String>,
    super::AppJson(rules): super::AppJson<domain::deadlines::DeadlinePolicy>,
) -> ServerResult<Json<crate::requests::StoredPolicy>> {
    Ok(Json(state.requests.update_policy(&me, &name, rules).await?))
}
