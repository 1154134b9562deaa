//! Extractors that reject with the API's own error body.

use crate::errors::ServerError;
use crate::sessions::Principal;
use crate::state::AppState;
use app::error::AppError;
use axum::{
    extract::{ConnectInfo, FromRequest, FromRequestParts, Request, rejection::JsonRejection},
    http::request::Parts,
};
use serde::de::DeserializeOwned;
use std::net::{IpAddr, SocketAddr};

/// A JSON body; a body that cannot be read answers 400, 415 or 422 in the
/// API's error format instead of axum's plain text.
pub struct AppJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for AppJson<T> {
    type Rejection = ServerError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(AppJson(value)),
            Err(rejection) => Err(json_error(&rejection).into()),
        }
    }
}

fn json_error(rejection: &JsonRejection) -> AppError {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => AppError::new(
            415,
            "unsupported_media_type",
            "Send the body as JSON with Content-Type: application/json.",
        ),
        JsonRejection::JsonSyntaxError(_) => {
            AppError::new(400, "invalid_json", "The body is not valid JSON.")
        }
        JsonRejection::JsonDataError(e) => {
            // serde names the offending field: "wrong type … at line 1 column 12"
            // is useless to a person, "email: invalid type" is not.
            let text = e.body_text();
            let detail = text
                .strip_prefix("Failed to deserialize the JSON body into the target type: ")
                .unwrap_or(&text)
                .to_owned();
            let field = detail
                .split_once(": ")
                .map(|(path, _)| path.to_owned())
                .filter(|f| !f.is_empty() && !f.contains(' '));
            AppError {
                field,
                ..AppError::new(422, "invalid_body", detail)
            }
        }
        // A body over the limit sent without Content-Length (chunked) is
        // only found too large while it is read: 413 all the same.
        other if other.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => AppError::new(
            413,
            "payload_too_large",
            "The body is larger than the portal accepts (1 MiB).",
        ),
        _ => AppError::new(400, "invalid_body", "The body could not be read."),
    }
}

/// A query string; one that does not fit answers 422 `invalid_query` in the
/// API's error format (naming the parameter), not axum's plain-text 400.
pub struct AppQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for AppQuery<T> {
    type Rejection = ServerError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(AppQuery(value)),
            Err(rejection) => {
                let text = rejection.body_text();
                let detail = text
                    .strip_prefix("Failed to deserialize query string: ")
                    .unwrap_or(&text)
                    .to_owned();
                let field = detail
                    .split_once(": ")
                    .map(|(name, _)| name.to_owned())
                    .filter(|f| !f.is_empty() && !f.contains(' '));
                Err(AppError {
                    field,
                    ..AppError::new(422, "invalid_query", detail)
                }
                .into())
            }
        }
    }
}

/// The signed-in caller; 401 without a live session.
pub struct CurrentUser(pub Principal);

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ServerError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        state
            .sessions
            .authenticate_parts(parts)
            .await
            .map(CurrentUser)
    }
}

/// The signed-in caller if `allowed` admits their role: 401 without a
/// session, 403 otherwise, before anything else of the request is read.
async fn gate(
    parts: &mut Parts,
    state: &AppState,
    allowed: fn(domain::Role) -> bool,
) -> Result<Principal, ServerError> {
    let CurrentUser(me) = CurrentUser::from_request_parts(parts, state).await?;
    if allowed(me.role) {
        Ok(me)
    } else {
        tracing::warn!(account.id = %me.account_id, path = parts.uri.path(), "route refused to the role");
        Err(AppError::forbidden().into())
    }
}

/// A signed-in officer or administrator: 401 without a session, 403 for a
/// holder, both before the body is read (the services check again).
pub struct Staff(pub Principal);

impl FromRequestParts<AppState> for Staff {
    type Rejection = ServerError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        gate(parts, state, domain::Role::is_staff).await.map(Staff)
    }
}

/// A signed-in administrator: 401 without a session, 403 for anyone else,
/// both before the body is read (the services check again).
pub struct Administrator(pub Principal);

impl FromRequestParts<AppState> for Administrator {
    type Rejection = ServerError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        gate(parts, state, |role| role == domain::Role::Admin)
            .await
            .map(Administrator)
    }
}

/// The client's `User-Agent`, for the holder's sign-in log and devices.
pub struct UserAgent(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for UserAgent {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(UserAgent(user_agent(parts).map(str::to_owned)))
    }
}

/// The `User-Agent` of a request, when it is text.
#[must_use]
pub fn user_agent(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get(axum::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
}

/// The client's address, for throttling (never logged, never stored in clear).
pub struct ClientAddr(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(client_ip(parts)))
    }
}

/// The peer address of a request, when the server was started with connect info.
#[must_use]
pub fn client_ip(parts: &Parts) -> Option<IpAddr> {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())
}
