//! Cancelling accounts and legal holds (issue #15): the cooling-off state and
//! the freeze live on the account row (the session lookup reads them with no
//! extra query); `account_tombstones` keeps a keyed digest of every erased
//! account's ID so that ID is never issued again, without naming it;
//! `portal_settings` holds settings an administrator may change (the
//! cooling-off days); `audit_log.actor_ref` is the keyed pseudonym of the
//! actor that the chain's hash covers, so erasing an account's ID from its
//! entries leaves the chain verifiable.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        for column in [
            timestamp_with_time_zone_null(Accounts::CancelRequestedAt),
            timestamp_with_time_zone_null(Accounts::CancelEffectiveAt),
            timestamp_with_time_zone_null(Accounts::CancelPausedAt),
            timestamp_with_time_zone_null(Accounts::CancelRemindedAt),
            text_null(Accounts::FrozenReason),
            timestamp_with_time_zone_null(Accounts::FrozenAt),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Accounts::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_accounts_cancel_effective")
                    .table(Accounts::Table)
                    .col(Accounts::CancelEffectiveAt)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(AuditLog::Table)
                    .add_column(string_len_null(AuditLog::ActorRef, 64))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AccountTombstones::Table)
                    .if_not_exists()
                    .col(string_len(AccountTombstones::Digest, 64).primary_key())
                    .col(timestamp_with_time_zone(AccountTombstones::ErasedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PortalSettings::Table)
                    .if_not_exists()
                    .col(string_len(PortalSettings::Name, 64).primary_key())
                    .col(text(PortalSettings::Value))
                    .col(timestamp_with_time_zone(PortalSettings::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PortalSettings::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(AccountTombstones::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(AuditLog::Table)
                    .drop_column(AuditLog::ActorRef)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_accounts_cancel_effective")
                    .table(Accounts::Table)
                    .to_owned(),
            )
            .await?;
        for column in [
            Accounts::CancelRequestedAt,
            Accounts::CancelEffectiveAt,
            Accounts::CancelPausedAt,
            Accounts::CancelRemindedAt,
            Accounts::FrozenReason,
            Accounts::FrozenAt,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Accounts::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    CancelRequestedAt,
    CancelEffectiveAt,
    CancelPausedAt,
    CancelRemindedAt,
    FrozenReason,
    FrozenAt,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    ActorRef,
}

#[derive(DeriveIden)]
enum AccountTombstones {
    Table,
    Digest,
    ErasedAt,
}

#[derive(DeriveIden)]
enum PortalSettings {
    Table,
    Name,
    Value,
    UpdatedAt,
}
