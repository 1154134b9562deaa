//! Getting back into an account and incident notices (issue #16).
//!
//! - `password_resets`: one-time links that set a new password: a forgotten
//!   password's (15 minutes) and a granted re-access request's (opens after
//!   a hold during which the channels on file can stop it). Tokens are
//!   stored as SHA-256 digests only.
//! - `password_history`: the hashes a password reset replaced, so a
//!   re-access request's "old passwords" can be checked (never shown).
//! - `reaccess_claims`: a re-access request's score and per-item result
//!   table (no stored value, no given password), and the digest of the
//!   identifier it named, which throttles attempts on one account.
//! - `accounts.registered_via`: how the account was registered (QQ terms
//!   §3.3 (8)).
//! - `incidents` and `incident_deliveries`: notices an administrator
//!   publishes, and who got each one and when they acknowledged it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Accounts::Table)
                    .add_column(string_len(Accounts::RegisteredVia, 16).default("web"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PasswordResets::Table)
                    .if_not_exists()
                    .col(pk_uuid(PasswordResets::Id))
                    .col(uuid(PasswordResets::AccountId))
                    .col(string_len(PasswordResets::Purpose, 16))
                    .col(string_len_uniq(PasswordResets::TokenHash, 64))
                    .col(uuid_null(PasswordResets::RequestId))
                    .col(timestamp_with_time_zone(PasswordResets::CreatedAt))
                    .col(timestamp_with_time_zone(PasswordResets::OpensAt))
                    .col(timestamp_with_time_zone(PasswordResets::ExpiresAt))
                    .col(timestamp_with_time_zone_null(PasswordResets::UsedAt))
                    .col(string_len_null(PasswordResets::StopTokenHash, 64))
                    .col(timestamp_with_time_zone_null(PasswordResets::StoppedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_password_resets_account")
                            .from(PasswordResets::Table, PasswordResets::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_password_resets_account")
                    .table(PasswordResets::Table)
                    .col(PasswordResets::AccountId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_password_resets_stop")
                    .table(PasswordResets::Table)
                    .col(PasswordResets::StopTokenHash)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PasswordHistory::Table)
                    .if_not_exists()
                    .col(pk_uuid(PasswordHistory::Id))
                    .col(uuid(PasswordHistory::AccountId))
                    .col(string(PasswordHistory::PasswordHash))
                    .col(timestamp_with_time_zone(PasswordHistory::ReplacedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_password_history_account")
                            .from(PasswordHistory::Table, PasswordHistory::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_password_history_account")
                    .table(PasswordHistory::Table)
                    .col(PasswordHistory::AccountId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ReaccessClaims::Table)
                    .if_not_exists()
                    .col(pk_uuid(ReaccessClaims::RequestId))
                    .col(string_len(ReaccessClaims::IdentifierHash, 64))
                    .col(uuid_null(ReaccessClaims::AccountId))
                    .col(integer(ReaccessClaims::Score))
                    .col(text(ReaccessClaims::Items))
                    .col(timestamp_with_time_zone(ReaccessClaims::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_reaccess_claims_request")
                            .from(ReaccessClaims::Table, ReaccessClaims::RequestId)
                            .to(Requests::Table, Requests::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_reaccess_claims_account")
                            .from(ReaccessClaims::Table, ReaccessClaims::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            (
                "idx_reaccess_claims_identifier",
                ReaccessClaims::IdentifierHash,
            ),
            ("idx_reaccess_claims_account", ReaccessClaims::AccountId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(ReaccessClaims::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(Incidents::Table)
                    .if_not_exists()
                    .col(pk_uuid(Incidents::Id))
                    .col(uuid_null(Incidents::FollowsId))
                    .col(text(Incidents::Content))
                    .col(text(Incidents::Audience))
                    .col(uuid_null(Incidents::CreatedBy))
                    .col(timestamp_with_time_zone(Incidents::CreatedAt))
                    .col(timestamp_with_time_zone(Incidents::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Incidents::PublishedAt))
                    .col(uuid_null(Incidents::PublishedBy))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_incidents_follows")
                            .from(Incidents::Table, Incidents::FollowsId)
                            .to(Incidents::Table, Incidents::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(IncidentDeliveries::Table)
                    .if_not_exists()
                    .col(uuid(IncidentDeliveries::IncidentId))
                    .col(uuid(IncidentDeliveries::AccountId))
                    .col(timestamp_with_time_zone(IncidentDeliveries::DeliveredAt))
                    .col(timestamp_with_time_zone_null(
                        IncidentDeliveries::AcknowledgedAt,
                    ))
                    .primary_key(
                        Index::create()
                            .col(IncidentDeliveries::IncidentId)
                            .col(IncidentDeliveries::AccountId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_incident_deliveries_incident")
                            .from(IncidentDeliveries::Table, IncidentDeliveries::IncidentId)
                            .to(Incidents::Table, Incidents::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_incident_deliveries_account")
                            .from(IncidentDeliveries::Table, IncidentDeliveries::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_incident_deliveries_account")
                    .table(IncidentDeliveries::Table)
                    .col(IncidentDeliveries::AccountId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            IncidentDeliveries::Table.into_iden(),
            Incidents::Table.into_iden(),
            ReaccessClaims::Table.into_iden(),
            PasswordHistory::Table.into_iden(),
            PasswordResets::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Accounts::Table)
                    .drop_column(Accounts::RegisteredVia)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
    RegisteredVia,
}

#[derive(DeriveIden)]
enum Requests {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum PasswordResets {
    Table,
    Id,
    AccountId,
    Purpose,
    TokenHash,
    RequestId,
    CreatedAt,
    OpensAt,
    ExpiresAt,
    UsedAt,
    StopTokenHash,
    StoppedAt,
}

#[derive(DeriveIden)]
enum PasswordHistory {
    Table,
    Id,
    AccountId,
    PasswordHash,
    ReplacedAt,
}

#[derive(DeriveIden)]
enum ReaccessClaims {
    Table,
    RequestId,
    IdentifierHash,
    AccountId,
    Score,
    Items,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Incidents {
    Table,
    Id,
    FollowsId,
    Content,
    Audience,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    PublishedAt,
    PublishedBy,
}

#[derive(DeriveIden)]
enum IncidentDeliveries {
    Table,
    IncidentId,
    AccountId,
    DeliveredAt,
    AcknowledgedAt,
}
