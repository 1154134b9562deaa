//! Exports (DESIGN §2; PIPL art. 45, GDPR art. 20): the whole account or
//! chosen categories as one ZIP that people (`index.html`, CSV) and programs
//! (JSON with the API's field names, GeoJSON, `manifest.json` with SHA-256
//! checksums) both read.
//!
//! A request queues a row; the background job ([`Exports::run_pending`])
//! claims it with a lease (a conditional update only one instance wins),
//! reads each category page by page through the same reader as the API and
//! streams it into the archive ([`archive`]), renewing the lease as it goes.
//! A build that stops (a crash, a restart) leaves its lease to run out; the
//! next claim throws the half-written file away and starts again, at most
//! [`domain::export::MAX_ATTEMPTS`] times. Removing an export mid-build
//! makes the builder's next renewal fail, and it stops.
//!
//! Downloads: the owner only (others get 404), within the re-authentication
//! window, for 7 days; each one is in the holder's activity and the audit log.

mod archive;
mod files;

pub use archive::{ManifestEntry, Written};

use crate::audit::{Actor, AuditLog};
use crate::clock::Clock;
use crate::data::{Narrowing, PersonalData, record_activity, rfc3339};
use crate::entities::data::exports;
use crate::entities::{accounts, requests};
use crate::errors::ServerResult;
use crate::sessions::{Principal, Sessions};
use app::error::AppError;
use app::exports::{ExportView, NewExport};
use archive::{Feed, ManifestHead, Piece};
use domain::Locale;
use domain::data::Category;
use domain::export::{DOWNLOAD_DAYS, ExportOrigin, ExportStatus, MAX_ATTEMPTS};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// How long a claim lasts without renewal.
const LEASE: Duration = Duration::minutes(2);
/// How often a build renews its lease and reports progress (wall time).
const BEAT: std::time::Duration = std::time::Duration::from_millis(750);
/// Rows read per query while building.
const READ_PAGE: u64 = 2_000;
/// Exports listed on `/exports`.
const LISTED: u64 = 20;

/// The export service.
pub struct Exports {
    db: DatabaseConnection,
    clock: Arc<dyn Clock>,
    sessions: Arc<Sessions>,
    data: Arc<PersonalData>,
    audit: Arc<AuditLog>,
    dir: PathBuf,
    /// When the directory was last checked for orphaned files.
    orphans_checked: std::sync::Mutex<Option<std::time::Instant>>,
}

/// A ready archive to stream.
#[derive(Debug)]
pub struct Download {
    pub path: PathBuf,
    /// A safe `Content-Disposition` name (ASCII, from the date only).
    pub file_name: String,
}

/// What one pass of the job did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct JobReport {
    pub built: usize,
    pub failed: usize,
    pub abandoned: usize,
}

enum Built {
    Done,
    /// The row was removed or claimed by another builder meanwhile.
    Abandoned,
}

fn not_found() -> AppError {
    AppError::new(
        404,
        "export_not_found",
        "There is no such export of yours; GET /api/v1/me/exports lists them.",
    )
}

fn parse_id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| not_found())
}

fn status_of(row: &exports::Model) -> ExportStatus {
    ExportStatus::parse(&row.status).unwrap_or(ExportStatus::Failed)
}

fn categories_of(row: &exports::Model) -> Option<Vec<Category>> {
    row.categories.as_deref().map(|raw| {
        serde_json::from_str::<Vec<String>>(raw)
            .unwrap_or_default()
            .iter()
            .filter_map(|c| Category::parse(c))
            .collect()
    })
}

impl Exports {
    /// The service; archives live in `dir`.
    #[must_use]
    pub fn new(
        db: DatabaseConnection,
        clock: Arc<dyn Clock>,
        sessions: Arc<Sessions>,
        data: Arc<PersonalData>,
        audit: Arc<AuditLog>,
        dir: PathBuf,
    ) -> Self {
        Exports {
            db,
            clock,
            sessions,
            data,
            audit,
            dir,
            orphans_checked: std::sync::Mutex::new(None),
        }
    }

    /// Where a ready archive lives.
    #[must_use]
    pub fn file(&self, id: Uuid) -> PathBuf {
        self.dir.join(format!("{}.zip", id.simple()))
    }

    /// Where an archive is written before it is ready.
    #[must_use]
    pub fn part(&self, id: Uuid) -> PathBuf {
        self.dir.join(format!("{}.part", id.simple()))
    }

    fn view(&self, row: &exports::Model, ack: Option<String>, now: OffsetDateTime) -> ExportView {
        let status = status_of(row).at(
            row.expires_at.map(OffsetDateTime::unix_timestamp),
            now.unix_timestamp(),
        );
        let chosen = categories_of(row);
        ExportView {
            id: row.id.to_string(),
            status,
            progress: if status == ExportStatus::Ready || status == ExportStatus::Expired {
                100
            } else {
                row.progress
            },
            categories: domain::export::scope(chosen.as_deref()),
            whole_account: chosen.is_none(),
            origin: ExportOrigin::parse(&row.origin).unwrap_or(ExportOrigin::Holder),
            request_ack: ack,
            created_at: rfc3339(row.created_at),
            ready_at: row.ready_at.map(rfc3339),
            expires_at: row.expires_at.map(rfc3339),
            size_bytes: row.size_bytes,
            sha256: row.sha256.clone(),
            download_url: (status == ExportStatus::Ready)
                .then(|| format!("/api/v1/me/exports/{}/download", row.id)),
        }
    }

    async fn ack_of(&self, row: &exports::Model) -> ServerResult<Option<String>> {
        Ok(match row.request_id {
            Some(id) => requests::Entity::find_by_id(id)
                .one(&self.db)
                .await?
                .map(|r| r.ack),
            None => None,
        })
    }

    async fn own(&self, me: Uuid, raw: &str) -> ServerResult<exports::Model> {
        let id = parse_id(raw)?;
        Ok(exports::Entity::find_by_id(id)
            .filter(exports::Column::AccountId.eq(me))
            .one(&self.db)
            .await?
            .ok_or_else(not_found)?)
    }

    /// The holder's exports, newest first.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn list(&self, me: Uuid) -> ServerResult<Vec<ExportView>> {
        let now = self.clock.now();
        let rows = exports::Entity::find()
            .filter(exports::Column::AccountId.eq(me))
            .order_by_desc(exports::Column::CreatedAt)
            .order_by_desc(exports::Column::Id)
            .limit(LISTED)
            .all(&self.db)
            .await?;
        // The officers' copies name their requests: one query for all.
        let acks: std::collections::HashMap<Uuid, String> = requests::Entity::find()
            .select_only()
            .column(requests::Column::Id)
            .column(requests::Column::Ack)
            .filter(requests::Column::Id.is_in(rows.iter().filter_map(|r| r.request_id)))
            .into_tuple::<(Uuid, String)>()
            .all(&self.db)
            .await?
            .into_iter()
            .collect();
        Ok(rows
            .iter()
            .map(|row| {
                let ack = row.request_id.and_then(|id| acks.get(&id).cloned());
                self.view(row, ack, now)
            })
            .collect())
    }

    /// One export of the holder's.
    ///
    /// # Errors
    /// 404 `export_not_found` (also for another account's).
    pub async fn get(&self, me: Uuid, id: &str) -> ServerResult<ExportView> {
        let row = self.own(me, id).await?;
        Ok(self.view(&row, self.ack_of(&row).await?, self.clock.now()))
    }

    /// Queues an export of the holder's own. Answers `Err(id)` of the one
    /// already queued or building (one at a time).
    ///
    /// # Errors
    /// When the database fails.
    pub async fn start(
        &self,
        me: &Principal,
        new: NewExport,
    ) -> ServerResult<Result<ExportView, Uuid>> {
        let now = self.clock.now();
        let chosen = new
            .categories
            .filter(|c| !c.is_empty())
            .map(|c| domain::export::scope(Some(&c)))
            .filter(|c| c.len() < Category::ALL.len());
        let _guard = self.audit.lock().await;
        let queued = async {
            let txn = crate::db::begin_write(&self.db).await?;
            if let Some(running) = running(&txn, me.account_id).await? {
                return Ok(Err(running));
            }
            let row = insert(
                &txn,
                me.account_id,
                chosen.as_deref(),
                ExportOrigin::Holder,
                None,
                me.locale,
                now,
            )
            .await?;
            record_activity(
                &txn,
                me.account_id,
                now,
                "export_requested",
                chosen.as_ref().map_or("all", |c| {
                    if c.len() == 1 { c[0].as_str() } else { "chosen" }
                }),
                0,
                None,
            )
            .await?;
            self.audit
                .append(
                    &txn,
                    now,
                    holder(me.account_id),
                    "export.requested",
                    &row.id.to_string(),
                    &serde_json::json!({
                        "categories": chosen.as_ref().map(|c| c.iter().map(|c| c.as_str()).collect::<Vec<_>>()),
                    })
                    .to_string(),
                )
                .await?;
            self.audit.commit(txn, &self.db).await?;
            Ok::<_, crate::errors::ServerError>(Ok(self.view(&row, None, now)))
        }
        .await;
        match queued {
            Ok(answer) => Ok(answer),
            // Another instance queued one in between (PostgreSQL): the
            // unique index refused ours.
            Err(e) => match running(&self.db, me.account_id).await? {
                Some(id) => Ok(Err(id)),
                None => Err(e),
            },
        }
    }

    /// Cancels a running export or removes a finished one, with its file.
    ///
    /// # Errors
    /// 404 `export_not_found`.
    pub async fn remove(&self, me: &Principal, id: &str) -> ServerResult<()> {
        let row = self.own(me.account_id, id).await?;
        let now = self.clock.now();
        let _guard = self.audit.lock().await;
        let txn = crate::db::begin_write(&self.db).await?;
        exports::Entity::delete_by_id(row.id).exec(&txn).await?;
        self.audit
            .append(
                &txn,
                now,
                holder(me.account_id),
                "export.removed",
                &row.id.to_string(),
                &serde_json::json!({ "status": row.status }).to_string(),
            )
            .await?;
        self.audit.commit(txn, &self.db).await?;
        remove_quietly(&self.file(row.id));
        remove_quietly(&self.part(row.id));
        Ok(())
    }

    /// Checks that the caller may download an export now, records the
    /// download, and answers the file to stream.
    ///
    /// # Errors
    /// 404 (not theirs), 410 `export_expired`, 409 `export_not_ready`, 403
    /// `reauth_required`.
    pub async fn download(&self, me: &Principal, id: &str) -> ServerResult<Download> {
        let row = self.own(me.account_id, id).await?;
        let now = self.clock.now();
        match status_of(&row).at(
            row.expires_at.map(OffsetDateTime::unix_timestamp),
            now.unix_timestamp(),
        ) {
            ExportStatus::Ready => {}
            ExportStatus::Expired => {
                return Err(AppError::new(
                    410,
                    "export_expired",
                    "This export was deleted 7 days after it was made; ask for a new one.",
                )
                .into());
            }
            _ => {
                return Err(AppError::new(
                    409,
                    "export_not_ready",
                    "This export is not ready; GET it to follow its progress.",
                )
                .into());
            }
        }
        self.sessions.require_recent_reauth(me)?;
        let path = self.file(row.id);
        if !path.exists() {
            return Err(
                anyhow::anyhow!("export {} is ready but its file is missing", row.id).into(),
            );
        }
        let _guard = self.audit.lock().await;
        let txn = crate::db::begin_write(&self.db).await?;
        record_activity(
            &txn,
            me.account_id,
            now,
            "export_downloaded",
            "all",
            1,
            None,
        )
        .await?;
        self.audit
            .append(
                &txn,
                now,
                holder(me.account_id),
                "export.downloaded",
                &row.id.to_string(),
                "{}",
            )
            .await?;
        self.audit.commit(txn, &self.db).await?;
        let day = row.created_at.date();
        Ok(Download {
            path,
            file_name: format!(
                "privacy-export-{:04}-{:02}-{:02}.zip",
                day.year(),
                u8::from(day.month()),
                day.day()
            ),
        })
    }

    /// Deletes the archives whose 7 days are over and marks them expired.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn expire(&self) -> ServerResult<usize> {
        if self.orphan_check_due() {
            self.remove_orphans().await?;
        }
        let now = self.clock.now();
        let due = exports::Entity::find()
            .filter(exports::Column::Status.eq(ExportStatus::Ready.as_str()))
            .filter(exports::Column::ExpiresAt.lte(now))
            .limit(100)
            .all(&self.db)
            .await?;
        for row in &due {
            remove_quietly(&self.file(row.id));
            exports::Entity::update_many()
                .col_expr(
                    exports::Column::Status,
                    Expr::value(ExportStatus::Expired.as_str()),
                )
                .filter(exports::Column::Id.eq(row.id))
                .filter(exports::Column::Status.eq(ExportStatus::Ready.as_str()))
                .exec(&self.db)
                .await?;
        }
        Ok(due.len())
    }

    /// Whether a minute of wall time has passed since the last look for
    /// orphaned files (the job looks at most that often).
    fn orphan_check_due(&self) -> bool {
        let mut last = self
            .orphans_checked
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if last.is_some_and(|at| at.elapsed() < std::time::Duration::from_secs(60)) {
            return false;
        }
        *last = Some(std::time::Instant::now());
        true
    }

    /// Removes files whose export row is gone (an account erased, and a
    /// crash between its commit and the files' removal); answers how many
    /// exports' files went.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn remove_orphans(&self) -> ServerResult<usize> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Ok(0);
        };
        let mut found: Vec<Uuid> = entries
            .filter_map(Result::ok)
            .filter_map(|e| {
                let name = e.file_name();
                let stem = std::path::Path::new(&name)
                    .file_stem()?
                    .to_str()?
                    .to_owned();
                Uuid::parse_str(&stem).ok()
            })
            .collect();
        found.sort_unstable();
        found.dedup();
        let mut removed = 0;
        for chunk in found.chunks(500) {
            let known: std::collections::HashSet<Uuid> = exports::Entity::find()
                .filter(exports::Column::Id.is_in(chunk.iter().copied()))
                .select_only()
                .column(exports::Column::Id)
                .into_tuple()
                .all(&self.db)
                .await?
                .into_iter()
                .collect();
            for id in chunk.iter().filter(|id| !known.contains(id)) {
                remove_files(&self.dir, *id);
                removed += 1;
            }
        }
        if removed > 0 {
            tracing::info!(removed, "export files without an export removed");
        }
        Ok(removed)
    }

    /// Builds every export that is queued or whose builder stopped, one at a
    /// time, until none is left to claim.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn run_pending(&self) -> ServerResult<JobReport> {
        let mut report = JobReport::default();
        while let Some((row, attempt)) = self.claim().await? {
            match self.build(&row, attempt).await {
                Ok(Built::Done) => report.built += 1,
                Ok(Built::Abandoned) => {
                    report.abandoned += 1;
                    remove_quietly(&self.part(row.id));
                }
                Err(e) => {
                    remove_quietly(&self.part(row.id));
                    tracing::error!(export.id = %row.id, error = %e, "building an export failed");
                    let e = e.into_app_error();
                    self.failed(&row, attempt, &e).await?;
                    report.failed += 1;
                }
            }
        }
        Ok(report)
    }

    /// Claims the oldest claimable export: queued, or building with a lease
    /// run out. A row that has used its attempts is marked failed instead.
    async fn claim(&self) -> ServerResult<Option<(exports::Model, i32)>> {
        loop {
            let now = self.clock.now();
            let claimable = sea_orm::Condition::any()
                .add(exports::Column::Status.eq(ExportStatus::Queued.as_str()))
                .add(
                    sea_orm::Condition::all()
                        .add(exports::Column::Status.eq(ExportStatus::Building.as_str()))
                        .add(exports::Column::ClaimedUntil.lt(now)),
                );
            let Some(row) = exports::Entity::find()
                .filter(claimable.clone())
                .order_by_asc(exports::Column::CreatedAt)
                .one(&self.db)
                .await?
            else {
                return Ok(None);
            };
            if row.attempts >= MAX_ATTEMPTS {
                let e = AppError::new(500, "export_failed", "The build stopped too often.");
                self.failed(&row, row.attempts, &e).await?;
                continue;
            }
            let attempt = row.attempts + 1;
            let won = exports::Entity::update_many()
                .col_expr(
                    exports::Column::Status,
                    Expr::value(ExportStatus::Building.as_str()),
                )
                .col_expr(exports::Column::Attempts, Expr::value(attempt))
                .col_expr(exports::Column::Progress, Expr::value(0))
                .col_expr(exports::Column::ClaimedUntil, Expr::value(now + LEASE))
                .filter(exports::Column::Id.eq(row.id))
                .filter(exports::Column::Attempts.eq(row.attempts))
                .filter(claimable)
                .exec(&self.db)
                .await?
                .rows_affected
                == 1;
            if won {
                return Ok(Some((row, attempt)));
            }
        }
    }

    async fn failed(&self, row: &exports::Model, attempt: i32, e: &AppError) -> ServerResult<()> {
        let last = attempt >= MAX_ATTEMPTS;
        let status = if last {
            ExportStatus::Failed
        } else {
            ExportStatus::Queued
        };
        exports::Entity::update_many()
            .col_expr(
                exports::Column::ClaimedUntil,
                Expr::value(Option::<OffsetDateTime>::None),
            )
            .col_expr(exports::Column::Error, Expr::value(e.message.clone()))
            .col_expr(exports::Column::Status, Expr::value(status.as_str()))
            .filter(exports::Column::Id.eq(row.id))
            .filter(exports::Column::Attempts.eq(attempt))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    async fn build(&self, row: &exports::Model, attempt: i32) -> ServerResult<Built> {
        let started = std::time::Instant::now();
        let me = row.account_id;
        let part = self.part(row.id);
        std::fs::create_dir_all(&self.dir)?;
        // A half-written archive of an earlier attempt is thrown away.
        remove_quietly(&part);
        let chosen = categories_of(row);
        let scope = domain::export::scope(chosen.as_deref());
        let mut total = 0;
        for category in &scope {
            total += self.data.count(me, *category).await?;
        }
        let locale = Locale::from_tag(&row.locale).unwrap_or_default();
        let feed = Feed::start(part.clone());
        let lease = Heartbeat::start(self.db.clone(), self.clock.clone(), row.id, attempt);
        let mut done = 0_u64;
        let mut summary = Vec::with_capacity(scope.len());
        let mut profile = None;
        for category in scope.iter().copied() {
            let mut writer = files::CategoryWriter::new(category);
            feed.send(writer.group()).await?;
            let mut page = self
                .data
                .listing(me, category, None, READ_PAGE, &Narrowing::default())
                .await?;
            for piece in writer.head(&page.time_zone) {
                feed.send(piece).await?;
            }
            if category == Category::Profile {
                profile = page.items.first().cloned();
            }
            loop {
                if lease.lost() {
                    return Ok(Built::Abandoned);
                }
                // The next page is read while this one is formatted and
                // compressed (the database's thread and ours overlap).
                let next = async {
                    match page.next_cursor.as_deref() {
                        Some(cursor) => self
                            .data
                            .listing(me, category, Some(cursor), READ_PAGE, &Narrowing::default())
                            .await
                            .map(Some),
                        None => Ok(None),
                    }
                };
                let this = async {
                    for piece in writer.items(&page.items)? {
                        feed.send(piece).await?;
                    }
                    Ok::<_, crate::errors::ServerError>(page.items.len() as u64)
                };
                let (next, written) = tokio::join!(next, this);
                done += written?;
                lease.progress(domain::export::progress(done, total));
                match next? {
                    Some(following) => page = following,
                    None => break,
                }
            }
            for piece in writer.tail() {
                feed.send(piece).await?;
            }
            feed.send(Piece::EndGroup).await?;
            summary.push(writer.summary());
        }
        let now = self.clock.now();
        let head = ManifestHead {
            format_version: domain::export::FORMAT_VERSION,
            export_id: row.id.to_string(),
            created_at: rfc3339(now),
            whole_account: chosen.is_none(),
            categories: scope.iter().map(|c| c.as_str()).collect(),
            locale: locale.tag(),
        };
        feed.send(Piece::File(
            "index.html".to_owned(),
            files::index_html(locale, &head, profile.as_ref(), &summary).into_bytes(),
        ))
        .await?;
        feed.send(Piece::File(
            "README.txt".to_owned(),
            files::README.as_bytes().to_vec(),
        ))
        .await?;
        let written = feed.finish(head).await?;
        drop(lease);
        if !renew(&self.db, self.clock.now(), row.id, attempt, 99).await? {
            return Ok(Built::Abandoned);
        }
        let file = self.file(row.id);
        std::fs::rename(&part, &file)?;
        let finished = self.clock.now();
        let _guard = self.audit.lock().await;
        let txn = crate::db::begin_write(&self.db).await?;
        let ready = exports::Entity::update_many()
            .col_expr(
                exports::Column::Status,
                Expr::value(ExportStatus::Ready.as_str()),
            )
            .col_expr(exports::Column::Progress, Expr::value(100))
            .col_expr(
                exports::Column::ClaimedUntil,
                Expr::value(Option::<OffsetDateTime>::None),
            )
            .col_expr(
                exports::Column::SizeBytes,
                Expr::value(i64::try_from(written.size).unwrap_or(i64::MAX)),
            )
            .col_expr(exports::Column::Sha256, Expr::value(written.sha256.clone()))
            .col_expr(exports::Column::ReadyAt, Expr::value(finished))
            .col_expr(
                exports::Column::ExpiresAt,
                Expr::value(finished + Duration::days(DOWNLOAD_DAYS)),
            )
            .filter(exports::Column::Id.eq(row.id))
            .filter(exports::Column::Attempts.eq(attempt))
            .filter(exports::Column::Status.eq(ExportStatus::Building.as_str()))
            .exec(&txn)
            .await?
            .rows_affected
            == 1;
        if !ready {
            drop(txn);
            remove_quietly(&file);
            return Ok(Built::Abandoned);
        }
        if row.origin == ExportOrigin::Request.as_str() {
            self.tell_holder(&txn, row, finished, locale).await?;
        }
        self.audit
            .append(
                &txn,
                finished,
                Actor::SYSTEM,
                "export.built",
                &row.id.to_string(),
                &serde_json::json!({
                    "account": self.audit.actor_ref(me),
                    "items": done,
                    "files": written.files.len() + 1,
                    "bytes": written.size,
                    "attempt": attempt,
                    "ms": started.elapsed().as_millis(),
                })
                .to_string(),
            )
            .await?;
        self.audit.commit(txn, &self.db).await?;
        tracing::info!(export.id = %row.id, items = done, bytes = written.size, ms = started.elapsed().as_millis(), "export built");
        Ok(Built::Done)
    }

    /// The officer's copy is delivered to the account's inbox only — never
    /// to an address named in the request.
    async fn tell_holder(
        &self,
        txn: &DatabaseTransaction,
        row: &exports::Model,
        now: OffsetDateTime,
        locale: Locale,
    ) -> ServerResult<()> {
        let ack = match row.request_id {
            Some(id) => requests::Entity::find_by_id(id)
                .one(txn)
                .await?
                .map(|r| r.ack)
                .unwrap_or_default(),
            None => String::new(),
        };
        let (subject, body) = match locale {
            Locale::Zh => (
                format!("你的数据副本已准备好（{ack}）"),
                "隐私官已随答复附上你的全部数据副本。请在“导出我的数据”页面再次输入密码后下载，7 天内有效。".to_owned(),
            ),
            Locale::En => (
                format!("The copy of your data is ready ({ack})"),
                "The privacy officer attached a copy of all your data to the answer. Download it on the \"Export my data\" page after entering your password again; it can be downloaded for 7 days.".to_owned(),
            ),
        };
        // The inbox only: no e-mail, so no address can be named for it.
        crate::requests::notify(
            txn,
            now,
            crate::requests::Notice {
                account_id: Some(row.account_id),
                email: None,
                request_id: row.request_id,
                kind: "export_ready",
                subject,
                body,
                dedupe: format!("export_ready:{}", row.id),
            },
        )
        .await?;
        Ok(())
    }
}

/// Queues the archive that answers a holder's `copy` or `access` request,
/// inside the officer's fulfilment (same transaction). Requests without an
/// account get none: the portal cannot tell an impostor from the holder
/// outside a signed-in session.
pub(crate) async fn attach_to_request(
    txn: &DatabaseTransaction,
    request: &requests::Model,
    now: OffsetDateTime,
) -> ServerResult<Option<Uuid>> {
    let Some(account_id) = request.account_id else {
        return Ok(None);
    };
    let Some(account) = accounts::Entity::find_by_id(account_id).one(txn).await? else {
        return Ok(None);
    };
    let locale = Locale::from_tag(&account.locale).unwrap_or_default();
    let row = insert(
        txn,
        account_id,
        None,
        ExportOrigin::Request,
        Some(request.id),
        locale,
        now,
    )
    .await?;
    Ok(Some(row.id))
}

async fn insert(
    db: &impl ConnectionTrait,
    account_id: Uuid,
    chosen: Option<&[Category]>,
    origin: ExportOrigin,
    request_id: Option<Uuid>,
    locale: Locale,
    now: OffsetDateTime,
) -> ServerResult<exports::Model> {
    Ok(exports::ActiveModel {
        id: Set(Uuid::now_v7()),
        account_id: Set(account_id),
        categories: Set(chosen.map(|c| {
            serde_json::to_string(&c.iter().map(|c| c.as_str()).collect::<Vec<_>>())
                .unwrap_or_default()
        })),
        origin: Set(origin.as_str().to_owned()),
        request_id: Set(request_id),
        locale: Set(locale.tag().to_owned()),
        status: Set(ExportStatus::Queued.as_str().to_owned()),
        progress: Set(0),
        attempts: Set(0),
        claimed_until: Set(None),
        size_bytes: Set(None),
        sha256: Set(None),
        error: Set(None),
        created_at: Set(now),
        ready_at: Set(None),
        expires_at: Set(None),
    }
    .insert(db)
    .await?)
}

/// The holder's own export that is queued or building, if any.
async fn running(db: &impl ConnectionTrait, account_id: Uuid) -> ServerResult<Option<Uuid>> {
    Ok(exports::Entity::find()
        .select_only()
        .column(exports::Column::Id)
        .filter(exports::Column::AccountId.eq(account_id))
        .filter(exports::Column::Origin.eq(ExportOrigin::Holder.as_str()))
        .filter(exports::Column::Status.is_in([
            ExportStatus::Queued.as_str(),
            ExportStatus::Building.as_str(),
        ]))
        .into_tuple::<Uuid>()
        .one(db)
        .await?)
}

/// Renews a build's lease and stores its progress; false when the build is
/// no longer ours (removed, or claimed by another after our lease ran out).
async fn renew(
    db: &DatabaseConnection,
    now: OffsetDateTime,
    id: Uuid,
    attempt: i32,
    progress: i32,
) -> ServerResult<bool> {
    Ok(exports::Entity::update_many()
        .col_expr(exports::Column::ClaimedUntil, Expr::value(now + LEASE))
        .col_expr(exports::Column::Progress, Expr::value(progress))
        .filter(exports::Column::Id.eq(id))
        .filter(exports::Column::Attempts.eq(attempt))
        .filter(exports::Column::Status.eq(ExportStatus::Building.as_str()))
        .exec(db)
        .await?
        .rows_affected
        == 1)
}

/// A build's lease, renewed by a task of its own every [`BEAT`] so that a
/// durable write (an fsync on SQLite) never stalls the reading; the build
/// asks [`Heartbeat::lost`] between pages. Dropping it stops the renewals.
struct Heartbeat {
    progress: Arc<std::sync::atomic::AtomicI32>,
    lost: Arc<std::sync::atomic::AtomicBool>,
    task: tokio::task::JoinHandle<()>,
}

impl Heartbeat {
    fn start(db: DatabaseConnection, clock: Arc<dyn Clock>, id: Uuid, attempt: i32) -> Self {
        use std::sync::atomic::Ordering;
        let progress = Arc::new(std::sync::atomic::AtomicI32::new(0));
        let lost = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (shared, flag) = (progress.clone(), lost.clone());
        let task = tokio::spawn(async move {
            let mut tick = tokio::time::interval(BEAT);
            tick.tick().await;
            loop {
                tick.tick().await;
                match renew(
                    &db,
                    clock.now(),
                    id,
                    attempt,
                    shared.load(Ordering::Relaxed),
                )
                .await
                {
                    Ok(true) => {}
                    Ok(false) => {
                        flag.store(true, Ordering::Relaxed);
                        return;
                    }
                    // The lease is long enough to survive a failed renewal.
                    Err(e) => {
                        tracing::warn!(export.id = %id, error = %e, "renewing an export's lease failed")
                    }
                }
            }
        });
        Heartbeat {
            progress,
            lost,
            task,
        }
    }

    fn progress(&self, percent: i32) {
        self.progress
            .store(percent, std::sync::atomic::Ordering::Relaxed);
    }

    fn lost(&self) -> bool {
        self.lost.load(std::sync::atomic::Ordering::Relaxed)
    }
}

impl Drop for Heartbeat {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn holder(id: Uuid) -> Actor {
    Actor {
        id: Some(id),
        role: "holder",
    }
}

/// Removes every file of an export (the archive, a half-written one and its
/// spooled side files).
pub(crate) fn remove_files(dir: &Path, id: Uuid) {
    for ending in ["zip", "part", "side0", "side1"] {
        remove_quietly(&dir.join(format!("{}.{ending}", id.simple())));
    }
}

fn remove_quietly(path: &Path) {
    match std::fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => {
            tracing::warn!(path = %path.display(), error = %e, "could not remove an export file")
        }
    }
}
