//! `/api/v1/me/consents*` and `/api/v1/collect/{feature}`: consent feature by
//! feature, its receipts, and the collection that obeys it (DESIGN §2, §9).

use super::{AppJson, CurrentUser, ErrorBody};
use crate::data::consent::gpc_signal;
use crate::errors::ServerResult;
use crate::state::AppState;
use app::consents::{
    Collected, ConsentChange, ConsentReceipt, ConsentView, GuardianAsk, GuardianLink, NewPolicy,
    PolicyAcceptance, PolicyStatus, PolicyVersion, Stored,
};
use app::error::AppError;
use axum::{
    Json,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
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
    headers: HeaderMap,
) -> ServerResult<Json<Vec<ConsentView>>> {
    Ok(Json(
        state
            .data
            .consents(me.account_id, gpc_signal(&headers))
            .await?,
    ))
}

/// Grants or withdraws a feature. `{granted: false, clear: true}` also
/// deletes what it collected, in the same change (needs `POST
/// /api/v1/auth/reauth` within 5 minutes). A holder aged 13–17 granting a
/// sensitive feature names `guardian_email`: the feature waits
/// (`awaiting_guardian`) until the guardian confirms by the e-mailed link.
/// Every change leaves a receipt.
#[utoipa::path(put, path = "/api/v1/me/consents/{feature}", tag = "consents",
    params(("feature" = Feature, Path)), request_body = ConsentChange,
    responses(
        (status = 200, body = ConsentView),
        (status = 403, description = "`reauth_required` to clear", body = ErrorBody),
        (status = 404, description = "`unknown_feature`", body = ErrorBody),
        (status = 409, description = "`policy_not_accepted`: accept the privacy policy in force first; `gpc_signal`: the browser's Global Privacy Control keeps marketing and ads off", body = ErrorBody),
        (status = 422, description = "`invalid_clear`: clear goes with turning off; `guardian_email_required`, `invalid_email`, `guardian_is_holder`", body = ErrorBody),
        (status = 429, description = "`too_many_mails` to the guardian's address today", body = ErrorBody),
    ),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn change(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
    headers: HeaderMap,
    Path(raw): Path<String>,
    AppJson(body): AppJson<ConsentChange>,
) -> ServerResult<Json<ConsentView>> {
    let feature = feature(&raw)?;
    Ok(Json(
        state
            .data
            .change_consent(
                &me,
                feature,
                body,
                ConsentChannel::Api,
                gpc_signal(&headers),
            )
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
        (status = 403, description = "`consent_required`: the feature is not granted; `policy_not_accepted`: the holder has yet to accept the privacy policy in force", body = ErrorBody),
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

/// Every published privacy-policy version, newest first (public).
#[utoipa::path(get, path = "/api/v1/privacy-policies", tag = "consents",
    responses((status = 200, body = Vec<PolicyVersion>)))]
pub async fn policies(State(state): State<AppState>) -> ServerResult<Json<Vec<PolicyVersion>>> {
    Ok(Json(state.data.policies().await?))
}

/// Where the caller stands with the privacy policy in force.
#[utoipa::path(get, path = "/api/v1/me/privacy-policy", tag = "consents",
    responses((status = 200, body = PolicyStatus), (status = 401, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn policy_status(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
) -> ServerResult<Json<PolicyStatus>> {
    Ok(Json(state.data.policy_status(me.account_id).await?))
}

/// Accepts the version in force (a receipt with `feature: null`); until a
/// holder does, the consent-based features stay off.
#[utoipa::path(post, path = "/api/v1/me/privacy-policy/accept", tag = "consents",
    request_body = PolicyAcceptance,
    responses(
        (status = 200, body = PolicyStatus),
        (status = 403, description = "staff accept no policy here", body = ErrorBody),
        (status = 409, description = "`policy_outdated`: another version is in force", body = ErrorBody),
    ),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn accept_policy(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
    AppJson(body): AppJson<PolicyAcceptance>,
) -> ServerResult<Json<PolicyStatus>> {
    Ok(Json(
        state
            .data
            .accept_policy(&me, &body.version, ConsentChannel::Api)
            .await?,
    ))
}

/// Publishes a new privacy-policy version (administrators): every holder is
/// asked to accept it on their next visit.
#[utoipa::path(post, path = "/api/v1/admin/privacy-policies", tag = "admin",
    request_body = NewPolicy,
    responses(
        (status = 201, body = PolicyVersion),
        (status = 403, body = ErrorBody),
        (status = 409, description = "`version_exists`", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn publish_policy(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
    AppJson(body): AppJson<NewPolicy>,
) -> ServerResult<Response> {
    let published = state.data.publish_policy(&me, &body).await?;
    Ok((StatusCode::CREATED, Json(published)).into_response())
}

/// What a guardian's e-mailed link asks (the token travels in the body, never
/// in a URL that logs keep).
#[utoipa::path(post, path = "/api/v1/guardian/lookup", tag = "consents",
    request_body = GuardianLink,
    responses(
        (status = 200, body = GuardianAsk),
        (status = 410, description = "`link_expired`: unknown, used, withdrawn or older than 7 days", body = ErrorBody),
    ))]
pub async fn guardian_lookup(
    State(state): State<AppState>,
    AppJson(body): AppJson<GuardianLink>,
) -> ServerResult<Json<GuardianAsk>> {
    Ok(Json(state.data.guardian_ask(&body.token).await?))
}

/// The guardian agrees: the minor's feature is granted (a receipt of
/// channel `guardian`). The link works once.
#[utoipa::path(post, path = "/api/v1/guardian/confirm", tag = "consents",
    request_body = GuardianLink,
    responses(
        (status = 200, body = GuardianAsk),
        (status = 410, description = "`link_expired`", body = ErrorBody),
    ))]
pub async fn guardian_confirm(
    State(state): State<AppState>,
    AppJson(body): AppJson<GuardianLink>,
) -> ServerResult<Json<GuardianAsk>> {
    Ok(Json(state.data.confirm_guardian(&body.token).await?))
}
