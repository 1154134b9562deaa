//! The deadline sweeper (DESIGN §4): reminders to the assignee before the due
//! instant, and at the due instant the overdue flag, an escalation to every
//! administrator and a notice to the requester — each exactly once, however
//! many sweepers run and however often (the flag flips under a condition, and
//! every notice has a unique dedupe key).

use super::{ActorRef, Notice, Requests, notify, record, rfc3339};
use crate::audit::Actor;
use crate::entities::{accounts, deadline_policies, requests};
use crate::errors::ServerResult;
use domain::deadlines::{DeadlinePolicy, is_overdue, reminders_for};
use domain::requests::Event;
use domain::requests::{By, Recorded};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect, sea_query::Expr,
};
use time::{Duration, OffsetDateTime};

/// What one pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SweepReport {
    /// Requests looked at.
    pub examined: usize,
    /// Requests newly marked overdue.
    pub marked_overdue: usize,
    /// Reminders sent.
    pub reminders: usize,
}

/// The shortest look-ahead for reminders (the presets remind up to 7 days
/// before); a policy with longer reminders widens it ([`Requests::lookahead`]).
const MIN_LOOKAHEAD: Duration = Duration::days(8);
const BATCH: u64 = 500;

impl Requests {
    /// One pass over the open requests that are due soon or overdue.
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(skip_all)]
    pub async fn sweep(&self) -> ServerResult<SweepReport> {
        let now = self.clock.now();
        let mut report = SweepReport::default();
        let open = Condition::all()
            .add(requests::Column::ClosedAt.is_null())
            .add(requests::Column::PausedSince.is_null())
            .add(requests::Column::DueAt.is_not_null());
        let admins = accounts::Entity::find()
            .filter(accounts::Column::Role.eq(accounts::Role::Admin))
            .all(&self.db)
            .await?;

        // Newly overdue: due before now and not yet flagged. Paged by due instant.
        loop {
            let batch = requests::Entity::find()
                .filter(open.clone())
                .filter(requests::Column::Overdue.eq(false))
                .filter(requests::Column::DueAt.lt(now))
                .order_by_asc(requests::Column::DueAt)
                .limit(BATCH)
                .all(&self.db)
                .await?;
            if batch.is_empty() {
                break;
            }
            let mut progressed = false;
            for request in &batch {
                report.examined += 1;
                if self.mark_overdue(request, now, &admins).await? {
                    report.marked_overdue += 1;
                    progressed = true;
                }
            }
            if !progressed {
                break;
            }
        }

        // Due within the look-ahead: reminders whose instant has come. Paged
        // by (due instant, id) so memory stays flat however many are due.
        // Staff: officers, and administrators, who can be assigned too.
        let lookahead = self.lookahead().await?;
        let staff = accounts::Entity::find()
            .filter(accounts::Column::Role.is_in([accounts::Role::Officer, accounts::Role::Admin]))
            .all(&self.db)
            .await?;
        let mut after: Option<(OffsetDateTime, uuid::Uuid)> = None;
        loop {
            let mut page = requests::Entity::find()
                .filter(open.clone())
                .filter(requests::Column::Overdue.eq(false))
                .filter(requests::Column::DueAt.gte(now))
                .filter(requests::Column::DueAt.lte(now + lookahead));
            if let Some((due, id)) = after {
                page = page.filter(
                    Condition::any().add(requests::Column::DueAt.gt(due)).add(
                        Condition::all()
                            .add(requests::Column::DueAt.eq(due))
                            .add(requests::Column::Id.gt(id)),
                    ),
                );
            }
            let batch = page
                .order_by_asc(requests::Column::DueAt)
                .order_by_asc(requests::Column::Id)
                .limit(BATCH)
                .all(&self.db)
                .await?;
            let Some(last) = batch.last() else { break };
            after = last.due_at.map(|due| (due, last.id));
            // One transaction per page: a reminder is only a notice, and a
            // page committed together costs one disk sync, not five hundred.
            let txn = crate::db::begin_write(&self.db).await?;
            for request in &batch {
                report.examined += 1;
                report.reminders += self.remind(&txn, request, now, &staff).await?;
            }
            txn.commit().await?;
        }
        if report.marked_overdue + report.reminders > 0 {
            tracing::info!(
                overdue = report.marked_overdue,
                reminders = report.reminders,
                "deadline sweep"
            );
        }
        Ok(report)
    }

    /// How far ahead reminders are looked for: the longest reminder of any
    /// stored policy (at least [`MIN_LOOKAHEAD`]), so a policy that reminds
    /// 30 days or 3 months before is served on time. A request keeps the
    /// rules it was received under; one whose policy has since been edited
    /// to remind less far ahead gets its earlier reminders within this
    /// look-ahead only.
    async fn lookahead(&self) -> ServerResult<Duration> {
        let mut policies = Vec::new();
        for row in deadline_policies::Entity::find().all(&self.db).await? {
            let rules: DeadlinePolicy = serde_json::from_str(&row.rules)
                .map_err(|e| anyhow::anyhow!("stored policy {} is unreadable: {e}", row.name))?;
            policies.push(rules);
        }
        Ok(policies
            .into_iter()
            .flat_map(|p| p.reminders)
            .map(|r| r.longest() + Duration::days(1))
            .fold(MIN_LOOKAHEAD, Duration::max))
    }

    async fn mark_overdue(
        &self,
        request: &requests::Model,
        now: OffsetDateTime,
        admins: &[accounts::Model],
    ) -> ServerResult<bool> {
        let Some(due) = request.due_at else {
            return Ok(false);
        };
        if !is_overdue(due, now) {
            return Ok(false);
        }
        let (_guard, txn) = self.begin().await?;
        // Only one sweeper wins the flip; the others see 0 rows and stop.
        let flipped = requests::Entity::update_many()
            .col_expr(requests::Column::Overdue, Expr::value(true))
            .col_expr(requests::Column::UpdatedAt, Expr::value(now))
            .filter(requests::Column::Id.eq(request.id))
            .filter(requests::Column::Overdue.eq(false))
            .exec(&txn)
            .await?
            .rows_affected;
        if flipped == 0 {
            txn.rollback().await?;
            return Ok(false);
        }
        let system = ActorRef {
            actor: Actor::SYSTEM,
            kind: "system",
        };
        record(
            &txn,
            request.id,
            now,
            system,
            Recorded::new(Event::Overdue, By::System).note(format!("due {}", rfc3339(due))),
        )
        .await?;
        for admin in admins {
            notify(
                &txn,
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
            &txn,
            request,
            now,
            "overdue",
            "Your answer is late".into(),
            format!("We have not answered your request by its deadline, {} (UTC). It has been escalated and we will answer as soon as possible. You may complain to the data protection authority.", rfc3339(due)),
        )
        .await?;
        self.audit
            .append(
                &txn,
                now,
                Actor::SYSTEM,
                "request.overdue",
                &request.ack,
                "{}",
            )
            .await?;
        self.audit.commit(txn, &self.db).await?;
        Ok(true)
    }

    async fn remind(
        &self,
        txn: &sea_orm::DatabaseTransaction,
        request: &requests::Model,
        now: OffsetDateTime,
        staff: &[accounts::Model],
    ) -> ServerResult<usize> {
        let Some(due) = request.due_at else {
            return Ok(0);
        };
        let policy: DeadlinePolicy =
            serde_json::from_str(&request.policy_rules).map_err(anyhow::Error::from)?;
        let start = request.clock_started_at.unwrap_or(request.received_at);
        let due_instants: Vec<_> = reminders_for(&policy, due, start)
            .unwrap_or_default()
            .into_iter()
            .filter(|at| *at <= now)
            .collect();
        // Only the latest reminder that has come is sent; earlier missed ones are not replayed.
        let Some(at) = due_instants.last() else {
            return Ok(0);
        };
        // The assignee, whatever their staff role; nobody assigned: every
        // officer (administrators hear of it when it is overdue).
        let recipients: Vec<&accounts::Model> = match request.assignee_id {
            Some(id) => staff.iter().filter(|s| s.id == id).collect(),
            None => staff
                .iter()
                .filter(|s| s.role == accounts::Role::Officer)
                .collect(),
        };
        let mut sent = 0;
        for officer in recipients {
            let fresh = notify(
                txn,
                now,
                Notice {
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
                },
            )
            .await?;
            sent += usize::from(fresh);
        }
        Ok(sent)
    }
}
