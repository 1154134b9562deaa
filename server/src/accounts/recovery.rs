//! Getting back into an account: a forgotten password's one-time link, and
//! the link a granted re-access request sends (QQ terms §3–4), which opens
//! only after a hold during which the e-mail and mobile on file can stop it.
//!
//! Links are random 256-bit tokens; only their SHA-256 digests are stored.
//! Setting a new password ends every session of the account, keeps the old
//! hash in `password_history` (a later re-access request may name it), and
//! tells the holder in the inbox and by e-mail.

use super::{Accounts, hash_blocking, refuse_guessable, subject, verify_blocking};
use crate::audit::Actor;
use crate::entities::recovery::{password_history, password_resets, reaccess_claims};
use crate::entities::{accounts, login_failures, requests, sessions};
use crate::errors::ServerResult;
use app::error::AppError;
use domain::recovery::{OnFile, ReaccessAnswers, Scorecard};
use domain::{Email, Locale, Password};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, sea_query::Expr,
};
use std::net::IpAddr;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// How long a forgotten password's link works.
pub const RESET_LINK_LIFETIME: Duration = Duration::minutes(15);
/// Reset e-mails one address can be sent per hour; past it the answer is
/// the same and nothing is sent.
pub const RESETS_PER_ADDRESS_PER_HOUR: u64 = 3;
/// Reset links (forgotten password or re-access) one account gets per hour.
pub const RESETS_PER_ACCOUNT_PER_HOUR: u64 = 5;
/// How long a re-access link works once its hold is over.
pub const REACCESS_LINK_LIFETIME: Duration = Duration::hours(72);
/// The hold before a granted re-access opens, unless an administrator sets
/// another (`reaccess_hold_hours`).
pub const DEFAULT_REACCESS_HOLD_HOURS: u32 = 24;
/// Re-access requests naming one account (by the identifier given) in 24
/// hours before further ones are refused.
pub const REACCESS_ATTEMPTS_PER_DAY: u64 = 3;
/// Earlier passwords a re-access request's old passwords are compared with.
const HISTORY_COMPARED: u64 = 3;

/// What a link's purpose is stored as.
const FORGOT: &str = "forgot";
const REACCESS: &str = "reaccess";

fn link_expired() -> AppError {
    AppError::new(
        410,
        "link_expired",
        "This link has expired or has already been used. Ask for a new one on the \"Forgot password\" page.",
    )
}

impl Accounts {
    /// Starts a forgotten password's reset: an account's address gets a
    /// one-time link valid [`RESET_LINK_LIFETIME`]. The answer is the same
    /// whether or not the address has an account, and both paths write one
    /// throttling row in one transaction, so neither answer nor timing tells.
    ///
    /// # Errors
    /// 422 for an address that is not one; 429 past the client address's limit.
    #[tracing::instrument(skip_all)]
    pub async fn request_password_reset(
        &self,
        email: &str,
        client: Option<IpAddr>,
    ) -> ServerResult<()> {
        self.resets.check(client, self.clock.now())?;
        let email = Email::parse(email)?;
        let now = self.clock.now();
        let txn = crate::db::begin_write(&self.db).await?;
        let address_key = subject("reset-address", email.as_str());
        let address_count = recent(&txn, &address_key, now - Duration::hours(1)).await?;
        count_attempt(&txn, &address_key, now).await?;
        let account = accounts::Entity::find()
            .filter(accounts::Column::Email.eq(email.as_str()))
            .one(&txn)
            .await?;
        match account {
            Some(account) if address_count < RESETS_PER_ADDRESS_PER_HOUR => {
                let account_key = subject("reset-account", &account.id.to_string());
                if recent(&txn, &account_key, now - Duration::hours(1)).await?
                    < RESETS_PER_ACCOUNT_PER_HOUR
                {
                    count_attempt(&txn, &account_key, now).await?;
                    let token = crate::digest::random_token(32);
                    insert_link(
                        &txn,
                        &account,
                        FORGOT,
                        &token,
                        None,
                        now,
                        now,
                        now + RESET_LINK_LIFETIME,
                        None,
                    )
                    .await?;
                    let locale = Locale::from_tag(&account.locale).unwrap_or_default();
                    let (subject, body) = forgot_mail(locale, &self.public_url, &token);
                    crate::mail::enqueue(
                        &txn,
                        now,
                        crate::mail::Outgoing {
                            to: &account.email,
                            subject,
                            body,
                            dedupe: format!("reset:{}", crate::digest::sha256(&[&token])),
                        },
                    )
                    .await?;
                } else {
                    tracing::info!("reset link held back: hourly cap for the account");
                }
            }
            Some(_) => tracing::info!("reset link held back: hourly cap for the address"),
            None => {}
        }
        txn.commit().await?;
        Ok(())
    }

    /// Sets a new password with a link's token: a forgotten password's, or a
    /// granted re-access request's once its hold is over. Works once; ends
    /// every session of the account; tells the holder.
    ///
    /// # Errors
    /// 410 `link_expired` (unknown, used or expired), 410 `access_stopped`
    /// (stopped through the channels on file), 409 `link_not_open` (in its
    /// hold), 422 for the password.
    #[tracing::instrument(skip_all)]
    pub async fn reset_password(&self, token: &str, password: &str) -> ServerResult<()> {
        let token = token.trim();
        if token.is_empty() || token.len() > 256 {
            return Err(link_expired().into());
        }
        let digest = crate::digest::sha256(&[token]);
        let now = self.clock.now();
        let link = password_resets::Entity::find()
            .filter(password_resets::Column::TokenHash.eq(digest.as_str()))
            .one(&self.db)
            .await?
            .ok_or_else(link_expired)?;
        usable(&link, now)?;
        let account = accounts::Entity::find_by_id(link.account_id)
            .one(&self.db)
            .await?
            .ok_or_else(link_expired)?;
        let password = Password::parse(password)?;
        refuse_guessable(&password, &[&account.email, &account.display_name])?;
        let new_hash = hash_blocking(password.expose().to_owned()).await?;

        let _audit = self.audit.lock().await;
        let txn = crate::db::begin_write(&self.db).await?;
        // Claimed once: a second use, or a stop that came meanwhile, finds
        // nothing to claim.
        let claimed = password_resets::Entity::update_many()
            .col_expr(password_resets::Column::UsedAt, Expr::value(now))
            .filter(password_resets::Column::Id.eq(link.id))
            .filter(password_resets::Column::UsedAt.is_null())
            .filter(password_resets::Column::StoppedAt.is_null())
            .filter(password_resets::Column::ExpiresAt.gt(now))
            .exec(&txn)
            .await?
            .rows_affected;
        if claimed != 1 {
            return Err(link_expired().into());
        }
        // Every other open link of the account goes with it.
        password_resets::Entity::update_many()
            .col_expr(password_resets::Column::UsedAt, Expr::value(now))
            .filter(password_resets::Column::AccountId.eq(account.id))
            .filter(password_resets::Column::UsedAt.is_null())
            .exec(&txn)
            .await?;
        password_history::ActiveModel {
            id: Set(Uuid::new_v4()),
            account_id: Set(account.id),
            password_hash: Set(account.password_hash.clone()),
            replaced_at: Set(now),
        }
        .insert(&txn)
        .await?;
        accounts::ActiveModel {
            id: Set(account.id),
            password_hash: Set(new_hash),
            ..Default::default()
        }
        .update(&txn)
        .await?;
        let ended = sessions::Entity::update_many()
            .col_expr(sessions::Column::RevokedAt, Expr::value(now))
            .filter(sessions::Column::AccountId.eq(account.id))
            .filter(sessions::Column::RevokedAt.is_null())
            .exec(&txn)
            .await?
            .rows_affected;
        // The failed sign-ins of the old password no longer count.
        login_failures::Entity::delete_many()
            .filter(login_failures::Column::Subject.eq(subject("account", &account.email)))
            .exec(&txn)
            .await?;
        let locale = Locale::from_tag(&account.locale).unwrap_or_default();
        let (subject_line, body) = password_changed_mail(locale, &self.public_url, ended);
        crate::requests::notify(
            &txn,
            now,
            crate::requests::Notice {
                account_id: Some(account.id),
                email: Some(&account.email),
                request_id: link.request_id,
                kind: "password_reset",
                subject: subject_line,
                body,
                dedupe: format!("password-reset:{}", link.id),
            },
        )
        .await?;
        let details = serde_json::json!({ "purpose": link.purpose, "sessions_ended": ended });
        self.audit
            .append(
                &txn,
                now,
                Actor {
                    id: Some(account.id),
                    role: "holder",
                },
                "account.password_reset",
                &account.id.to_string(),
                &details.to_string(),
            )
            .await?;
        self.audit.commit(txn, &self.db).await?;
        tracing::info!(account.id = %account.id, purpose = %link.purpose, "password reset");
        Ok(())
    }

    /// Stops a granted re-access during its hold, with the link sent to the
    /// e-mail address and mobile on file. Stopping twice is not an error.
    ///
    /// # Errors
    /// 410 `link_expired` for an unknown link; 409 `access_already_used`
    /// once the new access was used.
    #[tracing::instrument(skip_all)]
    pub async fn stop_reaccess(&self, token: &str) -> ServerResult<()> {
        let token = token.trim();
        if token.is_empty() || token.len() > 256 {
            return Err(link_expired().into());
        }
        let now = self.clock.now();
        let _audit = self.audit.lock().await;
        let txn = crate::db::begin_write(&self.db).await?;
        let link = password_resets::Entity::find()
            .filter(password_resets::Column::StopTokenHash.eq(crate::digest::sha256(&[token])))
            .one(&txn)
            .await?
            .ok_or_else(link_expired)?;
        if link.stopped_at.is_some() {
            return Ok(());
        }
        if link.used_at.is_some() {
            return Err(AppError::new(
                409,
                "access_already_used",
                "The access was already used to set a new password. If that was not you, write to the privacy officer at once.",
            )
            .into());
        }
        password_resets::ActiveModel {
            id: Set(link.id),
            stopped_at: Set(Some(now)),
            ..Default::default()
        }
        .update(&txn)
        .await?;
        let request = match link.request_id {
            Some(id) => requests::Entity::find_by_id(id).one(&txn).await?,
            None => None,
        };
        let ack = request.as_ref().map_or_else(String::new, |r| r.ack.clone());
        crate::requests::notify(
            &txn,
            now,
            crate::requests::Notice {
                account_id: Some(link.account_id),
                email: None,
                request_id: link.request_id,
                kind: "reaccess_stopped",
                subject: format!("You stopped the access granted by {ack} · 您已阻止 {ack} 授予的访问"),
                body: "The re-access link will not work. If someone else asked for access to your account, sign in and change your password.\n找回链接已失效。如果是他人申请访问您的账号，请登录并修改密码。".to_owned(),
                dedupe: format!("reaccess-stopped:{}", link.id),
            },
        )
        .await?;
        if let Some(to) = request.as_ref().and_then(|r| r.contact_email.as_deref()) {
            crate::mail::enqueue(
                &txn,
                now,
                crate::mail::Outgoing {
                    to,
                    subject: format!("Your re-access request {ack} was stopped · 您的账号找回申请 {ack} 已被阻止"),
                    body: "The account's holder stopped the access through the e-mail address or mobile on file, so the link we sent you will not work. If you are the holder, write to the privacy officer quoting the acknowledgment number.\n账号持有人已通过预留的邮箱或手机阻止本次访问，我们发给您的链接将不可用。如果您就是账号持有人，请引用受理编号联系隐私保护负责人。".to_owned(),
                    dedupe: format!("reaccess-stopped-mail:{}", link.id),
                },
            )
            .await?;
        }
        self.audit
            .append(
                &txn,
                now,
                Actor {
                    id: Some(link.account_id),
                    role: "holder",
                },
                "reaccess.stopped",
                &ack,
                "{}",
            )
            .await?;
        self.audit.commit(txn, &self.db).await?;
        tracing::info!(request.ack = %ack, "re-access stopped through the channel on file");
        Ok(())
    }
}

/// Scores a re-access request's answers against what the account holds
/// (old passwords against the current hash and the last few replaced
/// ones, off the async threads). Answers the account, if the identifier
/// names one, and the scorecard.
///
/// # Errors
/// When the database fails.
pub async fn score_reaccess(
    db: &impl ConnectionTrait,
    answers: &ReaccessAnswers,
    time_zone: &str,
) -> ServerResult<(Option<Uuid>, Scorecard)> {
    let account = find_by_identifier(db, &answers.identifier()).await?;
    // The same Argon2 work whether or not the account exists, and however
    // many passwords it had: every given password is checked against the
    // current hash and HISTORY_COMPARED earlier ones, missing ones padded
    // with a hash of a random password. So the time taken does not tell
    // whether the identifier names an account.
    let mut hashes: Vec<String> = Vec::new();
    if let Some(account) = &account {
        hashes.push(account.password_hash.clone());
        hashes.extend(
            password_history::Entity::find()
                .filter(password_history::Column::AccountId.eq(account.id))
                .order_by_desc(password_history::Column::ReplacedAt)
                .limit(HISTORY_COMPARED)
                .all(db)
                .await?
                .into_iter()
                .map(|h| h.password_hash),
        );
    }
    let padding = usize::try_from(HISTORY_COMPARED).unwrap_or(3) + 1;
    while hashes.len() < padding {
        hashes.push(dummy_hash().await?);
    }
    let mut old_passwords_matched = 0;
    for given in &answers.old_passwords {
        let mut matched = false;
        for hash in &hashes {
            matched |= verify_blocking(given.clone(), hash.clone()).await?;
        }
        old_passwords_matched += usize::from(matched);
    }
    let Some(account) = account else {
        return Ok((None, domain::recovery::score(answers, None)));
    };
    let on_file = on_file(db, &account, time_zone, old_passwords_matched).await?;
    Ok((
        Some(account.id),
        domain::recovery::score(answers, Some(&on_file)),
    ))
}

/// A hash of a random password, made once: what a missing password is
/// checked against.
async fn dummy_hash() -> ServerResult<String> {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    if let Some(hash) = DUMMY.get() {
        return Ok(hash.clone());
    }
    let hash = hash_blocking(Uuid::new_v4().to_string()).await?;
    Ok(DUMMY.get_or_init(|| hash).clone())
}

/// Whether a link can be used at `now`.
fn usable(link: &password_resets::Model, now: OffsetDateTime) -> Result<(), AppError> {
    if link.stopped_at.is_some() {
        return Err(AppError::new(
            410,
            "access_stopped",
            "The account's holder stopped this access. Write to the privacy officer if you need help.",
        ));
    }
    if link.used_at.is_some() || link.expires_at <= now {
        return Err(link_expired());
    }
    if now < link.opens_at {
        return Err(AppError::new(
            409,
            "link_not_open",
            format!(
                "This link opens at {} (UTC), after the hold that lets the account's holder stop it. Come back then.",
                crate::instant::rfc3339(link.opens_at)
            ),
        ));
    }
    Ok(())
}

/// The account an identifier names: its account ID (as on the profile) or
/// its e-mail address.
async fn find_by_identifier(
    db: &impl ConnectionTrait,
    identifier: &str,
) -> ServerResult<Option<accounts::Model>> {
    use crate::entities::data::profiles;
    if identifier.contains('@') {
        return Ok(accounts::Entity::find()
            .filter(accounts::Column::Email.eq(identifier))
            .one(db)
            .await?);
    }
    let Some(profile) = profiles::Entity::find()
        .filter(profiles::Column::AccountCode.eq(identifier))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(accounts::Entity::find_by_id(profile.account_id)
        .one(db)
        .await?)
}

/// What the account holds, as the comparison needs it.
async fn on_file(
    db: &impl ConnectionTrait,
    account: &accounts::Model,
    time_zone: &str,
    old_passwords_matched: usize,
) -> ServerResult<OnFile> {
    use crate::entities::data::{account_security, conversations, devices, friends, profiles};
    let id = account.id;
    let mobile = account_security::Entity::find_by_id(id)
        .one(db)
        .await?
        .and_then(|s| s.mobile);
    let profile = profiles::Entity::find_by_id(id).one(db).await?;
    let mut places: Vec<String> = Vec::new();
    if let Some(p) = &profile {
        places.extend(p.region.iter().cloned());
        places.extend(
            p.address
                .iter()
                .flat_map(|a| a.lines().map(str::to_owned).collect::<Vec<_>>()),
        );
    }
    let devices: Vec<String> = devices::Entity::find()
        .filter(devices::Column::AccountId.eq(id))
        .order_by_desc(devices::Column::LastSeenAt)
        .limit(20)
        .all(db)
        .await?
        .into_iter()
        .map(|d| d.model)
        .collect();
    let mut names: Vec<String> = friends::Entity::find()
        .filter(friends::Column::AccountId.eq(id))
        .limit(2000)
        .all(db)
        .await?
        .into_iter()
        .map(|f| f.name)
        .collect();
    names.extend(
        conversations::Entity::find()
            .filter(conversations::Column::AccountId.eq(id))
            .limit(2000)
            .all(db)
            .await?
            .into_iter()
            .map(|c| c.peer_name),
    );
    let registered = domain::deadlines::local_date(account.created_at, time_zone);
    Ok(OnFile {
        old_passwords_matched,
        email: account.email.clone(),
        mobile,
        registered: (registered.year(), u8::from(registered.month())),
        registration_method: account.registered_via.clone(),
        devices,
        places,
        friends: names,
    })
}

/// Failures-table rows (the throttling keys) since `since`.
async fn recent(txn: &DatabaseTransaction, key: &str, since: OffsetDateTime) -> ServerResult<u64> {
    Ok(login_failures::Entity::find()
        .filter(login_failures::Column::Subject.eq(key))
        .filter(login_failures::Column::At.gt(since))
        .count(txn)
        .await?)
}

async fn count_attempt(
    txn: &DatabaseTransaction,
    key: &str,
    now: OffsetDateTime,
) -> ServerResult<()> {
    login_failures::ActiveModel {
        id: Set(Uuid::new_v4()),
        subject: Set(key.to_owned()),
        at: Set(now),
    }
    .insert(txn)
    .await?;
    Ok(())
}

#[expect(clippy::too_many_arguments, reason = "the link's columns")]
async fn insert_link(
    txn: &DatabaseTransaction,
    account: &accounts::Model,
    purpose: &str,
    token: &str,
    request_id: Option<Uuid>,
    now: OffsetDateTime,
    opens_at: OffsetDateTime,
    expires_at: OffsetDateTime,
    stop_token: Option<&str>,
) -> ServerResult<Uuid> {
    let id = Uuid::new_v4();
    password_resets::ActiveModel {
        id: Set(id),
        account_id: Set(account.id),
        purpose: Set(purpose.to_owned()),
        token_hash: Set(crate::digest::sha256(&[token])),
        request_id: Set(request_id),
        created_at: Set(now),
        opens_at: Set(opens_at),
        expires_at: Set(expires_at),
        used_at: Set(None),
        stop_token_hash: Set(stop_token.map(|t| crate::digest::sha256(&[t]))),
        stopped_at: Set(None),
    }
    .insert(txn)
    .await?;
    Ok(id)
}

/// Refuses a re-access filing, in its transaction, when the identifier has
/// had too many requests in the last 24 hours; answers the identifier's
/// digest, which [`record_claim`] stores with the scorecard.
///
/// # Errors
/// 429 `too_many_attempts`.
pub(crate) async fn refuse_repeated_reaccess(
    txn: &DatabaseTransaction,
    answers: &ReaccessAnswers,
    now: OffsetDateTime,
) -> ServerResult<String> {
    let identifier_hash = crate::digest::sha256(&["reaccess", &answers.identifier()]);
    let today = reaccess_claims::Entity::find()
        .filter(reaccess_claims::Column::IdentifierHash.eq(identifier_hash.as_str()))
        .filter(reaccess_claims::Column::CreatedAt.gt(now - Duration::days(1)))
        .count(txn)
        .await?;
    if today >= REACCESS_ATTEMPTS_PER_DAY {
        return Err(AppError::too_many(
            "too_many_attempts",
            "This account has had several re-access requests in the last 24 hours. Wait for the answer to the one filed, or try again tomorrow.",
            3600,
        )
        .into());
    }
    Ok(identifier_hash)
}

/// Stores the scorecard of a filed re-access request.
///
/// # Errors
/// When the database fails.
pub(crate) async fn record_claim(
    txn: &DatabaseTransaction,
    request_id: Uuid,
    identifier_hash: String,
    account_id: Option<Uuid>,
    card: &Scorecard,
    now: OffsetDateTime,
) -> ServerResult<()> {
    reaccess_claims::ActiveModel {
        request_id: Set(request_id),
        identifier_hash: Set(identifier_hash),
        account_id: Set(account_id),
        score: Set(i32::from(card.score)),
        items: Set(serde_json::to_string(card).map_err(anyhow::Error::from)?),
        created_at: Set(now),
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// A re-access request's scorecard and the other re-access requests that
/// named the same account in the last 30 days (acknowledgment numbers).
///
/// # Errors
/// When the database fails or a stored scorecard is unreadable.
pub(crate) async fn claim_of(
    db: &impl ConnectionTrait,
    request_id: Uuid,
) -> ServerResult<Option<(Scorecard, Vec<String>)>> {
    let Some(claim) = reaccess_claims::Entity::find_by_id(request_id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let card: Scorecard = serde_json::from_str(&claim.items)
        .map_err(|e| anyhow::anyhow!("stored scorecard unreadable: {e}"))?;
    let mut named = sea_orm::Condition::any()
        .add(reaccess_claims::Column::IdentifierHash.eq(claim.identifier_hash.as_str()));
    if let Some(account) = claim.account_id {
        named = named.add(reaccess_claims::Column::AccountId.eq(account));
    }
    let others = reaccess_claims::Entity::find()
        .filter(named)
        .filter(reaccess_claims::Column::RequestId.ne(request_id))
        .filter(reaccess_claims::Column::CreatedAt.gt(claim.created_at - Duration::days(30)));
    let ids: Vec<Uuid> = others
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.request_id)
        .collect();
    let acks = if ids.is_empty() {
        Vec::new()
    } else {
        requests::Entity::find()
            .filter(requests::Column::Id.is_in(ids))
            .order_by_asc(requests::Column::ReceivedAt)
            .all(db)
            .await?
            .into_iter()
            .map(|r| r.ack)
            .collect()
    };
    Ok(Some((card, acks)))
}

/// A granted re-access request, in the officer's transaction: a one-time
/// link to the address the request gave, opening after the hold; a notice
/// with a stop link to the e-mail address and mobile on file and to the
/// inbox. Answers when the link opens.
///
/// # Errors
/// 409 `no_account` when the request named no account; when the database fails.
pub(crate) async fn grant_reaccess(
    txn: &DatabaseTransaction,
    request: &requests::Model,
    now: OffsetDateTime,
    public_url: &str,
) -> ServerResult<OffsetDateTime> {
    let account = match reaccess_claims::Entity::find_by_id(request.id)
        .one(txn)
        .await?
    {
        Some(reaccess_claims::Model {
            account_id: Some(id),
            ..
        }) => accounts::Entity::find_by_id(id).one(txn).await?,
        _ => None,
    };
    let Some(account) = account else {
        return Err(AppError::new(
            409,
            "no_account",
            "This re-access request names no account of the portal, so there is nothing to grant. Refuse it with a reason.",
        )
        .into());
    };
    let Some(contact) = request.contact_email.as_deref() else {
        return Err(anyhow::anyhow!("re-access request without a contact address").into());
    };
    let hold = reaccess_hold_hours(txn).await?;
    let opens_at = now + Duration::hours(i64::from(hold));
    let token = crate::digest::random_token(32);
    let stop = crate::digest::random_token(32);
    count_attempt(txn, &subject("reset-account", &account.id.to_string()), now).await?;
    insert_link(
        txn,
        &account,
        REACCESS,
        &token,
        Some(request.id),
        now,
        opens_at,
        opens_at + REACCESS_LINK_LIFETIME,
        Some(&stop),
    )
    .await?;
    let when = crate::instant::rfc3339(opens_at);
    let link = format!("{public_url}/reset-password?token={token}");
    crate::mail::enqueue(
        txn,
        now,
        crate::mail::Outgoing {
            to: contact,
            subject: format!("Access to your account: {} · 账号找回：{}", request.ack, request.ack),
            body: format!(
                "Your re-access request {ack} was granted. From {when} (UTC) this link lets you set a new password, once, for 72 hours:\n\n{link}\n\nThe hold lets the account's holder stop the access through the e-mail address or mobile on file. Once you are in, check your contact details.\n\n您的账号找回申请 {ack} 已获批准。自 {when}（UTC）起 72 小时内，可通过以上链接设置新密码（仅可使用一次）。等待期间账号持有人可通过预留邮箱或手机阻止本次访问。登录后请核对您的联系方式。\n",
                ack = request.ack
            ),
            dedupe: format!("reaccess-link:{}", request.id),
        },
    )
    .await?;
    let stop_link = format!("{public_url}/reaccess/stop?token={stop}");
    let warning = format!(
        "Someone was given access to your account through re-access request {ack}. They can set a new password from {when} (UTC). If it was not you, stop it now: {stop_link}\n有人通过账号找回申请 {ack} 获得了您账号的访问权限，可在 {when}（UTC）后设置新密码。如果不是您本人，请立即阻止：{stop_link}",
        ack = request.ack
    );
    crate::requests::notify(
        txn,
        now,
        crate::requests::Notice {
            account_id: Some(account.id),
            email: Some(&account.email),
            request_id: Some(request.id),
            kind: "reaccess_granted",
            subject: "Someone was given access to your account · 有人获得了您账号的访问权限"
                .to_owned(),
            body: warning.clone(),
            dedupe: format!("reaccess-granted:{}", request.id),
        },
    )
    .await?;
    if let Some(mobile) = crate::entities::data::account_security::Entity::find_by_id(account.id)
        .one(txn)
        .await?
        .and_then(|s| s.mobile)
    {
        // Text messages go through the outbox too, addressed `sms:<number>`;
        // a deployment's transport hands those to its SMS gateway.
        crate::mail::enqueue(
            txn,
            now,
            crate::mail::Outgoing {
                to: &format!("sms:{mobile}"),
                subject: "Privacy Portal".to_owned(),
                body: format!(
                    "Privacy Portal: someone was given access to your account ({ack}). Not you? Stop it: {stop_link}",
                    ack = request.ack
                ),
                dedupe: format!("reaccess-granted-sms:{}", request.id),
            },
        )
        .await?;
    }
    Ok(opens_at)
}

/// The hold before a granted re-access opens, in hours.
///
/// # Errors
/// When the database fails.
pub async fn reaccess_hold_hours(db: &impl ConnectionTrait) -> ServerResult<u32> {
    Ok(
        crate::settings::get(db, crate::settings::REACCESS_HOLD_HOURS)
            .await?
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_REACCESS_HOLD_HOURS),
    )
}

fn forgot_mail(locale: Locale, base: &str, token: &str) -> (String, String) {
    let link = format!("{base}/reset-password?token={token}");
    match locale {
        Locale::Zh => (
            "重置您的隐私权利门户密码".to_owned(),
            format!(
                "您好：\n\n有人（希望是您本人）申请重置此邮箱对应账号的密码。请在 15 分钟内打开以下链接设置新密码（仅可使用一次）：\n\n{link}\n\n设置新密码后，您账号的所有登录会话都会结束。如果不是您本人操作，请忽略本邮件，您的密码不会改变。\n"
            ),
        ),
        Locale::En => (
            "Reset your Privacy Portal password".to_owned(),
            format!(
                "Hello,\n\nSomeone, we hope you, asked to reset the password of the account with this address. Open this link within 15 minutes to choose a new one (it works once):\n\n{link}\n\nSetting a new password signs out every session of the account. If it was not you, ignore this message: your password stays as it is.\n"
            ),
        ),
    }
}

fn password_changed_mail(locale: Locale, base: &str, ended: u64) -> (String, String) {
    match locale {
        Locale::Zh => (
            "您的密码已更改".to_owned(),
            format!(
                "您的隐私权利门户密码刚刚通过重置链接更改，{ended} 个登录会话已结束。请用新密码登录：{base}/login\n如果不是您本人操作，请立即通过“忘记密码”重置密码并联系隐私保护负责人。"
            ),
        ),
        Locale::En => (
            "Your password was changed".to_owned(),
            format!(
                "Your Privacy Portal password was just changed with a reset link, and {ended} signed-in session(s) were ended. Sign in with the new password: {base}/login\nIf it was not you, reset it again at once through \"Forgot password\" and write to the privacy officer."
            ),
        ),
    }
}
