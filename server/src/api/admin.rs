//! `/api/v1/admin/*`: administrators only.

use super::{Administrator, ErrorBody};
use crate::errors::ServerResult;
use crate::state::AppState;
use app::requests::{AuditPage, StoredPolicy};
use axum::{Json, extract::State};
use domain::deadlines::DeadlinePolicy;

/// The audit log, newest first (200 entries).
#[utoipa::path(get, path = "/api/v1/admin/audit", tag = "admin",
    responses((status = 200, body = AuditPage), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn audit(
    State(state): State<AppState>,
    Administrator(admin): Administrator,
) -> ServerResult<Json<AuditPage>> {
    Ok(Json(state.requests.audit_page(&admin).await?))
}

/// The stored deadline policies with their versions.
#[utoipa::path(get, path = "/api/v1/admin/policies", tag = "admin", operation_id = "list_stored_policies",
    responses((status = 200, body = Vec<StoredPolicy>), (status = 403, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn list_policies(
    State(state): State<AppState>,
    Administrator(admin): Administrator,
) -> ServerResult<Json<Vec<StoredPolicy>>> {
    Ok(Json(state.requests.policies(&admin).await?))
}

/// Replaces a policy's rules; new requests use the new version, received ones keep theirs.
#[utoipa::path(put, path = "/api/v1/admin/policies/{name}", tag = "admin", params(("name" = String, Path)),
    request_body(content = DeadlinePolicy, description = "the policy's rules, as GET /api/v1/policies shows them"),
    responses(
        (status = 200, body = StoredPolicy),
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
) -> ServerResult<Json<StoredPolicy>> {
    Ok(Json(state.requests.update_policy(&me, &name, rules).await?))
}
