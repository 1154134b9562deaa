//! `requests`: every data-subject request with its clock.

use sea_orm::entity::prelude::*;

/// A request row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "requests")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub ack: String,
    pub kind: Kind,
    pub channel: Channel,
    pub status: Status,
    pub account_id: Option<Uuid>,
    pub contact_email: Option<String>,
    pub details: String,
    pub verification: Option<String>,
    pub tracking_token_hash: Option<String>,
    pub idempotency_hash: Option<String>,
    pub policy_name: String,
    pub policy_version: i32,
    pub policy_rules: String,
    pub received_at: TimeDateTimeWithTimeZone,
    pub clock_started_at: Option<TimeDateTimeWithTimeZone>,
    pub due_at: Option<TimeDateTimeWithTimeZone>,
    pub paused_since: Option<TimeDateTimeWithTimeZone>,
    pub resume_status: Option<Status>,
    pub overdue: bool,
    pub late: bool,
    pub assignee_id: Option<Uuid>,
    pub closed_at: Option<TimeDateTimeWithTimeZone>,
    pub answer: Option<String>,
    pub updated_at: TimeDateTimeWithTimeZone,
    /// What a complaint is about ([`domain::requests::complaint::ComplaintCategory`]).
    pub complaint_category: Option<String>,
    /// When an officer passed it to an administrator.
    pub escalated_at: Option<TimeDateTimeWithTimeZone>,
}

stored_enum!(Kind => domain::requests::RequestKind {
    Access = "access", Copy = "copy", Correction = "correction", Deletion = "deletion",
    Objection = "objection", Complaint = "complaint", Reaccess = "reaccess",
});
stored_enum!(Channel => domain::requests::Channel { InApp = "in_app", PrivacyOfficer = "privacy_officer" });
stored_enum!(Status => domain::requests::Status {
    Received = "received", AwaitingVerification = "awaiting_verification", InProgress = "in_progress",
    AwaitingRequester = "awaiting_requester", Fulfilled = "fulfilled", PartlyFulfilled = "partly_fulfilled",
    Refused = "refused", Withdrawn = "withdrawn",
});

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
