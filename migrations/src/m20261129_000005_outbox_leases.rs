//! Leases on the e-mail outbox: a sender claims a row until `claimed_until`,
//! so any number of instances share the outbox and a sender that dies
//! mid-send leaves the row to be taken again once its lease runs out.
//! Failed sends wait until `next_attempt_at`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        for column in [
            timestamp_with_time_zone_null(EmailOutbox::ClaimedUntil),
            timestamp_with_time_zone_null(EmailOutbox::NextAttemptAt),
            text_null(EmailOutbox::LastError),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(EmailOutbox::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_email_outbox_pending")
                    .table(EmailOutbox::Table)
                    .col(EmailOutbox::SentAt)
                    .col(EmailOutbox::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_email_outbox_pending")
                    .table(EmailOutbox::Table)
                    .to_owned(),
            )
            .await?;
        for column in [
            EmailOutbox::ClaimedUntil,
            EmailOutbox::NextAttemptAt,
            EmailOutbox::LastError,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(EmailOutbox::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum EmailOutbox {
    Table,
    SentAt,
    CreatedAt,
    ClaimedUntil,
    NextAttemptAt,
    LastError,
}
