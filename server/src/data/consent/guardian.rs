//! A minor's sensitive grant waits for a parent or guardian (Weixin guideline
//! §8; PIPL art. 31): the holder names the guardian's address, which gets a
//! one-time link (a 256-bit token kept only as its SHA-256, valid
//! [`GUARDIAN_LINK_DAYS`] days); opening it shows what is asked, and a
//! button (a POST: mail scanners fetch links) grants the feature with a
//! receipt of channel `guardian`. A later change of the feature by the
//! holder voids the link.

use super::super::PersonalData;
use crate::entities::accounts;
use crate::entities::data::{consents, guardian_confirmations};
use crate::errors::ServerResult;
use app::consents::GuardianAsk;
use app::error::AppError;
use domain::Locale;
use domain::consent::{ConsentChannel, ConsentState, Feature, GUARDIAN_LINK_DAYS};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    sea_query::Expr,
};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// The start of every guardian mail's dedupe key (counted per address a day).
const GUARDIAN_MAIL: &str = "guardian:";
/// Most links one address receives a day: a minor cannot turn the portal
/// into a mail cannon.
const GUARDIAN_MAILS_PER_DAY: u64 = 5;

fn expired() -> AppError {
    AppError::new(
        410,
        "link_expired",
        "This link has expired, was used already, or the request was withdrawn. Ask for a new one from the consent page.",
    )
}

/// The guardian's address, checked.
pub(super) fn guardian_address(raw: Option<&str>) -> Result<Option<String>, AppError> {
    let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) else {
        return Ok(None);
    };
    domain::account::Email::parse(raw)
        .map(|e| Some(e.as_str().to_owned()))
        .map_err(|_| {
            AppError::invalid(
                "guardian_email",
                "invalid_email",
                "guardian_email: enter your parent's or guardian's e-mail address, e.g. mum@example.com.",
            )
        })
}

/// What is asked, in the guardian's mail.
struct Ask<'a> {
    holder: &'a str,
    feature: Feature,
    locale: Locale,
}

impl PersonalData {
    /// Voids the links still open for `feature` (the holder changed it again).
    pub(super) async fn void_guardian_links(
        txn: &DatabaseTransaction,
        owner: Uuid,
        feature: Feature,
    ) -> ServerResult<()> {
        guardian_confirmations::Entity::delete_many()
            .filter(guardian_confirmations::Column::AccountId.eq(owner))
            .filter(guardian_confirmations::Column::Feature.eq(feature.as_str()))
            .filter(guardian_confirmations::Column::UsedAt.is_null())
            .exec(txn)
            .await?;
        Ok(())
    }

    /// Stores a link and queues its mail, in the change's transaction.
    ///
    /// # Errors
    /// 422 when the address is the holder's own; 429 `too_many_mails`.
    pub(super) async fn ask_guardian(
        &self,
        txn: &DatabaseTransaction,
        owner: Uuid,
        feature: Feature,
        email: &str,
        now: OffsetDateTime,
    ) -> ServerResult<()> {
        let account = accounts::Entity::find_by_id(owner)
            .one(txn)
            .await?
            .ok_or_else(AppError::unauthenticated)?;
        if account.email.eq_ignore_ascii_case(email) {
            return Err(AppError::invalid(
                "guardian_email",
                "guardian_is_holder",
                "guardian_email: this is your own address; enter your parent's or guardian's.",
            )
            .into());
        }
        if crate::mail::queued_today(txn, email, GUARDIAN_MAIL, now).await?
            >= GUARDIAN_MAILS_PER_DAY
        {
            return Err(AppError::too_many(
                "too_many_mails",
                "This address has been sent enough requests today; try again tomorrow.",
                86_400,
            )
            .into());
        }
        let token = crate::digest::random_token(32);
        let id = Uuid::new_v4();
        guardian_confirmations::ActiveModel {
            id: Set(id),
            account_id: Set(owner),
            feature: Set(feature.as_str().to_owned()),
            email: Set(email.to_owned()),
            token_hash: Set(crate::digest::sha256(&[&token])),
            created_at: Set(now),
            expires_at: Set(now + Duration::days(GUARDIAN_LINK_DAYS)),
            used_at: Set(None),
        }
        .insert(txn)
        .await?;
        let locale = Locale::from_tag(&account.locale).unwrap_or_default();
        let (subject, body) = guardian_mail(
            &Ask {
                holder: &account.display_name,
                feature,
                locale,
            },
            &self.public_url,
            &token,
        );
        crate::mail::enqueue(
            txn,
            now,
            crate::mail::Outgoing {
                to: email,
                subject,
                body,
                dedupe: format!("{GUARDIAN_MAIL}{id}"),
            },
        )
        .await?;
        Ok(())
    }

    /// What a guardian's link asks.
    ///
    /// # Errors
    /// 410 `link_expired` for an unknown, voided or expired link.
    pub async fn guardian_ask(&self, token: &str) -> ServerResult<GuardianAsk> {
        let (link, holder) = self.guardian_link(&self.db, token).await?;
        ask_view(&link, holder)
    }

    /// The guardian confirms: the feature is granted, with a receipt of
    /// channel `guardian`, an activity record and an audit entry. The link
    /// works once.
    ///
    /// # Errors
    /// 410 `link_expired`.
    pub async fn confirm_guardian(&self, token: &str) -> ServerResult<GuardianAsk> {
        let now = self.clock.now();
        let _audit = self.audit.lock().await;
        let txn = crate::db::begin_write(&self.db).await?;
        let (link, holder) = self.guardian_link(&txn, token).await?;
        if link.used_at.is_some() {
            return Err(expired().into());
        }
        // Only one confirmation wins the link, however many are sent at once.
        let claimed = guardian_confirmations::Entity::update_many()
            .col_expr(guardian_confirmations::Column::UsedAt, Expr::value(now))
            .filter(guardian_confirmations::Column::Id.eq(link.id))
            .filter(guardian_confirmations::Column::UsedAt.is_null())
            .exec(&txn)
            .await?;
        if claimed.rows_affected != 1 {
            return Err(expired().into());
        }
        let feature = Feature::parse(&link.feature)
            .ok_or_else(|| anyhow::anyhow!("a guardian link names an unknown feature"))?;
        let owner = link.account_id;
        super::set_consent(&txn, owner, feature, true, now).await?;
        let version = super::policy::current(&txn).await?.version;
        self.consent_receipt(
            &txn,
            owner,
            feature,
            ConsentState::Granted,
            ConsentChannel::Guardian,
            &version,
            (false, 0),
            now,
        )
        .await?;
        self.audit.commit(txn, &self.db).await?;
        tracing::info!(account.id = %owner, feature = feature.as_str(), "guardian confirmed a grant");
        let confirmed = guardian_confirmations::Model {
            used_at: Some(now),
            ..link
        };
        ask_view(&confirmed, holder)
    }

    async fn guardian_link(
        &self,
        conn: &impl sea_orm::ConnectionTrait,
        token: &str,
    ) -> ServerResult<(guardian_confirmations::Model, String)> {
        let token = token.trim();
        if token.is_empty() || token.len() > 256 {
            return Err(expired().into());
        }
        let now = self.clock.now();
        let link = guardian_confirmations::Entity::find()
            .filter(guardian_confirmations::Column::TokenHash.eq(crate::digest::sha256(&[token])))
            .one(conn)
            .await?
            .filter(|l| l.expires_at > now)
            .ok_or_else(expired)?;
        let holder = accounts::Entity::find_by_id(link.account_id)
            .one(conn)
            .await?
            .ok_or_else(expired)?
            .display_name;
        // The holder may have withdrawn (or been granted) meanwhile.
        let row = consents::Entity::find()
            .filter(consents::Column::AccountId.eq(link.account_id))
            .filter(consents::Column::Feature.eq(link.feature.as_str()))
            .one(conn)
            .await?;
        if link.used_at.is_none() && row.is_some_and(|c| c.granted) {
            return Err(expired().into());
        }
        Ok((link, holder))
    }
}

fn ask_view(link: &guardian_confirmations::Model, holder: String) -> ServerResult<GuardianAsk> {
    Ok(GuardianAsk {
        holder,
        feature: Feature::parse(&link.feature)
            .ok_or_else(|| anyhow::anyhow!("a guardian link names an unknown feature"))?,
        expires_at: super::super::rfc3339(link.expires_at),
        confirmed: link.used_at.is_some(),
    })
}

/// The guardian's mail: subject and body, in the holder's language.
fn guardian_mail(ask: &Ask<'_>, base: &str, token: &str) -> (String, String) {
    let link = format!("{base}/guardian?token={token}");
    let feature = app::i18n::texts(ask.locale).feature_name(ask.feature);
    let stops = ask.feature.stops(ask.locale);
    match ask.locale {
        Locale::Zh => (
            format!("{} 请您同意开启一项功能", ask.holder),
            format!(
                "您好：\n\n{holder} 是未满 18 周岁的用户，希望在隐私权利门户中开启“{feature}”功能。该功能会处理敏感个人信息，需要监护人同意。\n\n关闭时的影响：{stops}\n\n如果您是其父母或监护人并同意，请在 {days} 天内打开以下链接并点击“同意”：\n\n{link}\n\n如果您不同意，忽略本邮件即可，该功能不会开启。\n",
                holder = ask.holder,
                days = GUARDIAN_LINK_DAYS,
            ),
        ),
        Locale::En => (
            format!("{} asks you to allow a feature", ask.holder),
            format!(
                "Hello,\n\n{holder}, who is under 18, wants to turn on \"{feature}\" in the Privacy Portal. It processes sensitive personal information, so a parent or guardian must agree.\n\nWhat it does (and what stops without it): {stops}\n\nIf you are their parent or guardian and agree, open this link within {days} days and press \"Agree\":\n\n{link}\n\nIf you do not agree, ignore this message: the feature stays off.\n",
                holder = ask.holder,
                days = GUARDIAN_LINK_DAYS,
            ),
        ),
    }
}
