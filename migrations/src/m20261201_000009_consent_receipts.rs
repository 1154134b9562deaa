//! Consent receipts: every grant and withdrawal a holder makes, kept with its
//! instant, feature, new state, policy version, channel and whether the
//! feature's data was cleared (Weixin guideline §7; DESIGN §2 "consent
//! history"). Receipts are the holder's data (`consents` category).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ConsentReceipts::Table)
                    .if_not_exists()
                    .col(pk_uuid(ConsentReceipts::Id))
                    .col(uuid(ConsentReceipts::AccountId))
                    .col(string_len(ConsentReceipts::Feature, 32))
                    .col(string_len(ConsentReceipts::State, 32))
                    .col(string_len(ConsentReceipts::PolicyVersion, 32))
                    .col(string_len(ConsentReceipts::Channel, 16))
                    .col(boolean(ConsentReceipts::Cleared))
                    .col(big_integer(ConsentReceipts::ClearedItems))
                    .col(timestamp_with_time_zone(ConsentReceipts::At))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_consent_receipts_account")
                            .from(ConsentReceipts::Table, ConsentReceipts::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_consent_receipts_owner")
                    .table(ConsentReceipts::Table)
                    .col(ConsentReceipts::AccountId)
                    .col(ConsentReceipts::At)
                    .col(ConsentReceipts::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ConsentReceipts::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum ConsentReceipts {
    Table,
    Id,
    AccountId,
    Feature,
    State,
    PolicyVersion,
    Channel,
    Cleared,
    ClearedItems,
    At,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}
