//! `/healthz`: liveness and the database's state.

use axum::{Json, extract::State};
use sea_orm::DatabaseConnection;
use serde::Serialize;
use utoipa::ToSchema;

/// Liveness.
#[derive(Serialize, ToSchema)]
pub struct Health {
    status: &'static str,
    database: &'static str,
}

/// Liveness and database reachability.
#[utoipa::path(get, path = "/healthz", tag = "operations", responses((status = 200, body = Health), (status = 503, body = Health)))]
pub async fn healthz(
    State(db): State<DatabaseConnection>,
) -> (axum::http::StatusCode, Json<Health>) {
    match db.ping().await {
        Ok(()) => (
            axum::http::StatusCode::OK,
            Json(Health {
                status: "ok",
                database: "ok",
            }),
        ),
        Err(_) => (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            Json(Health {
                status: "degraded",
                database: "unreachable",
            }),
        ),
    }
}
