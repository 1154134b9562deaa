//! The app's ports, implemented by the server's services: what the server
//! functions of the UI call.

use crate::accounts::Accounts;
use crate::api::extract_client_ip;
use app::auth::{AuthPort, Me, SignUpForm, SignedIn};
use app::error::AppError;
use domain::Locale;
use http::request::Parts;
use std::sync::Arc;

/// [`AuthPort`] over the account and session services.
pub struct WebAuth {
    accounts: Arc<Accounts>,
}

impl WebAuth {
    /// The port.
    #[must_use]
    pub fn new(accounts: Arc<Accounts>) -> Self {
        WebAuth { accounts }
    }
}

#[async_trait::async_trait]
impl AuthPort for WebAuth {
    async fn sign_up(&self, form: SignUpForm) -> Result<String, AppError> {
        self.accounts
            .sign_up(form)
            .await
            .map(|id| id.to_string())
            .map_err(|e| e.into_app_error())
    }

    async fn sign_in(
        &self,
        request: &Parts,
        email: &str,
        password: &str,
    ) -> Result<SignedIn, AppError> {
        let signed_in = self
            .accounts
            .sign_in(email, password, extract_client_ip(request))
            .await
            .map_err(|e| e.into_app_error())?;
        let set_cookie = self.accounts.sessions().session_cookie(&signed_in.token);
        Ok(SignedIn {
            token: signed_in.token,
            role: signed_in.role,
            set_cookie,
        })
    }

    async fn sign_out(&self, request: &Parts) -> Result<String, AppError> {
        let sessions = self.accounts.sessions();
        if let Some(me) = sessions
            .principal(&request.headers)
            .await
            .map_err(|e| e.into_app_error())?
        {
            sessions.revoke(&me).await.map_err(|e| e.into_app_error())?;
        }
        Ok(sessions.clear_cookie())
    }

    async fn current_user(&self, request: &Parts) -> Result<Option<Me>, AppError> {
        let principal = self
            .accounts
            .sessions()
            .principal(&request.headers)
            .await
            .map_err(|e| e.into_app_error())?;
        Ok(principal.map(|p| Me {
            account_id: p.account_id.to_string(),
            display_name: p.display_name,
            role: p.role,
            locale: p.locale,
            minor: p.minor,
        }))
    }

    async fn set_locale(&self, request: &Parts, locale: Locale) -> Result<(), AppError> {
        let principal = self
            .accounts
            .sessions()
            .principal(&request.headers)
            .await
            .map_err(|e| e.into_app_error())?;
        match principal {
            Some(me) => self
                .accounts
                .set_locale(&me, locale)
                .await
                .map_err(|e| e.into_app_error()),
            None => Ok(()),
        }
    }
}
