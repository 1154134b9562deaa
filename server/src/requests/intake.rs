//! Intake: a request is acknowledged at once, with its number, its policy and
//! its due instant (DESIGN §4 "Receipt is acknowledged at once").

use super::actions::refusal;
use super::{ActorRef, Notice, Requests, notify, record, rfc3339, schedule};
use crate::audit::Actor;
use crate::digest::sha256;
use crate::entities::{accounts, requests};
use crate::errors::ServerResult;
use crate::sessions::Principal;
use app::error::AppError;
use app::requests::{Acknowledgment, NewRequest};
use domain::Email;
use domain::recovery::{ReaccessAnswers, Scorecard};
use domain::requests::Event;
use domain::requests::complaint::ComplaintCategory;
use domain::requests::{By, Recorded};
use domain::requests::{Channel, RequestKind, acknowledgment_number};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    SqlErr, TransactionTrait,
};
use std::sync::atomic::{AtomicU64, Ordering};
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

impl FilingWriter {
    /// Writes the group in one transaction and answers every filing in it;
    /// true when the transaction committed.
    async fn write_group(
        &self,
        group: Vec<(Filing, tokio::sync::oneshot::Sender<ServerResult<Receipt>>)>,
    ) -> bool {
        let size = group.len();
        let txn = match crate::db::begin_write(&self.db).await {
            Ok(txn) => txn,
            Err(e) => {
                tracing::error!(error = %e, "no transaction for a filing group");
                for (_, reply) in group {
                    let _ = reply.send(Err(anyhow::anyhow!("no write transaction").into()));
                }
                return false;
            }
        };
        let mut answers = Vec::with_capacity(size);
        for (filing, reply) in group {
            #[expect(
                clippy::disallowed_methods,
                reason = "a savepoint inside the group's write transaction, not a transaction of its own"
            )]
            let savepoint = txn.begin().await;
            let result = match savepoint {
                Ok(savepoint) => match self.write(&savepoint, filing).await {
                    Ok(receipt) => savepoint
                        .commit()
                        .await
                        .map(|()| receipt)
                        .map_err(Into::into),
                    Err(e) => {
                        if let Err(rollback) = savepoint.rollback().await {
                            tracing::error!(error = %rollback, "savepoint not rolled back");
                        }
                        Err(e)
                    }
                },
                Err(e) => Err(e.into()),
            };
            answers.push((reply, result));
        }
        // Nothing is acknowledged before the commit that makes it durable.
        if let Err(e) = self.audit.commit(txn, &self.db).await {
            tracing::error!(error = format!("{e:#}"), "a filing group did not commit");
            for (reply, result) in answers {
                let failed =
                    result.and_then(|_| Err(anyhow::anyhow!("the group did not commit").into()));
                let _ = reply.send(failed);
            }
            return false;
        }
        if size > 1 {
            tracing::debug!(filings = size, "filings committed together");
        }
        for (reply, result) in answers {
            if let Ok(receipt) = &result {
                tracing::info!(request.ack = %receipt.acknowledgment.ack, "request received");
            }
            let _ = reply.send(result);
        }
        true
    }

    /// Writes one filing inside the group's transaction.
    async fn write(&self, txn: &DatabaseTransaction, filing: Filing) -> ServerResult<Receipt> {
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
            claim,
        } = filing;
        let requester = requester.as_ref();
        let (answers, scored) = claim.map_or((None, None), |(a, s)| (Some(a), Some(s)));
        let now = self.clock.now();
        let identifier_hash = match &answers {
            Some(answers) => {
                Some(crate::accounts::recovery::refuse_repeated_reaccess(txn, answers, now).await?)
            }
            None => None,
        };
        let (policy, version) = super::stored_policy(txn, policy_name).await?;
        let tracking_token = requester.is_none().then(|| crate::digest::random_token(24));
        let account_email = match requester {
            Some(p) => accounts::Entity::find_by_id(p.account_id)
                .one(txn)
                .await?
                .map(|a| a.email),
            None => None,
        };
        // A signed-in holder is answered at the account's address on file,
        // never at another one named in the request.
        let contact_email = match (requester, contact_email) {
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
            (None, given) => given,
        };
        let mut row = requests::ActiveModel {
            id: Set(Uuid::new_v4()),
            ack: Set(String::new()),
            kind: Set(kind.into()),
            channel: Set(channel.into()),
            status: Set(status.into()),
            account_id: Set(requester.map(|p| p.account_id)),
            contact_email: Set(contact_email.as_ref().map(|e| e.as_str().to_owned())),
            details: Set(details),
            verification: Set(verification),
            tracking_token_hash: Set(tracking_token.as_deref().map(|t| sha256(&[t]))),
            idempotency_hash: Set(idempotency_hash),
            policy_name: Set(policy.name.clone()),
            policy_version: Set(version),
            policy_rules: Set(serde_json::to_string(&policy).map_err(anyhow::Error::from)?),
            received_at: Set(now),
            clock_started_at: Set(clock_now.then_some(now)),
            due_at: Set(None),
            paused_since: Set(None),
            resume_status: Set(None),
            overdue: Set(false),
            late: Set(false),
            assignee_id: Set(None),
            closed_at: Set(None),
            answer: Set(None),
            updated_at: Set(now),
            complaint_category: Set(category.map(|c| c.as_str().to_owned())),
            escalated_at: Set(None),
            next_event_at: Set(None),
        };
        let mut inserted = None;
        for _ in 0..5 {
            let mut random = [0u8; 5];
            rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut random);
            row.ack = Set(acknowledgment_number(now.year(), random));
            match row.clone().insert(txn).await {
                Ok(model) => {
                    inserted = Some(model);
                    break;
                }
                Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                    // A collision of 40 random bits, or a concurrent retry with
                    // the same idempotency key: the caller retries the latter.
                    if row.idempotency_hash.as_ref().is_some() {
                        return Err(AppError::new(
                            409,
                            "duplicate_submission",
                            "This request is already being filed. Try again.",
                        )
                        .into());
                    }
                }
                Err(e) => return Err(e.into()),
            }
        }
        let mut model = inserted
            .ok_or_else(|| anyhow::anyhow!("no free acknowledgment number after 5 tries"))?;
        if let (Some((account, card)), Some(hash)) = (&scored, identifier_hash) {
            crate::accounts::recovery::record_claim(txn, model.id, hash, *account, card, now)
                .await?;
        }
        let due = schedule(&model, &[], now)?.map(|s| s.due_at);
        if let Some(due_at) = due {
            let mut active: requests::ActiveModel = model.clone().into();
            model.due_at = Some(due_at);
            active.due_at = Set(Some(due_at));
            active.next_event_at = Set(super::sweep::next_event_at(&model, now)?);
            model = active.update(txn).await?;
        }
        let by = ActorRef {
            actor: Actor {
                id: requester.map(|p| p.account_id),
                role: requester.map_or("requester", |p| p.role.as_str()),
            },
            kind: "requester",
        };
        record(
            txn,
            model.id,
            now,
            by,
            Recorded {
                due_after: due,
                ..Recorded::new(Event::Received, By::Caller)
            },
        )
        .await?;
        if due.is_some() {
            record(
                txn,
                model.id,
                now,
                ActorRef {
                    actor: Actor::SYSTEM,
                    kind: "system",
                },
                Recorded {
                    due_after: due,
                    ..Recorded::new(Event::ClockStarted, By::System).note(policy.name.clone())
                },
            )
            .await?;
        }
        // An address not on file (an anonymous request) gets at most a few
        // acknowledgments a day, so the form cannot be used to flood
        // someone's inbox; the request itself is filed all the same.
        let email = match &contact_email {
            Some(address)
                if crate::mail::queued_today(txn, address.as_str(), "ack:", now).await?
                    >= ACKNOWLEDGMENTS_PER_ADDRESS_PER_DAY =>
            {
                tracing::info!("acknowledgment e-mail held back: daily cap for the address");
                None
            }
            Some(address) => Some(address.as_str()),
            None => account_email.as_deref(),
        };
        let due_text = due.map_or_else(
            || "The deadline starts once we have verified who you are.".to_owned(),
            |d| format!("We will answer by {} (UTC).", rfc3339(d)),
        );
        notify(
            txn,
            now,
            Notice {
                account_id: model.account_id,
                email,
                request_id: Some(model.id),
                kind: "acknowledgment",
                subject: format!("We received your request {}", model.ack),
                body: format!(
                    "Your {} request was received on {}. Acknowledgment number: {}. {due_text}",
                    kind.as_str(),
                    rfc3339(now),
                    model.ack
                ),
                dedupe: format!("ack:{}", model.id),
            },
        )
        .await?;
        self.audit
            .append(
                txn,
                now,
                by.actor,
                "request.received",
                &model.ack,
                &format!(
                    "{{\"kind\":\"{}\",\"policy\":\"{}\"}}",
                    kind.as_str(),
                    policy.name
                ),
            )
            .await?;
        Ok(Receipt {
            acknowledgment: Acknowledgment {
                ack: model.ack,
                status,
                time_zone: policy.time_zone.clone(),
                policy: policy.name,
                received_at: rfc3339(now),
                due_at: due.map(rfc3339),
                tracking_token,
            },
            replayed: false,
        })
    }
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
