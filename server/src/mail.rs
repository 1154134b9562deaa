//! Sending the e-mail outbox (DESIGN §7: "e-mails in the outbox are sent
//! once"). Rows are written in the same transaction as the change they tell
//! of; this job sends them later. A sender claims a row with a lease (a
//! conditional update, so two senders never both win it), sends it, then marks
//! it sent only if it still holds the lease. A sender that dies mid-send
//! leaves the lease to run out and another takes the row; the transport
//! names every message by its outbox ID, so a resend replaces rather than
//! duplicates. Failures are retried with growing pauses, up to
//! [`MAX_ATTEMPTS`].

use crate::clock::Clock;
use crate::entities::email_outbox;
use crate::errors::ServerResult;
use anyhow::Context;
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
    sea_query::{LockBehavior, LockType, OnConflict},
};
use std::path::PathBuf;
use std::sync::Arc;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// How long a claim holds.
pub const LEASE: Duration = Duration::minutes(5);
/// Sends given up after this many attempts.
pub const MAX_ATTEMPTS: i32 = 8;
/// Rows claimed per pass.
const BATCH: u64 = 50;

/// One e-mail to send.
#[derive(Clone, Debug)]
pub struct Message {
    /// Stable across retries: transports use it as the Message-ID.
    pub id: Uuid,
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// Where e-mails go. An SMTP relay or a provider's API implements this the
/// same way; delivery must be idempotent by [`Message::id`].
#[async_trait::async_trait]
pub trait Transport: Send + Sync + 'static {
    /// Delivers one message.
    async fn send(&self, message: &Message) -> anyhow::Result<()>;
}

/// Writes each message as an RFC 5322 `.eml` file named by its ID into a
/// directory (the default: `data/mail`), for a local mail pickup or for
/// reading during development.
pub struct FileDrop {
    dir: PathBuf,
}

impl FileDrop {
    /// A drop into `dir` (created when missing).
    #[must_use]
    pub fn new(dir: PathBuf) -> Self {
        FileDrop { dir }
    }
}

/// Encodes a header value that is not plain ASCII (RFC 2047, base64).
fn header_text(value: &str) -> String {
    use std::fmt::Write;
    if value.is_ascii() && !value.contains(['\r', '\n']) {
        return value.to_owned();
    }
    let clean: String = value
        .chars()
        .filter(|c| !matches!(c, '\r' | '\n'))
        .collect();
    let mut out = String::from("=?UTF-8?B?");
    let _ = write!(out, "{}", base64_encode(clean.as_bytes()));
    out.push_str("?=");
    out
}

fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The message as RFC 5322 text with a base64 UTF-8 body.
#[must_use]
pub fn render(message: &Message, from: &str) -> String {
    let body = base64_encode(message.body.as_bytes());
    let wrapped: Vec<&str> = body
        .as_bytes()
        .chunks(76)
        .map(|c| std::str::from_utf8(c).unwrap_or_default())
        .collect();
    format!(
        "From: {from}\r\nTo: {}\r\nSubject: {}\r\nMessage-ID: <{}@portal.example>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n",
        header_text(&message.to),
        header_text(&message.subject),
        message.id.simple(),
        wrapped.join("\r\n")
    )
}

#[async_trait::async_trait]
impl Transport for FileDrop {
    async fn send(&self, message: &Message) -> anyhow::Result<()> {
        tokio::fs::create_dir_all(&self.dir)
            .await
            .with_context(|| format!("creating {}", self.dir.display()))?;
        let text = render(message, "Privacy Portal <privacy@portal.example>");
        // Written aside, then renamed: a reader never sees half a message.
        let final_path = self.dir.join(format!("{}.eml", message.id.simple()));
        let partial = self.dir.join(format!(".{}.partial", message.id.simple()));
        tokio::fs::write(&partial, text)
            .await
            .context("writing the message")?;
        tokio::fs::rename(&partial, &final_path)
            .await
            .context("placing the message")?;
        Ok(())
    }
}

/// An e-mail to queue. `dedupe` is unique across the outbox: a second row
/// with the same key is dropped, so a retried change mails once.
pub struct Outgoing<'a> {
    pub to: &'a str,
    pub subject: String,
    pub body: String,
    pub dedupe: String,
}

/// Queues an e-mail in the caller's transaction (it is sent only if the
/// change it tells of commits).
///
/// # Errors
/// When the database fails.
pub async fn enqueue(
    txn: &impl ConnectionTrait,
    now: OffsetDateTime,
    mail: Outgoing<'_>,
) -> ServerResult<()> {
    let row = email_outbox::ActiveModel {
        id: Set(Uuid::now_v7()),
        to_email: Set(mail.to.to_owned()),
        subject: Set(mail.subject),
        body: Set(mail.body),
        created_at: Set(now),
        sent_at: Set(None),
        attempts: Set(0),
        dedupe_key: Set(mail.dedupe),
        claimed_until: Set(None),
        next_attempt_at: Set(None),
        last_error: Set(None),
    };
    email_outbox::Entity::insert(row)
        .on_conflict(
            OnConflict::column(email_outbox::Column::DedupeKey)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
    Ok(())
}

/// E-mails of one sort (by the start of their dedupe key) queued for an
/// address in the last 24 hours: the daily caps per recipient count these.
///
/// # Errors
/// When the database fails.
pub async fn queued_today(
    txn: &impl ConnectionTrait,
    to: &str,
    dedupe_prefix: &str,
    now: OffsetDateTime,
) -> ServerResult<u64> {
    use sea_orm::PaginatorTrait;
    Ok(email_outbox::Entity::find()
        .filter(email_outbox::Column::ToEmail.eq(to))
        .filter(email_outbox::Column::CreatedAt.gt(now - Duration::days(1)))
        .filter(email_outbox::Column::DedupeKey.starts_with(dedupe_prefix))
        .count(txn)
        .await?)
}

/// Reads up to a batch of due rows and claims each with a conditional update
/// (only one sender can move `attempts` from what it read).
async fn claim_in(
    db: &impl ConnectionTrait,
    due: Condition,
    lease: OffsetDateTime,
    skip_locked: bool,
) -> ServerResult<Vec<(email_outbox::Model, OffsetDateTime)>> {
    let mut select = email_outbox::Entity::find()
        .filter(due.clone())
        .order_by_asc(email_outbox::Column::CreatedAt)
        .limit(BATCH);
    if skip_locked {
        select = select.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let candidates = select.all(db).await?;
    let mut claimed = Vec::with_capacity(candidates.len());
    for row in candidates {
        let won = email_outbox::Entity::update_many()
            .col_expr(email_outbox::Column::ClaimedUntil, lease.into())
            .col_expr(email_outbox::Column::Attempts, (row.attempts + 1).into())
            .filter(email_outbox::Column::Id.eq(row.id))
            .filter(email_outbox::Column::Attempts.eq(row.attempts))
            .filter(due.clone())
            .exec(db)
            .await?
            .rows_affected
            == 1;
        if won {
            claimed.push((row, lease));
        }
    }
    Ok(claimed)
}

/// What one pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SendReport {
    pub sent: usize,
    pub failed: usize,
}

/// The outbox sender.
pub struct Mailer {
    db: DatabaseConnection,
    clock: Arc<dyn Clock>,
    transport: Arc<dyn Transport>,
}

impl Mailer {
    /// The sender.
    #[must_use]
    pub fn new(
        db: DatabaseConnection,
        clock: Arc<dyn Clock>,
        transport: Arc<dyn Transport>,
    ) -> Self {
        Mailer {
            db,
            clock,
            transport,
        }
    }

    /// Sends what is due, a batch at a time, until nothing is left to claim.
    ///
    /// # Errors
    /// When the database fails (a failed send is recorded on its row instead).
    pub async fn send_pending(&self) -> ServerResult<SendReport> {
        let mut report = SendReport::default();
        loop {
            let claimed = self.claim().await?;
            if claimed.is_empty() {
                return Ok(report);
            }
            for (row, lease) in claimed {
                let message = Message {
                    id: row.id,
                    to: row.to_email.clone(),
                    subject: row.subject.clone(),
                    body: row.body.clone(),
                };
                match self.transport.send(&message).await {
                    Ok(()) => {
                        self.finish(row.id, lease, None, row.attempts).await?;
                        report.sent += 1;
                    }
                    Err(e) => {
                        tracing::warn!(mail.id = %row.id, error = format!("{e:#}"), "sending an e-mail failed");
                        self.finish(row.id, lease, Some(format!("{e:#}")), row.attempts)
                            .await?;
                        report.failed += 1;
                    }
                }
            }
        }
    }

    /// Claims up to a batch of due rows; each claim is a conditional update
    /// that only one sender can win. Answers the rows with their leases.
    async fn claim(&self) -> ServerResult<Vec<(email_outbox::Model, OffsetDateTime)>> {
        let now = self.clock.now();
        let due = Condition::all()
            .add(email_outbox::Column::SentAt.is_null())
            .add(email_outbox::Column::Attempts.lt(MAX_ATTEMPTS))
            .add(
                Condition::any()
                    .add(email_outbox::Column::ClaimedUntil.is_null())
                    .add(email_outbox::Column::ClaimedUntil.lt(now)),
            )
            .add(
                Condition::any()
                    .add(email_outbox::Column::NextAttemptAt.is_null())
                    .add(email_outbox::Column::NextAttemptAt.lte(now)),
            );
        let lease = now + LEASE;
        if self.db.get_database_backend() == DbBackend::Postgres {
            // Rows another sender is claiming right now are skipped, not
            // waited for (DESIGN §6).
            let txn = crate::db::begin_write(&self.db).await?;
            let claimed = claim_in(&txn, due, lease, true).await?;
            txn.commit().await?;
            Ok(claimed)
        } else {
            // SQLite has one writer at a time; a read snapshot held across
            // the updates could not be upgraded, so each claim commits alone.
            claim_in(&self.db, due, lease, false).await
        }
    }

    /// Marks a claimed row sent, or records the failure and when to retry;
    /// only while the lease is still ours.
    async fn finish(
        &self,
        id: Uuid,
        lease: OffsetDateTime,
        error: Option<String>,
        attempts_before: i32,
    ) -> ServerResult<()> {
        let now = self.clock.now();
        let mut row = email_outbox::ActiveModel {
            claimed_until: Set(None),
            ..Default::default()
        };
        match error {
            None => row.sent_at = Set(Some(now)),
            Some(error) => {
                // 1, 2, 4 … minutes, at most a day.
                let pause =
                    Duration::minutes(1_i64 << attempts_before.clamp(0, 10)).min(Duration::days(1));
                row.next_attempt_at = Set(Some(now + pause));
                row.last_error = Set(Some(error.chars().take(500).collect()));
            }
        }
        email_outbox::Entity::update_many()
            .set(row)
            .filter(email_outbox::Column::Id.eq(id))
            .filter(email_outbox::Column::ClaimedUntil.eq(lease))
            .exec(&self.db)
            .await
            .context("finishing an e-mail")?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foobar", "Zm9vYmFy"),
            ("隐私", "6ZqQ56eB"),
        ] {
            assert_eq!(base64_encode(plain.as_bytes()), encoded, "{plain}");
        }
    }

    #[test]
    fn messages_render_as_mime() {
        let id = Uuid::from_u128(7);
        let text = render(
            &Message {
                id,
                to: "li@example.com".into(),
                subject: "你的申请 Your request\r\nBcc: evil@example.com".into(),
                body: "Hello 你好".into(),
            },
            "Portal <p@example.com>",
        );
        assert!(text.contains("To: li@example.com\r\n"));
        assert!(text.contains("Subject: =?UTF-8?B?"), "{text}");
        assert!(!text.contains("Bcc:"), "no header injection");
        assert!(text.contains(&format!("Message-ID: <{}@portal.example>", id.simple())));
        assert!(text.ends_with(&format!("{}\r\n", base64_encode("Hello 你好".as_bytes()))));
    }
}
