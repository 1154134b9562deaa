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
    /// Granted, but paused until the holder accepts the current privacy
    /// policy: nothing is collected meanwhile (guideline §7).
    #[serde(default)]
    pub paused_for_policy: bool,
    /// The request carries Global Privacy Control (`Sec-GPC: 1`), which keeps
    /// this feature off.
    #[serde(default)]
    pub gpc: bool,
}

/// A grant or a withdrawal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ConsentChange {
    pub granted: bool,
    /// With `granted: false`: delete what the feature collected, in the same
    /// change (needs the password again within 5 minutes).
    #[serde(default)]
    pub clear: bool,
    /// A holder aged 13–17 granting a sensitive feature: the parent's or
    /// guardian's address, which gets a link to confirm it (7 days, once).
    #[serde(default)]
    pub guardian_email: Option<String>,
}

/// The receipt of one change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ConsentReceipt {
    /// RFC 3339.
    pub at: String,
    /// The feature; absent (null) for accepting a privacy-policy version,
    /// which is recorded as `granted` with that version.
    pub feature: Option<Feature>,
    pub state: ConsentState,
    /// The privacy-policy version in force (or accepted).
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

/// A privacy-policy version as published (guideline §7).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PolicyVersion {
    #[cfg_attr(feature = "ssr", schema(example = "2027-01"))]
    pub version: String,
    /// What changed, in plain words.
    pub summary: String,
    /// RFC 3339.
    pub published_at: String,
}

/// Where the holder stands with the privacy policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PolicyStatus {
    /// The version in force.
    pub current: PolicyVersion,
    /// The holder has accepted it; until they do, consent-based features
    /// stay off.
    pub accepted: bool,
}

/// Accepting a version: it must be the one in force.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PolicyAcceptance {
    pub version: String,
}

/// A version an administrator publishes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct NewPolicy {
    /// 1–32 letters, digits, '.', '-' or '_'.
    #[cfg_attr(feature = "ssr", schema(example = "2027-01"))]
    pub version: String,
    /// What changed, 1–4,000 characters.
    pub summary: String,
}

/// A guardian's link, as the guardian's page and the API send it back.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct GuardianLink {
    pub token: String,
}

/// What a guardian is asked to confirm.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GuardianAsk {
    /// The minor's display name.
    pub holder: String,
    pub feature: Feature,
    /// RFC 3339: the link works until then.
    pub expires_at: String,
    /// Already confirmed (the link worked once).
    pub confirmed: bool,
}

#[cfg(feature = "ssr")]
pub use ssr::ConsentsPort;

#[cfg(feature = "ssr")]
mod ssr {
    use super::{
        ConsentChange, ConsentReceipt, ConsentView, GuardianAsk, NewPolicy, PolicyStatus,
        PolicyVersion,
    };
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
        /// Every published privacy-policy version, newest first.
        async fn policies(&self) -> Result<Vec<PolicyVersion>, AppError>;
        /// Accepts the version in force.
        async fn accept_policy(
            &self,
            request: &Parts,
            version: String,
        ) -> Result<PolicyStatus, AppError>;
        /// Publishes a version (administrators).
        async fn publish_policy(
            &self,
            request: &Parts,
            policy: NewPolicy,
        ) -> Result<PolicyVersion, AppError>;
        /// What a guardian's link asks.
        async fn guardian_ask(&self, token: String) -> Result<GuardianAsk, AppError>;
        /// The guardian confirms.
        async fn confirm_guardian(&self, token: String) -> Result<GuardianAsk, AppError>;
    }
}

#[cfg(feature = "ssr")]
fn port() -> Result<(std::sync::Arc<dyn ConsentsPort>, http::request::Parts), AppError> {
    let port = use_context::<std::sync::Arc<dyn ConsentsPort>>().ok_or_else(AppError::internal)?;
    let parts = use_context::<http::request::Parts>().ok_or_else(AppError::internal)?;
    Ok((port, parts))
}

/// Every feature with its state.
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "consents")]
pub async fn consents() -> Result<Vec<ConsentView>, AppError> {
    let (port, parts) = port()?;
    port.list(&parts).await
}

/// Grants or withdraws a feature.
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "change_consent", input = server_fn::codec::Json)]
pub async fn change_consent(
    feature: Feature,
    change: ConsentChange,
) -> Result<ConsentView, AppError> {
    let (port, parts) = port()?;
    port.change(&parts, feature, change).await
}

/// The receipts of every change, newest first.
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "consent_history")]
pub async fn consent_history() -> Result<Vec<ConsentReceipt>, AppError> {
    let (port, parts) = port()?;
    port.history(&parts).await
}

/// Every published privacy-policy version, newest first.
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "privacy_policies")]
pub async fn privacy_policies() -> Result<Vec<PolicyVersion>, AppError> {
    let (port, _) = port()?;
    port.policies().await
}

/// Accepts the privacy-policy version in force.
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "accept_policy")]
pub async fn accept_policy(version: String) -> Result<PolicyStatus, AppError> {
    let (port, parts) = port()?;
    port.accept_policy(&parts, version).await
}

/// Publishes a privacy-policy version (administrators).
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "publish_policy", input = server_fn::codec::Json)]
pub async fn publish_policy(policy: NewPolicy) -> Result<PolicyVersion, AppError> {
    let (port, parts) = port()?;
    port.publish_policy(&parts, policy).await
}

/// What a guardian's link asks.
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "guardian_lookup")]
pub async fn guardian_lookup(token: String) -> Result<GuardianAsk, AppError> {
    let (port, _) = port()?;
    port.guardian_ask(token).await
}

/// The guardian confirms.
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "confirm_guardian")]
pub async fn confirm_guardian(token: String) -> Result<GuardianAsk, AppError> {
    let (port, _) = port()?;
    port.confirm_guardian(token).await
}
