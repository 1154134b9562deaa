//! `/api/v1/admin/incidents*` and `/api/v1/me/incidents*`: incident notices.

use super::{Administrator, AppJson, CurrentUser, ErrorBody};
use crate::errors::ServerResult;
use crate::state::AppState;
use app::incidents::{HolderIncident, IncidentDraft, IncidentView};
use axum::{
    Json,
    extract::{Path, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};

/// Every notice, newest first, with delivery and acknowledgment counts.
#[utoipa::path(get, path = "/api/v1/admin/incidents", tag = "admin",
    responses((status = 200, body = Vec<IncidentView>), (status = 403, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn list_incidents(
    State(state): State<AppState>,
    Administrator(admin): Administrator,
) -> ServerResult<Json<Vec<IncidentView>>> {
    Ok(Json(state.incidents.list(&admin).await?))
}

/// Drafts a notice (both languages, the audience; `follows` for an update
/// of a published one).
#[utoipa::path(post, path = "/api/v1/admin/incidents", tag = "admin", request_body = IncidentDraft,
    responses(
        (status = 201, body = IncidentView),
        (status = 403, body = ErrorBody),
        (status = 422, description = "a field: `required`, `too_long`, `invalid_choice`, `unknown_account`, `invalid_follows`", body = ErrorBody),
    ),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn draft_incident(
    State(state): State<AppState>,
    Administrator(admin): Administrator,
    AppJson(draft): AppJson<IncidentDraft>,
) -> ServerResult<Response> {
    let view = state.incidents.save(&admin, None, draft).await?;
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

/// One notice with its counts.
#[utoipa::path(get, path = "/api/v1/admin/incidents/{id}", tag = "admin", params(("id" = String, Path)),
    responses((status = 200, body = IncidentView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn get_incident(
    State(state): State<AppState>,
    Administrator(admin): Administrator,
    Path(id): Path<String>,
) -> ServerResult<Json<IncidentView>> {
    Ok(Json(state.incidents.get(&admin, &id).await?))
}

/// Changes a draft; a published notice answers 409 `incident_published`.
#[utoipa::path(put, path = "/api/v1/admin/incidents/{id}", tag = "admin", params(("id" = String, Path)), request_body = IncidentDraft,
    responses(
        (status = 200, body = IncidentView),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`incident_published`", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn change_incident(
    State(state): State<AppState>,
    Administrator(admin): Administrator,
    Path(id): Path<String>,
    AppJson(draft): AppJson<IncidentDraft>,
) -> ServerResult<Json<IncidentView>> {
    Ok(Json(state.incidents.save(&admin, Some(&id), draft).await?))
}

/// Publishes a draft: every affected holder gets it as a banner until
/// acknowledged, in the inbox and by e-mail. Audited.
#[utoipa::path(post, path = "/api/v1/admin/incidents/{id}/publish", tag = "admin", params(("id" = String, Path)),
    responses(
        (status = 200, body = IncidentView),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`incident_published`", body = ErrorBody),
    ),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn publish_incident(
    State(state): State<AppState>,
    Administrator(admin): Administrator,
    Path(id): Path<String>,
) -> ServerResult<Json<IncidentView>> {
    Ok(Json(state.incidents.publish(&admin, &id).await?))
}

/// Who got a notice, when its e-mail went and when they acknowledged it, as
/// CSV for the regulator's report.
#[utoipa::path(get, path = "/api/v1/admin/incidents/{id}/deliveries.csv", tag = "admin", params(("id" = String, Path)),
    responses(
        (status = 200, description = "`account_id,delivered_at,email_sent_at,acknowledged_at`", content_type = "text/csv"),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn deliveries_csv(
    State(state): State<AppState>,
    Administrator(admin): Administrator,
    Path(id): Path<String>,
) -> ServerResult<Response> {
    let csv = state.incidents.deliveries_csv(&admin, &id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"incident-{}-deliveries.csv\"",
                    id.trim()
                ),
            ),
        ],
        csv,
    )
        .into_response())
}

/// The caller's incident notices not yet acknowledged.
#[utoipa::path(get, path = "/api/v1/me/incidents", tag = "me",
    responses((status = 200, body = Vec<HolderIncident>), (status = 401, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn my_incidents(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
) -> ServerResult<Json<Vec<HolderIncident>>> {
    Ok(Json(state.incidents.mine(&me).await?))
}

/// The caller has read a notice: its banner goes.
#[utoipa::path(post, path = "/api/v1/me/incidents/{id}/acknowledge", tag = "me", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn acknowledge_incident(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
    Path(id): Path<String>,
) -> ServerResult<StatusCode> {
    state.incidents.acknowledge(&me, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
