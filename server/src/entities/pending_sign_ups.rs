//! `pending_sign_ups`: sign-ups waiting for the address owner to open the
//! e-mail link. Only the SHA-256 of the link's token is kept.

use sea_orm::entity::prelude::*;

/// A sign-up not yet confirmed.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pending_sign_ups")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub token_hash: String,
    pub email: String,
    pub password_hash: String,
    pub display_name: String,
    pub birth_date: TimeDate,
    pub locale: String,
    pub created_at: TimeDateTimeWithTimeZone,
    pub expires_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
