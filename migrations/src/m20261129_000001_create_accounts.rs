//! Accounts: one row per person or staff member who can sign in.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Accounts::Table)
                    .if_not_exists()
                    .col(pk_uuid(Accounts::Id))
                    .col(string_len_uniq(Accounts::Email, 254))
                    .col(string_len(Accounts::PasswordHash, 255))
                    .col(string_len(Accounts::DisplayName, 64))
                    .col(date(Accounts::BirthDate))
                    .col(string_len(Accounts::AgeBand, 16))
                    .col(string_len(Accounts::Role, 16))
                    .col(string_len(Accounts::Locale, 8))
                    .col(timestamp_with_time_zone(Accounts::CreatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Accounts::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub(crate) enum Accounts {
    Table,
    Id,
    Email,
    PasswordHash,
    DisplayName,
    BirthDate,
    AgeBand,
    Role,
    Locale,
    CreatedAt,
}
