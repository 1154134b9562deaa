//! The database connection: SQLite (WAL, full sync, foreign keys, busy
//! timeout) by default, PostgreSQL when the URL names one; migrations run at
//! start.

use anyhow::Context;
use migrations::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DatabaseTransaction, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use std::time::Duration;

/// Connects, creating the SQLite file and its directory when needed.
///
/// # Errors
/// When the database cannot be reached or opened.
pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    if let Some(path) = sqlite_path(url)
        && let Some(dir) = std::path::Path::new(path).parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let (mmap, cache) = sqlite_memory()?;
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(if url.starts_with("sqlite") { 8 } else { 20 })
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(move |opts| {
            use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
            // WAL lets readers run beside the writer; FULL sync keeps an
            // acknowledged request even through a power loss.
            opts.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                // No memory map, and 64 MiB of page cache per connection
                // (sqlx's default would be 2): at a million requests the
                // sweeper's catch-up is mostly page reads. A 1 GiB map was
                // slower (11,800 against 14,100–14,500 events/s, session 19):
                // SQLite, built here without mremap, unmaps and re-faults the
                // whole map each time a checkpoint grows the file, and its
                // mapped pages counted 1.4 GiB of RSS against 0.2.
                .pragma("mmap_size", mmap.clone())
                .pragma("cache_size", cache.clone())
        });
    Database::connect(options)
        .await
        .context("connecting to the database (DATABASE_URL)")
}

/// SQLite's memory map and page cache per connection, as the two pragmas'
/// values: none and 64 MiB unless `PORTAL_SQLITE_MMAP_MIB` or
/// `PORTAL_SQLITE_CACHE_MIB` says otherwise (an operator's knob, and how the
/// sweeper's benchmark compares settings with one binary).
///
/// # Errors
/// When a value is not a whole number of MiB up to 1,048,576 (1 TiB): the
/// portal does not start on a setting it would have to guess at.
fn sqlite_memory() -> anyhow::Result<(String, String)> {
    let mib = |name: &str, default: u64| -> anyhow::Result<u64> {
        match std::env::var(name) {
            Ok(value) if !value.trim().is_empty() => value
                .trim()
                .parse::<u64>()
                .ok()
                .filter(|n| *n <= 1 << 20)
                .with_context(|| {
                    format!("{name} must be a whole number of MiB up to 1048576, not {value:?}")
                }),
            _ => Ok(default),
        }
    };
    Ok((
        (mib("PORTAL_SQLITE_MMAP_MIB", 0)? << 20).to_string(),
        // Negative: KiB rather than pages.
        format!("-{}", mib("PORTAL_SQLITE_CACHE_MIB", 64)? << 10),
    ))
}

/// Begins a transaction that will (or may) write.
///
/// On SQLite it is `BEGIN IMMEDIATE`: the write lock is taken at the start,
/// waiting up to the busy timeout for another writer to finish. A deferred
/// transaction would read first and then fail to upgrade to a writer the
/// moment another connection had committed (SQLITE_BUSY / BUSY_SNAPSHOT,
/// which no busy timeout retries) — the "database is locked" 500s under
/// load. Readers never wait for it (WAL). On PostgreSQL it is a plain BEGIN.
///
/// Every write transaction of the server goes through here; clippy's
/// `disallowed-methods` (clippy.toml) refuses a bare `begin()`.
///
/// # Errors
/// When no connection can be had or the lock is not granted within the
/// busy timeout.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    })
    .await
}

/// Begins a transaction that only reads: one consistent snapshot, never
/// waiting for a writer.
///
/// # Errors
/// When no connection can be had.
pub async fn begin_read(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Deferred),
        ..TransactionOptions::default()
    })
    .await
}

/// Runs pending migrations.
///
/// # Errors
/// When a migration fails.
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None).await.context("running migrations")
}

fn sqlite_path(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    (!path.is_empty() && path != ":memory:").then_some(path)
}

#[cfg(test)]
mod tests {
    #[test]
    fn sqlite_paths() {
        assert_eq!(
            super::sqlite_path("sqlite://data/portal.db?mode=rwc"),
            Some("data/portal.db")
        );
        assert_eq!(super::sqlite_path("sqlite::memory:"), None);
        assert_eq!(super::sqlite_path("postgres://u@h/db"), None);
    }
}
