//! Cancelling an account (Weixin guideline §6.5, QQ rules §10, Tencent
//! policy "Retention") and legal holds.
//!
//! A holder asks (within the re-authentication window); the account row
//! carries the cooling-off state (`domain::cancellation::Cooling`), so every
//! page can count down and collection stops at once. Undo clears it. The job
//! ([`Cancellations::run_due`]) mails the reminder three days before and, when
//! the period ends, erases the account in **one transaction**: every category,
//! every session (by the foreign keys' cascade), the holder's e-mails in the
//! outbox, pending sign-ups and throttling rows of the address; requests and
//! their timelines stay, with the requester anonymised; audit entries stay,
//! with the ID removed (their hashes cover a pseudonym, see `crate::audit`);
//! a tombstone keeps a keyed digest of the ID so it is never issued again.
//! The transaction re-reads the row under the write lock (`FOR UPDATE` on
//! PostgreSQL), so however many instances run, one erases and the others
//! find nothing; a crash rolls everything back and the next pass starts over.
//! Export files are removed after the commit; a crash in between leaves
//! orphans that [`crate::exports::Exports::expire`] removes.
//!
//! A freeze (an administrator's legal hold, with a reason the holder may be
//! told) refuses deletion, clearing and cancelling (409 `account_frozen`) and
//! holds a cancellation's clock until released.

use crate::audit::{Actor, AuditLog};
use crate::clock::Clock;
use crate::data::PersonalData;
use crate::entities::{
    account_tombstones, accounts, email_outbox, login_failures, pending_sign_ups, request_events,
    requests,
};
use crate::errors::ServerResult;
use crate::instant::rfc3339;
use crate::requests::{Notice, notify};
use crate::sessions::{Principal, Sessions, cooling_of, frozen_error};
use crate::settings;
use app::cancellation::{
    CancellationStatus, CancellationView, FreezeView, PortalSettings, SettingsChange,
};
use app::error::AppError;
use domain::cancellation::{Cooling, DEFAULT_COOLING_OFF_DAYS, Due};
use domain::data::Category;
use domain::{Locale, Role};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseBackend,
    DatabaseConnection, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use time::OffsetDateTime;
use uuid::Uuid;

/// Accounts erased or reminded per pass (the next pass takes the rest).
const PER_PASS: u64 = 50;

/// The cancellation service.
pub struct Cancellations {
    db: DatabaseConnection,
    clock: Arc<dyn Clock>,
    sessions: Arc<Sessions>,
    data: Arc<PersonalData>,
    audit: Arc<AuditLog>,
    exports_dir: PathBuf,
    public_url: String,
    /// Tests only: fail the erasing transaction after its last write and
    /// before its commit, as a crash there would.
    #[doc(hidden)]
    pub fail_before_commit: AtomicBool,
}

/// What one pass of the job did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct JobReport {
    pub reminded: usize,
    pub erased: usize,
}

fn view(cooling: Cooling, now: OffsetDateTime) -> CancellationView {
    CancellationView {
        requested_at: rfc3339(cooling.requested_at),
        effective_at: rfc3339(cooling.effective_at),
        days_left: cooling.days_left(now),
        held: cooling.paused_at.is_some(),
    }
}

/// The cancellation of the caller, as `Me` carries it.
#[must_use]
pub fn view_of(me: &Principal, now: OffsetDateTime) -> Option<CancellationView> {
    me.cancellation.map(|c| view(c, now))
}

fn no_cancellation() -> AppError {
    AppError::new(
        404,
        "no_cancellation",
        "Your account is not being cancelled; there is nothing to undo.",
    )
}

/// Reads an account row inside a write transaction, locked for the change
/// (`FOR UPDATE` on PostgreSQL; SQLite's write lock is already held), so a
/// freeze, cancellation or erasure that committed first is seen and two
/// changes of one account never interleave.
async fn locked(txn: &DatabaseTransaction, id: Uuid) -> ServerResult<Option<accounts::Model>> {
    let mut query = accounts::Entity::find_by_id(id);
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        query = query.lock_exclusive();
    }
    Ok(query.one(txn).await?)
}

/// Refuses a deletion inside its transaction while a legal hold stands.
///
/// # Errors
/// 409 `account_frozen`.
pub(crate) async fn refuse_if_frozen(txn: &DatabaseTransaction, id: Uuid) -> ServerResult<()> {
    let mut query = accounts::Entity::find_by_id(id)
        .select_only()
        .column(accounts::Column::FrozenReason);
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        query = query.lock_shared();
    }
    let reason: Option<Option<String>> = query.into_tuple().one(txn).await?;
    match reason.flatten() {
        Some(reason) => Err(frozen_error(&reason).into()),
        None => Ok(()),
    }
}

fn set_cooling(row: &mut accounts::ActiveModel, cooling: Option<Cooling>) {
    row.cancel_requested_at = Set(cooling.map(|c| c.requested_at));
    row.cancel_effective_at = Set(cooling.map(|c| c.effective_at));
    row.cancel_paused_at = Set(cooling.and_then(|c| c.paused_at));
    if cooling.is_none() {
        row.cancel_reminded_at = Set(None);
    }
}

fn account_not_found() -> AppError {
    AppError::new(
        404,
        "account_not_found",
        "There is no account with that ID.",
    )
}

fn parse_account(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| account_not_found())
}

fn day(t: OffsetDateTime) -> String {
    let d = t.date();
    format!(
        "{}-{:02}-{:02} {:02}:{:02} UTC",
        d.year(),
        u8::from(d.month()),
        d.day(),
        t.hour(),
        t.minute()
    )
}

/// The wording of the holder's notices.
fn notice_text(locale: Locale, what: &str, cooling: Cooling, url: &str) -> (String, String) {
    let when = day(cooling.effective_at);
    match (locale, what) {
        (Locale::Zh, "start") => (
            "您已申请注销账号".to_owned(),
            format!(
                "您的账号将于 {when} 注销，届时您的个人信息将被删除。在此之前，您可以随时在 {url}/account/cancel 撤销注销申请，也可以先导出您的数据。如果这不是您本人的操作，请立即登录并撤销，然后修改密码。"
            ),
        ),
        (Locale::Zh, "reminder") => (
            "您的账号将在三天内注销".to_owned(),
            format!(
                "您的账号将于 {when} 注销，您的个人信息将被删除且无法恢复。如需保留账号，请在此之前登录 {url}/account/cancel 撤销。"
            ),
        ),
        (Locale::Zh, _) => (
            "注销申请已撤销".to_owned(),
            "您的注销申请已撤销，账号将继续保留。".to_owned(),
        ),
        (_, "start") => (
            "You asked to cancel your account".to_owned(),
            format!(
                "Your account will be erased on {when}, and your personal data deleted with it. Until then you can undo this at any time at {url}/account/cancel, and export your data first. If this was not you, sign in now, undo it and change your password."
            ),
        ),
        (_, "reminder") => (
            "Your account will be erased in three days".to_owned(),
            format!(
                "Your account will be erased on {when}; your personal data cannot be recovered after that. To keep the account, sign in before then and undo the cancellation at {url}/account/cancel."
            ),
        ),
        _ => (
            "Cancellation undone".to_owned(),
            "You undid the cancellation: your account stays.".to_owned(),
        ),
    }
}

impl Cancellations {
    /// The service; export archives live in `exports_dir`.
    #[must_use]
    pub fn new(
        db: DatabaseConnection,
        clock: Arc<dyn Clock>,
        sessions: Arc<Sessions>,
        data: Arc<PersonalData>,
        audit: Arc<AuditLog>,
        exports_dir: PathBuf,
        public_url: String,
    ) -> Self {
        Cancellations {
            db,
            clock,
            sessions,
            data,
            audit,
            exports_dir,
            public_url: public_url.trim_end_matches('/').to_owned(),
            fail_before_commit: AtomicBool::new(false),
        }
    }

    /// The portal's clock.
    #[must_use]
    pub fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }

    /// The cooling-off period in force (days).
    ///
    /// # Errors
    /// When the database fails.
    pub async fn cooling_off_days(&self, db: &impl ConnectionTrait) -> ServerResult<u32> {
        Ok(settings::get(db, settings::COOLING_OFF_DAYS)
            .await?
            .and_then(|value| value.parse::<i64>().ok())
            .and_then(|d| domain::cancellation::check_days(d).ok())
            .unwrap_or(DEFAULT_COOLING_OFF_DAYS))
    }

    /// The administrator's settings.
    ///
    /// # Errors
    /// 403 for anyone but an administrator.
    pub async fn settings(&self, me: &Principal) -> ServerResult<PortalSettings> {
        if me.role != Role::Admin {
            return Err(AppError::forbidden().into());
        }
        Ok(PortalSettings {
            cooling_off_days: i64::from(self.cooling_off_days(&self.db).await?),
            regulator_notice: settings::regulator_notice(&self.db).await?,
            reaccess_hold_hours: i64::from(
                crate::accounts::recovery::reaccess_hold_hours(&self.db).await?,
            ),
        })
    }

    /// Changes the settings given (audited, with what changed). Cancellations
    /// already running keep their date; answers already given keep their
    /// regulator line.
    ///
    /// # Errors
    /// 403 for anyone but an administrator; 422 `invalid_period`, or naming
    /// `regulator_notice`; nothing changes when anything is refused.
    pub async fn save_settings(
        &self,
        me: &Principal,
        change: &SettingsChange,
    ) -> ServerResult<PortalSettings> {
        if me.role != Role::Admin {
            return Err(AppError::forbidden().into());
        }
        let days = change
            .cooling_off_days
            .map(|d| {
                domain::cancellation::check_days(d).map_err(|e| {
                    AppError::invalid("cooling_off_days", "invalid_period", e.to_string())
                })
            })
            .transpose()?;
        let notice = change
            .regulator_notice
            .as_deref()
            .map(|text| {
                domain::requests::complaint::check_regulator_notice(text).map_err(|e| {
                    AppError::invalid(
                        "regulator_notice",
                        e.code(),
                        format!(
                            "regulator_notice: {} (1 to {} characters, naming the regulator and how to reach it).",
                            e.to_string().trim_end_matches('.'),
                            domain::requests::complaint::MAX_REGULATOR_NOTICE
                        ),
                    )
                })
            })
            .transpose()?;
        let hold = change
            .reaccess_hold_hours
            .map(|h| {
                if (1..=settings::MAX_REACCESS_HOLD_HOURS).contains(&h) {
                    Ok(h)
                } else {
                    Err(AppError::invalid(
                        "reaccess_hold_hours",
                        "invalid_period",
                        format!(
                            "reaccess_hold_hours: 1 to {} hours.",
                            settings::MAX_REACCESS_HOLD_HOURS
                        ),
                    ))
                }
            })
            .transpose()?;
        let now = self.clock.now();
        let _audit = self.audit.lock().await;
        let txn = crate::db::begin_write(&self.db).await?;
        let mut changed = serde_json::Map::new();
        if let Some(days) = days {
            settings::put(&txn, settings::COOLING_OFF_DAYS, &days.to_string(), now).await?;
            changed.insert(settings::COOLING_OFF_DAYS.into(), days.into());
        }
        if let Some(notice) = &notice {
            settings::put(&txn, settings::REGULATOR_NOTICE, notice, now).await?;
            changed.insert(settings::REGULATOR_NOTICE.into(), notice.clone().into());
        }
        if let Some(hold) = hold {
            settings::put(&txn, settings::REACCESS_HOLD_HOURS, &hold.to_string(), now).await?;
            changed.insert(settings::REACCESS_HOLD_HOURS.into(), hold.into());
        }
        if !changed.is_empty() {
            let names: Vec<&str> = changed.keys().map(String::as_str).collect();
            let target = names.join(",");
            self.audit
                .append(
                    &txn,
                    now,
                    Actor {
                        id: Some(me.account_id),
                        role: "admin",
                    },
                    "admin.settings_changed",
                    &target,
                    &serde_json::Value::Object(changed.clone()).to_string(),
                )
                .await?;
        }
        let saved = PortalSettings {
            cooling_off_days: i64::from(self.cooling_off_days(&txn).await?),
            regulator_notice: settings::regulator_notice(&txn).await?,
            reaccess_hold_hours: i64::from(
                crate::accounts::recovery::reaccess_hold_hours(&txn).await?,
            ),
        };
        self.audit.commit(txn, &self.db).await?;
        Ok(saved)
    }

    /// Where the caller's account stands.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn status(&self, me: &Principal) -> ServerResult<CancellationStatus> {
        let now = self.clock.now();
        Ok(CancellationStatus {
            cooling_off_days: self.cooling_off_days(&self.db).await?,
            pending: view_of(me, now),
            frozen_reason: me.frozen.clone(),
        })
    }

    /// Starts the cooling-off period: collection stops, the holder is told
    /// in the inbox and by e-mail, and the account is erased when it ends.
    ///
    /// # Errors
    /// 403 `reauth_required` outside the window, 403 for staff accounts,
    /// 409 `account_frozen`, 409 `already_cancelling`.
    pub async fn cancel(&self, me: &Principal) -> ServerResult<CancellationView> {
        if me.role != Role::Holder {
            return Err(AppError::new(
                403,
                "staff_account",
                "Staff accounts are closed by an administrator, not cancelled here.",
            )
            .into());
        }
        self.sessions.require_recent_reauth(me)?;
        let now = self.clock.now();
        let days = self.cooling_off_days(&self.db).await?;
        let _audit = self.audit.lock().await;
        let txn = crate::db::begin_write(&self.db).await?;
        let account = locked(&txn, me.account_id)
            .await?
            .ok_or_else(AppError::unauthenticated)?;
        if let Some(reason) = &account.frozen_reason {
            return Err(frozen_error(reason).into());
        }
        if let Some(running) = cooling_of(&account) {
            return Err(AppError::new(
                409,
                "already_cancelling",
                format!(
                    "Your account is already being cancelled; it will be erased at {}.",
                    rfc3339(running.effective_at)
                ),
            )
            .into());
        }
        let cooling = Cooling::start(now, days, false);
        let mut row: accounts::ActiveModel = account.clone().into();
        set_cooling(&mut row, Some(cooling));
        row.cancel_reminded_at = Set(None);
        row.update(&txn).await?;
        self.tell(&txn, &account, "start", cooling, now).await?;
        self.holder_record(
            &txn,
            me.account_id,
            now,
            "cancellation_requested",
            &serde_json::json!({ "effective_at": rfc3339(cooling.effective_at), "days": days }),
        )
        .await?;
        self.audit.commit(txn, &self.db).await?;
        tracing::info!(account.id = %me.account_id, effective_at = %rfc3339(cooling.effective_at), "cancellation requested");
        Ok(view(cooling, now))
    }

    /// Undoes a cancellation in cooling-off (no password needed: undoing
    /// harms nobody).
    ///
    /// # Errors
    /// 404 `no_cancellation`.
    pub async fn undo(&self, me: &Principal) -> ServerResult<()> {
        let now = self.clock.now();
        let _audit = self.audit.lock().await;
        let txn = crate::db::begin_write(&self.db).await?;
        let account = locked(&txn, me.account_id)
            .await?
            .ok_or_else(AppError::unauthenticated)?;
        let Some(cooling) = cooling_of(&account) else {
            return Err(no_cancellation().into());
        };
        let mut row: accounts::ActiveModel = account.clone().into();
        set_cooling(&mut row, None);
        row.update(&txn).await?;
        self.tell(&txn, &account, "undone", cooling, now).await?;
        self.holder_record(
            &txn,
            me.account_id,
            now,
            "cancellation_undone",
            &serde_json::json!({}),
        )
        .await?;
        self.audit.commit(txn, &self.db).await
    }

    /// The holder's activity record and the audit entry of `what` they did
    /// (`cancellation_requested`, `cancellation_undone`), in their change's
    /// transaction.
    async fn holder_record(
        &self,
        txn: &DatabaseTransaction,
        me: Uuid,
        now: OffsetDateTime,
        what: &str,
        detail: &serde_json::Value,
    ) -> ServerResult<()> {
        crate::data::record_activity(txn, me, now, what, "account", 0, None).await?;
        self.audit
            .append(
                txn,
                now,
                Actor {
                    id: Some(me),
                    role: "holder",
                },
                &format!("holder.{what}"),
                &self.audit.actor_ref(me),
                &detail.to_string(),
            )
            .await
    }

    async fn tell(
        &self,
        txn: &DatabaseTransaction,
        account: &accounts::Model,
        what: &str,
        cooling: Cooling,
        now: OffsetDateTime,
    ) -> ServerResult<bool> {
        let locale = Locale::from_tag(&account.locale).unwrap_or_default();
        let (subject, body) = notice_text(locale, what, cooling, &self.public_url);
        notify(
            txn,
            now,
            Notice {
                account_id: Some(account.id),
                email: Some(&account.email),
                request_id: None,
                kind: "cancellation",
                subject,
                body,
                dedupe: format!(
                    "cancellation:{what}:{}:{}:{}",
                    account.id,
                    cooling.requested_at.unix_timestamp(),
                    if what == "undone" {
                        now.unix_timestamp()
                    } else {
                        cooling.effective_at.unix_timestamp()
                    }
                ),
            },
        )
        .await
    }

    /// Puts an account under a legal hold (a cancellation in cooling-off
    /// stops its clock). Freezing a frozen account replaces the reason.
    ///
    /// # Errors
    /// 403 for anyone but an administrator; 404 `account_not_found`; 422
    /// `invalid_reason`.
    pub async fn freeze(
        &self,
        admin: &Principal,
        raw_id: &str,
        reason: &str,
    ) -> ServerResult<FreezeView> {
        let reason = domain::cancellation::check_reason(reason)
            .map_err(|e| AppError::invalid("reason", "invalid_reason", e.to_string()))?;
        let (id, held, frozen_at) = self.set_hold(admin, raw_id, Some(reason.clone())).await?;
        let now = self.clock.now();
        Ok(FreezeView {
            account_id: id.to_string(),
            reason,
            frozen_at: rfc3339(frozen_at.unwrap_or(now)),
            cancellation: held.map(|c| view(c, now)),
        })
    }

    /// Releases a legal hold; a held cancellation resumes with the time it
    /// had left.
    ///
    /// # Errors
    /// 403 for anyone but an administrator; 404 `account_not_found` or
    /// `not_frozen`.
    pub async fn release(&self, admin: &Principal, raw_id: &str) -> ServerResult<()> {
        self.set_hold(admin, raw_id, None).await.map(|_| ())
    }

    /// Freezes (`reason`) or releases (`None`) an account, holding or
    /// resuming its cancellation, audited; answers the account, its
    /// cancellation after the change and since when it is frozen.
    async fn set_hold(
        &self,
        admin: &Principal,
        raw_id: &str,
        reason: Option<String>,
    ) -> ServerResult<(Uuid, Option<Cooling>, Option<OffsetDateTime>)> {
        if admin.role != Role::Admin {
            return Err(AppError::forbidden().into());
        }
        let id = parse_account(raw_id)?;
        let now = self.clock.now();
        let _audit = self.audit.lock().await;
        let txn = crate::db::begin_write(&self.db).await?;
        let account = locked(&txn, id).await?.ok_or_else(account_not_found)?;
        let (cooling, frozen_at, action) = match &reason {
            Some(_) => (
                cooling_of(&account).map(|c| c.hold(now)),
                Some(account.frozen_at.unwrap_or(now)),
                "admin.account_frozen",
            ),
            None if account.frozen_reason.is_none() => {
                return Err(AppError::new(404, "not_frozen", "That account is not frozen.").into());
            }
            None => (
                cooling_of(&account).map(|c| c.release(now)),
                None,
                "admin.account_released",
            ),
        };
        let mut row: accounts::ActiveModel = account.into();
        row.frozen_reason = Set(reason.clone());
        row.frozen_at = Set(frozen_at);
        if cooling.is_some() {
            set_cooling(&mut row, cooling);
        }
        row.update(&txn).await?;
        self.audit
            .append(
                &txn,
                now,
                Actor {
                    id: Some(admin.account_id),
                    role: "admin",
                },
                action,
                &self.audit.actor_ref(id),
                &serde_json::json!({
                    "reason": reason,
                    "cancellation_held": cooling.is_some_and(|c| c.paused_at.is_some()),
                    "effective_at": cooling.map(|c| rfc3339(c.effective_at)),
                })
                .to_string(),
            )
            .await?;
        self.audit.commit(txn, &self.db).await?;
        Ok((id, cooling, frozen_at))
    }

    /// One pass of the job: reminders that have come due, then erasures.
    ///
    /// # Errors
    /// When the database fails (an account that fails is logged and left
    /// for the next pass).
    pub async fn run_due(&self) -> ServerResult<JobReport> {
        let now = self.clock.now();
        let mut report = JobReport::default();
        let soon = now + domain::cancellation::REMINDER_BEFORE;
        // Two lists, so accounts already reminded and waiting for their end
        // never keep a newer one from its reminder.
        let due = |until: OffsetDateTime, unreminded: bool| {
            let mut query = accounts::Entity::find()
                .filter(accounts::Column::CancelEffectiveAt.lte(until))
                .filter(accounts::Column::CancelPausedAt.is_null());
            if unreminded {
                query = query.filter(accounts::Column::CancelRemindedAt.is_null());
            }
            query
                .order_by_asc(accounts::Column::CancelEffectiveAt)
                .limit(PER_PASS)
                .all(&self.db)
        };
        let mut candidates = due(now, false).await?;
        candidates.extend(due(soon, true).await?);
        for account in candidates {
            let Some(cooling) = cooling_of(&account) else {
                continue;
            };
            match cooling.due(now, account.cancel_reminded_at.is_some()) {
                Due::Reminder => {
                    if self.remind(account.id, now).await? {
                        report.reminded += 1;
                    }
                }
                Due::Completion => match self.erase(account.id).await {
                    Ok(true) => report.erased += 1,
                    Ok(false) => {}
                    Err(e) => {
                        tracing::error!(account.id = %account.id, error = %e, "erasing a cancelled account failed")
                    }
                },
                Due::Nothing | Due::Held => {}
            }
        }
        Ok(report)
    }

    async fn remind(&self, id: Uuid, now: OffsetDateTime) -> ServerResult<bool> {
        let txn = crate::db::begin_write(&self.db).await?;
        let claimed = accounts::Entity::update_many()
            .col_expr(accounts::Column::CancelRemindedAt, Expr::value(now))
            .filter(accounts::Column::Id.eq(id))
            .filter(accounts::Column::CancelRemindedAt.is_null())
            .filter(accounts::Column::CancelPausedAt.is_null())
            .filter(accounts::Column::CancelEffectiveAt.is_not_null())
            .exec(&txn)
            .await?
            .rows_affected;
        if claimed != 1 {
            return Ok(false);
        }
        let Some(account) = locked(&txn, id).await? else {
            return Ok(false);
        };
        let Some(cooling) = cooling_of(&account) else {
            return Ok(false);
        };
        self.tell(&txn, &account, "reminder", cooling, now).await?;
        txn.commit().await?;
        Ok(true)
    }

    /// Erases one account whose cooling-off has ended, in one transaction;
    /// answers whether this call did it (another instance, an undo or a
    /// freeze may have come first).
    ///
    /// # Errors
    /// When the database fails; nothing is changed then.
    pub async fn erase(&self, id: Uuid) -> ServerResult<bool> {
        let now = self.clock.now();
        let _audit = self.audit.lock().await;
        let txn = crate::db::begin_write(&self.db).await?;
        let Some(account) = locked(&txn, id).await? else {
            return Ok(false);
        };
        let due = cooling_of(&account).is_some_and(|c| {
            account.frozen_reason.is_none() && c.due(now, true) == Due::Completion
        });
        if !due {
            return Ok(false);
        }
        // What goes, counted (no content).
        let mut removed = serde_json::Map::new();
        for category in Category::ALL {
            let n = if category.clearable() {
                crate::data::delete_rows(&txn, id, category, None).await?
            } else {
                self.data.count(id, category).await?
            };
            if n > 0 {
                removed.insert(category.as_str().to_owned(), n.into());
            }
        }
        let exports: Vec<Uuid> = crate::entities::data::exports::Entity::find()
            .filter(crate::entities::data::exports::Column::AccountId.eq(id))
            .select_only()
            .column(crate::entities::data::exports::Column::Id)
            .into_tuple()
            .all(&txn)
            .await?;
        let sessions = crate::entities::sessions::Entity::find()
            .filter(crate::entities::sessions::Column::AccountId.eq(id))
            .count(&txn)
            .await?;
        // Requests stay (the law asks for them), the requester anonymised:
        // the ones filed signed in and the ones filed from the address.
        let anonymised = requests::Entity::update_many()
            .col_expr(
                requests::Column::AccountId,
                Expr::value(Option::<Uuid>::None),
            )
            .col_expr(
                requests::Column::ContactEmail,
                Expr::value(Option::<String>::None),
            )
            .filter(
                Condition::any()
                    .add(requests::Column::AccountId.eq(id))
                    .add(requests::Column::ContactEmail.eq(account.email.as_str())),
            )
            .exec(&txn)
            .await?
            .rows_affected;
        request_events::Entity::update_many()
            .col_expr(
                request_events::Column::ActorId,
                Expr::value(Option::<Uuid>::None),
            )
            .filter(request_events::Column::ActorId.eq(id))
            .exec(&txn)
            .await?;
        email_outbox::Entity::delete_many()
            .filter(email_outbox::Column::ToEmail.eq(account.email.as_str()))
            .exec(&txn)
            .await?;
        pending_sign_ups::Entity::delete_many()
            .filter(pending_sign_ups::Column::Email.eq(account.email.as_str()))
            .exec(&txn)
            .await?;
        // Throttling rows keyed by the address or the account (sign-in
        // failures, password-reset requests): digests, but of this person.
        login_failures::Entity::delete_many()
            .filter(login_failures::Column::Subject.is_in([
                crate::accounts::subject("account", &account.email),
                crate::accounts::subject("reset-address", &account.email),
                crate::accounts::subject("reset-account", &id.to_string()),
            ]))
            .exec(&txn)
            .await?;
        let kept_under_id = self.audit.erase_actor(&txn, id).await?;
        // The row itself: sessions, personal data, consents, exports and
        // notices go with it (ON DELETE CASCADE).
        accounts::Entity::delete_by_id(id).exec(&txn).await?;
        let tombstone = self
            .audit
            .keyed_digest("account-tombstone", &id.to_string());
        account_tombstones::Entity::insert(account_tombstones::ActiveModel {
            digest: Set(tombstone.clone()),
            erased_at: Set(now),
        })
        .on_conflict(
            OnConflict::column(account_tombstones::Column::Digest)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
        self.audit
            .append(
                &txn,
                now,
                Actor::SYSTEM,
                "account.erased",
                &self.audit.actor_ref(id),
                &serde_json::json!({
                    "removed": removed,
                    "sessions": sessions,
                    "exports": exports.len(),
                    "requests_anonymised": anonymised,
                    "audit_entries_kept_under_id": kept_under_id,
                })
                .to_string(),
            )
            .await?;
        if self.fail_before_commit.load(Ordering::SeqCst) {
            return Err(anyhow::anyhow!("fail_before_commit: a crash before the commit").into());
        }
        self.audit.commit(txn, &self.db).await?;
        for export in exports {
            crate::exports::remove_files(&self.exports_dir, export);
        }
        tracing::info!(tombstone = %tombstone, "cancelled account erased");
        Ok(true)
    }
}

/// Whether an account ID was erased before (it is never issued again).
///
/// # Errors
/// When the database fails.
pub(crate) async fn was_erased(
    db: &impl ConnectionTrait,
    audit: &AuditLog,
    id: Uuid,
) -> ServerResult<bool> {
    Ok(account_tombstones::Entity::find_by_id(
        audit.keyed_digest("account-tombstone", &id.to_string()),
    )
    .one(db)
    .await?
    .is_some())
}
