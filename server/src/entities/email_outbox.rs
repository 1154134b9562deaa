//! `email_outbox`: e-mails waiting to be sent; `dedupe_key` sends each once.

use sea_orm::entity::prelude::*;

/// An e-mail.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "email_outbox")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub to_email: String,
    pub subject: String,
    pub body: String,
    pub created_at: TimeDateTimeWithTimeZone,
    pub sent_at: Option<TimeDateTimeWithTimeZone>,
    pub attempts: i32,
    #[sea_orm(unique)]
    pub dedupe_key: String,
    /// A sender holds the row until then.
    pub claimed_until: Option<TimeDateTimeWithTimeZone>,
    /// After a failed send, not before then.
    pub next_attempt_at: Option<TimeDateTimeWithTimeZone>,
    pub last_error: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
