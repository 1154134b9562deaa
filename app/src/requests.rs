//! Data-subject requests as the UI sees them, the port the server implements,
//! and the server functions the pages call.

use crate::error::AppError;
use domain::requests::complaint::{AttachmentType, ComplaintCategory};
use domain::requests::{Channel, Event, RequestKind, Status, Verb, Withheld};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One event of a request's timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EventView {
    /// RFC 3339, UTC.
    pub at: String,
    /// `requester`, `officer`, `admin` or `system`.
    pub actor: String,
    /// What happened.
    pub action: Event,
    /// Why, or the message.
    pub note: Option<String>,
    /// The due instant before the event, when it changed it.
    pub due_before: Option<String>,
    /// The due instant after the event, when it changed it.
    pub due_after: Option<String>,
}

/// A request with its clock and timeline, as its requester or an officer
/// sees it: the body of the REST API and of the server functions alike.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RequestView {
    #[cfg_attr(feature = "ssr", schema(example = "PR-2026-7K4Q-9MXD"))]
    pub ack: String,
    pub kind: RequestKind,
    pub channel: Channel,
    pub status: Status,
    /// The deadline policy it was received under.
    pub policy: String,
    pub policy_version: i32,
    /// The policy's IANA time zone: due instants are shown in it.
    pub time_zone: String,
    /// RFC 3339, UTC.
    pub received_at: String,
    pub clock_started_at: Option<String>,
    /// Absent until the clock starts (identity verification).
    pub due_at: Option<String>,
    pub overdue: bool,
    /// Closed after its due instant.
    pub late: bool,
    pub closed_at: Option<String>,
    pub answer: Option<String>,
    /// Staff only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee_id: Option<String>,
    /// Staff only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub timeline: Vec<EventView>,
    /// What a complaint is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<ComplaintCategory>,
    /// When an officer passed it to an administrator (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalated_at: Option<String>,
    /// The files that came with it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<AttachmentView>,
    /// Staff only, re-access requests: how the answers compared with what
    /// the account holds (never the stored values).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reaccess: Option<ReaccessCheck>,
    /// The server's instant when this view was made (RFC 3339): countdowns
    /// count from it, so they follow the server's clock, not the browser's.
    pub as_of: String,
}

/// A re-access request's check, for the officer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReaccessCheck {
    /// The score and its per-item table; absent when the request came
    /// without structured answers (free text only).
    pub card: Option<domain::recovery::Scorecard>,
    /// Other re-access requests for the same account in the 30 days before
    /// (acknowledgment numbers).
    pub other_requests: Vec<String>,
}

/// A file that came with a request; download it from
/// `/api/v1/requests/{ack}/attachments/{id}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AttachmentView {
    pub id: String,
    /// As the sender named it (cleaned of paths and control characters).
    pub name: String,
    /// What the content is, read from the bytes.
    pub file_type: AttachmentType,
    pub size_bytes: u64,
    /// RFC 3339, UTC.
    pub uploaded_at: String,
}

/// A request as filed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct NewRequest {
    #[cfg_attr(feature = "ssr", schema(value_type = RequestKind))]
    pub kind: String,
    /// `in_app` (signed in) or `privacy_officer`.
    #[cfg_attr(feature = "ssr", schema(value_type = Channel))]
    pub channel: String,
    pub details: String,
    /// Needed without a session.
    pub contact_email: Option<String>,
    /// Needed without a session: what lets us confirm who you are.
    pub verification: Option<String>,
    /// Complaints only, and needed for them: `data_use`, `marketing`,
    /// `security`, `another_user` or `other`.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<ComplaintCategory>))]
    pub category: Option<String>,
    /// Re-access requests: the account and the verification information of
    /// QQ terms §3.3, scored against what the account holds.
    #[serde(default)]
    pub reaccess: Option<domain::recovery::ReaccessAnswers>,
}

/// The acknowledgment of a request just filed, at once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Acknowledgment {
    #[cfg_attr(feature = "ssr", schema(example = "PR-2026-7K4Q-9MXD"))]
    pub ack: String,
    pub status: Status,
    /// The deadline policy the request was received under.
    pub policy: String,
    /// The policy's IANA time zone: the due instant is shown in it.
    pub time_zone: String,
    /// RFC 3339, UTC.
    pub received_at: String,
    /// Absent until the clock starts (identity verification).
    pub due_at: Option<String>,
    /// For following the request without a session (`?token=`); shown once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracking_token: Option<String>,
}

/// Information from the requester.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct NewMessage {
    pub message: String,
}

/// The body of an officer's action; each action reads the fields it needs:
/// `assign` `{assignee_id?}`, `request-info` `{message}`, `extend`
/// `{days?, reason}`, `fulfil` `{summary}`, `partly-fulfil` `{summary,
/// withheld}`, `refuse` `{reason}`, `note` `{text}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ActionBody {
    /// An officer's or administrator's account ID; the caller when absent.
    pub assignee_id: Option<String>,
    pub message: String,
    pub days: Option<u32>,
    pub reason: String,
    pub summary: String,
    pub withheld: Vec<Withheld>,
    pub text: String,
}

/// A notice in the inbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct InboxNotice {
    pub kind: String,
    pub subject: String,
    pub body: String,
    /// RFC 3339.
    pub created_at: String,
}

/// The officer's dashboard figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Metrics {
    /// Requests not yet closed.
    pub open: u64,
    /// Open and past their due instant.
    pub overdue: u64,
    /// Open, not overdue, due within 7 days.
    pub due_soon: u64,
    /// Share of requests closed in the last year that were answered in time (0–1).
    pub on_time_rate: Option<f64>,
    /// Median days from receipt to answer over the last year.
    pub median_days_to_answer: Option<f64>,
    /// Requests closed in the last year.
    pub closed_last_year: u64,
}

/// A deadline policy as stored, with its version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StoredPolicy {
    pub name: String,
    pub version: i32,
    pub rules: domain::deadlines::DeadlinePolicy,
    /// RFC 3339.
    pub updated_at: String,
}

/// One entry of the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub seq: i64,
    /// RFC 3339.
    pub at: String,
    pub actor_id: Option<String>,
    pub actor_role: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub hash: String,
}

/// The latest audit entries and whether the chain verifies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AuditPage {
    /// The whole chain verifies.
    pub chain_intact: bool,
    /// The first entry that does not, if any.
    pub broken_at: Option<i64>,
    pub entries: Vec<AuditEntry>,
}

/// The register's filters (absent or empty = any), as the REST query string
/// and the officer page send them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[serde(default)]
pub struct RegisterQuery {
    #[cfg_attr(feature = "ssr", param(value_type = Option<Status>))]
    pub status: Option<String>,
    /// A request kind, e.g. `deletion`.
    #[cfg_attr(feature = "ssr", param(value_type = Option<RequestKind>))]
    pub kind: Option<String>,
    /// `me`, `none` (unassigned) or an officer's account ID.
    pub assignee: Option<String>,
    /// Overdue requests only.
    pub overdue: Option<bool>,
    /// Requests passed to an administrator only (or, `false`, none of them).
    pub escalated: Option<bool>,
    /// Only `due` is supported: earliest due first.
    pub sort: Option<String>,
    /// Open requests due within this many days (0 to 3650).
    pub due_within_days: Option<i64>,
    /// Rows per page, 1 to 500 (100 when absent).
    pub limit: Option<u64>,
    /// Where the page starts: the cursor of the previous page.
    pub after: Option<String>,
}

/// One page of the register.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterRows {
    pub rows: Vec<RequestView>,
    /// Where the next page starts; absent on the last.
    pub next: Option<String>,
}

#[cfg(feature = "ssr")]
pub use ssr::RequestsPort;

#[cfg(feature = "ssr")]
mod ssr {
    use super::{
        Acknowledgment, ActionBody, AuditPage, InboxNotice, Metrics, NewRequest, RegisterQuery,
        RegisterRows, RequestView, StoredPolicy, Verb,
    };
    use crate::error::AppError;
    use http::request::Parts;

    /// The server's request service, as the UI needs it. Each method takes
    /// the wire types of the REST API; the server checks roles and input.
    #[async_trait::async_trait]
    pub trait RequestsPort: Send + Sync + 'static {
        /// Files a request (with or without a session).
        async fn file(
            &self,
            request: &Parts,
            form: NewRequest,
            idempotency_key: Option<String>,
        ) -> Result<Acknowledgment, AppError>;
        /// The signed-in holder's requests.
        async fn mine(&self, request: &Parts) -> Result<Vec<RequestView>, AppError>;
        /// One request, for its requester (session or token) or staff.
        async fn one(
            &self,
            request: &Parts,
            ack: &str,
            token: Option<&str>,
        ) -> Result<RequestView, AppError>;
        /// The officer's register.
        async fn register(
            &self,
            request: &Parts,
            query: RegisterQuery,
        ) -> Result<RegisterRows, AppError>;
        /// An officer's action.
        async fn act(
            &self,
            request: &Parts,
            ack: &str,
            verb: Verb,
            body: ActionBody,
        ) -> Result<RequestView, AppError>;
        /// The deadline policies (administrators).
        async fn policies(&self, request: &Parts) -> Result<Vec<StoredPolicy>, AppError>;
        /// Replaces a policy's rules (administrators); new requests only.
        async fn save_policy(
            &self,
            request: &Parts,
            rules: domain::deadlines::DeadlinePolicy,
        ) -> Result<StoredPolicy, AppError>;
        /// The audit log (administrators).
        async fn audit(&self, request: &Parts) -> Result<AuditPage, AppError>;
        /// The signed-in person's inbox.
        async fn inbox(&self, request: &Parts) -> Result<Vec<InboxNotice>, AppError>;
        /// The officer's dashboard.
        async fn dashboard(&self, request: &Parts) -> Result<Metrics, AppError>;
        /// The requester's reply.
        async fn reply(
            &self,
            request: &Parts,
            ack: &str,
            token: Option<&str>,
            message: &str,
        ) -> Result<RequestView, AppError>;
    }
}

#[cfg(feature = "ssr")]
fn port() -> Result<(std::sync::Arc<dyn RequestsPort>, http::request::Parts), AppError> {
    let port = use_context::<std::sync::Arc<dyn RequestsPort>>().ok_or_else(AppError::internal)?;
    let parts = use_context::<http::request::Parts>().ok_or_else(AppError::internal)?;
    Ok((port, parts))
}

/// Files a request.
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "file_request", input = server_fn::codec::Json)]
pub async fn file_request(
    request: NewRequest,
    idempotency_key: Option<String>,
) -> Result<Acknowledgment, AppError> {
    let (port, parts) = port()?;
    port.file(&parts, request, idempotency_key).await
}

/// The signed-in holder's requests.
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "my_requests")]
pub async fn my_requests() -> Result<Vec<RequestView>, AppError> {
    let (port, parts) = port()?;
    port.mine(&parts).await
}

/// One request with its timeline.
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "track_request")]
pub async fn track_request(ack: String, token: Option<String>) -> Result<RequestView, AppError> {
    let (port, parts) = port()?;
    port.one(&parts, &ack, token.as_deref().filter(|t| !t.is_empty()))
        .await
}

/// The officer's register.
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "register", input = server_fn::codec::Json)]
pub async fn register(query: RegisterQuery) -> Result<RegisterRows, AppError> {
    let (port, parts) = port()?;
    port.register(&parts, query).await
}

/// An officer's action on a request.
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "officer_act", input = server_fn::codec::Json)]
pub async fn officer_act(
    ack: String,
    verb: Verb,
    body: ActionBody,
) -> Result<RequestView, AppError> {
    let (port, parts) = port()?;
    port.act(&parts, &ack, verb, body).await
}

/// The deadline policies (administrators).
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "admin_policies")]
pub async fn admin_policies() -> Result<Vec<StoredPolicy>, AppError> {
    let (port, parts) = port()?;
    port.policies(&parts).await
}

/// Replaces a deadline policy's rules (administrators).
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "save_policy", input = server_fn::codec::Json)]
pub async fn save_policy(
    rules: domain::deadlines::DeadlinePolicy,
) -> Result<StoredPolicy, AppError> {
    let (port, parts) = port()?;
    port.save_policy(&parts, rules).await
}

/// The audit log (administrators).
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "audit_log")]
pub async fn audit_log() -> Result<AuditPage, AppError> {
    let (port, parts) = port()?;
    port.audit(&parts).await
}

/// The requester's reply.
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "reply_request")]
pub async fn reply_request(
    ack: String,
    token: Option<String>,
    message: String,
) -> Result<RequestView, AppError> {
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
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "inbox")]
pub async fn inbox() -> Result<Vec<InboxNotice>, AppError> {
    let (port, parts) = port()?;
    port.inbox(&parts).await
}

/// The officer's dashboard.
#[server(prefix = "/sfn", client = crate::transport::PortalClient, endpoint = "dashboard")]
pub async fn dashboard() -> Result<Metrics, AppError> {
    let (port, parts) = port()?;
    port.dashboard(&parts).await
}

/// Sends a file to `POST /api/v1/requests/{ack}/attachments` with the
/// browser's fetch (the body is the file itself; the session cookie or the
/// tracking code says who sends it). The server checks size and type by
/// content; its refusal comes back as the API's error.
///
/// # Errors
/// The API's error, or `unreachable` when the portal could not be reached.
#[cfg(feature = "browser")]
pub async fn upload_attachment(
    ack: &str,
    token: Option<&str>,
    file: &web_sys::File,
) -> Result<AttachmentView, AppError> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let unreachable = |_| {
        AppError::new(
            0,
            "unreachable",
            "The portal could not be reached. Check your connection.",
        )
    };
    let mut url = crate::transport::portal_url(&format!(
        "/api/v1/requests/{}/attachments?name={}",
        js_sys::encode_uri_component(ack),
        js_sys::encode_uri_component(&file.name())
    ));
    if let Some(token) = token.filter(|t| !t.is_empty()) {
        url.push_str("&token=");
        url.push_str(&String::from(js_sys::encode_uri_component(token)));
    }
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(file);
    // The static build (Trunk.toml) sends this to the portal on another
    // origin, with the session cookie.
    init.set_credentials(web_sys::RequestCredentials::Include);
    let window = web_sys::window().ok_or_else(|| unreachable(()))?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(&url, &init))
        .await
        .map_err(|_| unreachable(()))?
        .dyn_into()
        .map_err(|_| unreachable(()))?;
    let body = JsFuture::from(response.text().map_err(|_| unreachable(()))?)
        .await
        .map_err(|_| unreachable(()))?
        .as_string()
        .unwrap_or_default();
    if response.ok() {
        return serde_json::from_str(&body).map_err(|_| unreachable(()));
    }
    #[derive(Deserialize)]
    struct ErrorBody {
        error: ErrorDetail,
    }
    #[derive(Deserialize)]
    struct ErrorDetail {
        code: String,
        message: String,
        field: Option<String>,
    }
    let status = response.status();
    Err(match serde_json::from_str::<ErrorBody>(&body) {
        Ok(ErrorBody { error }) => AppError {
            field: error.field,
            ..AppError::new(status, &error.code, error.message)
        },
        Err(_) => AppError::new(
            status,
            if status == 413 {
                "attachment_too_large"
            } else {
                "internal"
            },
            "The file could not be attached.",
        ),
    })
}
