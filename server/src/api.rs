//! The REST API under `/api/v1` (DESIGN §9), and its OpenAPI document.
//! Handlers extract, call one service, and map to a response body.

mod admin;
mod auth;
mod cancellation;
mod consents;
mod data;
mod deadlines;
mod dev;
mod exports;
mod extract;
pub mod health;
mod incidents;
mod officer;
mod requests;

pub use extract::{
    Administrator, AppJson, AppQuery, ClientAddr, CurrentUser, Staff, UserAgent,
    client_ip as extract_client_ip, user_agent,
};

use crate::state::AppState;
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
        auth::sign_up, auth::verify_email, auth::sign_in, auth::sign_out, auth::reauthenticate, auth::me,
        auth::request_password_reset, auth::confirm_password_reset, auth::stop_reaccess,
        officer::list_requests, officer::act, officer::requester_data, officer::metrics, officer::register_csv, requests::file_request, requests::list_my_requests,
        requests::get_request, requests::add_message, requests::withdraw_request, requests::add_attachment, requests::download_attachment, admin::audit, admin::list_policies, admin::update_policy, dev::move_clock, health::healthz,
        deadlines::list_policies, deadlines::compute_deadline,
        data::overview, data::page, data::delete_item, data::clear, data::correct,
        data::add_emergency_contact, data::settings, data::save_settings, data::posts_preview,
        consents::list, consents::change, consents::history, consents::collect,
        consents::policies, consents::policy_status, consents::accept_policy, consents::publish_policy,
        consents::guardian_lookup, consents::guardian_confirm,
        exports::start_export, exports::list_exports, exports::get_export, exports::remove_export, exports::download_export,
        cancellation::cancellation_status, cancellation::cancel_account, cancellation::undo_cancellation,
        cancellation::freeze_account, cancellation::release_account,
        cancellation::portal_settings, cancellation::save_portal_settings,
        incidents::list_incidents, incidents::draft_incident, incidents::get_incident, incidents::change_incident,
        incidents::publish_incident, incidents::deliveries_csv, incidents::my_incidents, incidents::acknowledge_incident,
    ),
    components(schemas(ErrorBody, ErrorDetail, domain::requests::Verb, domain::data::Category, domain::consent::Feature)),
    modifiers(&SecurityAddon, &TransportErrors),
)]
struct ApiDoc;

struct SecurityAddon;

/// Adds to every operation the answers the transport gives before a handler
/// runs, all in the one error shape: a body that is not JSON (400, 415) or
/// does not fit (422), one over the limit (413); a query string that does
/// not fit (422); a missing or dead session (401); 500 for a failure of
/// ours. So the document lists every status an operation can answer.
struct TransportErrors;

impl utoipa::Modify for TransportErrors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder, path::ParameterIn};
        let error = |description: &str| {
            RefOr::T(
                ResponseBuilder::new()
                    .description(description)
                    .content(
                        "application/json",
                        ContentBuilder::new()
                            .schema(Some(Ref::from_schema_name("ErrorBody")))
                            .build(),
                    )
                    .build(),
            )
        };
        for item in openapi.paths.paths.values_mut() {
            for operation in [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ]
            .into_iter()
            .flatten()
            {
                let mut add = |status: &str, description: &str| {
                    operation
                        .responses
                        .responses
                        .entry(status.to_owned())
                        .or_insert_with(|| error(description));
                };
                let has_body = operation.request_body.is_some();
                let has_query = operation
                    .parameters
                    .iter()
                    .flatten()
                    .any(|p| p.parameter_in == ParameterIn::Query);
                let signed_in = operation.security.as_ref().is_some_and(|s| !s.is_empty());
                if has_body {
                    add("400", "`invalid_json`: the body is not JSON");
                    add("413", "`payload_too_large`: the body is over 1 MiB");
                    add(
                        "415",
                        "`unsupported_media_type`: send `Content-Type: application/json`",
                    );
                    add(
                        "422",
                        "`invalid_body`: a field is missing or of the wrong type",
                    );
                }
                if has_query {
                    add("422", "`invalid_query`: a query parameter does not fit");
                }
                if signed_in {
                    add("401", "`unauthenticated`: no live session");
                }
                add(
                    "500",
                    "`internal`: a failure of ours, logged with the request ID",
                );
            }
        }
    }
}

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
        .route("/auth/verify-email", post(auth::verify_email))
        .route("/auth/login", post(auth::sign_in))
        .route("/auth/logout", post(auth::sign_out))
        .route("/auth/reauth", post(auth::reauthenticate))
        .route("/auth/password-reset", post(auth::request_password_reset))
        .route(
            "/auth/password-reset/confirm",
            post(auth::confirm_password_reset),
        )
        .route("/auth/reaccess/stop", post(auth::stop_reaccess))
        .route("/me", get(auth::me))
        .route(
            "/me/cancellation",
            get(cancellation::cancellation_status)
                .post(cancellation::cancel_account)
                .delete(cancellation::undo_cancellation),
        )
        .route(
            "/admin/accounts/{id}/freeze",
            post(cancellation::freeze_account).delete(cancellation::release_account),
        )
        .route(
            "/admin/settings",
            get(cancellation::portal_settings).put(cancellation::save_portal_settings),
        )
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
        .route("/me/consents", get(consents::list))
        .route("/me/consents/history", get(consents::history))
        .route(
            "/me/consents/{feature}",
            axum::routing::put(consents::change),
        )
        .route("/collect/{feature}", post(consents::collect))
        .route("/privacy-policies", get(consents::policies))
        .route("/me/privacy-policy", get(consents::policy_status))
        .route("/me/privacy-policy/accept", post(consents::accept_policy))
        .route("/admin/privacy-policies", post(consents::publish_policy))
        .route("/guardian/lookup", post(consents::guardian_lookup))
        .route("/guardian/confirm", post(consents::guardian_confirm))
        .route(
            "/me/exports",
            post(exports::start_export).get(exports::list_exports),
        )
        .route(
            "/me/exports/{id}",
            get(exports::get_export).delete(exports::remove_export),
        )
        .route("/me/exports/{id}/download", get(exports::download_export))
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
        .route(
            "/admin/incidents",
            get(incidents::list_incidents).post(incidents::draft_incident),
        )
        .route(
            "/admin/incidents/{id}",
            get(incidents::get_incident).put(incidents::change_incident),
        )
        .route(
            "/admin/incidents/{id}/publish",
            post(incidents::publish_incident),
        )
        .route(
            "/admin/incidents/{id}/deliveries.csv",
            get(incidents::deliveries_csv),
        )
        .route("/me/incidents", get(incidents::my_incidents))
        .route(
            "/me/incidents/{id}/acknowledge",
            post(incidents::acknowledge_incident),
        )
        .route("/admin/policies", get(admin::list_policies))
        .route(
            "/admin/policies/{name}",
            axum::routing::put(admin::update_policy),
        )
        .route("/requests/{ack}/messages", post(requests::add_message))
        .route("/requests/{ack}/withdraw", post(requests::withdraw_request))
        .route(
            "/requests/{ack}/attachments",
            post(requests::add_attachment),
        )
        .route(
            "/requests/{ack}/attachments/{id}",
            get(requests::download_attachment),
        )
        .route("/policies", get(deadlines::list_policies))
        .route("/deadlines/compute", post(deadlines::compute_deadline))
        .route("/dev/clock", post(dev::move_clock))
        .route("/openapi.json", get(openapi_json))
        .fallback(|| async { crate::errors::error_response(&app::error::AppError::not_found()) })
}
