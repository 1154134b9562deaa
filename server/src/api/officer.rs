//! `/api/v1/officer/*`: the privacy officer's register and actions. Only
//! officers and administrators reach it.

use super::{AppJson, AppQuery, ErrorBody, Staff};
use crate::errors::ServerResult;
use crate::requests::{OfficerAction, RawRegisterFilter, RegisterFilter, RequestView, Withheld};
use crate::state::AppState;
use app::error::AppError;
use axum::{
    Json,
    extract::{Path, State},
};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Register filters.
#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
pub struct RegisterQuery {
    status: Option<String>,
    /// A request kind, e.g. `deletion`.
    kind: Option<String>,
    /// `me`, `none` (unassigned) or an officer's account ID.
    assignee: Option<String>,
    overdue: Option<bool>,
    /// Only `due` is supported: earliest due first.
    sort: Option<String>,
    due_within_days: Option<i64>,
    /// Rows per page, 1 to 500 (100 when absent).
    limit: Option<u64>,
    /// The `x-next-cursor` header of the previous page.
    after: Option<String>,
}

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
    if query.sort.as_deref().is_some_and(|s| s != "due") {
        return Err(
            AppError::invalid("sort", "invalid_sort", "sort: only due is supported.").into(),
        );
    }
    let filter = RegisterFilter::parse(
        &RawRegisterFilter {
            status: query.status.as_deref().unwrap_or_default(),
            kind: query.kind.as_deref().unwrap_or_default(),
            assignee: query.assignee.as_deref().unwrap_or_default(),
            overdue: query.overdue,
            due_within_days: query.due_within_days,
            limit: query.limit,
            after: query.after.as_deref(),
        },
        me.account_id,
    )?;
    let (rows, next) = state.requests.register(filter, state.clock.now()).await?;
    let mut response = Json(rows).into_response();
    if let Some(next) = next
        && let Ok(value) = axum::http::HeaderValue::from_str(&next.encode())
    {
        response.headers_mut().insert("x-next-cursor", value);
    }
    Ok(response)
}

/// The body of an officer action; each action reads the fields it needs.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ActionBody {
    assignee_id: Option<Uuid>,
    message: String,
    days: Option<u32>,
    reason: String,
    summary: String,
    withheld: Vec<Withheld>,
    text: String,
}

/// `assign`, `verify-identity`, `request-info`, `extend` `{days, reason}`,
/// `fulfil` `{summary}`, `partly-fulfil` `{summary, withheld}`, `refuse`
/// `{reason}`, `note` `{text}`.
#[utoipa::path(post, path = "/api/v1/officer/requests/{ack}/{action}", tag = "officer",
    params(("ack" = String, Path), ("action" = String, Path)), request_body = ActionBody,
    responses(
        (status = 200, body = RequestView),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`deadline_passed`, `extension_cap_exceeded`, `invalid_transition`, `request_closed`", body = ErrorBody),
        (status = 422, description = "a reason or summary is missing", body = ErrorBody),
    ),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn act(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path((ack, action)): Path<(String, String)>,
    AppJson(body): AppJson<ActionBody>,
) -> ServerResult<Json<RequestView>> {
    let action = match action.as_str() {
        "assign" => OfficerAction::Assign {
            assignee: body.assignee_id,
        },
        "verify-identity" => OfficerAction::VerifyIdentity,
        "request-info" => OfficerAction::RequestInfo {
            message: body.message,
        },
        "extend" => OfficerAction::Extend {
            days: body.days,
            reason: body.reason,
        },
        "fulfil" => OfficerAction::Fulfil {
            summary: body.summary,
        },
        "partly-fulfil" => OfficerAction::PartlyFulfil {
            summary: body.summary,
            withheld: body.withheld,
        },
        "refuse" => OfficerAction::Refuse {
            reason: body.reason,
        },
        "note" => OfficerAction::Note { text: body.text },
        _ => return Err(AppError::not_found().into()),
    };
    Ok(Json(state.requests.act(&me, &ack, action).await?))
}

/// Due soon, overdue, on-time rate, median days to answer.
#[utoipa::path(get, path = "/api/v1/officer/metrics", tag = "officer",
    responses((status = 200, body = crate::requests::Metrics), (status = 403, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn metrics(
    State(state): State<AppState>,
    Staff(_staff): Staff,
) -> ServerResult<Json<crate::requests::Metrics>> {
    Ok(Json(state.requests.metrics().await?))
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
    params(("ack" = String, Path), ("category" = String, Path), DataQuery),
    responses(
        (status = 200, description = "one page, as GET /api/v1/me/data/{category}", body = Object),
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
