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

/// What every handler can reach: one pointer to the [`Services`].
///
/// axum and Leptos clone the state for every middleware and handler a
/// request passes; a struct of sixteen `Arc`s and Leptos's options (a dozen
/// more) cost about 9 % of the server's time on the anonymous landing page
/// under load (perf: `AppState::clone` and its drop), each clone and drop
/// an atomic operation per field on counters shared by every core. Behind
/// one `Arc` a clone is one.
#[derive(Clone)]
pub struct AppState(Arc<Services>);

impl AppState {
    /// The state over these services.
    #[must_use]
    pub fn new(services: Services) -> Self {
        AppState(Arc::new(services))
    }
}

impl std::ops::Deref for AppState {
    type Target = Services;

    fn deref(&self) -> &Services {
        &self.0
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl FromRef<AppState> for DatabaseConnection {
    fn from_ref(state: &AppState) -> Self {
        state.db.clone()
    }
}

impl FromRef<AppState> for Arc<crate::telemetry_metrics::Counters> {
    fn from_ref(state: &AppState) -> Self {
        state.counters.clone()
    }
}

impl FromRef<AppState> for Arc<Requests> {
    fn from_ref(state: &AppState) -> Self {
        state.requests.clone()
    }
}

/// The services, the clock and the limits.
pub struct Services {
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
