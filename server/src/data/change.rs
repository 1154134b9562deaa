//! Correction, deletion and the privacy settings. Every change is one
//! transaction together with its activity record.

use super::read::Bounds;
use super::{DEFAULT_ZONE, PersonalData, record_activity};
use crate::entities::accounts;
use crate::entities::data::{
    account_security, bank_cards, blocked, contact_hashes, conversations, devices,
    emergency_contacts, friends, location_points, messages, post_comments, post_likes, post_photos,
    posts, privacy_settings, profiles, settings_lists, sign_ins, step_counts,
};
use crate::entities::notifications;
use crate::errors::ServerResult;
use crate::sessions::Principal;
use app::data::{Correction, FriendRef, SettingsView};
use app::error::AppError;
use domain::data::{Category, DateRange, FieldError, SECURITY_FIELDS};
use domain::{DisplayName, Email};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseConnection, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::HashSet;
use time::OffsetDateTime;
use uuid::Uuid;

/// The most corrections one call may carry.
const MAX_CORRECTIONS: usize = 20;

/// One checked correction, ready to store.
enum Change {
    DisplayName(DisplayName),
    Email(Email),
    Profile(&'static str, Option<String>),
    Security(&'static str, Option<String>),
}

fn check(c: &Correction) -> Result<Change, AppError> {
    let value = c.value.as_deref();
    Ok(match c.field.as_str() {
        "display_name" => Change::DisplayName(DisplayName::parse(value.unwrap_or_default())?),
        "email" => Change::Email(Email::parse(value.unwrap_or_default())?),
        field => {
            let checked = domain::data::check_field(field, value)?;
            match field {
                "mobile" => Change::Security("mobile", checked),
                "linked_qq" => Change::Security("linked_qq", checked),
                "time_zone" => Change::Profile(
                    "time_zone",
                    Some(checked.ok_or(FieldError::Required("time_zone"))?),
                ),
                "gender" => Change::Profile("gender", checked),
                "region" => Change::Profile("region", checked),
                "signature" => Change::Profile("signature", checked),
                "address" => Change::Profile("address", checked),
                _ => Change::Profile("photo", checked),
            }
        }
    })
}

impl PersonalData {
    /// Corrects profile and security fields, all or none. Fixed fields
    /// answer 409 `field_immutable`; security fields need the
    /// re-authentication window.
    ///
    /// # Errors
    /// 409 `field_immutable` / `email_unavailable`, 403 `reauth_required`,
    /// 422 with the field.
    pub async fn correct(&self, me: &Principal, corrections: &[Correction]) -> ServerResult<()> {
        if corrections.is_empty() || corrections.len() > MAX_CORRECTIONS {
            return Err(AppError::invalid(
                "corrections",
                "invalid_corrections",
                "Send between 1 and 20 fields to correct.",
            )
            .into());
        }
        let changes = corrections
            .iter()
            .map(check)
            .collect::<Result<Vec<_>, _>>()?;
        let touches_security = corrections
            .iter()
            .any(|c| SECURITY_FIELDS.contains(&c.field.as_str()));
        if touches_security {
            self.sessions.require_recent_reauth(me)?;
        }
        let now = self.clock.now();
        let _audit = self.audit.lock().await;
        let txn = crate::db::begin_write(&self.db).await?;
        let mut profile = profile_row(&txn, me.account_id, now).await?;
        let mut security = security_row(&txn, me.account_id, now).await?;
        let before = accounts::Entity::find_by_id(me.account_id)
            .one(&txn)
            .await?
            .ok_or_else(AppError::not_found)?;
        let old_email = before.email.clone();
        let mut account: accounts::ActiveModel = before.into();
        for change in changes {
            match change {
                Change::DisplayName(name) => account.display_name = Set(name.as_str().to_owned()),
                Change::Email(email) => {
                    let taken = accounts::Entity::find()
                        .filter(accounts::Column::Email.eq(email.as_str()))
                        .filter(accounts::Column::Id.ne(me.account_id))
                        .one(&txn)
                        .await?
                        .is_some();
                    if taken {
                        let mut error = AppError::new(
                            409,
                            "email_unavailable",
                            "This e-mail address cannot be used; choose another.",
                        );
                        error.field = Some("email".to_owned());
                        return Err(error.into());
                    }
                    account.email = Set(email.as_str().to_owned());
                }
                Change::Profile(field, value) => match field {
                    "time_zone" => profile.time_zone = Set(value.unwrap_or_default()),
                    "gender" => profile.gender = Set(value),
                    "region" => profile.region = Set(value),
                    "signature" => profile.signature = Set(value),
                    "address" => profile.address = Set(value),
                    _ => profile.photo = Set(value),
                },
                Change::Security(field, value) => match field {
                    "mobile" => security.mobile = Set(value),
                    _ => security.linked_qq = Set(value),
                },
            }
        }
        profile.updated_at = Set(now);
        security.updated_at = Set(now);
        account.update(&txn).await?;
        profile.update(&txn).await?;
        security.update(&txn).await?;
        for c in corrections {
            record_activity(
                &txn,
                me.account_id,
                now,
                "corrected",
                field_category(&c.field),
                1,
                Some(&c.field),
            )
            .await?;
        }
        // A changed security field is told to the holder, and a changed
        // e-mail address to the old address as well (it may not be them).
        let security_changes: Vec<&str> = corrections
            .iter()
            .map(|c| c.field.as_str())
            .filter(|f| SECURITY_FIELDS.contains(f))
            .collect();
        if !security_changes.is_empty() {
            let fields = security_changes.join(", ");
            let subject = "Your account security details changed · 账号安全信息已更改";
            let body = format!(
                "These were changed just now: {fields}. If it was not you, sign in, change your password and write to the privacy officer.\n以下信息刚刚被更改：{fields}。如果不是你本人操作，请登录修改密码并联系隐私保护负责人。"
            );
            // One notice per change (the clock may read the same instant twice).
            let key = format!("security-changed:{}", Uuid::new_v4().simple());
            crate::entities::notifications::ActiveModel {
                id: Set(Uuid::new_v4()),
                account_id: Set(Some(me.account_id)),
                request_id: Set(None),
                kind: Set("security".to_owned()),
                subject: Set(subject.to_owned()),
                body: Set(body.clone()),
                created_at: Set(now),
                read_at: Set(None),
                dedupe_key: Set(key.clone()),
            }
            .insert(&txn)
            .await?;
            if security_changes.contains(&"email") {
                crate::mail::enqueue(
                    &txn,
                    now,
                    crate::mail::Outgoing {
                        to: &old_email,
                        subject: subject.to_owned(),
                        body,
                        dedupe: key,
                    },
                )
                .await?;
            }
        }
        let fields: Vec<&str> = corrections.iter().map(|c| c.field.as_str()).collect();
        self.audit_change(
            &txn,
            me.account_id,
            now,
            "holder.data_corrected",
            serde_json::json!({ "fields": fields }),
        )
        .await?;
        self.audit.commit(txn, &self.db).await?;
        tracing::info!(account.id = %me.account_id, fields = corrections.len(), "fields corrected");
        Ok(())
    }

    /// Adds an emergency contact (a security field: re-authentication needed).
    ///
    /// # Errors
    /// 403 `reauth_required`; 422 for a bad name or mobile number.
    pub async fn add_emergency_contact(
        &self,
        me: &Principal,
        name: &str,
        mobile: &str,
    ) -> ServerResult<Uuid> {
        self.sessions.require_recent_reauth(me)?;
        let name = domain::data::parse_text(name, "name", 64, false)?
            .ok_or(FieldError::Required("name"))?;
        let mobile = domain::data::parse_mobile(mobile, "mobile")?;
        let now = self.clock.now();
        let _audit = self.audit.lock().await;
        let txn = crate::db::begin_write(&self.db).await?;
        let id = Uuid::new_v4();
        emergency_contacts::ActiveModel {
            id: Set(id),
            account_id: Set(me.account_id),
            name: Set(name),
            mobile: Set(mobile),
            added_at: Set(now),
        }
        .insert(&txn)
        .await?;
        self.receipt(
            &txn,
            me.account_id,
            now,
            "added",
            "account_security",
            1,
            Some("emergency_contact"),
        )
        .await?;
        self.audit.commit(txn, &self.db).await?;
        Ok(id)
    }

    /// Deletes one item of the holder's. Another account's item, or one that
    /// does not exist, is 404 and nothing changes.
    ///
    /// # Errors
    /// 404; 409 `not_deletable`; 403 `reauth_required`; 422 `invalid_id`.
    pub async fn delete_item(
        &self,
        me: &Principal,
        category: Category,
        raw_id: &str,
    ) -> ServerResult<()> {
        // Optional fields of the profile and of account security are items
        // too: deleting one clears it (`DELETE …/profile/signature`).
        let field_category = match category {
            Category::Profile => Some(&domain::data::OPTIONAL_PROFILE_FIELDS[..]),
            Category::AccountSecurity => Some(&domain::data::OPTIONAL_SECURITY_FIELDS[..]),
            _ => None,
        };
        if let Some(optional) = field_category
            && Uuid::parse_str(raw_id).is_err()
        {
            if optional.contains(&raw_id) {
                let clear = [Correction {
                    field: raw_id.to_owned(),
                    value: None,
                }];
                return self.correct(me, &clear).await;
            }
            if domain::data::IMMUTABLE_FIELDS.contains(&raw_id) {
                return Err(
                    AppError::from(FieldError::Immutable(if raw_id == "qr_code" {
                        "qr_code"
                    } else {
                        "account_id"
                    }))
                    .into(),
                );
            }
            if matches!(raw_id, "display_name" | "time_zone" | "email") {
                let mut error = AppError::new(
                    409,
                    "field_required",
                    "This field cannot be empty; correct it instead.",
                );
                error.field = Some(raw_id.to_owned());
                return Err(error.into());
            }
            return Err(AppError::not_found().into());
        }
        if !category.items_deletable() {
            return Err(not_deletable(category).into());
        }
        let id = Uuid::parse_str(raw_id).map_err(|_| AppError::not_found())?;
        if category.deletion_needs_reauth() {
            self.sessions.require_recent_reauth(me)?;
        }
        let owner = me.account_id;
        let now = self.clock.now();
        let _audit = self.audit.lock().await;
        let txn = crate::db::begin_write(&self.db).await?;
        crate::cancellation::refuse_if_frozen(&txn, owner).await?;
        let removed = delete_rows(&txn, owner, category, Some(id)).await?;
        if removed == 0 {
            return Err(AppError::not_found().into());
        }
        if category == Category::Devices {
            // A removed device is signed out.
            crate::entities::sessions::Entity::update_many()
                .col_expr(
                    crate::entities::sessions::Column::RevokedAt,
                    sea_orm::sea_query::Expr::value(now),
                )
                .filter(crate::entities::sessions::Column::AccountId.eq(owner))
                .filter(crate::entities::sessions::Column::DeviceId.eq(id))
                .filter(crate::entities::sessions::Column::RevokedAt.is_null())
                .exec(&txn)
                .await?;
        }
        self.receipt(
            &txn,
            owner,
            now,
            "deleted",
            category.as_str(),
            removed,
            None,
        )
        .await?;
        self.audit.commit(txn, &self.db).await?;
        tracing::info!(account.id = %owner, category = category.as_str(), removed, "item deleted");
        Ok(())
    }

    /// Clears a whole category; answers how many rows went.
    ///
    /// # Errors
    /// 409 `not_clearable`.
    pub async fn clear(&self, me: &Principal, category: Category) -> ServerResult<u64> {
        if !category.clearable() {
            return Err(not_clearable(category).into());
        }
        let owner = me.account_id;
        let now = self.clock.now();
        let _audit = self.audit.lock().await;
        let txn = crate::db::begin_write(&self.db).await?;
        crate::cancellation::refuse_if_frozen(&txn, owner).await?;
        let removed = delete_rows(&txn, owner, category, None).await?;
        self.receipt(
            &txn,
            owner,
            now,
            "cleared",
            category.as_str(),
            removed,
            None,
        )
        .await?;
        self.audit.commit(txn, &self.db).await?;
        tracing::info!(account.id = %owner, category = category.as_str(), removed, "category cleared");
        Ok(removed)
    }

    /// Deletes the items of a range of days (the holder's time zone, both
    /// ends inclusive) in one transaction with one receipt naming the range;
    /// answers how many went. An open range clears the category.
    ///
    /// # Errors
    /// 409 `not_clearable`.
    pub async fn clear_range(
        &self,
        me: &Principal,
        category: Category,
        range: DateRange,
    ) -> ServerResult<u64> {
        if range.is_open() {
            return self.clear(me, category).await;
        }
        if !category.clearable() {
            return Err(not_clearable(category).into());
        }
        let owner = me.account_id;
        let zone = self.zone(owner).await?;
        let bounds = Bounds::of(range, &zone, category == Category::Steps);
        let now = self.clock.now();
        let _audit = self.audit.lock().await;
        let txn = crate::db::begin_write(&self.db).await?;
        crate::cancellation::refuse_if_frozen(&txn, owner).await?;
        let removed = delete_in_range(&txn, owner, category, &bounds).await?;
        self.receipt(
            &txn,
            owner,
            now,
            "deleted_range",
            category.as_str(),
            removed,
            Some(&range.label()),
        )
        .await?;
        self.audit.commit(txn, &self.db).await?;
        tracing::info!(account.id = %owner, category = category.as_str(), removed, range = %range.label(), "range deleted");
        Ok(removed)
    }

    /// The privacy settings with the friend lists.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn settings(&self, me: Uuid) -> ServerResult<SettingsView> {
        settings_in(&self.db, me).await
    }

    /// Changes some privacy settings and lists, leaving the rest as they
    /// are: read, merged and written in one transaction, so two changes at
    /// once both land (the REST API's partial update).
    ///
    /// # Errors
    /// 422 `unknown_field`, `invalid_setting`, `unknown_friend`.
    pub async fn patch_settings(
        &self,
        me: Uuid,
        patch: &serde_json::Map<String, serde_json::Value>,
    ) -> ServerResult<SettingsView> {
        let now = self.clock.now();
        let audit = self.audit.lock().await;
        let txn = crate::db::begin_write(&self.db).await?;
        let current = settings_in(&txn, me).await?;
        let view = merge_settings(current, patch)?;
        self.write_settings(&txn, me, &view, now).await?;
        self.audit.commit(txn, &self.db).await?;
        drop(audit);
        self.settings(me).await
    }
}

/// The privacy settings with the friend lists, read through `conn`.
async fn settings_in(conn: &impl ConnectionTrait, me: Uuid) -> ServerResult<SettingsView> {
    {
        let settings = super::read::stored_settings_in(conn, me).await?;
        let lists = settings_lists::Entity::find()
            .filter(settings_lists::Column::AccountId.eq(me))
            .all(conn)
            .await?;
        let friends = friends::Entity::find()
            .filter(friends::Column::AccountId.eq(me))
            .order_by_asc(friends::Column::Name)
            .all(conn)
            .await?;
        let on = |list: &str| {
            lists
                .iter()
                .filter(|l| l.list == list)
                .map(|l| l.friend_id.to_string())
                .collect()
        };
        Ok(SettingsView {
            settings,
            dont_share: on("dont_share"),
            hide: on("hide"),
            friends: friends
                .into_iter()
                .map(|f| FriendRef {
                    id: f.id.to_string(),
                    name: f.name,
                })
                .collect(),
        })
    }
}

impl PersonalData {
    /// Replaces the privacy settings and the friend lists.
    ///
    /// # Errors
    /// 422 `unknown_friend` when a list names someone who is not the holder's friend.
    pub async fn save_settings(&self, me: Uuid, view: &SettingsView) -> ServerResult<SettingsView> {
        let now = self.clock.now();
        let audit = self.audit.lock().await;
        let txn = crate::db::begin_write(&self.db).await?;
        self.write_settings(&txn, me, view, now).await?;
        self.audit.commit(txn, &self.db).await?;
        drop(audit);
        self.settings(me).await
    }

    /// Writes the settings and lists in the caller's transaction, with the
    /// activity receipt and the audit entry.
    async fn write_settings(
        &self,
        txn: &DatabaseTransaction,
        me: Uuid,
        view: &SettingsView,
        now: OffsetDateTime,
    ) -> ServerResult<()> {
        let mine: HashSet<Uuid> = friends::Entity::find()
            .filter(friends::Column::AccountId.eq(me))
            .all(txn)
            .await?
            .into_iter()
            .map(|f| f.id)
            .collect();
        let ids = |list: &[String], field: &str| -> Result<HashSet<Uuid>, AppError> {
            list.iter()
                .map(|raw| {
                    Uuid::parse_str(raw)
                        .ok()
                        .filter(|id| mine.contains(id))
                        .ok_or_else(|| {
                            AppError::invalid(
                                field,
                                "unknown_friend",
                                "Choose people from your friends list.",
                            )
                        })
                })
                .collect()
        };
        let dont_share = ids(&view.dont_share, "dont_share")?;
        let hide = ids(&view.hide, "hide")?;
        let json = serde_json::to_string(&view.settings).map_err(anyhow::Error::from)?;
        let exists = privacy_settings::Entity::find_by_id(me)
            .one(txn)
            .await?
            .is_some();
        let row = privacy_settings::ActiveModel {
            account_id: Set(me),
            settings: Set(json),
            updated_at: Set(now),
        };
        if exists {
            row.update(txn).await?;
        } else {
            row.insert(txn).await?;
        }
        settings_lists::Entity::delete_many()
            .filter(settings_lists::Column::AccountId.eq(me))
            .exec(txn)
            .await?;
        for (list, friends) in [("dont_share", dont_share), ("hide", hide)] {
            for friend in friends {
                settings_lists::ActiveModel {
                    id: Set(Uuid::new_v4()),
                    account_id: Set(me),
                    list: Set(list.to_owned()),
                    friend_id: Set(friend),
                }
                .insert(txn)
                .await?;
            }
        }
        self.receipt(txn, me, now, "changed", "settings", 1, None)
            .await
    }
}

/// Records a sign-in and the device it came from (called by the sign-in
/// flow). The device is recognised by model, OS and app version.
///
/// # Errors
/// When the database fails.
pub(crate) async fn record_sign_in(
    db: &DatabaseConnection,
    now: OffsetDateTime,
    account_id: Uuid,
    ip: Option<std::net::IpAddr>,
    user_agent: Option<&str>,
) -> ServerResult<Uuid> {
    let (model, os, app_version) = describe_agent(user_agent.unwrap_or_default());
    let txn = crate::db::begin_write(db).await?;
    sign_ins::ActiveModel {
        id: Set(Uuid::new_v4()),
        account_id: Set(account_id),
        ip: Set(ip.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())),
        model: Set(model.clone()),
        os: Set(os.clone()),
        app_version: Set(app_version.clone()),
        at: Set(now),
    }
    .insert(&txn)
    .await?;
    let key = crate::digest::sha256(&[&model, &os, &app_version]);
    // One statement, so two first sign-ins from the same device at once
    // (PostgreSQL runs them side by side) both succeed: the second only
    // moves `last_seen_at`.
    devices::Entity::insert(devices::ActiveModel {
        id: Set(Uuid::new_v4()),
        account_id: Set(account_id),
        device_key: Set(key.clone()),
        model: Set(model),
        os: Set(os),
        app_version: Set(app_version),
        first_seen_at: Set(now),
        last_seen_at: Set(now),
    })
    .on_conflict(
        sea_orm::sea_query::OnConflict::columns([
            devices::Column::AccountId,
            devices::Column::DeviceKey,
        ])
        .update_column(devices::Column::LastSeenAt)
        .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    let device = devices::Entity::find()
        .filter(devices::Column::AccountId.eq(account_id))
        .filter(devices::Column::DeviceKey.eq(key))
        .one(&txn)
        .await?
        .map(|d| d.id)
        .ok_or_else(|| anyhow::anyhow!("the device row just written is missing"))?;
    txn.commit().await?;
    Ok(device)
}

/// The profile row, created with its fixed account ID and QR code when the
/// holder has none yet (sign-up creates it; older accounts get it here).
pub(crate) async fn profile_row(
    db: &impl ConnectionTrait,
    account_id: Uuid,
    now: OffsetDateTime,
) -> ServerResult<profiles::ActiveModel> {
    if let Some(row) = profiles::Entity::find_by_id(account_id).one(db).await? {
        return Ok(row.into());
    }
    let code = format!("wxid_{}", &account_id.simple().to_string()[..12]);
    let row = profiles::ActiveModel {
        account_id: Set(account_id),
        qr_code: Set(format!("https://portal.example/qr/{code}")),
        account_code: Set(code),
        photo: Set(None),
        gender: Set(None),
        region: Set(None),
        signature: Set(None),
        address: Set(None),
        time_zone: Set(DEFAULT_ZONE.to_owned()),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(row.into())
}

async fn security_row(
    db: &impl ConnectionTrait,
    account_id: Uuid,
    now: OffsetDateTime,
) -> ServerResult<account_security::ActiveModel> {
    if let Some(row) = account_security::Entity::find_by_id(account_id)
        .one(db)
        .await?
    {
        return Ok(row.into());
    }
    let row = account_security::ActiveModel {
        account_id: Set(account_id),
        mobile: Set(None),
        voiceprint_enrolled_at: Set(None),
        linked_qq: Set(None),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(row.into())
}

fn field_category(field: &str) -> &'static str {
    if SECURITY_FIELDS.contains(&field) {
        "account_security"
    } else {
        "profile"
    }
}

fn not_deletable(category: Category) -> AppError {
    AppError::new(
        409,
        "not_deletable",
        format!(
            "Items of {} are not deleted one by one; see the page for what you can do.",
            category.as_str()
        ),
    )
}

/// A model, OS and app version read from a User-Agent, short and plain.
fn describe_agent(agent: &str) -> (String, String, String) {
    let agent = agent.trim();
    let os = [
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Android", "Android"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("Linux", "Linux"),
    ]
    .into_iter()
    .find(|(needle, _)| agent.contains(needle))
    .map_or("unknown", |(_, os)| os);
    // Android names the model last inside the brackets, others first.
    let inside = agent.split(['(', ')']).nth(1).unwrap_or_default();
    let parts: Vec<&str> = inside.split(';').map(str::trim).collect();
    let model = if os == "Android" {
        parts.last()
    } else {
        parts.first()
    }
    .map(|m| m.split(" Build/").next().unwrap_or(m))
    .filter(|m| !m.is_empty())
    .unwrap_or("unknown");
    let app = agent.split_whitespace().next().unwrap_or("unknown");
    let clip = |s: &str, n: usize| s.chars().take(n).collect::<String>();
    (clip(model, 64), os.to_owned(), clip(app, 32))
}

/// Deletes the owner's rows of a category: one item (with what hangs on it)
/// or all of them. Answers how many rows went.
fn not_clearable(category: Category) -> AppError {
    AppError::new(
        409,
        "not_clearable",
        format!(
            "The category {} cannot be cleared at once.",
            category.as_str()
        ),
    )
}

/// IDs deleted per statement when a range takes dependent rows with it.
const ID_CHUNK: usize = 500;

/// Deletes `owner`'s rows of a clearable category inside `bounds` (on the
/// column the category is dated by), with what hangs on them: a post's
/// photos, comments and likes, a conversation's messages.
async fn delete_in_range(
    txn: &DatabaseTransaction,
    owner: Uuid,
    category: Category,
    bounds: &Bounds,
) -> ServerResult<u64> {
    macro_rules! gone {
        ($entity:ident, $column:expr) => {{
            $entity::Entity::delete_many()
                .filter($entity::Column::AccountId.eq(owner))
                .filter(bounds.on($column))
                .exec(txn)
                .await?
                .rows_affected
        }};
    }
    Ok(match category {
        Category::Posts => {
            let ids: Vec<Uuid> = posts::Entity::find()
                .select_only()
                .column(posts::Column::Id)
                .filter(posts::Column::AccountId.eq(owner))
                .filter(bounds.on(posts::Column::CreatedAt))
                .into_tuple()
                .all(txn)
                .await?;
            for chunk in ids.chunks(ID_CHUNK) {
                let chunk = chunk.to_vec();
                post_photos::Entity::delete_many()
                    .filter(post_photos::Column::AccountId.eq(owner))
                    .filter(post_photos::Column::PostId.is_in(chunk.clone()))
                    .exec(txn)
                    .await?;
                post_comments::Entity::delete_many()
                    .filter(post_comments::Column::AccountId.eq(owner))
                    .filter(post_comments::Column::PostId.is_in(chunk.clone()))
                    .exec(txn)
                    .await?;
                post_likes::Entity::delete_many()
                    .filter(post_likes::Column::AccountId.eq(owner))
                    .filter(post_likes::Column::PostId.is_in(chunk.clone()))
                    .exec(txn)
                    .await?;
                posts::Entity::delete_many()
                    .filter(posts::Column::AccountId.eq(owner))
                    .filter(posts::Column::Id.is_in(chunk))
                    .exec(txn)
                    .await?;
            }
            ids.len() as u64
        }
        Category::Conversations => {
            let ids: Vec<Uuid> = conversations::Entity::find()
                .select_only()
                .column(conversations::Column::Id)
                .filter(conversations::Column::AccountId.eq(owner))
                .filter(bounds.on(conversations::Column::LastMessageAt))
                .into_tuple()
                .all(txn)
                .await?;
            for chunk in ids.chunks(ID_CHUNK) {
                messages::Entity::delete_many()
                    .filter(messages::Column::AccountId.eq(owner))
                    .filter(messages::Column::ConversationId.is_in(chunk.to_vec()))
                    .exec(txn)
                    .await?;
                conversations::Entity::delete_many()
                    .filter(conversations::Column::AccountId.eq(owner))
                    .filter(conversations::Column::Id.is_in(chunk.to_vec()))
                    .exec(txn)
                    .await?;
            }
            ids.len() as u64
        }
        Category::Messages => gone!(messages, messages::Column::SentAt),
        Category::Blocked => gone!(blocked, blocked::Column::BlockedAt),
        Category::Location => gone!(location_points, location_points::Column::RecordedAt),
        Category::Steps => gone!(step_counts, step_counts::Column::Day),
        Category::Contacts => gone!(contact_hashes, contact_hashes::Column::UploadedAt),
        Category::Notifications => gone!(notifications, notifications::Column::CreatedAt),
        _ => return Err(not_clearable(category).into()),
    })
}

pub(crate) async fn delete_rows(
    txn: &DatabaseTransaction,
    owner: Uuid,
    category: Category,
    id: Option<Uuid>,
) -> ServerResult<u64> {
    macro_rules! gone {
        ($entity:ident, $key:expr) => {{
            let mut cond = Condition::all().add($entity::Column::AccountId.eq(owner));
            if let Some(id) = id {
                cond = cond.add($key.eq(id));
            }
            $entity::Entity::delete_many()
                .filter(cond)
                .exec(txn)
                .await?
                .rows_affected
        }};
    }
    Ok(match category {
        Category::Posts => {
            let n = gone!(posts, posts::Column::Id);
            if n > 0 || id.is_none() {
                gone!(post_photos, post_photos::Column::PostId);
                gone!(post_comments, post_comments::Column::PostId);
                gone!(post_likes, post_likes::Column::PostId);
            }
            n
        }
        Category::Conversations => {
            let n = gone!(conversations, conversations::Column::Id);
            if n > 0 || id.is_none() {
                gone!(messages, messages::Column::ConversationId);
            }
            n
        }
        Category::Messages => gone!(messages, messages::Column::Id),
        Category::Friends => {
            let n = gone!(friends, friends::Column::Id);
            if n > 0 {
                gone!(settings_lists, settings_lists::Column::FriendId);
            }
            n
        }
        Category::Blocked => gone!(blocked, blocked::Column::Id),
        Category::Location => gone!(location_points, location_points::Column::Id),
        Category::Steps => gone!(step_counts, step_counts::Column::Id),
        Category::Contacts => gone!(contact_hashes, contact_hashes::Column::Id),
        Category::Cards => gone!(bank_cards, bank_cards::Column::Id),
        Category::Devices => gone!(devices, devices::Column::Id),
        Category::AccountSecurity => gone!(emergency_contacts, emergency_contacts::Column::Id),
        Category::Notifications => {
            // Notices keep account_id optional (request notices to people
            // without an account); the holder's own are theirs to delete.
            let mut cond = Condition::all().add(notifications::Column::AccountId.eq(owner));
            if let Some(id) = id {
                cond = cond.add(notifications::Column::Id.eq(id));
            }
            notifications::Entity::delete_many()
                .filter(cond)
                .exec(txn)
                .await?
                .rows_affected
        }
        _ => return Err(not_deletable(category).into()),
    })
}

impl PersonalData {
    /// The holder's receipt of a change (their activity: what, which
    /// category, how many) and its entry in the audit chain
    /// (`holder.data_<verb>`), in the caller's transaction.
    #[expect(clippy::too_many_arguments, reason = "the receipt's fields")]
    pub(super) async fn receipt(
        &self,
        txn: &DatabaseTransaction,
        owner: Uuid,
        now: OffsetDateTime,
        verb: &str,
        category: &str,
        count: u64,
        field: Option<&str>,
    ) -> ServerResult<()> {
        record_activity(txn, owner, now, verb, category, count, field).await?;
        self.audit_change(
            txn,
            owner,
            now,
            &format!("holder.data_{verb}"),
            serde_json::json!({ "category": category, "count": count, "field": field }),
        )
        .await
    }

    /// Audits a holder's change of their own data in the hash-chained log
    /// (DESIGN §7): the category, the field names or the count — never the
    /// content. Callers hold [`crate::audit::AuditLog::lock`].
    async fn audit_change(
        &self,
        txn: &sea_orm::DatabaseTransaction,
        owner: Uuid,
        now: OffsetDateTime,
        action: &str,
        detail: serde_json::Value,
    ) -> ServerResult<()> {
        self.audit
            .append(
                txn,
                now,
                crate::audit::Actor {
                    id: Some(owner),
                    role: "holder",
                },
                action,
                &owner.to_string(),
                &detail.to_string(),
            )
            .await
    }
}

/// A partial change of the privacy settings (`{settings: {...}}` or the
/// settings at the top level, and `dont_share` / `hide` lists) applied to
/// the current ones; whatever the change leaves out stays.
///
/// # Errors
/// 422 `unknown_field`, `invalid_setting`.
fn merge_settings(
    current: SettingsView,
    body: &serde_json::Map<String, serde_json::Value>,
) -> Result<SettingsView, AppError> {
    let mut merged = serde_json::to_value(&current.settings).map_err(|_| AppError::internal())?;
    let changes = match body.get("settings") {
        Some(serde_json::Value::Object(inner)) => inner.clone(),
        Some(_) => {
            return Err(AppError::invalid(
                "settings",
                "invalid_setting",
                "settings: an object of the privacy settings.",
            ));
        }
        None => body
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "dont_share" | "hide" | "friends"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    };
    for (key, value) in changes {
        let Some(slot) = merged.get_mut(&key) else {
            return Err(AppError::invalid(
                &key,
                "unknown_field",
                format!("{key}: not a privacy setting."),
            ));
        };
        let fits = if key == "posts_window" {
            value
                .as_str()
                .and_then(domain::data::PostsWindow::parse)
                .is_some()
        } else {
            value.is_boolean()
        };
        if !fits {
            return Err(AppError::invalid(
                &key,
                "invalid_setting",
                if key == "posts_window" {
                    "posts_window: all, six_months or three_days.".to_owned()
                } else {
                    format!("{key}: true or false.")
                },
            ));
        }
        *slot = value;
    }
    let settings: domain::data::PrivacySettings = serde_json::from_value(merged)
        .map_err(|e| AppError::invalid("settings", "invalid_setting", e.to_string()))?;
    let list = |name: &str, keep: Vec<String>| -> Result<Vec<String>, AppError> {
        match body.get(name) {
            None => Ok(keep),
            Some(serde_json::Value::Array(items)) => items
                .iter()
                .map(|v| {
                    v.as_str().map(str::to_owned).ok_or_else(|| {
                        AppError::invalid(
                            name,
                            "unknown_friend",
                            "Choose people from your friends list.",
                        )
                    })
                })
                .collect(),
            Some(_) => Err(AppError::invalid(
                name,
                "invalid_setting",
                format!("{name}: a list of friend IDs."),
            )),
        }
    };
    let view = SettingsView {
        settings,
        dont_share: list("dont_share", current.dont_share)?,
        hide: list("hide", current.hide)?,
        friends: Vec::new(),
    };
    Ok(view)
}

#[cfg(test)]
mod tests {
    use super::describe_agent;

    #[test]
    fn user_agents_become_plain_devices() {
        let cases = [
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15",
                ("iPhone", "iOS", "Mozilla/5.0"),
            ),
            (
                "WeChat/8.0.50 (Linux; Android 14; Pixel 8)",
                ("Pixel 8", "Android", "WeChat/8.0.50"),
            ),
            ("curl/8.5.0", ("unknown", "unknown", "curl/8.5.0")),
            ("", ("unknown", "unknown", "unknown")),
        ];
        for (agent, (model, os, app)) in cases {
            let got = describe_agent(agent);
            assert_eq!(
                (got.0.as_str(), got.1.as_str(), got.2.as_str()),
                (model, os, app),
                "{agent}"
            );
        }
    }
}
