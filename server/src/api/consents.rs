//! `/api/v1/me/consents*` and `/api/v1/collect/{feature}`: consent feature by
//! feature, its receipts, and the collection that obeys it (DESIGN §2, §9).

use super::{AppJson, CurrentUser, ErrorBody};
use crate::errors::ServerResult;
use crate::state::AppState;
use app::consents::{Collected, ConsentChange, ConsentReceipt, ConsentView, Stored};
use app::error::AppError;
use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use domain::consent::{ConsentChannel, Feature};

/// A feature named in a path.
fn feature(raw: &str) -> Result<Feature, AppError> {
    Feature::parse(raw).ok_or_else(|| {
        AppError::new(
            404,
            "unknown_feature",
            format!("There is no consent feature {raw:?}; GET /api/v1/me/consents lists them."),
        )
    })
}

/// Every feature with where it stands.
#[utoipa::path(get, path = "/api/v1/me/consents", tag = "consents",
    responses((status = 200, body = Vec<ConsentView>), (status = 401, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn list(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
) -> ServerResult<Json<Vec<ConsentView>>> {
    Ok(Json(state.data.consents(me.account_id).await?))
}

/// Grants or withdraws a feature. `{granted: false, clear: true}` also
/// deletes what it collected, in the same change (needs `POST
/// /api/v1/auth/reauth` within 5 minutes). Every change leaves a receipt.
#[utoipa::path(put, path = "/api/v1/me/consents/{feature}", tag = "consents",
    params(("feature" = Feature, Path)), request_body = ConsentChange,
    responses(
        (status = 200, body = ConsentView),
        (status = 403, description = "`reauth_required` to clear", body = ErrorBody),
        (status = 404, description = "`unknown_feature`", body = ErrorBody),
        (status = 422, description = "`invalid_clear`: clear goes with turning off", body = ErrorBody),
    ),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn change(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
    Path(raw): Path<String>,
    AppJson(body): AppJson<ConsentChange>,
) -> ServerResult<Json<ConsentView>> {
    let feature = feature(&raw)?;
    Ok(Json(
        state
            .data
            .change_consent(&me, feature, body, ConsentChannel::Api)
            .await?,
    ))
}

/// The receipts of every grant and withdrawal, newest first.
#[utoipa::path(get, path = "/api/v1/me/consents/history", tag = "consents",
    responses((status = 200, body = Vec<ConsentReceipt>), (status = 401, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn history(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
) -> ServerResult<Json<Vec<ConsentReceipt>>> {
    Ok(Json(state.data.consent_history(me.account_id).await?))
}

/// What the product's apps collect for the signed-in holder: stored only
/// while the feature is granted.
#[utoipa::path(post, path = "/api/v1/collect/{feature}", tag = "consents",
    params(("feature" = Feature, Path)), request_body = Collected,
    responses(
        (status = 201, body = Stored),
        (status = 403, description = "`consent_required`: the feature is not granted", body = ErrorBody),
        (status = 404, description = "`unknown_feature`, or a feature that collects nothing", body = ErrorBody),
        (status = 422, description = "a field is missing or out of range", body = ErrorBody),
    ),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn collect(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
    Path(raw): Path<String>,
    AppJson(body): AppJson<Collected>,
) -> ServerResult<Response> {
    let feature = feature(&raw)?;
    let stored = state.data.collect(&me, feature, &body).await?;
    Ok((StatusCode::CREATED, Json(stored)).into_response())
}
