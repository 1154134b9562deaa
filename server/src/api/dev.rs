//! `POST /api/v1/dev/clock`: moves the development clock (DESIGN §9 "Moving
//! time in tests"). Answers 404 unless the server runs with `PORTAL_DEV_CLOCK`.

use super::{Administrator, AppJson, ErrorBody};
use crate::clock::{Clock, ClockError, FIRST_YEAR, LAST_YEAR};
use crate::errors::ServerResult;
use crate::state::AppState;
use app::error::AppError;
use axum::{Json, extract::State};
use serde::{Deserialize, Serialize};
use time::{OffsetDateTime, format_description::well_known::Rfc3339};
use utoipa::ToSchema;

/// Either a number of seconds to move forward, or an instant to move to.
#[derive(Deserialize, ToSchema)]
pub struct MoveClock {
    advance_seconds: Option<i64>,
    /// RFC 3339; not before the current time.
    now: Option<String>,
}

/// The clock after the move.
#[derive(Serialize, ToSchema)]
pub struct ClockNow {
    /// RFC 3339, UTC.
    now: String,
}

/// Moves the development clock forward (administrators only).
#[utoipa::path(post, path = "/api/v1/dev/clock", tag = "dev", request_body = MoveClock,
    responses(
        (status = 200, body = ClockNow),
        (status = 403, description = "`forbidden`: administrators only", body = ErrorBody),
        (status = 404, description = "the server does not run a development clock", body = ErrorBody),
        (status = 409, description = "`clock_backwards`", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn move_clock(
    State(state): State<AppState>,
    Administrator(me): Administrator,
    AppJson(body): AppJson<MoveClock>,
) -> ServerResult<Json<ClockNow>> {
    let Some(clock) = state.dev_clock.as_ref() else {
        return Err(AppError::not_found().into());
    };
    // Through the API the clock only moves forward, whatever kind it is:
    // only a test's own code moves its clock back.
    let backwards = || AppError::new(409, "clock_backwards", "The clock only moves forward.");
    let refused = |field: &str, error: ClockError| match error {
        ClockError::Backwards => backwards(),
        ClockError::OutOfRange => AppError::invalid(
            field,
            "out_of_range",
            format!("The clock stays within the years {FIRST_YEAR} to {LAST_YEAR}."),
        ),
    };
    let now = match (body.advance_seconds, body.now) {
        (Some(seconds), None) if seconds < 0 => return Err(backwards().into()),
        (Some(seconds), None) => clock
            .advance(seconds)
            .map_err(|e| refused("advance_seconds", e))?,
        (None, Some(instant)) => {
            let to = OffsetDateTime::parse(&instant, &Rfc3339).map_err(|_| {
                AppError::invalid(
                    "now",
                    "invalid_instant",
                    "Give the instant in RFC 3339, e.g. 2027-01-31T15:30:00Z.",
                )
            })?;
            if to < clock.now() {
                return Err(backwards().into());
            }
            clock.set(to).map_err(|e| refused("now", e))?
        }
        _ => {
            return Err(AppError::invalid(
                "advance_seconds",
                "invalid_body",
                "Give either advance_seconds or now, not both and not neither.",
            )
            .into());
        }
    };
    tracing::warn!(account.id = %me.account_id, "development clock moved");
    // Background jobs run at once after a move (DESIGN §9).
    state.requests.sweep().await?;
    state.mailer.send_pending().await?;
    Ok(Json(ClockNow {
        now: crate::instant::rfc3339(now),
    }))
}
