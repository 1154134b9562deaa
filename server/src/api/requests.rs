//! `/api/v1/requests`: filing a request, following it, adding information.

use super::{AppJson, AppQuery, ClientAddr, CurrentUser, ErrorBody};
use crate::errors::ServerResult;
use crate::state::AppState;
use app::requests::{Acknowledgment, NewMessage, NewRequest, RequestView};
use axum::{
    Json,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use utoipa::IntoParams;

/// Files a request. `Idempotency-Key` makes a retry return the same request.
#[utoipa::path(post, path = "/api/v1/requests", tag = "requests", request_body = NewRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "a retry with the same key returns the same request")),
    responses(
        (status = 200, description = "a retry with the same `Idempotency-Key`: the request first filed", body = Acknowledgment),
        (status = 201, body = Acknowledgment),
        (status = 401, description = "`in_app` without a session", body = ErrorBody),
        (status = 422, body = ErrorBody),
        (status = 429, body = ErrorBody),
    ))]
pub async fn file_request(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    AppJson(body): AppJson<NewRequest>,
) -> ServerResult<Response> {
    let me = state.sessions.principal(&headers).await?;
    let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok());
    let receipt = state
        .requests
        .intake(body, key, me.as_ref(), client)
        .await?;
    let status = if receipt.replayed {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, Json(receipt.acknowledgment)).into_response())
}

/// The caller's requests, newest first.
#[utoipa::path(get, path = "/api/v1/requests", tag = "requests",
    responses((status = 200, body = Vec<RequestView>), (status = 401, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn list_my_requests(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
) -> ServerResult<Json<Vec<RequestView>>> {
    Ok(Json(state.requests.list_mine(&me).await?))
}

fn caller<'a>(
    me: Option<&'a crate::sessions::Principal>,
    token: Option<&'a str>,
    client: Option<std::net::IpAddr>,
) -> crate::requests::Caller<'a> {
    crate::requests::Caller { me, token, client }
}

/// The tracking token of a request filed without a session.
#[derive(Deserialize, IntoParams)]
pub struct TokenQuery {
    token: Option<String>,
}

/// One request with its timeline: for its requester (session or `?token=`) or staff.
#[utoipa::path(get, path = "/api/v1/requests/{ack}", tag = "requests", params(("ack" = String, Path), TokenQuery),
    responses((status = 200, body = RequestView), (status = 404, body = ErrorBody)))]
pub async fn get_request(
    State(state): State<AppState>,
    Path(ack): Path<String>,
    AppQuery(query): AppQuery<TokenQuery>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
) -> ServerResult<Json<RequestView>> {
    let me = state.sessions.principal(&headers).await?;
    Ok(Json(
        state
            .requests
            .view(&ack, &caller(me.as_ref(), query.token.as_deref(), client))
            .await?,
    ))
}

/// Adds information; a request waiting for it resumes and its clock runs again.
#[utoipa::path(post, path = "/api/v1/requests/{ack}/messages", tag = "requests", params(("ack" = String, Path), TokenQuery),
    request_body = NewMessage,
    responses((status = 200, body = RequestView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_message(
    State(state): State<AppState>,
    Path(ack): Path<String>,
    AppQuery(query): AppQuery<TokenQuery>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    AppJson(body): AppJson<NewMessage>,
) -> ServerResult<Json<RequestView>> {
    let me = state.sessions.principal(&headers).await?;
    Ok(Json(
        state
            .requests
            .add_message(
                &ack,
                &caller(me.as_ref(), query.token.as_deref(), client),
                &body.message,
            )
            .await?,
    ))
}

/// Withdraws an open request (its requester, by session or `?token=`).
#[utoipa::path(post, path = "/api/v1/requests/{ack}/withdraw", tag = "requests", params(("ack" = String, Path), TokenQuery),
    responses((status = 200, body = RequestView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn withdraw_request(
    State(state): State<AppState>,
    Path(ack): Path<String>,
    AppQuery(query): AppQuery<TokenQuery>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
) -> ServerResult<Json<RequestView>> {
    let me = state.sessions.principal(&headers).await?;
    Ok(Json(
        state
            .requests
            .withdraw(&ack, &caller(me.as_ref(), query.token.as_deref(), client))
            .await?,
    ))
}
