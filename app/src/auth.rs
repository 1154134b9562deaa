//! Accounts and sessions as the UI sees them: the signed-in person, and the
//! server functions to sign up, sign in, sign out and choose a language.
//!
//! The server functions hold no rules: each takes the [`AuthPort`] from
//! context and makes one call; the server implements the port with the same
//! service the REST API uses.

use crate::error::AppError;
use domain::{Locale, Role};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The signed-in person: what the UI shows and `GET /api/v1/me` answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Me {
    /// The account identifier.
    pub account_id: String,
    /// The name others see.
    pub display_name: String,
    /// What the account may do.
    pub role: Role,
    /// The language the account chose.
    pub locale: Locale,
    /// 13–17 and not yet confirmed by a guardian.
    pub minor: bool,
    /// A holder who has not accepted the privacy-policy version in force:
    /// that version (every page offers it; consent-based features stay off).
    #[serde(default)]
    pub pending_policy: Option<String>,
    /// The account's cancellation in cooling-off (every page counts down).
    #[serde(default)]
    pub cancellation: Option<crate::cancellation::CancellationView>,
    /// A holder's incident notices not yet acknowledged (every page shows
    /// them until they are).
    #[serde(default)]
    pub incidents: Vec<crate::incidents::HolderIncident>,
}

/// A new account, as the sign-up form and `POST /api/v1/auth/signup` send
/// it. Missing fields count as empty, so each is reported by name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct SignUpForm {
    #[cfg_attr(feature = "ssr", schema(example = "ann@example.com"))]
    pub email: String,
    /// At least 10 characters, not a common or guessable one.
    pub password: String,
    pub display_name: String,
    /// `YYYY-MM-DD`; under 13 is refused with `age_restricted`.
    #[cfg_attr(feature = "ssr", schema(example = "1990-05-17"))]
    pub birth_date: String,
    /// The language of the mails.
    pub locale: Option<Locale>,
}

/// Where each role lands after signing in.
#[must_use]
pub fn home_path(role: Role) -> &'static str {
    match role {
        Role::Holder => "/home",
        Role::Officer => "/officer",
        Role::Admin => "/admin",
    }
}

#[cfg(feature = "ssr")]
pub use ssr::{AuthPort, SignedIn};

#[cfg(feature = "ssr")]
mod ssr {
    use super::{Me, SignUpForm};
    use crate::error::AppError;
    use domain::{Locale, Role};
    use http::request::Parts;

    /// A session just opened.
    #[derive(Clone, Debug)]
    pub struct SignedIn {
        /// The JWT.
        pub token: String,
        /// The account's role.
        pub role: Role,
        /// The `Set-Cookie` header value carrying the token.
        pub set_cookie: String,
    }

    /// The server's account and session service, as the UI needs it.
    /// `request` is the incoming request: the session cookie or bearer token
    /// and the client address are read from it.
    #[async_trait::async_trait]
    pub trait AuthPort: Send + Sync + 'static {
        /// Starts a holder sign-up: the address gets a link (or a note
        /// that it has an account already), the same answer either way.
        async fn sign_up(&self, request: &Parts, form: SignUpForm) -> Result<(), AppError>;
        /// Finishes a sign-up from its e-mail link and opens a session.
        async fn confirm_sign_up(&self, request: &Parts, token: &str)
        -> Result<SignedIn, AppError>;
        /// Checks the password and opens a session.
        async fn sign_in(
            &self,
            request: &Parts,
            email: &str,
            password: &str,
        ) -> Result<SignedIn, AppError>;
        /// Revokes the request's session; returns the `Set-Cookie` value that
        /// clears the cookie.
        async fn sign_out(&self, request: &Parts) -> Result<String, AppError>;
        /// The signed-in person, if the request carries a live session.
        async fn current_user(&self, request: &Parts) -> Result<Option<Me>, AppError>;
        /// Remembers the language of the signed-in person, if any.
        async fn set_locale(&self, request: &Parts, locale: Locale) -> Result<(), AppError>;
        /// Sends a forgotten password's link when the address has an
        /// account; the same answer either way.
        async fn request_password_reset(
            &self,
            request: &Parts,
            email: &str,
        ) -> Result<(), AppError>;
        /// Sets a new password with a reset link's token.
        async fn reset_password(
            &self,
            request: &Parts,
            token: &str,
            password: &str,
        ) -> Result<(), AppError>;
        /// Stops a granted re-access with the link sent to the channels on file.
        async fn stop_reaccess(&self, request: &Parts, token: &str) -> Result<(), AppError>;
    }
}

#[cfg(feature = "ssr")]
fn port_and_request() -> Result<(std::sync::Arc<dyn AuthPort>, http::request::Parts), AppError> {
    let port = use_context::<std::sync::Arc<dyn AuthPort>>().ok_or_else(AppError::internal)?;
    let parts = use_context::<http::request::Parts>().ok_or_else(AppError::internal)?;
    Ok((port, parts))
}

#[cfg(feature = "ssr")]
fn append_cookie(value: &str) -> Result<(), AppError> {
    let response = expect_context::<leptos_axum::ResponseOptions>();
    let header = http::HeaderValue::from_str(value).map_err(|_| AppError::internal())?;
    response.append_header(http::header::SET_COOKIE, header);
    Ok(())
}

/// The signed-in person, or `None`.
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "current_user")]
pub async fn current_user() -> Result<Option<Me>, AppError> {
    let (port, parts) = port_and_request()?;
    port.current_user(&parts).await
}

/// Starts a sign-up and goes to the page that says to check the inbox. The
/// same happens whether or not the address has an account.
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "sign_up")]
pub async fn sign_up(
    email: String,
    password: String,
    display_name: String,
    birth_date: String,
    locale: Option<Locale>,
) -> Result<(), AppError> {
    let (port, parts) = port_and_request()?;
    let form = SignUpForm {
        email,
        password,
        display_name,
        birth_date,
        locale,
    };
    port.sign_up(&parts, form).await?;
    leptos_axum::redirect(SIGN_UP_SENT_PATH);
    Ok(())
}

/// Where a sign-up goes once its e-mail is on the way.
pub const SIGN_UP_SENT_PATH: &str = "/signup/sent";

/// Finishes a sign-up with the token of its e-mail link, signs the new
/// account in and goes to its home.
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "verify_email")]
pub async fn verify_email(token: String) -> Result<(), AppError> {
    let (port, parts) = port_and_request()?;
    let signed_in = port.confirm_sign_up(&parts, &token).await?;
    append_cookie(&signed_in.set_cookie)?;
    leptos_axum::redirect(home_path(signed_in.role));
    Ok(())
}

/// Opens a session and goes to the role's home.
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "sign_in")]
pub async fn sign_in(email: String, password: String) -> Result<(), AppError> {
    let (port, parts) = port_and_request()?;
    let signed_in = port.sign_in(&parts, &email, &password).await?;
    append_cookie(&signed_in.set_cookie)?;
    leptos_axum::redirect(home_path(signed_in.role));
    Ok(())
}

/// Ends the session and goes to the start page.
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    let (port, parts) = port_and_request()?;
    let clear = port.sign_out(&parts).await?;
    append_cookie(&clear)?;
    leptos_axum::redirect("/");
    Ok(())
}

/// Remembers the chosen language in a cookie (and on the account when signed in).
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "set_locale")]
pub async fn set_locale(locale: Locale) -> Result<(), AppError> {
    let (port, parts) = port_and_request()?;
    port.set_locale(&parts, locale).await?;
    append_cookie(&crate::locale_cookie(locale))?;
    Ok(())
}

/// Where a reset request goes: the page that says to check the inbox.
pub const RESET_SENT_PATH: &str = "/forgot/sent";

/// Asks for a forgotten password's link and goes to the page that says to
/// check the inbox; the same whether or not the address has an account.
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "request_password_reset")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    let (port, parts) = port_and_request()?;
    port.request_password_reset(&parts, &email).await?;
    leptos_axum::redirect(RESET_SENT_PATH);
    Ok(())
}

/// Sets a new password with the token of a reset link, then goes to the
/// sign-in page (every session of the account has ended).
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "reset_password")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    let (port, parts) = port_and_request()?;
    port.reset_password(&parts, &token, &password).await?;
    leptos_axum::redirect("/login?reset=1");
    Ok(())
}

/// Stops a granted re-access during its hold.
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "stop_reaccess")]
pub async fn stop_reaccess(token: String) -> Result<(), AppError> {
    let (port, parts) = port_and_request()?;
    port.stop_reaccess(&parts, &token).await
}

/// Turns a server function's result into the error a form shows, if any.
#[must_use]
pub fn failure<T>(result: Option<Result<T, AppError>>) -> Option<AppError> {
    result.and_then(Result::err)
}
