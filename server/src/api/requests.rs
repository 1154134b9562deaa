//! `/api/v1/requests`: filing a request, following it, adding information.

use super::{AppJson, AppQuery, ClientAddr, CurrentUser, ErrorBody};
use crate::errors::ServerResult;
use crate::state::AppState;
use app::requests::{Acknowledgment, AttachmentView, NewMessage, NewRequest, RequestView};
use axum::{
    Json,
    body::Body,
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
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

/// Where an attachment goes: the request's tracking code (without a
/// session) and the file's name.
#[derive(Deserialize, IntoParams)]
pub struct AttachmentQuery {
    token: Option<String>,
    /// The file's name as the sender knows it (paths and control
    /// characters are removed).
    name: Option<String>,
}

/// Adds a file to an open request (its requester, by session or `?token=`):
/// the body is the file itself, at most 5 MB; PDF, PNG, JPEG, GIF, WebP or
/// plain text, told by the content (the `Content-Type` sent is ignored). At
/// most 3 per request.
#[utoipa::path(post, path = "/api/v1/requests/{ack}/attachments", tag = "requests",
    params(("ack" = String, Path), AttachmentQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "the file"),
    responses(
        (status = 201, body = AttachmentView),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`request_closed`, `too_many_attachments`", body = ErrorBody),
        (status = 413, description = "`attachment_too_large`: over 5 MB", body = ErrorBody),
        (status = 422, description = "`empty_attachment`, `unsupported_attachment`", body = ErrorBody),
        (status = 429, body = ErrorBody),
    ))]
pub async fn add_attachment(
    State(state): State<AppState>,
    Path(ack): Path<String>,
    AppQuery(query): AppQuery<AttachmentQuery>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    body: Body,
) -> ServerResult<Response> {
    let me = state.sessions.principal(&headers).await?;
    // The router's limit for this path is the attachment limit: a longer
    // body fails here, while it is read.
    let bytes = axum::body::to_bytes(body, usize::MAX).await.map_err(|_| {
        crate::requests::attachment_refusal(&domain::requests::complaint::AttachmentError::TooLarge)
    })?;
    let view = state
        .requests
        .attach(
            &ack,
            &caller(me.as_ref(), query.token.as_deref(), client),
            query.name.as_deref().unwrap_or_default(),
            &bytes,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

/// One attachment of a request, for its requester (session or `?token=`)
/// or staff (audited). Always offered as a download, never rendered.
#[utoipa::path(get, path = "/api/v1/requests/{ack}/attachments/{id}", tag = "requests",
    params(("ack" = String, Path), ("id" = String, Path), TokenQuery),
    responses(
        (status = 200, description = "the file", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 404, body = ErrorBody),
        (status = 429, body = ErrorBody),
    ))]
pub async fn download_attachment(
    State(state): State<AppState>,
    Path((ack, id)): Path<(String, String)>,
    AppQuery(query): AppQuery<TokenQuery>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
) -> ServerResult<Response> {
    let me = state.sessions.principal(&headers).await?;
    let file = state
        .requests
        .attachment(
            &ack,
            &caller(me.as_ref(), query.token.as_deref(), client),
            &id,
        )
        .await?;
    let disposition = format!(
        "attachment; filename=\"{}\"; filename*=UTF-8''{}",
        file.name
            .replace(|c: char| !c.is_ascii_graphic() && c != ' ', "_"),
        percent_encode(&file.name)
    );
    let mut response = (StatusCode::OK, file.bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(file.file_type.media_type()),
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    // Opened by mistake in a tab, nothing in it may run.
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox; default-src 'none'"),
    );
    Ok(response)
}

/// RFC 5987 encoding of a file name for `filename*`.
fn percent_encode(name: &str) -> String {
    name.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
