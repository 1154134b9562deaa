//! The audit log: append-only and hash-chained (DESIGN §7). Each entry's hash
//! covers its content and the previous entry's hash, so altering, removing or
//! reordering any entry breaks every hash after it; `portal audit verify`
//! recomputes the chain.
//!
//! Appends are serialised so the chain never forks: a process-wide lock (the
//! embedded SQLite has one writer anyway) and, on PostgreSQL, a transaction
//! advisory lock shared by every instance.

use crate::entities::audit_log;
use crate::errors::ServerResult;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DatabaseBackend, DatabaseTransaction,
    EntityTrait, QueryOrder, Statement,
};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use uuid::Uuid;

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

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
}

fn entry_hash(
    prev: &str,
    at: OffsetDateTime,
    actor: &Actor,
    action: &str,
    subject: &str,
    detail: &str,
) -> String {
    let actor_id = actor.id.map(|id| id.to_string()).unwrap_or_default();
    let mut hasher = Sha256::new();
    for part in [
        prev,
        &at.unix_timestamp().to_string(),
        &actor_id,
        actor.role,
        action,
        subject,
        detail,
    ] {
        hasher.update(part.len().to_le_bytes());
        hasher.update(part.as_bytes());
    }
    hex::encode(hasher.finalize())
}

/// Appends an entry inside the caller's transaction (so the entry and the
/// change it records commit together). Callers hold [`crate::AppState`]'s
/// `audit_lock` around the transaction.
///
/// # Errors
/// When the database fails.
pub async fn append(
    txn: &DatabaseTransaction,
    at: OffsetDateTime,
    actor: Actor,
    action: &str,
    subject: &str,
    detail: &str,
) -> ServerResult<()> {
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        txn.execute_raw(Statement::from_string(
            DatabaseBackend::Postgres,
            "SELECT pg_advisory_xact_lock(727274)",
        ))
        .await?;
    }
    let prev = audit_log::Entity::find()
        .order_by_desc(audit_log::Column::Seq)
        .one(txn)
        .await?
        .map_or_else(|| GENESIS.to_owned(), |e| e.hash);
    let hash = entry_hash(&prev, at, &actor, action, subject, detail);
    audit_log::ActiveModel {
        at: Set(at),
        actor_id: Set(actor.id),
        actor_role: Set(actor.role.to_owned()),
        action: Set(action.to_owned()),
        subject: Set(subject.to_owned()),
        detail: Set(detail.to_owned()),
        prev_hash: Set(prev),
        hash: Set(hash),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// The first entry whose hash does not follow from its content and its
/// predecessor, or `None` when the chain is whole.
///
/// # Errors
/// When the database fails.
pub async fn first_broken(db: &impl ConnectionTrait) -> ServerResult<Option<i64>> {
    let entries = audit_log::Entity::find()
        .order_by_asc(audit_log::Column::Seq)
        .all(db)
        .await?;
    let mut prev = GENESIS.to_owned();
    for e in entries {
        let actor = Actor {
            id: e.actor_id,
            role: leak_role(&e.actor_role),
        };
        if e.prev_hash != prev
            || entry_hash(&prev, e.at, &actor, &e.action, &e.subject, &e.detail) != e.hash
        {
            return Ok(Some(e.seq));
        }
        prev = e.hash;
    }
    Ok(None)
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

/// The first broken entry (if any) and the latest `limit` entries, newest first.
///
/// # Errors
/// When the database fails.
pub async fn latest(
    db: &impl ConnectionTrait,
    limit: u64,
) -> ServerResult<(Option<i64>, Vec<audit_log::Model>)> {
    use sea_orm::{EntityTrait, QueryOrder, QuerySelect};
    let broken_at = first_broken(db).await?;
    let rows = audit_log::Entity::find()
        .order_by_desc(audit_log::Column::Seq)
        .limit(limit)
        .all(db)
        .await?;
    Ok((broken_at, rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_covers_every_part() {
        let at = time::macros::datetime!(2027-01-01 00:00:00 UTC);
        let base = entry_hash(
            GENESIS,
            at,
            &Actor::SYSTEM,
            "request.received",
            "PR-2027-0000-0000",
            "{}",
        );
        assert_ne!(
            base,
            entry_hash(
                GENESIS,
                at,
                &Actor::SYSTEM,
                "request.received",
                "PR-2027-0000-0001",
                "{}"
            )
        );
        assert_ne!(
            base,
            entry_hash(
                GENESIS,
                at,
                &Actor::SYSTEM,
                "request.refused",
                "PR-2027-0000-0000",
                "{}"
            )
        );
        assert_ne!(
            base,
            entry_hash(
                &base,
                at,
                &Actor::SYSTEM,
                "request.received",
                "PR-2027-0000-0000",
                "{}"
            )
        );
        // Field boundaries count: moving a character between fields changes the hash.
        assert_ne!(
            entry_hash(GENESIS, at, &Actor::SYSTEM, "ab", "c", ""),
            entry_hash(GENESIS, at, &Actor::SYSTEM, "a", "bc", "")
        );
    }
}
