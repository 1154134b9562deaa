//! Data-subject requests (DESIGN §2, §4): intake with an acknowledgment
//! number and a due instant at once, the lifecycle worked by officers, and the
//! clock kept by the deadline engine. Every change is one transaction with its
//! timeline event, its notices and its audit entry.

mod actions;
mod attachments;
mod intake;
mod metrics;
mod policies;
mod sweep;
mod timers;
mod views;

pub use actions::OfficerAction;
pub use attachments::{AttachmentFile, attachment_refusal};
pub use intake::{ACKNOWLEDGMENTS_PER_ADDRESS_PER_DAY, Receipt};
pub use sweep::SweepReport;
pub use views::{AssigneeFilter, REGISTER_PAGE, RegisterCursor, RegisterFilter};

use crate::audit;
use crate::clock::Clock;
use crate::entities::{deadline_policies, notifications, request_events, requests};
use crate::errors::ServerResult;
use crate::rate_limit::RateLimiter;
use crate::sessions::Principal;
use anyhow::Context;
use app::error::AppError;
use domain::deadlines::{self, DeadlinePolicy, Schedule};
use domain::requests::{By, Recorded};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, sea_query::OnConflict,
};
use std::{net::IpAddr, sync::Arc};
use time::OffsetDateTime;
use uuid::Uuid;

/// The request service.
pub struct Requests {
    db: DatabaseConnection,
    clock: Arc<dyn Clock>,
    /// Serialises transactions that append to the audit chain.
    audit: Arc<crate::audit::AuditLog>,
    limits: RequestLimits,
    /// Where attachments' bytes are kept.
    attachments: std::path::PathBuf,
    /// The portal's address as people reach it, for links in e-mails.
    public_url: String,
    /// Filings waiting for the next group commit (`intake.rs`).
    filings: intake::FilingQueue,
    /// How many group commits wrote how many filings.
    filing_stats: intake::FilingStats,
}

/// How often requests may be filed and tracking codes tried.
struct RequestLimits {
    /// Filings without a session, per client address.
    anonymous: RateLimiter,
    /// Filings by a signed-in holder, per account.
    signed_in: RateLimiter<uuid::Uuid>,
    /// Wrong acknowledgment numbers or tracking codes, per client address.
    tracking: RateLimiter,
}

/// Filings without a session per address per hour.
pub const ANONYMOUS_FILINGS_PER_HOUR: u32 = 20;
/// Filings per signed-in holder per hour.
pub const SIGNED_IN_FILINGS_PER_HOUR: u32 = 30;
/// Wrong tracking attempts per address per hour.
pub const TRACKING_GUESSES_PER_HOUR: u32 = 20;

/// Who asks about a request: a session, a tracking token, and the address
/// the question came from.
#[derive(Clone, Copy, Debug)]
pub struct Caller<'a> {
    /// The signed-in account, if any.
    pub me: Option<&'a Principal>,
    /// The tracking code given at filing, if any.
    pub token: Option<&'a str>,
    /// The client address.
    pub client: Option<IpAddr>,
}

/// Who acts on a request.
#[derive(Clone, Copy, Debug)]
pub struct ActorRef {
    /// Audit actor.
    pub actor: audit::Actor,
    /// `requester`, `officer`, `admin` or `system`, for the timeline.
    pub kind: &'static str,
}

impl Requests {
    /// The service.
    #[must_use]
    pub fn new(
        db: DatabaseConnection,
        clock: Arc<dyn Clock>,
        audit: Arc<crate::audit::AuditLog>,
        attachments: std::path::PathBuf,
        public_url: String,
    ) -> Self {
        let hour = time::Duration::hours(1);
        Requests {
            db,
            clock,
            audit,
            attachments,
            public_url: public_url.trim_end_matches('/').to_owned(),
            limits: RequestLimits {
                anonymous: RateLimiter::new(ANONYMOUS_FILINGS_PER_HOUR, hour),
                signed_in: RateLimiter::new(SIGNED_IN_FILINGS_PER_HOUR, hour),
                tracking: RateLimiter::new(TRACKING_GUESSES_PER_HOUR, hour),
            },
            filings: intake::FilingQueue::default(),
            filing_stats: intake::FilingStats::default(),
        }
    }

    /// Throttles filing, the same through every door: per address without
    /// a session, per account with one.
    ///
    /// # Errors
    /// 429 `rate_limited` with the seconds to wait.
    pub(crate) fn count_filing(
        &self,
        requester: Option<&Principal>,
        client: Option<IpAddr>,
    ) -> Result<(), AppError> {
        let now = self.clock.now();
        match requester {
            Some(me) => self.limits.signed_in.check(me.account_id, now),
            None => self.limits.anonymous.check(client, now),
        }
    }

    /// Finds the request a caller asks about and checks that they may see
    /// it: staff when `staff_may`, its account's session, or its tracking
    /// token. A wrong number or code is answered 404 and counted against the
    /// address; past the limit the address gets 429 before any lookup, so
    /// codes cannot be guessed.
    async fn find_for_requester(
        &self,
        txn: &DatabaseTransaction,
        ack: &str,
        caller: &Caller<'_>,
        staff_may: bool,
    ) -> ServerResult<requests::Model> {
        let now = self.clock.now();
        let tracking = caller.token.is_some() && caller.me.is_none();
        if tracking {
            self.limits.tracking.refuse_if_full(&caller.client, now)?;
        }
        let found = match self.find_by_ack(txn, ack).await {
            Ok(request) => Some(request),
            // An unknown or malformed number is a miss like a wrong code;
            // a database failure stays a failure.
            Err(crate::errors::ServerError::Client(_)) => None,
            Err(e) => return Err(e),
        }
        .filter(|request| {
            (staff_may && caller.me.is_some_and(|p| p.role.is_staff()))
                || actions::is_requester(request, caller.me, caller.token)
        });
        match found {
            Some(request) => Ok(request),
            None => {
                if tracking {
                    // Counting may itself refuse: the last guess gets 429.
                    self.limits.tracking.check(caller.client, now)?;
                }
                Err(AppError::not_found().into())
            }
        }
    }

    /// The audit log the service appends to.
    #[must_use]
    pub fn audit(&self) -> &crate::audit::AuditLog {
        &self.audit
    }

    /// The database.
    #[must_use]
    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// The service's clock reading.
    #[must_use]
    pub fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }

    /// Stores every preset policy that has no row yet (at start).
    ///
    /// # Errors
    /// When the database fails.
    pub async fn ensure_policies(&self) -> ServerResult<()> {
        let now = self.clock.now();
        for preset in deadlines::presets() {
            let row = deadline_policies::ActiveModel {
                name: Set(preset.name.clone()),
                version: Set(1),
                rules: Set(serde_json::to_string(&preset).context("policy to JSON")?),
                updated_at: Set(now),
            };
            deadline_policies::Entity::insert(row)
                .on_conflict(
                    OnConflict::column(deadline_policies::Column::Name)
                        .do_nothing()
                        .to_owned(),
                )
                .exec_without_returning(&self.db)
                .await?;
        }
        Ok(())
    }

    async fn begin(&self) -> ServerResult<(tokio::sync::MutexGuard<'_, ()>, DatabaseTransaction)> {
        let guard = self.audit.lock().await;
        Ok((guard, crate::db::begin_write(&self.db).await?))
    }

    async fn find_by_ack(
        &self,
        txn: &DatabaseTransaction,
        ack: &str,
    ) -> ServerResult<requests::Model> {
        let ack = domain::requests::parse_acknowledgment(ack).ok_or_else(AppError::not_found)?;
        Ok(requests::Entity::find()
            .filter(requests::Column::Ack.eq(ack))
            .one(txn)
            .await?
            .ok_or_else(AppError::not_found)?)
    }
}

/// A stored policy and its version.
async fn stored_policy(
    txn: &DatabaseTransaction,
    name: &str,
) -> ServerResult<(DeadlinePolicy, i32)> {
    let row = deadline_policies::Entity::find_by_id(name.to_owned())
        .one(txn)
        .await?
        .with_context(|| format!("deadline policy {name} is not stored"))?;
    Ok((
        serde_json::from_str(&row.rules).context("stored policy JSON")?,
        row.version,
    ))
}

/// Recomputes a request's schedule from its policy snapshot, its clock start
/// and its timeline (pauses and extensions): the engine, through the domain's
/// request aggregate, is the only place a due instant is computed.
fn schedule(
    request: &requests::Model,
    events: &[request_events::Model],
    now: OffsetDateTime,
) -> ServerResult<Option<Schedule>> {
    actions::aggregate(request, events)?
        .schedule(now)
        .map_err(|e| crate::errors::deadline_refusal(&e).into())
}

async fn timeline(
    txn: &impl sea_orm::ConnectionTrait,
    request_id: Uuid,
) -> ServerResult<Vec<request_events::Model>> {
    Ok(request_events::Entity::find()
        .filter(request_events::Column::RequestId.eq(request_id))
        .order_by_asc(request_events::Column::At)
        .all(txn)
        .await?)
}

/// Stores a timeline event: under `by`, or the system for the aggregate's
/// own events (pauses, resumptions).
async fn record(
    txn: &DatabaseTransaction,
    request_id: Uuid,
    at: OffsetDateTime,
    by: ActorRef,
    event: Recorded,
) -> ServerResult<()> {
    event_row(request_id, at, by, event).insert(txn).await?;
    Ok(())
}

/// A timeline event's row, for [`record`] or a multi-row insert.
fn event_row(
    request_id: Uuid,
    at: OffsetDateTime,
    by: ActorRef,
    event: Recorded,
) -> request_events::ActiveModel {
    let by = match event.by {
        By::Caller => by,
        By::System => ActorRef {
            actor: audit::Actor::SYSTEM,
            kind: "system",
        },
    };
    request_events::ActiveModel {
        id: Set(Uuid::now_v7()),
        request_id: Set(request_id),
        at: Set(at),
        actor_kind: Set(by.kind.to_owned()),
        actor_id: Set(by.actor.id),
        action: Set(event.event.into()),
        note: Set(event.note),
        internal: Set(event.internal),
        due_before: Set(event.due_before),
        due_after: Set(event.due_after),
        extension_length: Set(event
            .extension_length
            .map(|l| i32::try_from(l).unwrap_or(i32::MAX))),
    }
}

/// A notice to a person: into the inbox when they have an account, into the
/// e-mail outbox when an address is known. `dedupe` makes it once-only.
pub(crate) struct Notice<'a> {
    pub account_id: Option<Uuid>,
    pub email: Option<&'a str>,
    pub request_id: Option<Uuid>,
    pub kind: &'a str,
    pub subject: String,
    pub body: String,
    pub dedupe: String,
}

/// Stores a notice; returns whether it was new.
pub(crate) async fn notify(
    txn: &DatabaseTransaction,
    now: OffsetDateTime,
    notice: Notice<'_>,
) -> ServerResult<bool> {
    Ok(notify_many(txn, now, vec![notice]).await? == 1)
}

/// Many notices at once, in the caller's transaction: two multi-row
/// inserts per chunk instead of two statements per notice. Answers how many
/// were new (a dedupe key seen before is skipped, in the inbox and the
/// outbox alike: they were always written together).
///
/// # Errors
/// When the database fails.
pub(crate) async fn notify_many(
    txn: &DatabaseTransaction,
    now: OffsetDateTime,
    notices: Vec<Notice<'_>>,
) -> ServerResult<usize> {
    use crate::entities::email_outbox;
    // Under SQLite's and PostgreSQL's limits on bound parameters.
    const CHUNK: usize = 400;
    let mut fresh = 0;
    for chunk in notices.chunks(CHUNK) {
        let inbox = chunk.iter().map(|notice| notifications::ActiveModel {
            id: Set(Uuid::now_v7()),
            account_id: Set(notice.account_id),
            request_id: Set(notice.request_id),
            kind: Set(notice.kind.to_owned()),
            subject: Set(notice.subject.clone()),
            body: Set(notice.body.clone()),
            created_at: Set(now),
            read_at: Set(None),
            dedupe_key: Set(notice.dedupe.clone()),
        });
        let inserted = notifications::Entity::insert_many(inbox)
            .on_conflict(
                OnConflict::column(notifications::Column::DedupeKey)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
        fresh += usize::try_from(inserted).unwrap_or(usize::MAX);
        let mails: Vec<_> = chunk
            .iter()
            .filter_map(|notice| {
                Some(email_outbox::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    to_email: Set(notice.email?.to_owned()),
                    subject: Set(notice.subject.clone()),
                    body: Set(notice.body.clone()),
                    created_at: Set(now),
                    sent_at: Set(None),
                    attempts: Set(0),
                    dedupe_key: Set(notice.dedupe.clone()),
                    claimed_until: Set(None),
                    next_attempt_at: Set(None),
                    last_error: Set(None),
                })
            })
            .collect();
        if !mails.is_empty() {
            email_outbox::Entity::insert_many(mails)
                .on_conflict(
                    OnConflict::column(email_outbox::Column::DedupeKey)
                        .do_nothing()
                        .to_owned(),
                )
                .exec_without_returning(txn)
                .await?;
        }
    }
    Ok(fresh)
}

use crate::instant::rfc3339;

/// A re-access request's check for staff: its scorecard (when it came with
/// structured answers) and the other re-access requests for the account.
///
/// # Errors
/// When the database fails.
pub(crate) async fn reaccess_check(
    db: &impl sea_orm::ConnectionTrait,
    request: &requests::Model,
) -> ServerResult<Option<app::requests::ReaccessCheck>> {
    if domain::requests::RequestKind::from(request.kind) != domain::requests::RequestKind::Reaccess
    {
        return Ok(None);
    }
    let claim = crate::accounts::recovery::claim_of(db, request.id).await?;
    Ok(Some(match claim {
        Some((card, other_requests)) => app::requests::ReaccessCheck {
            card: Some(card),
            other_requests,
        },
        None => app::requests::ReaccessCheck {
            card: None,
            other_requests: Vec::new(),
        },
    }))
}
