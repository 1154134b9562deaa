//! Incident notices (Weixin guideline §3, PIPL art. 57): drafted by an
//! administrator in both languages, published once to the holders they name
//! (everyone, holders with data in given categories, or listed accounts),
//! delivered in one transaction as a banner until acknowledged, an inbox
//! notice and an e-mail through the outbox. A published notice never
//! changes; an update is a new notice that follows it.

use crate::audit::{Actor, AuditLog};
use crate::clock::Clock;
use crate::entities::incident_notices::{incident_deliveries, incidents};
use crate::entities::{accounts, email_outbox};
use crate::errors::ServerResult;
use crate::instant::rfc3339;
use crate::sessions::Principal;
use app::error::AppError;
use app::incidents::{HolderIncident, IncidentDraft, IncidentView};
use domain::Role;
use domain::data::Category;
use domain::incident::{Audience, IncidentContent, Target};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, sea_query::Expr,
};
use std::collections::BTreeSet;
use std::sync::Arc;
use uuid::Uuid;

/// Rows written per statement when a notice is delivered.
const BATCH: usize = 500;

/// The incident service.
pub struct Incidents {
    db: DatabaseConnection,
    clock: Arc<dyn Clock>,
    audit: Arc<AuditLog>,
    public_url: String,
}

fn admin_only(me: &Principal) -> Result<(), AppError> {
    if me.role == Role::Admin {
        Ok(())
    } else {
        Err(AppError::forbidden())
    }
}

fn field_error(e: &domain::data::FieldError) -> AppError {
    let field = e.field();
    let message = match field.as_str() {
        "audience" => "audience: everyone, holders with data in the chosen categories (posts, conversations, messages, friends, blocked, location, steps, contacts, cards, devices, sign_ins), or a list of account IDs.".to_owned(),
        "occurred_on" => "occurred_on: the day it happened, as YYYY-MM-DD, not in the future.".to_owned(),
        "data_categories" => "data_categories: at least one category of personal data involved.".to_owned(),
        _ => format!("{field}: {e}"),
    };
    AppError::invalid(&field, e.code(), message)
}

fn not_found() -> AppError {
    AppError::not_found()
}

fn parse_id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw.trim()).map_err(|_| not_found())
}

impl Incidents {
    /// The service.
    #[must_use]
    pub fn new(
        db: DatabaseConnection,
        clock: Arc<dyn Clock>,
        audit: Arc<AuditLog>,
        public_url: String,
    ) -> Self {
        Incidents {
            db,
            clock,
            audit,
            public_url: public_url.trim_end_matches('/').to_owned(),
        }
    }

    /// Every notice, newest first, with its counts.
    ///
    /// # Errors
    /// 403 for anyone but an administrator.
    pub async fn list(&self, me: &Principal) -> ServerResult<Vec<IncidentView>> {
        admin_only(me)?;
        let rows = incidents::Entity::find()
            .order_by_desc(incidents::Column::CreatedAt)
            .all(&self.db)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            out.push(view(&self.db, &row).await?);
        }
        Ok(out)
    }

    /// One notice with its counts.
    ///
    /// # Errors
    /// 403; 404.
    pub async fn get(&self, me: &Principal, id: &str) -> ServerResult<IncidentView> {
        admin_only(me)?;
        let row = incidents::Entity::find_by_id(parse_id(id)?)
            .one(&self.db)
            .await?
            .ok_or_else(not_found)?;
        view(&self.db, &row).await
    }

    /// Saves a draft: a new one, or changes to one not yet published.
    ///
    /// # Errors
    /// 403; 404; 409 `incident_published` for a published one; 422 naming
    /// the field (`audience` also for listed accounts that do not exist,
    /// `follows` for an update of a notice not published).
    pub async fn save(
        &self,
        me: &Principal,
        id: Option<&str>,
        draft: IncidentDraft,
    ) -> ServerResult<IncidentView> {
        admin_only(me)?;
        let now = self.clock.now();
        let content = draft
            .content
            .checked(now.date())
            .map_err(|e| field_error(&e))?;
        let target = draft.audience.checked().map_err(|e| field_error(&e))?;
        let audience = match &target {
            Target::Everyone => Audience::Everyone,
            Target::Categories(c) => Audience::Categories {
                categories: c.iter().map(|c| c.as_str().to_owned()).collect(),
            },
            Target::Accounts(a) => Audience::Accounts {
                accounts: a.clone(),
            },
        };
        let _audit = self.audit.lock().await;
        let txn = crate::db::begin_write(&self.db).await?;
        if let Target::Accounts(listed) = &target {
            let ids: Vec<Uuid> = listed
                .iter()
                .filter_map(|a| Uuid::parse_str(a).ok())
                .collect();
            let mut known = BTreeSet::new();
            for chunk in ids.chunks(BATCH) {
                known.extend(
                    accounts::Entity::find()
                        .filter(accounts::Column::Id.is_in(chunk.iter().copied()))
                        .filter(accounts::Column::Role.eq(accounts::Role::Holder))
                        .select_only()
                        .column(accounts::Column::Id)
                        .into_tuple::<Uuid>()
                        .all(&txn)
                        .await?,
                );
            }
            if let Some(unknown) = ids.iter().find(|id| !known.contains(id)) {
                return Err(AppError::invalid(
                    "audience",
                    "unknown_account",
                    format!("audience: no holder has the account ID {unknown}."),
                )
                .into());
            }
        }
        let follows = match draft
            .follows
            .as_deref()
            .map(str::trim)
            .filter(|f| !f.is_empty())
        {
            Some(raw) => {
                let earlier = Uuid::parse_str(raw)
                    .ok()
                    .map(|id| incidents::Entity::find_by_id(id).one(&txn));
                let earlier = match earlier {
                    Some(query) => query.await?,
                    None => None,
                };
                match earlier {
                    Some(e) if e.published_at.is_some() => Some(e.id),
                    _ => {
                        return Err(AppError::invalid(
                            "follows",
                            "invalid_follows",
                            "follows: the ID of a published notice this one updates.",
                        )
                        .into());
                    }
                }
            }
            None => None,
        };
        let content_json = serde_json::to_string(&content).map_err(anyhow::Error::from)?;
        let audience_json = serde_json::to_string(&audience).map_err(anyhow::Error::from)?;
        let actor = Actor::of(me);
        let row = match id {
            Some(id) => {
                let existing = incidents::Entity::find_by_id(parse_id(id)?)
                    .one(&txn)
                    .await?
                    .ok_or_else(not_found)?;
                if existing.published_at.is_some() {
                    return Err(published().into());
                }
                let mut row: incidents::ActiveModel = existing.into();
                row.content = Set(content_json);
                row.audience = Set(audience_json);
                row.follows_id = Set(follows);
                row.updated_at = Set(now);
                let row = row.update(&txn).await?;
                self.audit
                    .append(
                        &txn,
                        now,
                        actor,
                        "incident.draft_changed",
                        &row.id.to_string(),
                        "{}",
                    )
                    .await?;
                row
            }
            None => {
                let row = incidents::ActiveModel {
                    id: Set(Uuid::new_v4()),
                    follows_id: Set(follows),
                    content: Set(content_json),
                    audience: Set(audience_json),
                    created_by: Set(Some(me.account_id)),
                    created_at: Set(now),
                    updated_at: Set(now),
                    published_at: Set(None),
                    published_by: Set(None),
                }
                .insert(&txn)
                .await?;
                self.audit
                    .append(
                        &txn,
                        now,
                        actor,
                        "incident.drafted",
                        &row.id.to_string(),
                        "{}",
                    )
                    .await?;
                row
            }
        };
        let out = view(&txn, &row).await?;
        self.audit.commit(txn, &self.db).await?;
        Ok(out)
    }

    /// Publishes a draft: every affected holder gets the notice (banner,
    /// inbox, e-mail) in the same transaction as the publication and its
    /// audit entry.
    ///
    /// # Errors
    /// 403; 404; 409 `incident_published`.
    pub async fn publish(&self, me: &Principal, id: &str) -> ServerResult<IncidentView> {
        admin_only(me)?;
        let id = parse_id(id)?;
        let now = self.clock.now();
        let _audit = self.audit.lock().await;
        let txn = crate::db::begin_write(&self.db).await?;
        let row = incidents::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or_else(not_found)?;
        // Claimed by a conditional update, so two publishers never both deliver.
        let claimed = incidents::Entity::update_many()
            .col_expr(incidents::Column::PublishedAt, Expr::value(now))
            .col_expr(incidents::Column::PublishedBy, Expr::value(me.account_id))
            .filter(incidents::Column::Id.eq(id))
            .filter(incidents::Column::PublishedAt.is_null())
            .exec(&txn)
            .await?
            .rows_affected;
        if claimed != 1 {
            return Err(published().into());
        }
        let content: IncidentContent = serde_json::from_str(&row.content)
            .map_err(|e| anyhow::anyhow!("stored notice unreadable: {e}"))?;
        let audience: Audience = serde_json::from_str(&row.audience)
            .map_err(|e| anyhow::anyhow!("stored audience unreadable: {e}"))?;
        let target = audience.checked().map_err(|e| field_error(&e))?;
        let affected = affected(&txn, &target).await?;
        let (subject, body) = notice_text(&content, &self.public_url, row.follows_id.is_some());
        for chunk in affected.chunks(BATCH) {
            incident_deliveries::Entity::insert_many(chunk.iter().map(|account| {
                incident_deliveries::ActiveModel {
                    incident_id: Set(id),
                    account_id: Set(*account),
                    delivered_at: Set(now),
                    acknowledged_at: Set(None),
                }
            }))
            .exec_without_returning(&txn)
            .await?;
            let emails: Vec<(Uuid, String)> = accounts::Entity::find()
                .filter(accounts::Column::Id.is_in(chunk.iter().copied()))
                .select_only()
                .column(accounts::Column::Id)
                .column(accounts::Column::Email)
                .into_tuple()
                .all(&txn)
                .await?;
            for (account, email) in emails {
                crate::requests::notify(
                    &txn,
                    now,
                    crate::requests::Notice {
                        account_id: Some(account),
                        email: Some(&email),
                        request_id: None,
                        kind: "incident",
                        subject: subject.clone(),
                        body: body.clone(),
                        dedupe: delivery_key(id, account),
                    },
                )
                .await?;
            }
        }
        let details = serde_json::json!({ "affected": affected.len(), "audience": audience });
        self.audit
            .append(
                &txn,
                now,
                Actor::of(me),
                "incident.published",
                &id.to_string(),
                &details.to_string(),
            )
            .await?;
        let published_row = incidents::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or_else(not_found)?;
        let out = view(&txn, &published_row).await?;
        self.audit.commit(txn, &self.db).await?;
        tracing::info!(incident.id = %id, affected = affected.len(), "incident notice published");
        Ok(out)
    }

    /// The deliveries of a notice as CSV, for the regulator's report:
    /// account ID, delivered, e-mail sent, acknowledged (RFC 3339; empty
    /// when not yet).
    ///
    /// # Errors
    /// 403; 404.
    pub async fn deliveries_csv(&self, me: &Principal, id: &str) -> ServerResult<String> {
        admin_only(me)?;
        let id = parse_id(id)?;
        let txn = crate::db::begin_read(&self.db).await?;
        incidents::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or_else(not_found)?;
        let rows = incident_deliveries::Entity::find()
            .filter(incident_deliveries::Column::IncidentId.eq(id))
            .order_by_asc(incident_deliveries::Column::AccountId)
            .all(&txn)
            .await?;
        let sent: std::collections::HashMap<String, time::OffsetDateTime> =
            email_outbox::Entity::find()
                .filter(email_outbox::Column::DedupeKey.starts_with(format!("incident:{id}:")))
                .filter(email_outbox::Column::SentAt.is_not_null())
                .all(&txn)
                .await?
                .into_iter()
                .filter_map(|m| m.sent_at.map(|at| (m.dedupe_key, at)))
                .collect();
        txn.commit().await?;
        let mut csv = String::from("account_id,delivered_at,email_sent_at,acknowledged_at\r\n");
        for row in rows {
            let email = sent
                .get(&delivery_key(id, row.account_id))
                .map(|at| rfc3339(*at))
                .unwrap_or_default();
            csv.push_str(&format!(
                "{},{},{},{}\r\n",
                row.account_id,
                rfc3339(row.delivered_at),
                email,
                row.acknowledged_at.map(rfc3339).unwrap_or_default()
            ));
        }
        Ok(csv)
    }

    /// The caller's notices not yet acknowledged, oldest first.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn mine(&self, me: &Principal) -> ServerResult<Vec<HolderIncident>> {
        // Staff never receive notices, and this runs on every page load.
        if me.role != Role::Holder {
            return Ok(Vec::new());
        }
        let pending = incident_deliveries::Entity::find()
            .filter(incident_deliveries::Column::AccountId.eq(me.account_id))
            .filter(incident_deliveries::Column::AcknowledgedAt.is_null())
            .all(&self.db)
            .await?;
        if pending.is_empty() {
            return Ok(Vec::new());
        }
        let rows = incidents::Entity::find()
            .filter(incidents::Column::Id.is_in(pending.iter().map(|d| d.incident_id)))
            .order_by_asc(incidents::Column::PublishedAt)
            .all(&self.db)
            .await?;
        rows.into_iter()
            .map(|row| {
                Ok(HolderIncident {
                    id: row.id.to_string(),
                    content: serde_json::from_str(&row.content)
                        .map_err(|e| anyhow::anyhow!("stored notice unreadable: {e}"))?,
                    published_at: row.published_at.map(rfc3339).unwrap_or_default(),
                    is_update: row.follows_id.is_some(),
                })
            })
            .collect()
    }

    /// The caller has read a notice (again: nothing changes).
    ///
    /// # Errors
    /// 404 when the notice was not delivered to the caller.
    pub async fn acknowledge(&self, me: &Principal, id: &str) -> ServerResult<()> {
        let id = parse_id(id)?;
        let now = self.clock.now();
        let txn = crate::db::begin_write(&self.db).await?;
        let delivery = incident_deliveries::Entity::find_by_id((id, me.account_id))
            .one(&txn)
            .await?
            .ok_or_else(not_found)?;
        if delivery.acknowledged_at.is_none() {
            let mut row: incident_deliveries::ActiveModel = delivery.into();
            row.acknowledged_at = Set(Some(now));
            row.update(&txn).await?;
        }
        txn.commit().await?;
        Ok(())
    }
}

fn published() -> AppError {
    AppError::new(
        409,
        "incident_published",
        "This notice is published and cannot change. Write an update that follows it instead.",
    )
}

fn delivery_key(incident: Uuid, account: Uuid) -> String {
    format!("incident:{incident}:{account}")
}

/// A notice with its counts.
async fn view(db: &impl ConnectionTrait, row: &incidents::Model) -> ServerResult<IncidentView> {
    let delivered = incident_deliveries::Entity::find()
        .filter(incident_deliveries::Column::IncidentId.eq(row.id))
        .count(db)
        .await?;
    let acknowledged = incident_deliveries::Entity::find()
        .filter(incident_deliveries::Column::IncidentId.eq(row.id))
        .filter(incident_deliveries::Column::AcknowledgedAt.is_not_null())
        .count(db)
        .await?;
    let emailed = email_outbox::Entity::find()
        .filter(email_outbox::Column::DedupeKey.starts_with(format!("incident:{}:", row.id)))
        .filter(email_outbox::Column::SentAt.is_not_null())
        .count(db)
        .await?;
    Ok(IncidentView {
        id: row.id.to_string(),
        follows: row.follows_id.map(|f| f.to_string()),
        content: serde_json::from_str(&row.content)
            .map_err(|e| anyhow::anyhow!("stored notice unreadable: {e}"))?,
        audience: serde_json::from_str(&row.audience)
            .map_err(|e| anyhow::anyhow!("stored audience unreadable: {e}"))?,
        status: if row.published_at.is_some() {
            "published"
        } else {
            "draft"
        }
        .to_owned(),
        created_at: rfc3339(row.created_at),
        published_at: row.published_at.map(rfc3339),
        delivered,
        acknowledged,
        emailed,
    })
}

/// The holders a target names, each once, in ID order.
async fn affected(db: &impl ConnectionTrait, target: &Target) -> ServerResult<Vec<Uuid>> {
    use crate::entities::data::{
        bank_cards, blocked, contact_hashes, conversations, devices, friends, location_points,
        messages, posts, sign_ins, step_counts,
    };
    let holders = || {
        accounts::Entity::find()
            .filter(accounts::Column::Role.eq(accounts::Role::Holder))
            .select_only()
            .column(accounts::Column::Id)
    };
    let mut ids: BTreeSet<Uuid> = BTreeSet::new();
    match target {
        Target::Everyone => {
            ids.extend(holders().into_tuple::<Uuid>().all(db).await?);
        }
        Target::Accounts(listed) => {
            let listed: Vec<Uuid> = listed
                .iter()
                .filter_map(|a| Uuid::parse_str(a).ok())
                .collect();
            for chunk in listed.chunks(BATCH) {
                ids.extend(
                    holders()
                        .filter(accounts::Column::Id.is_in(chunk.iter().copied()))
                        .into_tuple::<Uuid>()
                        .all(db)
                        .await?,
                );
            }
        }
        Target::Categories(categories) => {
            macro_rules! owners {
                ($entity:ident) => {
                    $entity::Entity::find()
                        .select_only()
                        .column($entity::Column::AccountId)
                        .distinct()
                        .into_tuple::<Uuid>()
                        .all(db)
                        .await?
                };
            }
            for category in categories {
                let owners: Vec<Uuid> = match category {
                    Category::Posts => owners!(posts),
                    Category::Conversations => owners!(conversations),
                    Category::Messages => owners!(messages),
                    Category::Friends => owners!(friends),
                    Category::Blocked => owners!(blocked),
                    Category::Location => owners!(location_points),
                    Category::Steps => owners!(step_counts),
                    Category::Contacts => owners!(contact_hashes),
                    Category::Cards => owners!(bank_cards),
                    Category::Devices => owners!(devices),
                    Category::SignIns => owners!(sign_ins),
                    _ => Vec::new(),
                };
                ids.extend(owners);
            }
            // Staff with data of their own (sign-ins) are not holders.
            let holder_ids: BTreeSet<Uuid> = holders()
                .into_tuple::<Uuid>()
                .all(db)
                .await?
                .into_iter()
                .collect();
            ids.retain(|id| holder_ids.contains(id));
        }
    }
    Ok(ids.into_iter().collect())
}

/// The inbox notice and e-mail: both languages.
fn notice_text(content: &IncidentContent, base: &str, update: bool) -> (String, String) {
    let (en, zh) = if update {
        ("Update: ", "更新：")
    } else {
        ("", "")
    };
    let subject = format!("{en}{} · {zh}{}", content.title_en, content.title_zh);
    let body = format!(
        "{title_en}\n\nWhat happened (from {day}): {what_en}\nData involved: {categories}\nWhat we have done: {actions_en}\nWhat you should do: {advice_en}\nContact: {contact}\n\nSign in to acknowledge this notice: {base}/login\n\n{title_zh}\n\n发生了什么（自 {day} 起）：{what_zh}\n涉及的数据：{categories}\n我们已采取的措施：{actions_zh}\n建议您：{advice_zh}\n联系方式：{contact}\n\n请登录确认已阅读本通知：{base}/login\n",
        title_en = content.title_en,
        title_zh = content.title_zh,
        day = content.occurred_on,
        what_en = content.what_happened_en,
        what_zh = content.what_happened_zh,
        categories = content.data_categories.join(", "),
        actions_en = content.actions_en,
        actions_zh = content.actions_zh,
        advice_en = content.advice_en,
        advice_zh = content.advice_zh,
        contact = content.contact,
    );
    (subject, body)
}
