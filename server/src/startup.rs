//! Builds the application from the configuration and serves it.

use crate::accounts::Accounts;
use crate::clock::{Clock, DevClock, SystemClock};
use crate::config::{ClockMode, Config};
use crate::errors::error_response;
use crate::rate_limit::RateLimiter;
use crate::requests::Requests;
use crate::sessions::Sessions;
use crate::state::{AppState, Limiters};
use crate::web::{WebAuth, WebData, WebRequests};
use anyhow::Context;
use app::{App, auth::AuthPort, error::AppError, requests::RequestsPort, shell};
use axum::{
    Router,
    extract::{Request, State},
    http::{HeaderName, HeaderValue, Method, header},
    middleware::{self, Next},
    response::Response,
    routing::get,
};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use secrecy::SecretString;
use std::{net::SocketAddr, path::Path, sync::Arc};
use tokio::net::TcpListener;
use tower_http::{
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    set_header::SetResponseHeaderLayer,
    trace::TraceLayer,
};

/// A built application, bound to its port, ready to serve.
pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
    background_jobs: bool,
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
/// Largest request body (the API takes small JSON documents; attachment
/// uploads have their own limit, see [`body_limit`]).
const BODY_LIMIT: usize = 1024 * 1024;
/// How often the export builder looks for work.
const EXPORT_EVERY: std::time::Duration = std::time::Duration::from_secs(1);
/// How often the cancellation job looks for reminders and erasures due.
const CANCEL_EVERY: std::time::Duration = std::time::Duration::from_secs(2);
/// How often the deadline sweeper runs.
const SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(30);
/// How often the e-mail outbox is sent.
const SEND_EVERY: std::time::Duration = std::time::Duration::from_secs(10);
/// Deadline previews per client address per minute.
const PREVIEW_LIMIT_PER_MINUTE: u32 = 120;

impl Application {
    /// Connects and migrates the database, builds the services and binds the
    /// address (port 0 picks a free one).
    ///
    /// # Errors
    /// When the database, the secret or the address cannot be had.
    pub async fn build(config: Config) -> anyhow::Result<Application> {
        let db = crate::db::connect(&config.database_url).await?;
        crate::db::migrate(&db).await?;
        let (clock, dev_clock): (Arc<dyn Clock>, Option<Arc<DevClock>>) = match config.clock {
            ClockMode::System => (Arc::new(SystemClock), None),
            ClockMode::Dev(start) => {
                tracing::warn!(
                    "PORTAL_DEV_CLOCK is set: the clock can be moved through the API; never use this in production"
                );
                let dev = Arc::new(start.map_or_else(DevClock::new, DevClock::starting_at));
                (dev.clone(), Some(dev))
            }
            ClockMode::Test(start) => {
                let test = Arc::new(DevClock::for_tests(start));
                (test.clone(), Some(test))
            }
        };
        let secret = match &config.jwt_secret {
            Some(secret) => secret.clone(),
            None => load_or_create_secret(&config.data_dir, "jwt-secret")?,
        };
        let sessions = Arc::new(Sessions::new(
            db.clone(),
            clock.clone(),
            &secret,
            config.cookie_secure,
        ));
        // The audit chain's key: PORTAL_AUDIT_KEY, or one generated into the
        // data directory beside the checkpoint (see `crate::audit`).
        let audit_key = match &config.audit_key {
            Some(key) => key.clone(),
            None => load_or_create_secret(&config.data_dir, "audit-key")?,
        };
        let audit = Arc::new(crate::audit::AuditLog::new(
            secrecy::ExposeSecret::expose_secret(&audit_key).as_bytes(),
            Some(config.data_dir.join(crate::audit::CHECKPOINT_FILE)),
        ));
        let listener = TcpListener::bind(config.site_addr)
            .await
            .with_context(|| format!("binding {}", config.site_addr))?;
        let addr = listener.local_addr()?;
        let public_url = config
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{addr}"));
        let accounts = Arc::new(Accounts::new(
            db.clone(),
            clock.clone(),
            sessions.clone(),
            audit.clone(),
            public_url.clone(),
        )?);

        let leptos_options = LeptosOptions::builder()
            .output_name("portal")
            .site_root(config.site_root.to_string_lossy().as_ref())
            .site_pkg_dir("pkg")
            .site_addr(addr)
            .build();
        let limiters = Arc::new(Limiters {
            preview: RateLimiter::new(PREVIEW_LIMIT_PER_MINUTE, time::Duration::minutes(1)),
        });
        let requests = Arc::new(Requests::new(
            db.clone(),
            clock.clone(),
            audit.clone(),
            config.data_dir.join("attachments"),
            public_url.clone(),
        ));
        requests
            .ensure_policies()
            .await
            .map_err(|e| anyhow::anyhow!("storing the deadline policies: {e}"))?;
        let data = Arc::new(crate::data::PersonalData::new(
            db.clone(),
            clock.clone(),
            sessions.clone(),
            audit.clone(),
            public_url.clone(),
        ));
        data.ensure_first_policy()
            .await
            .map_err(|e| anyhow::anyhow!("storing the first privacy-policy version: {e}"))?;
        let mailer = Arc::new(crate::mail::Mailer::new(
            db.clone(),
            clock.clone(),
            // E-mails are dropped as .eml files into <data>/mail (DESIGN §7).
            Arc::new(crate::mail::FileDrop::new(config.data_dir.join("mail"))),
        ));
        let exports = Arc::new(crate::exports::Exports::new(
            db.clone(),
            clock.clone(),
            sessions.clone(),
            data.clone(),
            audit.clone(),
            // Several instances on one database must share this directory.
            config.data_dir.join("exports"),
        ));
        let cancellations = Arc::new(crate::cancellation::Cancellations::new(
            db.clone(),
            clock.clone(),
            sessions.clone(),
            data.clone(),
            audit.clone(),
            config.data_dir.join("exports"),
            public_url.clone(),
        ));
        let incidents = Arc::new(crate::incidents::Incidents::new(
            db.clone(),
            clock.clone(),
            audit.clone(),
            public_url,
        ));
        let static_origin = config
            .static_origin
            .as_deref()
            .map(HeaderValue::from_str)
            .transpose()
            .context("PORTAL_STATIC_ORIGIN")?;
        let state = AppState::new(crate::state::Services {
            static_origin,
            incidents,
            cancellations,
            exports,
            audit,
            counters: Arc::default(),
            mailer,
            data,
            leptos_options,
            db,
            clock,
            dev_clock,
            accounts,
            sessions,
            limiters,
            requests,
        });
        let router = router(state.clone());
        Ok(Application {
            listener,
            router,
            state,
            background_jobs: config.background_jobs,
        })
    }

    /// The bound port.
    #[must_use]
    pub fn port(&self) -> u16 {
        self.listener
            .local_addr()
            .map(|a| a.port())
            .unwrap_or_default()
    }

    /// The application state (tests reach the database and clock through it).
    #[must_use]
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Starts the background jobs: the deadline sweeper and the e-mail sender.
    fn spawn_jobs(&self) -> Vec<tokio::task::JoinHandle<()>> {
        use std::sync::atomic::Ordering;
        let requests = self.state.requests.clone();
        let counters = self.state.counters.clone();
        let sweeper = tokio::spawn(async move {
            let mut tick = tokio::time::interval(SWEEP_EVERY);
            loop {
                tick.tick().await;
                match requests.sweep().await {
                    Ok(_) => {
                        counters.sweeps.fetch_add(1, Ordering::Relaxed);
                        let now = u64::try_from(requests.now().unix_timestamp()).unwrap_or(0);
                        counters.last_sweep.store(now, Ordering::Relaxed);
                    }
                    Err(e) => tracing::error!(error = %e, "deadline sweep failed"),
                }
            }
        });
        // The outbox sender: leases in the database, so a restart or a
        // second instance neither loses nor doubles an e-mail.
        let mailer = self.state.mailer.clone();
        let counters = self.state.counters.clone();
        let sender = tokio::spawn(async move {
            let mut tick = tokio::time::interval(SEND_EVERY);
            loop {
                tick.tick().await;
                match mailer.send_pending().await {
                    Ok(report) if report.sent + report.failed > 0 => {
                        counters
                            .mail_sent
                            .fetch_add(report.sent as u64, Ordering::Relaxed);
                        counters
                            .mail_failed
                            .fetch_add(report.failed as u64, Ordering::Relaxed);
                        tracing::info!(sent = report.sent, failed = report.failed, "outbox sent");
                    }
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = %e, "sending the outbox failed"),
                }
            }
        });
        // Exports: claimed with leases like the outbox, so a restart
        // rebuilds a half-written archive and no two instances build one.
        let exports = self.state.exports.clone();
        let builder = tokio::spawn(async move {
            let mut tick = tokio::time::interval(EXPORT_EVERY);
            loop {
                tick.tick().await;
                if let Err(e) = exports.expire().await {
                    tracing::error!(error = %e, "expiring exports failed");
                }
                match exports.run_pending().await {
                    Ok(report) if report.failed > 0 => {
                        tracing::warn!(failed = report.failed, "exports failed");
                    }
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = %e, "building exports failed"),
                }
            }
        });
        // Cancellations: reminders and erasures, each in one transaction
        // that re-reads the account, so instances and restarts never double
        // one (see `crate::cancellation`).
        let cancellations = self.state.cancellations.clone();
        let eraser = tokio::spawn(async move {
            let mut tick = tokio::time::interval(CANCEL_EVERY);
            loop {
                tick.tick().await;
                match cancellations.run_due().await {
                    Ok(report) if report.reminded + report.erased > 0 => {
                        tracing::info!(
                            reminded = report.reminded,
                            erased = report.erased,
                            "cancellations"
                        );
                    }
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = %e, "the cancellation job failed"),
                }
            }
        });
        vec![sweeper, sender, builder, eraser]
    }

    /// Serves until the process is stopped (Ctrl-C or SIGTERM).
    ///
    /// # Errors
    /// When the server fails.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        tracing::info!(addr = %self.listener.local_addr()?, "serving");
        // The sweeper keeps the deadlines; its state is in the database, so a
        // restart loses nothing and several instances never double a notice.
        let jobs = self.background_jobs.then(|| self.spawn_jobs());
        // TCP_NODELAY: a streamed page goes out in several writes, and with
        // Nagle's algorithm each write after the first waited for the
        // client's delayed ACK — 40 ms on every server-rendered page, which
        // capped `/` at ~960 req/s with p50 = p99 = 44 ms whatever the CPU
        // (issue #12; found by `make load-pages`: latency stayed at 44 ms
        // from 8 to 64 connections while throughput grew with them).
        use axum::serve::ListenerExt;
        let listener = self.listener.tap_io(|stream| {
            if let Err(e) = stream.set_nodelay(true) {
                tracing::debug!(error = %e, "TCP_NODELAY not set");
            }
        });
        axum::serve(
            listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown_signal())
        .await?;
        for job in jobs.into_iter().flatten() {
            job.abort();
        }
        Ok(())
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = terminate => {} }
}

/// The HTTP router: the REST API, the health check, the Leptos pages and
/// server functions, the static files; and the layers every request passes.
pub fn router(state: AppState) -> Router {
    let port: Arc<dyn AuthPort> = Arc::new(WebAuth::new(
        state.accounts.clone(),
        state.data.clone(),
        state.incidents.clone(),
    ));
    let requests_port: Arc<dyn RequestsPort> = Arc::new(WebRequests::new(
        state.requests.clone(),
        state.accounts.clone(),
    ));
    let web_data = Arc::new(WebData::new(
        state.data.clone(),
        state.accounts.clone(),
        state.requests.clone(),
    ));
    let data_port: Arc<dyn app::data::DataPort> = web_data.clone();
    let consents_port: Arc<dyn app::consents::ConsentsPort> = web_data;
    let exports_port: Arc<dyn app::exports::ExportsPort> = Arc::new(crate::web::WebExports::new(
        state.exports.clone(),
        state.accounts.clone(),
    ));
    let cancellation_port: Arc<dyn app::cancellation::CancellationPort> = Arc::new(
        crate::web::WebCancellation::new(state.cancellations.clone(), state.accounts.clone()),
    );
    let incidents_port: Arc<dyn app::incidents::IncidentsPort> = Arc::new(
        crate::web::WebIncidents::new(state.incidents.clone(), state.accounts.clone()),
    );
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    // The pages (and the not-found page) render on the render pool's threads.
    let pages = Router::new()
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(port.clone());
                provide_context(requests_port.clone());
                provide_context(data_port.clone());
                provide_context(consents_port.clone());
                provide_context(exports_port.clone());
                provide_context(cancellation_port.clone());
                provide_context(incidents_port.clone());
            },
            move || shell(options.clone()),
        )
        // The built site's files (the wasm, its split files, the stylesheet)
        // straight from the disk; anything else is leptos's "not found" page.
        // Not through `file_and_error_handler` alone: it answers a file with
        // the status and headers of whatever `ResponseOptions` its fresh
        // reactive owner finds above it, and on a render thread that can be
        // another page's still being rendered there. Under concurrent pages
        // the stylesheet and split files came back 404 or 401 (5 in 200 in a
        // test of 500 mixed requests from 16 clients; CI's e2e failure).
        .fallback_service(
            tower_http::services::ServeDir::new(&state.leptos_options.site_root[..])
                .precompressed_gzip()
                .precompressed_br()
                .call_fallback_on_method_not_allowed(true)
                .fallback(axum::handler::Handler::with_state(
                    leptos_axum::file_and_error_handler::<AppState, _>(shell),
                    state.clone(),
                )),
        )
        .layer(middleware::from_fn_with_state(
            crate::render::RenderPool::new(),
            crate::render::on_render_thread,
        ));
    Router::new()
        .nest("/api/v1", crate::api::router())
        .route("/healthz", get(crate::api::health::healthz))
        .route("/metrics", get(crate::telemetry_metrics::render))
        .merge(pages)
        .layer(middleware::from_fn(server_fn_status))
        .layer(middleware::from_fn(server_fn_body_limit))
        .layer(middleware::from_fn_with_state(state.clone(), global_privacy_control))
        .layer(middleware::from_fn_with_state(state.clone(), slide_session))
        .layer(middleware::from_fn_with_state(state.clone(), same_origin_writes))
        // Outside the Origin check: a preflight from the static build's
        // origin is answered here.
        .layer(tower::util::option_layer(state.static_origin.clone().map(static_site_cors)))
        .layer(middleware::from_fn_with_state(state.clone(), security_headers))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::telemetry_metrics::count,
        ))
        .layer(middleware::from_fn(body_limit))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request| {
            let id = request.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", request.id = %id, method = %request.method(), path = %request.uri().path())
        }))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .with_state(state)
}

/// Server functions answer every error with 500 (server_fn's way); the body
/// is the [`AppError`](app::error::AppError), which knows its status. The
/// response takes that status, so a refusal (401, 403, 422, 429) is not sent,
/// counted or logged as a server failure, and real 500s stand out. The
/// browser's server-function client reads any 4xx or 5xx as the typed error.
async fn server_fn_status(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() != axum::http::StatusCode::INTERNAL_SERVER_ERROR
        || !response
            .headers()
            .contains_key(leptos::server_fn::error::SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 256 * 1024).await else {
        return axum::response::IntoResponse::into_response(
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
        );
    };
    if let Ok(error) = serde_json::from_slice::<app::error::AppError>(&bytes)
        && let Ok(status) = axum::http::StatusCode::from_u16(error.status)
        && (status.is_client_error() || status.is_server_error())
    {
        parts.status = status;
        if let Some(seconds) = error.retry_after_seconds {
            parts.headers.insert(header::RETRY_AFTER, seconds.into());
        }
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// Limits every request body: 1 MiB, and 5 MB for an attachment upload
/// (`POST /api/v1/requests/{ack}/attachments`). A body announced over its
/// limit is answered 413 at once, in the error shape; one that is not
/// announced fails with 413 where it is read.
async fn body_limit(request: Request, next: Next) -> Response {
    let upload = request.method() == Method::POST && {
        let path = request.uri().path();
        path.starts_with("/api/v1/requests/") && path.ends_with("/attachments")
    };
    let limit = if upload {
        domain::requests::complaint::MAX_ATTACHMENT_BYTES
    } else {
        BODY_LIMIT
    };
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|length| length > limit as u64) {
        return error_response(&if upload {
            crate::requests::attachment_refusal(
                &domain::requests::complaint::AttachmentError::TooLarge,
            )
        } else {
            AppError::new(
                413,
                "payload_too_large",
                "The body is larger than the portal accepts (1 MiB).",
            )
        });
    }
    let (parts, body) = request.into_parts();
    let body = axum::body::Body::new(http_body_util::Limited::new(body, limit));
    next.run(Request::from_parts(parts, body)).await
}

/// Reads a server function's body whole before the function does, so that
/// one over the limit answers 413 `payload_too_large` (in the error shape)
/// whether or not its length was announced; server_fn alone reports a
/// chunked body cut off by the limit as a 400 it cannot tell apart.
async fn server_fn_body_limit(request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with("/sfn/") {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    match axum::body::to_bytes(body, BODY_LIMIT).await {
        Ok(bytes) => {
            next.run(Request::from_parts(parts, axum::body::Body::from(bytes)))
                .await
        }
        Err(_) => error_response(&AppError::new(
            413,
            "payload_too_large",
            "The body is larger than the portal accepts (1 MiB).",
        )),
    }
}

/// Keeps an active browser session alive: a cookie token older than 15
/// minutes is replaced by a fresh one on the response, unless the handler set
/// a cookie itself (sign-in, sign-out).
async fn slide_session(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let headers = request.headers().clone();
    let mut response = next.run(request).await;
    if response.headers().contains_key(header::SET_COOKIE) {
        return response;
    }
    match state.sessions.renew_cookie(&headers).await {
        Ok(Some(cookie)) => {
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
        }
        Ok(None) => {}
        Err(e) => tracing::warn!(error = %e, "renewing a session failed"),
    }
    response
}

/// Honours Global Privacy Control for a signed-in browser (a cookie
/// session sending `Sec-GPC: 1`): before the page or call is answered,
/// marketing and personalised ads are withdrawn, each with a receipt of
/// channel `gpc` (DESIGN §2). Bearer-token clients are apps, not browsers.
async fn global_privacy_control(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let headers = request.headers();
    let applies = crate::data::consent::gpc_signal(headers)
        && !headers.contains_key(header::AUTHORIZATION)
        && !request.uri().path().starts_with("/pkg/")
        && crate::sessions::token_from(headers, state.sessions.cookie_name()).is_some();
    if applies {
        match state.sessions.principal(headers).await {
            Ok(Some(me)) => {
                if let Err(e) = state.data.honour_gpc(&me).await {
                    tracing::warn!(error = %e, "honouring Global Privacy Control failed");
                }
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "reading the session for GPC failed"),
        }
    }
    next.run(request).await
}

/// CORS for the static build (Trunk.toml) on its own origin: that origin
/// alone may call with credentials (the session cookie), and may read the
/// headers the server functions' client reads (a redirect's `Location` and
/// `serverfnredirect`) and a download's file name. Any other origin gets no
/// `Access-Control-Allow-Origin`, so its browser keeps the answer from it.
fn static_site_cors(origin: HeaderValue) -> tower_http::cors::CorsLayer {
    use tower_http::cors::{AllowOrigin, CorsLayer};
    CorsLayer::new()
        .allow_origin(AllowOrigin::list([origin]))
        .allow_credentials(true)
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ])
        .allow_headers([
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::ACCEPT_LANGUAGE,
        ])
        .expose_headers([
            header::LOCATION,
            header::CONTENT_DISPOSITION,
            axum::http::HeaderName::from_static(leptos::server_fn::redirect::REDIRECT_HEADER),
        ])
        .max_age(std::time::Duration::from_secs(600))
}

/// Refuses state-changing requests sent from another site (CSRF defence for
/// cookie sessions and for Leptos server functions, which have no check of
/// their own: leptos-rs/leptos#3786). Browsers send `Origin` and
/// `Sec-Fetch-Site` on such requests; API clients without them are let through,
/// as they carry no ambient cookie.
async fn same_origin_writes(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let method = request.method();
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(request).await;
    }
    let headers = request.headers();
    // The static build's origin (PORTAL_STATIC_ORIGIN) is let in by name.
    if let (Some(allowed), Some(origin)) = (&state.static_origin, headers.get(header::ORIGIN))
        && allowed.as_bytes().eq_ignore_ascii_case(origin.as_bytes())
    {
        return next.run(request).await;
    }
    let cross_site = headers
        .get("sec-fetch-site")
        .is_some_and(|v| v == "cross-site");
    // The Origin must be this very site: scheme and host (with port).
    let scheme = if state.sessions.https() {
        "https"
    } else {
        "http"
    };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let origin_mismatch = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|origin| {
            origin == "null"
                || host
                    .is_none_or(|host| !origin.eq_ignore_ascii_case(&format!("{scheme}://{host}")))
        });
    if cross_site || origin_mismatch {
        tracing::warn!("cross-origin write refused");
        return error_response(&AppError::new(
            403,
            "cross_origin",
            "Requests from other sites are not accepted.",
        ));
    }
    next.run(request).await
}

async fn security_headers(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if state.sessions.https() {
        // Behind HTTPS, browsers are told never to use plain HTTP here again
        // (ASVS 14.4.5).
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    headers.insert(
        header::REFERRER_POLICY,
        // same-origin, not no-referrer: a form posted before hydration is sent
        // back to its page by the Referer header, which no-referrer would strip.
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if api {
        // Personal data is never cached (ASVS 14.3.2).
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// Reads `<data>/jwt-secret`, creating it with 256 random bits on first start.
fn load_or_create_secret(data_dir: &Path, name: &str) -> anyhow::Result<SecretString> {
    use rand::RngCore;
    let path = data_dir.join(name);
    if let Ok(existing) = std::fs::read_to_string(&path) {
        let existing = existing.trim().to_owned();
        anyhow::ensure!(
            existing.len() >= 32,
            "{} is shorter than 32 characters",
            path.display()
        );
        return Ok(SecretString::from(existing));
    }
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("creating {}", data_dir.display()))?;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let secret = hex::encode(bytes);
    std::fs::write(&path, &secret).with_context(|| format!("writing {}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    }
    tracing::info!(file = name, "generated a new secret in the data directory");
    Ok(SecretString::from(secret))
}
