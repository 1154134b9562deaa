//! The deadline sweeper (DESIGN §4): reminders to the assignee before the due
//! instant, and at the due instant the overdue flag, an escalation to every
//! administrator and a notice to the requester — each exactly once, however
//! many sweepers run and however often (the flag flips under a condition, and
//! every notice has a unique dedupe key).

use super::{ActorRef, Notice, Requests, notify, notify_many, record, rfc3339};
use crate::audit::Actor;
use crate::entities::{accounts, requests};
use crate::errors::ServerResult;
use domain::deadlines::{DeadlinePolicy, is_overdue, next_event, reminders_for};
use domain::requests::Event;
use domain::requests::{By, Recorded};
use sea_orm::{
    ColumnTrait, Condition, DatabaseBackend, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
    sea_query::{Expr, LockBehavior, LockType},
};
use time::OffsetDateTime;

/// What one pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SweepReport {
    /// Requests looked at: those whose next event had come.
    pub examined: usize,
    /// Requests newly marked overdue.
    pub marked_overdue: usize,
    /// Reminders sent.
    pub reminders: usize,
}

/// Requests claimed, worked and moved on in one transaction.
const BATCH: u64 = 1000;

impl Requests {
    /// One pass: every open request whose next event (a reminder, or the
    /// instant it becomes overdue) has come, in batches ordered by that
    /// instant. Each batch is claimed, worked and moved on to its next
    /// event in one transaction, so a pass reads what changed, not every
    /// request due soon. On PostgreSQL a batch is claimed with
    /// `FOR UPDATE SKIP LOCKED`: instances sweeping at once share the work
    /// instead of waiting for each other. On SQLite the write transaction
    /// serialises them. Either way each notice goes out once (the overdue
    /// flag flips under a condition, every notice has a unique dedupe key).
    ///
    /// Two kinds of batch: the overdue ones (audited) take the audit lock
    /// *before* they claim rows, and the rest never take it — so a sweeper
    /// never waits for the audit lock while holding rows that an audited
    /// write (which locks a request row, then the chain) may be waiting for.
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(skip_all)]
    pub async fn sweep(&self) -> ServerResult<SweepReport> {
        let now = self.clock.now();
        let mut report = SweepReport::default();
        // Staff: officers, and administrators, who can be assigned too.
        let staff = accounts::Entity::find()
            .filter(accounts::Column::Role.is_in([accounts::Role::Officer, accounts::Role::Admin]))
            .all(&self.db)
            .await?;
        while self.batch(Phase::Overdue, now, &staff, &mut report).await? {}
        while self
            .batch(Phase::Reminders, now, &staff, &mut report)
            .await?
        {}
        if report.marked_overdue + report.reminders > 0 {
            tracing::info!(
                examined = report.examined,
                overdue = report.marked_overdue,
                reminders = report.reminders,
                "deadline sweep"
            );
        }
        Ok(report)
    }

    /// Claims, works and moves on one batch of `phase`; answers whether
    /// there was one.
    async fn batch(
        &self,
        phase: Phase,
        now: OffsetDateTime,
        staff: &[accounts::Model],
        report: &mut SweepReport,
    ) -> ServerResult<bool> {
        let postgres = self.db.get_database_backend() == DatabaseBackend::Postgres;
        let mut claim = requests::Entity::find()
            .filter(requests::Column::NextEventAt.lte(now))
            .order_by_asc(requests::Column::NextEventAt)
            .limit(BATCH);
        if postgres {
            claim = claim.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
        }
        // Past its due instant (to the second: overdue once `now > due`).
        let past_due = requests::Column::DueAt.lt(now);
        let (_guard, txn) = match phase {
            Phase::Overdue => {
                claim = claim.filter(past_due);
                let (guard, txn) = self.begin().await?;
                self.audit.hold(&txn).await?;
                (Some(guard), txn)
            }
            Phase::Reminders => {
                claim = claim.filter(
                    Condition::any()
                        .add(requests::Column::DueAt.is_null())
                        .add(requests::Column::DueAt.gte(now)),
                );
                (None, crate::db::begin_write(&self.db).await?)
            }
        };
        let batch = claim.all(&txn).await?;
        if batch.is_empty() {
            txn.rollback().await?;
            return Ok(false);
        }
        let mut notices = Vec::new();
        let mut policies = Policies::default();
        let mut moves = Vec::with_capacity(batch.len());
        for request in &batch {
            report.examined += 1;
            let next = match self
                .work(&txn, request, now, staff, &mut notices, &mut policies)
                .await?
            {
                Worked::MarkedOverdue => {
                    report.marked_overdue += 1;
                    None
                }
                Worked::Next(next) => next,
            };
            moves.push((request.id, next));
        }
        report.reminders += notify_many(&txn, now, notices).await?;
        move_on(&txn, &moves).await?;
        match phase {
            Phase::Overdue => self.audit.commit(txn, &self.db).await?,
            Phase::Reminders => txn.commit().await?,
        }
        Ok(true)
    }

    /// One request whose next event has come: marked overdue, or reminded
    /// (its reminders added to `notices`); answers where it moves next.
    async fn work<'s>(
        &self,
        txn: &DatabaseTransaction,
        request: &requests::Model,
        now: OffsetDateTime,
        staff: &'s [accounts::Model],
        notices: &mut Vec<Notice<'s>>,
        policies: &mut Policies,
    ) -> ServerResult<Worked> {
        let Some(due) = request.due_at.filter(|_| sweepable(request)) else {
            // Closed, paused or flagged since its event was set: nothing ahead.
            return Ok(Worked::Next(None));
        };
        if is_overdue(due, now) {
            return Ok(if self.mark_overdue(txn, request, due, now, staff).await? {
                Worked::MarkedOverdue
            } else {
                Worked::Next(None)
            });
        }
        let policy = policies.of(request)?;
        remind(request, policy, due, now, staff, notices)?;
        Ok(Worked::Next(Some(next_event_of(
            request, policy, due, now,
        )?)))
    }
    async fn mark_overdue(
        &self,
        txn: &DatabaseTransaction,
        request: &requests::Model,
        due: OffsetDateTime,
        now: OffsetDateTime,
        staff: &[accounts::Model],
    ) -> ServerResult<bool> {
        // The row is this pass's (claimed under the transaction); the
        // condition keeps the flip once-only all the same.
        let flipped = requests::Entity::update_many()
            .col_expr(requests::Column::Overdue, Expr::value(true))
            .col_expr(requests::Column::UpdatedAt, Expr::value(now))
            .filter(requests::Column::Id.eq(request.id))
            .filter(requests::Column::Overdue.eq(false))
            .exec(txn)
            .await?
            .rows_affected;
        if flipped == 0 {
            return Ok(false);
        }
        let system = ActorRef {
            actor: Actor::SYSTEM,
            kind: "system",
        };
        record(
            txn,
            request.id,
            now,
            system,
            Recorded::new(Event::Overdue, By::System).note(format!("due {}", rfc3339(due))),
        )
        .await?;
        for admin in staff.iter().filter(|s| s.role == accounts::Role::Admin) {
            notify(
                txn,
                now,
                Notice {
                    account_id: Some(admin.id),
                    email: Some(&admin.email),
                    request_id: Some(request.id),
                    kind: "escalation",
                    subject: format!("Overdue: {}", request.ack),
                    body: format!(
                        "Request {} was due {} (UTC) and has no answer.",
                        request.ack,
                        rfc3339(due)
                    ),
                    dedupe: format!("escalation:{}:{}", request.id, admin.id),
                },
            )
            .await?;
        }
        self.tell_requester(
            txn,
            request,
            now,
            "overdue",
            "Your answer is late".into(),
            format!("We have not answered your request by its deadline, {} (UTC). It has been escalated and we will answer as soon as possible. You may complain to the data protection authority.", rfc3339(due)),
        )
        .await?;
        self.audit
            .append(
                txn,
                now,
                Actor::SYSTEM,
                "request.overdue",
                &request.ack,
                "{}",
            )
            .await?;
        Ok(true)
    }
}

/// The two kinds of batch a pass works.
#[derive(Clone, Copy)]
enum Phase {
    /// Past their due instant: flagged and escalated, audited.
    Overdue,
    /// The rest whose event has come: reminders, never audited.
    Reminders,
}

/// What working one request came to.
enum Worked {
    /// Flagged overdue now: nothing more ahead.
    MarkedOverdue,
    /// Its next event, if any.
    Next(Option<OffsetDateTime>),
}

/// Whether the sweeper has anything ahead for a request: open, running, not
/// yet flagged overdue, with a due instant.
fn sweepable(request: &requests::Model) -> bool {
    request.closed_at.is_none()
        && request.paused_since.is_none()
        && !request.overdue
        && request.due_at.is_some()
}

/// The request's next event after `now` under its own policy snapshot.
fn next_event_of(
    request: &requests::Model,
    policy: &DeadlinePolicy,
    due: OffsetDateTime,
    now: OffsetDateTime,
) -> ServerResult<OffsetDateTime> {
    let start = request.clock_started_at.unwrap_or(request.received_at);
    next_event(policy, due, start, now).map_err(|e| crate::errors::deadline_refusal(&e).into())
}

/// The policy snapshots of one batch, each read once: most requests share
/// a handful of policies.
#[derive(Default)]
struct Policies(std::collections::HashMap<String, DeadlinePolicy>);

impl Policies {
    fn of(&mut self, request: &requests::Model) -> ServerResult<&DeadlinePolicy> {
        if !self.0.contains_key(&request.policy_rules) {
            let policy = parse_policy(request)?;
            self.0.insert(request.policy_rules.clone(), policy);
        }
        self.0
            .get(&request.policy_rules)
            .ok_or_else(|| anyhow::anyhow!("policy cache").into())
    }
}

fn parse_policy(request: &requests::Model) -> ServerResult<DeadlinePolicy> {
    serde_json::from_str(&request.policy_rules).map_err(|e| {
        anyhow::anyhow!("request {}: stored policy unreadable: {e}", request.ack).into()
    })
}

/// Where a request's sweeper clock stands after a change: its next event
/// ([`domain::deadlines::next_event`]) while it is open, running and not
/// overdue, otherwise `None`. Every write that changes the due instant, a
/// pause or the request's state sets it from this.
///
/// # Errors
/// When the stored policy is unreadable.
pub(crate) fn next_event_at(
    request: &requests::Model,
    now: OffsetDateTime,
) -> ServerResult<Option<OffsetDateTime>> {
    match request.due_at.filter(|_| sweepable(request)) {
        Some(due) => next_event_of(request, &parse_policy(request)?, due, now).map(Some),
        None => Ok(None),
    }
}

/// The reminder whose instant has come, to the assignee (whatever their
/// staff role) or, when nobody is assigned, to every officer
/// (administrators hear of it when it is overdue). Only the latest one
/// that has come is sent; earlier missed ones are not replayed.
fn remind<'s>(
    request: &requests::Model,
    policy: &DeadlinePolicy,
    due: OffsetDateTime,
    now: OffsetDateTime,
    staff: &'s [accounts::Model],
    notices: &mut Vec<Notice<'s>>,
) -> ServerResult<()> {
    let start = request.clock_started_at.unwrap_or(request.received_at);
    let Some(at) = reminders_for(policy, due, start)
        .unwrap_or_default()
        .into_iter()
        .rfind(|at| *at <= now)
    else {
        return Ok(());
    };
    let recipients = staff.iter().filter(|s| match request.assignee_id {
        Some(id) => s.id == id,
        None => s.role == accounts::Role::Officer,
    });
    for officer in recipients {
        notices.push(Notice {
            account_id: Some(officer.id),
            email: Some(&officer.email),
            request_id: Some(request.id),
            kind: "reminder",
            subject: format!("Due soon: {}", request.ack),
            body: format!("Request {} is due {} (UTC).", request.ack, rfc3339(due)),
            // Keyed by the reminder and the due instant: an extension re-arms reminders.
            dedupe: format!(
                "reminder:{}:{}:{}:{}",
                request.id,
                officer.id,
                at.unix_timestamp(),
                due.unix_timestamp()
            ),
        });
    }
    Ok(())
}

/// Moves each worked request on to its next event in one statement
/// (`SET next_event_at = CASE id WHEN … THEN … END`), not one per row.
async fn move_on(
    txn: &DatabaseTransaction,
    moves: &[(uuid::Uuid, Option<OffsetDateTime>)],
) -> ServerResult<()> {
    let Some(((id, next), rest)) = moves.split_first() else {
        return Ok(());
    };
    let mut next_of = Expr::case(requests::Column::Id.eq(*id), Expr::value(*next));
    for (id, next) in rest {
        next_of = next_of.case(requests::Column::Id.eq(*id), Expr::value(*next));
    }
    requests::Entity::update_many()
        .col_expr(requests::Column::NextEventAt, next_of.into())
        .filter(requests::Column::Id.is_in(moves.iter().map(|(id, _)| *id)))
        .exec(txn)
        .await?;
    Ok(())
}
