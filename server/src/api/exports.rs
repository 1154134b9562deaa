//! `/api/v1/me/exports*`: the holder's data as one ZIP, built in the
//! background, downloaded (resumably) for 7 days after the password again.

use super::{AppJson, CurrentUser, ErrorBody, ErrorDetail};
use crate::errors::ServerResult;
use crate::state::AppState;
use app::exports::{ExportQueued, ExportView, NewExport};
use axum::{
    Json,
    body::Body,
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Serialize;
use tower::ServiceExt;
use utoipa::ToSchema;

/// 409: an export of the holder's is already queued or building.
#[derive(Serialize, ToSchema)]
pub struct ExportRunning {
    error: ErrorDetail,
    /// The running export: follow it, or `DELETE` it first.
    export_id: String,
}

/// Queues an export of the whole account, or of `categories`. Follow it with
/// `GET /api/v1/me/exports/{id}`.
#[utoipa::path(post, path = "/api/v1/me/exports", tag = "exports",
    request_body = NewExport,
    responses(
        (status = 202, body = ExportQueued),
        (status = 401, body = ErrorBody),
        (status = 409, description = "`export_running`: one export at a time", body = ExportRunning),
    ),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn start_export(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
    AppJson(body): AppJson<NewExport>,
) -> ServerResult<Response> {
    Ok(match state.exports.start(&me, body).await? {
        Ok(export) => (
            StatusCode::ACCEPTED,
            Json(ExportQueued {
                export_id: export.id.clone(),
                export,
            }),
        )
            .into_response(),
        Err(running) => (
            StatusCode::CONFLICT,
            Json(ExportRunning {
                error: ErrorDetail {
                    code: "export_running".to_owned(),
                    message: format!(
                        "Export {running} is being prepared; wait for it or DELETE it first."
                    ),
                    field: None,
                },
                export_id: running.to_string(),
            }),
        )
            .into_response(),
    })
}

/// The caller's exports, newest first (the last 20).
#[utoipa::path(get, path = "/api/v1/me/exports", tag = "exports",
    responses((status = 200, body = Vec<ExportView>), (status = 401, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn list_exports(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
) -> ServerResult<Json<Vec<ExportView>>> {
    Ok(Json(state.exports.list(me.account_id).await?))
}

/// One export: `status` and `progress` (0–100).
#[utoipa::path(get, path = "/api/v1/me/exports/{id}", tag = "exports",
    params(("id" = String, Path)),
    responses((status = 200, body = ExportView), (status = 401, body = ErrorBody),
        (status = 404, description = "`export_not_found`", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn get_export(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
    Path(id): Path<String>,
) -> ServerResult<Json<ExportView>> {
    Ok(Json(state.exports.get(me.account_id, &id).await?))
}

/// Cancels a running export or deletes a finished one with its file.
#[utoipa::path(delete, path = "/api/v1/me/exports/{id}", tag = "exports",
    params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody),
        (status = 404, description = "`export_not_found`", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn remove_export(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
    Path(id): Path<String>,
) -> ServerResult<StatusCode> {
    state.exports.remove(&me, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The archive, streamed from storage; `Range` resumes a broken download.
/// Needs `POST /api/v1/auth/reauth` within 5 minutes.
#[utoipa::path(get, path = "/api/v1/me/exports/{id}/download", tag = "exports",
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "the ZIP", content_type = "application/zip", body = Vec<u8>),
        (status = 206, description = "the range asked for", content_type = "application/zip", body = Vec<u8>),
        (status = 401, body = ErrorBody),
        (status = 403, description = "`reauth_required`", body = ErrorBody),
        (status = 404, description = "`export_not_found` (also another account's)", body = ErrorBody),
        (status = 409, description = "`export_not_ready`", body = ErrorBody),
        (status = 410, description = "`export_expired`: deleted after 7 days", body = ErrorBody),
        (status = 416, description = "a range outside the file"),
    ),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn download_export(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ServerResult<Response> {
    let file = state.exports.download(&me, &id).await?;
    let mut request = axum::http::Request::builder().uri("/");
    for name in [header::RANGE, header::IF_RANGE] {
        if let Some(value) = headers.get(&name) {
            request = request.header(name, value);
        }
    }
    let request = request.body(Body::empty()).map_err(anyhow::Error::from)?;
    let served = tower_http::services::ServeFile::new_with_mime(
        &file.path,
        &"application/zip".parse().map_err(anyhow::Error::from)?,
    )
    .oneshot(request)
    .await
    .map_err(anyhow::Error::from)?;
    let (mut parts, body) = served.into_parts();
    parts.headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!("attachment; filename=\"{}\"", file.file_name))
            .map_err(anyhow::Error::from)?,
    );
    parts
        .headers
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    parts.headers.remove(header::LAST_MODIFIED);
    Ok(Response::from_parts(parts, Body::new(body)))
}
