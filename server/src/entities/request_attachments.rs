//! `request_attachments`: the files that came with a request. The bytes are
//! in the data directory under `attachments/<id>`; the row names them.

use sea_orm::entity::prelude::*;

/// An attachment row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "request_attachments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub request_id: Uuid,
    /// As the sender named it, cleaned ([`domain::requests::complaint::file_name`]).
    pub file_name: String,
    /// What the content is ([`domain::requests::complaint::AttachmentType`]).
    pub file_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
