//! Data-subject requests as the UI sees them, the port the server implements,
//! and the server functions the pages call.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One event of a request's timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// RFC 3339.
    pub at: String,
    /// `requester`, `officer`, `admin` or `system`.
    pub actor: String,
    /// What happened.
    pub action: domain::requests::Event,
    /// Why, or the message.
    pub note: Option<String>,
    /// The due instant after the event, when it changed it.
    pub due_after: Option<String>,
}

/// A request with its clock and timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestCard {
    pub ack: String,
    pub kind: String,
    pub channel: String,
    pub status: String,
    pub policy: String,
    pub received_at: String,
    pub due_at: Option<String>,
    pub overdue: bool,
    pub late: bool,
    pub answer: Option<String>,
    /// Officers only.
    pub details: Option<String>,
    pub timeline: Vec<TimelineEntry>,
}

/// A notice in the inbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxNotice {
    pub kind: String,
    pub subject: String,
    pub body: String,
    /// RFC 3339.
    pub created_at: String,
}

/// The officer's dashboard figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DashboardFigures {
    pub open: u64,
    pub overdue: u64,
    pub due_soon: u64,
    pub on_time_rate: Option<f64>,
    pub median_days_to_answer: Option<f64>,
}

/// The acknowledgment of a request just filed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filed {
    pub ack: String,
    pub status: String,
    pub policy: String,
    pub due_at: Option<String>,
    /// For following it without an account; shown once.
    pub tracking_token: Option<String>,
}

/// A deadline policy as stored, with its version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyRow {
    pub version: i32,
    /// RFC 3339.
    pub updated_at: String,
    pub rules: domain::deadlines::DeadlinePolicy,
}

/// One entry of the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub seq: i64,
    /// RFC 3339.
    pub at: String,
    pub actor_role: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

/// The latest audit entries and whether the chain verifies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditOverview {
    pub chain_intact: bool,
    pub broken_at: Option<i64>,
    pub entries: Vec<AuditRow>,
}

/// The register's filters as the officer sets them (empty = any).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterFilters {
    pub status: String,
    pub kind: String,
    /// `me`, `none` or empty.
    pub assignee: String,
    pub overdue_only: bool,
    /// Open requests due within this many days.
    pub due_within_days: Option<i64>,
    /// Continue after this cursor (the `next` of the previous page).
    pub after: Option<String>,
}

/// One page of the register.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterRows {
    pub rows: Vec<RequestCard>,
    /// Where the next page starts; absent on the last.
    pub next: Option<String>,
}

/// An item the officer withholds, with the reason.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WithheldItem {
    pub item: String,
    pub reason: String,
}

#[cfg(feature = "ssr")]
pub use ssr::{FileForm, RequestsPort};

#[cfg(feature = "ssr")]
mod ssr {
    use super::{
        AuditOverview, DashboardFigures, Filed, InboxNotice, PolicyRow, RegisterFilters,
        RegisterRows, RequestCard, WithheldItem,
    };
    use crate::error::AppError;
    use http::request::Parts;

    /// A request form as posted.
    #[derive(Clone, Debug)]
    pub struct FileForm {
        pub kind: String,
        pub channel: String,
        pub details: String,
        pub contact_email: Option<String>,
        pub verification: Option<String>,
        pub idempotency_key: Option<String>,
    }

    /// The server's request service, as the UI needs it.
    #[async_trait::async_trait]
    pub trait RequestsPort: Send + Sync + 'static {
        /// Files a request (with or without a session).
        async fn file(&self, request: &Parts, form: FileForm) -> Result<Filed, AppError>;
        /// The signed-in holder's requests.
        async fn mine(&self, request: &Parts) -> Result<Vec<RequestCard>, AppError>;
        /// One request, for its requester (session or token) or staff.
        async fn one(
            &self,
            request: &Parts,
            ack: &str,
            token: Option<&str>,
        ) -> Result<RequestCard, AppError>;
        /// The officer's register.
        async fn register(
            &self,
            request: &Parts,
            filters: RegisterFilters,
        ) -> Result<RegisterRows, AppError>;
        /// An officer's action: `verify-identity`, `request-info`, `extend`,
        /// `fulfil`, `refuse`, `assign`; `text` is the message, reason or summary.
        async fn act(
            &self,
            request: &Parts,
            ack: &str,
            action: &str,
            text: &str,
            days: Option<u32>,
            withheld: Vec<WithheldItem>,
        ) -> Result<RequestCard, AppError>;
        /// The deadline policies (administrators).
        async fn policies(&self, request: &Parts) -> Result<Vec<PolicyRow>, AppError>;
        /// Replaces a policy's rules (administrators); new requests only.
        async fn save_policy(
            &self,
            request: &Parts,
            rules: domain::deadlines::DeadlinePolicy,
        ) -> Result<PolicyRow, AppError>;
        /// The audit log (administrators).
        async fn audit(&self, request: &Parts) -> Result<AuditOverview, AppError>;
        /// The signed-in person's inbox.
        async fn inbox(&self, request: &Parts) -> Result<Vec<InboxNotice>, AppError>;
        /// The officer's dashboard.
        async fn dashboard(&self, request: &Parts) -> Result<DashboardFigures, AppError>;
        /// The requester's reply.
        async fn reply(
            &self,
            request: &Parts,
            ack: &str,
            token: Option<&str>,
            message: &str,
        ) -> Result<RequestCard, AppError>;
    }
}

#[cfg(feature = "ssr")]
fn port() -> Result<(std::sync::Arc<dyn RequestsPort>, http::request::Parts), AppError> {
    let port = use_context::<std::sync::Arc<dyn RequestsPort>>().ok_or_else(AppError::internal)?;
    let parts = use_context::<http::request::Parts>().ok_or_else(AppError::internal)?;
    Ok((port, parts))
}

/// Files a request.
#[server(prefix = "/sfn", endpoint = "file_request")]
pub async fn file_request(
    kind: String,
    channel: String,
    details: String,
    contact_email: Option<String>,
    verification: Option<String>,
    idempotency_key: Option<String>,
) -> Result<Filed, AppError> {
    let (port, parts) = port()?;
    port.file(
        &parts,
        FileForm {
            kind,
            channel,
            details,
            contact_email,
            verification,
            idempotency_key,
        },
    )
    .await
}

/// The signed-in holder's requests.
#[server(prefix = "/sfn", endpoint = "my_requests")]
pub async fn my_requests() -> Result<Vec<RequestCard>, AppError> {
    let (port, parts) = port()?;
    port.mine(&parts).await
}

/// One request with its timeline.
#[server(prefix = "/sfn", endpoint = "track_request")]
pub async fn track_request(ack: String, token: Option<String>) -> Result<RequestCard, AppError> {
    let (port, parts) = port()?;
    port.one(&parts, &ack, token.as_deref().filter(|t| !t.is_empty()))
        .await
}

/// The officer's register.
#[server(prefix = "/sfn", endpoint = "register", input = server_fn::codec::Json)]
pub async fn register(filters: RegisterFilters) -> Result<RegisterRows, AppError> {
    let (port, parts) = port()?;
    port.register(&parts, filters).await
}

/// An officer's action on a request.
#[server(prefix = "/sfn", endpoint = "officer_act", input = server_fn::codec::Json)]
pub async fn officer_act(
    ack: String,
    action: String,
    text: String,
    days: Option<u32>,
    withheld: Vec<WithheldItem>,
) -> Result<RequestCard, AppError> {
    let (port, parts) = port()?;
    port.act(&parts, &ack, &action, &text, days, withheld).await
}

/// The deadline policies (administrators).
#[server(prefix = "/sfn", endpoint = "admin_policies")]
pub async fn admin_policies() -> Result<Vec<PolicyRow>, AppError> {
    let (port, parts) = port()?;
    port.policies(&parts).await
}

/// Replaces a deadline policy's rules (administrators).
#[server(prefix = "/sfn", endpoint = "save_policy", input = server_fn::codec::Json)]
pub async fn save_policy(rules: domain::deadlines::DeadlinePolicy) -> Result<PolicyRow, AppError> {
    let (port, parts) = port()?;
    port.save_policy(&parts, rules).await
}

/// The audit log (administrators).
#[server(prefix = "/sfn", endpoint = "audit_log")]
pub async fn audit_log() -> Result<AuditOverview, AppError> {
    let (port, parts) = port()?;
    port.audit(&parts).await
}

/// The requester's reply.
#[server(prefix = "/sfn", endpoint = "reply_request")]
pub async fn reply_request(
    ack: String,
    token: Option<String>,
    message: String,
) -> Result<RequestCard, AppError> {
    let (port, parts) = port()?;
    port.reply(
        &parts,
        &ack,
        token.as_deref().filter(|t| !t.is_empty()),
        &message,
    )
    .await
}

/// The signed-in person's inbox.
#[server(prefix = "/sfn", endpoint = "inbox")]
pub async fn inbox() -> Result<Vec<InboxNotice>, AppError> {
    let (port, parts) = port()?;
    port.inbox(&parts).await
}

/// The officer's dashboard.
#[server(prefix = "/sfn", endpoint = "dashboard")]
pub async fn dashboard() -> Result<DashboardFigures, AppError> {
    let (port, parts) = port()?;
    port.dashboard(&parts).await
}
