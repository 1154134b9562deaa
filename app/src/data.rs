//! The holder's personal data as the UI and the API show it (DESIGN §3), the
//! port the server implements, and the server functions the pages call.

use crate::error::AppError;
use domain::data::Category;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One value of an item, ready to show: `key` names it (translated by the
/// UI's terms), `value` is the text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DataField {
    pub key: String,
    pub value: String,
}

/// One item of a category.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DataItem {
    /// The item's ID, for `DELETE /api/v1/me/data/{category}/{id}`.
    pub id: String,
    /// When it happened or was recorded (RFC 3339), when it has a time.
    pub at: Option<String>,
    /// A day without a time (step counts), `YYYY-MM-DD`.
    pub day: Option<String>,
    pub fields: Vec<DataField>,
    /// Whether the holder can delete it.
    pub deletable: bool,
}

/// One page of a category, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DataPage {
    pub category: Category,
    /// The holder's time zone: times are shown in it.
    pub time_zone: String,
    pub items: Vec<DataItem>,
    /// Pass as `?cursor=` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
    /// Whether the whole category can be cleared.
    pub clearable: bool,
}

/// A category with its item count, its oldest and newest item and, for the
/// categories a consent governs, whether collection is on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CategoryCount {
    pub category: Category,
    pub count: u64,
    /// When the oldest item happened (RFC 3339, or `YYYY-MM-DD` for days).
    #[serde(default)]
    pub oldest: Option<String>,
    /// When the newest item happened (as `oldest`).
    #[serde(default)]
    pub newest: Option<String>,
    /// For the categories a consent governs (location, steps, contacts,
    /// cards): whether it lets collection run now.
    #[serde(default)]
    pub collecting: Option<bool>,
}

/// The overview: every category, and the time zone its instants are shown in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataSummary {
    pub time_zone: String,
    pub categories: Vec<CategoryCount>,
}

/// What a category page is narrowed to: one conversation (messages), a
/// range of days in the holder's time zone (`YYYY-MM-DD`, both inclusive,
/// either open), a text to search for (messages and posts).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataFilter {
    #[serde(default)]
    pub conversation: Option<String>,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub q: Option<String>,
}

impl DataFilter {
    /// Whether anything narrows the page.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        [&self.conversation, &self.from, &self.to, &self.q]
            .iter()
            .all(|v| v.as_deref().is_none_or(|v| v.trim().is_empty()))
    }
}

/// A friend, as the settings lists name them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FriendRef {
    pub id: String,
    pub name: String,
}

/// The privacy settings with the per-friend lists.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SettingsView {
    pub settings: domain::data::PrivacySettings,
    /// Friends who do not see my posts.
    pub dont_share: Vec<String>,
    /// Friends whose posts I hide.
    pub hide: Vec<String>,
    /// Every friend, for choosing.
    pub friends: Vec<FriendRef>,
}

/// One correction: a field and its new value (`None` clears it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Correction {
    pub field: String,
    pub value: Option<String>,
}

#[cfg(feature = "ssr")]
pub use ssr::DataPort;

#[cfg(feature = "ssr")]
mod ssr {
    use super::{Correction, DataFilter, DataPage, DataSummary, SettingsView};
    use crate::error::AppError;
    use http::request::Parts;

    /// The server's personal-data service, as the UI needs it.
    #[async_trait::async_trait]
    pub trait DataPort: Send + Sync + 'static {
        async fn overview(&self, request: &Parts) -> Result<DataSummary, AppError>;
        async fn page(
            &self,
            request: &Parts,
            category: &str,
            cursor: Option<String>,
            filter: DataFilter,
        ) -> Result<DataPage, AppError>;
        /// Every item of a range for a chart: up to 400 days of steps or
        /// 5,000 location points, newest first.
        async fn series(
            &self,
            request: &Parts,
            category: &str,
            filter: DataFilter,
        ) -> Result<DataPage, AppError>;
        /// Deletes the items of a range of days; answers how many went.
        async fn delete_range(
            &self,
            request: &Parts,
            category: &str,
            from: Option<String>,
            to: Option<String>,
        ) -> Result<u64, AppError>;
        async fn correct(
            &self,
            request: &Parts,
            corrections: Vec<Correction>,
        ) -> Result<DataPage, AppError>;
        async fn delete(&self, request: &Parts, category: &str, id: &str) -> Result<(), AppError>;
        async fn clear(&self, request: &Parts, category: &str) -> Result<u64, AppError>;
        async fn settings(&self, request: &Parts) -> Result<SettingsView, AppError>;
        async fn save_settings(
            &self,
            request: &Parts,
            settings: SettingsView,
        ) -> Result<SettingsView, AppError>;
        /// The requester's data through a request assigned to the officer (audited).
        async fn officer_page(
            &self,
            request: &Parts,
            ack: &str,
            category: &str,
            cursor: Option<String>,
        ) -> Result<DataPage, AppError>;
        /// The holder's posts as `viewer` (`me`, `stranger`, a friend's ID) sees them.
        async fn posts_seen_by(&self, request: &Parts, viewer: &str) -> Result<DataPage, AppError>;
        /// Adds an emergency contact (inside the re-authentication window).
        async fn add_contact(
            &self,
            request: &Parts,
            name: &str,
            mobile: &str,
        ) -> Result<(), AppError>;
        /// The password again: opens the 5-minute window for security changes.
        async fn reauth(&self, request: &Parts, password: &str) -> Result<(), AppError>;
    }
}

#[cfg(feature = "ssr")]
fn port() -> Result<(std::sync::Arc<dyn DataPort>, http::request::Parts), AppError> {
    let port = use_context::<std::sync::Arc<dyn DataPort>>().ok_or_else(AppError::internal)?;
    let parts = use_context::<http::request::Parts>().ok_or_else(AppError::internal)?;
    Ok((port, parts))
}

/// Every category with its count.
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "data_overview")]
pub async fn data_overview() -> Result<DataSummary, AppError> {
    let (port, parts) = port()?;
    port.overview(&parts).await
}

/// One page of a category.
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "fetch_data_page", input = server_fn::codec::Json)]
pub async fn fetch_data_page(
    category: String,
    cursor: Option<String>,
    filter: DataFilter,
) -> Result<DataPage, AppError> {
    let (port, parts) = port()?;
    port.page(&parts, &category, cursor, filter).await
}

/// Every item of a range, for the steps chart and the location plot.
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "data_series", input = server_fn::codec::Json)]
pub async fn data_series(category: String, filter: DataFilter) -> Result<DataPage, AppError> {
    let (port, parts) = port()?;
    port.series(&parts, &category, filter).await
}

/// Deletes the items of a range of days; answers how many went.
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "delete_data_range")]
pub async fn delete_data_range(
    category: String,
    from: Option<String>,
    to: Option<String>,
) -> Result<u64, AppError> {
    let (port, parts) = port()?;
    port.delete_range(&parts, &category, from, to).await
}

/// Corrects profile or security fields; answers the profile page.
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "correct_fields", input = server_fn::codec::Json)]
pub async fn correct_fields(corrections: Vec<Correction>) -> Result<DataPage, AppError> {
    let (port, parts) = port()?;
    port.correct(&parts, corrections).await
}

/// Deletes one item.
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "delete_item")]
pub async fn delete_item(category: String, id: String) -> Result<(), AppError> {
    let (port, parts) = port()?;
    port.delete(&parts, &category, &id).await
}

/// Clears a category; answers how many items went.
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "clear_category")]
pub async fn clear_category(category: String) -> Result<u64, AppError> {
    let (port, parts) = port()?;
    port.clear(&parts, &category).await
}

/// The privacy settings.
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "privacy_settings")]
pub async fn privacy_settings() -> Result<SettingsView, AppError> {
    let (port, parts) = port()?;
    port.settings(&parts).await
}

/// Saves the privacy settings.
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "save_privacy_settings", input = server_fn::codec::Json)]
pub async fn save_privacy_settings(settings: SettingsView) -> Result<SettingsView, AppError> {
    let (port, parts) = port()?;
    port.save_settings(&parts, settings).await
}

/// Enters the password again before a security change.
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "confirm_password")]
pub async fn confirm_password(password: String) -> Result<(), AppError> {
    let (port, parts) = port()?;
    port.reauth(&parts, &password).await
}

/// The requester's data of one category, for the officer the request is assigned to.
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "requester_data")]
pub async fn requester_data(
    ack: String,
    category: String,
    cursor: Option<String>,
) -> Result<DataPage, AppError> {
    let (port, parts) = port()?;
    port.officer_page(&parts, &ack, &category, cursor).await
}

/// The holder's posts as someone else sees them under the privacy settings.
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "preview_posts")]
pub async fn preview_posts(viewer: String) -> Result<DataPage, AppError> {
    let (port, parts) = port()?;
    port.posts_seen_by(&parts, &viewer).await
}

/// Adds an emergency contact.
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "add_emergency_contact")]
pub async fn add_emergency_contact(name: String, mobile: String) -> Result<(), AppError> {
    let (port, parts) = port()?;
    port.add_contact(&parts, &name, &mobile).await
}
