//! Consent, feature by feature (Weixin guideline §6.4, §1.5–1.8): the
//! holder grants or withdraws each, optionally clearing what it collected in
//! the same transaction; every change leaves a receipt; collection stores
//! only while the feature is granted. The rules are `domain::consent`'s.

mod guardian;
mod policy;

pub use policy::{POLICY_FEATURE, accepted_at_sign_up};

use super::PersonalData;
use super::change::delete_rows;
use crate::entities::data::{
    account_security, consent_receipts, consents, contact_hashes, guardian_confirmations,
    location_points, step_counts,
};
use crate::errors::ServerResult;
use crate::sessions::Principal;
use app::consents::{Collected, ConsentChange, ConsentReceipt, ConsentView, Stored};
use app::error::AppError;
use domain::consent::{
    Asker, Change, Collects, ConsentChannel, ConsentError, ConsentState, Feature, GPC_WITHDRAWS,
    Governs,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend,
    DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect, sea_query::OnConflict,
};
use std::collections::HashMap;
use time::OffsetDateTime;
use uuid::Uuid;

/// Receipts listed at once.
const HISTORY_MAX: u64 = 500;

fn refusal(e: ConsentError) -> AppError {
    AppError {
        field: e.field().map(str::to_owned),
        ..AppError::new(e.status(), e.code(), e.to_string())
    }
}

/// Whether a request carries the Global Privacy Control signal.
#[must_use]
pub fn gpc_signal(headers: &http::HeaderMap) -> bool {
    headers
        .get("sec-gpc")
        .is_some_and(|v| v.as_bytes().trim_ascii() == b"1")
}

fn consent_required(feature: Feature) -> AppError {
    AppError::new(
        403,
        "consent_required",
        format!(
            "The holder has not granted {}: nothing was stored.",
            feature.as_str()
        ),
    )
}

fn stored_receipt(row: consent_receipts::Model) -> ServerResult<ConsentReceipt> {
    let unreadable = |what: &str| anyhow::anyhow!("stored consent receipt has an unknown {what}");
    let feature = if row.feature == POLICY_FEATURE {
        None
    } else {
        Some(Feature::parse(&row.feature).ok_or_else(|| unreadable("feature"))?)
    };
    Ok(ConsentReceipt {
        at: super::rfc3339(row.at),
        feature,
        state: ConsentState::parse(&row.state).ok_or_else(|| unreadable("state"))?,
        policy_version: row.policy_version,
        channel: ConsentChannel::parse(&row.channel).ok_or_else(|| unreadable("channel"))?,
        cleared: row.cleared,
        cleared_items: u64::try_from(row.cleared_items).unwrap_or_default(),
    })
}

impl PersonalData {
    /// Every feature of the catalogue with where it stands for `me`; `gpc`
    /// when the request carries Global Privacy Control.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn consents(&self, me: Uuid, gpc: bool) -> ServerResult<Vec<ConsentView>> {
        consent_views(&self.db, me, gpc, self.clock.now()).await
    }

    /// Honours a signed-in browser's Global Privacy Control signal: the
    /// features it covers (marketing, personalised ads) that are still
    /// granted are withdrawn, each with a receipt of channel `gpc`. Answers
    /// how many were withdrawn; reads only when there is nothing to do.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn honour_gpc(&self, me: &Principal) -> ServerResult<usize> {
        let covered: Vec<&str> = GPC_WITHDRAWS.iter().map(|f| f.as_str()).collect();
        let granted = |conn| {
            consents::Entity::find()
                .filter(consents::Column::AccountId.eq(me.account_id))
                .filter(consents::Column::Feature.is_in(covered.clone()))
                .filter(consents::Column::Granted.eq(true))
                .all(conn)
        };
        if granted(&self.db).await?.is_empty() {
            return Ok(0);
        }
        let now = self.clock.now();
        let _audit = self.audit.lock().await;
        let txn = crate::db::begin_write(&self.db).await?;
        let rows = consents::Entity::find()
            .filter(consents::Column::AccountId.eq(me.account_id))
            .filter(consents::Column::Feature.is_in(covered))
            .filter(consents::Column::Granted.eq(true))
            .all(&txn)
            .await?;
        let version = policy::current(&txn).await?.version;
        for row in &rows {
            let Some(feature) = Feature::parse(&row.feature) else {
                continue;
            };
            set_consent(&txn, me.account_id, feature, false, now).await?;
            self.consent_receipt(
                &txn,
                me.account_id,
                feature,
                ConsentState::Withdrawn,
                ConsentChannel::Gpc,
                &version,
                (false, 0),
                now,
            )
            .await?;
        }
        self.audit.commit(txn, &self.db).await?;
        tracing::info!(account.id = %me.account_id, withdrawn = rows.len(), "Global Privacy Control honoured");
        Ok(rows.len())
    }

    /// The receipts of every change, newest first.
    ///
    /// # Errors
    /// When the database fails or a stored receipt is unreadable.
    pub async fn consent_history(&self, me: Uuid) -> ServerResult<Vec<ConsentReceipt>> {
        consent_receipts::Entity::find()
            .filter(consent_receipts::Column::AccountId.eq(me))
            .order_by_desc(consent_receipts::Column::At)
            .order_by_desc(consent_receipts::Column::Id)
            .limit(HISTORY_MAX)
            .all(&self.db)
            .await?
            .into_iter()
            .map(stored_receipt)
            .collect()
    }

    /// Grants or withdraws `feature`; "turn off and clear" deletes what it
    /// collected in the same transaction, with the receipt, the activity
    /// record and the audit entry.
    ///
    /// # Errors
    /// 403 `reauth_required` (clearing outside the window); 422
    /// `invalid_clear`.
    pub async fn change_consent(
        &self,
        me: &Principal,
        feature: Feature,
        change: ConsentChange,
        channel: ConsentChannel,
        gpc: bool,
    ) -> ServerResult<ConsentView> {
        let owner = me.account_id;
        let guardian_email = guardian::guardian_address(change.guardian_email.as_deref())?;
        let (policy, accepted_policy) = policy::in_force(&self.db, owner).await?;
        let version = policy.version;
        let asker = Asker {
            minor: me.minor,
            reauthenticated: self.sessions.require_recent_reauth(me).is_ok(),
            accepted_policy,
            gpc,
        };
        let decision = domain::consent::decide(
            feature,
            Change {
                granted: change.granted,
                clear: change.clear,
                guardian: guardian_email.is_some(),
            },
            asker,
        )
        .map_err(refusal)?;
        let now = self.clock.now();
        let _audit = self.audit.lock().await;
        let txn = crate::db::begin_write(&self.db).await?;
        if !decision.clear.is_empty() {
            crate::cancellation::refuse_if_frozen(&txn, owner).await?;
        }
        // A grant during cooling-off would collect from an account about to
        // be erased: undo the cancellation first.
        if decision.state == ConsentState::Granted && me.cancellation.is_some() {
            return Err(account_cancelling().into());
        }
        let before = consents::Entity::find()
            .filter(consents::Column::AccountId.eq(owner))
            .filter(consents::Column::Feature.eq(feature.as_str()))
            .one(&txn)
            .await?;
        let already = before.as_ref().is_some_and(|c| c.granted);
        if decision.ask_guardian && already {
            // Granted already (a guardian agreed before): nothing to ask.
            txn.commit().await?;
            return self.consent_view(owner, feature, gpc).await;
        }
        Self::void_guardian_links(&txn, owner, feature).await?;
        if decision.ask_guardian {
            let email = guardian_email.as_deref().unwrap_or_default();
            self.ask_guardian(&txn, owner, feature, email, now).await?;
        } else {
            set_consent(
                &txn,
                owner,
                feature,
                decision.state == ConsentState::Granted,
                now,
            )
            .await?;
        }
        let mut removed = 0;
        for governs in decision.clear {
            removed += clear(&txn, owner, *governs).await?;
        }
        self.consent_receipt(
            &txn,
            owner,
            feature,
            decision.state,
            channel,
            &version,
            (!decision.clear.is_empty(), removed),
            now,
        )
        .await?;
        self.audit.commit(txn, &self.db).await?;
        tracing::info!(account.id = %owner, feature = feature.as_str(), state = decision.state.as_str(), removed, "consent changed");
        self.consent_view(owner, feature, gpc).await
    }

    async fn consent_view(
        &self,
        owner: Uuid,
        feature: Feature,
        gpc: bool,
    ) -> ServerResult<ConsentView> {
        consent_views(&self.db, owner, gpc, self.clock.now())
            .await?
            .into_iter()
            .find(|v| v.feature == feature)
            .ok_or_else(|| anyhow::anyhow!("the feature vanished from the catalogue").into())
    }

    /// The receipt of a change, its activity record and its audit entry.
    #[expect(
        clippy::too_many_arguments,
        reason = "a receipt records each of these separately"
    )]
    async fn consent_receipt(
        &self,
        txn: &DatabaseTransaction,
        owner: Uuid,
        feature: Feature,
        state: ConsentState,
        channel: ConsentChannel,
        version: &str,
        (cleared, removed): (bool, u64),
        now: OffsetDateTime,
    ) -> ServerResult<()> {
        consent_receipts::ActiveModel {
            // Time-ordered: the clock counts in seconds, and two changes in
            // one second still list in the order they were made.
            id: Set(Uuid::now_v7()),
            account_id: Set(owner),
            feature: Set(feature.as_str().to_owned()),
            state: Set(state.as_str().to_owned()),
            policy_version: Set(version.to_owned()),
            channel: Set(channel.as_str().to_owned()),
            cleared: Set(cleared),
            cleared_items: Set(i64::try_from(removed).unwrap_or(i64::MAX)),
            at: Set(now),
        }
        .insert(txn)
        .await?;
        let verb = match (state, cleared) {
            (ConsentState::Withdrawn, true) => "consent_cleared",
            (ConsentState::Withdrawn, false) => "consent_withdrawn",
            (ConsentState::AwaitingGuardian, _) => "consent_asked_guardian",
            (ConsentState::Granted, _) => "consent_granted",
        };
        self.receipt(
            txn,
            owner,
            now,
            verb,
            "consents",
            removed,
            Some(feature.as_str()),
        )
        .await
    }

    /// Stores what an app hands over for `feature`, only while the holder
    /// has granted it: the consent row is read in the same transaction as
    /// the write (shared-locked on PostgreSQL, under SQLite's write lock),
    /// so nothing is stored after a withdrawal has committed.
    ///
    /// # Errors
    /// 404 for a feature that collects nothing; 422 naming the field; 403
    /// `consent_required`.
    pub async fn collect(
        &self,
        me: &Principal,
        feature: Feature,
        body: &Collected,
    ) -> ServerResult<Stored> {
        let kind = feature.collects().ok_or_else(AppError::not_found)?;
        let now = self.clock.now();
        let owner = me.account_id;
        // The session's read of the account says whether it is being
        // cancelled: no extra query on this hot path. An item that slips in
        // beside a cancellation committing is erased with the account.
        if me.cancellation.is_some() {
            return Err(account_cancelling().into());
        }
        let input = self.checked(owner, kind, body, now).await?;
        let txn = crate::db::begin_write(&self.db).await?;
        let mut query = consents::Entity::find()
            .filter(consents::Column::AccountId.eq(owner))
            .filter(consents::Column::Feature.eq(feature.as_str()));
        if txn.get_database_backend() == DatabaseBackend::Postgres {
            query = query.lock_shared();
        }
        let granted = query.one(&txn).await?.is_some_and(|c| c.granted);
        if !granted {
            return Err(consent_required(feature).into());
        }
        let (policy, accepted) = policy::in_force(&txn, owner).await?;
        if !accepted {
            let version = policy.version;
            return Err(AppError::new(
                403,
                "policy_not_accepted",
                format!(
                    "The holder has not accepted privacy policy {version} yet: nothing was stored."
                ),
            )
            .into());
        }
        let stored = store(&txn, owner, input, now, &self.audit).await?;
        txn.commit().await?;
        Ok(Stored { stored })
    }

    /// The collected input checked by the domain's rules, before any write.
    async fn checked(
        &self,
        owner: Uuid,
        kind: Collects,
        body: &Collected,
        now: OffsetDateTime,
    ) -> ServerResult<Input> {
        fn required<T: Clone>(value: Option<&T>, field: &str) -> Result<T, AppError> {
            value.cloned().ok_or_else(|| {
                AppError::invalid(
                    field,
                    "required",
                    format!("{field}: required for this feature."),
                )
            })
        }
        let bad = |e: domain::consent::CollectError| {
            AppError::invalid(&e.field(), e.code(), e.to_string())
        };
        Ok(match kind {
            Collects::LocationPoint => {
                let (lat, lon) = (
                    required(body.lat.as_ref(), "lat")?,
                    required(body.lon.as_ref(), "lon")?,
                );
                domain::consent::check_point(lat, lon).map_err(bad)?;
                let at = match body.at.as_deref() {
                    None => now,
                    Some(raw) => {
                        OffsetDateTime::parse(raw, &time::format_description::well_known::Rfc3339)
                            .ok()
                            .filter(|at| *at <= now)
                            .ok_or_else(|| {
                                AppError::invalid(
                                    "at",
                                    "invalid_instant",
                                    "at: an RFC 3339 instant, not in the future.",
                                )
                            })?
                    }
                };
                let accuracy = body.accuracy_m.unwrap_or(0);
                if !(0..=100_000).contains(&accuracy) {
                    return Err(AppError::invalid(
                        "accuracy_m",
                        "out_of_range",
                        "accuracy_m: 0 to 100,000 metres.",
                    )
                    .into());
                }
                Input::Point {
                    lat,
                    lon,
                    at,
                    accuracy,
                }
            }
            Collects::StepCount => {
                let raw = required(body.date.as_ref(), "date")?;
                let day = time::Date::parse(
                    &raw,
                    time::macros::format_description!("[year]-[month]-[day]"),
                )
                .map_err(|_| AppError::invalid("date", "invalid_date", "date: YYYY-MM-DD."))?;
                let steps = required(body.steps.as_ref(), "steps")?;
                let zone = self.zone(owner).await?;
                let today = domain::deadlines::local_date(now, &zone);
                domain::consent::check_steps(day, steps, today).map_err(bad)?;
                Input::Steps { day, steps }
            }
            Collects::ContactBatch => {
                let numbers = required(body.numbers.as_ref(), "numbers")?;
                Input::Contacts(domain::consent::check_contacts(&numbers).map_err(bad)?)
            }
            Collects::VoiceprintSample => {
                let sample = required(body.sample_id.as_ref(), "sample_id")?;
                domain::consent::check_sample(&sample).map_err(bad)?;
                Input::Voiceprint
            }
        })
    }
}

/// Collected input, checked.
enum Input {
    Point {
        lat: f64,
        lon: f64,
        at: OffsetDateTime,
        accuracy: i32,
    },
    Steps {
        day: time::Date,
        steps: u32,
    },
    Contacts(Vec<String>),
    Voiceprint,
}

async fn store(
    txn: &DatabaseTransaction,
    owner: Uuid,
    input: Input,
    now: OffsetDateTime,
    audit: &crate::audit::AuditLog,
) -> ServerResult<u64> {
    Ok(match input {
        Input::Point {
            lat,
            lon,
            at,
            accuracy,
        } => {
            location_points::ActiveModel {
                id: Set(Uuid::new_v4()),
                account_id: Set(owner),
                latitude: Set(lat),
                longitude: Set(lon),
                accuracy_m: Set(accuracy),
                recorded_at: Set(at),
            }
            .insert(txn)
            .await?;
            1
        }
        Input::Steps { day, steps } => {
            step_counts::Entity::insert(step_counts::ActiveModel {
                id: Set(Uuid::new_v4()),
                account_id: Set(owner),
                day: Set(day),
                steps: Set(i32::try_from(steps).unwrap_or(i32::MAX)),
            })
            .on_conflict(
                OnConflict::columns([step_counts::Column::AccountId, step_counts::Column::Day])
                    .update_column(step_counts::Column::Steps)
                    .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
            1
        }
        Input::Contacts(numbers) => {
            let count = numbers.len() as u64;
            let rows = numbers.iter().map(|n| contact_hashes::ActiveModel {
                id: Set(Uuid::new_v4()),
                account_id: Set(owner),
                hash: Set(audit.keyed_digest("contact", n)),
                uploaded_at: Set(now),
            });
            // Batches of 500 keep each statement under SQLite's bound-variable cap.
            let rows: Vec<_> = rows.collect();
            for chunk in rows.chunks(500) {
                contact_hashes::Entity::insert_many(chunk.to_vec())
                    .exec_without_returning(txn)
                    .await?;
            }
            count
        }
        Input::Voiceprint => {
            account_security::Entity::insert(account_security::ActiveModel {
                account_id: Set(owner),
                mobile: Set(None),
                voiceprint_enrolled_at: Set(Some(now)),
                linked_qq: Set(None),
                updated_at: Set(now),
            })
            .on_conflict(
                OnConflict::column(account_security::Column::AccountId)
                    .update_columns([
                        account_security::Column::VoiceprintEnrolledAt,
                        account_security::Column::UpdatedAt,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
            1
        }
    })
}

/// Sets a feature's consent row, creating it the first time.
async fn set_consent(
    txn: &DatabaseTransaction,
    owner: Uuid,
    feature: Feature,
    granted: bool,
    now: OffsetDateTime,
) -> ServerResult<()> {
    consents::Entity::insert(consents::ActiveModel {
        id: Set(Uuid::new_v4()),
        account_id: Set(owner),
        feature: Set(feature.as_str().to_owned()),
        granted: Set(granted),
        changed_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([consents::Column::AccountId, consents::Column::Feature])
            .update_columns([consents::Column::Granted, consents::Column::ChangedAt])
            .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

/// Deletes what a feature governs; answers how many items went.
async fn clear(txn: &DatabaseTransaction, owner: Uuid, governs: Governs) -> ServerResult<u64> {
    match governs {
        Governs::Category(category) => delete_rows(txn, owner, category, None).await,
        Governs::Field(_, _) => {
            // The one field a feature governs: the voiceprint.
            let result = account_security::Entity::update_many()
                .col_expr(
                    account_security::Column::VoiceprintEnrolledAt,
                    sea_orm::sea_query::Expr::value(Option::<OffsetDateTime>::None),
                )
                .filter(account_security::Column::AccountId.eq(owner))
                .filter(account_security::Column::VoiceprintEnrolledAt.is_not_null())
                .exec(txn)
                .await?;
            Ok(result.rows_affected)
        }
    }
}

/// Every feature with its state: granted from the consent row; a minor's
/// grant waiting for the guardian from the open link.
async fn consent_views(
    conn: &impl ConnectionTrait,
    me: Uuid,
    gpc: bool,
    now: OffsetDateTime,
) -> ServerResult<Vec<ConsentView>> {
    let (_, accepted) = policy::in_force(conn, me).await?;
    let rows: HashMap<String, consents::Model> = consents::Entity::find()
        .filter(consents::Column::AccountId.eq(me))
        .all(conn)
        .await?
        .into_iter()
        .map(|c| (c.feature.clone(), c))
        .collect();
    // A guardian's link still open: every later change voids it.
    let waiting: Vec<String> = guardian_confirmations::Entity::find()
        .filter(guardian_confirmations::Column::AccountId.eq(me))
        .filter(guardian_confirmations::Column::UsedAt.is_null())
        .filter(guardian_confirmations::Column::ExpiresAt.gt(now))
        .all(conn)
        .await?
        .into_iter()
        .map(|r| r.feature)
        .collect();
    Ok(Feature::ALL
        .into_iter()
        .map(|feature| {
            let row = rows.get(feature.as_str());
            let state = match row {
                Some(c) if c.granted => ConsentState::Granted,
                _ if waiting.iter().any(|w| w == feature.as_str()) => {
                    ConsentState::AwaitingGuardian
                }
                _ => ConsentState::Withdrawn,
            };
            ConsentView {
                feature,
                state,
                sensitive: feature.sensitive(),
                clears_data: !feature.governs().is_empty(),
                changed_at: row.map(|c| super::rfc3339(c.changed_at)),
                source: feature.source().to_owned(),
                paused_for_policy: state == ConsentState::Granted && !accepted,
                gpc: gpc && GPC_WITHDRAWS.contains(&feature),
            }
        })
        .collect())
}

/// 409 `account_cancelling`: nothing is collected, and nothing granted,
/// while the account is in cooling-off.
fn account_cancelling() -> AppError {
    AppError::new(
        409,
        "account_cancelling",
        "The account is being cancelled: nothing is collected meanwhile. Undo the cancellation to turn features on again.",
    )
}
