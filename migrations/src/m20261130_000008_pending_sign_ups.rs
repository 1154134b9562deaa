//! Sign-ups waiting for their e-mail link. The account is created only when
//! the address's owner opens the link, so a sign-up never tells whether an
//! address has an account, and nobody can hold an address they do not own.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PendingSignUps::Table)
                    .if_not_exists()
                    .col(pk_uuid(PendingSignUps::Id))
                    .col(string_len_uniq(PendingSignUps::TokenHash, 64))
                    .col(string_len(PendingSignUps::Email, 254))
                    .col(string_len(PendingSignUps::PasswordHash, 255))
                    .col(string_len(PendingSignUps::DisplayName, 64))
                    .col(date(PendingSignUps::BirthDate))
                    .col(string_len(PendingSignUps::Locale, 8))
                    .col(timestamp_with_time_zone(PendingSignUps::CreatedAt))
                    .col(timestamp_with_time_zone(PendingSignUps::ExpiresAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_pending_sign_ups_email")
                    .table(PendingSignUps::Table)
                    .col(PendingSignUps::Email)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_pending_sign_ups_expiry")
                    .table(PendingSignUps::Table)
                    .col(PendingSignUps::ExpiresAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PendingSignUps::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum PendingSignUps {
    Table,
    Id,
    TokenHash,
    Email,
    PasswordHash,
    DisplayName,
    BirthDate,
    Locale,
    CreatedAt,
    ExpiresAt,
}
