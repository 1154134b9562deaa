//! `audit_log`: append-only, each row hashing the one before.

use sea_orm::entity::prelude::*;

/// An audit entry.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub seq: i64,
    pub at: TimeDateTimeWithTimeZone,
    pub actor_id: Option<Uuid>,
    pub actor_role: String,
    /// The keyed pseudonym of the actor, which the hash covers (see
    /// `crate::audit`); `None` on entries written before it existed, whose
    /// hash covers `actor_id` itself.
    pub actor_ref: Option<String>,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub prev_hash: String,
    #[sea_orm(unique)]
    pub hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
