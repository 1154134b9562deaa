//! What every handler can reach: the services, the clock and the limits,
//! built once by [`crate::startup::Application::build`].

use crate::accounts::Accounts;
use crate::clock::{Clock, DevClock};
use crate::rate_limit::RateLimiter;
use crate::requests::Requests;
use crate::sessions::Sessions;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use sea_orm::DatabaseConnection;
use std::sync::Arc;

/// What every handler can reach.
#[derive(Clone, FromRef)]
pub struct AppState {
    /// Leptos' settings (site root, output name).
    pub leptos_options: LeptosOptions,
    /// The database.
    pub db: DatabaseConnection,
    /// The clock every reader of time uses.
    pub clock: Arc<dyn Clock>,
    /// The same clock, when it is the movable development clock.
    pub dev_clock: Option<Arc<DevClock>>,
    /// Accounts.
    pub accounts: Arc<Accounts>,
    /// Sessions.
    pub sessions: Arc<Sessions>,
    /// Rate limits of the public endpoints.
    pub limiters: Arc<Limiters>,
    /// Data-subject requests.
    pub requests: Arc<Requests>,
    /// The holder's personal data.
    pub data: Arc<crate::data::PersonalData>,
    /// Exports of the holder's data.
    pub exports: Arc<crate::exports::Exports>,
    /// Cancelling accounts and legal holds.
    pub cancellations: Arc<crate::cancellation::Cancellations>,
    /// Incident notices.
    pub incidents: Arc<crate::incidents::Incidents>,
    /// The e-mail outbox sender.
    pub mailer: Arc<crate::mail::Mailer>,
    /// In-memory counters for `/metrics`.
    pub counters: Arc<crate::telemetry_metrics::Counters>,
    /// The hash-chained audit log.
    pub audit: Arc<crate::audit::AuditLog>,
    /// The static build's origin (`PORTAL_STATIC_ORIGIN`), the one other
    /// origin whose browsers may call with the session cookie.
    pub static_origin: Option<axum::http::HeaderValue>,
}

/// Per-address limits of the endpoints that need no session.
pub struct Limiters {
    /// The deadline preview.
    pub preview: RateLimiter,
}
