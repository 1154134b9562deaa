//! `GET /api/v1/policies` and `POST /api/v1/deadlines/compute`: the public
//! preview of how each deadline policy counts (DESIGN §4, §9). No session;
//! rate-limited per client address.

use super::{AppJson, ClientAddr, ErrorBody};
use crate::errors::{ServerResult, deadline_refusal};
use crate::instant::rfc3339;
use crate::state::AppState;
use app::error::AppError;
use axum::{Json, extract::State};
use domain::deadlines::{self, DeadlinePolicy, Extension, Pause};
use serde::{Deserialize, Serialize};
use time::{OffsetDateTime, format_description::well_known::Rfc3339};
use utoipa::ToSchema;

/// A policy as the public sees it.
#[derive(Serialize, ToSchema)]
pub struct PolicyView {
    #[schema(example = "privacy-officer-60")]
    name: String,
    /// The legal source.
    source: String,
    /// The whole policy as data: period, clock start, pause, extension,
    /// reminders, time zone, calendar, roll-forward.
    rules: DeadlinePolicy,
}

/// The deadline policies and their sources.
#[utoipa::path(get, path = "/api/v1/policies", tag = "deadlines", responses((status = 200, body = Vec<PolicyView>)))]
pub async fn list_policies() -> Json<Vec<PolicyView>> {
    Json(
        deadlines::presets()
            .into_iter()
            .map(|p| PolicyView {
                name: p.name.clone(),
                source: p.source.clone(),
                rules: p,
            })
            .collect(),
    )
}

/// A pause as sent: RFC 3339 instants.
#[derive(Deserialize, ToSchema)]
pub struct PauseInput {
    from: String,
    to: String,
}

/// An extension as sent.
#[derive(Deserialize, ToSchema)]
pub struct ExtensionInput {
    /// RFC 3339: when it was granted.
    at: String,
    /// In the policy's extension unit; the whole allowance when absent.
    length: Option<u32>,
}

/// What to compute.
#[derive(Deserialize, ToSchema)]
pub struct ComputeRequest {
    #[schema(example = "privacy-officer-60")]
    policy: String,
    /// RFC 3339: when the clock started.
    #[schema(example = "2027-01-31T15:30:00Z")]
    start: String,
    #[serde(default)]
    pauses: Vec<PauseInput>,
    #[serde(default)]
    extensions: Vec<ExtensionInput>,
}

/// How the policy counts for this start.
#[derive(Serialize, ToSchema)]
pub struct ComputeResponse {
    policy: String,
    /// RFC 3339, UTC: the last second of the period.
    #[schema(example = "2027-04-01T15:59:59Z")]
    due_at: String,
    /// RFC 3339, UTC: when reminders go out.
    reminders: Vec<String>,
    /// RFC 3339, UTC: the first overdue second.
    overdue_at: String,
    /// A working-day count used holidays not yet published.
    provisional: bool,
}

const MAX_EVENTS: usize = 50;

fn instant(raw: &str, field: &str) -> Result<OffsetDateTime, AppError> {
    OffsetDateTime::parse(raw.trim(), &Rfc3339).map_err(|_| {
        AppError::invalid(
            field,
            "invalid_instant",
            format!("{field}: give an RFC 3339 instant such as 2027-01-31T15:30:00Z"),
        )
    })
}

/// Computes `due_at`, reminders and `overdue_at` for a policy and a start,
/// with optional pauses and extensions.
#[utoipa::path(post, path = "/api/v1/deadlines/compute", tag = "deadlines", request_body = ComputeRequest,
    responses(
        (status = 200, body = ComputeResponse),
        (status = 409, description = "`deadline_passed` or `extension_cap_exceeded`", body = ErrorBody),
        (status = 422, description = "unknown policy, malformed instant, bad pauses", body = ErrorBody),
        (status = 429, description = "`rate_limited`", body = ErrorBody),
    ))]
pub async fn compute_deadline(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    AppJson(body): AppJson<ComputeRequest>,
) -> ServerResult<Json<ComputeResponse>> {
    state.limiters.preview.check(client, state.clock.now())?;
    let policy = deadlines::preset(body.policy.trim()).ok_or_else(|| {
        AppError::invalid(
            "policy",
            "unknown_policy",
            "No deadline policy has this name; see GET /api/v1/policies.",
        )
    })?;
    let start = instant(&body.start, "start")?;
    if body.pauses.len() + body.extensions.len() > MAX_EVENTS {
        return Err(AppError::invalid(
            "pauses",
            "too_many_events",
            "At most 50 pauses and extensions together.",
        )
        .into());
    }
    let pauses = body
        .pauses
        .iter()
        .enumerate()
        .map(|(i, p)| {
            Ok(Pause {
                from: instant(&p.from, &format!("pauses[{i}].from"))?,
                to: instant(&p.to, &format!("pauses[{i}].to"))?,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let extensions = body
        .extensions
        .iter()
        .enumerate()
        .map(|(i, e)| {
            Ok(Extension {
                at: instant(&e.at, &format!("extensions[{i}].at"))?,
                length: e.length,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let schedule = deadlines::compute(&policy, start, &pauses, &extensions)
        .map_err(|e| deadline_refusal(&e))?;
    Ok(Json(ComputeResponse {
        policy: policy.name,
        due_at: rfc3339(schedule.due_at),
        reminders: schedule.reminders.iter().map(|r| rfc3339(r.0)).collect(),
        overdue_at: rfc3339(schedule.overdue_at),
        provisional: schedule.provisional,
    }))
}
