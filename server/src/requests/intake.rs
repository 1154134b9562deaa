//! Intake: a request is acknowledged at once, with its number, its policy and
//! its due instant (DESIGN §4 "Receipt is acknowledged at once").

use super::actions::refusal;
use super::{ActorRef, Notice, Requests, event_row, notify_many, rfc3339, schedule};
use crate::audit::Actor;
use crate::digest::sha256;
use crate::entities::{accounts, request_events, request_timers, requests};
use crate::errors::ServerResult;
use crate::sessions::Principal;
use app::error::AppError;
use app::requests::{Acknowledgment, NewRequest};
use domain::Email;
use domain::deadlines::DeadlinePolicy;
use domain::recovery::{ReaccessAnswers, Scorecard};
use domain::requests::Event;
use domain::requests::complaint::ComplaintCategory;
use domain::requests::{By, Recorded};
use domain::requests::{Channel, RequestKind, acknowledgment_number};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QuerySelect,
    TransactionTrait,
};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use time::OffsetDateTime;
use uuid::Uuid;

/// The acknowledgment.
#[derive(Clone, Debug)]
pub struct Receipt {
    pub acknowledgment: Acknowledgment,
    /// The same request was returned for a repeated idempotency key.
    pub replayed: bool,
}

/// Acknowledgment e-mails to one address not on file per day.
pub const ACKNOWLEDGMENTS_PER_ADDRESS_PER_DAY: u64 = 3;

impl Requests {
    /// Files a request.
    ///
    /// # Errors
    /// 422 naming the field for bad input; 401 for `in_app` without a session.
    #[tracing::instrument(skip_all)]
    pub async fn intake(
        &self,
        input: NewRequest,
        idempotency_key: Option<&str>,
        requester: Option<&Principal>,
        client: Option<std::net::IpAddr>,
    ) -> ServerResult<Receipt> {
        // The same limits whichever door the filing came through.
        self.count_filing(requester, client)?;
        let kind = RequestKind::parse(input.kind.trim()).ok_or_else(|| {
            AppError::invalid(
                "kind",
                "invalid_kind",
                "kind: one of access, copy, correction, deletion, objection, complaint, reaccess.",
            )
        })?;
        let channel = match (input.channel.trim(), kind) {
            // A re-access request has one way in.
            ("", RequestKind::Reaccess) => Channel::PrivacyOfficer,
            ("in_app", RequestKind::Reaccess) => {
                return Err(AppError::invalid(
                    "channel",
                    "invalid_channel",
                    "Re-access requests go to the privacy officer channel.",
                )
                .into());
            }
            ("in_app", _) => Channel::InApp,
            ("privacy_officer", _) => Channel::PrivacyOfficer,
            _ => {
                return Err(AppError::invalid(
                    "channel",
                    "invalid_channel",
                    "channel: in_app or privacy_officer.",
                )
                .into());
            }
        };
        if channel == Channel::InApp && requester.is_none() {
            return Err(AppError::unauthenticated().into());
        }
        let category = complaint_category(kind, input.category.as_deref())?;
        let answers = match (kind, input.reaccess.clone()) {
            (RequestKind::Reaccess, Some(answers)) => Some(answers.checked().map_err(|e| {
                AppError::invalid(
                    &format!("reaccess.{}", e.field()),
                    if e.field() == "verification" {
                        "verification_required"
                    } else {
                        e.code()
                    },
                    reaccess_message(&e),
                )
            })?),
            (RequestKind::Reaccess, None) | (_, None) => None,
            (_, Some(_)) => {
                return Err(AppError::invalid(
                    "reaccess",
                    "reaccess_not_applicable",
                    "reaccess: only re-access requests carry verification answers; leave it out for this kind of request.",
                )
                .into());
            }
        };
        let details = domain::requests::required(&input.details, "details").map_err(refusal)?;
        let verification = domain::requests::text(
            input.verification.as_deref().unwrap_or_default(),
            "verification",
        )
        .map_err(refusal)?;
        // Someone without a session must give an address to be answered at.
        let contact_email = match (
            requester,
            input
                .contact_email
                .as_deref()
                .map(str::trim)
                .filter(|e| !e.is_empty()),
        ) {
            (_, Some(raw)) => Some(
                Email::parse(raw)
                    .map_err(|e| AppError::invalid("contact_email", e.code(), e.to_string()))?,
            ),
            (None, None) => {
                return Err(AppError::invalid(
                    "contact_email",
                    "required",
                    "contact_email: an address to answer you at.",
                )
                .into());
            }
            (Some(_), None) => None,
        };
        if requester.is_none() && verification.is_none() && answers.is_none() {
            return Err(AppError::invalid(
                "verification",
                "required",
                "verification: details that let us confirm who you are.",
            )
            .into());
        }
        let idempotency_key = idempotency_key.map(str::trim).filter(|k| !k.is_empty());
        if idempotency_key.is_some_and(|k| k.len() > 200) {
            return Err(AppError::invalid(
                "Idempotency-Key",
                "too_long",
                "Idempotency-Key: at most 200 characters.",
            )
            .into());
        }
        let scope = requester.map_or_else(
            || {
                format!(
                    "anonymous:{}",
                    contact_email
                        .as_ref()
                        .map(Email::as_str)
                        .unwrap_or_default()
                )
            },
            |p| p.account_id.to_string(),
        );
        let idempotency_hash = idempotency_key.map(|k| sha256(&[&scope, k]));
        if let Some(hash) = &idempotency_hash
            && let Some(existing) = requests::Entity::find()
                .filter(requests::Column::IdempotencyHash.eq(hash.as_str()))
                .one(&self.db)
                .await?
        {
            // The same key with another request is a client's mistake, never
            // a replay: answering with the first request would hide it.
            let same = existing.kind == kind.into()
                && existing.channel == channel.into()
                && existing.details == details
                && existing.verification == verification
                && existing.complaint_category.as_deref() == category.map(|c| c.as_str());
            if !same {
                return Err(AppError {
                    field: Some("Idempotency-Key".into()),
                    ..AppError::new(
                        422,
                        "idempotency_key_reused",
                        "This Idempotency-Key was used for a different request. Use a new key for a new request.",
                    )
                }
                .into());
            }
            return replay(&existing);
        }

        let domain::requests::FilingRule {
            policy: policy_name,
            status,
            clock_starts_at_filing: clock_now,
        } = domain::requests::filing_rule(channel, kind);

        // Old passwords are checked against their hashes before the write
        // transaction: hashing is slow, and the passwords are not kept.
        let scored = match &answers {
            Some(answers) => {
                let zone = domain::deadlines::preset(policy_name)
                    .map_or_else(|| "Asia/Shanghai".to_owned(), |p| p.time_zone);
                Some(crate::accounts::recovery::score_reaccess(&self.db, answers, &zone).await?)
            }
            None => None,
        };
        self.file(Filing {
            kind,
            channel,
            status,
            clock_now,
            policy_name,
            category,
            details,
            verification,
            contact_email,
            idempotency_hash,
            requester: requester.cloned(),
            claim: answers.zip(scored),
        })
        .await
    }

    /// Writes a filing with the next group commit. Filings queue; whoever
    /// takes the audit lock writes every queued filing in one transaction,
    /// each in its own savepoint (a refused one rolls back alone), and
    /// commits once: one durable commit acknowledges the whole group, and no
    /// filing is acknowledged before its commit. While a group commits, the
    /// next one gathers, so concurrent filings share the cost of the commit
    /// instead of waiting for one each.
    async fn file(&self, filing: Filing) -> ServerResult<Receipt> {
        let (reply, mut answer) = tokio::sync::oneshot::channel();
        self.filings
            .lock()
            .expect("filing queue")
            .push((filing, reply));
        let guard = self.audit.lock().await;
        match answer.try_recv() {
            // Another filing's group wrote this one.
            Ok(result) => return result,
            Err(tokio::sync::oneshot::error::TryRecvError::Closed) => {
                return Err(anyhow::anyhow!("a filing group ended without answering").into());
            }
            Err(tokio::sync::oneshot::error::TryRecvError::Empty) => {}
        }
        let group = std::mem::take(&mut *self.filings.lock().expect("filing queue"));
        let size = group.len() as u64;
        if group.is_empty() {
            // Taken by a group whose writer still runs (its leader went away
            // before the answers): the answer comes from there.
            drop(guard);
            return answer
                .await
                .map_err(|_| anyhow::anyhow!("a filing group ended without answering"))?;
        }
        // A task of its own: the group is written and answered even when
        // this filing's client goes away.
        let writer = FilingWriter {
            db: self.db.clone(),
            clock: self.clock.clone(),
            audit: self.audit.clone(),
        };
        let written = tokio::spawn(async move { writer.write_group(group).await }).await;
        drop(guard);
        match written {
            Ok(true) => {
                self.filing_stats.commits.fetch_add(1, Ordering::Relaxed);
                self.filing_stats.filings.fetch_add(size, Ordering::Relaxed);
            }
            Ok(false) => {}
            Err(e) => return Err(anyhow::anyhow!("writing a filing group failed: {e}").into()),
        }
        answer
            .await
            .map_err(|_| anyhow::anyhow!("a filing group ended without answering"))?
    }
}

/// A filing checked and ready to write; everything its write needs, owned.
pub(super) struct Filing {
    kind: RequestKind,
    channel: Channel,
    status: domain::requests::Status,
    clock_now: bool,
    policy_name: &'static str,
    category: Option<ComplaintCategory>,
    details: String,
    verification: Option<String>,
    contact_email: Option<Email>,
    idempotency_hash: Option<String>,
    requester: Option<Principal>,
    /// A re-access request's answers and their score.
    claim: Option<(ReaccessAnswers, (Option<Uuid>, Scorecard))>,
}

/// Group commits of filings since start, and the filings they answered (a
/// filing refused inside a group, rolled back to its savepoint, counts too).
#[derive(Debug, Default)]
pub struct FilingStats {
    pub commits: AtomicU64,
    pub filings: AtomicU64,
}

/// Filings waiting for the next group commit, each with where its answer goes.
pub(super) type FilingQueue =
    std::sync::Mutex<Vec<(Filing, tokio::sync::oneshot::Sender<ServerResult<Receipt>>)>>;

/// What writes a group of filings.
struct FilingWriter {
    db: sea_orm::DatabaseConnection,
    clock: std::sync::Arc<dyn crate::clock::Clock>,
    audit: std::sync::Arc<crate::audit::AuditLog>,
}

/// Filings per multi-row insert: a request row has 28 columns, and two
/// timeline events of 12 go with each, under SQLite's 32,766 bound
/// parameters per statement (PostgreSQL's 65,535).
const FILINGS_PER_INSERT: usize = 500;

/// Answers of a group's filings, in the group's order.
type Answers = Vec<ServerResult<Receipt>>;

/// What a group's filings share while it is written: one instant, one read
/// of the requesters' accounts and of each policy, and the acknowledgment
/// e-mails to addresses not on file that the group has not written yet.
struct GroupContext {
    now: OffsetDateTime,
    on_file: HashMap<Uuid, String>,
    policies: HashMap<&'static str, (DeadlinePolicy, i32, String)>,
    acks_pending: HashMap<String, u64>,
}

/// A filing checked and built, waiting for the group's inserts.
struct Prepared {
    row: requests::Model,
    /// The sweeper's timer of the request, if its clock runs.
    timer: Option<request_timers::Model>,
    kind: RequestKind,
    status: domain::requests::Status,
    policy: DeadlinePolicy,
    requester: Option<Principal>,
    /// Where the acknowledgment e-mail goes, if anywhere.
    email: Option<String>,
    tracking_token: Option<String>,
}

impl FilingWriter {
    /// Writes the group in one transaction and answers every filing in it;
    /// true when the transaction committed.
    async fn write_group(
        &self,
        group: Vec<(Filing, tokio::sync::oneshot::Sender<ServerResult<Receipt>>)>,
    ) -> bool {
        let (filings, replies): (Vec<_>, Vec<_>) = group.into_iter().unzip();
        let size = filings.len();
        let fail_all = |replies: Vec<tokio::sync::oneshot::Sender<_>>, why: &str| {
            for reply in replies {
                let _ = reply.send(Err(anyhow::anyhow!("{why}").into()));
            }
        };
        let txn = match crate::db::begin_write(&self.db).await {
            Ok(txn) => txn,
            Err(e) => {
                tracing::error!(error = %e, "no transaction for a filing group");
                fail_all(replies, "no write transaction");
                return false;
            }
        };
        let answers = match self.write_all(&txn, filings).await {
            Ok(answers) => answers,
            Err(e) => {
                // Nothing of the group stays: the transaction rolls back.
                tracing::error!(error = format!("{e:#}"), "a filing group failed");
                if let Err(rollback) = txn.rollback().await {
                    tracing::error!(error = %rollback, "a filing group not rolled back");
                }
                fail_all(replies, "the filing group failed");
                return false;
            }
        };
        // Nothing is acknowledged before the commit that makes it durable.
        if let Err(e) = self.audit.commit(txn, &self.db).await {
            tracing::error!(error = format!("{e:#}"), "a filing group did not commit");
            for (reply, answer) in replies.into_iter().zip(answers) {
                let failed =
                    answer.and_then(|_| Err(anyhow::anyhow!("the group did not commit").into()));
                let _ = reply.send(failed);
            }
            return false;
        }
        if size > 1 {
            tracing::debug!(filings = size, "filings committed together");
        }
        for (reply, answer) in replies.into_iter().zip(answers) {
            if let Ok(receipt) = &answer {
                tracing::info!(request.ack = %receipt.acknowledgment.ack, "request received");
            }
            let _ = reply.send(answer);
        }
        true
    }

    /// Writes a group's filings inside its transaction: each filing is
    /// checked and built, then all of them go in with one multi-row insert
    /// per table. A re-access claim is written alone, in a savepoint, since
    /// its limit counts the claims written before it. An error here is the
    /// database's and fails the group.
    async fn write_all(
        &self,
        txn: &DatabaseTransaction,
        filings: Vec<Filing>,
    ) -> ServerResult<Answers> {
        let signed_in: Vec<Uuid> = filings
            .iter()
            .filter_map(|f| f.requester.as_ref().map(|p| p.account_id))
            .collect();
        let mut on_file = HashMap::new();
        for ids in signed_in.chunks(FILINGS_PER_INSERT) {
            on_file.extend(
                accounts::Entity::find()
                    .filter(accounts::Column::Id.is_in(ids.iter().copied()))
                    .all(txn)
                    .await?
                    .into_iter()
                    .map(|a| (a.id, a.email)),
            );
        }
        let mut context = GroupContext {
            now: self.clock.now(),
            on_file,
            policies: HashMap::new(),
            acks_pending: HashMap::new(),
        };
        let mut answers: Vec<Option<ServerResult<Receipt>>> = std::iter::repeat_with(|| None)
            .take(filings.len())
            .collect();
        let mut batch = Vec::with_capacity(filings.len());
        for (at, mut filing) in filings.into_iter().enumerate() {
            if let Some(claim) = filing.claim.take() {
                answers[at] = Some(self.write_claim(txn, filing, claim, &mut context).await);
                continue;
            }
            match Self::prepare(txn, filing, &mut context).await {
                Ok(prepared) => {
                    // Written with the group, after this loop: the daily cap
                    // of later filings counts it meanwhile.
                    if let (Some(_), Some(to)) = (&prepared.row.contact_email, &prepared.email) {
                        *context.acks_pending.entry(to.clone()).or_default() += 1;
                    }
                    batch.push((at, prepared));
                }
                Err(e) => answers[at] = Some(Err(e)),
            }
        }
        let (places, mut prepared): (Vec<_>, Vec<_>) = batch.into_iter().unzip();
        // A group can outgrow the bound parameters of one statement
        // (SQLite's 32,766): its inserts go in parts.
        let mut inserted = Vec::with_capacity(prepared.len());
        while !prepared.is_empty() {
            let rest = prepared.split_off(prepared.len().min(FILINGS_PER_INSERT));
            inserted.extend(self.insert(txn, prepared, context.now).await?);
            prepared = rest;
        }
        for (at, answer) in places.into_iter().zip(inserted) {
            answers[at] = Some(answer);
        }
        Ok(answers
            .into_iter()
            .map(|a| {
                a.unwrap_or_else(|| Err(anyhow::anyhow!("a filing was left unwritten").into()))
            })
            .collect())
    }

    /// A re-access request, in a savepoint of its own: refused (and rolled
    /// back alone) past the daily limit of claims on one account.
    async fn write_claim(
        &self,
        txn: &DatabaseTransaction,
        filing: Filing,
        (answers, (account, card)): (ReaccessAnswers, (Option<Uuid>, Scorecard)),
        context: &mut GroupContext,
    ) -> ServerResult<Receipt> {
        #[expect(
            clippy::disallowed_methods,
            reason = "a savepoint inside the group's write transaction, not a transaction of its own"
        )]
        let savepoint = txn.begin().await?;
        let now = context.now;
        let written = async {
            let identifier_hash =
                crate::accounts::recovery::refuse_repeated_reaccess(&savepoint, &answers, now)
                    .await?;
            let prepared = Self::prepare(&savepoint, filing, context).await?;
            let id = prepared.row.id;
            let receipt = self
                .insert(&savepoint, vec![prepared], now)
                .await?
                .pop()
                .unwrap_or_else(|| {
                    Err(anyhow::anyhow!("a re-access filing was left unwritten").into())
                })?;
            crate::accounts::recovery::record_claim(
                &savepoint,
                id,
                identifier_hash,
                account,
                &card,
                now,
            )
            .await?;
            Ok::<_, crate::errors::ServerError>(receipt)
        }
        .await;
        match written {
            Ok(receipt) => {
                savepoint.commit().await?;
                Ok(receipt)
            }
            Err(e) => {
                if let Err(rollback) = savepoint.rollback().await {
                    tracing::error!(error = %rollback, "savepoint not rolled back");
                }
                Err(e)
            }
        }
    }

    /// Checks a filing against what is on file and builds its row, its due
    /// instant and its next event included, so that one insert writes it.
    async fn prepare(
        txn: &DatabaseTransaction,
        filing: Filing,
        context: &mut GroupContext,
    ) -> ServerResult<Prepared> {
        let Filing {
            kind,
            channel,
            status,
            clock_now,
            policy_name,
            category,
            details,
            verification,
            contact_email,
            idempotency_hash,
            requester,
            claim: _,
        } = filing;
        let now = context.now;
        if !context.policies.contains_key(policy_name) {
            let (policy, version) = super::stored_policy(txn, policy_name).await?;
            let rules = serde_json::to_string(&policy).map_err(anyhow::Error::from)?;
            context
                .policies
                .insert(policy_name, (policy, version, rules));
        }
        let (policy, version, rules) = &context.policies[policy_name];
        let account_email = requester
            .as_ref()
            .and_then(|p| context.on_file.get(&p.account_id).cloned());
        // A signed-in holder is answered at the account's address on file,
        // never at another one named in the request.
        let contact_email = match (&requester, contact_email) {
            (Some(_), Some(given))
                if account_email
                    .as_deref()
                    .is_none_or(|on_file| !given.as_str().eq_ignore_ascii_case(on_file)) =>
            {
                return Err(AppError::invalid(
                    "contact_email",
                    "contact_email_not_on_file",
                    "contact_email: answers to your own request go to your account's e-mail address; leave this empty, or correct your address in your profile first.",
                )
                .into());
            }
            (Some(_), _) => None,
            (None, given) => given.map(|e| e.as_str().to_owned()),
        };
        let tracking_token = requester.is_none().then(|| crate::digest::random_token(24));
        let mut row = requests::Model {
            id: Uuid::new_v4(),
            ack: fresh_ack(now),
            kind: kind.into(),
            channel: channel.into(),
            status: status.into(),
            account_id: requester.as_ref().map(|p| p.account_id),
            contact_email,
            details,
            verification,
            tracking_token_hash: tracking_token.as_deref().map(|t| sha256(&[t])),
            idempotency_hash,
            policy_name: policy.name.clone(),
            policy_version: *version,
            policy_rules: rules.clone(),
            received_at: now,
            clock_started_at: clock_now.then_some(now),
            due_at: None,
            paused_since: None,
            resume_status: None,
            overdue: false,
            late: false,
            assignee_id: None,
            closed_at: None,
            answer: None,
            updated_at: now,
            complaint_category: category.map(|c| c.as_str().to_owned()),
            escalated_at: None,
        };
        row.due_at = schedule(&row, &[], now)?.map(|s| s.due_at);
        let timer = super::timers::timer_of(&row, now)?;
        // An address not on file (an anonymous request) gets at most a few
        // acknowledgments a day, so the form cannot be used to flood
        // someone's inbox; the request itself is filed all the same.
        let email = match &row.contact_email {
            Some(address) => {
                let queued = crate::mail::queued_today(txn, address, "ack:", now).await?
                    + context.acks_pending.get(address).copied().unwrap_or(0);
                if queued >= ACKNOWLEDGMENTS_PER_ADDRESS_PER_DAY {
                    tracing::info!("acknowledgment e-mail held back: daily cap for the address");
                    None
                } else {
                    Some(address.clone())
                }
            }
            None => account_email,
        };
        Ok(Prepared {
            row,
            timer,
            kind,
            status,
            policy: policy.clone(),
            requester,
            email,
            tracking_token,
        })
    }

    /// Inserts built filings: their rows in one statement (a row whose
    /// idempotency key another filing took is refused; one whose random
    /// acknowledgment number was taken draws another), then their timeline
    /// events, notices and audit entries, each in one statement.
    async fn insert(
        &self,
        txn: &DatabaseTransaction,
        mut prepared: Vec<Prepared>,
        now: OffsetDateTime,
    ) -> ServerResult<Answers> {
        let mut refused: Vec<Option<ServerResult<Receipt>>> = std::iter::repeat_with(|| None)
            .take(prepared.len())
            .collect();
        let mut pending: Vec<usize> = (0..prepared.len()).collect();
        for _ in 0..5 {
            if pending.is_empty() {
                break;
            }
            let rows = pending
                .iter()
                .map(|&i| requests::ActiveModel::from(prepared[i].row.clone()).reset_all());
            let inserted = requests::Entity::insert_many(rows)
                .on_conflict(OnConflict::new().do_nothing().to_owned())
                .exec_without_returning(txn)
                .await?;
            if usize::try_from(inserted).is_ok_and(|n| n == pending.len()) {
                pending.clear();
                break;
            }
            let stored: HashSet<Uuid> = requests::Entity::find()
                .select_only()
                .column(requests::Column::Id)
                .filter(requests::Column::Id.is_in(pending.iter().map(|&i| prepared[i].row.id)))
                .into_tuple::<Uuid>()
                .all(txn)
                .await?
                .into_iter()
                .collect();
            pending.retain(|&i| !stored.contains(&prepared[i].row.id));
            for &i in &pending {
                if prepared[i].row.idempotency_hash.is_some() {
                    // A concurrent retry with the same idempotency key: the
                    // caller retries and gets the first one's receipt.
                    refused[i] = Some(Err(AppError::new(
                        409,
                        "duplicate_submission",
                        "This request is already being filed. Try again.",
                    )
                    .into()));
                } else {
                    // A collision of 40 random bits.
                    prepared[i].row.ack = fresh_ack(now);
                }
            }
            pending.retain(|&i| refused[i].is_none());
        }
        for &i in &pending {
            refused[i] = Some(Err(anyhow::anyhow!(
                "no free acknowledgment number after 5 tries"
            )
            .into()));
        }
        let written = || {
            prepared
                .iter()
                .zip(&refused)
                .filter(|(_, refused)| refused.is_none())
                .map(|(p, _)| p)
        };
        let mut events = Vec::new();
        let mut notices = Vec::new();
        let mut entries = Vec::new();
        for p in written() {
            let model = &p.row;
            let due = model.due_at;
            let by = ActorRef {
                actor: Actor {
                    id: p.requester.as_ref().map(|r| r.account_id),
                    role: p
                        .requester
                        .as_ref()
                        .map_or("requester", |r| r.role.as_str()),
                },
                kind: "requester",
            };
            events.push(event_row(
                model.id,
                now,
                by,
                Recorded {
                    due_after: due,
                    ..Recorded::new(Event::Received, By::Caller)
                },
            ));
            if due.is_some() {
                events.push(event_row(
                    model.id,
                    now,
                    by,
                    Recorded {
                        due_after: due,
                        ..Recorded::new(Event::ClockStarted, By::System).note(p.policy.name.clone())
                    },
                ));
            }
            let due_text = due.map_or_else(
                || "The deadline starts once we have verified who you are.".to_owned(),
                |d| format!("We will answer by {} (UTC).", rfc3339(d)),
            );
            notices.push(Notice {
                account_id: model.account_id,
                email: p.email.as_deref(),
                request_id: Some(model.id),
                kind: "acknowledgment",
                subject: format!("We received your request {}", model.ack),
                body: format!(
                    "Your {} request was received on {}. Acknowledgment number: {}. {due_text}",
                    p.kind.as_str(),
                    rfc3339(now),
                    model.ack
                ),
                dedupe: format!("ack:{}", model.id),
            });
            entries.push(crate::audit::Entry {
                actor: by.actor,
                action: "request.received",
                subject: model.ack.clone(),
                detail: format!(
                    "{{\"kind\":\"{}\",\"policy\":\"{}\"}}",
                    p.kind.as_str(),
                    p.policy.name
                ),
            });
        }
        if !events.is_empty() {
            request_events::Entity::insert_many(events)
                .exec_without_returning(txn)
                .await?;
        }
        super::timers::insert(txn, written().filter_map(|p| p.timer.clone())).await?;
        notify_many(txn, now, notices).await?;
        self.audit.append_many(txn, now, entries).await?;
        Ok(prepared
            .into_iter()
            .zip(refused)
            .map(|(p, refused)| {
                refused.unwrap_or_else(|| {
                    Ok(Receipt {
                        acknowledgment: Acknowledgment {
                            ack: p.row.ack,
                            status: p.status,
                            time_zone: p.policy.time_zone.clone(),
                            policy: p.policy.name,
                            received_at: rfc3339(now),
                            due_at: p.row.due_at.map(rfc3339),
                            tracking_token: p.tracking_token,
                        },
                        replayed: false,
                    })
                })
            })
            .collect())
    }
}

/// A random acknowledgment number of the year.
fn fresh_ack(now: OffsetDateTime) -> String {
    let mut random = [0u8; 5];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut random);
    acknowledgment_number(now.year(), random)
}

fn replay(existing: &requests::Model) -> ServerResult<Receipt> {
    Ok(Receipt {
        acknowledgment: Acknowledgment {
            time_zone: super::views::policy_zone(existing)?,
            ack: existing.ack.clone(),
            status: existing.status.into(),
            policy: existing.policy_name.clone(),
            received_at: rfc3339(existing.received_at),
            due_at: existing.due_at.map(rfc3339),
            tracking_token: None,
        },
        replayed: true,
    })
}

/// Whether `token` is the tracking token of `request`.
#[must_use]
pub fn token_matches(request: &requests::Model, token: &str) -> bool {
    request
        .tracking_token_hash
        .as_deref()
        .is_some_and(|hash| hash == sha256(&[token.trim()]))
}

/// What a complaint is about: needed for complaints, refused for anything
/// else (a category on another kind is a client's mistake, not a detail).
fn complaint_category(
    kind: RequestKind,
    raw: Option<&str>,
) -> Result<Option<ComplaintCategory>, AppError> {
    let raw = raw.map(str::trim).filter(|c| !c.is_empty());
    match (kind, raw) {
        (RequestKind::Complaint, None) => Err(AppError::invalid(
            "category",
            "required",
            "category: what the complaint is about (data_use, marketing, security, another_user or other).",
        )),
        (RequestKind::Complaint, Some(raw)) => {
            ComplaintCategory::parse(raw).map(Some).ok_or_else(|| {
                AppError::invalid(
                    "category",
                    "invalid_category",
                    "category: one of data_use, marketing, security, another_user, other.",
                )
            })
        }
        (_, None) => Ok(None),
        (_, Some(_)) => Err(AppError::invalid(
            "category",
            "category_not_applicable",
            "category: only complaints have a category; leave it out for this kind of request.",
        )),
    }
}

/// The message of a refused re-access answer, naming its field.
fn reaccess_message(e: &domain::data::FieldError) -> String {
    use domain::recovery::{MAX_LIST, MAX_OLD_PASSWORDS};
    let field = e.field();
    match (field.as_str(), e.code()) {
        ("account", _) => "reaccess.account: the account ID (e.g. wxid_…) or e-mail address of the account you cannot get into.".to_owned(),
        ("verification", _) => "Give at least one piece of verification information: an old password, the e-mail or mobile on file, when and how you registered, devices, places or friends' names.".to_owned(),
        ("registered_month", _) => "reaccess.registered_month: the month you registered, as YYYY-MM.".to_owned(),
        ("registration_method", _) => "reaccess.registration_method: web, mobile_app or operator.".to_owned(),
        ("old_passwords", _) => format!("reaccess.old_passwords: at most {MAX_OLD_PASSWORDS} passwords."),
        (_, "too_long") if matches!(field.as_str(), "devices" | "places" | "friends") => {
            format!("reaccess.{field}: at most {MAX_LIST} entries of 200 characters.")
        }
        _ => format!("reaccess.{field}: {e}"),
    }
}
