//! Exports (the right to a copy and to portability: PIPL art. 45, GDPR art.
//! 20, Tencent policy "How we use"): one row per archive a holder asked for,
//! or an officer's fulfilment of a `copy`/`access` request attached. A
//! background job claims a row with a lease (`claimed_until`, `attempts`),
//! writes the ZIP beside the database and marks it ready; it may be
//! downloaded for 7 days. At most one export of a holder's own is queued or
//! building at a time: a partial unique index says so to every instance.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Exports::Table)
                    .if_not_exists()
                    .col(pk_uuid(Exports::Id))
                    .col(uuid(Exports::AccountId))
                    // JSON array of category names; null for the whole account.
                    .col(text_null(Exports::Categories))
                    .col(string_len(Exports::Origin, 16))
                    .col(uuid_null(Exports::RequestId))
                    .col(string_len(Exports::Locale, 8))
                    .col(string_len(Exports::Status, 16))
                    .col(integer(Exports::Progress).default(0))
                    .col(integer(Exports::Attempts).default(0))
                    .col(timestamp_with_time_zone_null(Exports::ClaimedUntil))
                    .col(big_integer_null(Exports::SizeBytes))
                    .col(string_len_null(Exports::Sha256, 64))
                    .col(text_null(Exports::Error))
                    .col(timestamp_with_time_zone(Exports::CreatedAt))
                    .col(timestamp_with_time_zone_null(Exports::ReadyAt))
                    .col(timestamp_with_time_zone_null(Exports::ExpiresAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_exports_account")
                            .from(Exports::Table, Exports::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_exports_owner")
                    .table(Exports::Table)
                    .col(Exports::AccountId)
                    .col(Exports::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_exports_status")
                    .table(Exports::Table)
                    .col(Exports::Status)
                    .to_owned(),
            )
            .await?;
        // One running export of the holder's own at a time, for every
        // instance at once (same SQL on SQLite and PostgreSQL).
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX IF NOT EXISTS idx_exports_one_running ON exports (account_id) \
                 WHERE status IN ('queued', 'building') AND origin = 'holder'",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Exports::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Exports {
    Table,
    Id,
    AccountId,
    Categories,
    Origin,
    RequestId,
    Locale,
    Status,
    Progress,
    Attempts,
    ClaimedUntil,
    SizeBytes,
    Sha256,
    Error,
    CreatedAt,
    ReadyAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}
