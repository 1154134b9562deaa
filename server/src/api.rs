//! The REST API under `/api/v1` (DESIGN §9), and its OpenAPI document.
//! Handlers extract, call one service, and map to a response body.

mod admin;
mod auth;
mod data;
mod deadlines;
mod dev;
mod extract;
mod officer;
mod requests;

pub use extract::{AppJson, ClientAddr, CurrentUser, client_ip as extract_client_ip};

use crate::startup::AppState;
use axum::{
    Json, Router,
    routing::{get, post},
};
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

/// The body of every error answer.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    error: ErrorDetail,
}

/// The detail of an error.
#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable snake_case code.
    code: String,
    /// A sentence a person can act on.
    message: String,
    /// The request field at fault, when there is one.
    field: Option<String>,
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Privacy Rights Portal API", version = "1", description = "Self-service privacy rights: see DESIGN §9."),
    paths(
        auth::sign_up, auth::sign_in, auth::sign_out, auth::reauthenticate, auth::me,
        officer::list_requests, officer::act, officer::requester_data, officer::metrics, officer::register_csv, requests::file_request, requests::list_my_requests,
        requests::get_request, requests::add_message, requests::withdraw_request, admin::audit, admin::list_policies, admin::update_policy, dev::move_clock, crate::startup::healthz,
        deadlines::list_policies, deadlines::compute_deadline,
        data::overview, data::page, data::delete_item, data::clear, data::correct,
        data::add_emergency_contact, data::settings, data::save_settings, data::posts_preview,
    ),
    components(schemas(ErrorBody, ErrorDetail)),
    modifiers(&SecurityAddon),
)]
struct ApiDoc;

struct SecurityAddon;

impl utoipa::Modify for SecurityAddon {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{
            ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme,
        };
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
        components.add_security_scheme(
            "cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                crate::sessions::SESSION_COOKIE,
            ))),
        );
    }
}

/// The OpenAPI document, generated from the handlers' annotations.
#[must_use]
pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(openapi())
}

/// The `/api/v1` routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/signup", post(auth::sign_up))
        .route("/auth/login", post(auth::sign_in))
        .route("/auth/logout", post(auth::sign_out))
        .route("/auth/reauth", post(auth::reauthenticate))
        .route("/me", get(auth::me))
        .route("/me/data", get(data::overview))
        .route("/me/data/{category}", get(data::page).delete(data::clear))
        .route(
            "/me/data/{category}/{item_id}",
            axum::routing::delete(data::delete_item),
        )
        .route("/me/profile", axum::routing::patch(data::correct))
        .route("/me/emergency-contacts", post(data::add_emergency_contact))
        .route("/me/settings", get(data::settings).put(data::save_settings))
        .route("/me/posts/preview", get(data::posts_preview))
        .route("/officer/requests", get(officer::list_requests))
        .route("/officer/requests/{ack}/{action}", post(officer::act))
        .route(
            "/officer/requests/{ack}/data/{category}",
            get(officer::requester_data),
        )
        .route("/officer/requests.csv", get(officer::register_csv))
        .route("/officer/metrics", get(officer::metrics))
        .route(
            "/requests",
            post(requests::file_request).get(requests::list_my_requests),
        )
        .route("/requests/{ack}", get(requests::get_request))
        .route("/admin/audit", get(admin::audit))
        .route("/admin/policies", get(admin::list_policies))
        .route(
            "/admin/policies/{name}",
            axum::routing::put(admin::update_policy),
        )
        .route("/requests/{ack}/messages", post(requests::add_message))
        .route("/requests/{ack}/withdraw", post(requests::withdraw_request))
        .route("/policies", get(deadlines::list_policies))
        .route("/deadlines/compute", post(deadlines::compute_deadline))
        .route("/dev/clock", post(dev::move_clock))
        .route("/openapi.json", get(openapi_json))
        .fallback(|| async { crate::errors::error_response(&app::error::AppError::not_found()) })
}
