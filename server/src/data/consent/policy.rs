//! Privacy-policy versions (Weixin guideline §7): an administrator publishes
//! a version with a summary of what changed; a holder sees it on their next
//! visit and accepts it, and until they do, the consent-based features stay
//! off for them (nothing is collected, nothing can be turned on). Accepting
//! is a consent receipt of feature [`POLICY_FEATURE`].

use super::super::PersonalData;
use crate::entities::data::{consent_receipts, privacy_policies};
use crate::errors::ServerResult;
use crate::sessions::Principal;
use app::consents::{NewPolicy, PolicyStatus, PolicyVersion};
use app::error::AppError;
use domain::Role;
use domain::consent::{ConsentChannel, ConsentState, FIRST_POLICY_VERSION};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, SqlErr, sea_query::OnConflict,
};
use time::OffsetDateTime;
use uuid::Uuid;

/// The stored `feature` of a receipt that accepts a policy version.
pub const POLICY_FEATURE: &str = "privacy_policy";

/// When the first version was published (before the portal stored versions).
const FIRST_PUBLISHED: OffsetDateTime = time::macros::datetime!(2026-01-01 00:00 UTC);

fn version_view(row: privacy_policies::Model) -> PolicyVersion {
    PolicyVersion {
        version: row.version,
        summary: row.summary,
        published_at: super::super::rfc3339(row.published_at),
    }
}

/// The version in force: the one published last.
pub(crate) async fn current(conn: &impl ConnectionTrait) -> ServerResult<privacy_policies::Model> {
    Ok(privacy_policies::Entity::find()
        .order_by_desc(privacy_policies::Column::PublishedAt)
        .order_by_desc(privacy_policies::Column::Version)
        .one(conn)
        .await?
        .unwrap_or_else(first))
}

fn first() -> privacy_policies::Model {
    privacy_policies::Model {
        version: FIRST_POLICY_VERSION.to_owned(),
        summary: "The first version of the privacy policy: the features you can turn on and off here, and what each collects.".to_owned(),
        published_at: FIRST_PUBLISHED,
        published_by: None,
    }
}

/// Whether `me` has accepted `version`: everybody accepted the first one
/// when they signed up.
pub(crate) async fn has_accepted(
    conn: &impl ConnectionTrait,
    me: Uuid,
    version: &str,
) -> ServerResult<bool> {
    if version == FIRST_POLICY_VERSION {
        return Ok(true);
    }
    Ok(consent_receipts::Entity::find()
        .filter(consent_receipts::Column::AccountId.eq(me))
        .filter(consent_receipts::Column::Feature.eq(POLICY_FEATURE))
        .filter(consent_receipts::Column::PolicyVersion.eq(version))
        .count(conn)
        .await?
        > 0)
}

/// The version in force and whether `me` has accepted it.
pub(crate) async fn in_force(
    conn: &impl ConnectionTrait,
    me: Uuid,
) -> ServerResult<(privacy_policies::Model, bool)> {
    let current = current(conn).await?;
    let accepted = has_accepted(conn, me, &current.version).await?;
    Ok((current, accepted))
}

/// Records that a new account accepted the version in force when it signed
/// up (in the account's creating transaction).
///
/// # Errors
/// When the database fails.
pub async fn accepted_at_sign_up(
    txn: &DatabaseTransaction,
    account: Uuid,
    now: OffsetDateTime,
) -> ServerResult<()> {
    let current = current(txn).await?;
    if current.version != FIRST_POLICY_VERSION {
        acceptance(txn, account, &current.version, ConsentChannel::Portal, now).await?;
    }
    Ok(())
}

async fn acceptance(
    txn: &DatabaseTransaction,
    account: Uuid,
    version: &str,
    channel: ConsentChannel,
    now: OffsetDateTime,
) -> ServerResult<()> {
    consent_receipts::ActiveModel {
        id: Set(Uuid::now_v7()),
        account_id: Set(account),
        feature: Set(POLICY_FEATURE.to_owned()),
        state: Set(ConsentState::Granted.as_str().to_owned()),
        policy_version: Set(version.to_owned()),
        channel: Set(channel.as_str().to_owned()),
        cleared: Set(false),
        cleared_items: Set(0),
        at: Set(now),
    }
    .insert(txn)
    .await?;
    Ok(())
}

impl PersonalData {
    /// Stores the first version if no version is stored yet (at start-up).
    ///
    /// # Errors
    /// When the database fails.
    pub async fn ensure_first_policy(&self) -> ServerResult<()> {
        privacy_policies::Entity::insert(privacy_policies::ActiveModel::from(first()))
            .on_conflict(
                OnConflict::column(privacy_policies::Column::Version)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(&self.db)
            .await?;
        Ok(())
    }

    /// Every published version, newest first.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn policies(&self) -> ServerResult<Vec<PolicyVersion>> {
        Ok(privacy_policies::Entity::find()
            .order_by_desc(privacy_policies::Column::PublishedAt)
            .order_by_desc(privacy_policies::Column::Version)
            .all(&self.db)
            .await?
            .into_iter()
            .map(version_view)
            .collect())
    }

    /// Where `me` stands with the version in force.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn policy_status(&self, me: Uuid) -> ServerResult<PolicyStatus> {
        let (current, accepted) = in_force(&self.db, me).await?;
        Ok(PolicyStatus {
            current: version_view(current),
            accepted,
        })
    }

    /// The version a holder has yet to accept, if any (staff accept no
    /// policy: they hold no consent-based data here).
    ///
    /// # Errors
    /// When the database fails.
    pub async fn pending_policy(&self, me: &Principal) -> ServerResult<Option<String>> {
        if me.role != Role::Holder {
            return Ok(None);
        }
        let status = self.policy_status(me.account_id).await?;
        Ok((!status.accepted).then_some(status.current.version))
    }

    /// Accepts `version`, which must be the one in force; accepting it again
    /// changes nothing.
    ///
    /// # Errors
    /// 409 `policy_outdated` when another version is in force; 403 for staff.
    pub async fn accept_policy(
        &self,
        me: &Principal,
        version: &str,
        channel: ConsentChannel,
    ) -> ServerResult<PolicyStatus> {
        if me.role != Role::Holder {
            return Err(AppError::forbidden().into());
        }
        let now = self.clock.now();
        let _audit = self.audit.lock().await;
        let txn = crate::db::begin_write(&self.db).await?;
        let current = current(&txn).await?;
        if current.version != version.trim() {
            return Err(AppError {
                field: Some("version".into()),
                ..AppError::new(
                    409,
                    "policy_outdated",
                    format!(
                        "Version {} is in force now: read it and accept that one.",
                        current.version
                    ),
                )
            }
            .into());
        }
        if !has_accepted(&txn, me.account_id, &current.version).await? {
            acceptance(&txn, me.account_id, &current.version, channel, now).await?;
            self.receipt(
                &txn,
                me.account_id,
                now,
                "policy_accepted",
                "consents",
                1,
                Some(&current.version),
            )
            .await?;
        }
        self.audit.commit(txn, &self.db).await?;
        self.policy_status(me.account_id).await
    }

    /// Publishes a new version: from now on it is in force, and every holder
    /// is asked to accept it.
    ///
    /// # Errors
    /// 403 for anyone but an administrator; 422 naming the field; 409
    /// `version_exists`.
    pub async fn publish_policy(
        &self,
        me: &Principal,
        policy: &NewPolicy,
    ) -> ServerResult<PolicyVersion> {
        if me.role != Role::Admin {
            return Err(AppError::forbidden().into());
        }
        let (version, summary) = domain::consent::check_policy(&policy.version, &policy.summary)?;
        let now = self.clock.now();
        let _audit = self.audit.lock().await;
        let txn = crate::db::begin_write(&self.db).await?;
        // Versions follow one another: a new one is never dated before the
        // one in force.
        let published_at = now.max(current(&txn).await?.published_at);
        let row = privacy_policies::ActiveModel {
            version: Set(version.clone()),
            summary: Set(summary),
            published_at: Set(published_at),
            published_by: Set(Some(me.account_id)),
        };
        let inserted = match row.insert(&txn).await {
            Ok(row) => row,
            Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                return Err(AppError {
                    field: Some("version".into()),
                    ..AppError::new(
                        409,
                        "version_exists",
                        format!("Version {version} is published already: choose a new name."),
                    )
                }
                .into());
            }
            Err(e) => return Err(e.into()),
        };
        self.audit
            .append(
                &txn,
                now,
                crate::audit::Actor {
                    id: Some(me.account_id),
                    role: "admin",
                },
                "admin.policy_published",
                &version,
                &serde_json::json!({ "version": version }).to_string(),
            )
            .await?;
        self.audit.commit(txn, &self.db).await?;
        tracing::info!(version = %inserted.version, "privacy policy published");
        Ok(version_view(inserted))
    }
}
