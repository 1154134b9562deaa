//! Exports as the UI and the API show them (DESIGN §2, the right to a copy
//! and to portability): an archive of the whole account or of chosen
//! categories, built in the background, downloadable for 7 days after the
//! password again.

use crate::error::AppError;
use domain::data::Category;
use domain::export::{ExportOrigin, ExportStatus};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One export and where it stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ExportView {
    pub id: String,
    pub status: ExportStatus,
    /// 0–100; 100 once ready.
    pub progress: i32,
    /// The categories it holds (every one for the whole account).
    pub categories: Vec<Category>,
    /// Whether it is the whole account.
    pub whole_account: bool,
    /// The holder's own, or attached to their request by the privacy officer.
    pub origin: ExportOrigin,
    /// The acknowledgment number of that request.
    pub request_ack: Option<String>,
    /// RFC 3339.
    pub created_at: String,
    pub ready_at: Option<String>,
    /// Until when it can be downloaded.
    pub expires_at: Option<String>,
    /// The archive's size in bytes, once ready.
    pub size_bytes: Option<i64>,
    /// The archive's SHA-256 (hex), once ready.
    pub sha256: Option<String>,
    /// `GET` it (after `POST /api/v1/auth/reauth`) while ready.
    pub download_url: Option<String>,
}

/// What to export: every category when `categories` is absent or empty.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewExport {
    #[serde(default)]
    pub categories: Option<Vec<Category>>,
}

/// The export just queued.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ExportQueued {
    pub export_id: String,
    pub export: ExportView,
}

#[cfg(feature = "ssr")]
pub use ssr::ExportsPort;

#[cfg(feature = "ssr")]
mod ssr {
    use super::{ExportView, NewExport};
    use crate::error::AppError;
    use http::request::Parts;

    /// The server's export service, as the UI needs it.
    #[async_trait::async_trait]
    pub trait ExportsPort: Send + Sync + 'static {
        async fn list(&self, request: &Parts) -> Result<Vec<ExportView>, AppError>;
        async fn start(&self, request: &Parts, new: NewExport) -> Result<ExportView, AppError>;
        async fn remove(&self, request: &Parts, id: &str) -> Result<(), AppError>;
    }
}

#[cfg(feature = "ssr")]
fn port() -> Result<(std::sync::Arc<dyn ExportsPort>, http::request::Parts), AppError> {
    let port = use_context::<std::sync::Arc<dyn ExportsPort>>().ok_or_else(AppError::internal)?;
    let parts = use_context::<http::request::Parts>().ok_or_else(AppError::internal)?;
    Ok((port, parts))
}

/// The holder's exports, newest first.
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "my_exports")]
pub async fn my_exports() -> Result<Vec<ExportView>, AppError> {
    let (port, parts) = port()?;
    port.list(&parts).await
}

/// Queues an export of the chosen categories (all when none).
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "start_export", input = server_fn::codec::Json)]
pub async fn start_export(new: NewExport) -> Result<ExportView, AppError> {
    let (port, parts) = port()?;
    port.start(&parts, new).await
}

/// Cancels a running export or removes a finished one.
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "remove_export")]
pub async fn remove_export(id: String) -> Result<(), AppError> {
    let (port, parts) = port()?;
    port.remove(&parts, &id).await
}
