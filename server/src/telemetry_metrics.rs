//! `GET /metrics` in the Prometheus text format (DESIGN §8): HTTP traffic
//! counted by a middleware, the request register and the e-mail outbox read
//! from the database at scrape time, and the background jobs' last runs.
//! Counts only: nothing personal is exposed.

use crate::entities::email_outbox;
use crate::mail::MAX_ATTEMPTS;
use axum::{
    extract::{Request, State},
    http::header,
    middleware::Next,
    response::{IntoResponse, Response},
};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use std::fmt::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// Upper bounds of the latency histogram, in seconds.
const BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];

/// Counters kept in memory by one instance.
#[derive(Debug, Default)]
pub struct Counters {
    /// Responses by status class: 1xx … 5xx.
    responses: [AtomicU64; 5],
    /// Cumulative latency buckets (the last one is +Inf).
    latency: [AtomicU64; BUCKETS.len() + 1],
    /// Total latency in microseconds.
    latency_micros: AtomicU64,
    /// Deadline sweeps finished, and the Unix second of the last.
    pub sweeps: AtomicU64,
    pub last_sweep: AtomicU64,
    /// E-mails sent and failed by this instance.
    pub mail_sent: AtomicU64,
    pub mail_failed: AtomicU64,
}

impl Counters {
    fn observe(&self, status: u16, seconds: f64) {
        let class = usize::from(status / 100).clamp(1, 5) - 1;
        self.responses[class].fetch_add(1, Ordering::Relaxed);
        for (i, bound) in BUCKETS.iter().enumerate() {
            if seconds <= *bound {
                self.latency[i].fetch_add(1, Ordering::Relaxed);
            }
        }
        self.latency[BUCKETS.len()].fetch_add(1, Ordering::Relaxed);
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "microseconds of one request"
        )]
        self.latency_micros
            .fetch_add((seconds * 1e6) as u64, Ordering::Relaxed);
    }
}

/// Counts every response by status class and latency (`/metrics` itself aside).
pub async fn count(
    State(counters): State<Arc<Counters>>,
    request: Request,
    next: Next,
) -> Response {
    let scrape = request.uri().path() == "/metrics";
    let started = Instant::now();
    let response = next.run(request).await;
    if !scrape {
        counters.observe(response.status().as_u16(), started.elapsed().as_secs_f64());
    }
    response
}

/// The metrics.
pub async fn render(
    State(c): State<Arc<Counters>>,
    State(requests): State<Arc<crate::requests::Requests>>,
    State(db): State<sea_orm::DatabaseConnection>,
) -> Response {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# HELP portal_http_responses_total HTTP responses by status class."
    );
    let _ = writeln!(out, "# TYPE portal_http_responses_total counter");
    for (i, n) in c.responses.iter().enumerate() {
        let _ = writeln!(
            out,
            "portal_http_responses_total{{class=\"{}xx\"}} {}",
            i + 1,
            n.load(Ordering::Relaxed)
        );
    }
    let _ = writeln!(
        out,
        "# HELP portal_http_request_duration_seconds Time to answer an HTTP request."
    );
    let _ = writeln!(out, "# TYPE portal_http_request_duration_seconds histogram");
    for (i, bound) in BUCKETS.iter().enumerate() {
        let _ = writeln!(
            out,
            "portal_http_request_duration_seconds_bucket{{le=\"{bound}\"}} {}",
            c.latency[i].load(Ordering::Relaxed)
        );
    }
    let count = c.latency[BUCKETS.len()].load(Ordering::Relaxed);
    let _ = writeln!(
        out,
        "portal_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}"
    );
    #[expect(clippy::cast_precision_loss, reason = "a sum of microseconds")]
    let sum = c.latency_micros.load(Ordering::Relaxed) as f64 / 1e6;
    let _ = writeln!(out, "portal_http_request_duration_seconds_sum {sum}");
    let _ = writeln!(out, "portal_http_request_duration_seconds_count {count}");

    let gauge = |out: &mut String, name: &str, help: &str, value: String| {
        let _ = writeln!(out, "# HELP {name} {help}");
        let _ = writeln!(out, "# TYPE {name} gauge");
        let _ = writeln!(out, "{name} {value}");
    };
    let counter = |out: &mut String, name: &str, help: &str, value: u64| {
        let _ = writeln!(out, "# HELP {name} {help}");
        let _ = writeln!(out, "# TYPE {name} counter");
        let _ = writeln!(out, "{name} {value}");
    };
    let (commits, filings) = requests.filing_commits();
    counter(
        &mut out,
        "portal_filing_commits_total",
        "Durable commits that acknowledged filings (several filings share one under load).",
        commits,
    );
    counter(
        &mut out,
        "portal_filings_committed_total",
        "Filings those commits answered, refused ones included.",
        filings,
    );
    match requests.metrics().await {
        Ok(m) => {
            gauge(
                &mut out,
                "portal_requests_open",
                "Data-subject requests not yet closed.",
                m.open.to_string(),
            );
            gauge(
                &mut out,
                "portal_requests_overdue",
                "Open requests past their due instant.",
                m.overdue.to_string(),
            );
            gauge(
                &mut out,
                "portal_requests_due_soon",
                "Open requests due within 7 days.",
                m.due_soon.to_string(),
            );
            if let Some(rate) = m.on_time_rate {
                gauge(
                    &mut out,
                    "portal_requests_on_time_ratio",
                    "Share of requests closed in the last year that were answered in time.",
                    rate.to_string(),
                );
            }
        }
        Err(e) => tracing::error!(error = %e, "metrics: reading the register failed"),
    }
    let pending = email_outbox::Entity::find()
        .filter(email_outbox::Column::SentAt.is_null())
        .filter(email_outbox::Column::Attempts.lt(MAX_ATTEMPTS))
        .count(&db)
        .await;
    let failed = email_outbox::Entity::find()
        .filter(email_outbox::Column::SentAt.is_null())
        .filter(email_outbox::Column::Attempts.gte(MAX_ATTEMPTS))
        .count(&db)
        .await;
    if let (Ok(pending), Ok(failed)) = (pending, failed) {
        gauge(
            &mut out,
            "portal_email_outbox_pending",
            "E-mails waiting to be sent.",
            pending.to_string(),
        );
        gauge(
            &mut out,
            "portal_email_outbox_given_up",
            "E-mails given up after every attempt failed.",
            failed.to_string(),
        );
    }
    counter(
        &mut out,
        "portal_deadline_sweeps_total",
        "Deadline sweeper passes finished by this instance.",
        c.sweeps.load(Ordering::Relaxed),
    );
    gauge(
        &mut out,
        "portal_deadline_last_sweep_timestamp_seconds",
        "When this instance last finished a sweep (Unix seconds).",
        c.last_sweep.load(Ordering::Relaxed).to_string(),
    );
    counter(
        &mut out,
        "portal_emails_sent_total",
        "E-mails sent by this instance.",
        c.mail_sent.load(Ordering::Relaxed),
    );
    counter(
        &mut out,
        "portal_emails_failed_total",
        "Failed e-mail attempts by this instance.",
        c.mail_failed.load(Ordering::Relaxed),
    );
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        out,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_cumulative() {
        let c = Counters::default();
        c.observe(200, 0.003);
        c.observe(404, 0.2);
        c.observe(503, 9.0);
        assert_eq!(c.responses[1].load(Ordering::Relaxed), 1);
        assert_eq!(c.responses[3].load(Ordering::Relaxed), 1);
        assert_eq!(c.responses[4].load(Ordering::Relaxed), 1);
        assert_eq!(c.latency[0].load(Ordering::Relaxed), 1, "≤ 5 ms");
        assert_eq!(c.latency[5].load(Ordering::Relaxed), 2, "≤ 250 ms");
        assert_eq!(c.latency[BUCKETS.len()].load(Ordering::Relaxed), 3, "+Inf");
    }
}
