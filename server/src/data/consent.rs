//! Consent, feature by feature (Weixin guideline §6.4, §1.5–1.8): the
//! holder grants or withdraws each, optionally clearing what it collected in
//! the same transaction; every change leaves a receipt; collection stores
//! only while the feature is granted. The rules are `domain::consent`'s.

use super::PersonalData;
use super::change::delete_rows;
use crate::entities::data::{
    account_security, consent_receipts, consents, contact_hashes, location_points, step_counts,
};
use crate::errors::ServerResult;
use crate::sessions::Principal;
use app::consents::{Collected, ConsentChange, ConsentReceipt, ConsentView, Stored};
use app::error::AppError;
use domain::consent::{
    Asker, Change, Collects, ConsentChannel, ConsentError, ConsentState, FIRST_POLICY_VERSION,
    Feature, Governs,
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

fn state_name(state: ConsentState) -> &'static str {
    match state {
        ConsentState::Granted => "granted",
        ConsentState::Withdrawn => "withdrawn",
        ConsentState::AwaitingGuardian => "awaiting_guardian",
    }
}

fn channel_name(channel: ConsentChannel) -> &'static str {
    match channel {
        ConsentChannel::Portal => "portal",
        ConsentChannel::Api => "api",
        ConsentChannel::Gpc => "gpc",
        ConsentChannel::Guardian => "guardian",
    }
}

fn refusal(e: ConsentError) -> AppError {
    let error = AppError::new(e.status(), e.code(), e.to_string());
    match e {
        ConsentError::ClearWhileGranting => AppError {
            field: Some("clear".into()),
            ..error
        },
        _ => error,
    }
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
    Ok(ConsentReceipt {
        at: super::rfc3339(row.at),
        feature: Feature::parse(&row.feature).ok_or_else(|| unreadable("feature"))?,
        state: match row.state.as_str() {
            "granted" => ConsentState::Granted,
            "withdrawn" => ConsentState::Withdrawn,
            "awaiting_guardian" => ConsentState::AwaitingGuardian,
            _ => return Err(unreadable("state").into()),
        },
        policy_version: row.policy_version,
        channel: match row.channel.as_str() {
            "portal" => ConsentChannel::Portal,
            "api" => ConsentChannel::Api,
            "gpc" => ConsentChannel::Gpc,
            "guardian" => ConsentChannel::Guardian,
            _ => return Err(unreadable("channel").into()),
        },
        cleared: row.cleared,
        cleared_items: u64::try_from(row.cleared_items).unwrap_or_default(),
    })
}

impl PersonalData {
    /// Every feature of the catalogue with where it stands for `me`.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn consents(&self, me: Uuid) -> ServerResult<Vec<ConsentView>> {
        consent_views(&self.db, me).await
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
    ) -> ServerResult<ConsentView> {
        let asker = Asker {
            minor: me.minor,
            reauthenticated: self.sessions.require_recent_reauth(me).is_ok(),
            accepted_policy: true,
        };
        let decision = domain::consent::decide(
            feature,
            Change {
                granted: change.granted,
                clear: change.clear,
            },
            asker,
        )
        .map_err(refusal)?;
        let owner = me.account_id;
        let now = self.clock.now();
        let _audit = self.audit.lock().await;
        let txn = crate::db::begin_write(&self.db).await?;
        let granted = decision.state == ConsentState::Granted;
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
        .exec_without_returning(&txn)
        .await?;
        let mut removed = 0;
        for governs in decision.clear {
            removed += clear(&txn, owner, *governs).await?;
        }
        consent_receipts::ActiveModel {
            // Time-ordered: the clock counts in seconds, and two changes in
            // one second still list in the order they were made.
            id: Set(Uuid::now_v7()),
            account_id: Set(owner),
            feature: Set(feature.as_str().to_owned()),
            state: Set(state_name(decision.state).to_owned()),
            policy_version: Set(FIRST_POLICY_VERSION.to_owned()),
            channel: Set(channel_name(channel).to_owned()),
            cleared: Set(!decision.clear.is_empty()),
            cleared_items: Set(i64::try_from(removed).unwrap_or(i64::MAX)),
            at: Set(now),
        }
        .insert(&txn)
        .await?;
        let verb = match (decision.state, decision.clear.is_empty()) {
            (ConsentState::Withdrawn, false) => "consent_cleared",
            (ConsentState::Withdrawn, true) => "consent_withdrawn",
            _ => "consent_granted",
        };
        self.receipt(
            &txn,
            owner,
            now,
            verb,
            "consents",
            removed,
            Some(feature.as_str()),
        )
        .await?;
        self.audit.commit(txn, &self.db).await?;
        tracing::info!(account.id = %owner, feature = feature.as_str(), state = state_name(decision.state), removed, "consent changed");
        consent_views(&self.db, owner)
            .await?
            .into_iter()
            .find(|v| v.feature == feature)
            .ok_or_else(|| anyhow::anyhow!("the feature vanished from the catalogue").into())
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
/// grant waiting for the guardian from the latest receipt.
async fn consent_views(conn: &impl ConnectionTrait, me: Uuid) -> ServerResult<Vec<ConsentView>> {
    let rows: HashMap<String, consents::Model> = consents::Entity::find()
        .filter(consents::Column::AccountId.eq(me))
        .all(conn)
        .await?
        .into_iter()
        .map(|c| (c.feature.clone(), c))
        .collect();
    let waiting: Vec<String> = consent_receipts::Entity::find()
        .filter(consent_receipts::Column::AccountId.eq(me))
        .filter(consent_receipts::Column::State.eq("awaiting_guardian"))
        .all(conn)
        .await?
        .into_iter()
        .filter(|r| {
            rows.get(&r.feature)
                .is_none_or(|c| !c.granted && c.changed_at <= r.at)
        })
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
            }
        })
        .collect())
}
