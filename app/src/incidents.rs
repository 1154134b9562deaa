//! Incident notices as the UI and the API see them (Weixin guideline §3,
//! PIPL art. 57): an administrator drafts one in both languages, chooses who
//! is affected and publishes it; affected holders see it as a banner until
//! they acknowledge it, and in their inbox.
//!
//! The server functions hold no rules: each makes one call to the
//! [`IncidentsPort`] the server provides.

use crate::error::AppError;
use domain::incident::{Audience, IncidentContent};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A draft as the administrator sends it (create or change).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct IncidentDraft {
    pub content: IncidentContent,
    pub audience: Audience,
    /// The published notice this one updates (its ID); the update reaches
    /// the same people unless another audience is chosen.
    #[serde(default)]
    pub follows: Option<String>,
}

/// A notice as the administrator sees it, with its counts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct IncidentView {
    pub id: String,
    pub follows: Option<String>,
    pub content: IncidentContent,
    pub audience: Audience,
    /// `draft` or `published`.
    pub status: String,
    /// RFC 3339.
    pub created_at: String,
    pub published_at: Option<String>,
    /// Holders it was delivered to (inbox, banner, e-mail queued).
    pub delivered: u64,
    /// Of them, how many acknowledged it.
    pub acknowledged: u64,
    /// Of the e-mails, how many the outbox has sent.
    pub emailed: u64,
}

/// A notice as an affected holder sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HolderIncident {
    pub id: String,
    pub content: IncidentContent,
    /// RFC 3339.
    pub published_at: String,
    /// Whether this notice updates an earlier one.
    pub is_update: bool,
}

#[cfg(feature = "ssr")]
pub use ssr::IncidentsPort;

#[cfg(feature = "ssr")]
mod ssr {
    use super::{IncidentDraft, IncidentView};
    use crate::error::AppError;
    use http::request::Parts;

    /// The server's incident service, as the UI needs it.
    #[async_trait::async_trait]
    pub trait IncidentsPort: Send + Sync + 'static {
        async fn list(&self, request: &Parts) -> Result<Vec<IncidentView>, AppError>;
        async fn save(
            &self,
            request: &Parts,
            id: Option<String>,
            draft: IncidentDraft,
        ) -> Result<IncidentView, AppError>;
        async fn publish(&self, request: &Parts, id: &str) -> Result<IncidentView, AppError>;
        async fn acknowledge(&self, request: &Parts, id: &str) -> Result<(), AppError>;
    }
}

#[cfg(feature = "ssr")]
fn port() -> Result<(std::sync::Arc<dyn IncidentsPort>, http::request::Parts), AppError> {
    let port = use_context::<std::sync::Arc<dyn IncidentsPort>>().ok_or_else(AppError::internal)?;
    let parts = use_context::<http::request::Parts>().ok_or_else(AppError::internal)?;
    Ok((port, parts))
}

/// Every notice, newest first (administrators).
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "incidents")]
pub async fn incidents() -> Result<Vec<IncidentView>, AppError> {
    let (port, parts) = port()?;
    port.list(&parts).await
}

/// Saves a draft: a new one (`id` empty) or changes to one not yet published.
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "save_incident", input = server_fn::codec::Json)]
pub async fn save_incident(
    id: Option<String>,
    draft: IncidentDraft,
) -> Result<IncidentView, AppError> {
    let (port, parts) = port()?;
    port.save(&parts, id.filter(|i| !i.trim().is_empty()), draft)
        .await
}

/// Publishes a draft to the people it names.
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "publish_incident")]
pub async fn publish_incident(id: String) -> Result<IncidentView, AppError> {
    let (port, parts) = port()?;
    port.publish(&parts, &id).await
}

/// The caller has read a notice.
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "acknowledge_incident")]
pub async fn acknowledge_incident(id: String) -> Result<(), AppError> {
    let (port, parts) = port()?;
    port.acknowledge(&parts, &id).await
}
