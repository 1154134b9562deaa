//! The deadline sweeper (DESIGN §4): reminders to the assignee before the due
//! instant, and at the due instant the overdue flag, an escalation to every
//! administrator and a notice to the requester — each exactly once, however
//! many sweepers run and however often (the flag flips under a condition, and
//! every notice has a unique dedupe key).

use super::{ActorRef, Notice, Requests, notify, notify_many, record, rfc3339, timers};
use crate::audit::Actor;
use crate::entities::{accounts, request_timers, requests};
use crate::errors::ServerResult;
use domain::deadlines::{DeadlinePolicy, is_overdue, next_event, reminders_for};
use domain::requests::Event;
use domain::requests::{By, Recorded};
use sea_orm::{
    ColumnTrait, DatabaseBackend, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
    sea_query::{Expr, LockBehavior, LockType},
};
use std::collections::{HashMap, HashSet};
use time::OffsetDateTime;
use uuid::Uuid;

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

/// Timers claimed, worked and moved on in one transaction.
const BATCH: u64 = 1000;

impl Requests {
    /// One pass: every open request whose next event (a reminder, or the
    /// instant it becomes overdue) has come, in batches ordered by that
    /// instant, read from the front of the timers' key range
    /// ([`super::timers`]). Each batch is claimed, worked and moved on in
    /// one transaction: its timers deleted, each request's next one
    /// inserted. So a pass reads and writes what changed, and a reminder
    /// never rewrites the request's wide row. On PostgreSQL a batch claims
    /// its timers and their requests with `FOR UPDATE SKIP LOCKED`:
    /// instances sweeping at once share the work instead of waiting for
    /// each other. On SQLite the write transaction serialises them. Either
    /// way each notice goes out once (the overdue flag flips under a
    /// condition, every notice has a unique dedupe key).
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
    /// there was one to work.
    async fn batch(
        &self,
        phase: Phase,
        now: OffsetDateTime,
        staff: &[accounts::Model],
        report: &mut SweepReport,
    ) -> ServerResult<bool> {
        let postgres = self.db.get_database_backend() == DatabaseBackend::Postgres;
        let mut claim = request_timers::Entity::find()
            .filter(request_timers::Column::At.lte(now))
            .order_by_asc(request_timers::Column::At)
            .limit(BATCH);
        if postgres {
            claim = claim.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
        }
        // Past its due instant (to the second: overdue once `now > due`).
        let past_due = request_timers::Column::DueAt.lt(now);
        let (_guard, txn) = match phase {
            Phase::Overdue => {
                claim = claim.filter(past_due);
                let (guard, txn) = self.begin().await?;
                self.audit.hold(&txn).await?;
                (Some(guard), txn)
            }
            Phase::Reminders => {
                claim = claim.filter(request_timers::Column::DueAt.gte(now));
                (None, crate::db::begin_write(&self.db).await?)
            }
        };
        let claimed = claim.all(&txn).await?;
        let requests = claimed_requests(&txn, &claimed, postgres).await?;
        let mut worked = Vec::with_capacity(claimed.len());
        let mut next = Vec::with_capacity(claimed.len());
        let mut out = Outgoing::default();
        let mut seen = HashSet::with_capacity(claimed.len());
        for timer in &claimed {
            let Some(request) = requests.here.get(&timer.request_id) else {
                // Being changed by another transaction, which replaces its
                // timer: left for a later pass. Gone: its timer goes too.
                if !requests.busy.contains(&timer.request_id) {
                    worked.push(timer.request_id);
                }
                continue;
            };
            if !seen.insert(request.id) {
                continue;
            }
            worked.push(request.id);
            report.examined += 1;
            match self
                .work(&txn, phase, request, now, staff, &mut out)
                .await?
            {
                Worked::MarkedOverdue => report.marked_overdue += 1,
                Worked::Next(timer) => next.extend(timer),
            }
        }
        if worked.is_empty() {
            txn.rollback().await?;
            return Ok(false);
        }
        report.reminders += notify_many(&txn, now, out.notices).await?;
        // Claimed in order: the last claimed timer is the latest.
        let through = claimed.last().map_or(now, |t| t.at);
        timers::delete_through(&txn, through, &worked).await?;
        timers::insert(&txn, next).await?;
        match phase {
            Phase::Overdue => self.audit.commit(txn, &self.db).await?,
            Phase::Reminders => txn.commit().await?,
        }
        Ok(true)
    }

    /// One request whose next event has come: marked overdue, or reminded
    /// (its reminders added to the batch's notices); answers its next timer.
    /// A reminders batch never flags a request (it holds no audit lock):
    /// one found past due moves to its overdue instant, which the next
    /// pass's overdue batches claim.
    async fn work<'s>(
        &self,
        txn: &DatabaseTransaction,
        phase: Phase,
        request: &requests::Model,
        now: OffsetDateTime,
        staff: &'s [accounts::Model],
        out: &mut Outgoing<'s>,
    ) -> ServerResult<Worked> {
        let Some(due) = request.due_at.filter(|_| sweepable(request)) else {
            // Closed, paused or flagged since its timer was set: nothing ahead.
            return Ok(Worked::Next(None));
        };
        if is_overdue(due, now) && matches!(phase, Phase::Overdue) {
            return Ok(if self.mark_overdue(txn, request, due, now, staff).await? {
                Worked::MarkedOverdue
            } else {
                Worked::Next(None)
            });
        }
        let policy = out.policies.of(request)?;
        if !is_overdue(due, now) {
            remind(request, policy, due, now, staff, &mut out.notices)?;
        }
        Ok(Worked::Next(Some(request_timers::Model {
            at: next_event_of(request, policy, due, now)?,
            request_id: request.id,
            due_at: due,
        })))
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
    /// Its next timer, if any.
    Next(Option<request_timers::Model>),
}

/// Whether the sweeper has anything ahead for a request: open, running, not
/// yet flagged overdue, with a due instant.
pub(super) fn sweepable(request: &requests::Model) -> bool {
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

/// What a batch sends, and the policy snapshots it read.
#[derive(Default)]
struct Outgoing<'s> {
    notices: Vec<Notice<'s>>,
    policies: Policies,
}

/// The requests of a batch's claimed timers.
struct Claimed {
    /// Read (on PostgreSQL: locked) by this batch, by id.
    here: HashMap<Uuid, requests::Model>,
    /// Locked by another transaction (PostgreSQL), which is changing them.
    busy: HashSet<Uuid>,
}

/// The requests of the claimed timers. On PostgreSQL each is locked
/// (`FOR UPDATE SKIP LOCKED`): one that another transaction is changing is
/// busy, never waited for — that transaction replaces its timer, and may be
/// waiting for this batch's lock on it. A request that is gone is in
/// neither set.
async fn claimed_requests(
    txn: &DatabaseTransaction,
    claimed: &[request_timers::Model],
    postgres: bool,
) -> ServerResult<Claimed> {
    let ids = || claimed.iter().map(|t| t.request_id);
    let mut find = requests::Entity::find().filter(requests::Column::Id.is_in(ids()));
    if postgres {
        find = find.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let here: HashMap<Uuid, requests::Model> = find
        .all(txn)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let missing: Vec<Uuid> = ids().filter(|id| !here.contains_key(id)).collect();
    let busy = if postgres && !missing.is_empty() {
        requests::Entity::find()
            .select_only()
            .column(requests::Column::Id)
            .filter(requests::Column::Id.is_in(missing))
            .into_tuple()
            .all(txn)
            .await?
            .into_iter()
            .collect()
    } else {
        HashSet::new()
    };
    Ok(Claimed { here, busy })
}

/// The policy snapshots of one batch, each read once: most requests share
/// a handful of policies.
#[derive(Default)]
struct Policies(HashMap<String, DeadlinePolicy>);

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

pub(super) fn parse_policy(request: &requests::Model) -> ServerResult<DeadlinePolicy> {
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
            // Keyed by the reminder and the due instant: an extension re-arms
            // reminders. The reminder's instant comes first: passes send
            // reminders in that order, so the notices' and e-mails' unique
            // indexes grow at one end instead of taking a random insert each.
            dedupe: format!(
                "reminder:{}:{}:{}:{}",
                at.unix_timestamp(),
                request.id,
                officer.id,
                due.unix_timestamp()
            ),
        });
    }
    Ok(())
}
