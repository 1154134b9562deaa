//! Deadline policies as the administrator edits them. A change bumps the
//! version and applies to new requests only: each request keeps the snapshot
//! it was received under. Every change is audited with before and after.

use super::Requests;
use crate::audit::Actor;
use crate::entities::deadline_policies;
use crate::errors::ServerResult;
use crate::sessions::Principal;
use app::error::AppError;
use app::requests::{AuditEntry, AuditPage, StoredPolicy};
use domain::deadlines::DeadlinePolicy;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, QueryOrder};

fn stored(row: deadline_policies::Model) -> ServerResult<StoredPolicy> {
    Ok(StoredPolicy {
        name: row.name,
        version: row.version,
        rules: serde_json::from_str(&row.rules).map_err(anyhow::Error::from)?,
        updated_at: super::rfc3339(row.updated_at),
    })
}

/// Checks an edited policy by the domain's rules.
fn check(policy: &DeadlinePolicy) -> Result<(), AppError> {
    policy
        .validate()
        .map_err(|e| AppError::invalid(e.field, e.code, e.message))
}

impl Requests {
    /// Every stored policy.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn policies(&self, admin: &Principal) -> ServerResult<Vec<StoredPolicy>> {
        if admin.role != domain::Role::Admin {
            return Err(AppError::forbidden().into());
        }
        let rows = deadline_policies::Entity::find()
            .order_by_asc(deadline_policies::Column::Name)
            .all(&self.db)
            .await?;
        rows.into_iter().map(stored).collect()
    }

    /// The latest 200 audit entries and whether the whole chain verifies
    /// (administrators only).
    ///
    /// # Errors
    /// 403 for anyone else.
    pub async fn audit_page(&self, admin: &Principal) -> ServerResult<AuditPage> {
        if admin.role != domain::Role::Admin {
            return Err(AppError::forbidden().into());
        }
        let (verdict, rows) = self.audit.latest(&self.db, 200).await?;
        let broken_at = verdict.broken_at();
        Ok(AuditPage {
            chain_intact: broken_at.is_none(),
            broken_at,
            entries: rows
                .into_iter()
                .map(|e| AuditEntry {
                    seq: e.seq,
                    at: super::rfc3339(e.at),
                    actor_id: e.actor_id.map(|id| id.to_string()),
                    actor_role: e.actor_role,
                    action: e.action,
                    subject: e.subject,
                    detail: e.detail,
                    hash: e.hash,
                })
                .collect(),
        })
    }

    /// Replaces a policy's rules (administrators only).
    ///
    /// # Errors
    /// 403 for others; 404 for an unknown policy; 422 for rules that cannot count.
    pub async fn update_policy(
        &self,
        admin: &Principal,
        name: &str,
        mut rules: DeadlinePolicy,
    ) -> ServerResult<StoredPolicy> {
        if admin.role != domain::Role::Admin {
            return Err(AppError::forbidden().into());
        }
        rules.name = name.to_owned();
        check(&rules)?;
        let now = self.clock.now();
        let (_guard, txn) = self.begin().await?;
        let row = deadline_policies::Entity::find_by_id(name.to_owned())
            .one(&txn)
            .await?
            .ok_or_else(AppError::not_found)?;
        let before = row.rules.clone();
        let after = serde_json::to_string(&rules).map_err(anyhow::Error::from)?;
        let mut active: deadline_policies::ActiveModel = row.clone().into();
        active.version = Set(row.version + 1);
        active.rules = Set(after.clone());
        active.updated_at = Set(now);
        let updated = active.update(&txn).await?;
        let detail =
            serde_json::json!({ "version": updated.version, "before": before, "after": after })
                .to_string();
        self.audit
            .append(
                &txn,
                now,
                Actor {
                    id: Some(admin.account_id),
                    role: "admin",
                },
                "policy.updated",
                name,
                &detail,
            )
            .await?;
        self.audit.commit(txn, &self.db).await?;
        tracing::info!(
            policy = name,
            version = updated.version,
            "deadline policy changed"
        );
        stored(updated)
    }
}
