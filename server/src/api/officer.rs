//! `/api/v1/officer/*`: the privacy officer's register and actions. Only
//! officers and administrators reach it.

use super::{AppJson, AppQuery, ErrorBody, Staff};
use crate::errors::ServerResult;
use crate::requests::OfficerAction;
use crate::state::AppState;
use app::error::AppError;
use app::requests::{ActionBody, Metrics, RegisterQuery, RequestView};
use axum::{
    Json,
    extract::{Path, State},
};
use domain::requests::Verb;
use serde::Deserialize;
use utoipa::IntoParams;

/// The request register, sorted by due instant.
#[utoipa::path(get, path = "/api/v1/officer/requests", tag = "officer", params(RegisterQuery),
    responses(
        (status = 200, body = Vec<RequestView>, headers(("x-next-cursor" = String, description = "pass as `after` for the next page; absent on the last"))),
        (status = 401, body = ErrorBody),
        (status = 403, description = "not an officer or administrator", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn list_requests(
    State(state): State<AppState>,
    Staff(me): Staff,
    AppQuery(query): AppQuery<RegisterQuery>,
) -> ServerResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let (rows, next) = state.requests.register(&me, &query).await?;
    let mut response = Json(rows).into_response();
    if let Some(next) = next
        && let Ok(value) = axum::http::HeaderValue::from_str(&next.encode())
    {
        response.headers_mut().insert("x-next-cursor", value);
    }
    Ok(response)
}

/// `assign`, `verify-identity`, `request-info`, `extend` `{days, reason}`,
/// `fulfil` `{summary}`, `partly-fulfil` `{summary, withheld}`, `refuse`
/// `{reason}`, `note` `{text}`.
#[utoipa::path(post, path = "/api/v1/officer/requests/{ack}/{action}", tag = "officer",
    params(("ack" = String, Path), ("action" = Verb, Path)), request_body = ActionBody,
    responses(
        (status = 200, body = RequestView),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`deadline_passed`, `extension_cap_exceeded`, `invalid_transition`, `request_closed`", body = ErrorBody),
        (status = 422, description = "a reason or summary is missing; `invalid_assignee`", body = ErrorBody),
    ),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn act(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path((ack, action)): Path<(String, String)>,
    AppJson(body): AppJson<ActionBody>,
) -> ServerResult<Json<RequestView>> {
    let verb = Verb::parse(&action).ok_or_else(AppError::not_found)?;
    let action = OfficerAction::from_wire(verb, body)?;
    Ok(Json(state.requests.act(&me, &ack, action).await?))
}

/// Due soon, overdue, on-time rate, median days to answer.
#[utoipa::path(get, path = "/api/v1/officer/metrics", tag = "officer",
    responses((status = 200, body = Metrics), (status = 403, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn metrics(
    State(state): State<AppState>,
    Staff(me): Staff,
) -> ServerResult<Json<Metrics>> {
    Ok(Json(state.requests.dashboard(&me).await?))
}

/// The register as CSV.
#[utoipa::path(get, path = "/api/v1/officer/requests.csv", tag = "officer",
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn register_csv(
    State(state): State<AppState>,
    Staff(_staff): Staff,
) -> ServerResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let csv = state.requests.register_csv().await?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                axum::http::header::CONTENT_DISPOSITION,
                "attachment; filename=\"request-register.csv\"",
            ),
        ],
        csv,
    )
        .into_response())
}

/// Paging of the requester's data.
#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
pub struct DataQuery {
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// The requester's data of one category, for the officer the request is
/// assigned to; every look is in the audit log.
#[utoipa::path(get, path = "/api/v1/officer/requests/{ack}/data/{category}", tag = "officer",
    params(("ack" = String, Path), ("category" = domain::data::Category, Path), DataQuery),
    responses(
        (status = 200, description = "one page, as GET /api/v1/me/data/{category}", body = app::data::DataPage),
        (status = 403, description = "`not_assignee`", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`no_account`, `request_closed`", body = ErrorBody),
    ),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn requester_data(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path((ack, category)): Path<(String, String)>,
    AppQuery(query): AppQuery<DataQuery>,
) -> ServerResult<Json<app::data::DataPage>> {
    let category = crate::data::parse_category(&category)?;
    Ok(Json(
        state
            .data
            .requester_page(
                &state.requests,
                &me,
                &ack,
                category,
                query.cursor.as_deref(),
            )
            .await?,
    ))
}
