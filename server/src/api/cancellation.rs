//! `/api/v1/me/cancellation` (the holder cancels, follows and undoes) and
//! `/api/v1/admin/accounts/{id}/freeze`, `/api/v1/admin/settings` (legal
//! holds and the cooling-off period).

use super::{Administrator, AppJson, CurrentUser, ErrorBody};
use crate::errors::ServerResult;
use crate::state::AppState;
use app::cancellation::{
    CancellationStatus, CancellationView, FreezeBody, FreezeView, PortalSettings, SettingsChange,
};
use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};

/// Where the caller's account stands: the cooling-off period, a running
/// cancellation, a legal hold.
#[utoipa::path(get, path = "/api/v1/me/cancellation", tag = "me",
    responses((status = 200, body = CancellationStatus), (status = 401, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn cancellation_status(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
) -> ServerResult<Json<CancellationStatus>> {
    Ok(Json(state.cancellations.status(&me).await?))
}

/// Cancels the account: it is erased at `effective_at` (after the
/// cooling-off period) unless undone. Needs `POST /api/v1/auth/reauth`
/// within 5 minutes. Consent-based collection stops at once.
#[utoipa::path(post, path = "/api/v1/me/cancellation", tag = "me",
    responses(
        (status = 202, body = CancellationView),
        (status = 401, body = ErrorBody),
        (status = 403, description = "`reauth_required`; `staff_account`", body = ErrorBody),
        (status = 409, description = "`account_frozen` (with the reason); `already_cancelling`", body = ErrorBody),
    ),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn cancel_account(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
) -> ServerResult<(StatusCode, Json<CancellationView>)> {
    Ok((
        StatusCode::ACCEPTED,
        Json(state.cancellations.cancel(&me).await?),
    ))
}

/// Undoes the cancellation; the account stays.
#[utoipa::path(delete, path = "/api/v1/me/cancellation", tag = "me",
    responses(
        (status = 204, description = "undone"),
        (status = 401, body = ErrorBody),
        (status = 404, description = "`no_cancellation`", body = ErrorBody),
    ),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn undo_cancellation(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
) -> ServerResult<StatusCode> {
    state.cancellations.undo(&me).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Puts an account under a legal hold: nothing of it can be deleted and it
/// cannot be cancelled until released; a running cancellation's clock stops.
#[utoipa::path(post, path = "/api/v1/admin/accounts/{id}/freeze", tag = "admin",
    params(("id" = String, Path, description = "the account ID")),
    request_body = FreezeBody,
    responses(
        (status = 200, body = FreezeView),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, description = "`account_not_found`", body = ErrorBody),
        (status = 422, description = "`invalid_reason`", body = ErrorBody),
    ),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn freeze_account(
    State(state): State<AppState>,
    Administrator(admin): Administrator,
    Path(id): Path<String>,
    AppJson(body): AppJson<FreezeBody>,
) -> ServerResult<Json<FreezeView>> {
    Ok(Json(
        state
            .cancellations
            .freeze(&admin, &id, &body.reason)
            .await?,
    ))
}

/// Releases a legal hold; a held cancellation resumes with the time it had
/// left.
#[utoipa::path(delete, path = "/api/v1/admin/accounts/{id}/freeze", tag = "admin",
    params(("id" = String, Path, description = "the account ID")),
    responses(
        (status = 204, description = "released"),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, description = "`account_not_found`; `not_frozen`", body = ErrorBody),
    ),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn release_account(
    State(state): State<AppState>,
    Administrator(admin): Administrator,
    Path(id): Path<String>,
) -> ServerResult<StatusCode> {
    state.cancellations.release(&admin, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The settings an administrator may change.
#[utoipa::path(get, path = "/api/v1/admin/settings", tag = "admin",
    responses((status = 200, body = PortalSettings), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn portal_settings(
    State(state): State<AppState>,
    Administrator(admin): Administrator,
) -> ServerResult<Json<PortalSettings>> {
    Ok(Json(state.cancellations.settings(&admin).await?))
}

/// Changes the settings given (audited); running cancellations keep their
/// date, answers already given keep their regulator line.
#[utoipa::path(put, path = "/api/v1/admin/settings", tag = "admin",
    request_body = SettingsChange,
    responses(
        (status = 200, body = PortalSettings),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, description = "`invalid_period`: 1–90 days; `required` or `too_long` for `regulator_notice`", body = ErrorBody),
    ),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn save_portal_settings(
    State(state): State<AppState>,
    Administrator(admin): Administrator,
    AppJson(body): AppJson<SettingsChange>,
) -> ServerResult<Json<PortalSettings>> {
    Ok(Json(
        state.cancellations.save_settings(&admin, &body).await?,
    ))
}
