//! Complaints (issue #15): what a complaint is about, when a request was
//! passed to an administrator, and the files that came with a request. The
//! files themselves live in the data directory (`attachments/<id>`), never in
//! the database; a row here names one by its ID, with its checked type, size
//! and SHA-256.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        for column in [
            string_len_null(Requests::ComplaintCategory, 24),
            timestamp_with_time_zone_null(Requests::EscalatedAt),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Requests::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(RequestAttachments::Table)
                    .if_not_exists()
                    .col(pk_uuid(RequestAttachments::Id))
                    .col(uuid(RequestAttachments::RequestId))
                    .col(string_len(RequestAttachments::FileName, 200))
                    .col(string_len(RequestAttachments::FileType, 16))
                    .col(big_integer(RequestAttachments::SizeBytes))
                    .col(string_len(RequestAttachments::Sha256, 64))
                    .col(timestamp_with_time_zone(RequestAttachments::UploadedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_request_attachments_request")
                            .from(RequestAttachments::Table, RequestAttachments::RequestId)
                            .to(Requests::Table, Requests::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_request_attachments_request")
                    .table(RequestAttachments::Table)
                    .col(RequestAttachments::RequestId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RequestAttachments::Table).to_owned())
            .await?;
        for column in [Requests::ComplaintCategory, Requests::EscalatedAt] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Requests::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Requests {
    Table,
    Id,
    ComplaintCategory,
    EscalatedAt,
}

#[derive(DeriveIden)]
enum RequestAttachments {
    Table,
    Id,
    RequestId,
    FileName,
    FileType,
    SizeBytes,
    Sha256,
    UploadedAt,
}
