//! The one error type that crosses the wire: returned by server functions, and
//! turned into the JSON error body of the REST API by the server (DESIGN §9).
//!
//! The `message` is English and meant for API clients; the UI shows the
//! translation of `code` instead (see `i18n::Texts::error`).

use serde::{Deserialize, Serialize};
use server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};

/// An error a person can act on: HTTP status, stable code, message, and the
/// form field it belongs to when there is one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{code}: {message}")]
pub struct AppError {
    /// The HTTP status the REST API answers with.
    pub status: u16,
    /// A stable snake_case code.
    pub code: String,
    /// A sentence in English for API clients.
    pub message: String,
    /// The form field at fault, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// With 429: how many seconds to wait (the REST API sends it as
    /// `Retry-After`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_seconds: Option<u64>,
}

impl AppError {
    /// An error with a status, code and message.
    #[must_use]
    pub fn new(status: u16, code: &str, message: impl Into<String>) -> Self {
        AppError {
            status,
            code: code.to_owned(),
            message: message.into(),
            field: None,
            retry_after_seconds: None,
        }
    }

    /// 429: too many attempts; try again after `seconds`.
    #[must_use]
    pub fn too_many(code: &str, message: impl Into<String>, seconds: u64) -> Self {
        AppError {
            retry_after_seconds: Some(seconds.max(1)),
            ..AppError::new(429, code, message)
        }
    }

    /// 422: a field's value was refused.
    #[must_use]
    pub fn invalid(field: &str, code: &str, message: impl Into<String>) -> Self {
        AppError {
            field: Some(field.to_owned()),
            ..AppError::new(422, code, message)
        }
    }

    /// 401: no valid session.
    #[must_use]
    pub fn unauthenticated() -> Self {
        AppError::new(401, "unauthenticated", "Sign in to continue.")
    }

    /// 403: signed in, but not allowed.
    #[must_use]
    pub fn forbidden() -> Self {
        AppError::new(403, "forbidden", "Your account may not do this.")
    }

    /// 404.
    #[must_use]
    pub fn not_found() -> Self {
        AppError::new(404, "not_found", "Nothing was found here.")
    }

    /// 500: the cause is logged on the server, never shown.
    #[must_use]
    pub fn internal() -> Self {
        AppError::new(500, "internal", "Something went wrong. Please try again.")
    }
}

impl From<domain::AccountError> for AppError {
    fn from(e: domain::AccountError) -> Self {
        AppError::invalid(e.field(), e.code(), e.to_string())
    }
}

impl From<domain::data::FieldError> for AppError {
    /// Fixed fields are a conflict (409 `field_immutable`), the rest 422.
    fn from(e: domain::data::FieldError) -> Self {
        let status = if matches!(e, domain::data::FieldError::Immutable(_)) {
            409
        } else {
            422
        };
        let mut error = AppError::new(status, e.code(), e.to_string());
        error.field = Some(e.field());
        error
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::Deserialization(_) => {
                AppError::new(400, "bad_request", "The form could not be read.")
            }
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => {
                AppError::new(503, "unreachable", "The portal could not be reached.")
            }
            _ => AppError::internal(),
        }
    }
}
