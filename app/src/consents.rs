//! Consents as the UI and the API show them (DESIGN §2): each feature with
//! its state and what turning it off stops, the receipts of every change,
//! and what the product's apps hand over while a feature is on.

use crate::error::AppError;
use domain::consent::{ConsentChannel, ConsentState, Feature};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One feature and where it stands for the holder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ConsentView {
    pub feature: Feature,
    pub state: ConsentState,
    /// Sensitive personal information (PIPL art. 28).
    pub sensitive: bool,
    /// Whether "turn off and clear" deletes data (and asks for the password).
    pub clears_data: bool,
    /// When it last changed (RFC 3339), if ever.
    pub changed_at: Option<String>,
    /// Where the rule comes from.
    pub source: String,
}

/// A grant or a withdrawal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ConsentChange {
    pub granted: bool,
    /// With `granted: false`: delete what the feature collected, in the same
    /// change (needs the password again within 5 minutes).
    #[serde(default)]
    pub clear: bool,
}

/// The receipt of one change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ConsentReceipt {
    /// RFC 3339.
    pub at: String,
    pub feature: Feature,
    pub state: ConsentState,
    /// The privacy-policy version in force.
    pub policy_version: String,
    pub channel: ConsentChannel,
    /// The feature's data was deleted with it.
    pub cleared: bool,
    /// How many items were deleted.
    pub cleared_items: u64,
}

/// What an app hands over for a feature; each feature reads its fields:
/// `location` `{lat, lon, at?, accuracy_m?}`, `steps` `{date, steps}`,
/// `contacts` `{numbers}`, `voiceprint` `{sample_id}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct Collected {
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// RFC 3339; now when absent.
    pub at: Option<String>,
    /// Metres, 0 to 100,000.
    pub accuracy_m: Option<i32>,
    /// `YYYY-MM-DD`, in the holder's time zone.
    pub date: Option<String>,
    pub steps: Option<u32>,
    /// Phone numbers in international form, at most 5,000.
    pub numbers: Option<Vec<String>>,
    pub sample_id: Option<String>,
}

/// How many items a collection stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Stored {
    pub stored: u64,
}

#[cfg(feature = "ssr")]
pub use ssr::ConsentsPort;

#[cfg(feature = "ssr")]
mod ssr {
    use super::{ConsentChange, ConsentReceipt, ConsentView};
    use crate::error::AppError;
    use domain::consent::Feature;
    use http::request::Parts;

    /// The server's consent service, as the UI needs it.
    #[async_trait::async_trait]
    pub trait ConsentsPort: Send + Sync + 'static {
        /// Every feature with its state.
        async fn list(&self, request: &Parts) -> Result<Vec<ConsentView>, AppError>;
        /// Grants or withdraws one.
        async fn change(
            &self,
            request: &Parts,
            feature: Feature,
            change: ConsentChange,
        ) -> Result<ConsentView, AppError>;
        /// The receipts, newest first.
        async fn history(&self, request: &Parts) -> Result<Vec<ConsentReceipt>, AppError>;
    }
}

#[cfg(feature = "ssr")]
fn port() -> Result<(std::sync::Arc<dyn ConsentsPort>, http::request::Parts), AppError> {
    let port = use_context::<std::sync::Arc<dyn ConsentsPort>>().ok_or_else(AppError::internal)?;
    let parts = use_context::<http::request::Parts>().ok_or_else(AppError::internal)?;
    Ok((port, parts))
}

/// Every feature with its state.
#[server(prefix = "/sfn", endpoint = "consents")]
pub async fn consents() -> Result<Vec<ConsentView>, AppError> {
    let (port, parts) = port()?;
    port.list(&parts).await
}

/// Grants or withdraws a feature.
#[server(prefix = "/sfn", endpoint = "change_consent", input = server_fn::codec::Json)]
pub async fn change_consent(
    feature: Feature,
    change: ConsentChange,
) -> Result<ConsentView, AppError> {
    let (port, parts) = port()?;
    port.change(&parts, feature, change).await
}

/// The receipts of every change, newest first.
#[server(prefix = "/sfn", endpoint = "consent_history")]
pub async fn consent_history() -> Result<Vec<ConsentReceipt>, AppError> {
    let (port, parts) = port()?;
    port.history(&parts).await
}
