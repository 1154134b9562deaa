//! `/api/v1/officer/*`: the privacy officer's register. Only staff reach it.

use super::{CurrentUser, ErrorBody};
use crate::errors::ServerResult;
use app::error::AppError;
use axum::response::Response;

/// The request register. Holders get 403. The register itself arrives with
/// the requests issue; until then staff get an honest 501.
#[utoipa::path(get, path = "/api/v1/officer/requests", tag = "officer",
    responses(
        (status = 401, body = ErrorBody),
        (status = 403, description = "not an officer or administrator", body = ErrorBody),
        (status = 501, description = "the register is not built yet", body = ErrorBody),
    ),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn list_requests(CurrentUser(me): CurrentUser) -> ServerResult<Response> {
    if !me.role.is_staff() {
        tracing::warn!(account.id = %me.account_id, "officer route refused");
        return Err(AppError::forbidden().into());
    }
    Err(AppError::new(
        501,
        "not_implemented",
        "The request register is not available yet.",
    )
    .into())
}
