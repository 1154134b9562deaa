//! The sweeper's timers (`request_timers`, issue #12): each open request
//! whose clock runs, not yet overdue, has exactly one — the instant of its
//! next event (its next reminder, or the instant it becomes overdue, from
//! [`domain::deadlines::next_event`]), keyed by (instant, request), with its
//! due instant beside it.
//!
//! Three writers keep it: a filing inserts its request's timer, every change
//! to a request ([`reset`], from `actions`) replaces it, and the sweeper
//! deletes the timers it worked and inserts each request's next one. The
//! timer a request had is found without an index on the request: it sits at
//! one of the event instants of the request's earlier state
//! ([`domain::deadlines::event_instants`]), so [`reset`] deletes those keys.

use super::sweep::{next_event_at, parse_policy};
use crate::entities::{request_timers, requests};
use crate::errors::ServerResult;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, sea_query::OnConflict,
};
use time::OffsetDateTime;
use uuid::Uuid;

/// Timers per statement: three bound parameters each, well under SQLite's
/// 32,766 and PostgreSQL's 65,535.
const PER_STATEMENT: usize = 1000;

/// The timer `request` needs at `now`, if any: none once it is closed,
/// paused, overdue or without a due instant.
///
/// # Errors
/// When the stored policy is unreadable.
pub(crate) fn timer_of(
    request: &requests::Model,
    now: OffsetDateTime,
) -> ServerResult<Option<request_timers::Model>> {
    Ok(next_event_at(request, now)?.and_then(|at| {
        request.due_at.map(|due_at| request_timers::Model {
            at,
            request_id: request.id,
            due_at,
        })
    }))
}

/// Inserts timers; one that exists already stays as it is.
///
/// # Errors
/// When the database fails.
pub(crate) async fn insert(
    db: &impl ConnectionTrait,
    timers: impl IntoIterator<Item = request_timers::Model>,
) -> ServerResult<()> {
    let timers: Vec<_> = timers.into_iter().collect();
    for part in timers.chunks(PER_STATEMENT) {
        let rows = part.iter().map(|t| request_timers::ActiveModel {
            at: Set(t.at),
            request_id: Set(t.request_id),
            due_at: Set(t.due_at),
        });
        request_timers::Entity::insert_many(rows)
            .on_conflict(OnConflict::new().do_nothing().to_owned())
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Deletes the timers of `requests` due at or before `through`: the ones a
/// sweeper batch claimed and worked (a request has one timer; any other of
/// theirs that has come is worked with it).
///
/// Not `(at, request_id) IN ((…), …)`: SQLite scans the whole table for a
/// list of row values; the range `at <= through` is the front of the key.
///
/// # Errors
/// When the database fails.
pub(crate) async fn delete_through(
    db: &impl ConnectionTrait,
    through: OffsetDateTime,
    requests: &[Uuid],
) -> ServerResult<()> {
    for part in requests.chunks(PER_STATEMENT) {
        request_timers::Entity::delete_many()
            .filter(request_timers::Column::At.lte(through))
            .filter(request_timers::Column::RequestId.is_in(part.iter().copied()))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Replaces the timer of a request that changed from `before` to `after`
/// at `now`: the one `before` could have is deleted, the one `after` needs
/// (if any) inserted.
///
/// # Errors
/// When a stored policy is unreadable or the database fails.
pub(crate) async fn reset(
    db: &impl ConnectionTrait,
    before: &requests::Model,
    after: &requests::Model,
    now: OffsetDateTime,
) -> ServerResult<()> {
    // A note or an assignment leaves the clock alone: the timer stays right.
    let clock = |r: &requests::Model| {
        (
            r.due_at,
            r.clock_started_at,
            r.paused_since,
            r.closed_at,
            r.overdue,
        )
    };
    if clock(before) == clock(after) {
        return Ok(());
    }
    if let Some(due) = before.due_at.filter(|_| super::sweep::sweepable(before)) {
        let start = before.clock_started_at.unwrap_or(before.received_at);
        let instants = domain::deadlines::event_instants(&parse_policy(before)?, due, start)
            .map_err(|e| crate::errors::deadline_refusal(&e))?;
        request_timers::Entity::delete_many()
            .filter(request_timers::Column::RequestId.eq(before.id))
            .filter(request_timers::Column::At.is_in(instants))
            .exec(db)
            .await?;
    }
    insert(db, timer_of(after, now)?).await
}
