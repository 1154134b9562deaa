//! Accounts: sign-up, sign-in with throttling, re-authentication, and the
//! staff accounts the admin commands create.

use crate::clock::Clock;
use crate::entities::{accounts, login_failures, pending_sign_ups};
use crate::errors::{ServerError, ServerResult};
use crate::sessions::{Principal, Sessions};
use anyhow::Context;
use app::auth::SignUpForm;
use app::error::AppError;
use argon2::{
    Argon2, PasswordHash, PasswordHasher, PasswordVerifier,
    password_hash::{SaltString, rand_core::OsRng},
};
use domain::{AgeBand, BirthDate, DisplayName, Email, Locale, Password, Role};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, SqlErr,
};
use std::{net::IpAddr, sync::Arc};
use time::Duration;
use uuid::Uuid;

pub mod recovery;

/// Password-reset requests per client address per hour.
pub const RESET_REQUESTS_PER_HOUR: u32 = 20;

/// Sign-ups per client address per hour (generous: many people can share
/// one address behind a carrier's NAT).
pub const SIGN_UPS_PER_HOUR: u32 = 20;

/// How long the link of a sign-up works.
pub const SIGN_UP_LINK_LIFETIME: Duration = Duration::hours(24);
/// Sign-up e-mails (links, or "this address has an account") to one address
/// in 24 hours: the sign-up form cannot flood an inbox.
pub const SIGN_UP_MAILS_PER_ADDRESS_PER_DAY: u64 = 3;

/// Failed attempts are counted over this window.
pub const THROTTLE_WINDOW: Duration = Duration::minutes(15);
/// Failed attempts on one account from one address within the window
/// before that address gets 429 for that account.
pub const MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS: u64 = 5;
/// Failed attempts from one client address, whatever the accounts, before
/// that address gets 429.
pub const MAX_FAILURES_PER_ADDRESS: u64 = 20;
/// Failed attempts on one account from every address together before only
/// addresses the account has signed in from before get through. Wrong
/// passwords from strangers never lock the owner out of a known place.
pub const MAX_FAILURES_PER_ACCOUNT: u64 = 50;

/// The throttling keys of one attempt (hashed, nothing in clear).
struct Attempt {
    account: String,
    pair: String,
    address: Option<String>,
    /// The account has signed in from this address before.
    known_address: bool,
}

impl Attempt {
    fn new(email: &str, client: Option<IpAddr>) -> Attempt {
        let ip = client.map(|ip| ip.to_string());
        Attempt {
            account: subject("account", email),
            pair: subject(
                "pair",
                &format!("{email}\n{}", ip.as_deref().unwrap_or("unknown")),
            ),
            address: ip.map(|ip| subject("address", &ip)),
            known_address: false,
        }
    }
}

/// Longer input is refused before hashing, so it cannot be used to load the server.
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// A session just opened.
#[derive(Debug)]
pub struct SignedIn {
    /// The JWT.
    pub token: String,
    /// The account's role.
    pub role: Role,
}

/// The account service.
pub struct Accounts {
    db: DatabaseConnection,
    clock: Arc<dyn Clock>,
    sessions: Arc<Sessions>,
    /// Shared with every writer of the audit chain.
    audit: Arc<crate::audit::AuditLog>,
    /// Sign-ups per client address.
    sign_ups: crate::rate_limit::RateLimiter,
    /// Password-reset requests per client address.
    resets: crate::rate_limit::RateLimiter,
    /// The portal's address as people reach it, for links in e-mails.
    public_url: String,
    /// A real Argon2id hash of a random password: sign-in for an unknown
    /// address verifies against it, so timing does not tell who has an account.
    dummy_hash: String,
}

impl Accounts {
    /// The service.
    ///
    /// # Errors
    /// When the dummy hash cannot be computed.
    pub fn new(
        db: DatabaseConnection,
        clock: Arc<dyn Clock>,
        sessions: Arc<Sessions>,
        audit: Arc<crate::audit::AuditLog>,
        public_url: String,
    ) -> anyhow::Result<Self> {
        let dummy_hash = hash_password(&Uuid::new_v4().to_string())?;
        Ok(Accounts {
            db,
            clock,
            sessions,
            audit,
            sign_ups: crate::rate_limit::RateLimiter::new(SIGN_UPS_PER_HOUR, Duration::hours(1)),
            resets: crate::rate_limit::RateLimiter::new(
                RESET_REQUESTS_PER_HOUR,
                Duration::hours(1),
            ),
            public_url: public_url.trim_end_matches('/').to_owned(),
            dummy_hash,
        })
    }

    /// The portal's clock.
    #[must_use]
    pub fn now(&self) -> time::OffsetDateTime {
        self.clock.now()
    }

    /// The session service.
    #[must_use]
    pub fn sessions(&self) -> &Sessions {
        &self.sessions
    }

    /// Starts a holder sign-up (DESIGN §2 "minors": under 13 refused, 13–17
    /// marked as minors). Nothing tells the caller whether the address has
    /// an account: a free address gets a link that creates the account when
    /// opened ([`Accounts::confirm_sign_up`]); a taken one gets a message
    /// saying so. Both cost one password hash and one queued e-mail, and the
    /// answer is the same. At most [`SIGN_UP_MAILS_PER_ADDRESS_PER_DAY`]
    /// such mails go to one address a day; past that, the answer is still the
    /// same and nothing is sent.
    ///
    /// # Errors
    /// 422 with the field for a bad value, `age_restricted` under 13,
    /// `password_too_common`; 429 past the sign-ups of one address.
    #[tracing::instrument(skip_all)]
    pub async fn sign_up(&self, form: SignUpForm, client: Option<IpAddr>) -> ServerResult<()> {
        // Through every door: a sign-up costs a password hash and a mail.
        self.sign_ups.check(client, self.clock.now())?;
        let today = self.clock.now().date();
        let email = Email::parse(&form.email)?;
        let password = Password::parse(&form.password)?;
        let display_name = DisplayName::parse(&form.display_name)?;
        refuse_guessable(&password, &[email.as_str(), display_name.as_str()])?;
        let birth_date = BirthDate::parse(&form.birth_date, today)?;
        birth_date.age_band(today)?;
        let locale = form.locale.unwrap_or_default();
        // Hashed whatever happens next, so the time taken tells nothing.
        let password_hash = hash_blocking(password.expose().to_owned()).await?;

        let now = self.clock.now();
        let txn = crate::db::begin_write(&self.db).await?;
        // Sign-ups never confirmed go once their link has expired: they
        // hold a name and a birth date.
        pending_sign_ups::Entity::delete_many()
            .filter(pending_sign_ups::Column::ExpiresAt.lte(now))
            .exec(&txn)
            .await?;
        if crate::mail::queued_today(&txn, email.as_str(), SIGN_UP_MAIL, now).await?
            >= SIGN_UP_MAILS_PER_ADDRESS_PER_DAY
        {
            txn.commit().await?;
            tracing::info!("sign-up e-mail held back: daily cap for the address");
            return Ok(());
        }
        let taken = accounts::Entity::find()
            .filter(accounts::Column::Email.eq(email.as_str()))
            .one(&txn)
            .await?
            .is_some();
        let id = Uuid::new_v4();
        let mail = if taken {
            sign_up_taken_mail(locale, &self.public_url)
        } else {
            let token = crate::digest::random_token(32);
            pending_sign_ups::ActiveModel {
                id: Set(id),
                token_hash: Set(crate::digest::sha256(&[&token])),
                email: Set(email.as_str().to_owned()),
                password_hash: Set(password_hash),
                display_name: Set(display_name.as_str().to_owned()),
                birth_date: Set(birth_date.date()),
                locale: Set(locale.tag().to_owned()),
                created_at: Set(now),
                expires_at: Set(now + SIGN_UP_LINK_LIFETIME),
            }
            .insert(&txn)
            .await?;
            sign_up_link_mail(locale, &self.public_url, &token)
        };
        crate::mail::enqueue(
            &txn,
            now,
            crate::mail::Outgoing {
                to: email.as_str(),
                subject: mail.0,
                body: mail.1,
                dedupe: format!("{SIGN_UP_MAIL}{id}"),
            },
        )
        .await?;
        txn.commit().await?;
        tracing::info!("sign-up mail queued");
        Ok(())
    }

    /// Finishes a sign-up from its e-mail link: creates the account, forgets
    /// every other pending sign-up of the address, and opens a session. The
    /// link works once, for [`SIGN_UP_LINK_LIFETIME`].
    ///
    /// # Errors
    /// 410 `link_expired` for an unknown, used or expired link; 409
    /// `email_unavailable` when the address got an account meanwhile;
    /// 422 `age_restricted` if the person is no longer allowed (never, in
    /// practice: age only grows).
    #[tracing::instrument(skip_all)]
    pub async fn confirm_sign_up(
        &self,
        token: &str,
        client: Option<IpAddr>,
        user_agent: Option<&str>,
    ) -> ServerResult<(Uuid, SignedIn)> {
        let expired = || {
            AppError::new(
                410,
                "link_expired",
                "This link has expired or has already been used. Sign up again to get a new one.",
            )
        };
        let token = token.trim();
        if token.is_empty() || token.len() > 256 {
            return Err(expired().into());
        }
        let now = self.clock.now();
        let txn = crate::db::begin_write(&self.db).await?;
        let pending = pending_sign_ups::Entity::find()
            .filter(pending_sign_ups::Column::TokenHash.eq(crate::digest::sha256(&[token])))
            .filter(pending_sign_ups::Column::ExpiresAt.gt(now))
            .one(&txn)
            .await?
            .ok_or_else(expired)?;
        let birth_date = BirthDate::parse(&pending.birth_date.to_string(), now.date())?;
        let age_band = birth_date.age_band(now.date())?;
        // Whatever happens, the address's pending sign-ups are done with.
        pending_sign_ups::Entity::delete_many()
            .filter(pending_sign_ups::Column::Email.eq(pending.email.as_str()))
            .exec(&txn)
            .await?;
        let id = self.fresh_id().await?;
        let created = insert_account(
            &txn,
            NewAccount {
                id,
                email: pending.email,
                password_hash: pending.password_hash,
                display_name: pending.display_name,
                birth_date: birth_date.date(),
                age_band,
                role: Role::Holder,
                locale: pending.locale,
            },
            now,
        )
        .await;
        match created {
            Ok(()) => txn.commit().await?,
            Err(e) => {
                // A taken address: the pending rows still go.
                txn.commit().await?;
                return Err(e);
            }
        }
        tracing::info!(account.id = %id, "account created");
        let signed_in = self
            .open_session(id, Role::Holder, client, user_agent)
            .await?;
        Ok((id, signed_in))
    }

    /// Creates an account of any role at once, without an e-mail link (the
    /// `create-user` and `seed-demo` commands, run by the operator).
    ///
    /// # Errors
    /// 409 `email_unavailable` when the address is taken.
    #[expect(
        clippy::too_many_arguments,
        reason = "each value is a separate validated field"
    )]
    pub async fn insert(
        &self,
        email: Email,
        password: &Password,
        display_name: DisplayName,
        birth_date: BirthDate,
        age_band: AgeBand,
        role: Role,
        locale: Locale,
    ) -> ServerResult<Uuid> {
        let password_hash = hash_blocking(password.expose().to_owned()).await?;
        let id = self.fresh_id().await?;
        let now = self.clock.now();
        let txn = crate::db::begin_write(&self.db).await?;
        insert_account(
            &txn,
            NewAccount {
                id,
                email: email.as_str().to_owned(),
                password_hash,
                display_name: display_name.as_str().to_owned(),
                birth_date: birth_date.date(),
                age_band,
                role,
                locale: locale.tag().to_owned(),
            },
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(id)
    }

    /// Finds an account by e-mail.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn find_by_email(&self, email: &Email) -> ServerResult<Option<accounts::Model>> {
        Ok(accounts::Entity::find()
            .filter(accounts::Column::Email.eq(email.as_str()))
            .one(&self.db)
            .await?)
    }

    /// Checks the password and opens a session. Failures are counted per
    /// account and per address; past the limits the answer is 429 without
    /// checking the password at all.
    ///
    /// # Errors
    /// 401 `invalid_credentials`; 429 `too_many_attempts`.
    #[tracing::instrument(skip_all)]
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
        client: Option<IpAddr>,
        user_agent: Option<&str>,
    ) -> ServerResult<SignedIn> {
        if password.len() > MAX_PASSWORD_BYTES {
            return Err(AppError::invalid(
                "password",
                "password_too_long",
                "The password may have at most 256 characters.",
            )
            .into());
        }
        let email = Email::parse(email).ok();
        let mut attempt = Attempt::new(
            email.as_ref().map_or(email_placeholder(), Email::as_str),
            client,
        );
        let account = match &email {
            Some(email) => self.find_by_email(email).await?,
            None => None,
        };
        if let (Some(account), Some(ip)) = (&account, client) {
            attempt.known_address = self.signed_in_from(account.id, ip).await?;
        }
        self.check_throttle(&attempt).await?;

        let hash = account
            .as_ref()
            .map_or_else(|| self.dummy_hash.clone(), |a| a.password_hash.clone());
        let verified = verify_blocking(password.to_owned(), hash).await?;
        match account {
            Some(account) if verified => {
                self.clear_failures(&attempt).await?;
                let signed_in = self
                    .open_session(account.id, account.role.into(), client, user_agent)
                    .await?;
                tracing::info!(account.id = %account.id, "signed in");
                Ok(signed_in)
            }
            _ => {
                self.record_failure(&attempt).await?;
                tracing::info!("sign-in refused");
                Err(AppError::new(
                    401,
                    "invalid_credentials",
                    "The e-mail address or password is not right.",
                )
                .into())
            }
        }
    }

    /// Records the sign-in (the holder's log and devices, DESIGN §3; the
    /// session remembers its device, so removing the device signs it out),
    /// opens the session, and audits staff sign-ins (DESIGN §7).
    async fn open_session(
        &self,
        account_id: Uuid,
        role: Role,
        client: Option<IpAddr>,
        user_agent: Option<&str>,
    ) -> ServerResult<SignedIn> {
        let device =
            crate::data::record_sign_in(&self.db, self.clock.now(), account_id, client, user_agent)
                .await?;
        let token = self.sessions.open(account_id, Some(device)).await?;
        if role.is_staff() {
            let _guard = self.audit.lock().await;
            let txn = crate::db::begin_write(&self.db).await?;
            let actor = crate::audit::Actor {
                id: Some(account_id),
                role: role.as_str(),
            };
            self.audit
                .append(
                    &txn,
                    self.clock.now(),
                    actor,
                    "staff.signed_in",
                    &account_id.to_string(),
                    "{}",
                )
                .await?;
            self.audit.commit(txn, &self.db).await?;
        }
        Ok(SignedIn { token, role })
    }

    /// Re-authentication: the password again, opening the 5-minute window
    /// for sensitive actions. Throttled like sign-in.
    ///
    /// # Errors
    /// 401 `invalid_credentials` (with the field); 429 `too_many_attempts`.
    pub async fn reauthenticate(
        &self,
        principal: &Principal,
        password: &str,
        client: Option<IpAddr>,
    ) -> ServerResult<()> {
        let account = accounts::Entity::find_by_id(principal.account_id)
            .one(&self.db)
            .await?
            .ok_or_else(AppError::unauthenticated)?;
        // The caller holds a session of the account: the address counts as
        // known, so only its own failures (per address) can stop it.
        let mut attempt = Attempt::new(&account.email, client);
        attempt.known_address = true;
        self.check_throttle(&attempt).await?;
        if verify_blocking(password.to_owned(), account.password_hash).await? {
            self.clear_failures(&attempt).await?;
            self.sessions.mark_reauthenticated(principal).await
        } else {
            self.record_failure(&attempt).await?;
            Err(AppError {
                field: Some("password".into()),
                ..AppError::new(401, "invalid_credentials", "The password is not right.")
            }
            .into())
        }
    }

    /// A new account ID that no erased account ever had (tombstones keep
    /// their digests; a repeat of a v4 UUID is all but impossible, and
    /// this makes it impossible).
    async fn fresh_id(&self) -> ServerResult<Uuid> {
        loop {
            let id = Uuid::new_v4();
            if !crate::cancellation::was_erased(&self.db, &self.audit, id).await? {
                return Ok(id);
            }
        }
    }

    /// Remembers the account's language.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn set_locale(&self, principal: &Principal, locale: Locale) -> ServerResult<()> {
        accounts::ActiveModel {
            id: Set(principal.account_id),
            locale: Set(locale.tag().to_owned()),
            ..Default::default()
        }
        .update(&self.db)
        .await?;
        Ok(())
    }

    /// Whether the account has signed in from this address before.
    async fn signed_in_from(&self, account_id: Uuid, ip: IpAddr) -> ServerResult<bool> {
        use crate::entities::data::sign_ins;
        Ok(sign_ins::Entity::find()
            .filter(sign_ins::Column::AccountId.eq(account_id))
            .filter(sign_ins::Column::Ip.eq(ip.to_string()))
            .count(&self.db)
            .await?
            > 0)
    }

    /// 429 with the seconds to wait when one of the attempt's counts is
    /// full: this account from this address, this address for every
    /// account, or this account from everywhere (unless the address is one
    /// the account has signed in from before).
    async fn check_throttle(&self, attempt: &Attempt) -> ServerResult<()> {
        let now = self.clock.now();
        let since = now - THROTTLE_WINDOW;
        let mut limits = vec![(attempt.pair.as_str(), MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS)];
        if let Some(address) = &attempt.address {
            limits.push((address.as_str(), MAX_FAILURES_PER_ADDRESS));
        }
        if !attempt.known_address {
            limits.push((attempt.account.as_str(), MAX_FAILURES_PER_ACCOUNT));
        }
        for (subject, limit) in limits {
            let failures = login_failures::Entity::find()
                .filter(login_failures::Column::Subject.eq(subject))
                .filter(login_failures::Column::At.gt(since))
                .order_by_desc(login_failures::Column::At)
                .limit(limit)
                .all(&self.db)
                .await?;
            if failures.len() as u64 >= limit {
                // The window reopens when the oldest of the counted failures
                // leaves it.
                let oldest = failures.last().map_or(now, |f| f.at);
                let wait = (oldest + THROTTLE_WINDOW - now).whole_seconds();
                tracing::warn!("sign-in throttled");
                return Err(AppError::too_many(
                    "too_many_attempts",
                    "Too many failed attempts. Wait a few minutes and try again.",
                    u64::try_from(wait).unwrap_or(1),
                )
                .into());
            }
        }
        Ok(())
    }

    async fn record_failure(&self, attempt: &Attempt) -> ServerResult<()> {
        let now = self.clock.now();
        let rows = [
            Some(&attempt.account),
            Some(&attempt.pair),
            attempt.address.as_ref(),
        ]
        .into_iter()
        .flatten()
        .map(|s| login_failures::ActiveModel {
            id: Set(Uuid::new_v4()),
            subject: Set(s.clone()),
            at: Set(now),
        });
        login_failures::Entity::insert_many(rows)
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// After the right password: this account's failures from this address
    /// are forgotten (those from elsewhere still count towards the
    /// account-wide limit for unknown addresses).
    async fn clear_failures(&self, attempt: &Attempt) -> ServerResult<()> {
        login_failures::Entity::delete_many()
            .filter(login_failures::Column::Subject.eq(attempt.pair.as_str()))
            .exec(&self.db)
            .await?;
        Ok(())
    }
}

fn email_placeholder() -> &'static str {
    "(not an e-mail address)"
}

/// Refuses a new password that is among the common and breached ones or
/// otherwise quick to guess (zxcvbn's score below 2: fewer than about a
/// million guesses), counting the person's own e-mail and name as known
/// words. OWASP ASVS 6.2.4 and 6.2.11.
///
/// # Errors
/// 422 `password_too_common` on the `password` field.
pub fn refuse_guessable(password: &Password, own_words: &[&str]) -> Result<(), AppError> {
    let estimate = zxcvbn::zxcvbn(password.expose(), own_words);
    if (estimate.score() as u8) < 2 {
        return Err(AppError::invalid(
            "password",
            "password_too_common",
            "This password is common or easy to guess (it appears in lists of breached passwords, or follows a simple pattern). Choose a longer, less predictable one.",
        ));
    }
    Ok(())
}

/// A throttling key that holds no personal data in clear.
pub(crate) fn subject(kind: &str, value: &str) -> String {
    format!("{kind}:{}", crate::digest::sha256(&[value]))
}

/// A new account row, its password already hashed.
struct NewAccount {
    id: Uuid,
    email: String,
    password_hash: String,
    display_name: String,
    birth_date: time::Date,
    age_band: AgeBand,
    role: Role,
    locale: String,
}

/// Inserts the account and its profile (with the fixed account ID) in the
/// caller's transaction.
async fn insert_account(
    txn: &sea_orm::DatabaseTransaction,
    account: NewAccount,
    now: time::OffsetDateTime,
) -> ServerResult<()> {
    let result = accounts::ActiveModel {
        id: Set(account.id),
        email: Set(account.email),
        password_hash: Set(account.password_hash),
        display_name: Set(account.display_name),
        birth_date: Set(account.birth_date),
        age_band: Set(account.age_band.into()),
        role: Set(account.role.into()),
        locale: Set(account.locale),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await;
    match result {
        Ok(_) => {
            crate::data::profile_row(txn, account.id, now).await?;
            // Signing up accepts the privacy policy in force.
            crate::data::consent::accepted_at_sign_up(txn, account.id, now).await
        }
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            Err(AppError {
                field: Some("email".into()),
                ..AppError::new(
                    409,
                    "email_unavailable",
                    "This e-mail address already has an account. Sign in with it.",
                )
            }
            .into())
        }
        Err(e) => Err(e.into()),
    }
}

/// The start of the dedupe key of every sign-up e-mail (counted per address
/// per day).
const SIGN_UP_MAIL: &str = "signup:";

/// The e-mail with the link that finishes a sign-up: subject and body.
fn sign_up_link_mail(locale: Locale, base: &str, token: &str) -> (String, String) {
    let link = format!("{base}/verify-email?token={token}");
    match locale {
        Locale::Zh => (
            "请确认您的电子邮箱以完成注册".to_owned(),
            format!(
                "您好：\n\n有人（希望是您本人）使用此邮箱申请注册隐私权利门户账号。请在 24 小时内打开以下链接完成注册：\n\n{link}\n\n如果不是您本人操作，请忽略本邮件，不会创建任何账号。\n"
            ),
        ),
        Locale::En => (
            "Confirm your e-mail address to finish signing up".to_owned(),
            format!(
                "Hello,\n\nSomeone, we hope you, asked for a Privacy Portal account with this address. Open this link within 24 hours to finish:\n\n{link}\n\nIf it was not you, ignore this message: no account is created.\n"
            ),
        ),
    }
}

/// The e-mail to an address that already has an account.
fn sign_up_taken_mail(locale: Locale, base: &str) -> (String, String) {
    let link = format!("{base}/login");
    match locale {
        Locale::Zh => (
            "有人尝试用您的邮箱注册".to_owned(),
            format!(
                "您好：\n\n有人尝试用此邮箱注册隐私权利门户账号，但此邮箱已有账号。如果是您本人，请直接登录：\n\n{link}\n\n如果不是您本人，请忽略本邮件，您的账号没有任何变化。\n"
            ),
        ),
        Locale::En => (
            "Someone tried to sign up with your address".to_owned(),
            format!(
                "Hello,\n\nSomeone tried to create a Privacy Portal account with this address, which already has one. If it was you, sign in instead:\n\n{link}\n\nIf it was not you, ignore this message: nothing about your account changed.\n"
            ),
        ),
    }
}

/// Argon2id with the crate's defaults (m = 19 MiB, t = 2, p = 1: the OWASP
/// Password Storage Cheat Sheet minimum).
fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
}

/// Hashes a password with Argon2id off the async threads.
///
/// # Errors
/// When hashing fails.
pub async fn hash_blocking(password: String) -> ServerResult<String> {
    Ok(
        tokio::task::spawn_blocking(move || hash_password(&password))
            .await
            .context("hashing task")??,
    )
}

async fn verify_blocking(password: String, hash: String) -> Result<bool, ServerError> {
    tokio::task::spawn_blocking(move || {
        let parsed =
            PasswordHash::new(&hash).map_err(|e| anyhow::anyhow!("stored hash unreadable: {e}"))?;
        Ok::<_, anyhow::Error>(
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok(),
        )
    })
    .await
    .context("verifying task")?
    .map_err(ServerError::Internal)
}
