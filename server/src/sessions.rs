//! Sessions and their tokens (DESIGN §7, OWASP ASVS V7 and V9).
//!
//! A session is a row; its token is an HS256 JWT naming the row (`sid`).
//! Validation pins the algorithm and checks `iss`, `aud` and `typ`; expiry
//! (`exp`, `iat`) is checked against the injected clock, not the system time,
//! so the development clock moves token expiry too. Every request also reads
//! the row, so sign-out (and later password change or cancellation) revokes
//! the token at once.

use crate::clock::Clock;
use crate::entities::{accounts, sessions};
use crate::errors::{ServerError, ServerResult};
use anyhow::Context;
use app::error::AppError;
use domain::{Locale, Role};
use http::HeaderMap;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection, EntityTrait};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// The session cookie (HttpOnly, SameSite=Lax; Secure behind HTTPS).
pub const SESSION_COOKIE: &str = "portal_session";
/// The session cookie's name behind HTTPS (`PORTAL_COOKIE_SECURE=1`): the
/// `__Host-` prefix makes browsers refuse it unless it is `Secure`, for this
/// host only and for every path, so a sibling subdomain cannot plant one.
pub const SECURE_SESSION_COOKIE: &str = "__Host-portal_session";
/// A token lives this long; then the person signs in again.
pub const TOKEN_LIFETIME: Duration = Duration::hours(1);
/// A browser session's cookie is renewed on use once its token is this old…
pub const RENEW_AFTER: Duration = Duration::minutes(15);
/// …but a session never lives longer than this from sign-in.
pub const SESSION_MAX_AGE: Duration = Duration::hours(12);
/// Sensitive actions need the password within this window (DESIGN §7).
pub const REAUTH_WINDOW: Duration = Duration::minutes(5);
const ISSUER: &str = "privacy-portal";
const AUDIENCE: &str = "privacy-portal";
const TOKEN_TYPE: &str = "session";

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: Uuid,
    sid: Uuid,
    iat: i64,
    exp: i64,
    iss: String,
    aud: String,
    typ: String,
}

/// The caller of one page request, looked up on first use and shared by
/// everything that page renders. The page middleware (`server::render`)
/// puts an empty one in the request's extensions; Leptos gives each server
/// function a clone of the request's `Parts`, whose extensions share the
/// cell. A page of the data area otherwise decoded the token and looked the
/// session up once for `Me` and once per resource. A page changes nothing,
/// so the caller cannot change while it renders; server functions the
/// browser calls (sign-in, sign-out) do not get one.
#[derive(Clone, Default)]
pub struct CallerOnce(Arc<tokio::sync::OnceCell<Option<Principal>>>);

/// The signed-in caller of a request.
#[derive(Clone, Debug)]
pub struct Principal {
    /// The account.
    pub account_id: Uuid,
    /// The session the token belongs to.
    pub session_id: Uuid,
    /// The account's current role (read from the account, not the token).
    pub role: Role,
    /// The name others see.
    pub display_name: String,
    /// The account's language.
    pub locale: Locale,
    /// A minor not yet confirmed by a guardian.
    pub minor: bool,
    /// When the password was last re-entered in this session.
    pub reauth_at: Option<OffsetDateTime>,
    /// A legal hold's reason, while the account is frozen.
    pub frozen: Option<String>,
    /// The cancellation in cooling-off, if the holder asked for one.
    pub cancellation: Option<domain::cancellation::Cooling>,
}

impl Principal {
    /// A caller with no hold and no cancellation (commands and seeds that
    /// act for an account without a session).
    #[must_use]
    pub fn acting_for(account_id: Uuid, role: Role, locale: Locale) -> Principal {
        Principal {
            account_id,
            session_id: Uuid::nil(),
            role,
            display_name: String::new(),
            locale,
            minor: false,
            reauth_at: None,
            frozen: None,
            cancellation: None,
        }
    }
}

/// 409 `account_frozen`, naming the reason.
#[must_use]
pub fn frozen_error(reason: &str) -> AppError {
    AppError::new(
        409,
        "account_frozen",
        format!(
            "Your account is under a legal hold, so nothing can be deleted and it cannot be cancelled until the hold is released. Reason: {reason}"
        ),
    )
}

/// The cooling-off state stored on an account row, if any.
#[must_use]
pub fn cooling_of(account: &accounts::Model) -> Option<domain::cancellation::Cooling> {
    match (account.cancel_requested_at, account.cancel_effective_at) {
        (Some(requested_at), Some(effective_at)) => Some(domain::cancellation::Cooling {
            requested_at,
            effective_at,
            paused_at: account.cancel_paused_at,
        }),
        _ => None,
    }
}

/// Issues, checks and revokes sessions.
pub struct Sessions {
    db: DatabaseConnection,
    clock: Arc<dyn Clock>,
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    cookie_secure: bool,
}

impl Sessions {
    /// Sessions signed with `secret`.
    #[must_use]
    pub fn new(
        db: DatabaseConnection,
        clock: Arc<dyn Clock>,
        secret: &SecretString,
        cookie_secure: bool,
    ) -> Self {
        let key = secret.expose_secret().as_bytes();
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        // Expiry is checked against our clock below.
        validation.validate_exp = false;
        validation.leeway = 0;
        Sessions {
            db,
            clock,
            encoding: EncodingKey::from_secret(key),
            decoding: DecodingKey::from_secret(key),
            validation,
            cookie_secure,
        }
    }

    /// Opens a session for `account` on `device` and returns its token.
    ///
    /// # Errors
    /// When the session cannot be stored or the token signed.
    pub async fn open(&self, account_id: Uuid, device: Option<Uuid>) -> ServerResult<String> {
        let now = self.clock.now();
        let session = sessions::ActiveModel {
            id: Set(Uuid::new_v4()),
            account_id: Set(account_id),
            created_at: Set(now),
            expires_at: Set(now + TOKEN_LIFETIME),
            reauth_at: Set(None),
            revoked_at: Set(None),
            device_id: Set(device),
        }
        .insert(&self.db)
        .await?;
        let claims = Claims {
            sub: account_id,
            sid: session.id,
            iat: now.unix_timestamp(),
            exp: (now + TOKEN_LIFETIME).unix_timestamp(),
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            typ: TOKEN_TYPE.into(),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .context("signing a session token")?;
        Ok(token)
    }

    /// The caller of a request that must be signed in, looked up once per
    /// rendered page (see [`CallerOnce`]); for any other request (an API
    /// call, a server function the browser calls) on every call.
    ///
    /// # Errors
    /// 401 `unauthenticated` without a live session.
    pub async fn authenticate_parts(
        &self,
        parts: &http::request::Parts,
    ) -> ServerResult<Principal> {
        self.principal_of(parts)
            .await?
            .ok_or_else(|| AppError::unauthenticated().into())
    }

    /// The caller, or `None`, looked up once per rendered page: a page's
    /// server functions share the answer through the [`CallerOnce`] in the
    /// request's extensions. Without one (a server function called by the
    /// browser, an API call) it is looked up as [`Sessions::principal`] does.
    ///
    /// # Errors
    /// Only when the database fails.
    pub async fn principal_of(
        &self,
        parts: &http::request::Parts,
    ) -> ServerResult<Option<Principal>> {
        match parts.extensions.get::<CallerOnce>() {
            Some(once) => once
                .0
                .get_or_try_init(|| self.principal(&parts.headers))
                .await
                .cloned(),
            None => self.principal(&parts.headers).await,
        }
    }

    /// The caller, or `None` when the request carries no live session (a
    /// missing, forged, expired or revoked token alike).
    ///
    /// # Errors
    /// Only when the database fails.
    pub async fn principal(&self, headers: &HeaderMap) -> ServerResult<Option<Principal>> {
        let Some(token) = token_from(headers, self.cookie_name()) else {
            return Ok(None);
        };
        let Ok(data) = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
        else {
            return Ok(None);
        };
        let claims = data.claims;
        let now = self.clock.now().unix_timestamp();
        if claims.typ != TOKEN_TYPE || claims.exp <= now || claims.iat > now + 60 {
            return Ok(None);
        }
        let Some((session, Some(account))) = sessions::Entity::find_by_id(claims.sid)
            .find_also_related(accounts::Entity)
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        if session.revoked_at.is_some()
            || session.expires_at <= self.clock.now()
            || session.account_id != claims.sub
        {
            return Ok(None);
        }
        let cancellation = cooling_of(&account);
        Ok(Some(Principal {
            account_id: account.id,
            session_id: session.id,
            role: account.role.into(),
            display_name: account.display_name,
            locale: Locale::from_tag(&account.locale).unwrap_or_default(),
            minor: account.age_band == accounts::AgeBand::Minor,
            reauth_at: session.reauth_at,
            cancellation,
            frozen: account.frozen_reason,
        }))
    }

    /// Slides a browser session: when the request's cookie token is older
    /// than [`RENEW_AFTER`] and its session is live, extends the session (never
    /// past [`SESSION_MAX_AGE`] from sign-in) and answers the `Set-Cookie` with
    /// a fresh token for it. Bearer tokens are not renewed: API clients sign
    /// in again.
    ///
    /// # Errors
    /// When the database fails or the token cannot be signed.
    pub async fn renew_cookie(&self, headers: &HeaderMap) -> ServerResult<Option<String>> {
        if headers.contains_key(http::header::AUTHORIZATION) {
            return Ok(None);
        }
        let Some(token) = token_from(headers, self.cookie_name()) else {
            return Ok(None);
        };
        let Ok(data) = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
        else {
            return Ok(None);
        };
        let now = self.clock.now();
        let claims = data.claims;
        if claims.typ != TOKEN_TYPE
            || claims.exp <= now.unix_timestamp()
            || now.unix_timestamp() - claims.iat < RENEW_AFTER.whole_seconds()
        {
            return Ok(None);
        }
        let Some(session) = sessions::Entity::find_by_id(claims.sid)
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let cap = session.created_at + SESSION_MAX_AGE;
        if session.revoked_at.is_some()
            || session.expires_at <= now
            || session.account_id != claims.sub
            || cap <= now
        {
            return Ok(None);
        }
        let expires = (now + TOKEN_LIFETIME).min(cap);
        sessions::ActiveModel {
            id: Set(session.id),
            expires_at: Set(expires),
            ..Default::default()
        }
        .update(&self.db)
        .await?;
        let fresh = Claims {
            sub: session.account_id,
            sid: session.id,
            iat: now.unix_timestamp(),
            exp: expires.unix_timestamp(),
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            typ: TOKEN_TYPE.into(),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &fresh, &self.encoding)
            .context("signing a renewed session token")?;
        Ok(Some(self.session_cookie(&token)))
    }

    /// Revokes the caller's session.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn revoke(&self, principal: &Principal) -> ServerResult<()> {
        sessions::ActiveModel {
            id: Set(principal.session_id),
            revoked_at: Set(Some(self.clock.now())),
            ..Default::default()
        }
        .update(&self.db)
        .await?;
        Ok(())
    }

    /// Records that the caller re-entered the password now.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn mark_reauthenticated(&self, principal: &Principal) -> ServerResult<()> {
        sessions::ActiveModel {
            id: Set(principal.session_id),
            reauth_at: Set(Some(self.clock.now())),
            ..Default::default()
        }
        .update(&self.db)
        .await?;
        Ok(())
    }

    /// Refuses a sensitive action outside the re-authentication window.
    ///
    /// # Errors
    /// 403 `reauth_required`.
    pub fn require_recent_reauth(&self, principal: &Principal) -> Result<(), ServerError> {
        match principal.reauth_at {
            Some(at) if self.clock.now() - at <= REAUTH_WINDOW => Ok(()),
            _ => Err(AppError::new(
                403,
                "reauth_required",
                "Enter your password again to continue.",
            )
            .into()),
        }
    }

    /// The session cookie's name: [`SECURE_SESSION_COOKIE`] behind HTTPS.
    #[must_use]
    pub fn cookie_name(&self) -> &'static str {
        if self.cookie_secure {
            SECURE_SESSION_COOKIE
        } else {
            SESSION_COOKIE
        }
    }

    /// Whether the portal is served over HTTPS (`PORTAL_COOKIE_SECURE`).
    #[must_use]
    pub fn https(&self) -> bool {
        self.cookie_secure
    }

    /// The `Set-Cookie` value carrying a new token.
    #[must_use]
    pub fn session_cookie(&self, token: &str) -> String {
        let secure = if self.cookie_secure { "; Secure" } else { "" };
        format!(
            "{}={token}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax{secure}",
            self.cookie_name(),
            TOKEN_LIFETIME.whole_seconds()
        )
    }

    /// The `Set-Cookie` value that removes the session cookie.
    #[must_use]
    pub fn clear_cookie(&self) -> String {
        let secure = if self.cookie_secure { "; Secure" } else { "" };
        format!(
            "{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{secure}",
            self.cookie_name()
        )
    }
}

/// The token of a request: `Authorization: Bearer …` first, then the cookie
/// named `cookie_name`.
#[must_use]
pub fn token_from<'h>(headers: &'h HeaderMap, cookie_name: &str) -> Option<&'h str> {
    let bearer = headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    bearer.or_else(|| {
        headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|cookies| {
                cookies.split(';').find_map(|c| {
                    let (name, value) = c.trim().split_once('=')?;
                    (name == cookie_name && !value.is_empty()).then_some(value)
                })
            })
    })
}
