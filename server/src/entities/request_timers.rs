//! `request_timers`: the sweeper's next event of each open request whose
//! clock runs, keyed by (instant, request) — see `requests::timers`.

use sea_orm::entity::prelude::*;

/// One request's next event.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "request_timers")]
pub struct Model {
    /// When the sweeper next has work for the request.
    #[sea_orm(primary_key, auto_increment = false)]
    pub at: TimeDateTimeWithTimeZone,
    #[sea_orm(primary_key, auto_increment = false)]
    pub request_id: Uuid,
    /// The request's due instant when the timer was set: a pass tells the
    /// overdue requests (audited) from the reminders by it.
    pub due_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
