//! The audit log: append-only and hash-chained (DESIGN §7). Each entry's
//! hash is an HMAC-SHA256, under the audit key, of its content and the
//! previous entry's hash, so altering, removing or reordering any entry breaks
//! every hash after it, and nobody without the key can recompute the chain
//! after a change. After every audited commit the head of the chain (its
//! sequence number and hash, with an HMAC) is written to a checkpoint file in
//! the data directory, outside the database, so that removing the newest
//! entries, or rewriting them, is found too. `portal audit verify` checks
//! both.
//!
//! What it does not protect against: someone holding the audit key (the
//! server's data directory or `PORTAL_AUDIT_KEY`) and write access to the
//! database and the checkpoint together can rewrite history; entries removed
//! before their commit's checkpoint was written (a crash in between) leave no
//! trace; each instance checkpoints to its own data directory, so verify on
//! the host whose checkpoint is newest.
//!
//! Actors are hashed by pseudonym: the hash covers `actor_ref`, a keyed
//! digest of the actor's account ID, not the ID itself. When an account is
//! erased ([`AuditLog::erase_actor`]) its ID is removed from its entries and
//! the chain still verifies; what the account did stays in the log, under a
//! pseudonym nobody without the audit key can link to anyone. Entries written
//! before pseudonyms (no `actor_ref`) hash the ID and cannot be erased so.
//!
//! Appends are serialised so the chain never forks: a process-wide lock (held
//! by callers around their transaction, [`AuditLog::lock`]) and, on
//! PostgreSQL, a transaction advisory lock shared by every instance.

use crate::entities::audit_log;
use crate::errors::ServerResult;
use anyhow::Context;
use hmac::{Hmac, Mac};
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, DatabaseBackend, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryOrder, QuerySelect, Statement,
};
use sha2::Sha256;
use std::path::PathBuf;
use time::OffsetDateTime;
use uuid::Uuid;

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The checkpoint's file name in the data directory.
pub const CHECKPOINT_FILE: &str = "audit-checkpoint";

/// One entry to append.
#[derive(Debug)]
pub struct Entry<'a> {
    pub actor: Actor,
    pub action: &'a str,
    pub subject: String,
    pub detail: String,
}

/// Who did something.
#[derive(Clone, Copy, Debug)]
pub struct Actor {
    /// The account, if any.
    pub id: Option<Uuid>,
    /// `holder`, `officer`, `admin`, `requester` (no account) or `system`.
    pub role: &'static str,
}

impl Actor {
    /// The system itself (jobs).
    pub const SYSTEM: Actor = Actor {
        id: None,
        role: "system",
    };

    /// A signed-in person, by account and role.
    #[must_use]
    pub fn of(who: &crate::sessions::Principal) -> Self {
        Actor {
            id: Some(who.account_id),
            role: who.role.as_str(),
        }
    }
}

/// What verification found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The chain is whole and reaches the checkpoint.
    Intact {
        /// Entries checked.
        entries: u64,
    },
    /// This entry's hash does not follow from its content and its
    /// predecessor under the key: it or an entry before it was altered.
    Broken(i64),
    /// The checkpointed head is missing or differs: newest entries were
    /// removed or rewritten after entry `checkpoint`.
    Truncated {
        /// The sequence number the checkpoint names.
        checkpoint: i64,
    },
    /// The checkpoint file itself was altered (its HMAC does not match).
    CheckpointAltered,
}

impl Verdict {
    /// The first broken entry, for views that show one number.
    #[must_use]
    pub fn broken_at(&self) -> Option<i64> {
        match self {
            Verdict::Intact { .. } => None,
            Verdict::Broken(seq) => Some(*seq),
            Verdict::Truncated { checkpoint } => Some(*checkpoint),
            Verdict::CheckpointAltered => Some(0),
        }
    }
}

/// The audit log of one server: its key, its append lock and its checkpoint.
pub struct AuditLog {
    key: Vec<u8>,
    lock: tokio::sync::Mutex<()>,
    checkpoint: Option<PathBuf>,
}

impl std::fmt::Debug for AuditLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditLog")
            .field("checkpoint", &self.checkpoint)
            .finish_non_exhaustive()
    }
}

type HmacSha256 = Hmac<Sha256>;

impl AuditLog {
    /// An audit log keyed by `key`, checkpointing to `checkpoint` (a file
    /// outside the database) when given.
    #[must_use]
    pub fn new(key: &[u8], checkpoint: Option<PathBuf>) -> AuditLog {
        AuditLog {
            key: key.to_vec(),
            lock: tokio::sync::Mutex::new(()),
            checkpoint,
        }
    }

    /// A keyed digest of `value` for `purpose` (e.g. uploaded contacts): an
    /// HMAC under the audit key, so nobody without the key can find a phone
    /// number by trying every number. `purpose` keeps each use apart from
    /// the chain's hashes.
    #[must_use]
    pub fn keyed_digest(&self, purpose: &str, value: &str) -> String {
        self.mac(&["keyed-digest", purpose, value])
    }

    fn mac(&self, parts: &[&str]) -> String {
        let mut mac = HmacSha256::new_from_slice(&self.key).expect("HMAC takes any key length");
        for part in parts {
            mac.update(&part.len().to_le_bytes());
            mac.update(part.as_bytes());
        }
        hex::encode(mac.finalize().into_bytes())
    }

    /// The pseudonym an account acts under in the chain.
    #[must_use]
    pub fn actor_ref(&self, id: Uuid) -> String {
        self.keyed_digest("audit-actor", &id.to_string())
    }

    /// What the hash covers for the actor: the pseudonym, or (entries from
    /// before pseudonyms) the ID itself.
    fn actor_part(actor_ref: Option<&str>, actor_id: Option<Uuid>) -> String {
        match actor_ref {
            Some(pseudonym) => format!("ref:{pseudonym}"),
            None => actor_id.map(|id| id.to_string()).unwrap_or_default(),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn entry_hash(
        &self,
        prev: &str,
        at: OffsetDateTime,
        actor: &str,
        role: &str,
        action: &str,
        subject: &str,
        detail: &str,
    ) -> String {
        self.mac(&[
            prev,
            &at.unix_timestamp().to_string(),
            actor,
            role,
            action,
            subject,
            detail,
        ])
    }

    /// The in-process append lock: hold it around a transaction that
    /// appends.
    pub async fn lock(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.lock.lock().await
    }

    /// Takes the chain's lock across instances for the rest of `txn` (on
    /// PostgreSQL a transaction advisory lock; on SQLite the write
    /// transaction already excludes every other writer). [`AuditLog::append`]
    /// takes it; a caller that must hold it before it locks rows takes it
    /// first.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn hold(&self, txn: &DatabaseTransaction) -> ServerResult<()> {
        if txn.get_database_backend() == DatabaseBackend::Postgres {
            txn.execute_raw(Statement::from_string(
                DatabaseBackend::Postgres,
                "SELECT pg_advisory_xact_lock(727274)",
            ))
            .await?;
        }
        Ok(())
    }

    /// Appends an entry inside the caller's transaction (so the entry and
    /// the change it records commit together). Callers hold
    /// [`AuditLog::lock`] around the transaction and end it with
    /// [`AuditLog::commit`].
    ///
    /// # Errors
    /// When the database fails.
    pub async fn append(
        &self,
        txn: &DatabaseTransaction,
        at: OffsetDateTime,
        actor: Actor,
        action: &str,
        subject: &str,
        detail: &str,
    ) -> ServerResult<()> {
        self.append_many(
            txn,
            at,
            vec![Entry {
                actor,
                action,
                subject: subject.to_owned(),
                detail: detail.to_owned(),
            }],
        )
        .await
    }

    /// Appends several entries, in order, with one read of the head and one
    /// multi-row insert (a group of filings writes its entries so). Same
    /// rules as [`AuditLog::append`].
    ///
    /// # Errors
    /// When the database fails.
    pub async fn append_many(
        &self,
        txn: &DatabaseTransaction,
        at: OffsetDateTime,
        entries: Vec<Entry<'_>>,
    ) -> ServerResult<()> {
        if entries.is_empty() {
            return Ok(());
        }
        self.hold(txn).await?;
        let mut prev = audit_log::Entity::find()
            .order_by_desc(audit_log::Column::Seq)
            .one(txn)
            .await?
            .map_or_else(|| GENESIS.to_owned(), |e| e.hash);
        let mut rows = Vec::with_capacity(entries.len());
        for Entry {
            actor,
            action,
            subject,
            detail,
        } in entries
        {
            let actor_ref = actor.id.map(|id| self.actor_ref(id));
            let hash = self.entry_hash(
                &prev,
                at,
                &Self::actor_part(actor_ref.as_deref(), actor.id),
                actor.role,
                action,
                &subject,
                &detail,
            );
            rows.push(audit_log::ActiveModel {
                at: Set(at),
                actor_id: Set(actor.id),
                actor_ref: Set(actor_ref),
                actor_role: Set(actor.role.to_owned()),
                action: Set(action.to_owned()),
                subject: Set(subject),
                detail: Set(detail),
                prev_hash: Set(std::mem::replace(&mut prev, hash.clone())),
                hash: Set(hash),
                ..Default::default()
            });
        }
        // The rows of one VALUES list take their sequence numbers in order,
        // on SQLite and PostgreSQL alike: the chain follows the list. In
        // parts of 1,000 rows (10 columns), under SQLite's 32,766 bound
        // parameters per statement.
        while !rows.is_empty() {
            let rest = rows.split_off(rows.len().min(1000));
            audit_log::Entity::insert_many(rows)
                .exec_without_returning(txn)
                .await?;
            rows = rest;
        }
        Ok(())
    }

    /// Commits a transaction that appended, then checkpoints the head. A
    /// checkpoint that cannot be written is logged; the change stands.
    ///
    /// # Errors
    /// When the commit fails.
    pub async fn commit(
        &self,
        txn: DatabaseTransaction,
        db: &DatabaseConnection,
    ) -> ServerResult<()> {
        txn.commit().await?;
        if let Err(e) = self.write_checkpoint(db).await {
            tracing::error!(error = format!("{e:#}"), "audit checkpoint not written");
        }
        Ok(())
    }

    /// Writes the current head of the chain to the checkpoint file
    /// (atomically: a temporary file renamed over it). Never moves the
    /// checkpoint back.
    ///
    /// # Errors
    /// When the database or the file system fails.
    pub async fn write_checkpoint(&self, db: &impl ConnectionTrait) -> anyhow::Result<()> {
        let Some(path) = &self.checkpoint else {
            return Ok(());
        };
        let Some(head) = audit_log::Entity::find()
            .order_by_desc(audit_log::Column::Seq)
            .one(db)
            .await?
        else {
            return Ok(());
        };
        if let Some((seq, _)) = self.read_checkpoint()?.and_then(|c| c.ok())
            && seq >= head.seq
        {
            return Ok(());
        }
        let mac = self.mac(&["checkpoint", &head.seq.to_string(), &head.hash]);
        // A name of this process and moment: instances that share a data
        // directory never rename each other's half-written file.
        let tmp = path.with_extension(format!(
            "tmp.{}.{}",
            std::process::id(),
            Uuid::new_v4().simple()
        ));
        std::fs::write(&tmp, format!("{} {} {mac}\n", head.seq, head.hash))
            .with_context(|| format!("writing {}", tmp.display()))?;
        std::fs::rename(&tmp, path).with_context(|| format!("replacing {}", path.display()))?;
        Ok(())
    }

    /// The checkpoint: `None` when there is none yet, `Some(Err(()))` when
    /// it was altered.
    #[allow(clippy::type_complexity)]
    fn read_checkpoint(&self) -> anyhow::Result<Option<Result<(i64, String), ()>>> {
        let Some(path) = &self.checkpoint else {
            return Ok(None);
        };
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
        };
        let mut parts = text.split_whitespace();
        let (Some(seq), Some(hash), Some(mac), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Ok(Some(Err(())));
        };
        match seq.parse::<i64>() {
            Ok(n) if self.mac(&["checkpoint", seq, hash]) == mac => {
                Ok(Some(Ok((n, hash.to_owned()))))
            }
            _ => Ok(Some(Err(()))),
        }
    }

    /// Recomputes the chain from the first entry under the key, then checks
    /// that the checkpointed head is still there.
    ///
    /// # Errors
    /// When the database or the checkpoint file cannot be read.
    pub async fn verify(&self, db: &impl ConnectionTrait) -> ServerResult<Verdict> {
        let mut prev = GENESIS.to_owned();
        let mut entries = 0u64;
        let mut after: Option<i64> = None;
        let mut seen: Option<(i64, String)> = None;
        let checkpoint = self.read_checkpoint()?;
        let wanted = checkpoint.clone().and_then(Result::ok).map(|(seq, _)| seq);
        loop {
            // A page at a time: the log grows without bound.
            let mut query = audit_log::Entity::find().order_by_asc(audit_log::Column::Seq);
            if let Some(seq) = after {
                use sea_orm::{ColumnTrait, QueryFilter};
                query = query.filter(audit_log::Column::Seq.gt(seq));
            }
            let page = query.limit(1000).all(db).await?;
            let Some(last) = page.last() else { break };
            after = Some(last.seq);
            for e in page {
                let actor = Self::actor_part(e.actor_ref.as_deref(), e.actor_id);
                if e.prev_hash != prev
                    || self.entry_hash(
                        &prev,
                        e.at,
                        &actor,
                        leak_role(&e.actor_role),
                        &e.action,
                        &e.subject,
                        &e.detail,
                    ) != e.hash
                {
                    return Ok(Verdict::Broken(e.seq));
                }
                if Some(e.seq) == wanted {
                    seen = Some((e.seq, e.hash.clone()));
                }
                entries += 1;
                prev = e.hash;
            }
        }
        Ok(match checkpoint {
            None => Verdict::Intact { entries },
            Some(Err(())) => Verdict::CheckpointAltered,
            Some(Ok((seq, hash))) => match seen {
                Some((_, found)) if found == hash => Verdict::Intact { entries },
                _ => Verdict::Truncated { checkpoint: seq },
            },
        })
    }

    /// Removes an erased account's ID from the entries it acted in, inside
    /// the erasing transaction. The hashes cover the pseudonym, so the chain
    /// still verifies. Answers how many entries were kept under the ID
    /// because they predate pseudonyms (their hash covers the ID).
    ///
    /// # Errors
    /// When the database fails.
    pub async fn erase_actor(&self, txn: &DatabaseTransaction, id: Uuid) -> ServerResult<u64> {
        use sea_orm::{ColumnTrait, PaginatorTrait, QueryFilter, sea_query::Expr};
        audit_log::Entity::update_many()
            .col_expr(
                audit_log::Column::ActorId,
                Expr::value(Option::<Uuid>::None),
            )
            .filter(audit_log::Column::ActorId.eq(id))
            .filter(audit_log::Column::ActorRef.is_not_null())
            .exec(txn)
            .await?;
        Ok(audit_log::Entity::find()
            .filter(audit_log::Column::ActorId.eq(id))
            .count(txn)
            .await?)
    }

    /// The verdict and the latest `limit` entries, newest first.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn latest(
        &self,
        db: &impl ConnectionTrait,
        limit: u64,
    ) -> ServerResult<(Verdict, Vec<audit_log::Model>)> {
        let verdict = self.verify(db).await?;
        let rows = audit_log::Entity::find()
            .order_by_desc(audit_log::Column::Seq)
            .limit(limit)
            .all(db)
            .await?;
        Ok((verdict, rows))
    }
}

/// Maps a stored role back to the static names actors use (an unknown role
/// hashes as itself would, so a tampered role still fails verification).
fn leak_role(role: &str) -> &'static str {
    match role {
        "holder" => "holder",
        "officer" => "officer",
        "admin" => "admin",
        "requester" => "requester",
        "system" => "system",
        _ => "(altered)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_covers_every_part_and_the_key() {
        let log = AuditLog::new(b"key one", None);
        let at = time::macros::datetime!(2027-01-01 00:00:00 UTC);
        let hash = |prev: &str, action: &str, subject: &str| {
            log.entry_hash(prev, at, "", "system", action, subject, "{}")
        };
        let base = hash(GENESIS, "request.received", "PR-2027-0000-0000");
        assert_ne!(base, hash(GENESIS, "request.received", "PR-2027-0000-0001"));
        assert_ne!(base, hash(GENESIS, "request.refused", "PR-2027-0000-0000"));
        assert_ne!(base, hash(&base, "request.received", "PR-2027-0000-0000"));
        // Field boundaries count: moving a character between fields changes the hash.
        assert_ne!(hash(GENESIS, "ab", "c"), hash(GENESIS, "a", "bc"));
        // Another key, another chain: it cannot be recomputed without the key.
        let other = AuditLog::new(b"key two", None);
        assert_ne!(
            base,
            other.entry_hash(
                GENESIS,
                at,
                "",
                "system",
                "request.received",
                "PR-2027-0000-0000",
                "{}"
            )
        );
    }
}
