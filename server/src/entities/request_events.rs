//! `request_events`: the timeline of a request — who, when, what, why, and
//! every change of the due instant.

use sea_orm::entity::prelude::*;

/// An event row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "request_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub request_id: Uuid,
    pub at: TimeDateTimeWithTimeZone,
    /// `requester`, `officer`, `admin` or `system`.
    pub actor_kind: String,
    pub actor_id: Option<Uuid>,
    /// What happened ([`domain::requests::Event`]).
    pub action: Action,
    pub note: Option<String>,
    /// Officers' internal notes are not shown to the requester.
    pub internal: bool,
    pub due_before: Option<TimeDateTimeWithTimeZone>,
    pub due_after: Option<TimeDateTimeWithTimeZone>,
    pub extension_length: Option<i32>,
}

stored_enum!(Action => domain::requests::Event {
    Received = "received", ClockStarted = "clock_started", Assigned = "assigned",
    IdentityVerified = "identity_verified", InfoRequested = "info_requested", Message = "message",
    Paused = "paused", Resumed = "resumed", Extended = "extended", Note = "note",
    Overdue = "overdue", Fulfilled = "fulfilled", PartlyFulfilled = "partly_fulfilled",
    Refused = "refused", Withdrawn = "withdrawn", Escalated = "escalated",
});

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
