//! Privacy-policy versions and guardians' confirmations (Weixin guideline §7
//! and §8). An administrator publishes a version with a summary of what
//! changed; holders accept it (a consent receipt of feature
//! `privacy_policy`). A minor's grant of a sensitive feature waits for a
//! guardian's confirmation through an e-mailed one-time link, stored here by
//! the SHA-256 of its token.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PrivacyPolicies::Table)
                    .if_not_exists()
                    .col(string_len(PrivacyPolicies::Version, 32).primary_key())
                    .col(text(PrivacyPolicies::Summary))
                    .col(timestamp_with_time_zone(PrivacyPolicies::PublishedAt))
                    .col(uuid_null(PrivacyPolicies::PublishedBy))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_privacy_policies_published")
                    .table(PrivacyPolicies::Table)
                    .col(PrivacyPolicies::PublishedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(GuardianConfirmations::Table)
                    .if_not_exists()
                    .col(pk_uuid(GuardianConfirmations::Id))
                    .col(uuid(GuardianConfirmations::AccountId))
                    .col(string_len(GuardianConfirmations::Feature, 32))
                    .col(string_len(GuardianConfirmations::Email, 254))
                    .col(string_len_uniq(GuardianConfirmations::TokenHash, 64))
                    .col(timestamp_with_time_zone(GuardianConfirmations::CreatedAt))
                    .col(timestamp_with_time_zone(GuardianConfirmations::ExpiresAt))
                    .col(timestamp_with_time_zone_null(GuardianConfirmations::UsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_guardian_confirmations_account")
                            .from(
                                GuardianConfirmations::Table,
                                GuardianConfirmations::AccountId,
                            )
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_guardian_confirmations_owner")
                    .table(GuardianConfirmations::Table)
                    .col(GuardianConfirmations::AccountId)
                    .col(GuardianConfirmations::Feature)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(GuardianConfirmations::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(PrivacyPolicies::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum PrivacyPolicies {
    Table,
    Version,
    Summary,
    PublishedAt,
    PublishedBy,
}

#[derive(DeriveIden)]
enum GuardianConfirmations {
    Table,
    Id,
    AccountId,
    Feature,
    Email,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}
