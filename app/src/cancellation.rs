//! Cancelling the account, as the UI and the API show it (Weixin guideline
//! §6.5, QQ rules §10): a cooling-off period the holder can undo, then the
//! account is erased. A legal hold (freeze) stops both.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A cancellation in cooling-off.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CancellationView {
    /// RFC 3339: when the holder asked.
    pub requested_at: String,
    /// RFC 3339: when the account is erased (moved on by every hold).
    pub effective_at: String,
    /// Whole days left, rounded up.
    pub days_left: i64,
    /// A legal hold stops the clock: nothing happens until it is released.
    pub held: bool,
}

/// Where the caller's account stands: the cooling-off period in force, a
/// cancellation if one runs, and a legal hold's reason if one stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CancellationStatus {
    /// Days between asking and erasure (an administrator's setting).
    pub cooling_off_days: u32,
    pub pending: Option<CancellationView>,
    /// Set while the account is frozen; nothing can be deleted meanwhile.
    pub frozen_reason: Option<String>,
}

/// A legal hold: why.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct FreezeBody {
    /// Up to 500 characters; the holder may be told it.
    pub reason: String,
}

/// An account's hold as the administrator sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FreezeView {
    pub account_id: String,
    pub reason: String,
    /// RFC 3339.
    pub frozen_at: String,
    /// The account's cancellation, held, if it has one.
    pub cancellation: Option<CancellationView>,
}

/// Settings an administrator may change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PortalSettings {
    /// 1–90 days; 15 unless changed.
    pub cooling_off_days: i64,
    /// The line naming the regulator, and how to reach it, that ends every
    /// answer to a complaint (default: the Cyberspace Administration of
    /// China's reporting centre, 12377.cn).
    pub regulator_notice: String,
    /// 1–168 hours: how long a granted account re-access waits before its
    /// link opens, while the e-mail and mobile on file can stop it (24
    /// unless changed).
    #[serde(default)]
    pub reaccess_hold_hours: i64,
}

/// A change of settings: the ones given change, the rest stay.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct SettingsChange {
    /// 1–90 days.
    pub cooling_off_days: Option<i64>,
    /// 1–1,000 characters.
    pub regulator_notice: Option<String>,
    /// 1–168 hours.
    pub reaccess_hold_hours: Option<i64>,
}

#[cfg(feature = "ssr")]
pub use ssr::CancellationPort;

#[cfg(feature = "ssr")]
mod ssr {
    use super::{CancellationStatus, CancellationView, FreezeView, PortalSettings, SettingsChange};
    use crate::error::AppError;
    use http::request::Parts;

    /// The server's cancellation service, as the UI needs it.
    #[async_trait::async_trait]
    pub trait CancellationPort: Send + Sync + 'static {
        async fn status(&self, request: &Parts) -> Result<CancellationStatus, AppError>;
        async fn cancel(&self, request: &Parts) -> Result<CancellationView, AppError>;
        async fn undo(&self, request: &Parts) -> Result<(), AppError>;
        async fn settings(&self, request: &Parts) -> Result<PortalSettings, AppError>;
        async fn save_settings(
            &self,
            request: &Parts,
            change: SettingsChange,
        ) -> Result<PortalSettings, AppError>;
        async fn freeze(
            &self,
            request: &Parts,
            account_id: &str,
            reason: &str,
        ) -> Result<FreezeView, AppError>;
        async fn release(&self, request: &Parts, account_id: &str) -> Result<(), AppError>;
    }
}

#[cfg(feature = "ssr")]
fn port() -> Result<(std::sync::Arc<dyn CancellationPort>, http::request::Parts), AppError> {
    let port =
        use_context::<std::sync::Arc<dyn CancellationPort>>().ok_or_else(AppError::internal)?;
    let parts = use_context::<http::request::Parts>().ok_or_else(AppError::internal)?;
    Ok((port, parts))
}

/// Where the caller's account stands.
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "account_standing")]
pub async fn account_standing() -> Result<CancellationStatus, AppError> {
    let (port, parts) = port()?;
    port.status(&parts).await
}

/// Asks for the account to be erased after the cooling-off period (within
/// the re-authentication window).
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "cancel_account")]
pub async fn cancel_account() -> Result<CancellationView, AppError> {
    let (port, parts) = port()?;
    port.cancel(&parts).await
}

/// Undoes a cancellation in cooling-off.
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "undo_cancellation")]
pub async fn undo_cancellation() -> Result<(), AppError> {
    let (port, parts) = port()?;
    port.undo(&parts).await
}

/// The settings an administrator may change.
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "admin_settings")]
pub async fn admin_settings() -> Result<PortalSettings, AppError> {
    let (port, parts) = port()?;
    port.settings(&parts).await
}

/// Changes the settings given (administrators).
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "save_admin_settings", input = server_fn::codec::Json)]
pub async fn save_admin_settings(change: SettingsChange) -> Result<PortalSettings, AppError> {
    let (port, parts) = port()?;
    port.save_settings(&parts, change).await
}

/// Freezes an account for a legal hold (administrators).
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "place_hold")]
pub async fn place_hold(account_id: String, reason: String) -> Result<FreezeView, AppError> {
    let (port, parts) = port()?;
    port.freeze(&parts, account_id.trim(), &reason).await
}

/// Releases an account's legal hold (administrators).
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "lift_hold")]
pub async fn lift_hold(account_id: String) -> Result<(), AppError> {
    let (port, parts) = port()?;
    port.release(&parts, account_id.trim()).await
}
