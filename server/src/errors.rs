//! The server's error type. Services return [`ServerError`]: either an
//! [`AppError`] a person can act on (4xx, passed through as it is), or an
//! internal failure that is logged once here and shown only as
//! "Something went wrong".
//!
//! The REST API answers with the JSON body of DESIGN §9; server functions
//! get the `AppError` itself.

use app::error::AppError;
use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde_json::json;

/// What a service can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The caller's mistake or a refusal by the rules.
    #[error(transparent)]
    Client(#[from] AppError),
    /// Our failure; the cause is logged, never shown.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sea_orm::DbErr> for ServerError {
    fn from(e: sea_orm::DbErr) -> Self {
        ServerError::Internal(e.into())
    }
}

impl From<std::io::Error> for ServerError {
    fn from(e: std::io::Error) -> Self {
        ServerError::Internal(e.into())
    }
}

impl From<domain::AccountError> for ServerError {
    fn from(e: domain::AccountError) -> Self {
        ServerError::Client(e.into())
    }
}

impl From<domain::data::FieldError> for ServerError {
    fn from(e: domain::data::FieldError) -> Self {
        ServerError::Client(e.into())
    }
}

impl ServerError {
    /// The error as the client sees it; internal causes are logged here.
    #[must_use]
    pub fn into_app_error(self) -> AppError {
        match self {
            ServerError::Client(e) => e,
            ServerError::Internal(cause) => {
                tracing::error!(error = format!("{cause:#}"), "internal error");
                AppError::internal()
            }
        }
    }
}

/// A refusal by the deadline engine: 409 when the rules refuse (a late or
/// capped extension), 422 when the input is malformed; always naming the field.
#[must_use]
pub fn deadline_refusal(e: &domain::deadlines::DeadlineError) -> AppError {
    let status = if e.is_conflict() { 409 } else { 422 };
    let text = e.to_string();
    let mut chars = text.chars();
    let sentence = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect::<String>() + ".")
        .unwrap_or_default();
    AppError {
        field: Some(e.field().to_owned()),
        ..AppError::new(status, e.code(), sentence)
    }
}

/// Service results.
pub type ServerResult<T> = Result<T, ServerError>;

/// Renders an [`AppError`] as the API's JSON error body.
#[must_use]
pub fn error_response(error: &AppError) -> Response {
    let status = StatusCode::from_u16(error.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut body = json!({ "code": error.code, "message": error.message });
    if let Some(field) = &error.field {
        body["field"] = json!(field);
    }
    let mut response = (status, Json(json!({ "error": body }))).into_response();
    if let Some(seconds) = error.retry_after_seconds {
        response
            .headers_mut()
            .insert(axum::http::header::RETRY_AFTER, seconds.into());
    }
    response
}

impl IntoResponse for ServerError {
    fn into_response(self) -> Response {
        error_response(&self.into_app_error())
    }
}
